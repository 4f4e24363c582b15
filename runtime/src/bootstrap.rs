//! Building a runtime's context: the `ops` object, the internal ops and
//! `core.js` (console). Also the script runner shared with `JsRuntime`.

use crate::error::{Error, JsError};
use crate::ops::OpCtx;

const CORE_JS: &str = include_str!("js/core.js");

/// Creates the context, installs `globalThis.ops` and runs `core.js`.
pub(crate) fn new_context(
    isolate: &mut v8::OwnedIsolate,
    user: &[Box<OpCtx>],
    internal: &[Box<OpCtx>],
) -> Result<v8::Global<v8::Context>, Error> {
    v8::scope!(let scope, isolate);
    let context = v8::Context::new(scope, Default::default());
    let scope = &mut v8::ContextScope::new(scope, context);
    let global = context.global(scope);

    let ops = ops_object(scope, user)?;
    let key = v8::String::new(scope, "ops").ok_or_else(setup_failed)?;
    global
        .define_own_property(
            scope,
            key.into(),
            ops.into(),
            v8::PropertyAttribute::DONT_ENUM,
        )
        .ok_or_else(setup_failed)?;

    let internal = ops_object(scope, internal)?;
    v8::tc_scope!(let tc, scope);
    let init = run_script(tc, "opwire:core.js", CORE_JS)
        .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok())
        .and_then(|f| {
            let undefined = v8::undefined(tc).into();
            f.call(tc, undefined, &[internal.into(), global.into()])
        });
    if init.is_none() {
        return Err(JsError::from_try_catch(tc).into());
    }
    Ok(v8::Global::new(tc, context))
}

fn setup_failed() -> Error {
    Error::Setup("could not set up the context".into())
}

/// An object with one function per op; each function's data points at the
/// op's context.
fn ops_object<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    ctxs: &[Box<OpCtx>],
) -> Result<v8::Local<'s, v8::Object>, Error> {
    let object = v8::Object::new(scope);
    for ctx in ctxs {
        let ptr: *const OpCtx = &**ctx;
        let data = v8::External::new(scope, ptr.cast_mut().cast());
        let name = v8::String::new(scope, ctx.decl.name()).ok_or_else(setup_failed)?;
        let function = v8::FunctionTemplate::builder_raw(ctx.decl.slow())
            .data(data.into())
            .length(i32::try_from(ctx.decl.max_args()).unwrap_or(i32::MAX))
            .build(scope)
            .get_function(scope)
            .ok_or_else(setup_failed)?;
        function.set_name(name);
        object
            .set(scope, name.into(), function.into())
            .ok_or_else(setup_failed)?;
    }
    Ok(object)
}

/// Compiles and runs a classic script named `name`. `None` means an
/// exception is pending in the caller's `TryCatch`.
pub(crate) fn run_script<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    name: &str,
    source: &str,
) -> Option<v8::Local<'s, v8::Value>> {
    let source = v8::String::new(scope, source)?;
    let name = v8::String::new(scope, name)?;
    let origin = v8::ScriptOrigin::new(
        scope,
        name.into(),
        0,
        0,
        false,
        0,
        None,
        false,
        false,
        false,
        None,
    );
    let script = v8::Script::compile(scope, source, Some(&origin))?;
    script.run(scope)
}
