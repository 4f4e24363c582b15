//! ES modules: module graphs (static imports, cycles, JSON modules),
//! evaluation with top-level `await`, `import()`, `import.meta`, extension
//! modules, loaders (file system, memory, async), and the error of each
//! way a load can fail.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use opwire::{
    Error, Extension, JsError, JsRuntime, MemoryModuleLoader, ModuleLoadFuture, ModuleLoader,
    ModuleSpecifier, ModuleType, OpError, RuntimeOptions, op,
};

use crate::util::tokio_rt;

#[op]
async fn op_mod_sleep(ms: u32) {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
}

fn runtime_with(loader: impl ModuleLoader + 'static, extensions: Vec<Extension>) -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![op_mod_sleep],
        module_loader: Some(Rc::new(loader)),
        extensions,
        ..Default::default()
    })
}

/// A runtime whose modules are `modules` (paths under `/app`).
fn runtime(modules: &[(&str, &'static str)]) -> JsRuntime {
    let loader = modules
        .iter()
        .fold(MemoryModuleLoader::new(), |l, (name, code)| {
            l.with(name, *code)
        });
    runtime_with(loader, Vec::new())
}

/// Loads and evaluates `main`, then runs the event loop.
async fn run_main(rt: &mut JsRuntime, main: &str) -> Result<(), Error> {
    let id = rt.load_main_module(main).await?;
    rt.evaluate_module(id).await?;
    rt.run_event_loop().await
}

/// `JSON.stringify(globalThis.out)`.
fn out(rt: &mut JsRuntime) -> String {
    rt.eval("out.js", "JSON.stringify(globalThis.out)").unwrap()
}

fn js(err: Error) -> JsError {
    err.as_js()
        .cloned()
        .unwrap_or_else(|| panic!("not a JS error: {err}"))
}

/// (script, line, column) of an error's location.
fn place(err: &JsError) -> (String, u32, u32) {
    let loc = err
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("no location: {err:?}"));
    (loc.script.clone(), loc.line, loc.column)
}

#[test]
fn static_imports_link_a_graph_and_evaluate_each_module_once() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "import { a } from './a.js';\n\
             import b, { bump, count } from './lib/b.js';\n\
             import * as shared from './shared.js';\n\
             bump(); bump();\n\
             export const out = globalThis.out = [a, b, count, shared.evaluations, Object.keys(shared)];",
        ),
        ("/app/a.js", "export { value as a } from './shared.js';"),
        (
            "/app/lib/b.js",
            "import { value } from '../shared.js';\n\
             export let count = 0;\n\
             export function bump() { count++; }\n\
             export default value + '!';",
        ),
        (
            "/app/shared.js",
            "globalThis.evaluations = (globalThis.evaluations ?? 0) + 1;\n\
             export const value = 'shared';\n\
             export const evaluations = globalThis.evaluations;",
        ),
    ]);
    tokio_rt().block_on(async {
        let id = rt.load_main_module("/app/main.js").await.unwrap();
        assert_eq!(rt.module_url(id).unwrap().as_str(), "file:///app/main.js");
        // Loading links; nothing runs before evaluation.
        assert!(
            rt.eval::<bool>("t.js", "globalThis.out === undefined")
                .unwrap()
        );
        rt.evaluate_module(id).await.unwrap();
        // Live bindings: `count` was 0 when imported and 2 when read.
        assert_eq!(
            out(&mut rt),
            r#"["shared","shared!",2,1,["evaluations","value"]]"#
        );
        // The namespace holds the exports.
        let ns = rt.module_namespace(id).unwrap();
        let keys = rt.with_scope(|scope| {
            let ns = opwire::v8::Local::new(scope, ns);
            let keys = ns
                .get_own_property_names(scope, Default::default())
                .unwrap();
            keys.to_rust_string_lossy(scope)
        });
        assert_eq!(keys, "out");
        // A side module already in the graph is the same module, not run again.
        let side = rt.load_side_module("/app/shared.js").await.unwrap();
        rt.evaluate_module(side).await.unwrap();
        assert_eq!(rt.eval::<u32>("t.js", "globalThis.evaluations").unwrap(), 1);
    });
}

#[test]
fn import_meta_has_the_url_and_whether_the_module_is_main() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "import { meta } from './side.js';\n\
             globalThis.out = [import.meta.url, import.meta.main, meta.url, meta.main];",
        ),
        (
            "/app/side.js",
            "export const meta = { url: import.meta.url, main: import.meta.main };",
        ),
        ("/app/other.js", "globalThis.other = import.meta.main;"),
    ]);
    tokio_rt().block_on(async {
        let other = rt.load_side_module("/app/other.js").await.unwrap();
        rt.evaluate_module(other).await.unwrap();
        run_main(&mut rt, "/app/main.js").await.unwrap();
        assert_eq!(
            out(&mut rt),
            r#"["file:///app/main.js",true,"file:///app/side.js",false]"#
        );
        assert!(!rt.eval::<bool>("t.js", "other").unwrap());
        let again = rt.load_main_module("/app/other.js").await.unwrap_err();
        assert_eq!(
            again.to_string(),
            "a main module is already loaded: file:///app/main.js"
        );
    });
}

#[test]
fn json_modules_need_the_json_type_and_valid_json() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "import data from './data.json' with { type: 'json' };\n\
             const again = await import('./data.json', { with: { type: 'json' } });\n\
             globalThis.out = [data, again.default === data];",
        ),
        ("/app/data.json", r#"{ "name": "opwire", "list": [1, 2] }"#),
        ("/app/untyped.js", "import data from './data.json';"),
        (
            "/app/typed_js.js",
            "import x from './main.js' with { type: 'json' };",
        ),
        (
            "/app/css.js",
            "import x from './a.css' with { type: 'css' };",
        ),
        (
            "/app/bad.js",
            "\n\nimport x from './bad.json' with { type: 'json' };",
        ),
        ("/app/bad.json", "{ \"a\": }"),
    ]);
    tokio_rt().block_on(async {
        run_main(&mut rt, "/app/main.js").await.unwrap();
        assert_eq!(out(&mut rt), r#"[{"name":"opwire","list":[1,2]},true]"#);

        let err = js(rt.load_side_module("/app/untyped.js").await.unwrap_err());
        assert_eq!(err.name, "TypeError");
        assert_eq!(
            err.message,
            "Module \"./data.json\" (file:///app/data.json) imported from file:///app/untyped.js \
             is JSON: import it with { type: \"json\" }"
        );
        let err = js(rt.load_side_module("/app/typed_js.js").await.unwrap_err());
        assert!(
            err.message
                .ends_with("is JavaScript, not JSON: import it without { type: \"json\" }"),
            "{err:?}"
        );
        let err = js(rt.load_side_module("/app/css.js").await.unwrap_err());
        assert!(
            err.message
                .ends_with("has an unsupported type \"css\" (only \"json\" is known)"),
            "{err:?}"
        );
        let err = js(rt.load_side_module("/app/bad.js").await.unwrap_err());
        assert_eq!(err.name, "SyntaxError");
        assert!(
            err.message
                .starts_with("file:///app/bad.json is not valid JSON: "),
            "{err:?}"
        );
        assert_eq!(place(&err), ("file:///app/bad.js".into(), 3, 15));
    });
}

#[test]
fn top_level_await_is_driven_by_the_event_loop() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "import { ready } from './dep.js';\n\
             steps.push('main ' + ready);\n\
             await new Promise((resolve) => setTimeout(resolve, 5));\n\
             steps.push('timer');\n\
             setTimeout(() => steps.push('later'), 20);",
        ),
        (
            "/app/dep.js",
            "globalThis.steps = ['dep'];\n\
             await ops.op_mod_sleep(10);\n\
             steps.push('slept');\n\
             export const ready = true;",
        ),
    ]);
    tokio_rt().block_on(async {
        let id = rt.load_main_module("/app/main.js").await.unwrap();
        rt.evaluate_module(id).await.unwrap();
        // Done when the evaluation is: the timer it set is still pending.
        let steps = "JSON.stringify(steps)";
        assert_eq!(
            rt.eval::<String>("t.js", steps).unwrap(),
            r#"["dep","slept","main true","timer"]"#
        );
        rt.run_event_loop().await.unwrap();
        assert_eq!(
            rt.eval::<String>("t.js", steps).unwrap(),
            r#"["dep","slept","main true","timer","later"]"#
        );
    });
}

#[test]
fn a_stalled_top_level_await_is_an_error_located_at_the_await() {
    let mut rt = runtime(&[(
        "/app/main.js",
        "const x = 1;\n  await new Promise(() => {});",
    )]);
    tokio_rt().block_on(async {
        let id = rt.load_main_module("/app/main.js").await.unwrap();
        let err = js(rt.evaluate_module(id).await.unwrap_err());
        assert_eq!(err.message, "Top-level await promise never resolved");
        assert_eq!(place(&err), ("file:///app/main.js".into(), 2, 3));
    });
}

#[test]
fn evaluation_errors_carry_file_line_and_column() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "import './throws.js';\nglobalThis.ran = true;",
        ),
        (
            "/app/throws.js",
            "const x = 1;\n\n  throw new TypeError('boom ' + x);",
        ),
        (
            "/app/late.js",
            "await ops.op_mod_sleep(1);\nconst why = 'late';\n    throw new RangeError(why);",
        ),
        ("/app/value.js", "throw 42;"),
    ]);
    tokio_rt().block_on(async {
        let id = rt.load_main_module("/app/main.js").await.unwrap();
        let err = js(rt.evaluate_module(id).await.unwrap_err());
        assert_eq!(
            (err.name.as_str(), err.message.as_str()),
            ("TypeError", "boom 1")
        );
        assert_eq!(place(&err), ("file:///app/throws.js".into(), 3, 9));
        assert!(
            err.stack
                .as_deref()
                .unwrap()
                .contains("file:///app/throws.js:3:9"),
            "{err:?}"
        );
        assert!(
            rt.eval::<bool>("t.js", "globalThis.ran === undefined")
                .unwrap()
        );
        // An errored module keeps its error.
        let again = js(rt.evaluate_module(id).await.unwrap_err());
        assert_eq!(again.message, "boom 1");

        // Thrown after a top-level await: the loop rejects the evaluation.
        let late = rt.load_side_module("/app/late.js").await.unwrap();
        let err = js(rt.evaluate_module(late).await.unwrap_err());
        assert_eq!(
            (err.name.as_str(), err.message.as_str()),
            ("RangeError", "late")
        );
        assert_eq!(place(&err), ("file:///app/late.js".into(), 3, 11));

        let value = rt.load_side_module("/app/value.js").await.unwrap();
        let err = js(rt.evaluate_module(value).await.unwrap_err());
        assert_eq!(err.message, "42");
        // Nothing is left for the loop to report.
        rt.run_event_loop().await.unwrap();
    });
}

#[test]
fn a_missing_module_names_the_specifier_and_the_importer() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "import './a.js';\n  import { x } from './missing.js';",
        ),
        ("/app/a.js", "export const a = 1;"),
    ]);
    tokio_rt().block_on(async {
        let err = js(rt.load_main_module("/app/main.js").await.unwrap_err());
        assert_eq!(err.name, "TypeError");
        assert_eq!(
            err.message,
            "Cannot find module \"./missing.js\" (file:///app/missing.js) imported from file:///app/main.js"
        );
        assert_eq!(err.code.as_deref(), Some("ERR_MODULE_NOT_FOUND"));
        assert_eq!(place(&err), ("file:///app/main.js".into(), 2, 21));
        assert_eq!(
            err.location.unwrap().source_line.as_deref(),
            Some("  import { x } from './missing.js';")
        );
        assert!(
            err.stack.as_deref().unwrap().ends_with("\n    at file:///app/main.js:2:21"),
            "{:?}",
            err.stack
        );

        // The main module itself: no importer, no location.
        let err = js(rt.load_main_module("/app/nope.js").await.unwrap_err());
        assert_eq!(err.message, "Cannot find module \"/app/nope.js\" (file:///app/nope.js)");
        assert_eq!(err.location, None);

        // Bare specifiers are refused where they are written.
        let mut rt = runtime(&[("/app/main.js", "\nimport _ from 'lodash';")]);
        let err = js(rt.load_main_module("/app/main.js").await.unwrap_err());
        assert_eq!(
            err.message,
            "Cannot resolve module \"lodash\" imported from file:///app/main.js: \
             Relative import path \"lodash\" not prefixed with / or ./ or ../"
        );
        assert_eq!(place(&err), ("file:///app/main.js".into(), 2, 15));
    });
}

#[test]
fn a_syntax_error_in_an_imported_module_points_into_it() {
    let mut rt = runtime(&[
        ("/app/main.js", "import { a } from './a.js';"),
        ("/app/a.js", "export const a = 1;\nexport const = 2;"),
        (
            "/app/links.js",
            "import { a } from './fine.js';\nimport { nope } from './fine.js';",
        ),
        ("/app/fine.js", "export const a = 1;"),
    ]);
    tokio_rt().block_on(async {
        let err = js(rt.load_main_module("/app/main.js").await.unwrap_err());
        assert_eq!(err.name, "SyntaxError");
        assert_eq!(err.message, "Unexpected token '='");
        assert_eq!(place(&err), ("file:///app/a.js".into(), 2, 14));
        assert_eq!(
            err.location.unwrap().source_line.as_deref(),
            Some("export const = 2;")
        );

        // A missing export is found when the graph is linked.
        let err = js(rt.load_side_module("/app/links.js").await.unwrap_err());
        assert_eq!(err.name, "SyntaxError");
        assert_eq!(
            err.message,
            "The requested module './fine.js' does not provide an export named 'nope'"
        );
        assert_eq!(place(&err), ("file:///app/links.js".into(), 2, 10));
    });
}

#[test]
fn import_cycles_follow_the_spec() {
    let mut rt = runtime(&[
        (
            "/app/a.js",
            "import { b, readA } from './b.js';\n\
             export function fromA() { return 'hoisted'; }\n\
             export let a = 'a';\n\
             order.push('a');\n\
             globalThis.out = [b, readA(), order];",
        ),
        (
            "/app/b.js",
            "import { fromA, a } from './a.js';\n\
             globalThis.order = ['b'];\n\
             let early;\n\
             try { early = a; } catch (e) { early = e.name; }\n\
             export const b = `${fromA()} ${early}`;\n\
             export const readA = () => a;",
        ),
    ]);
    tokio_rt().block_on(async {
        run_main(&mut rt, "/app/a.js").await.unwrap();
    });
    // b runs first; a's functions are hoisted, its `let` is in its TDZ,
    // and b sees a's binding once a has run.
    assert_eq!(out(&mut rt), r#"["hoisted ReferenceError","a",["b","a"]]"#);
}

#[test]
fn dynamic_import_loads_evaluates_and_resolves_with_the_namespace() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "const [one, two] = await Promise.all([import('./lazy.js'), import('./lazy.js')]);\n\
             const direct = await import('/app/lazy.js');\n\
             globalThis.out = [one.value, one === two, one === direct, lazyRuns];",
        ),
        (
            "/app/lazy.js",
            "globalThis.lazyRuns = (globalThis.lazyRuns ?? 0) + 1;\n\
             await ops.op_mod_sleep(5);\n\
             export const value = 'lazy';",
        ),
    ]);
    tokio_rt().block_on(async {
        run_main(&mut rt, "/app/main.js").await.unwrap();
        assert_eq!(out(&mut rt), r#"["lazy",true,true,1]"#);
        // From a classic script too (a rooted or absolute specifier).
        rt.execute_script(
            "script.js",
            "import('file:///app/lazy.js').then((m) => { globalThis.fromScript = m.value; });",
        )
        .unwrap();
        rt.run_event_loop().await.unwrap();
        assert_eq!(rt.eval::<String>("t.js", "fromScript").unwrap(), "lazy");
    });
}

#[test]
fn a_failing_dynamic_import_rejects_where_it_was_called() {
    let mut rt = runtime(&[
        (
            "/app/main.js",
            "const errors = [];\n\
             for (const s of ['./missing.js', './throws.js', './bad.js', 'bare']) {\n\
               try { await import(s); } catch (e) { errors.push(`${e.name}: ${e.message}`); }\n\
             }\n\
             try {\n\
               await import('./missing.js');\n\
             } catch (e) { globalThis.stack = e.stack; }\n\
             globalThis.out = errors;",
        ),
        ("/app/throws.js", "throw new Error('boom');"),
        ("/app/bad.js", "export const = 1;"),
        ("/app/unhandled.js", "\nimport('./throws.js');"),
    ]);
    tokio_rt().block_on(async {
        run_main(&mut rt, "/app/main.js").await.unwrap();
        assert_eq!(
            out(&mut rt),
            "[\"TypeError: Cannot find module \\\"./missing.js\\\" (file:///app/missing.js) \
             imported from file:///app/main.js\",\
             \"Error: boom\",\
             \"SyntaxError: Unexpected token '='\",\
             \"TypeError: Cannot resolve module \\\"bare\\\" imported from file:///app/main.js: \
             Relative import path \\\"bare\\\" not prefixed with / or ./ or ../\"]"
        );
        let stack: String = rt.eval("t.js", "stack").unwrap();
        assert!(
            stack.ends_with("\n    at file:///app/main.js:6:1"),
            "{stack}"
        );

        // Unhandled, the rejected evaluation is an error of the event loop.
        let id = rt.load_side_module("/app/unhandled.js").await.unwrap();
        rt.evaluate_module(id).await.unwrap();
        let err = js(rt.run_event_loop().await.unwrap_err());
        assert_eq!(err.message, "boom");
        assert_eq!(place(&err), ("file:///app/throws.js".into(), 1, 7));
    });
}

/// Loads modules after a delay, counting loads per URL and the most in
/// flight at once.
#[derive(Default)]
struct SlowLoader {
    inner: MemoryModuleLoader,
    loads: Rc<RefCell<BTreeMap<String, u32>>>,
    in_flight: Rc<RefCell<(u32, u32)>>,
}

impl ModuleLoader for SlowLoader {
    fn load(&self, specifier: &ModuleSpecifier, requested: ModuleType) -> ModuleLoadFuture {
        *self
            .loads
            .borrow_mut()
            .entry(specifier.to_string())
            .or_default() += 1;
        let in_flight = self.in_flight.clone();
        {
            let mut counts = in_flight.borrow_mut();
            counts.0 += 1;
            counts.1 = counts.1.max(counts.0);
        }
        let load = self.inner.load(specifier, requested);
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            in_flight.borrow_mut().0 -= 1;
            load.await
        })
    }
}

#[test]
fn a_graph_loads_concurrently_and_each_module_once() {
    let inner = MemoryModuleLoader::new()
        .with("/app/main.js", "import './a.js'; import './b.js'; import './c.js';\nglobalThis.out = await Promise.all([import('./late.js'), import('./late.js'), import('./a.js')]).then((m) => m.length);")
        .with("/app/a.js", "import './shared.js';")
        .with("/app/b.js", "import './shared.js'; import './a.js';")
        .with("/app/c.js", "import './b.js';")
        .with("/app/shared.js", "import './a.js';")
        .with("/app/late.js", "import './shared.js';");
    let loads = Rc::new(RefCell::new(BTreeMap::new()));
    let in_flight = Rc::new(RefCell::new((0, 0)));
    let loader = SlowLoader {
        inner,
        loads: loads.clone(),
        in_flight: in_flight.clone(),
    };
    let mut rt = runtime_with(loader, Vec::new());
    tokio_rt().block_on(async {
        run_main(&mut rt, "/app/main.js").await.unwrap();
    });
    assert_eq!(out(&mut rt), "3");
    let loaded: Vec<(String, u32)> = loads.borrow().clone().into_iter().collect();
    let once = |name: &str| (format!("file:///app/{name}"), 1);
    assert_eq!(
        loaded,
        ["a.js", "b.js", "c.js", "late.js", "main.js", "shared.js"].map(once)
    );
    // main's three imports were in flight together.
    assert_eq!(in_flight.borrow().1, 3);
}

/// Records what the loader was asked for, and fails.
#[derive(Default)]
struct Recording(Rc<RefCell<Vec<String>>>);

impl ModuleLoader for Recording {
    fn resolve(
        &self,
        specifier: &str,
        referrer: &ModuleSpecifier,
    ) -> Result<ModuleSpecifier, OpError> {
        self.0.borrow_mut().push(format!("resolve {specifier}"));
        opwire::resolve_import(specifier, referrer)
    }

    fn load(&self, specifier: &ModuleSpecifier, _requested: ModuleType) -> ModuleLoadFuture {
        self.0.borrow_mut().push(format!("load {specifier}"));
        let err = OpError::new("NotFound", "not here");
        Box::pin(std::future::ready(Err(err)))
    }
}

#[test]
fn extension_modules_import_each_other_and_never_reach_the_loader() {
    let base = Extension::new("base")
        .esm("util.js", "export const shout = (s) => s.toUpperCase();")
        .esm("config.json", r#"{ "punctuation": "!" }"#);
    let greet = Extension::new("greet")
        .dependency("base")
        .esm(
            "ext:greet/mod.js",
            "import { shout } from 'ext:base/util.js';\n\
             import config from 'ext:base/config.json' with { type: 'json' };\n\
             export { prefix } from './lib/prefix.js';\n\
             export const greet = (n) => shout(`hello ${n}`) + config.punctuation;",
        )
        .esm("lib/prefix.js", "export const prefix = import.meta.url;")
        .esm("escape.js", "import '../base/util.js';");
    let asked = Rc::new(RefCell::new(Vec::new()));
    let mut rt = runtime_with(Recording(asked.clone()), vec![base, greet]);
    tokio_rt().block_on(async {
        let id = rt.load_main_module("ext:greet/mod.js").await.unwrap();
        rt.evaluate_module(id).await.unwrap();
        rt.execute_script(
            "user.js",
            "import('ext:greet/mod.js').then((m) => { globalThis.out = [m.greet('ext'), m.prefix]; });",
        )
        .unwrap();
        rt.run_event_loop().await.unwrap();
        assert_eq!(out(&mut rt), r#"["HELLO EXT!","ext:greet/lib/prefix.js"]"#);

        let err = js(rt.load_side_module("ext:greet/nope.js").await.unwrap_err());
        assert_eq!(err.message, "Cannot find module \"ext:greet/nope.js\"");
        let err = js(rt.load_side_module("ext:greet/../../etc/passwd").await.unwrap_err());
        assert_eq!(err.message, "Cannot find module \"ext:greet/../../etc/passwd\" (ext:etc/passwd)");
        let err = js(rt.load_side_module("ext:greet/escape.js").await.unwrap_err());
        assert_eq!(
            err.message,
            "Cannot resolve module \"../base/util.js\" imported from ext:greet/escape.js: \
             \"../base/util.js\" in \"ext:greet/escape.js\" leaves extension `greet`: \
             an ext: module imports other extensions by their ext: URL"
        );
    });
    assert_eq!(
        *asked.borrow(),
        Vec::<String>::new(),
        "ext: modules never reach the loader"
    );

    let setup = |ext: Extension| {
        JsRuntime::try_new(RuntimeOptions {
            extensions: vec![ext],
            ..Default::default()
        })
    };
    let twice = Extension::new("x").esm("a.js", "").esm("ext:x/a.js", "");
    assert_eq!(
        setup(twice).unwrap_err().to_string(),
        "module ext:x/a.js is registered twice"
    );
    let other = Extension::new("x").esm("ext:y/a.js", "");
    assert_eq!(
        setup(other).unwrap_err().to_string(),
        "extension `x`: module \"ext:y/a.js\" must be a file name or an ext:x/... URL"
    );
}

#[test]
fn the_file_system_loader_takes_paths_and_file_urls() {
    let dir = std::env::temp_dir().join(format!("opwire-modules-{}", std::process::id()));
    let lib = dir.join("my lib");
    std::fs::create_dir_all(&lib).unwrap();
    let abs = ModuleSpecifier::from_file_path(&lib.join("abs.mjs")).unwrap();
    let files = [
        (
            dir.join("main.js"),
            format!(
                "import {{ rel }} from './my lib/rel.js';\n\
                 import {{ abs }} from '{abs}';\n\
                 import data from './data.json' with {{ type: 'json' }};\n\
                 globalThis.out = [rel, abs, data.n, import.meta.url.endsWith('/main.js')];"
            ),
        ),
        (
            lib.join("rel.js"),
            "export { up as rel } from '../up.js';".into(),
        ),
        (dir.join("up.js"), "export const up = 'up';".into()),
        (
            lib.join("abs.mjs"),
            "export const abs = import.meta.url;".into(),
        ),
        (dir.join("data.json"), r#"{ "n": 7 }"#.into()),
    ];
    for (path, code) in &files {
        std::fs::write(path, code).unwrap();
    }
    let main = dir.join("main.js");
    let by_path = main.display().to_string();
    let by_url = ModuleSpecifier::from_file_path(&main).unwrap().to_string();
    for main in [by_path, by_url] {
        let mut rt = JsRuntime::new(RuntimeOptions::default());
        tokio_rt().block_on(run_main(&mut rt, &main)).unwrap();
        let expected = format!(r#"["up","{abs}",7,true]"#);
        assert_eq!(out(&mut rt), expected);
    }
    let mut rt = JsRuntime::new(RuntimeOptions::default());
    let err = js(tokio_rt()
        .block_on(rt.load_main_module(&dir.join("none.js").display().to_string()))
        .unwrap_err());
    assert!(err.message.starts_with("Cannot find module"), "{err:?}");
    let err = js(tokio_rt()
        .block_on(rt.load_main_module("https://example.com/x.js"))
        .unwrap_err());
    assert_eq!(
        err.message,
        "Cannot load module \"https://example.com/x.js\": NotSupported: \
         the file-system loader loads file: URLs only, not \"https://example.com/x.js\""
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
