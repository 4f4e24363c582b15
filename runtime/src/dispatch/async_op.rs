//! The body of every async op callback. JS calls the op through a wrapper
//! (in `core.js`) that passes a promise id first. The op's future is polled
//! once right away ("eager polling", unless the op is `lazy`): if it is
//! already done, the result goes straight back to the wrapper, which settles
//! a promise with it; otherwise the future joins the runtime's pending set
//! under that id and the wrapper returns a promise that the event loop
//! settles later.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::FutureExt;

use super::metered::Metered;
use super::sync::{CallCx, dispatch};
use super::throw::{Failure, Throw};
use crate::OpError;
use crate::convert::output::{IntoOpOutput, OpOutput};
use crate::event_loop::{OpFuture, Status};
use crate::ops::ctx::OpCtx;
use crate::resources::AbortSignal;

/// How an async op starts.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Poll the future once during the call.
    Eager,
    /// Only poll it from the event loop.
    Lazy,
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

impl CallCx<'_, '_> {
    /// The promise id an async op's JS wrapper passed first.
    #[inline]
    fn promise_id(&self) -> Result<i32, Throw> {
        let id = self.args.get(0);
        if !id.is_int32() {
            return Err(Failure::NoPromiseId.into());
        }
        // SAFETY: an int32 value is an Int32.
        Ok(unsafe { v8::Local::<v8::Int32>::cast_unchecked(id) }.value())
    }

    /// Hands an eagerly finished async op's result to its JS wrapper, with
    /// the status that says whether to resolve or reject.
    fn settle_now(&mut self, output: OpOutput) {
        let (ok, value) = output.settle(self.scope, self.ctx.decl.name());
        self.rv.set(value);
        let status = if ok {
            Status::Resolved
        } else {
            Status::Rejected
        };
        self.ctx.event_loop.set_status(status);
    }
}

/// Runs an async op: the shared part of every generated async callback.
///
/// # Safety
///
/// As [`dispatch_sync`](super::sync::dispatch_sync).
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
        dispatch(info, 1, |cx| {
            let promise_id = cx.promise_id()?;
            let future = IntoOutput::new(f(cx)?);
            match cx.signal.take() {
                None => cx.start(promise_id, start, future),
                Some(signal) if signal.aborted() => {
                    // Rejects without starting: the future is never polled.
                    cx.settle_at_once(aborted(&signal));
                }
                Some(signal) => {
                    let future = signal.run(future).map(move |done| match done {
                        Ok(output) => output,
                        Err(_) => aborted(&signal),
                    });
                    cx.start(promise_id, start, future);
                }
            }
            Ok(())
        });
    }
}

/// The output of an op whose signal aborted: a rejection with its reason.
fn aborted(signal: &AbortSignal) -> OpOutput {
    match signal.reason() {
        Some(reason) => OpOutput::Reject(reason),
        None => OpOutput::Error(OpError::new("AbortError", "the operation was aborted")),
    }
}

impl CallCx<'_, '_> {
    /// Starts an async op's future: polled once now (unless lazy), settled
    /// at once if ready, otherwise handed to the event loop.
    fn start<F>(&mut self, promise_id: i32, start: Start, future: F)
    where
        F: Future<Output = OpOutput> + 'static,
    {
        let mut future = Box::pin(future);
        if start == Start::Eager {
            // Polled directly: `dispatch` already turns a panic here into a
            // JS error.
            let mut context = Context::from_waker(futures::task::noop_waker_ref());
            if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
                self.settle_at_once(output);
                return;
            }
        }
        let pending = OpFuture::new(promise_id, self.op_name(), metered(self.ctx, future));
        self.ctx.event_loop.push(pending);
    }

    /// Settles an async op during its call (counted in its metrics).
    fn settle_at_once(&mut self, output: OpOutput) {
        if let Some(metrics) = &self.ctx.metrics {
            metrics.settled_at_once(output.is_failure());
        }
        self.settle_now(output);
    }
}

/// `future`, timed when the op keeps metrics.
pub(crate) fn metered<F>(
    ctx: &OpCtx,
    future: Pin<Box<F>>,
) -> Pin<Box<dyn Future<Output = OpOutput>>>
where
    F: Future<Output = OpOutput> + 'static,
{
    match &ctx.metrics {
        None => future,
        Some(metrics) => Box::pin(Metered::new(future, metrics.clone())),
    }
}

/// Runs a `#[op(blocking)]` function on tokio's blocking pool; a panic there
/// becomes the op's error.
#[doc(hidden)]
pub fn blocking<R, F>(op: &'static str, f: F) -> impl Future<Output = Result<R, OpError>> + 'static
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let handle = tokio::task::spawn_blocking(f);
    async move {
        handle.await.map_err(|e| {
            if e.is_panic() {
                OpError::from_panic(op, e.into_panic().as_ref())
            } else {
                OpError::error(format!("{op} was cancelled"))
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

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use crate::event_loop::LoopState;
    use crate::ops::ctx::OpCtx;
    use crate::{JsRuntime, OpState, RuntimeOptions, op};

    #[op]
    async fn op_later(x: u32) -> u32 {
        x
    }

    /// Calls op `op_later`'s raw callback (what only its JS wrapper sees)
    /// with `args`, and returns the exception it throws. The op's context
    /// goes into `ctxs`, which must outlive the runtime.
    #[allow(
        clippy::vec_box,
        reason = "V8 functions hold the boxes' addresses; they must not move"
    )]
    fn raw_call_error(ctxs: &mut Vec<Box<OpCtx>>, rt: &mut JsRuntime, args: &str) -> String {
        let ctx = Box::new(OpCtx::new(
            op_later::DECL,
            Rc::new(RefCell::new(OpState::default())),
            Rc::new(LoopState::new()),
            false,
        ));
        rt.with_scope(|scope| {
            let ptr: *const OpCtx = &*ctx;
            let data = v8::External::new(scope, ptr.cast_mut().cast());
            let raw = v8::FunctionTemplate::builder_raw(op_later::DECL.slow())
                .data(data.into())
                .build(scope)
                .get_function(scope)
                .unwrap();
            let global = scope.get_current_context().global(scope);
            let key = v8::String::new(scope, "raw").unwrap();
            global.set(scope, key.into(), raw.into()).unwrap();
        });
        let source = format!(
            "try {{ raw({args}); 'no error' }} catch (e) {{ `${{e.name}}: ${{e.message}}` }}"
        );
        ctxs.push(ctx);
        rt.eval::<String>("raw.js", &source).unwrap()
    }

    #[test]
    fn a_raw_call_without_a_promise_id_throws() {
        let mut ctxs = Vec::new();
        let mut rt = JsRuntime::new(RuntimeOptions::default());
        let expected = "TypeError: op_later: called without a promise id (async ops are called through `ops.op_later`)";
        assert_eq!(raw_call_error(&mut ctxs, &mut rt, "'id', 1"), expected);
        assert_eq!(raw_call_error(&mut ctxs, &mut rt, "1.5, 1"), expected);
        // With an id, the same callback runs the op (settled at once).
        assert_eq!(raw_call_error(&mut ctxs, &mut rt, "7, 1"), "no error");
        drop(rt);
    }
}
