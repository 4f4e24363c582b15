//! Limits on the values the bridge converts.

/// How deep nested input may go (objects and arrays within each other).
pub const MAX_DEPTH: usize = 200;
