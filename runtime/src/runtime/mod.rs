//! The embedding API: [`JsRuntime`] (an isolate, a context with the ops
//! installed, the event loop's public methods), what it is built from
//! ([`RuntimeOptions`], [`Extension`]), its bootstrap (`core.js`, the
//! internal ops, [`ConsoleSink`]), startup [`snapshot`]s and process-wide
//! V8 set-up.

mod activity;
mod bootstrap;
mod build;
mod builtins;
mod classes;
pub(crate) mod code_cache;
mod event_loop;
mod extension;
mod family;
mod isolate;
mod js_runtime;
mod limits;
mod modules;
mod op_template;
mod options;
pub(crate) mod pool;
pub mod snapshot;
pub(crate) mod warm;
mod wrappers;

pub use activity::{Activity, Leaks};
pub use builtins::ConsoleSink;
pub use extension::Extension;
pub use isolate::{init_v8, set_v8_flags, try_set_v8_flags, v8_initialized};
pub use js_runtime::JsRuntime;
pub use limits::TerminateHandle;
pub use options::RuntimeOptions;
pub use pool::release_isolates;
pub use warm::keep_warm;
