//! # opwire
//!
//! Expose Rust functions to JavaScript running in V8.
//!
//! Annotate a function with [`#[op]`](op), register its declaration on a
//! [`JsRuntime`], and call it from JS as `ops.<name>(...)`:
//!
//! ```
//! use opwire::{op, JsRuntime, OpError, OpState, RuntimeOptions};
//!
//! #[op]
//! fn op_add(a: i32, b: i32) -> i32 {
//!     a + b
//! }
//!
//! #[op]
//! fn op_greet(#[string] name: &str) -> String {
//!     format!("hello {name}")
//! }
//!
//! #[op]
//! fn op_div(a: f64, b: f64) -> Result<f64, OpError> {
//!     if b == 0.0 {
//!         return Err(OpError::range_error("division by zero"));
//!     }
//!     Ok(a / b)
//! }
//!
//! let mut rt = JsRuntime::new(RuntimeOptions {
//!     ops: vec![op_add::DECL, op_greet::DECL, op_div::DECL],
//!     ..Default::default()
//! });
//! let out: String = rt
//!     .eval("main.js", r#"
//!         let caught;
//!         try { ops.op_div(1, 0) } catch (e) { caught = e.name + ": " + e.message }
//!         `${ops.op_greet("js")} ${ops.op_add(1, 2)} ${caught}`
//!     "#)
//!     .unwrap();
//! assert_eq!(out, "hello js 3 RangeError: division by zero");
//! ```
//!
//! The `#[op]` attribute keeps the function callable from Rust and adds a
//! declaration, `<name>::DECL` ([`OpDecl`]), with the op's JS name, metadata
//! and V8 callback. Where to read on:
//!
//! - how values convert: [`convert`] (and [`serde_v8`] for `#[serde]`
//!   values, [`JsBuffer`] and [`JsBufferMut`] for bytes that async ops read
//!   or write in place);
//! - how errors reach JS: [`OpError`]; how JS errors reach Rust: [`JsError`];
//! - async ops, timers and the event loop: [`JsRuntime::run_event_loop`];
//! - calling JS functions from Rust, on any thread: [`JsCallback`];
//! - the V8 fast path: sync and async ops whose signature allows it get one
//!   automatically (`#[op(nofast)]` opts out, `#[op(fast)]` insists);
//! - ES modules (static and dynamic `import`, top-level `await`, JSON
//!   modules, loaders): [`JsRuntime::load_main_module`], [`ModuleLoader`];
//! - bundling ops, JS, ES modules and state: [`Extension`];
//! - how the source is laid out: `ARCHITECTURE.md` in the repository.

#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]

extern crate self as opwire;

mod classes;
pub mod convert;
mod dispatch;
mod error;
mod event_loop;
mod modules;
mod ops;
mod resources;
mod runtime;
pub mod serde_v8;

pub use classes::{Class, ClassDecl, Member, MemberKind, typescript_declarations_with_classes};
pub use convert::{ConvError, FromV8, JsBuffer, JsBufferMut, ToV8};
pub use error::{Error, JsError, OpError, ScriptLocation, Termination};
pub use event_loop::{CallbackArgs, JsCallback};
pub use modules::{
    FsModuleLoader, MemoryModuleLoader, ModuleId, ModuleLoadFuture, ModuleLoader, ModuleSource,
    ModuleSpecifier, ModuleType, resolve_import,
};
pub use ops::{ArgMeta, OpDecl, OpKind, OpMetrics, OpState, RetMeta, typescript_declarations};
pub use resources::{AbortSignal, CancelHandle, Cancelable, Resource, ResourceId, ResourceTable};
pub use runtime::snapshot;
pub use runtime::{
    Activity, ConsoleSink, Extension, JsRuntime, Leaks, RuntimeOptions, TerminateHandle, init_v8,
    keep_warm, release_isolates, set_v8_flags, try_set_v8_flags, v8_initialized,
};

/// Turns a Rust function into an op. See the [crate docs](crate).
///
/// The function stays callable from Rust; the macro adds a type of the same
/// name (in the type namespace) whose `DECL` constant registers the op.
///
/// Argument attributes: `#[string]` (optional on `String`, `&str`,
/// `Cow<str>`), `#[bigint]` / `#[number]` (required on 64-bit integers).
/// The same `#[bigint]` / `#[number]` placed on the function applies to its
/// return value. `#[op(rename = "name")]` sets the JS name.
///
/// On an `impl` block, `#[op]` makes the type a JS class ([`Class`]):
/// methods take `&self`, `&mut self` or (async) `self: Rc<Self>`; mark the
/// constructor `#[constructor]`, accessors `#[getter]` / `#[setter]`
/// (`set_x` sets `x`) and functions on the class `#[static_method]`;
/// `#[op(...)]` on a method takes the op options. See the README's
/// "Classes".
pub use opwire_macro::op;

/// The `v8` crate opwire is built on, for ops that take `v8::Local` values.
pub use v8;

/// Declarations of several ops: `ops![op_a, op_b]` is
/// `vec![op_a::DECL, op_b::DECL]`.
#[macro_export]
macro_rules! ops {
    ($($op:path),* $(,)?) => {
        ::std::vec![$(<$op>::DECL),*]
    };
}

/// The README's examples, compiled and run as doc tests so they stay true.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// Support code for `#[op]` expansions. Not a public API: it may change in
/// any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::classes::registry::new_instance;
    pub use crate::convert::buffer::ViewStore;
    pub use crate::convert::output::{IntoOpOutput, OpOutput};
    pub use crate::convert::wrapping::Wrapped;
    pub use crate::convert::{AsBigInt, AsNumber, StrBuf, WrapBigInt, WrapNumber};
    pub use crate::dispatch::async_op::{
        Start, blocking, dispatch_async, map_bigint, map_number, map_output,
    };
    pub use crate::dispatch::class::IntoConstructed;
    pub use crate::dispatch::fast::{
        CFunction, CFunctionInfo, FastApiCallbackOptions, FastApiOneByteString, FastCx, FastFail,
        FastRet, Int64Representation, Type, dispatch_fast, dispatch_fast_free, fast_calls,
    };
    pub use crate::dispatch::fast_async::dispatch_fast_async;
    pub use crate::dispatch::fast_str::FastStrBuf;
    pub use crate::dispatch::sync::{CallCx, IntoOpResult, dispatch_sync};
    pub use crate::dispatch::throw::Throw;
    pub use crate::ops::{ArgMeta, OpDecl, OpKind, RetMeta};
    pub use crate::resources::signal::SignalArg;
    pub use crate::runtime::code_cache::{
        CodeCacheStats, replace_bytes as replace_core_code_cache, stats as core_code_cache_stats,
    };
    pub use crate::runtime::pool::isolate_waiting;
    pub use crate::runtime::warm::warm_isolate;
    pub use crate::serde_v8::Serde;
    pub use crate::serde_v8::bulk_copies as serde_bulk_copies;
    pub use crate::serde_v8::literals_ready as serde_literals_ready;
    pub use v8::Local;
    pub use v8::{FunctionCallback, FunctionCallbackInfo};
}
