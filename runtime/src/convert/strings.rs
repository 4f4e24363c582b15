//! Strings in both directions, and the stack buffer that lets short
//! borrowed string arguments (`&str`, `Cow<str>`) arrive without allocating.

use std::borrow::Cow;
use std::mem::MaybeUninit;

use super::{ConvError, FromV8, ToV8};

/// Bytes of UTF-8 a borrowed string argument can take without allocating.
pub(crate) const STACK_STR_BYTES: usize = 1024;

/// Storage behind a borrowed string argument: a stack buffer for short
/// strings and a `String` for long ones. One per `&str`/`Cow<str>` argument,
/// declared by the generated callback.
pub struct StrBuf {
    stack: [MaybeUninit<u8>; STACK_STR_BYTES],
    heap: String,
}

impl StrBuf {
    /// An empty buffer (no allocation, no initialisation of the stack part).
    #[inline]
    #[allow(
        clippy::new_without_default,
        reason = "hidden helper type, built by generated code only"
    )]
    pub fn new() -> Self {
        Self {
            stack: [MaybeUninit::uninit(); STACK_STR_BYTES],
            heap: String::new(),
        }
    }

    /// Reads JS string `value` into the buffer, borrowing when it fits.
    #[inline]
    pub(crate) fn read<'b>(
        &'b mut self,
        scope: &mut v8::PinScope<'_, '_>,
        value: v8::Local<'_, v8::Value>,
    ) -> Result<Cow<'b, str>, ConvError> {
        if !value.is_string() {
            return Err(ConvError::new("string", value, None));
        }
        // SAFETY: checked `is_string` just above.
        let s = unsafe { v8::Local::<v8::String>::cast_unchecked(value) };
        Ok(s.to_rust_cow_lossy(scope, &mut self.stack))
    }

    /// Like [`StrBuf::read`], but always returns a `&str` (a long string is
    /// kept in the buffer's heap part).
    #[inline]
    pub(crate) fn read_str<'b>(
        &'b mut self,
        scope: &mut v8::PinScope<'_, '_>,
        value: v8::Local<'_, v8::Value>,
    ) -> Result<&'b str, ConvError> {
        if !value.is_string() {
            return Err(ConvError::new("string", value, None));
        }
        // SAFETY: checked `is_string` just above.
        let s = unsafe { v8::Local::<v8::String>::cast_unchecked(value) };
        let Self { stack, heap } = self;
        match s.to_rust_cow_lossy(scope, stack) {
            Cow::Borrowed(b) => Ok(b),
            Cow::Owned(o) => {
                *heap = o;
                Ok(heap.as_str())
            }
        }
    }
}

impl std::fmt::Debug for StrBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StrBuf").finish_non_exhaustive()
    }
}

impl<'s> FromV8<'s> for String {
    fn from_v8(
        scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        if !value.is_string() {
            return Err(ConvError::new("string", value, None));
        }
        // SAFETY: checked `is_string` just above.
        let s = unsafe { v8::Local::<v8::String>::cast_unchecked(value) };
        Ok(s.to_rust_string_lossy(scope))
    }
}

fn new_string<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    s: &str,
) -> Result<v8::Local<'s, v8::Value>, ConvError> {
    v8::String::new(scope, s)
        .map(Into::into)
        .ok_or_else(|| ConvError {
            expected: "a string V8 can hold".into(),
            got: format!("a string of {} bytes", s.len()),
            reason: Some("too long"),
        })
}

impl<'s> ToV8<'s> for String {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        new_string(scope, &self)
    }
}

impl<'s> ToV8<'s> for &str {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        new_string(scope, self)
    }
}

impl<'s> ToV8<'s> for Cow<'_, str> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        new_string(scope, &self)
    }
}
