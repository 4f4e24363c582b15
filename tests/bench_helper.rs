//! `opwire-bench`: the report's rows, fast-path detection and its warning,
//! and compare mode. Small iteration counts: these check what the bench
//! reports, not how fast anything is.

use opwire::op;
use opwire_bench::{Bench, BenchError, Mode};

#[op]
fn op_bh_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[op(nofast)]
fn op_bh_add_nofast(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[op]
fn op_bh_len(#[string] s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

#[op]
async fn op_bh_tick() -> u32 {
    1
}

fn small(name: &str) -> Bench {
    Bench::new(name)
        .ops(opwire::ops![op_bh_add, op_bh_add_nofast, op_bh_len, op_bh_tick])
        .setup("globalThis.S = 'hello'; globalThis.W = 'h\u{e9}llo \u{20ac}'; globalThis.jsAdd = (a, b) => (a + b) | 0;")
        .iterations(2_000)
        .samples(3)
        .warmup(200)
}

#[test]
fn the_report_has_a_row_per_op_with_its_paths() {
    let report = small("rows")
        .sync("op_bh_add", "ops.op_bh_add(i, 1)")
        .sync("op_bh_add_nofast", "ops.op_bh_add_nofast(i, 1)")
        .sync("op_bh_len", "ops.op_bh_len(S)")
        .async_seq("op_bh_tick", "ops.op_bh_tick()")
        .async_batch("op_bh_tick/batch", "ops.op_bh_tick()", 100)
        .run()
        .unwrap();
    let names: Vec<&str> = report.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "op_bh_add",
            "op_bh_add_nofast",
            "op_bh_len",
            "op_bh_tick",
            "op_bh_tick/batch"
        ]
    );
    let table = report.to_string();
    for name in &names {
        assert!(
            table
                .lines()
                .any(|l| l.starts_with(name) && l.contains("ns/call")),
            "no row for {name}:\n{table}"
        );
    }
    let timed_calls = 2_000 * 3;
    for case in &report.cases {
        let op = case.name.split('/').next().unwrap();
        assert_eq!(case.optimized_calls.len(), 1, "{case:?}");
        let calls = &case.optimized_calls[0];
        assert_eq!(calls.op, op);
        assert_eq!(calls.fast + calls.slow, timed_calls, "{case:?}");
        assert_eq!(case.cold_calls[0].fast, 0, "cold loops are never optimized");
        assert!(case.optimized_ns >= 0.0 && case.cold_ns >= 0.0);
    }
    // An op with a fast path takes it once the loop is optimized...
    let add = report.case("op_bh_add").unwrap();
    assert!(add.optimized_calls[0].fast_eligible);
    assert!(add.optimized_calls[0].fast > 0, "{add:?}");
    assert!(report.case("op_bh_len").unwrap().optimized_calls[0].fast > 0);
    // ... async ops too, and each call started an async op.
    for name in ["op_bh_tick", "op_bh_tick/batch"] {
        let tick = &report.case(name).unwrap().optimized_calls[0];
        assert_eq!(tick.async_started, timed_calls);
        assert!(tick.fast > 0, "{tick:?}");
    }
    assert_eq!(
        report.case("op_bh_tick/batch").unwrap().mode,
        Mode::AsyncBatch(100)
    );
    // An op without one never does, and that is no cause for a warning.
    let nofast = &report.case("op_bh_add_nofast").unwrap().optimized_calls[0];
    assert!(!nofast.fast_eligible);
    assert_eq!((nofast.fast, nofast.fast_share()), (0, 0.0));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(table.contains("op_bh_add fast 100%"), "{table}");
    assert!(
        table.contains("op_bh_add_nofast fast 0% (no fast path)"),
        "{table}"
    );
}

#[test]
fn a_fast_op_that_makes_no_fast_calls_is_named_in_a_warning() {
    // A two-byte string is not for the one-byte fast path: every call
    // falls back to the regular callback.
    let report = small("warning")
        .sync("wide", "ops.op_bh_len(W)")
        .sync("narrow", "ops.op_bh_len(S)")
        .run()
        .unwrap();
    let wide = &report.case("wide").unwrap().optimized_calls[0];
    assert_eq!(wide.fast, 0, "{wide:?}");
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let warning = &report.warnings[0];
    assert!(
        warning.contains("op_bh_len") && warning.contains("`wide`"),
        "{warning}"
    );
    assert!(report.to_string().contains(warning.as_str()));
}

#[test]
fn compare_gives_the_ratio_of_two_cases() {
    let bench = small("compare")
        .sync("fast", "ops.op_bh_add(i, 1)")
        .sync("slow", "ops.op_bh_add_nofast(i, 1)")
        .sync("js", "jsAdd(i, 1)");
    let cmp = bench.compare("slow", "fast").unwrap();
    assert!(cmp.a_ns > 0.0 && cmp.b_ns > 0.0, "{cmp:?}");
    assert!((cmp.ratio - cmp.a_ns / cmp.b_ns).abs() < 1e-9, "{cmp:?}");
    assert!(cmp.to_string().starts_with("slow "), "{cmp}");
    assert!(cmp.to_string().ends_with('x'), "{cmp}");
    // An op against plain JS doing the same work.
    let js = bench.compare("fast", "js").unwrap();
    assert_eq!((js.a.as_str(), js.b.as_str()), ("fast", "js"));
    assert!(matches!(
        bench.compare("fast", "nope"),
        Err(BenchError::UnknownCase(name)) if name == "nope"
    ));
}

#[test]
fn a_throwing_case_is_an_error() {
    let err = small("throws")
        .sync("bad", "ops.op_bh_add(i, 'x')")
        .run()
        .unwrap_err();
    assert!(matches!(err, BenchError::Js(_)), "{err}");
    assert!(err.to_string().contains("op_bh_add"), "{err}");
}

#[test]
fn flags_are_refused_once_v8_runs_and_init_stays_harmless() {
    drop(opwire::JsRuntime::new(opwire::RuntimeOptions::default()));
    assert!(opwire::v8_initialized());
    assert!(!opwire::try_set_v8_flags("--allow-natives-syntax"));
    // The test binary set the flag before main, so the bench still works.
    opwire_bench::init();
    let report = small("after init").sync("add", "ops.op_bh_add(i, 1)").run();
    assert_eq!(report.unwrap().cases.len(), 1);
}
