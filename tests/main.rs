//! opwire's integration tests, in one binary (V8 links once).

mod ops;
mod util;

mod args;
mod arity;
mod errors;
mod examples;
mod returns;
mod runtime;
mod state;
mod strings;
mod threads;

#[global_allocator]
static ALLOC: util::CountingAlloc = util::CountingAlloc;
