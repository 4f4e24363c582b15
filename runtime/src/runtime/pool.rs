//! Isolates kept for reuse ([`RuntimeOptions::reuse_isolate`]): when a
//! runtime started from a startup snapshot is dropped, its isolate (with
//! the boxes of its op contexts) waits on its thread for the next runtime
//! of the same snapshot, which skips creating and tearing down an isolate.
//!
//! An isolate from a snapshot knows the addresses of the op contexts it was
//! made with (see `snapshot/refs.rs`), so the runtime that takes it writes
//! its own op contexts into those same boxes. The key says which runtimes
//! may take an isolate: same snapshot bytes, same heap limit, same
//! fingerprint (ops, classes, extensions and `op_metrics`, in order).
//!
//! A waiting isolate holds its [`Lease`]: it counts as a live runtime of
//! its snapshot (see `family.rs`). It goes when a runtime of another kind
//! starts on its thread, when [`release_isolates`] is called there, or when
//! the thread ends.
//!
//! [`RuntimeOptions::reuse_isolate`]: super::RuntimeOptions::reuse_isolate

use std::cell::RefCell;
use std::mem::ManuallyDrop;

use super::family::Lease;
use crate::ops::ctx::OpCtx;

/// Op contexts in boxes: the isolate knows the boxes' addresses, so they
/// must not move.
#[allow(clippy::vec_box, reason = "the boxes' addresses must not move")]
pub(super) type CtxBoxes = Vec<Box<OpCtx>>;

/// Which runtimes may take a waiting isolate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PoolKey {
    /// The address of the snapshot's bytes.
    pub(super) blob: usize,
    pub(super) max_heap: Option<usize>,
    pub(super) fingerprint: String,
}

/// An isolate between runtimes.
pub(super) struct Pooled {
    /// Exited while it waits (see [`Pooled::take`]).
    isolate: ManuallyDrop<v8::OwnedIsolate>,
    /// The boxes whose addresses the isolate knows.
    pub(super) op_ctxs: CtxBoxes,
    lease: Option<Lease>,
    key: PoolKey,
}

impl Pooled {
    /// Gets `isolate` ready to wait: it leaves V8's stack of entered
    /// isolates, so runtimes made meanwhile on this thread may be dropped
    /// in any order against it.
    pub(super) fn new(
        isolate: v8::OwnedIsolate,
        op_ctxs: CtxBoxes,
        lease: Option<Lease>,
        key: PoolKey,
    ) -> Self {
        // SAFETY: a live `OwnedIsolate` is entered (rusty_v8 enters it when
        // it is made); no scope of it is open here (its runtime is being
        // dropped); `take` or `Drop` enter it again before anything else
        // uses it.
        unsafe { isolate.exit() };
        Self {
            isolate: ManuallyDrop::new(isolate),
            op_ctxs,
            lease,
            key,
        }
    }

    /// The isolate, entered again, as if just made, and the rest.
    pub(super) fn take(mut self) -> (v8::OwnedIsolate, CtxBoxes, Option<Lease>) {
        // SAFETY: the isolate was exited in `new`; entering makes it the
        // current isolate again, as when it was created.
        unsafe { self.isolate.enter() };
        // SAFETY: `self` is forgotten below, so `isolate` is taken once and
        // never dropped here.
        let isolate = unsafe { ManuallyDrop::take(&mut self.isolate) };
        let op_ctxs = std::mem::take(&mut self.op_ctxs);
        let lease = self.lease.take();
        std::mem::forget(self);
        (isolate, op_ctxs, lease)
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // SAFETY: rusty_v8 exits the isolate when dropping it, and checks
        // that it is the current one: enter it first (it was exited in
        // `new`). It is dropped before the op contexts V8 may point at and
        // before its lease.
        unsafe {
            self.isolate.enter();
            ManuallyDrop::drop(&mut self.isolate);
        }
    }
}

thread_local! {
    /// This thread's waiting isolate.
    static WAITING: RefCell<Option<Pooled>> = const { RefCell::new(None) };
}

/// The waiting isolate for `key`, if there is one. A waiting isolate of
/// another key goes first (so a runtime of another snapshot may start).
pub(super) fn take(key: &PoolKey) -> Option<Pooled> {
    let waiting = WAITING.try_with(|w| w.borrow_mut().take()).ok().flatten()?;
    if waiting.key == *key {
        return Some(waiting);
    }
    drop(waiting);
    None
}

/// Lets `pooled` wait for the next runtime of its key (the one waiting
/// before, if any, goes). While the thread ends (a runtime dropped by
/// another thread-local's destructor), it goes at once.
pub(super) fn put(pooled: Pooled) {
    let mut pooled = Some(pooled);
    let before = WAITING.try_with(|w| w.borrow_mut().replace(pooled.take()?));
    drop(before);
    drop(pooled);
}

/// Drops the isolate waiting on this thread, if any (see
/// [`RuntimeOptions::reuse_isolate`](super::RuntimeOptions::reuse_isolate)):
/// until then it counts as a live runtime of its startup snapshot, so a
/// runtime of another snapshot (or of none) on another thread waits for
/// it, and a snapshot being made waits too.
pub fn release_isolates() {
    let waiting = WAITING.try_with(|w| w.borrow_mut().take());
    drop(waiting);
}

/// Whether an isolate waits on this thread (a test hook).
pub fn isolate_waiting() -> bool {
    WAITING.try_with(|w| w.borrow().is_some()).unwrap_or(false)
}

thread_local! {
    /// The runtime isolates entered on this thread, oldest first (by
    /// [`RuntimeIsolate::id`]).
    static ENTERED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A runtime's isolate: dropped with the runtime, or, once
/// [`RuntimeIsolate::keep`] was called, left waiting for the next runtime.
pub(crate) struct RuntimeIsolate {
    isolate: ManuallyDrop<v8::OwnedIsolate>,
    kept: Option<(CtxBoxes, Option<Lease>, PoolKey)>,
    /// Its place in `ENTERED`.
    id: u64,
}

impl RuntimeIsolate {
    /// `isolate`, just made or taken (so entered last on this thread).
    pub(super) fn new(isolate: v8::OwnedIsolate) -> Self {
        let id = NEXT_ID.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        ENTERED.with(|e| e.borrow_mut().push(id));
        Self {
            isolate: ManuallyDrop::new(isolate),
            kept: None,
            id,
        }
    }

    /// Whether this isolate was entered last on this thread (and leaves
    /// `ENTERED`). Only then may it wait: an isolate dropped out of order
    /// goes the plain way, where rusty_v8 refuses it as before.
    fn leave(&self) -> bool {
        ENTERED
            .try_with(|e| {
                let mut entered = e.borrow_mut();
                let last = entered.last() == Some(&self.id);
                entered.retain(|id| *id != self.id);
                last
            })
            .unwrap_or(false)
    }

    /// The isolate itself, to be dropped or consumed by the caller.
    pub(super) fn into_inner(mut self) -> v8::OwnedIsolate {
        // SAFETY: `self` is forgotten below, so `isolate` is taken once and
        // never dropped here.
        let isolate = unsafe { ManuallyDrop::take(&mut self.isolate) };
        self.leave();
        drop(self.kept.take());
        std::mem::forget(self);
        isolate
    }

    /// When dropped, the isolate waits (with `op_ctxs` and `lease`) for the
    /// next runtime of `key` instead of going.
    pub(super) fn keep(&mut self, op_ctxs: CtxBoxes, lease: Option<Lease>, key: PoolKey) {
        self.kept = Some((op_ctxs, lease, key));
    }
}

impl std::ops::Deref for RuntimeIsolate {
    type Target = v8::OwnedIsolate;

    fn deref(&self) -> &v8::OwnedIsolate {
        &self.isolate
    }
}

impl std::ops::DerefMut for RuntimeIsolate {
    fn deref_mut(&mut self) -> &mut v8::OwnedIsolate {
        &mut self.isolate
    }
}

impl Drop for RuntimeIsolate {
    fn drop(&mut self) {
        // SAFETY: `isolate` is taken or dropped once, here, and not used
        // afterwards.
        let isolate = unsafe { ManuallyDrop::take(&mut self.isolate) };
        let last = self.leave();
        match self.kept.take() {
            Some((op_ctxs, lease, key)) if last => {
                put(Pooled::new(isolate, op_ctxs, lease, key));
            }
            kept => {
                drop(isolate);
                drop(kept);
            }
        }
    }
}
