//! Strings: empty, non-ASCII, emoji, lone surrogates, long ones, borrowed
//! forms, and the no-allocation promise for short one-byte strings.

use crate::util::{allocations, error_of, eval, runtime};

#[test]
fn strings_round_trip() {
    let mut rt = runtime();
    for s in [
        "",
        "hello",
        "héllo wörld",
        "日本語",
        "emoji 😀 and 👍🏽",
        "a\u{0}b",
    ] {
        let js = serde_like_quote(s);
        for op in ["op_echo_string", "op_echo_str"] {
            assert_eq!(
                eval::<String>(&mut rt, &format!("ops.{op}({js})")),
                s,
                "{op}({s:?})"
            );
        }
        let len: u32 = eval(&mut rt, &format!("ops.op_str_len({js})"));
        assert_eq!(len as usize, s.len(), "UTF-8 length of {s:?}");
    }
    assert_eq!(eval::<String>(&mut rt, "ops.op_static_str()"), "static");
}

/// A JS string literal for `s` (enough for the test strings).
fn serde_like_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn lone_surrogates_become_replacement_characters() {
    let mut rt = runtime();
    assert_eq!(
        eval::<String>(&mut rt, "ops.op_echo_string('a\\uD800b')"),
        "a\u{FFFD}b"
    );
    assert_eq!(
        eval::<String>(&mut rt, "ops.op_echo_str('\\uDFFF')"),
        "\u{FFFD}"
    );
    assert_eq!(eval::<u32>(&mut rt, "ops.op_str_len('\\uD83D')"), 3);
}

#[test]
fn long_strings_and_cow() {
    let mut rt = runtime();
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_str_len('x'.repeat(100000))"),
        100_000
    );
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_str_len('é'.repeat(5000))"),
        10_000
    );
    assert_eq!(
        eval::<String>(&mut rt, "ops.op_echo_cow('short')"),
        "true:short"
    );
    let long: String = eval(&mut rt, "ops.op_echo_cow('y'.repeat(5000))");
    assert!(
        long.starts_with("false:yyy") && long.len() == 5006,
        "long Cow is owned"
    );
    assert_eq!(eval::<String>(&mut rt, "ops.op_opt_str()"), "None/None");
    assert_eq!(
        eval::<String>(&mut rt, "ops.op_opt_str('a', null)"),
        "Some(\"a\")/None"
    );
    assert_eq!(
        eval::<String>(&mut rt, "ops.op_opt_str(undefined, 'b')"),
        "None/Some(\"b\")"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_opt_str(1)"),
        "TypeError: op_opt_str: argument 's' (#1) expected string or undefined, got number 1"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_str_len(String)"),
        "TypeError: op_str_len: argument 's' (#1) expected string, got function"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_string(Symbol('s'))"),
        "TypeError: op_echo_string: argument 'v' (#1) expected string, got symbol"
    );
}

/// Rust allocations made while running `calls` op calls in a JS loop, minus
/// those of the same loop around a call to a no-string op.
fn allocations_per_loop(rt: &mut opwire::JsRuntime, call: &str) -> u64 {
    let run = |rt: &mut opwire::JsRuntime, body: &str| {
        let src = format!("for (let i = 0; i < 1000; i++) {{ {body} }}");
        rt.execute_script("warm.js", &src).unwrap();
        let before = allocations();
        rt.execute_script("loop.js", &src).unwrap();
        allocations() - before
    };
    let base = run(rt, "ops.op_add(i, 1);");
    run(rt, call).saturating_sub(base)
}

#[test]
fn short_one_byte_strings_do_not_allocate() {
    let mut rt = runtime();
    rt.execute_script(
        "setup.js",
        "var ascii = 'hello world'; var latin1 = 'héllo wörld'; var long = 'x'.repeat(4000);",
    )
    .unwrap();
    assert_eq!(
        allocations_per_loop(&mut rt, "ops.op_str_len(ascii);"),
        0,
        "ASCII"
    );
    assert_eq!(
        allocations_per_loop(&mut rt, "ops.op_str_len(latin1);"),
        0,
        "Latin-1"
    );
    // The measurement can see allocations: long strings do allocate.
    assert!(allocations_per_loop(&mut rt, "ops.op_str_len(long);") >= 1000);
}
