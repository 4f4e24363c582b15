//! Resources: Rust objects JS holds by id ([`ResourceTable`]), and the
//! cancellation of the async work running on them ([`CancelHandle`]).

mod cancel;
mod table;

pub use cancel::{CancelHandle, Cancelable};
pub use table::{Resource, ResourceId, ResourceTable};
