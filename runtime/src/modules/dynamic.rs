//! [`DynamicImports`]: the `import()` calls in progress. The event loop
//! starts the queued calls, polls their graph loads, then evaluates each
//! loaded module and settles its promise with the module's namespace once
//! the evaluation (top-level `await` included) is done, or rejects it.

use std::task::{Context, Poll};

use super::errors::{ImportSite, LoadError};
use super::graph::GraphLoad;
use super::map::ModuleId;
use super::specifier::ModuleSpecifier;
use super::state::{ImportRequest, ModuleState};

/// An `import()` whose graph is loading.
struct Loading {
    load: GraphLoad,
    resolver: v8::Global<v8::PromiseResolver>,
}

/// The `import()` calls in progress (owned by the runtime).
#[derive(Default)]
pub(crate) struct DynamicImports {
    loading: Vec<Loading>,
}

impl DynamicImports {
    /// Starts the queued `import()` calls and makes progress on all of
    /// them; `true` while some still load.
    pub(crate) fn poll(
        &mut self,
        scope: &mut v8::PinScope<'_, '_>,
        state: &ModuleState,
        cx: &mut Context<'_>,
    ) -> bool {
        loop {
            for request in state.take_imports() {
                if let Some(loading) = start(scope, state, request) {
                    self.loading.push(loading);
                }
            }
            let mut index = 0;
            while index < self.loading.len() {
                let poll = self.loading[index].load.poll(scope, state, cx);
                let Poll::Ready(result) = poll else {
                    index += 1;
                    continue;
                };
                let done = self.loading.swap_remove(index);
                let resolver = v8::Local::new(scope, &done.resolver);
                match result {
                    Ok(id) => evaluate(scope, state, id, resolver),
                    Err(e) => reject(scope, resolver, &e),
                }
            }
            // Evaluating a module may have called `import()` again.
            if !state.has_queued_imports() {
                return !self.loading.is_empty();
            }
        }
    }

    /// Drops the loads (before the isolate goes).
    pub(crate) fn clear(&mut self) {
        self.loading.clear();
    }
}

/// Resolves a queued call and starts its load; `None` if it failed at
/// once (its promise is rejected).
fn start(
    scope: &mut v8::PinScope<'_, '_>,
    state: &ModuleState,
    request: ImportRequest,
) -> Option<Loading> {
    let ImportRequest {
        specifier,
        module_type,
        importer,
        resolver,
    } = request;
    let mut site = ImportSite {
        written: specifier.clone(),
        resolved: None,
        importer: Some(importer.clone()),
    };
    // A classic script's name is a path relative to the current folder.
    let referrer = ModuleSpecifier::parse(&importer.referrer)
        .or_else(|_| ModuleSpecifier::from_path_or_url(&importer.referrer));
    let key = referrer
        .and_then(|referrer| state.resolve(&specifier, &referrer))
        .map_err(|e| site.unresolvable(&e))
        .and_then(|url| {
            site.resolved = Some(url.clone());
            let module_type = module_type.map_err(|t| site.unsupported_type(&t))?;
            Ok((url, module_type))
        });
    match key {
        Ok(key) => Some(Loading {
            load: GraphLoad::new(state, key, site),
            resolver,
        }),
        Err(e) => {
            let resolver = v8::Local::new(scope, &resolver);
            reject(scope, resolver, &e);
            None
        }
    }
}

fn reject(
    scope: &mut v8::PinScope<'_, '_>,
    resolver: v8::Local<'_, v8::PromiseResolver>,
    error: &LoadError,
) {
    let exception = error.to_exception(scope);
    resolver.reject(scope, exception);
}

/// Evaluates module `id` and resolves `resolver` with its namespace when
/// the evaluation is done (rejects it if the evaluation throws).
fn evaluate(
    scope: &mut v8::PinScope<'_, '_>,
    state: &ModuleState,
    id: ModuleId,
    resolver: v8::Local<'_, v8::PromiseResolver>,
) {
    let Some(module) = state.map.borrow().get(id).map(|info| info.module.clone()) else {
        return;
    };
    let module = v8::Local::new(scope, module);
    v8::tc_scope!(let tc, scope);
    let Some(evaluation) = module.evaluate(tc) else {
        // Thrown at once, or terminated (then the promise stays pending).
        if let Some(exception) = tc.exception() {
            resolver.reject(tc, exception);
        }
        return;
    };
    let namespace = module.get_module_namespace();
    let settled = v8::Local::<v8::Promise>::try_from(evaluation)
        .ok()
        .and_then(|evaluation| {
            let to_namespace = v8::Function::builder(return_data)
                .data(namespace)
                .build(tc)?;
            evaluation.then(tc, to_namespace)
        });
    match settled {
        Some(promise) => resolver.resolve(tc, promise.into()),
        None => resolver.resolve(tc, namespace),
    };
}

/// The addresses of this file's callbacks that V8 keeps in its heap, for
/// startup snapshots.
pub(crate) fn external_refs() -> [v8::ExternalReference; 1] {
    use v8::MapFnTo;
    [v8::ExternalReference {
        function: return_data.map_fn_to(),
    }]
}

/// A function that returns its data (the namespace, once evaluated).
fn return_data(
    _scope: &mut v8::PinScope<'_, '_>,
    args: v8::FunctionCallbackArguments<'_>,
    mut rv: v8::ReturnValue<'_, v8::Value>,
) {
    rv.set(args.data());
}
