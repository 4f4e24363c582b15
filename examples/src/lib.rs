//! The demo ops shared by the `hello` and `run` examples, the `ticker`
//! extension, the script runner behind `run` (with the `fs` and `net`
//! extensions and their permission flags), and the worker pool behind
//! `workers`.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use opwire::{Error, Extension, JsRuntime, OpError, OpState, RuntimeOptions, op};
use opwire_fs::{FsPermissions, fs_extension};
use opwire_net::{NetPermissions, net_extension};

pub mod allow;
pub mod ticker;
pub mod workers;

/// A counter kept in the runtime's [`OpState`].
#[derive(Debug, Default)]
pub struct Counter(pub u32);

/// Adds two integers.
#[op]
pub fn op_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// Greets `name`.
#[op]
pub fn op_greet(#[string] name: &str) -> String {
    format!("hello {name}")
}

/// Counts its calls, in state.
#[op]
pub fn op_count(state: &mut OpState) -> u32 {
    let c = state.borrow_mut::<Counter>();
    c.0 += 1;
    c.0
}

/// Divides, refusing to divide by zero.
#[op]
pub fn op_div(a: f64, b: f64) -> Result<f64, OpError> {
    if b == 0.0 {
        Err(OpError::range_error("division by zero"))
    } else {
        Ok(a / b)
    }
}

/// Reads a UTF-8 file (I/O errors arrive as `NotFound`, `PermissionDenied`, ...).
#[op]
pub fn op_read_text_sync(#[string] path: &str) -> Result<String, OpError> {
    Ok(std::fs::read_to_string(path)?)
}

/// Panics, to show that a panic becomes a JS error.
#[op]
pub fn op_panic(#[string] message: &str) {
    panic!("{message}");
}

/// Sleeps for `ms` milliseconds.
#[op]
pub async fn op_sleep(ms: u32) {
    tokio::time::sleep(Duration::from_millis(ms.into())).await;
}

/// Reads a UTF-8 file without blocking the JS thread.
#[op]
pub async fn op_read_text(#[string] path: String) -> Result<String, OpError> {
    Ok(tokio::fs::read_to_string(path).await?)
}

/// Writes a UTF-8 file without blocking the JS thread.
#[op]
pub async fn op_write_text(#[string] path: String, #[string] text: String) -> Result<(), OpError> {
    Ok(tokio::fs::write(path, text).await?)
}

/// Counts its calls, in state, from an async op.
#[op]
pub async fn op_next_id(state: Rc<RefCell<OpState>>) -> u32 {
    let mut state = state.borrow_mut();
    let c = state.borrow_mut::<Counter>();
    c.0 += 1;
    c.0
}

/// Truncates a file to `len` bytes, on tokio's blocking pool.
#[op(blocking)]
pub fn op_truncate(#[string] path: String, #[number] len: u64) -> Result<(), OpError> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .set_len(len)?;
    Ok(())
}

/// A temporary file path for demos (`<tmp>/opwire-<pid>-<name>`).
#[op]
pub fn op_temp_path(#[string] name: &str) -> String {
    std::env::temp_dir()
        .join(format!("opwire-{}-{name}", std::process::id()))
        .display()
        .to_string()
}

/// The demo ops as an extension, with the state they need.
pub fn demo_extension() -> Extension {
    Extension::new("demo")
        .ops(opwire::ops![
            op_add,
            op_greet,
            op_count,
            op_div,
            op_read_text_sync,
            op_panic,
            op_sleep,
            op_read_text,
            op_write_text,
            op_next_id,
            op_truncate,
            op_temp_path,
        ])
        .state(|state| {
            state.put(Counter::default());
        })
}

/// A runtime with the demo ops.
pub fn demo_runtime() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        extensions: vec![demo_extension()],
        ..Default::default()
    })
}

/// Runs a JS file with the demo ops and drives its event loop to the end,
/// as the `run` example does. Call it inside a tokio runtime.
///
/// # Errors
///
/// The uncaught JS error (or unhandled rejection), or a setup error if the
/// file cannot be read.
pub async fn run_file(path: &Path) -> Result<(), Error> {
    run_file_with(path, &RunOptions::default()).await
}

/// Limits, permissions and arguments for [`run_file_with`] (the `run`
/// example's `--max-heap-mb`, `--timeout-ms`, `--allow-*` flags and the
/// arguments after the file).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The most memory the JS heap may take, in MiB.
    pub max_heap_mb: Option<usize>,
    /// How long the script and its event loop may run, together.
    pub timeout: Option<std::time::Duration>,
    /// What the `fs` extension may read and write (nothing by default).
    pub fs: FsPermissions,
    /// What the `net` extension may listen on and connect to (nothing by
    /// default).
    pub net: NetPermissions,
    /// The script's arguments: the global `args`, an array of strings.
    pub args: Vec<String>,
}

/// [`run_file`] within limits: a script that reaches the heap limit or
/// runs past the timeout ends with an error instead of taking the process
/// down or running forever.
///
/// The file runs as an ES module when [`is_module`] says so (loaded with
/// the file-system loader, so it may import other files), otherwise as a
/// classic script.
///
/// # Errors
///
/// As [`run_file`], plus [`Error::HeapLimit`] and [`Error::Terminated`].
pub async fn run_file_with(path: &Path, options: &RunOptions) -> Result<(), Error> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| Error::Setup(format!("cannot read {}: {e}", path.display())))?;
    let mut runtime = JsRuntime::new(RuntimeOptions {
        extensions: vec![
            demo_extension(),
            ticker::ticker_extension(),
            fs_extension(options.fs.clone()),
            net_extension(options.net.clone()),
        ],
        max_heap_bytes: options.max_heap_mb.map(|mb| mb << 20),
        ..Default::default()
    });
    set_args(&mut runtime, &options.args)?;
    let name = path.display().to_string();
    let start = std::time::Instant::now();
    if is_module(path, &source) {
        let main = runtime.load_main_module(&name).await?;
        match options.timeout {
            None => runtime.evaluate_module(main).await?,
            Some(timeout) => runtime.evaluate_module_with_timeout(main, timeout).await?,
        }
    } else {
        match options.timeout {
            None => runtime.execute_script(&name, &source)?,
            Some(timeout) => runtime.execute_script_with_timeout(&name, &source, timeout)?,
        };
    }
    match options.timeout {
        None => runtime.run_event_loop().await,
        Some(timeout) => {
            let left = timeout.saturating_sub(start.elapsed());
            runtime.run_event_loop_with_timeout(left).await
        }
    }
}

/// Sets the global `args` (a frozen array of strings) to `args`.
///
/// # Errors
///
/// Only if the runtime cannot run a script at all, or an argument is too
/// long for a V8 string.
pub fn set_args(runtime: &mut JsRuntime, args: &[String]) -> Result<(), Error> {
    let define = runtime.execute_script(
        "ext:run/args.js",
        "(list) => Object.defineProperty(globalThis, 'args', \
           { value: Object.freeze(list), writable: true, configurable: true })",
    )?;
    runtime.with_scope(|scope| {
        let list = opwire::serde_v8::to_v8(scope, args)
            .map_err(|e| Error::Conversion(format!("args: {e}")))?;
        let define = opwire::v8::Local::new(scope, &define);
        let define = opwire::v8::Local::<opwire::v8::Function>::try_from(define)
            .map_err(|_| Error::Setup("args: the setter is not a function".into()))?;
        let undefined = opwire::v8::undefined(scope).into();
        define
            .call(scope, undefined, &[list])
            .map(drop)
            .ok_or_else(|| Error::Setup("args: could not be set".into()))
    })
}

/// Whether `run` treats a file as an ES module: its name ends in `.mjs`, or
/// one of its lines starts with an `import` or `export` statement
/// (`import x from …`, `import { … }`, `import * as …`, `import "…"`,
/// `export …`). `import(…)` alone does not count (classic scripts may call
/// it). A heuristic: a line inside a template string counts too.
pub fn is_module(path: &Path, source: &str) -> bool {
    if path.extension().is_some_and(|e| e == "mjs") {
        return true;
    }
    source.lines().any(|line| {
        let line = line.trim_start();
        let statement = |keyword: &str| {
            line.strip_prefix(keyword)
                .is_some_and(|rest| rest.starts_with([' ', '\t', '{', '*', '"', '\'']))
        };
        statement("import") || statement("export")
    })
}
