//! Deserializing Rust values straight from V8 values.

use serde::de::value::SeqDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

mod access;
mod fields;
mod keys;
mod number;
mod numbers;
mod value;

use access::{ArraySeq, JsMapEntries, ObjectMap, own_keys};
use fields::StructFields;
use keys::EnumValue;
use number::visit_number;
pub use numbers::bulk_copies;
pub use value::Deserializer;

use crate::convert::AsBigInt;
use crate::convert::number::integral_safe;
use crate::serde_v8::Error;

impl<'a, 's, 'i> Deserializer<'a, 's, 'i> {
    /// An array's elements; `bulk` lets a long array of numbers be copied
    /// in bulk (not for a tuple, whose elements can differ in type).
    fn visit_array<'de, V: Visitor<'de>>(
        self,
        array: v8::Local<'s, v8::Array>,
        visitor: V,
        bulk: bool,
    ) -> Result<V::Value, Error> {
        let level = self.enter()?;
        let mut seq = ArraySeq::new(self.scope, array, level, bulk);
        let value = visitor.visit_seq(&mut seq)?;
        if seq.index < seq.len {
            return Err(Error::new(format!(
                "expected an array of {} elements, got {}",
                seq.index, seq.len
            )));
        }
        Ok(value)
    }

    /// A sequence from an array (see [`Self::visit_array`] for `bulk`), or
    /// the bytes of a typed array or `ArrayBuffer`.
    fn visit_seq<'de, V: Visitor<'de>>(self, visitor: V, bulk: bool) -> Result<V::Value, Error> {
        if let Ok(array) = v8::Local::<v8::Array>::try_from(self.value) {
            return self.visit_array(array, visitor, bulk);
        }
        match self.bytes()? {
            Some(bytes) => {
                visitor.visit_seq(SeqDeserializer::<_, Error>::new(bytes.iter().copied()))
            }
            None => Err(self.mismatch("array")),
        }
    }

    /// A struct from an object: its fields by name (a JS `Map` is read
    /// entry by entry).
    fn visit_struct<'de, V: Visitor<'de>>(
        self,
        object: v8::Local<'s, v8::Object>,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if object.is_map() {
            return self.visit_object(object, visitor);
        }
        let level = self.enter()?;
        visitor.visit_map(StructFields::new::<V>(self.scope, object, fields, level))
    }

    fn visit_object<'de, V: Visitor<'de>>(
        self,
        object: v8::Local<'s, v8::Object>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let level = self.enter()?;
        if let Ok(map) = v8::Local::<v8::Map>::try_from(object) {
            let entries = map.as_array(self.scope);
            return visitor.visit_map(JsMapEntries(ArraySeq::new(
                self.scope, entries, level, true,
            )));
        }
        let keys = own_keys(self.scope, object, false)
            .ok_or_else(|| Error::new("listing the object's properties threw an exception"))?;
        visitor.visit_map(ObjectMap {
            scope: self.scope,
            object,
            len: keys.length(),
            keys,
            index: 0,
            key: None,
            level,
        })
    }
}

macro_rules! ints {
    ($($method:ident: $t:ty => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            let v: $t = self.conv()?;
            visitor.$visit(v)
        }
    )*};
}

macro_rules! wide_ints {
    ($($method:ident: $t:ty => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            let AsBigInt(v) = self.conv::<AsBigInt<$t>>()?;
            visitor.$visit(v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Deserializer<'_, '_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.value;
        if value.is_null_or_undefined() {
            visitor.visit_unit()
        } else if value.is_boolean() {
            visitor.visit_bool(value.is_true())
        } else if value.is_int32() {
            // SAFETY: an int32 value is an Int32.
            let n = unsafe { v8::Local::<v8::Int32>::cast_unchecked(value) }.value();
            visitor.visit_i64(i64::from(n))
        } else if value.is_number() {
            // SAFETY: checked `is_number` just above.
            let n = unsafe { v8::Local::<v8::Number>::cast_unchecked(value) }.value();
            visit_number(n, visitor)
        } else if value.is_big_int() {
            // SAFETY: checked `is_big_int` just above.
            let b = unsafe { v8::Local::<v8::BigInt>::cast_unchecked(value) };
            match (b.i64_value(), b.u64_value()) {
                ((v, true), _) => visitor.visit_i64(v),
                (_, (v, true)) => visitor.visit_u64(v),
                _ => Err(self.mismatch("a BigInt within 64 bits")),
            }
        } else if value.is_string() {
            // SAFETY: checked `is_string` just above.
            let s = unsafe { v8::Local::<v8::String>::cast_unchecked(value) };
            self.visit_string(s, visitor)
        } else if let Ok(array) = v8::Local::<v8::Array>::try_from(value) {
            self.visit_array(array, visitor, true)
        } else if let Some(bytes) = self.bytes()? {
            visitor.visit_bytes(bytes)
        } else if value.is_function() || value.is_symbol() {
            Err(self.mismatch("data (not a function or symbol)"))
        } else if let Ok(object) = v8::Local::<v8::Object>::try_from(value) {
            self.visit_object(object, visitor)
        } else {
            Err(self.mismatch("data"))
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.conv()?)
    }

    ints!(
        deserialize_i8: i8 => visit_i8, deserialize_i16: i16 => visit_i16, deserialize_i32: i32 => visit_i32,
        deserialize_u8: u8 => visit_u8, deserialize_u16: u16 => visit_u16, deserialize_u32: u32 => visit_u32,
        deserialize_f32: f32 => visit_f32, deserialize_f64: f64 => visit_f64
    );
    wide_ints!(deserialize_i64: i64 => visit_i64, deserialize_u64: u64 => visit_u64);

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let v = wide_int(self.value).ok_or_else(|| self.mismatch("i128"))?;
        visitor.visit_i128(v)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let v = wide_int(self.value)
            .and_then(|v| u128::try_from(v).ok())
            .ok_or_else(|| self.mismatch("u128"))?;
        visitor.visit_u128(v)
    }

    fn deserialize_char<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
        let s: String = self
            .conv()
            .map_err(|_| self.mismatch("a one-character string"))?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(Error::new(format!(
                "expected a one-character string, got a string of {} characters",
                s.chars().count()
            ))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match v8::Local::<v8::String>::try_from(self.value) {
            Ok(s) => self.visit_string(s, visitor),
            Err(_) => Err(self.mismatch("string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.bytes()? {
            Some(bytes) => visitor.visit_bytes(bytes),
            None if self.value.is_array() => self.deserialize_any(visitor),
            None => Err(self.mismatch("Uint8Array")),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.is_null_or_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.value.is_null_or_undefined() {
            visitor.visit_unit()
        } else {
            Err(self.mismatch("undefined or null"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_seq(visitor, true)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.visit_seq(visitor, false)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.visit_seq(visitor, false)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match v8::Local::<v8::Object>::try_from(self.value) {
            Ok(object) if !self.value.is_array() && !self.value.is_function() => {
                self.visit_object(object, visitor)
            }
            _ => Err(self.mismatch("object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match v8::Local::<v8::Object>::try_from(self.value) {
            Ok(object) if !self.value.is_array() && !self.value.is_function() => {
                self.visit_struct(object, fields, visitor)
            }
            _ => Err(self.mismatch(&format!("object (struct {name})"))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if let Ok(s) = v8::Local::<v8::String>::try_from(self.value) {
            let variant = s.to_rust_string_lossy(self.scope);
            return visitor.visit_enum(variant.into_deserializer());
        }
        let expected = || format!("a variant name or an object with one key (enum {name})");
        let object = match v8::Local::<v8::Object>::try_from(self.value) {
            Ok(o) if !self.value.is_array() => o,
            _ => return Err(self.mismatch(&expected())),
        };
        let keys = own_keys(self.scope, object, false);
        let key = match keys {
            Some(keys) if keys.length() == 1 => keys.get_index(self.scope, 0),
            _ => None,
        };
        let Some(key) = key else {
            return Err(self.mismatch(&expected()));
        };
        let value = object
            .get(self.scope, key)
            .ok_or_else(|| Error::new("reading the property threw an exception"))?;
        let level = self.enter()?;
        let variant = key.to_rust_string_lossy(self.scope);
        visitor.visit_enum(EnumValue {
            scope: self.scope,
            variant,
            value,
            level,
        })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// A BigInt of up to 128 bits, or a safe integral Number, as i128.
fn wide_int(value: v8::Local<'_, v8::Value>) -> Option<i128> {
    if let Ok(b) = v8::Local::<v8::BigInt>::try_from(value) {
        if b.word_count() > 2 {
            return None;
        }
        let mut words = [0u64; 2];
        let (negative, words) = b.to_words_array(&mut words);
        let magnitude = words
            .iter()
            .rev()
            .fold(0u128, |acc, w| (acc << 64) | u128::from(*w));
        let v = i128::try_from(magnitude).ok()?;
        return Some(if negative { -v } else { v });
    }
    let n = value.number_value_checked()?;
    integral_safe(n).map(i128::from)
}

trait NumberValue {
    fn number_value_checked(&self) -> Option<f64>;
}

impl NumberValue for v8::Local<'_, v8::Value> {
    fn number_value_checked(&self) -> Option<f64> {
        v8::Local::<v8::Number>::try_from(*self)
            .ok()
            .map(|n| n.value())
    }
}

impl<'de> de::VariantAccess<'de> for Deserializer<'_, '_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserializer::deserialize_unit(self, serde::de::IgnoredAny).map(|_| ())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_struct(self, "variant", fields, visitor)
    }
}
