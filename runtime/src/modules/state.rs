//! [`ModuleState`]: what a runtime knows about modules, shared with V8's
//! callbacks through an isolate slot: the [`ModuleMap`], the loader, the
//! extensions' modules, the main module, loads in flight and the
//! `import()` calls waiting to start.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};

use super::errors::Importer;
use super::loader::{ModuleLoader, ModuleSource, ModuleType};
use super::map::{ModuleId, ModuleKey, ModuleMap};
use super::specifier::{ModuleSpecifier, resolve_import};
use crate::error::OpError;

/// A load in flight, shared by every graph that waits for that module.
pub(crate) type SharedLoad = Shared<LocalBoxFuture<'static, Result<Rc<ModuleSource>, Rc<OpError>>>>;

/// An `import()` call, waiting for the event loop to start its load.
pub(crate) struct ImportRequest {
    pub(crate) specifier: String,
    /// The `type` attribute (see [`super::compile::import_type`]).
    pub(crate) module_type: Result<ModuleType, String>,
    /// The calling module or script, and where the call is.
    pub(crate) importer: Importer,
    /// Settles the promise `import()` returned.
    pub(crate) resolver: v8::Global<v8::PromiseResolver>,
}

/// A runtime's module state.
pub(crate) struct ModuleState {
    pub(crate) map: RefCell<ModuleMap>,
    loader: Rc<dyn ModuleLoader>,
    /// `ext:` modules, by URL.
    extension_modules: HashMap<ModuleSpecifier, Rc<ModuleSource>>,
    main: Cell<Option<ModuleId>>,
    in_flight: RefCell<HashMap<ModuleKey, SharedLoad>>,
    queued_imports: RefCell<Vec<ImportRequest>>,
}

impl ModuleState {
    pub(crate) fn new(
        loader: Rc<dyn ModuleLoader>,
        extension_modules: HashMap<ModuleSpecifier, ModuleSource>,
    ) -> Self {
        Self {
            map: RefCell::default(),
            loader,
            extension_modules: extension_modules
                .into_iter()
                .map(|(url, source)| (url, Rc::new(source)))
                .collect(),
            main: Cell::new(None),
            in_flight: RefCell::default(),
            queued_imports: RefCell::default(),
        }
    }

    /// The URL of `specifier` imported by `referrer`: by the runtime for
    /// `ext:` URLs and inside `ext:` modules (so they never reach the
    /// loader or the file system), by the loader otherwise.
    pub(crate) fn resolve(
        &self,
        specifier: &str,
        referrer: &ModuleSpecifier,
    ) -> Result<ModuleSpecifier, OpError> {
        let ext_url = specifier
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("ext:"));
        if ext_url || referrer.scheme() == "ext" {
            return resolve_import(specifier, referrer);
        }
        self.loader.resolve(specifier, referrer)
    }

    /// Loads module `key` (one load per module at a time, shared by the
    /// graphs that wait for it); `ext:` modules come from the extensions.
    pub(crate) fn fetch(&self, key: &ModuleKey) -> SharedLoad {
        if let Some(load) = self.in_flight.borrow().get(key) {
            return load.clone();
        }
        let (url, module_type) = key;
        let load: LocalBoxFuture<'static, _> = if url.scheme() == "ext" {
            let found = self.extension_modules.get(url).cloned().ok_or_else(|| {
                Rc::new(OpError::new(
                    "NotFound",
                    format!("no extension provides {url}"),
                ))
            });
            std::future::ready(found).boxed_local()
        } else {
            let load = self.loader.load(url, *module_type);
            async move { load.await.map(Rc::new).map_err(Rc::new) }.boxed_local()
        };
        let load = load.shared();
        self.in_flight
            .borrow_mut()
            .insert(key.clone(), load.clone());
        load
    }

    /// Forgets the load of `key`, which has finished.
    pub(crate) fn fetched(&self, key: &ModuleKey) {
        self.in_flight.borrow_mut().remove(key);
    }

    pub(crate) fn main(&self) -> Option<ModuleId> {
        self.main.get()
    }

    pub(crate) fn set_main(&self, id: ModuleId) {
        self.main.set(Some(id));
    }

    /// Queues an `import()` call for the event loop.
    pub(crate) fn queue_import(&self, request: ImportRequest) {
        self.queued_imports.borrow_mut().push(request);
    }

    /// The queued `import()` calls, taken.
    pub(crate) fn take_imports(&self) -> Vec<ImportRequest> {
        std::mem::take(&mut *self.queued_imports.borrow_mut())
    }

    /// Whether `import()` calls wait to start.
    pub(crate) fn has_queued_imports(&self) -> bool {
        !self.queued_imports.borrow().is_empty()
    }

    /// Drops every V8 handle and load (before the isolate goes).
    pub(crate) fn clear(&self) {
        self.map.borrow_mut().clear();
        self.in_flight.borrow_mut().clear();
        self.queued_imports.borrow_mut().clear();
    }
}
