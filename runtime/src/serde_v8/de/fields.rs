//! A struct's fields, read from a JS object by name.
//!
//! Fields are read like WebIDL dictionary members: `object[field]` (own or
//! inherited, getters run), and `undefined` counts as absent; a field named
//! like a member of `Object.prototype` (`constructor`, `toString`, ...)
//! counts only as an own property. Then, for a struct that rejects unknown
//! fields, the object's own enumerable keys that are not fields are offered
//! too (so serde reports the first one); for a struct not seen yet, a
//! made-up field probes which kind it is (see [`shape`](super::super::shape)).

use std::borrow::Cow;
use std::mem::MaybeUninit;
use std::rc::Rc;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

use super::super::cache::{SerdeCache, internalized};
use super::super::shape::{Mode, PROBE, Shape, own_only};
use super::access::own_keys;
use super::value::{Deserializer, Level};
use crate::serde_v8::Error;

/// Where the walk over a struct's fields is.
enum Phase<'s> {
    /// Reading field `next` of the field list.
    Fields {
        next: usize,
    },
    /// Offering the object's own keys that are not fields.
    Extra {
        keys: v8::Local<'s, v8::Array>,
        len: u32,
        index: u32,
    },
    /// Offering the probe.
    Probe,
    Done,
}

/// The value of the key last offered.
#[derive(Clone, Copy)]
enum Pending<'s> {
    None,
    Field(&'static str, v8::Local<'s, v8::Value>),
    Extra(v8::Local<'s, v8::String>, v8::Local<'s, v8::Value>),
    Probe,
}

/// A struct's fields (serde's `MapAccess` over the known field names).
pub(super) struct StructFields<'a, 's, 'i> {
    scope: &'a mut v8::PinScope<'s, 'i>,
    object: v8::Local<'s, v8::Object>,
    fields: &'static [&'static str],
    shape: Option<Rc<Shape>>,
    phase: Phase<'s>,
    pending: Pending<'s>,
    level: Level,
}

impl<'a, 's, 'i> StructFields<'a, 's, 'i> {
    /// The fields of `object` for the struct whose visitor is `V`.
    pub(super) fn new<V>(
        scope: &'a mut v8::PinScope<'s, 'i>,
        object: v8::Local<'s, v8::Object>,
        fields: &'static [&'static str],
        level: Level,
    ) -> Self {
        let shape = scope
            .get_slot::<SerdeCache>()
            .and_then(|cache| cache.shape::<V>(scope, fields));
        Self {
            scope,
            object,
            fields,
            shape,
            phase: Phase::Fields { next: 0 },
            pending: Pending::None,
            level,
        }
    }

    /// Whether field `index` must be the object's own property.
    fn own_only(&self, index: usize) -> bool {
        match &self.shape {
            Some(shape) => shape.own_only(index),
            None => own_only(self.fields[index]),
        }
    }

    fn key(&self, index: usize) -> Result<v8::Local<'s, v8::String>, Error> {
        match &self.shape {
            Some(shape) => Ok(shape.key(self.scope, index)),
            None => internalized(self.scope, self.fields[index])
                .ok_or_else(|| Error::new("a field name is too long for V8")),
        }
    }

    /// `object[key]`, or the error of a getter that threw.
    fn get(
        &mut self,
        key: v8::Local<'s, v8::String>,
        segment: impl FnOnce() -> String,
    ) -> Result<v8::Local<'s, v8::Value>, Error> {
        self.object
            .get(self.scope, key.into())
            .ok_or_else(|| Error::new("reading the property threw an exception").within(segment))
    }

    /// What comes after the fields, by the struct's mode.
    fn after_fields(&mut self) -> Result<Phase<'s>, Error> {
        match self.shape.as_ref().map(|s| s.mode()) {
            Some(Mode::Lenient) => Ok(Phase::Done),
            Some(Mode::Unknown) if self.level.probe => Ok(Phase::Probe),
            _ => {
                let keys = own_keys(self.scope, self.object, true).ok_or_else(|| {
                    Error::new("listing the object's properties threw an exception")
                })?;
                Ok(Phase::Extra {
                    keys,
                    len: keys.length(),
                    index: 0,
                })
            }
        }
    }

    fn reject_probe(&self) {
        if let Some(shape) = &self.shape {
            shape.reject_probe();
        }
    }
}

impl<'de> de::MapAccess<'de> for StructFields<'_, '_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        loop {
            match self.phase {
                Phase::Fields { next } => {
                    let Some(&field) = self.fields.get(next) else {
                        self.phase = self.after_fields()?;
                        continue;
                    };
                    self.phase = Phase::Fields { next: next + 1 };
                    let key = self.key(next)?;
                    let value = self.get(key, || format!(".{field}"))?;
                    if value.is_undefined()
                        || (self.own_only(next)
                            && self.object.has_own_property(self.scope, key.into()) != Some(true))
                    {
                        continue;
                    }
                    self.pending = Pending::Field(field, value);
                    return seed
                        .deserialize(BorrowedStrDeserializer::<Error>::new(field))
                        .map(Some)
                        .map_err(|e| e.within(|| format!(".{field}")));
                }
                Phase::Extra { keys, len, index } => {
                    if index >= len {
                        self.phase = Phase::Done;
                        continue;
                    }
                    self.phase = Phase::Extra {
                        keys,
                        len,
                        index: index + 1,
                    };
                    let key = keys
                        .get_index(self.scope, index)
                        .and_then(|k| v8::Local::<v8::String>::try_from(k).ok())
                        .ok_or_else(|| Error::new("reading a property name threw an exception"))?;
                    let mut buf = [MaybeUninit::<u8>::uninit(); 128];
                    let name: Cow<'_, str> = key.to_rust_cow_lossy(self.scope, &mut buf);
                    if self.fields.contains(&&*name) {
                        continue;
                    }
                    let value = self.get(key, || format!(".{name}"))?;
                    if value.is_undefined() {
                        continue;
                    }
                    self.pending = Pending::Extra(key, value);
                    return seed
                        .deserialize(StrDeserializer::<Error>::new(&name))
                        .map(Some)
                        .map_err(|e| e.within(|| format!(".{name}")));
                }
                Phase::Probe => {
                    self.phase = Phase::Done;
                    self.pending = Pending::Probe;
                    return match seed.deserialize(BorrowedStrDeserializer::<Error>::new(PROBE)) {
                        Ok(key) => Ok(Some(key)),
                        Err(e) => {
                            self.reject_probe();
                            Err(e)
                        }
                    };
                }
                Phase::Done => return Ok(None),
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let pending = std::mem::replace(&mut self.pending, Pending::None);
        let value = match pending {
            Pending::Field(_, value) | Pending::Extra(_, value) => value,
            Pending::Probe => {
                return seed.deserialize(ProbeValue {
                    shape: self.shape.as_deref(),
                });
            }
            Pending::None => return Err(Error::new("a map value was read before its key")),
        };
        seed.deserialize(Deserializer {
            scope: self.scope,
            value,
            level: self.level,
        })
        .map_err(|e| e.within(|| pending.segment(self.scope)))
    }
}

impl Pending<'_> {
    /// The path segment of the value last offered (only built for errors).
    fn segment(&self, scope: &mut v8::PinScope<'_, '_>) -> String {
        match self {
            Pending::Field(field, _) => format!(".{field}"),
            Pending::Extra(key, _) => format!(".{}", key.to_rust_string_lossy(scope)),
            Pending::Probe | Pending::None => String::new(),
        }
    }
}

/// The probe's value: a struct that ignores unknown fields reads it as
/// `IgnoredAny`; anything else means the struct wants unknown fields.
struct ProbeValue<'a> {
    shape: Option<&'a Shape>,
}

impl<'de> de::Deserializer<'de> for ProbeValue<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        if let Some(shape) = self.shape {
            shape.reject_probe();
        }
        Err(Error::new("the struct reads unknown fields"))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Some(shape) = self.shape {
            shape.accept_probe();
        }
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
    }
}
