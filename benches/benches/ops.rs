//! Criterion benches per op kind: fast vs slow path, each argument kind,
//! async eager vs lazy. Each measures a JS loop of 1,000 calls.
//!
//! `cargo bench -p opwire-benches --bench ops` (HTML in target/criterion).

use criterion::{Criterion, criterion_group, criterion_main};
use opwire::{JsRuntime, RuntimeOptions, op, v8};

#[op]
fn op_k_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[op(nofast)]
fn op_k_add_slow(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

#[op]
fn op_k_f64(a: f64) -> f64 {
    a * 2.0
}

#[op]
fn op_k_bool(a: bool) -> bool {
    !a
}

#[op]
fn op_k_str(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(0)
}

#[op(nofast)]
fn op_k_str_slow(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(0)
}

#[op]
fn op_k_string(s: String) -> u32 {
    u32::try_from(s.len()).unwrap_or(0)
}

#[op]
fn op_k_buf(b: &[u8]) -> u32 {
    u32::try_from(b.len()).unwrap_or(0)
}

#[op]
#[bigint]
fn op_k_bigint(#[bigint] v: u64) -> u64 {
    v + 1
}

#[op]
fn op_k_state(state: &mut opwire::OpState) -> u32 {
    let n = state.borrow_mut::<u32>();
    *n = n.wrapping_add(1);
    *n
}

#[op]
fn op_k_ret_string() -> String {
    "hello".to_owned()
}

#[op]
async fn op_k_async() -> u32 {
    1
}

#[op(nofast)]
async fn op_k_async_slow() -> u32 {
    1
}

#[op(async(lazy))]
async fn op_k_async_lazy() -> u32 {
    1
}

fn runtime() -> JsRuntime {
    let rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_k_add,
            op_k_add_slow,
            op_k_f64,
            op_k_bool,
            op_k_str,
            op_k_str_slow,
            op_k_string,
            op_k_buf,
            op_k_bigint,
            op_k_state,
            op_k_ret_string,
            op_k_async,
            op_k_async_slow,
            op_k_async_lazy,
        ],
        ..Default::default()
    });
    rt.op_state().borrow_mut().put(0u32);
    rt
}

fn js_function(rt: &mut JsRuntime, src: &str) -> v8::Global<v8::Function> {
    let value = rt.execute_script("bench.js", src).expect("bench source");
    rt.with_scope(|scope| {
        let local = v8::Local::new(scope, &value);
        let f = v8::Local::<v8::Function>::try_from(local).expect("a function");
        v8::Global::new(scope, f)
    })
}

fn call(rt: &mut JsRuntime, f: &v8::Global<v8::Function>) {
    rt.with_scope(|scope| {
        let f = v8::Local::new(scope, f);
        let undefined = v8::undefined(scope).into();
        f.call(scope, undefined, &[]).expect("bench call");
    });
}

fn sync_kinds(c: &mut Criterion) {
    let mut rt = runtime();
    rt.execute_script(
        "data.js",
        "globalThis.S = 'hello world'; globalThis.B = new Uint8Array(64);",
    )
    .unwrap();
    let cases = [
        ("add/fast", "ops.op_k_add(i, 1)"),
        ("add/slow", "ops.op_k_add_slow(i, 1)"),
        ("f64", "ops.op_k_f64(i)"),
        ("bool", "ops.op_k_bool(true)"),
        ("str/fast", "ops.op_k_str(S)"),
        ("str/slow", "ops.op_k_str_slow(S)"),
        ("string-owned", "ops.op_k_string(S)"),
        ("buffer", "ops.op_k_buf(B)"),
        ("bigint", "ops.op_k_bigint(5n)"),
        ("state", "ops.op_k_state()"),
        ("return-string", "ops.op_k_ret_string()"),
    ];
    let mut group = c.benchmark_group("sync-1000-calls");
    for (name, body) in cases {
        let f = js_function(
            &mut rt,
            &format!("(function () {{ for (let i = 0; i < 1000; i++) {body}; }})"),
        );
        group.bench_function(name, |b| b.iter(|| call(&mut rt, &f)));
    }
    group.finish();
}

fn async_kinds(c: &mut Criterion) {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = tokio.enter();
    let mut rt = runtime();
    let mut group = c.benchmark_group("async-1000-calls");
    for (name, op) in [
        ("eager", "op_k_async"),
        ("eager-nofast", "op_k_async_slow"),
        ("lazy", "op_k_async_lazy"),
    ] {
        let src = format!(
            "(function () {{ const ps = []; for (let i = 0; i < 1000; i++) ps.push(ops.{op}()); return Promise.all(ps); }})"
        );
        let f = js_function(&mut rt, &src);
        group.bench_function(name, |b| {
            b.iter(|| {
                let value = rt.with_scope(|scope| {
                    let f = v8::Local::new(scope, &f);
                    let undefined = v8::undefined(scope).into();
                    let v = f.call(scope, undefined, &[]).expect("bench call");
                    v8::Global::new(scope, v)
                });
                tokio.block_on(rt.resolve(value)).expect("settles");
            });
        });
    }
    group.finish();
}

criterion_group!(benches, sync_kinds, async_kinds);
criterion_main!(benches);
