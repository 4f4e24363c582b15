//! Struct objects from compiled literals (`serde_v8::literal`): once a
//! struct shape is warm, the serializer builds it with one call into a
//! compiled object literal. The object must be the one the field-by-field
//! path builds: same own properties in the same order, same attributes and
//! values, the runtime's `Object.prototype`, no setter of `Object.prototype`
//! called. Shapes a literal cannot express stay on the field-by-field path.

use opwire::serde_v8::to_v8;
use opwire::{Error, JsRuntime, OpState, RuntimeOptions, TerminateHandle, op, v8};
use serde::Serialize;

use crate::util::eval;

/// More serializations than any shape needs to get its literal.
const PAST_WARM_UP: usize = 200;

#[derive(Serialize, Clone)]
struct Point {
    x: f64,
    y: f64,
    label: String,
    tags: Vec<u32>,
}

fn point(i: u32) -> Point {
    Point {
        x: f64::from(i),
        y: 0.5,
        label: "p".into(),
        tags: vec![1, 2, i],
    }
}

/// Field names a literal must quote, or that JS treats specially.
#[derive(Serialize, Clone)]
struct Odd {
    #[serde(rename = "a\"b\\c")]
    quote: u8,
    #[serde(rename = "line\nbreak\u{1}")]
    control: u8,
    #[serde(rename = "0")]
    index: u8,
    #[serde(rename = "é\u{2028}ü")]
    unicode: u8,
    #[serde(rename = "constructor")]
    constructor: u8,
    #[serde(rename = "")]
    empty: u8,
    nested: Point,
}

/// A `__proto__` field: a literal would take it as the prototype.
#[derive(Serialize, Clone)]
struct Proto {
    #[serde(rename = "__proto__")]
    proto: u8,
    q: u8,
}

/// One shape per set of present fields.
#[derive(Serialize, Clone)]
struct Maybe {
    a: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<u8>,
    c: u8,
}

#[derive(Serialize, Clone)]
enum Shape {
    Circle { r: f64, at: Point },
}

#[op]
#[serde]
fn op_literal_point(i: u32) -> Point {
    point(i)
}

/// Terminates its own runtime (through the handle in its state), then
/// returns a `Point`.
#[op]
#[serde]
fn op_literal_point_terminating(state: &mut OpState, i: u32) -> Point {
    state.borrow::<TerminateHandle>().terminate();
    point(i)
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_literal_point, op_literal_point_terminating],
        ..Default::default()
    })
}

/// `describe(o)`: every own property of `o` (in order, with its
/// attributes) and whether its prototype is this realm's, recursively.
const DESCRIBE: &str = r#"
globalThis.describe = (o) => {
  if (o === null || typeof o !== "object") return JSON.stringify(o);
  const proto = Object.getPrototypeOf(o) === (Array.isArray(o) ? Array.prototype : Object.prototype);
  const props = Reflect.ownKeys(o).map((k) => {
    const d = Object.getOwnPropertyDescriptor(o, k);
    const flags = (d.writable ? "w" : "-") + (d.enumerable ? "e" : "-") + (d.configurable ? "c" : "-");
    return JSON.stringify(k) + " " + flags + " " + describe(d.value);
  });
  return (proto ? "" : "(foreign) ") + "{" + props.join(", ") + "}";
};
globalThis.trapped = 0;
for (const k of ["x", "label", "0", "q", "r"]) {
  Object.defineProperty(Object.prototype, k, { set(v) { trapped++; }, configurable: true });
}
"#;

/// Serializes `make(i)` for `i` in `0..PAST_WARM_UP` and returns
/// `describe` of the first and of the last object, and how many shapes had
/// a literal after the first and after the last.
fn first_and_last<T: Serialize>(
    rt: &mut JsRuntime,
    make: impl Fn(u32) -> T,
) -> ((String, String), (usize, usize)) {
    let (ready_first, ready_last) = rt.with_scope(|scope| {
        let global = scope.get_current_context().global(scope);
        let mut ready = Vec::new();
        for i in 0..PAST_WARM_UP {
            let value = to_v8(scope, &make(i as u32)).unwrap();
            if i == 0 || i == PAST_WARM_UP - 1 {
                let name = if i == 0 { "first" } else { "last" };
                let key = v8::String::new(scope, name).unwrap();
                global.set(scope, key.into(), value);
                ready.push(opwire::__private::serde_literals_ready(scope));
            }
        }
        (ready[0], ready[1])
    });
    let first = eval::<String>(rt, "describe(first)");
    let last = eval::<String>(rt, "describe(last)");
    ((first, last), (ready_first, ready_last))
}

#[test]
fn a_literal_builds_the_object_the_field_by_field_path_builds() {
    let mut rt = rt();
    rt.execute_script("describe.js", DESCRIBE).unwrap();

    let ((first, last), ready) = first_and_last(&mut rt, |_| point(7));
    assert_eq!(ready, (0, 1), "Point got its literal");
    assert_eq!(first, last);
    assert_eq!(
        last,
        r#"{"x" wec 7, "y" wec 0.5, "label" wec "p", "tags" wec {"0" wec 1, "1" wec 2, "2" wec 7, "length" w-- 3}}"#
    );

    let odd = |_| Odd {
        quote: 1,
        control: 2,
        index: 3,
        unicode: 4,
        constructor: 5,
        empty: 6,
        nested: point(5),
    };
    let ((first, last), ready) = first_and_last(&mut rt, odd);
    assert_eq!(
        ready,
        (1, 2),
        "Odd got its literal (the nested Point has one)"
    );
    assert_eq!(first, last);
    assert!(
        last.starts_with(
            "{\"0\" wec 3, \"a\\\"b\\\\c\" wec 1, \"line\\nbreak\\u0001\" wec 2, \"é\u{2028}ü\" wec 4, \
             \"constructor\" wec 5, \"\" wec 6, \"nested\" wec {\"x\" wec 5"
        ),
        "{last}"
    );

    let circle = |_| Shape::Circle {
        r: 1.5,
        at: point(5),
    };
    let ((first, last), ready) = first_and_last(&mut rt, circle);
    assert_eq!(ready.1, ready.0 + 1, "the variant's fields got a literal");
    assert_eq!(first, last);
    assert!(
        last.starts_with(r#"{"Circle" wec {"r" wec 1.5, "at" wec {"x" wec 5"#),
        "{last}"
    );

    assert_eq!(eval::<u32>(&mut rt, "trapped"), 0, "a setter ran");
}

#[test]
fn a_proto_field_stays_an_own_property() {
    let mut rt = rt();
    rt.execute_script("describe.js", DESCRIBE).unwrap();
    let ((first, last), ready) = first_and_last(&mut rt, |_| Proto { proto: 1, q: 2 });
    assert_eq!(ready, (0, 0), "no literal for a __proto__ field");
    assert_eq!(first, last);
    assert_eq!(last, r#"{"__proto__" wec 1, "q" wec 2}"#);
    assert_eq!(eval::<u32>(&mut rt, "trapped"), 0);
}

#[test]
fn each_set_of_present_fields_is_its_own_shape() {
    let mut rt = rt();
    rt.execute_script("describe.js", DESCRIBE).unwrap();
    let maybe = |i: u32| Maybe {
        a: 1,
        b: (i % 2 == 1).then_some(2),
        c: 3,
    };
    let ((first, last), ready) = first_and_last(&mut rt, maybe);
    assert_eq!(ready, (0, 2), "both shapes got a literal");
    assert_eq!(first, r#"{"a" wec 1, "c" wec 3}"#);
    assert_eq!(last, r#"{"a" wec 1, "b" wec 2, "c" wec 3}"#);
}

#[test]
fn ops_returning_structs_use_their_runtimes_literal() {
    let check = "(() => { let ok = 0; \
                 for (let i = 0; i < 300; i++) { \
                   const p = ops.op_literal_point(i); \
                   if (Object.getPrototypeOf(p) === Object.prototype && p.x === i && p.tags[2] === i \
                       && Object.keys(p).join() === 'x,y,label,tags') ok++; \
                 } return ok; })()";
    let mut a = rt();
    assert_eq!(eval::<u32>(&mut a, check), 300);
    assert_eq!(
        a.with_scope(|s| opwire::__private::serde_literals_ready(s)),
        1
    );
    // A second runtime compiles its own, in its own context.
    let mut b = rt();
    assert_eq!(
        b.with_scope(|s| opwire::__private::serde_literals_ready(s)),
        0
    );
    assert_eq!(eval::<u32>(&mut b, check), 300);
    assert_eq!(
        b.with_scope(|s| opwire::__private::serde_literals_ready(s)),
        1
    );
    drop(b);
    assert_eq!(eval::<u32>(&mut a, check), 300);
}

#[test]
fn a_struct_returned_at_the_stack_limit_is_whole_or_a_range_error() {
    let mut rt = rt();
    // Warm the literal up, then return structs from ever deeper frames up
    // to the stack limit: each result is a whole object, or the call
    // throws V8's RangeError; nothing else.
    let got = eval::<String>(
        &mut rt,
        "for (let i = 0; i < 100; i++) ops.op_literal_point(i); \
         let whole = 0, errors = 0, other = ''; \
         function deep(n) { \
           try { return deep(n + 1); } catch (e) { \
             try { \
               const p = ops.op_literal_point(n & 0xff); \
               if (p.x === (n & 0xff) && p.label === 'p' && p.tags.length === 3) whole++; \
               else other = JSON.stringify(p); \
             } catch (e2) { if (e2 instanceof RangeError) errors++; else other = String(e2); } \
             return 0; \
           } \
         } \
         for (let i = 0; i < 20; i++) deep(0); \
         other || (whole + errors >= 20 ? 'ok' : 'only ' + (whole + errors))",
    );
    assert_eq!(got, "ok");
}

#[test]
fn a_termination_during_the_call_leaves_the_literal_working() {
    let mut rt = rt();
    let handle = rt.terminate_handle();
    rt.op_state().borrow_mut().put(handle);
    let sum = "(() => { let s = 0; for (let i = 0; i < 100; i++) s += ops.op_literal_point(i).tags[2]; return s; })()";
    assert_eq!(eval::<u32>(&mut rt, sum), 4950);
    assert_eq!(
        rt.with_scope(|s| opwire::__private::serde_literals_ready(s)),
        1
    );
    // The literal's call fails (execution is terminating); the object is
    // built field by field, and the termination goes on once the op returns.
    let err = rt
        .execute_script(
            "t.js",
            "globalThis.got = ops.op_literal_point_terminating(7);",
        )
        .unwrap_err();
    assert!(matches!(err, Error::Terminated(_)), "{err}");
    assert_eq!(eval::<String>(&mut rt, "typeof got"), "undefined");
    assert_eq!(eval::<u32>(&mut rt, sum), 4950);
    assert_eq!(
        rt.with_scope(|s| opwire::__private::serde_literals_ready(s)),
        1
    );
}

#[test]
fn a_shape_gets_its_literal_after_64_builds() {
    let mut rt = rt();
    let ready_after = |rt: &mut JsRuntime, builds: u32| {
        rt.with_scope(|scope| {
            for i in 0..builds {
                to_v8(scope, &point(i)).unwrap();
            }
            opwire::__private::serde_literals_ready(scope)
        })
    };
    assert_eq!(ready_after(&mut rt, 64), 0, "64 builds field by field");
    assert_eq!(ready_after(&mut rt, 1), 1, "the 65th compiles the literal");
}
