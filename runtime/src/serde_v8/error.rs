//! The serde bridge's error: a message and the path to the value it is about.

use std::fmt;

/// A serde conversion error. The path is JS-style (`.servers[2].port`),
/// empty for the root value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    path: String,
    message: String,
}

impl Error {
    /// An error about the current value; containers add the path on the way out.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            path: String::new(),
            message: message.into(),
        }
    }

    /// The path to the value (empty for the root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The message, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prepends a path segment (`.key` or `[index]`) as the error leaves a
    /// container.
    pub(crate) fn within(mut self, segment: impl FnOnce() -> String) -> Self {
        self.path.insert_str(0, &segment());
        self
    }

    pub(crate) fn into_conv(self) -> crate::ConvError {
        crate::ConvError::message(self.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }
}

impl From<crate::ConvError> for Error {
    fn from(e: crate::ConvError) -> Self {
        Error::new(e.to_string())
    }
}
