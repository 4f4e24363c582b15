//! [`FastStrBuf`]: a fast-call string argument that was not ASCII.

/// A fast `&str` argument that was not ASCII (a Latin-1 string with a byte
/// of 0x80 or more), transcoded to UTF-8 on the heap.
///
/// Not a stack buffer: a fast function that can hold one reserves its
/// stack on every call, and that frame cost more on the ASCII path (about
/// 0.2 ns a call, `sync_string`) than the rare allocation here.
#[doc(hidden)]
#[derive(Debug)]
pub struct FastStrBuf(String);

impl FastStrBuf {
    /// Latin-1 to UTF-8: each byte ≥ 0x80 becomes two bytes.
    #[cold]
    #[inline(never)]
    pub(super) fn latin1(bytes: &[u8]) -> Self {
        Self(bytes.iter().map(|&b| char::from(b)).collect())
    }

    /// The UTF-8 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
