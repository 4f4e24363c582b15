//! Process-wide V8 set-up and per-runtime isolate creation.

use std::sync::{Mutex, Once};

use super::family::Lease;

static INIT: Once = Once::new();

/// Held while V8 initialises and while flags are set, so that
/// [`try_set_v8_flags`] never races a first runtime on another thread; it
/// keeps the flags the embedder set.
static FLAGS: Mutex<String> = Mutex::new(String::new());

/// V8 flags opwire sets when V8 starts, each unless the embedder's own
/// flags name it (by the name given first).
///
/// `turboshaft-loop-unrolling` off: with it, the optimized code of a loop
/// such as `while (true) a = new Array(1000).fill(1)` checks for
/// interrupts nowhere, so deadlines,
/// [`TerminateHandle`](crate::TerminateHandle)s and the heap limit would
/// never stop it (`tests/limits.rs`). Turning it off cost nothing
/// measurable on the benchmark rows (BENCHMARKS.md).
const DEFAULT_FLAGS: &[(&str, &str)] = &[(
    "turboshaft-loop-unrolling",
    "--no-turboshaft-loop-unrolling",
)];

/// Whether `flags` name the flag `name` (V8 reads `-` and `_` alike).
fn names(flags: &str, name: &str) -> bool {
    flags.replace('_', "-").contains(name)
}

/// Initialises V8 once per process. Every [`JsRuntime`](crate::JsRuntime)
/// calls it; call it yourself only to pass V8 flags first (see
/// [`set_v8_flags`]).
pub fn init_v8() {
    if INIT.is_completed() {
        return;
    }
    let flags = FLAGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    INIT.call_once(|| {
        for (name, flag) in DEFAULT_FLAGS {
            if !names(&flags, name) {
                v8::V8::set_flags_from_string(flag);
            }
        }
        let platform = v8::new_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform);
        v8::V8::initialize();
    });
}

/// Whether V8 is initialised in this process (a runtime was created, or
/// [`init_v8`] was called): from then on [`set_v8_flags`] panics.
pub fn v8_initialized() -> bool {
    INIT.is_completed()
}

/// Sets V8 flags if V8 is not initialised yet, and says whether it did.
/// Unlike checking [`v8_initialized`] and then calling [`set_v8_flags`],
/// this cannot race a runtime being created on another thread, and never
/// panics.
pub fn try_set_v8_flags(flags: &str) -> bool {
    let mut set = FLAGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if INIT.is_completed() {
        return false;
    }
    apply(&mut set, flags);
    true
}

/// Sets V8 command-line flags (for example `"--allow-natives-syntax"`).
/// opwire turns Turboshaft's loop unrolling off when V8 starts (so
/// termination always reaches loops), unless these flags name
/// `turboshaft-loop-unrolling`.
///
/// # Panics
///
/// If V8 is already initialised (a runtime was created): flags only take
/// effect before that.
pub fn set_v8_flags(flags: &str) {
    let mut set = FLAGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    assert!(
        !INIT.is_completed(),
        "set_v8_flags must be called before the first JsRuntime is created"
    );
    apply(&mut set, flags);
}

/// Passes the embedder's `flags` to V8 and remembers them in `set` (see
/// [`DEFAULT_FLAGS`]).
fn apply(set: &mut String, flags: &str) {
    v8::V8::set_flags_from_string(flags);
    set.push(' ');
    set.push_str(flags);
}

/// How a runtime's isolate starts.
pub(crate) enum IsolateStart {
    /// Empty: the runtime builds its context from source.
    Fresh,
    /// Recording a startup snapshot, with the addresses V8 may find in its
    /// heap (see `snapshot/refs.rs`). The caller holds a
    /// [`Making`](super::family::Making) until the isolate is gone.
    Creator(Vec<v8::ExternalReference>),
    /// From a startup snapshot's V8 part, binding its recorded addresses to
    /// this runtime's (the same list, in the same order).
    Snapshot(&'static [u8], Vec<v8::ExternalReference>),
}

/// Creates an isolate with opwire's settings: microtasks run at explicit
/// checkpoints, which the runtime performs after each script; the heap is
/// capped at `max_heap` bytes when given. With it, the runtime's lease on
/// the snapshot it started from (see `family.rs`), which it keeps until
/// the isolate is gone; none for a snapshot-making isolate (whose maker
/// holds one).
///
/// # Errors
///
/// A message if this thread runs isolates started from another snapshot.
pub(crate) fn new_isolate(
    max_heap: Option<usize>,
    start: IsolateStart,
) -> Result<(v8::OwnedIsolate, Option<Lease>), String> {
    init_v8();
    let mut params = v8::CreateParams::default();
    if let Some(max) = max_heap {
        params = params.heap_limits(0, max);
    }
    let (mut isolate, lease) = match start {
        IsolateStart::Fresh => {
            let lease = Lease::acquire(0)?;
            let _creating = lease.creating();
            (v8::Isolate::new(params), Some(lease))
        }
        IsolateStart::Creator(refs) => (
            v8::Isolate::snapshot_creator(Some(refs.into()), Some(params)),
            None,
        ),
        IsolateStart::Snapshot(blob, refs) => {
            let lease = Lease::acquire(blob.as_ptr() as usize)?;
            let params = params
                .snapshot_blob(v8::StartupData::from(blob))
                .external_references(refs.into());
            let _creating = lease.creating();
            (v8::Isolate::new(params), Some(lease))
        }
    };
    isolate.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
    Ok((isolate, lease))
}
