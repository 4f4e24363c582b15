//! The examples' demo ops and script runner.

use std::path::Path;

use crate::util::eval;

fn example_js(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/js")
        .join(name)
}

fn run_file(path: &Path) -> Result<(), opwire::Error> {
    crate::util::tokio_rt().block_on(opwire_examples::run_file(path))
}

#[test]
fn run_reports_a_bad_argument_with_op_name_and_stack() {
    let err = run_file(&example_js("bad_arg.js")).unwrap_err();
    let js = err.as_js().expect("a JS error");
    assert_eq!(js.name, "TypeError");
    assert_eq!(
        js.message,
        "op_add: argument 'b' (#2) expected i32, got string"
    );
    assert!(
        js.stack.as_deref().unwrap().contains("at main ("),
        "{:?}",
        js.stack
    );
    assert!(
        err.to_string()
            .starts_with("Uncaught TypeError: op_add: argument 'b' (#2)")
    );
}

#[test]
fn run_succeeds_on_the_demo_script() {
    run_file(&example_js("demo.js")).unwrap();
    run_file(&example_js("async.js")).unwrap();
    let missing = run_file(Path::new("/no/such/script.js")).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read /no/such/script.js"),
        "{missing}"
    );
}

#[test]
fn run_treats_mjs_files_and_files_with_import_or_export_as_modules() {
    use opwire_examples::is_module;

    // examples/js/modules: static imports (a module, JSON), top-level
    // await, import(); main.js throws if a result is wrong.
    run_file(&example_js("modules/main.js")).unwrap();

    let script = |source: &str| is_module(Path::new("x.js"), source);
    assert!(is_module(Path::new("x.mjs"), "1 + 1"));
    assert!(script("// hi\nimport { a } from './a.js';"));
    assert!(script("  import x from './a.js'"));
    assert!(script("import * as a from './a.js'"));
    assert!(script("import './a.js'"));
    assert!(script("import{a}from'./a.js'"));
    assert!(script("export const a = 1;"));
    assert!(script("export default 1;"));
    assert!(script("export{a}"));
    assert!(!script("import('./a.js').then(() => {});"));
    assert!(!script("const important = 1;\nimportant;"));
    assert!(!script("exports.a = 1;"));
    assert!(!script("demo.js"));
    // examples/js: the scripts stay scripts.
    for name in [
        "async.js",
        "bad_arg.js",
        "demo.js",
        "forever.js",
        "hungry.js",
    ] {
        let source = std::fs::read_to_string(example_js(name)).unwrap();
        assert!(!is_module(&example_js(name), &source), "{name}");
    }
}

#[test]
fn run_reports_module_errors_with_their_place_and_stops_modules_at_the_deadline() {
    use std::time::Duration;

    let dir = std::env::temp_dir().join(format!("opwire-run-modules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, code: &str| {
        let path = dir.join(name);
        std::fs::write(&path, code).unwrap();
        path
    };
    let missing = write(
        "missing.mjs",
        "// imports what is not there\nimport './nope.js';",
    );
    let err = run_file(&missing).unwrap_err();
    let js = err.as_js().expect("a JS error");
    let url = format!("file://{}", dir.display());
    assert_eq!(
        js.message,
        format!("Cannot find module \"./nope.js\" ({url}/nope.js) imported from {url}/missing.mjs")
    );
    let loc = js.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (2, 8));

    let spin = write("spin.mjs", "await null;\nwhile (true) {}");
    let options = opwire_examples::RunOptions {
        timeout: Some(Duration::from_millis(100)),
        ..Default::default()
    };
    let err = crate::util::tokio_rt()
        .block_on(opwire_examples::run_file_with(&spin, &options))
        .unwrap_err();
    assert_eq!(err.to_string(), "execution terminated: the deadline passed");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_ops_work_together() {
    let mut rt = opwire_examples::demo_runtime();
    assert_eq!(eval::<u32>(&mut rt, "ops.op_count(); ops.op_count()"), 2);
    assert_eq!(eval::<String>(&mut rt, "ops.op_greet('x')"), "hello x");
    assert_eq!(
        crate::util::error_of(&mut rt, "ops.op_panic('p')"),
        "Error: op_panic panicked: p"
    );
    assert_eq!(eval::<i32>(&mut rt, "ops.op_add(1, 2)"), 3);
}

#[test]
fn run_stops_scripts_at_their_limits() {
    use std::time::Duration;

    use opwire_examples::RunOptions;

    let with = |name: &str, options: RunOptions| {
        crate::util::tokio_rt()
            .block_on(opwire_examples::run_file_with(&example_js(name), &options))
    };
    let timeout = RunOptions {
        timeout: Some(Duration::from_millis(100)),
        ..Default::default()
    };
    let err = with("forever.js", timeout).unwrap_err();
    assert_eq!(err.to_string(), "execution terminated: the deadline passed");
    let heap = RunOptions {
        max_heap_mb: Some(64),
        ..Default::default()
    };
    let err = with("hungry.js", heap).unwrap_err();
    assert!(
        matches!(err, opwire::Error::HeapLimit { limit } if limit == 64 << 20),
        "{err}"
    );
    // The demo finishes well within both limits.
    let both = RunOptions {
        max_heap_mb: Some(64),
        timeout: Some(Duration::from_secs(30)),
        ..Default::default()
    };
    with("demo.js", both).unwrap();
}

#[test]
fn a_worker_pool_runs_scripts_on_other_threads() {
    use opwire_examples::workers::{Pool, worker_runtime};

    let pool = Pool::new(2, worker_runtime);
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let pool = pool.clone();
            std::thread::spawn(move || {
                (0..5)
                    .map(|i| pool.run(format!("String(ops.op_add({c}, {i}))")).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for (c, client) in clients.into_iter().enumerate() {
        let results = client.join().unwrap();
        let expected: Vec<String> = (0..5).map(|i| (c + i).to_string()).collect();
        assert_eq!(results, expected);
    }
    let err = pool.run("ops.op_add(1, 'x')").unwrap_err();
    assert!(
        err.contains("TypeError: op_add: argument 'b' (#2) expected i32, got string"),
        "{err}"
    );
    // Async jobs are driven by the worker's own event loop.
    assert_eq!(
        pool.run("ops.op_sleep(5).then(() => 'done')").unwrap(),
        "done"
    );
}

#[test]
fn the_ticker_extension_calls_back_until_stopped() {
    use std::time::Duration;

    use opwire::{JsRuntime, RuntimeOptions};

    run_file(&example_js("ticker.js")).unwrap();

    let tokio = crate::util::tokio_rt();
    let _guard = tokio.enter();
    let mut rt = JsRuntime::new(RuntimeOptions {
        extensions: vec![opwire_examples::ticker::ticker_extension()],
        op_metrics: true,
        ..Default::default()
    });
    let before = rt.activity();
    rt.execute_script(
        "ticks.js",
        "globalThis.seen = { a: [], b: [], c: [] };
         const controller = new AbortController();
         ticker.start(2, (n) => { seen.a.push(n); if (n === 3) controller.abort(); }, { signal: controller.signal });
         const b = ticker.start(2, (n) => { seen.b.push(n); if (n === 2) ticker.stop(b); });
         ticker.start(1, (n) => seen.c.push(n), { limit: 4 });",
    )
    .unwrap();
    assert_eq!(
        rt.activity().since(&before).resources.get("ticker"),
        Some(&3)
    );
    tokio
        .block_on(rt.run_event_loop_with_timeout(Duration::from_secs(10)))
        .expect("every ticker stops, and the loop with them");
    let seen: String = eval(&mut rt, "JSON.stringify(seen)");
    // A tick already queued when its ticker stops may still arrive.
    let seen: serde_json::Value = serde_json::from_str(&seen).unwrap();
    let a: Vec<u64> = serde_json::from_value(seen["a"].clone()).unwrap();
    let b: Vec<u64> = serde_json::from_value(seen["b"].clone()).unwrap();
    assert!(a.starts_with(&[1, 2, 3]) && a.len() <= 4, "{a:?}");
    assert!(b.starts_with(&[1, 2]) && b.len() <= 3, "{b:?}");
    assert_eq!(seen["c"], serde_json::json!([1, 2, 3, 4]));
    // Nothing is left behind but the ticker with a limit, which JS never
    // closed (its thread has ended). That thread drops its callback handle
    // just after its last tick, and the runtime frees the callback on its
    // next turn: give it a few turns (bounded) before looking.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    let left = loop {
        let left = rt.activity().since(&before);
        if left.to_string() == "1 open resource ticker" || std::time::Instant::now() > deadline {
            break left;
        }
        std::thread::sleep(Duration::from_millis(10));
        tokio
            .block_on(rt.run_event_loop_with_timeout(Duration::from_secs(1)))
            .expect("the loop has nothing left to wait for");
    };
    assert_eq!(left.to_string(), "1 open resource ticker");
    let (name, m) = rt.op_metrics()[0];
    assert_eq!((name, m.slow_calls), ("op_ticker_start", 3));
}

#[test]
fn args_reach_js_as_a_frozen_array_of_the_same_strings() {
    let mut rt = opwire::JsRuntime::new(opwire::RuntimeOptions::default());
    let args = ["plain", "a\"b\\c", "line\nbreak", "é\u{2028}", ""].map(String::from);
    opwire_examples::set_args(&mut rt, &args).unwrap();
    let got: String = eval(
        &mut rt,
        "JSON.stringify(args) + ' ' + Object.isFrozen(args) + ' ' + Array.isArray(args)",
    );
    let expected = format!("{} true true", serde_json::to_string(&args).unwrap());
    assert_eq!(got, expected);
}
