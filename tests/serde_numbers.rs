//! Long arrays of numbers read in bulk (`serde_v8/de/numbers.rs`): arrays
//! of at least 32 elements whose first element is read as a number are
//! copied by one JS call. The values and errors must be the ones the
//! element-by-element path gives (arrays of 31 elements take that path),
//! each element must be read once and in order, and no element after one
//! that fails may be read.

use std::collections::BTreeMap;

use opwire::serde_v8::from_v8;
use opwire::{JsRuntime, RuntimeOptions, v8};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::util::eval;

/// Evaluates `src` and deserializes it as `T` (the error as text).
fn read<T: DeserializeOwned>(rt: &mut JsRuntime, src: &str) -> Result<T, String> {
    let value = rt.execute_script("numbers.js", src).unwrap();
    rt.with_scope(|scope| {
        let local = v8::Local::new(scope, &value);
        from_v8::<T>(scope, local).map_err(|e| e.to_string())
    })
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions::default())
}

/// `n` elements made by the JS expression `f(i)`.
fn array(n: usize, f: &str) -> String {
    format!("Array.from({{ length: {n} }}, (_, i) => {f})")
}

#[test]
fn long_arrays_of_each_number_type_read_as_short_ones_do() {
    let mut rt = rt();
    for n in [31, 32, 1000] {
        let before = opwire::__private::serde_bulk_copies();
        let halves: Vec<f64> = read(&mut rt, &array(n, "i * 0.5 - 3")).unwrap();
        assert_eq!(
            halves,
            (0..n).map(|i| i as f64 * 0.5 - 3.0).collect::<Vec<_>>()
        );
        let floats: Vec<f32> = read(&mut rt, &array(n, "i / 3")).unwrap();
        assert_eq!(
            floats,
            (0..n).map(|i| (i as f64 / 3.0) as f32).collect::<Vec<_>>()
        );
        let bytes: Vec<u8> = read(&mut rt, &array(n, "i & 0xff")).unwrap();
        assert_eq!(bytes, (0..n).map(|i| (i & 0xff) as u8).collect::<Vec<_>>());
        let ints: Vec<i32> = read(&mut rt, &array(n, "i * -70000")).unwrap();
        assert_eq!(ints, (0..n).map(|i| i as i32 * -70000).collect::<Vec<_>>());
        let big: Vec<u64> = read(&mut rt, &array(n, "2 ** 52 + i")).unwrap();
        assert_eq!(
            big,
            (0..n).map(|i| (1 << 52) + i as u64).collect::<Vec<_>>()
        );
        let wide: Vec<i64> = read(&mut rt, &array(n, "-(2 ** 40) * i")).unwrap();
        assert_eq!(
            wide,
            (0..n)
                .map(|i| -(1_i64 << 40) * i as i64)
                .collect::<Vec<_>>()
        );
        let any: Vec<serde_json::Value> = read(&mut rt, &array(n, "i % 3 ? i : i + 0.5")).unwrap();
        let expected: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                if i % 3 == 0 {
                    serde_json::json!(i as f64 + 0.5)
                } else {
                    serde_json::json!(i)
                }
            })
            .collect();
        assert_eq!(any, expected, "n = {n}");
        let copies = opwire::__private::serde_bulk_copies() - before;
        assert_eq!(
            copies,
            if n < 32 { 0 } else { 7 },
            "n = {n}: arrays copied in bulk"
        );
    }
}

#[test]
fn elements_the_copy_stops_at_go_on_element_by_element() {
    let mut rt = rt();
    let before = opwire::__private::serde_bulk_copies();
    // Fractions are dropped for integer types (the copy leaves them to the
    // element-by-element path), -0 is 0, NaN stays a float, nulls are None.
    let bytes: Vec<u8> = read(&mut rt, &array(40, "i === 20 ? 7.9 : i === 30 ? -0 : i")).unwrap();
    let expected: Vec<u8> = (0..40)
        .map(|i| match i {
            20 => 7,
            30 => 0,
            i => i,
        })
        .collect();
    assert_eq!(bytes, expected);
    let floats: Vec<f64> = read(&mut rt, &array(40, "i === 10 ? NaN : i === 11 ? -0 : i")).unwrap();
    assert!(floats[10].is_nan());
    assert!(floats[11] == 0.0 && floats[11].is_sign_negative());
    assert_eq!(floats[39], 39.0);
    let maybe: Vec<Option<u16>> = read(&mut rt, &array(40, "i % 7 === 6 ? null : i")).unwrap();
    let expected: Vec<Option<u16>> = (0..40).map(|i| (i % 7 != 6).then_some(i)).collect();
    assert_eq!(maybe, expected);
    let mixed: Vec<serde_json::Value> =
        read(&mut rt, &array(40, "i === 33 ? 'x' : i === 34 ? [i] : i")).unwrap();
    assert_eq!(mixed[32], serde_json::json!(32));
    assert_eq!(mixed[33], serde_json::json!("x"));
    assert_eq!(mixed[34], serde_json::json!([34]));
    assert_eq!(mixed[39], serde_json::json!(39));
    // A hole reads as `undefined`, from the prototype chain.
    let holes: Vec<Option<f64>> = read(
        &mut rt,
        "const h = Array.from({ length: 40 }, (_, i) => i); delete h[35]; h",
    )
    .unwrap();
    assert_eq!(holes[35], None);
    assert_eq!(holes[36], Some(36.0));
    // Nested arrays and a JS Map's entries.
    let nested: Vec<Vec<f64>> = read(&mut rt, &array(3, &array(50, "i"))).unwrap();
    assert_eq!(nested, vec![(0..50).map(f64::from).collect::<Vec<_>>(); 3]);
    let map: BTreeMap<u32, u32> =
        read(&mut rt, &format!("new Map({})", array(40, "[i, i * 2]"))).unwrap();
    assert_eq!(map, (0..40).map(|i| (i, i * 2)).collect());
    // Every array above was copied: five, the three nested ones (not the
    // outer one, of arrays) and the Map's entries.
    assert_eq!(opwire::__private::serde_bulk_copies() - before, 9);
}

#[test]
fn errors_read_as_they_do_element_by_element() {
    let mut rt = rt();
    // The same bad element at index 5 of a short array and at index 35 of
    // a long one: the same message, at its own index.
    for (bad, ty) in [
        ("300", "u8"),
        ("'7'", "u8"),
        ("1.5e300", "i32"),
        ("2 ** 53", "u64"),
        ("null", "f64"),
    ] {
        let short = format!("Array.from({{ length: 31 }}, (_, i) => i === 5 ? {bad} : i)");
        let long = format!("Array.from({{ length: 40 }}, (_, i) => i === 35 ? {bad} : i)");
        let (short, long) = match ty {
            "u8" => (
                read::<Vec<u8>>(&mut rt, &short).map(drop),
                read::<Vec<u8>>(&mut rt, &long).map(drop),
            ),
            "i32" => (
                read::<Vec<i32>>(&mut rt, &short).map(drop),
                read::<Vec<i32>>(&mut rt, &long).map(drop),
            ),
            "u64" => (
                read::<Vec<u64>>(&mut rt, &short).map(drop),
                read::<Vec<u64>>(&mut rt, &long).map(drop),
            ),
            _ => (
                read::<Vec<f64>>(&mut rt, &short).map(drop),
                read::<Vec<f64>>(&mut rt, &long).map(drop),
            ),
        };
        let (short, long) = (short.unwrap_err(), long.unwrap_err());
        assert!(short.starts_with("[5]: "), "{short}");
        assert_eq!(short.replacen("[5]", "[35]", 1), long, "{bad} as {ty}");
    }
    // A fixed-size tuple from a long array.
    let err = read::<(u8, u8, u8)>(&mut rt, &array(40, "i")).unwrap_err();
    assert_eq!(err, "expected an array of 3 elements, got 40");
}

#[test]
fn each_element_is_read_once_and_none_after_a_failing_one() {
    let mut rt = rt();
    rt.execute_script(
        "getters.js",
        "globalThis.reads = []; \
         globalThis.watched = (n, bad) => { \
           const a = Array.from({ length: n }, (_, i) => i === bad ? 300 : i); \
           for (const i of [0, 1, 33, 36, n - 1]) { \
             const v = a[i]; \
             Object.defineProperty(a, i, { get() { reads.push(i); return v; }, enumerable: true }); \
           } \
           return a; \
         };",
    )
    .unwrap();
    let all: Vec<u8> = read(&mut rt, "reads = []; watched(40, -1)").unwrap();
    assert_eq!(all.len(), 40);
    assert_eq!(eval::<String>(&mut rt, "reads.join()"), "0,1,33,36,39");
    // Element 30 is out of range for u8: nothing after it is read.
    let err = read::<Vec<u8>>(&mut rt, "reads = []; watched(40, 30)").unwrap_err();
    assert_eq!(err, "[30]: expected u8, got number 300 (out of range)");
    assert_eq!(eval::<String>(&mut rt, "reads.join()"), "0,1");
    // The element the copy stops at (33, out of range) is read once.
    let err = read::<Vec<u8>>(&mut rt, "reads = []; watched(40, 33)").unwrap_err();
    assert_eq!(err, "[33]: expected u8, got number 300 (out of range)");
    assert_eq!(eval::<String>(&mut rt, "reads.join()"), "0,1,33");
    // A tuple (here a fixed-size array) is read element by element: one
    // shorter than the array reads no element past its own.
    let before = opwire::__private::serde_bulk_copies();
    let err = read::<(u8, u8, u8)>(&mut rt, "reads = []; watched(40, -1)").unwrap_err();
    assert_eq!(err, "expected an array of 3 elements, got 40");
    assert_eq!(eval::<String>(&mut rt, "reads.join()"), "0,1");
    let fixed: [u8; 32] = read(&mut rt, &array(32, "i")).unwrap();
    assert_eq!(fixed[31], 31);
    assert_eq!(opwire::__private::serde_bulk_copies(), before);
    // A getter that throws stops the read there, with its index.
    let err = read::<Vec<f64>>(
        &mut rt,
        "const t = Array.from({ length: 40 }, (_, i) => i); \
         Object.defineProperty(t, 37, { get() { throw new Error('boom'); } }); t",
    );
    assert_eq!(
        err.unwrap_err(),
        "[37]: reading the element threw an exception"
    );
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Num {
    Int(u8),
    Float(f64),
}

#[test]
fn untagged_enums_and_newtypes_of_numbers() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Meters(f32);
    let mut rt = rt();
    let nums: Vec<Num> = read(&mut rt, &array(40, "i === 20 ? 300 : i")).unwrap();
    assert_eq!(nums[19], Num::Int(19));
    assert_eq!(nums[20], Num::Float(300.0));
    let meters: Vec<Meters> = read(&mut rt, &array(40, "i * 1.5")).unwrap();
    assert_eq!(meters[39], Meters(58.5));
}

#[test]
fn arrays_longer_than_a_chunk_and_huge_sparse_ones() {
    let mut rt = rt();
    // 10,000 elements: element 0, then chunks of 4,096 from element 1.
    let before = opwire::__private::serde_bulk_copies();
    let many: Vec<u32> = read(&mut rt, &array(10_000, "i * 3")).unwrap();
    assert_eq!(many, (0..10_000).map(|i| i * 3).collect::<Vec<_>>());
    assert_eq!(opwire::__private::serde_bulk_copies() - before, 3);
    // A bad element in the third chunk; one where a chunk ends.
    for bad in [9_000, 4_096, 4_097] {
        let err = read::<Vec<u32>>(&mut rt, &array(10_000, &format!("i === {bad} ? -1 : i")))
            .unwrap_err();
        assert_eq!(
            err,
            format!("[{bad}]: expected u32, got number -1 (out of range)")
        );
    }
    // A sparse array of length 2^32 - 1 copies no more than a chunk at a
    // time (its holes read as `undefined`).
    let err = read::<Vec<f64>>(&mut rt, "const s = [1.5]; s.length = 2 ** 32 - 1; s").unwrap_err();
    assert_eq!(err, "[1]: expected f64, got undefined");
}
