//! Which path the op calls of a shared workload take (`overhead -- --paths`).
//! Not timed: metrics change the callbacks a runtime registers, so this
//! runs each workload on a runtime of its own that keeps them, and reads
//! the counts with `opwire-bench`'s [`Checkpoint`].

use std::path::Path;

use opwire::{JsRuntime, RuntimeOptions};
use opwire_bench::{Checkpoint, OpCalls};

/// Calls counted per workload, after a warm-up of as many.
const CALLS: u64 = 100_000;

/// The op calls `bench(n)` of `workload` makes, by op and path, after a
/// warm-up call of `bench(n)` (as the runner warms up before timing).
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
    crate::time_once(&mut rt, tokio, n);
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
    let calls = workload_paths(&source, CALLS, tokio);
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
