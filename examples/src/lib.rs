//! Demo ops shared by the examples.
