//! [`FromV8`] and [`ToV8`]: the conversion traits.

use super::conv_error::ConvError;

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
            &[u8], &mut [u8], Vec<u8>, Box<[u8]>, Bytes, JsBuffer, JsBufferMut, AbortSignal, JsCallback; 64-bit integers need #[bigint] or #[number]; \
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
