//! Property names (which serde may want as strings, numbers or booleans)
//! and externally tagged enum values.

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use super::value::{Deserializer, Level, visit_js_string};
use crate::serde_v8::Error;

/// A property name, which serde may want as a string, a number or a bool.
pub(super) struct KeyDeserializer<'a, 's, 'i> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    pub(super) key: v8::Local<'s, v8::String>,
}

impl KeyDeserializer<'_, '_, '_> {
    fn parse<T: std::str::FromStr>(&mut self, what: &str) -> Result<T, Error> {
        let s = self.key.to_rust_string_lossy(self.scope);
        s.parse()
            .map_err(|_| Error::new(format!("expected a {what} key, got \"{s}\"")))
    }
}

macro_rules! parsed_keys {
    ($($method:ident: $t:ty => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, Error> {
            let v: $t = self.parse(stringify!($t))?;
            visitor.$visit(v)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'_, '_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visit_js_string(self.scope, self.key, visitor)
    }

    parsed_keys!(
        deserialize_bool: bool => visit_bool, deserialize_i8: i8 => visit_i8, deserialize_i16: i16 => visit_i16,
        deserialize_i32: i32 => visit_i32, deserialize_i64: i64 => visit_i64, deserialize_i128: i128 => visit_i128,
        deserialize_u8: u8 => visit_u8, deserialize_u16: u16 => visit_u16, deserialize_u32: u32 => visit_u32,
        deserialize_u64: u64 => visit_u64, deserialize_u128: u128 => visit_u128, deserialize_char: char => visit_char
    );

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let s: String = self.parse("string")?;
        visitor.visit_enum(s.into_deserializer())
    }

    forward_to_deserialize_any! {
        f32 f64 str string bytes byte_buf option unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An externally tagged enum value: `{ Variant: value }`.
pub(super) struct EnumValue<'a, 's, 'i> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    pub(super) variant: String,
    pub(super) value: v8::Local<'s, v8::Value>,
    pub(super) level: Level,
}

impl<'de, 'a, 's, 'i> de::EnumAccess<'de> for EnumValue<'a, 's, 'i> {
    type Error = Error;
    type Variant = Deserializer<'a, 's, 'i>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), Error> {
        let name: de::value::StrDeserializer<'_, Error> = self.variant.as_str().into_deserializer();
        let variant = seed.deserialize(name)?;
        let de = Deserializer {
            scope: self.scope,
            value: self.value,
            level: self.level,
        };
        Ok((variant, de))
    }
}
