//! The [`Deserializer`] itself: one V8 value, how deep it sits, and the
//! helpers every visit uses. What it visits into (arrays, objects, struct
//! fields, enum keys) is in the sibling files; the serde trait impl in
//! `mod.rs` ties them together.

use std::borrow::Cow;
use std::mem::MaybeUninit;

use serde::de::Visitor;

use crate::convert::{FromV8, describe, view_bytes};
use crate::serde_v8::Error;
use crate::serde_v8::limits::MAX_DEPTH;

/// How deep a value is, and whether struct types may be probed (only when
/// the conversion can be run again: [`from_v8`](crate::serde_v8::from_v8)).
#[derive(Debug, Clone, Copy)]
pub(super) struct Level {
    pub(super) depth: usize,
    pub(super) probe: bool,
}

/// A serde `Deserializer` reading one V8 value.
pub struct Deserializer<'a, 's, 'i> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    pub(super) value: v8::Local<'s, v8::Value>,
    pub(super) level: Level,
}

impl std::fmt::Debug for Deserializer<'_, '_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deserializer").finish_non_exhaustive()
    }
}

impl<'a, 's, 'i> Deserializer<'a, 's, 'i> {
    /// A deserializer for `value`.
    pub fn new(scope: &'a mut v8::PinScope<'s, 'i>, value: v8::Local<'s, v8::Value>) -> Self {
        Self::root(scope, value, false)
    }

    /// A deserializer that may probe struct types (see `shape`): only for
    /// a conversion that is run again when [`Shape::reject_probe`] asks.
    ///
    /// [`Shape::reject_probe`]: crate::serde_v8::shape::Shape::reject_probe
    pub(in crate::serde_v8) fn probing(
        scope: &'a mut v8::PinScope<'s, 'i>,
        value: v8::Local<'s, v8::Value>,
    ) -> Self {
        Self::root(scope, value, true)
    }

    fn root(
        scope: &'a mut v8::PinScope<'s, 'i>,
        value: v8::Local<'s, v8::Value>,
        probe: bool,
    ) -> Self {
        Self {
            scope,
            value,
            level: Level { depth: 0, probe },
        }
    }

    pub(super) fn mismatch(&self, expected: &str) -> Error {
        Error::new(format!("expected {expected}, got {}", describe(self.value)))
    }

    pub(super) fn enter(&self) -> Result<Level, Error> {
        if self.level.depth >= MAX_DEPTH {
            return Err(Error::new(format!(
                "value nests deeper than {MAX_DEPTH} levels (is it cyclic?)"
            )));
        }
        Ok(Level {
            depth: self.level.depth + 1,
            probe: self.level.probe,
        })
    }

    pub(super) fn conv<T: FromV8<'s>>(&mut self) -> Result<T, Error> {
        T::from_v8(self.scope, self.value).map_err(|e| Error::new(e.to_string()))
    }

    pub(super) fn visit_string<'de, V: Visitor<'de>>(
        self,
        string: v8::Local<'s, v8::String>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visit_js_string(self.scope, string, visitor)
    }

    /// The bytes of an `ArrayBufferView` or `ArrayBuffer`, if it is one.
    pub(super) fn bytes(&self) -> Result<Option<&'s [u8]>, Error> {
        view_bytes(self.value).map_err(|e| Error::new(e.to_string()))
    }
}

/// Visits a JS string as `&str`, without allocating when it is short.
pub(super) fn visit_js_string<'de, V: Visitor<'de>>(
    scope: &mut v8::PinScope<'_, '_>,
    string: v8::Local<'_, v8::String>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut buf = [MaybeUninit::<u8>::uninit(); 256];
    match string.to_rust_cow_lossy(scope, &mut buf) {
        Cow::Borrowed(s) => visitor.visit_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}
