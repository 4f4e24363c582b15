//! Conversions between V8 values and Rust values.
//!
//! [`FromV8`] turns a JS value into a Rust value (op arguments, script
//! results); [`ToV8`] turns a Rust value into a JS value (op return values).
//! Implement them for your own types to use those types in ops.
//!
//! # The rules
//!
//! Conversions are strict: nothing is coerced from another type, so a bug in
//! JS shows up as a `TypeError` that names the op and the argument instead
//! of as a wrong value. Integers follow WebIDL's `[EnforceRange]`, on the
//! slow and the fast path alike (the fast path receives only exact integers
//! and hands everything else to this rule).
//!
//! | Rust | accepts from JS | gives to JS |
//! |---|---|---|
//! | `bool` | `true` / `false` only | boolean |
//! | `i8`..`i32`, `u8`..`u32` | a Number, as WebIDL `[EnforceRange]` converts it: the fraction is dropped (`1.9` is `1`, `-0` is `0`), then it must be in range. `NaN`, `±Infinity`, out-of-range values, strings and BigInts are errors | Number |
//! | `f32`, `f64` | any Number, including `NaN`, `±Infinity` and `-0` (`f32` rounds) | Number |
//! | `i64`, `u64`, `isize`, `usize` with `#[bigint]` | a BigInt in range, or a Number converted as above that is then a safe integer (`±(2^53-1)`) | BigInt |
//! | `i64`, `u64`, `isize`, `usize` with `#[number]` | a Number converted as above that is then a safe integer in range | Number; a value beyond `±(2^53-1)` is a `RangeError` |
//! | `String`, `&str`, `Cow<str>` | a string; lone surrogates become U+FFFD | string |
//! | `Option<T>` | `undefined` or `null` as `None`, otherwise as `T`; a left-out argument is `undefined` | `null` for `None` |
//! | `()` | any value, ignored (a result nobody looks at) | `undefined` |
//! | `v8::Local<T>` | any value for `Value`, otherwise a value of that type | itself |

mod borrows;
pub(crate) mod buffer;
mod buffer_mut;
mod conv_error;
pub(crate) mod int64;
pub(crate) mod number;
pub(crate) mod output;
mod primitives;
mod strings;
mod traits;
pub(crate) mod wrapping;

pub use buffer::JsBuffer;
pub(crate) use buffer::{Region, ViewStore, new_uint8_array, read_view, view_bytes, write_view};
pub use buffer_mut::JsBufferMut;
pub use conv_error::{ConvError, describe};
pub use int64::{AsBigInt, AsNumber, WrapBigInt, WrapNumber};
pub use number::{Int64, MAX_SAFE_INTEGER};
pub use strings::StrBuf;
pub use traits::{FromV8, ToV8};
pub use wrapping::{WrapInt, wrap_number};
