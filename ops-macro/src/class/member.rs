//! One member of a class: its role attribute (`#[constructor]`,
//! `#[getter]`, `#[setter]`, `#[static_method]`), its `#[op(...)]` options,
//! its receiver, and the rules each role has.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{FnArg, ImplItemFn, Type};

use crate::diag::Diag;
use crate::op::args::ClassAccess;
use crate::op::config::OpConfig;

/// What a member is in JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Constructor,
    Method,
    Getter,
    Setter,
    Static,
}

impl Role {
    const MARKERS: [(&'static str, Role); 4] = [
        ("constructor", Role::Constructor),
        ("getter", Role::Getter),
        ("setter", Role::Setter),
        ("static_method", Role::Static),
    ];

    /// The `opwire::MemberKind` variant (not for constructors).
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Role::Method => "Method",
            Role::Getter => "Getter",
            Role::Setter => "Setter",
            Role::Static | Role::Constructor => "Static",
        }
    }
}

/// A parsed member, with opwire's attributes taken off the method.
pub(crate) struct Member {
    pub(crate) role: Role,
    pub(crate) config: OpConfig,
    /// The JS property name (`value` for `fn set_value`).
    pub(crate) js_name: String,
    pub(crate) receiver: Option<ClassAccess>,
    /// The receiver (or the name, without one), where errors point.
    pub(crate) at: TokenStream,
}

/// Reads `method`'s role and options, removing those attributes.
pub(crate) fn parse(method: &mut ImplItemFn, diag: &Diag) -> Member {
    let mut role = None;
    let mut config_tokens: Option<TokenStream> = None;
    method.attrs.retain(|attr| {
        if let Some((name, r)) = Role::MARKERS.iter().find(|(n, _)| attr.path().is_ident(n)) {
            if let Err(e) = attr.meta.require_path_only() {
                diag.push(e);
            }
            if role.replace(*r).is_some() {
                diag.spanned(attr, format!("#[{name}]: a member has one role"));
            }
            return false;
        }
        if attr.path().is_ident("op") {
            match attr.meta.require_list() {
                Ok(list) => config_tokens = Some(list.tokens.clone()),
                Err(e) => diag.push(e),
            }
            return false;
        }
        true
    });
    let config = OpConfig::parse(config_tokens.unwrap_or_default(), diag);
    let receiver = receiver(method, diag);
    let role = role.unwrap_or(Role::Method);
    let ident = syn::ext::IdentExt::unraw(&method.sig.ident).to_string();
    let js_name = config.rename.clone().unwrap_or_else(|| match role {
        Role::Setter => ident.strip_prefix("set_").unwrap_or(&ident).to_owned(),
        _ => ident,
    });
    let at = match method.sig.receiver() {
        Some(r) => r.to_token_stream(),
        None => method.sig.ident.to_token_stream(),
    };
    Member {
        role,
        config,
        js_name,
        receiver,
        at,
    }
}

/// How the method takes `self`.
fn receiver(method: &ImplItemFn, diag: &Diag) -> Option<ClassAccess> {
    let FnArg::Receiver(r) = method.sig.inputs.first()? else {
        return None;
    };
    if r.colon_token.is_none() {
        return match (&r.reference, &r.mutability) {
            (Some(_), None) => Some(ClassAccess::Ref),
            (Some(_), Some(_)) => Some(ClassAccess::Mut),
            (None, _) => {
                diag.spanned(
                    r,
                    "a class member cannot take `self` by value (JS keeps the object); \
                     take `&self`, `&mut self`, or `self: Rc<Self>` in an async method",
                );
                None
            }
        };
    }
    if let Type::Path(p) = &*r.ty
        && p.path.segments.last().is_some_and(|s| s.ident == "Rc")
    {
        return Some(ClassAccess::Rc);
    }
    diag.spanned(
        &r.ty,
        "a class member takes `&self`, `&mut self`, or `self: Rc<Self>` (async methods)",
    );
    None
}

/// The rules of each role and receiver, checked on the parsed member.
/// `has_async` says whether the class has an async method holding `self`.
pub(crate) fn check(method: &ImplItemFn, member: &Member, has_async: bool, diag: &Diag) {
    let is_async = method.sig.asyncness.is_some();
    let at = &member.at;
    let js_args = method
        .sig
        .inputs
        .iter()
        .filter(|a| matches!(a, FnArg::Typed(_)))
        .count();
    match (member.role, member.receiver) {
        (Role::Constructor | Role::Static, Some(_)) => diag.spanned(
            at,
            "a #[constructor] or #[static_method] has no `self`; remove it, or the attribute",
        ),
        (Role::Method | Role::Getter | Role::Setter, None) if method.sig.receiver().is_none() => {
            diag.spanned(
                at,
                "a method without `self` must be marked #[static_method] (or #[constructor])",
            );
        }
        _ => {}
    }
    if member.config.blocking.is_some() && member.receiver.is_some() {
        diag.spanned(
            at,
            "#[op(blocking)] methods are not supported: the object stays on the JS thread; \
             copy what the work needs and use a #[static_method] or an op",
        );
    }
    match member.role {
        Role::Constructor if is_async => diag.spanned(
            method.sig.asyncness,
            "a #[constructor] cannot be async; construct synchronously and add an async method",
        ),
        Role::Constructor if matches!(method.sig.output, syn::ReturnType::Default) => {
            diag.spanned(at, "a #[constructor] returns `Self` (or `Result<Self, E>`)")
        }
        Role::Getter | Role::Setter if is_async => diag.spanned(
            method.sig.asyncness,
            "accessors cannot be async; use an async method",
        ),
        Role::Getter if js_args != 0 => {
            diag.spanned(at, "a #[getter] takes no arguments besides `self`");
        }
        Role::Setter if js_args != 1 => {
            diag.spanned(at, "a #[setter] takes one argument besides `self`");
        }
        _ => {}
    }
    match member.receiver {
        Some(ClassAccess::Ref | ClassAccess::Mut) if is_async => diag.spanned(
            at,
            "an async method takes `self: Rc<Self>`: its future outlives the call, so it \
             cannot borrow the object; keep state it changes in `Cell`/`RefCell` fields",
        ),
        Some(ClassAccess::Rc) if !is_async => diag.spanned(
            at,
            "`self: Rc<Self>` is for async methods; take `&self` or `&mut self`",
        ),
        Some(ClassAccess::Mut) if has_async => diag.spanned(
            at,
            "`&mut self` cannot be used in a class with async methods: an async method may \
             hold the object across an await; take `&self` and keep mutable state in \
             `Cell`/`RefCell` fields",
        ),
        _ => {}
    }
    if !method.sig.generics.params.is_empty() {
        diag.spanned(&method.sig.generics, "class members cannot be generic");
    }
}
