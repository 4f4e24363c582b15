//! One op of each kind (`opwire_benches::op_kinds`), measured with
//! `opwire-bench`: ns per call cold and optimized, with the path each call
//! took, then the same cases as criterion benchmarks.
//!
//! ```text
//! cargo bench -p opwire-benches --bench ops                # table, then criterion (HTML in target/criterion)
//! cargo bench -p opwire-benches --bench ops -- --table     # the table only
//! cargo bench -p opwire-benches --bench ops -- --markdown  # BENCHMARKS.md's per-op-kind table
//! ```

use criterion::Criterion;

fn main() {
    // Before the first runtime: the bench optimizes its loops with `%` natives.
    opwire_bench::init();
    let bench = opwire_benches::op_kinds::bench();
    let report = bench.run().expect("the op kinds bench");
    if std::env::args().any(|a| a == "--markdown") {
        print!("{}", report.markdown());
        return;
    }
    print!("{report}");
    if std::env::args().any(|a| a == "--table") {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench.criterion(&mut c).expect("criterion cases");
    c.final_summary();
}
