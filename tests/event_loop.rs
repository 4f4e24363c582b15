//! The event loop: timers, microtasks, unhandled rejections, idle CPU,
//! dropping with work pending, several loops at once, multi-thread tokio.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use crate::async_ops::async_runtime;
use crate::util::{eval, tokio_rt};

#[test]
fn timers_fire_in_browser_order() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        rt.execute_script(
            "timers.js",
            r#"
            globalThis.log = [];
            setTimeout(() => log.push("t200"), 200);
            setTimeout(() => log.push("a0"), 0);
            setTimeout(() => log.push("b0"), 0);
            setTimeout((x, y) => {
                log.push("c1:" + x + y);
                setTimeout(() => log.push("nested"), 0);
                Promise.resolve().then(() => log.push("micro-after-c1"));
            }, 1, "x", "y");
            setTimeout(() => log.push("d1"), 1);
            const cleared = setTimeout(() => log.push("cleared"), 2);
            clearTimeout(cleared);
            const later = setTimeout(() => log.push("cleared-from-callback"), 30);
            setTimeout(() => clearTimeout(later), 0);
            let n = 0;
            const iv = setInterval(() => { log.push("iv" + n); if (++n === 3) clearInterval(iv); }, 3);
            queueMicrotask(() => log.push("qm"));
            log.push("sync");
            "#,
        )
        .unwrap();
        rt.run_event_loop().await.unwrap();
        let log: String = eval(&mut rt, "log.join()");
        let pos = |s: &str| log.split(',').position(|x| x == s).unwrap_or_else(|| panic!("{s} missing in {log}"));
        assert!(log.starts_with("sync,qm,a0,b0,"), "{log}");
        assert!(pos("c1:xy") < pos("d1"), "same delay, set order: {log}");
        assert_eq!(pos("micro-after-c1"), pos("c1:xy") + 1, "microtasks run after each callback: {log}");
        assert!(pos("nested") > pos("d1"), "a timer set in a callback fires in a later pass: {log}");
        assert!(pos("iv0") < pos("iv1") && pos("iv1") < pos("iv2") && pos("iv2") < pos("t200"), "{log}");
        assert!(!log.contains("cleared") && !log.contains("iv3"), "{log}");
        assert_eq!(rt.pending_ops(), 0);
    });
}

#[test]
fn replacing_the_op_state_leaves_timers_alone() {
    // The loop owns its timers: a user who swaps the whole `OpState` (between
    // setting a timer and running the loop, or before setting one) neither
    // breaks `setTimeout` nor makes the loop stop with a callback queued.
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        *rt.op_state().borrow_mut() = opwire::OpState::default();
        rt.execute_script(
            "timers.js",
            r#"
            globalThis.fired = [];
            setTimeout(() => fired.push("a"), 5);
            const cleared = setTimeout(() => fired.push("cleared"), 1);
            clearTimeout(cleared);
            "#,
        )
        .unwrap();
        *rt.op_state().borrow_mut() = opwire::OpState::default();
        rt.execute_script("more.js", "setTimeout(() => fired.push('b'), 10)")
            .unwrap();
        rt.run_event_loop().await.unwrap();
        let fired: String = eval(&mut rt, "fired.join()");
        assert_eq!(fired, "a,b");
    });
}

#[test]
fn timer_argument_errors() {
    let mut rt = async_runtime();
    let e = crate::util::error_of(&mut rt, "setTimeout('code', 1)");
    assert_eq!(
        e,
        "TypeError: setTimeout: callback must be a function, got string"
    );
    let e = crate::util::error_of(&mut rt, "queueMicrotask(1)");
    assert_eq!(
        e,
        "TypeError: queueMicrotask: callback must be a function, got number"
    );
    // clearTimeout of an unknown id is a no-op, as in browsers.
    rt.execute_script("c.js", "clearTimeout(12345); clearInterval(undefined)")
        .unwrap();
}

#[test]
fn an_exception_in_a_timer_callback_ends_the_loop_with_it() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        rt.execute_script(
            "t.js",
            "setTimeout(function tick() { throw new RangeError('in timer') }, 1)",
        )
        .unwrap();
        let err = rt.run_event_loop().await.unwrap_err();
        let js = err.as_js().unwrap();
        assert_eq!(
            (js.name.as_str(), js.message.as_str()),
            ("RangeError", "in timer")
        );
        assert!(
            js.stack.as_deref().unwrap().contains("at tick (t.js:1:"),
            "{:?}",
            js.stack
        );
    });
}

#[test]
fn unhandled_rejections_are_errors_unless_a_handler_takes_them() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        rt.execute_script("r.js", "Promise.reject(new TypeError('nobody caught me'))").unwrap();
        let err = rt.run_event_loop().await.unwrap_err();
        assert_eq!(err.as_js().unwrap().message, "nobody caught me");
        assert!(err.as_js().unwrap().stack.as_deref().unwrap().contains("r.js:1"));

        // An op's rejection nobody handles.
        rt.execute_script("r2.js", "ops.op_async_fail('NotFound', true)").unwrap();
        let err = rt.run_event_loop().await.unwrap_err();
        assert_eq!(err.as_js().unwrap().name, "NotFound");

        // A handler attached later in the same turn is not an unhandled rejection.
        rt.execute_script("r3.js", "const p = Promise.reject(new Error('late')); Promise.resolve().then(() => p.catch(() => {}))")
            .unwrap();
        rt.run_event_loop().await.unwrap();

        // The embedder hook can take them instead.
        let seen = Rc::new(RefCell::new(Vec::new()));
        let sink = seen.clone();
        rt.set_unhandled_rejection_handler(move |e| {
            sink.borrow_mut().push(e.message.clone());
            true
        });
        rt.execute_script("r4.js", "Promise.reject(new Error('one')); setTimeout(() => Promise.reject(new Error('two')), 1)")
            .unwrap();
        rt.run_event_loop().await.unwrap();
        assert_eq!(*seen.borrow(), ["one", "two"]);
    });
}

#[test]
fn resolve_reports_rejections_and_promises_that_can_never_settle() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let err = rt
            .eval_async::<u32>("x.js", "ops.op_async_fail('RangeError', true)")
            .await
            .unwrap_err();
        assert_eq!(err.as_js().unwrap().name, "RangeError");
        // The rejection was delivered to us, so the loop does not report it again.
        rt.run_event_loop().await.unwrap();
        let err = rt
            .eval_async::<u32>("never.js", "new Promise(() => {})")
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the promise can never settle: the event loop has no more work"
        );
        assert_eq!(rt.eval_async::<u32>("plain.js", "7").await.unwrap(), 7);
    });
}

/// CPU time used by the calling thread.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts) };
    assert_eq!(rc, 0);
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap(),
        u32::try_from(ts.tv_nsec).unwrap(),
    )
}

#[test]
fn waiting_on_a_timer_uses_no_cpu() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        rt.execute_script("w.js", "setTimeout(() => {}, 400)")
            .unwrap();
        let cpu = thread_cpu_time();
        let wall = std::time::Instant::now();
        rt.run_event_loop().await.unwrap();
        let (cpu, wall) = (thread_cpu_time() - cpu, wall.elapsed());
        assert!(wall >= Duration::from_millis(390), "{wall:?}");
        // A polling loop would burn most of the 400 ms; a waker-driven one
        // wakes up once.
        assert!(
            cpu < Duration::from_millis(40),
            "used {cpu:?} of CPU while waiting"
        );
    });
}

#[test]
fn dropping_a_runtime_with_work_pending_is_clean() {
    tokio_rt().block_on(async {
        for _ in 0..3 {
            let mut rt = async_runtime();
            rt.execute_script(
                "p.js",
                "for (let i = 0; i < 1000; i++) ops.op_sleep(60000); ops.op_ready_lazy(1); ops.op_blocking_thread(); setInterval(() => {}, 1);",
            )
            .unwrap();
            let run = tokio::time::timeout(Duration::from_millis(20), rt.run_event_loop()).await;
            assert!(run.is_err(), "still busy");
            assert!(rt.pending_ops() >= 1000);
            drop(rt);
        }
        // Never polled at all.
        let mut rt = async_runtime();
        rt.execute_script("q.js", "ops.op_sleep(60000)").unwrap();
        drop(rt);
        // A fresh runtime still works afterwards.
        let mut rt = async_runtime();
        assert_eq!(rt.eval_async::<u32>("ok.js", "ops.op_yield(3)").await.unwrap(), 3);
    });
}

#[test]
fn two_event_loops_on_two_threads_at_once() {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let handles: Vec<_> = (0..2u32)
        .map(|t| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                tokio_rt().block_on(async move {
                    let mut rt = async_runtime();
                    barrier.wait();
                    rt.eval_async::<u32>(
                        "t.js",
                        &format!(
                            "(async () => {{ let s = 0; for (let i = 0; i < 50; i++) {{ await ops.op_sleep(1); s += await ops.op_yield({t}); }} return s; }})()"
                        ),
                    )
                    .await
                    .unwrap()
                })
            })
        })
        .collect();
    let sums: Vec<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(sums, [0, 50]);
}

#[test]
fn works_inside_a_multi_thread_tokio_runtime() {
    let tokio = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let v = tokio.block_on(async {
        let mut rt = async_runtime();
        rt.eval_async::<String>(
            "m.js",
            "(async () => { await ops.op_sleep(2); await new Promise((r) => setTimeout(r, 2)); return ops.op_blocking_thread(); })()",
        )
        .await
        .unwrap()
    });
    assert!(v.starts_with("ThreadId("), "{v}");
}

#[test]
fn poll_event_loop_fits_in_a_select() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        rt.execute_script(
            "s.js",
            "globalThis.done = false; setTimeout(() => { done = true }, 60)",
        )
        .unwrap();
        let mut ticks = 0;
        let mut interval = tokio::time::interval(Duration::from_millis(5));
        loop {
            tokio::select! {
                r = std::future::poll_fn(|cx| rt.poll_event_loop(cx)) => { r.unwrap(); break; }
                _ = interval.tick() => ticks += 1,
            }
        }
        assert!(
            ticks >= 3,
            "the other branch ran while the loop waited ({ticks})"
        );
        assert!(eval::<bool>(&mut rt, "done"));
    });
}

#[test]
fn promises_from_functions_called_in_with_scope_settle() {
    tokio_rt().block_on(async {
        let mut rt = async_runtime();
        let f = rt
            .execute_script(
                "f.js",
                "(async () => (await ops.op_ready(1)) + (await Promise.resolve(40)))",
            )
            .unwrap();
        // Call it the embedder's way: no script run, so no microtask checkpoint yet.
        let promise = rt.with_scope(|scope| {
            let f = opwire::v8::Local::new(scope, &f);
            let f = opwire::v8::Local::<opwire::v8::Function>::try_from(f).unwrap();
            let undefined = opwire::v8::undefined(scope).into();
            let p = f.call(scope, undefined, &[]).unwrap();
            opwire::v8::Global::new(scope, p)
        });
        let value = rt.resolve(promise).await.unwrap();
        assert_eq!(rt.from_global::<u32>(&value).unwrap(), 42);
    });
}
