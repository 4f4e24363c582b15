//! [`Error`]: what the runtime's methods return.

use super::js_error::JsError;

/// The error type of [`JsRuntime`](crate::JsRuntime)'s methods.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// JavaScript threw and did not catch.
    #[error(transparent)]
    Js(#[from] Box<JsError>),
    /// A value could not be converted to the Rust type asked for.
    #[error("{0}")]
    Conversion(String),
    /// The script could not be handed to V8 (for example, it is too long).
    #[error("{0}")]
    Setup(String),
}

impl Error {
    /// The JS error, when this is one.
    pub fn as_js(&self) -> Option<&JsError> {
        match self {
            Error::Js(e) => Some(e),
            _ => None,
        }
    }
}

impl From<JsError> for Error {
    fn from(err: JsError) -> Self {
        Error::Js(Box::new(err))
    }
}
