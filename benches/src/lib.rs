//! The ops of the shared op-overhead benchmark (`../shared/bench/README.md`)
//! and a runner for its workloads, used by the `overhead` bench.

pub mod fuzz;
pub mod op_kinds;
pub mod workload_paths;

use std::path::{Path, PathBuf};
use std::time::Instant;

use opwire::{JsRuntime, OpDecl, RuntimeOptions, op};
use serde::{Deserialize, Serialize};

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

/// The contract's serde argument and return value.
#[derive(Deserialize, Serialize)]
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

/// A `Point` made from `i`, returned through serde.
#[op]
#[serde]
pub fn op_bench_serde_out(i: u32) -> Point {
    Point {
        x: f64::from(i),
        y: 0.5,
        label: "p".into(),
        tags: vec![1, 2, 3],
    }
}

/// Resolves to 1.
#[op]
pub async fn op_bench_async() -> u32 {
    1
}

/// `a + b` with `#[op(wrapping)]`: deno_core's integer rule
/// (`sync_add_wrapping`, opwire's own workload).
#[op(wrapping)]
pub fn op_bench_add_wrapping(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `sync_method`'s class: `op_bench_add` as a method.
#[derive(Debug, Default)]
pub struct BenchAdder;

#[op]
impl BenchAdder {
    #[constructor]
    fn new() -> BenchAdder {
        BenchAdder
    }

    /// `a + b`, wrapping.
    fn add(&self, a: i32, b: i32) -> i32 {
        a.wrapping_add(b)
    }
}

/// Resolves to 1 from the event loop: `#[op(async(lazy))]` is never polled
/// during its call, so every call takes the pending path (a promise that
/// waits, the future in the loop's pending set, a batch settle).
/// `async_lazy_batch`, opwire's own workload.
#[op(async(lazy))]
pub async fn op_bench_async_lazy() -> u32 {
    1
}

/// The classes of opwire's own workloads (`benches/workloads`).
#[must_use]
pub fn bench_classes() -> Vec<opwire::ClassDecl> {
    vec![<BenchAdder as opwire::Class>::CLASS]
}

/// The values the opwire-bench cases pass (`S` a string, `B` a buffer, `P`
/// a serde struct), set by their setup script.
pub const CASE_VALUES: &str = "globalThis.S = 'hello world'; globalThis.B = new Uint8Array(64);
     globalThis.P = { x: 1, y: 2, label: 'p', tags: [1, 2, 3] };";

/// The contract's ops.
pub fn bench_ops() -> Vec<OpDecl> {
    opwire::ops![
        op_bench_noop,
        op_bench_add,
        op_bench_strlen,
        op_bench_buf,
        op_bench_serde,
        op_bench_serde_out,
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
    workload_runtime_with(workload, false)
}

/// [`workload_runtime`] with opwire's own ops and classes (`sync_method`,
/// `sync_add_wrapping`, `async_lazy_batch`) registered too, on `OPS`, when `own` is set. The
/// shared workloads get exactly the contract's ops.
///
/// # Panics
///
/// If the workload does not load.
pub fn workload_runtime_with(workload: &str, own: bool) -> JsRuntime {
    let (mut ops, classes) = (bench_ops(), Vec::new());
    let classes = if own {
        ops.extend(opwire::ops![op_bench_add_wrapping, op_bench_async_lazy]);
        bench_classes()
    } else {
        classes
    };
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops,
        classes,
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
    // opwire's own workloads (in benches/workloads) get their extra ops
    // and classes; the shared ones only the contract's ops.
    let own = path.starts_with(Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads"));
    let mut rt = workload_runtime_with(&source, own);
    time_once(&mut rt, tokio, n / 10);
    median_min(runs, || time_once(&mut rt, tokio, n))
}

/// Runs `timed` `runs` times (at least once): the median and the minimum.
pub fn median_min(runs: usize, mut timed: impl FnMut() -> f64) -> (f64, f64) {
    let mut samples: Vec<f64> = (0..runs.max(1)).map(|_| timed()).collect();
    samples.sort_by(f64::total_cmp);
    (samples[samples.len() / 2], samples[0])
}

/// The command line of a bench binary that runs workload files: the
/// workloads directory (the first argument that is not a flag, else
/// `../shared/bench/workloads` next to the checkout), the other
/// arguments, and the number of timed runs (`RUNS`, default 5).
pub fn workload_args() -> (PathBuf, Vec<String>, usize) {
    // `cargo bench` passes `--bench`; everything else is ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let dir = args.next().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/workloads"),
        PathBuf::from,
    );
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    (dir, args.collect(), runs)
}

/// The current-thread tokio runtime the bench binaries drive runtimes on.
///
/// # Panics
///
/// If tokio cannot start.
pub fn current_thread_tokio() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio")
}

/// `startup*` workloads: nanoseconds per whole runtime (create it with the
/// ops, load `source`, call `bench(1)`, drop it), over `n` runtimes.
///
/// # Panics
///
/// If the workload fails.
pub fn run_startup(source: &str, n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        let mut rt = workload_runtime(source);
        rt.execute_script("<bench>", "bench(1)")
            .expect("bench threw");
    }
    #[allow(clippy::cast_precision_loss, reason = "timing ratios")]
    let per_runtime = start.elapsed().as_nanos() as f64 / n as f64;
    per_runtime
}

/// `startup_fs_net` (opwire's own row): [`run_startup`] with the fs and
/// net extensions registered too (their ops, most of them async, and their
/// scripts), as an embedder with real extensions starts runtimes.
///
/// # Panics
///
/// If the workload fails.
pub fn run_startup_fs_net(source: &str, n: u64) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        let mut rt = JsRuntime::new(RuntimeOptions {
            ops: bench_ops(),
            extensions: vec![
                opwire_fs::fs_extension(opwire_fs::FsPermissions::none()),
                opwire_net::net_extension(opwire_net::NetPermissions::none()),
            ],
            ..Default::default()
        });
        rt.execute_script("<prelude>", "globalThis.OPS = ops;")
            .expect("prelude");
        rt.execute_script("<workload>", source)
            .expect("workload loads");
        rt.execute_script("<bench>", "bench(1)")
            .expect("bench threw");
    }
    #[allow(clippy::cast_precision_loss, reason = "timing ratios")]
    let per_runtime = start.elapsed().as_nanos() as f64 / n as f64;
    per_runtime
}

/// The extension a `*_snapshot` row's snapshot holds: the prelude and the
/// workload file, run when the snapshot is made.
fn snapshot_extension(source: &str) -> opwire::Extension {
    opwire::Extension::new("bench")
        .js("<prelude>", "globalThis.OPS = ops;")
        .js("<workload>", source.to_owned())
}

/// A startup snapshot of [`workload_runtime`]`(source)`: the bench ops'
/// bindings, the prelude and the workload file, evaluated.
///
/// # Panics
///
/// If the workload fails.
pub fn startup_snapshot(source: &str) -> &'static [u8] {
    let bytes = opwire::snapshot::create(opwire::snapshot::SnapshotOptions {
        ops: bench_ops(),
        extensions: vec![snapshot_extension(source)],
        ..Default::default()
    })
    .expect("startup snapshot");
    Box::leak(bytes.into_boxed_slice())
}

/// [`workload_runtime`]`(source)` started from `snapshot` (made by
/// [`startup_snapshot`] for the same source).
///
/// # Panics
///
/// If the snapshot is refused.
pub fn snapshot_runtime(snapshot: &'static [u8], source: &str) -> JsRuntime {
    snapshot_runtime_with(snapshot, source, false)
}

/// [`snapshot_runtime`], with [`RuntimeOptions::reuse_isolate`] as given.
pub fn snapshot_runtime_with(snapshot: &'static [u8], source: &str, reuse: bool) -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: bench_ops(),
        extensions: vec![snapshot_extension(source)],
        startup_snapshot: Some(snapshot),
        reuse_isolate: reuse,
        ..Default::default()
    })
}

/// [`run_startup`] with each runtime started from `snapshot` (the
/// `startup_snapshot` row), each runtime taking the isolate the one before
/// left if `reuse` (the `startup_snapshot_reuse` row).
///
/// # Panics
///
/// If the workload fails.
pub fn run_startup_snapshot(snapshot: &'static [u8], source: &str, n: u64, reuse: bool) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        let mut rt = snapshot_runtime_with(snapshot, source, reuse);
        rt.execute_script("<bench>", "bench(1)")
            .expect("bench threw");
    }
    #[allow(clippy::cast_precision_loss, reason = "timing ratios")]
    let per_runtime = start.elapsed().as_nanos() as f64 / n as f64;
    per_runtime
}

/// The process's resident memory, in KiB (`VmRSS`; 0 where there is no
/// `/proc`).
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `rss_per_runtime`: RSS growth per idle runtime with `source` loaded,
/// over 50 kept alive at once, in bytes.
pub fn rss_per_runtime(source: &str) -> f64 {
    rss_per(|| workload_runtime(source))
}

/// [`rss_per_runtime`] with each runtime started from `snapshot` (the
/// `rss_per_runtime_snapshot` row).
pub fn rss_per_runtime_snapshot(snapshot: &'static [u8], source: &str) -> f64 {
    rss_per(|| snapshot_runtime(snapshot, source))
}

/// What [`opwire::keep_warm`]'s idle isolate costs, in bytes of RSS: the
/// growth when a runtime `new` makes is created and dropped with it on,
/// against the same with it off (after both, no runtime is alive).
///
/// # Panics
///
/// If the process's RSS cannot be read.
pub fn rss_of_warm_isolate(new: impl Fn() -> JsRuntime) -> f64 {
    let settle = || std::thread::sleep(std::time::Duration::from_millis(200));
    opwire::keep_warm(false);
    drop(new());
    settle();
    let before = rss_kib();
    assert!(before > 0, "no VmRSS in /proc/self/status");
    opwire::keep_warm(true);
    drop(new());
    // The idle isolate starts on its own thread.
    settle();
    let after = rss_kib();
    opwire::keep_warm(false);
    #[allow(clippy::cast_precision_loss, reason = "memory figures")]
    let bytes = after.saturating_sub(before) as f64 * 1024.0;
    bytes
}

/// RSS growth per runtime `new` makes, over 50 kept alive at once, in
/// bytes.
fn rss_per(new: impl Fn() -> JsRuntime) -> f64 {
    drop(new());
    let before = rss_kib();
    let mut keep: Vec<JsRuntime> = (0..50).map(|_| new()).collect();
    let after = rss_kib();
    // V8 wants isolates dropped in the reverse order of their creation.
    while let Some(rt) = keep.pop() {
        drop(rt);
    }
    #[allow(clippy::cast_precision_loss, reason = "memory ratios")]
    let per_runtime = after.saturating_sub(before) as f64 * 1024.0 / 50.0;
    per_runtime
}
