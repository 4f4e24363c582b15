//! Ops the runtime itself needs (they are not on `globalThis.ops`), and the
//! [`ConsoleSink`] hook for `console.*` output.

use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use opwire_macro::op;

use crate::OpError;
use crate::event_loop::LoopState;
use crate::ops::{OpDecl, OpState};
use crate::resources::ResourceId;
use crate::resources::signal;

/// Where `console.*` output goes when put into a runtime's [`OpState`];
/// without one, `console.log`/`info`/`debug` print to stdout and
/// `console.warn`/`error` to stderr.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use opwire::{ConsoleSink, JsRuntime, RuntimeOptions};
///
/// let lines = Rc::new(RefCell::new(Vec::new()));
/// let sink = lines.clone();
/// let mut rt = JsRuntime::new(RuntimeOptions::default());
/// rt.op_state().borrow_mut().put(ConsoleSink::new(move |is_err, line| {
///     sink.borrow_mut().push((is_err, line.to_owned()));
/// }));
/// rt.execute_script("main.js", "console.log('n =', 1, [2], { a: 'b' })").unwrap();
/// assert_eq!(lines.borrow()[0], (false, "n = 1 [ 2 ] { a: \"b\" }".to_owned()));
/// ```
pub struct ConsoleSink(Box<SinkFn>);

type SinkFn = dyn Fn(bool, &str);

impl ConsoleSink {
    /// A sink calling `f(is_error, line)` for each `console.*` call.
    pub fn new(f: impl Fn(bool, &str) + 'static) -> Self {
        Self(Box::new(f))
    }
}

impl std::fmt::Debug for ConsoleSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConsoleSink")
    }
}

#[op]
fn op_internal_print(state: &OpState, #[string] line: &str, is_err: bool) {
    if let Some(sink) = state.try_borrow::<ConsoleSink>() {
        (sink.0)(is_err, line);
    } else if is_err {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    } else {
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
}

/// The event loop's state, which owns the timers (kept in the isolate, out
/// of reach of code that replaces the `OpState`).
fn event_loop(scope: &v8::PinScope<'_, '_>) -> Rc<LoopState> {
    let state = scope.get_slot::<Rc<LoopState>>();
    Rc::clone(state.expect("the runtime puts its loop state in the isolate"))
}

#[op]
fn op_internal_timer_start(scope: &mut v8::PinScope<'_, '_>, id: u32, delay_ms: f64, refed: bool) {
    let delay = Duration::try_from_secs_f64(delay_ms / 1000.0).unwrap_or(Duration::ZERO);
    event_loop(scope).start_timer(id, delay, refed);
}

#[op]
fn op_internal_timer_cancel(scope: &mut v8::PinScope<'_, '_>, id: u32) {
    event_loop(scope).cancel_timer(id);
}

/// `opwire.close(rid)`: closes a resource, cancelling the ops in flight on it.
#[op(rename = "op_close")]
fn op_internal_close(state: &mut OpState, rid: ResourceId) -> Result<(), OpError> {
    state.resource_table.close(rid)
}

/// `opwire.resources()`: the open resources, `{ [rid]: name }`.
#[op(rename = "op_resources")]
#[serde]
fn op_internal_resources(state: &OpState) -> std::collections::BTreeMap<ResourceId, String> {
    state
        .resource_table
        .names()
        .map(|(rid, name)| (rid, name.into_owned()))
        .collect()
}

/// Called by the JS `AbortSignal` constructor: marks the object as a signal.
#[op]
fn op_internal_signal_brand<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    signal: v8::Local<'s, v8::Object>,
) {
    signal::brand(scope, signal);
}

/// Called when a JS `AbortSignal` aborts: cancels the ops holding it.
#[op]
fn op_internal_signal_abort<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    signal: v8::Local<'s, v8::Object>,
    reason: v8::Local<'s, v8::Value>,
) {
    signal::abort(scope, signal, reason);
}

/// The internal ops, handed to `core.js`.
pub(super) fn ops() -> Vec<OpDecl> {
    vec![
        op_internal_print::DECL,
        op_internal_timer_start::DECL,
        op_internal_timer_cancel::DECL,
        op_internal_close::DECL,
        op_internal_resources::DECL,
        op_internal_signal_brand::DECL,
        op_internal_signal_abort::DECL,
    ]
}
