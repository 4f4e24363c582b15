//! [`MemoryModuleLoader`]: modules from a table in memory, for embedders
//! and tests.

use std::borrow::Cow;
use std::collections::HashMap;

use super::loader::{ModuleLoadFuture, ModuleLoader, ModuleSource, ModuleType};
use super::specifier::ModuleSpecifier;
use crate::error::OpError;

/// Serves modules from memory, by URL.
///
/// Keys are written as [`JsRuntime::load_main_module`](crate::JsRuntime::load_main_module)
/// takes them: a URL (`file:///app/main.js`, `mem:/main.js`) or an
/// absolute path (`/app/main.js`, meaning `file:///app/main.js`). Imports
/// resolve with [`resolve_import`](crate::resolve_import); a module that is
/// not in the table is a `NotFound` error (a missing module).
///
/// # Examples
///
/// ```
/// use opwire::MemoryModuleLoader;
///
/// let loader = MemoryModuleLoader::new()
///     .with("/app/main.js", "import { x } from './lib.js'; globalThis.x = x;")
///     .with("/app/lib.js", "export const x = 1;")
///     .with("/app/data.json", r#"{ "a": 1 }"#); // a JSON module (by its name)
/// assert_eq!(loader.len(), 3);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryModuleLoader {
    modules: HashMap<String, ModuleSource>,
}

impl MemoryModuleLoader {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a module whose type its name implies
    /// ([`ModuleType::from_name`]: `.json` is JSON).
    #[must_use]
    pub fn with(mut self, specifier: &str, code: impl Into<Cow<'static, str>>) -> Self {
        let module_type = ModuleType::from_name(specifier);
        self.insert(specifier, ModuleSource::new(code, module_type));
        self
    }

    /// Adds (or replaces) a module.
    pub fn insert(&mut self, specifier: &str, source: ModuleSource) {
        let key = ModuleSpecifier::from_path_or_url(specifier)
            .map_or_else(|_| specifier.to_owned(), |s| s.as_str().to_owned());
        self.modules.insert(key, source);
    }

    /// How many modules the table holds.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
}

impl ModuleLoader for MemoryModuleLoader {
    fn load(&self, specifier: &ModuleSpecifier, _requested: ModuleType) -> ModuleLoadFuture {
        let found = self
            .modules
            .get(specifier.as_str())
            .cloned()
            .ok_or_else(|| {
                OpError::new("NotFound", format!("no module at {specifier}")).with_code("ENOENT")
            });
        Box::pin(std::future::ready(found))
    }
}
