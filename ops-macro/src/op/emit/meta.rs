//! The metadata half of `OpDecl::__new(..)`: name, kind, arguments, return.

use proc_macro2::TokenStream;
use quote::quote;

use crate::op::signature::{OpMode, OpSignature};
use crate::op::types::type_string;

/// `name, kind, &[ArgMeta..], RetMeta` for `OpDecl::__new`.
pub(super) fn decl_fields(sig: &OpSignature) -> TokenStream {
    let name = &sig.js_name;
    let args = sig.js_args().map(|(_, a)| {
        let arg_name = &a.name;
        let rust = type_string(&a.ty);
        let ts = a.ts_type.to_string();
        let optional = a.optional;
        quote! {
            ::opwire::__private::ArgMeta { name: #arg_name, rust_type: #rust, ts_type: #ts, optional: #optional }
        }
    });
    let ret = &sig.ret;
    let (rust, fallible) = (&ret.rust_type, ret.fallible);
    let ts = if sig.is_async() {
        format!("Promise<{}>", ret.ts_type)
    } else {
        ret.ts_type.to_string()
    };
    let kind = match sig.mode {
        OpMode::Sync => quote!(Sync),
        OpMode::Async { lazy: false } => quote!(Async),
        OpMode::Async { lazy: true } => quote!(AsyncLazy),
        OpMode::Blocking => quote!(Blocking),
    };
    quote! {
        #name,
        ::opwire::__private::OpKind::#kind,
        &[#(#args),*],
        ::opwire::__private::RetMeta { rust_type: #rust, ts_type: #ts, fallible: #fallible }
    }
}
