//! Op metrics: off by default; when on, calls by path, errors, and async
//! ops started, completed and timed.

use std::time::Duration;

use opwire::{AbortSignal, JsRuntime, OpError, OpMetrics, RuntimeOptions, op};

use crate::util::{eval, tokio_rt};

#[op]
fn op_m_add(a: i32, b: i32) -> i32 {
    a + b
}

#[op]
fn op_m_fail(fail: bool) -> Result<u32, OpError> {
    if fail {
        return Err(OpError::type_error("asked to fail"));
    }
    Ok(1)
}

#[op]
async fn op_m_sleep(ms: u32, signal: Option<AbortSignal>) -> u32 {
    let _ = signal;
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    ms
}

#[op]
async fn op_m_ready(fail: bool) -> Result<u32, OpError> {
    if fail {
        return Err(OpError::error("no"));
    }
    Ok(2)
}

fn runtime(op_metrics: bool) -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_m_add, op_m_fail, op_m_sleep, op_m_ready],
        op_metrics,
        ..Default::default()
    })
}

fn metrics(rt: &JsRuntime, op: &str) -> OpMetrics {
    rt.op_metrics()
        .into_iter()
        .find(|(name, _)| *name == op)
        .map(|(_, m)| m)
        .unwrap_or_else(|| panic!("no metrics for {op}"))
}

#[test]
fn metrics_are_off_by_default() {
    let mut rt = runtime(false);
    assert_eq!(eval::<i32>(&mut rt, "ops.op_m_add(1, 2)"), 3);
    assert!(rt.op_metrics().is_empty());
}

#[test]
fn sync_calls_are_counted_by_path_with_errors() {
    let mut rt = runtime(true);
    rt.execute_script(
        "calls.js",
        "ops.op_m_add(1, 2);
         try { ops.op_m_add(1, 'x') } catch {}
         ops.op_m_fail(false);
         try { ops.op_m_fail(true) } catch {}",
    )
    .unwrap();
    let add = metrics(&rt, "op_m_add");
    assert_eq!((add.slow_calls, add.fast_calls, add.errors), (2, 0, 1));
    let fail = metrics(&rt, "op_m_fail");
    assert_eq!((fail.slow_calls, fail.errors), (2, 1));
    // Optimized JS takes the fast path; those calls are counted apart.
    rt.execute_script(
        "opt.js",
        "function f(a, b) { return ops.op_m_add(a, b); }
         %PrepareFunctionForOptimization(f);
         f(1, 2); f(1, 2);
         %OptimizeFunctionOnNextCall(f);
         for (let i = 0; i < 100; i++) f(i, 1);
         try { f(2 ** 40, 1) } catch {}",
    )
    .unwrap();
    let add = metrics(&rt, "op_m_add");
    assert_eq!(add.slow_calls, 4, "two warm-up calls on the slow path");
    assert_eq!(
        add.fast_calls, 101,
        "the optimized calls, the refused one too"
    );
    assert_eq!(add.errors, 2);
}

#[test]
fn async_ops_are_counted_and_timed() {
    let mut rt = runtime(true);
    tokio_rt().block_on(async {
        rt.execute_script(
            "async.js",
            "globalThis.c = new AbortController();
             ops.op_m_sleep(20, undefined);
             ops.op_m_sleep(3_600_000, c.signal).catch(() => {});
             ops.op_m_ready(false);
             ops.op_m_ready(true).catch(() => {});",
        )
        .unwrap();
        let sleep = metrics(&rt, "op_m_sleep");
        assert_eq!((sleep.async_started, sleep.pending), (2, 2));
        let ready = metrics(&rt, "op_m_ready");
        assert_eq!(
            (
                ready.async_started,
                ready.async_completed,
                ready.errors,
                ready.pending
            ),
            (2, 2, 1, 0),
            "settled during the call"
        );
        rt.execute_script("abort.js", "c.abort()").unwrap();
        rt.run_event_loop().await.unwrap();
        let sleep = metrics(&rt, "op_m_sleep");
        assert_eq!(sleep.async_completed, 2);
        assert_eq!(sleep.errors, 1, "the aborted op rejected");
        assert_eq!(sleep.pending, 0);
        assert!(sleep.async_total >= Duration::from_millis(20), "{sleep:?}");
        assert!(sleep.async_max >= Duration::from_millis(20), "{sleep:?}");
        assert_eq!(sleep.slow_calls, 2);
    });
}
