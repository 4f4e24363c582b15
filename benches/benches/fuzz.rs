//! Fuzzes the conversions for a while: `cargo bench -p opwire-benches --bench
//! fuzz -- [executions] [first seed]` (default 10,000,000 executions from
//! seed 1). Prints the executions, the time and any mismatch; exits 1 on
//! one.

use std::process::ExitCode;
use std::time::Instant;

use opwire_benches::fuzz;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let target: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let mut seed: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let start = Instant::now();
    let mut execs = 0;
    let mut failures = Vec::new();
    // A fresh runtime now and then, so no single heap grows without end.
    while execs < target && failures.is_empty() {
        let mut rt = fuzz::fuzz_runtime();
        for _ in 0..20 {
            let report = fuzz::run(&mut rt, seed, 5_000);
            execs += report.execs;
            failures.extend(
                report
                    .failures
                    .into_iter()
                    .map(|f| format!("seed {seed}: {f}")),
            );
            seed += 1;
            if execs >= target || !failures.is_empty() {
                break;
            }
        }
    }
    println!(
        "fuzz: {execs} executions, seeds up to {seed}, {:.1} s, {} failures",
        start.elapsed().as_secs_f64(),
        failures.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
