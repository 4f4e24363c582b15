//! Op calls: the shared bodies of the V8 callbacks `#[op]` generates.
//!
//! - [`sync`]: the slow path: arity, argument conversion through a
//!   `CallCx`, the call, the return value;
//! - [`async_op`]: the same for async ops, plus eager polling and handing
//!   the future to the event loop;
//! - [`fast`] / [`fast_async`]: the V8 Fast API paths of both;
//! - [`throw`]: why a call failed ([`throw::Throw`]) and the JS exception
//!   that names the op and the argument.
//!
//! Nothing here runs JS; panics are caught before they reach V8.

pub(crate) mod async_op;
pub(crate) mod class;
pub(crate) mod fast;
pub(crate) mod fast_async;
pub(crate) mod fast_str;
pub(crate) mod metered;
pub(crate) mod running;
pub(crate) mod sync;
pub(crate) mod throw;
