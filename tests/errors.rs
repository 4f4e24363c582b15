//! Op errors reach JS as real Error instances with the right class, message,
//! code and stack; panics become errors and the runtime keeps working.

use crate::util::{error_of, eval, runtime, throws};

#[test]
fn op_error_classes() {
    let mut rt = runtime();
    let check = r#"
        function classOf(f) {
            try { f(); return "no throw"; } catch (e) {
                return [e instanceof Error, e.constructor.name, e.name, e.message, String(e.code)].join("|");
            }
        }
    "#;
    rt.execute_script("check.js", check).unwrap();
    let cases = [
        (
            "ops.op_div(1, 0)",
            "true|RangeError|RangeError|division by zero|undefined",
        ),
        (
            "ops.op_fail('Error', 'plain')",
            "true|Error|Error|plain|undefined",
        ),
        (
            "ops.op_fail('TypeError', 'typed')",
            "true|TypeError|TypeError|typed|undefined",
        ),
        (
            "ops.op_fail('RangeError', 'ranged', 'ERANGE')",
            "true|RangeError|RangeError|ranged|ERANGE",
        ),
        (
            "ops.op_fail('SyntaxError', 's')",
            "true|SyntaxError|SyntaxError|s|undefined",
        ),
        (
            "ops.op_fail('ReferenceError', 'r')",
            "true|ReferenceError|ReferenceError|r|undefined",
        ),
        (
            "ops.op_fail('NotFound', 'custom', 'E_CUSTOM')",
            "true|Error|NotFound|custom|E_CUSTOM",
        ),
        (
            "ops.op_parse('x1')",
            "true|Error|Error|invalid digit found in string|undefined",
        ),
        ("ops.op_boxed()", "true|Error|Error|a boxed error|undefined"),
        (
            "ops.op_io_alias()",
            "true|Error|PermissionDenied|no entry|EACCES",
        ),
        (
            "ops.op_add(1, 'x')",
            "true|TypeError|TypeError|op_add: argument 'b' (#2) expected i32, got string|undefined",
        ),
    ];
    for (call, expected) in cases {
        let got: String = eval(&mut rt, &format!("classOf(() => {call})"));
        assert_eq!(got, expected, "{call}");
    }
    assert_eq!(eval::<f64>(&mut rt, "ops.op_div(1, 4)"), 0.25);
}

#[test]
fn io_errors_map_kind_to_class_and_code() {
    let mut rt = runtime();
    let e = throws(&mut rt, "ops.op_read_missing()");
    assert_eq!(e.name, "NotFound");
    assert_eq!(e.code.as_deref(), Some("ENOENT"));
    assert!(e.message.contains("No such file"), "{}", e.message);
}

#[test]
fn op_errors_carry_the_js_stack() {
    let mut rt = runtime();
    let src = "function outer() { return inner(); }\nfunction inner() {\n  return ops.op_fail('NotFound', 'gone');\n}\nouter();";
    let e = throws(&mut rt, src);
    let stack = e.stack.expect("stack");
    assert!(stack.starts_with("NotFound: gone\n"), "{stack}");
    assert!(
        stack.contains("at inner (stack.js:3:14)") || stack.contains("at inner (test.js:3:14)"),
        "{stack}"
    );
    assert!(stack.contains("at outer (test.js:1:27)"), "{stack}");
    let loc = e.location.expect("location");
    assert_eq!((loc.script.as_str(), loc.line), ("test.js", 3));
}

#[test]
fn panics_become_errors_and_the_runtime_keeps_working() {
    let mut rt = runtime();
    assert_eq!(
        error_of(&mut rt, "ops.op_panic('boom')"),
        "Error: op_panic panicked: boom"
    );
    assert_eq!(eval::<i32>(&mut rt, "ops.op_add(1, 2)"), 3);
    // Caught in JS like any error, many times over.
    let caught: u32 = eval(
        &mut rt,
        "let n = 0; for (let i = 0; i < 100; i++) { try { ops.op_panic('again ' + i) } catch (e) { if (e.message === 'op_panic panicked: again ' + i) n++ } } n",
    );
    assert_eq!(caught, 100);
    assert_eq!(eval::<i32>(&mut rt, "ops.op_add(2, 2)"), 4);
}

#[test]
fn missing_state_panics_are_reported_with_the_type() {
    let mut rt = runtime();
    assert_eq!(
        error_of(&mut rt, "ops.op_missing_state()"),
        "Error: op_missing_state panicked: OpState holds no value of type alloc::string::String"
    );
}
