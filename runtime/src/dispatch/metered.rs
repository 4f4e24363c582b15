//! Op metrics on the call paths: the slow-callback trampoline a runtime
//! with metrics registers, and the wrapper that times async ops. A runtime
//! without metrics never reaches this code.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Instant;

use crate::convert::output::OpOutput;
use crate::ops::ctx::OpCtx;
use crate::ops::metrics::MetricsCell;

/// The V8 callback of an op in a runtime with metrics: counts the call,
/// then runs the op's own callback.
///
/// # Safety
///
/// As the op's own callback: `info` is what V8 passed to a function the
/// runtime created for an op, whose data is the op's live context.
pub(crate) unsafe extern "C" fn metered_slow(info: *const v8::FunctionCallbackInfo) {
    // SAFETY: V8 passes a valid info pointer that outlives the callback.
    let args = v8::FunctionCallbackArguments::from_function_callback_info(unsafe { &*info });
    // SAFETY: the runtime made the data an External for the live OpCtx.
    let ctx = unsafe { OpCtx::from_data(args.data()) };
    if let Some(metrics) = &ctx.metrics {
        metrics.update(|m| m.slow_calls += 1);
    }
    // SAFETY: forwarded from our caller.
    unsafe { (ctx.decl.slow())(info) };
}

/// Counts a fast call of the op behind `ctx`.
#[inline]
pub(crate) fn fast_call(ctx: &OpCtx) {
    if let Some(metrics) = &ctx.metrics {
        metrics.update(|m| m.fast_calls += 1);
    }
}

/// An async op's future, timed for its metrics: started when made,
/// completed (with its duration, failed or not) when it yields its output.
pub(crate) struct Metered<F> {
    future: Pin<Box<F>>,
    metrics: Rc<MetricsCell>,
    started: Instant,
}

impl<F: Future<Output = OpOutput>> Metered<F> {
    /// Starts timing `future`.
    pub(crate) fn new(future: Pin<Box<F>>, metrics: Rc<MetricsCell>) -> Self {
        metrics.update(|m| {
            m.async_started += 1;
            m.pending += 1;
        });
        Self {
            future,
            metrics,
            started: Instant::now(),
        }
    }
}

impl<F: Future<Output = OpOutput>> Future for Metered<F> {
    type Output = OpOutput;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<OpOutput> {
        let output = std::task::ready!(self.future.as_mut().poll(cx));
        self.metrics
            .completed(self.started.elapsed(), output.is_failure());
        Poll::Ready(output)
    }
}
