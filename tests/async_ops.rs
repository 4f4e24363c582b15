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
    async move {
        tokio::task::yield_now().await;
        x * 3
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
