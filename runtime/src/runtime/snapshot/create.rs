//! Making a startup snapshot: a runtime made for one runs its JS, then
//! becomes bytes: its V8 values recorded as context data, everything else
//! that holds a V8 handle released, V8's blob joined with opwire's
//! records and fingerprint.

use std::mem::ManuallyDrop;
use std::rc::Rc;

use super::blob::{self, ModuleRecord, Records};
use super::capture::Capture;
use crate::classes::ClassDecl;
use crate::classes::registry::ClassTemplates;
use crate::error::Error;
use crate::event_loop::LoopState;
use crate::event_loop::callback::Callbacks;
use crate::modules::ModuleType;
use crate::modules::state::ModuleState;
use crate::ops::{OpDecl, OpState};
use crate::runtime::extension::Extension;
use crate::runtime::js_runtime::JsRuntime;
use crate::runtime::options::RuntimeOptions;

/// What a startup snapshot is made of: the same fields a runtime that
/// starts from it gets in its [`RuntimeOptions`].
#[derive(Debug, Default)]
pub struct SnapshotOptions {
    /// Ops, as in [`RuntimeOptions::ops`].
    pub ops: Vec<OpDecl>,
    /// Extensions, as in [`RuntimeOptions::extensions`]: their scripts run
    /// and their ES modules are evaluated (each module once, in the order
    /// added) while the snapshot is made. Their state is not part of the
    /// snapshot: a runtime starting from it runs the state initializers
    /// itself. The JS may not leave pending ops, timers, resources, JS
    /// callbacks or class instances behind.
    pub extensions: Vec<Extension>,
    /// Classes, as in [`RuntimeOptions::classes`].
    pub classes: Vec<ClassDecl>,
    /// As in [`RuntimeOptions::op_metrics`]; a runtime starting from the
    /// snapshot must make the same choice.
    pub op_metrics: bool,
}

/// Makes a startup snapshot: runs `core.js` and the extensions' JS as a
/// runtime would, evaluates the extensions' ES modules, and returns the
/// heap as bytes for [`RuntimeOptions::startup_snapshot`].
///
/// # Errors
///
/// As [`JsRuntime::try_new`]; [`Error::Js`] if an extension module throws
/// or awaits something that never settles; [`Error::Setup`] if the JS left
/// pending work behind.
///
/// # Examples
///
/// A `build.rs` writes the snapshot into `OUT_DIR`, and the program
/// includes it:
///
/// ```no_run
/// // build.rs (the extension comes from a crate both depend on)
/// # fn my_extension() -> opwire::Extension { opwire::Extension::new("mine") }
/// let snapshot = opwire::snapshot::create(opwire::snapshot::SnapshotOptions {
///     extensions: vec![my_extension()],
///     ..Default::default()
/// })
/// .expect("startup snapshot");
/// let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
/// std::fs::write(out.join("runtime.snap"), snapshot).unwrap();
/// ```
///
/// ```ignore
/// // main.rs
/// static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/runtime.snap"));
///
/// let rt = opwire::JsRuntime::new(opwire::RuntimeOptions {
///     extensions: vec![my_extension()],
///     startup_snapshot: Some(SNAPSHOT),
///     ..Default::default()
/// });
/// ```
///
/// Made and used in one process:
///
/// ```
/// use opwire::snapshot::{SnapshotOptions, create};
/// use opwire::{Extension, JsRuntime, RuntimeOptions, op};
///
/// #[op]
/// fn op_twice(x: u32) -> u32 { x * 2 }
///
/// let ext = || Extension::new("twice")
///     .ops([op_twice::DECL])
///     .js("twice.js", "globalThis.twice = (x) => ops.op_twice(x);");
/// let snapshot = create(SnapshotOptions { extensions: vec![ext()], ..Default::default() }).unwrap();
/// let snapshot: &'static [u8] = Box::leak(snapshot.into_boxed_slice());
///
/// let mut rt = JsRuntime::new(RuntimeOptions {
///     extensions: vec![ext()],
///     startup_snapshot: Some(snapshot),
///     ..Default::default()
/// });
/// assert_eq!(rt.eval::<u32>("main.js", "twice(21)").unwrap(), 42);
///
/// // Made for other extensions: refused.
/// let err = JsRuntime::try_new(RuntimeOptions {
///     startup_snapshot: Some(snapshot),
///     ..Default::default()
/// })
/// .unwrap_err();
/// assert!(err.to_string().contains("built for another runtime"));
/// ```
pub fn create(options: SnapshotOptions) -> Result<Vec<u8>, Error> {
    crate::runtime::isolate::init_v8();
    // An isolate waiting on this thread would keep the snapshot from being
    // made (it counts as a live runtime).
    crate::runtime::pool::release_isolates();
    let _making = crate::runtime::family::Making::begin().map_err(Error::Setup)?;
    let SnapshotOptions {
        ops,
        extensions,
        classes,
        op_metrics,
    } = options;
    let mut modules = Vec::new();
    for ext in &extensions {
        for (url, source) in ext.esm_modules().map_err(Error::Setup)? {
            if source.module_type == ModuleType::JavaScript {
                modules.push(url.to_string());
            }
        }
    }
    let mut rt = JsRuntime::build(
        RuntimeOptions {
            ops,
            extensions,
            classes,
            op_metrics,
            ..Default::default()
        },
        true,
    )?;
    for url in modules {
        let evaluated = futures::executor::block_on(async {
            let id = rt.load_side_module(&url).await?;
            rt.evaluate_module(id).await
        });
        if let Err(error) = evaluated {
            return Err(rt.discard_snapshot(error));
        }
    }
    rt.into_snapshot()
}

impl JsRuntime {
    /// The snapshot of this runtime (made with `JsRuntime::build(.., true)`).
    pub(in crate::runtime) fn into_snapshot(self) -> Result<Vec<u8>, Error> {
        self.finish_snapshot(None)
    }

    /// Drops a runtime made for a snapshot after `error` (V8 only lets go
    /// of a snapshot-making isolate once it wrote its blob), and returns
    /// the error.
    pub(in crate::runtime) fn discard_snapshot(self, error: Error) -> Error {
        match self.finish_snapshot(Some(error)) {
            Err(error) => error,
            Ok(_) => Error::Setup("startup snapshot: made after an error".into()),
        }
    }

    /// Writes the snapshot, unless `failed`, in which case V8's blob is
    /// made (V8 insists) and dropped, and `failed` returned.
    fn finish_snapshot(mut self, failed: Option<Error>) -> Result<Vec<u8>, Error> {
        let capture = self.snapshot.take();
        let recorded = match (failed, &capture) {
            (Some(error), _) => Err(error),
            (None, None) => Err(Error::Setup(
                "startup snapshot: the runtime was not made for one".into(),
            )),
            (None, Some(capture)) => {
                let activity = self.activity();
                if activity.is_empty() {
                    self.record(capture)
                } else {
                    Err(Error::Setup(format!(
                        "startup snapshot: the extensions' JS left {activity} behind; a \
                         snapshot holds JS values only, not pending ops, timers, resources \
                         or callbacks"
                    )))
                }
            }
        };
        if recorded.is_err() {
            self.with_scope(|scope| {
                let context = scope.get_current_context();
                scope.set_default_context(context);
            });
        }
        self.event_loop.clear();
        self.dynamic_imports.clear();
        self.modules.clear();
        let fingerprint = capture.map(|c| c.fingerprint);

        let rt = ManuallyDrop::new(self);
        // SAFETY: `rt` is never used or dropped again (it is a
        // `ManuallyDrop`), and each field is read exactly once, so every
        // value read here has exactly one owner from now on.
        let (
            context,
            hooks,
            modules,
            dynamic_imports,
            mut isolate,
            state,
            event_loop,
            ctxs,
            limits,
        ) = unsafe {
            (
                std::ptr::read(&rt.context),
                std::ptr::read(&rt.hooks),
                std::ptr::read(&rt.modules),
                std::ptr::read(&rt.dynamic_imports),
                std::ptr::read(&rt.isolate).into_inner(),
                std::ptr::read(&rt.state),
                std::ptr::read(&rt.event_loop),
                std::ptr::read(&rt.op_ctxs),
                std::ptr::read(&rt.limits),
            )
        };
        // SAFETY: as above: read once, never dropped through `rt`.
        let (class_decls, lease) =
            unsafe { (std::ptr::read(&rt.class_decls), std::ptr::read(&rt.lease)) };
        drop(class_decls);
        // V8 refuses to write a heap that handles from outside still hold.
        drop((context, hooks, dynamic_imports));
        drop(isolate.remove_slot::<Rc<ModuleState>>());
        drop(isolate.remove_slot::<crate::serde_v8::SerdeCache>());
        drop(isolate.remove_slot::<ClassTemplates>());
        drop(isolate.remove_slot::<Rc<LoopState>>());
        drop(isolate.remove_slot::<Rc<Callbacks>>());
        drop(modules);
        if let Ok(mut state) = state.try_borrow_mut() {
            *state = OpState::default();
        }
        drop((state, event_loop));
        let v8_blob = isolate.create_blob(v8::FunctionCodeHandling::Keep);
        // The op contexts and the limits outlive the isolate, as in `Drop`.
        drop((ctxs, limits, lease));
        let records = recorded?;
        let v8_blob =
            v8_blob.ok_or_else(|| Error::Setup("startup snapshot: V8 made no snapshot".into()))?;
        Ok(blob::join(
            &v8_blob,
            &records.encode(),
            &fingerprint.unwrap_or_default(),
        ))
    }

    /// Records the runtime's V8 values as context data (the `core.js`
    /// roots, the modules and JSON values, the class templates) and makes
    /// its context the snapshot's.
    fn record(&mut self, capture: &Capture) -> Result<Records, Error> {
        let modules = self.modules.clone();
        let class_types: Vec<_> = self.class_decls.iter().map(|c| c.type_id()).collect();
        self.with_scope(|scope| {
            let context = scope.get_current_context();
            let mut records = Records::default();
            let roots = v8::Local::new(scope, &capture.roots);
            records.roots = scope.add_context_data(context, roots);
            for info in modules.map.borrow().iter() {
                let module = v8::Local::new(scope, &info.module);
                let json = info.json.as_ref().map(|v| v8::Local::new(scope, v));
                records.modules.push(ModuleRecord {
                    url: info.key.0.to_string(),
                    module_type: info.key.1,
                    module: scope.add_context_data(context, module),
                    json: json.map(|v| scope.add_context_data(context, v)),
                    requests: ModuleRecord::requests_of(&info.requests),
                });
            }
            for type_id in class_types {
                let template = scope
                    .get_slot::<ClassTemplates>()
                    .and_then(|t| t.get(type_id))
                    .cloned()
                    .ok_or_else(|| {
                        Error::Setup("startup snapshot: a class has no template".into())
                    })?;
                let template = v8::Local::new(scope, template);
                records
                    .classes
                    .push(scope.add_context_data(context, template));
            }
            scope.set_default_context(context);
            Ok(records)
        })
    }
}
