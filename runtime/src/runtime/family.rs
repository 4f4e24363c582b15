//! Which snapshot the process's isolates start from. V8 shares one
//! read-only heap between the live isolates of a process, laid out as the
//! snapshot the first of them started from: an isolate that starts from
//! another snapshot (V8's own, or another startup snapshot) while those
//! live reads that heap wrongly and crashes the process, and so does one
//! that starts while another thread makes a snapshot.
//!
//! So each runtime holds a [`Lease`] on its snapshot (a family) for as
//! long as its isolate lives. Runtimes of one family run side by side; a
//! runtime of another family waits until the last of the current one is
//! dropped, and a thread that itself runs runtimes of another family gets
//! an error instead of waiting for itself. Making a snapshot
//! ([`Making`]) waits for isolates being created and keeps new ones from
//! starting until it is done.
//!
//! With [`keep_warm`](super::warm::keep_warm) on, one idle isolate of the
//! current family may live besides the leases (`warm`, see `warm.rs`), so
//! V8 keeps the read-only heap between runtimes. A runtime of another
//! family, or a snapshot being made, asks it to go first (`evict`).

use std::cell::Cell;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The process's isolates.
struct Families {
    /// The family of the live isolates (`0`: V8's own snapshot; otherwise
    /// the address of a startup snapshot's bytes).
    key: usize,
    /// How many live isolates hold a lease.
    live: usize,
    /// How many isolates are being created.
    creating: usize,
    /// Whether a snapshot is being made.
    making: bool,
    /// The family of the idle isolate kept warm (`warm.rs`), from the
    /// moment its thread is asked for until the isolate is gone.
    warm: Option<usize>,
    /// The warm isolate is asked to go.
    evict: bool,
    /// Whether a warm isolate may be claimed (`keep_warm`).
    keep_warm: bool,
}

static FAMILIES: Mutex<Families> = Mutex::new(Families {
    key: 0,
    live: 0,
    creating: 0,
    making: false,
    warm: None,
    evict: false,
    keep_warm: false,
});
static CHANGED: Condvar = Condvar::new();

thread_local! {
    /// This thread's leases: their family and how many.
    static MINE: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

fn families() -> MutexGuard<'static, Families> {
    FAMILIES.lock().unwrap_or_else(PoisonError::into_inner)
}

fn wait(guard: MutexGuard<'static, Families>) -> MutexGuard<'static, Families> {
    CHANGED.wait(guard).unwrap_or_else(PoisonError::into_inner)
}

/// A live isolate's claim on its family.
#[derive(Debug)]
pub(crate) struct Lease {
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Lease {
    /// A lease on family `key`, once no isolate of another family lives
    /// and no snapshot is being made.
    ///
    /// # Errors
    ///
    /// A message if this thread runs isolates of another family (waiting
    /// would never end).
    pub(crate) fn acquire(key: usize) -> Result<Self, String> {
        let (mine, count) = MINE.get();
        if count > 0 && mine != key {
            let what = |k: usize| {
                if k == 0 {
                    "no startup snapshot"
                } else {
                    "another startup snapshot"
                }
            };
            return Err(format!(
                "this thread runs {count} runtime(s) started from {}; V8 runs the isolates of \
                 a process from one snapshot at a time, so a runtime started from {} must \
                 wait until they are dropped",
                what(mine),
                if key == 0 {
                    "no startup snapshot"
                } else {
                    "this one"
                }
            ));
        }
        let mut families = families();
        loop {
            if families.making || (families.live > 0 && families.key != key) {
                families = wait(families);
            } else if families.warm.is_some_and(|warm| warm != key) {
                families.evict = true;
                CHANGED.notify_all();
                families = wait(families);
            } else {
                break;
            }
        }
        families.key = key;
        families.live += 1;
        MINE.set((key, count + 1));
        Ok(Self {
            _not_send: std::marker::PhantomData,
        })
    }

    /// Marks an isolate of this family as being created until the guard
    /// is dropped.
    pub(crate) fn creating(&self) -> Creating {
        families().creating += 1;
        Creating
    }

    /// Claims the warm slot for this lease's family, if warm isolates are
    /// on, the slot is free and no snapshot is being made: the isolate the caller then creates on
    /// another thread counts as being created until `Creating` is dropped.
    pub(super) fn claim_warm(&self) -> Option<(usize, Creating)> {
        let mut families = families();
        if !families.keep_warm || families.warm.is_some() || families.making || families.evict {
            return None;
        }
        families.warm = Some(families.key);
        families.creating += 1;
        Some((families.key, Creating))
    }
}

/// Blocks the warm isolate's thread until the isolate is asked to go
/// (another family or a snapshot wants to start, or
/// [`keep_warm`](super::warm::keep_warm) was turned off).
pub(super) fn wait_for_eviction() {
    let mut families = families();
    while !families.evict {
        families = wait(families);
    }
}

/// The family of the warm isolate, if there is one (`0`: V8's own
/// snapshot).
pub(crate) fn warm_family() -> Option<usize> {
    families().warm
}

/// Turns warm isolates on or off. Off, asks the warm isolate, if there is
/// one, to go, and waits until it is gone; none is claimed afterwards.
pub(super) fn set_keep_warm(on: bool) {
    let mut families = families();
    families.keep_warm = on;
    while !on && families.warm.is_some() {
        families.evict = true;
        CHANGED.notify_all();
        families = wait(families);
    }
}

/// The warm isolate is gone: its slot is free again.
pub(super) fn warm_gone() {
    let mut families = families();
    families.warm = None;
    families.evict = false;
    CHANGED.notify_all();
}

impl Drop for Lease {
    fn drop(&mut self) {
        let mut families = families();
        families.live -= 1;
        CHANGED.notify_all();
        drop(families);
        let (mine, count) = MINE.get();
        MINE.set((mine, count.saturating_sub(1)));
    }
}

/// An isolate being created.
pub(crate) struct Creating;

impl Drop for Creating {
    fn drop(&mut self) {
        let mut families = families();
        families.creating -= 1;
        CHANGED.notify_all();
    }
}

/// A snapshot being made (its isolate starts from V8's own snapshot).
pub(crate) struct Making {
    _lease: Lease,
}

impl Making {
    /// Waits until no isolate is being created and isolates of V8's own
    /// snapshot may live, then keeps new isolates from starting.
    ///
    /// # Errors
    ///
    /// As [`Lease::acquire`].
    pub(crate) fn begin() -> Result<Self, String> {
        let lease = Lease::acquire(0)?;
        let mut families = families();
        while families.making || families.creating > 0 {
            families = wait(families);
        }
        // The warm isolate (of V8's own snapshot, as `acquire` evicted any
        // other) may stay: it is created, and creates nothing more.
        families.making = true;
        Ok(Self { _lease: lease })
    }
}

impl Drop for Making {
    fn drop(&mut self) {
        let mut families = families();
        families.making = false;
        CHANGED.notify_all();
    }
}
