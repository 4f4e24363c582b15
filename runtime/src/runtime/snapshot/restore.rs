//! Starting a runtime's context from a startup snapshot: the context is
//! V8's copy of the snapshot's, and what the runtime keeps on the Rust
//! side (the event loop's hooks, the status buffer, the class templates,
//! the module map) is read back from the context data the records name.

use super::blob::Records;
use crate::classes::registry::ClassTemplates;
use crate::error::Error;
use crate::event_loop::LoopState;
use crate::event_loop::driver::JsHooks;
use crate::modules::ModuleSpecifier;
use crate::modules::map::{ModuleInfo, Request};
use crate::modules::state::ModuleState;
use crate::runtime::bootstrap::read_hooks;
use crate::runtime::classes::ClassCtxs;

/// The context of a runtime starting from a snapshot (its isolate was made
/// from the snapshot), and its event loop's hooks. Fills the module map
/// and the class templates.
pub(in crate::runtime) fn restore_context(
    isolate: &mut v8::OwnedIsolate,
    records: &Records,
    classes: &[ClassCtxs],
    modules: &ModuleState,
    event_loop: &LoopState,
) -> Result<(v8::Global<v8::Context>, JsHooks), Error> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    // JS runs below: mark the isolate running (see `dispatch/running.rs`).
    let marked = v8::Global::new(scope, context);
    let _running = crate::dispatch::running::Running::enter(scope, &marked);
    let damaged = |what: &str| {
        Error::Setup(format!(
            "startup snapshot: {what} is missing from its V8 part (the snapshot is damaged)"
        ))
    };

    let roots = scope
        .get_context_data_from_snapshot_once::<v8::Array>(records.roots)
        .map_err(|_| damaged("the bootstrap"))?;
    let hooks = roots
        .get_index(scope, 0)
        .and_then(|h| v8::Local::<v8::Object>::try_from(h).ok())
        .ok_or_else(|| damaged("the bootstrap"))?;
    let status = roots
        .get_index(scope, 1)
        .and_then(|s| v8::Local::<v8::ArrayBuffer>::try_from(s).ok())
        .ok_or_else(|| damaged("the status buffer"))?;
    event_loop.set_status_store(status.get_backing_store());
    let (hooks, _) = read_hooks(scope, hooks)?;

    if records.classes.len() != classes.len() {
        return Err(damaged("a class"));
    }
    let mut templates = ClassTemplates::default();
    for (class, &index) in classes.iter().zip(&records.classes) {
        let template = scope
            .get_context_data_from_snapshot_once::<v8::FunctionTemplate>(index)
            .map_err(|_| damaged("a class template"))?;
        templates.insert(class.decl.type_id(), v8::Global::new(scope, template));
    }
    scope.set_slot(templates);

    let mut map = modules.map.borrow_mut();
    for record in &records.modules {
        let module = scope
            .get_context_data_from_snapshot_once::<v8::Module>(record.module)
            .map_err(|_| damaged("a module"))?;
        let json = match record.json {
            Some(index) => {
                let value = scope
                    .get_context_data_from_snapshot_once::<v8::Value>(index)
                    .map_err(|_| damaged("a JSON module's value"))?;
                Some(v8::Global::new(scope, value))
            }
            None => None,
        };
        let url = |url: &str| ModuleSpecifier::parse(url).map_err(|_| damaged("a module's URL"));
        let mut requests = Vec::with_capacity(record.requests.len());
        for (specifier, to, ty, line, column) in &record.requests {
            requests.push(Request {
                specifier: specifier.clone(),
                key: (url(to)?, *ty),
                line: *line,
                column: *column,
            });
        }
        let info = ModuleInfo {
            key: (url(&record.url)?, record.module_type),
            module: v8::Global::new(scope, module),
            requests,
            json,
        };
        map.insert(module, info);
    }
    Ok((v8::Global::new(scope, context), hooks))
}
