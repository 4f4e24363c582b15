//! The V8 Fast API path: whether an op can have one ([`plan`], a pure
//! decision over the model) and the fast function itself ([`emit`]).
//!
//! Parameters cross as C types chosen so the fast path applies the same
//! rules as the slow one: 32-bit integers as `Int32`/`Uint32` with
//! `[EnforceRange]` (V8 then calls the slow path for values it refuses),
//! `#[number]` 64-bit integers as `Float64` (checked by the runtime),
//! booleans as values (V8's `Bool` would coerce), `&str` as a sequential
//! one-byte string, buffers as values.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::op::args::{ArgKind, ArgSpec, Int64Mode, StateAccess, StrForm};
use crate::op::signature::{OpMode, OpSignature};
use crate::op::types::{TypeClass, classify};

/// How one Rust argument reaches the fast function.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FastParam {
    /// `i8`..`u32`, `f32`, `f64` (and `#[number]` 64-bit) as `Float64`.
    Number,
    /// `#[number]` 64-bit integer, as `Float64`.
    Int64,
    /// `bool`, as a value.
    Bool,
    /// `&str`, as a sequential one-byte string.
    OneByteStr,
    /// `&[u8]` / `&mut [u8]`, as a value.
    Slice { mutable: bool },
    /// Injected, not a parameter.
    State(StateAccess),
}

/// The fast form of an op.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FastPlan {
    pub(crate) params: Vec<FastParam>,
    /// The C return type (`Void`, `Bool`, `Int32`, `Uint32`, `Float32`, `Float64`).
    pub(crate) ret: &'static str,
}

/// The fast form of `sig`, or why there is none (with where to point).
pub(crate) fn plan(sig: &OpSignature) -> Result<FastPlan, (Span, String)> {
    let mut params = Vec::new();
    let slices = sig
        .args
        .iter()
        .filter(|a| matches!(a.kind, ArgKind::Slice { .. }))
        .count();
    for arg in &sig.args {
        params.push(param(arg, slices)?);
    }
    Ok(FastPlan {
        params,
        ret: ret(sig)?,
    })
}

fn param(arg: &ArgSpec, slices: usize) -> Result<FastParam, (Span, String)> {
    let no = |why: &str| Err((arg.span, format!("argument `{}` {why}", arg.name)));
    if arg.optional {
        return no("is optional; fast calls take no `Option`");
    }
    match &arg.kind {
        ArgKind::Value => match classify(&arg.ty) {
            TypeClass::Bool => Ok(FastParam::Bool),
            TypeClass::Number => Ok(FastParam::Number),
            _ => no(
                "has a type with no fast-call form (fast calls take bool, numbers, &str, &[u8], &mut [u8], #[number] 64-bit integers and OpState)",
            ),
        },
        ArgKind::Int64 {
            mode: Int64Mode::Number,
            ..
        } => Ok(FastParam::Int64),
        ArgKind::Int64 {
            mode: Int64Mode::BigInt,
            ..
        } => no(
            "is a #[bigint]; V8's fast BigInt conversion wraps out-of-range values, so fast calls take 64-bit integers as #[number]",
        ),
        ArgKind::Str(StrForm::Ref) => Ok(FastParam::OneByteStr),
        ArgKind::Str(StrForm::Cow) => no("is a Cow<str>; take &str for a fast call"),
        ArgKind::Slice { mutable } if *mutable && slices > 1 => no(
            "is a `&mut [u8]` next to another buffer argument; a fast call cannot check that they do not alias",
        ),
        ArgKind::Slice { mutable } => Ok(FastParam::Slice { mutable: *mutable }),
        ArgKind::State(access) => Ok(FastParam::State(*access)),
        ArgKind::Scope => no("is the V8 scope, which fast calls do not have"),
        ArgKind::Serde => no("is #[serde]; serde conversion needs the slow path"),
    }
}

fn ret(sig: &OpSignature) -> Result<&'static str, (Span, String)> {
    let Some(ty) = &sig.ret.ty else {
        return Ok("Void");
    };
    let no = || {
        Err((
            syn::spanned::Spanned::span(ty),
            "the return type has no fast-call form (fast calls return (), bool, numbers, #[number] 64-bit integers, or a Result of those)".into(),
        ))
    };
    if sig.ret.serde {
        return no();
    }
    let mut class = classify(ty);
    if let TypeClass::Result(ok) = class {
        class = classify(&ok);
    }
    let name = match &class {
        TypeClass::Unit => return Ok("Void"),
        TypeClass::Bool => return Ok("Bool"),
        TypeClass::Int64 if sig.ret.int64 == Some(Int64Mode::Number) => return Ok("Float64"),
        TypeClass::Number => number_name(ty),
        _ => return no(),
    };
    Ok(match name.as_deref() {
        Some("i8" | "i16" | "i32") => "Int32",
        Some("u8" | "u16" | "u32") => "Uint32",
        Some("f32") => "Float32",
        Some("f64") => "Float64",
        _ => return no(),
    })
}

/// The numeric type name inside `ty` (through a `Result`).
fn number_name(ty: &syn::Type) -> Option<String> {
    match classify(ty) {
        TypeClass::Result(ok) => number_name(&ok),
        _ => match ty {
            syn::Type::Path(p) => crate::op::types::last_ident(p),
            _ => None,
        },
    }
}

/// The `FAST` constant and the fast function.
pub(crate) fn emit(sig: &OpSignature, plan: &FastPlan) -> TokenStream {
    let p = quote!(::opwire::__private);
    let mut raw_params = Vec::new();
    let mut infos = vec![quote!(#p::Type::V8Value.as_info())];
    let mut lets = Vec::new();
    let mut call_args = Vec::new();
    let mut js = 0usize;
    for (i, (param, arg)) in plan.params.iter().zip(&sig.args).enumerate() {
        let raw = format_ident!("__p{i}");
        let var = format_ident!("__a{i}");
        let ty = &arg.ty;
        let (raw_ty, info, read, pass) = match param {
            FastParam::Number => {
                let name = number_name(ty).unwrap_or_default();
                let enforce = quote!(#p::CTypeInfo::new(#p::Type::Int32, #p::Flags::EnforceRange));
                let enforce_u =
                    quote!(#p::CTypeInfo::new(#p::Type::Uint32, #p::Flags::EnforceRange));
                let (raw_ty, info, read) = match name.as_str() {
                    "f64" => (
                        quote!(f64),
                        quote!(#p::Type::Float64.as_info()),
                        quote!(let #var = #raw;),
                    ),
                    "f32" => (
                        quote!(f64),
                        quote!(#p::Type::Float64.as_info()),
                        quote!(let #var = #raw as f32;),
                    ),
                    "i32" => (quote!(i32), enforce, quote!(let #var = #raw;)),
                    "u32" => (quote!(u32), enforce_u, quote!(let #var = #raw;)),
                    "u8" | "u16" => (
                        quote!(u32),
                        enforce_u,
                        quote!(let #var = __fx.narrow::<#ty>(i64::from(#raw), #js, #name)?;),
                    ),
                    _ => (
                        quote!(i32),
                        enforce,
                        quote!(let #var = __fx.narrow::<#ty>(i64::from(#raw), #js, #name)?;),
                    ),
                };
                (raw_ty, info, read, quote!(#var))
            }
            FastParam::Int64 => {
                let ArgKind::Int64 { int, .. } = &arg.kind else {
                    unreachable!("planned as Int64")
                };
                (
                    quote!(f64),
                    quote!(#p::Type::Float64.as_info()),
                    quote!(let #var = __fx.int64::<#int>(#raw, #js)?;),
                    quote!(#var),
                )
            }
            FastParam::Bool => (
                quote!(#p::Local<'__s, ::opwire::v8::Value>),
                quote!(#p::Type::V8Value.as_info()),
                quote!(let #var = __fx.bool(#raw, #js)?;),
                quote!(#var),
            ),
            FastParam::OneByteStr => {
                let buf = format_ident!("__a{i}_buf");
                (
                    quote!(*const #p::FastApiOneByteString),
                    quote!(#p::Type::SeqOneByteString.as_info()),
                    quote! {
                        let #buf;
                        let #var: &str = match __fx.ascii(#raw) {
                            ::core::option::Option::Some(__s) => __s,
                            ::core::option::Option::None => {
                                #buf = __fx.latin1(#raw);
                                #buf.as_str()
                            }
                        };
                    },
                    quote!(#var),
                )
            }
            FastParam::Slice { mutable } => {
                let method = if *mutable {
                    quote!(slice_mut)
                } else {
                    quote!(slice)
                };
                let store = format_ident!("__a{i}_store");
                (
                    quote!(#p::Local<'__s, ::opwire::v8::Value>),
                    quote!(#p::Type::V8Value.as_info()),
                    quote!(let mut #store = #p::ViewStore::new(); let #var = __fx.#method(#raw, #js, &mut #store)?;),
                    quote!(#var),
                )
            }
            FastParam::State(StateAccess::Ref) => {
                lets.push(quote!(let #var = __fx.state()?;));
                call_args.push(quote!(&#var));
                continue;
            }
            FastParam::State(StateAccess::Mut) => {
                lets.push(quote!(let mut #var = __fx.state_mut()?;));
                call_args.push(quote!(&mut #var));
                continue;
            }
            FastParam::State(StateAccess::Rc) => {
                lets.push(quote!(let #var = __fx.state_rc();));
                call_args.push(quote!(#var));
                continue;
            }
        };
        js += 1;
        raw_params.push(quote!(#raw: #raw_ty));
        infos.push(info);
        lets.push(read);
        call_args.push(pass);
    }
    infos.push(quote!(#p::Type::CallbackOptions.as_info()));
    let start = match sig.mode {
        OpMode::Sync => None,
        OpMode::Async { lazy: false } => Some(quote!(Eager)),
        OpMode::Async { lazy: true } | OpMode::Blocking => Some(quote!(Lazy)),
    };
    if start.is_some() {
        // Async ops: the JS wrapper passes the promise id first.
        raw_params.insert(0, quote!(__pid: i32));
        infos.insert(1, quote!(#p::Type::Int32.as_info()));
    }
    let f = &sig.fn_name;
    let ret_info = format_ident!("{}", plan.ret);
    let (result, ret_ty) = match (&sig.ret.ty, sig.ret.int64) {
        (None, _) => (quote!(__r), quote!(())),
        (Some(ty), Some(Int64Mode::Number)) => (
            quote!(#p::WrapNumber::wrap_number(__r)),
            quote!(<<#ty as #p::WrapNumber>::Out as #p::FastRet>::Raw),
        ),
        (Some(ty), _) => (quote!(__r), quote!(<#ty as #p::FastRet>::Raw)),
    };
    let dispatch = match start {
        None => quote! {
            #p::dispatch_fast(__opts, |__fx| {
                #(#lets)*
                let __r = #f(#(#call_args),*);
                ::core::result::Result::Ok(#result)
            })
        },
        Some(start) => {
            let future = super::slow::async_future(sig, &call_args);
            quote! {
                #p::dispatch_fast_async(__opts, __pid, #p::Start::#start, |__fx| {
                    #(#lets)*
                    #future
                })
            }
        }
    };
    quote! {
        const __OPWIRE_FAST: &'static [#p::CFunction] = &[#p::CFunction::new(
            Self::__opwire_fast as *const ::core::ffi::c_void,
            &#p::CFunctionInfo::new(
                #p::Type::#ret_info.as_info(),
                &[#(#infos),*],
                #p::Int64Representation::Number,
            ),
        )];

        #[allow(
            clippy::undocumented_unsafe_blocks,
            clippy::too_many_arguments,
            clippy::cast_possible_truncation,
            unused_mut
        )]
        extern "C" fn __opwire_fast<'__s>(
            __recv: #p::Local<'__s, ::opwire::v8::Object>,
            #(#raw_params,)*
            __opts: *mut #p::FastApiCallbackOptions<'__s>,
        ) -> #ret_ty {
            // SAFETY: V8 calls this with the options of a fast call to a
            // function the runtime created for this op.
            unsafe { #dispatch }
        }
    }
}
