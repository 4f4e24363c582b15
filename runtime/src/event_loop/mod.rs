//! The event loop: pending async ops, timers, callbacks into JS and
//! unhandled rejections.
//!
//! Data sits at the bottom ([`LoopState`]: the pending set of
//! [`OpFuture`]s (`pending.rs`), the [`Timers`](timers::Timers), the call status word, the
//! [`Callbacks`](callback::Callbacks)), shared by the runtime and every op
//! context. Async dispatch pushes futures into it; the driver polls it,
//! settles finished ops in one batch per pass
//! ([`OpOutput::settle`](crate::convert::output::OpOutput::settle) decides
//! value or error), fires timers, runs queued callback calls and checks
//! rejections. The public API
//! ([`JsRuntime::run_event_loop`](crate::JsRuntime::run_event_loop) and
//! friends) lives with the runtime and calls [`driver::poll`].

pub(crate) mod callback;
pub(crate) mod driver;
mod op_future;
mod pending;
pub(crate) mod rejections;
mod state;
mod timers;

pub use callback::{CallbackArgs, JsCallback};
pub(crate) use op_future::OpFuture;
pub(crate) use state::{LoopState, Status};
