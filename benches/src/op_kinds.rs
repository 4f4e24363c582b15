//! One op of each kind, measured with `opwire-bench`: the fast and the
//! regular path of sync ops, each argument and return kind, `OpState`,
//! async ops (eager, `nofast`, lazy, one at a time and batched) and a
//! blocking op. The `ops` bench prints it (`-- --markdown` gives
//! BENCHMARKS.md's per-op-kind table) and registers it with criterion.

use opwire::{Extension, OpState, op};
use opwire_bench::Bench;

/// Does nothing.
#[op]
pub fn op_k_noop() {}

/// Adds; has a fast path.
#[op]
pub fn op_k_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// Adds, on the regular callback only.
#[op(nofast)]
pub fn op_k_add_slow(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// Doubles a float.
#[op]
pub fn op_k_f64(a: f64) -> f64 {
    a * 2.0
}

/// Negates a bool.
#[op]
pub fn op_k_bool(a: bool) -> bool {
    !a
}

/// The UTF-8 length of a borrowed string.
#[op]
pub fn op_k_str(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

/// The same, on the regular callback only.
#[op(nofast)]
pub fn op_k_str_slow(s: &str) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

/// The length of an owned string.
#[op]
pub fn op_k_string(s: String) -> u32 {
    u32::try_from(s.len()).unwrap_or(u32::MAX)
}

/// The length of a buffer, read in place.
#[op]
pub fn op_k_buf(b: &[u8]) -> u32 {
    u32::try_from(b.len()).unwrap_or(u32::MAX)
}

/// A `u64` in and out as BigInts.
#[op]
#[bigint]
pub fn op_k_bigint(#[bigint] v: u64) -> u64 {
    v.wrapping_add(1)
}

/// Counts its calls in `OpState`.
#[op]
pub fn op_k_state(state: &mut OpState) -> u32 {
    let n = state.borrow_mut::<u32>();
    *n = n.wrapping_add(1);
    *n
}

/// Returns a new string.
#[op]
pub fn op_k_ret_string() -> String {
    "hello".to_owned()
}

/// Resolves to 1; has a fast path.
#[op]
pub async fn op_k_async() -> u32 {
    1
}

/// The same, on the regular callback only.
#[op(nofast)]
pub async fn op_k_async_slow() -> u32 {
    1
}

/// Resolves to 1 on the next event-loop turn, never during the call.
#[op(async(lazy))]
pub async fn op_k_async_lazy() -> u32 {
    1
}

/// Returns 1 from tokio's blocking pool.
#[op(blocking)]
pub fn op_k_blocking() -> u32 {
    1
}

/// The ops above (with the contract's serde ops) as one extension, its
/// state holding `op_k_state`'s counter.
pub fn extension() -> Extension {
    Extension::new("op_kinds")
        .ops(opwire::ops![
            op_k_noop,
            op_k_add,
            op_k_add_slow,
            op_k_f64,
            op_k_bool,
            op_k_str,
            op_k_str_slow,
            op_k_string,
            op_k_buf,
            op_k_bigint,
            crate::op_bench_serde,
            crate::op_bench_serde_out,
            op_k_ret_string,
            op_k_state,
            op_k_async,
            op_k_async_slow,
            op_k_async_lazy,
            op_k_blocking,
        ])
        .state(|state| {
            state.put(0u32);
        })
}

/// The bench: one case per op kind, named after what it measures.
pub fn bench() -> Bench {
    Bench::new("op kinds")
        .extensions(|| vec![extension()])
        .setup(crate::CASE_VALUES)
        .sync("noop", "ops.op_k_noop()")
        .sync("i32 add", "ops.op_k_add(i, 1)")
        .sync("i32 add, nofast", "ops.op_k_add_slow(i, 1)")
        .sync("f64", "ops.op_k_f64(i)")
        .sync("bool", "ops.op_k_bool(true)")
        .sync("&str", "ops.op_k_str(S)")
        .sync("&str, nofast", "ops.op_k_str_slow(S)")
        .sync("String (owned)", "ops.op_k_string(S)")
        .sync("&[u8]", "ops.op_k_buf(B)")
        .sync("#[bigint] u64", "ops.op_k_bigint(5n)")
        .sync("#[serde] in", "ops.op_bench_serde(P)")
        .sync("#[serde] out", "ops.op_bench_serde_out(i)")
        .sync("returns String", "ops.op_k_ret_string()")
        .sync("&mut OpState", "ops.op_k_state()")
        .async_seq("async eager", "ops.op_k_async()")
        .async_batch("async eager, batched", "ops.op_k_async()", 1_000)
        .async_batch(
            "async eager, nofast, batched",
            "ops.op_k_async_slow()",
            1_000,
        )
        .async_seq("async(lazy)", "ops.op_k_async_lazy()")
        .async_batch("async(lazy), batched", "ops.op_k_async_lazy()", 1_000)
        .async_batch("blocking, batched", "ops.op_k_blocking()", 1_000)
}
