//! Resources: Rust objects JS holds by id ([`ResourceTable`]), and the
//! cancellation of async work ([`CancelHandle`]): when a resource closes,
//! or when a JS `AbortSignal` passed to an op ([`AbortSignal`]) aborts.

mod cancel;
pub(crate) mod signal;
mod table;

pub use cancel::{CancelHandle, Cancelable};
pub use signal::AbortSignal;
pub use table::{Resource, ResourceId, ResourceTable};
