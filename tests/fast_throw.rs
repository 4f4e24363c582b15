//! Most sync ops' fast functions take no V8 options, so a failing one
//! throws into the isolate the runtime marked running. These tests fail
//! the fast path where that mark matters: with a second runtime alive on
//! the thread (V8's own "current isolate" is then the other one), inside a
//! runtime an op drives from another runtime's JS, and in a microtask.
//! `e instanceof TypeError` proves the error was made in the caller's own
//! context.

use opwire::{JsRuntime, RuntimeOptions, op};

use crate::util::eval;

#[op(fast)]
pub fn op_ft_u8(v: u8) -> u32 {
    u32::from(v)
}

#[op(fast)]
pub fn op_ft_panic(v: u32) -> u32 {
    if v == 13 { panic!("unlucky {v}") } else { v }
}

/// Creates a second runtime, fails its fast path, and returns what its JS
/// caught (the second runtime is gone when this returns).
#[op]
pub fn op_ft_nested() -> String {
    let mut inner = rt();
    fail_fast(&mut inner, "op_ft_u8", "300")
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_ft_u8, op_ft_panic, op_ft_nested],
        ..Default::default()
    })
}

/// JS that defines `fast_<op>` calling `ops.<op>(v)`, optimized.
fn optimized(op: &str) -> String {
    format!(
        r#"globalThis.fast_{op} = function (v) {{ return ops.{op}(v); }};
           %PrepareFunctionForOptimization(fast_{op});
           fast_{op}(1); fast_{op}(1);
           %OptimizeFunctionOnNextCall(fast_{op});
           fast_{op}(1);"#
    )
}

/// JS that calls `fast_<op>(arg)` and describes what it threw.
fn caught(op: &str, arg: &str) -> String {
    format!(
        r#"(() => {{ try {{ return "returned " + fast_{op}({arg}); }}
            catch (e) {{ return (e instanceof Error) + " " + e.name + ": " + e.message; }} }})()"#
    )
}

/// Optimizes a caller of `op` in `rt`, calls it with `arg` and returns what
/// JS caught; asserts that the call took the fast path.
fn fail_fast(rt: &mut JsRuntime, op: &str, arg: &str) -> String {
    rt.execute_script("opt.js", &optimized(op)).unwrap();
    let before = opwire::__private::fast_calls();
    let message: String = eval(rt, &caught(op, arg));
    assert!(
        opwire::__private::fast_calls() > before,
        "{op}({arg}) ran on the fast path"
    );
    message
}

const U8_ERROR: &str =
    "true TypeError: op_ft_u8: argument 'v' (#1) expected u8, got number 300 (out of range)";

#[test]
fn a_fast_error_reaches_the_runtime_that_called_with_another_alive() {
    let mut first = rt();
    // Created last, so V8's current isolate for this thread.
    let mut second = rt();
    assert_eq!(fail_fast(&mut first, "op_ft_u8", "300"), U8_ERROR);
    assert_eq!(
        fail_fast(&mut first, "op_ft_panic", "13"),
        "true Error: op_ft_panic panicked: unlucky 13"
    );
    assert_eq!(
        fail_fast(&mut second, "op_ft_u8", "256"),
        U8_ERROR.replace("300", "256")
    );
    // Neither runtime was left with an exception of the other's.
    let n: u32 = eval(&mut first, "ops.op_ft_u8(7)");
    assert_eq!(n, 7);
    let n: u32 = eval(&mut second, "ops.op_ft_u8(8)");
    assert_eq!(n, 8);
}

#[test]
fn a_fast_error_in_a_nested_runtime_stays_there_and_the_outer_one_works_after() {
    let mut outer = rt();
    let inner: String = eval(&mut outer, "ops.op_ft_nested()");
    assert_eq!(inner, U8_ERROR);
    // Back in the outer runtime, its own fast failures still throw here.
    assert_eq!(fail_fast(&mut outer, "op_ft_u8", "300"), U8_ERROR);
}

#[test]
fn a_fast_error_in_a_microtask_is_thrown_in_that_microtask() {
    let mut rt = rt();
    rt.execute_script("opt.js", &optimized("op_ft_u8")).unwrap();
    let before = opwire::__private::fast_calls();
    rt.execute_script(
        "micro.js",
        &format!(
            "Promise.resolve().then(() => {{ globalThis.seen = {}; }});",
            caught("op_ft_u8", "300")
        ),
    )
    .unwrap();
    assert!(
        opwire::__private::fast_calls() > before,
        "the microtask ran the fast path"
    );
    let seen: String = eval(&mut rt, "globalThis.seen");
    assert_eq!(seen, U8_ERROR);
}
