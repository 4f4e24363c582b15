//! Limits that protect the host from a bad script: a heap limit
//! ([`RuntimeOptions::max_heap_bytes`](crate::RuntimeOptions::max_heap_bytes)),
//! a [`TerminateHandle`] that stops JS from any thread, and deadlines.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use crate::error::Termination;

/// What the runtime, its handles and V8's heap callback share.
struct Shared {
    isolate: v8::IsolateHandle,
    /// The pending [`Termination`], as its code (0: none).
    reason: AtomicU8,
    /// How often the heap callback raised the limit.
    raises: AtomicU8,
    /// Whether `isolate` still runs this runtime (its isolate may go on to
    /// run another one, see `pool.rs`); held while terminating.
    live: Mutex<bool>,
}

impl Shared {
    /// Records `reason` (the first one wins) and stops the JS running now,
    /// or the next JS the runtime runs. `false` if the isolate is gone.
    fn terminate(&self, reason: Termination) -> bool {
        let live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        if !*live {
            return false;
        }
        let _ = self
            .reason
            .compare_exchange(0, reason.code(), Ordering::SeqCst, Ordering::SeqCst);
        self.isolate.terminate_execution()
    }
}

/// Stops a runtime's JavaScript from any thread: a watchdog for scripts
/// that loop forever.
///
/// It is `Send + Sync + Clone`. [`TerminateHandle::terminate`] interrupts
/// the JS running now (a `while (true) {}`, a caller of a long op, endless
/// microtasks), or the next JS the runtime runs; the runtime's call then
/// returns [`Error::Terminated`](crate::Error::Terminated), its pending async
/// ops are dropped (JS forgets their promises), and the runtime runs JS
/// again afterwards. Once the
/// runtime is dropped, `terminate` does nothing and returns `false`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use opwire::{Error, JsRuntime, RuntimeOptions};
///
/// let mut rt = JsRuntime::new(RuntimeOptions::default());
/// let handle = rt.terminate_handle();
/// let watchdog = std::thread::spawn(move || {
///     std::thread::sleep(Duration::from_millis(50));
///     handle.terminate();
/// });
/// let err = rt.execute_script("spin.js", "while (true) {}").unwrap_err();
/// assert!(matches!(err, Error::Terminated(_)));
/// watchdog.join().unwrap();
/// assert_eq!(rt.eval::<u32>("after.js", "1 + 1").unwrap(), 2);
/// ```
#[derive(Clone)]
pub struct TerminateHandle(Arc<Shared>);

impl TerminateHandle {
    /// Terminates the runtime's JS; `false` if the runtime is gone.
    pub fn terminate(&self) -> bool {
        self.0.terminate(Termination::Requested)
    }
}

impl std::fmt::Debug for TerminateHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TerminateHandle")
    }
}

/// A runtime's limits: boxed, so V8's heap callback can keep its address.
pub(super) struct Limits {
    shared: Arc<Shared>,
    /// The heap limit, when set.
    pub(super) max_heap: Option<usize>,
}

impl Limits {
    /// Sets up `isolate`'s limits (its heap limit was set at creation).
    pub(super) fn new(isolate: &mut v8::OwnedIsolate, max_heap: Option<usize>) -> Box<Self> {
        let limits = Box::new(Self {
            shared: Arc::new(Shared {
                isolate: isolate.thread_safe_handle(),
                reason: AtomicU8::new(0),
                raises: AtomicU8::new(0),
                live: Mutex::new(true),
            }),
            max_heap,
        });
        if max_heap.is_some() {
            let data: *const Shared = &*limits.shared;
            isolate.add_near_heap_limit_callback(near_heap_limit, data.cast_mut().cast());
        }
        limits
    }

    /// The runtime is gone but its isolate stays (see `pool.rs`): its
    /// handles and deadlines stop reaching the isolate, the heap callback
    /// goes, and a termination that slipped in is cancelled.
    pub(super) fn retire(&self, isolate: &mut v8::OwnedIsolate) {
        *self
            .shared
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = false;
        if let Some(max) = self.max_heap {
            isolate.remove_near_heap_limit_callback(near_heap_limit, max);
        }
        isolate.cancel_terminate_execution();
    }

    /// A handle for other threads.
    pub(super) fn handle(&self) -> TerminateHandle {
        TerminateHandle(self.shared.clone())
    }

    /// The pending termination, if any, cleared.
    pub(super) fn take(&self) -> Option<Termination> {
        Termination::from_code(self.shared.reason.swap(0, Ordering::SeqCst))
    }

    /// Whether a termination is pending.
    pub(super) fn pending(&self) -> bool {
        self.shared.reason.load(Ordering::SeqCst) != 0
    }

    /// Terminates the runtime's JS when `timeout` passes, unless the
    /// returned guard is dropped first.
    pub(super) fn deadline(&self, timeout: Duration) -> Deadline {
        let (cancel, expired) = mpsc::channel::<()>();
        let shared = self.shared.clone();
        let thread = thread::Builder::new()
            .name("opwire-deadline".into())
            .spawn(move || {
                if expired.recv_timeout(timeout) == Err(mpsc::RecvTimeoutError::Timeout) {
                    shared.terminate(Termination::Deadline);
                }
            })
            .ok();
        Deadline {
            cancel: Some(cancel),
            thread,
        }
    }
}

/// How often the heap callback raises the limit by half (about 5× the
/// limit in all): room for the terminated JS to unwind. Should the JS go on
/// allocating past that, V8 aborts the process rather than take the host's
/// memory.
const MAX_RAISES: u8 = 4;

/// V8 calls this when the heap nears its limit: record the reason, stop the
/// JS, and give V8 room to unwind instead of aborting the process.
extern "C" fn near_heap_limit(data: *mut c_void, current: usize, _initial: usize) -> usize {
    // SAFETY: `data` is the `Shared` the runtime's boxed `Limits` keeps
    // alive for as long as the isolate (it is dropped after it).
    let shared = unsafe { &*data.cast::<Shared>() };
    shared.terminate(Termination::HeapLimit);
    let raises = shared.raises.load(Ordering::SeqCst);
    if raises >= MAX_RAISES {
        return current;
    }
    shared.raises.store(raises + 1, Ordering::SeqCst);
    current + current / 2
}

/// A pending deadline; dropping it cancels the deadline.
pub(super) struct Deadline {
    cancel: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Drop for Deadline {
    fn drop(&mut self) {
        drop(self.cancel.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
