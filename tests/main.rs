//! opwire's integration tests, in one binary (V8 links once).

mod ops;
mod util;

mod args;
mod arity;
mod async_ops;
mod buffers;
mod errors;
mod event_loop;
mod examples;
mod golden;
mod lints;
mod returns;
mod runtime;
mod serde;
mod state;
mod strings;
mod threads;
mod ui;

#[global_allocator]
static ALLOC: util::CountingAlloc = util::CountingAlloc;
