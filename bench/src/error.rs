//! Why a measurement failed.

use std::fmt;

/// Why a measurement failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum BenchError {
    /// V8 runs without `--allow-natives-syntax`: it was initialised before
    /// [`init`](crate::init) was called.
    NativesSyntax,
    /// The setup script or a case threw (or rejected).
    Js(opwire::Error),
    /// [`Bench::compare`](crate::Bench::compare) was given a name no case
    /// has.
    UnknownCase(String),
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NativesSyntax => f.write_str(
                "V8 was initialised without --allow-natives-syntax: call opwire_bench::init() \
                 before the first JsRuntime of the process is created",
            ),
            Self::Js(e) => write!(f, "a benchmark script failed: {e}"),
            Self::UnknownCase(name) => write!(f, "no case is called `{name}`"),
        }
    }
}

impl std::error::Error for BenchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Js(e) => Some(e),
            _ => None,
        }
    }
}

impl From<opwire::Error> for BenchError {
    fn from(e: opwire::Error) -> Self {
        Self::Js(e)
    }
}
