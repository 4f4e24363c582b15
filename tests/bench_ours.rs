//! opwire's own benches on `opwire-bench`: every case of the per-op-kind
//! bench (BENCHMARKS.md's table) calls the op it is named after, on the path
//! its name says, and the shared workloads' path check counts fast calls.
//! Small iteration counts: these check what the benches report, not speed.

use opwire_benches::{op_kinds, workload_paths};

#[test]
fn every_op_kind_case_calls_its_op_on_the_path_it_names() {
    let report = op_kinds::bench()
        .iterations(300)
        .samples(1)
        .warmup(100)
        .run()
        .unwrap();
    assert_eq!(report.cases.len(), op_kinds::bench().cases().len());
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    for case in &report.cases {
        assert_eq!(case.optimized_calls.len(), 1, "one op per case: {case:?}");
        let calls = &case.optimized_calls[0];
        assert_eq!(calls.fast + calls.slow, 300, "{case:?}");
        // `nofast` in the name means no fast path; every op that has one
        // takes it in the optimized loop (else the table would mislead).
        if case.name.contains("nofast") {
            assert!(!calls.fast_eligible, "{case:?}");
        }
        if calls.fast_eligible {
            assert!(calls.fast > 0, "{case:?}");
        }
        if case.name.starts_with("async") || case.name.starts_with("blocking") {
            assert_eq!(calls.async_started, 300, "{case:?}");
        }
    }
    // The kinds that have a fast path do get one.
    for name in [
        "noop",
        "i32 add",
        "&str",
        "&[u8]",
        "&mut OpState",
        "async eager",
    ] {
        let calls = &report.case(name).unwrap().optimized_calls[0];
        assert!(calls.fast_eligible, "{name}: {calls:?}");
    }
}

#[test]
fn workload_paths_count_the_fast_calls_of_a_workload() {
    let tokio = crate::util::tokio_rt();
    // `sync_add`'s loop, optimized on demand after the warm-up call (the
    // runner leaves that to V8's tiering) so the count does not depend on
    // when V8 gets to it.
    let sync_add = "function add(n) { const op = OPS.op_bench_add; let acc = 0; \
                    for (let i = 0; i < n; i++) acc = op(acc & 0xffff, i & 0xff); } \
                    %PrepareFunctionForOptimization(add); \
                    function bench(n) { add(n); %OptimizeFunctionOnNextCall(add); }";
    let calls = workload_paths::workload_paths(sync_add, 10_000, &tokio);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].op, "op_bench_add");
    assert_eq!(calls[0].fast + calls[0].slow, 10_000);
    assert!(calls[0].fast > 0 && calls[0].fast_eligible, "{calls:?}");
    let js_only = "function bench(n) { let a = 0; for (let i = 0; i < n; i++) a += i; }";
    assert!(workload_paths::workload_paths(js_only, 1_000, &tokio).is_empty());
}
