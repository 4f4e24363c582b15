//! The body of the slow (regular V8 callback) path: read each argument,
//! call the function, hand the result to the runtime.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Type;
use syn::visit_mut::VisitMut;

use super::shared::{Output, async_future, inject_state, wrap_ret};
use crate::op::args::{ArgKind, ArgSpec, ClassAccess, StrForm};
use crate::op::conv::Int64Mode;
use crate::op::signature::{OpMode, OpSignature};

/// Statements run inside `dispatch_sync(.., |__cx| { .. })`.
pub(super) fn body(sig: &OpSignature) -> TokenStream {
    let mut js_index = 0usize;
    let mut lets = Vec::new();
    let mut call_args = Vec::new();
    for (i, arg) in sig.args.iter().enumerate() {
        let var = format_ident!("__a{i}");
        let (stmt, pass) = read_arg(arg, &var, js_index, sig.wrapping);
        if arg.is_js() {
            js_index += 1;
        }
        lets.push(stmt);
        call_args.push(pass);
    }
    let f = &sig.fn_name;
    match sig.mode {
        OpMode::Sync => {
            let result = wrap_ret(&sig.ret, Output::Value);
            if let Some(class) = &sig.constructor {
                return quote! {
                    __cx.begin_construct()?;
                    #(#lets)*
                    let __r = #f(#(#call_args),*);
                    __cx.construct::<#class, _>(__r)
                };
            }
            quote! {
                #(#lets)*
                let __r = #f(#(#call_args),*);
                __cx.ret(#result)
            }
        }
        OpMode::Async { .. } | OpMode::Blocking => {
            let future = async_future(sig, &call_args);
            quote! {
                #(#lets)*
                #future
            }
        }
    }
}

/// The statement that produces argument `arg` in `var`, and the expression
/// passed to the function.
fn read_arg(
    arg: &ArgSpec,
    var: &syn::Ident,
    js: usize,
    wrapping: bool,
) -> (TokenStream, TokenStream) {
    let ty = &erase_lifetimes(&arg.ty);
    let pass = quote!(#var);
    match (&arg.kind, arg.optional) {
        (ArgKind::Number(kind), optional) if wrapping && kind.is_int() => {
            let int = format_ident!("{}", kind.name());
            let wrapped = quote!(::opwire::__private::Wrapped<#int>);
            let stmt = if optional {
                quote!(let #var = __cx.arg::<::core::option::Option<#wrapped>>(#js)?.map(|__v| __v.0);)
            } else {
                quote!(let #var = __cx.arg::<#wrapped>(#js)?.0;)
            };
            (stmt, pass)
        }
        (ArgKind::Value | ArgKind::Bool | ArgKind::Number(_), _) => {
            // Spanned at the type so a missing `FromV8` impl points there.
            let stmt = quote_spanned! {arg.span=> let #var = __cx.arg::<#ty>(#js)?; };
            (stmt, pass)
        }
        (ArgKind::Int64 { int, mode }, optional) => {
            let int = erase_lifetimes(int);
            let wrapper = match mode {
                Int64Mode::BigInt => quote!(::opwire::__private::AsBigInt<#int>),
                Int64Mode::Number => quote!(::opwire::__private::AsNumber<#int>),
            };
            let stmt = if optional {
                quote!(let #var = __cx.arg::<::core::option::Option<#wrapper>>(#js)?.map(|__v| __v.0);)
            } else {
                quote!(let #var = __cx.arg::<#wrapper>(#js)?.0;)
            };
            (stmt, pass)
        }
        (ArgKind::Str(form), optional) => {
            let buf = format_ident!("{var}_buf");
            let method = match (form, optional) {
                (StrForm::Ref, false) => "str_arg",
                (StrForm::Ref, true) => "opt_str_arg",
                (StrForm::Cow, false) => "cow_arg",
                (StrForm::Cow, true) => "opt_cow_arg",
            };
            let method = format_ident!("{method}");
            let stmt = quote! {
                let mut #buf = ::opwire::__private::StrBuf::new();
                let #var = __cx.#method(#js, &mut #buf)?;
            };
            (stmt, pass)
        }
        (ArgKind::State(access), _) => inject_state(*access, var, &quote!(__cx)),
        (ArgKind::Scope, _) => (TokenStream::new(), quote!(__cx.scope())),
        (ArgKind::Slice { mutable }, _) => {
            let store = format_ident!("{var}_store");
            let method = if *mutable {
                quote!(buffer_mut_arg)
            } else {
                quote!(buffer_arg)
            };
            let stmt = quote! {
                let mut #store = ::opwire::__private::ViewStore::new();
                let #var = __cx.#method(#js, &mut #store)?;
            };
            (stmt, pass)
        }
        (ArgKind::Serde, _) => (quote!(let #var = __cx.serde_arg::<#ty>(#js)?;), pass),
        (ArgKind::Signal, _) => (quote!(let #var = __cx.signal_arg::<#ty>(#js)?;), pass),
        (
            ArgKind::Class {
                access,
                class,
                this,
            },
            _,
        ) => {
            let class = erase_lifetimes(class);
            let method = match (access, this) {
                (ClassAccess::Ref, true) => quote!(this_ref::<#class>()),
                (ClassAccess::Mut, true) => quote!(this_mut::<#class>()),
                (ClassAccess::Rc, _) => quote!(this_rc::<#class>()),
                (ClassAccess::Ref, false) => quote!(class_arg::<#class>(#js)),
                (ClassAccess::Mut, false) => quote!(class_arg_mut::<#class>(#js)),
            };
            let stmt = if *access == ClassAccess::Mut {
                quote!(let mut #var = __cx.#method?;)
            } else {
                quote!(let #var = __cx.#method?;)
            };
            (stmt, class_pass(*access, var))
        }
    }
}

/// How a class value borrowed into `var` is passed to the function.
pub(super) fn class_pass(access: ClassAccess, var: &syn::Ident) -> TokenStream {
    match access {
        ClassAccess::Ref => quote!(&*#var),
        ClassAccess::Mut => quote!(&mut *#var),
        ClassAccess::Rc => quote!(#var),
    }
}

/// `ty` with its named lifetimes (other than `'static`) replaced by `'_`:
/// the function's lifetime parameters do not exist inside the callback.
fn erase_lifetimes(ty: &Type) -> Type {
    struct Eraser;
    impl VisitMut for Eraser {
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            if lifetime.ident != "static" {
                *lifetime = syn::Lifetime::new("'_", lifetime.span());
            }
        }
    }
    let mut ty = ty.clone();
    Eraser.visit_type_mut(&mut ty);
    ty
}
