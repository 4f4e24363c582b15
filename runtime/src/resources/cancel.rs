//! [`CancelHandle`]: cancels the futures run under it, dropping them at
//! once (not at their next poll).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use crate::OpError;

/// Cancels every future run under it ([`CancelHandle::run`]).
///
/// Every resource in a [`ResourceTable`](crate::ResourceTable) has one:
/// closing the resource cancels the ops in flight on it. Cancelling drops
/// each such future right away, so whatever it holds (a socket read, a
/// timer, a guard) is released before `cancel` returns; the op then
/// finishes with the error given to [`CancelHandle::new`] (an `Interrupted`
/// error for resources).
///
/// # Examples
///
/// ```
/// use opwire::CancelHandle;
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// # rt.block_on(async {
/// let handle = CancelHandle::new(opwire::OpError::new("Interrupted", "stopped"));
/// let never = handle.run(std::future::pending::<()>());
/// handle.cancel();
/// let err = never.await.unwrap_err();
/// assert_eq!(err.class(), "Interrupted");
/// # });
/// ```
#[derive(Clone)]
pub struct CancelHandle(Rc<Shared>);

struct Shared {
    cancelled: Cell<bool>,
    /// The error a cancelled future finishes with (cloned per future).
    error: OpError,
    /// The futures running under this handle, to drop on cancel.
    running: RefCell<Vec<Weak<dyn Drops>>>,
}

/// A slot holding a future that cancelling can empty.
trait Drops {
    /// Drops the future now, and wakes the task that awaits it.
    fn drop_now(&self);
}

struct Slot<F> {
    future: RefCell<Option<Pin<Box<F>>>>,
    waker: RefCell<Option<Waker>>,
}

impl<F> Drops for Slot<F> {
    fn drop_now(&self) {
        // A future cannot be dropped while it is being polled (it would be
        // cancelling itself): then it goes at its next poll instead.
        if let Ok(mut future) = self.future.try_borrow_mut() {
            drop(future.take());
        }
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

impl CancelHandle {
    /// A handle whose cancelled futures finish with `error`.
    pub fn new(error: OpError) -> Self {
        Self(Rc::new(Shared {
            cancelled: Cell::new(false),
            error,
            running: RefCell::new(Vec::new()),
        }))
    }

    /// Whether [`CancelHandle::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.cancelled.get()
    }

    /// Cancels: every future running under this handle is dropped now and
    /// finishes with the handle's error; futures run later finish with it
    /// without starting.
    pub fn cancel(&self) {
        if self.0.cancelled.replace(true) {
            return;
        }
        let running = std::mem::take(&mut *self.0.running.borrow_mut());
        for slot in running.iter().filter_map(Weak::upgrade) {
            slot.drop_now();
        }
    }

    /// Runs `future` under this handle: its output, or the handle's error
    /// if the handle is cancelled first.
    pub fn run<F: Future + 'static>(&self, future: F) -> Cancelable<F> {
        let slot = Rc::new(Slot {
            future: RefCell::new((!self.is_cancelled()).then(|| Box::pin(future))),
            waker: RefCell::new(None),
        });
        let mut running = self.0.running.borrow_mut();
        running.retain(|s| s.strong_count() > 0);
        running.push(Rc::downgrade(&slot) as Weak<dyn Drops>);
        Cancelable {
            slot,
            handle: self.clone(),
        }
    }
}

impl std::fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelHandle")
            .field("cancelled", &self.is_cancelled())
            .finish_non_exhaustive()
    }
}

/// A future run under a [`CancelHandle`] (see [`CancelHandle::run`]).
#[must_use = "futures do nothing unless polled"]
pub struct Cancelable<F> {
    slot: Rc<Slot<F>>,
    handle: CancelHandle,
}

impl<F: Future> Future for Cancelable<F> {
    type Output = Result<F::Output, OpError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let slot = &self.slot;
        if self.handle.is_cancelled() {
            drop(slot.future.borrow_mut().take());
            return Poll::Ready(Err(self.handle.0.error.clone_shallow()));
        }
        let mut future = slot.future.borrow_mut();
        let Some(inner) = future.as_mut() else {
            return Poll::Ready(Err(self.handle.0.error.clone_shallow()));
        };
        match inner.as_mut().poll(cx) {
            Poll::Ready(output) => {
                future.take();
                Poll::Ready(Ok(output))
            }
            Poll::Pending => {
                let mut waker = slot.waker.borrow_mut();
                if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    *waker = Some(cx.waker().clone());
                }
                Poll::Pending
            }
        }
    }
}

impl<F> std::fmt::Debug for Cancelable<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cancelable")
            .field("cancelled", &self.handle.is_cancelled())
            .finish_non_exhaustive()
    }
}
