//! Our serde bridge: a [`Serializer`] that builds V8 values
//! and a [`Deserializer`] that walks them, with no JSON text
//! in between.
//!
//! | Rust (serde data model) | JS |
//! |---|---|
//! | struct | object; **in**: each field is read like a WebIDL dictionary member, `obj[field]` (own or inherited, getters run), and `undefined` counts as absent (a field named like an `Object.prototype` member, such as `constructor`, counts only as an own property); with `deny_unknown_fields`, an own enumerable key that is no field is an error |
//! | map with string or number keys | object, own enumerable keys (a JS `Map` is also accepted as input, for structs too) |
//! | sequence, tuple, tuple struct | array (a typed array is also accepted as a byte sequence); **in**: an array of 32 or more elements that starts with a number read as one is copied with one call per 4,096 elements, as far as its elements are numbers of that type (not a tuple, whose elements can differ in type); each element is still read once, in order, and none after one that fails |
//! | `Option` | `null` / `undefined` ↔ `None` (`None` serializes as `null`) |
//! | `()`, unit struct | `null`, as in JSON, so `serde_json::Value::Null` round-trips (`undefined` also accepted as input) |
//! | enums | serde's representations: externally tagged `"Unit"` / `{ "Variant": value }`; `tag`, `tag` + `content` and `untagged` through serde's derive |
//! | `bool`, `char`, `String` | boolean, one-character string, string (strict: nothing is coerced) |
//! | `f32`, `f64` | Number, including `NaN`, `±Infinity`, `-0` |
//! | `i8`..`u32` | Number that is an integer in range |
//! | `i64`, `u64`, `i128`, `u128` | **out**: a Number when within ±(2^53 − 1), a BigInt beyond; **in**: an integral Number (within ±(2^53 − 1)) or a BigInt in range |
//! | bytes (`serde_bytes`) | `Uint8Array` (any `ArrayBufferView` or `ArrayBuffer` accepted as input) |
//!
//! Errors name the path to the bad value: `.servers[2].port: expected u16,
//! got string`. Input nested deeper than [`MAX_DEPTH`] levels, including any
//! cyclic object, is an error rather than a stack overflow.
//!
//! ```
//! use opwire::serde_v8::{from_v8, to_v8};
//! use opwire::{JsRuntime, RuntimeOptions};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Debug, PartialEq)]
//! struct Server { host: String, port: u16 }
//!
//! let mut rt = JsRuntime::new(RuntimeOptions::default());
//! rt.with_scope(|scope| {
//!     let value = to_v8(scope, &Server { host: "a".into(), port: 80 }).unwrap();
//!     let back: Server = from_v8(scope, value).unwrap();
//!     assert_eq!(back, Server { host: "a".into(), port: 80 });
//! });
//! let err = rt.with_scope(|scope| {
//!     let src = v8::String::new(scope, "({ servers: [{ host: 'a', port: '80' }] })").unwrap();
//!     let value = v8::Script::compile(scope, src, None).unwrap().run(scope).unwrap();
//!     #[derive(Deserialize, Debug)]
//!     struct Config { servers: Vec<Server> }
//!     from_v8::<Config>(scope, value).unwrap_err()
//! });
//! assert_eq!(err.to_string(), ".servers[0].port: expected u16, got string");
//! # use opwire::v8;
//! ```

mod cache;
mod de;
mod error;
mod limits;
mod literal;
mod ser;
mod shape;
mod table;

pub use de::Deserializer;
#[doc(hidden)]
pub use de::bulk_copies;
pub use error::Error;
pub use limits::MAX_DEPTH;
pub use ser::Serializer;

pub(crate) use cache::SerdeCache;

/// Converts `value` to a V8 value.
///
/// # Errors
///
/// When `value` has no JS form (a map key that is not a string or number, a
/// string too long for V8), or nests deeper than [`MAX_DEPTH`].
pub fn to_v8<'s, T: serde::Serialize + ?Sized>(
    scope: &mut v8::PinScope<'s, '_>,
    value: &T,
) -> Result<v8::Local<'s, v8::Value>, Error> {
    value.serialize(Serializer::new(scope))
}

/// Converts a V8 value to `T`.
///
/// # Errors
///
/// When `value` does not match `T`; the error names the path to the
/// offending part.
pub fn from_v8<'de, 's, T: serde::Deserialize<'de>>(
    scope: &mut v8::PinScope<'s, '_>,
    value: v8::Local<'s, v8::Value>,
) -> Result<T, Error> {
    let retry = scope.get_slot::<SerdeCache>().map(|c| c.retry.clone());
    let Some(retry) = retry else {
        return T::deserialize(Deserializer::new(scope, value));
    };
    // Runs again when a struct type seen for the first time turned out to
    // reject unknown fields (see `shape`); each type does so at most once.
    loop {
        retry.set(false);
        let result = T::deserialize(Deserializer::probing(scope, value));
        if !retry.get() {
            return result;
        }
    }
}

/// How many struct shapes the runtime of `scope` builds from a compiled
/// literal (`serde_v8::literal`); for tests.
#[doc(hidden)]
pub fn literals_ready(scope: &v8::PinScope<'_, '_>) -> usize {
    scope
        .get_slot::<SerdeCache>()
        .map_or(0, |cache| cache.literals.ready())
}

/// Marks a value as converted through serde: `Serde<T>` implements
/// [`FromV8`](crate::FromV8) and [`ToV8`](crate::ToV8) for any
/// `T: Deserialize` / `T: Serialize`. `#[serde]` on an op argument or return
/// value uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Serde<T>(pub T);

impl<'s, T: serde::de::DeserializeOwned> crate::FromV8<'s> for Serde<T> {
    fn from_v8(
        scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, crate::ConvError> {
        from_v8(scope, value).map(Serde).map_err(Error::into_conv)
    }
}

impl<'s, T: serde::Serialize> crate::ToV8<'s> for Serde<T> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, crate::ConvError> {
        to_v8(scope, &self.0).map_err(Error::into_conv)
    }
}

impl<T: serde::Serialize + 'static> crate::convert::output::IntoOpOutput for Serde<T> {
    fn into_output(self) -> crate::convert::output::OpOutput {
        crate::convert::output::OpOutput::Deferred(Box::new(move |scope| {
            to_v8(scope, &self.0).map_err(Error::into_conv)
        }))
    }
}
