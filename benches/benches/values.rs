//! Criterion benches for values: the serde bridge against `JSON.parse` /
//! `JSON.stringify` + serde_json in the same run, and a 1 MiB buffer in and
//! out of an op (throughput in bytes).
//!
//! `cargo bench -p opwire-benches --bench values`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opwire::serde_v8::{from_v8, to_v8};
use opwire::{JsRuntime, RuntimeOptions, op, v8};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone)]
struct Item {
    id: u32,
    name: String,
    price: f64,
    tags: Vec<String>,
    active: bool,
}

fn item(i: u32) -> Item {
    Item {
        id: i,
        name: format!("item {i}"),
        price: f64::from(i) * 1.25,
        tags: vec!["a".into(), "bb".into()],
        active: i % 2 == 0,
    }
}

#[op]
fn op_v_sum(b: &[u8]) -> u32 {
    b.iter().step_by(4096).map(|x| u32::from(*x)).sum()
}

#[op]
fn op_v_make(n: u32) -> Vec<u8> {
    vec![1; n as usize]
}

fn json_stringify_fn(rt: &mut JsRuntime) -> (v8::Global<v8::Function>, v8::Global<v8::Function>) {
    let parse = rt.execute_script("p.js", "(s) => JSON.parse(s)").unwrap();
    let stringify = rt
        .execute_script("s.js", "(v) => JSON.stringify(v)")
        .unwrap();
    rt.with_scope(|scope| {
        let p = v8::Local::new(scope, &parse);
        let s = v8::Local::new(scope, &stringify);
        (
            v8::Global::new(scope, v8::Local::<v8::Function>::try_from(p).unwrap()),
            v8::Global::new(scope, v8::Local::<v8::Function>::try_from(s).unwrap()),
        )
    })
}

/// `JSON.parse(text)` through `parse`.
fn json_parse(rt: &mut JsRuntime, parse: &v8::Global<v8::Function>, text: &str) {
    rt.with_scope(|scope| {
        let s = v8::String::new(scope, text).unwrap().into();
        let f = v8::Local::new(scope, parse);
        let undefined = v8::undefined(scope).into();
        f.call(scope, undefined, &[s]).unwrap();
    });
}

/// `JSON.stringify(value)` through `stringify`, as a Rust string.
fn json_stringify(
    rt: &mut JsRuntime,
    stringify: &v8::Global<v8::Function>,
    value: &v8::Global<v8::Value>,
) -> String {
    rt.with_scope(|scope| {
        let v = v8::Local::new(scope, value);
        let f = v8::Local::new(scope, stringify);
        let undefined = v8::undefined(scope).into();
        f.call(scope, undefined, &[v])
            .unwrap()
            .to_rust_string_lossy(scope)
    })
}

fn serde_vs_json(c: &mut Criterion) {
    let mut rt = JsRuntime::new(RuntimeOptions::default());
    let (parse, stringify) = json_stringify_fn(&mut rt);
    for (label, values) in [
        ("small-struct", vec![item(1)]),
        ("10-structs", (0..10).map(item).collect()),
        ("1000-structs", (0..1000).map(item).collect()),
    ] {
        let mut group = c.benchmark_group(format!("to-v8/{label}"));
        let single = values.len() == 1;
        group.bench_function("serde_v8", |b| {
            b.iter(|| {
                rt.with_scope(|scope| {
                    if single {
                        to_v8(scope, &values[0]).unwrap()
                    } else {
                        to_v8(scope, &values).unwrap()
                    };
                });
            });
        });
        group.bench_function("serde_json+JSON.parse", |b| {
            b.iter(|| {
                let text = if single {
                    serde_json::to_string(&values[0])
                } else {
                    serde_json::to_string(&values)
                }
                .unwrap();
                json_parse(&mut rt, &parse, &text);
            });
        });
        group.finish();

        let js_value = rt.with_scope(|scope| {
            let v = if single {
                to_v8(scope, &values[0]).unwrap()
            } else {
                to_v8(scope, &values).unwrap()
            };
            v8::Global::new(scope, v)
        });
        let mut group = c.benchmark_group(format!("from-v8/{label}"));
        group.bench_function("serde_v8", |b| {
            b.iter(|| {
                rt.with_scope(|scope| {
                    let v = v8::Local::new(scope, &js_value);
                    if single {
                        let _: Item = from_v8(scope, v).unwrap();
                    } else {
                        let _: Vec<Item> = from_v8(scope, v).unwrap();
                    }
                });
            });
        });
        group.bench_function("JSON.stringify+serde_json", |b| {
            b.iter(|| {
                let text = json_stringify(&mut rt, &stringify, &js_value);
                if single {
                    let _: Item = serde_json::from_str(&text).unwrap();
                } else {
                    let _: Vec<Item> = serde_json::from_str(&text).unwrap();
                }
            });
        });
        group.finish();
    }
}

fn buffers(c: &mut Criterion) {
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_v_sum, op_v_make],
        ..Default::default()
    });
    rt.execute_script("b.js", "globalThis.MIB = new Uint8Array(1 << 20).fill(1);")
        .unwrap();
    let into = rt
        .execute_script("in.js", "(function () { return ops.op_v_sum(MIB); })")
        .unwrap();
    let out = rt
        .execute_script(
            "out.js",
            "(function () { return ops.op_v_make(1 << 20).length; })",
        )
        .unwrap();
    let mut group = c.benchmark_group("buffer-1MiB");
    group.throughput(Throughput::Bytes(1 << 20));
    for (name, f) in [("into-op", into), ("out-of-op", out)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                rt.with_scope(|scope| {
                    let f = v8::Local::new(scope, &f);
                    let f = v8::Local::<v8::Function>::try_from(f).unwrap();
                    let undefined = v8::undefined(scope).into();
                    f.call(scope, undefined, &[]).unwrap();
                });
            });
        });
    }
    group.finish();
}

/// A `Vec<f64>` of 1,000 numbers (a JS array of Numbers), both ways,
/// against JSON.
fn numbers_vs_json(c: &mut Criterion) {
    let mut rt = JsRuntime::new(RuntimeOptions::default());
    let (parse, stringify) = json_stringify_fn(&mut rt);
    let numbers: Vec<f64> = (0..1000).map(|i| f64::from(i) * 0.5).collect();
    let mut group = c.benchmark_group("numbers-1000");
    group.bench_function("to-v8/serde_v8", |b| {
        b.iter(|| {
            rt.with_scope(|scope| {
                to_v8(scope, &numbers).unwrap();
            });
        });
    });
    group.bench_function("to-v8/serde_json+JSON.parse", |b| {
        b.iter(|| {
            let text = serde_json::to_string(&numbers).unwrap();
            json_parse(&mut rt, &parse, &text);
        });
    });
    let js_value = rt.with_scope(|scope| {
        let v = to_v8(scope, &numbers).unwrap();
        v8::Global::new(scope, v)
    });
    group.bench_function("from-v8/serde_v8", |b| {
        b.iter(|| {
            rt.with_scope(|scope| {
                let v = v8::Local::new(scope, &js_value);
                let _: Vec<f64> = from_v8(scope, v).unwrap();
            });
        });
    });
    group.bench_function("from-v8/JSON.stringify+serde_json", |b| {
        b.iter(|| {
            let text = json_stringify(&mut rt, &stringify, &js_value);
            let _: Vec<f64> = serde_json::from_str(&text).unwrap();
        });
    });
    group.finish();
}

criterion_group!(benches, serde_vs_json, numbers_vs_json, buffers);
criterion_main!(benches);
