//! [`JsBufferMut`]: the caller's JS buffer, kept alive and written in place
//! by an async op (a read into a `Uint8Array` without an intermediate copy).

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use super::borrows::Hold;
use super::buffer::{Held, hold_bytes};
use super::conv_error::ConvError;
use super::traits::FromV8;

/// Bytes of a JS buffer that an async op writes in place: what
/// [`JsBuffer`](super::JsBuffer) is for reading, for writing. JS sees every
/// byte the op writes, in the caller's own `Uint8Array` (or other typed
/// array, `DataView` or `ArrayBuffer`).
///
/// It keeps the buffer's backing store alive, so the memory stays valid
/// even if JS drops, transfers or detaches the buffer while the op awaits
/// (the bytes then land in memory JS no longer sees, or sees through the
/// buffer it transferred to).
///
/// **JS may observe the bytes as they are written.** JS code that runs
/// while the op is suspended (between polls) reads whatever the op wrote so
/// far, and may write to the bytes itself: do not rely on them staying as
/// the op left them across an `.await`, and prefer taking the `&mut [u8]`
/// inside one poll (`try_read`, `poll_read`) over holding it across awaits.
///
/// What is refused, with a `TypeError` naming the op and the argument:
/// anything that is not a buffer, shared memory (`SharedArrayBuffer`, which
/// other threads may write at any time), resizable buffers (which could
/// shrink under the op), and bytes that another live `JsBuffer` or
/// `JsBufferMut` covers (two writers, or a writer and a reader, would
/// alias: `conn.read(buf)` twice at once with the same `buf` is such a
/// case). An empty buffer overlaps nothing.
///
/// It is not `Send`: it stays on the JS thread (so `#[op(blocking)]` ops
/// cannot take one; read into a `Vec` there and copy).
///
/// # Examples
///
/// ```
/// use opwire::{op, JsBufferMut};
///
/// /// Fills `buf` with `byte` after a turn of the event loop; JS sees the
/// /// bytes in its own array when the promise settles.
/// #[op]
/// async fn op_fill_later(mut buf: JsBufferMut, byte: u8) -> u32 {
///     tokio::task::yield_now().await;
///     buf.fill(byte);
///     u32::try_from(buf.len()).unwrap_or(u32::MAX)
/// }
/// # let _ = op_fill_later;
/// ```
pub struct JsBufferMut {
    _store: v8::SharedRef<v8::BackingStore>,
    _hold: Hold,
    ptr: *mut u8,
    len: usize,
    /// `!Send` and `!Sync` (the raw pointer already makes it so; this says
    /// it on purpose).
    _js_thread: PhantomData<*mut u8>,
}

impl JsBufferMut {
    /// The byte length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Deref for JsBufferMut {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: as for `deref_mut` below, for a shared borrow of `self`.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl DerefMut for JsBufferMut {
    fn deref_mut(&mut self) -> &mut [u8] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: `ptr..ptr+len` lies within the backing store, which
        // `_store` keeps allocated (JS dropping, transferring or detaching
        // the buffer does not free it) and which is neither shared (no other
        // thread or isolate writes it) nor resizable (it cannot shrink).
        // Nothing else in Rust aliases it: `_hold` guarantees that no other
        // live `JsBuffer` or `JsBufferMut` of this thread covers these bytes,
        // and the borrow of `self` excludes a second borrow of this one. The
        // only other code that can touch the bytes is JS on this thread, and
        // JS does not run while this borrow is used: `JsBufferMut` is
        // `!Send`, so it is used on the isolate's thread, where opwire polls
        // an op's future either inside the op's own call (JS is suspended in
        // that native call until the poll returns) or from the event loop
        // between calls into JS, and nothing in opwire's API runs JS from
        // inside a poll (`JsCallback` calls are queued). A borrow that an op
        // keeps across an `.await` spans times when JS runs and may write
        // the bytes; that is the shared-memory contract in the type's docs.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl AsRef<[u8]> for JsBufferMut {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl AsMut<[u8]> for JsBufferMut {
    fn as_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl std::fmt::Debug for JsBufferMut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsBufferMut")
            .field("len", &self.len)
            .finish()
    }
}

impl<'s> FromV8<'s> for JsBufferMut {
    fn from_v8(
        _scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        let Held {
            store,
            hold,
            ptr,
            len,
        } = hold_bytes(value, true)?;
        Ok(JsBufferMut {
            _store: store,
            _hold: hold,
            ptr,
            len,
            _js_thread: PhantomData,
        })
    }
}
