//! The `#[op]` attribute of [opwire](https://docs.rs/opwire). Use it through
//! `opwire::op`; its documentation lives there.
//!
//! On an `impl` block, `class/` makes the type a JS class, sending each
//! member through the op pipeline. The pipeline, one file per stage: `op/config.rs` reads `#[op(...)]`,
//! `op/signature.rs` (with `args.rs`, `ret.rs`, `types.rs`, `conv.rs`,
//! `ts.rs`) builds a plain model of the function, `op/validate.rs` checks
//! cross-argument rules, `op/fast_plan.rs` decides the fast path, and
//! `op/emit/` writes the declaration. Every error found is reported, and the
//! user's function is emitted even when there are errors.

mod class;
mod diag;
mod op;

use proc_macro::TokenStream;

/// Turns a Rust function into an opwire op. See `opwire::op`.
#[proc_macro_attribute]
pub fn op(attr: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    if let Ok(block) = syn::parse2::<syn::ItemImpl>(item.clone()) {
        return class::expand(attr.into(), block).into();
    }
    op::expand(attr.into(), item).into()
}
