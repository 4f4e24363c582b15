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
}

static FAMILIES: Mutex<Families> = Mutex::new(Families {
    key: 0,
    live: 0,
    creating: 0,
    making: false,
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
        while families.making || (families.live > 0 && families.key != key) {
            families = wait(families);
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
