//! # opwire-bench
//!
//! Measure your own [opwire] ops: nanoseconds per call, cold and
//! after V8 optimized the calling JS, which path the calls took (V8 fast
//! path, regular callback, async), comparisons, and criterion benchmarks.
//!
//! ```
//! use opwire::op;
//! use opwire_bench::Bench;
//!
//! #[op]
//! fn op_add(a: i32, b: i32) -> i32 { a.wrapping_add(b) }
//!
//! fn main() -> Result<(), opwire_bench::BenchError> {
//!     opwire_bench::init(); // first: sets --allow-natives-syntax before V8 starts
//!     let bench = Bench::new("my ops")
//!         .ops(opwire::ops![op_add])
//!         .setup("globalThis.jsAdd = (a, b) => (a + b) | 0;") // arguments, made once
//!         .sync("op_add", "ops.op_add(i, 1)") // `i` is the iteration index
//!         .sync("jsAdd", "jsAdd(i, 1)");
//!     print!("{}", bench.run()?); // the plain table (`report.markdown()`: Markdown)
//!     println!("{}", bench.compare("op_add", "jsAdd")?); // interleaved, with the ratio
//!     Ok(())
//! }
//! ```
//!
//! (The README shows the same example; a test keeps the two equal.)
//! [`Bench::async_seq`] and [`Bench::async_batch`] add async cases (each
//! promise awaited, or batches under `Promise.all`), [`Bench::extensions`]
//! measures ops of extensions, and `examples/bench_my_ops.rs` has them all.
//!
//! ## How a case is measured
//!
//! Each case is a JS expression (`i` is the iteration index; values made by
//! the setup script are globals). It runs in a JS loop of
//! [`iterations`](Bench::iterations) calls, timed from Rust; the same loop
//! with an empty body is timed alongside (the two interleaved,
//! [`samples`](Bench::samples) times each) and subtracted, so what is left
//! is the cost of the expression. Async modes `await` each result
//! ([`Mode::AsyncSeq`]) or `await Promise.all` over batches
//! ([`Mode::AsyncBatch`]), and their figures include that promise work (the
//! batch baseline still awaits one empty `Promise.all` per batch). A figure
//! below the timer's resolution reads 0.0: V8 may drop plain JS whose
//! result is unused.
//!
//! Every case runs twice: **cold**, in a loop function V8 is told never to
//! optimize (`%NeverOptimizeFunction`), and **optimized**, in a loop
//! function that was warmed up and then optimized with
//! `%PrepareFunctionForOptimization` / `%OptimizeFunctionOnNextCall`. Only
//! optimized code calls ops through V8's Fast API, so the two figures show
//! the slow and the fast path of an op that has one.
//!
//! The runtime keeps op metrics ([`RuntimeOptions::op_metrics`]), and the
//! report gives, per case and per op, how many calls took the fast path,
//! the regular callback and how many async ops started, with a warning
//! naming any op that has a fast path ([`OpDecl::is_fast`]) but made no
//! fast call in the optimized run (an argument of the wrong type, a
//! deoptimization, ...).
//!
//! ## Outputs
//!
//! - A plain table for terminals and CI: `print!("{report}")` (the
//!   `Display` of [`Report`]), one row per case with both figures and the
//!   paths, then the warnings:
//!   `op_add  sync  2.8 ns/call  24.8 ns/call  op_add fast 100%`.
//! - The same as Markdown, for documents: `print!("{}", report.markdown())`
//!   ([`Report::markdown`]).
//! - [`Comparison`]'s `Display`: both figures and the ratio.
//! - criterion's (HTML reports, comparisons between runs) with the
//!   `criterion` feature: `Bench::criterion` registers every case, cold
//!   and optimized, timing the same loops.
//!
//! A [`Report`] is plain data: [`Report::new`] over [`CaseResult`]s with
//! fixed figures renders like a measured one, which is how the table
//! formats are tested.
//!
//! ## Paths on a runtime of your own
//!
//! [`Checkpoint`] reads the same path counts from any runtime that keeps
//! op metrics, for example to check that a workload timed elsewhere calls
//! its ops through the fast path; [`OpCalls::warning`] is the report's
//! warning.
//!
//! ## V8 flags: call [`init`] first
//!
//! The `%` natives need `--allow-natives-syntax`, which V8 only takes before
//! it initialises, that is before the first [`JsRuntime`] of the process.
//! Call [`init`] at the top of `main` (or of a criterion bench function that
//! runs first). [`Bench::run`] calls it too, which is enough when the bench
//! creates the process's first runtime; when V8 was initialised without the
//! flag, every measurement fails with [`BenchError::NativesSyntax`] (it
//! never panics over it). A process that sets the flag itself (for example
//! with [`opwire::set_v8_flags`]) needs no `init`.
//!
//! [`JsRuntime`]: opwire::JsRuntime
//! [`OpDecl::is_fast`]: opwire::OpDecl::is_fast
//! [`RuntimeOptions::op_metrics`]: opwire::RuntimeOptions::op_metrics

#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]

mod bench;
mod case;
mod error;
mod flags;
mod paths;
mod render;
mod report;
mod session;

pub use bench::Bench;
pub use case::{Case, Mode};
pub use error::BenchError;
pub use flags::init;
pub use paths::{Checkpoint, OpCalls};
pub use render::Markdown;
pub use report::{CaseResult, Comparison, Report};
