//! Recognising the Rust types ops use. Pure functions over `syn::Type`.

use syn::{GenericArgument, PathArguments, Type, TypePath};

/// What a type is, as far as op conversion cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeClass {
    Bool,
    /// `i8`..`i32`, `u8`..`u32`, `f32`, `f64`.
    Number(NumKind),
    /// `i64`, `u64`, `isize`, `usize`.
    Int64,
    String,
    /// `&str`.
    StrRef,
    /// `Cow<str>`.
    CowStr,
    /// `Option<T>`.
    Option(Box<Type>),
    /// `Result<T, E>`.
    Result(Box<Type>),
    /// `&OpState` (`mutable = false`) or `&mut OpState`.
    StateRef {
        mutable: bool,
    },
    /// `Rc<RefCell<OpState>>`.
    StateRc,
    /// `&mut v8::PinScope`.
    Scope,
    /// `v8::Local<T>`; the string is the name of `T` (`Function`), empty
    /// if `T` is not a path.
    Local(String),
    Unit,
    /// `&[u8]` (`mutable = false`) or `&mut [u8]`.
    Slice {
        mutable: bool,
    },
    /// Owned bytes: `Vec<u8>`, `Box<[u8]>`, `Bytes`, `JsBuffer`,
    /// `JsBufferMut`.
    Bytes,
    /// `AbortSignal`: a JS `AbortSignal` that cancels the op.
    Signal,
    /// `JsCallback`: a JS function that Rust calls later, from any thread.
    Callback,
    /// `&T` (`mutable = false`) or `&mut T` of any other path type `T`: a
    /// class instance's Rust value, borrowed (`#[op] impl T`).
    ClassRef {
        mutable: bool,
    },
    /// opwire's `ResourceId` (a `u32`): converted through `FromV8`/`ToV8`
    /// like [`TypeClass::Other`] (no fast path), typed `number`.
    ResourceId,
    /// Anything else: converted through `FromV8`/`ToV8`.
    Other,
}

/// A Rust number type that crosses as a JS Number with no attribute: an
/// integer of at most 32 bits, or a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumKind {
    I8,
    I16,
    I32,
    U8,
    U16,
    U32,
    F32,
    F64,
}

impl NumKind {
    const ALL: [NumKind; 8] = [
        NumKind::I8,
        NumKind::I16,
        NumKind::I32,
        NumKind::U8,
        NumKind::U16,
        NumKind::U32,
        NumKind::F32,
        NumKind::F64,
    ];

    /// The Rust type's name (`"u8"`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            NumKind::I8 => "i8",
            NumKind::I16 => "i16",
            NumKind::I32 => "i32",
            NumKind::U8 => "u8",
            NumKind::U16 => "u16",
            NumKind::U32 => "u32",
            NumKind::F32 => "f32",
            NumKind::F64 => "f64",
        }
    }

    /// Whether it is an integer (not a float).
    pub(crate) fn is_int(self) -> bool {
        !matches!(self, NumKind::F32 | NumKind::F64)
    }

    fn from_name(name: &str) -> Option<NumKind> {
        NumKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Classifies `ty`.
pub(crate) fn classify(ty: &Type) -> TypeClass {
    match ty {
        Type::Paren(p) => classify(&p.elem),
        Type::Group(g) => classify(&g.elem),
        Type::Tuple(t) if t.elems.is_empty() => TypeClass::Unit,
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) if last_ident(p).as_deref() == Some("str") && r.mutability.is_none() => {
                TypeClass::StrRef
            }
            Type::Path(p) if last_ident(p).as_deref() == Some("OpState") => TypeClass::StateRef {
                mutable: r.mutability.is_some(),
            },
            Type::Path(p)
                if last_ident(p).as_deref() == Some("PinScope") && r.mutability.is_some() =>
            {
                TypeClass::Scope
            }
            Type::Slice(sl) if is_u8(&sl.elem) => TypeClass::Slice {
                mutable: r.mutability.is_some(),
            },
            Type::Path(p) if p.qself.is_none() && last_ident(p).is_some() => TypeClass::ClassRef {
                mutable: r.mutability.is_some(),
            },
            _ => TypeClass::Other,
        },
        Type::Path(p) => classify_path(p),
        _ => TypeClass::Other,
    }
}

fn classify_path(p: &TypePath) -> TypeClass {
    let Some(name) = last_ident(p) else {
        return TypeClass::Other;
    };
    if let Some(kind) = NumKind::from_name(&name) {
        return TypeClass::Number(kind);
    }
    match name.as_str() {
        "bool" => TypeClass::Bool,
        "ResourceId" => TypeClass::ResourceId,
        "i64" | "u64" | "isize" | "usize" => TypeClass::Int64,
        "String" => TypeClass::String,
        "Cow" if matches!(generic(p, 0), Some(Type::Path(s)) if last_ident(s).as_deref() == Some("str")) => {
            TypeClass::CowStr
        }
        "Option" => {
            generic(p, 0).map_or(TypeClass::Other, |t| TypeClass::Option(Box::new(t.clone())))
        }
        "Result" => {
            generic(p, 0).map_or(TypeClass::Other, |t| TypeClass::Result(Box::new(t.clone())))
        }
        "Rc" if is_refcell_opstate(generic(p, 0)) => TypeClass::StateRc,
        "Local" => TypeClass::Local(match generic(p, 0) {
            Some(Type::Path(t)) => last_ident(t).unwrap_or_default(),
            _ => String::new(),
        }),
        "Vec" if generic(p, 0).is_some_and(is_u8) => TypeClass::Bytes,
        "Box" if matches!(generic(p, 0), Some(Type::Slice(sl)) if is_u8(&sl.elem)) => {
            TypeClass::Bytes
        }
        "Bytes" | "JsBuffer" | "JsBufferMut" => TypeClass::Bytes,
        "AbortSignal" => TypeClass::Signal,
        "JsCallback" => TypeClass::Callback,
        _ => TypeClass::Other,
    }
}

fn is_u8(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident("u8"))
}

fn is_refcell_opstate(ty: Option<&Type>) -> bool {
    let Some(Type::Path(p)) = ty else {
        return false;
    };
    last_ident(p).as_deref() == Some("RefCell")
        && matches!(generic(p, 0), Some(Type::Path(s)) if last_ident(s).as_deref() == Some("OpState"))
}

/// The name of the class behind `&T` / `&mut T` / `Rc<T>` (`T`'s last
/// segment), and `T`.
pub(crate) fn class_of(ty: &Type) -> Option<(String, Type)> {
    let inner = match ty {
        Type::Reference(r) => (*r.elem).clone(),
        Type::Path(p) if last_ident(p).as_deref() == Some("Rc") => generic(p, 0)?.clone(),
        _ => return None,
    };
    let Type::Path(p) = &inner else { return None };
    Some((last_ident(p)?, inner))
}

/// Whether `ty` is `class`, possibly inside `Result` and `Option`.
pub(crate) fn names_type(ty: &Type, class: &Type) -> bool {
    let strip = |ty: &Type| match classify(ty) {
        TypeClass::Result(inner) | TypeClass::Option(inner) => Some(*inner),
        _ => None,
    };
    let mut ty = ty.clone();
    while let Some(inner) = strip(&ty) {
        ty = inner;
    }
    quote::quote!(#ty).to_string() == quote::quote!(#class).to_string()
}

/// The last segment's identifier of a path type.
fn last_ident(p: &TypePath) -> Option<String> {
    p.path.segments.last().map(|s| s.ident.to_string())
}

/// The `n`th generic type argument of a path type's last segment.
fn generic(p: &TypePath, n: usize) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .nth(n)
}

/// The type as written, for metadata (`"Option<u32>"`).
pub(crate) fn type_string(ty: &Type) -> String {
    let raw = quote::quote!(#ty).to_string();
    // Tighten the token spacing `quote` adds: `Option < u32 >` -> `Option<u32>`.
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            let prev = out.chars().last();
            let next = chars.peek().copied();
            let tight = matches!(prev, Some('<' | '&' | ':' | '(' | '\''))
                || matches!(next, Some('<' | '>' | ',' | ':' | ')'));
            if !tight {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn classifies_common_types() {
        assert_eq!(
            classify(&parse_quote!(i32)),
            TypeClass::Number(NumKind::I32)
        );
        assert_eq!(
            classify(&parse_quote!(std::primitive::u8)),
            TypeClass::Number(NumKind::U8)
        );
        assert_eq!(
            classify(&parse_quote!((f32))),
            TypeClass::Number(NumKind::F32)
        );
        assert_eq!(classify(&parse_quote!(u64)), TypeClass::Int64);
        assert_eq!(
            classify(&parse_quote!(opwire::ResourceId)),
            TypeClass::ResourceId
        );
        assert_eq!(classify(&parse_quote!(&str)), TypeClass::StrRef);
        assert_eq!(
            classify(&parse_quote!(std::borrow::Cow<'_, str>)),
            TypeClass::CowStr
        );
        assert_eq!(
            classify(&parse_quote!(&mut OpState)),
            TypeClass::StateRef { mutable: true }
        );
        assert_eq!(
            classify(&parse_quote!(&opwire::OpState)),
            TypeClass::StateRef { mutable: false }
        );
        assert_eq!(
            classify(&parse_quote!(Rc<RefCell<OpState>>)),
            TypeClass::StateRc
        );
        assert_eq!(
            classify(&parse_quote!(&mut v8::PinScope<'s, '_>)),
            TypeClass::Scope
        );
        assert_eq!(
            classify(&parse_quote!(v8::Local<'s, v8::Function>)),
            TypeClass::Local("Function".to_owned())
        );
        assert_eq!(classify(&parse_quote!(())), TypeClass::Unit);
        assert_eq!(classify(&parse_quote!(Vec<u8>)), TypeClass::Bytes);
        assert_eq!(classify(&parse_quote!(Box<[u8]>)), TypeClass::Bytes);
        assert_eq!(
            classify(&parse_quote!(opwire::JsBufferMut)),
            TypeClass::Bytes
        );
        assert_eq!(
            classify(&parse_quote!(&[u8])),
            TypeClass::Slice { mutable: false }
        );
        assert_eq!(
            classify(&parse_quote!(&mut [u8])),
            TypeClass::Slice { mutable: true }
        );
        assert_eq!(classify(&parse_quote!(Vec<u32>)), TypeClass::Other);
        assert_eq!(
            classify(&parse_quote!(opwire::JsCallback)),
            TypeClass::Callback
        );
        assert!(matches!(
            classify(&parse_quote!(Option<bool>)),
            TypeClass::Option(_)
        ));
        assert!(matches!(
            classify(&parse_quote!(io::Result<u32>)),
            TypeClass::Result(_)
        ));
    }

    #[test]
    fn type_strings_are_tight() {
        assert_eq!(type_string(&parse_quote!(Option<u32>)), "Option<u32>");
        assert_eq!(type_string(&parse_quote!(&str)), "&str");
        assert_eq!(type_string(&parse_quote!(&mut OpState)), "&mut OpState");
        assert_eq!(
            type_string(&parse_quote!(Result<f64, OpError>)),
            "Result<f64, OpError>"
        );
        assert_eq!(
            type_string(&parse_quote!(v8::Local<'s, v8::Value>)),
            "v8::Local<'s, v8::Value>"
        );
    }
}
