//! The serde bridge: every representation, errors with paths, depth and
//! cycles, `#[serde]` ops sync and async, and property tests.

use std::collections::{BTreeMap, HashMap};

use opwire::serde_v8::{from_v8, to_v8};
use opwire::{JsRuntime, OpError, RuntimeOptions, op, v8};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::util::{error_of, eval, tokio_rt};

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
pub struct Server {
    host: String,
    port: u16,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Config {
    name: String,
    servers: Vec<Server>,
    #[serde(default)]
    debug: bool,
}

#[derive(Serialize, Debug)]
pub struct Report {
    name: String,
    servers: usize,
    ports: Vec<u16>,
    debug: bool,
}

fn report(cfg: Config) -> Report {
    Report {
        ports: cfg.servers.iter().map(|s| s.port).collect(),
        servers: cfg.servers.len(),
        name: cfg.name,
        debug: cfg.debug,
    }
}

#[op]
#[serde]
pub fn op_save(#[serde] cfg: Config) -> Report {
    report(cfg)
}

#[op]
#[serde]
pub async fn op_save_async(#[serde] cfg: Config) -> Report {
    tokio::task::yield_now().await;
    report(cfg)
}

#[op]
#[serde]
pub fn op_save_checked(#[serde] cfg: Config) -> Result<Report, OpError> {
    if cfg.servers.is_empty() {
        return Err(OpError::range_error("no servers"));
    }
    Ok(report(cfg))
}

#[op(blocking)]
#[serde]
pub fn op_save_blocking(#[serde] cfg: Config) -> Result<Report, OpError> {
    Ok(report(cfg))
}

#[op]
#[serde]
pub fn op_echo_json(#[serde] v: serde_json::Value) -> serde_json::Value {
    v
}

#[op]
#[serde]
pub fn op_bad_key() -> HashMap<(u8, u8), u8> {
    HashMap::from([((1, 2), 3)])
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_save,
            op_save_async,
            op_save_checked,
            op_save_blocking,
            op_echo_json,
            op_bad_key
        ],
        ..Default::default()
    })
}

/// Evaluates `src` and deserializes it to `T`.
fn js_to<T: DeserializeOwned>(rt: &mut JsRuntime, src: &str) -> Result<T, opwire::serde_v8::Error> {
    let value = rt.execute_script("v.js", src).unwrap();
    rt.with_scope(|scope| {
        let local = v8::Local::new(scope, &value);
        from_v8(scope, local)
    })
}

/// Serializes `value` and returns `JSON.stringify` of the result (with
/// `undefined`, BigInt, NaN and typed arrays spelled out).
fn to_js<T: Serialize>(rt: &mut JsRuntime, value: &T) -> String {
    let v = rt.with_scope(|scope| {
        let v = to_v8(scope, value).unwrap();
        v8::Global::new(scope, v)
    });
    rt.with_scope(|scope| {
        let global = scope.get_current_context().global(scope);
        let key = v8::String::new(scope, "__v").unwrap();
        let local = v8::Local::new(scope, &v);
        global.set(scope, key.into(), local);
    });
    eval(
        rt,
        r#"JSON.stringify(__v, (k, x) =>
            x === undefined ? "<undefined>" :
            typeof x === "bigint" ? x + "n" :
            typeof x === "number" && !Number.isFinite(x) ? String(x) :
            x instanceof Uint8Array ? "<u8:" + Array.from(x).join(",") + ">" : x) ?? "<undefined>""#,
    )
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum External {
    Unit,
    New(u32),
    Tuple(u8, String),
    Struct { a: i64 },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "type")]
enum Internal {
    Circle { r: f64 },
    Square { side: f64 },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    A(u32),
    B { x: bool },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Untagged {
    Num(f64),
    Text(String),
    List(Vec<u8>),
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Renamed {
    first_name: String,
    #[serde(rename = "ID")]
    id: u32,
    #[serde(skip)]
    skipped: u32,
    #[serde(default)]
    missing: Option<u8>,
    #[serde(flatten)]
    extra: BTreeMap<String, u32>,
}

#[test]
fn enums_in_every_representation() {
    let mut rt = rt();
    let cases: Vec<(External, &str)> = vec![
        (External::Unit, r#""Unit""#),
        (External::New(7), r#"{"New":7}"#),
        (External::Tuple(1, "x".into()), r#"{"Tuple":[1,"x"]}"#),
        (External::Struct { a: -3 }, r#"{"Struct":{"a":-3}}"#),
    ];
    for (value, json) in cases {
        assert_eq!(to_js(&mut rt, &value), json);
        assert_eq!(
            js_to::<External>(&mut rt, &format!("({json})")).unwrap(),
            value
        );
    }
    assert_eq!(
        to_js(&mut rt, &Internal::Circle { r: 1.5 }),
        r#"{"type":"Circle","r":1.5}"#
    );
    assert_eq!(
        js_to::<Internal>(&mut rt, "({ type: 'Square', side: 2 })").unwrap(),
        Internal::Square { side: 2.0 }
    );
    assert_eq!(
        to_js(&mut rt, &Adjacent::B { x: true }),
        r#"{"t":"B","c":{"x":true}}"#
    );
    assert_eq!(
        js_to::<Adjacent>(&mut rt, "({ t: 'A', c: 9 })").unwrap(),
        Adjacent::A(9)
    );
    assert_eq!(
        js_to::<Untagged>(&mut rt, "'s'").unwrap(),
        Untagged::Text("s".into())
    );
    assert_eq!(
        js_to::<Untagged>(&mut rt, "2.5").unwrap(),
        Untagged::Num(2.5)
    );
    assert_eq!(
        js_to::<Untagged>(&mut rt, "[1, 2]").unwrap(),
        Untagged::List(vec![1, 2])
    );
    let e = js_to::<External>(&mut rt, "({ New: 1, Unit: null })").unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected a variant name or an object with one key (enum External), got object"
    );
    let e = js_to::<External>(&mut rt, "'Nope'").unwrap_err();
    assert!(e.to_string().starts_with("unknown variant `Nope`"), "{e}");
}

#[test]
fn rename_skip_default_and_flatten() {
    let mut rt = rt();
    let value: Renamed = js_to(
        &mut rt,
        "({ firstName: 'Ada', ID: 7, skipped: 99, more: 1, extra2: 2 })",
    )
    .unwrap();
    assert_eq!(value.first_name, "Ada");
    assert_eq!((value.id, value.skipped, value.missing), (7, 0, None));
    assert_eq!(
        value.extra,
        BTreeMap::from([
            ("extra2".into(), 2),
            ("more".into(), 1),
            ("skipped".into(), 99)
        ])
    );
    assert_eq!(
        to_js(&mut rt, &value),
        r#"{"firstName":"Ada","ID":7,"missing":null,"extra2":2,"more":1,"skipped":99}"#
    );
}

#[test]
fn deny_unknown_fields_and_paths_in_errors() {
    let mut rt = rt();
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_save({ name: 'n', servers: [{host: 'a', port: 1}, {host: 'b', port: 2}, {host: 'c', port: '3'}] })"
        ),
        "TypeError: op_save: argument 'cfg' (#1): .servers[2].port: expected u16, got string"
    );
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_save({ name: 'n', servers: [{host: 'a', port: 70000}] })"
        ),
        "TypeError: op_save: argument 'cfg' (#1): .servers[0].port: expected u16, got number 70000 (out of range)"
    );
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_save({ name: 'n', servers: [{host: 'a'}] })"
        ),
        "TypeError: op_save: argument 'cfg' (#1): .servers[0]: missing field `port`"
    );
    let e = error_of(&mut rt, "ops.op_save({ name: 'n', servers: [], extra: 1 })");
    assert!(
        e.starts_with("TypeError: op_save: argument 'cfg' (#1): .extra: unknown field `extra`"),
        "{e}"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_save('nope')"),
        "TypeError: op_save: argument 'cfg' (#1) expected object (struct Config), got string"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_bad_key()"),
        "RangeError: op_bad_key: return value: map keys must be strings, numbers, booleans or chars"
    );
}

#[test]
fn serde_ops_sync_async_and_blocking() {
    let mut rt = rt();
    let cfg = "({ name: 'prod', servers: [{ host: 'a', port: 80 }, { host: 'b', port: 443 }], debug: true })";
    let expected = r#"{"name":"prod","servers":2,"ports":[80,443],"debug":true}"#;
    assert_eq!(
        eval::<String>(&mut rt, &format!("JSON.stringify(ops.op_save({cfg}))")),
        expected
    );
    assert_eq!(
        eval::<String>(
            &mut rt,
            &format!("JSON.stringify(ops.op_save_checked({cfg}))")
        ),
        expected
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_save_checked({ name: 'x', servers: [] })"),
        "RangeError: no servers"
    );
    tokio_rt().block_on(async {
        let got: String = rt
            .eval_async(
                "a.js",
                &format!("ops.op_save_async({cfg}).then(JSON.stringify)"),
            )
            .await
            .unwrap();
        assert_eq!(got, expected);
        let got: String = rt
            .eval_async(
                "b.js",
                &format!("ops.op_save_blocking({cfg}).then(JSON.stringify)"),
            )
            .await
            .unwrap();
        assert_eq!(got, expected);
    });
    assert_eq!(op_save::DECL.typescript(), "op_save(cfg: unknown): unknown");
    assert_eq!(
        op_save_async::DECL.typescript(),
        "op_save_async(cfg: unknown): Promise<unknown>"
    );
}

#[test]
fn numbers_chars_bytes_options_and_units() {
    let mut rt = rt();
    assert_eq!(to_js(&mut rt, &(1u64 << 53)), "\"9007199254740992n\"");
    assert_eq!(to_js(&mut rt, &((1u64 << 53) - 1)), "9007199254740991");
    assert_eq!(to_js(&mut rt, &i64::MIN), "\"-9223372036854775808n\"");
    assert_eq!(
        to_js(&mut rt, &u128::MAX),
        "\"340282366920938463463374607431768211455n\""
    );
    assert_eq!(
        to_js(&mut rt, &(f64::NAN, f64::NEG_INFINITY, -0.0f64)),
        "[\"NaN\",\"-Infinity\",0]"
    );
    assert!(
        eval::<bool>(&mut rt, "true") && js_to::<f64>(&mut rt, "-0").unwrap().is_sign_negative()
    );
    assert!(js_to::<f64>(&mut rt, "NaN").unwrap().is_nan());
    assert_eq!(js_to::<u64>(&mut rt, "2n ** 64n - 1n").unwrap(), u64::MAX);
    assert_eq!(
        js_to::<i64>(&mut rt, "-(2 ** 53) + 1").unwrap(),
        -(1i64 << 53) + 1
    );
    assert_eq!(
        js_to::<i128>(&mut rt, "-(2n ** 100n)").unwrap(),
        -(1i128 << 100)
    );
    assert_eq!(
        js_to::<u64>(&mut rt, "2 ** 53").unwrap_err().to_string(),
        "expected u64, got number 9007199254740992 (not a safe integer)"
    );
    assert_eq!(to_js(&mut rt, &'é'), "\"é\"");
    assert_eq!(js_to::<char>(&mut rt, "'😀'").unwrap(), '😀');
    assert_eq!(
        js_to::<char>(&mut rt, "'ab'").unwrap_err().to_string(),
        "expected a one-character string, got a string of 2 characters"
    );
    assert_eq!(
        to_js(&mut rt, &serde_bytes::ByteBuf::from(vec![1, 2, 255])),
        "\"<u8:1,2,255>\""
    );
    let bytes: serde_bytes::ByteBuf = js_to(&mut rt, "new Uint8Array([9, 8]).subarray(1)").unwrap();
    assert_eq!(bytes.into_vec(), vec![8]);
    let bytes: serde_bytes::ByteBuf = js_to(&mut rt, "new Uint16Array([258]).buffer").unwrap();
    assert_eq!(bytes.into_vec(), vec![2, 1]);
    let plain: Vec<u8> = js_to(&mut rt, "new Uint8Array([3, 4])").unwrap();
    assert_eq!(plain, vec![3, 4]);
    assert_eq!(to_js(&mut rt, &(None::<u8>, Some(1), ())), "[null,1,null]");
    assert_eq!(js_to::<Option<u8>>(&mut rt, "undefined").unwrap(), None);
    assert_eq!(js_to::<()>(&mut rt, "null").unwrap(), ());
    let map: HashMap<u32, String> = js_to(&mut rt, "({ 1: 'a', 20: 'b' })").unwrap();
    assert_eq!(map, HashMap::from([(1, "a".into()), (20, "b".into())]));
    let map: BTreeMap<String, u8> = js_to(&mut rt, "new Map([['x', 1], ['y', 2]])").unwrap();
    assert_eq!(map, BTreeMap::from([("x".into(), 1), ("y".into(), 2)]));
    assert_eq!(
        js_to::<BTreeMap<String, u8>>(&mut rt, "new Map([['x', 1], ['y', 'z']])")
            .unwrap_err()
            .to_string(),
        "[value 1]: expected u8, got string"
    );
    assert_eq!(
        js_to::<BTreeMap<u8, u8>>(&mut rt, "new Map([[1, 1], [{}, 2]])")
            .unwrap_err()
            .to_string(),
        "[key 1]: expected u8, got object"
    );
    assert_eq!(
        to_js(&mut rt, &BTreeMap::from([(3u8, true)])),
        r#"{"3":true}"#
    );
    assert_eq!(
        js_to::<String>(&mut rt, "1").unwrap_err().to_string(),
        "expected string, got number 1"
    );
    assert_eq!(
        js_to::<bool>(&mut rt, "0").unwrap_err().to_string(),
        "expected boolean, got number 0"
    );
    assert_eq!(
        js_to::<(u8, u8)>(&mut rt, "[1, 2, 3]")
            .unwrap_err()
            .to_string(),
        "expected an array of 2 elements, got 3"
    );
    let e = js_to::<serde_json::Value>(&mut rt, "({ f() {} }).f").unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected data (not a function or symbol), got function"
    );
}

#[test]
fn cycles_and_deep_nesting_are_errors_not_crashes() {
    let mut rt = rt();
    let e = js_to::<serde_json::Value>(&mut rt, "const a = { x: 1 }; a.self = a; a").unwrap_err();
    assert!(
        e.to_string()
            .ends_with("value nests deeper than 200 levels (is it cyclic?)"),
        "{e}"
    );
    assert!(e.path().starts_with(".self.self.self"), "{}", e.path());
    // The whole path is there; the message shows it abbreviated.
    assert_eq!(e.depth(), 200);
    assert_eq!(e.path(), ".self".repeat(200));
    assert_eq!(
        e.to_string(),
        ".self.self.self.self.self.self…(200 levels)….self.self.self.self.self.self: \
         value nests deeper than 200 levels (is it cyclic?)"
    );
    let e = js_to::<serde_json::Value>(
        &mut rt,
        "let d = []; for (let i = 0; i < 100000; i++) d = [d]; d",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("nests deeper than 200 levels"),
        "{e}"
    );
    assert_eq!(
        error_of(&mut rt, "const c = []; c.push(c); ops.op_echo_json(c)")
            .split(": ")
            .last()
            .unwrap(),
        "value nests deeper than 200 levels (is it cyclic?)"
    );
    // 150 levels are fine.
    let v: serde_json::Value = js_to(
        &mut rt,
        "let e = 1; for (let i = 0; i < 150; i++) e = [e]; e",
    )
    .unwrap();
    assert!(v.is_array());
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use std::cell::RefCell;

    thread_local! {
        static RT: RefCell<JsRuntime> = RefCell::new(rt());
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
    struct Sample {
        a: i32,
        b: u64,
        c: i64,
        d: f64,
        e: String,
        #[serde(with = "serde_bytes")]
        f: Vec<u8>,
        g: Option<bool>,
        h: Vec<(char, i16)>,
        i: BTreeMap<String, Vec<u8>>,
        j: Choice,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
    enum Choice {
        None,
        One(u8),
        Two { x: f32, y: String },
    }

    fn sample() -> impl Strategy<Value = Sample> {
        let choice = prop_oneof![
            Just(Choice::None),
            any::<u8>().prop_map(Choice::One),
            (any::<f32>().prop_filter("not NaN", |x| !x.is_nan()), ".*")
                .prop_map(|(x, y)| Choice::Two { x, y }),
        ];
        (
            any::<i32>(),
            any::<u64>(),
            any::<i64>(),
            any::<f64>().prop_filter("NaN is not equal to itself", |x| !x.is_nan()),
            ".*",
            proptest::collection::vec(any::<u8>(), 0..64),
            any::<Option<bool>>(),
            proptest::collection::vec((any::<char>(), any::<i16>()), 0..8),
            proptest::collection::btree_map(
                ".*",
                proptest::collection::vec(any::<u8>(), 0..4),
                0..4,
            ),
            choice,
        )
            .prop_map(|(a, b, c, d, e, f, g, h, i, j)| Sample {
                a,
                b,
                c,
                d,
                e,
                f,
                g,
                h,
                i,
                j,
            })
    }

    fn json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite, fractional", |x| x.is_finite() && x.fract() != 0.0)
                .prop_map(Value::from),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z_]{0,6}", inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn rust_values_round_trip_through_v8(value in sample()) {
            let back: Sample = RT.with(|rt| {
                rt.borrow_mut().with_scope(|scope| {
                    let v = to_v8(scope, &value).unwrap();
                    from_v8(scope, v).unwrap()
                })
            });
            prop_assert_eq!(back, value);
        }

        #[test]
        fn json_parsed_in_js_converts_both_ways(value in json()) {
            let text = serde_json::to_string(&value).unwrap();
            RT.with(|rt| {
                let mut rt = rt.borrow_mut();
                let src = format!("JSON.parse({})", serde_json::to_string(&text).unwrap());
                let parsed: serde_json::Value = js_to(&mut rt, &src).unwrap();
                prop_assert_eq!(&parsed, &value);
                // And back: the V8 value we build is deep-equal to JSON.parse's.
                let rebuilt = to_js(&mut rt, &parsed);
                let same: bool = eval(&mut rt, &format!(
                    "JSON.stringify(JSON.parse({})) === {}",
                    serde_json::to_string(&text).unwrap(),
                    serde_json::to_string(&rebuilt).unwrap()
                ));
                prop_assert!(same, "{} vs {}", text, rebuilt);
                Ok(())
            })?;
        }
    }
}

#[test]
fn replacing_object_keys_in_js_does_not_affect_ops() {
    let mut rt = rt();
    let got: String = eval(
        &mut rt,
        "Object.keys = () => { throw new Error('hijacked'); };
         JSON.stringify(ops.op_save({ name: 'n', servers: [{ host: 'h', port: 1 }] }))",
    );
    assert_eq!(got, r#"{"name":"n","servers":1,"ports":[1],"debug":false}"#);
    let e = error_of(
        &mut rt,
        "ops.op_save({ name: 'n', servers: [], extra: true })",
    );
    assert!(e.contains(".extra: unknown field `extra`"), "{e}");
}

/// Objects are built like `JSON.parse` builds them: properties are
/// defined, so a setter on `Object.prototype` is not called and a
/// `__proto__` key is an own property, not the prototype.
#[test]
fn serialized_objects_define_their_properties() {
    let mut rt = rt();
    rt.execute_script(
        "trap.js",
        "globalThis.trapped = 0; \
         Object.defineProperty(Object.prototype, 'host', { set(v) { trapped++; }, configurable: true });",
    )
    .unwrap();
    let server = Server {
        host: "a".into(),
        port: 1,
    };
    assert_eq!(to_js(&mut rt, &server), r#"{"host":"a","port":1}"#);
    let map: BTreeMap<String, u8> = [("__proto__".to_owned(), 1), ("x".to_owned(), 2)].into();
    let v = rt.with_scope(|scope| {
        let v = to_v8(scope, &map).unwrap();
        v8::Global::new(scope, v)
    });
    rt.with_scope(|scope| {
        let global = scope.get_current_context().global(scope);
        let key = v8::String::new(scope, "__m").unwrap();
        let local = v8::Local::new(scope, &v);
        global.set(scope, key.into(), local);
    });
    assert_eq!(
        eval::<String>(
            &mut rt,
            "[trapped, Object.getPrototypeOf(__m) === Object.prototype, \
              Object.getOwnPropertyDescriptor(__m, '__proto__').value, Object.keys(__m).join()].join(' ')"
        ),
        "0 true 1 __proto__,x"
    );
}

#[test]
fn a_getter_or_proxy_trap_that_throws_is_the_ops_error() {
    let mut rt = rt();
    for (source, expected) in [
        (
            "ops.op_echo_json({ get a() { throw new RangeError('getter says no'); } })",
            "RangeError: getter says no",
        ),
        (
            "ops.op_echo_json(new Proxy({ a: 1 }, { get() { throw new SyntaxError('trap'); } }))",
            "SyntaxError: trap",
        ),
        (
            "ops.op_echo_json(new Proxy([1], { ownKeys() { throw new EvalError('keys'); } }))",
            "EvalError: keys",
        ),
    ] {
        assert_eq!(error_of(&mut rt, source), expected, "{source}");
    }
    // A thrown value that is not an Error comes back as it is.
    assert_eq!(
        eval::<String>(
            &mut rt,
            "try { ops.op_echo_json({ a: 1, get b() { throw 7; } }); 'no' } catch (e) { typeof e + ' ' + e }"
        ),
        "number 7"
    );
    // And the runtime is fine afterwards.
    assert_eq!(
        eval::<String>(&mut rt, "JSON.stringify(ops.op_echo_json({ a: [1] }))"),
        r#"{"a":[1]}"#
    );
}
