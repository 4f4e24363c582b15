//! The shared op-overhead benchmark (`../shared/bench/README.md`): runs each
//! workload file and prints `<workload> <n> <median ns/op> <min ns/op>`.
//!
//! ```text
//! cargo bench -p opwire-benches --bench overhead -- [workloads dir] [workload ...]
//! ```
//!
//! The directory defaults to `../shared/bench/workloads` (next to the
//! checkout); `RUNS` sets the number of timed runs (default 5).

use std::path::PathBuf;

fn main() {
    // `cargo bench` passes `--bench`; everything else is ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let dir = args.next().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/bench/workloads"),
        PathBuf::from,
    );
    let mut names: Vec<String> = args.collect();
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
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio");
    for name in names {
        let n: u64 = if name.starts_with("async") {
            1_000_000
        } else {
            10_000_000
        };
        let (median, min) =
            opwire_benches::run_workload(&dir.join(format!("{name}.js")), n, runs, &tokio);
        println!("{name} {n} {median:.2} {min:.2}");
    }
}
