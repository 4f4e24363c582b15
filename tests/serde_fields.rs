//! Struct fields read by name: inherited fields and getters, `undefined` as
//! absent, and unknown fields honoured exactly whatever order struct types
//! are first seen in (the deserializer learns per type whether it rejects
//! unknown fields, and must never let that leak between types).

use std::fmt;

use opwire::serde_v8::{Deserializer, from_v8};
use opwire::{JsRuntime, RuntimeOptions, v8};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, MapAccess, Visitor};

fn js_to<T: DeserializeOwned>(rt: &mut JsRuntime, src: &str) -> Result<T, String> {
    let value = rt.execute_script("v.js", src).unwrap();
    rt.with_scope(|scope| {
        let local = v8::Local::new(scope, &value);
        from_v8(scope, local).map_err(|e| e.to_string())
    })
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions::default())
}

#[derive(Deserialize, Debug, PartialEq)]
struct Lenient {
    x: u32,
    #[serde(default)]
    y: u32,
    z: Option<u32>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct Strict {
    x: u32,
    #[serde(default)]
    y: u32,
    z: Option<u32>,
}

/// Same field list and the same name as `Strict` and `Lenient`.
mod twin {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    pub struct Lenient {
        pub x: u32,
        #[serde(default)]
        pub y: u32,
        pub z: Option<u32>,
    }
}

#[derive(Deserialize, Debug, PartialEq)]
struct Outer {
    inner: Vec<Strict>,
    #[serde(deserialize_with = "default_on_error")]
    guarded: Option<Strict>,
}

/// Swallows errors, as `serde_with::DefaultOnError` does.
fn default_on_error<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<Strict>, D::Error> {
    Ok(Strict::deserialize(d).ok())
}

#[test]
fn unknown_fields_are_ignored_or_rejected_on_every_call() {
    let mut rt = rt();
    for _ in 0..3 {
        assert_eq!(
            js_to::<Lenient>(&mut rt, "({ x: 1, extra: 2 })").unwrap(),
            Lenient {
                x: 1,
                y: 0,
                z: None
            }
        );
    }
    // First seen without unknown fields, then with them.
    for _ in 0..3 {
        assert_eq!(
            js_to::<Strict>(&mut rt, "({ x: 1, y: 2 })").unwrap(),
            Strict {
                x: 1,
                y: 2,
                z: None
            }
        );
        assert_eq!(
            js_to::<Strict>(&mut rt, "({ x: 1, extra: 2 })").unwrap_err(),
            ".extra: unknown field `extra`, expected one of `x`, `y`, `z`"
        );
        assert_eq!(
            js_to::<Strict>(&mut rt, "({ 0: 1, x: 1 })").unwrap_err(),
            ".0: unknown field `0`, expected one of `x`, `y`, `z`"
        );
    }
}

#[test]
fn types_with_the_same_fields_and_name_learn_separately() {
    for lenient_first in [true, false] {
        let mut rt = rt();
        let src = "({ x: 1, extra: 2 })";
        let check_lenient = |rt: &mut JsRuntime| {
            assert_eq!(
                js_to::<Lenient>(rt, src).unwrap(),
                Lenient {
                    x: 1,
                    y: 0,
                    z: None
                }
            );
        };
        let check_twin = |rt: &mut JsRuntime| {
            assert_eq!(
                js_to::<twin::Lenient>(rt, src).unwrap_err(),
                ".extra: unknown field `extra`, expected one of `x`, `y`, `z`"
            );
            assert_eq!(
                js_to::<twin::Lenient>(rt, "({ x: 1 })").unwrap(),
                twin::Lenient {
                    x: 1,
                    y: 0,
                    z: None
                }
            );
        };
        if lenient_first {
            check_lenient(&mut rt);
            check_twin(&mut rt);
        } else {
            check_twin(&mut rt);
            check_lenient(&mut rt);
        }
        check_lenient(&mut rt);
        check_twin(&mut rt);
    }
}

#[test]
fn a_strict_struct_first_seen_nested_or_behind_a_swallowed_error_is_right() {
    let mut rt = rt();
    let src = "({ inner: [{ x: 1 }, { x: 2, y: 3 }], guarded: { x: 4 } })";
    let expected = Outer {
        inner: vec![
            Strict {
                x: 1,
                y: 0,
                z: None,
            },
            Strict {
                x: 2,
                y: 3,
                z: None,
            },
        ],
        guarded: Some(Strict {
            x: 4,
            y: 0,
            z: None,
        }),
    };
    assert_eq!(js_to::<Outer>(&mut rt, src).unwrap(), expected);
    assert_eq!(js_to::<Outer>(&mut rt, src).unwrap(), expected);
    let unknown = "({ inner: [], guarded: { x: 4, w: 1 } })";
    assert_eq!(
        js_to::<Outer>(&mut rt, unknown).unwrap(),
        Outer {
            inner: vec![],
            guarded: None
        }
    );
    assert_eq!(
        js_to::<Outer>(&mut rt, "({ inner: [{ x: 1, w: 1 }], guarded: null })").unwrap_err(),
        ".inner[0].w: unknown field `w`, expected one of `x`, `y`, `z`"
    );
}

#[test]
fn fields_are_read_like_dictionary_members() {
    let mut rt = rt();
    // Inherited fields and getters are read; `undefined` counts as absent.
    assert_eq!(
        js_to::<Strict>(
            &mut rt,
            "class P { get x() { return 7; } }; const p = new P(); p.y = undefined; p"
        )
        .unwrap(),
        Strict {
            x: 7,
            y: 0,
            z: None
        }
    );
    assert_eq!(
        js_to::<Lenient>(&mut rt, "Object.create({ x: 1, z: 3 })").unwrap(),
        Lenient {
            x: 1,
            y: 0,
            z: Some(3)
        }
    );
    assert_eq!(
        js_to::<Lenient>(&mut rt, "({ x: undefined })").unwrap_err(),
        "missing field `x`"
    );
    // A getter that throws is an error at its path.
    assert_eq!(
        js_to::<Lenient>(&mut rt, "({ get x() { throw new Error('no'); } })").unwrap_err(),
        ".x: reading the property threw an exception"
    );
    // Maps still see `undefined` values and only own keys.
    assert_eq!(
        js_to::<std::collections::BTreeMap<String, Option<u32>>>(
            &mut rt,
            "const m = Object.create({ inherited: 1 }); m.a = undefined; m"
        )
        .unwrap(),
        [("a".to_owned(), None)].into_iter().collect()
    );
}

/// A hand-written `Deserialize` that asks for a struct but keeps every
/// entry it is given: it must see the object's own keys and nothing else.
#[derive(Debug, PartialEq)]
struct Recorder(Vec<(String, u32)>);

impl<'de> Deserialize<'de> for Recorder {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Recorder;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a recorder")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Recorder, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Recorder(entries))
            }
        }
        d.deserialize_struct("Recorder", &["a"], V)
    }
}

#[test]
fn a_visitor_that_keeps_unknown_entries_sees_exactly_the_own_keys() {
    let mut rt = rt();
    for _ in 0..2 {
        assert_eq!(
            js_to::<Recorder>(&mut rt, "({ b: 2, a: 1 })").unwrap(),
            Recorder(vec![("a".into(), 1), ("b".into(), 2)])
        );
        assert_eq!(
            js_to::<Recorder>(&mut rt, "({ a: 1 })").unwrap(),
            Recorder(vec![("a".into(), 1)])
        );
    }
}

#[test]
fn a_bare_deserializer_never_probes() {
    let mut rt = rt();
    let value = rt.execute_script("v.js", "({ x: 1, extra: 2 })").unwrap();
    for _ in 0..2 {
        let err = rt.with_scope(|scope| {
            let local = v8::Local::new(scope, &value);
            Strict::deserialize(Deserializer::new(scope, local)).unwrap_err()
        });
        assert_eq!(
            err.to_string(),
            ".extra: unknown field `extra`, expected one of `x`, `y`, `z`"
        );
        let ok = rt.with_scope(|scope| {
            let local = v8::Local::new(scope, &value);
            Lenient::deserialize(Deserializer::new(scope, local)).unwrap()
        });
        assert_eq!(
            ok,
            Lenient {
                x: 1,
                y: 0,
                z: None
            }
        );
    }
}

#[derive(Deserialize, Debug, PartialEq)]
struct Builtins {
    constructor: Option<String>,
    #[serde(rename = "toString")]
    to_string: Option<u32>,
    #[serde(rename = "__proto__", default)]
    proto: Option<u32>,
}

#[test]
fn fields_named_like_object_prototype_members_must_be_own() {
    let mut rt = rt();
    for _ in 0..2 {
        assert_eq!(
            js_to::<Builtins>(&mut rt, "({})").unwrap(),
            Builtins {
                constructor: None,
                to_string: None,
                proto: None
            }
        );
        assert_eq!(
            js_to::<Builtins>(
                &mut rt,
                "JSON.parse('{\"constructor\": \"c\", \"toString\": 2, \"__proto__\": 3}')"
            )
            .unwrap(),
            Builtins {
                constructor: Some("c".into()),
                to_string: Some(2),
                proto: Some(3)
            }
        );
    }
    // The same through a bare `Deserializer`.
    let value = rt.execute_script("v.js", "({ toString: 5 })").unwrap();
    let b = rt.with_scope(|scope| {
        let local = v8::Local::new(scope, &value);
        Builtins::deserialize(Deserializer::new(scope, local)).unwrap()
    });
    assert_eq!(
        b,
        Builtins {
            constructor: None,
            to_string: Some(5),
            proto: None
        }
    );
}
