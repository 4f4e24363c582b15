//! The shared bench ops measured with `opwire-bench`: ns per call cold and
//! optimized, with the path each call took, then the same cases as
//! criterion benchmarks.
//!
//! `cargo bench -p opwire-benches --bench paths` (criterion's HTML in
//! target/criterion/paths). `-- --table` prints the table only.

use criterion::Criterion;
use opwire_bench::Bench;

fn bench() -> Bench {
    Bench::new("paths")
        .ops(opwire_benches::bench_ops())
        .setup(opwire_benches::CASE_VALUES)
        .sync("noop", "ops.op_bench_noop()")
        .sync("add", "ops.op_bench_add(i, 1)")
        .sync("strlen", "ops.op_bench_strlen(S)")
        .sync("buf", "ops.op_bench_buf(B)")
        .sync("serde", "ops.op_bench_serde(P)")
        .sync("serde_out", "ops.op_bench_serde_out(i)")
        .async_seq("async", "ops.op_bench_async()")
        .async_batch("async/batch", "ops.op_bench_async()", 1_000)
}

fn main() {
    // Before the first runtime: the bench optimizes its loops with `%` natives.
    opwire_bench::init();
    let bench = bench();
    let report = bench.run().expect("the paths bench");
    print!("{report}");
    println!("{}", bench.compare("add", "noop").expect("compare"));
    if std::env::args().any(|a| a == "--table") {
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench.criterion(&mut c).expect("criterion cases");
    c.final_summary();
}
