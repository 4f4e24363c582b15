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
///
/// Boxed: failing is rare, and a one-word error keeps an op's `Result`s in
/// registers, so the success path of a fast call needs no stack frame.
#[doc(hidden)]
pub struct Throw(Box<Failure>);

/// Where a class value came from, for error messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Site {
    /// The receiver, `this`.
    This,
    /// JS argument `index` (0-based).
    Arg(usize),
}

/// The kinds of [`Throw`].
#[derive(Debug)]
pub(crate) enum Failure {
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
    /// A class member was called on an object that is not an instance of
    /// its class.
    Receiver(ConvError),
    /// A class value (of the named class) is borrowed in a way that
    /// conflicts with this call.
    InUse(&'static str, Site),
    /// A class constructor was called without `new`.
    NotConstructCall,
    /// JS code run by a conversion (a getter, a proxy trap) threw; that
    /// exception is already on its way to the caller.
    Rethrown,
}

impl Throw {
    /// Argument `index` (0-based, JS position) did not convert.
    #[cold]
    #[inline(never)]
    pub(crate) fn arg(index: usize, err: ConvError) -> Self {
        Failure::Arg(index, err).into()
    }

    /// The op returned an error.
    #[cold]
    #[inline(never)]
    pub(crate) fn op(err: OpError) -> Self {
        Failure::Op(err).into()
    }

    /// The op's return value did not convert.
    #[cold]
    #[inline(never)]
    pub(crate) fn ret(err: ConvError) -> Self {
        Failure::Ret(err).into()
    }

    /// A `#[serde]` argument did not deserialize.
    #[cold]
    #[inline(never)]
    pub(crate) fn serde(index: usize, err: crate::serde_v8::Error) -> Self {
        Failure::Serde(index, err).into()
    }
}

impl From<Failure> for Throw {
    #[cold]
    #[inline(never)]
    fn from(failure: Failure) -> Self {
        Throw(Box::new(failure))
    }
}

impl std::fmt::Debug for Throw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl From<RetError> for Throw {
    #[inline]
    fn from(err: RetError) -> Self {
        match err {
            RetError::Op(e) => Throw::op(e),
            RetError::Conversion(e) => Throw::ret(e),
        }
    }
}

impl From<StateBorrowed> for Throw {
    #[inline]
    fn from(_: StateBorrowed) -> Self {
        Failure::StateBorrowed.into()
    }
}

/// Throws the exception for `throw` in op `decl`.
pub(crate) fn throw(scope: &mut v8::PinScope<'_, '_>, decl: &OpDecl, throw: Throw) {
    let op = decl.name();
    let name = |i: usize| decl.args().get(i).map_or("?", |a| a.name);
    match *throw.0 {
        Failure::Arg(index, err) => {
            let message = format!("{op}: argument '{}' (#{}) {err}", name(index), index + 1);
            throw_error(scope, "TypeError", &message, None);
        }
        Failure::Op(err) => throw_error(scope, err.class(), &err.message_for(op), err.code()),
        Failure::Ret(err) => {
            let message = format!("{op}: return value: {err}");
            throw_error(scope, "RangeError", &message, None);
        }
        Failure::Serde(index, err) => {
            let sep = if err.depth() == 0 { " " } else { ": " };
            let message = format!(
                "{op}: argument '{}' (#{}){sep}{err}",
                name(index),
                index + 1
            );
            throw_error(scope, "TypeError", &message, None);
        }
        Failure::Overlap(index, other) => {
            let message = format!(
                "{op}: argument '{}' (#{}) overlaps argument '{}' (#{}); a mutable buffer cannot share memory with another argument",
                name(index),
                index + 1,
                name(other),
                other + 1
            );
            throw_error(scope, "TypeError", &message, None);
        }
        Failure::StateBorrowed => {
            let message =
                format!("{op}: OpState is already borrowed (is this a re-entrant op call?)");
            throw_error(scope, "Error", &message, None);
        }
        Failure::Receiver(err) => {
            let message = format!("{op}: receiver 'this' {err}");
            throw_error(scope, "TypeError", &message, None);
        }
        Failure::InUse(class, site) => {
            let what = match site {
                Site::This => String::from("'this'"),
                Site::Arg(i) => format!("argument '{}' (#{})", name(i), i + 1),
            };
            let message = format!(
                "{op}: {what}: the {class} is in use (a call in progress borrows it, \
                 or an async method holds it)"
            );
            throw_error(scope, "TypeError", &message, None);
        }
        Failure::NotConstructCall => {
            let class = op.strip_prefix("new ").unwrap_or(op);
            let message = format!("Class constructor {class} cannot be invoked without 'new'");
            throw_error(scope, "TypeError", &message, None);
        }
        Failure::Rethrown => {}
        Failure::NoPromiseId => {
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
