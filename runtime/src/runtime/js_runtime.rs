//! [`JsRuntime`]: an isolate, a context with the ops installed, and ways to
//! run scripts in it.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use super::classes::ClassCtxs;
use super::extension::Extension;
use super::family::Lease;
use super::isolate::IsolateStart;
use super::limits::{Limits, TerminateHandle};
use super::snapshot::blob::{Records, split};
use super::snapshot::capture::{Capture, discard_isolate};
use super::snapshot::fingerprint::{Fingerprint, check};
use super::snapshot::refs::{external_refs, placeholder_refs};
use super::snapshot::restore::restore_context;
use super::warm::WarmStart;
use crate::classes::ClassDecl;
use crate::classes::registry::ClassTemplates;
use crate::convert::FromV8;
use crate::error::Termination;
use crate::error::{Error, JsError};
use crate::event_loop::LoopState;
use crate::event_loop::driver::JsHooks;
use crate::modules::dynamic::DynamicImports;
use crate::modules::state::ModuleState;
use crate::modules::{FsModuleLoader, ModuleLoader};
use crate::ops::ctx::OpCtx;
use crate::ops::{OpDecl, OpMetrics, OpState};

/// What a [`JsRuntime`] starts with.
#[derive(Default)]
pub struct RuntimeOptions {
    /// Ops to register, each reachable from JS as `ops.<name>`.
    pub ops: Vec<OpDecl>,
    /// Extensions to register: their ops, then their state, then their JS;
    /// each after the extensions it depends on
    /// ([`Extension::dependency`]), otherwise in this order.
    pub extensions: Vec<Extension>,
    /// Classes to register (`<T as Class>::CLASS`, made by `#[op] impl T`),
    /// each reachable from JS as `ops.<Name>`.
    pub classes: Vec<ClassDecl>,
    /// Keep per-op metrics ([`JsRuntime::op_metrics`]). Off by default:
    /// then ops run their plain callbacks, at no cost.
    pub op_metrics: bool,
    /// The most memory the JS heap may take, in bytes. A script that reaches
    /// it is terminated: the call returns [`Error::HeapLimit`] and the
    /// runtime runs no more JS (drop it), while the process and other
    /// runtimes go on. Without a limit, V8's default applies, and reaching
    /// it aborts the process.
    pub max_heap_bytes: Option<usize>,
    /// Where ES modules come from ([`JsRuntime::load_main_module`],
    /// `import`, `import()`); `None` means [`FsModuleLoader`], the file
    /// system.
    pub module_loader: Option<Rc<dyn ModuleLoader>>,
    /// A startup snapshot to start from, made by
    /// [`snapshot::create`](crate::snapshot::create) for the same ops,
    /// classes and extensions (given here again, in the same order) and
    /// the same `op_metrics`. The runtime then runs no JS at start: its
    /// extensions' scripts ran, and their ES modules were evaluated, when
    /// the snapshot was made; their state initializers still run.
    pub startup_snapshot: Option<&'static [u8]>,
}

impl std::fmt::Debug for RuntimeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeOptions")
            .field("ops", &self.ops)
            .field("extensions", &self.extensions)
            .field("classes", &self.classes)
            .field("op_metrics", &self.op_metrics)
            .field("max_heap_bytes", &self.max_heap_bytes)
            .field("module_loader", &self.module_loader.as_ref().map(|_| ".."))
            .field(
                "startup_snapshot",
                &self.startup_snapshot.map(|s| format!("{} bytes", s.len())),
            )
            .finish()
    }
}

/// A V8 isolate with one context, the registered ops, and an [`OpState`].
///
/// Ops are reachable from JS on the global object `ops` (`ops.op_add(1, 2)`),
/// a plain, non-enumerable, configurable property, so a script may alias or
/// shadow it. `console.log`, `console.error` (and `info`, `debug`, `warn`)
/// print to stdout/stderr, or to a [`ConsoleSink`](crate::ConsoleSink) put
/// into the state.
///
/// A runtime lives on the thread that made it. Many runtimes may exist in a
/// process, on many threads at once; runtimes on the same thread must be
/// dropped in the reverse order of their creation (a V8 rule).
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
    pub(super) isolate: v8::OwnedIsolate,
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
    plain_ops: usize,
    /// How many of `op_ctxs` are user ops and class members (which follow
    /// the user ops); internal ops come last.
    user_ops: usize,
    /// The registered classes.
    pub(super) class_decls: Vec<ClassDecl>,
    /// Heap limit and termination (V8's heap callback points into it, so it
    /// is dropped after the isolate).
    pub(super) limits: Box<Limits>,
    /// The heap reached its limit: the runtime runs no more JS.
    pub(super) heap_exhausted: bool,
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

    /// Creates a runtime: from `options.startup_snapshot` if given, and
    /// ready to become a snapshot ([`JsRuntime::into_snapshot`]) if
    /// `for_snapshot`.
    pub(super) fn build(options: RuntimeOptions, for_snapshot: bool) -> Result<Self, Error> {
        let RuntimeOptions {
            mut ops,
            extensions,
            mut classes,
            op_metrics,
            max_heap_bytes,
            module_loader,
            startup_snapshot,
        } = options;
        let mut fingerprint =
            (for_snapshot || startup_snapshot.is_some()).then(|| Fingerprint::new(op_metrics));
        let state = Rc::new(RefCell::new(OpState::default()));
        let mut scripts = Vec::new();
        let mut esm = std::collections::HashMap::new();
        let extensions = super::extension::in_dependency_order(extensions).map_err(Error::Setup)?;
        for ext in extensions {
            if let Some(print) = &mut fingerprint {
                print.extension(&ext);
            }
            for (url, source) in ext.esm_modules().map_err(Error::Setup)? {
                if esm.contains_key(&url) {
                    return Err(Error::Setup(format!("module {url} is registered twice")));
                }
                esm.insert(url, source);
            }
            ops.extend(ext.ops);
            classes.extend(ext.classes);
            for init in ext.state {
                init(&mut state.borrow_mut());
            }
            scripts.extend(ext.js);
        }
        let mut seen = HashSet::new();
        if let Some(dup) = ops.iter().find(|d| !seen.insert(d.name())) {
            return Err(Error::Setup(format!(
                "op `{}` is registered twice",
                dup.name()
            )));
        }
        if let Some(dup) = classes.iter().find(|c| !seen.insert(c.name())) {
            return Err(Error::Setup(format!(
                "class `{}` is registered twice, or shares its name with an op",
                dup.name()
            )));
        }

        let event_loop = Rc::new(LoopState::new());
        let new_ctx = |decl: OpDecl, metrics: bool| {
            Box::new(OpCtx::new(decl, state.clone(), event_loop.clone(), metrics))
        };
        let user: Vec<Box<OpCtx>> = ops.into_iter().map(|d| new_ctx(d, op_metrics)).collect();
        let internal: Vec<Box<OpCtx>> = super::builtins::ops()
            .into_iter()
            .map(|d| new_ctx(d, false))
            .collect();

        let classes: Vec<ClassCtxs> = classes
            .into_iter()
            .map(|decl| ClassCtxs {
                decl,
                ctxs: decl.op_decls().map(|d| new_ctx(d, op_metrics)).collect(),
            })
            .collect();

        let class_decls: Vec<ClassDecl> = classes.iter().map(|c| c.decl).collect();
        let class_ops: usize = classes.iter().map(|c| c.ctxs.len()).sum();

        let ctxs = || {
            user.iter()
                .chain(classes.iter().flat_map(|c| &c.ctxs))
                .chain(&internal)
                .map(|c| &**c)
        };
        let fingerprint = fingerprint.map(|mut print| {
            print.classes(&class_decls);
            print.ops(ctxs());
            print.finish()
        });
        let mut records = None;
        let start = match (startup_snapshot, &fingerprint) {
            (Some(blob), Some(print)) => {
                let parts = split(blob).map_err(snapshot_error)?;
                check(parts.fingerprint, print).map_err(snapshot_error)?;
                super::isolate::init_v8();
                if !v8::StartupData::from(parts.v8).is_valid() {
                    return Err(snapshot_error(
                        "its V8 part was not made by this V8 (or is damaged)".into(),
                    ));
                }
                records = Some(
                    Records::decode(parts.records)
                        .ok_or_else(|| snapshot_error("its records are damaged".into()))?,
                );
                IsolateStart::Snapshot(parts.v8, external_refs(ctxs()))
            }
            _ if for_snapshot => IsolateStart::Creator(external_refs(ctxs())),
            _ => IsolateStart::Fresh,
        };
        let warm_blob = match &start {
            IsolateStart::Snapshot(blob, _) => Some(*blob),
            _ => None,
        };
        let (mut isolate, lease) =
            super::isolate::new_isolate(max_heap_bytes, start).map_err(Error::Setup)?;
        if let Some(lease) = &lease {
            super::warm::ensure(lease, || match warm_blob {
                Some(blob) => WarmStart::Snapshot(blob, placeholder_refs(ctxs())),
                None => WarmStart::Fresh,
            });
        }
        let limits = Limits::new(&mut isolate, max_heap_bytes);
        isolate.set_slot(event_loop.clone());
        isolate.set_slot(event_loop.callbacks.clone());
        isolate.set_promise_reject_callback(crate::event_loop::rejections::on_promise_reject);
        let loader = module_loader.unwrap_or_else(|| Rc::new(FsModuleLoader));
        let modules = Rc::new(ModuleState::new(loader, esm));
        isolate.set_slot(modules.clone());
        crate::modules::callbacks::install(&mut isolate);
        let (context, hooks, capture) = match &records {
            Some(records) => {
                let (context, hooks) =
                    restore_context(&mut isolate, records, &classes, &modules, &event_loop)?;
                (context, hooks, None)
            }
            None => {
                let boot = super::bootstrap::new_context(
                    &mut isolate,
                    &user,
                    &internal,
                    &classes,
                    &event_loop,
                    for_snapshot,
                );
                let boot = match boot {
                    Ok(boot) => boot,
                    Err(error) if for_snapshot => {
                        discard_isolate(isolate);
                        return Err(error);
                    }
                    Err(error) => return Err(error),
                };
                let capture = fingerprint.filter(|_| for_snapshot).map(|fingerprint| {
                    Box::new(Capture {
                        roots: boot.roots,
                        fingerprint,
                    })
                });
                (boot.context, boot.hooks, capture)
            }
        };
        if records.is_some() {
            // The snapshot ran the extensions' scripts.
            scripts.clear();
        }
        let mut runtime = JsRuntime {
            context,
            hooks,
            modules,
            dynamic_imports: DynamicImports::default(),
            snapshot: capture,
            lease,
            isolate,
            state,
            event_loop,
            plain_ops: user.len(),
            user_ops: user.len() + class_ops,
            op_ctxs: user
                .into_iter()
                .chain(classes.into_iter().flat_map(|c| c.ctxs))
                .chain(internal)
                .collect(),
            class_decls,
            limits,
            heap_exhausted: false,
        };
        for (name, source) in scripts {
            let ran = match source {
                // `'static` text: from the process's code cache.
                std::borrow::Cow::Borrowed(text) if !for_snapshot => {
                    runtime.execute_static_script(&name, text)
                }
                source => runtime.execute_script(&name, &source),
            };
            if let Err(error) = ran {
                if for_snapshot {
                    return Err(runtime.discard_snapshot(error));
                }
                return Err(error);
            }
        }
        Ok(runtime)
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
        self.isolate.perform_microtask_checkpoint();
        self.checked(result)
    }

    /// [`JsRuntime::execute_script`] for `'static` text (an extension's
    /// script), compiled with the process's code cache.
    fn execute_static_script(
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
        self.isolate.perform_microtask_checkpoint();
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

    /// The names of the registered ops (those on `globalThis.ops`), in
    /// registration order.
    pub fn op_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.op_ctxs[..self.user_ops].iter().map(|c| c.decl.name())
    }
}

/// A refused startup snapshot.
fn snapshot_error(reason: String) -> Error {
    Error::Setup(format!("startup snapshot refused: {reason}"))
}

/// Runs `f` inside a handle scope entered into `context` (split from
/// [`JsRuntime::with_scope`] so callers can borrow other fields meanwhile).
pub(super) fn enter<R>(
    isolate: &mut v8::OwnedIsolate,
    context: &v8::Global<v8::Context>,
    f: impl FnOnce(&mut v8::PinScope<'_, '_>) -> R,
) -> R {
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
    }
}

impl std::fmt::Debug for JsRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsRuntime")
            .field("ops", &self.op_ctxs.len())
            .finish_non_exhaustive()
    }
}
