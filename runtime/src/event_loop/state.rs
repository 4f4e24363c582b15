//! [`LoopState`]: the event loop's data, shared by the runtime and every op
//! context: the pending ops, the timers, the status word async op calls
//! leave for their JS wrapper, the callbacks, and the unhandled rejections
//! seen so far.

use std::cell::{Cell, RefCell};
use std::ptr::NonNull;
use std::rc::Rc;
use std::task::{Context, Waker};
use std::time::Duration;

use super::callback::Callbacks;
use super::op_future::{Completion, OpFuture};
use super::pending::PendingOps;
use super::timers::Timers;
use crate::error::JsError;

/// What an async op's call left for its JS wrapper (read through a shared
/// `Int32Array`).
#[derive(Clone, Copy)]
#[repr(i32)]
pub(crate) enum Status {
    Pending = 0,
    Resolved = 1,
    Rejected = 2,
}

/// Decides whether an unhandled rejection is taken (`true`) or ends the
/// loop with an error (`false`).
pub(crate) type RejectionHandler = Box<dyn FnMut(&JsError) -> bool>;

/// A promise rejected with no handler, and its reason.
pub(crate) type Rejection = (v8::Global<v8::Promise>, v8::Global<v8::Value>);

/// Event-loop state shared by the runtime and every op context.
pub(crate) struct LoopState {
    pending: RefCell<PendingOps>,
    timers: RefCell<Timers>,
    status: Cell<Option<NonNull<i32>>>,
    status_store: RefCell<Option<v8::SharedRef<v8::BackingStore>>>,
    waker: RefCell<Option<Waker>>,
    polling: Cell<bool>,
    /// JS functions held by `JsCallback` handles, and their call queue
    /// (also an isolate slot, for conversions and promise handlers).
    pub(crate) callbacks: Rc<Callbacks>,
    pub(crate) rejections: RefCell<Vec<Rejection>>,
    pub(crate) rejection_handler: RefCell<Option<RejectionHandler>>,
}

impl LoopState {
    pub(crate) fn new() -> Self {
        Self {
            pending: RefCell::new(PendingOps::default()),
            timers: RefCell::new(Timers::new()),
            status: Cell::new(None),
            status_store: RefCell::new(None),
            waker: RefCell::new(None),
            polling: Cell::new(false),
            callbacks: Rc::new(Callbacks::new()),
            rejections: RefCell::new(Vec::new()),
            rejection_handler: RefCell::new(None),
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

    /// (Re)starts timer `id` to fire after `delay`; `refed` timers keep
    /// the loop alive.
    pub(crate) fn start_timer(&self, id: u32, delay: Duration, refed: bool) {
        self.timers.borrow_mut().start(id, delay, refed);
        self.wake_if_idle();
    }

    /// Stops timer `id`, if it is pending.
    pub(crate) fn cancel_timer(&self, id: u32) {
        self.timers.borrow_mut().cancel(id);
    }

    /// The ids of the timers due now, in firing order (see
    /// [`Timers::poll_expired`]).
    pub(crate) fn poll_timers(&self, cx: &mut Context<'_>) -> Vec<u32> {
        self.timers.borrow_mut().poll_expired(cx)
    }

    /// Every pending op that has finished.
    pub(crate) fn poll_completions(&self, cx: &mut Context<'_>) -> Vec<Completion> {
        self.pending.borrow_mut().poll(cx)
    }

    /// Marks the start of a poll by the task whose waker is `waker`, which
    /// is woken when work arrives between polls.
    pub(crate) fn begin_poll(&self, waker: &Waker) {
        let mut current = self.waker.borrow_mut();
        if !current.as_ref().is_some_and(|w| w.will_wake(waker)) {
            *current = Some(waker.clone());
        }
        self.polling.set(true);
    }

    /// Marks the end of a poll.
    pub(crate) fn end_poll(&self) {
        self.polling.set(false);
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

    pub(crate) fn pending_timers(&self) -> usize {
        self.timers.borrow().len()
    }

    /// Every pending timer, including those that do not keep the loop alive.
    pub(crate) fn all_timers(&self) -> usize {
        self.timers.borrow().all()
    }

    /// The names of the pending ops, one per op in flight.
    pub(crate) fn pending_op_names(&self) -> Vec<&'static str> {
        self.pending.borrow().iter().map(OpFuture::op).collect()
    }

    /// Whether nothing keeps the loop alive: no op, no timer, no
    /// referenced callback and no queued callback call.
    pub(crate) fn is_idle(&self) -> bool {
        self.pending_ops() == 0
            && self.pending_timers() == 0
            && self.callbacks.refs() == 0
            && self.callbacks.queue_is_empty()
    }

    /// Drops every pending op's future; returns their promise ids.
    pub(crate) fn drain(&self) -> Vec<i32> {
        let pending = self.pending.borrow_mut().take_all();
        pending.iter().map(OpFuture::promise_id).collect()
    }

    /// Drops every V8 handle and pending future (before the isolate goes).
    pub(crate) fn clear(&self) {
        let pending = self.pending.borrow_mut().take_all();
        drop(pending);
        self.callbacks.close();
        self.rejections.borrow_mut().clear();
    }
}
