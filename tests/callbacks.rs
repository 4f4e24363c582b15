//! Callbacks into JS (`JsCallback`): calls from another thread and from the
//! runtime's own, results and errors both ways, keep-alive, backpressure, a
//! handle that outlives its runtime, bad input, and 100,000 events from a
//! thread with flat memory.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use futures::FutureExt;
use opwire::convert::AsNumber;
use opwire::{
    ConvError, Error, FromV8, JsCallback, JsRuntime, OpError, OpState, RuntimeOptions, ToV8, op,
};

use crate::util::{allocations, error_of, eval, live_bytes, tokio_rt, track_live_bytes};

/// Callbacks an op was given, for the test to take.
#[derive(Default)]
struct Kept(Vec<JsCallback>);

#[op]
fn op_cb_keep(state: &mut OpState, cb: JsCallback) {
    if !state.has::<Kept>() {
        state.put(Kept::default());
    }
    state.borrow_mut::<Kept>().0.push(cb);
}

#[op]
fn op_cb_maybe(cb: Option<JsCallback>) -> bool {
    cb.is_some()
}

/// Calls `cb` from the runtime's thread (inside an async op) and returns
/// its result.
#[op]
async fn op_cb_apply(cb: JsCallback, x: u32) -> Result<u32, OpError> {
    Ok(cb.call((x,)).await?)
}

/// Fires `n` calls at once from a sync op, on the runtime's thread: more
/// than the queue's room for other threads, and it must not block.
#[op]
fn op_cb_fire_now(cb: JsCallback, n: u32) -> Result<(), OpError> {
    for i in 0..n {
        cb.blocking_fire((i,))?;
    }
    Ok(())
}

/// Tells the test that JS is running now.
#[op]
fn op_cb_running(state: &OpState) {
    let _ = state.borrow::<std::sync::mpsc::Sender<()>>().send(());
}

fn runtime() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_cb_keep,
            op_cb_maybe,
            op_cb_apply,
            op_cb_fire_now,
            op_cb_running
        ],
        ..Default::default()
    })
}

/// The callback the last `ops.op_cb_keep(...)` kept.
fn kept(rt: &JsRuntime) -> JsCallback {
    let state = rt.op_state();
    let mut state = state.borrow_mut();
    state.borrow_mut::<Kept>().0.pop().expect("a kept callback")
}

fn callback(rt: &mut JsRuntime, src: &str) -> JsCallback {
    rt.eval("callback.js", src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Runs the event loop to the end; the timeout only guards against a hang.
async fn run(rt: &mut JsRuntime) -> Result<(), Error> {
    rt.run_event_loop_with_timeout(Duration::from_secs(120))
        .await
}

/// Runs `f` next to the event loop (whose end needs `f`'s handles gone),
/// and returns its output.
async fn beside_loop<T>(rt: &mut JsRuntime, f: impl Future<Output = T>) -> T {
    let (out, done) = tokio::join!(f, run(rt));
    done.unwrap();
    out
}

/// One poll of the event loop (inside a tokio runtime).
fn poll_once(rt: &mut JsRuntime) -> Poll<Result<(), Error>> {
    rt.poll_event_loop(&mut Context::from_waker(Waker::noop()))
}

fn poll_future<F: Future + ?Sized>(f: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    f.poll(&mut Context::from_waker(Waker::noop()))
}

fn js_error(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Js(e)) => format!("{}: {}", e.name, e.message),
        other => panic!("expected a JS error, got {other:?}"),
    }
}

fn conversion_error(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Conversion(message)) => message,
        other => panic!("expected a conversion error, got {other:?}"),
    }
}

/// The V8 heap in use after a full garbage collection.
fn v8_heap_after_gc(rt: &mut JsRuntime) -> usize {
    rt.with_scope(|scope| {
        scope.low_memory_notification();
        scope.get_heap_statistics().used_heap_size()
    })
}

/// This process's resident set size in KiB (Linux), for the report only:
/// other tests share the process.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_thread_sends_100_000_events_in_order_with_flat_memory() {
    const EVENTS: u32 = 100_000;
    tokio_rt().block_on(async {
        track_live_bytes();
        let mut rt = runtime();
        rt.execute_script(
            "listen.js",
            r#"
            globalThis.next = 0;
            globalThis.outOfOrder = 0;
            ops.op_cb_keep((n) => {
                if (n !== next) outOfOrder++;
                next = n + 1;
            });
            "#,
        )
        .unwrap();
        let listener = kept(&rt);
        let heap_before = v8_heap_after_gc(&mut rt);
        let rss_before = rss_kib();
        let (base, _) = live_bytes();
        let loop_allocs = allocations();
        let start = Instant::now();
        let producer = std::thread::spawn(move || {
            track_live_bytes();
            let before = allocations();
            for n in 0..EVENTS {
                listener.blocking_fire((n,)).unwrap();
            }
            allocations() - before
            // The listener is dropped here; the loop may then finish.
        });
        // Returns only once the thread has dropped its handle.
        run(&mut rt).await.unwrap();
        let elapsed = start.elapsed();
        let loop_allocs = allocations() - loop_allocs;
        let producer_allocs = producer.join().unwrap();
        let (live, peak) = live_bytes();
        let rss_after = rss_kib();

        assert_eq!(eval::<u32>(&mut rt, "next"), EVENTS, "every event arrived");
        assert_eq!(eval::<u32>(&mut rt, "outOfOrder"), 0, "in order");
        let heap_after = v8_heap_after_gc(&mut rt);
        eprintln!(
            "100,000 events: {elapsed:?}; Rust heap on both threads: peak +{} KiB, \
             after +{} B; allocations per event: {:.2} (thread) + {:.2} (loop); \
             V8 heap after GC: {} -> {} KiB; RSS {rss_before:?} -> {rss_after:?} KiB",
            (peak - base) / 1024,
            live - base,
            producer_allocs as f64 / f64::from(EVENTS),
            loop_allocs as f64 / f64::from(EVENTS),
            heap_before / 1024,
            heap_after / 1024,
        );
        // Flat: the queue holds at most 1024 calls from other threads, so
        // the peak does not grow with the number of events (100,000 queued
        // calls would take several MiB), and everything is freed at the end.
        assert!(
            peak - base < 512 << 10,
            "peak grew by {} bytes",
            peak - base
        );
        assert!(live - base < 16 << 10, "{} bytes left", live - base);
        assert!(
            heap_after < heap_before + (256 << 10),
            "V8 heap grew from {heap_before} to {heap_after}"
        );
        assert_eq!(rt.activity().callbacks, 0, "the function was released");
    });
}

#[test]
fn call_returns_results_to_other_threads() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        let repeat = callback(&mut rt, "(s, n) => s.repeat(n)");
        let later = callback(
            &mut rt,
            "async (x) => { await new Promise((r) => setTimeout(r, 1)); return { x: x + 1 } }",
        );
        let thread = std::thread::spawn(move || {
            let s: String =
                futures::executor::block_on(repeat.call(("ab".to_owned(), 3u32))).unwrap();
            #[derive(serde::Deserialize)]
            struct Out {
                x: u32,
            }
            let out: opwire::serde_v8::Serde<Out> =
                futures::executor::block_on(later.call((41u32,))).unwrap();
            (s, out.0.x)
        });
        run(&mut rt).await.unwrap();
        assert_eq!(thread.join().unwrap(), ("ababab".to_owned(), 42));
    });
}

#[test]
fn call_from_the_runtimes_own_thread() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        // From an async op: its future calls the callback and awaits it.
        rt.execute_script(
            "apply.js",
            "ops.op_cb_apply(async (x) => x * 3, 14).then((v) => globalThis.out = v)",
        )
        .unwrap();
        run(&mut rt).await.unwrap();
        assert_eq!(eval::<u32>(&mut rt, "out"), 42);
        // From Rust code running beside the loop.
        let add = callback(&mut rt, "(a, b) => a + b");
        let sum: f64 = beside_loop(&mut rt, async move { add.call((0.5, 2u32)).await })
            .await
            .unwrap();
        assert_eq!(sum, 2.5);
        // From a sync op, without waiting: more calls than the room other
        // threads get, in order, and no deadlock.
        rt.execute_script(
            "fire.js",
            r#"
            globalThis.seen = [];
            ops.op_cb_fire_now((i) => seen.push(i), 2000);
            "#,
        )
        .unwrap();
        run(&mut rt).await.unwrap();
        let in_order: bool = eval(
            &mut rt,
            "seen.length === 2000 && seen.every((v, i) => v === i)",
        );
        assert!(in_order);
    });
}

#[test]
fn each_call_runs_with_a_microtask_checkpoint() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        rt.execute_script(
            "log.js",
            r#"
            globalThis.log = [];
            ops.op_cb_keep((i) => {
                log.push("call" + i);
                queueMicrotask(() => log.push("micro" + i));
            });
            "#,
        )
        .unwrap();
        let cb = kept(&rt);
        let thread = std::thread::spawn(move || {
            for i in 0..3u32 {
                cb.blocking_fire((i,)).unwrap();
            }
        });
        run(&mut rt).await.unwrap();
        thread.join().unwrap();
        assert_eq!(
            eval::<String>(&mut rt, "log.join()"),
            "call0,micro0,call1,micro1,call2,micro2"
        );
    });
}

#[test]
fn exceptions_and_rejections_reach_the_caller() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        let sync = callback(&mut rt, "() => { throw new RangeError('bad') }");
        let async_ = callback(
            &mut rt,
            "async () => { await null; throw new TypeError('later') }",
        );
        let not_error = callback(&mut rt, "() => { throw 42 }");
        let (a, b, c) = beside_loop(&mut rt, async move {
            let a = sync.call::<(), _>(()).await;
            let b = async_.call::<(), _>(()).await;
            let c = not_error.call::<(), _>(()).await;
            (a, b, c)
        })
        .await;
        assert_eq!(js_error(a), "RangeError: bad");
        assert_eq!(js_error(b), "TypeError: later");
        assert_eq!(js_error(c), ": 42");
        // The caller got them: the loop ended without an error, and the
        // runtime goes on.
        assert_eq!(eval::<u32>(&mut rt, "1 + 1"), 2);
    });
}

#[test]
fn an_exception_nobody_waits_for_is_an_uncaught_error() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        // `fire` and a sync throw.
        let boom = callback(&mut rt, "() => { throw new Error('boom') }");
        boom.fire(()).now_or_never().unwrap().unwrap();
        drop(boom);
        assert_eq!(js_error(run(&mut rt).await), "Error: boom");

        // `fire` and a rejection.
        let reject = callback(&mut rt, "async () => { throw new Error('async boom') }");
        reject.fire(()).now_or_never().unwrap().unwrap();
        drop(reject);
        assert_eq!(js_error(run(&mut rt).await), "Error: async boom");

        // A `call` whose future was dropped after it was queued.
        let boom = callback(&mut rt, "() => { throw new Error('dropped') }");
        assert!(boom.call::<(), _>(()).now_or_never().is_none());
        drop(boom);
        assert_eq!(js_error(run(&mut rt).await), "Error: dropped");

        // ... or dropped while it waited for its promise.
        let slow = callback(
            &mut rt,
            "async () => { await new Promise((r) => setTimeout(r, 1)); throw new Error('gone') }",
        );
        {
            let mut call = pin!(slow.call::<(), _>(()));
            assert!(poll_future(call.as_mut()).is_pending(), "queued");
            assert!(
                poll_once(&mut rt).is_pending(),
                "running: waits for the timer"
            );
            assert!(poll_future(call.as_mut()).is_pending(), "not settled yet");
        }
        drop(slow);
        assert_eq!(js_error(run(&mut rt).await), "Error: gone");

        // The embedder's handler may take them instead.
        let taken = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let sink = taken.clone();
        rt.set_unhandled_rejection_handler(move |e| {
            sink.borrow_mut().push(e.message.clone());
            true
        });
        let boom = callback(&mut rt, "(m) => { throw new Error(m) }");
        let reject = callback(&mut rt, "async (m) => { throw new Error(m) }");
        boom.fire(("taken 1",)).now_or_never().unwrap().unwrap();
        reject.fire(("taken 2",)).now_or_never().unwrap().unwrap();
        drop((boom, reject));
        run(&mut rt).await.unwrap();
        assert_eq!(*taken.borrow(), ["taken 1", "taken 2"]);
    });
}

/// A result type whose conversion panics.
#[derive(Debug)]
struct PanicsFromV8;

impl<'s> FromV8<'s> for PanicsFromV8 {
    fn from_v8(
        _scope: &mut opwire::v8::PinScope<'s, '_>,
        _value: opwire::v8::Local<'s, opwire::v8::Value>,
    ) -> Result<Self, ConvError> {
        panic!("no result today")
    }
}

/// An argument whose conversion panics.
struct PanicsToV8;

impl<'s> ToV8<'s> for PanicsToV8 {
    fn to_v8(
        self,
        _scope: &mut opwire::v8::PinScope<'s, '_>,
    ) -> Result<opwire::v8::Local<'s, opwire::v8::Value>, ConvError> {
        panic!("no argument today")
    }
}

#[test]
fn values_that_do_not_convert_are_errors() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        let echo = callback(&mut rt, "(x) => x");
        let results = beside_loop(&mut rt, async move {
            vec![
                echo.call::<u32, _>(("x",)).await.map(|_| ()),
                echo.call::<u32, _>((-1,)).await.map(|_| ()),
                echo.call::<u8, _>((AsNumber(u64::MAX),)).await.map(|_| ()),
                echo.call::<PanicsFromV8, _>((1,)).await.map(|_| ()),
                echo.call::<(), _>((1, PanicsToV8)).await,
            ]
        })
        .await;
        let messages: Vec<String> = results.into_iter().map(conversion_error).collect();
        assert_eq!(
            messages,
            [
                "callback result: expected u32, got string",
                "callback result: expected u32, got number -1 (out of range)",
                "callback argument #1: expected a safe integer (at most 2^53 - 1 in size), \
                 got u64 18446744073709551615 (use #[bigint] for the full range)",
                "callback result conversion panicked: no result today",
                "callback argument conversion panicked: no argument today",
            ]
        );
        // An argument that does not convert, and no caller: an uncaught
        // TypeError.
        let echo = callback(&mut rt, "(x) => x");
        echo.fire((AsNumber(u64::MAX),))
            .now_or_never()
            .unwrap()
            .unwrap();
        drop(echo);
        let err = run(&mut rt).await.unwrap_err();
        assert!(js_error(Err::<(), _>(err)).starts_with("TypeError: callback argument #1: "),);
        assert_eq!(eval::<u32>(&mut rt, "1 + 1"), 2);
    });
}

#[test]
fn wrong_argument_counts_do_no_harm() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        // JS calling the op.
        assert_eq!(
            error_of(&mut rt, "ops.op_cb_keep()"),
            "TypeError: op_cb_keep: missing argument 'cb' (#1): expected 1 argument, got 0"
        );
        assert_eq!(
            error_of(&mut rt, "ops.op_cb_keep(() => 1, 2)"),
            "TypeError: op_cb_keep: expected 1 argument, got 2"
        );
        assert_eq!(
            error_of(&mut rt, "ops.op_cb_apply((x) => x)"),
            "TypeError: op_cb_apply: missing argument 'x' (#2): expected 2 arguments, got 1"
        );
        // Rust calling the function with fewer or more arguments than it
        // declares: JS rules (missing ones are undefined, extra ones unread).
        let two = callback(
            &mut rt,
            "(function (a, b) { return `${a}/${b}/${arguments.length}` })",
        );
        let out = beside_loop(&mut rt, async move {
            vec![
                two.call::<String, _>(()).await.unwrap(),
                two.call::<String, _>((1,)).await.unwrap(),
                two.call::<String, _>((1, 2, 3)).await.unwrap(),
                two.call::<String, _>((1, 2, 3, 4, 5, 6, 7, 8))
                    .await
                    .unwrap(),
            ]
        })
        .await;
        assert_eq!(
            out,
            ["undefined/undefined/0", "1/undefined/1", "1/2/3", "1/2/8"]
        );
    });
}

#[test]
fn a_non_function_is_a_type_error_naming_the_op_and_the_argument() {
    let mut rt = runtime();
    assert_eq!(
        error_of(&mut rt, "ops.op_cb_keep(42)"),
        "TypeError: op_cb_keep: argument 'cb' (#1) expected function, got number 42"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_cb_keep({ call() {} })"),
        "TypeError: op_cb_keep: argument 'cb' (#1) expected function, got object"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_cb_apply('f', 1)"),
        "TypeError: op_cb_apply: argument 'cb' (#1) expected function, got string"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_cb_maybe(1)"),
        "TypeError: op_cb_maybe: argument 'cb' (#1) expected function or undefined, got number 1"
    );
    assert!(eval::<bool>(&mut rt, "ops.op_cb_maybe(class {})"));
    assert!(!eval::<bool>(&mut rt, "ops.op_cb_maybe(undefined)"));
    assert!(!eval::<bool>(&mut rt, "ops.op_cb_maybe()"));
    let err = rt.eval::<JsCallback>("x.js", "null").unwrap_err();
    assert_eq!(err.to_string(), "expected function, got null");
    // Nothing was kept by the calls that failed or were not kept.
    assert_eq!(rt.activity().callbacks, 0);
}

#[test]
fn typescript_declarations_type_a_function_argument() {
    let rt = runtime();
    let dts = rt.typescript_declarations();
    assert!(
        dts.contains("op_cb_keep(cb: (...args: any[]) => unknown): void;"),
        "{dts}"
    );
    assert!(
        dts.contains("op_cb_maybe(cb?: ((...args: any[]) => unknown) | null): boolean;"),
        "{dts}"
    );
    assert!(
        dts.contains("op_cb_apply(cb: (...args: any[]) => unknown, x: number): Promise<number>;"),
        "{dts}"
    );
}

#[test]
fn a_referenced_handle_keeps_the_loop_alive_until_unref_or_drop() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        let cb = callback(&mut rt, "() => {}");
        assert!(cb.is_referenced());
        assert!(
            poll_once(&mut rt).is_pending(),
            "referenced: waits for calls"
        );
        let clone = cb.clone();
        cb.unref();
        assert!(!clone.is_referenced(), "clones share the flag");
        assert!(matches!(poll_once(&mut rt), Poll::Ready(Ok(()))));
        clone.reference();
        assert!(poll_once(&mut rt).is_pending());
        drop(cb);
        assert!(poll_once(&mut rt).is_pending(), "a clone is left");
        drop(clone);
        assert!(matches!(poll_once(&mut rt), Poll::Ready(Ok(()))));

        // Two functions: each keeps the loop alive.
        let a = callback(&mut rt, "() => {}");
        let b = callback(&mut rt, "() => {}");
        a.unref();
        assert!(poll_once(&mut rt).is_pending());
        b.unref();
        assert!(matches!(poll_once(&mut rt), Poll::Ready(Ok(()))));

        // An unref from another thread wakes the waiting loop.
        let cb = callback(&mut rt, "() => {}");
        let thread = std::thread::spawn(move || {
            // Returns once the loop has run the call: it is running.
            futures::executor::block_on(cb.call::<(), _>(())).unwrap();
            cb.unref();
            cb
        });
        run(&mut rt).await.unwrap();
        drop(thread.join().unwrap());

        // A call through an unreferenced handle runs while the loop runs:
        // the loop does not finish with a call in its queue.
        let five = callback(&mut rt, "() => 5");
        five.unref();
        let n: u32 = beside_loop(&mut rt, five.call(())).await.unwrap();
        assert_eq!(n, 5);
    });
}

#[test]
fn released_functions_are_forgotten() {
    let mut rt = runtime();
    let before = rt.activity();
    let cb = callback(&mut rt, "() => {}");
    let clone = cb.clone();
    assert_eq!(rt.activity().callbacks, 1);
    assert_eq!(
        rt.check_leaks(&before).unwrap_err().to_string(),
        "leaked: 1 callback"
    );
    drop(cb);
    assert_eq!(rt.activity().callbacks, 1);
    // Dropped on another thread.
    std::thread::spawn(move || drop(clone)).join().unwrap();
    assert_eq!(rt.activity().callbacks, 0);
    rt.check_leaks(&before).unwrap();
}

/// An argument that counts its drops.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl<'s> ToV8<'s> for Counted {
    fn to_v8(
        self,
        scope: &mut opwire::v8::PinScope<'s, '_>,
    ) -> Result<opwire::v8::Local<'s, opwire::v8::Value>, ConvError> {
        Ok(opwire::v8::undefined(scope).into())
    }
}

/// Waits (with a hang guard) until `count` reaches `n`.
fn wait_for(count: &AtomicUsize, n: usize) {
    let start = Instant::now();
    while count.load(Ordering::SeqCst) < n {
        assert!(start.elapsed() < Duration::from_secs(60), "stuck below {n}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn a_full_queue_holds_other_threads_back_until_the_loop_runs() {
    const CAPACITY: usize = 1024;
    tokio_rt().block_on(async {
        let mut rt = runtime();
        rt.execute_script(
            "listen.js",
            "globalThis.seen = []; ops.op_cb_keep((i) => seen.push(i))",
        )
        .unwrap();
        let cb = kept(&rt);
        let queued = Arc::new(AtomicUsize::new(0));
        let count = queued.clone();
        let thread = std::thread::spawn(move || {
            for i in 0..CAPACITY + 100 {
                cb.blocking_fire((u32::try_from(i).unwrap(),)).unwrap();
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        wait_for(&queued, CAPACITY);
        // The loop has not run: no room was given back, the thread waits.
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(queued.load(Ordering::SeqCst), CAPACITY);
        run(&mut rt).await.unwrap();
        thread.join().unwrap();
        let in_order: bool = eval(
            &mut rt,
            "seen.length === 1124 && seen.every((v, i) => v === i)",
        );
        assert!(in_order);
    });
}

#[test]
fn a_handle_outliving_its_runtime_fails_cleanly() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let (cb, mut awaiting, mut queued, blocked, blocked_count) = {
        let _tokio = tokio_rt();
        let _guard = _tokio.enter();
        let mut rt = runtime();
        let never = callback(&mut rt, "() => new Promise(() => {})");
        let cb = callback(&mut rt, "() => 1");
        // A call waiting for a promise that never settles.
        let mut awaiting = Box::pin(never.call::<(), _>(()));
        assert!(poll_future(awaiting.as_mut()).is_pending());
        assert!(poll_once(&mut rt).is_pending());
        assert!(poll_future(awaiting.as_mut()).is_pending());
        // A call still in the queue, and one from a thread that waits for
        // room.
        let mut queued = Box::pin(cb.call::<u32, _>((Counted(dropped.clone()),)));
        assert!(poll_future(queued.as_mut()).is_pending());
        let blocked_count = Arc::new(AtomicUsize::new(0));
        let (thread_cb, count, counted) = (cb.clone(), blocked_count.clone(), dropped.clone());
        let blocked = std::thread::spawn(move || {
            loop {
                match thread_cb.blocking_fire((Counted(counted.clone()),)) {
                    Ok(()) => count.fetch_add(1, Ordering::SeqCst),
                    Err(e) => return e,
                };
            }
        });
        wait_for(&blocked_count, 1024);
        drop(rt);
        (cb, awaiting, queued, blocked, blocked_count)
    };
    // Every caller still waiting fails; so does every later call, from any
    // thread.
    fn is_dropped<T>(r: Result<T, Error>) -> bool {
        matches!(r, Err(Error::RuntimeDropped))
    }
    assert!(matches!(
        poll_future(awaiting.as_mut()),
        Poll::Ready(Err(Error::RuntimeDropped))
    ));
    assert!(matches!(
        poll_future(queued.as_mut()),
        Poll::Ready(Err(Error::RuntimeDropped))
    ));
    assert!(matches!(blocked.join().unwrap(), Error::RuntimeDropped));
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        1 + blocked_count.load(Ordering::SeqCst) + 1,
        "the queued arguments were dropped, not leaked"
    );
    assert!(is_dropped(futures::executor::block_on(
        cb.call::<u32, _>(())
    )));
    assert!(is_dropped(futures::executor::block_on(cb.fire(()))));
    assert!(is_dropped(cb.blocking_fire(())));
    let other = cb.clone();
    let from_thread = std::thread::spawn(move || other.blocking_fire(())).join();
    assert!(is_dropped(from_thread.unwrap()));
    assert_eq!(
        Error::RuntimeDropped.to_string(),
        "the JsRuntime of this callback was dropped"
    );
    cb.unref();
    cb.reference();
    drop(cb);
}

#[test]
fn a_terminated_call_fails_and_the_runtime_goes_on() {
    tokio_rt().block_on(async {
        let mut rt = runtime();
        let (running, started) = std::sync::mpsc::channel::<()>();
        rt.op_state().borrow_mut().put(running);
        let spin = callback(&mut rt, "() => { ops.op_cb_running(); for (;;) {} }");
        let handle = rt.terminate_handle();
        let watchdog = std::thread::spawn(move || {
            started.recv().unwrap();
            handle.terminate();
        });
        let (call, done) = tokio::join!(
            async move {
                let r = spin.call::<(), _>(()).await;
                drop(spin);
                r
            },
            run(&mut rt)
        );
        watchdog.join().unwrap();
        assert!(matches!(call, Err(Error::Terminated(_))), "{call:?}");
        assert!(matches!(done, Err(Error::Terminated(_))), "{done:?}");
        assert_eq!(eval::<u32>(&mut rt, "1 + 1"), 2);
        let double = callback(&mut rt, "(x) => x * 2");
        let n: u32 = beside_loop(&mut rt, async move { double.call((21,)).await })
            .await
            .unwrap();
        assert_eq!(n, 42);
    });
}
