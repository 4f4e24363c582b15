//! 64-bit integers: as BigInt (`#[bigint]`) or as Number checked to the safe
//! integer range (`#[number]`). Plain `i64`/`u64` have no conversion so that
//! every op says which one it means.

use super::primitives::number_to_int;
use super::{ConvError, FromV8, ToV8};

/// The largest integer a JS Number holds exactly: 2^53 - 1.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A 64-bit integer type: `i64`, `u64`, `isize` or `usize`.
pub trait Int64: Copy + TryFrom<i64> + TryFrom<u64> + 'static {
    /// The Rust type name, for messages.
    const NAME: &'static str;
    /// The value as i128 (lossless for every implementor).
    fn to_i128(self) -> i128;
}

macro_rules! int64 {
    ($($t:ty),*) => {$(
        impl Int64 for $t {
            const NAME: &'static str = stringify!($t);
            #[inline]
            fn to_i128(self) -> i128 {
                self as i128
            }
        }
    )*};
}
int64!(i64, u64, isize, usize);

/// A 64-bit integer that crosses to JS as a BigInt (`#[bigint]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsBigInt<T>(pub T);

/// A 64-bit integer that crosses to JS as a Number, checked to stay within
/// `±(2^53 - 1)` (`#[number]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsNumber<T>(pub T);

fn safe_number<T: Int64>(value: v8::Local<'_, v8::Value>) -> Result<T, ConvError> {
    let n: i64 = number_to_int(value, T::NAME)?;
    if n.abs() > MAX_SAFE_INTEGER {
        return Err(ConvError::new(T::NAME, value, Some("not a safe integer")));
    }
    T::try_from(n).map_err(|_| ConvError::new(T::NAME, value, Some("out of range")))
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
        let v = self.0.to_i128();
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "range checked by the branch"
        )]
        let b = if v < 0 {
            v8::BigInt::new_from_i64(scope, v as i64)
        } else {
            v8::BigInt::new_from_u64(scope, v as u64)
        };
        Ok(b.into())
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
        let v = self.0.to_i128();
        if v.abs() > i128::from(MAX_SAFE_INTEGER) {
            return Err(unsafe_number::<T>(v));
        }
        #[allow(clippy::cast_precision_loss, reason = "safe integers are exact in f64")]
        Ok(v8::Number::new(scope, v as f64).into())
    }
}

/// The error for a `#[number]` value beyond `±(2^53 - 1)`.
pub(crate) fn unsafe_number<T: Int64>(v: i128) -> ConvError {
    ConvError {
        expected: "a safe integer (at most 2^53 - 1 in size)".into(),
        got: format!("{} {v}", T::NAME),
        reason: Some("use #[bigint] for the full range"),
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
