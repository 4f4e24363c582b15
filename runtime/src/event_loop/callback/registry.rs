//! [`Callbacks`]: the runtime-thread side of callbacks. It keeps the
//! registered functions by id, takes queued calls for the driver, runs
//! them, and hands the result of an async function to its caller when its
//! promise settles.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::sync::{OwnedSemaphorePermit, mpsc};

use super::queue::{Entry, Invocation, QueuedCall, Shared};
use crate::error::{Error, JsError, Termination};

/// A runtime's registered functions and its end of the call queue (kept
/// in [`LoopState`](crate::event_loop::LoopState) and as an isolate slot).
pub(crate) struct Callbacks {
    shared: Arc<Shared>,
    /// `None` once the runtime is gone.
    calls: RefCell<Option<mpsc::UnboundedReceiver<QueuedCall>>>,
    functions: RefCell<HashMap<u64, v8::Global<v8::Function>>>,
    next_function: Cell<u64>,
    /// Calls whose async function's promise has not settled yet, by the id
    /// its settle handlers carry.
    awaiting: RefCell<HashMap<u64, Box<dyn Invocation>>>,
    next_awaiting: Cell<u64>,
    /// Room taken back from the calls run in this pass, given back at its
    /// end in one go: one wake-up for a waiting thread rather than one per
    /// call.
    room: RefCell<Option<OwnedSemaphorePermit>>,
}

impl Callbacks {
    /// Made on the runtime's thread.
    pub(crate) fn new() -> Self {
        let (shared, calls) = Shared::new();
        Self {
            shared,
            calls: RefCell::new(Some(calls)),
            functions: RefCell::new(HashMap::new()),
            next_function: Cell::new(0),
            awaiting: RefCell::new(HashMap::new()),
            next_awaiting: Cell::new(0),
            room: RefCell::new(None),
        }
    }

    /// Keeps `function` and returns the entry its handles share.
    pub(super) fn register(
        &self,
        scope: &mut v8::PinScope<'_, '_>,
        function: v8::Local<'_, v8::Function>,
    ) -> Arc<Entry> {
        self.forget_released();
        let id = self.next_function.get();
        self.next_function.set(id + 1);
        let global = v8::Global::new(scope, function);
        self.functions.borrow_mut().insert(id, global);
        Arc::new(Entry::new(id, self.shared.clone()))
    }

    /// How many registered functions keep the event loop alive.
    pub(crate) fn refs(&self) -> usize {
        self.shared.refs()
    }

    /// How many functions handles still hold.
    pub(crate) fn held(&self) -> usize {
        self.forget_released();
        self.functions.borrow().len()
    }

    /// Whether no call waits in the queue.
    pub(crate) fn queue_is_empty(&self) -> bool {
        self.calls.borrow().as_ref().is_none_or(|c| c.is_empty())
    }

    /// Drops the functions whose last handle is gone.
    fn forget_released(&self) {
        let released = self.shared.take_released();
        if !released.is_empty() {
            let mut functions = self.functions.borrow_mut();
            for id in released {
                functions.remove(&id);
            }
        }
    }

    /// The next queued call, if any; otherwise `cx` is woken when one
    /// comes, or when the keep-alive count falls to zero.
    pub(crate) fn next_call(&self, cx: &mut Context<'_>) -> Option<QueuedCall> {
        self.shared.waker.register(cx.waker());
        self.forget_released();
        match self.calls.borrow_mut().as_mut()?.poll_recv(cx) {
            Poll::Ready(call) => call,
            Poll::Pending => None,
        }
    }

    /// Gives the room of the calls run since the last call back to the
    /// threads that wait for it.
    pub(crate) fn give_back_room(&self) {
        drop(self.room.borrow_mut().take());
    }

    /// Runs `call` in `scope` (the runtime's context), without the
    /// microtask checkpoint that follows.
    ///
    /// An exception goes to the caller when one waits; otherwise it comes
    /// back as `Ok(Some(error))`, for the loop to report like an uncaught
    /// error. `Err` means JS was terminated.
    pub(crate) fn run(
        &self,
        scope: &mut v8::PinScope<'_, '_>,
        call: QueuedCall,
    ) -> Result<Option<JsError>, Error> {
        let QueuedCall {
            entry,
            mut invocation,
            permit,
        } = call;
        if let Some(permit) = permit {
            let mut room = self.room.borrow_mut();
            match room.as_mut() {
                Some(room) => room.merge(permit),
                None => *room = Some(permit),
            }
        }
        let function = self
            .functions
            .borrow()
            .get(&entry.id)
            .map(|f| v8::Local::new(scope, f));
        drop(entry);
        let Some(function) = function else {
            // Unreachable: a queued call keeps its function registered.
            invocation.settle(scope, Err(Error::RuntimeDropped));
            return Ok(None);
        };
        let args = match invocation.args(scope) {
            Ok(args) => args,
            Err(e) => return Ok(fail(scope, invocation, e)),
        };
        v8::tc_scope!(let tc, scope);
        let undefined = v8::undefined(tc).into();
        match function.call(tc, undefined, &args) {
            Some(value) if value.is_promise() && invocation.awaited() => {
                // SAFETY: checked `is_promise` just above.
                let promise = unsafe { v8::Local::<v8::Promise>::cast_unchecked(value) };
                self.await_promise(tc, promise, invocation);
                Ok(None)
            }
            // A promise nobody awaits is left to V8, which reports its
            // rejection like any other unhandled one.
            Some(value) => {
                invocation.settle(tc, Ok(value));
                Ok(None)
            }
            None if tc.has_terminated() || tc.is_execution_terminating() => {
                let err = JsError::from_try_catch(tc);
                invocation.settle(tc, Err(Error::Terminated(Termination::Requested)));
                Err(err.into())
            }
            None => {
                let err = JsError::from_try_catch(tc);
                Ok(fail(tc, invocation, err.into()))
            }
        }
    }

    /// Settles `invocation` when `promise` does.
    fn await_promise(
        &self,
        scope: &mut v8::PinScope<'_, '_>,
        promise: v8::Local<'_, v8::Promise>,
        invocation: Box<dyn Invocation>,
    ) {
        let id = self.next_awaiting.get();
        self.next_awaiting.set(id + 1);
        // Ids stay below 2^53: exact as a Number.
        #[allow(clippy::cast_precision_loss, reason = "ids stay below 2^53")]
        let data = v8::Number::new(scope, id as f64).into();
        let fulfilled = v8::Function::builder(on_fulfilled).data(data).build(scope);
        let rejected = v8::Function::builder(on_rejected).data(data).build(scope);
        let (Some(fulfilled), Some(rejected)) = (fulfilled, rejected) else {
            let err = Error::Setup("could not wait for the callback's promise".into());
            invocation.settle(scope, Err(err));
            return;
        };
        self.awaiting.borrow_mut().insert(id, invocation);
        if promise.then2(scope, fulfilled, rejected).is_none() {
            if let Some(invocation) = self.awaiting.borrow_mut().remove(&id) {
                let err = Error::Setup("could not wait for the callback's promise".into());
                invocation.settle(scope, Err(err));
            }
        }
    }

    /// The runtime is going: drops every function (before the isolate),
    /// every queued call and every call waiting for a promise; their
    /// callers get [`Error::RuntimeDropped`], and so does every later call.
    pub(crate) fn close(&self) {
        self.shared.close();
        self.give_back_room();
        let calls = self.calls.borrow_mut().take();
        if let Some(mut calls) = calls {
            calls.close();
            // Dropped here rather than inside the channel: dropping a call
            // may drop the last handle of a function, which touches the
            // shared state.
            while let Ok(call) = calls.try_recv() {
                drop(call);
            }
        }
        let awaiting = std::mem::take(&mut *self.awaiting.borrow_mut());
        drop(awaiting);
        self.forget_released();
        self.functions.borrow_mut().clear();
    }
}

/// The outcome of a call that failed before returning: to its caller, or,
/// when nobody waits, back to the loop as an uncaught error.
fn fail(
    scope: &mut v8::PinScope<'_, '_>,
    invocation: Box<dyn Invocation>,
    err: Error,
) -> Option<JsError> {
    if invocation.awaited() {
        invocation.settle(scope, Err(err));
        return None;
    }
    Some(match err {
        Error::Js(js) => *js,
        other => JsError {
            name: "TypeError".into(),
            message: other.to_string(),
            code: None,
            stack: None,
            location: None,
        },
    })
}

/// The addresses of the settle handlers V8 keeps in its heap, for startup
/// snapshots.
pub(crate) fn external_refs() -> [v8::ExternalReference; 2] {
    use v8::MapFnTo;
    [
        v8::ExternalReference {
            function: on_fulfilled.map_fn_to(),
        },
        v8::ExternalReference {
            function: on_rejected.map_fn_to(),
        },
    ]
}

fn on_fulfilled<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s, v8::Value>,
) {
    settle_awaited(scope, &args, true);
}

fn on_rejected<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: v8::FunctionCallbackArguments<'s>,
    _rv: v8::ReturnValue<'s, v8::Value>,
) {
    settle_awaited(scope, &args, false);
}

/// A promise a caller waits on settled: hands its value or reason over.
/// A rejection whose caller stopped waiting is thrown again, so that the
/// promise `then` made rejects unhandled and the loop reports it.
fn settle_awaited<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    args: &v8::FunctionCallbackArguments<'s>,
    fulfilled: bool,
) {
    // Nothing may unwind into V8.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let Some(callbacks) = scope.get_slot::<Rc<Callbacks>>().cloned() else {
            return;
        };
        let Some(id) = args.data().number_value(scope) else {
            return;
        };
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "the id was made from a u64 below 2^53"
        )]
        let id = id as u64;
        let Some(invocation) = callbacks.awaiting.borrow_mut().remove(&id) else {
            return;
        };
        let value = args.get(0);
        if fulfilled {
            invocation.settle(scope, Ok(value));
        } else if invocation.awaited() {
            let err = JsError::from_value(scope, value);
            invocation.settle(scope, Err(err.into()));
        } else {
            scope.throw_exception(value);
        }
    }));
}
