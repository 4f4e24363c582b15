//! Which path the op calls of a shared workload take (`overhead -- --paths`).
//! Not timed: metrics change the callbacks a runtime registers, so this
//! runs each workload on a runtime of its own that keeps them, and reads
//! the counts with `opwire-bench`'s [`Checkpoint`].

use std::path::Path;

use opwire::{JsRuntime, RuntimeOptions};
use opwire_bench::{Checkpoint, OpCalls};

/// The contract's `n` for workload `name`: 1,000,000 for async workloads,
/// 10,000,000 for sync ones.
fn contract_n(name: &str) -> u64 {
    if name.starts_with("async") {
        1_000_000
    } else {
        10_000_000
    }
}

/// The op calls `bench(n)` of `workload` makes, by op and path, after the
/// warm-up call `bench(n / 10)`: what the first timed run of the runner
/// calls.
///
/// # Panics
///
/// If the workload does not load, throws or rejects.
pub fn workload_paths(workload: &str, n: u64, tokio: &tokio::runtime::Runtime) -> Vec<OpCalls> {
    let _guard = tokio.enter();
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: crate::bench_ops(),
        op_metrics: true,
        ..Default::default()
    });
    rt.execute_script("<prelude>", "globalThis.OPS = ops;")
        .expect("prelude");
    rt.execute_script("<workload>", workload)
        .expect("workload loads");
    crate::time_once(&mut rt, tokio, n / 10);
    let mark = Checkpoint::new(&rt);
    crate::time_once(&mut rt, tokio, n);
    mark.calls_since(&rt, &crate::bench_ops())
}

/// Prints `<workload>: <paths>` for workload file `name` in `dir`, and the
/// warning of any op that has a fast path but made no fast call.
/// `startup*` workloads (whole runtimes, never optimized) and names that are
/// not files are skipped with a note.
pub fn print(dir: &Path, name: &str, tokio: &tokio::runtime::Runtime) {
    if name.starts_with("startup") {
        println!("{name}: skipped (times whole runtimes)");
        return;
    }
    let Ok(source) = std::fs::read_to_string(dir.join(format!("{name}.js"))) else {
        println!("{name}: skipped (not a workload file)");
        return;
    };
    let calls = workload_paths(&source, contract_n(name), tokio);
    let paths: Vec<String> = calls.iter().map(ToString::to_string).collect();
    if paths.is_empty() {
        println!("{name}: no op calls");
    } else {
        println!("{name}: {}", paths.join(", "));
    }
    for warning in calls.iter().filter_map(|c| c.warning(name)) {
        println!("{warning}");
    }
}
