//! `#[op]`: parse → model → validate → fast plan → emit. On errors, the user's function
//! is still emitted (with opwire's attributes stripped) next to the errors
//! and a placeholder declaration, so the rest of the crate keeps compiling
//! and only the real problems are reported.

pub(crate) mod args;
mod attr;
pub(crate) mod config;
pub(crate) mod conv;
mod emit;
mod fast_plan;
mod ret;
mod signature;
mod ts;
pub(crate) mod types;
mod validate;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::diag::Diag;
use config::OpConfig;
use signature::OpSignature;

/// Expands `#[op(attr)] item`, a function (`lib.rs` sends `impl` blocks
/// to `class`).
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut func: ItemFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        Err(e) => {
            let e = syn::Error::new(
                e.span(),
                format!("#[op] applies to functions and impl blocks: {e}"),
            );
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

/// What a class asks of the op pipeline for one of its members.
pub(crate) struct MemberOp {
    /// The name error messages use (`Counter.inc`, `new Counter`).
    pub(crate) js_name: String,
    /// The class's Rust type.
    pub(crate) class: syn::Type,
    /// The JS name of the class, for TypeScript.
    pub(crate) class_name: String,
    /// How the member takes `self` (its first argument), if it does.
    pub(crate) receiver: Option<args::ClassAccess>,
    /// Whether it is the constructor.
    pub(crate) constructor: bool,
}

/// Expands the hidden function behind one class member (`func`, whose
/// first argument is the receiver when it has one) into the function and
/// its op declaration; problems go to `diag`.
pub(crate) fn expand_member(
    mut func: ItemFn,
    config: &OpConfig,
    member: MemberOp,
    diag: &Diag,
) -> TokenStream {
    let mut sig = OpSignature::parse(&mut func, config, diag);
    sig.js_name = member.js_name;
    if let Some(access) = member.receiver
        && let Some(first) = sig.args.first_mut()
    {
        first.kind = args::ArgKind::Class {
            access,
            class: Box::new(member.class.clone()),
            this: true,
        };
    }
    if member.constructor {
        sig.constructor = Some(member.class.clone());
    }
    // A member returning an instance of its own class: JS sees the class.
    if let Some(ty) = &sig.ret.ty
        && types::names_type(ty, &member.class)
    {
        sig.ret.ts_type.base = member.class_name.into();
    }
    validate::validate(&func, config, &sig, diag);
    let fast = fast_plan::decide(config, &sig, diag);
    let decl = if diag.has_errors() {
        emit::fallback(&func, &sig)
    } else {
        emit::decl(&func, &sig, fast.as_ref())
    };
    quote!(#func #decl)
}
