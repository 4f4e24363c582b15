//! Startup snapshots: a runtime's JS heap after `core.js` and a chosen set
//! of extensions (their scripts run, their ES modules evaluated, and the
//! globals all that left behind), written once, so that runtimes start
//! from it instead of compiling and running that JS again.
//!
//! Build one with [`create()`] (from a `build.rs`, say) and start runtimes
//! from it with [`RuntimeOptions::startup_snapshot`](crate::RuntimeOptions::startup_snapshot),
//! giving them the same ops,
//! classes and extensions, in the same order. A snapshot records where
//! each op function points (its callbacks, fast functions and context) as
//! an index into a list both sides build the same way (`refs.rs`), so that
//! the functions in the snapshot call this runtime's ops, fast paths
//! included. It also records a fingerprint of what it was made for
//! (`fingerprint.rs`); a runtime made of anything else refuses it with an
//! error before V8 sees it.

pub(super) mod blob;
pub(super) mod capture;
mod create;
pub(super) mod fingerprint;
pub(super) mod refs;
pub(super) mod restore;

pub use create::{SnapshotOptions, create};
