//! Buffers: in-place views for sync ops, owned and shared forms for async
//! ops, zero-copy returns, and the refusals (detached, shared, aliasing).

use opwire::{JsBuffer, JsRuntime, OpState, RuntimeOptions, op};

use crate::util::{allocations, error_of, eval, tokio_rt};

#[op]
pub fn op_buf_sum(#[buffer] b: &[u8]) -> u32 {
    b.iter().map(|x| u32::from(*x)).sum()
}

#[op]
pub fn op_buf_len(b: &[u8]) -> u32 {
    u32::try_from(b.len()).unwrap()
}

#[op]
pub fn op_buf_fill(b: &mut [u8], v: u8) {
    b.fill(v);
}

#[op]
pub fn op_buf_copy(src: &[u8], dst: &mut [u8]) -> u32 {
    let n = src.len().min(dst.len());
    dst[..n].copy_from_slice(&src[..n]);
    u32::try_from(n).unwrap()
}

/// The address of the last buffer `op_make_buf` handed out.
struct MadeAt(usize);

#[op]
pub fn op_make_buf(state: &mut OpState, n: u32) -> Vec<u8> {
    let v: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
    state.put(MadeAt(v.as_ptr() as usize));
    v
}

#[op]
pub fn op_is_made_buf(state: &OpState, b: &[u8]) -> bool {
    state
        .try_borrow::<MadeAt>()
        .is_some_and(|m| m.0 == b.as_ptr() as usize)
}

#[op]
pub fn op_boxed_buf() -> Box<[u8]> {
    vec![7; 3].into_boxed_slice()
}

#[op]
#[allow(clippy::boxed_local, reason = "the op takes each owned buffer form")]
pub fn op_copy_in(v: Vec<u8>, b: Box<[u8]>, c: bytes::Bytes) -> u32 {
    u32::try_from(v.len() + b.len() + c.len()).unwrap()
}

#[op]
pub async fn op_async_sum(v: Vec<u8>) -> u32 {
    tokio::task::yield_now().await;
    v.iter().map(|x| u32::from(*x)).sum()
}

#[op]
pub async fn op_async_shared_sum(b: JsBuffer) -> u32 {
    tokio::task::yield_now().await;
    b.iter().map(|x| u32::from(*x)).sum()
}

#[op]
pub async fn op_async_bytes(n: u32) -> Vec<u8> {
    tokio::task::yield_now().await;
    vec![1; n as usize]
}

#[op]
pub async fn op_async_echo_bytes(b: bytes::Bytes) -> bytes::Bytes {
    b
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_buf_sum,
            op_buf_len,
            op_buf_fill,
            op_buf_copy,
            op_make_buf,
            op_is_made_buf,
            op_boxed_buf,
            op_copy_in,
            op_async_sum,
            op_async_shared_sum,
            op_async_bytes,
            op_async_echo_bytes,
        ],
        ..Default::default()
    })
}

#[test]
fn views_of_every_kind_are_read_in_place() {
    let mut rt = rt();
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_buf_sum(new Uint8Array([1, 2, 3]))"),
        6
    );
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "ops.op_buf_sum(new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 3))"
        ),
        5
    );
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_buf_sum(new Uint16Array([257]))"),
        2
    );
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "ops.op_buf_sum(new DataView(new Uint8Array([5, 6, 7]).buffer, 1))"
        ),
        13
    );
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_buf_sum(new Uint8Array([9, 9]).buffer)"),
        18
    );
    assert_eq!(eval::<u32>(&mut rt, "ops.op_buf_sum(new Uint8Array(0))"), 0);
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "ops.op_buf_len(new ArrayBuffer(8, { maxByteLength: 16 }))"
        ),
        8
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_buf_sum([1, 2])"),
        "TypeError: op_buf_sum: argument 'b' (#1) expected Uint8Array, got array"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_buf_sum('abc')"),
        "TypeError: op_buf_sum: argument 'b' (#1) expected Uint8Array, got string"
    );
}

#[test]
fn writes_through_mut_slices_are_visible_in_js() {
    let mut rt = rt();
    let got: String = eval(
        &mut rt,
        "const u = new Uint8Array(6); ops.op_buf_fill(u.subarray(2, 4), 7); u.join()",
    );
    assert_eq!(got, "0,0,7,7,0,0");
    let got: String = eval(
        &mut rt,
        "const a = new Uint8Array([1,2,3]); const b = new Uint8Array(3); ops.op_buf_copy(a, b); b.join()",
    );
    assert_eq!(got, "1,2,3");
}

#[test]
fn a_mut_slice_may_not_alias_another_argument() {
    let mut rt = rt();
    assert_eq!(
        error_of(
            &mut rt,
            "const x = new Uint8Array(8); ops.op_buf_copy(x.subarray(0, 4), x.subarray(2, 6))"
        ),
        "TypeError: op_buf_copy: argument 'dst' (#2) overlaps argument 'src' (#1); a mutable buffer cannot share memory with another argument"
    );
    // Disjoint parts of one buffer are fine.
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "const y = new Uint8Array(8); ops.op_buf_copy(y.subarray(0, 4), y.subarray(4))"
        ),
        4
    );
}

#[test]
fn detached_buffers_are_refused_and_shared_ones_viewed() {
    let mut rt = rt();
    assert_eq!(
        error_of(
            &mut rt,
            "const ab = new ArrayBuffer(8); ab.transfer(); ops.op_buf_sum(ab)"
        ),
        "TypeError: op_buf_sum: argument 'b' (#1) expected ArrayBuffer, got ArrayBuffer (it is detached)"
    );
    // A view of a detached buffer has length 0, as in JS.
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "const v = new Uint8Array(8); v.buffer.transfer(); ops.op_buf_len(v)"
        ),
        0
    );
    // Shared memory is viewed like any other (it never leaves this thread).
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "const s = new SharedArrayBuffer(4); new Uint8Array(s).fill(2); ops.op_buf_sum(s)"
        ),
        8
    );
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "ops.op_buf_sum(new Uint8Array(new SharedArrayBuffer(3)).fill(1))"
        ),
        3
    );
    let filled: String = eval(
        &mut rt,
        "const t = new Uint8Array(new SharedArrayBuffer(3)); ops.op_buf_fill(t, 5); t.join()",
    );
    assert_eq!(filled, "5,5,5");
    // A JsBuffer outlives the call, so it refuses shared and resizable memory.
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_async_shared_sum(new Uint8Array(new SharedArrayBuffer(8)))"
        ),
        "TypeError: op_async_shared_sum: argument 'b' (#1) expected Uint8Array, got Uint8Array (shared memory is not supported)"
    );
    let e = error_of(
        &mut rt,
        "ops.op_async_shared_sum(new Uint8Array(new ArrayBuffer(4, { maxByteLength: 8 })))",
    );
    assert_eq!(
        e,
        "TypeError: op_async_shared_sum: argument 'b' (#1) expected Uint8Array, got Uint8Array (resizable buffers are not supported here)"
    );
}

#[test]
fn small_typed_arrays_on_the_js_heap_are_written_in_place() {
    let mut rt = rt();
    let got: String = eval(
        &mut rt,
        "const small = new Uint8Array(4); ops.op_buf_fill(small, 3); small.join()",
    );
    assert_eq!(got, "3,3,3,3");
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_buf_sum(new Uint8Array([1, 2]))"),
        3
    );
}

#[test]
fn a_mebibyte_goes_in_and_out_without_copies() {
    let mut rt = rt();
    // Out: the Uint8Array owns the Vec's allocation; in: the op sees that same memory.
    assert!(eval::<bool>(
        &mut rt,
        "globalThis.big = ops.op_make_buf(1 << 20); big.length === 1048576 && big[1000] === 1000 % 251"
    ));
    assert!(eval::<bool>(&mut rt, "ops.op_is_made_buf(big)"));
    assert!(eval::<bool>(&mut rt, "ops.op_is_made_buf(big.subarray(0))"));
    // Passing it in makes no Rust allocation at all.
    rt.execute_script("warm.js", "ops.op_buf_sum(big)").unwrap();
    let before = allocations();
    let sum: u32 = eval(&mut rt, "ops.op_buf_sum(big)");
    assert!(sum > 0);
    let during = allocations() - before;
    let before = allocations();
    let _: u32 = eval(&mut rt, "ops.op_buf_len(big)");
    assert_eq!(
        during,
        allocations() - before,
        "a 1 MiB view costs what any call costs"
    );
    assert_eq!(
        eval::<String>(&mut rt, "Array.from(ops.op_boxed_buf()).join()"),
        "7,7,7"
    );
    assert_eq!(
        eval::<u32>(
            &mut rt,
            "ops.op_copy_in(new Uint8Array(2), new Uint8Array(3).buffer, new Uint8Array(4))"
        ),
        9
    );
}

#[test]
fn async_ops_take_copies_or_shared_buffers() {
    tokio_rt().block_on(async {
        let mut rt = rt();
        let sums: String = rt
            .eval_async(
                "a.js",
                r#"(async () => {
                    const u = new Uint8Array([1, 2, 3]);
                    const copied = ops.op_async_sum(u);
                    const shared = ops.op_async_shared_sum(u);
                    u[0] = 100; // after the call, before the ops run on
                    return [await copied, await shared].join();
                })()"#,
            )
            .await
            .unwrap();
        assert_eq!(sums, "6,105", "Vec<u8> copied at the call; JsBuffer sees the later write");
        let shared_survives_detach: u32 = rt
            .eval_async(
                "d.js",
                "(async () => { const u = new Uint8Array([4, 5]); const p = ops.op_async_shared_sum(u); u.buffer.transfer(); return p; })()",
            )
            .await
            .unwrap();
        assert_eq!(shared_survives_detach, 9);
        let made: String = rt.eval_async("m.js", "ops.op_async_bytes(4).then((u) => u.constructor.name + u.join())").await.unwrap();
        assert_eq!(made, "Uint8Array1,1,1,1");
        let echoed: String = rt.eval_async("e.js", "ops.op_async_echo_bytes(new Uint8Array([3, 2])).then((u) => u.join())").await.unwrap();
        assert_eq!(echoed, "3,2");
    });
}

#[test]
fn buffer_op_typings() {
    assert_eq!(
        op_buf_copy::DECL.typescript(),
        "op_buf_copy(src: Uint8Array, dst: Uint8Array): number"
    );
    assert_eq!(
        op_make_buf::DECL.typescript(),
        "op_make_buf(n: number): Uint8Array"
    );
    assert_eq!(
        op_async_bytes::DECL.typescript(),
        "op_async_bytes(n: number): Promise<Uint8Array>"
    );
}
