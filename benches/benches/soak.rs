//! Soak and scale: many async ops, many resource open/close cycles and many
//! runtimes, with the pending tables and RSS checked afterwards. Prints a
//! table; not a timed test.
//!
//! ```text
//! cargo bench -p opwire-benches --bench soak
//! ```

use std::time::Instant;

use opwire::{JsRuntime, OpState, Resource, ResourceId, RuntimeOptions, op};
use opwire_benches::rss_kib;

/// A resource with nothing in it.
struct Token;
impl Resource for Token {}

#[op]
fn op_soak_open(state: &mut OpState) -> ResourceId {
    state.resource_table.add(Token)
}

#[op]
async fn op_soak_async(x: u32) -> u32 {
    tokio::task::yield_now().await;
    x
}

fn runtime() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_soak_open, op_soak_async],
        ..Default::default()
    })
}

/// Runs `passes` passes of `body` (a JS expression, maybe a promise) and
/// returns the RSS in KiB after each.
fn passes(
    rt: &mut JsRuntime,
    tokio: &tokio::runtime::Runtime,
    passes: usize,
    body: &str,
) -> Vec<u64> {
    (0..passes)
        .map(|_| {
            let value = rt.execute_script("<pass>", body).expect("pass runs");
            tokio.block_on(rt.resolve(value)).expect("pass settles");
            rss_kib()
        })
        .collect()
}

/// Growth from the steady state (after the second pass) to the end, in %
/// (for async ops this includes V8's heap steps; see the series printed).
#[allow(clippy::cast_precision_loss, reason = "percentages")]
fn growth(rss: &[u64]) -> f64 {
    let steady = rss[1] as f64;
    (rss[rss.len() - 1] as f64 - steady) / steady * 100.0
}

fn main() {
    let tokio = opwire_benches::current_thread_tokio();
    let _guard = tokio.enter();
    println!("| soak | total | time | RSS steady → end (KiB) | growth | left behind |");
    println!("|---|---|---|---|---|---|");

    let start = Instant::now();
    let mut rss = vec![rss_kib()];
    for round in 0..10 {
        for _ in 0..1000 {
            let mut rt = runtime();
            rt.execute_script("<one>", "ops.op_soak_open()")
                .expect("runs");
        }
        if round == 0 || round == 9 {
            rss.push(rss_kib());
        }
    }
    #[allow(clippy::cast_precision_loss, reason = "timing ratios")]
    let per_runtime = start.elapsed().as_secs_f64() / 10_000.0 * 1e6;
    println!(
        "| runtimes created and dropped | 10,000 | {per_runtime:.0} µs each | {} → {} | {:+.1} % | — |",
        rss[1],
        rss[2],
        growth(&rss)
    );
    let mut rt = runtime();
    let start = Instant::now();
    let rss = passes(
        &mut rt,
        &tokio,
        10,
        "(async () => { for (let b = 0; b < 100; b++) { const ps = []; \
         for (let i = 0; i < 1000; i++) ps.push(ops.op_soak_async(i)); await Promise.all(ps); } })()",
    );
    let async_rss = rss.clone();
    let left = format!(
        "{} ops, {} promises",
        rt.pending_ops(),
        rt.pending_op_promises()
    );
    println!(
        "| async ops | 1,000,000 | {:.2} s | {} → {} | {:+.1} % | {left} |",
        start.elapsed().as_secs_f64(),
        rss[1],
        rss[rss.len() - 1],
        growth(&rss)
    );

    let start = Instant::now();
    let rss = passes(
        &mut rt,
        &tokio,
        10,
        "for (let i = 0; i < 100000; i++) opwire.close(ops.op_soak_open());",
    );
    let left = format!("{} resources", rt.op_state().borrow().resource_table.len());
    println!(
        "| resource open/close | 1,000,000 | {:.2} s | {} → {} | {:+.1} % | {left} |",
        start.elapsed().as_secs_f64(),
        rss[1],
        rss[rss.len() - 1],
        growth(&rss)
    );
    drop(rt);

    // V8 grows its heap in steps: compare plateaus (and with deno_core's
    // `soak_async` line from the same sitting), not the first and last pass.
    println!("\nasync ops, RSS after each pass of 100,000 (KiB): {async_rss:?}");
}
