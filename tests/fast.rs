//! V8 fast calls: both paths run, and they agree on values, errors, edge
//! values and state. A caller is optimized with `%OptimizeFunctionOnNextCall`
//! (the test binary sets `--allow-natives-syntax`), and the runtime's
//! fast-call counter proves which path ran.

use opwire::{JsRuntime, OpError, OpState, RuntimeOptions, op};

use crate::util::eval;

#[op]
pub fn op_fast_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[op(fast)]
pub fn op_fast_u8(v: u8) -> u32 {
    u32::from(v) * 2
}

#[op(fast)]
pub fn op_fast_f(a: f64, b: f32) -> f64 {
    a + f64::from(b)
}

#[op(fast)]
pub fn op_fast_not(v: bool) -> bool {
    !v
}

#[op(fast)]
#[number]
pub fn op_fast_u64(#[number] v: u64) -> u64 {
    v + 1
}

#[op(fast)]
pub fn op_fast_len(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap()
}

#[op(fast)]
pub fn op_fast_sum(b: &[u8]) -> u32 {
    b.iter().map(|x| u32::from(*x)).sum()
}

#[op(fast)]
pub fn op_fast_fill(b: &mut [u8], v: u8) {
    b.fill(v);
}

#[op(fast)]
pub fn op_fast_div(a: f64, b: f64) -> Result<f64, OpError> {
    if b == 0.0 {
        Err(OpError::range_error("division by zero").with_code("EDIV"))
    } else {
        Ok(a / b)
    }
}

#[op(fast)]
pub fn op_fast_count(state: &mut OpState) -> u32 {
    let n = state.borrow_mut::<u32>();
    *n += 1;
    *n
}

#[op(fast)]
pub fn op_fast_panic(v: u32) -> u32 {
    if v == 13 { panic!("unlucky {v}") } else { v }
}

#[op(fast, wrapping)]
pub fn op_wrap_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `a * 100000 + b`: both values in one Number.
#[op(fast, wrapping)]
pub fn op_wrap_small(a: u8, b: i16) -> f64 {
    f64::from(a) * 100_000.0 + f64::from(b)
}

#[op(fast, wrapping)]
pub fn op_wrap_u32(c: u32) -> u32 {
    c
}

#[op(wrapping)]
pub fn op_wrap_opt(a: Option<u8>) -> u32 {
    a.map_or(1000, u32::from)
}

#[op(nofast)]
pub fn op_slow_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

fn rt() -> JsRuntime {
    let rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_fast_add,
            op_fast_u8,
            op_fast_f,
            op_fast_not,
            op_fast_u64,
            op_fast_len,
            op_fast_sum,
            op_fast_fill,
            op_fast_div,
            op_fast_count,
            op_fast_panic,
            op_slow_add,
            op_wrap_add,
            op_wrap_small,
            op_wrap_u32,
            op_wrap_opt,
        ],
        ..Default::default()
    });
    rt.op_state().borrow_mut().put(0u32);
    rt
}

/// Defines `direct_<op>(..)` calling `ops.<op>` with the arity of
/// `warm_args`, and optimizes it.
fn optimized_caller(rt: &mut JsRuntime, op: &str, warm_args: &str) {
    let arity = if warm_args.trim().is_empty() {
        0
    } else {
        warm_args.matches(',').count() + 1
    };
    let params: Vec<String> = (0..arity).map(|i| format!("a{i}")).collect();
    let params = params.join(", ");
    rt.execute_script(
        "opt.js",
        &format!(
            r#"globalThis.direct_{op} = function ({params}) {{ return ops.{op}({params}); }};
               %PrepareFunctionForOptimization(direct_{op});
               direct_{op}({warm_args}); direct_{op}({warm_args});
               %OptimizeFunctionOnNextCall(direct_{op});
               direct_{op}({warm_args});"#
        ),
    )
    .unwrap();
}

/// Runs `args` through the slow path and the fast path and returns both
/// outcomes (value or `Name: message`), with how many fast calls ran.
fn both_paths(rt: &mut JsRuntime, op: &str, args: &str) -> (String, String, u64) {
    let describe = |rt: &mut JsRuntime, f: &str| -> String {
        eval(
            rt,
            &format!(
                r#"(() => {{ try {{ const v = {f}({args}); return typeof v + " " + (Object.is(v, -0) ? "-0" : String(v)); }}
                    catch (e) {{ return e.name + ": " + e.message + (e.code ? " [" + e.code + "]" : ""); }} }})()"#
            ),
        )
    };
    let slow = describe(rt, &format!("ops.{op}"));
    let before = opwire::__private::fast_calls();
    let fast = describe(rt, &format!("direct_{op}"));
    (slow, fast, opwire::__private::fast_calls() - before)
}

#[test]
fn eligible_ops_get_a_fast_path_and_nofast_ones_do_not() {
    assert!(op_fast_add::DECL.is_fast(), "fast by default");
    assert!(!op_slow_add::DECL.is_fast());
    assert!(crate::async_ops::op_sleep::DECL.is_fast(), "async too");
    assert!(
        !crate::async_ops::op_tagged::DECL.is_fast(),
        "a String output has no fast form"
    );
    assert!(
        !crate::ops::op_echo_string::DECL.is_fast(),
        "String arguments have no fast form"
    );
}

#[test]
fn fast_and_slow_paths_agree_on_values_and_errors() {
    let mut rt = rt();
    // (op, warm-up args, args V8 passes to the fast path, args it refuses
    // and hands to the slow path). Integers cross as exact `Int64`s: V8
    // hands fractions, NaN and infinities to the slow path (which applies
    // `[EnforceRange]`), and passes integers beyond the Rust type's range to
    // the fast path, which refuses them with the slow path's error.
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "op_fast_add",
            "1, 2",
            &["2147483647, 1", "-5, 3", "-0, 0", "2147483648, 0"],
            &["1.5, 1", "-2147483648.9, 0", "NaN, 1", "1, Infinity"],
        ),
        (
            "op_fast_u8",
            "3",
            &["255", "256", "65536", "-1"],
            &["0.5", "255.9", "NaN"],
        ),
        (
            "op_fast_f",
            "1.5, 2",
            &["NaN, 0", "-0, -0", "1e308, 1e308", "0.1, 0.1"],
            &[],
        ),
        (
            "op_fast_u64",
            "1",
            &[
                "9007199254740990",
                "9007199254740991",
                "9007199254740992",
                "-1",
            ],
            &["1.5", "NaN"],
        ),
        ("op_fast_div", "1, 4", &["1, 0", "-1, 0.5"], &[]),
        ("op_fast_panic", "1", &["13", "14"], &[]),
    ];
    for (op, warm, fast_args, refused) in cases {
        optimized_caller(&mut rt, op, warm);
        for a in *fast_args {
            let (slow, fast, fast_calls) = both_paths(&mut rt, op, a);
            assert_eq!(slow, fast, "{op}({a}): slow and fast disagree");
            assert_eq!(fast_calls, 1, "{op}({a}) ran on the fast path");
        }
        for a in *refused {
            let (slow, fast, fast_calls) = both_paths(&mut rt, op, a);
            assert_eq!(slow, fast, "{op}({a}): slow and fast disagree");
            assert_eq!(
                fast_calls, 0,
                "{op}({a}): V8 sends values it refuses to the slow path"
            );
        }
    }
    // Sequential one-byte strings (literals) take the fast path, including
    // non-ASCII Latin-1 ones that must be transcoded, short and long.
    optimized_caller(&mut rt, "op_fast_len", "'abc'");
    let long_latin1 = format!("'{}'", "ÿ".repeat(600));
    let long_ascii = format!("'{}'", "x".repeat(100_000));
    for a in ["''", "'héllo'", long_latin1.as_str(), long_ascii.as_str()] {
        let (slow, fast, fast_calls) = both_paths(&mut rt, "op_fast_len", a);
        assert_eq!(slow, fast, "op_fast_len: slow and fast disagree");
        assert_eq!(fast_calls, 1, "op_fast_len ran on the fast path");
    }
    assert_eq!(
        both_paths(&mut rt, "op_fast_len", &long_latin1).1,
        "number 1200"
    );
    // Spot-check the outcomes themselves.
    assert_eq!(both_paths(&mut rt, "op_fast_add", "1.5, 1").1, "number 2");
    assert_eq!(
        both_paths(&mut rt, "op_fast_add", "NaN, 1").1,
        "TypeError: op_fast_add: argument 'a' (#1) expected i32, got number NaN (not a finite number)"
    );
    assert_eq!(
        both_paths(&mut rt, "op_fast_u8", "-1").1,
        "TypeError: op_fast_u8: argument 'v' (#1) expected u8, got number -1 (out of range)"
    );
    assert_eq!(
        both_paths(&mut rt, "op_fast_u8", "256").1,
        "TypeError: op_fast_u8: argument 'v' (#1) expected u8, got number 256 (out of range)"
    );
    assert_eq!(
        both_paths(&mut rt, "op_fast_div", "1, 0").1,
        "RangeError: division by zero [EDIV]"
    );
    assert_eq!(
        both_paths(&mut rt, "op_fast_panic", "13").1,
        "Error: op_fast_panic panicked: unlucky 13"
    );
    assert_eq!(
        both_paths(&mut rt, "op_fast_u64", "9007199254740992").1,
        "TypeError: op_fast_u64: argument 'v' (#1) expected u64, got number 9007199254740992 (not a safe integer)"
    );
    assert_eq!(both_paths(&mut rt, "op_fast_len", "'héllo'").1, "number 6");
    assert_eq!(both_paths(&mut rt, "op_fast_f", "-0, -0").1, "number -0");
}

#[test]
fn values_of_the_wrong_type_take_the_slow_path_and_fail_the_same_way() {
    let mut rt = rt();
    optimized_caller(&mut rt, "op_fast_add", "1, 2");
    for a in ["'1', 2", "1n, 2", "null, 1", "{}, 1"] {
        let (slow, fast, _) = both_paths(&mut rt, "op_fast_add", a);
        assert_eq!(slow, fast, "op_fast_add({a})");
        assert!(
            fast.starts_with("TypeError: op_fast_add: argument 'a' (#1) expected i32, got "),
            "{fast}"
        );
    }
    optimized_caller(&mut rt, "op_fast_not", "true");
    for a in ["true", "false", "1", "'x'", "null"] {
        let (slow, fast, _) = both_paths(&mut rt, "op_fast_not", a);
        assert_eq!(slow, fast, "op_fast_not({a})");
    }
    assert_eq!(
        both_paths(&mut rt, "op_fast_not", "1").1,
        "TypeError: op_fast_not: argument 'v' (#1) expected boolean, got number 1"
    );
    optimized_caller(&mut rt, "op_fast_len", "'a'");
    let (slow, fast, _) = both_paths(&mut rt, "op_fast_len", "'日本'");
    assert_eq!(
        (slow.as_str(), fast.as_str()),
        ("number 6", "number 6"),
        "two-byte strings go the slow way"
    );
}

#[test]
fn fast_buffers_and_state() {
    let mut rt = rt();
    optimized_caller(&mut rt, "op_fast_sum", "new Uint8Array([1])");
    for a in [
        "new Uint8Array([1, 2, 3])",
        "new Uint8Array(8).buffer",
        "new Uint16Array([257])",
        "[1]",
        "new SharedArrayBuffer(2)",
        // Detached: the buffer itself is refused, a view of it is empty (as
        // JS sees it), on both paths.
        "(() => { const b = new ArrayBuffer(8); b.transfer(); return b; })()",
        "(() => { const v = new Uint8Array(100); v.buffer.transfer(); return v; })()",
        "(() => { const v = new Uint8Array(8); v.buffer.transfer(); return v; })()",
    ] {
        let (slow, fast, _) = both_paths(&mut rt, "op_fast_sum", a);
        assert_eq!(slow, fast, "op_fast_sum({a})");
    }
    optimized_caller(&mut rt, "op_fast_fill", "new Uint8Array(1), 0");
    let filled: String = eval(
        &mut rt,
        "const u = new Uint8Array(4); direct_op_fast_fill(u.subarray(1, 3), 9); u.join()",
    );
    assert_eq!(filled, "0,9,9,0");
    optimized_caller(&mut rt, "op_fast_count", "");
    let before = opwire::__private::fast_calls();
    let n: u32 = eval(
        &mut rt,
        "for (let i = 0; i < 10; i++) direct_op_fast_count(); ops.op_fast_count()",
    );
    assert_eq!(
        opwire::__private::fast_calls() - before,
        10,
        "each optimized call takes the fast path; the top-level call the slow one"
    );
    assert_eq!(n, *rt.op_state().borrow().borrow::<u32>());
}

/// `#[op(wrapping)]`: integers wrap as WebIDL says without `[EnforceRange]`
/// (deno_core's rule) on both paths, and the fast path takes every Number.
#[test]
fn wrapping_ops_wrap_on_both_paths() {
    let mut rt = rt();
    optimized_caller(&mut rt, "op_wrap_add", "1, 2");
    for (args, want) in [
        ("1, 2", "number 3"),
        ("2147483647, 1", "number -2147483648"),
        ("4294967297, 0", "number 1"),
        ("NaN, 5", "number 5"),
        ("Infinity, -Infinity", "number 0"),
        ("1.9, -1.9", "number 0"),
        ("-0, 0", "number 0"),
    ] {
        let (slow, fast, fast_calls) = both_paths(&mut rt, "op_wrap_add", args);
        assert_eq!(slow, want, "slow op_wrap_add({args})");
        assert_eq!(fast, want, "fast op_wrap_add({args})");
        assert_eq!(fast_calls, 1, "op_wrap_add({args}) ran on the fast path");
    }
    // Values that are not Numbers are still refused, on both paths.
    let (slow, fast, _) = both_paths(&mut rt, "op_wrap_add", "'1', 2");
    assert_eq!(
        slow,
        "TypeError: op_wrap_add: argument 'a' (#1) expected i32, got string"
    );
    assert_eq!(fast, slow);

    optimized_caller(&mut rt, "op_wrap_small", "1, 2");
    optimized_caller(&mut rt, "op_wrap_u32", "3");
    for (op, args, want) in [
        ("op_wrap_small", "257, 40000", "number 74464"),
        ("op_wrap_small", "-1, -32769", "number 25532767"),
        ("op_wrap_small", "NaN, 1e10", "number -7168"),
        ("op_wrap_u32", "-1", "number 4294967295"),
        ("op_wrap_u32", "4294967296.5", "number 0"),
        ("op_wrap_u32", "1e300", "number 0"),
    ] {
        let (slow, fast, fast_calls) = both_paths(&mut rt, op, args);
        assert_eq!(slow, want, "slow {op}({args})");
        assert_eq!(fast, want, "fast {op}({args})");
        assert_eq!(fast_calls, 1, "{op}({args}) ran on the fast path");
    }
    let n: u32 = eval(&mut rt, "ops.op_wrap_opt(undefined) + ops.op_wrap_opt(258)");
    assert_eq!(n, 1002);
}
