//! The demo ops shared by the `hello` and `run` examples, and the script
//! runner behind `run`.

use std::path::Path;

use opwire::{Error, Extension, JsRuntime, OpError, OpState, RuntimeOptions, op};

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
        Err(OpError::range("division by zero"))
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

/// The demo ops as an extension, with the state they need.
pub fn demo_extension() -> Extension {
    Extension::new("demo")
        .ops(opwire::ops![
            op_add,
            op_greet,
            op_count,
            op_div,
            op_read_text_sync,
            op_panic
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

/// Runs a JS file with the demo ops, as the `run` example does.
///
/// # Errors
///
/// The uncaught JS error, or a setup error if the file cannot be read.
pub fn run_file(path: &Path) -> Result<(), Error> {
    let source = std::fs::read_to_string(path)
        .map_err(|e| Error::Setup(format!("cannot read {}: {e}", path.display())))?;
    let mut runtime = demo_runtime();
    runtime.execute_script(&path.display().to_string(), &source)?;
    Ok(())
}
