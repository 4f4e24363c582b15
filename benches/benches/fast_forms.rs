//! What each V8 Fast API signature costs in the shared `sync_add` loop.
//!
//! For each form, a fresh runtime loads `sync_add.js` and its
//! `OPS.op_bench_add` is replaced by a raw rusty_v8 function with that fast
//! signature (no framework code in the call); the last row is opwire's own
//! `op_bench_add`. This is how `BENCHMARKS.md` ("Fast calls without
//! options") tells what V8 costs from what opwire adds:
//!
//! ```text
//! cargo bench -p opwire-benches --bench fast_forms -- [workloads dir]
//! ```
//!
//! Prints `<form> <n> <median ns/call> <min ns/call>`; `RUNS` sets the
//! number of timed runs (default 5).

use opwire::v8;
use opwire::v8::fast_api::{CFunction, CFunctionInfo, CTypeInfo, Flags, Int64Representation, Type};

/// The slow path every form shares (the loop is optimized before timing,
/// so it only runs while warming up).
fn slow_add(
    scope: &mut v8::PinScope<'_, '_>,
    args: v8::FunctionCallbackArguments<'_>,
    mut rv: v8::ReturnValue<'_, v8::Value>,
) {
    let a = args.get(0).int32_value(scope).unwrap_or(0);
    let b = args.get(1).int32_value(scope).unwrap_or(0);
    rv.set_int32(a.wrapping_add(b));
}

fn add_i32(_: v8::Local<'_, v8::Object>, a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

fn add_i32_opts(
    _: v8::Local<'_, v8::Object>,
    a: i32,
    b: i32,
    _: *mut v8::fast_api::FastApiCallbackOptions<'_>,
) -> i32 {
    a.wrapping_add(b)
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "V8 passes small integers here"
)]
fn add_i64(_: v8::Local<'_, v8::Object>, a: i64, b: i64) -> i32 {
    (a as i32).wrapping_add(b as i32)
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "V8 passes small integers here"
)]
fn add_i64_opts(
    _: v8::Local<'_, v8::Object>,
    a: i64,
    b: i64,
    _: *mut v8::fast_api::FastApiCallbackOptions<'_>,
) -> i32 {
    (a as i32).wrapping_add(b as i32)
}

const RECV: CTypeInfo = Type::V8Value.as_info();
const ENFORCE_I32: CTypeInfo = CTypeInfo::new(Type::Int32, Flags::EnforceRange);
const OPTS: CTypeInfo = Type::CallbackOptions.as_info();
const I32: CTypeInfo = Type::Int32.as_info();
const I64: CTypeInfo = Type::Int64.as_info();

/// (row, fast function) for every raw form.
const FORMS: &[(&str, CFunction)] = &[
    (
        "int32 (deno_core's form, truncating)",
        CFunction::new(
            add_i32 as _,
            &CFunctionInfo::new(I32, &[RECV, I32, I32], Int64Representation::Number),
        ),
    ),
    (
        "int32 [EnforceRange]",
        CFunction::new(
            add_i32 as _,
            &CFunctionInfo::new(
                I32,
                &[RECV, ENFORCE_I32, ENFORCE_I32],
                Int64Representation::Number,
            ),
        ),
    ),
    (
        "int32 + options",
        CFunction::new(
            add_i32_opts as _,
            &CFunctionInfo::new(I32, &[RECV, I32, I32, OPTS], Int64Representation::Number),
        ),
    ),
    (
        "int64",
        CFunction::new(
            add_i64 as _,
            &CFunctionInfo::new(I32, &[RECV, I64, I64], Int64Representation::Number),
        ),
    ),
    (
        "int64 + options",
        CFunction::new(
            add_i64_opts as _,
            &CFunctionInfo::new(I32, &[RECV, I64, I64, OPTS], Int64Representation::Number),
        ),
    ),
];

/// Replaces `OPS.op_bench_add` with a raw function whose fast path is `fast`.
fn install(rt: &mut opwire::JsRuntime, fast: &'static CFunction) {
    rt.with_scope(|scope| {
        let function = v8::FunctionTemplate::builder(slow_add)
            .build_fast(scope, std::slice::from_ref(fast))
            .get_function(scope)
            .expect("function");
        let global = scope.get_current_context().global(scope);
        let key = v8::String::new(scope, "OPS").expect("key");
        let ops = global
            .get(scope, key.into())
            .and_then(|o| o.to_object(scope))
            .expect("OPS");
        let key = v8::String::new(scope, "op_bench_add").expect("key");
        ops.set(scope, key.into(), function.into());
    });
}

fn main() {
    let (dir, _, runs) = opwire_benches::workload_args();
    let path = dir.join("sync_add.js");
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let tokio = opwire_benches::current_thread_tokio();
    let _guard = tokio.enter();
    let n = 10_000_000;
    let rows = FORMS
        .iter()
        .map(|(name, fast)| (*name, Some(fast)))
        .chain([("opwire op_bench_add (strict)", None)]);
    for (name, fast) in rows {
        // A fresh runtime per form: the workload's call site sees one target.
        let mut rt = opwire_benches::workload_runtime(&source);
        if let Some(fast) = fast {
            install(&mut rt, fast);
        }
        opwire_benches::time_once(&mut rt, &tokio, n / 10);
        let (median, min) =
            opwire_benches::median_min(runs, || opwire_benches::time_once(&mut rt, &tokio, n));
        println!("{name}: {n} {median:.2} {min:.2}");
    }
}
