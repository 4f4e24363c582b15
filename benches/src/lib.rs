//! The ops of the shared op-overhead benchmark (`../shared/bench/README.md`)
//! and a runner for its workloads, used by the `overhead` bench.

use std::path::Path;
use std::time::Instant;

use opwire::{JsRuntime, OpDecl, RuntimeOptions, op};
use serde::Deserialize;

/// Does nothing.
#[op]
pub fn op_bench_noop() {}

/// Adds.
#[op]
pub fn op_bench_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// The UTF-8 length of a string.
#[op]
pub fn op_bench_strlen(#[string] s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

/// First plus last byte of a buffer, read in place.
#[op]
pub fn op_bench_buf(#[buffer] buf: &[u8]) -> u32 {
    match (buf.first(), buf.last()) {
        (Some(a), Some(b)) => u32::from(*a) + u32::from(*b),
        _ => 0,
    }
}

/// The contract's serde argument.
#[derive(Deserialize)]
pub struct Point {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
    /// A label (read, unused).
    pub label: String,
    /// Tags.
    pub tags: Vec<u32>,
}

/// `x + y + tags.len()`.
#[op]
pub fn op_bench_serde(#[serde] p: Point) -> f64 {
    let _ = &p.label;
    #[allow(clippy::cast_precision_loss, reason = "small lengths")]
    let tags = p.tags.len() as f64;
    p.x + p.y + tags
}

/// Resolves to 1.
#[op]
pub async fn op_bench_async() -> u32 {
    1
}

/// The contract's ops.
pub fn bench_ops() -> Vec<OpDecl> {
    opwire::ops![
        op_bench_noop,
        op_bench_add,
        op_bench_strlen,
        op_bench_buf,
        op_bench_serde,
        op_bench_async
    ]
}

/// A runtime with the contract's ops on `globalThis.OPS` and `workload`
/// loaded.
///
/// # Panics
///
/// If the workload does not load.
pub fn workload_runtime(workload: &str) -> JsRuntime {
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: bench_ops(),
        ..Default::default()
    });
    rt.execute_script("<prelude>", "globalThis.OPS = ops;")
        .expect("prelude");
    rt.execute_script("<workload>", workload)
        .expect("workload loads");
    rt
}

/// Times one `bench(n)` call, driving the event loop until its promise (if
/// any) settles; nanoseconds per op.
///
/// # Panics
///
/// If the workload throws or rejects.
pub fn time_once(rt: &mut JsRuntime, tokio: &tokio::runtime::Runtime, n: u64) -> f64 {
    let start = Instant::now();
    let value = rt
        .execute_script("<bench>", &format!("bench({n})"))
        .expect("bench threw");
    tokio.block_on(rt.resolve(value)).expect("bench rejected");
    #[allow(clippy::cast_precision_loss, reason = "timing ratios")]
    let per_op = start.elapsed().as_nanos() as f64 / n as f64;
    per_op
}

/// Runs one workload file as the contract says: warm up with `n / 10`, then
/// time `runs` calls of `bench(n)`. Returns (median, min) ns per op.
///
/// # Panics
///
/// If the file cannot be read or the workload fails.
pub fn run_workload(
    path: &Path,
    n: u64,
    runs: usize,
    tokio: &tokio::runtime::Runtime,
) -> (f64, f64) {
    let source = std::fs::read_to_string(path).expect("workload file");
    let _guard = tokio.enter();
    let mut rt = workload_runtime(&source);
    time_once(&mut rt, tokio, n / 10);
    let mut samples: Vec<f64> = (0..runs).map(|_| time_once(&mut rt, tokio, n)).collect();
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0])
}
