//! Bytes between JS and Rust.
//!
//! - Sync ops take `&[u8]` / `&mut [u8]`: a view of the JS memory of a
//!   `Uint8Array`, any other `ArrayBufferView`, an `ArrayBuffer` or a
//!   `SharedArrayBuffer`, without copying; writes through `&mut [u8]` are
//!   what JS sees. (V8 keeps typed arrays of at most 64 bytes inside the JS
//!   heap; a `&[u8]` of one is a copy of its bytes, a `&mut [u8]` first moves
//!   it out of the heap, so writes still land.) The runtime refuses a
//!   `&mut [u8]` that overlaps another buffer argument of the same call
//!   (that would alias). Shared memory is viewed like any other: opwire
//!   never hands a `SharedArrayBuffer`'s memory to another thread, so no
//!   other code runs on it during the call (an embedder that shares a
//!   backing store with another isolate itself must not pass it to ops).
//! - Async ops take owned bytes: `Vec<u8>`, `Box<[u8]>` or `bytes::Bytes`
//!   (copies), or a [`JsBuffer`], which keeps the JS memory alive across
//!   `.await` without copying; a [`JsBufferMut`](super::JsBufferMut) does
//!   the same for writing (an async read into the caller's `Uint8Array`).
//!   While a `JsBufferMut` lives, no other `JsBuffer` or `JsBufferMut` may
//!   overlap its bytes (the argument is refused with a `TypeError`).
//! - `Vec<u8>` and `Box<[u8]>` return values become a `Uint8Array` that takes
//!   over the Rust allocation (no copy).
//! - A detached `ArrayBuffer` is refused with a `TypeError` (a view of a
//!   detached buffer is empty, as in JS). A [`JsBuffer`] and serde byte
//!   fields also refuse shared and resizable buffers, whose memory could be
//!   changed or shrunk while Rust holds it.

use std::ops::Deref;

use super::borrows::Hold;
use super::conv_error::ConvError;
use super::traits::{FromV8, ToV8};

/// What JS memory an argument refers to, checked for safety.
#[derive(Clone, Copy)]
pub(crate) struct Region {
    pub(crate) ptr: *mut u8,
    pub(crate) len: usize,
}

/// Room for the bytes of a typed array that lives inside the JS heap (at
/// most [`v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP`] bytes), for a call's `&[u8]`.
#[doc(hidden)]
pub struct ViewStore([u8; v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP]);

impl ViewStore {
    #[inline(always)]
    #[allow(clippy::new_without_default, reason = "built by generated code only")]
    pub fn new() -> Self {
        Self([0; v8::TYPED_ARRAY_MAX_SIZE_IN_HEAP])
    }
}

impl std::fmt::Debug for ViewStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ViewStore")
    }
}

/// The three kinds of JS value that hold bytes, told apart in one place.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// A typed array or `DataView`.
    View(v8::Local<'a, v8::ArrayBufferView>),
    /// An `ArrayBuffer`.
    Buffer(v8::Local<'a, v8::ArrayBuffer>),
    /// A `SharedArrayBuffer`.
    Shared(v8::Local<'a, v8::SharedArrayBuffer>),
}

impl<'a> Source<'a> {
    /// What `value` is, or `None` if it holds no bytes.
    #[inline(always)]
    fn of(value: v8::Local<'a, v8::Value>) -> Option<Self> {
        if value.is_array_buffer_view() {
            // SAFETY: checked `is_array_buffer_view` just above.
            Some(Self::View(unsafe { v8::Local::cast_unchecked(value) }))
        } else if value.is_array_buffer() {
            // SAFETY: checked `is_array_buffer` just above.
            Some(Self::Buffer(unsafe { v8::Local::cast_unchecked(value) }))
        } else if value.is_shared_array_buffer() {
            // SAFETY: checked `is_shared_array_buffer` just above.
            Some(Self::Shared(unsafe { v8::Local::cast_unchecked(value) }))
        } else {
            None
        }
    }
}

/// The error for a value that holds no bytes.
fn not_a_buffer(value: v8::Local<'_, v8::Value>) -> ConvError {
    ConvError::new("Uint8Array", value, None)
}

/// Pointer and length of an `ArrayBuffer`'s bytes; a detached one is refused.
#[inline(always)]
fn array_buffer_parts(
    buffer: v8::Local<'_, v8::ArrayBuffer>,
) -> Result<(*mut u8, usize), ConvError> {
    if buffer.was_detached() {
        return Err(ConvError::new(
            "ArrayBuffer",
            buffer.into(),
            Some("it is detached"),
        ));
    }
    let len = buffer.byte_length();
    Ok(match buffer.data() {
        Some(p) if len > 0 => (p.as_ptr().cast(), len),
        _ => (dangling(), 0),
    })
}

#[inline(always)]
fn dangling() -> *mut u8 {
    std::ptr::NonNull::<u8>::dangling().as_ptr()
}

/// The bytes of a buffer argument, for reading: in place, or copied into
/// `store` when V8 keeps a small typed array inside the JS heap. Creates no
/// V8 handle (so it is usable inside fast calls).
#[inline(always)]
pub(crate) fn read_view<'a>(
    value: v8::Local<'a, v8::Value>,
    store: &'a mut ViewStore,
) -> Result<&'a [u8], ConvError> {
    let (ptr, len) = contents(value, store)?;
    // SAFETY: `ptr..ptr+len` is either the buffer's live memory, kept alive
    // by the handle for 'a, or `store`, borrowed for 'a; no JS runs while
    // the slice is used.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The memory of a buffer argument, for writing: always in place.
/// `materialize` moves a small typed array out of the JS heap and returns
/// its data pointer (it needs a handle scope, which fast calls open only in
/// this rare case).
#[inline(always)]
pub(crate) fn write_view(
    value: v8::Local<'_, v8::Value>,
    store: &mut ViewStore,
    materialize: impl FnOnce(v8::Local<'_, v8::ArrayBufferView>) -> *mut u8,
) -> Result<Region, ConvError> {
    let store_ptr = store.0.as_ptr();
    let (ptr, len) = contents(value, store)?;
    if ptr == store_ptr && len > 0 {
        // SAFETY: `contents` only copies into the store for typed arrays.
        let view = unsafe { v8::Local::<v8::ArrayBufferView>::cast_unchecked(value) };
        return Ok(Region {
            ptr: materialize(view),
            len,
        });
    }
    Ok(Region {
        ptr: ptr.cast_mut(),
        len,
    })
}

/// Pointer and length of a buffer argument's bytes (possibly copied into
/// `store`); shared memory is viewed like any other (see the module docs).
#[inline(always)]
fn contents(
    value: v8::Local<'_, v8::Value>,
    store: &mut ViewStore,
) -> Result<(*const u8, usize), ConvError> {
    let (ptr, len) = match Source::of(value) {
        Some(Source::View(view)) => {
            // SAFETY: `store` is writable for its whole length.
            let (ptr, len) = unsafe { view.get_contents_raw_parts(&mut store.0) };
            if ptr.is_null() || len == 0 {
                (dangling(), 0)
            } else {
                (ptr, len)
            }
        }
        Some(Source::Buffer(buffer)) => array_buffer_parts(buffer)?,
        Some(Source::Shared(buffer)) => {
            let len = buffer.byte_length();
            // The backing store outlives the call: the handle keeps the
            // SharedArrayBuffer (and so its store) alive.
            match buffer.get_backing_store().data() {
                Some(p) if len > 0 => (p.as_ptr().cast(), len),
                _ => (dangling(), 0),
            }
        }
        None => return Err(not_a_buffer(value)),
    };
    Ok((ptr.cast_const(), len))
}

/// The memory behind an `ArrayBufferView` or `ArrayBuffer` and its backing
/// store, refusing shared memory (for [`JsBuffer`] and serde bytes, which
/// may keep it); `Ok(None)` if `value` is neither.
fn owned_region(
    value: v8::Local<'_, v8::Value>,
) -> Result<Option<(Region, v8::SharedRef<v8::BackingStore>)>, ConvError> {
    let shared = || ConvError::new("Uint8Array", value, Some("shared memory is not supported"));
    match Source::of(value) {
        Some(Source::View(view)) => {
            let Some(store) = view.get_backing_store() else {
                return Err(ConvError::new(
                    "Uint8Array",
                    value,
                    Some("it has no buffer"),
                ));
            };
            if store.is_shared() {
                return Err(shared());
            }
            let len = view.byte_length();
            // `data()` moves on-heap contents of small typed arrays off the
            // heap first, so the pointer stays valid and is the array's own
            // memory.
            let ptr = if len == 0 {
                dangling()
            } else {
                view.data().cast()
            };
            Ok(Some((Region { ptr, len }, store)))
        }
        Some(Source::Buffer(buffer)) => {
            let (ptr, len) = array_buffer_parts(buffer)?;
            Ok(Some((Region { ptr, len }, buffer.get_backing_store())))
        }
        Some(Source::Shared(_)) => Err(shared()),
        None => Ok(None),
    }
}

/// The bytes of an `ArrayBufferView` or `ArrayBuffer` for the duration of a
/// call (`'s`: while the handle lives); `Ok(None)` if `value` is neither.
pub(crate) fn view_bytes<'s>(
    value: v8::Local<'s, v8::Value>,
) -> Result<Option<&'s [u8]>, ConvError> {
    Ok(owned_region(value)?.map(|(r, _)| {
        // SAFETY: the region is the live, non-shared memory of a buffer that
        // the handle keeps alive for 's; no JS runs while the slice is used
        // (conversions do not call into JS).
        unsafe { std::slice::from_raw_parts(r.ptr.cast_const(), r.len) }
    }))
}

/// A `Uint8Array` that owns `bytes` (no copy).
pub(crate) fn new_uint8_array<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    bytes: Box<[u8]>,
) -> v8::Local<'s, v8::Value> {
    let len = bytes.len();
    let store = v8::ArrayBuffer::new_backing_store_from_boxed_slice(bytes).make_shared();
    let buffer = v8::ArrayBuffer::with_backing_store(scope, &store);
    match v8::Uint8Array::new(scope, buffer, 0, len) {
        Some(array) => array.into(),
        None => buffer.into(),
    }
}

fn expect_bytes<'s>(value: v8::Local<'s, v8::Value>) -> Result<&'s [u8], ConvError> {
    view_bytes(value)?.ok_or_else(|| not_a_buffer(value))
}

impl<'s> FromV8<'s> for Vec<u8> {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        expect_bytes(value).map(<[u8]>::to_vec)
    }
}

impl<'s> FromV8<'s> for Box<[u8]> {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        expect_bytes(value).map(Into::into)
    }
}

impl<'s> FromV8<'s> for bytes::Bytes {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        expect_bytes(value).map(bytes::Bytes::copy_from_slice)
    }
}

impl<'s> ToV8<'s> for Vec<u8> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(new_uint8_array(scope, self.into_boxed_slice()))
    }
}

impl<'s> ToV8<'s> for Box<[u8]> {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(new_uint8_array(scope, self))
    }
}

impl<'s> ToV8<'s> for bytes::Bytes {
    fn to_v8(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<v8::Local<'s, v8::Value>, ConvError> {
        Ok(new_uint8_array(scope, Vec::from(self).into_boxed_slice()))
    }
}

/// Bytes of a JS buffer, kept alive without copying: for async ops, which
/// outlive the JS call.
///
/// `JsBuffer` holds a reference to the buffer's backing store, so the memory
/// stays valid even if JS drops, transfers or detaches the buffer while the
/// op awaits. It is **shared memory**: JS code that runs while the op is
/// suspended (between polls) may write to it, and the op then reads the new
/// bytes. Within one poll nothing else runs on the JS thread, so a read is
/// never torn. It is not `Send`: it stays on the JS thread. Resizable and
/// shared buffers are refused, and so are bytes that a live
/// [`JsBufferMut`](super::JsBufferMut) is writing.
///
/// # Examples
///
/// ```
/// use opwire::{op, JsBuffer};
///
/// #[op]
/// async fn op_checksum(data: JsBuffer) -> u32 {
///     tokio::task::yield_now().await;
///     data.iter().map(|b| u32::from(*b)).sum()
/// }
/// # let _ = op_checksum;
/// ```
pub struct JsBuffer {
    _store: v8::SharedRef<v8::BackingStore>,
    _hold: Hold,
    ptr: *const u8,
    len: usize,
}

impl JsBuffer {
    /// The byte length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Deref for JsBuffer {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `ptr..ptr+len` lies within the backing store, which
        // `_store` keeps alive and which is neither shared nor resizable;
        // JsBuffer is !Send, so only this thread (where JS, the only other
        // writer, is not running during this borrow) touches it.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl AsRef<[u8]> for JsBuffer {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl std::fmt::Debug for JsBuffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsBuffer").field("len", &self.len).finish()
    }
}

impl<'s> FromV8<'s> for JsBuffer {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        let Held {
            store,
            hold,
            ptr,
            len,
        } = hold_bytes(value, false)?;
        Ok(JsBuffer {
            _store: store,
            _hold: hold,
            ptr: ptr.cast_const(),
            len,
        })
    }
}

/// A JS buffer's bytes held past the call: the backing store kept
/// allocated, and the region registered (`Hold`) so that no `&mut [u8]`
/// aliases it.
pub(super) struct Held {
    pub(super) store: v8::SharedRef<v8::BackingStore>,
    pub(super) hold: Hold,
    pub(super) ptr: *mut u8,
    pub(super) len: usize,
}

/// Claims `value`'s bytes, for writing when `write` ([`JsBufferMut`](super::JsBufferMut))
/// or reading ([`JsBuffer`]): refuses what is not a buffer, resizable
/// buffers, and bytes another live holder covers in a conflicting way.
pub(super) fn hold_bytes(value: v8::Local<'_, v8::Value>, write: bool) -> Result<Held, ConvError> {
    let Some((region, store)) = owned_region(value)? else {
        return Err(not_a_buffer(value));
    };
    refuse_resizable(value, &store)?;
    let reason = if write {
        "a pending op is already using its bytes"
    } else {
        "a pending op is writing its bytes"
    };
    let hold = Hold::new(region.ptr, region.len, write)
        .map_err(|_| ConvError::new("Uint8Array", value, Some(reason)))?;
    Ok(Held {
        store,
        hold,
        ptr: region.ptr,
        len: region.len,
    })
}

/// Refuses a resizable buffer, whose memory could shrink while Rust holds it.
fn refuse_resizable(
    value: v8::Local<'_, v8::Value>,
    store: &v8::SharedRef<v8::BackingStore>,
) -> Result<(), ConvError> {
    if store.is_resizable_by_user_javascript() {
        return Err(ConvError::new(
            "Uint8Array",
            value,
            Some("resizable buffers are not supported here"),
        ));
    }
    Ok(())
}
