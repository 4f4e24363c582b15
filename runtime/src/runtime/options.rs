//! [`RuntimeOptions`]: what a [`JsRuntime`](super::JsRuntime) starts with.

use std::rc::Rc;

use super::extension::Extension;
use crate::classes::ClassDecl;
use crate::modules::ModuleLoader;
use crate::ops::OpDecl;

/// What a [`JsRuntime`](super::JsRuntime) starts with.
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
    /// Keep per-op metrics ([`JsRuntime::op_metrics`](super::JsRuntime::op_metrics)). Off by default:
    /// then ops run their plain callbacks, at no cost.
    pub op_metrics: bool,
    /// The most memory the JS heap may take, in bytes. A script that reaches
    /// it is terminated: the call returns [`Error::HeapLimit`](crate::Error::HeapLimit) and the
    /// runtime runs no more JS (drop it), while the process and other
    /// runtimes go on. Without a limit, V8's default applies, and reaching
    /// it aborts the process.
    pub max_heap_bytes: Option<usize>,
    /// Where ES modules come from ([`JsRuntime::load_main_module`](super::JsRuntime::load_main_module),
    /// `import`, `import()`); `None` means [`FsModuleLoader`](crate::FsModuleLoader), the file
    /// system.
    pub module_loader: Option<Rc<dyn ModuleLoader>>,
    /// A startup snapshot to start from, made by
    /// [`snapshot::create`](crate::snapshot::create) for the same ops,
    /// classes and extensions (given here again, in the same order) and
    /// the same `op_metrics`. The runtime then runs no JS at start: its
    /// extensions' scripts ran, and their ES modules were evaluated, when
    /// the snapshot was made; their state initializers still run.
    pub startup_snapshot: Option<&'static [u8]>,
    /// With a [`startup_snapshot`](Self::startup_snapshot): when the
    /// runtime is dropped, its V8 isolate waits on its thread for the next
    /// runtime made with the same options (snapshot, heap limit, ops,
    /// classes, extensions), which then starts in a new context of that
    /// isolate instead of a new isolate: about a third of the start-up
    /// time (see BENCHMARKS.md). Off by default; without a snapshot it does
    /// nothing.
    ///
    /// What carries over is what V8 keeps per isolate rather than per
    /// context: the `Symbol.for` registry, compiled code, and garbage not
    /// yet collected. The old runtime's globals, modules, state, pending
    /// ops and microtasks do not. A runtime that reached its heap limit, or
    /// is dropped by a panic, is not reused. The waiting isolate counts as
    /// a live runtime of its snapshot: a runtime of another snapshot on
    /// another thread waits for it; it goes when a runtime not taking it is
    /// made on its thread, on
    /// [`release_isolates`](crate::release_isolates), or when the thread
    /// ends.
    pub reuse_isolate: bool,
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
            .field("reuse_isolate", &self.reuse_isolate)
            .finish()
    }
}
