//! [`Activity`]: what a runtime holds now (pending ops, open resources,
//! timers), and the leak check built on it.

use std::collections::BTreeMap;
use std::fmt;

use super::js_runtime::JsRuntime;

/// What a runtime holds: what keeps its event loop running, and what a test
/// leaks if it is still there when the test ends.
///
/// # Examples
///
/// ```
/// use opwire::{JsRuntime, RuntimeOptions};
///
/// let mut rt = JsRuntime::new(RuntimeOptions::default());
/// let before = rt.activity();
/// rt.execute_script("leaky.js", "setTimeout(() => {}, 60_000)").unwrap();
/// let err = rt.check_leaks(&before).unwrap_err();
/// assert_eq!(err.to_string(), "leaked: 1 timer");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Activity {
    /// Async ops in flight, by op name.
    pub pending_ops: BTreeMap<&'static str, usize>,
    /// Open resources, by name.
    pub resources: BTreeMap<String, usize>,
    /// Pending timers (`setTimeout`, `setInterval`, `AbortSignal.timeout`).
    pub timers: usize,
    /// JS functions that [`JsCallback`](crate::JsCallback) handles hold
    /// (referenced or not).
    pub callbacks: usize,
}

impl Activity {
    /// What `self` holds beyond `before`: the counts that grew, by how much.
    #[must_use]
    pub fn since(&self, before: &Activity) -> Activity {
        fn grown<K: Ord + Clone>(
            now: &BTreeMap<K, usize>,
            then: &BTreeMap<K, usize>,
        ) -> BTreeMap<K, usize> {
            now.iter()
                .filter_map(|(k, n)| {
                    let extra = n.saturating_sub(then.get(k).copied().unwrap_or(0));
                    (extra > 0).then(|| (k.clone(), extra))
                })
                .collect()
        }
        Activity {
            pending_ops: grown(&self.pending_ops, &before.pending_ops),
            resources: grown(&self.resources, &before.resources),
            timers: self.timers.saturating_sub(before.timers),
            callbacks: self.callbacks.saturating_sub(before.callbacks),
        }
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.pending_ops.is_empty()
            && self.resources.is_empty()
            && self.timers == 0
            && self.callbacks == 0
    }
}

impl fmt::Display for Activity {
    /// `2 pending op_read, 1 open resource File, 1 timer, 1 callback`
    /// (`nothing` when empty).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (op, n) in &self.pending_ops {
            parts.push(format!("{n} pending {op}"));
        }
        for (name, n) in &self.resources {
            let s = if *n == 1 { "" } else { "s" };
            parts.push(format!("{n} open resource{s} {name}"));
        }
        if self.timers > 0 {
            let s = if self.timers == 1 { "" } else { "s" };
            parts.push(format!("{} timer{s}", self.timers));
        }
        if self.callbacks > 0 {
            let s = if self.callbacks == 1 { "" } else { "s" };
            parts.push(format!("{} callback{s}", self.callbacks));
        }
        if parts.is_empty() {
            return f.write_str("nothing");
        }
        f.write_str(&parts.join(", "))
    }
}

/// What a runtime leaked: [`JsRuntime::check_leaks`] found it holding more
/// than before.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("leaked: {0}")]
pub struct Leaks(pub Activity);

impl JsRuntime {
    /// What the runtime holds now.
    pub fn activity(&self) -> Activity {
        let mut pending_ops = BTreeMap::new();
        for op in self.event_loop.pending_op_names() {
            *pending_ops.entry(op).or_insert(0) += 1;
        }
        let mut resources = BTreeMap::new();
        if let Ok(state) = self.state.try_borrow() {
            for (_, name) in state.resource_table.names() {
                *resources.entry(name.into_owned()).or_insert(0) += 1;
            }
        }
        Activity {
            pending_ops,
            resources,
            timers: self.event_loop.all_timers(),
            callbacks: self.event_loop.callbacks.held(),
        }
    }

    /// Checks that the runtime holds nothing beyond `before` (taken with
    /// [`JsRuntime::activity`] at the start of a test): what `deno test`'s
    /// sanitizers do.
    ///
    /// # Errors
    ///
    /// [`Leaks`], naming every pending op, open resource, timer and callback that
    /// was not there before.
    pub fn check_leaks(&self, before: &Activity) -> Result<(), Leaks> {
        let extra = self.activity().since(before);
        if extra.is_empty() {
            Ok(())
        } else {
            Err(Leaks(extra))
        }
    }
}
