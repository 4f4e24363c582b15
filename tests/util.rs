//! Shared test helpers: a runtime with the test ops, shortcuts to run JS,
//! and an allocation counter (with live bytes for threads that ask).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, Ordering};

use opwire::{JsError, JsRuntime, RuntimeOptions};

/// Counts Rust heap allocations per thread (V8's own are not counted), and
/// the bytes live on the threads that call [`track_live_bytes`].
pub struct CountingAlloc;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static TRACKED: Cell<bool> = const { Cell::new(false) };
}

/// Bytes allocated minus bytes freed by tracked threads, and its peak.
static LIVE: AtomicI64 = AtomicI64::new(0);
static PEAK: AtomicI64 = AtomicI64::new(0);

fn track(delta: i64) {
    if TRACKED.try_with(Cell::get).unwrap_or(false) {
        let now = LIVE.fetch_add(delta, Ordering::SeqCst) + delta;
        PEAK.fetch_max(now, Ordering::SeqCst);
    }
}

fn size(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        track(size(layout.size()));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-size(layout.size()));
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        track(size(new_size) - size(layout.size()));
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Rust allocations made on this thread so far.
pub fn allocations() -> u64 {
    ALLOCS.with(Cell::get)
}

/// Counts this thread's allocations and frees in [`live_bytes`] (for one
/// test at a time: the count is process-wide).
pub fn track_live_bytes() {
    TRACKED.with(|t| t.set(true));
}

/// Bytes allocated and not yet freed by tracked threads (memory one tracked
/// thread allocates and another frees counts on both), and the highest it
/// has been since the last call.
pub fn live_bytes() -> (i64, i64) {
    let live = LIVE.load(Ordering::SeqCst);
    (live, PEAK.swap(live, Ordering::SeqCst))
}

/// A runtime with every test op registered.
pub fn runtime() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        ops: crate::ops::all(),
        ..Default::default()
    })
}

/// Evaluates `src` and converts the result.
pub fn eval<T: for<'s> opwire::FromV8<'s>>(rt: &mut JsRuntime, src: &str) -> T {
    rt.eval("test.js", src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Runs `src`, which must throw, and returns what it threw.
pub fn throws(rt: &mut JsRuntime, src: &str) -> JsError {
    match rt.execute_script("test.js", src) {
        Ok(_) => panic!("expected `{src}` to throw"),
        Err(e) => e
            .as_js()
            .cloned()
            .unwrap_or_else(|| panic!("not a JS error: {e}")),
    }
}

/// `"<name>: <message>"` of what `src` threw.
pub fn error_of(rt: &mut JsRuntime, src: &str) -> String {
    let e = throws(rt, src);
    format!("{}: {}", e.name, e.message)
}

/// A current-thread tokio runtime with timers and I/O.
pub fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The startup snapshot `make` describes, made the first time `cell` is
/// asked for and kept for the whole process.
pub fn snapshot_once(
    cell: &'static std::sync::OnceLock<&'static [u8]>,
    make: impl FnOnce() -> opwire::snapshot::SnapshotOptions,
) -> &'static [u8] {
    cell.get_or_init(|| {
        let bytes = opwire::snapshot::create(make()).expect("snapshot");
        Box::leak(bytes.into_boxed_slice())
    })
}
