//! `FromV8`/`ToV8` for booleans, numbers, `()`, `Option<T>` and `v8::Local<T>`.

use super::conv_error::ConvError;
use super::number::{OUT_OF_RANGE, enforce_range};
use super::traits::{FromV8, ToV8};

impl<'s> FromV8<'s> for bool {
    #[inline]
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        if value.is_boolean() {
            Ok(value.is_true())
        } else {
            Err(ConvError::new("boolean", value, None))
        }
    }
}

impl<'s> ToV8<'s> for bool {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(v8::Boolean::new(scope, self).into())
    }

    #[inline]
    fn set_ret(
        self,
        _scope: &mut v8::PinScope<'s, '_>,
        rv: &mut v8::ReturnValue<'_, v8::Value>,
    ) -> Result<(), ConvError> {
        rv.set_bool(self);
        Ok(())
    }
}

/// Reads a JS Number as an integer of type `T` with WebIDL `[EnforceRange]`
/// rules ([`enforce_range`]); int32 values take a shortcut.
#[inline]
pub(crate) fn number_to_int<T: TryFrom<i64>>(
    value: v8::Local<'_, v8::Value>,
    name: &'static str,
) -> Result<T, ConvError> {
    let converted = if value.is_int32() {
        // SAFETY: an int32 value is a Number.
        let n = unsafe { v8::Local::<v8::Int32>::cast_unchecked(value) }.value();
        T::try_from(i64::from(n)).map_err(|_| OUT_OF_RANGE)
    } else if value.is_number() {
        // SAFETY: checked `is_number` just above.
        enforce_range(unsafe { v8::Local::<v8::Number>::cast_unchecked(value) }.value())
    } else {
        return Err(ConvError::new(name, value, None));
    };
    converted.map_err(|reason| ConvError::new(name, value, Some(reason)))
}

macro_rules! small_ints {
    ($($t:ty => $setter:ident($via:ty)),* $(,)?) => {$(
        impl<'s> FromV8<'s> for $t {
            #[inline]
            fn from_v8(
                _scope: &mut v8::PinScope<'s, '_>,
                value: v8::Local<'s, v8::Value>,
            ) -> Result<Self, ConvError> {
                number_to_int(value, stringify!($t))
            }
        }

        impl<'s> ToV8<'s> for $t {
            fn to_v8(self, scope: &mut v8::PinScope<'s, '_>) -> Result<v8::Local<'s, v8::Value>, ConvError> {
                Ok(v8::Number::new(scope, f64::from(self)).into())
            }

            #[inline]
            fn set_ret(
                self,
                _scope: &mut v8::PinScope<'s, '_>,
                rv: &mut v8::ReturnValue<'_, v8::Value>,
            ) -> Result<(), ConvError> {
                rv.$setter(<$via>::from(self));
                Ok(())
            }
        }
    )*};
}

small_ints!(
    i8 => set_int32(i32), i16 => set_int32(i32), i32 => set_int32(i32),
    u8 => set_uint32(u32), u16 => set_uint32(u32), u32 => set_uint32(u32),
);

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl<'s> FromV8<'s> for $t {
            #[inline]
            fn from_v8(
                _scope: &mut v8::PinScope<'s, '_>,
                value: v8::Local<'s, v8::Value>,
            ) -> Result<Self, ConvError> {
                if value.is_number() {
                    // SAFETY: checked `is_number` just above.
                    let n = unsafe { v8::Local::<v8::Number>::cast_unchecked(value) }.value();
                    #[allow(clippy::cast_possible_truncation, reason = "f32 arguments round, as documented")]
                    Ok(n as $t)
                } else {
                    Err(ConvError::new(stringify!($t), value, None))
                }
            }
        }

        impl<'s> ToV8<'s> for $t {
            fn to_v8(self, scope: &mut v8::PinScope<'s, '_>) -> Result<v8::Local<'s, v8::Value>, ConvError> {
                Ok(v8::Number::new(scope, f64::from(self)).into())
            }

            #[inline]
            fn set_ret(
                self,
                _scope: &mut v8::PinScope<'s, '_>,
                rv: &mut v8::ReturnValue<'_, v8::Value>,
            ) -> Result<(), ConvError> {
                rv.set_double(f64::from(self));
                Ok(())
            }
        }
    )*};
}

floats!(f32, f64);

/// Accepts any value and ignores it: for results nobody looks at (a
/// [`JsCallback`](crate::JsCallback) call run for its effect, a script run
/// with [`JsRuntime::eval`](crate::JsRuntime::eval)).
impl<'s> FromV8<'s> for () {
    #[inline]
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        _value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        Ok(())
    }
}

impl<'s> ToV8<'s> for () {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(v8::undefined(scope).into())
    }

    #[inline]
    fn set_ret(
        self,
        _scope: &mut v8::PinScope<'s, '_>,
        _rv: &mut v8::ReturnValue<'_, v8::Value>,
    ) -> Result<(), ConvError> {
        Ok(())
    }
}

impl<'s, T: FromV8<'s>> FromV8<'s> for Option<T> {
    #[inline]
    fn from_v8(
        scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        if value.is_null_or_undefined() {
            Ok(None)
        } else {
            T::from_v8(scope, value)
                .map(Some)
                .map_err(ConvError::or_undefined)
        }
    }
}

impl<'s, T: ToV8<'s>> ToV8<'s> for Option<T> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        match self {
            Some(v) => v.to_v8(scope),
            None => Ok(v8::null(scope).into()),
        }
    }

    #[inline]
    fn set_ret(
        self,
        scope: &mut v8::PinScope<'s, '_>,
        rv: &mut v8::ReturnValue<'_, v8::Value>,
    ) -> Result<(), ConvError> {
        match self {
            Some(v) => v.set_ret(scope, rv),
            None => {
                rv.set_null();
                Ok(())
            }
        }
    }
}

impl<'s, T> FromV8<'s> for v8::Local<'s, T>
where
    v8::Local<'s, v8::Value>: TryInto<v8::Local<'s, T>>,
{
    #[inline]
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        value.try_into().map_err(|_| {
            let full = std::any::type_name::<T>();
            let short = full.rsplit("::").next().unwrap_or(full);
            ConvError::new(short, value, None)
        })
    }
}

impl<'s, T> ToV8<'s> for v8::Local<'s, T>
where
    v8::Local<'s, T>: Into<v8::Local<'s, v8::Value>>,
{
    fn to_v8(
        self,
        _scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(self.into())
    }
}
