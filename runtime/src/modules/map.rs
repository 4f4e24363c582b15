//! [`ModuleMap`]: every module a runtime has compiled, once each, by
//! [`ModuleId`] and by URL and type; with the imports of each, resolved,
//! so that V8's instantiation can be answered from the map alone.

use std::collections::HashMap;
use std::num::NonZeroI32;

use super::loader::ModuleType;
use super::specifier::ModuleSpecifier;

/// A module of a runtime, as [`JsRuntime::load_main_module`](crate::JsRuntime::load_main_module)
/// returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(usize);

impl ModuleId {
    /// The module's index in its runtime (0 is the first module compiled).
    pub fn index(self) -> usize {
        self.0
    }
}

/// A module's identity: its URL and its type (one URL may be imported as
/// JavaScript and as JSON: two modules, as the spec says).
pub(crate) type ModuleKey = (ModuleSpecifier, ModuleType);

/// One `import` of a module, resolved.
pub(crate) struct Request {
    /// The specifier as written.
    pub(crate) specifier: String,
    /// The module it names.
    pub(crate) key: ModuleKey,
    /// Where it is written: 1-based line and column of the specifier.
    pub(crate) line: u32,
    /// See `line`.
    pub(crate) column: u32,
}

/// A compiled module.
pub(crate) struct ModuleInfo {
    pub(crate) key: ModuleKey,
    pub(crate) module: v8::Global<v8::Module>,
    pub(crate) requests: Vec<Request>,
    /// A JSON module's value, its default export.
    pub(crate) json: Option<v8::Global<v8::Value>>,
}

/// The compiled modules.
#[derive(Default)]
pub(crate) struct ModuleMap {
    modules: Vec<ModuleInfo>,
    ids: HashMap<ModuleKey, ModuleId>,
    /// V8's identity hash of each module (not unique) to the ids that have it.
    by_hash: HashMap<NonZeroI32, Vec<ModuleId>>,
}

impl ModuleMap {
    /// Adds a compiled module; its id.
    pub(crate) fn insert(
        &mut self,
        module: v8::Local<'_, v8::Module>,
        info: ModuleInfo,
    ) -> ModuleId {
        let id = ModuleId(self.modules.len());
        self.ids.insert(info.key.clone(), id);
        self.by_hash
            .entry(module.get_identity_hash())
            .or_default()
            .push(id);
        self.modules.push(info);
        id
    }

    /// The module with this URL and type, if compiled.
    pub(crate) fn id(&self, key: &ModuleKey) -> Option<ModuleId> {
        self.ids.get(key).copied()
    }

    /// The id of a compiled module.
    pub(crate) fn id_of(&self, module: v8::Local<'_, v8::Module>) -> Option<ModuleId> {
        let ids = self.by_hash.get(&module.get_identity_hash())?;
        ids.iter()
            .copied()
            .find(|&id| self.modules[id.0].module == module)
    }

    pub(crate) fn get(&self, id: ModuleId) -> Option<&ModuleInfo> {
        self.modules.get(id.0)
    }

    /// The module `referrer` imports as `specifier` with type `module_type`.
    pub(crate) fn imported(
        &self,
        referrer: ModuleId,
        specifier: &str,
        module_type: ModuleType,
    ) -> Option<&ModuleInfo> {
        let request = self
            .get(referrer)?
            .requests
            .iter()
            .find(|r| r.specifier == specifier && r.key.1 == module_type)?;
        self.get(self.id(&request.key)?)
    }

    /// Every compiled module, in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &ModuleInfo> {
        self.modules.iter()
    }

    /// Drops every V8 handle (before the isolate goes).
    pub(crate) fn clear(&mut self) {
        self.modules.clear();
        self.ids.clear();
        self.by_hash.clear();
    }
}
