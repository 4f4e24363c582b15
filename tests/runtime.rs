//! The runtime: scripts, their errors, extensions, the `ops` namespace,
//! console output and op metadata.

use std::cell::RefCell;
use std::rc::Rc;

use opwire::{ConsoleSink, Error, Extension, JsRuntime, OpState, RuntimeOptions, op};

use crate::util::{eval, runtime, throws};

#[test]
fn completion_values_convert_to_rust() {
    let mut rt = runtime();
    assert_eq!(eval::<String>(&mut rt, "'a' + 1"), "a1");
    assert_eq!(eval::<Option<u32>>(&mut rt, "undefined"), None);
    let global = rt.execute_script("x.js", "({ a: 1 })").unwrap();
    let obj: opwire::v8::Global<opwire::v8::Value> = global;
    let is_object = rt.with_scope(|scope| opwire::v8::Local::new(scope, &obj).is_object());
    assert!(is_object);
    match rt.eval::<u8>("x.js", "'no'") {
        Err(Error::Conversion(m)) => assert_eq!(m, "expected u8, got string"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn uncaught_errors_carry_class_message_stack_and_location() {
    let mut rt = runtime();
    let e = throws(
        &mut rt,
        "let x = 1;\nfunction f() { throw new TypeError('bad ' + x); }\nf();",
    );
    assert_eq!(e.name, "TypeError");
    assert_eq!(e.message, "bad 1");
    assert!(
        e.stack.as_deref().unwrap().contains("at f (test.js:2:22)"),
        "{:?}",
        e.stack
    );
    let loc = e.location.clone().unwrap();
    assert_eq!(
        (loc.script.as_str(), loc.line, loc.column),
        ("test.js", 2, 16)
    );
    assert_eq!(
        loc.source_line.as_deref(),
        Some("function f() { throw new TypeError('bad ' + x); }")
    );
    assert!(
        e.to_string()
            .starts_with("Uncaught TypeError: bad 1\n    at f (test.js:2:22)"),
        "{e}"
    );

    let e = throws(&mut rt, "throw 42");
    assert_eq!((e.name.as_str(), e.message.as_str()), ("", "42"));
    assert_eq!(e.to_string(), "Uncaught 42\n    at test.js:1:1");

    let e = throws(&mut rt, "let = ;");
    assert_eq!(e.name, "SyntaxError");
    assert_eq!(e.location.unwrap().line, 1);

    let e = throws(
        &mut rt,
        "class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; this.code = 'ENOENT'; } }\nthrow new NotFound('nope')",
    );
    assert_eq!(
        (e.name.as_str(), e.code.as_deref()),
        ("NotFound", Some("ENOENT"))
    );
}

#[test]
fn microtasks_run_after_each_script() {
    let mut rt = runtime();
    rt.execute_script(
        "a.js",
        "globalThis.done = false; Promise.resolve().then(() => { done = true; });",
    )
    .unwrap();
    assert!(eval::<bool>(&mut rt, "done"));
}

#[test]
fn ops_live_on_a_documented_namespace() {
    let mut rt = runtime();
    assert!(eval::<bool>(
        &mut rt,
        "typeof ops === 'object' && !Object.keys(globalThis).includes('ops')"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_add.name === 'op_add' && ops.op_add.length === 2"
    ));
    assert!(eval::<bool>(
        &mut rt,
        "typeof ops.renamed === 'function' && ops.op_with_rust_name === undefined"
    ));
    assert!(eval::<bool>(&mut rt, "ops.op_internal_print === undefined"));
    assert!(eval::<bool>(
        &mut rt,
        "const { op_add } = ops; op_add(1, 1) === 2"
    ));
    assert!(rt.op_names().any(|n| n == "renamed"));
    assert!(!rt.op_names().any(|n| n.starts_with("op_internal")));
}

#[test]
fn duplicate_op_names_are_an_error() {
    let err = JsRuntime::try_new(RuntimeOptions {
        ops: opwire::ops![crate::ops::op_add, crate::ops::op_add],
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "op `op_add` is registered twice");
}

struct Prefix(&'static str);

#[op]
fn op_prefixed(state: &OpState, #[string] s: &str) -> String {
    format!("{}{s}", state.borrow::<Prefix>().0)
}

#[test]
fn extensions_bundle_ops_js_and_state() {
    let ext = Extension::new("prefix")
        .ops([op_prefixed::DECL])
        .state(|s| {
            s.put(Prefix(">> "));
        })
        .js(
            "prefix.js",
            "globalThis.shout = (s) => ops.op_prefixed(s.toUpperCase());",
        );
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![ext],
        ..Default::default()
    });
    assert_eq!(
        rt.eval::<String>("main.js", "shout('hi')").unwrap(),
        ">> HI"
    );

    let broken = Extension::new("broken").js("broken.js", "throw new Error('ext failed')");
    let err = JsRuntime::try_new(RuntimeOptions {
        extensions: vec![broken],
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(err.as_js().unwrap().message, "ext failed");
}

/// What the `prefix2` extension's users configure.
struct PrefixOptions {
    prefix: &'static str,
}

#[test]
fn extensions_register_after_their_dependencies() {
    // `shouter` needs `prefix2`'s state and JS; it is listed first.
    let shouter = Extension::new("shouter")
        .dependency("prefix2")
        .js("shouter.js", "globalThis.loud = (s) => shout(s) + '!';");
    let prefix = Extension::new("prefix2")
        .ops([op_prefixed::DECL])
        .state_with(PrefixOptions { prefix: "~ " }, |s, o: PrefixOptions| {
            s.put(Prefix(o.prefix));
        })
        .js(
            "prefix2.js",
            "globalThis.shout = (s) => ops.op_prefixed(s.toUpperCase());",
        );
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![shouter, prefix],
        ..Default::default()
    });
    assert_eq!(rt.eval::<String>("main.js", "loud('hi')").unwrap(), "~ HI!");

    let err = JsRuntime::try_new(RuntimeOptions {
        extensions: vec![Extension::new("shouter").dependency("prefix2")],
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "extension `shouter` depends on `prefix2`, which is not registered"
    );
    let err = JsRuntime::try_new(RuntimeOptions {
        extensions: vec![
            Extension::new("a").dependency("b"),
            Extension::new("b").dependency("a"),
        ],
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "extensions depend on each other in a cycle: a -> b -> a"
    );
}

#[test]
fn console_formats_values() {
    let mut rt = runtime();
    let lines = Rc::new(RefCell::new(Vec::new()));
    let sink = lines.clone();
    rt.op_state()
        .borrow_mut()
        .put(ConsoleSink::new(move |is_err, line| {
            sink.borrow_mut()
                .push(format!("{}{line}", if is_err { "E " } else { "" }));
        }));
    rt.execute_script(
        "console.js",
        r#"
        console.log("s", 1, -0, 2n, true, null, undefined, [1, "a", [2]], { a: { b: {} } });
        const cyc = { name: "c" }; cyc.self = cyc;
        console.info(cyc, Symbol("q"), function named() {});
        console.error("bad", new RangeError("r").name);
        console.warn([]);
        "#,
    )
    .unwrap();
    assert_eq!(
        *lines.borrow(),
        [
            "s 1 -0 2n true null undefined [ 1, \"a\", [ 2 ] ] { a: { b: {} } }",
            "{ name: \"c\", self: [Circular] } Symbol(q) [Function: named]",
            "E bad RangeError",
            "E []",
        ]
    );
}

#[test]
fn op_metadata_is_data() {
    let decl = crate::ops::op_optional_tail::DECL;
    assert_eq!(decl.name(), "op_optional_tail");
    assert_eq!((decl.min_args(), decl.max_args()), (1, 3));
    assert_eq!(
        decl.typescript(),
        "op_optional_tail(a: number, b?: number | null, c?: number | null): number"
    );
    let decl = crate::ops::op_fail::DECL;
    assert_eq!(decl.args()[0].rust_type, "&str");
    assert!(decl.ret().fallible);
    assert_eq!(
        crate::ops::op_echo_i64_big::DECL.typescript(),
        "op_echo_i64_big(v: bigint | number): bigint"
    );
    assert_eq!(
        crate::ops::op_count::DECL.typescript(),
        "op_count(): number"
    );
    assert_eq!(
        crate::ops::op_call::DECL.typescript(),
        "op_call(f: Function, x: number): unknown | null"
    );
}

#[test]
fn ops_stay_callable_from_rust() {
    assert_eq!(crate::ops::op_add(2, 3), 5);
    let mut state = OpState::default();
    state.put(crate::ops::Counter(1));
    assert_eq!(crate::ops::op_count(&mut state), 2);
}

#[test]
fn typescript_declarations_for_the_registered_ops() {
    let rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            crate::ops::op_add,
            crate::ops::op_opt_str,
            crate::async_ops::op_read_text
        ],
        ..Default::default()
    });
    assert_eq!(
        rt.typescript_declarations(),
        "// Generated by opwire: the ops on `globalThis.ops`.\n\
         declare const ops: {\n\
         \x20 op_add(a: number, b: number): number;\n\
         \x20 op_opt_str(s?: string | null, c?: string | null): string;\n\
         \x20 op_read_text(path: string): Promise<string>;\n\
         };\n"
    );
}
