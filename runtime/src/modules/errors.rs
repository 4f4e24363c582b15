//! Why a module could not be loaded: [`LoadError`], with the messages that
//! name the specifier, its URL and the module that imports it, and the
//! place of the import as the error's location.

use super::loader::ModuleType;
use super::specifier::ModuleSpecifier;
use crate::error::{Error, JsError, OpError, ScriptLocation, to_js};

/// Where an import is written.
#[derive(Clone, Debug)]
pub(crate) struct Importer {
    /// The importing module's URL (or a classic script's name).
    pub(crate) referrer: String,
    /// 1-based line and column, when known.
    pub(crate) position: Option<(u32, u32)>,
    /// The text of that line, when known.
    pub(crate) source_line: Option<String>,
}

/// One import, for messages: the specifier as written, its URL once
/// resolved, and who imports it (nobody, for a module the embedder loads).
#[derive(Clone, Debug)]
pub(crate) struct ImportSite {
    pub(crate) written: String,
    pub(crate) resolved: Option<ModuleSpecifier>,
    pub(crate) importer: Option<Importer>,
}

/// A failed module load.
pub(crate) enum LoadError {
    /// V8 threw (a syntax error, a missing export): the exception, as
    /// thrown and as read.
    Thrown {
        error: Box<JsError>,
        exception: v8::Global<v8::Value>,
    },
    /// Found by the loader or the runtime: the error to report or throw.
    Failed(Box<JsError>),
}

impl LoadError {
    /// The exception `tc` caught.
    pub(crate) fn caught(
        tc: &mut v8::PinnedRef<'_, v8::TryCatch<'_, '_, v8::HandleScope<'_>>>,
    ) -> Self {
        let error = Box::new(JsError::from_try_catch(tc));
        let exception = tc.exception().unwrap_or_else(|| v8::undefined(tc).into());
        LoadError::Thrown {
            error,
            exception: v8::Global::new(tc, exception),
        }
    }

    /// The error a runtime method returns.
    pub(crate) fn into_error(self) -> Error {
        match self {
            LoadError::Thrown { error, .. } | LoadError::Failed(error) => error.into(),
        }
    }

    /// The value an `import()` promise rejects with.
    pub(crate) fn to_exception<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> v8::Local<'s, v8::Value> {
        match self {
            LoadError::Thrown { exception, .. } => v8::Local::new(scope, exception),
            LoadError::Failed(error) => {
                let value =
                    to_js::new_error(scope, &error.name, &error.message, error.code.as_deref());
                if let (Ok(object), Some(stack)) =
                    (v8::Local::<v8::Object>::try_from(value), &error.stack)
                {
                    to_js::set_hidden(scope, object, "stack", stack);
                }
                value
            }
        }
    }
}

impl ImportSite {
    /// `"./x.js" (file:///app/x.js) imported from file:///app/main.js`.
    fn describe(&self) -> String {
        let mut text = format!("\"{}\"", self.written);
        if let Some(url) = self
            .resolved
            .as_ref()
            .filter(|u| u.as_str() != self.written)
        {
            text.push_str(&format!(" ({url})"));
        }
        if let Some(importer) = &self.importer {
            text.push_str(&format!(" imported from {}", importer.referrer));
        }
        text
    }

    /// A `class` error with `message`, located at the import.
    pub(crate) fn error(&self, class: &str, message: String, code: Option<String>) -> LoadError {
        let header = format!("{class}: {message}");
        let location = self.importer.as_ref().and_then(|i| {
            let (line, column) = i.position?;
            Some(ScriptLocation {
                script: i.referrer.clone(),
                line,
                column,
                source_line: i.source_line.clone(),
            })
        });
        let stack = match &location {
            Some(l) => format!("{header}\n    at {}:{}:{}", l.script, l.line, l.column),
            None => header,
        };
        LoadError::Failed(Box::new(JsError {
            name: class.to_owned(),
            message,
            code,
            stack: Some(stack),
            location,
        }))
    }

    /// The loader could not load it (`NotFound` reads as a missing module).
    pub(crate) fn load_failed(&self, err: &OpError) -> LoadError {
        if err.class() == "NotFound" {
            let message = format!("Cannot find module {}", self.describe());
            return self.error("TypeError", message, Some("ERR_MODULE_NOT_FOUND".into()));
        }
        let message = format!("Cannot load module {}: {err}", self.describe());
        self.error("TypeError", message, err.code().map(str::to_owned))
    }

    /// Neither the loader nor the runtime could resolve it.
    pub(crate) fn unresolvable(&self, err: &OpError) -> LoadError {
        let message = format!(
            "Cannot resolve module {}: {}",
            self.describe(),
            err.message()
        );
        self.error("TypeError", message, err.code().map(str::to_owned))
    }

    /// It was asked for as one type and is another.
    pub(crate) fn wrong_type(&self, found: ModuleType) -> LoadError {
        let message = match found {
            ModuleType::Json => format!(
                "Module {} is JSON: import it with {{ type: \"json\" }}",
                self.describe()
            ),
            ModuleType::JavaScript => format!(
                "Module {} is JavaScript, not JSON: import it without {{ type: \"json\" }}",
                self.describe()
            ),
        };
        self.error("TypeError", message, None)
    }

    /// Its `type` attribute names a type opwire does not know.
    pub(crate) fn unsupported_type(&self, module_type: &str) -> LoadError {
        let message = format!(
            "Module {} has an unsupported type \"{module_type}\" (only \"json\" is known)",
            self.describe()
        );
        self.error("TypeError", message, None)
    }
}
