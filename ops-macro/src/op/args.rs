//! One op argument: `FnArg` → [`ArgSpec`].

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{FnArg, Pat, Type};

use super::conv::{self, ConvAttrs, Int64Mode};
use super::ts::{self, Dir, TsType};
use super::types::{NumKind, TypeClass, class_of, classify};
use crate::diag::Diag;

/// Which borrowed string form an argument has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrForm {
    /// `&str`.
    Ref,
    /// `Cow<str>`.
    Cow,
}

/// How an injected `OpState` argument is borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateAccess {
    /// `&OpState`.
    Ref,
    /// `&mut OpState`.
    Mut,
    /// `Rc<RefCell<OpState>>`.
    Rc,
}

/// How a class value is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClassAccess {
    /// `&T` / `&self`.
    Ref,
    /// `&mut T` / `&mut self`.
    Mut,
    /// `self: Rc<Self>` (async methods).
    Rc,
}

/// How the generated callback produces an argument.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArgKind {
    /// Converted from the JS argument by `FromV8` as the declared type.
    Value,
    /// `bool`: converted like [`ArgKind::Value`], apart because a fast call
    /// takes it too.
    Bool,
    /// A number of at most 32 bits, or a float: converted like
    /// [`ArgKind::Value`], apart because a fast call takes it as a C number.
    Number(NumKind),
    /// A 64-bit integer (`int` is the integer type, inside any `Option`).
    Int64 { int: Box<Type>, mode: Int64Mode },
    /// A borrowed string, read through a stack buffer.
    Str(StrForm),
    /// The runtime's `OpState`, injected.
    State(StateAccess),
    /// The V8 scope, injected.
    Scope,
    /// A view of a JS buffer (`&[u8]`, or `&mut [u8]` when `mutable`).
    Slice { mutable: bool },
    /// `#[serde]`: deserialized through the serde bridge as the declared type.
    Serde,
    /// An `AbortSignal` (or `Option<AbortSignal>`): converted like
    /// [`ArgKind::Value`], and an async op is cancelled when it aborts.
    Signal,
    /// A class instance's Rust value (`class` is `T`): an argument, or the
    /// receiver of a class member when `this`.
    Class {
        access: ClassAccess,
        class: Box<Type>,
        this: bool,
    },
}

/// One argument of an op.
#[derive(Debug, Clone)]
pub(crate) struct ArgSpec {
    /// The parameter name (`arg<N>` for `_`).
    pub(crate) name: String,
    /// The declared type.
    pub(crate) ty: Type,
    pub(crate) kind: ArgKind,
    /// `Option<T>`: JS may pass `undefined`/`null` or leave it out.
    pub(crate) optional: bool,
    /// The TypeScript type JS passes (meaningless for injected arguments).
    pub(crate) ts_type: TsType,
    pub(crate) span: Span,
}

impl ArgSpec {
    /// Whether JS passes this argument (rather than the runtime injecting it).
    pub(crate) fn is_js(&self) -> bool {
        matches!(
            self.kind,
            ArgKind::Value
                | ArgKind::Bool
                | ArgKind::Number(_)
                | ArgKind::Int64 { .. }
                | ArgKind::Str(_)
                | ArgKind::Slice { .. }
                | ArgKind::Serde
                | ArgKind::Signal
        ) || matches!(self.kind, ArgKind::Class { this: false, .. })
    }
}

/// Reads argument `index` (0-based, Rust position), stripping opwire's
/// attributes from it. Problems go to `diag`.
pub(crate) fn parse_arg(arg: &mut FnArg, index: usize, diag: &Diag) -> Option<ArgSpec> {
    let typed = match arg {
        FnArg::Receiver(r) => {
            diag.spanned(
                r,
                "#[op] on a method: put #[op] on the `impl` block to make the type a JS class, \
                 or move the function out of the `impl`",
            );
            return None;
        }
        FnArg::Typed(t) => t,
    };
    let attrs = conv::take(&mut typed.attrs, diag);
    let name = match &*typed.pat {
        Pat::Ident(p) => p.ident.unraw().to_string(),
        Pat::Wild(_) => format!("arg{index}"),
        other => {
            diag.spanned(
                other,
                "op arguments must be plain names (destructure inside the function)",
            );
            return None;
        }
    };
    let ty = (*typed.ty).clone();
    let (optional, class) = match classify(&ty) {
        TypeClass::Option(inner) => (true, classify(&inner)),
        class => (false, class),
    };
    let ctx = ArgCtx {
        name: &name,
        ty: &ty,
        optional,
        diag,
    };
    let kind = if attrs.serde.is_some() {
        ArgKind::Serde
    } else {
        ctx.kind(&class, &attrs)?
    };
    attrs.check_arg(&name, &class, diag);
    let int64 = attrs.int64.map(|(mode, _)| mode);
    let base = match (&kind, class_of(&ty)) {
        (ArgKind::Class { .. }, Some((name, _))) => name.into(),
        _ => ts::base(&class, int64, attrs.serde.is_some(), Dir::Arg).into(),
    };
    let ts_type = TsType {
        base,
        nullable: optional,
    };
    Some(ArgSpec {
        name,
        ty: ty.clone(),
        kind,
        optional,
        ts_type,
        span: typed.span(),
    })
}

struct ArgCtx<'a> {
    name: &'a str,
    ty: &'a Type,
    optional: bool,
    diag: &'a Diag,
}

impl ArgCtx<'_> {
    /// The argument kind, from its type class.
    fn kind(&self, class: &TypeClass, attrs: &ConvAttrs) -> Option<ArgKind> {
        let name = self.name;
        let injected = |kind: ArgKind| {
            if self.optional {
                self.diag.spanned(
                    self.ty,
                    format!("argument `{name}` is injected by the runtime and cannot be an Option"),
                );
                return None;
            }
            Some(kind)
        };
        match class {
            TypeClass::Bool => Some(ArgKind::Bool),
            TypeClass::Number(kind) => Some(ArgKind::Number(*kind)),
            TypeClass::StrRef => Some(ArgKind::Str(StrForm::Ref)),
            TypeClass::CowStr => Some(ArgKind::Str(StrForm::Cow)),
            TypeClass::String
            | TypeClass::Local(_)
            | TypeClass::Bytes
            | TypeClass::Callback
            | TypeClass::ResourceId
            | TypeClass::Other => Some(ArgKind::Value),
            TypeClass::Signal => Some(ArgKind::Signal),
            TypeClass::ClassRef { mutable } => {
                if self.optional {
                    self.diag.spanned(
                        self.ty,
                        format!("argument `{name}`: an optional class argument is not supported"),
                    );
                    return None;
                }
                let (_, class) = class_of(self.ty)?;
                let access = if *mutable {
                    ClassAccess::Mut
                } else {
                    ClassAccess::Ref
                };
                Some(ArgKind::Class {
                    access,
                    class: Box::new(class),
                    this: false,
                })
            }
            TypeClass::Slice { mutable } => {
                if self.optional {
                    self.diag.spanned(self.ty, format!("argument `{name}`: an optional buffer view is not supported; take Option<Vec<u8>>"));
                    return None;
                }
                Some(ArgKind::Slice { mutable: *mutable })
            }
            TypeClass::Int64 => {
                let int = match classify(self.ty) {
                    TypeClass::Option(inner) => inner,
                    _ => Box::new(self.ty.clone()),
                };
                match attrs.int64 {
                    Some((mode, _)) => Some(ArgKind::Int64 { int, mode }),
                    None => {
                        self.diag.spanned(
                            self.ty,
                            format!(
                                "64-bit integer argument `{name}` needs #[bigint] (a JS BigInt) \
                                 or #[number] (a JS Number, checked to ±(2^53 - 1))"
                            ),
                        );
                        None
                    }
                }
            }
            TypeClass::StateRef { mutable: false } => injected(ArgKind::State(StateAccess::Ref)),
            TypeClass::StateRef { mutable: true } => injected(ArgKind::State(StateAccess::Mut)),
            TypeClass::StateRc => injected(ArgKind::State(StateAccess::Rc)),
            TypeClass::Scope => injected(ArgKind::Scope),
            TypeClass::Option(_) => {
                self.diag.spanned(
                    self.ty,
                    format!("argument `{name}`: nested Option is not supported"),
                );
                None
            }
            TypeClass::Unit | TypeClass::Result(_) => {
                self.diag.spanned(
                    self.ty,
                    format!("argument `{name}`: this type cannot be an op argument"),
                );
                None
            }
        }
    }
}
