//! The metadata half of `OpDecl::__new(..)`: name, kind, arguments, return.

use proc_macro2::TokenStream;
use quote::quote;

use crate::op::signature::OpSignature;
use crate::op::types::type_string;

/// `name, kind, &[ArgMeta..], RetMeta` for `OpDecl::__new`.
pub(super) fn decl_fields(sig: &OpSignature) -> TokenStream {
    let name = &sig.js_name;
    let args = sig.js_args().map(|(_, a)| {
        let arg_name = &a.name;
        let rust = type_string(&a.ty);
        let ts = &a.ts_type;
        let optional = a.optional;
        quote! {
            ::opwire::__private::ArgMeta { name: #arg_name, rust_type: #rust, ts_type: #ts, optional: #optional }
        }
    });
    let ret = &sig.ret;
    let (rust, ts, fallible) = (&ret.rust_type, &ret.ts_type, ret.fallible);
    quote! {
        #name,
        ::opwire::__private::OpKind::Sync,
        &[#(#args),*],
        ::opwire::__private::RetMeta { rust_type: #rust, ts_type: #ts, fallible: #fallible }
    }
}
