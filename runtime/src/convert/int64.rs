//! 64-bit integers: as BigInt (`#[bigint]`) or as Number checked to the safe
//! integer range (`#[number]`). Plain `i64`/`u64` have no conversion so that
//! every op says which one it means.

use super::conv_error::ConvError;
use super::number::{Int64, new_bigint, safe_integer, to_safe_number};
use super::primitives::number_to_int;
use super::traits::{FromV8, ToV8};

/// A 64-bit integer that crosses to JS as a BigInt (`#[bigint]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsBigInt<T>(pub T);

/// A 64-bit integer that crosses to JS as a Number, checked to stay within
/// `±(2^53 - 1)` (`#[number]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsNumber<T>(pub T);

/// A `#[number]` integer from a JS Number: [`number_to_int`], then
/// [`safe_integer`].
fn safe_number<T: Int64>(value: v8::Local<'_, v8::Value>) -> Result<T, ConvError> {
    let n: i64 = number_to_int(value, T::NAME)?;
    safe_integer(n).map_err(|reason| ConvError::new(T::NAME, value, Some(reason)))
}

impl<'s, T: Int64> FromV8<'s> for AsBigInt<T> {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        if value.is_big_int() {
            // SAFETY: checked `is_big_int` just above.
            let b = unsafe { v8::Local::<v8::BigInt>::cast_unchecked(value) };
            let out_of_range = || ConvError::new(T::NAME, value, Some("out of range"));
            let v = match b.i64_value() {
                (v, true) => T::try_from(v).map_err(|_| out_of_range())?,
                _ => match b.u64_value() {
                    (v, true) => T::try_from(v).map_err(|_| out_of_range())?,
                    _ => return Err(out_of_range()),
                },
            };
            return Ok(AsBigInt(v));
        }
        if value.is_number() {
            return safe_number(value).map(AsBigInt);
        }
        Err(ConvError::new(format!("{} (bigint)", T::NAME), value, None))
    }
}

impl<'s, T: Int64> ToV8<'s> for AsBigInt<T> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(new_bigint(scope, self.0.to_i128())?.into())
    }
}

impl<'s, T: Int64> FromV8<'s> for AsNumber<T> {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        safe_number(value).map(AsNumber)
    }
}

impl<'s, T: Int64> ToV8<'s> for AsNumber<T> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(v8::Number::new(scope, to_safe_number(self.0)?).into())
    }
}

/// Wraps a return value's 64-bit integers in [`AsBigInt`], through `Option`
/// and `Result` (used by `#[bigint]` returns).
pub trait WrapBigInt {
    /// The wrapped type.
    type Out;
    /// Wraps.
    fn wrap_bigint(self) -> Self::Out;
}

/// Wraps a return value's 64-bit integers in [`AsNumber`], through `Option`
/// and `Result` (used by `#[number]` returns).
pub trait WrapNumber {
    /// The wrapped type.
    type Out;
    /// Wraps.
    fn wrap_number(self) -> Self::Out;
}

macro_rules! wrap {
    ($tr:ident, $f:ident, $w:ident) => {
        impl<T: Int64> $tr for T {
            type Out = $w<T>;
            #[inline]
            fn $f(self) -> Self::Out {
                $w(self)
            }
        }
        impl<T: Int64> $tr for Option<T> {
            type Out = Option<$w<T>>;
            #[inline]
            fn $f(self) -> Self::Out {
                self.map($w)
            }
        }
        impl<T: $tr, E> $tr for Result<T, E> {
            type Out = Result<T::Out, E>;
            #[inline]
            fn $f(self) -> Self::Out {
                self.map($tr::$f)
            }
        }
    };
}
wrap!(WrapBigInt, wrap_bigint, AsBigInt);
wrap!(WrapNumber, wrap_number, AsNumber);
