//! Which JS memory the live [`JsBuffer`](super::JsBuffer)s and
//! [`JsBufferMut`](super::JsBufferMut)s of this thread hold, so that a
//! writable one never overlaps another: Rust's rule that a `&mut [u8]`
//! aliases nothing, kept across ops that outlive their calls.
//!
//! A region held for writing conflicts with any other holder of one of its
//! bytes; regions held for reading conflict only with writers. Empty regions
//! hold nothing. The list is per thread: both buffer types are `!Send`, so
//! they are made and dropped on the thread whose isolate they came from (and
//! a thread with several isolates checks across all of them, which is only
//! stricter).

use std::cell::RefCell;

/// One live holder of `start..end`.
struct Entry {
    start: usize,
    end: usize,
    write: bool,
    id: u64,
}

#[derive(Default)]
struct Live {
    entries: Vec<Entry>,
    next_id: u64,
}

thread_local! {
    static LIVE: RefCell<Live> = RefCell::default();
}

/// A region of JS memory held by a buffer; released on drop.
#[derive(Debug)]
pub(crate) struct Hold {
    /// `None` for an empty region (nothing is held).
    id: Option<u64>,
}

/// Why a region could not be held: another live buffer covers some of it.
#[derive(Debug)]
pub(crate) struct InUse;

impl Hold {
    /// Holds `len` bytes at `ptr`, for writing (`write`) or reading, unless
    /// a live holder conflicts (see the module docs).
    pub(crate) fn new(ptr: *const u8, len: usize, write: bool) -> Result<Hold, InUse> {
        if len == 0 {
            return Ok(Hold { id: None });
        }
        let start = ptr as usize;
        let end = start.saturating_add(len);
        LIVE.with(|live| {
            let mut live = live.borrow_mut();
            let conflict = live
                .entries
                .iter()
                .any(|e| (write || e.write) && e.start < end && start < e.end);
            if conflict {
                return Err(InUse);
            }
            let id = live.next_id;
            live.next_id += 1;
            live.entries.push(Entry {
                start,
                end,
                write,
                id,
            });
            Ok(Hold { id: Some(id) })
        })
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        let Some(id) = self.id else { return };
        // `try_with`: a buffer dropped while the thread's locals are being
        // destroyed has nothing left to release.
        let _ = LIVE.try_with(|live| {
            let mut live = live.borrow_mut();
            if let Some(i) = live.entries.iter().position(|e| e.id == id) {
                live.entries.swap_remove(i);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_exclude_overlaps_readers_share() {
        let mem = [0u8; 16];
        let p = mem.as_ptr();
        let r1 = Hold::new(p, 8, false).unwrap();
        let _r2 = Hold::new(p, 8, false).unwrap();
        assert!(Hold::new(p.wrapping_add(4), 8, true).is_err());
        let w = Hold::new(p.wrapping_add(8), 8, true).unwrap();
        assert!(Hold::new(p.wrapping_add(15), 1, false).is_err());
        assert!(Hold::new(p.wrapping_add(15), 0, true).is_ok());
        drop(w);
        drop(r1);
        assert!(Hold::new(p.wrapping_add(8), 8, true).is_ok());
    }
}
