//! What a [`Serializer`] collects arrays and maps with.

use serde::ser::{self, Serialize};

use super::key::KeySerializer;
use super::value::Serializer;
use crate::serde_v8::Error;

/// Collects array elements; for a tuple variant, wraps them as `{ Variant: [..] }`.
#[derive(Debug)]
pub struct SeqSerializer<'a, 's, 'i> {
    ser: Serializer<'a, 's, 'i>,
    items: Vec<v8::Local<'s, v8::Value>>,
    variant: Option<&'static str>,
}

impl<'a, 's, 'i> SeqSerializer<'a, 's, 'i> {
    pub(super) fn new(
        ser: Serializer<'a, 's, 'i>,
        len: usize,
        variant: Option<&'static str>,
    ) -> Self {
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
                Ok(self.ser.object([(key, array)]))
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
    pub(super) fn new(ser: Serializer<'a, 's, 'i>, len: usize) -> Self {
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
        Ok(self.ser.object(self.props))
    }
}
