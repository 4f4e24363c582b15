//! The V8 Fast API path of async ops whose arguments and output fit it.
//!
//! The JS wrapper passes the promise id first, as an `Int32`. The future is
//! polled once (unless the op is lazy): a ready `Ok` output goes back as the
//! fast function's C return value with the status "resolved now", exactly as
//! on the slow path. Anything else joins the runtime's pending set under the
//! promise id (a ready error too: its promise rejects on the next event-loop
//! turn, since a fast call can only return a C value). Argument errors and
//! panics are thrown, as on the slow path.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::{Context, Poll};

use super::async_op::{self, IntoOutput, Start};
use super::fast::{
    FastApiCallbackOptions, FastCx, FastFail, FastRet, Origin, count_fast_call, finish,
};
use super::metered;
use crate::convert::output::{IntoOpOutput, OpOutput};
use crate::event_loop::{OpFuture, Status};
use crate::ops::ctx::OpCtx;

/// Runs an async op's fast path: the shared part of every generated fast
/// function of an async op.
///
/// # Safety
///
/// As [`dispatch_fast`](super::fast::dispatch_fast), which `metered` is
/// also as.
#[doc(hidden)]
#[inline(always)]
pub unsafe fn dispatch_fast_async<'a, F, Fut>(
    options: *mut FastApiCallbackOptions<'a>,
    promise_id: i32,
    start: Start,
    metered: bool,
    f: F,
) -> <Fut::Output as FastRet>::Raw
where
    F: FnOnce(&FastCx<'a>) -> Result<Fut, FastFail>,
    Fut: Future + 'static,
    Fut::Output: FastRet + IntoOpOutput,
{
    count_fast_call();
    let cx = FastCx::new(options);
    if metered {
        metered::fast_call(cx.ctx());
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<_, FastFail> {
        let ctx = cx.ctx();
        let mut future = Box::pin(IntoOutput::new(f(&cx)?));
        if start == Start::Eager {
            let mut context = Context::from_waker(futures::task::noop_waker_ref());
            if let Poll::Ready(output) = future.as_mut().inner().poll(&mut context) {
                return Ok(settle_now(ctx, promise_id, output));
            }
        }
        let future = async_op::metered(ctx, future);
        ctx.event_loop
            .push(OpFuture::new(promise_id, ctx.decl.name(), future));
        Ok(Default::default())
    }));
    // SAFETY: forwarded from our caller.
    unsafe { finish(Origin::Options(options), outcome) }
}

/// The raw value of an output ready during the call, marked "resolved now";
/// an error is settled through the event loop instead.
fn settle_now<T: FastRet>(ctx: &OpCtx, promise_id: i32, output: T) -> T::Raw {
    match output.into_raw() {
        Ok(raw) => {
            if let Some(metrics) = &ctx.metrics {
                metrics.settled_at_once(false);
            }
            ctx.event_loop.set_status(Status::Resolved);
            raw
        }
        Err(err) => {
            let output = Box::pin(std::future::ready(OpOutput::from(err)));
            let future = async_op::metered(ctx, output);
            ctx.event_loop
                .push(OpFuture::new(promise_id, ctx.decl.name(), future));
            T::Raw::default()
        }
    }
}
