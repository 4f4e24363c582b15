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
    /// JS was terminated, by a `TerminateHandle` or a deadline. The runtime
    /// runs JS again afterwards; the async ops that were pending are
    /// dropped (their promises never settle).
    #[error("{0}")]
    Terminated(Termination),
    /// The JS heap reached the runtime's limit
    /// (`RuntimeOptions::max_heap_bytes`): the script was terminated and
    /// the runtime runs no more JS. Drop it; other runtimes are unharmed.
    #[error("the heap limit of {limit} bytes was reached; the runtime was terminated")]
    HeapLimit {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A [`JsCallback`](crate::JsCallback) was called after its runtime was
    /// dropped (or the runtime was dropped before the call finished).
    #[error("the JsRuntime of this callback was dropped")]
    RuntimeDropped,
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

/// Why a runtime's JS was terminated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Termination {
    /// A `TerminateHandle` asked for it.
    Requested,
    /// A deadline passed (`*_with_timeout`).
    Deadline,
    /// The heap reached its limit.
    HeapLimit,
}

impl Termination {
    pub(crate) fn code(self) -> u8 {
        match self {
            Termination::Requested => 1,
            Termination::Deadline => 2,
            Termination::HeapLimit => 3,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(Termination::Requested),
            2 => Some(Termination::Deadline),
            3 => Some(Termination::HeapLimit),
            _ => None,
        }
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Termination::Requested => "execution terminated",
            Termination::Deadline => "execution terminated: the deadline passed",
            Termination::HeapLimit => "execution terminated: the heap limit was reached",
        })
    }
}
