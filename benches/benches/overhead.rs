//! The shared op-overhead benchmark (`../shared/bench/README.md`): runs each
//! workload file and prints `<workload> <n> <median ns/op> <min ns/op>`.
//!
//! ```text
//! cargo bench -p opwire-benches --bench overhead -- [workloads dir] [workload ...]
//! ```
//!
//! The directory defaults to `../shared/bench/workloads` (next to the
//! checkout); `RUNS` sets the number of timed runs (default 5). Besides the
//! files, `rss_per_runtime` and `soak_async` are accepted as names (see
//! the contract); `startup*` files time whole runtimes. `startup_snapshot`
//! and `rss_per_runtime_snapshot` are `startup` and `rss_per_runtime` with
//! each runtime started from a startup snapshot (made once, holding the
//! ops' bindings, the prelude and `startup.js`). A name ending in `_warm`
//! runs its row with [`opwire::keep_warm`] on (`startup_warm`,
//! `startup_snapshot_warm`); `rss_warm_isolate` and
//! `rss_warm_isolate_snapshot` are what the warm isolate itself costs
//! (RSS, bytes). `startup_snapshot_reuse` is `startup_snapshot` with
//! [`RuntimeOptions::reuse_isolate`](opwire::RuntimeOptions::reuse_isolate)
//! on: each runtime takes the isolate the one before left.
//! `startup_fs_net` is `startup` with the fs and net extensions registered
//! as well. Names not in the
//! directory are looked up in `benches/workloads`, opwire's own workloads
//! (`sync_method`: `sync_add` as a method call on a class instance;
//! `sync_add_wrapping`: `sync_add` on an `#[op(wrapping)]` op;
//! `async_lazy_batch`: `async_batch` on an `async(lazy)` op, the pending
//! path; `async_batch_js`: `async_batch` on a JS async function, the
//! `Promise.all` floor). With `--paths` nothing is timed: each workload prints which path
//! its op calls took (`opwire_benches::workload_paths`, on opwire-bench's
//! op metrics). For profiling only, `PROFILE_V8_FLAGS` passes V8 flags (say
//! `--perf-basic-prof`, which names JIT code for `perf`); never for figures.

use std::path::PathBuf;

/// The source of workload `name`.
fn read(dir: &std::path::Path, name: &str) -> String {
    let path = dir.join(format!("{name}.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn main() {
    let paths = std::env::args().any(|a| a == "--paths");
    let (dir, mut names, runs) = opwire_benches::workload_args();
    if names.is_empty() {
        names = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("workloads dir {}: {e}", dir.display()))
            .filter_map(|e| {
                e.ok()?
                    .file_name()
                    .into_string()
                    .ok()?
                    .strip_suffix(".js")
                    .map(str::to_owned)
            })
            .collect();
        names.sort();
    }
    if let Ok(flags) = std::env::var("PROFILE_V8_FLAGS") {
        opwire::try_set_v8_flags(&flags);
    }
    let tokio = opwire_benches::current_thread_tokio();
    let _guard = tokio.enter();
    for label in names {
        if paths {
            opwire_benches::workload_paths::print(&dir, &label, &tokio);
            continue;
        }
        let warm = label.ends_with("_warm");
        let name = label.strip_suffix("_warm").unwrap_or(&label).to_owned();
        opwire::keep_warm(warm);
        if name == "rss_warm_isolate" || name == "rss_warm_isolate_snapshot" {
            let source = read(&dir, "startup");
            let bytes = if name == "rss_warm_isolate" {
                opwire_benches::rss_of_warm_isolate(|| opwire_benches::workload_runtime(&source))
            } else {
                let snapshot = opwire_benches::startup_snapshot(&source);
                opwire_benches::rss_of_warm_isolate(|| {
                    opwire_benches::snapshot_runtime(snapshot, &source)
                })
            };
            println!("{label} 1 {bytes:.0} 0");
            continue;
        }
        if name == "rss_per_runtime_snapshot" {
            let source = read(&dir, "startup");
            let snapshot = opwire_benches::startup_snapshot(&source);
            let bytes = opwire_benches::rss_per_runtime_snapshot(snapshot, &source);
            println!("{label} 50 {bytes:.0} 0");
            continue;
        }
        if name == "startup_snapshot" || name == "startup_snapshot_reuse" {
            let source = read(&dir, "startup");
            let snapshot = opwire_benches::startup_snapshot(&source);
            let reuse = name.ends_with("_reuse");
            let n = 100;
            opwire_benches::run_startup_snapshot(snapshot, &source, 10, reuse);
            let (median, min) = opwire_benches::median_min(runs, || {
                opwire_benches::run_startup_snapshot(snapshot, &source, n, reuse)
            });
            opwire::release_isolates();
            println!("{label} {n} {median:.2} {min:.2}");
            continue;
        }
        if name == "rss_per_runtime" {
            // Not a file: RSS per idle runtime (50 alive), bytes.
            let source = read(&dir, "startup");
            let bytes = opwire_benches::rss_per_runtime(&source);
            println!("{label} 50 {bytes:.0} 0");
            continue;
        }
        if name == "soak_async" {
            // Not a file: RSS (KiB) after each of 15 passes of 1M async ops.
            let mut rt = opwire_benches::workload_runtime(&read(&dir, "async_batch"));
            let mut rss = vec![opwire_benches::rss_kib()];
            for _ in 0..15 {
                opwire_benches::time_once(&mut rt, &tokio, 1_000_000);
                rss.push(opwire_benches::rss_kib());
            }
            println!("soak_async_rss_kib {rss:?}");
            continue;
        }
        if name.starts_with("startup") {
            let (source, run): (_, fn(&str, u64) -> f64) = if name == "startup_fs_net" {
                (read(&dir, "startup"), opwire_benches::run_startup_fs_net)
            } else {
                (read(&dir, &name), opwire_benches::run_startup)
            };
            let n = 100;
            run(&source, 10);
            let (median, min) = opwire_benches::median_min(runs, || run(&source, n));
            println!("{label} {n} {median:.2} {min:.2}");
            continue;
        }
        let n: u64 = if name.starts_with("async") {
            1_000_000
        } else {
            10_000_000
        };
        // opwire's own workloads (`sync_method`) live in benches/workloads.
        let mut path = dir.join(format!("{name}.js"));
        if !path.exists() {
            path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("workloads/{name}.js"));
        }
        let (median, min) = opwire_benches::run_workload(&path, n, runs, &tokio);
        println!("{label} {n} {median:.2} {min:.2}");
    }
}
