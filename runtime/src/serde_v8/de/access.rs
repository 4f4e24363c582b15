//! How the deserializer walks containers: array elements, an object's own
//! properties, a JS `Map`'s entries.

use std::cell::Cell;

use serde::de::{self, DeserializeSeed};

use super::keys::KeyDeserializer;
use super::number::NumberDeserializer;
use super::numbers::{self, BULK_MIN, Bulk, CHUNK, Copied, Kind};
use super::value::{Deserializer, Level};
use crate::serde_v8::Error;

/// The own enumerable string keys of `object` (array indices included), as
/// strings. For a struct in a runtime, through the original `Object.keys`
/// (V8's enum cache); otherwise through the C++ API (which, unlike a JS
/// call, cannot run out of JS stack in deeply nested map input).
pub(super) fn own_keys<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    object: v8::Local<'s, v8::Object>,
    for_struct: bool,
) -> Option<v8::Local<'s, v8::Array>> {
    let args = v8::GetPropertyNamesArgs {
        mode: v8::KeyCollectionMode::OwnOnly,
        property_filter: v8::PropertyFilter::ONLY_ENUMERABLE | v8::PropertyFilter::SKIP_SYMBOLS,
        index_filter: v8::IndexFilter::IncludeIndices,
        key_conversion: v8::KeyConversionMode::ConvertToString,
    };
    if for_struct {
        // In a runtime: the original `Object.keys` (own enumerable string
        // keys, as strings), which V8 answers from its enum cache.
        let keys = scope
            .get_slot::<super::super::cache::SerdeCache>()
            .map(|c| v8::Local::new(scope, &c.object_keys));
        if let Some(keys) = keys {
            let undefined = v8::undefined(scope).into();
            return keys
                .call(scope, undefined, &[object.into()])
                .and_then(|a| v8::Local::<v8::Array>::try_from(a).ok());
        }
    }
    object.get_property_names(scope, args)
}

/// Array elements, read in order (long arrays of numbers in bulk, see
/// [`super::numbers`]).
pub(super) struct ArraySeq<'a, 's, 'i> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    pub(super) array: v8::Local<'s, v8::Array>,
    pub(super) len: u32,
    pub(super) index: u32,
    pub(super) level: Level,
    bulk: BulkState<'s>,
}

/// Whether an array's numbers were copied in bulk.
#[derive(Clone, Copy)]
enum BulkState<'s> {
    /// Not yet: the first element decides.
    Untried,
    Copied(Copied<'s>),
    /// Element by element.
    Off,
}

impl<'a, 's, 'i> ArraySeq<'a, 's, 'i> {
    /// A walk over `array`'s elements; `bulk` lets a long array of numbers
    /// be copied in bulk.
    pub(super) fn new(
        scope: &'a mut v8::PinScope<'s, 'i>,
        array: v8::Local<'s, v8::Array>,
        level: Level,
        bulk: bool,
    ) -> Self {
        let len = array.length();
        Self {
            scope,
            len,
            array,
            index: 0,
            level,
            bulk: if bulk && len >= BULK_MIN {
                BulkState::Untried
            } else {
                BulkState::Off
            },
        }
    }

    /// Deserializes the next element with `seed` (`None` past the end),
    /// naming `segment(index)` in errors.
    fn next<'de, T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
        segment: impl Fn(u32) -> String,
    ) -> Result<Option<T::Value>, Error> {
        if self.index >= self.len {
            return Ok(None);
        }
        let index = self.index;
        self.index += 1;
        let segment = || segment(index);
        let threw = || Error::new("reading the element threw an exception");
        if let BulkState::Copied(copied) = self.bulk
            && index == copied.to
        {
            // The chunk before was copied whole: copy the next one.
            self.copy_chunk(index, copied.kind)?;
        }
        let value = match self.bulk {
            BulkState::Copied(copied) if index < copied.stop => {
                return seed
                    .deserialize(NumberDeserializer {
                        scope: self.scope,
                        n: copied.get(index),
                        level: self.level,
                        kind: None,
                    })
                    .map(Some)
                    .map_err(|e| e.within(segment));
            }
            BulkState::Copied(copied) if index == copied.stop => {
                // The element the copy stopped at, already read.
                self.bulk = BulkState::Off;
                copied.at_stop
            }
            BulkState::Copied(_) | BulkState::Untried | BulkState::Off => self
                .array
                .get_index(self.scope, index)
                .ok_or_else(|| threw().within(segment))?,
        };
        if matches!(self.bulk, BulkState::Untried) {
            self.bulk = BulkState::Off;
            if value.is_number() {
                return self.first_number(seed, value, &segment);
            }
        }
        seed.deserialize(Deserializer {
            scope: self.scope,
            value,
            level: self.level,
        })
        .map(Some)
        .map_err(|e| e.within(segment))
    }

    /// Deserializes the first element, a Number; when its type reads it as
    /// a number, copies the numbers after it in bulk.
    fn first_number<'de, T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
        value: v8::Local<'s, v8::Value>,
        segment: &impl Fn() -> String,
    ) -> Result<Option<T::Value>, Error> {
        let kind = Cell::new(None);
        let n = value.number_value(self.scope).unwrap_or(f64::NAN);
        let first = seed
            .deserialize(NumberDeserializer {
                scope: self.scope,
                n,
                level: self.level,
                kind: Some(&kind),
            })
            .map_err(|e| e.within(segment))?;
        if let Some(kind) = kind.get() {
            self.copy_chunk(1, kind)?;
        }
        Ok(Some(first))
    }

    /// Copies the chunk of elements from `from` as numbers of `kind`.
    fn copy_chunk(&mut self, from: u32, kind: Kind) -> Result<(), Error> {
        self.bulk = BulkState::Off;
        if from >= self.len {
            return Ok(());
        }
        let to = self.len.min(from.saturating_add(CHUNK));
        match numbers::copy(self.scope, self.array, from, to, kind) {
            Bulk::Copied(copied) => self.bulk = BulkState::Copied(copied),
            Bulk::NotTried => {}
            // Reading element `at` threw: the element-by-element read would
            // have stopped there with this error.
            Bulk::Threw(at) => {
                return Err(Error::new("reading the element threw an exception")
                    .within(|| format!("[{at}]")));
            }
        }
        Ok(())
    }
}

impl<'de> de::SeqAccess<'de> for ArraySeq<'_, '_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.next(seed, |index| format!("[{index}]"))
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.index) as usize)
    }
}

/// An object's own enumerable string-keyed properties.
pub(super) struct ObjectMap<'a, 's, 'i> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    pub(super) object: v8::Local<'s, v8::Object>,
    pub(super) keys: v8::Local<'s, v8::Array>,
    pub(super) len: u32,
    pub(super) index: u32,
    pub(super) key: Option<v8::Local<'s, v8::Value>>,
    pub(super) level: Level,
}

impl<'de> de::MapAccess<'de> for ObjectMap<'_, '_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.index >= self.len {
            return Ok(None);
        }
        let key = self
            .keys
            .get_index(self.scope, self.index)
            .ok_or_else(|| Error::new("reading a property name threw an exception"))?;
        self.index += 1;
        self.key = Some(key);
        let string = v8::Local::<v8::String>::try_from(key)
            .map_err(|_| Error::new("property names must be strings"))?;
        seed.deserialize(KeyDeserializer {
            scope: self.scope,
            key: string,
        })
        .map(Some)
        .map_err(|e| e.within(|| format!(".{}", key.to_rust_string_lossy(self.scope))))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error::new("a map value was read before its key"))?;
        let segment =
            |scope: &mut v8::PinScope<'_, '_>| format!(".{}", key.to_rust_string_lossy(scope));
        let Some(value) = self.object.get(self.scope, key) else {
            let seg = segment(self.scope);
            return Err(Error::new("reading the property threw an exception").within(|| seg));
        };
        let de = Deserializer {
            scope: self.scope,
            value,
            level: self.level,
        };
        match seed.deserialize(de) {
            Ok(v) => Ok(v),
            Err(e) => {
                let seg = segment(self.scope);
                Err(e.within(|| seg))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.index) as usize)
    }
}

/// A JS `Map`'s entries, walked as the array `[key, value, key, value, ...]`.
pub(super) struct JsMapEntries<'a, 's, 'i>(pub(super) ArraySeq<'a, 's, 'i>);

impl<'de> de::MapAccess<'de> for JsMapEntries<'_, '_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        self.0.next(seed, |index| format!("[key {}]", index / 2))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.0
            .next(seed, |index| format!("[value {}]", index / 2))?
            .ok_or_else(|| Error::new("a map value was read before its key"))
    }
}
