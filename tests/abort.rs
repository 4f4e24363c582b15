//! `AbortController` / `AbortSignal` in JS, and async ops cancelled by a
//! signal: dropped at once, rejected with the signal's reason, nothing left
//! in either pending table.

use std::cell::Cell;
use std::time::Duration;

use opwire::{AbortSignal, JsRuntime, RuntimeOptions, op};

use crate::util::{error_of, eval, tokio_rt};

thread_local! {
    /// Set when `op_wait`'s future starts and when it is dropped.
    static STARTED: Cell<u32> = const { Cell::new(0) };
    static DROPPED: Cell<u32> = const { Cell::new(0) };
}

struct DropGuard;
impl Drop for DropGuard {
    fn drop(&mut self) {
        DROPPED.with(|d| d.set(d.get() + 1));
    }
}

/// Waits `ms`, unless its signal aborts first.
#[op]
async fn op_wait(ms: u32, signal: Option<AbortSignal>) -> u32 {
    let _ = signal;
    STARTED.with(|s| s.set(s.get() + 1));
    let _guard = DropGuard;
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    ms
}

/// How many `op_wait` futures were dropped so far.
#[op]
fn op_dropped() -> u32 {
    DROPPED.with(Cell::get)
}

/// A sync op that reads a signal.
#[op]
fn op_is_aborted(signal: AbortSignal) -> bool {
    signal.aborted()
}

fn runtime() -> JsRuntime {
    STARTED.with(|s| s.set(0));
    DROPPED.with(|d| d.set(0));
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_wait, op_dropped, op_is_aborted],
        ..Default::default()
    })
}

#[test]
fn the_js_api() {
    let mut rt = runtime();
    let out: String = eval(
        &mut rt,
        r#"
        const log = [];
        const c = new AbortController();
        const s = c.signal;
        log.push(String(s.aborted), String(s.reason), Object.prototype.toString.call(s));
        s.onabort = (e) => log.push(`onabort:${e.type}:${e.target === s}`);
        const once = () => log.push("once");
        s.addEventListener("abort", once, { once: true });
        s.addEventListener("abort", () => log.push("listener"));
        s.addEventListener("abort", () => { throw new Error("listener error"); });
        c.abort();
        c.abort("again"); // a second abort changes nothing
        log.push(String(s.aborted), s.reason.name, s.reason.message);
        try { s.throwIfAborted(); } catch (e) { log.push(`threw:${e === s.reason}`); }
        const reason = { why: "custom" };
        const c2 = new AbortController();
        c2.abort(reason);
        log.push(`custom:${c2.signal.reason === reason}`);
        log.push(`static:${AbortSignal.abort().aborted}:${AbortSignal.abort(7).reason}`);
        const any = AbortSignal.any([new AbortController().signal, c2.signal]);
        log.push(`any:${any.reason === reason}`);
        try { new AbortSignal(); } catch (e) { log.push(`${e.name}:${e.message}`); }
        log.join(",")
        "#,
    );
    assert_eq!(
        out,
        "false,undefined,[object AbortSignal],onabort:abort:true,once,listener,\
         true,AbortError,This operation was aborted,threw:true,custom:true,static:true:7,\
         any:true,TypeError:Illegal constructor"
    );
    // The listener's exception is reported, not swallowed.
    tokio_rt().block_on(async {
        let err = rt.run_event_loop().await.unwrap_err();
        assert!(err.to_string().contains("listener error"), "{err}");
    });
}

#[test]
fn a_timeout_signal_aborts_without_keeping_the_loop_alive() {
    let mut rt = runtime();
    tokio_rt().block_on(async {
        let name: String = rt
            .eval_async(
                "timeout.js",
                "const s = AbortSignal.timeout(5);
                 setTimeout(() => {}, 50); // keeps the loop running meanwhile
                 new Promise((resolve) => s.addEventListener('abort', () => resolve(s.reason.name)))",
            )
            .await
            .unwrap();
        assert_eq!(name, "TimeoutError");
        // A signal that times out in an hour does not hold the loop.
        rt.execute_script("idle.js", "AbortSignal.timeout(3_600_000)")
            .unwrap();
        tokio::time::timeout(Duration::from_secs(5), rt.run_event_loop())
            .await
            .expect("an unrefed timer does not keep the loop running")
            .unwrap();
    });
}

#[test]
fn aborting_drops_the_op_at_once_and_rejects_with_the_reason() {
    let mut rt = runtime();
    tokio_rt().block_on(async {
        let out: String = rt
            .eval_async(
                "abort.js",
                r#"
                const c = new AbortController();
                const reason = new Error("stop");
                const p = ops.op_wait(3_600_000, c.signal);
                const before = ops.op_dropped();
                c.abort(reason);
                const after = ops.op_dropped(); // dropped inside abort()
                p.then(() => "resolved", (e) => `${before}->${after} same:${e === reason}`)
                "#,
            )
            .await
            .unwrap();
        assert_eq!(out, "0->1 same:true");
        let name: String = rt
            .eval_async(
                "default.js",
                "const c2 = new AbortController();
                 const p2 = ops.op_wait(3_600_000, c2.signal);
                 c2.abort();
                 p2.catch((e) => `${e.name}: ${e.message}`)",
            )
            .await
            .unwrap();
        assert_eq!(name, "AbortError: This operation was aborted");
        tokio::time::timeout(Duration::from_secs(5), rt.run_event_loop())
            .await
            .expect("nothing is left pending")
            .unwrap();
        assert_eq!(rt.pending_ops(), 0);
        assert_eq!(rt.pending_op_promises(), 0);
    });
}

#[test]
fn an_aborted_signal_rejects_without_starting_the_op() {
    let mut rt = runtime();
    tokio_rt().block_on(async {
        let out: String = rt
            .eval_async(
                "already.js",
                "ops.op_wait(1, AbortSignal.abort('no')).then(() => 'resolved', (e) => `rejected ${e}`)",
            )
            .await
            .unwrap();
        assert_eq!(out, "rejected no");
        assert_eq!(STARTED.with(Cell::get), 0, "the op never ran");
        assert_eq!(rt.pending_ops(), 0);
        assert_eq!(rt.pending_op_promises(), 0);
    });
}

#[test]
fn signals_that_do_not_abort_change_nothing() {
    let mut rt = runtime();
    tokio_rt().block_on(async {
        let out: String = rt
            .eval_async(
                "normal.js",
                "const c = new AbortController();
                 Promise.all([ops.op_wait(1, c.signal), ops.op_wait(2, undefined), ops.op_wait(3, c.signal)])
                   .then((v) => { c.abort(); return v.join(); })",
            )
            .await
            .unwrap();
        assert_eq!(out, "1,2,3");
        assert!(eval::<bool>(&mut rt, "ops.op_is_aborted(AbortSignal.abort())"));
        assert!(!eval::<bool>(&mut rt, "ops.op_is_aborted(new AbortController().signal)"));
    });
}

#[test]
fn a_value_that_is_not_a_signal_is_a_type_error() {
    let mut rt = runtime();
    assert_eq!(
        error_of(&mut rt, "ops.op_wait(1, { aborted: false })"),
        "TypeError: op_wait: argument 'signal' (#2) expected AbortSignal or undefined, got object"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_is_aborted(5)"),
        "TypeError: op_is_aborted: argument 'signal' (#1) expected AbortSignal, got number 5"
    );
    // A look-alike built from the prototype is not a signal either.
    assert_eq!(
        error_of(
            &mut rt,
            "ops.op_is_aborted(Object.create(AbortSignal.prototype))"
        ),
        "TypeError: op_is_aborted: argument 'signal' (#1) expected AbortSignal, got object"
    );
    let dts = rt.typescript_declarations();
    assert!(
        dts.contains("op_wait(ms: number, signal?: AbortSignal | null): Promise<number>;"),
        "{dts}"
    );
}
