//! [`OpOutput`]: an async op's result, converted off the JS thread's scope
//! and turned into a JS value when the event loop resolves its promise.

use std::borrow::Cow;

use crate::OpError;
use crate::convert::{AsBigInt, AsNumber, ConvError, Int64, MAX_SAFE_INTEGER, ToV8};

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
    /// The JS value, or the error to reject with.
    pub(crate) fn into_v8<'s>(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, Rejection> {
        Ok(match self {
            OpOutput::Undefined => v8::undefined(scope).into(),
            OpOutput::Null => v8::null(scope).into(),
            OpOutput::Bool(b) => v8::Boolean::new(scope, b).into(),
            OpOutput::Int(i) => v8::Integer::new(scope, i).into(),
            OpOutput::Uint(u) => v8::Integer::new_from_unsigned(scope, u).into(),
            OpOutput::Number(n) => v8::Number::new(scope, n).into(),
            OpOutput::String(s) => s.to_v8(scope).map_err(Rejection::Conversion)?,
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "range checked by the branch"
            )]
            OpOutput::BigInt(v) => {
                if v < 0 {
                    v8::BigInt::new_from_i64(scope, v as i64).into()
                } else {
                    v8::BigInt::new_from_u64(scope, v as u64).into()
                }
            }
            OpOutput::Deferred(f) => f(scope).map_err(Rejection::Conversion)?,
            OpOutput::Error(e) => return Err(Rejection::Op(e)),
            OpOutput::Conversion(e) => return Err(Rejection::Conversion(e)),
        })
    }
}

/// Why an async op's promise rejects.
pub(crate) enum Rejection {
    Op(OpError),
    Conversion(ConvError),
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
        let v = self.0.to_i128();
        if v.abs() > i128::from(MAX_SAFE_INTEGER) {
            return OpOutput::Conversion(crate::convert::int64::unsafe_number::<T>(v));
        }
        #[allow(clippy::cast_precision_loss, reason = "safe integers are exact in f64")]
        OpOutput::Number(v as f64)
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
