//! The fast path of async ops: the JS wrapper of an op is optimized (so its
//! call to the op becomes a V8 fast call, proven by the fast-call counter)
//! and every outcome matches a cold runtime's (slow path): values ready at
//! once or later, lazy and blocking ops, errors ready at once, conversion
//! errors of the output, panics, refused arguments, state.

use std::cell::RefCell;
use std::rc::Rc;

use opwire::{JsRuntime, OpDecl, OpError, OpState, RuntimeOptions, op};

use crate::util::{eval, tokio_rt};

#[op]
pub async fn op_fa_ready(x: u32) -> u32 {
    x + 1
}

#[op]
pub async fn op_fa_later(x: f64) -> f64 {
    tokio::task::yield_now().await;
    x * 2.0
}

#[op(async(lazy))]
pub async fn op_fa_lazy(x: i32) -> i32 {
    x - 1
}

#[op(blocking)]
pub fn op_fa_blocking(x: u32) -> bool {
    x % 2 == 0
}

#[op]
pub async fn op_fa_fail(x: u32) -> Result<u32, OpError> {
    if x == 1 {
        Err(OpError::range_error("one is not allowed").with_code("EONE"))
    } else {
        Ok(x)
    }
}

#[op]
#[number]
pub async fn op_fa_double(#[number] v: u64) -> u64 {
    v * 2
}

#[op]
pub async fn op_fa_panic(x: u32) -> u32 {
    if x == 13 { panic!("unlucky {x}") } else { x }
}

#[op]
pub async fn op_fa_count(state: Rc<RefCell<OpState>>) {
    *state.borrow_mut().borrow_mut::<u32>() += 1;
}

/// A runtime with one op: each runtime's op wrappers have their own
/// feedback, so the wrapper's call to the op is monomorphic.
fn runtime(decl: OpDecl) -> JsRuntime {
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: vec![decl],
        ..Default::default()
    });
    rt.op_state().borrow_mut().put(0u32);
    rt.execute_script(
        "harness.js",
        r#"globalThis.call = function (f, args) {
             try {
               return f(...args).then(
                 (v) => "ok " + typeof v + " " + v,
                 (e) => "rejected " + e.name + ": " + e.message + (e.code ? " [" + e.code + "]" : ""));
             } catch (e) {
               return Promise.resolve("threw " + e.name + ": " + e.message);
             }
           };"#,
    )
    .unwrap();
    rt
}

/// Optimizes the wrapper of `op` after warming it up with `warm`.
fn optimize(rt: &mut JsRuntime, op: &str, warm: &str) {
    let src = format!(
        r#"(async () => {{
             const f = ops.{op};
             %PrepareFunctionForOptimization(f);
             await f({warm}); await f({warm});
             %OptimizeFunctionOnNextCall(f);
             await f({warm});
           }})()"#
    );
    tokio_rt().block_on(async {
        let p = rt.execute_script("opt.js", &src).unwrap();
        rt.resolve(p).await.unwrap();
    });
}

/// The outcome of `ops.<op>(<args>)`, with how many fast calls it made.
fn outcome(rt: &mut JsRuntime, op: &str, args: &str) -> (String, u64) {
    let before = opwire::__private::fast_calls();
    let p = rt
        .execute_script("call.js", &format!("call(ops.{op}, [{args}])"))
        .unwrap();
    let calls = opwire::__private::fast_calls() - before;
    let value = tokio_rt().block_on(async {
        let v = rt.resolve(p).await.unwrap();
        rt.from_global::<String>(&v).unwrap()
    });
    (value, calls)
}

/// An op, its name, warm-up args, args for the fast path, args the fast
/// path refuses.
type Case = (
    OpDecl,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

#[test]
fn async_ops_fast_and_slow_paths_agree() {
    // (op, warm-up args, args V8 passes to the fast path, args it hands to
    // the slow path, expected outcomes of the fast-path args).
    let cases: &[Case] = &[
        (
            op_fa_ready::DECL,
            "op_fa_ready",
            "1",
            &["41", "0", "4294967294", "-1"],
            &["NaN", "'x'"],
        ),
        (
            op_fa_later::DECL,
            "op_fa_later",
            "1",
            &["1.25", "-0", "NaN"],
            &["'x'"],
        ),
        (
            op_fa_lazy::DECL,
            "op_fa_lazy",
            "1",
            &["-2147483648", "7", "2147483648"],
            &["NaN"],
        ),
        (
            op_fa_blocking::DECL,
            "op_fa_blocking",
            "1",
            &["2", "3"],
            &[],
        ),
        (op_fa_fail::DECL, "op_fa_fail", "2", &["1", "3"], &[]),
        (
            op_fa_double::DECL,
            "op_fa_double",
            "1",
            &["21", "9007199254740991"],
            &[],
        ),
        (op_fa_panic::DECL, "op_fa_panic", "1", &["13", "14"], &[]),
    ];
    for (decl, op, warm, fast_args, refused) in cases {
        // One runtime at a time: a thread uses the isolate it entered last.
        let mut cold = runtime(*decl);
        let slow: Vec<_> = fast_args
            .iter()
            .chain(refused.iter())
            .map(|a| outcome(&mut cold, op, a))
            .collect();
        drop(cold);
        let mut hot = runtime(*decl);
        optimize(&mut hot, op, warm);
        for (i, a) in fast_args.iter().chain(refused.iter()).enumerate() {
            let (fast, fast_calls) = outcome(&mut hot, op, a);
            let (slow, slow_calls) = &slow[i];
            assert_eq!(*slow_calls, 0, "{op}({a}) cold");
            assert_eq!(&fast, slow, "{op}({a})");
            if i < fast_args.len() {
                assert_eq!(fast_calls, 1, "{op}({a}) took the fast path");
            } else {
                assert_eq!(fast_calls, 0, "{op}({a}) is refused by the fast path");
                assert!(slow.starts_with("threw TypeError: "), "{op}({a}): {slow}");
            }
        }
    }
}

#[test]
fn async_fast_path_outcomes() {
    let mut rt = runtime(op_fa_fail::DECL);
    optimize(&mut rt, "op_fa_fail", "2");
    assert_eq!(
        outcome(&mut rt, "op_fa_fail", "1"),
        (
            "rejected RangeError: one is not allowed [EONE]".to_owned(),
            1
        )
    );
    let mut rt = runtime(op_fa_double::DECL);
    optimize(&mut rt, "op_fa_double", "1");
    assert_eq!(
        outcome(&mut rt, "op_fa_double", "9007199254740991").0,
        "rejected RangeError: op_fa_double: return value: expected a safe integer (at most 2^53 - 1 in size), got u64 18014398509481982 (use #[bigint] for the full range)"
    );
    let mut rt = runtime(op_fa_panic::DECL);
    optimize(&mut rt, "op_fa_panic", "1");
    let (panicked, calls) = outcome(&mut rt, "op_fa_panic", "13");
    assert_eq!(calls, 1);
    assert!(
        panicked.starts_with("threw Error: op_fa_panic panicked: unlucky 13"),
        "{panicked}"
    );
    assert_eq!(outcome(&mut rt, "op_fa_panic", "14").0, "ok number 14");
    let mut rt = runtime(op_fa_ready::DECL);
    optimize(&mut rt, "op_fa_ready", "1");
    assert_eq!(
        outcome(&mut rt, "op_fa_ready", "41"),
        ("ok number 42".to_owned(), 1)
    );
    assert_eq!(rt.pending_ops(), 0);
    assert_eq!(rt.pending_op_promises(), 0);
}

#[test]
fn async_fast_path_state_and_many_in_flight() {
    let mut rt = runtime(op_fa_count::DECL);
    optimize(&mut rt, "op_fa_count", "");
    let before = opwire::__private::fast_calls();
    tokio_rt().block_on(async {
        let p = rt
            .execute_script(
                "many.js",
                "function issue() { const ps = []; for (let i = 0; i < 10000; i++) ps.push(ops.op_fa_count()); return ps; } \
                 %NeverOptimizeFunction(issue); \
                 (async () => (await Promise.all(issue())).length)()",
            )
            .unwrap();
        let v = rt.resolve(p).await.unwrap();
        assert_eq!(rt.from_global::<u32>(&v).unwrap(), 10000);
    });
    // The caller stays unoptimized (an optimized caller may inline the
    // wrapper at a tier without fast calls): every call is a fast call.
    assert_eq!(opwire::__private::fast_calls() - before, 10000);
    assert_eq!(*rt.op_state().borrow().borrow::<u32>(), 10003);
    let mut rt = runtime(op_fa_later::DECL);
    optimize(&mut rt, "op_fa_later", "1");
    let before = opwire::__private::fast_calls();
    tokio_rt().block_on(async {
        let p = rt
            .execute_script(
                "many.js",
                "function issue() { const ps = []; for (let i = 0; i < 10000; i++) ps.push(ops.op_fa_later(i)); return ps; } \
                 %NeverOptimizeFunction(issue); \
                 (async () => { let s = 0; for (const v of await Promise.all(issue())) s += v; return s; })()",
            )
            .unwrap();
        let v = rt.resolve(p).await.unwrap();
        assert_eq!(rt.from_global::<f64>(&v).unwrap(), 99_990_000.0);
    });
    assert_eq!(opwire::__private::fast_calls() - before, 10000);
    assert_eq!(rt.pending_ops(), 0);
    assert_eq!(eval::<u32>(&mut rt, "1"), 1);
}

/// Every op's wrapper has its own feedback, so ops of the same arity do not
/// make each other's call sites polymorphic (which would rule out fast calls).
#[test]
fn async_ops_of_the_same_arity_each_get_fast_calls() {
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: vec![op_fa_ready::DECL, op_fa_panic::DECL, op_fa_fail::DECL],
        ..Default::default()
    });
    optimize(&mut rt, "op_fa_ready", "1");
    optimize(&mut rt, "op_fa_panic", "1");
    optimize(&mut rt, "op_fa_fail", "2");
    for (op, expected) in [
        ("op_fa_ready", "ok number 6"),
        ("op_fa_panic", "ok number 5"),
        ("op_fa_fail", "ok number 5"),
    ] {
        rt.execute_script(
            "harness.js",
            "globalThis.call = (f, a) => f(...a).then((v) => 'ok ' + typeof v + ' ' + v);",
        )
        .unwrap();
        assert_eq!(outcome(&mut rt, op, "5"), (expected.to_owned(), 1), "{op}");
    }
    assert_eq!(
        eval::<String>(&mut rt, "ops.op_fa_ready.name"),
        "op_fa_ready"
    );
    assert_eq!(eval::<u32>(&mut rt, "ops.op_fa_ready.length"), 1);
}
