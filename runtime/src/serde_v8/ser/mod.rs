//! Serializing Rust values straight into V8 values: the serde trait impl of
//! the [`Serializer`] (itself in `value.rs`); the sibling files hold what it
//! collects arrays, maps and structs with, and how map keys become property
//! names.

mod compound;
mod key;
mod structs;
mod value;

use serde::ser::{self, Serialize};

use self::compound::{MapSerializer, SeqSerializer};
use self::structs::StructSerializer;
pub use self::value::Serializer;
use super::error::Error;
use crate::convert::number::new_bigint_from_magnitude;

macro_rules! small_numbers {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<Self::Ok, Error> {
            Ok(v8::Number::new(self.scope, f64::from(v)).into())
        }
    )*};
}

impl<'a, 's, 'i> ser::Serializer for Serializer<'a, 's, 'i> {
    type Ok = v8::Local<'s, v8::Value>;
    type Error = Error;
    type SerializeSeq = SeqSerializer<'a, 's, 'i>;
    type SerializeTuple = SeqSerializer<'a, 's, 'i>;
    type SerializeTupleStruct = SeqSerializer<'a, 's, 'i>;
    type SerializeTupleVariant = SeqSerializer<'a, 's, 'i>;
    type SerializeMap = MapSerializer<'a, 's, 'i>;
    type SerializeStruct = StructSerializer<'a, 's, 'i>;
    type SerializeStructVariant = StructSerializer<'a, 's, 'i>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok, Error> {
        Ok(v8::Boolean::new(self.scope, v).into())
    }

    small_numbers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_u8: u8,
        serialize_u16: u16, serialize_u32: u32, serialize_f32: f32, serialize_f64: f64
    );

    fn serialize_i64(mut self, v: i64) -> Result<Self::Ok, Error> {
        self.int(i128::from(v))
    }

    fn serialize_u64(mut self, v: u64) -> Result<Self::Ok, Error> {
        self.int(i128::from(v))
    }

    fn serialize_i128(mut self, v: i128) -> Result<Self::Ok, Error> {
        self.int(v)
    }

    fn serialize_u128(mut self, v: u128) -> Result<Self::Ok, Error> {
        match i128::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => Ok(new_bigint_from_magnitude(self.scope, false, v)?.into()),
        }
    }

    fn serialize_char(mut self, v: char) -> Result<Self::Ok, Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(mut self, v: &str) -> Result<Self::Ok, Error> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok, Error> {
        Ok(crate::convert::new_uint8_array(
            self.scope,
            v.to_vec().into_boxed_slice(),
        ))
    }

    fn serialize_none(self) -> Result<Self::Ok, Error> {
        Ok(v8::null(self.scope).into())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Self::Ok, Error> {
        // `null`, as in JSON: `serde_json::Value::Null` serializes as unit.
        Ok(v8::null(self.scope).into())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok, Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, Error> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        let key = self.static_key(variant)?;
        let value = value.serialize(self.nested()?)?;
        Ok(self.object([(key, value)]))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Ok(SeqSerializer::new(self, len.unwrap_or(0), None))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Error> {
        Ok(SeqSerializer::new(self, len, None))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Ok(SeqSerializer::new(self, len, None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Ok(SeqSerializer::new(self, len, Some(variant)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Ok(MapSerializer::new(self, len.unwrap_or(0)))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Ok(StructSerializer::new(self, name, len, None))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Ok(StructSerializer::new(self, name, len, Some(variant)))
    }
}
