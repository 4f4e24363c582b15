//! ES modules: specifiers and their resolution ([`ModuleSpecifier`],
//! [`resolve_import`]), loaders ([`ModuleLoader`], [`FsModuleLoader`],
//! [`MemoryModuleLoader`]), and the machinery a runtime drives: the
//! [`map`](map::ModuleMap) of compiled modules, concurrent
//! [`graph`](graph::GraphLoad) loads, `import()` calls
//! ([`dynamic`](dynamic::DynamicImports)) and V8's module callbacks.
//!
//! The public API (`JsRuntime::load_main_module` and friends) lives with
//! the runtime, which owns a [`ModuleState`](state::ModuleState) and
//! shares it with the callbacks through an isolate slot.

pub(crate) mod callbacks;
pub(crate) mod compile;
pub(crate) mod dynamic;
pub(crate) mod errors;
mod fs_loader;
pub(crate) mod graph;
mod loader;
pub(crate) mod map;
mod memory_loader;
mod specifier;
pub(crate) mod state;

pub use fs_loader::FsModuleLoader;
pub use loader::{ModuleLoadFuture, ModuleLoader, ModuleSource, ModuleType};
pub use map::ModuleId;
pub use memory_loader::MemoryModuleLoader;
pub use specifier::{ModuleSpecifier, resolve_import};
