//! [`FastStrBuf`]: a fast-call string argument that was not ASCII.

use std::mem::MaybeUninit;

/// A fast `&str` argument that was not ASCII, transcoded to UTF-8: on
/// the stack when short, on the heap otherwise.
#[doc(hidden)]
pub struct FastStrBuf {
    stack: [MaybeUninit<u8>; 512],
    len: usize,
    heap: Option<String>,
}

impl std::fmt::Debug for FastStrBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FastStrBuf")
    }
}

impl FastStrBuf {
    /// Latin-1 to UTF-8: each byte ≥ 0x80 becomes two bytes.
    pub(super) fn latin1(bytes: &[u8]) -> Self {
        let mut out = Self {
            stack: [MaybeUninit::uninit(); 512],
            len: 0,
            heap: None,
        };
        if bytes.len() * 2 <= out.stack.len() {
            let mut n = 0;
            for &b in bytes {
                if b < 0x80 {
                    out.stack[n].write(b);
                    n += 1;
                } else {
                    out.stack[n].write(0xC0 | (b >> 6));
                    out.stack[n + 1].write(0x80 | (b & 0x3F));
                    n += 2;
                }
            }
            out.len = n;
        } else {
            out.heap = Some(bytes.iter().map(|&b| char::from(b)).collect());
        }
        out
    }

    /// The UTF-8 text.
    pub fn as_str(&self) -> &str {
        if let Some(heap) = &self.heap {
            return heap;
        }
        // SAFETY: the first `len` bytes were written by `latin1`, as UTF-8.
        unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                self.stack.as_ptr().cast(),
                self.len,
            ))
        }
    }
}
