//! Unhandled promise rejections: V8 reports them as they happen, the loop
//! turns the first one its handler does not take into an error.

use std::rc::Rc;

use super::state::LoopState;
use crate::error::{Error, JsError};

/// V8's promise-reject callback: remembers rejections without a handler
/// until the next check, and forgets them when a handler comes later.
pub(crate) extern "C" fn on_promise_reject(message: v8::PromiseRejectMessage<'_>) {
    v8::callback_scope!(unsafe scope, &message);
    let Some(state) = scope.get_slot::<Rc<LoopState>>().cloned() else {
        return;
    };
    let promise = message.get_promise();
    match message.get_event() {
        v8::PromiseRejectEvent::PromiseRejectWithNoHandler => {
            let reason = message
                .get_value()
                .unwrap_or_else(|| v8::undefined(scope).into());
            let entry = (
                v8::Global::new(scope, promise),
                v8::Global::new(scope, reason),
            );
            state.rejections.borrow_mut().push(entry);
        }
        v8::PromiseRejectEvent::PromiseHandlerAddedAfterReject => {
            forget(&state, promise);
        }
        _ => {}
    }
}

/// Forgets the rejection of `promise` (it has been handled after all).
pub(crate) fn forget(state: &LoopState, promise: v8::Local<'_, v8::Promise>) {
    state.rejections.borrow_mut().retain(|(p, _)| *p != promise);
}

/// The first unhandled rejection (that the handler does not take) as an
/// error; the others seen so far are dropped with it.
pub(crate) fn check(scope: &mut v8::PinScope<'_, '_>, state: &LoopState) -> Result<(), Error> {
    let rejections = std::mem::take(&mut *state.rejections.borrow_mut());
    for (_, reason) in rejections {
        let reason = v8::Local::new(scope, reason);
        report(state, JsError::from_exception(scope, reason))?;
    }
    Ok(())
}

/// An error nobody caught (a rejection, or an exception in a callback no
/// Rust caller waits for): taken by the handler, or returned.
pub(crate) fn report(state: &LoopState, err: JsError) -> Result<(), Error> {
    let handled = match state.rejection_handler.borrow_mut().as_mut() {
        Some(handler) => handler(&err),
        None => false,
    };
    if handled { Ok(()) } else { Err(err.into()) }
}
