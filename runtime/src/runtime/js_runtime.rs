//! [`JsRuntime`]: an isolate, a context with the ops installed, and ways to
//! run scripts in it.

use std::cell::RefCell;
use std::rc::Rc;

use super::family::Lease;
use super::limits::{Limits, TerminateHandle};
use super::options::RuntimeOptions;
use super::snapshot::capture::Capture;
use crate::classes::ClassDecl;
use crate::classes::registry::ClassTemplates;
use crate::convert::FromV8;
use crate::dispatch::running::Running;
use crate::error::Termination;
use crate::error::{Error, JsError};
use crate::event_loop::LoopState;
use crate::event_loop::driver::JsHooks;
use crate::modules::dynamic::DynamicImports;
use crate::modules::state::ModuleState;
use crate::ops::ctx::OpCtx;
use crate::ops::{OpDecl, OpMetrics, OpState};

/// A V8 isolate with one context, the registered ops, and an [`OpState`].
///
/// Ops are reachable from JS on the global object `ops` (`ops.op_add(1, 2)`),
/// a plain, non-enumerable, configurable property, so a script may alias or
/// shadow it. `console.log`, `console.error` (and `info`, `debug`, `warn`)
/// print to stdout/stderr, or to a [`ConsoleSink`](crate::ConsoleSink) put
/// into the state.
///
/// A runtime lives on the thread that made it. Many runtimes may exist in a
/// process, on many threads at once; runtimes on the same thread may be
/// used in any order, and must be dropped in the reverse order of their
/// creation (a V8 rule).
///
/// # Examples
///
/// ```
/// use opwire::{op, JsRuntime, RuntimeOptions};
///
/// #[op]
/// fn op_add(a: i32, b: i32) -> i32 { a + b }
///
/// let mut rt = JsRuntime::new(RuntimeOptions { ops: vec![op_add::DECL], ..Default::default() });
/// let sum: i32 = rt.eval("main.js", "ops.op_add(40, 2)").unwrap();
/// assert_eq!(sum, 42);
///
/// let err = rt.execute_script("bad.js", "ops.op_add(1, 'x')").unwrap_err();
/// let js = err.as_js().unwrap();
/// assert_eq!(js.name, "TypeError");
/// assert_eq!(js.message, "op_add: argument 'b' (#2) expected i32, got string");
/// ```
pub struct JsRuntime {
    // Field order is drop order: V8 handles before the isolate, and the op
    // contexts (which V8 functions point at) after it.
    pub(super) context: v8::Global<v8::Context>,
    /// The `core.js` functions the event loop calls.
    pub(super) hooks: JsHooks,
    /// Modules: the map, the loader, the callbacks' state.
    pub(super) modules: Rc<ModuleState>,
    /// The `import()` calls in progress.
    pub(super) dynamic_imports: DynamicImports,
    /// What a runtime made for a snapshot keeps for it.
    pub(super) snapshot: Option<Box<Capture>>,
    /// Dropped here, or kept for the next runtime (see `pool.rs`).
    pub(super) isolate: super::pool::RuntimeIsolate,
    /// The claim on the snapshot the isolate started from (see
    /// `family.rs`), released once the isolate is gone.
    pub(super) lease: Option<Lease>,
    pub(crate) state: Rc<RefCell<OpState>>,
    pub(crate) event_loop: Rc<LoopState>,
    #[allow(
        clippy::vec_box,
        reason = "V8 functions hold the boxes' addresses; they must not move"
    )]
    pub(super) op_ctxs: Vec<Box<OpCtx>>,
    /// How many of `op_ctxs` (at the front) are user ops.
    pub(super) plain_ops: usize,
    /// How many of `op_ctxs` are user ops and class members (which follow
    /// the user ops); internal ops come last.
    pub(super) user_ops: usize,
    /// The registered classes.
    pub(super) class_decls: Vec<ClassDecl>,
    /// Heap limit and termination (V8's heap callback points into it, so it
    /// is dropped after the isolate).
    pub(super) limits: Box<Limits>,
    /// The heap reached its limit: the runtime runs no more JS.
    pub(super) heap_exhausted: bool,
    /// Set when the isolate may wait for the next runtime of this key
    /// ([`RuntimeOptions::reuse_isolate`]).
    pub(super) reuse: Option<super::pool::PoolKey>,
}

impl JsRuntime {
    /// Creates a runtime.
    ///
    /// # Panics
    ///
    /// If two ops share a name or an extension's JS throws; see
    /// [`JsRuntime::try_new`] for the non-panicking form.
    pub fn new(options: RuntimeOptions) -> Self {
        Self::try_new(options).unwrap_or_else(|e| panic!("JsRuntime::new: {e}"))
    }

    /// Creates a runtime.
    ///
    /// # Errors
    ///
    /// [`Error::Setup`] if two ops or two extensions share a name, an
    /// extension's dependency is missing or circular, or an extension
    /// module's URL is taken or names another extension; [`Error::Js`] if
    /// an extension's JS throws; [`Error::Setup`] too if
    /// [`RuntimeOptions::startup_snapshot`] is not a snapshot made for
    /// this runtime's ops, classes, extensions and `op_metrics` (and this
    /// opwire and V8).
    pub fn try_new(options: RuntimeOptions) -> Result<Self, Error> {
        Self::build(options, false)
    }

    /// Runs a classic script and returns its completion value, then runs
    /// pending microtasks.
    ///
    /// # Errors
    ///
    /// [`Error::Js`] with the exception's class, message, stack and location
    /// if the script throws (or does not compile).
    pub fn execute_script(
        &mut self,
        name: &str,
        source: &str,
    ) -> Result<v8::Global<v8::Value>, Error> {
        self.usable()?;
        let result = self.with_scope(|scope| {
            v8::tc_scope!(let tc, scope);
            match super::bootstrap::run_script(tc, name, source) {
                Some(value) => Ok(v8::Global::new(tc, value)),
                None => Err(Error::from(JsError::from_try_catch(tc))),
            }
        });
        self.microtask_checkpoint();
        self.checked(result)
    }

    /// [`JsRuntime::execute_script`] for `'static` text (an extension's
    /// script), compiled with the process's code cache.
    pub(super) fn execute_static_script(
        &mut self,
        name: &str,
        text: &'static str,
    ) -> Result<v8::Global<v8::Value>, Error> {
        self.usable()?;
        let result = self.with_scope(|scope| {
            v8::tc_scope!(let tc, scope);
            let mut cache = None;
            let text = super::code_cache::Text::Static(text);
            match super::bootstrap::run(tc, name, text, false, &mut cache) {
                Some(value) => {
                    if let Some(cache) = cache {
                        cache.ran(tc);
                    }
                    Ok(v8::Global::new(tc, value))
                }
                None => Err(Error::from(JsError::from_try_catch(tc))),
            }
        });
        self.microtask_checkpoint();
        self.checked(result)
    }

    /// Like [`JsRuntime::execute_script`], terminating the script (and the
    /// microtasks it queues) if it runs longer than `timeout`.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::execute_script`], and [`Error::Terminated`] when the
    /// deadline passes.
    pub fn execute_script_with_timeout(
        &mut self,
        name: &str,
        source: &str,
        timeout: std::time::Duration,
    ) -> Result<v8::Global<v8::Value>, Error> {
        let deadline = self.limits.deadline(timeout);
        let result = self.execute_script(name, source);
        drop(deadline);
        result
    }

    /// A handle that terminates this runtime's JS from any thread.
    pub fn terminate_handle(&self) -> TerminateHandle {
        self.limits.handle()
    }

    /// `Err` once the heap limit was reached: the runtime runs no more JS.
    pub(super) fn usable(&self) -> Result<(), Error> {
        if self.heap_exhausted {
            return Err(self.heap_limit_error());
        }
        Ok(())
    }

    fn heap_limit_error(&self) -> Error {
        Error::HeapLimit {
            limit: self.limits.max_heap.unwrap_or(0),
        }
    }

    /// `result` of running JS, or the termination that cut it short. After
    /// a termination the pending async ops are dropped (and forgotten by
    /// JS); after a heap-limit one the runtime runs no more JS.
    pub(super) fn checked<T>(&mut self, result: Result<T, Error>) -> Result<T, Error> {
        let terminating = self.isolate.is_execution_terminating();
        if !(terminating || result.is_err() && self.limits.pending()) {
            return result;
        }
        let reason = self.limits.take().unwrap_or(Termination::Requested);
        Err(self.terminated(reason))
    }

    /// Cleans up after JS was terminated for `reason` and returns the error
    /// to report: drops the pending async ops (JS forgets their promises)
    /// and lets the runtime run JS again, unless the heap is exhausted.
    pub(super) fn terminated(&mut self, reason: Termination) -> Error {
        let pending = self.event_loop.drain();
        if reason == Termination::HeapLimit {
            self.heap_exhausted = true;
            return self.heap_limit_error();
        }
        self.isolate.cancel_terminate_execution();
        let hook = &self.hooks.forget_ops;
        let _ = enter(&mut self.isolate, &self.context, |scope| {
            let ids: Vec<v8::Local<'_, v8::Value>> = pending
                .iter()
                .map(|&id| v8::Integer::new(scope, id).into())
                .collect();
            let ids = v8::Array::new_with_elements(scope, &ids).into();
            let f = v8::Local::new(scope, hook);
            let undefined = v8::undefined(scope).into();
            f.call(scope, undefined, &[ids]).is_some()
        });
        Error::Terminated(reason)
    }

    /// Runs a classic script and converts its completion value to `T`.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::execute_script`], plus [`Error::Conversion`] if the
    /// value does not convert.
    pub fn eval<T>(&mut self, name: &str, source: &str) -> Result<T, Error>
    where
        T: for<'s> FromV8<'s>,
    {
        let value = self.execute_script(name, source)?;
        self.from_global(&value)
    }

    /// Converts a value (such as a script's completion value) to `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Conversion`] if the value does not convert.
    pub fn from_global<T>(&mut self, value: &v8::Global<v8::Value>) -> Result<T, Error>
    where
        T: for<'s> FromV8<'s>,
    {
        self.with_scope(|scope| {
            let local = v8::Local::new(scope, value);
            T::from_v8(scope, local).map_err(|e| Error::Conversion(e.to_string()))
        })
    }

    /// Runs `f` inside a handle scope entered into the runtime's context.
    pub fn with_scope<R>(&mut self, f: impl FnOnce(&mut v8::PinScope<'_, '_>) -> R) -> R {
        enter(&mut self.isolate, &self.context, f)
    }

    /// The state ops receive. Put values in it before running scripts.
    pub fn op_state(&self) -> Rc<RefCell<OpState>> {
        self.state.clone()
    }

    /// A TypeScript declaration file for the registered ops and classes
    /// (see [`typescript_declarations`](crate::typescript_declarations)
    /// and [`ClassDecl::typescript`]).
    pub fn typescript_declarations(&self) -> String {
        let decls: Vec<OpDecl> = self.op_ctxs[..self.plain_ops]
            .iter()
            .map(|c| c.decl)
            .collect();
        crate::classes::typescript_declarations_with_classes(&decls, &self.class_decls)
    }

    /// The metrics of every registered op, in registration order; empty
    /// unless the runtime was created with
    /// [`RuntimeOptions::op_metrics`].
    pub fn op_metrics(&self) -> Vec<(&'static str, OpMetrics)> {
        self.op_ctxs[..self.user_ops]
            .iter()
            .filter_map(|c| Some((c.decl.name(), c.metrics.as_ref()?.get())))
            .collect()
    }

    /// Runs the microtasks JS queued, with the isolate marked running (see
    /// `dispatch/running.rs`).
    pub(super) fn microtask_checkpoint(&mut self) {
        let _running = Running::enter(&self.isolate, &self.context);
        self.isolate.perform_microtask_checkpoint();
    }

    /// The names of the registered ops (those on `globalThis.ops`), in
    /// registration order.
    pub fn op_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.op_ctxs[..self.user_ops].iter().map(|c| c.decl.name())
    }
}

/// Runs `f` inside a handle scope entered into `context` (split from
/// [`JsRuntime::with_scope`] so callers can borrow other fields meanwhile).
pub(super) fn enter<R>(
    isolate: &mut v8::OwnedIsolate,
    context: &v8::Global<v8::Context>,
    f: impl FnOnce(&mut v8::PinScope<'_, '_>) -> R,
) -> R {
    let _running = Running::enter(isolate, context);
    v8::scope!(let scope, isolate);
    let context = v8::Local::new(scope, context);
    let scope = &mut v8::ContextScope::new(scope, context);
    f(scope)
}

impl Drop for JsRuntime {
    fn drop(&mut self) {
        // State and pending ops may hold V8 handles; drop them while the
        // isolate is alive.
        self.event_loop.clear();
        self.dynamic_imports.clear();
        self.modules.clear();
        drop(self.isolate.remove_slot::<Rc<ModuleState>>());
        drop(self.isolate.remove_slot::<crate::serde_v8::SerdeCache>());
        drop(self.isolate.remove_slot::<ClassTemplates>());
        if let Ok(mut state) = self.state.try_borrow_mut() {
            *state = OpState::default();
        }
        // Not while unwinding: a panic may have left the isolate mid-call.
        let reusable = !self.heap_exhausted && !self.limits.pending() && !std::thread::panicking();
        if let Some(key) = self.reuse.take().filter(|_| reusable) {
            self.keep_isolate(key);
        }
    }
}

impl JsRuntime {
    /// Leaves the isolate to the next runtime of `key` (see `pool.rs`):
    /// drops the microtasks still queued without running them, and cuts the
    /// runtime's limits from the isolate.
    fn keep_isolate(&mut self, key: super::pool::PoolKey) {
        // V8 empties the queue of a checkpoint that is terminated before
        // its first microtask runs.
        self.isolate.terminate_execution();
        self.microtask_checkpoint();
        self.limits.retire(&mut self.isolate);
        let op_ctxs = std::mem::take(&mut self.op_ctxs);
        self.isolate.keep(op_ctxs, self.lease.take(), key);
    }
}

impl std::fmt::Debug for JsRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsRuntime")
            .field("ops", &self.op_ctxs.len())
            .finish_non_exhaustive()
    }
}
