//! Building a [`JsRuntime`]: collecting ops, classes and extensions, the
//! isolate (fresh or from a startup snapshot), the context, and the
//! extensions' JS.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use super::classes::ClassCtxs;
use super::isolate::IsolateStart;
use super::limits::Limits;
use super::options::RuntimeOptions;
use super::pool::{self, PoolKey, RuntimeIsolate};
use super::snapshot::blob::{Records, split};
use super::snapshot::capture::{Capture, discard_isolate};
use super::snapshot::fingerprint::{Fingerprint, check};
use super::snapshot::refs::{external_refs, placeholder_refs};
use super::snapshot::restore::restore_context;
use super::warm::WarmStart;
use crate::classes::ClassDecl;
use crate::error::Error;
use crate::event_loop::LoopState;
use crate::modules::FsModuleLoader;
use crate::modules::dynamic::DynamicImports;
use crate::modules::state::ModuleState;
use crate::ops::ctx::OpCtx;
use crate::ops::{OpDecl, OpState};

use super::js_runtime::JsRuntime;

impl JsRuntime {
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
            reuse_isolate,
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
        let plain_ops = user.len();
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
        let reuse = match (startup_snapshot, &fingerprint) {
            (Some(blob), Some(print)) if reuse_isolate && !for_snapshot => Some(PoolKey {
                blob: blob.as_ptr() as usize,
                max_heap: max_heap_bytes,
                fingerprint: print.clone(),
            }),
            _ => None,
        };
        let ctx_count = user.len() + class_ops + internal.len();
        // A waiting isolate goes unless this runtime takes it.
        let pooled = match &reuse {
            Some(key) => pool::take(key).filter(|p| p.op_ctxs.len() == ctx_count),
            None => {
                pool::release_isolates();
                None
            }
        };
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
        let (mut isolate, lease, reused_ctxs) = match pooled {
            Some(pooled) => {
                let (isolate, ctxs, lease) = pooled.take();
                (isolate, lease, Some(ctxs))
            }
            None => {
                let (isolate, lease) =
                    super::isolate::new_isolate(max_heap_bytes, start).map_err(Error::Setup)?;
                (isolate, lease, None)
            }
        };
        if let Some(lease) = lease.as_ref().filter(|_| reused_ctxs.is_none()) {
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
        let fresh = user
            .into_iter()
            .chain(classes.into_iter().flat_map(|c| c.ctxs))
            .chain(internal);
        let op_ctxs = match reused_ctxs {
            // The isolate knows these boxes' addresses: this runtime's op
            // contexts move into them.
            Some(mut boxes) => {
                for (slot, ctx) in boxes.iter_mut().zip(fresh) {
                    **slot = *ctx;
                }
                boxes
            }
            None => fresh.collect(),
        };
        let mut runtime = JsRuntime {
            context,
            hooks,
            modules,
            dynamic_imports: DynamicImports::default(),
            snapshot: capture,
            lease,
            isolate: RuntimeIsolate::new(isolate),
            state,
            event_loop,
            plain_ops,
            user_ops: plain_ops + class_ops,
            op_ctxs,
            class_decls,
            limits,
            heap_exhausted: false,
            reuse,
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
}

/// A refused startup snapshot.
fn snapshot_error(reason: String) -> Error {
    Error::Setup(format!("startup snapshot refused: {reason}"))
}
