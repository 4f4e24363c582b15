//! [`JsError`]: an exception JS threw back at Rust, read from V8.

use std::fmt;

/// Where in a script an uncaught exception was thrown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLocation {
    /// The script or module name given when it was run.
    pub script: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The text of that line, when V8 has it.
    pub source_line: Option<String>,
}

/// An exception thrown by JavaScript and not caught there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsError {
    /// The error's class (`name` property), e.g. `"TypeError"`; empty for a
    /// thrown value that is not an object (`throw 42`).
    pub name: String,
    /// The error's `message` property, or the thrown value as a string.
    pub message: String,
    /// The `code` property, when the thrown value has a string one.
    pub code: Option<String>,
    /// The JS `stack` string, when the thrown value has one.
    pub stack: Option<String>,
    /// Where the exception was thrown, when V8 knows.
    pub location: Option<ScriptLocation>,
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = if self.name.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.name, self.message)
        };
        match &self.stack {
            Some(stack) if stack.starts_with(&header) => write!(f, "Uncaught {stack}"),
            _ => {
                write!(f, "Uncaught {header}")?;
                if let Some(loc) = &self.location {
                    write!(f, "\n    at {}:{}:{}", loc.script, loc.line, loc.column)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for JsError {}

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

    /// Reads an exception no longer in a `TryCatch` (a rejection reason, a
    /// module's evaluation error): like [`JsError::from_value`], plus the
    /// location V8 recorded for an Error object (where it was created or,
    /// for a `SyntaxError`, the bad token).
    pub(crate) fn from_exception(
        scope: &mut v8::PinScope<'_, '_>,
        value: v8::Local<'_, v8::Value>,
    ) -> Self {
        // Before reading `stack`: formatting it drops the frames V8
        // computes the location from.
        let location = value.is_native_error().then(|| {
            let message = v8::Exception::create_message(scope, value);
            location(scope, message)
        });
        let mut err = Self::from_value(scope, value);
        err.location = location.filter(|l| !l.script.is_empty() && l.line > 0);
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

impl ScriptLocation {
    /// Where `message` points.
    pub(crate) fn from_message(
        scope: &mut v8::PinScope<'_, '_>,
        message: v8::Local<'_, v8::Message>,
    ) -> Self {
        location(scope, message)
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
    // V8 gives -1 (as usize::MAX here) for no column: then 0.
    let column = message.get_start_column().wrapping_add(1);
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
