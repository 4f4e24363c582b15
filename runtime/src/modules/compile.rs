//! Compiling a loaded source into a V8 module: JavaScript as a source text
//! module, JSON as a synthetic module whose default export is the parsed
//! value; and reading a module's imports.

use super::errors::{ImportSite, LoadError};
use super::loader::ModuleType;
use super::specifier::ModuleSpecifier;

/// An `import` as V8 reports it, not yet resolved.
pub(crate) struct RawRequest {
    pub(crate) specifier: String,
    /// The `type` attribute: the module type, or the unknown type asked for.
    pub(crate) module_type: Result<ModuleType, String>,
    /// 1-based line and column of the specifier.
    pub(crate) line: u32,
    /// See `line`.
    pub(crate) column: u32,
}

/// Compiles JavaScript module `code` named `url`.
pub(crate) fn compile_js<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    url: &ModuleSpecifier,
    code: &str,
) -> Result<v8::Local<'s, v8::Module>, LoadError> {
    v8::tc_scope!(let tc, scope);
    let (Some(name), Some(text)) = (v8::String::new(tc, url.as_str()), v8::String::new(tc, code))
    else {
        return Err(too_long(url));
    };
    let origin = origin(tc, name, true);
    let mut source = v8::script_compiler::Source::new(text, Some(&origin));
    match v8::script_compiler::compile_module(tc, &mut source) {
        Some(module) => Ok(module),
        None => Err(LoadError::caught(tc)),
    }
}

/// Parses JSON module `code` named `url` (imported at `site`) into its
/// value and a synthetic module that exports it as `default` (its
/// evaluation steps are `steps`).
pub(crate) fn compile_json<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    url: &ModuleSpecifier,
    code: &str,
    site: &ImportSite,
    steps: impl v8::MapFnTo<v8::SyntheticModuleEvaluationSteps<'s>>,
) -> Result<(v8::Local<'s, v8::Module>, v8::Local<'s, v8::Value>), LoadError> {
    v8::tc_scope!(let tc, scope);
    let (Some(name), Some(text), Some(default)) = (
        v8::String::new(tc, url.as_str()),
        v8::String::new(tc, code),
        v8::String::new(tc, "default"),
    ) else {
        return Err(too_long(url));
    };
    let Some(value) = v8::json::parse(tc, text) else {
        let reason = tc
            .exception()
            .map_or_else(String::new, |e| e.to_rust_string_lossy(tc));
        let reason = reason.strip_prefix("SyntaxError: ").unwrap_or(&reason);
        return Err(site.error(
            "SyntaxError",
            format!("{url} is not valid JSON: {reason}"),
            None,
        ));
    };
    let module = v8::Module::create_synthetic_module(tc, name, &[default], steps);
    Ok((module, value))
}

fn too_long(url: &ModuleSpecifier) -> LoadError {
    let site = ImportSite {
        written: url.to_string(),
        resolved: None,
        importer: None,
    };
    site.error(
        "RangeError",
        format!("module {url} is too long for V8"),
        None,
    )
}

/// The origin of a script or module named `name`.
pub(crate) fn origin<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: v8::Local<'s, v8::String>,
    is_module: bool,
) -> v8::ScriptOrigin<'s> {
    v8::ScriptOrigin::new(
        scope,
        name.into(),
        0,
        0,
        false,
        0,
        None,
        false,
        false,
        is_module,
        None,
    )
}

/// The imports of `module`, in source order.
pub(crate) fn requests(
    scope: &mut v8::PinScope<'_, '_>,
    module: v8::Local<'_, v8::Module>,
) -> Vec<RawRequest> {
    let requests = module.get_module_requests();
    (0..requests.length())
        .filter_map(|i| {
            let request = requests.get(scope, i)?;
            let request = v8::Local::<v8::ModuleRequest>::try_from(request).ok()?;
            let location = module.source_offset_to_location(request.get_source_offset());
            Some(RawRequest {
                specifier: request.get_specifier().to_rust_string_lossy(scope),
                module_type: import_type(scope, request.get_import_attributes(), 3),
                line: one_based(location.get_line_number()),
                column: one_based(location.get_column_number()),
            })
        })
        .collect()
}

fn one_based(zero_based: i32) -> u32 {
    u32::try_from(zero_based).map_or(0, |n| n.saturating_add(1))
}

/// The module type import attributes ask for: `[key, value, ...]` with
/// `stride` entries per attribute (3 for a static import, which adds the
/// source offset; 2 for `import()`).
pub(crate) fn import_type(
    scope: &mut v8::PinScope<'_, '_>,
    attributes: v8::Local<'_, v8::FixedArray>,
    stride: usize,
) -> Result<ModuleType, String> {
    let text = |scope: &mut v8::PinScope<'_, '_>, i: usize| {
        let data = attributes.get(scope, i)?;
        let value = v8::Local::<v8::Value>::try_from(data).ok()?;
        Some(value.to_rust_string_lossy(scope))
    };
    let mut i = 0;
    while i + 1 < attributes.length() {
        if text(scope, i).as_deref() == Some("type") {
            return match text(scope, i + 1).as_deref() {
                Some("json") => Ok(ModuleType::Json),
                other => Err(other.unwrap_or_default().to_owned()),
            };
        }
        i += stride;
    }
    Ok(ModuleType::JavaScript)
}
