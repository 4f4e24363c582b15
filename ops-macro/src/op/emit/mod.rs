//! Code generation: the declaration type and its `DECL` constant.

mod fast;
mod meta;
mod shared;
mod slow;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ItemFn;

use super::fast_plan::FastPlan;
use super::signature::{OpMode, OpSignature};

/// The declaration for a valid op: a type named like the function (type
/// namespace only, so the function stays callable) holding `DECL` and the
/// V8 callback.
pub(crate) fn decl(func: &ItemFn, sig: &OpSignature, fast: Option<&FastPlan>) -> TokenStream {
    let meta = meta::decl_fields(sig);
    let body = slow::body(sig);
    let slow = format_ident!("__opwire_slow");
    let (fast_ref, fast_items) = match fast {
        Some(plan) => (
            quote!(::core::option::Option::Some(Self::__OPWIRE_FAST)),
            fast::emit(sig, plan),
        ),
        None => (quote!(::core::option::Option::None), TokenStream::new()),
    };
    let dispatch = match sig.mode {
        OpMode::Sync => quote!(::opwire::__private::dispatch_sync(__info, |__cx| { #body })),
        OpMode::Async { lazy } => {
            let start = if lazy { quote!(Lazy) } else { quote!(Eager) };
            quote!(::opwire::__private::dispatch_async(__info, ::opwire::__private::Start::#start, |__cx| { #body }))
        }
        OpMode::Blocking => {
            quote!(::opwire::__private::dispatch_async(__info, ::opwire::__private::Start::Lazy, |__cx| { #body }))
        }
    };
    wrap(
        func,
        quote! {
            /// The op's declaration: pass it to a runtime to register the op.
            pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__new(#meta, Self::#slow, #fast_ref);

            unsafe extern "C" fn #slow(__info: *const ::opwire::__private::FunctionCallbackInfo) {
                // SAFETY: V8 calls this with the callback info of a function the
                // runtime created for this op, whose data is the op's context.
                unsafe { #dispatch }
            }

            #fast_items
        },
        true,
    )
}

/// A placeholder declaration for an op with errors, so that uses of
/// `op_x::DECL` elsewhere do not add errors of their own.
pub(crate) fn fallback(func: &ItemFn, sig: &OpSignature) -> TokenStream {
    let name = &sig.js_name;
    wrap(
        func,
        quote! {
            /// Placeholder declaration: this op has compile errors.
            pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__invalid(#name);
        },
        false,
    )
}

fn wrap(func: &ItemFn, items: TokenStream, generated: bool) -> TokenStream {
    // Generated code: these lints are about its shape, not the op's.
    let allow = if generated {
        quote!(#[allow(unused, clippy::pedantic, clippy::complexity, clippy::undocumented_unsafe_blocks)])
    } else {
        quote!(#[allow(dead_code)])
    };
    let vis = &func.vis;
    let ident = &func.sig.ident;
    let doc = format!("Declaration of the `{ident}` op; register `{ident}::DECL` on a runtime.");
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ident {}

        #allow
        impl #ident {
            #items
        }
    }
}
