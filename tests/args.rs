//! Argument and return conversion of numbers, booleans, 64-bit integers,
//! `Option` and `v8::Local`, with edge values, both ways.

use crate::util::{error_of, eval, runtime};

#[test]
fn i32_edges_round_trip() {
    let mut rt = runtime();
    assert_eq!(
        eval::<i32>(&mut rt, "ops.op_echo_i32(2147483647)"),
        i32::MAX
    );
    assert_eq!(
        eval::<i32>(&mut rt, "ops.op_echo_i32(-2147483648)"),
        i32::MIN
    );
    assert_eq!(eval::<i32>(&mut rt, "ops.op_echo_i32(7.0)"), 7);
    // -0 is accepted as 0 and comes back as +0.
    assert!(eval::<bool>(&mut rt, "Object.is(ops.op_echo_i32(-0), 0)"));
    assert_eq!(
        eval::<i32>(&mut rt, "ops.op_add(2147483647, 1)"),
        i32::MIN,
        "wrapping add in the op"
    );
}

#[test]
fn integer_rules_reject_nan_infinity_out_of_range_and_other_types() {
    let mut rt = runtime();
    let cases = [
        (
            "ops.op_echo_i32(NaN)",
            "expected i32, got number NaN (not a finite number)",
        ),
        (
            "ops.op_echo_i32(Infinity)",
            "expected i32, got number Infinity (not a finite number)",
        ),
        (
            "ops.op_echo_i32(-Infinity)",
            "expected i32, got number -Infinity (not a finite number)",
        ),
        (
            "ops.op_echo_i32(2147483648)",
            "expected i32, got number 2147483648 (out of range)",
        ),
        (
            "ops.op_echo_i32(-2147483649)",
            "expected i32, got number -2147483649 (out of range)",
        ),
        (
            "ops.op_echo_i32(2147483648.5)",
            "expected i32, got number 2147483648.5 (out of range)",
        ),
        ("ops.op_echo_i32('1')", "expected i32, got string"),
        ("ops.op_echo_i32(1n)", "expected i32, got bigint 1n"),
        ("ops.op_echo_i32(true)", "expected i32, got boolean true"),
        ("ops.op_echo_i32(null)", "expected i32, got null"),
        ("ops.op_echo_i32({})", "expected i32, got object"),
        ("ops.op_echo_i32([])", "expected i32, got array"),
        (
            "ops.op_echo_i8(128)",
            "expected i8, got number 128 (out of range)",
        ),
        (
            "ops.op_echo_i8(-129)",
            "expected i8, got number -129 (out of range)",
        ),
        (
            "ops.op_echo_u8(256)",
            "expected u8, got number 256 (out of range)",
        ),
        (
            "ops.op_echo_u8(-1)",
            "expected u8, got number -1 (out of range)",
        ),
        (
            "ops.op_echo_i16(32768)",
            "expected i16, got number 32768 (out of range)",
        ),
        (
            "ops.op_echo_u16(65536)",
            "expected u16, got number 65536 (out of range)",
        ),
        (
            "ops.op_echo_u32(4294967296)",
            "expected u32, got number 4294967296 (out of range)",
        ),
        (
            "ops.op_echo_u32(-1)",
            "expected u32, got number -1 (out of range)",
        ),
        (
            "ops.op_echo_u32(1e300)",
            "expected u32, got number 1e+300 (out of range)",
        ),
    ];
    for (src, expected) in cases {
        let op = src.trim_start_matches("ops.").split('(').next().unwrap();
        let want = format!("TypeError: {op}: argument 'v' (#1) {expected}");
        assert_eq!(error_of(&mut rt, src), want, "{src}");
    }
}

#[test]
fn integer_fractions_are_dropped_as_webidl_enforce_range_does() {
    let mut rt = runtime();
    assert_eq!(eval::<i32>(&mut rt, "ops.op_echo_i32(1.9)"), 1);
    assert_eq!(eval::<i32>(&mut rt, "ops.op_echo_i32(-1.9)"), -1);
    assert_eq!(eval::<u8>(&mut rt, "ops.op_echo_u8(255.99)"), 255);
    assert!(
        eval::<bool>(&mut rt, "Object.is(ops.op_echo_u32(-0.5), 0)"),
        "-0.5 truncates to -0, which is 0"
    );
    assert_eq!(
        eval::<i32>(&mut rt, "ops.op_echo_i32(2147483647.9)"),
        i32::MAX
    );
}

#[test]
fn small_unsigned_and_signed_bounds() {
    let mut rt = runtime();
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_echo_u32(4294967295)"),
        u32::MAX
    );
    // Above i32::MAX: must come back as a positive Number, not a negative int32.
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_echo_u32(3000000000)"),
        3_000_000_000.0
    );
    assert_eq!(eval::<i8>(&mut rt, "ops.op_echo_i8(-128)"), i8::MIN);
    assert_eq!(eval::<u8>(&mut rt, "ops.op_echo_u8(255)"), u8::MAX);
    assert_eq!(eval::<i16>(&mut rt, "ops.op_echo_i16(-32768)"), i16::MIN);
    assert_eq!(eval::<u16>(&mut rt, "ops.op_echo_u16(65535)"), u16::MAX);
}

#[test]
fn floats_keep_nan_infinity_and_negative_zero() {
    let mut rt = runtime();
    assert!(eval::<bool>(&mut rt, "Number.isNaN(ops.op_echo_f64(NaN))"));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_f64(Infinity) === Infinity"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_f64(-Infinity) === -Infinity"
    ));
    assert!(eval::<bool>(&mut rt, "Object.is(ops.op_echo_f64(-0), -0)"));
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_echo_f64(2**53 + 2)"),
        9_007_199_254_740_994.0
    );
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_echo_f64(Number.MIN_VALUE)"),
        f64::from_bits(1)
    );
    // f32 rounds.
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_echo_f32(0.1)"),
        f64::from(0.1f32)
    );
    assert!(eval::<bool>(&mut rt, "ops.op_echo_f32(1e40) === Infinity"));
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_f64('1')"),
        "TypeError: op_echo_f64: argument 'v' (#1) expected f64, got string"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_f64(undefined)"),
        "TypeError: op_echo_f64: argument 'v' (#1) expected f64, got undefined"
    );
}

#[test]
fn booleans_are_strict() {
    let mut rt = runtime();
    assert!(eval::<bool>(&mut rt, "ops.op_echo_bool(true) === true"));
    assert!(eval::<bool>(&mut rt, "ops.op_echo_bool(false) === false"));
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_bool(1)"),
        "TypeError: op_echo_bool: argument 'v' (#1) expected boolean, got number 1"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_bool(new Boolean(true))"),
        "TypeError: op_echo_bool: argument 'v' (#1) expected boolean, got object"
    );
}

#[test]
fn bigint_mode_covers_the_full_range() {
    let mut rt = runtime();
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_i64_big(2n**63n - 1n) === 2n**63n - 1n"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_i64_big(-(2n**63n)) === -(2n**63n)"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_u64_big(2n**64n - 1n) === 2n**64n - 1n"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "typeof ops.op_echo_i64_big(5) === 'bigint'"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_i64_big(-(2**53 - 1)) === -(2n**53n - 1n)"
    ));
    assert!(eval::<bool>(&mut rt, "ops.op_echo_i64_big(1.5) === 1n"));
    let cases = [
        (
            "ops.op_echo_i64_big(2n**63n)",
            "expected i64, got bigint 9223372036854775808n (out of range)",
        ),
        (
            "ops.op_echo_u64_big(-1n)",
            "expected u64, got bigint -1n (out of range)",
        ),
        (
            "ops.op_echo_u64_big(2n**64n)",
            "expected u64, got bigint (beyond 64 bits) (out of range)",
        ),
        (
            "ops.op_echo_i64_big(2**53)",
            "expected i64, got number 9007199254740992 (not a safe integer)",
        ),
        (
            "ops.op_echo_i64_big(NaN)",
            "expected i64, got number NaN (not a finite number)",
        ),
        (
            "ops.op_echo_i64_big('1')",
            "expected i64 (bigint), got string",
        ),
    ];
    for (src, expected) in cases {
        let op = src.trim_start_matches("ops.").split('(').next().unwrap();
        assert_eq!(
            error_of(&mut rt, src),
            format!("TypeError: {op}: argument 'v' (#1) {expected}"),
            "{src}"
        );
    }
}

#[test]
fn number_mode_is_checked_to_safe_integers() {
    let mut rt = runtime();
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_echo_u64_num(2**53 - 1)"),
        9_007_199_254_740_991.0
    );
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_echo_i64_num(-(2**53 - 1))"),
        -9_007_199_254_740_991.0
    );
    assert!(eval::<bool>(
        &mut rt,
        "typeof ops.op_echo_u64_num(1) === 'number'"
    ));
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_u64_num(2**53)"),
        "TypeError: op_echo_u64_num: argument 'v' (#1) expected u64, got number 9007199254740992 (not a safe integer)"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_u64_num(2**53 + 1)"),
        "TypeError: op_echo_u64_num: argument 'v' (#1) expected u64, got number 9007199254740992 (not a safe integer)"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_u64_num(-1)"),
        "TypeError: op_echo_u64_num: argument 'v' (#1) expected u64, got number -1 (out of range)"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_u64_num(1n)"),
        "TypeError: op_echo_u64_num: argument 'v' (#1) expected u64, got bigint 1n"
    );
    // A return value beyond 2^53 - 1 is a RangeError, not a silently rounded Number.
    assert_eq!(
        eval::<f64>(&mut rt, "ops.op_u64_num_out(2n**53n - 1n)"),
        9_007_199_254_740_991.0
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_u64_num_out(2n**53n + 1n)"),
        "RangeError: op_u64_num_out: return value: expected a safe integer (at most 2^53 - 1 in size), \
         got u64 9007199254740993 (use #[bigint] for the full range)"
    );
}

#[test]
fn options_map_undefined_and_null_to_none() {
    let mut rt = runtime();
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_echo_opt_u32(undefined) === null"
    ));
    assert!(eval::<bool>(&mut rt, "ops.op_echo_opt_u32(null) === null"));
    assert!(eval::<bool>(&mut rt, "ops.op_echo_opt_u32() === null"));
    assert_eq!(eval::<u32>(&mut rt, "ops.op_echo_opt_u32(5)"), 5);
    assert_eq!(
        eval::<Option<u32>>(&mut rt, "ops.op_echo_opt_u32(7)"),
        Some(7)
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_opt_u32(-5)"),
        "TypeError: op_echo_opt_u32: argument 'v' (#1) expected u32 or undefined, got number -5 (out of range)"
    );
    assert!(eval::<bool>(&mut rt, "ops.op_opt_usize() === null"));
    assert!(eval::<bool>(&mut rt, "ops.op_opt_usize(3) === 3n"));
    assert!(eval::<bool>(&mut rt, "ops.op_none() === null"));
    assert!(eval::<bool>(&mut rt, "ops.op_unit() === undefined"));
}

#[test]
fn locals_pass_through_and_are_type_checked() {
    let mut rt = runtime();
    assert!(eval::<bool>(
        &mut rt,
        "const o = {}; ops.op_identity(o) === o"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_identity(undefined) === undefined"
    ));
    assert_eq!(eval::<i32>(&mut rt, "ops.op_call((x) => x * 2, 21)"), 42);
    assert_eq!(
        error_of(&mut rt, "ops.op_call(1, 2)"),
        "TypeError: op_call: argument 'f' (#1) expected Function, got number 1"
    );
    // An exception thrown by JS the op calls propagates as-is.
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_call(() => { throw new RangeError('inner') }, 0)"
        ),
        "RangeError: inner"
    );
}
