//! Map keys as property names.

use serde::ser::{self, Serialize};

use crate::serde_v8::Error;

/// Turns a map key into the string JS uses as a property name.
pub(super) struct KeySerializer;

fn key_error() -> Error {
    Error::new("map keys must be strings, numbers, booleans or chars")
}

macro_rules! key_to_string {
    ($($f:ident: $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<String, Error> {
            Ok(v.to_string())
        }
    )*};
}

macro_rules! key_unsupported {
    ($($f:ident$(<$g:ident>)?($($arg:ty),*) -> $ret:ty),* $(,)?) => {$(
        fn $f$(<$g: ?Sized + Serialize>)?(self, $(_: $arg),*) -> Result<$ret, Error> {
            Err(key_error())
        }
    )*};
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    key_to_string!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_char: char, serialize_str: &str
    );

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }

    key_unsupported!(
        serialize_f32(f32) -> String, serialize_f64(f64) -> String, serialize_bytes(&[u8]) -> String,
        serialize_none() -> String, serialize_some<T>(&T) -> String, serialize_unit() -> String,
        serialize_unit_struct(&'static str) -> String,
        serialize_newtype_variant<T>(&'static str, u32, &'static str, &T) -> String,
        serialize_seq(Option<usize>) -> Self::SerializeSeq, serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct(&'static str, usize) -> Self::SerializeStruct,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant,
    );
}
