//! [`Throw`]: why an op call failed, and turning it (or a panic) into the JS
//! exception that names the op and the argument.

use std::any::Any;

use crate::OpError;
use crate::convert::ConvError;
use crate::convert::output::RetError;
use crate::error::to_js::throw_error;
use crate::ops::OpDecl;
use crate::ops::ctx::StateBorrowed;

/// Why an op call failed; thrown into JS by [`throw`].
#[doc(hidden)]
#[derive(Debug)]
pub enum Throw {
    /// Argument `index` (0-based, JS position) did not convert.
    Arg(usize, ConvError),
    /// The op returned an error.
    Op(OpError),
    /// The op's return value did not convert.
    Ret(ConvError),
    /// The op's `OpState` was already borrowed (a re-entrant call).
    StateBorrowed,
    /// A `#[serde]` argument (0-based JS position) did not deserialize.
    Serde(usize, crate::serde_v8::Error),
    /// A `&mut [u8]` argument overlaps another buffer argument.
    Overlap(usize, usize),
    /// An async op's raw function was called without an int32 promise id
    /// first (only its JS wrapper calls it, always with one).
    NoPromiseId,
}

impl From<RetError> for Throw {
    #[inline]
    fn from(err: RetError) -> Self {
        match err {
            RetError::Op(e) => Throw::Op(e),
            RetError::Conversion(e) => Throw::Ret(e),
        }
    }
}

impl From<StateBorrowed> for Throw {
    #[inline]
    fn from(_: StateBorrowed) -> Self {
        Throw::StateBorrowed
    }
}

/// Throws the exception for `throw` in op `decl`.
pub(crate) fn throw(scope: &mut v8::PinScope<'_, '_>, decl: &OpDecl, throw: Throw) {
    let op = decl.name();
    let name = |i: usize| decl.args().get(i).map_or("?", |a| a.name);
    match throw {
        Throw::Arg(index, err) => {
            let message = format!("{op}: argument '{}' (#{}) {err}", name(index), index + 1);
            throw_error(scope, "TypeError", &message, None);
        }
        Throw::Op(err) => throw_error(scope, err.class(), &err.message_for(op), err.code()),
        Throw::Ret(err) => {
            let message = format!("{op}: return value: {err}");
            throw_error(scope, "RangeError", &message, None);
        }
        Throw::Serde(index, err) => {
            let sep = if err.path().is_empty() { " " } else { ": " };
            let message = format!(
                "{op}: argument '{}' (#{}){sep}{err}",
                name(index),
                index + 1
            );
            throw_error(scope, "TypeError", &message, None);
        }
        Throw::Overlap(index, other) => {
            let message = format!(
                "{op}: argument '{}' (#{}) overlaps argument '{}' (#{}); a mutable buffer cannot share memory with another argument",
                name(index),
                index + 1,
                name(other),
                other + 1
            );
            throw_error(scope, "TypeError", &message, None);
        }
        Throw::StateBorrowed => {
            let message =
                format!("{op}: OpState is already borrowed (is this a re-entrant op call?)");
            throw_error(scope, "Error", &message, None);
        }
        Throw::NoPromiseId => {
            let message = format!(
                "{op}: called without a promise id (async ops are called through `ops.{op}`)"
            );
            throw_error(scope, "TypeError", &message, None);
        }
    }
}

/// Throws `Error("<op> panicked: <message>")` for a caught panic.
pub(crate) fn throw_panic(
    scope: &mut v8::PinScope<'_, '_>,
    decl: &OpDecl,
    payload: &(dyn Any + Send),
) {
    let err = OpError::from_panic(decl.name(), payload);
    throw_error(scope, err.class(), err.message(), None);
}
