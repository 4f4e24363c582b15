//! [`OpOutput`]: an async op's result, converted off the JS thread's scope
//! and turned into a JS value when its promise settles; [`RetError`]: why
//! an op's result does not reach JS as a value. [`OpOutput::settle`] is the
//! one place an async result becomes the value or error of its promise.

use std::borrow::Cow;

use super::buffer::new_uint8_array;
use super::conv_error::ConvError;
use super::int64::{AsBigInt, AsNumber};
use super::number::{Int64, new_bigint, to_safe_number};
use super::traits::ToV8;
use crate::OpError;
use crate::error::to_js::new_error;

type Deferred = Box<
    dyn for<'s> FnOnce(&mut v8::PinScope<'s, '_>) -> Result<v8::Local<'s, v8::Value>, ConvError>,
>;

/// The settled value of an async op, held until its promise is resolved.
/// Common values need no allocation; anything else is a deferred conversion.
#[doc(hidden)]
pub enum OpOutput {
    /// `undefined`.
    Undefined,
    /// `null` (a `None`).
    Null,
    /// A boolean.
    Bool(bool),
    /// A Number from an integer.
    Int(i32),
    /// A Number from an unsigned integer.
    Uint(u32),
    /// A Number.
    Number(f64),
    /// A string.
    String(Cow<'static, str>),
    /// A BigInt.
    BigInt(i128),
    /// A value converted when the promise resolves.
    Deferred(Deferred),
    /// The op failed: the promise rejects with this error.
    Error(OpError),
    /// The value had no JS form: the promise rejects with a `RangeError`.
    Conversion(ConvError),
    /// The promise rejects with this JS value (an aborted signal's reason).
    Reject(v8::Global<v8::Value>),
}

impl std::fmt::Debug for OpOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpOutput::Deferred(_) => f.write_str("Deferred"),
            OpOutput::Error(e) => write!(f, "Error({e})"),
            OpOutput::Conversion(e) => write!(f, "Conversion({e})"),
            _ => f.write_str("OpOutput"),
        }
    }
}

impl OpOutput {
    /// Whether the promise will reject.
    pub(crate) fn is_failure(&self) -> bool {
        matches!(
            self,
            OpOutput::Error(_) | OpOutput::Conversion(_) | OpOutput::Reject(_)
        )
    }

    /// Settles op `op`'s output: `(true, value)` to resolve its promise
    /// with, or `(false, error)` to reject it with.
    pub(crate) fn settle<'s>(
        self,
        scope: &mut v8::PinScope<'s, '_>,
        op: &str,
    ) -> (bool, v8::Local<'s, v8::Value>) {
        let converted = match self {
            OpOutput::Undefined => Ok(v8::undefined(scope).into()),
            OpOutput::Null => Ok(v8::null(scope).into()),
            OpOutput::Bool(b) => Ok(v8::Boolean::new(scope, b).into()),
            OpOutput::Int(i) => Ok(v8::Integer::new(scope, i).into()),
            OpOutput::Uint(u) => Ok(v8::Integer::new_from_unsigned(scope, u).into()),
            OpOutput::Number(n) => Ok(v8::Number::new(scope, n).into()),
            OpOutput::String(s) => s.to_v8(scope),
            OpOutput::BigInt(v) => new_bigint(scope, v).map(Into::into),
            OpOutput::Deferred(f) => f(scope),
            OpOutput::Error(e) => return (false, RetError::Op(e).into_js(scope, op)),
            OpOutput::Conversion(e) => Err(e),
            OpOutput::Reject(reason) => return (false, v8::Local::new(scope, reason)),
        };
        match converted {
            Ok(value) => (true, value),
            Err(e) => (false, RetError::Conversion(e).into_js(scope, op)),
        }
    }
}

/// Why an op's result does not reach JS as a value: the op failed, or its
/// value has no JS form. These are the only ways a fast-path result fails.
#[doc(hidden)]
#[derive(Debug)]
pub enum RetError {
    /// The op returned an error.
    Op(OpError),
    /// The value had no JS form.
    Conversion(ConvError),
}

impl RetError {
    /// The JS error of op `op`: the op's own error, or a `RangeError`
    /// naming the op's return value.
    pub(crate) fn into_js<'s>(
        self,
        scope: &mut v8::PinScope<'s, '_>,
        op: &str,
    ) -> v8::Local<'s, v8::Value> {
        match self {
            RetError::Op(err) => new_error(scope, err.class(), &err.message_for(op), err.code()),
            RetError::Conversion(err) => {
                let message = format!("{op}: return value: {err}");
                new_error(scope, "RangeError", &message, None)
            }
        }
    }
}

impl From<RetError> for OpOutput {
    fn from(err: RetError) -> Self {
        match err {
            RetError::Op(e) => OpOutput::Error(e),
            RetError::Conversion(e) => OpOutput::Conversion(e),
        }
    }
}

/// A value an async op can produce.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the result of an async op",
    note = "async ops return (), bool, numbers, String, &'static str, Option<T>, Result<T, E>, \
            v8::Global<T>, or #[bigint]/#[number] 64-bit integers"
)]
pub trait IntoOpOutput: 'static {
    /// Converts, without needing V8.
    fn into_output(self) -> OpOutput;
}

impl IntoOpOutput for OpOutput {
    fn into_output(self) -> OpOutput {
        self
    }
}

impl IntoOpOutput for () {
    fn into_output(self) -> OpOutput {
        OpOutput::Undefined
    }
}

impl IntoOpOutput for bool {
    fn into_output(self) -> OpOutput {
        OpOutput::Bool(self)
    }
}

macro_rules! numbers {
    ($($t:ty => $variant:ident($via:ty)),*) => {$(
        impl IntoOpOutput for $t {
            fn into_output(self) -> OpOutput {
                OpOutput::$variant(<$via>::from(self))
            }
        }
    )*};
}
numbers!(
    i8 => Int(i32), i16 => Int(i32), i32 => Int(i32), u8 => Uint(u32), u16 => Uint(u32), u32 => Uint(u32),
    f32 => Number(f64), f64 => Number(f64)
);

impl IntoOpOutput for String {
    fn into_output(self) -> OpOutput {
        OpOutput::String(Cow::Owned(self))
    }
}

impl IntoOpOutput for &'static str {
    fn into_output(self) -> OpOutput {
        OpOutput::String(Cow::Borrowed(self))
    }
}

impl IntoOpOutput for Cow<'static, str> {
    fn into_output(self) -> OpOutput {
        OpOutput::String(self)
    }
}

impl<T: IntoOpOutput> IntoOpOutput for Option<T> {
    fn into_output(self) -> OpOutput {
        self.map_or(OpOutput::Null, IntoOpOutput::into_output)
    }
}

impl<T: IntoOpOutput, E: Into<OpError> + 'static> IntoOpOutput for Result<T, E> {
    fn into_output(self) -> OpOutput {
        match self {
            Ok(v) => v.into_output(),
            Err(e) => OpOutput::Error(e.into()),
        }
    }
}

impl<T: Int64> IntoOpOutput for AsBigInt<T> {
    fn into_output(self) -> OpOutput {
        OpOutput::BigInt(self.0.to_i128())
    }
}

impl<T: Int64> IntoOpOutput for AsNumber<T> {
    fn into_output(self) -> OpOutput {
        match to_safe_number(self.0) {
            Ok(n) => OpOutput::Number(n),
            Err(e) => OpOutput::Conversion(e),
        }
    }
}

impl<T: 'static> IntoOpOutput for v8::Global<T>
where
    for<'s> v8::Local<'s, T>: Into<v8::Local<'s, v8::Value>>,
{
    fn into_output(self) -> OpOutput {
        OpOutput::Deferred(Box::new(move |scope| {
            Ok(v8::Local::new(scope, &self).into())
        }))
    }
}

impl IntoOpOutput for Vec<u8> {
    fn into_output(self) -> OpOutput {
        OpOutput::Deferred(Box::new(move |scope| {
            Ok(new_uint8_array(scope, self.into_boxed_slice()))
        }))
    }
}

impl IntoOpOutput for Box<[u8]> {
    fn into_output(self) -> OpOutput {
        OpOutput::Deferred(Box::new(move |scope| Ok(new_uint8_array(scope, self))))
    }
}

impl IntoOpOutput for bytes::Bytes {
    fn into_output(self) -> OpOutput {
        Vec::from(self).into_output()
    }
}
