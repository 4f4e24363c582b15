//! [`ModuleLoader`]: how the runtime finds modules: it resolves a specifier
//! against the module that imports it, then loads the source, possibly
//! asynchronously. What a load returns: [`ModuleSource`] of a
//! [`ModuleType`].

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use super::specifier::{ModuleSpecifier, resolve_import};
use crate::error::OpError;

/// What a module is: JavaScript, or JSON (imported with
/// `with { type: "json" }`; its value is the default export).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModuleType {
    /// An ES module.
    JavaScript,
    /// A JSON document.
    Json,
}

impl ModuleType {
    /// The type a file name implies: `Json` for `.json`, otherwise
    /// `JavaScript` (what the file-system and in-memory loaders use).
    pub fn from_name(name: &str) -> Self {
        let path = name.split(['?', '#']).next().unwrap_or(name);
        if path.ends_with(".json") {
            ModuleType::Json
        } else {
            ModuleType::JavaScript
        }
    }

    /// How an import asks for this type: `"json"`, or `"javascript"`
    /// (no `type` attribute).
    pub fn as_str(self) -> &'static str {
        match self {
            ModuleType::JavaScript => "javascript",
            ModuleType::Json => "json",
        }
    }
}

/// A loaded module: its source text and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSource {
    /// The source text (JavaScript, or a JSON document).
    pub code: Cow<'static, str>,
    /// What the text is. The runtime refuses a module whose type is not the
    /// one the import asked for (a JSON file imported without
    /// `with { type: "json" }`, say).
    pub module_type: ModuleType,
}

impl ModuleSource {
    /// A source of type `module_type`.
    pub fn new(code: impl Into<Cow<'static, str>>, module_type: ModuleType) -> Self {
        Self {
            code: code.into(),
            module_type,
        }
    }
}

/// What [`ModuleLoader::load`] returns: the source, or why there is none.
/// A not-found error should have the class `NotFound` (as
/// `std::io::ErrorKind::NotFound` converts to): the runtime reports it as a
/// missing module.
pub type ModuleLoadFuture = Pin<Box<dyn Future<Output = Result<ModuleSource, OpError>>>>;

/// Finds modules for a runtime
/// ([`RuntimeOptions::module_loader`](crate::RuntimeOptions::module_loader)).
///
/// The runtime asks it to resolve each import (`import "./x.js"`,
/// `import("./x.js")`) against the importing module's URL, then to load
/// every module of a graph it has not loaded yet, all at once: each
/// module is loaded once per runtime, whatever the number of imports.
///
/// `ext:` specifiers never reach the loader: extension modules
/// ([`Extension::esm`](crate::Extension::esm)) are resolved and served by
/// the runtime.
///
/// # Examples
///
/// A loader that serves one module from memory after a delay:
///
/// ```
/// use opwire::{ModuleLoadFuture, ModuleLoader, ModuleSource, ModuleSpecifier, ModuleType, OpError};
///
/// struct Slow;
///
/// impl ModuleLoader for Slow {
///     fn load(&self, specifier: &ModuleSpecifier, _requested: ModuleType) -> ModuleLoadFuture {
///         let found = specifier.as_str() == "mem:/main.js";
///         let name = specifier.to_string();
///         Box::pin(async move {
///             tokio::task::yield_now().await;
///             if !found {
///                 return Err(OpError::new("NotFound", format!("no module {name}")));
///             }
///             Ok(ModuleSource::new("export default 42;", ModuleType::JavaScript))
///         })
///     }
/// }
/// # let _ = Slow;
/// ```
pub trait ModuleLoader {
    /// The URL of `specifier` imported by `referrer`. The default is
    /// [`resolve_import`]: relative (`./`, `../`) and rooted (`/`) paths
    /// and absolute URLs; bare specifiers are errors.
    ///
    /// Import maps and the like go here; `referrer` is never an `ext:`
    /// module, and `specifier` never an `ext:` URL.
    ///
    /// # Errors
    ///
    /// Why the specifier cannot be resolved; the import fails with it.
    fn resolve(
        &self,
        specifier: &str,
        referrer: &ModuleSpecifier,
    ) -> Result<ModuleSpecifier, OpError> {
        resolve_import(specifier, referrer)
    }

    /// Loads the module at `specifier`, which an import asked for as
    /// `requested` (a hint: the runtime checks the type of what comes
    /// back).
    fn load(&self, specifier: &ModuleSpecifier, requested: ModuleType) -> ModuleLoadFuture;
}
