//! [`Bench`]: the builder a user describes their cases with, and the runs
//! over it (the report, compare mode, criterion).

use std::fmt;
#[cfg(feature = "criterion")]
use std::time::Duration;

use opwire::{Extension, OpDecl};

use crate::session::{Session, median};
use crate::{BenchError, Case, CaseResult, Comparison, Mode, Report};

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

    /// A runtime for this bench: its ops, a fresh set of its extensions, its
    /// setup script run.
    fn session(&self) -> Result<Session, BenchError> {
        let extensions = self.extensions.as_ref().map(|f| f()).unwrap_or_default();
        Session::new(&self.ops, extensions, &self.setup)
    }

    /// Measures every case, cold and optimized.
    ///
    /// # Errors
    ///
    /// [`BenchError::NativesSyntax`] without `--allow-natives-syntax` (see
    /// [`init`](crate::init)); [`BenchError::Js`] if the setup or a case throws.
    pub fn run(&self) -> Result<Report, BenchError> {
        let mut session = self.session()?;
        let mut cases = Vec::with_capacity(self.cases.len());
        for (k, case) in self.cases.iter().enumerate() {
            let mut figures = [(0.0, Vec::new()), (0.0, Vec::new())];
            for (slot, optimized) in [(0, false), (1, true)] {
                let tag = format!("{k}_{}", if optimized { "opt" } else { "cold" });
                let pair = session.prepare(&tag, case, optimized, self.warmup)?;
                let mark = session.checkpoint();
                let ns = session.measure(&pair, self.iterations, self.samples)?;
                let calls = session.calls_since(&mark);
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
        Ok(Report::new(
            self.name.clone(),
            self.iterations,
            self.samples,
            cases,
        ))
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
        let mut session = self.session()?;
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
        let mut session = self.session()?;
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
