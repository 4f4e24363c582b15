//! Which path op calls took, read from a runtime's op metrics.

use std::collections::HashMap;

use opwire::{JsRuntime, OpDecl, OpMetrics};

/// Calls of one op during one run of a case (or since a [`Checkpoint`]).
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
    #[allow(clippy::cast_precision_loss, reason = "a share")]
    pub fn fast_share(&self) -> f64 {
        let total = self.fast + self.slow;
        if total == 0 {
            0.0
        } else {
            self.fast as f64 / total as f64
        }
    }

    /// Whether the op has a fast path yet every call took the regular
    /// callback: an argument that never fits the fast signature, or code
    /// that was never optimized or deoptimized.
    pub fn missed_fast_path(&self) -> bool {
        self.fast_eligible && self.fast == 0 && self.slow > 0
    }

    /// The warning for [`missed_fast_path`](Self::missed_fast_path), naming
    /// the op and `case` (what made the calls); `None` when the op made fast
    /// calls or has no fast path.
    pub fn warning(&self, case: &str) -> Option<String> {
        self.missed_fast_path().then(|| {
            format!(
                "warning: {} has a fast path but made no fast calls in the optimized run of \
                 `{case}` ({} slow calls): check the argument types, or whether the loop \
                 deoptimized",
                self.op, self.slow
            )
        })
    }
}

/// A mark in a runtime's op metrics: [`calls_since`](Self::calls_since)
/// gives, per op, the calls made after it and the path they took. The
/// runtime must keep metrics ([`RuntimeOptions::op_metrics`]); without them
/// no op is ever counted.
///
/// [`RuntimeOptions::op_metrics`]: opwire::RuntimeOptions::op_metrics
///
/// ```no_run
/// # fn demo(rt: &mut opwire::JsRuntime, decls: &[opwire::OpDecl]) {
/// let mark = opwire_bench::Checkpoint::new(rt);
/// rt.execute_script("run.js", "work()").unwrap();
/// for calls in mark.calls_since(rt, decls) {
///     println!("{calls}"); // `op_add fast 100%`
/// }
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Checkpoint {
    before: HashMap<&'static str, OpMetrics>,
}

impl Checkpoint {
    /// The op metrics of `rt` now.
    pub fn new(rt: &JsRuntime) -> Self {
        Self {
            before: rt.op_metrics().into_iter().collect(),
        }
    }

    /// The calls made since this checkpoint, one entry per op that was
    /// called, sorted by name. `decls` (the ops the runtime was given, from
    /// its `ops` and extensions) tell which ops have a fast path.
    pub fn calls_since(&self, rt: &JsRuntime, decls: &[OpDecl]) -> Vec<OpCalls> {
        let mut calls: Vec<OpCalls> = rt
            .op_metrics()
            .into_iter()
            .filter_map(|(op, now)| {
                let then = self.before.get(op).copied().unwrap_or_default();
                let c = OpCalls {
                    op,
                    fast: now.fast_calls - then.fast_calls,
                    slow: now.slow_calls - then.slow_calls,
                    async_started: now.async_started - then.async_started,
                    fast_eligible: decls.iter().any(|d| d.name() == op && d.is_fast()),
                };
                (c.fast + c.slow + c.async_started > 0).then_some(c)
            })
            .collect();
        calls.sort_by_key(|c| c.op);
        calls
    }
}
