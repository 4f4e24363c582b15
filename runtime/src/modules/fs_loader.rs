//! [`FsModuleLoader`]: modules from the file system, the default loader.

use super::loader::{ModuleLoadFuture, ModuleLoader, ModuleSource, ModuleType};
use super::specifier::ModuleSpecifier;
use crate::error::OpError;

/// Loads `file:` URLs from the file system: the loader a runtime uses
/// unless [`RuntimeOptions::module_loader`](crate::RuntimeOptions::module_loader)
/// names another. `.json` files are JSON modules, every other file is
/// JavaScript. Imports resolve with [`resolve_import`](crate::resolve_import)
/// (`./`, `../`, `/` and `file://` URLs).
///
/// Files are read at once, on the JS thread: local module files are small
/// and a read costs less than a trip to a thread pool. A missing file is a
/// `NotFound` error, which the import reports as a missing module.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsModuleLoader;

impl ModuleLoader for FsModuleLoader {
    fn load(&self, specifier: &ModuleSpecifier, _requested: ModuleType) -> ModuleLoadFuture {
        Box::pin(std::future::ready(read(specifier)))
    }
}

fn read(specifier: &ModuleSpecifier) -> Result<ModuleSource, OpError> {
    let Some(path) = specifier.to_file_path() else {
        return Err(OpError::new(
            "NotSupported",
            format!("the file-system loader loads file: URLs only, not \"{specifier}\""),
        ));
    };
    let code =
        std::fs::read_to_string(&path).map_err(|e| OpError::from(e).context(path.display()))?;
    Ok(ModuleSource::new(
        code,
        ModuleType::from_name(specifier.as_str()),
    ))
}
