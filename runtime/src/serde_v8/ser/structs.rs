//! What a [`Serializer`] collects struct fields with.

use serde::ser::{self, Serialize};
use smallvec::SmallVec;

use super::value::Serializer;
use crate::serde_v8::Error;

/// Collects a struct's fields; for a struct variant, wraps them as
/// `{ Variant: {..} }`. The object is built by the shape's compiled
/// [literal](crate::serde_v8::literal) once there is one, field by field otherwise.
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
    pub(super) fn new(
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
                let keys = self
                    .fields
                    .iter()
                    .map(|field| self.ser.static_key(field))
                    .collect::<Result<SmallVec<[_; INLINE_FIELDS]>, _>>()?;
                self.ser
                    .object(keys.into_iter().zip(self.values.iter().copied()))
            }
        };
        match self.variant {
            None => Ok(object),
            Some(variant) => {
                let key = self.ser.static_key(variant)?;
                Ok(self.ser.object([(key, object)]))
            }
        }
    }

    /// The object, from the shape's compiled literal when it has one.
    fn literal(&mut self) -> Option<v8::Local<'s, v8::Value>> {
        let literals = self
            .ser
            .scope
            .get_slot::<crate::serde_v8::SerdeCache>()?
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
