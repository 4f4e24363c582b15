//! Long arrays of numbers, read in bulk.
//!
//! Reading an array element by element costs one `Object::Get` through the
//! API per element (about 20 ns). So when an array of at least
//! [`BULK_MIN`] elements starts with a Number that its element type read as
//! a number ([`Kind`]), the rest is copied, [`CHUNK`] elements per call of
//! the bootstrap's `copyNumbers` (`runtime/js/core.js`), into a
//! `Float64Array`, as far as the elements are Numbers the kind accepts;
//! each copied number is then converted from there, and the array goes on
//! element by element from the first one that is not.
//!
//! The result is the same: [`NumberDeserializer`](super::number::NumberDeserializer)
//! converts a copied number
//! by the rules a Number value goes through (and hands anything it does not
//! convert itself to the value deserializer, with the Number as a value),
//! and `copyNumbers` only copies numbers the first element's kind converts
//! without error, and stops at the first other element. Each element is
//! read once, in order, and none after one that fails. Converting a Number
//! runs no JS, so reading the copied elements ahead of converting them
//! shows only if the elements are not all read as the first one is. Tuples
//! (and fixed-size arrays) are therefore read element by element: their
//! elements can differ in type, and one can be shorter than the array.
//! What is left is a hand-written visitor that reads a sequence's elements
//! as different types: a getter on an index could then see elements past
//! the one that ends the read being read.

use std::cell::Cell;

use crate::serde_v8::cache::SerdeCache;

thread_local! {
    static BULK_COPIES: Cell<u64> = const { Cell::new(0) };
}

/// How many chunks of arrays this thread copied in bulk (counted only with
/// the `counters` feature; always 0 otherwise). For tests that must prove
/// the bulk path ran.
pub fn bulk_copies() -> u64 {
    BULK_COPIES.with(Cell::get)
}

/// Arrays shorter than this are read element by element (a bulk copy costs
/// about as much as 16 element reads).
pub(super) const BULK_MIN: u32 = 32;

/// How a sequence's first element, a Number, was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `f64` or `f32`: any Number.
    Float,
    /// An integer type of at most 32 bits, with its bounds.
    Int(i64, i64),
    /// `i64` or `u64` from a Number: a safe integer within bounds.
    Int64(i64, i64),
    /// `deserialize_any`: any Number.
    Any,
}

impl Kind {
    /// The Numbers `copyNumbers` may copy for this kind: within `[lo, hi]`,
    /// integers when the flag is set. Each converts without error (an
    /// integer kind also takes fractions and drops them, but those are left
    /// to the element-by-element path).
    #[allow(
        clippy::cast_precision_loss,
        reason = "the bounds are at most 2^53 - 1"
    )]
    fn bounds(self) -> (f64, f64, bool) {
        match self {
            Kind::Float | Kind::Any => (f64::NEG_INFINITY, f64::INFINITY, false),
            Kind::Int(lo, hi) | Kind::Int64(lo, hi) => (lo as f64, hi as f64, true),
        }
    }
}

/// The most elements copied by one call (the buffer is 8 bytes per element).
pub(super) const CHUNK: u32 = 4096;

/// One chunk of numbers copied out of an array, `array[from..to)`: element
/// `i` is `data[i - from]` for `i` below `stop`; `at_stop` is element `stop`,
/// already read, when `stop` is below `to`.
#[derive(Clone, Copy)]
pub(super) struct Copied<'s> {
    data: *const f64,
    from: u32,
    pub(super) to: u32,
    pub(super) stop: u32,
    pub(super) at_stop: v8::Local<'s, v8::Value>,
    /// What the chunk was copied as (the next chunk is copied as the same).
    pub(super) kind: Kind,
    /// Keeps the numbers' buffer alive.
    _buffer: v8::Local<'s, v8::ArrayBuffer>,
}

impl Copied<'_> {
    /// Element `index`, from `from` to below `stop`.
    pub(super) fn get(&self, index: u32) -> f64 {
        assert!(
            (self.from..self.stop).contains(&index),
            "element {index} was not copied"
        );
        // SAFETY: the buffer holds `to - from + 1` f64s (`stop <= to`) and
        // lives as long as `self` (`_buffer`); no script has it, so it is
        // never detached.
        unsafe { *self.data.add((index - self.from) as usize) }
    }
}

/// What came of copying a chunk.
pub(super) enum Bulk<'s> {
    Copied(Copied<'s>),
    /// Not copied (no runtime cache, or the call could not start, for
    /// instance on a nearly exhausted stack): read element by element.
    NotTried,
    /// Reading element `.0` threw (the exception is pending).
    Threw(u32),
}

/// Copies `array[from..to)` as far as the elements are Numbers of `kind`.
pub(super) fn copy<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    array: v8::Local<'s, v8::Array>,
    from: u32,
    to: u32,
    kind: Kind,
) -> Bulk<'s> {
    debug_assert!(from < to && to - from <= CHUNK);
    let Some(function) = scope
        .get_slot::<SerdeCache>()
        .map(|cache| v8::Local::new(scope, &cache.copy_numbers))
    else {
        return Bulk::NotTried;
    };
    let last = (to - from) as usize;
    let buffer = v8::ArrayBuffer::new(scope, (last + 1) * size_of::<f64>());
    let (Some(out), Some(data)) = (
        v8::Float64Array::new(scope, buffer, 0, last + 1),
        buffer.data(),
    ) else {
        return Bulk::NotTried;
    };
    let data = data.as_ptr().cast::<f64>();
    // Where it stopped: -1 until `copyNumbers` runs.
    // SAFETY: the buffer holds `last + 1` f64s.
    unsafe { data.add(last).write(-1.0) };
    let (lo, hi, integral) = kind.bounds();
    let args = [
        array.into(),
        v8::Integer::new_from_unsigned(scope, from).into(),
        v8::Integer::new_from_unsigned(scope, to).into(),
        out.into(),
        v8::Number::new(scope, lo).into(),
        v8::Number::new(scope, hi).into(),
        v8::Boolean::new(scope, integral).into(),
    ];
    v8::tc_scope!(let tc, scope);
    let undefined = v8::undefined(tc).into();
    let result = function.call(tc, undefined, &args);
    // SAFETY: as above.
    let stop = unsafe { data.add(last).read() };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "an index below 2^32 that copyNumbers wrote"
    )]
    let index = stop as u32;
    match result {
        Some(at_stop) => {
            #[cfg(feature = "counters")]
            BULK_COPIES.with(|c| c.set(c.get() + 1));
            Bulk::Copied(Copied {
                data,
                from,
                to,
                stop: index,
                at_stop,
                kind,
                _buffer: buffer,
            })
        }
        // It never ran: nothing was read, so nothing is lost.
        None if stop < 0.0 => Bulk::NotTried,
        None => {
            // A getter threw: the element-by-element read would have
            // stopped there with that exception pending; so does this.
            tc.rethrow();
            Bulk::Threw(index)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_copy_only_what_the_kind_accepts() {
        assert_eq!(Kind::Int(0, 255).bounds(), (0.0, 255.0, true));
        let (lo, hi, integral) = Kind::Float.bounds();
        assert!(lo.is_infinite() && hi.is_infinite() && !integral);
    }
}
