//! One turn of the event loop, driven by wakers only. A poll makes as many
//! passes as there is progress to make (bounded, then it yields), and each
//! pass:
//!
//! 1. fires every due timer, one JS call each, with a microtask checkpoint
//!    after each (browser order: equal delays fire in the order they were
//!    set; a timer set inside a callback fires in a later pass);
//! 2. polls the pending ops and settles every one that finished in ONE call
//!    into JS, then runs a microtask checkpoint;
//! 3. runs the queued callback calls (up to [`CALLS_PER_PASS`]), one JS
//!    call each with a microtask checkpoint after it; an exception no Rust
//!    caller waits for is reported like an unhandled rejection;
//! 4. reports an unhandled promise rejection as an error (unless the
//!    rejection handler takes it).
//!
//! The loop is done when no op, no timer, no referenced callback and no
//! queued callback call is left.

use std::task::{Context, Poll};

use super::op_future::Completion;
use super::rejections;
use super::state::LoopState;
use crate::error::{Error, JsError};

/// Passes one poll makes before yielding to other tasks.
const MAX_PASSES: usize = 16;

/// Queued callback calls one pass runs, at most (timers and ops get their
/// turn in between).
const CALLS_PER_PASS: usize = 1024;

/// JS functions from `core.js` the loop calls (the runtime owns them).
pub(crate) struct JsHooks {
    /// `resolveOps([id, ok, value, ...])`: settles a batch of op promises.
    pub(crate) resolve_ops: v8::Global<v8::Function>,
    /// `fireTimer(id)`: runs a timer's callback.
    pub(crate) fire_timer: v8::Global<v8::Function>,
    /// `pendingPromises()`: how many op promises JS waits on.
    pub(crate) pending_promises: v8::Global<v8::Function>,
    /// `forgetOps([id, ...])`: drops promises that will never settle.
    pub(crate) forget_ops: v8::Global<v8::Function>,
}

/// Makes progress on the loop inside `scope` (the runtime's context);
/// `Ready` when nothing is pending.
pub(crate) fn poll(
    scope: &mut v8::PinScope<'_, '_>,
    hooks: &JsHooks,
    state: &LoopState,
    cx: &mut Context<'_>,
) -> Poll<Result<(), Error>> {
    state.begin_poll(cx.waker());
    let result = poll_passes(scope, hooks, state, cx);
    state.end_poll();
    match result {
        Err(e) => Poll::Ready(Err(e)),
        Ok(()) if state.is_idle() => Poll::Ready(Ok(())),
        Ok(()) => Poll::Pending,
    }
}

fn poll_passes(
    scope: &mut v8::PinScope<'_, '_>,
    hooks: &JsHooks,
    state: &LoopState,
    cx: &mut Context<'_>,
) -> Result<(), Error> {
    // Microtasks queued by JS the embedder ran outside `execute_script`
    // (a function called in `with_scope`, say), then rejections from
    // scripts run since the last poll.
    after_js(scope, state)?;
    for _ in 0..MAX_PASSES {
        let mut progressed = false;
        for id in state.poll_timers(cx) {
            progressed = true;
            v8::scope!(let scope, scope);
            let id = v8::Integer::new_from_unsigned(scope, id).into();
            call(scope, &hooks.fire_timer, &[id])?;
            after_js(scope, state)?;
        }
        let batch = state.poll_completions(cx);
        if !batch.is_empty() {
            progressed = true;
            v8::scope!(let scope, scope);
            let batch = settle_batch(scope, batch);
            call(scope, &hooks.resolve_ops, &[batch])?;
            after_js(scope, state)?;
        }
        let calls = run_calls(scope, state, cx);
        state.callbacks.give_back_room();
        progressed |= calls?;
        if !progressed {
            return Ok(());
        }
    }
    // Still making progress: let other tasks run, then come back.
    cx.waker().wake_by_ref();
    Ok(())
}

/// Runs up to [`CALLS_PER_PASS`] queued callback calls; `true` if it ran
/// any.
fn run_calls(
    scope: &mut v8::PinScope<'_, '_>,
    state: &LoopState,
    cx: &mut Context<'_>,
) -> Result<bool, Error> {
    let mut ran = false;
    for _ in 0..CALLS_PER_PASS {
        let Some(queued) = state.callbacks.next_call(cx) else {
            break;
        };
        ran = true;
        v8::scope!(let scope, scope);
        if let Some(uncaught) = state.callbacks.run(scope, queued)? {
            rejections::report(state, uncaught)?;
        }
        after_js(scope, state)?;
    }
    Ok(ran)
}

/// The argument of `resolveOps`: `[id, ok, value, id, ok, value, ...]`.
fn settle_batch<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    batch: Vec<Completion>,
) -> v8::Local<'s, v8::Value> {
    let mut items = Vec::with_capacity(batch.len() * 3);
    for done in batch {
        let (ok, value) = done.output.settle(scope, done.op);
        items.push(v8::Integer::new(scope, done.promise_id).into());
        items.push(v8::Boolean::new(scope, ok).into());
        items.push(value);
    }
    v8::Array::new_with_elements(scope, &items).into()
}

/// Runs microtasks, then reports an unhandled rejection.
fn after_js(scope: &mut v8::PinScope<'_, '_>, state: &LoopState) -> Result<(), Error> {
    scope.perform_microtask_checkpoint();
    rejections::check(scope, state)
}

/// Calls hook `f` with `args` and `undefined` as `this`, catching an
/// exception.
fn call(
    scope: &mut v8::PinScope<'_, '_>,
    f: &v8::Global<v8::Function>,
    args: &[v8::Local<'_, v8::Value>],
) -> Result<(), Error> {
    v8::tc_scope!(let tc, scope);
    let f = v8::Local::new(tc, f);
    let undefined = v8::undefined(tc).into();
    if f.call(tc, undefined, args).is_none() {
        return Err(JsError::from_try_catch(tc).into());
    }
    Ok(())
}
