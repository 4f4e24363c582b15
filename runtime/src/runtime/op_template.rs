//! The V8 function template of an op (its callbacks, data, arity), shared
//! by the `ops` object and class members.

use crate::dispatch::metered::metered_slow;
use crate::error::Error;
use crate::ops::ctx::OpCtx;

/// The function template of one op, whose data points at the op's
/// context; `member` makes it a class member's (no `new`).
pub(super) fn op_template<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    ctx: &OpCtx,
    member: bool,
) -> v8::Local<'s, v8::FunctionTemplate> {
    let ptr: *const OpCtx = ctx;
    let data = v8::External::new(scope, ptr.cast_mut().cast());
    // A runtime with op metrics registers the callbacks that count.
    let metered = ctx.metrics.is_some();
    let slow = if metered {
        metered_slow
    } else {
        ctx.decl.slow()
    };
    let behavior = if member {
        v8::ConstructorBehavior::Throw
    } else {
        v8::ConstructorBehavior::Allow
    };
    let builder = v8::FunctionTemplate::builder_raw(slow)
        .data(data.into())
        .length(i32::try_from(ctx.decl.max_args()).unwrap_or(i32::MAX))
        .constructor_behavior(behavior);
    match ctx.decl.fast(metered) {
        Some(fast) => builder.build_fast(scope, fast),
        None => builder.build(scope),
    }
}

/// The error of a context that could not be set up.
pub(super) fn setup_failed() -> Error {
    Error::Setup("could not set up the context".into())
}
