//! Reused isolates (`RuntimeOptions::reuse_isolate`): a runtime that takes
//! the isolate a dropped runtime left starts as clean as a new one (no
//! globals, state, pending ops, microtasks or terminate handles of the old
//! one reach it), its ops work (every op check of `snapshot.rs`, fast
//! paths included, runs on a reused isolate too), and a waiting isolate
//! gives way to runtimes of other kinds and goes with its thread.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use opwire::snapshot::SnapshotOptions;
use opwire::{Error, Extension, JsRuntime, OpState, RuntimeOptions, op};

use crate::util::{eval, tokio_rt};

/// How often [`op_reuse_mark`] ran, per mark (each test uses its own).
static MARKS: [AtomicU32; 4] = [const { AtomicU32::new(0) }; 4];

#[op]
fn op_reuse_mark(which: u32) {
    if let Some(mark) = MARKS.get(which as usize) {
        mark.fetch_add(1, Ordering::SeqCst);
    }
}

#[op]
fn op_reuse_add(a: i32, b: i32) -> i32 {
    a + b
}

/// Counts calls in the op state (which starts at 0 in each runtime).
#[op]
fn op_reuse_count(state: &mut OpState) -> u32 {
    let count = state.borrow_mut::<u32>();
    *count += 1;
    *count
}

#[op]
async fn op_reuse_sleep(ms: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    ms
}

fn extension() -> Extension {
    Extension::new("reuse")
        .ops(opwire::ops![
            op_reuse_mark,
            op_reuse_add,
            op_reuse_count,
            op_reuse_sleep
        ])
        .js(
            "reuse.js",
            "globalThis.scriptRuns = (globalThis.scriptRuns ?? 0) + 1;",
        )
        .state(|s| {
            s.put(0_u32);
        })
}

fn snapshot() -> &'static [u8] {
    static SNAPSHOT: OnceLock<&'static [u8]> = OnceLock::new();
    crate::util::snapshot_once(&SNAPSHOT, || SnapshotOptions {
        extensions: vec![extension()],
        ..Default::default()
    })
}

fn options(reuse: bool) -> RuntimeOptions {
    RuntimeOptions {
        extensions: vec![extension()],
        startup_snapshot: Some(snapshot()),
        reuse_isolate: reuse,
        ..Default::default()
    }
}

fn runtime() -> JsRuntime {
    JsRuntime::new(options(true))
}

/// Runs `src` without the microtask checkpoint `execute_script` ends with.
fn run_without_checkpoint(rt: &mut JsRuntime, src: &str) {
    rt.with_scope(|scope| {
        let code = opwire::v8::String::new(scope, src).unwrap();
        let script = opwire::v8::Script::compile(scope, code, None).unwrap();
        script.run(scope).unwrap();
    });
}

#[test]
fn each_runtime_on_a_reused_isolate_starts_clean() {
    opwire::release_isolates();
    for round in 0..4 {
        let mut rt = runtime();
        assert!(
            !opwire::__private::isolate_waiting(),
            "round {round}: the runtime took the waiting isolate"
        );
        assert_eq!(eval::<u32>(&mut rt, "scriptRuns"), 1, "round {round}");
        assert_eq!(
            eval::<String>(&mut rt, "typeof leftover"),
            "undefined",
            "round {round}: a global of the runtime before"
        );
        assert_eq!(
            eval::<u32>(&mut rt, "ops.op_reuse_count()"),
            1,
            "round {round}"
        );
        rt.execute_script("leave.js", "globalThis.leftover = 1;")
            .unwrap();
        assert_eq!(
            crate::util::error_of(&mut rt, "ops.op_reuse_add(1, 'x')"),
            "TypeError: op_reuse_add: argument 'b' (#2) expected i32, got string",
            "round {round}"
        );
        drop(rt);
        assert!(
            opwire::__private::isolate_waiting(),
            "round {round}: the isolate waits"
        );
    }
    opwire::release_isolates();
    assert!(!opwire::__private::isolate_waiting());
}

#[test]
fn microtasks_left_by_a_dropped_runtime_never_run() {
    opwire::release_isolates();
    let mark = &MARKS[0];
    let queue = "Promise.resolve().then(() => ops.op_reuse_mark(0));";
    // Queued and checkpointed, the microtask runs: the mark can move.
    let mut rt = runtime();
    run_without_checkpoint(&mut rt, queue);
    assert_eq!(
        mark.load(Ordering::SeqCst),
        0,
        "not run before a checkpoint"
    );
    rt.execute_script("tick.js", "0").unwrap();
    assert_eq!(mark.load(Ordering::SeqCst), 1, "run at the checkpoint");
    // Queued and left behind by a dropped runtime, it never runs.
    run_without_checkpoint(&mut rt, queue);
    drop(rt);
    let mut next = runtime();
    assert!(!opwire::__private::isolate_waiting());
    next.execute_script("tick.js", "0").unwrap();
    assert_eq!(eval::<i32>(&mut next, "ops.op_reuse_add(1, 2)"), 3);
    assert_eq!(mark.load(Ordering::SeqCst), 1, "the old microtask ran");
    drop(next);
    opwire::release_isolates();
}

#[test]
fn pending_ops_and_timers_of_a_dropped_runtime_are_gone() {
    opwire::release_isolates();
    let tokio = tokio_rt();
    let _tokio = tokio.enter();
    let mut rt = runtime();
    rt.execute_script(
        "pending.js",
        r#"ops.op_reuse_sleep(60000).then(() => ops.op_reuse_mark(1));
           setTimeout(() => ops.op_reuse_mark(1), 1);"#,
    )
    .unwrap();
    drop(rt);
    let mut next = runtime();
    assert!(!opwire::__private::isolate_waiting());
    let out: u32 = tokio
        .block_on(next.eval_async(
            "async.js",
            "(async () => { await new Promise((r) => setTimeout(r, 5)); return ops.op_reuse_sleep(1); })()",
        ))
        .unwrap();
    assert_eq!(out, 1);
    tokio
        .block_on(next.run_event_loop_with_timeout(Duration::from_secs(5)))
        .expect("nothing of the old runtime is pending");
    assert_eq!(MARKS[1].load(Ordering::SeqCst), 0);
    drop(next);
    opwire::release_isolates();
}

#[test]
fn a_terminate_handle_of_a_dropped_runtime_does_not_reach_the_next() {
    opwire::release_isolates();
    let rt = runtime();
    let handle = rt.terminate_handle();
    drop(rt);
    let mut next = runtime();
    assert!(!opwire::__private::isolate_waiting());
    assert!(!handle.terminate(), "the old runtime is gone");
    assert_eq!(eval::<i32>(&mut next, "ops.op_reuse_add(20, 22)"), 42);
    // The new runtime's own handle still works.
    next.terminate_handle().terminate();
    assert!(matches!(
        next.execute_script("spin.js", "while (true) {}"),
        Err(Error::Terminated(_))
    ));
    assert_eq!(eval::<i32>(&mut next, "ops.op_reuse_add(1, 1)"), 2);
    drop(next);
    opwire::release_isolates();
}

#[test]
fn a_runtime_that_reached_its_heap_limit_is_not_reused() {
    opwire::release_isolates();
    let mut rt = JsRuntime::new(RuntimeOptions {
        max_heap_bytes: Some(32 << 20),
        ..options(true)
    });
    let err = rt
        .execute_script("grow.js", crate::limits::ALLOCATE_FOREVER)
        .unwrap_err();
    assert!(matches!(err, Error::HeapLimit { .. }), "{err}");
    drop(rt);
    assert!(!opwire::__private::isolate_waiting());
    // With the same limit and a script that stays under it: reused.
    let rt = JsRuntime::new(RuntimeOptions {
        max_heap_bytes: Some(32 << 20),
        ..options(true)
    });
    drop(rt);
    assert!(opwire::__private::isolate_waiting());
    // Another heap limit is another kind of runtime: it sends it away.
    let mut other = JsRuntime::new(RuntimeOptions {
        max_heap_bytes: Some(64 << 20),
        ..options(true)
    });
    assert!(!opwire::__private::isolate_waiting());
    assert_eq!(eval::<i32>(&mut other, "ops.op_reuse_add(1, 2)"), 3);
    drop(other);
    opwire::release_isolates();
}

#[test]
fn a_runtime_dropped_by_a_panic_is_not_reused() {
    opwire::release_isolates();
    let caught = std::panic::catch_unwind(|| {
        let mut rt = runtime();
        assert_eq!(eval::<i32>(&mut rt, "ops.op_reuse_add(1, 2)"), 3);
        panic!("boom");
    });
    assert!(caught.is_err());
    assert!(!opwire::__private::isolate_waiting());
    // Dropped normally, the next one is.
    drop(runtime());
    assert!(opwire::__private::isolate_waiting());
    opwire::release_isolates();
}

#[test]
fn a_waiting_isolate_gives_way_to_other_kinds_and_goes_with_its_thread() {
    opwire::release_isolates();
    // Without the option, nothing waits.
    drop(JsRuntime::new(options(false)));
    assert!(!opwire::__private::isolate_waiting());
    drop(runtime());
    assert!(opwire::__private::isolate_waiting());
    // A runtime of another family on this thread: the waiting isolate goes
    // first (it would otherwise be refused, see the snapshot tests).
    let mut fresh = JsRuntime::new(RuntimeOptions::default());
    assert!(!opwire::__private::isolate_waiting());
    assert_eq!(eval::<i32>(&mut fresh, "1 + 1"), 2);
    drop(fresh);
    // A thread that ends with an isolate waiting lets it go, so a runtime
    // of another family on another thread may start.
    std::thread::spawn(|| {
        let mut rt = runtime();
        assert_eq!(eval::<i32>(&mut rt, "ops.op_reuse_add(1, 2)"), 3);
        drop(rt);
        assert!(opwire::__private::isolate_waiting());
    })
    .join()
    .unwrap();
    let waiter = std::thread::spawn(|| {
        let mut rt = JsRuntime::new(RuntimeOptions::default());
        eval::<i32>(&mut rt, "2 + 2")
    });
    assert_eq!(waiter.join().unwrap(), 4);
    // Runtimes alive side by side: each drop leaves its isolate waiting
    // (the last one dropped stays), and the next runtime takes it.
    let first = runtime();
    let second = runtime();
    drop(second);
    drop(first);
    assert!(opwire::__private::isolate_waiting());
    let mut again = runtime();
    assert_eq!(eval::<u32>(&mut again, "ops.op_reuse_count()"), 1);
    drop(again);
    opwire::release_isolates();
    assert!(!opwire::__private::isolate_waiting());
}

thread_local! {
    static KEPT: std::cell::RefCell<Option<JsRuntime>> = const { std::cell::RefCell::new(None) };
}

/// A runtime kept in a thread-local is dropped while its thread ends,
/// maybe after the waiting-isolate slot is gone: its isolate goes then.
#[test]
fn a_runtime_dropped_as_its_thread_ends_lets_its_isolate_go() {
    let thread = std::thread::spawn(|| {
        drop(runtime());
        assert!(opwire::__private::isolate_waiting());
        let mut rt = runtime();
        assert_eq!(eval::<i32>(&mut rt, "ops.op_reuse_add(2, 3)"), 5);
        KEPT.with(|k| *k.borrow_mut() = Some(rt));
    });
    thread.join().expect("the thread ended cleanly");
    // The lease went with it: a runtime of another family may start.
    let other = std::thread::spawn(|| {
        let mut rt = JsRuntime::new(RuntimeOptions::default());
        eval::<i32>(&mut rt, "6 * 7")
    });
    assert_eq!(other.join().unwrap(), 42);
}
