//! An opt-in idle isolate that keeps V8's read-only heap between runtimes.
//!
//! V8 shares one read-only heap between the live isolates of a process and
//! drops it with the last of them; the next isolate sets it up again (a
//! fifth of a snapshotted runtime's start here). A process that creates
//! runtimes one at a time (per request, per plugin, per test) pays that
//! every time. With [`keep_warm`] on, the first runtime of a snapshot
//! family (see `family.rs`) starts one idle isolate of the same family on
//! a thread of its own, which lives until a runtime of another family or
//! a snapshot being made needs it gone, or [`keep_warm`] is turned off. It
//! runs no JS and has no context.

use super::family::{self, Lease};

/// Keeps one idle V8 isolate alive in the process (`true`), so a runtime
/// created after the previous one was dropped finds V8's read-only heap
/// set up: start-up from a snapshot takes about a quarter less time, a
/// fresh start about a seventh less. Off by default.
///
/// The isolate starts with the next runtime, on a thread of its own, from
/// the same startup snapshot (or none); it costs that thread and one idle
/// isolate's memory (about 0.3 MB resident here, see BENCHMARKS.md). When
/// a runtime from another snapshot (or a
/// [`snapshot::create`](crate::snapshot::create)) needs the process, the
/// idle isolate goes first, and the next runtime starts a new one.
/// Turning it off lets the idle isolate go, and returns once it is gone.
///
/// # Examples
///
/// ```
/// opwire::keep_warm(true);
/// for _ in 0..3 {
///     let mut rt = opwire::JsRuntime::new(Default::default());
///     rt.execute_script("main.js", "1 + 1").unwrap();
/// }
/// opwire::keep_warm(false);
/// ```
pub fn keep_warm(on: bool) {
    family::set_keep_warm(on);
}

/// Whether a warm isolate lives (or is starting), and if so whether it
/// started from a startup snapshot (a test hook).
pub fn warm_isolate() -> Option<bool> {
    family::warm_family().map(|key| key != 0)
}

/// How the warm isolate starts: as the runtime that asked for it did.
pub(super) enum WarmStart {
    /// From V8's own snapshot.
    Fresh,
    /// From a startup snapshot's V8 part, with the runtime's list of
    /// external references in which every op context's address is
    /// replaced by a placeholder (see `snapshot/refs.rs`): the idle isolate
    /// has no context, so V8 only records them.
    Snapshot(&'static [u8], Vec<v8::ExternalReference>),
}

/// The references travel to the warm isolate's thread.
struct SendStart(WarmStart);

// SAFETY: the references are addresses of functions and of a static
// placeholder, valid for the whole process on every thread; nothing in a
// `WarmStart` is tied to the thread that made it.
unsafe impl Send for SendStart {}

/// After a runtime's isolate of `lease`'s family was created: starts the
/// warm isolate if [`keep_warm`] is on and there is none. `start` says how
/// (called only then).
pub(super) fn ensure(lease: &Lease, start: impl FnOnce() -> WarmStart) {
    let Some((_family, creating)) = lease.claim_warm() else {
        return;
    };
    let start = SendStart(start());
    let spawned = std::thread::Builder::new()
        .name("opwire-warm-isolate".into())
        .spawn(move || {
            let start = start;
            let isolate = {
                let _creating = creating;
                let mut params = v8::CreateParams::default();
                if let WarmStart::Snapshot(blob, refs) = start.0 {
                    params = params
                        .snapshot_blob(v8::StartupData::from(blob))
                        .external_references(refs.into());
                }
                v8::Isolate::new(params)
            };
            family::wait_for_eviction();
            drop(isolate);
            family::warm_gone();
        });
    if spawned.is_err() {
        // No thread: no warm isolate (the closure, with its `Creating`,
        // was dropped).
        family::warm_gone();
    }
}
