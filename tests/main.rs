//! opwire's integration tests, in one binary (V8 links once).

mod ops;
mod util;

mod abort;
mod args;
mod arity;
mod async_ops;
mod bench_helper;
mod bench_ours;
mod bench_report;
mod buffers;
mod buffers_mut;
mod callbacks;
mod classes;
mod code_cache;
mod errors;
mod event_loop;
mod examples;
mod ext_fs;
mod ext_net;
mod fast;
mod fast_async;
mod fast_throw;
mod fuzz;
mod golden;
mod limits;
mod lints;
mod metrics;
mod modules;
mod resources;
mod returns;
mod reuse;
mod runtime;
mod serde;
mod serde_fields;
mod serde_literal;
mod serde_numbers;
mod snapshot;
mod state;
mod strings;
mod threads;
mod ui;

#[global_allocator]
static ALLOC: util::CountingAlloc = util::CountingAlloc;

/// V8 flags for the whole test binary, set before `main` (and so before any
/// runtime initialises V8): `%OptimizeFunctionOnNextCall` and friends let the
/// fast-call tests optimize a caller deterministically.
#[used]
#[unsafe(link_section = ".init_array")]
static SET_V8_FLAGS: extern "C" fn() = {
    extern "C" fn set_flags() {
        opwire::set_v8_flags("--allow-natives-syntax --expose-gc");
    }
    set_flags
};
