//! [`ConvError`]: a failed conversion, and how JS values are described in
//! error messages.

use std::borrow::Cow;
use std::fmt;

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
