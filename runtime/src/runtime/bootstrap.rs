//! Building a runtime's context: the `ops` object, the internal ops and
//! `core.js` (console). Also the script runner shared with `JsRuntime`.

use super::code_cache::{Cached, Text};
use super::op_template::{op_template, setup_failed};
use crate::error::{Error, JsError};
use crate::event_loop::LoopState;
use crate::event_loop::driver::JsHooks;
use crate::ops::OpKind;
use crate::ops::ctx::OpCtx;

const CORE_JS: &str = include_str!("js/core.js");

/// Creates the context, installs `globalThis.ops` and runs `core.js`,
/// which wraps the async ops and hands back the event loop's JS hooks.
/// `core.js` and the async op wrappers (`wrappers.rs`) come from the
/// process's code cache (`code_cache.rs`) unless the isolate is making a
/// snapshot (`for_snapshot`).
pub(super) fn new_context(
    isolate: &mut v8::OwnedIsolate,
    user: &[Box<OpCtx>],
    internal: &[Box<OpCtx>],
    classes: &[super::classes::ClassCtxs],
    event_loop: &LoopState,
    for_snapshot: bool,
) -> Result<Bootstrap, Error> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    let global = context.global(scope);
    // JS runs below: mark the isolate running (see `dispatch/running.rs`).
    let marked = v8::Global::new(scope, context);
    let _running = crate::dispatch::running::Running::enter(scope, &marked);

    let (sync_ops, async_ops): (Vec<&OpCtx>, Vec<&OpCtx>) = user
        .iter()
        .map(|c| &**c)
        .partition(|c| c.decl.kind() == OpKind::Sync);
    let ops = ops_object(scope, &sync_ops)?;
    let wrappers = super::wrappers::source(async_ops.iter().map(|c| c.decl.max_args()));
    let async_ops = ops_object(scope, &async_ops)?;
    let status = v8::ArrayBuffer::new(scope, 4);
    event_loop.set_status_store(status.get_backing_store());
    let key = v8::String::new(scope, "ops").ok_or_else(setup_failed)?;
    global
        .define_own_property(
            scope,
            key.into(),
            ops.into(),
            v8::PropertyAttribute::DONT_ENUM,
        )
        .ok_or_else(setup_failed)?;

    let internal: Vec<&OpCtx> = internal.iter().map(|c| &**c).collect();
    let internal = ops_object(scope, &internal)?;
    v8::tc_scope!(let tc, scope);
    let (mut core_cache, mut wrappers_cache) = (None, None);
    let core = Text::Static(CORE_JS);
    let init = run(tc, "opwire:core.js", core, for_snapshot, &mut core_cache)
        .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok())
        .and_then(|f| {
            let wrappers = Text::Made(&wrappers);
            let makers = run(
                tc,
                "opwire:async-wrappers.js",
                wrappers,
                for_snapshot,
                &mut wrappers_cache,
            )?;
            let undefined = v8::undefined(tc).into();
            let args = [
                internal.into(),
                global.into(),
                ops.into(),
                async_ops.into(),
                makers,
                status.into(),
            ];
            f.call(tc, undefined, &args)
        });
    if init.is_some() {
        // After the bootstrap ran, so the caches hold the functions it
        // compiled too.
        for cache in [core_cache, wrappers_cache].into_iter().flatten() {
            cache.ran(tc);
        }
    }
    let Some(hooks) = init else {
        return Err(JsError::from_try_catch(tc).into());
    };
    let hooks = v8::Local::<v8::Object>::try_from(hooks).map_err(|_| setup_failed())?;
    let (js_hooks, wrap_async) = read_hooks(tc, hooks)?;
    super::classes::install(tc, ops, classes, wrap_async)?;
    let roots = v8::Array::new_with_elements(tc, &[hooks.into(), status.into()]);
    Ok(Bootstrap {
        context: v8::Global::new(tc, context),
        hooks: js_hooks,
        roots: v8::Global::new(tc, roots),
    })
}

/// A context `core.js` has run in.
pub(super) struct Bootstrap {
    pub(super) context: v8::Global<v8::Context>,
    /// The `core.js` functions the event loop calls.
    pub(super) hooks: JsHooks,
    /// What a startup snapshot must find again: `[hooks, statusBuffer]`
    /// (`core.js`'s return value and the op status buffer).
    pub(super) roots: v8::Global<v8::Array>,
}

/// Reads `core.js`'s return value: the event loop's hooks, and
/// `wrapAsyncMethod` (for installing classes). Puts the serde bridge's
/// cache (around `objectKeys`) in the isolate.
pub(super) fn read_hooks<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    hooks: v8::Local<'s, v8::Object>,
) -> Result<(JsHooks, v8::Local<'s, v8::Function>), Error> {
    let get = |name: &str| -> Result<v8::Local<'s, v8::Function>, Error> {
        let key = v8::String::new(scope, name).ok_or_else(setup_failed)?;
        let f = hooks.get(scope, key.into()).ok_or_else(setup_failed)?;
        v8::Local::<v8::Function>::try_from(f).map_err(|_| setup_failed())
    };
    let (resolve_ops, fire_timer, pending_promises, forget_ops, wrap_async) = (
        get("resolveOps")?,
        get("fireTimer")?,
        get("pendingPromises")?,
        get("forgetOps")?,
        get("wrapAsyncMethod")?,
    );
    let (object_keys, copy_numbers) = (get("objectKeys")?, get("copyNumbers")?);
    let hooks = JsHooks {
        resolve_ops: v8::Global::new(scope, resolve_ops),
        fire_timer: v8::Global::new(scope, fire_timer),
        pending_promises: v8::Global::new(scope, pending_promises),
        forget_ops: v8::Global::new(scope, forget_ops),
    };
    let object_keys = v8::Global::new(scope, object_keys);
    let copy_numbers = v8::Global::new(scope, copy_numbers);
    scope.set_slot(crate::serde_v8::SerdeCache::new(object_keys, copy_numbers));
    Ok((hooks, wrap_async))
}

/// An object with one function per op; each function's data points at the
/// op's context.
fn ops_object<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    ctxs: &[&OpCtx],
) -> Result<v8::Local<'s, v8::Object>, Error> {
    let object = v8::Object::new(scope);
    for ctx in ctxs {
        let name = v8::String::new(scope, ctx.decl.name()).ok_or_else(setup_failed)?;
        let template = op_template(scope, ctx, false);
        let function = template.get_function(scope).ok_or_else(setup_failed)?;
        function.set_name(name);
        object
            .set(scope, name.into(), function.into())
            .ok_or_else(setup_failed)?;
    }
    Ok(object)
}

/// Compiles and runs `text` named `name`: from the code cache unless
/// `for_snapshot` (then `cache` is left `None`; otherwise the caller calls
/// [`Cached::ran`] on it once the script's work is done). `None` means an
/// exception is pending in the caller's `TryCatch`.
pub(super) fn run<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &str,
    text: Text<'_>,
    for_snapshot: bool,
    cache: &mut Option<Cached<'s>>,
) -> Option<v8::Local<'s, v8::Value>> {
    if for_snapshot {
        let (Text::Static(source) | Text::Made(source)) = text;
        return run_script(scope, name, source);
    }
    let script = cache
        .insert(super::code_cache::compile(scope, name, text)?)
        .script;
    script.run(scope)
}

/// Compiles and runs a classic script named `name`. `None` means an
/// exception is pending in the caller's `TryCatch`.
pub(super) fn run_script<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &str,
    source: &str,
) -> Option<v8::Local<'s, v8::Value>> {
    let source = v8::String::new(scope, source)?;
    let name = v8::String::new(scope, name)?;
    let origin = crate::modules::compile::origin(scope, name, false);
    let script = v8::Script::compile(scope, source, Some(&origin))?;
    script.run(scope)
}
