//! Turning op failures into JS exceptions.

use std::any::Any;

use crate::OpError;
use crate::call::Throw;
use crate::ops::OpCtx;
use crate::output::Rejection;

/// Throws the exception for `throw` in op `ctx`.
pub(crate) fn throw(scope: &mut v8::PinScope<'_, '_>, ctx: &OpCtx, throw: Throw) {
    let op = ctx.decl.name();
    match throw {
        Throw::Arg(index, err) => {
            let name = ctx.decl.args().get(index).map_or("?", |a| a.name);
            let message = format!("{op}: argument '{name}' (#{}) {err}", index + 1);
            throw_error(scope, "TypeError", &message, None);
        }
        Throw::Op(err) => throw_error(scope, err.class(), err.message(), err.code()),
        Throw::Ret(err) => {
            let message = format!("{op}: return value: {err}");
            throw_error(scope, "RangeError", &message, None);
        }
        Throw::Serde(index, err) => {
            let name = ctx.decl.args().get(index).map_or("?", |a| a.name);
            let sep = if err.path().is_empty() { " " } else { ": " };
            let message = format!("{op}: argument '{name}' (#{}){sep}{err}", index + 1);
            throw_error(scope, "TypeError", &message, None);
        }
        Throw::Overlap(index, other) => {
            let name = |i: usize| ctx.decl.args().get(i).map_or("?", |a| a.name);
            let message = format!(
                "{op}: argument '{}' (#{}) overlaps argument '{}' (#{}); a mutable buffer cannot share memory with another argument",
                name(index),
                index + 1,
                name(other),
                other + 1
            );
            throw_error(scope, "TypeError", &message, None);
        }
        Throw::StateBorrowed => {
            let message =
                format!("{op}: OpState is already borrowed (is this a re-entrant op call?)");
            throw_error(scope, "Error", &message, None);
        }
    }
}

/// Throws `Error("<op> panicked: <message>")` for a caught panic.
pub(crate) fn throw_panic(
    scope: &mut v8::PinScope<'_, '_>,
    ctx: &OpCtx,
    payload: &(dyn Any + Send),
) {
    let err = panic_error(ctx.decl.name(), payload);
    throw_error(scope, err.class(), err.message(), None);
}

/// The error for a panic in op `op`: `Error("<op> panicked: <message>")`.
pub(crate) fn panic_error(op: &str, payload: &(dyn Any + Send)) -> OpError {
    let what = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "(a panic payload that is not a string)"
    };
    OpError::error(format!("{op} panicked: {what}"))
}

/// The JS error an async op's promise rejects with.
pub(crate) fn rejection_error<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    op: &str,
    rejection: Rejection,
) -> v8::Local<'s, v8::Value> {
    match rejection {
        Rejection::Op(err) => new_error(scope, err.class(), err.message(), err.code()),
        Rejection::Conversion(err) => {
            let message = format!("{op}: return value: {err}");
            new_error(scope, "RangeError", &message, None)
        }
    }
}

/// Throws a new JS error of `class` with `message` and optional `code`.
pub(crate) fn throw_error(
    scope: &mut v8::PinScope<'_, '_>,
    class: &str,
    message: &str,
    code: Option<&str>,
) {
    let exception = new_error(scope, class, message, code);
    scope.throw_exception(exception);
}

/// Creates a JS error: an instance of the built-in `class` when there is
/// one, otherwise an `Error` whose `name` is `class`.
pub(crate) fn new_error<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    class: &str,
    message: &str,
    code: Option<&str>,
) -> v8::Local<'s, v8::Value> {
    let msg = v8::String::new(scope, message).unwrap_or_else(|| v8::String::empty(scope));
    let (exception, builtin) = match class {
        "TypeError" => (v8::Exception::type_error(scope, msg), true),
        "RangeError" => (v8::Exception::range_error(scope, msg), true),
        "SyntaxError" => (v8::Exception::syntax_error(scope, msg), true),
        "ReferenceError" => (v8::Exception::reference_error(scope, msg), true),
        "Error" => (v8::Exception::error(scope, msg), true),
        _ => (v8::Exception::error(scope, msg), false),
    };
    let Ok(object) = v8::Local::<v8::Object>::try_from(exception) else {
        return exception;
    };
    if !builtin {
        set_hidden(scope, object, "name", class);
    }
    if let Some(code) = code {
        set_hidden(scope, object, "code", code);
    }
    exception
}

/// Defines a non-enumerable string property, as the built-in error
/// properties are.
fn set_hidden(
    scope: &mut v8::PinScope<'_, '_>,
    object: v8::Local<'_, v8::Object>,
    key: &str,
    value: &str,
) {
    let (Some(key), Some(value)) = (v8::String::new(scope, key), v8::String::new(scope, value))
    else {
        return;
    };
    // Only fails if an exception is pending, in which case that one wins.
    let _ = object.define_own_property(
        scope,
        key.into(),
        value.into(),
        v8::PropertyAttribute::DONT_ENUM,
    );
}
