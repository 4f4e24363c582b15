//! Async ops: promises, eager and lazy polling, ordering, errors, blocking
//! ops, state, and the pending tables.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use opwire::{JsRuntime, OpError, OpState, RuntimeOptions, op};

use crate::util::{eval, tokio_rt};

#[op]
pub async fn op_sleep(ms: u32) {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
}

#[op]
pub async fn op_ready(x: u32) -> u32 {
    x + 1
}

#[op(async(lazy))]
pub async fn op_ready_lazy(x: u32) -> u32 {
    x + 1
}

#[op]
pub async fn op_yield(x: u32) -> u32 {
    tokio::task::yield_now().await;
    x
}

#[op]
pub async fn op_tagged(ms: u32, tag: String) -> String {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    tag
}

#[op]
pub async fn op_read_text(#[string] path: String) -> Result<String, OpError> {
    Ok(tokio::fs::read_to_string(path).await?)
}

/// Ids handed out by `op_next_id`.
pub struct NextId(pub u32);

#[op]
pub async fn op_next_id(state: Rc<RefCell<OpState>>) -> u32 {
    tokio::task::yield_now().await;
    let mut state = state.borrow_mut();
    let id = state.borrow_mut::<NextId>();
    id.0 += 1;
    id.0
}

#[op]
pub async fn op_touch_then_wait(state: Rc<RefCell<OpState>>) {
    state.borrow_mut().borrow_mut::<NextId>().0 += 100;
    tokio::task::yield_now().await;
}

#[op(async(lazy))]
pub async fn op_touch_lazy(state: Rc<RefCell<OpState>>) {
    state.borrow_mut().borrow_mut::<NextId>().0 += 100;
}

#[op]
pub async fn op_async_fail(#[string] class: String, later: bool) -> Result<u32, OpError> {
    if later {
        tokio::task::yield_now().await;
    }
    Err(OpError::new(class, "async failure").with_code("E_ASYNC"))
}

#[op]
pub async fn op_async_panic() -> u32 {
    tokio::task::yield_now().await;
    panic!("async boom")
}

#[op]
pub fn op_future(x: u32) -> impl Future<Output = u32> {
    // Work done during the call, before the future is returned.
    let tripled = x * 3;
    async move {
        tokio::task::yield_now().await;
        tripled
    }
}

#[op]
#[bigint]
pub async fn op_big_async() -> u64 {
    tokio::task::yield_now().await;
    u64::MAX
}

#[op]
#[number]
pub async fn op_too_big_async() -> u64 {
    u64::MAX
}

#[op]
pub fn op_thread() -> String {
    format!("{:?}", std::thread::current().id())
}

#[op(blocking)]
pub fn op_blocking_thread() -> String {
    format!("{:?}", std::thread::current().id())
}

#[op(blocking)]
pub fn op_truncate(#[string] path: String, #[number] len: u64) -> Result<(), OpError> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .set_len(len)?;
    Ok(())
}

#[op(blocking)]
pub fn op_blocking_panic() -> u32 {
    panic!("blocking boom")
}

pub fn async_runtime() -> JsRuntime {
    let rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_sleep,
            op_ready,
            op_ready_lazy,
            op_yield,
            op_tagged,
            op_read_text,
            op_next_id,
            op_touch_then_wait,
            op_touch_lazy,
            op_async_fail,
            op_async_panic,
            op_future,
            op_big_async,
            op_too_big_async,
            op_thread,
            op_blocking_thread,
            op_truncate,
            op_blocking_panic,
        ],
        ..Default::default()
    });
    rt.op_state().borrow_mut().put(NextId(0));
    rt
}

#[test]
fn an_async_op_returns_a_promise_that_the_loop_settles() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let v: u32 = rt
            .eval_async(
                "a.js",
                "(async () => { await ops.op_sleep(5); return ops.op_yield(41); })()",
            )
            .await
            .unwrap();
        assert_eq!(v, 41);
        assert!(eval::<bool>(&mut rt, "ops.op_sleep(1) instanceof Promise"));
        rt.run_event_loop().await.unwrap();
    });
}

#[test]
fn eager_results_settle_without_the_event_loop_but_still_asynchronously() {
    let mut rt = async_runtime();
    // No tokio runtime and no event loop: the eager op is done inside the call.
    rt.execute_script(
        "e.js",
        "globalThis.order = []; ops.op_ready(1).then((v) => order.push('then ' + v)); order.push('sync');",
    )
    .unwrap();
    assert_eq!(eval::<String>(&mut rt, "order.join()"), "sync,then 2");
    assert_eq!(rt.pending_ops(), 0);
    assert_eq!(rt.pending_op_promises(), 0);
}

#[test]
fn lazy_ops_wait_for_the_event_loop() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        rt.execute_script(
            "l.js",
            "globalThis.order = []; ops.op_ready_lazy(1).then((v) => order.push('then ' + v)); order.push('sync');",
        )
        .unwrap();
        assert_eq!(eval::<String>(&mut rt, "order.join()"), "sync");
        assert_eq!((rt.pending_ops(), rt.pending_op_promises()), (1, 1));
        rt.run_event_loop().await.unwrap();
        assert_eq!(eval::<String>(&mut rt, "order.join()"), "sync,then 2");
        assert_eq!((rt.pending_ops(), rt.pending_op_promises()), (0, 0));
    });
}

#[test]
fn eager_ops_run_their_first_step_inside_the_call_and_lazy_ones_do_not() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let peek = |rt: &JsRuntime| rt.op_state().borrow().borrow::<NextId>().0;
        rt.execute_script("t.js", "ops.op_touch_then_wait()")
            .unwrap();
        assert_eq!(peek(&rt), 100, "eager: polled during the call");
        rt.execute_script("t.js", "ops.op_touch_lazy()").unwrap();
        assert_eq!(peek(&rt), 100, "lazy: not polled yet");
        rt.run_event_loop().await.unwrap();
        assert_eq!(peek(&rt), 200);
    });
}

#[test]
fn completions_settle_in_the_order_they_finish() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let order: String = rt
            .eval_async(
                "o.js",
                r#"(async () => {
                    const done = [];
                    const track = (p) => p.then((tag) => done.push(tag));
                    const all = await Promise.all([
                        track(ops.op_tagged(300, "slow")),
                        track(ops.op_tagged(5, "fast")),
                        track(ops.op_tagged(150, "mid")),
                    ]);
                    return done.join() + "|" + all.join();
                })()"#,
            )
            .await
            .unwrap();
        assert_eq!(
            order, "fast,mid,slow|3,1,2",
            "done order, then each one's place in it"
        );
    });
}

#[test]
fn a_hundred_thousand_concurrent_ops_settle_and_leave_no_pending_entries() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let sum: f64 = rt
            .eval_async(
                "many.js",
                r#"(async () => {
                    const ps = new Array(100000);
                    for (let i = 0; i < ps.length; i++) ps[i] = ops.op_yield(i);
                    const vs = await Promise.all(ps);
                    return vs.reduce((a, b) => a + b, 0);
                })()"#,
            )
            .await
            .unwrap();
        assert_eq!(sum, 4_999_950_000.0);
        assert_eq!(rt.pending_ops(), 0, "Rust pending set");
        assert_eq!(rt.pending_op_promises(), 0, "JS ring and overflow map");
        // And again with lazy ops, all through the pending set.
        let n: u32 = rt
            .eval_async(
                "lazy.js",
                "Promise.all(Array.from({ length: 20000 }, (_, i) => ops.op_ready_lazy(i))).then((v) => v.length)",
            )
            .await
            .unwrap();
        assert_eq!(n, 20_000);
        assert_eq!((rt.pending_ops(), rt.pending_op_promises()), (0, 0));
    });
}

#[test]
fn ten_thousand_concurrent_sleeps_all_settle() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let n: u32 = rt
            .eval_async(
                "sleeps.js",
                "Promise.all(Array.from({ length: 10000 }, () => ops.op_sleep(1))).then((v) => v.length)",
            )
            .await
            .unwrap();
        assert_eq!(n, 10_000);
    });
}

#[test]
fn rejections_carry_class_message_and_code() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let describe = r#"(p) => p.then(
            (v) => "resolved " + v,
            (e) => [e instanceof Error, e.name, e.message, e.code].join("|"))"#;
        rt.execute_script("d.js", &format!("globalThis.describe = {describe};")).unwrap();
        let cases = [
            ("ops.op_async_fail('NotFound', true)", "true|NotFound|async failure|E_ASYNC"),
            ("ops.op_async_fail('TypeError', false)", "true|TypeError|async failure|E_ASYNC"),
            ("ops.op_async_panic()", "true|Error|op_async_panic panicked: async boom|"),
            ("ops.op_blocking_panic()", "true|Error|op_blocking_panic panicked: blocking boom|"),
            ("ops.op_read_text('/no/such/opwire/file')", "true|NotFound|No such file or directory (os error 2)|ENOENT"),
            (
                "ops.op_too_big_async()",
                "true|RangeError|op_too_big_async: return value: expected a safe integer (at most 2^53 - 1 in size), got u64 18446744073709551615 (use #[bigint] for the full range)|",
            ),
        ];
        for (call, expected) in cases {
            let got: String = rt.eval_async("c.js", &format!("describe({call})")).await.unwrap();
            assert_eq!(got, expected, "{call}");
        }
        assert_eq!(rt.eval_async::<u32>("f.js", "ops.op_future(5)").await.unwrap(), 15);
        assert!(rt.eval_async::<bool>("b.js", "ops.op_big_async().then((v) => v === 2n ** 64n - 1n)").await.unwrap());
        // The runtime keeps working after a panicking async op.
        assert_eq!(rt.eval_async::<u32>("y.js", "ops.op_yield(7)").await.unwrap(), 7);
    });
}

#[test]
fn argument_errors_throw_synchronously() {
    let mut rt = async_runtime();
    let got: String = eval(
        &mut rt,
        r#"const r = [];
           try { ops.op_sleep("x"); r.push("no throw"); } catch (e) { r.push(e.name + ": " + e.message); }
           try { ops.op_sleep(); } catch (e) { r.push(e.message); }
           try { ops.op_tagged(1, "a", 3); } catch (e) { r.push(e.message); }
           r.join("\n")"#,
    );
    assert_eq!(
        got,
        "TypeError: op_sleep: argument 'ms' (#1) expected u32, got string\n\
         op_sleep: missing argument 'ms' (#1): expected 1 argument, got 0\n\
         op_tagged: expected 2 arguments, got 3"
    );
    assert_eq!((rt.pending_ops(), rt.pending_op_promises()), (0, 0));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_tagged.name === 'op_tagged' && ops.op_tagged.length === 2"
    ));
}

#[test]
fn async_state_is_shared_through_rc() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let ids: String = rt
            .eval_async("s.js", "Promise.all([ops.op_next_id(), ops.op_next_id(), ops.op_next_id()]).then((v) => v.join())")
            .await
            .unwrap();
        assert_eq!(ids, "1,2,3");
    });
}

#[test]
fn blocking_ops_run_off_the_js_thread() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let js_thread: String = eval(&mut rt, "ops.op_thread()");
        assert_eq!(js_thread, format!("{:?}", std::thread::current().id()));
        let pool_thread: String = rt.eval_async("b.js", "ops.op_blocking_thread()").await.unwrap();
        assert_ne!(pool_thread, js_thread);

        let dir = std::env::temp_dir().join(format!("opwire-truncate-{}", std::process::id()));
        std::fs::write(&dir, b"0123456789").unwrap();
        let path = dir.display().to_string();
        let len: u32 = rt
            .eval_async(
                "t.js",
                &format!("ops.op_truncate({path:?}, 4).then(() => ops.op_read_text({path:?})).then((s) => s.length)"),
            )
            .await
            .unwrap();
        assert_eq!(len, 4);
        assert_eq!(std::fs::read(&dir).unwrap(), b"0123");
        std::fs::remove_file(&dir).unwrap();
    });
}

#[test]
fn op_metadata_of_async_ops() {
    use opwire::OpKind;
    assert_eq!(op_sleep::DECL.kind(), OpKind::Async);
    assert_eq!(op_ready_lazy::DECL.kind(), OpKind::AsyncLazy);
    assert_eq!(op_truncate::DECL.kind(), OpKind::Blocking);
    assert_eq!(
        op_read_text::DECL.typescript(),
        "op_read_text(path: string): Promise<string>"
    );
    assert_eq!(
        op_sleep::DECL.typescript(),
        "op_sleep(ms: number): Promise<void>"
    );
    assert_eq!(
        op_future::DECL.typescript(),
        "op_future(x: number): Promise<number>"
    );
}
