//! [`OpFuture`]: a pending async op, and the [`Completion`] it turns into.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::OpError;
use crate::convert::output::OpOutput;

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
    /// The id of the promise it settles.
    pub(crate) fn promise_id(&self) -> i32 {
        self.promise_id
    }

    /// The op's name.
    pub(crate) fn op(&self) -> &'static str {
        self.op
    }

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

impl Future for OpFuture {
    type Output = Completion;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Completion> {
        let this = &mut *self;
        // A panic while polling is the op's failure, not the event loop's.
        let polled = catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx)));
        let output = match polled {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(output)) => output,
            Err(panic) => OpOutput::Error(OpError::from_panic(this.op, panic.as_ref())),
        };
        Poll::Ready(Completion {
            promise_id: this.promise_id,
            op: this.op,
            output,
        })
    }
}
