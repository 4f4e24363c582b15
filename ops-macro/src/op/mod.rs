//! `#[op]`: parse → model → validate → fast plan → emit. On errors, the user's function
//! is still emitted (with opwire's attributes stripped) next to the errors
//! and a placeholder declaration, so the rest of the crate keeps compiling
//! and only the real problems are reported.

mod args;
mod attr;
mod config;
mod conv;
mod emit;
mod fast_plan;
mod ret;
mod signature;
mod ts;
mod types;
mod validate;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::diag::Diag;
use config::OpConfig;
use signature::OpSignature;

/// Expands `#[op(attr)] item`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut func: ItemFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        Err(e) => {
            let e = syn::Error::new(e.span(), format!("#[op] applies to functions: {e}"));
            let error = e.to_compile_error();
            return quote!(#item #error);
        }
    };
    let diag = Diag::new();
    let config = OpConfig::parse(attr, &diag);
    let sig = OpSignature::parse(&mut func, &config, &diag);
    validate::validate(&func, &config, &sig, &diag);
    let fast = fast_plan::decide(&config, &sig, &diag);
    // A method sits inside an `impl`, where no declaration type can go.
    let is_method = func.sig.receiver().is_some();
    let decl = if is_method {
        TokenStream::new()
    } else if diag.has_errors() {
        emit::fallback(&func, &sig)
    } else {
        emit::decl(&func, &sig, fast.as_ref())
    };
    let errors = diag.finish();
    quote! {
        #func
        #decl
        #errors
    }
}
