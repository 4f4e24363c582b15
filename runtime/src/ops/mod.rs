//! Ops as data: their declarations ([`OpDecl`], made by `#[op]`), the
//! per-runtime context each op's V8 function points at, and the
//! [`OpState`] type map ops borrow.

pub(crate) mod ctx;
pub(crate) mod decl;
pub(crate) mod metrics;
mod state;

pub use decl::{ArgMeta, OpDecl, OpKind, RetMeta, typescript_declarations};
pub use metrics::OpMetrics;
pub use state::OpState;
