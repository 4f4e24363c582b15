//! Conversions between V8 values and Rust values.
//!
//! [`FromV8`] turns a JS value into a Rust value (op arguments, script
//! results); [`ToV8`] turns a Rust value into a JS value (op return values).
//! Implement them for your own types to use those types in ops.
//!
//! # The rules
//!
//! Conversions are strict: nothing is coerced from another type, so a bug in
//! JS shows up as a `TypeError` that names the op and the argument instead
//! of as a wrong value. Integers follow WebIDL's `[EnforceRange]` (as V8's
//! own fast-call conversion does, so the slow and fast paths agree).
//!
//! | Rust | accepts from JS | gives to JS |
//! |---|---|---|
//! | `bool` | `true` / `false` only | boolean |
//! | `i8`..`i32`, `u8`..`u32` | a Number, as WebIDL `[EnforceRange]` converts it: the fraction is dropped (`1.9` is `1`, `-0` is `0`), then it must be in range. `NaN`, `±Infinity`, out-of-range values, strings and BigInts are errors | Number |
//! | `f32`, `f64` | any Number, including `NaN`, `±Infinity` and `-0` (`f32` rounds) | Number |
//! | `i64`, `u64`, `isize`, `usize` with `#[bigint]` | a BigInt in range, or a Number converted as above that is then a safe integer (`±(2^53-1)`) | BigInt |
//! | `i64`, `u64`, `isize`, `usize` with `#[number]` | a Number converted as above that is then a safe integer in range | Number; a value beyond `±(2^53-1)` is a `RangeError` |
//! | `String`, `&str`, `Cow<str>` | a string; lone surrogates become U+FFFD | string |
//! | `Option<T>` | `undefined` or `null` as `None`, otherwise as `T`; a left-out argument is `undefined` | `null` for `None` |
//! | `()` | — | `undefined` |
//! | `v8::Local<T>` | any value for `Value`, otherwise a value of that type | itself |

pub(crate) mod int64;
mod primitives;
mod strings;

use std::borrow::Cow;
use std::fmt;

pub use int64::{AsBigInt, AsNumber, Int64, MAX_SAFE_INTEGER, WrapBigInt, WrapNumber};
pub use strings::StrBuf;

/// Converts a V8 value to `Self`.
///
/// # Examples
///
/// ```
/// use opwire::{JsRuntime, RuntimeOptions};
///
/// let mut rt = JsRuntime::new(RuntimeOptions::default());
/// let n: u32 = rt.eval("answer.js", "40 + 2").unwrap();
/// assert_eq!(n, 42);
/// let err = rt.eval::<u8>("big.js", "300").unwrap_err();
/// assert_eq!(err.to_string(), "expected u8, got number 300 (out of range)");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be converted from a JS value",
    label = "not a supported op argument type",
    note = "supported: bool, i8..i32, u8..u32, f32, f64, String, &str, Cow<str>, Option<T>, v8::Local<T>, \
            &[u8], &mut [u8], Vec<u8>, Box<[u8]>, Bytes, JsBuffer; 64-bit integers need #[bigint] or #[number]; \
            serde types need #[serde]; or implement opwire::FromV8 for your type"
)]
pub trait FromV8<'s>: Sized {
    /// Converts `value`, or says what was expected and what came.
    ///
    /// # Errors
    ///
    /// A [`ConvError`] when `value` is not of the accepted kind or range.
    fn from_v8(
        scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError>;
}

/// Converts `Self` to a V8 value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be converted to a JS value",
    label = "not a supported op return type",
    note = "supported: (), bool, i8..i32, u8..u32, f32, f64, String, &str, Cow<str>, Option<T>, v8::Local<T>, \
            Vec<u8>, Box<[u8]>, Bytes, Result<T, E>; 64-bit integers need #[bigint] or #[number] and serde types \
            #[serde] on the function; or implement opwire::ToV8 for your type"
)]
pub trait ToV8<'s> {
    /// Converts `self`.
    ///
    /// # Errors
    ///
    /// A [`ConvError`] when the value has no JS form (a string too long for
    /// V8, a 64-bit integer that does not fit a Number exactly).
    fn to_v8(self, scope: &mut v8::PinScope<'s, '_>)
    -> Result<v8::Local<'s, v8::Value>, ConvError>;

    /// Sets `self` as a callback's return value. Override it to use V8's
    /// allocation-free setters (`set_int32`, ...).
    ///
    /// # Errors
    ///
    /// As [`ToV8::to_v8`].
    #[inline]
    fn set_ret(
        self,
        scope: &mut v8::PinScope<'s, '_>,
        rv: &mut v8::ReturnValue<'_, v8::Value>,
    ) -> Result<(), ConvError>
    where
        Self: Sized,
    {
        rv.set(self.to_v8(scope)?);
        Ok(())
    }
}

/// A failed conversion: what was expected and what came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvError {
    /// What the Rust side accepts (`"i32"`, `"string"`).
    pub expected: Cow<'static, str>,
    /// The JS value that came, described (`"string"`, `"number 3.5"`).
    pub got: String,
    /// Why the value was refused, when its kind was right (`"out of range"`).
    pub reason: Option<&'static str>,
}

impl ConvError {
    /// A conversion error for `value`.
    pub fn new(
        expected: impl Into<Cow<'static, str>>,
        value: v8::Local<'_, v8::Value>,
        reason: Option<&'static str>,
    ) -> Self {
        Self {
            expected: expected.into(),
            got: describe(value),
            reason,
        }
    }
}

impl ConvError {
    /// The same error for an optional value: `expected T or undefined`.
    #[must_use]
    pub fn or_undefined(mut self) -> Self {
        self.expected = format!("{} or undefined", self.expected).into();
        self
    }

    /// An error that is a whole message (`expected` holds it; `got` is empty).
    pub fn message(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            expected: message.into(),
            got: String::new(),
            reason: None,
        }
    }
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.got.is_empty() {
            return f.write_str(&self.expected);
        }
        write!(f, "expected {}, got {}", self.expected, self.got)?;
        if let Some(reason) = self.reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConvError {}

/// Describes a JS value for an error message: its kind, and for numbers,
/// BigInts and booleans its value (`"number 3.5"`, `"string"`, `"null"`).
pub fn describe(value: v8::Local<'_, v8::Value>) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_null() {
        "null".into()
    } else if value.is_boolean() {
        format!("boolean {}", value.is_true())
    } else if value.is_number() {
        // SAFETY: checked `is_number` just above.
        let n = unsafe { v8::Local::<v8::Number>::cast_unchecked(value) };
        format!("number {}", js_number(n.value()))
    } else if value.is_big_int() {
        // SAFETY: checked `is_big_int` just above.
        let b = unsafe { v8::Local::<v8::BigInt>::cast_unchecked(value) };
        match b.i64_value() {
            (v, true) => format!("bigint {v}n"),
            _ => match b.u64_value() {
                (v, true) => format!("bigint {v}n"),
                _ => "bigint (beyond 64 bits)".into(),
            },
        }
    } else if value.is_string() {
        "string".into()
    } else if value.is_symbol() {
        "symbol".into()
    } else if value.is_function() {
        "function".into()
    } else if value.is_array() {
        "array".into()
    } else if value.is_uint8_array() {
        "Uint8Array".into()
    } else if value.is_data_view() {
        "DataView".into()
    } else if value.is_array_buffer_view() {
        "typed array".into()
    } else if value.is_array_buffer() {
        "ArrayBuffer".into()
    } else if value.is_shared_array_buffer() {
        "SharedArrayBuffer".into()
    } else if value.is_promise() {
        "promise".into()
    } else {
        "object".into()
    }
}

/// Formats a number the way JS prints it for the common cases.
pub(crate) fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n == 0.0 && n.is_sign_negative() {
        "-0".into()
    } else if n.abs() >= 1e21 || (n != 0.0 && n.abs() < 1e-6) {
        // JS switches to exponent notation outside [1e-6, 1e21).
        let e = format!("{n:e}");
        match e.split_once('e') {
            Some((m, exp)) if !exp.starts_with('-') => format!("{m}e+{exp}"),
            _ => e,
        }
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::js_number;

    #[test]
    fn numbers_print_like_js() {
        assert_eq!(js_number(1.5), "1.5");
        assert_eq!(js_number(300.0), "300");
        assert_eq!(js_number(-0.0), "-0");
        assert_eq!(js_number(f64::NAN), "NaN");
        assert_eq!(js_number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(js_number(1e300), "1e+300");
        assert_eq!(js_number(1.5e-7), "1.5e-7");
        assert_eq!(js_number(123_456_789_012.0), "123456789012");
        assert_eq!(js_number(0.0), "0");
    }
}
