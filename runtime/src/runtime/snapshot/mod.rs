//! Startup snapshots: a runtime's JS heap after `core.js` and a chosen set
//! of extensions (their scripts run, their ES modules evaluated, and the
//! globals all that left behind), written once, so that runtimes start
//! from it instead of compiling and running that JS again.
//!
//! Build one with [`create`] (from a `build.rs`, say) and start runtimes
//! from it with [`RuntimeOptions::startup_snapshot`]
//! (crate::RuntimeOptions::startup_snapshot), giving them the same ops,
//! classes and extensions, in the same order. A snapshot records where
//! each op function points (its callbacks, fast functions and context) as
//! an index into a list both sides build the same way (`refs.rs`), so that
//! the functions in the snapshot call this runtime's ops, fast paths
//! included. It also records a fingerprint of what it was made for
//! (`fingerprint.rs`); a runtime made of anything else refuses it with an
//! error before V8 sees it.

mod blob;
mod capture;
mod fingerprint;
mod refs;
mod restore;

pub(super) use blob::{Records, split};
pub(super) use capture::{Capture, discard_isolate};
pub(super) use fingerprint::{Fingerprint, check};
pub(super) use refs::external_refs;
pub(super) use restore::restore_context;

use super::extension::Extension;
use super::js_runtime::{JsRuntime, RuntimeOptions};
use crate::classes::ClassDecl;
use crate::error::Error;
use crate::modules::ModuleType;
use crate::ops::OpDecl;

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
    super::isolate::init_v8();
    let _making = super::family::Making::begin().map_err(Error::Setup)?;
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
