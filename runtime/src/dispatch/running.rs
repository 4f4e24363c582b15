//! Which isolate's JS is running on this thread.
//!
//! The runtime enters its isolate (V8's `Isolate::Enter`, which nests)
//! around everything that can run JS, so V8 and rusty_v8 see it as this
//! thread's current isolate even when another runtime was made on the
//! thread after it (each new isolate is entered when made).
//!
//! Most fast functions take no `FastApiCallbackOptions` (V8 sets that
//! struct up on every call, which costs about half a nanosecond), so a
//! failing one (an argument out of range, an `Err`, a panic) finds the
//! isolate to throw into here. The runtime marks its isolate as running
//! around everything that can run JS ([`Running::enter`]); entries nest,
//! and each restores the one it replaced, so an op that drives a second
//! runtime leaves the first one marked again when it returns.

use std::cell::Cell;

/// An isolate marked running, and its runtime's context.
#[derive(Clone, Copy)]
pub(crate) struct Marked {
    /// The isolate.
    pub(crate) isolate: v8::UnsafeRawIsolatePtr,
    /// The runtime's context, alive while the mark is.
    pub(crate) context: *const v8::Global<v8::Context>,
}

thread_local! {
    static RUNNING: Cell<Option<Marked>> = const { Cell::new(None) };
}

/// Marks an isolate as the one running JS on this thread until dropped.
#[must_use = "the isolate is marked only while the guard lives"]
pub(crate) struct Running<'a> {
    isolate: v8::UnsafeRawIsolatePtr,
    previous: Option<Marked>,
    _context: std::marker::PhantomData<&'a v8::Global<v8::Context>>,
}

impl<'a> Running<'a> {
    /// Enters and marks `isolate` (whose context is `context`),
    /// remembering the isolate marked before.
    pub(crate) fn enter(isolate: &v8::Isolate, context: &'a v8::Global<v8::Context>) -> Self {
        // SAFETY: the isolate is alive (borrowed here, and owned by the
        // caller for as long as the guard lives); the guard exits it.
        unsafe { isolate.enter() };
        // SAFETY: only the pointer is read; it is used while the isolate
        // runs JS, which it only does while this guard (held by the code
        // that owns the isolate) lives.
        let isolate = unsafe { isolate.as_raw_isolate_ptr() };
        let marked = Marked {
            isolate,
            context: std::ptr::from_ref(context),
        };
        Self {
            isolate,
            previous: RUNNING.with(|r| r.replace(Some(marked))),
            _context: std::marker::PhantomData,
        }
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        RUNNING.with(|r| r.set(self.previous));
        // SAFETY: the isolate this guard entered, still alive (its owner
        // outlives the guard) and the current one (entries nest, and every
        // later entry on this thread has exited by now).
        unsafe { v8::Isolate::from_raw_isolate_ptr_unchecked(self.isolate).exit() };
    }
}

/// The isolate marked running on this thread, if any.
pub(crate) fn running() -> Option<Marked> {
    RUNNING.with(Cell::get)
}
