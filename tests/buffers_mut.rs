//! `JsBufferMut`: async ops writing the caller's buffer in place, and what
//! it refuses (non-buffers, shared and resizable memory, bytes another
//! pending op holds).

use opwire::{JsBuffer, JsBufferMut, JsRuntime, RuntimeOptions, op};

use crate::util::{error_of, tokio_rt};

/// Fills `buf` with `byte` after a turn of the event loop.
#[op]
pub async fn op_fill_later(mut buf: JsBufferMut, byte: u8) -> u32 {
    tokio::task::yield_now().await;
    buf.fill(byte);
    u32::try_from(buf.len()).unwrap()
}

/// Writes `0, 1, 2, ...` into `buf` right away (settles during the call).
#[op]
pub async fn op_count_into(mut buf: JsBufferMut) -> u32 {
    for (i, b) in buf.iter_mut().enumerate() {
        *b = u8::try_from(i % 256).unwrap();
    }
    u32::try_from(buf.len()).unwrap()
}

/// Sums `buf` after a turn of the event loop.
#[op]
pub async fn op_sum_later(buf: JsBuffer) -> u32 {
    tokio::task::yield_now().await;
    buf.iter().map(|b| u32::from(*b)).sum()
}

fn rt() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_fill_later, op_count_into, op_sum_later],
        ..Default::default()
    })
}

fn run(rt: &mut JsRuntime, src: &str) -> String {
    tokio_rt().block_on(async {
        rt.eval_async::<String>("test.js", src)
            .await
            .unwrap_or_else(|e| panic!("{src}: {e}"))
    })
}

#[test]
fn writes_land_in_the_callers_array() {
    let mut rt = rt();
    let got = run(
        &mut rt,
        r#"(async () => {
            const big = new Uint8Array(1000);
            const n = await ops.op_fill_later(big, 7);
            const small = new Uint8Array(4); // kept inside the JS heap by V8
            await ops.op_fill_later(small, 9);
            const whole = new Uint8Array(6);
            await ops.op_fill_later(whole.subarray(2, 4), 5); // only the view
            const ab = new ArrayBuffer(3);
            await ops.op_count_into(ab);
            const dv = new Uint8Array(4);
            await ops.op_count_into(new DataView(dv.buffer, 1, 2));
            return [n, big.every((b) => b === 7), small.join(), whole.join(),
                    new Uint8Array(ab).join(), dv.join()].join(" ");
        })()"#,
    );
    assert_eq!(got, "1000 true 9,9,9,9 0,0,5,5,0,0 0,1,2 0,0,1,0");
}

#[test]
fn a_non_buffer_is_a_type_error_naming_the_op_and_argument() {
    let mut rt = rt();
    assert_eq!(
        error_of(&mut rt, "ops.op_fill_later(3, 1)"),
        "TypeError: op_fill_later: argument 'buf' (#1) expected Uint8Array, got number 3"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_count_into('abc')"),
        "TypeError: op_count_into: argument 'buf' (#1) expected Uint8Array, got string"
    );
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_fill_later(new Uint8Array(new SharedArrayBuffer(8)), 1)"
        ),
        "TypeError: op_fill_later: argument 'buf' (#1) expected Uint8Array, got Uint8Array (shared memory is not supported)"
    );
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_fill_later(new Uint8Array(new ArrayBuffer(4, { maxByteLength: 8 })), 1)"
        ),
        "TypeError: op_fill_later: argument 'buf' (#1) expected Uint8Array, got Uint8Array (resizable buffers are not supported here)"
    );
}

#[test]
fn bytes_held_for_writing_are_not_handed_out_twice() {
    let mut rt = rt();
    let got = run(
        &mut rt,
        r#"(async () => {
            const u = new Uint8Array(16);
            const errors = [];
            const first = ops.op_fill_later(u.subarray(0, 8), 1);
            const tryCall = (f) => { try { f(); } catch (e) { errors.push(e.message); } };
            tryCall(() => ops.op_fill_later(u.subarray(4, 12), 2)); // overlaps: refused
            tryCall(() => ops.op_sum_later(u.subarray(7, 9)));      // a reader too
            const second = ops.op_fill_later(u.subarray(8), 3);     // disjoint: fine
            const empty = ops.op_fill_later(u.subarray(2, 2), 4);   // holds nothing
            await Promise.all([first, second, empty]);
            // Released once the ops are done: the whole buffer again.
            const sum = await ops.op_sum_later(u);
            await ops.op_fill_later(u, 0);
            return [...errors, u.slice(0, 9).join(), sum].join("\n");
        })()"#,
    );
    assert_eq!(
        got,
        "op_fill_later: argument 'buf' (#1) expected Uint8Array, got Uint8Array (a pending op is already using its bytes)\n\
         op_sum_later: argument 'buf' (#1) expected Uint8Array, got Uint8Array (a pending op is writing its bytes)\n\
         0,0,0,0,0,0,0,0,0\n\
         32"
    );
}

#[test]
fn readers_share_and_exclude_a_writer() {
    let mut rt = rt();
    let got = run(
        &mut rt,
        r#"(async () => {
            const u = new Uint8Array([1, 2, 3]);
            const a = ops.op_sum_later(u);
            const b = ops.op_sum_later(u.subarray(1));
            let refused = "";
            try { ops.op_fill_later(u, 0); } catch (e) { refused = e.message; }
            return `${await a} ${await b} ${refused.endsWith("(a pending op is already using its bytes)")}`;
        })()"#,
    );
    assert_eq!(got, "6 5 true");
}

#[test]
fn a_transferred_buffer_stays_valid_for_the_op() {
    let mut rt = rt();
    let got = run(
        &mut rt,
        r#"(async () => {
            const u = new Uint8Array(32);
            const p = ops.op_fill_later(u, 6);
            const moved = u.buffer.transfer(); // detaches u's buffer
            const n = await p;
            return `${n} ${u.length} ${moved.byteLength}`;
        })()"#,
    );
    assert_eq!(got, "32 0 32");
}

#[test]
fn typed_as_uint8array() {
    assert_eq!(
        op_fill_later::DECL.typescript(),
        "op_fill_later(buf: Uint8Array, byte: number): Promise<number>"
    );
}
