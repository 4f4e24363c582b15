//! Resources: ids, lookups that fail with `BadResource`, the built-in
//! `opwire.close`/`opwire.resources`, async ops sharing one resource, and
//! closing a resource cancelling the ops in flight on it.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use opwire::{JsRuntime, OpError, OpState, Resource, ResourceId, RuntimeOptions, op};

use crate::util::{eval, tokio_rt};

/// A connection whose state async ops keep borrowed across awaits: behind
/// an async mutex, as the `Resource` docs advise.
struct Conn {
    log: tokio::sync::Mutex<Vec<String>>,
    closed: Rc<Cell<u32>>,
}

impl Resource for Conn {
    fn name(&self) -> Cow<'_, str> {
        "conn".into()
    }

    fn close(self: Rc<Self>) {
        self.closed.set(self.closed.get() + 1);
    }
}

struct Other;
impl Resource for Other {}

/// How many times `Conn::close` ran (put in the state by `runtime`).
struct Closed(Rc<Cell<u32>>);

/// Set when an op's work (under the resource's cancel handle) is dropped.
struct Dropped(Rc<Cell<bool>>);

struct DropGuard(Rc<Cell<bool>>);
impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[op]
fn op_conn_open(state: &mut OpState) -> ResourceId {
    let closed = state.borrow::<Closed>().0.clone();
    state.resource_table.add(Conn {
        log: tokio::sync::Mutex::new(Vec::new()),
        closed,
    })
}

#[op]
fn op_other_open(state: &mut OpState) -> ResourceId {
    state.resource_table.add(Other)
}

#[op]
fn op_conn_len(state: &OpState, rid: ResourceId) -> Result<u32, OpError> {
    let conn = state.resource_table.get::<Conn>(rid)?;
    let len = conn.log.try_lock().map_or(0, |log| log.len());
    Ok(u32::try_from(len).unwrap_or(u32::MAX))
}

/// Appends `tag` to the connection's log, holding the lock across a sleep.
#[op]
async fn op_conn_write(
    state: Rc<RefCell<OpState>>,
    rid: ResourceId,
    tag: String,
    ms: u32,
) -> Result<String, OpError> {
    let conn = state.borrow().resource_table.get::<Conn>(rid)?;
    let mut log = conn.log.lock().await;
    log.push(format!("{tag}:start"));
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    log.push(format!("{tag}:end"));
    Ok(log.join(","))
}

/// Waits "forever" on the connection; closing it cancels the wait.
#[op]
async fn op_conn_wait(state: Rc<RefCell<OpState>>, rid: ResourceId) -> Result<u32, OpError> {
    let (cancel, dropped) = {
        let state = state.borrow();
        let cancel = state.resource_table.cancel_handle(rid)?;
        (cancel, state.borrow::<Dropped>().0.clone())
    };
    cancel
        .run(async move {
            let _guard = DropGuard(dropped);
            tokio::time::sleep(Duration::from_secs(3600)).await;
            7
        })
        .await
}

fn runtime() -> (JsRuntime, Rc<Cell<u32>>, Rc<Cell<bool>>) {
    let rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_conn_open,
            op_other_open,
            op_conn_len,
            op_conn_write,
            op_conn_wait
        ],
        ..Default::default()
    });
    let closed = Rc::new(Cell::new(0));
    let dropped = Rc::new(Cell::new(false));
    {
        let state = rt.op_state();
        let mut state = state.borrow_mut();
        state.put(Closed(closed.clone()));
        state.put(Dropped(dropped.clone()));
    }
    (rt, closed, dropped)
}

/// `e.name|e.code|e.message` of what `src` throws (synchronously).
fn caught(rt: &mut JsRuntime, src: &str) -> String {
    eval(
        rt,
        &format!(
            "try {{ {src}; 'no error' }} catch (e) {{ `${{e.name}}|${{e.code}}|${{e.message}}` }}"
        ),
    )
}

#[test]
fn bad_resource_ids_are_errors_that_name_the_op_and_the_id() {
    let (mut rt, _, _) = runtime();
    let conn: u32 = eval(&mut rt, "globalThis.conn = ops.op_conn_open(); conn");
    let other: u32 = eval(&mut rt, "globalThis.other = ops.op_other_open(); other");
    assert_eq!(eval::<u32>(&mut rt, "ops.op_conn_len(conn)"), 0);
    assert_eq!(
        caught(&mut rt, "ops.op_conn_len(99)"),
        "BadResource|ERR_BAD_RESOURCE|op_conn_len: bad resource id 99: no open resource has it (never opened, or closed)"
    );
    assert_eq!(
        caught(&mut rt, "ops.op_conn_len(other)"),
        format!(
            "BadResource|ERR_BAD_RESOURCE|op_conn_len: bad resource id {other}: it is a Other, not a Conn"
        )
    );
    let err = caught(&mut rt, "opwire.close(conn); ops.op_conn_len(conn)");
    assert!(
        err.starts_with(&format!(
            "BadResource|ERR_BAD_RESOURCE|op_conn_len: bad resource id {conn}:"
        )),
        "{err}"
    );
    assert_eq!(
        caught(&mut rt, "opwire.close(conn)"),
        format!(
            "BadResource|ERR_BAD_RESOURCE|op_close: bad resource id {conn}: no open resource has it (never opened, or closed)"
        )
    );
    // A bad id reaching an async op rejects its promise the same way.
    tokio_rt().block_on(async {
        let msg: String = rt
            .eval_async("bad.js", "ops.op_conn_write(12345, 'x', 0).catch((e) => `${e.name}|${e.message}`)")
            .await
            .unwrap();
        assert_eq!(msg, "BadResource|op_conn_write: bad resource id 12345: no open resource has it (never opened, or closed)");
    });
}

#[test]
fn resources_are_listed_and_closed_from_js() {
    let (mut rt, closed, _) = runtime();
    let listed: String = eval(
        &mut rt,
        "const a = ops.op_conn_open(), b = ops.op_other_open();
         const before = JSON.stringify(opwire.resources());
         opwire.close(a);
         `${before} ${JSON.stringify(opwire.resources())}`",
    );
    assert_eq!(listed, r#"{"0":"conn","1":"Other"} {"1":"Other"}"#);
    assert_eq!(closed.get(), 1, "Resource::close runs once, on close");
    assert_eq!(rt.op_state().borrow().resource_table.len(), 1);
}

#[test]
fn two_async_ops_share_one_resource_across_awaits() {
    let (mut rt, _, _) = runtime();
    tokio_rt().block_on(async {
        let logs: String = rt
            .eval_async(
                "share.js",
                "const c = ops.op_conn_open();
                 Promise.all([ops.op_conn_write(c, 'a', 20), ops.op_conn_write(c, 'b', 1)])
                   .then((logs) => logs.join(' | '))",
            )
            .await
            .unwrap();
        // The second op waits for the first's lock instead of panicking on
        // a borrowed cell, then sees its writes.
        assert_eq!(logs, "a:start,a:end | a:start,a:end,b:start,b:end");
    });
}

#[test]
fn closing_a_resource_cancels_its_ops_at_once() {
    let (mut rt, closed, dropped) = runtime();
    tokio_rt().block_on(async {
        rt.execute_script(
            "wait.js",
            "globalThis.c = ops.op_conn_open();
             globalThis.outcome = 'pending';
             ops.op_conn_wait(c).then(
               (v) => { outcome = `resolved ${v}`; },
               (e) => { outcome = `${e.name}|${e.code}|${e.message}`; });",
        )
        .unwrap();
        assert_eq!(rt.pending_ops(), 1);
        assert!(!dropped.get());
        // The op's work is dropped inside `opwire.close`, before the event
        // loop runs again.
        let out: String = eval(&mut rt, "opwire.close(c); 'closed'");
        assert_eq!(out, "closed");
        assert!(dropped.get(), "the future was dropped by close itself");
        assert_eq!(closed.get(), 1);
        tokio::time::timeout(Duration::from_secs(5), rt.run_event_loop())
            .await
            .expect("the loop ends: nothing waits on the closed resource")
            .unwrap();
        let outcome: String = eval(&mut rt, "outcome");
        assert_eq!(
            outcome,
            "Interrupted|EINTR|op_conn_wait: interrupted: resource 0 (conn) was closed"
        );
        assert_eq!(rt.pending_ops(), 0);
        assert_eq!(rt.pending_op_promises(), 0);
    });
}

#[test]
fn the_leak_check_names_what_a_test_left_behind() {
    let (mut rt, _, _) = runtime();
    // The op's sleep needs tokio's timer.
    let tokio = tokio_rt();
    let _guard = tokio.enter();
    let before = rt.activity();
    assert!(before.is_empty(), "{before}");
    rt.execute_script(
        "leaky.js",
        "globalThis.kept = ops.op_conn_open();
         ops.op_conn_open();
         ops.op_conn_wait(kept).catch(() => {});
         globalThis.t = setTimeout(() => {}, 60_000);
         AbortSignal.timeout(60_000);",
    )
    .unwrap();
    let err = rt.check_leaks(&before).unwrap_err();
    assert_eq!(
        err.to_string(),
        "leaked: 1 pending op_conn_wait, 2 open resources conn, 2 timers"
    );
    // What was there before is not a leak; cleaning up clears the report.
    let during = rt.activity();
    assert!(rt.check_leaks(&during).is_ok());
    rt.execute_script(
        "cleanup.js",
        "for (const rid of Object.keys(opwire.resources())) opwire.close(Number(rid));
         clearTimeout(t);",
    )
    .unwrap();
    // The loop settles the interrupted wait; the unrefed timer does not
    // hold it.
    tokio.block_on(rt.run_event_loop()).unwrap();
    let err = rt.check_leaks(&before).unwrap_err();
    assert_eq!(err.to_string(), "leaked: 1 timer");
}
