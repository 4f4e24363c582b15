//! `#[op(wrapping)]`: integers of at most 32 bits converted as WebIDL does
//! without `[EnforceRange]` (deno_core's rule, and what V8's plain `Int32`
//! / `Uint32` fast calls do): any Number is taken, NaN and ±Infinity are 0,
//! the fraction is dropped and the value wraps modulo 2^bits. Values that
//! are not Numbers are still refused.

use super::conv_error::ConvError;
use super::traits::FromV8;

/// A ≤32-bit integer type that a Number wraps into.
pub trait WrapInt: Copy {
    /// The Rust type name, for messages.
    const NAME: &'static str;
    /// The value whose low bits are `bits` (two's complement).
    fn from_bits(bits: u32) -> Self;
}

macro_rules! wrap_int {
    ($($t:ty),*) => {$(
        impl WrapInt for $t {
            const NAME: &'static str = stringify!($t);
            #[inline]
            #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap, reason = "wrapping is the rule")]
            fn from_bits(bits: u32) -> Self {
                bits as $t
            }
        }
    )*};
}
wrap_int!(i8, i16, i32, u8, u16, u32);

/// WebIDL's integer conversion without `[EnforceRange]`: NaN and
/// ±Infinity are 0, then truncation toward zero, then modulo 2^bits.
#[inline]
pub fn wrap_number<T: WrapInt>(n: f64) -> T {
    if !n.is_finite() {
        return T::from_bits(0);
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "an integral value in [0, 2^32)"
    )]
    let bits = n.trunc().rem_euclid(4_294_967_296.0) as u32;
    T::from_bits(bits)
}

/// An integer argument of an `#[op(wrapping)]` op.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Wrapped<T>(pub T);

impl<'s, T: WrapInt> FromV8<'s> for Wrapped<T> {
    #[inline]
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        if value.is_int32() {
            // SAFETY: an int32 value is a Number.
            let n = unsafe { v8::Local::<v8::Int32>::cast_unchecked(value) }.value();
            #[allow(clippy::cast_sign_loss, reason = "two's complement bits")]
            return Ok(Wrapped(T::from_bits(n as u32)));
        }
        if value.is_number() {
            // SAFETY: checked `is_number` just above.
            let n = unsafe { v8::Local::<v8::Number>::cast_unchecked(value) }.value();
            return Ok(Wrapped(wrap_number(n)));
        }
        Err(ConvError::new(T::NAME, value, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_wrap_as_webidl_says() {
        assert_eq!(wrap_number::<i32>(f64::NAN), 0);
        assert_eq!(wrap_number::<i32>(f64::INFINITY), 0);
        assert_eq!(wrap_number::<u32>(f64::NEG_INFINITY), 0);
        assert_eq!(wrap_number::<i32>(1.9), 1);
        assert_eq!(wrap_number::<i32>(-1.9), -1);
        assert_eq!(wrap_number::<i32>(4_294_967_297.0), 1);
        assert_eq!(wrap_number::<i32>(2_147_483_648.0), i32::MIN);
        assert_eq!(wrap_number::<u32>(-1.0), u32::MAX);
        assert_eq!(wrap_number::<u8>(257.0), 1);
        assert_eq!(wrap_number::<i8>(200.0), -56);
        assert_eq!(wrap_number::<u16>(-0.5), 0);
        assert_eq!(wrap_number::<i32>(1e300), 0);
    }
}
