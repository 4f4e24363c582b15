//! What a [`JsCallback`](super::JsCallback) shares with its runtime, and
//! what one queued call carries. Everything here is `Send + Sync`; the V8
//! side is in `registry.rs`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::ThreadId;

use futures::channel::oneshot;
use futures::task::AtomicWaker;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::args::CallbackArgs;
use crate::convert::FromV8;
use crate::error::Error;
use crate::error::op_error::panic_message;

/// How many calls made on other threads may wait in a runtime's queue; a
/// caller beyond that waits for room.
pub(crate) const CAPACITY: usize = 1024;

/// What a runtime and its callback handles share.
pub(crate) struct Shared {
    /// The queue of calls; the runtime holds the receiver.
    calls: mpsc::UnboundedSender<QueuedCall>,
    /// Room for calls from other threads: a permit per queued call.
    room: Arc<Semaphore>,
    /// Registered functions whose handles keep the event loop alive.
    refs: AtomicUsize,
    /// Ids of functions whose last handle was dropped, for the runtime to
    /// forget.
    released: Mutex<Vec<u64>>,
    /// The task driving the event loop, woken when the keep-alive count
    /// falls to zero or a function is released.
    pub(super) waker: AtomicWaker,
    /// The runtime's thread: calls made there never wait for room (the
    /// loop cannot run while its own thread waits).
    thread: ThreadId,
}

impl Shared {
    /// A runtime's side, made on its thread, and the receiving end of its
    /// queue.
    pub(super) fn new() -> (Arc<Self>, mpsc::UnboundedReceiver<QueuedCall>) {
        let (calls, receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Self {
            calls,
            room: Arc::new(Semaphore::new(CAPACITY)),
            refs: AtomicUsize::new(0),
            released: Mutex::new(Vec::new()),
            waker: AtomicWaker::new(),
            thread: std::thread::current().id(),
        });
        (shared, receiver)
    }

    /// How many registered functions keep the loop alive.
    pub(super) fn refs(&self) -> usize {
        self.refs.load(Ordering::SeqCst)
    }

    /// The functions released since the last call.
    pub(super) fn take_released(&self) -> Vec<u64> {
        std::mem::take(&mut *self.released.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The runtime is gone: callers waiting for room fail at once.
    pub(super) fn close(&self) {
        self.room.close();
    }

    fn unref_one(&self) {
        if self.refs.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.waker.wake();
        }
    }
}

/// One registered function, shared by every clone of its handles (and by
/// its queued calls, so it outlives them).
pub(crate) struct Entry {
    pub(super) id: u64,
    refed: AtomicBool,
    shared: Arc<Shared>,
}

impl Entry {
    /// A referenced function with id `id`.
    pub(super) fn new(id: u64, shared: Arc<Shared>) -> Self {
        shared.refs.fetch_add(1, Ordering::SeqCst);
        Self {
            id,
            refed: AtomicBool::new(true),
            shared,
        }
    }

    pub(super) fn unref(&self) {
        if self.refed.swap(false, Ordering::SeqCst) {
            self.shared.unref_one();
        }
    }

    pub(super) fn reference(&self) {
        if !self.refed.swap(true, Ordering::SeqCst) {
            self.shared.refs.fetch_add(1, Ordering::SeqCst);
        }
    }

    pub(super) fn is_referenced(&self) -> bool {
        self.refed.load(Ordering::SeqCst)
    }

    fn on_runtime_thread(&self) -> bool {
        std::thread::current().id() == self.shared.thread
    }

    /// Queues a call: at once on the runtime's thread, otherwise once there
    /// is room.
    pub(super) async fn enqueue(
        self: Arc<Self>,
        invocation: Box<dyn Invocation>,
    ) -> Result<(), Error> {
        let permit = if self.on_runtime_thread() {
            None
        } else {
            let room = self.shared.room.clone().acquire_owned().await;
            Some(room.map_err(|_| Error::RuntimeDropped)?)
        };
        self.send(invocation, permit)
    }

    /// Like [`Entry::enqueue`], blocking the thread while there is no room.
    pub(super) fn enqueue_blocking(
        self: Arc<Self>,
        invocation: Box<dyn Invocation>,
    ) -> Result<(), Error> {
        if self.on_runtime_thread() {
            return self.send(invocation, None);
        }
        let room = futures::executor::block_on(self.shared.room.clone().acquire_owned());
        let permit = room.map_err(|_| Error::RuntimeDropped)?;
        self.send(invocation, Some(permit))
    }

    fn send(
        self: Arc<Self>,
        invocation: Box<dyn Invocation>,
        permit: Option<OwnedSemaphorePermit>,
    ) -> Result<(), Error> {
        let shared = self.shared.clone();
        let call = QueuedCall {
            entry: self,
            invocation,
            permit,
        };
        shared.calls.send(call).map_err(|_| Error::RuntimeDropped)
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.unref();
        self.shared
            .released
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(self.id);
        self.shared.waker.wake();
    }
}

/// A call waiting in the queue.
pub(crate) struct QueuedCall {
    /// The function; holding it keeps it registered until the call ran.
    pub(super) entry: Arc<Entry>,
    pub(super) invocation: Box<dyn Invocation>,
    /// Room taken by a call from another thread, given back at the end of
    /// the loop's pass that runs the call.
    pub(super) permit: Option<OwnedSemaphorePermit>,
}

/// A call's Rust side: its arguments, and where its result goes.
pub(crate) trait Invocation: Send {
    /// Converts the arguments (once), on the runtime's thread.
    fn args<'s>(
        &mut self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<Vec<v8::Local<'s, v8::Value>>, Error>;

    /// Whether a Rust caller waits for the result (not a call made with
    /// `fire`, nor one whose caller dropped its future).
    fn awaited(&self) -> bool;

    /// Hands the caller the function's result (for an async function, what
    /// its promise settled with), converted; or the error.
    fn settle<'s>(
        self: Box<Self>,
        scope: &mut v8::PinScope<'s, '_>,
        outcome: Result<v8::Local<'s, v8::Value>, Error>,
    );
}

/// Where a call's converted result goes (`None`: nowhere, for `fire`).
pub(super) type Reply<R> = Option<oneshot::Sender<Result<R, Error>>>;

/// A call with arguments `A` whose caller wants an `R`.
pub(super) struct Call<A, R> {
    pub(super) args: Option<A>,
    pub(super) reply: Reply<R>,
}

impl<A, R> Invocation for Call<A, R>
where
    A: CallbackArgs,
    R: for<'s> FromV8<'s> + Send + 'static,
{
    fn args<'s>(
        &mut self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<Vec<v8::Local<'s, v8::Value>>, Error> {
        let args = self
            .args
            .take()
            .ok_or_else(|| Error::Conversion("callback arguments: already converted".into()))?;
        // A panicking `ToV8` is this call's failure, not the event loop's.
        match catch_unwind(AssertUnwindSafe(|| args.to_v8_args(scope))) {
            Ok(Ok(values)) => Ok(values),
            Ok(Err(e)) => Err(Error::Conversion(format!("callback {e}"))),
            Err(panic) => Err(Error::Conversion(panicked(
                "callback argument conversion",
                panic.as_ref(),
            ))),
        }
    }

    fn awaited(&self) -> bool {
        self.reply.as_ref().is_some_and(|r| !r.is_canceled())
    }

    fn settle<'s>(
        self: Box<Self>,
        scope: &mut v8::PinScope<'s, '_>,
        outcome: Result<v8::Local<'s, v8::Value>, Error>,
    ) {
        let Some(reply) = self.reply else {
            return;
        };
        let result = outcome.and_then(|value| {
            match catch_unwind(AssertUnwindSafe(|| R::from_v8(scope, value))) {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(e)) => Err(Error::Conversion(format!("callback result: {e}"))),
                Err(panic) => Err(Error::Conversion(panicked(
                    "callback result conversion",
                    panic.as_ref(),
                ))),
            }
        });
        // The caller may have stopped waiting.
        let _ = reply.send(result);
    }
}

/// `"<what> panicked: <message>"`.
fn panicked(what: &str, payload: &(dyn std::any::Any + Send)) -> String {
    format!("{what} panicked: {}", panic_message(payload))
}
