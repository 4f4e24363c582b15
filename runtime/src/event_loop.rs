//! The event loop: pending async ops, timers and unhandled rejections.
//!
//! [`JsRuntime::poll_event_loop`] is driven by wakers only. One call makes
//! as many passes as there is progress to make (bounded, then it yields),
//! and each pass:
//!
//! 1. fires every due timer, one JS call each, with a microtask checkpoint
//!    after each (browser order: equal delays fire in the order they were
//!    set; a timer set inside a callback fires in a later pass);
//! 2. polls the pending ops and settles every one that finished in ONE call
//!    into JS, then runs a microtask checkpoint;
//! 3. reports an unhandled promise rejection as an error (unless the
//!    handler set with [`JsRuntime::set_unhandled_rejection_handler`] takes it).
//!
//! The loop is done when no op and no timer is pending.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use crate::JsRuntime;
use crate::async_call::{Completion, OpFuture};
use crate::error::{Error, JsError};
use crate::timers::Timers;

/// Passes one `poll_event_loop` call makes before yielding to other tasks.
const MAX_PASSES: usize = 16;

/// What an async op's call left for its JS wrapper (read through a shared
/// `Int32Array`).
#[derive(Clone, Copy)]
#[repr(i32)]
pub(crate) enum Status {
    Pending = 0,
    Resolved = 1,
    Rejected = 2,
}

/// JS functions from `core.js` the loop calls.
pub(crate) struct JsHooks {
    pub(crate) resolve_ops: v8::Global<v8::Function>,
    pub(crate) fire_timer: v8::Global<v8::Function>,
    pub(crate) pending_promises: v8::Global<v8::Function>,
}

type RejectionHandler = Box<dyn FnMut(&JsError) -> bool>;

/// Event-loop state shared by the runtime and every op context.
pub(crate) struct LoopState {
    pending: RefCell<FuturesUnordered<OpFuture>>,
    status: Cell<Option<NonNull<i32>>>,
    status_store: RefCell<Option<v8::SharedRef<v8::BackingStore>>>,
    waker: RefCell<Option<Waker>>,
    polling: Cell<bool>,
    rejections: RefCell<Vec<(v8::Global<v8::Promise>, v8::Global<v8::Value>)>>,
    rejection_handler: RefCell<Option<RejectionHandler>>,
    pub(crate) hooks: RefCell<Option<JsHooks>>,
}

impl LoopState {
    pub(crate) fn new() -> Self {
        Self {
            pending: RefCell::new(FuturesUnordered::new()),
            status: Cell::new(None),
            status_store: RefCell::new(None),
            waker: RefCell::new(None),
            polling: Cell::new(false),
            rejections: RefCell::new(Vec::new()),
            rejection_handler: RefCell::new(None),
            hooks: RefCell::new(None),
        }
    }

    /// Uses `store` (4 bytes, shared with JS as an `Int32Array`) for call status.
    pub(crate) fn set_status_store(&self, store: v8::SharedRef<v8::BackingStore>) {
        self.status.set(store.data().map(NonNull::cast));
        *self.status_store.borrow_mut() = Some(store);
    }

    #[inline]
    pub(crate) fn set_status(&self, status: Status) {
        if let Some(ptr) = self.status.get() {
            // SAFETY: `ptr` points at the 4-byte, 4-aligned backing store kept
            // alive in `status_store`; JS only reads it between op calls on
            // this same thread.
            unsafe { ptr.as_ptr().write(status as i32) };
        }
    }

    /// Adds a pending op.
    pub(crate) fn push(&self, op: OpFuture) {
        self.set_status(Status::Pending);
        self.pending.borrow_mut().push(op);
        self.wake_if_idle();
    }

    /// Wakes the task driving the loop when work arrives from outside a poll
    /// (a script run while the loop waits in a `select!`, say).
    pub(crate) fn wake_if_idle(&self) {
        if !self.polling.get() {
            if let Some(waker) = self.waker.borrow().as_ref() {
                waker.wake_by_ref();
            }
        }
    }

    pub(crate) fn pending_ops(&self) -> usize {
        self.pending.borrow().len()
    }

    /// Drops every V8 handle and pending future (before the isolate goes).
    pub(crate) fn clear(&self) {
        self.pending.borrow_mut().clear();
        self.rejections.borrow_mut().clear();
        self.hooks.borrow_mut().take();
    }
}

/// V8's promise-reject callback: remembers rejections without a handler
/// until the next check, and forgets them when a handler comes later.
pub(crate) extern "C" fn on_promise_reject(message: v8::PromiseRejectMessage<'_>) {
    v8::callback_scope!(unsafe scope, &message);
    let Some(state) = scope.get_slot::<std::rc::Rc<LoopState>>().cloned() else {
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
            state.rejections.borrow_mut().retain(|(p, _)| *p != promise);
        }
        _ => {}
    }
}

impl JsRuntime {
    /// Runs the event loop until no op and no timer is pending.
    ///
    /// Must run inside a tokio runtime (current-thread, or `block_on` of a
    /// multi-thread one): timers and most async ops use tokio.
    ///
    /// # Errors
    ///
    /// The first uncaught exception of a timer callback, or the first
    /// unhandled promise rejection.
    ///
    /// # Examples
    ///
    /// ```
    /// use opwire::{op, JsRuntime, RuntimeOptions};
    ///
    /// #[op]
    /// async fn op_double(x: u32) -> u32 {
    ///     tokio::task::yield_now().await;
    ///     x * 2
    /// }
    ///
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// # rt.block_on(async {
    /// let mut js = JsRuntime::new(RuntimeOptions { ops: vec![op_double::DECL], ..Default::default() });
    /// js.execute_script("main.js", "ops.op_double(21).then((v) => globalThis.out = v)").unwrap();
    /// js.run_event_loop().await.unwrap();
    /// assert_eq!(js.eval::<u32>("out.js", "out").unwrap(), 42);
    /// # });
    /// ```
    pub async fn run_event_loop(&mut self) -> Result<(), Error> {
        poll_fn(|cx| self.poll_event_loop(cx)).await
    }

    /// Makes progress on the event loop; `Ready` when nothing is pending.
    /// For embedding the loop in your own `select!`/`poll` logic.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::run_event_loop`].
    pub fn poll_event_loop(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let state = self.event_loop.clone();
        {
            let mut waker = state.waker.borrow_mut();
            if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *waker = Some(cx.waker().clone());
            }
        }
        state.polling.set(true);
        let result = self.poll_passes(cx);
        state.polling.set(false);
        match result {
            Err(e) => Poll::Ready(Err(e)),
            Ok(()) if self.is_idle() => Poll::Ready(Ok(())),
            Ok(()) => Poll::Pending,
        }
    }

    /// Whether no op and no timer is pending.
    fn is_idle(&self) -> bool {
        self.event_loop.pending_ops() == 0 && self.timers_pending() == 0
    }

    /// How many timers are pending.
    pub(crate) fn timers_pending(&self) -> usize {
        self.state
            .borrow()
            .try_borrow::<Timers>()
            .map_or(0, Timers::len)
    }

    fn poll_passes(&mut self, cx: &mut Context<'_>) -> Result<(), Error> {
        // Microtasks queued by JS the embedder ran outside `execute_script`
        // (a function called in `with_scope`, say), then rejections from
        // scripts run since the last poll.
        self.isolate.perform_microtask_checkpoint();
        self.check_rejections()?;
        for _ in 0..MAX_PASSES {
            let mut progressed = false;
            let due = self
                .state
                .borrow_mut()
                .borrow_mut::<Timers>()
                .poll_expired(cx);
            for id in due {
                progressed = true;
                self.fire_timer(id)?;
            }
            let mut batch = Vec::new();
            {
                let mut pending = self.event_loop.pending.borrow_mut();
                while let Poll::Ready(Some(done)) = pending.poll_next_unpin(cx) {
                    batch.push(done);
                }
            }
            if !batch.is_empty() {
                progressed = true;
                self.settle(batch)?;
            }
            if !progressed {
                return Ok(());
            }
        }
        // Still making progress: let other tasks run, then come back.
        cx.waker().wake_by_ref();
        Ok(())
    }

    /// Calls JS `fireTimer(id)`, then runs microtasks.
    fn fire_timer(&mut self, id: u32) -> Result<(), Error> {
        let state = self.event_loop.clone();
        let hooks = state.hooks.borrow();
        let hook = &hooks.as_ref().expect("bootstrapped").fire_timer;
        let result = self.with_scope(|scope| {
            let f = v8::Local::new(scope, hook);
            let arg = v8::Integer::new_from_unsigned(scope, id).into();
            call(scope, f, &[arg])
        });
        drop(hooks);
        result?;
        self.after_js()
    }

    /// Settles every completion in one call to JS `resolveOps`.
    fn settle(&mut self, batch: Vec<Completion>) -> Result<(), Error> {
        let state = self.event_loop.clone();
        let hooks = state.hooks.borrow();
        let hook = &hooks.as_ref().expect("bootstrapped").resolve_ops;
        let result = self.with_scope(|scope| {
            let mut items = Vec::with_capacity(batch.len() * 3);
            for done in batch {
                let (ok, value) = match done.output.into_v8(scope) {
                    Ok(value) => (true, value),
                    Err(rejection) => (
                        false,
                        crate::throw::rejection_error(scope, done.op, rejection),
                    ),
                };
                items.push(v8::Integer::new(scope, done.promise_id).into());
                items.push(v8::Boolean::new(scope, ok).into());
                items.push(value);
            }
            let array = v8::Array::new_with_elements(scope, &items).into();
            let f = v8::Local::new(scope, hook);
            call(scope, f, &[array])
        });
        drop(hooks);
        result?;
        self.after_js()
    }

    /// Runs microtasks, then reports an unhandled rejection.
    fn after_js(&mut self) -> Result<(), Error> {
        self.isolate.perform_microtask_checkpoint();
        self.check_rejections()
    }

    /// The first unhandled rejection (that the handler does not take) as an error.
    pub(crate) fn check_rejections(&mut self) -> Result<(), Error> {
        let rejections = std::mem::take(&mut *self.event_loop.rejections.borrow_mut());
        for (_, reason) in rejections {
            let err = self.with_scope(|scope| {
                let reason = v8::Local::new(scope, reason);
                JsError::from_value(scope, reason)
            });
            let handled = match self.event_loop.rejection_handler.borrow_mut().as_mut() {
                Some(handler) => handler(&err),
                None => false,
            };
            if !handled {
                return Err(err.into());
            }
        }
        Ok(())
    }

    /// Sets what happens to an unhandled promise rejection: `handler` gets
    /// it and returns `true` to let the loop go on, `false` to make
    /// [`JsRuntime::run_event_loop`] return it as an error (the default).
    pub fn set_unhandled_rejection_handler(
        &mut self,
        handler: impl FnMut(&JsError) -> bool + 'static,
    ) {
        *self.event_loop.rejection_handler.borrow_mut() = Some(Box::new(handler));
    }

    /// How many async ops are pending on the Rust side.
    pub fn pending_ops(&self) -> usize {
        self.event_loop.pending_ops()
    }

    /// How many op promises JS is still waiting on (ring plus overflow map).
    pub fn pending_op_promises(&mut self) -> usize {
        let state = self.event_loop.clone();
        let hooks = state.hooks.borrow();
        let hook = &hooks.as_ref().expect("bootstrapped").pending_promises;
        self.with_scope(|scope| {
            let f = v8::Local::new(scope, hook);
            let undefined = v8::undefined(scope).into();
            f.call(scope, undefined, &[])
                .and_then(|n| n.uint32_value(scope))
                .map_or(0, |n| n as usize)
        })
    }

    /// Waits for `value` to settle when it is a promise, driving the event
    /// loop; returns the fulfilled value (or `value` itself if it is not a
    /// promise).
    ///
    /// # Errors
    ///
    /// The rejection reason as [`Error::Js`]; an error from the loop; or
    /// [`Error::Setup`] if the loop runs out of work with the promise
    /// still pending (it would never settle).
    pub async fn resolve(
        &mut self,
        value: v8::Global<v8::Value>,
    ) -> Result<v8::Global<v8::Value>, Error> {
        let promise = self.with_scope(|scope| {
            let local = v8::Local::new(scope, &value);
            v8::Local::<v8::Promise>::try_from(local)
                .ok()
                .map(|p| v8::Global::new(scope, p))
        });
        let Some(promise) = promise else {
            return Ok(value);
        };
        poll_fn(|cx| {
            if let Some(settled) = self.settled(&promise) {
                return Poll::Ready(settled);
            }
            match self.poll_event_loop(cx) {
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => Poll::Ready(self.settled(&promise).unwrap_or_else(|| {
                    Err(Error::Setup(
                        "the promise can never settle: the event loop has no more work".into(),
                    ))
                })),
                Poll::Pending => match self.settled(&promise) {
                    Some(settled) => Poll::Ready(settled),
                    None => Poll::Pending,
                },
            }
        })
        .await
    }

    /// The outcome of `promise` if it has settled; a rejection counts as
    /// handled (the caller receives it).
    fn settled(
        &mut self,
        promise: &v8::Global<v8::Promise>,
    ) -> Option<Result<v8::Global<v8::Value>, Error>> {
        let state = self.event_loop.clone();
        self.with_scope(|scope| {
            let p = v8::Local::new(scope, promise);
            match p.state() {
                v8::PromiseState::Pending => None,
                v8::PromiseState::Fulfilled => Some(Ok(v8::Global::new(scope, p.result(scope)))),
                v8::PromiseState::Rejected => {
                    state.rejections.borrow_mut().retain(|(r, _)| *r != p);
                    let reason = p.result(scope);
                    Some(Err(JsError::from_value(scope, reason).into()))
                }
            }
        })
    }

    /// Runs a script, then drives the event loop until its completion value
    /// (a promise, typically) settles, and converts the result.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::execute_script`] and [`JsRuntime::resolve`], plus
    /// [`Error::Conversion`].
    pub async fn eval_async<T>(&mut self, name: &str, source: &str) -> Result<T, Error>
    where
        T: for<'s> crate::FromV8<'s>,
    {
        let value = self.execute_script(name, source)?;
        let value = self.resolve(value).await?;
        self.from_global(&value)
    }
}

/// Calls `f` with `args` and `undefined` as `this`, catching an exception.
fn call(
    scope: &mut v8::PinScope<'_, '_>,
    f: v8::Local<'_, v8::Function>,
    args: &[v8::Local<'_, v8::Value>],
) -> Result<(), Error> {
    v8::tc_scope!(let tc, scope);
    let undefined = v8::undefined(tc).into();
    if f.call(tc, undefined, args).is_none() {
        return Err(JsError::from_try_catch(tc).into());
    }
    Ok(())
}
