//! Startup snapshots: a runtime started from a snapshot passes the same op
//! tests as a fresh one (sync, fast, async, serde, buffers, errors with
//! their class, timers, classes, an extension's scripts and ES modules, op
//! state, op metrics), and a snapshot made for another runtime is refused
//! with an error.

use std::rc::Rc;
use std::sync::OnceLock;
use std::time::Duration;

use opwire::snapshot::{SnapshotOptions, create};
use opwire::{
    Class, Error, Extension, JsRuntime, MemoryModuleLoader, OpError, OpState, RuntimeOptions, op,
};
use serde::{Deserialize, Serialize};

use crate::classes::Counter;
use crate::util::{error_of, eval, tokio_rt};

#[op]
fn op_snap_add(a: i32, b: i32) -> i32 {
    a + b
}

#[op]
fn op_snap_div(a: f64, b: f64) -> Result<f64, OpError> {
    if b == 0.0 {
        return Err(OpError::range_error("division by zero").with_code("EDIV"));
    }
    Ok(a / b)
}

#[op]
fn op_snap_sum(bytes: &[u8]) -> u32 {
    bytes.iter().map(|b| u32::from(*b)).sum()
}

#[derive(Deserialize, Serialize)]
struct Point {
    x: i32,
    y: i32,
}

#[op]
#[serde]
fn op_snap_swap(#[serde] p: Point) -> Point {
    Point { x: p.y, y: p.x }
}

/// The extension's state: where its counter starts.
struct Start(u32);

#[op]
fn op_snap_count(state: &mut OpState) -> u32 {
    let start = state.borrow_mut::<Start>();
    start.0 += 1;
    start.0
}

#[op]
async fn op_snap_sleep(ms: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
    ms
}

#[op]
async fn op_snap_double(x: u32) -> u32 {
    x * 2
}

/// The extension both kinds of runtime get. Its script leaves globals
/// behind (one counts how often it ran); its modules import each other and
/// a JSON module.
fn extension() -> Extension {
    Extension::new("snap")
        .ops(opwire::ops![
            op_snap_add,
            op_snap_div,
            op_snap_sum,
            op_snap_swap,
            op_snap_count,
            op_snap_sleep,
            op_snap_double,
        ])
        .class(Counter::CLASS)
        .js(
            "snap.js",
            r#"globalThis.scriptRuns = (globalThis.scriptRuns ?? 0) + 1;
               globalThis.built = { three: ops.op_snap_add(1, 2), list: [1, 2, 3] };
               globalThis.Counter = ops.Counter;"#,
        )
        .esm(
            "mod.js",
            r#"import data from "./data.json" with { type: "json" };
               import { twice } from "./util.js";
               globalThis.moduleRuns = (globalThis.moduleRuns ?? 0) + 1;
               export const answer = twice(data.n);"#,
        )
        .esm(
            "util.js",
            "export const twice = (n) => ops.op_snap_add(n, n);",
        )
        .esm("data.json", r#"{ "n": 21 }"#)
        .state(|s| {
            s.put(Start(100));
        })
}

/// The snapshot of [`extension`], made once.
fn snapshot() -> &'static [u8] {
    static SNAPSHOT: OnceLock<&'static [u8]> = OnceLock::new();
    crate::util::snapshot_once(&SNAPSHOT, || SnapshotOptions {
        extensions: vec![extension()],
        ..Default::default()
    })
}

fn runtime(snapshot: Option<&'static [u8]>) -> JsRuntime {
    runtime_with(snapshot, false)
}

fn runtime_with(snapshot: Option<&'static [u8]>, reuse_isolate: bool) -> JsRuntime {
    let loader = MemoryModuleLoader::new().with(
        "/main.js",
        r#"import { answer } from "ext:snap/mod.js";
           import data from "ext:snap/data.json" with { type: "json" };
           globalThis.fromModule = answer + data.n;"#,
    );
    JsRuntime::new(RuntimeOptions {
        extensions: vec![extension()],
        module_loader: Some(Rc::new(loader)),
        startup_snapshot: snapshot,
        reuse_isolate,
        ..Default::default()
    })
}

/// Runs `check` on a fresh runtime, on one started from the snapshot, and
/// on one started from the snapshot in the isolate a dropped runtime left
/// (`reuse_isolate`), after that one ran `check` too.
fn both(check: impl Fn(&mut JsRuntime, &str)) {
    for (how, snapshot) in [("fresh", None), ("snapshot", Some(snapshot()))] {
        check(&mut runtime(snapshot), how);
    }
    check(&mut runtime_with(Some(snapshot()), true), "before reuse");
    assert!(opwire::__private::isolate_waiting());
    check(&mut runtime_with(Some(snapshot()), true), "reused isolate");
    assert!(opwire::__private::isolate_waiting());
    opwire::release_isolates();
}

#[test]
fn sync_ops_serde_buffers_and_errors_with_their_class() {
    both(|rt, how| {
        assert_eq!(eval::<i32>(rt, "ops.op_snap_add(40, 2)"), 42, "{how}");
        assert_eq!(
            eval::<u32>(rt, "ops.op_snap_sum(new Uint8Array([1, 2, 3]))"),
            6,
            "{how}"
        );
        let swapped: String = eval(rt, "JSON.stringify(ops.op_snap_swap({ x: 1, y: 2 }))");
        assert_eq!(swapped, r#"{"x":2,"y":1}"#, "{how}");
        assert_eq!(
            error_of(rt, "ops.op_snap_add(1, 'x')"),
            "TypeError: op_snap_add: argument 'b' (#2) expected i32, got string",
            "{how}"
        );
        let code: String = eval(
            rt,
            "try { ops.op_snap_div(1, 0) } catch (e) { `${e.name} ${e.message} ${e.code}` }",
        );
        assert_eq!(code, "RangeError division by zero EDIV", "{how}");
    });
}

/// Structs an op returns often enough get a compiled literal
/// (`serde_v8::literal`): each runtime compiles its own, in its own
/// context, also on a reused isolate.
#[test]
fn serde_returns_are_objects_of_each_runtimes_realm() {
    both(|rt, how| {
        let ready =
            |rt: &mut JsRuntime| rt.with_scope(|s| opwire::__private::serde_literals_ready(s));
        assert_eq!(ready(rt), 0, "{how}");
        let ok: u32 = eval(
            rt,
            "(() => { let ok = 0; \
               for (let i = 0; i < 200; i++) { \
                 const p = ops.op_snap_swap({ x: i, y: 1 }); \
                 if (Object.getPrototypeOf(p) === Object.prototype && p.x === 1 && p.y === i) ok++; \
               } return ok; })()",
        );
        assert_eq!(ok, 200, "{how}");
        assert_eq!(ready(rt), 1, "{how}");
    });
}

#[test]
fn fast_paths_run_on_a_snapshotted_runtime() {
    both(|rt, how| {
        rt.execute_script(
            "opt.js",
            r#"globalThis.addUp = (a, b) => ops.op_snap_add(a, b);
               %PrepareFunctionForOptimization(addUp);
               addUp(1, 2); addUp(3, 4);
               %OptimizeFunctionOnNextCall(addUp);
               addUp(5, 6);"#,
        )
        .unwrap();
        let before = opwire::__private::fast_calls();
        let sum: i32 = eval(
            rt,
            "let s = 0; for (let i = 0; i < 100; i++) s += addUp(i, 1); s",
        );
        assert_eq!(sum, 5050, "{how}");
        assert!(
            opwire::__private::fast_calls() - before >= 100,
            "{how}: the optimized caller made fast calls"
        );
    });
}

#[test]
fn async_ops_and_timers() {
    both(|rt, how| {
        let out: u32 = tokio_rt()
            .block_on(rt.eval_async(
                "async.js",
                r#"(async () => {
                    const slept = await ops.op_snap_sleep(5);
                    await new Promise((resolve) => setTimeout(resolve, 5));
                    const doubled = await ops.op_snap_double(4);
                    return slept + doubled;
                })()"#,
            ))
            .unwrap();
        assert_eq!(out, 13, "{how}");
    });
}

#[test]
fn op_state_is_initialized_by_each_runtime() {
    both(|rt, how| {
        assert_eq!(eval::<u32>(rt, "ops.op_snap_count()"), 101, "{how}");
        assert_eq!(eval::<u32>(rt, "ops.op_snap_count()"), 102, "{how}");
    });
}

#[test]
fn classes_and_instances_returned_from_ops() {
    both(|rt, how| {
        let out: String = eval(
            rt,
            r#"const c = new Counter(1); c.inc(); c.add(3);
               const z = Counter.zero(); z.inc();
               `${c.value} ${z.value} ${z instanceof Counter} ${c.doubled().inc()}`"#,
        );
        assert_eq!(out, "5 1 true 7", "{how}");
        assert_eq!(
            error_of(rt, "new Counter(13)"),
            "RangeError: unlucky start",
            "{how}"
        );
    });
}

#[test]
fn the_extension_script_ran_once_and_left_its_globals() {
    both(|rt, how| {
        let out: String = eval(
            rt,
            "`${scriptRuns} ${built.three} ${built.list.length} ${typeof console.log} ${new AbortController().signal.aborted}`",
        );
        assert_eq!(out, "1 3 3 function false", "{how}");
    });
}

#[test]
fn extension_modules_and_json_modules_import() {
    both(|rt, how| {
        tokio_rt().block_on(async {
            let main = rt.load_main_module("/main.js").await.unwrap();
            rt.evaluate_module(main).await.unwrap();
        });
        // Evaluated once: when the snapshot was made, or now.
        let out: String = eval(rt, "`${fromModule} ${moduleRuns}`");
        assert_eq!(out, "63 1", "{how}");
        let url: String = eval(
            rt,
            "import('ext:snap/util.js').then((m) => globalThis.dyn = m.twice(5)); 'ok'",
        );
        assert_eq!(url, "ok");
        tokio_rt().block_on(rt.run_event_loop()).unwrap();
        assert_eq!(eval::<i32>(rt, "dyn"), 10, "{how}");
    });
}

#[test]
fn op_metrics_count_on_a_snapshotted_runtime() {
    let ext = || Extension::new("metered").ops(opwire::ops![op_snap_add]);
    let bytes = create(SnapshotOptions {
        extensions: vec![ext()],
        op_metrics: true,
        ..Default::default()
    })
    .unwrap();
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![ext()],
        op_metrics: true,
        startup_snapshot: Some(bytes),
        ..Default::default()
    });
    eval::<i32>(&mut rt, "ops.op_snap_add(1, 2) + ops.op_snap_add(3, 4)");
    let metrics = rt.op_metrics();
    assert_eq!(metrics[0].0, "op_snap_add");
    assert_eq!(metrics[0].1.slow_calls, 2);
    drop(rt);

    // Without metrics, the same snapshot is refused.
    let err = setup_error(RuntimeOptions {
        extensions: vec![ext()],
        startup_snapshot: Some(bytes),
        ..Default::default()
    });
    assert!(
        err.contains(
            "the snapshot has `op_metrics true` where this runtime has `op_metrics false`"
        ),
        "{err}"
    );
}

fn setup_error(options: RuntimeOptions) -> String {
    match JsRuntime::try_new(options) {
        Err(Error::Setup(message)) => message,
        Err(other) => panic!("expected a setup error, got {other}"),
        Ok(_) => panic!("the snapshot was accepted"),
    }
}

#[test]
fn a_snapshot_for_another_runtime_is_refused() {
    // Another op.
    let err = setup_error(RuntimeOptions {
        extensions: vec![extension().ops(opwire::ops![op_snap_extra])],
        startup_snapshot: Some(snapshot()),
        ..Default::default()
    });
    assert!(
        err.starts_with("startup snapshot refused: it was built for another runtime: "),
        "{err}"
    );
    assert!(
        err.contains("where this runtime has `op op_snap_extra Sync () -> () fast`"),
        "{err}"
    );

    // No extension at all.
    let err = setup_error(RuntimeOptions {
        startup_snapshot: Some(snapshot()),
        ..Default::default()
    });
    assert!(err.contains("the snapshot has `extension snap`"), "{err}");

    // The same extension with other JS.
    let err = setup_error(RuntimeOptions {
        extensions: vec![extension().js("more.js", "1")],
        startup_snapshot: Some(snapshot()),
        ..Default::default()
    });
    assert!(err.contains("where this runtime has `js more.js"), "{err}");

    // Not a snapshot, or a damaged one.
    let err = setup_error(RuntimeOptions {
        startup_snapshot: Some(b"hello, I am not a snapshot at all, sorry"),
        ..Default::default()
    });
    assert!(err.contains("are not an opwire startup snapshot"), "{err}");
    let cut: &'static [u8] = Box::leak(
        snapshot()[..snapshot().len() - 1]
            .to_vec()
            .into_boxed_slice(),
    );
    let err = setup_error(RuntimeOptions {
        extensions: vec![extension()],
        startup_snapshot: Some(cut),
        ..Default::default()
    });
    assert!(err.contains("are not an opwire startup snapshot"), "{err}");
}

#[op]
fn op_snap_extra() {}

#[test]
fn pending_work_cannot_go_into_a_snapshot() {
    let err = create(SnapshotOptions {
        extensions: vec![Extension::new("timer").js("t.js", "setTimeout(() => {}, 1000)")],
        ..Default::default()
    })
    .unwrap_err();
    assert!(err.to_string().contains("left 1 timer behind"), "{err}");
}

/// V8 shares one read-only heap between a process's isolates, laid out as
/// the snapshot they started from: runtimes from different snapshots (or
/// none) take turns instead of crashing the process.
#[test]
fn runtimes_from_different_snapshots_take_turns_across_threads() {
    let snap = snapshot();
    let threads: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let mut rt = runtime((i % 2 == 0).then_some(snap));
                    assert_eq!(eval::<i32>(&mut rt, "ops.op_snap_add(1, 2)"), 3);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

#[test]
fn a_thread_running_a_fresh_runtime_gets_an_error_for_a_snapshotted_one() {
    let fresh = runtime(None);
    let err = match JsRuntime::try_new(RuntimeOptions {
        extensions: vec![extension()],
        startup_snapshot: Some(snapshot()),
        ..Default::default()
    }) {
        Err(Error::Setup(message)) => message,
        Err(other) => panic!("expected a setup error, got {other}"),
        Ok(_) => panic!("two families of isolates on one thread"),
    };
    assert!(
        err.starts_with("this thread runs 1 runtime(s) started from no startup snapshot;"),
        "{err}"
    );
    drop(fresh);
    // Once it is dropped, the thread may.
    let mut rt = runtime(Some(snapshot()));
    assert_eq!(eval::<i32>(&mut rt, "ops.op_snap_add(1, 2)"), 3);
}

/// With `keep_warm` on, an idle isolate of the current family outlives
/// the runtimes; a runtime of another family (on any thread) or a snapshot
/// being made sends it away first, and every runtime still works.
#[test]
fn a_warm_isolate_gives_way_to_other_families_and_to_snapshots() {
    let snap = snapshot();
    opwire::keep_warm(true);
    // A runtime of this family is alive, so no other family can send the
    // warm isolate away; only a snapshot being made elsewhere may keep
    // one from being claimed for a moment, hence the retries.
    let claimed = (0..100).any(|_| {
        let mut rt = runtime(Some(snap));
        assert_eq!(eval::<i32>(&mut rt, "ops.op_snap_add(1, 2)"), 3);
        opwire::__private::warm_isolate() == Some(true)
    });
    assert!(claimed, "no warm isolate of the snapshot's family");
    let threads: Vec<_> = (0..3)
        .map(|i| {
            std::thread::spawn(move || {
                for round in 0..10 {
                    if i == 2 && round % 5 == 0 {
                        let bytes = create(SnapshotOptions {
                            ops: vec![op_snap_extra::DECL],
                            ..Default::default()
                        })
                        .expect("a snapshot beside a warm isolate");
                        assert!(!bytes.is_empty());
                        continue;
                    }
                    let mut rt = runtime(((i + round) % 2 == 0).then_some(snap));
                    assert_eq!(eval::<i32>(&mut rt, "ops.op_snap_add(1, 2)"), 3);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    // Off: the warm isolate is gone when it returns, and none comes back.
    opwire::keep_warm(false);
    assert_eq!(opwire::__private::warm_isolate(), None);
    let mut rt = runtime(None);
    assert_eq!(eval::<i32>(&mut rt, "ops.op_snap_add(2, 2)"), 4);
    assert_eq!(opwire::__private::warm_isolate(), None);
}
