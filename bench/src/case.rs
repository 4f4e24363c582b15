//! What to measure: a named JS expression and how it is called.

use std::fmt;

/// How a case's expression is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `r = EXPR` in a plain loop.
    Sync,
    /// `r = await EXPR`, one call at a time.
    AsyncSeq,
    /// `EXPR` pushed to an array, then `await Promise.all`, in batches of
    /// this many calls.
    AsyncBatch(u32),
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sync => f.write_str("sync"),
            Self::AsyncSeq => f.write_str("await"),
            Self::AsyncBatch(n) => write!(f, "all/{n}"),
        }
    }
}

/// One thing to measure: a name, a JS expression and how to call it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The name it is reported under.
    pub name: String,
    /// The JS expression; `i` is the iteration index.
    pub expr: String,
    /// How the expression is called.
    pub mode: Mode,
}
