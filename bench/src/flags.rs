//! V8's `--allow-natives-syntax`, which the bench's `%` natives need, set
//! before V8 initialises.

use std::sync::Once;

static FLAGS: Once = Once::new();

/// Sets `--allow-natives-syntax` when V8 is not initialised yet; does
/// nothing otherwise. Call it before the first [`JsRuntime`] of the process.
/// It never panics, and never races a runtime created on another thread
/// (it uses [`opwire::try_set_v8_flags`]).
///
/// Calling it again, or after V8 was initialised, is harmless: when the flag
/// is missing then, measurements return
/// [`BenchError::NativesSyntax`](crate::BenchError::NativesSyntax).
///
/// [`JsRuntime`]: opwire::JsRuntime
pub fn init() {
    FLAGS.call_once(|| {
        // False when V8 already runs: then the probe in `Session::new`
        // tells whether the flag is on.
        let _ = opwire::try_set_v8_flags("--allow-natives-syntax");
    });
}
