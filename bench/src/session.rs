//! One runtime to measure on: creating it (ops, extensions, metrics, the
//! natives check, the setup script), defining, warming up and optimizing
//! loop functions, and timing them.

use std::time::{Duration, Instant};

use opwire::{Extension, JsRuntime, OpDecl, RuntimeOptions};

use crate::flags::init;
use crate::{BenchError, Case, Checkpoint, Mode, OpCalls};

/// The JS names of a case's loop and of its baseline loop.
#[derive(Debug)]
pub(crate) struct Pair {
    pub(crate) expr: String,
    pub(crate) base: String,
}

/// One runtime (with metrics) and the tokio runtime that drives its loop.
pub(crate) struct Session {
    rt: JsRuntime,
    /// Every op the runtime was given (its `ops` and its extensions').
    decls: Vec<OpDecl>,
    tokio: tokio::runtime::Runtime,
}

impl Session {
    /// A runtime with `ops` and `extensions`, keeping op metrics, with
    /// `setup` run (and its event loop driven to the end).
    pub(crate) fn new(
        ops: &[OpDecl],
        extensions: Vec<Extension>,
        setup: &str,
    ) -> Result<Self, BenchError> {
        init();
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let decls = ops
            .iter()
            .chain(extensions.iter().flat_map(Extension::op_decls))
            .copied()
            .collect();
        let rt = {
            let _guard = tokio.enter();
            JsRuntime::try_new(RuntimeOptions {
                ops: ops.to_vec(),
                extensions,
                op_metrics: true,
                ..Default::default()
            })?
        };
        let mut session = Self { rt, decls, tokio };
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
        if !setup.is_empty() {
            session.rt.execute_script("<setup>", setup)?;
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
    pub(crate) fn prepare(
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
    pub(crate) fn time(&mut self, name: &str, n: u64) -> Result<Duration, BenchError> {
        let _guard = self.tokio.enter();
        let src = format!("{name}({n})");
        let start = Instant::now();
        let value = self.rt.execute_script("<opwire-bench call>", &src)?;
        self.tokio.block_on(self.rt.resolve(value))?;
        Ok(start.elapsed())
    }

    /// One sample: ns per call of the loop minus its baseline.
    pub(crate) fn sample(&mut self, pair: &Pair, n: u64) -> Result<f64, BenchError> {
        let op = self.time(&pair.expr, n)?;
        let base = self.time(&pair.base, n)?;
        Ok((duration_ns(op) - duration_ns(base)) / as_f64(n))
    }

    /// The median of `samples` samples, clamped at 0.
    pub(crate) fn measure(
        &mut self,
        pair: &Pair,
        n: u64,
        samples: usize,
    ) -> Result<f64, BenchError> {
        let all = (0..samples)
            .map(|_| self.sample(pair, n))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(median(all).max(0.0))
    }

    /// A mark in the runtime's op metrics.
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint::new(&self.rt)
    }

    /// The calls made since `mark`, per op that was called.
    pub(crate) fn calls_since(&self, mark: &Checkpoint) -> Vec<OpCalls> {
        mark.calls_since(&self.rt, &self.decls)
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

pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

#[allow(clippy::cast_precision_loss, reason = "timing figures")]
fn duration_ns(d: Duration) -> f64 {
    d.as_nanos() as f64
}

#[allow(clippy::cast_precision_loss, reason = "timing figures")]
fn as_f64(n: u64) -> f64 {
    n as f64
}
