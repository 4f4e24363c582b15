//! # opwire-bench
//!
//! Measure your own [opwire] ops: nanoseconds per call, cold and
//! after V8 optimized the calling JS, which path the calls took (V8 fast
//! path, regular callback, async), comparisons, and criterion benchmarks.
//!
//! ```no_run
//! use opwire::op;
//! use opwire_bench::Bench;
//!
//! #[op]
//! fn op_add(a: i32, b: i32) -> i32 { a.wrapping_add(b) }
//!
//! #[op]
//! async fn op_tick() -> u32 { 1 }
//!
//! fn main() {
//!     opwire_bench::init(); // before the first JsRuntime of the process
//!     let report = Bench::new("my ops")
//!         .ops(opwire::ops![op_add, op_tick])
//!         .setup("globalThis.jsAdd = (a, b) => (a + b) | 0;")
//!         .sync("op_add", "ops.op_add(i, 1)")
//!         .async_seq("op_tick", "ops.op_tick()")
//!         .async_batch("op_tick/batch", "ops.op_tick()", 100)
//!         .sync("jsAdd", "jsAdd(i, 1)")
//!         .run()
//!         .unwrap();
//!     print!("{report}");
//! }
//! ```
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

#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]

use std::collections::HashMap;
use std::fmt;
use std::sync::Once;
use std::time::{Duration, Instant};

use opwire::{Extension, JsRuntime, OpDecl, OpMetrics, RuntimeOptions};

static FLAGS: Once = Once::new();

/// Sets `--allow-natives-syntax` when V8 is not initialised yet; does
/// nothing otherwise. Call it before the first [`JsRuntime`] of the process.
/// It never panics, and never races a runtime created on another thread
/// (it uses [`opwire::try_set_v8_flags`]).
///
/// Calling it again, or after V8 was initialised, is harmless: when the flag
/// is missing then, measurements return [`BenchError::NativesSyntax`].
pub fn init() {
    FLAGS.call_once(|| {
        // False when V8 already runs: then the probe in `Session::new`
        // tells whether the flag is on.
        let _ = opwire::try_set_v8_flags("--allow-natives-syntax");
    });
}

/// How a case's expression is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `r = EXPR` in a plain loop.
    Sync,
    /// `r = await EXPR`, one call at a time.
    AsyncSeq,
    /// `EXPR` pushed to an array, then `await Promise.all`, in batches of
    /// this many calls.
    AsyncBatch(u32),
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sync => f.write_str("sync"),
            Self::AsyncSeq => f.write_str("await"),
            Self::AsyncBatch(n) => write!(f, "all/{n}"),
        }
    }
}

/// One thing to measure: a name, a JS expression and how to call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The name it is reported under.
    pub name: String,
    /// The JS expression; `i` is the iteration index.
    pub expr: String,
    /// How the expression is called.
    pub mode: Mode,
}

/// Why a measurement failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BenchError {
    /// V8 runs without `--allow-natives-syntax`: it was initialised before
    /// [`init`] was called.
    NativesSyntax,
    /// The setup script or a case threw (or rejected).
    Js(opwire::Error),
    /// [`Bench::compare`] was given a name no case has.
    UnknownCase(String),
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NativesSyntax => f.write_str(
                "V8 was initialised without --allow-natives-syntax: call opwire_bench::init() \
                 before the first JsRuntime of the process is created",
            ),
            Self::Js(e) => write!(f, "a benchmark script failed: {e}"),
            Self::UnknownCase(name) => write!(f, "no case is called `{name}`"),
        }
    }
}

impl std::error::Error for BenchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Js(e) => Some(e),
            _ => None,
        }
    }
}

impl From<opwire::Error> for BenchError {
    fn from(e: opwire::Error) -> Self {
        Self::Js(e)
    }
}

type Extensions = Box<dyn Fn() -> Vec<Extension>>;

/// A set of cases measured on one runtime with the given ops, extensions and
/// setup script. See the [crate docs](crate).
pub struct Bench {
    name: String,
    ops: Vec<OpDecl>,
    extensions: Option<Extensions>,
    setup: String,
    cases: Vec<Case>,
    iterations: u64,
    samples: usize,
    warmup: u64,
}

impl fmt::Debug for Bench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bench")
            .field("name", &self.name)
            .field("ops", &self.ops)
            .field("setup", &self.setup)
            .field("cases", &self.cases)
            .field("iterations", &self.iterations)
            .field("samples", &self.samples)
            .field("warmup", &self.warmup)
            .finish_non_exhaustive()
    }
}

impl Bench {
    /// An empty bench called `name`: 100,000 iterations per sample, 7
    /// samples, 1,000 warm-up iterations.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ops: Vec::new(),
            extensions: None,
            setup: String::new(),
            cases: Vec::new(),
            iterations: 100_000,
            samples: 7,
            warmup: 1_000,
        }
    }

    /// Registers ops (on the global `ops` object, as in any runtime).
    #[must_use]
    pub fn ops(mut self, ops: impl IntoIterator<Item = OpDecl>) -> Self {
        self.ops.extend(ops);
        self
    }

    /// Registers extensions; `make` is called for every runtime the bench
    /// creates (an [`Extension`] holds its state and is used up by one).
    #[must_use]
    pub fn extensions(mut self, make: impl Fn() -> Vec<Extension> + 'static) -> Self {
        self.extensions = Some(Box::new(make));
        self
    }

    /// A classic script run once after the runtime is created: define the
    /// arguments (as globals) here so the loop does not build them.
    #[must_use]
    pub fn setup(mut self, js: impl Into<String>) -> Self {
        self.setup = js.into();
        self
    }

    /// Calls per timed loop (default 100,000).
    #[must_use]
    pub fn iterations(mut self, n: u64) -> Self {
        self.iterations = n.max(1);
        self
    }

    /// Timed loops per figure; the median is reported (default 7).
    #[must_use]
    pub fn samples(mut self, n: usize) -> Self {
        self.samples = n.max(1);
        self
    }

    /// Calls per warm-up loop before timing (default 1,000).
    #[must_use]
    pub fn warmup(mut self, n: u64) -> Self {
        self.warmup = n.max(1);
        self
    }

    /// Adds a case.
    #[must_use]
    pub fn case(mut self, case: Case) -> Self {
        self.cases.push(case);
        self
    }

    /// Adds a [`Mode::Sync`] case.
    #[must_use]
    pub fn sync(self, name: impl Into<String>, expr: impl Into<String>) -> Self {
        self.with_mode(name, expr, Mode::Sync)
    }

    /// Adds a [`Mode::AsyncSeq`] case: each call's promise is awaited before
    /// the next call.
    #[must_use]
    pub fn async_seq(self, name: impl Into<String>, expr: impl Into<String>) -> Self {
        self.with_mode(name, expr, Mode::AsyncSeq)
    }

    /// Adds a [`Mode::AsyncBatch`] case: `batch` calls, then one
    /// `await Promise.all`.
    #[must_use]
    pub fn async_batch(self, name: impl Into<String>, expr: impl Into<String>, batch: u32) -> Self {
        self.with_mode(name, expr, Mode::AsyncBatch(batch.max(1)))
    }

    fn with_mode(self, name: impl Into<String>, expr: impl Into<String>, mode: Mode) -> Self {
        self.case(Case {
            name: name.into(),
            expr: expr.into(),
            mode,
        })
    }

    /// The cases, in the order added.
    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// Measures every case, cold and optimized.
    ///
    /// # Errors
    ///
    /// [`BenchError::NativesSyntax`] without `--allow-natives-syntax` (see
    /// [`init`]); [`BenchError::Js`] if the setup or a case throws.
    pub fn run(&self) -> Result<Report, BenchError> {
        let mut session = Session::new(self)?;
        let mut cases = Vec::with_capacity(self.cases.len());
        for (k, case) in self.cases.iter().enumerate() {
            let mut figures = [(0.0, Vec::new()), (0.0, Vec::new())];
            for (slot, optimized) in [(0, false), (1, true)] {
                let tag = format!("{k}_{}", if optimized { "opt" } else { "cold" });
                let pair = session.prepare(&tag, case, optimized, self.warmup)?;
                let before = session.metrics();
                let ns = session.measure(&pair, self.iterations, self.samples)?;
                let calls = session.calls_since(&before);
                figures[slot] = (ns, calls);
            }
            let [(cold_ns, cold_calls), (optimized_ns, optimized_calls)] = figures;
            cases.push(CaseResult {
                name: case.name.clone(),
                mode: case.mode,
                cold_ns,
                optimized_ns,
                cold_calls,
                optimized_calls,
            });
        }
        let warnings = cases
            .iter()
            .flat_map(|c| {
                c.optimized_calls
                    .iter()
                    .filter(|o| o.fast_eligible && o.fast == 0 && o.slow > 0)
                    .map(move |o| {
                        format!(
                            "warning: {} has a fast path but made no fast calls in the optimized run \
                             of `{}` ({} slow calls): check the argument types, or whether the \
                             loop deoptimized",
                            o.op, c.name, o.slow
                        )
                    })
            })
            .collect();
        Ok(Report {
            bench: self.name.clone(),
            iterations: self.iterations,
            samples: self.samples,
            cases,
            warnings,
        })
    }

    /// Measures cases `a` and `b` optimized, in one runtime, their samples
    /// interleaved (the order alternating), and gives the ratio `a / b`.
    /// Either may be an op call or plain JS doing the same work.
    ///
    /// # Errors
    ///
    /// [`BenchError::UnknownCase`] for a name no case has, otherwise as
    /// [`Bench::run`].
    pub fn compare(&self, a: &str, b: &str) -> Result<Comparison, BenchError> {
        let find = |name: &str| {
            self.cases
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| BenchError::UnknownCase(name.to_owned()))
        };
        let (case_a, case_b) = (find(a)?, find(b)?);
        let mut session = Session::new(self)?;
        let pair_a = session.prepare("cmp_a", case_a, true, self.warmup)?;
        let pair_b = session.prepare("cmp_b", case_b, true, self.warmup)?;
        let n = self.iterations;
        let (mut sa, mut sb) = (Vec::new(), Vec::new());
        for s in 0..self.samples {
            if s % 2 == 0 {
                sa.push(session.sample(&pair_a, n)?);
                sb.push(session.sample(&pair_b, n)?);
            } else {
                sb.push(session.sample(&pair_b, n)?);
                sa.push(session.sample(&pair_a, n)?);
            }
        }
        let (a_ns, b_ns) = (median(sa), median(sb));
        Ok(Comparison {
            a: a.to_owned(),
            b: b.to_owned(),
            a_ns,
            b_ns,
            ratio: if b_ns > 0.0 { a_ns / b_ns } else { f64::NAN },
        })
    }

    /// Registers every case with criterion, in a group named after the
    /// bench: `<case>/optimized` and `<case>/cold`, each timing the same
    /// loops as [`Bench::run`] (`iter_custom`: the loop of `iters` calls
    /// minus its baseline), so criterion's figures are per call.
    ///
    /// # Errors
    ///
    /// As [`Bench::run`], for the set-up; a case that throws while
    /// criterion times it panics with the error.
    #[cfg(feature = "criterion")]
    pub fn criterion<M>(&self, c: &mut criterion::Criterion<M>) -> Result<(), BenchError>
    where
        M: criterion::measurement::Measurement<Value = Duration> + 'static,
    {
        let mut session = Session::new(self)?;
        let mut group = c.benchmark_group(&self.name);
        for (k, case) in self.cases.iter().enumerate() {
            for optimized in [true, false] {
                let label = if optimized { "optimized" } else { "cold" };
                let pair =
                    session.prepare(&format!("{k}_{label}"), case, optimized, self.warmup)?;
                group.bench_function(format!("{}/{label}", case.name), |b| {
                    b.iter_custom(|iters| {
                        let op = session
                            .time(&pair.expr, iters)
                            .unwrap_or_else(|e| panic!("{e}"));
                        let base = session
                            .time(&pair.base, iters)
                            .unwrap_or_else(|e| panic!("{e}"));
                        op.saturating_sub(base)
                    });
                });
            }
        }
        group.finish();
        Ok(())
    }
}

/// Calls of one op during one run of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpCalls {
    /// The op's JS name.
    pub op: &'static str,
    /// Calls through the V8 Fast API.
    pub fast: u64,
    /// Calls through the regular callback.
    pub slow: u64,
    /// Async ops started.
    pub async_started: u64,
    /// Whether the op has a fast path ([`OpDecl::is_fast`]).
    pub fast_eligible: bool,
}

impl OpCalls {
    /// The share of calls that took the fast path, 0 to 1.
    pub fn fast_share(&self) -> f64 {
        let total = self.fast + self.slow;
        if total == 0 {
            0.0
        } else {
            as_f64(self.fast) / as_f64(total)
        }
    }
}

impl fmt::Display for OpCalls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} fast {:.0}%", self.op, self.fast_share() * 100.0)?;
        if self.async_started > 0 {
            write!(f, " async {}", self.async_started)?;
        }
        if !self.fast_eligible {
            f.write_str(" (no fast path)")?;
        }
        Ok(())
    }
}

/// The figures of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// How it was called.
    pub mode: Mode,
    /// Nanoseconds per call in a loop V8 never optimizes, baseline
    /// subtracted (median of the samples).
    pub cold_ns: f64,
    /// Nanoseconds per call in the optimized loop, baseline subtracted.
    pub optimized_ns: f64,
    /// The ops the cold timed loops called, by path.
    pub cold_calls: Vec<OpCalls>,
    /// The ops the optimized timed loops called, by path.
    pub optimized_calls: Vec<OpCalls>,
}

/// What [`Bench::run`] measured. `Display` prints a plain table, one row
/// per case, then the warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The bench's name.
    pub bench: String,
    /// Calls per timed loop.
    pub iterations: u64,
    /// Timed loops per figure.
    pub samples: usize,
    /// One per case, in the order added.
    pub cases: Vec<CaseResult>,
    /// One line per op that has a fast path but made no fast calls in an
    /// optimized run.
    pub warnings: Vec<String>,
}

impl Report {
    /// The case called `name`.
    pub fn case(&self, name: &str) -> Option<&CaseResult> {
        self.cases.iter().find(|c| c.name == name)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} calls per loop, median of {}, empty loop subtracted",
            self.bench, self.iterations, self.samples
        )?;
        let width = self
            .cases
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            f,
            "{:<width$}  {:<8}  {:>14}  {:>14}  paths (optimized)",
            "case", "mode", "optimized", "cold"
        )?;
        for c in &self.cases {
            let paths = if c.optimized_calls.is_empty() {
                "no op calls".to_owned()
            } else {
                c.optimized_calls
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(
                f,
                "{:<width$}  {:<8}  {:>6.1} ns/call  {:>6.1} ns/call  {paths}",
                c.name,
                c.mode.to_string(),
                c.optimized_ns,
                c.cold_ns
            )?;
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        Ok(())
    }
}

/// What [`Bench::compare`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The first case's name.
    pub a: String,
    /// The second case's name.
    pub b: String,
    /// Nanoseconds per call of `a`, optimized, baseline subtracted.
    pub a_ns: f64,
    /// Nanoseconds per call of `b`.
    pub b_ns: f64,
    /// `a_ns / b_ns` (NaN when `b_ns` is 0).
    pub ratio: f64,
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:.1} ns/call vs {} {:.1} ns/call: ",
            self.a, self.a_ns, self.b, self.b_ns
        )?;
        if self.b_ns < 0.05 {
            write!(f, "no ratio ({} is too fast to time)", self.b)
        } else {
            write!(f, "{:.2}x", self.ratio)
        }
    }
}

/// The JS names of a case's loop and of its baseline loop.
#[derive(Debug)]
struct Pair {
    expr: String,
    base: String,
}

/// One runtime (with metrics) and the tokio runtime that drives its loop.
struct Session {
    rt: JsRuntime,
    fast: HashMap<&'static str, bool>,
    tokio: tokio::runtime::Runtime,
}

impl Session {
    fn new(bench: &Bench) -> Result<Self, BenchError> {
        init();
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let extensions = bench.extensions.as_ref().map(|f| f()).unwrap_or_default();
        let fast = bench
            .ops
            .iter()
            .chain(extensions.iter().flat_map(Extension::op_decls))
            .map(|d| (d.name(), d.is_fast()))
            .collect();
        let rt = {
            let _guard = tokio.enter();
            JsRuntime::try_new(RuntimeOptions {
                ops: bench.ops.clone(),
                extensions,
                op_metrics: true,
                ..Default::default()
            })?
        };
        let mut session = Self { rt, fast, tokio };
        if session
            .rt
            .execute_script(
                "<opwire-bench natives>",
                "(function () { %PrepareFunctionForOptimization(function () {}); })",
            )
            .is_err()
        {
            return Err(BenchError::NativesSyntax);
        }
        session
            .rt
            .execute_script("<opwire-bench>", "globalThis.__opwireBench = {};")?;
        if !bench.setup.is_empty() {
            session.rt.execute_script("<setup>", &bench.setup)?;
            session.run_loop()?;
        }
        Ok(session)
    }

    /// Drives the event loop until it has no more work.
    fn run_loop(&mut self) -> Result<(), BenchError> {
        let _guard = self.tokio.enter();
        self.tokio.block_on(self.rt.run_event_loop())?;
        Ok(())
    }

    /// Defines the loop and baseline functions of `case` under `tag`, warms
    /// them up, and (when `optimized`) optimizes them; otherwise marks them
    /// never to be optimized.
    fn prepare(
        &mut self,
        tag: &str,
        case: &Case,
        optimized: bool,
        warmup: u64,
    ) -> Result<Pair, BenchError> {
        let pair = Pair {
            expr: format!("__opwireBench.f_{tag}"),
            base: format!("__opwireBench.b_{tag}"),
        };
        let native = if optimized {
            "%PrepareFunctionForOptimization"
        } else {
            "%NeverOptimizeFunction"
        };
        for (name, expr) in [(&pair.expr, Some(case.expr.as_str())), (&pair.base, None)] {
            let src = format!(
                "{name} = {};\n{native}({name});",
                loop_source(tag, expr, case.mode)
            );
            self.rt.execute_script("<opwire-bench loop>", &src)?;
            self.time(name, warmup)?;
            self.time(name, warmup)?;
            if optimized {
                self.rt.execute_script(
                    "<opwire-bench optimize>",
                    &format!("%OptimizeFunctionOnNextCall({name});"),
                )?;
                self.time(name, 1)?;
            }
        }
        Ok(pair)
    }

    /// Times one call of the loop `name` with `n` iterations, its promise
    /// (if any) settled.
    fn time(&mut self, name: &str, n: u64) -> Result<Duration, BenchError> {
        let _guard = self.tokio.enter();
        let src = format!("{name}({n})");
        let start = Instant::now();
        let value = self.rt.execute_script("<opwire-bench call>", &src)?;
        self.tokio.block_on(self.rt.resolve(value))?;
        Ok(start.elapsed())
    }

    /// One sample: ns per call of the loop minus its baseline.
    fn sample(&mut self, pair: &Pair, n: u64) -> Result<f64, BenchError> {
        let op = self.time(&pair.expr, n)?;
        let base = self.time(&pair.base, n)?;
        Ok((duration_ns(op) - duration_ns(base)) / as_f64(n))
    }

    /// The median of `samples` samples, clamped at 0.
    fn measure(&mut self, pair: &Pair, n: u64, samples: usize) -> Result<f64, BenchError> {
        let all = (0..samples)
            .map(|_| self.sample(pair, n))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(median(all).max(0.0))
    }

    fn metrics(&self) -> HashMap<&'static str, OpMetrics> {
        self.rt.op_metrics().into_iter().collect()
    }

    /// The calls made since `before`, per op that was called.
    fn calls_since(&self, before: &HashMap<&'static str, OpMetrics>) -> Vec<OpCalls> {
        let mut calls: Vec<OpCalls> = self
            .rt
            .op_metrics()
            .into_iter()
            .filter_map(|(op, now)| {
                let then = before.get(op).copied().unwrap_or_default();
                let c = OpCalls {
                    op,
                    fast: now.fast_calls - then.fast_calls,
                    slow: now.slow_calls - then.slow_calls,
                    async_started: now.async_started - then.async_started,
                    fast_eligible: self.fast.get(op).copied().unwrap_or(false),
                };
                (c.fast + c.slow + c.async_started > 0).then_some(c)
            })
            .collect();
        calls.sort_by_key(|c| c.op);
        calls
    }
}

/// The source of a loop function over `expr`, or of its baseline (the same
/// loop with an empty body) for `None`; `tag` keeps each function's source
/// (and so its compiled code) apart.
fn loop_source(tag: &str, expr: Option<&str>, mode: Mode) -> String {
    let body = |make: &dyn Fn(&str) -> String| expr.map(make).unwrap_or_default();
    match mode {
        Mode::Sync => format!(
            "(function (n) {{ /* {tag} */ let r; for (let i = 0; i < n; i++) {{ {} }} return r; }})",
            body(&|e| format!("r = ({e});"))
        ),
        Mode::AsyncSeq => format!(
            "(async function (n) {{ /* {tag} */ let r; for (let i = 0; i < n; i++) {{ {} }} return r; }})",
            body(&|e| format!("r = await ({e});"))
        ),
        Mode::AsyncBatch(batch) => format!(
            "(async function (n) {{ /* {tag} */ let r; for (let i = 0; i < n;) {{ \
             const ps = []; const end = Math.min(n, i + {batch}); \
             for (; i < end; i++) {{ {} }} r = await Promise.all(ps); }} return r; }})",
            body(&|e| format!("ps.push({e});"))
        ),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

#[allow(clippy::cast_precision_loss, reason = "timing figures")]
fn as_f64(n: u64) -> f64 {
    n as f64
}

#[allow(clippy::cast_precision_loss, reason = "timing figures")]
fn duration_ns(d: Duration) -> f64 {
    d.as_nanos() as f64
}
