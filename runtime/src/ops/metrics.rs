//! [`OpMetrics`]: what each op did, when a runtime keeps metrics
//! ([`RuntimeOptions::op_metrics`](crate::RuntimeOptions::op_metrics)).

use std::cell::Cell;
use std::time::Duration;

/// Counters of one op in one runtime.
///
/// Kept only when the runtime was created with
/// [`RuntimeOptions::op_metrics`](crate::RuntimeOptions::op_metrics); a
/// runtime without them registers its ops' plain callbacks, so they cost
/// nothing. Read them with [`JsRuntime::op_metrics`](crate::JsRuntime::op_metrics).
///
/// # Examples
///
/// ```
/// use opwire::{op, JsRuntime, RuntimeOptions};
///
/// #[op]
/// fn op_add(a: i32, b: i32) -> i32 { a + b }
///
/// let mut rt = JsRuntime::new(RuntimeOptions {
///     ops: vec![op_add::DECL],
///     op_metrics: true,
///     ..Default::default()
/// });
/// rt.execute_script("main.js", "ops.op_add(1, 2); try { ops.op_add(1, 'x') } catch {}").unwrap();
/// let (name, m) = rt.op_metrics()[0];
/// assert_eq!((name, m.slow_calls, m.errors), ("op_add", 2, 1));
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpMetrics {
    /// Calls through the regular V8 callback.
    pub slow_calls: u64,
    /// Calls through the V8 Fast API path (made by optimized JS).
    pub fast_calls: u64,
    /// Calls that threw, and async ops whose promise rejected.
    pub errors: u64,
    /// Async ops started (their promise created).
    pub async_started: u64,
    /// Async ops whose promise settled: resolved, or rejected (an error, a
    /// closed resource, an aborted signal).
    pub async_completed: u64,
    /// Async ops in flight now.
    pub pending: u64,
    /// Time from start to result, summed over completed async ops.
    pub async_total: Duration,
    /// The longest time from start to result of one async op.
    pub async_max: Duration,
}

/// The metrics of one op, updated in place (one runtime, one thread).
#[derive(Default)]
pub(crate) struct MetricsCell(Cell<OpMetrics>);

impl MetricsCell {
    /// Applies `f` to the counters.
    #[inline]
    pub(crate) fn update(&self, f: impl FnOnce(&mut OpMetrics)) {
        let mut m = self.0.get();
        f(&mut m);
        self.0.set(m);
    }

    /// The counters now.
    pub(crate) fn get(&self) -> OpMetrics {
        self.0.get()
    }

    /// An async op settled during its call (ready at its first poll, or
    /// refused before it started).
    pub(crate) fn settled_at_once(&self, failed: bool) {
        self.update(|m| {
            m.async_started += 1;
            m.async_completed += 1;
            m.errors += u64::from(failed);
        });
    }

    /// An async op finished after `elapsed`, `failed` or not.
    pub(crate) fn completed(&self, elapsed: Duration, failed: bool) {
        self.update(|m| {
            m.async_completed += 1;
            m.pending = m.pending.saturating_sub(1);
            m.async_total += elapsed;
            m.async_max = m.async_max.max(elapsed);
            m.errors += u64::from(failed);
        });
    }
}
