//! V8's module callbacks: resolving an import during instantiation, a JSON
//! module's evaluation, `import.meta`, and `import()`. They find the
//! runtime's [`ModuleState`] in an isolate slot, and none of them unwinds
//! into V8: a panic becomes a JS exception.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use super::compile::import_type;
use super::errors::Importer;
use super::state::{ImportRequest, ModuleState};
use crate::error::to_js;
use crate::event_loop::LoopState;

/// Sets the isolate-wide callbacks (`import.meta`, `import()`).
pub(crate) fn install(isolate: &mut v8::Isolate) {
    isolate.set_host_initialize_import_meta_object_callback(import_meta);
    isolate.set_host_import_module_dynamically_callback(dynamic_import);
}

/// The addresses of this file's callbacks that V8 keeps in its heap (a
/// JSON module's evaluation steps), for startup snapshots.
pub(crate) fn external_refs() -> [v8::ExternalReference; 1] {
    use v8::MapFnTo;
    let steps: v8::SyntheticModuleEvaluationSteps<'static> = json_evaluation_steps.map_fn_to();
    [v8::ExternalReference {
        pointer: steps as *mut std::ffi::c_void,
    }]
}

/// Runs `f`; a panic is thrown as a JS `Error` and gives `None`.
fn guarded<'s, R>(
    scope: &mut v8::PinScope<'s, '_>,
    f: impl FnOnce(&mut v8::PinScope<'s, '_>) -> Option<R>,
) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(|| f(scope))) {
        Ok(result) => result,
        Err(_) => {
            to_js::throw_error(scope, "Error", "opwire: a module callback panicked", None);
            None
        }
    }
}

fn state(scope: &mut v8::PinScope<'_, '_>) -> Option<Rc<ModuleState>> {
    scope.get_slot::<Rc<ModuleState>>().cloned()
}

/// Instantiation's resolve callback: the module `referrer` imports as
/// `specifier`, from the map (the graph load put it there).
pub(crate) fn resolve<'s>(
    context: v8::Local<'s, v8::Context>,
    specifier: v8::Local<'s, v8::String>,
    attributes: v8::Local<'s, v8::FixedArray>,
    referrer: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Module>> {
    // SAFETY: V8 calls this during instantiation, inside `context`.
    v8::callback_scope!(unsafe scope, context);
    guarded(scope, |scope| {
        let specifier = specifier.to_rust_string_lossy(scope);
        let found = state(scope).and_then(|state| {
            let module_type = import_type(scope, attributes, 3).ok()?;
            let map = state.map.borrow();
            let info = map.imported(map.id_of(referrer)?, &specifier, module_type)?;
            Some(v8::Local::new(scope, &info.module))
        });
        if found.is_none() {
            let message = format!("opwire: module \"{specifier}\" was not loaded");
            to_js::throw_error(scope, "TypeError", &message, None);
        }
        found
    })
}

/// A JSON module's evaluation: sets its `default` export to the value
/// parsed at load time.
pub(crate) fn json_evaluation_steps<'s>(
    context: v8::Local<'s, v8::Context>,
    module: v8::Local<'s, v8::Module>,
) -> Option<v8::Local<'s, v8::Value>> {
    // SAFETY: V8 calls this while evaluating `module`, inside `context`.
    v8::callback_scope!(unsafe scope, context);
    guarded(scope, |scope| {
        let state = state(scope)?;
        let value = {
            let map = state.map.borrow();
            let info = map.get(map.id_of(module)?)?;
            v8::Local::new(scope, info.json.as_ref()?)
        };
        let name = v8::String::new(scope, "default")?;
        module.set_synthetic_module_export(scope, name, value)?;
        let done = v8::PromiseResolver::new(scope)?;
        let undefined = v8::undefined(scope).into();
        done.resolve(scope, undefined)?;
        Some(done.get_promise(scope).into())
    })
}

/// `import.meta`: `url` (the module's URL) and `main` (whether it is the
/// main module).
extern "C" fn import_meta(
    context: v8::Local<'_, v8::Context>,
    module: v8::Local<'_, v8::Module>,
    meta: v8::Local<'_, v8::Object>,
) {
    // SAFETY: V8 calls this on the first `import.meta` of `module`, inside
    // `context`.
    v8::callback_scope!(unsafe scope, context);
    guarded(scope, |scope| {
        let state = state(scope)?;
        let (url, main) = {
            let map = state.map.borrow();
            let id = map.id_of(module)?;
            (map.get(id)?.key.0.to_string(), state.main() == Some(id))
        };
        let url_key = v8::String::new(scope, "url")?;
        let url = v8::String::new(scope, &url)?;
        meta.create_data_property(scope, url_key.into(), url.into())?;
        let main_key = v8::String::new(scope, "main")?;
        let main = v8::Boolean::new(scope, main);
        meta.create_data_property(scope, main_key.into(), main.into())
    });
}

/// `import(specifier)`: queues the request for the event loop, which
/// loads, instantiates and evaluates the module, then settles the promise
/// returned here.
fn dynamic_import<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    _options: v8::Local<'s, v8::Data>,
    resource_name: v8::Local<'s, v8::Value>,
    specifier: v8::Local<'s, v8::String>,
    attributes: v8::Local<'s, v8::FixedArray>,
) -> Option<v8::Local<'s, v8::Promise>> {
    guarded(scope, |scope| {
        let state = state(scope)?;
        let resolver = v8::PromiseResolver::new(scope)?;
        let referrer = if resource_name.is_null_or_undefined() {
            String::new()
        } else {
            resource_name.to_rust_string_lossy(scope)
        };
        let request = ImportRequest {
            specifier: specifier.to_rust_string_lossy(scope),
            module_type: import_type(scope, attributes, 2),
            importer: Importer {
                referrer,
                position: current_position(scope),
                source_line: None,
            },
            resolver: v8::Global::new(scope, resolver),
        };
        state.queue_import(request);
        if let Some(event_loop) = scope.get_slot::<Rc<LoopState>>() {
            event_loop.wake_if_idle();
        }
        Some(resolver.get_promise(scope))
    })
}

/// The 1-based line and column of the JS running now.
fn current_position(scope: &mut v8::PinScope<'_, '_>) -> Option<(u32, u32)> {
    let trace = v8::StackTrace::current_stack_trace(scope, 1)?;
    let frame = trace.get_frame(scope, 0)?;
    let line = u32::try_from(frame.get_line_number()).ok()?;
    let column = u32::try_from(frame.get_column()).ok()?;
    Some((line, column))
}
