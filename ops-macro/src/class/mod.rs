//! `#[op] impl T { .. }`: a Rust type as a JS class. Each method becomes an
//! op (through a hidden wrapper function and the op pipeline), and the type
//! gets `opwire::Class` (its `ClassDecl`) and `ToV8` (a value returned from
//! an op becomes a new instance).
//!
//! Every error is reported at once; on errors the `impl` and placeholder
//! impls are still emitted, so code using the type keeps compiling.

mod member;
mod wrapper;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{ImplItem, ItemImpl, Type};

use crate::diag::Diag;
use crate::op::args::ClassAccess;
use crate::op::config::OpConfig;
use crate::op::{MemberOp, expand_member};
use member::Role;

/// Expands `#[op(attr)] impl T { .. }`.
pub(crate) fn expand(attr: TokenStream, mut block: ItemImpl) -> TokenStream {
    let diag = Diag::new();
    let config = OpConfig::parse(attr, &diag);
    if config.blocking.is_some()
        || config.lazy.is_some()
        || config.fast.is_some()
        || config.nofast.is_some()
    {
        diag.at(
            proc_macro2::Span::call_site(),
            "#[op] on an impl takes only `rename = \"Name\"`; put other options on methods as #[op(...)]",
        );
    }
    if let Some((_, path, _)) = &block.trait_ {
        diag.spanned(
            path,
            "#[op] applies to inherent impls (`impl T { .. }`), not trait impls",
        );
    }
    if !block.generics.params.is_empty() {
        diag.spanned(&block.generics, "a class cannot be generic");
    }
    let class: Type = (*block.self_ty).clone();
    let class_ident = match &class {
        Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.unraw().to_string())
        }
        _ => None,
    };
    let Some(class_ident) = class_ident else {
        diag.spanned(
            &class,
            "#[op] classes are named types (`impl Counter { .. }`)",
        );
        let errors = diag.finish();
        return quote!(#block #errors);
    };
    let class_name = config.rename.clone().unwrap_or_else(|| class_ident.clone());

    let mut members = Vec::new();
    for item in &mut block.items {
        if let ImplItem::Fn(method) = item {
            let parsed = member::parse(method, &diag);
            members.push((method, parsed));
        }
    }
    let has_async = members
        .iter()
        .any(|(m, p)| m.sig.asyncness.is_some() && p.receiver == Some(ClassAccess::Rc));
    let mut wrappers = Vec::new();
    let mut ctor = quote!(::core::option::Option::None);
    let mut entries = Vec::new();
    let mut seen_ctor = 0;
    for (method, parsed) in members {
        member::check(method, &parsed, has_async, &diag);
        if parsed.role == Role::Constructor {
            seen_ctor += 1;
            if seen_ctor > 1 {
                diag.spanned(&method.sig.ident, "a class has one #[constructor]");
            }
        }
        let func = wrapper::build(method, &class, &class_ident, parsed.receiver);
        if method.sig.receiver().is_some() && parsed.receiver.is_none() {
            // A receiver opwire cannot pass (reported): the wrapper is not
            // emitted, so calling the method without it adds no errors.
            continue;
        }
        let decl_ty = func.sig.ident.clone();
        let js_name = match parsed.role {
            Role::Constructor => format!("new {class_name}"),
            _ => format!("{class_name}.{}", parsed.js_name),
        };
        let tokens = expand_member(
            func,
            &parsed.config,
            MemberOp {
                js_name,
                class: class.clone(),
                class_name: class_name.clone(),
                receiver: parsed.receiver,
                constructor: parsed.role == Role::Constructor,
            },
            &diag,
        );
        wrappers.push(tokens);
        if parsed.role == Role::Constructor {
            ctor = quote!(::core::option::Option::Some(#decl_ty::DECL));
            continue;
        }
        let name = &parsed.js_name;
        let kind = format_ident!("{}", parsed.role.kind());
        entries.push(quote! {
            ::opwire::Member { name: #name, kind: ::opwire::MemberKind::#kind, decl: #decl_ty::DECL }
        });
    }
    let (ctor, entries) = if diag.has_errors() {
        (quote!(::core::option::Option::None), Vec::new())
    } else {
        (ctor, entries)
    };
    let errors = diag.finish();
    quote! {
        #block
        #(#wrappers)*
        impl ::opwire::Class for #class {
            const CLASS: ::opwire::ClassDecl = ::opwire::ClassDecl::__new(
                #class_name,
                ::core::any::TypeId::of::<#class>,
                #ctor,
                &[#(#entries),*],
            );
        }
        impl<'__s> ::opwire::ToV8<'__s> for #class {
            fn to_v8(
                self,
                __scope: &mut ::opwire::v8::PinScope<'__s, '_>,
            ) -> ::core::result::Result<::opwire::v8::Local<'__s, ::opwire::v8::Value>, ::opwire::ConvError> {
                ::opwire::__private::new_instance(__scope, self)
            }
        }
        #errors
    }
}
