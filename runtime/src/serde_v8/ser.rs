//! Serializing Rust values straight into V8 values.

use serde::ser::{self, Serialize};
use smallvec::SmallVec;

use super::error::Error;
use super::limits::MAX_DEPTH;
use crate::convert::number::{is_safe, new_bigint, new_bigint_from_magnitude};

/// A serde `Serializer` whose output is a `v8::Local<v8::Value>`.
pub struct Serializer<'a, 's, 'i> {
    scope: &'a mut v8::PinScope<'s, 'i>,
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

    fn nested(&mut self) -> Result<Serializer<'_, 's, 'i>, Error> {
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

    fn string(&mut self, s: &str) -> Result<v8::Local<'s, v8::Value>, Error> {
        v8::String::new(self.scope, s)
            .map(Into::into)
            .ok_or_else(|| Error::new(format!("a string of {} bytes is too long for V8", s.len())))
    }

    fn key(&mut self, s: &str) -> Result<v8::Local<'s, v8::Name>, Error> {
        v8::String::new_from_utf8(self.scope, s.as_bytes(), v8::NewStringType::Internalized)
            .map(Into::into)
            .ok_or_else(|| Error::new("property name too long for V8"))
    }

    /// A property name known at compile time (a field or variant name),
    /// from the runtime's cache when there is one.
    fn static_key(&mut self, s: &'static str) -> Result<v8::Local<'s, v8::Name>, Error> {
        let cached = self
            .scope
            .get_slot::<super::SerdeCache>()
            .and_then(|cache| cache.name(self.scope, s));
        match cached {
            Some(key) => Ok(key.into()),
            None => self.key(s),
        }
    }

    /// An integer: a Number when it is safe, a BigInt otherwise.
    fn int(&mut self, v: i128) -> Result<v8::Local<'s, v8::Value>, Error> {
        if is_safe(v) {
            #[allow(clippy::cast_precision_loss, reason = "safe integers are exact in f64")]
            return Ok(v8::Number::new(self.scope, v as f64).into());
        }
        Ok(new_bigint(self.scope, v)?.into())
    }

    fn object(
        &mut self,
        props: &[(v8::Local<'s, v8::Name>, v8::Local<'s, v8::Value>)],
    ) -> v8::Local<'s, v8::Value> {
        let object = v8::Object::new(self.scope);
        for (k, v) in props {
            // Defines the property (as `JSON.parse` does): a setter that
            // someone put on `Object.prototype` is not called.
            object.create_data_property(self.scope, *k, *v);
        }
        object.into()
    }
}

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
        Ok(self.object(&[(key, value)]))
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

/// Collects array elements; for a tuple variant, wraps them as `{ Variant: [..] }`.
#[derive(Debug)]
pub struct SeqSerializer<'a, 's, 'i> {
    ser: Serializer<'a, 's, 'i>,
    items: Vec<v8::Local<'s, v8::Value>>,
    variant: Option<&'static str>,
}

impl<'a, 's, 'i> SeqSerializer<'a, 's, 'i> {
    fn new(ser: Serializer<'a, 's, 'i>, len: usize, variant: Option<&'static str>) -> Self {
        Self {
            ser,
            items: Vec::with_capacity(len.min(4096)),
            variant,
        }
    }

    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let index = self.items.len();
        let value = value
            .serialize(self.ser.nested()?)
            .map_err(|e| e.within(|| format!("[{index}]")))?;
        self.items.push(value);
        Ok(())
    }

    fn finish(mut self) -> Result<v8::Local<'s, v8::Value>, Error> {
        let array: v8::Local<'s, v8::Value> =
            v8::Array::new_with_elements(self.ser.scope, &self.items).into();
        match self.variant {
            None => Ok(array),
            Some(variant) => {
                let key = self.ser.static_key(variant)?;
                Ok(self.ser.object(&[(key, array)]))
            }
        }
    }
}

macro_rules! seq_impls {
    ($($tr:ident :: $method:ident),*) => {$(
        impl<'s> ser::$tr for SeqSerializer<'_, 's, '_> {
            type Ok = v8::Local<'s, v8::Value>;
            type Error = Error;

            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }

            fn end(self) -> Result<Self::Ok, Error> {
                self.finish()
            }
        }
    )*};
}
seq_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Collects a map's entries into an object.
#[derive(Debug)]
pub struct MapSerializer<'a, 's, 'i> {
    ser: Serializer<'a, 's, 'i>,
    props: Vec<(v8::Local<'s, v8::Name>, v8::Local<'s, v8::Value>)>,
    next_key: Option<v8::Local<'s, v8::Name>>,
}

impl<'a, 's, 'i> MapSerializer<'a, 's, 'i> {
    fn new(ser: Serializer<'a, 's, 'i>, len: usize) -> Self {
        Self {
            ser,
            props: Vec::with_capacity(len.min(4096)),
            next_key: None,
        }
    }
}

impl<'s> ser::SerializeMap for MapSerializer<'_, 's, '_> {
    type Ok = v8::Local<'s, v8::Value>;
    type Error = Error;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        let key = key.serialize(KeySerializer)?;
        self.next_key = Some(self.ser.key(&key)?);
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .next_key
            .take()
            .ok_or_else(|| Error::new("map value without a key"))?;
        let value = value.serialize(self.ser.nested()?).map_err(|e| {
            e.within(|| {
                let name: v8::Local<'_, v8::Value> = key.into();
                format!(".{}", name.to_rust_string_lossy(self.ser.scope))
            })
        })?;
        self.props.push((key, value));
        Ok(())
    }

    fn end(mut self) -> Result<Self::Ok, Error> {
        Ok(self.ser.object(&self.props))
    }
}

/// Collects a struct's fields; for a struct variant, wraps them as
/// `{ Variant: {..} }`. The object is built by the shape's compiled
/// [literal](super::literal) once there is one, field by field otherwise.
#[derive(Debug)]
pub struct StructSerializer<'a, 's, 'i> {
    ser: Serializer<'a, 's, 'i>,
    name: &'static str,
    fields: SmallVec<[&'static str; INLINE_FIELDS]>,
    values: SmallVec<[v8::Local<'s, v8::Value>; INLINE_FIELDS]>,
    variant: Option<&'static str>,
}

/// The fields a struct serializer holds without allocating.
const INLINE_FIELDS: usize = 8;

impl<'a, 's, 'i> StructSerializer<'a, 's, 'i> {
    fn new(
        ser: Serializer<'a, 's, 'i>,
        name: &'static str,
        len: usize,
        variant: Option<&'static str>,
    ) -> Self {
        let len = len.min(4096);
        Self {
            ser,
            name,
            fields: SmallVec::with_capacity(len),
            values: SmallVec::with_capacity(len),
            variant,
        }
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        let value = value
            .serialize(self.ser.nested()?)
            .map_err(|e| e.within(|| format!(".{key}")))?;
        self.fields.push(key);
        self.values.push(value);
        Ok(())
    }

    fn finish(mut self) -> Result<v8::Local<'s, v8::Value>, Error> {
        let object = match self.literal() {
            Some(object) => object,
            None => {
                let object = v8::Object::new(self.ser.scope);
                for (field, value) in self.fields.iter().zip(&self.values) {
                    let key = self.ser.static_key(field)?;
                    object.create_data_property(self.ser.scope, key, *value);
                }
                object.into()
            }
        };
        match self.variant {
            None => Ok(object),
            Some(variant) => {
                let key = self.ser.static_key(variant)?;
                Ok(self.ser.object(&[(key, object)]))
            }
        }
    }

    /// The object, from the shape's compiled literal when it has one.
    fn literal(&mut self) -> Option<v8::Local<'s, v8::Value>> {
        let literals = self
            .ser
            .scope
            .get_slot::<super::SerdeCache>()?
            .literals
            .clone();
        literals.build(self.ser.scope, self.name, &self.fields, &self.values)
    }
}

macro_rules! struct_impls {
    ($($tr:ident),*) => {$(
        impl<'s> ser::$tr for StructSerializer<'_, 's, '_> {
            type Ok = v8::Local<'s, v8::Value>;
            type Error = Error;

            fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(key, value)
            }

            fn end(self) -> Result<Self::Ok, Error> {
                self.finish()
            }
        }
    )*};
}
struct_impls!(SerializeStruct, SerializeStructVariant);

/// Turns a map key into the string JS uses as a property name.
struct KeySerializer;

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
