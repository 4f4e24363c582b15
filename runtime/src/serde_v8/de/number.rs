//! [`NumberDeserializer`]: a serde `Deserializer` for one Number held as
//! an `f64` (an array element copied in bulk, see [`numbers`](super::numbers)),
//! converting it by the rules a Number value goes through.

use std::cell::Cell;

use serde::de::{self, Visitor};

use super::numbers::Kind;
use super::value::{Deserializer, Level};
use crate::convert::number::{MAX_SAFE_INTEGER, enforce_range, integral_safe, safe_integer};
use crate::serde_v8::Error;

/// A serde `Deserializer` for one Number: an array element `copyNumbers`
/// copied, or the first element of an array that may be copied (then the
/// kind it is read as is noted in `kind`).
pub(super) struct NumberDeserializer<'a, 's, 'i, 'k> {
    pub(super) scope: &'a mut v8::PinScope<'s, 'i>,
    pub(super) n: f64,
    pub(super) level: Level,
    pub(super) kind: Option<&'k Cell<Option<Kind>>>,
}

impl<'a, 's, 'i> NumberDeserializer<'a, 's, 'i, '_> {
    /// The value deserializer, for what this one does not convert itself
    /// (and for the errors, so that they read the same).
    fn value(self) -> Deserializer<'a, 's, 'i> {
        let value = v8::Number::new(self.scope, self.n).into();
        Deserializer {
            scope: self.scope,
            value,
            level: self.level,
        }
    }

    fn note(&self, kind: Kind) {
        if let Some(cell) = self.kind {
            cell.set(Some(kind));
        }
    }
}

/// Visits a non-int32 Number: integral safe values as integers (`-0`,
/// fractions, `NaN` and infinities as `f64`).
pub(super) fn visit_number<'de, V: Visitor<'de>>(n: f64, visitor: V) -> Result<V::Value, Error> {
    let integral = integral_safe(n).filter(|_| !(n == 0.0 && n.is_sign_negative()));
    if let Some(i) = integral {
        if i < 0 {
            visitor.visit_i64(i)
        } else {
            visitor.visit_u64(i.unsigned_abs())
        }
    } else {
        visitor.visit_f64(n)
    }
}

/// Whether V8 holds `n` as an int32 (`Value::IsInt32`: integral, in range,
/// not `-0`).
fn is_int32(n: f64) -> bool {
    n.fract() == 0.0
        && n >= f64::from(i32::MIN)
        && n <= f64::from(i32::MAX)
        && !(n == 0.0 && n.is_sign_negative())
}

macro_rules! small_ints {
    ($($method:ident: $t:ty => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match enforce_range::<$t>(self.n) {
                Ok(v) => {
                    self.note(Kind::Int(<$t>::MIN.into(), <$t>::MAX.into()));
                    visitor.$visit(v)
                }
                Err(_) => self.value().$method(visitor),
            }
        }
    )*};
}

macro_rules! wide_ints {
    ($($method:ident: $t:ty => $visit:ident, $lo:expr),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match enforce_range::<i64>(self.n).and_then(safe_integer::<$t>) {
                Ok(v) => {
                    self.note(Kind::Int64($lo, MAX_SAFE_INTEGER));
                    visitor.$visit(v)
                }
                Err(_) => self.value().$method(visitor),
            }
        }
    )*};
}

macro_rules! by_value {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            self.value().$method($($arg,)* visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NumberDeserializer<'_, '_, '_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.note(Kind::Any);
        if is_int32(self.n) {
            #[allow(clippy::cast_possible_truncation, reason = "an int32")]
            return visitor.visit_i64(self.n as i64);
        }
        visit_number(self.n, visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.note(Kind::Float);
        visitor.visit_f64(self.n)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.note(Kind::Float);
        #[allow(clippy::cast_possible_truncation, reason = "f32 rounds, as documented")]
        visitor.visit_f32(self.n as f32)
    }

    small_ints!(
        deserialize_i8: i8 => visit_i8, deserialize_i16: i16 => visit_i16,
        deserialize_i32: i32 => visit_i32, deserialize_u8: u8 => visit_u8,
        deserialize_u16: u16 => visit_u16, deserialize_u32: u32 => visit_u32
    );
    wide_ints!(
        deserialize_i64: i64 => visit_i64, -MAX_SAFE_INTEGER,
        deserialize_u64: u64 => visit_u64, 0
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // A Number is never `null` or `undefined`.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    by_value!(
        deserialize_bool(), deserialize_i128(), deserialize_u128(), deserialize_char(),
        deserialize_str(), deserialize_string(), deserialize_bytes(), deserialize_byte_buf(),
        deserialize_unit(), deserialize_unit_struct(name: &'static str), deserialize_seq(),
        deserialize_tuple(len: usize), deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map(), deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier(), deserialize_ignored_any(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int32_is_what_v8_holds_as_one() {
        assert!(is_int32(0.0) && is_int32(-5.0) && is_int32(2_147_483_647.0));
        assert!(!is_int32(-0.0) && !is_int32(2_147_483_648.0) && !is_int32(0.5));
        assert!(!is_int32(f64::NAN) && !is_int32(f64::INFINITY));
    }
}
