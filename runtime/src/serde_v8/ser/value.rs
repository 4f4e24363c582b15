//! The [`Serializer`] itself: where it creates values, how deep it is, and
//! the helpers every part of the serializer uses. Its serde trait impl is
//! in `mod.rs`; what it collects arrays, maps and structs with is in the
//! sibling files.

use crate::convert::number::{is_safe, new_bigint};
use crate::serde_v8::Error;
use crate::serde_v8::limits::MAX_DEPTH;

/// A serde `Serializer` whose output is a `v8::Local<v8::Value>`.
pub struct Serializer<'a, 's, 'i> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    depth: usize,
}

impl std::fmt::Debug for Serializer<'_, '_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Serializer").finish_non_exhaustive()
    }
}

impl<'a, 's, 'i> Serializer<'a, 's, 'i> {
    /// A serializer creating values in `scope`.
    pub fn new(scope: &'a mut v8::PinScope<'s, 'i>) -> Self {
        Self { scope, depth: 0 }
    }

    pub(super) fn nested(&mut self) -> Result<Serializer<'_, 's, 'i>, Error> {
        if self.depth >= MAX_DEPTH {
            return Err(Error::new(format!(
                "value nests deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(Serializer {
            scope: self.scope,
            depth: self.depth + 1,
        })
    }

    pub(super) fn string(&mut self, s: &str) -> Result<v8::Local<'s, v8::Value>, Error> {
        v8::String::new(self.scope, s)
            .map(Into::into)
            .ok_or_else(|| Error::new(format!("a string of {} bytes is too long for V8", s.len())))
    }

    pub(super) fn key(&mut self, s: &str) -> Result<v8::Local<'s, v8::Name>, Error> {
        v8::String::new_from_utf8(self.scope, s.as_bytes(), v8::NewStringType::Internalized)
            .map(Into::into)
            .ok_or_else(|| Error::new("property name too long for V8"))
    }

    /// A property name known at compile time (a field or variant name),
    /// from the runtime's cache when there is one.
    pub(super) fn static_key(&mut self, s: &'static str) -> Result<v8::Local<'s, v8::Name>, Error> {
        let cached = self
            .scope
            .get_slot::<crate::serde_v8::SerdeCache>()
            .and_then(|cache| cache.name(self.scope, s));
        match cached {
            Some(key) => Ok(key.into()),
            None => self.key(s),
        }
    }

    /// An integer: a Number when it is safe, a BigInt otherwise.
    pub(super) fn int(&mut self, v: i128) -> Result<v8::Local<'s, v8::Value>, Error> {
        if is_safe(v) {
            #[allow(clippy::cast_precision_loss, reason = "safe integers are exact in f64")]
            return Ok(v8::Number::new(self.scope, v as f64).into());
        }
        Ok(new_bigint(self.scope, v)?.into())
    }

    pub(super) fn object(
        &mut self,
        props: impl IntoIterator<Item = (v8::Local<'s, v8::Name>, v8::Local<'s, v8::Value>)>,
    ) -> v8::Local<'s, v8::Value> {
        let object = v8::Object::new(self.scope);
        for (k, v) in props {
            // Defines the property (as `JSON.parse` does): a setter that
            // someone put on `Object.prototype` is not called.
            object.create_data_property(self.scope, k, v);
        }
        object.into()
    }
}
