//! The op's return value: `ReturnType` (+ `#[bigint]`/`#[number]` on the
//! function) → [`RetSpec`].

use syn::{Attribute, ReturnType, Type};

use super::conv::{self, Int64Mode};
use super::ts::{self, Dir, TsType};
use super::types::{TypeClass, classify, type_string};
use crate::diag::Diag;

/// The return value of an op.
#[derive(Debug, Clone)]
pub(crate) struct RetSpec {
    /// The declared type; `None` for no return type.
    pub(crate) ty: Option<Type>,
    /// What JS receives: the class of the value inside any `Result`, and
    /// inside the `Option` when `nullable`.
    pub(crate) class: TypeClass,
    /// The value is an `Option`: JS receives `null` for `None`.
    pub(crate) nullable: bool,
    /// 64-bit integers in it are wrapped for this mode.
    pub(crate) int64: Option<Int64Mode>,
    /// Whether the type is spelled as a `Result` (for metadata only; the
    /// generated code handles `Result` through a trait, so aliases work too).
    pub(crate) fallible: bool,
    /// The TypeScript type JS receives.
    pub(crate) ts_type: TsType,
    /// The Rust type as written.
    pub(crate) rust_type: String,
    /// The function returns `impl Future<Output = ..>`; `ty` is the output.
    pub(crate) future: bool,
    /// `#[serde]` on the function: the value goes through the serde bridge.
    pub(crate) serde: bool,
}

/// `T` of `impl Future<Output = T>`.
fn future_output(ty: &Type) -> Option<Type> {
    let Type::ImplTrait(it) = ty else { return None };
    it.bounds.iter().find_map(|bound| {
        let syn::TypeParamBound::Trait(t) = bound else {
            return None;
        };
        let last = t.path.segments.last()?;
        if last.ident != "Future" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::AssocType(assoc) if assoc.ident == "Output" => {
                Some(assoc.ty.clone())
            }
            _ => None,
        })
    })
}

/// Reads the return type, stripping the conversion attributes from the
/// function's attributes (`#[serde]`, `#[bigint]` and `#[number]` there
/// apply to the return value).
pub(crate) fn parse_ret(
    output: &ReturnType,
    fn_attrs: &mut Vec<Attribute>,
    diag: &Diag,
) -> RetSpec {
    let attrs = conv::take(fn_attrs, diag);
    attrs.check_fn(diag);
    let mut future = false;
    let ty = match output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match future_output(ty) {
            Some(out) => {
                future = true;
                Some(out)
            }
            None => Some((**ty).clone()),
        },
    };
    let rust_type = ty.as_ref().map_or_else(|| "()".to_owned(), type_string);
    let mut spec = RetSpec {
        ty,
        class: TypeClass::Unit,
        nullable: false,
        int64: attrs.int64.map(|(mode, _)| mode),
        fallible: false,
        // Without a return type there is no value for attributes to
        // convert: `void`.
        ts_type: TsType {
            base: ts::base(&TypeClass::Unit, None, false, Dir::Ret).into(),
            nullable: false,
        },
        rust_type,
        future,
        serde: attrs.serde.is_some(),
    };
    let Some(ty) = spec.ty.clone() else {
        attrs.check_ret(None, diag);
        return spec;
    };
    let mut class = classify(&ty);
    if let TypeClass::Result(ok) = class {
        spec.fallible = true;
        class = classify(&ok);
    }
    if let TypeClass::Option(inner) = class {
        spec.nullable = true;
        class = classify(&inner);
    }
    if !spec.serde {
        check_returnable(&class, spec.int64, &ty, diag);
    }
    attrs.check_ret(Some((&ty, &class)), diag);
    spec.ts_type = TsType {
        base: ts::base(&class, spec.int64, spec.serde, Dir::Ret).into(),
        nullable: spec.nullable,
    };
    spec.class = class;
    spec
}

/// Reports a (non-serde) return value of class `class` that cannot reach
/// JS as it is.
fn check_returnable(class: &TypeClass, int64: Option<Int64Mode>, ty: &Type, diag: &Diag) {
    match class {
        TypeClass::Slice { .. } => diag.spanned(
            ty,
            "a borrowed buffer cannot be returned; return Vec<u8> or Box<[u8]>",
        ),
        TypeClass::Int64 if int64.is_none() => diag.spanned(
            ty,
            "a 64-bit integer return value needs #[bigint] (a JS BigInt) or #[number] \
             (a JS Number, checked to ±(2^53 - 1)) on the function",
        ),
        TypeClass::StateRef { .. } | TypeClass::StateRc | TypeClass::Scope => {
            diag.spanned(ty, "this type cannot be returned to JS");
        }
        TypeClass::Callback => diag.spanned(
            ty,
            "a JsCallback cannot be returned to JS; return the function as a v8::Local<v8::Function>",
        ),
        _ => {}
    }
}
