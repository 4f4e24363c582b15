//! Rust types as JS classes: what `#[op] impl T { .. }` generates
//! ([`ClassDecl`], the [`Class`] trait) and how a JS object owns its Rust
//! value ([`instance`]).
//!
//! An instance is a JS object made from the class's V8 template with one
//! internal field. The field points at a boxed [`instance::Instance`]: a
//! header naming the Rust type (checked on every method call, fast or
//! slow, so a method called on the wrong object is a `TypeError`, never a
//! bad cast) and the value. A weak handle with a finalizer drops the box
//! when V8 collects the object, and V8 runs the same finalizer for the
//! objects still alive when the runtime's isolate is dropped.

mod decl;
pub(crate) mod instance;
pub(crate) mod registry;

pub use decl::{Class, ClassDecl, Member, MemberKind, typescript_declarations_with_classes};
