//! The number rules, each in one function that every path calls: WebIDL
//! `[EnforceRange]` for integers from JS, the safe-integer range of
//! `#[number]` 64-bit integers (both directions), and BigInts of up to 128
//! bits. The slow path, the fast path, async outputs and serde all use these.

use super::conv_error::{ConvError, js_number};

/// The largest integer a JS Number holds exactly: 2^53 - 1.
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// 2^63 as an `f64`: the first magnitude beyond `i64`.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// Why a Number is refused: NaN or ±Infinity.
pub(crate) const NOT_FINITE: &str = "not a finite number";
/// Why a Number is refused: beyond the Rust type's range.
pub(crate) const OUT_OF_RANGE: &str = "out of range";
/// Why a Number is refused: beyond ±(2^53 - 1) for a `#[number]` integer.
pub(crate) const NOT_SAFE: &str = "not a safe integer";

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

/// WebIDL `[EnforceRange]`: NaN and ±Infinity are refused, the fraction is
/// dropped (`1.9` is `1`, `-0` is `0`), then the value must fit `T`. The
/// refusal is one of [`NOT_FINITE`] or [`OUT_OF_RANGE`].
#[inline]
pub(crate) fn enforce_range<T: TryFrom<i64>>(n: f64) -> Result<T, &'static str> {
    if !n.is_finite() {
        return Err(NOT_FINITE);
    }
    let t = n.trunc();
    // Within i64 here means |t| < 2^63, which covers every T used.
    if t.abs() >= TWO_POW_63 {
        return Err(OUT_OF_RANGE);
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "integral and within i64 range, checked above"
    )]
    T::try_from(t as i64).map_err(|_| OUT_OF_RANGE)
}

/// Whether `v` is within ±(2^53 - 1), where a Number holds integers exactly.
#[inline]
pub(crate) fn is_safe(v: i128) -> bool {
    v.unsigned_abs() <= MAX_SAFE_INTEGER.unsigned_abs().into()
}

/// A Number that is an integer within ±(2^53 - 1), as an `i64` (`-0` is 0).
#[inline]
pub(crate) fn integral_safe(n: f64) -> Option<i64> {
    #[allow(clippy::cast_possible_truncation, reason = "integral and within ±2^53")]
    (n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64).then_some(n as i64)
}

/// A `#[number]` integer from JS: within ±(2^53 - 1) ([`NOT_SAFE`]
/// otherwise), then within `T` ([`OUT_OF_RANGE`] otherwise).
#[inline]
pub(crate) fn safe_integer<T: Int64>(v: i64) -> Result<T, &'static str> {
    if !is_safe(v.into()) {
        return Err(NOT_SAFE);
    }
    T::try_from(v).map_err(|_| OUT_OF_RANGE)
}

/// A `#[number]` integer for JS: the Number, or a [`ConvError`] when it is
/// beyond ±(2^53 - 1) (a Number would not hold it exactly).
#[inline]
pub(crate) fn to_safe_number<T: Int64>(value: T) -> Result<f64, ConvError> {
    let v = value.to_i128();
    if !is_safe(v) {
        return Err(ConvError {
            expected: "a safe integer (at most 2^53 - 1 in size)".into(),
            got: format!("{} {v}", T::NAME),
            reason: Some("use #[bigint] for the full range"),
        });
    }
    #[allow(clippy::cast_precision_loss, reason = "safe integers are exact in f64")]
    Ok(v as f64)
}

/// The error for Number `n` refused as a `name` for `reason`.
pub(crate) fn number_error(name: &'static str, n: f64, reason: &'static str) -> ConvError {
    ConvError {
        expected: name.into(),
        got: format!("number {}", js_number(n)),
        reason: Some(reason),
    }
}

/// A BigInt of any `i128`.
pub(crate) fn new_bigint<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    v: i128,
) -> Result<v8::Local<'s, v8::BigInt>, ConvError> {
    new_bigint_from_magnitude(scope, v < 0, v.unsigned_abs())
}

/// A BigInt of sign `negative` and size `magnitude` (up to 128 bits).
pub(crate) fn new_bigint_from_magnitude<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    negative: bool,
    magnitude: u128,
) -> Result<v8::Local<'s, v8::BigInt>, ConvError> {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "splitting into 64-bit words"
    )]
    let words = [magnitude as u64, (magnitude >> 64) as u64];
    let len = if words[1] == 0 { 1 } else { 2 };
    v8::BigInt::new_from_words(scope, negative, &words[..len])
        .ok_or_else(|| ConvError::message("could not create a BigInt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforce_range_follows_webidl() {
        assert_eq!(enforce_range::<i32>(1.9), Ok(1));
        assert_eq!(enforce_range::<i32>(-1.9), Ok(-1));
        assert_eq!(enforce_range::<u8>(-0.0), Ok(0));
        assert_eq!(enforce_range::<u8>(255.5), Ok(255));
        assert_eq!(enforce_range::<u8>(256.0), Err(OUT_OF_RANGE));
        assert_eq!(enforce_range::<u32>(-1.0), Err(OUT_OF_RANGE));
        assert_eq!(enforce_range::<i32>(f64::NAN), Err(NOT_FINITE));
        assert_eq!(enforce_range::<i32>(f64::INFINITY), Err(NOT_FINITE));
        assert_eq!(enforce_range::<i64>(9.3e18), Err(OUT_OF_RANGE));
        assert_eq!(
            enforce_range::<i64>(-9_223_372_036_854_775_808.0),
            Err(OUT_OF_RANGE)
        );
        assert_eq!(
            enforce_range::<i64>(-9.2e18),
            Ok(-9_200_000_000_000_000_000)
        );
    }

    #[test]
    fn safe_integers_both_ways() {
        assert_eq!(safe_integer::<i64>(MAX_SAFE_INTEGER), Ok(MAX_SAFE_INTEGER));
        assert_eq!(
            safe_integer::<i64>(-MAX_SAFE_INTEGER),
            Ok(-MAX_SAFE_INTEGER)
        );
        assert_eq!(safe_integer::<i64>(MAX_SAFE_INTEGER + 1), Err(NOT_SAFE));
        assert_eq!(safe_integer::<i64>(i64::MIN), Err(NOT_SAFE));
        assert_eq!(safe_integer::<u64>(-1), Err(OUT_OF_RANGE));
        assert_eq!(
            to_safe_number(MAX_SAFE_INTEGER),
            Ok(9_007_199_254_740_991.0)
        );
        let err = to_safe_number(u64::MAX).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a safe integer (at most 2^53 - 1 in size), got u64 18446744073709551615 (use #[bigint] for the full range)"
        );
        assert!(to_safe_number(-MAX_SAFE_INTEGER - 1).is_err());
    }

    #[test]
    fn integral_safe_numbers() {
        assert_eq!(integral_safe(3.0), Some(3));
        assert_eq!(integral_safe(-0.0), Some(0));
        assert_eq!(
            integral_safe(9_007_199_254_740_991.0),
            Some(MAX_SAFE_INTEGER)
        );
        assert_eq!(integral_safe(9_007_199_254_740_992.0), None);
        assert_eq!(integral_safe(1.5), None);
        assert_eq!(integral_safe(f64::NAN), None);
        assert_eq!(integral_safe(f64::INFINITY), None);
        assert!(is_safe(-i128::from(MAX_SAFE_INTEGER)));
        assert!(!is_safe(i128::MIN));
    }

    #[test]
    fn number_errors_read_like_js() {
        let err = number_error("u8", 300.0, OUT_OF_RANGE);
        assert_eq!(
            err.to_string(),
            "expected u8, got number 300 (out of range)"
        );
    }
}
