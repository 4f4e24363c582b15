//! Reading a caught JS exception into a [`JsError`].

use crate::error::{JsError, ScriptLocation};

impl JsError {
    /// Reads the exception caught by `tc`.
    pub(crate) fn from_try_catch(
        tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
    ) -> Self {
        let location = tc.message().map(|m| location(tc, m));
        let Some(exception) = tc.exception() else {
            return JsError {
                name: "Error".into(),
                message: "execution terminated".into(),
                code: None,
                stack: None,
                location,
            };
        };
        let mut err = Self::from_value(tc, exception);
        err.location = location;
        err
    }

    /// Reads a thrown value (an Error object or anything else).
    pub(crate) fn from_value(
        scope: &mut v8::PinScope<'_, '_>,
        value: v8::Local<'_, v8::Value>,
    ) -> Self {
        if let Ok(object) = v8::Local::<v8::Object>::try_from(value) {
            let name = get_string(scope, object, "name");
            let message = get_string(scope, object, "message");
            if name.is_some() || message.is_some() {
                return JsError {
                    name: name.unwrap_or_default(),
                    message: message.unwrap_or_default(),
                    code: get_string(scope, object, "code"),
                    stack: get_string(scope, object, "stack"),
                    location: None,
                };
            }
        }
        JsError {
            name: String::new(),
            message: value.to_rust_string_lossy(scope),
            code: None,
            stack: None,
            location: None,
        }
    }
}

fn location(
    scope: &mut v8::PinScope<'_, '_>,
    message: v8::Local<'_, v8::Message>,
) -> ScriptLocation {
    let script = message
        .get_script_resource_name(scope)
        .map(|n| n.to_rust_string_lossy(scope))
        .unwrap_or_default();
    let line = message.get_line_number(scope).unwrap_or(0);
    let column = message.get_start_column() + 1;
    let source_line = message
        .get_source_line(scope)
        .map(|s| s.to_rust_string_lossy(scope));
    ScriptLocation {
        script,
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        source_line,
    }
}

/// `object[key]` when it is a string (getters may run; exceptions are ignored).
fn get_string(
    scope: &mut v8::PinScope<'_, '_>,
    object: v8::Local<'_, v8::Object>,
    key: &str,
) -> Option<String> {
    let key = v8::String::new(scope, key)?;
    let value = object.get(scope, key.into())?;
    value.is_string().then(|| value.to_rust_string_lossy(scope))
}
