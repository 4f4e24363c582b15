//! The hidden free function behind a class member: the member's arguments
//! (with the receiver first, as `__self`), `Self` spelled as the class, and
//! a body that calls the method. The op pipeline turns it into an op.

use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItemFn, ItemFn, Pat, Type, parse_quote};

use crate::op::args::ClassAccess;
use crate::op::conv::Conv;

/// Replaces `Self` with the class type.
struct SelfToClass<'a>(&'a Type);

impl VisitMut for SelfToClass<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(p) = ty
            && p.qself.is_none()
            && p.path.is_ident("Self")
        {
            *ty = self.0.clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

/// The wrapper of `method` of class `class` (Rust name `class_ident`),
/// named `__opwire_<Class>_<method>`. Takes opwire's conversion attributes
/// off `method` (they move to the wrapper, which the op pipeline reads).
pub(crate) fn build(
    method: &mut ImplItemFn,
    class: &Type,
    class_ident: &str,
    receiver: Option<ClassAccess>,
) -> ItemFn {
    let method_ident = &method.sig.ident;
    let name = format_ident!(
        "__opwire_{}_{}",
        class_ident,
        syn::ext::IdentExt::unraw(method_ident)
    );
    let mut inputs: Vec<FnArg> = Vec::new();
    let mut call = Vec::new();
    if let Some(access) = receiver {
        let ty: Type = match access {
            ClassAccess::Ref => parse_quote!(&#class),
            ClassAccess::Mut => parse_quote!(&mut #class),
            ClassAccess::Rc => parse_quote!(::std::rc::Rc<#class>),
        };
        inputs.push(parse_quote!(__self: #ty));
        call.push(quote!(__self));
    }
    for (i, arg) in method.sig.inputs.iter_mut().enumerate() {
        let FnArg::Typed(typed) = arg else { continue };
        let mut wrapped = typed.clone();
        typed.attrs.retain(|a| !Conv::is_conv(a.path()));
        // A plain name keeps its name (error messages use it); `_` becomes
        // `arg<N>`, as for ops; other patterns are left for the op pipeline
        // to refuse.
        let ident = match &*wrapped.pat {
            Pat::Ident(p) => Some(p.ident.clone()),
            Pat::Wild(_) => Some(format_ident!("arg{}", i)),
            _ => None,
        };
        if let Some(ident) = ident {
            wrapped.pat = Box::new(parse_quote!(#ident));
            call.push(quote!(#ident));
        }
        SelfToClass(class).visit_type_mut(&mut wrapped.ty);
        inputs.push(FnArg::Typed(wrapped));
    }
    let mut output = method.sig.output.clone();
    SelfToClass(class).visit_return_type_mut(&mut output);
    // `#[serde]`/`#[bigint]`/`#[number]` on the method apply to its return
    // value: they move to the wrapper.
    let (conv, kept): (Vec<_>, Vec<_>) = method
        .attrs
        .drain(..)
        .partition(|a| Conv::is_conv(a.path()));
    method.attrs = kept;
    let asyncness = method.sig.asyncness;
    let await_ = asyncness.map(|_| quote!(.await));
    parse_quote! {
        #(#conv)*
        #[doc(hidden)]
        #[allow(non_snake_case, clippy::needless_pass_by_value, clippy::unused_async)]
        #asyncness fn #name(#(#inputs),*) #output {
            <#class>::#method_ident(#(#call),*) #await_
        }
    }
}
