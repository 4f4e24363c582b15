//! Errors in both directions: [`OpError`] (what an op returns to JS),
//! [`JsError`] (what JS throws back at Rust), [`Error`] (what the runtime's
//! methods return), and the building of JS error objects.

mod js_error;
pub(crate) mod op_error;
mod runtime_error;
pub(crate) mod to_js;

pub use js_error::{JsError, ScriptLocation};
pub use op_error::OpError;
pub use runtime_error::{Error, Termination};
