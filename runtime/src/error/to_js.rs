//! Building JS error objects: an instance of a built-in error class, or an
//! `Error` whose `name` is the class, with an optional `code`.

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
pub(crate) fn set_hidden(
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
