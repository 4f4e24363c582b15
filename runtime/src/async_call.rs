//! The body of every async op callback. JS calls the op through a wrapper
//! (in `core.js`) that passes a promise id first. The op's future is polled
//! once right away ("eager polling", unless the op is `lazy`): if it is
//! already done, the result goes straight back to the wrapper, which settles
//! a promise with it; otherwise the future joins the runtime's pending set
//! under that id and the wrapper returns a promise that the event loop
//! settles later.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::FutureExt;

use crate::call::{CallCx, Throw};
use crate::output::{IntoOpOutput, OpOutput};

/// How an async op starts.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Poll the future once during the call.
    Eager,
    /// Only poll it from the event loop.
    Lazy,
}

/// A finished async op, waiting for its promise to be settled.
pub(crate) struct Completion {
    pub(crate) promise_id: i32,
    pub(crate) op: &'static str,
    pub(crate) output: OpOutput,
}

/// A pending async op: its boxed future, and what it settles.
pub(crate) struct OpFuture {
    promise_id: i32,
    op: &'static str,
    future: Pin<Box<dyn Future<Output = OpOutput>>>,
}

impl OpFuture {
    pub(crate) fn new(
        promise_id: i32,
        op: &'static str,
        future: Pin<Box<dyn Future<Output = OpOutput>>>,
    ) -> Self {
        Self {
            promise_id,
            op,
            future,
        }
    }
}

/// A future whose output becomes an [`OpOutput`]; the inner future can be
/// polled on its own first (the fast path settles its raw output at once).
pub(crate) struct IntoOutput<F> {
    inner: F,
}

impl<F> IntoOutput<F> {
    pub(crate) fn new(inner: F) -> Self {
        Self { inner }
    }

    /// The inner future, pinned.
    pub(crate) fn inner(self: Pin<&mut Self>) -> Pin<&mut F> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of a
        // pinned `IntoOutput`, and `IntoOutput` has no `Drop` impl.
        unsafe { self.map_unchecked_mut(|s| &mut s.inner) }
    }
}

impl<F: Future> Future for IntoOutput<F>
where
    F::Output: IntoOpOutput,
{
    type Output = OpOutput;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<OpOutput> {
        self.inner().poll(cx).map(IntoOpOutput::into_output)
    }
}

impl Future for OpFuture {
    type Output = Completion;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Completion> {
        let this = &mut *self;
        // A panic while polling is the op's failure, not the event loop's.
        let polled = catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx)));
        let output = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(output)) => output,
            Err(panic) => OpOutput::Error(crate::throw::panic_error(this.op, panic.as_ref())),
        };
        Poll::Ready(Completion {
            promise_id: this.promise_id,
            op: this.op,
            output,
        })
    }
}

/// Runs an async op: the shared part of every generated async callback.
///
/// # Safety
///
/// As [`dispatch_sync`](crate::call::dispatch_sync).
#[doc(hidden)]
#[inline(always)]
pub unsafe fn dispatch_async<F, Fut>(info: *const v8::FunctionCallbackInfo, start: Start, f: F)
where
    F: for<'a, 's> FnOnce(&mut CallCx<'a, 's>) -> Result<Fut, Throw>,
    Fut: Future + 'static,
    Fut::Output: IntoOpOutput,
{
    // SAFETY: forwarded from our caller.
    unsafe {
        crate::call::dispatch(info, 1, |cx| {
            let promise_id = cx.promise_id();
            let future = f(cx)?;
            let mut pending =
                OpFuture::new(promise_id, cx.op_name(), Box::pin(IntoOutput::new(future)));
            if start == Start::Eager {
                // Polled directly: `dispatch` already turns a panic here into
                // a JS error.
                let mut context = Context::from_waker(futures::task::noop_waker_ref());
                if let Poll::Ready(output) = pending.future.as_mut().poll(&mut context) {
                    return cx.settle_now(output);
                }
            }
            cx.push_pending(pending);
            Ok(())
        });
    }
}

/// Runs a `#[op(blocking)]` function on tokio's blocking pool; a panic there
/// becomes the op's error.
#[doc(hidden)]
pub fn blocking<R, F>(
    op: &'static str,
    f: F,
) -> impl Future<Output = Result<R, crate::OpError>> + 'static
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let handle = tokio::task::spawn_blocking(f);
    async move {
        handle.await.map_err(|e| {
            if e.is_panic() {
                crate::throw::panic_error(op, e.into_panic().as_ref())
            } else {
                crate::OpError::error(format!("{op} was cancelled"))
            }
        })
    }
}

/// Wraps the 64-bit integers of a future's output for `#[bigint]`.
#[doc(hidden)]
pub fn map_bigint<F>(f: F) -> impl Future<Output = <F::Output as crate::convert::WrapBigInt>::Out>
where
    F: Future,
    F::Output: crate::convert::WrapBigInt,
{
    f.map(crate::convert::WrapBigInt::wrap_bigint)
}

/// Wraps the 64-bit integers of a future's output for `#[number]`.
#[doc(hidden)]
pub fn map_number<F>(f: F) -> impl Future<Output = <F::Output as crate::convert::WrapNumber>::Out>
where
    F: Future,
    F::Output: crate::convert::WrapNumber,
{
    f.map(crate::convert::WrapNumber::wrap_number)
}

/// Maps a future's output (used for `#[serde]` returns of async ops).
#[doc(hidden)]
pub fn map_output<F: Future, T>(f: F, map: impl FnOnce(F::Output) -> T) -> impl Future<Output = T> {
    f.map(map)
}
