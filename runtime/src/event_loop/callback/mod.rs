//! Callbacks into JS from any thread.
//!
//! An op that takes a JS function as a [`JsCallback`] registers it with its
//! runtime: the runtime's thread keeps the function ([`Callbacks`]), and the
//! handle, which is `Send + Sync + Clone`, keeps only its id and the queue
//! it shares with the runtime ([`queue`]). A call converts nothing where it
//! is made: its Rust arguments travel through the queue and are converted
//! to JS on the runtime's thread, where the driver runs it (one JS call and
//! a microtask checkpoint), and its result is converted back to a Rust
//! value there before it travels to the caller.
//!
//! - `args.rs`: [`CallbackArgs`], the tuples of Rust values a call takes.
//! - `queue.rs`: what a handle shares with its runtime (the queue, its room
//!   for calls from other threads, the keep-alive count) and what one
//!   queued call carries.
//! - `registry.rs`: the runtime-thread side: the functions by id, running a
//!   queued call, and the calls that wait for a promise.
//! - `handle.rs`: [`JsCallback`], the public handle.

mod args;
mod handle;
mod queue;
mod registry;

pub use args::CallbackArgs;
pub use handle::JsCallback;
pub(crate) use registry::{Callbacks, external_refs};
