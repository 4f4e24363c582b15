//! Limits: a heap limit that ends in an error instead of a process abort,
//! termination from another thread, deadlines, and what works afterwards.

use std::time::{Duration, Instant};

use opwire::{Error, JsRuntime, RuntimeOptions, Termination, op};

use crate::util::{eval, tokio_rt};

#[op]
fn op_lim_add(a: i32, b: i32) -> i32 {
    a + b
}

/// A sync op that blocks its caller for `ms`.
#[op]
fn op_lim_block(ms: u32) {
    std::thread::sleep(Duration::from_millis(ms.into()));
}

#[op]
async fn op_lim_sleep(ms: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    ms
}

fn runtime(max_heap_bytes: Option<usize>) -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_lim_add, op_lim_block, op_lim_sleep],
        max_heap_bytes,
        ..Default::default()
    })
}

/// A script that allocates until a heap limit stops it.
pub const ALLOCATE_FOREVER: &str =
    "const kept = []; while (true) kept.push(new Array(100_000).fill(Math.random()));";

#[test]
fn the_heap_limit_is_an_error_and_other_runtimes_go_on() {
    let limit = 64 << 20;
    let mut hungry = runtime(Some(limit));
    let err = hungry
        .execute_script("hungry.js", ALLOCATE_FOREVER)
        .unwrap_err();
    assert!(
        matches!(err, Error::HeapLimit { limit: l } if l == limit),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the heap limit of 67108864 bytes was reached; the runtime was terminated"
    );
    // The exhausted runtime refuses further JS instead of crashing.
    let again = hungry.execute_script("again.js", "1").unwrap_err();
    assert!(matches!(again, Error::HeapLimit { .. }), "{again:?}");
    {
        let mut other = runtime(None);
        assert_eq!(eval::<i32>(&mut other, "ops.op_lim_add(1, 2)"), 3);
    }
    drop(hungry);
    // And a new runtime on the same thread after it.
    let mut later = runtime(Some(limit));
    assert_eq!(eval::<i32>(&mut later, "ops.op_lim_add(2, 2)"), 4);
}

/// Many small objects, not only large arrays, stop at the limit. With
/// Turboshaft's loop unrolling (which opwire turns off) the loop's
/// optimized code never acted on the termination: the limit was raised
/// again and again until V8 aborted the process at about 16 GB.
#[test]
fn many_small_allocations_stop_at_the_heap_limit_too() {
    let limit = 32 << 20;
    let mut hungry = runtime(Some(limit));
    let err = hungry
        .execute_script(
            "small.js",
            "const kept = []; while (true) kept.push(new Array(1000).fill(1));",
        )
        .unwrap_err();
    assert!(matches!(err, Error::HeapLimit { .. }), "{err:?}");
}

/// A loop that keeps allocating (and so gets optimized on the stack while
/// it runs) stops at its deadline too. With Turboshaft's loop unrolling
/// (which opwire turns off) the first one never stopped, however often
/// termination was requested.
#[test]
fn a_deadline_stops_an_allocating_loop() {
    // Should termination be lost, fail rather than hang the test run.
    let (done, finished) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if finished.recv_timeout(Duration::from_secs(120))
            == Err(std::sync::mpsc::RecvTimeoutError::Timeout)
        {
            eprintln!("a_deadline_stops_an_allocating_loop: no termination in 120 s");
            std::process::abort();
        }
    });
    let mut rt = runtime(None);
    for source in [
        "let a; while (true) a = new Array(1000).fill(1);",
        "let b = []; while (true) { b.push(new Array(1000).fill(1)); if (b.length > 1000) b = []; }",
    ] {
        let err = rt
            .execute_script_with_timeout("alloc.js", source, Duration::from_millis(200))
            .unwrap_err();
        assert!(
            matches!(err, Error::Terminated(Termination::Deadline)),
            "{source}: {err:?}"
        );
    }
    drop(done);
}

#[test]
fn a_handle_terminates_js_from_another_thread() {
    let mut rt = runtime(None);
    let handle = rt.terminate_handle();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.terminate()
    });
    let err = rt.execute_script("spin.js", "while (true) {}").unwrap_err();
    assert!(
        matches!(err, Error::Terminated(Termination::Requested)),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "execution terminated");
    assert!(watchdog.join().unwrap(), "the runtime was alive");
    // The runtime runs JS and ops again.
    assert_eq!(eval::<i32>(&mut rt, "ops.op_lim_add(40, 2)"), 42);
    let handle = rt.terminate_handle();
    drop(rt);
    assert!(
        !handle.terminate(),
        "a handle outliving its runtime does nothing"
    );
}

#[test]
fn deadlines_stop_loops_microtasks_and_callers_of_slow_ops() {
    let mut rt = runtime(None);
    let cases = [
        "while (true) {}",
        "(function again() { Promise.resolve().then(again); })()",
        "for (;;) ops.op_lim_block(5);",
    ];
    for source in cases {
        let start = Instant::now();
        let err = rt
            .execute_script_with_timeout("stuck.js", source, Duration::from_millis(100))
            .unwrap_err();
        assert!(
            matches!(err, Error::Terminated(Termination::Deadline)),
            "{source}: {err:?}"
        );
        assert!(start.elapsed() < Duration::from_secs(5), "{source}");
        // Nothing keeps running afterwards (the microtasks are gone too).
        assert_eq!(eval::<i32>(&mut rt, "ops.op_lim_add(1, 1)"), 2, "{source}");
    }
    // A script that finishes in time is unaffected.
    let v = rt
        .execute_script_with_timeout("quick.js", "6 * 7", Duration::from_secs(5))
        .unwrap();
    assert_eq!(rt.from_global::<i32>(&v).unwrap(), 42);
}

#[test]
fn a_loop_deadline_drops_pending_ops_and_the_runtime_goes_on() {
    let mut rt = runtime(None);
    tokio_rt().block_on(async {
        rt.execute_script("wait.js", "ops.op_lim_sleep(3_600_000)")
            .unwrap();
        let err = rt
            .run_event_loop_with_timeout(Duration::from_millis(50))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Terminated(Termination::Deadline)),
            "{err:?}"
        );
        assert_eq!(rt.pending_ops(), 0);
        assert_eq!(rt.pending_op_promises(), 0, "JS forgot the dropped op");
        // A timer callback that never returns is stopped too.
        rt.execute_script("timer.js", "setTimeout(() => { while (true) {} }, 1)")
            .unwrap();
        let err = rt
            .run_event_loop_with_timeout(Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Terminated(Termination::Deadline)),
            "{err:?}"
        );
        let v: u32 = rt
            .eval_async("after.js", "ops.op_lim_sleep(1)")
            .await
            .unwrap();
        assert_eq!(v, 1);
    });
}
