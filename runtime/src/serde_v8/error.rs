//! The serde bridge's error: a message and the path to the value it is about.

use std::fmt;

/// A serde conversion error. The path is JS-style (`.servers[2].port`),
/// empty for the root value. A long path is shown abbreviated: its first and
/// last segments around `…(N levels)…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Path segments, innermost first (added as the error leaves containers).
    segments: Vec<String>,
    message: String,
}

/// Paths with more segments than this are shown abbreviated.
const SHOWN_SEGMENTS: usize = 12;

impl Error {
    /// An error about the current value; containers add the path on the way out.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            segments: Vec::new(),
            message: message.into(),
        }
    }

    /// The whole path to the value (empty for the root).
    pub fn path(&self) -> String {
        self.segments.iter().rev().map(String::as_str).collect()
    }

    /// How many segments the path has (its depth).
    pub fn depth(&self) -> usize {
        self.segments.len()
    }

    /// The message, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prepends a path segment (`.key` or `[index]`) as the error leaves a
    /// container.
    pub(crate) fn within(mut self, segment: impl FnOnce() -> String) -> Self {
        self.segments.push(segment());
        self
    }

    /// The path as shown: whole when short, else its first and last
    /// segments with the depth between them.
    fn shown_path(&self) -> String {
        let n = self.segments.len();
        if n <= SHOWN_SEGMENTS {
            return self.path();
        }
        let half = SHOWN_SEGMENTS / 2;
        let outer: String = self.segments[n - half..]
            .iter()
            .rev()
            .map(String::as_str)
            .collect();
        let inner: String = self.segments[..half]
            .iter()
            .rev()
            .map(String::as_str)
            .collect();
        format!("{outer}…({n} levels)…{inner}")
    }

    pub(crate) fn into_conv(self) -> crate::ConvError {
        crate::ConvError::message(self.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.shown_path(), self.message)
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
