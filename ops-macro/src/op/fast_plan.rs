//! Whether an op gets a V8 Fast API path, and in what form: [`plan`] is a
//! pure decision over the model, [`decide`] applies `#[op(fast)]` and
//! `#[op(nofast)]` to it. `emit/fast.rs` writes the plan out.
//!
//! Parameters cross as C types chosen so the fast path applies the same
//! rules as the slow one: integers (8 to 32 bits, and `#[number]` 64-bit
//! ones) as plain `Int64`, which V8 passes only for a Number that is exactly
//! an integer within `i64` (NaN, infinities, fractions and larger values
//! take the slow path, which applies the whole rule); the runtime then
//! checks the Rust type's range. This is as fast as V8's truncating `Int32`
//! and, unlike `Int32` with `[EnforceRange]`, costs nothing extra on any
//! CPU. Floats cross as `Float64`, booleans as values (V8's `Bool` would
//! coerce), `&str` as a sequential one-byte string, buffers as values.

use proc_macro2::Span;

use super::args::{ArgKind, ArgSpec, ClassAccess, StateAccess, StrForm};
use super::config::OpConfig;
use super::conv::Int64Mode;
use super::signature::OpSignature;
use super::types::{NumKind, TypeClass};
use crate::diag::Diag;

/// A C type of V8's Fast API (`v8::fast_api::Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CType {
    Void,
    Bool,
    Int32,
    Uint32,
    /// A Number that is exactly an integer within `i64` (no flags).
    Int64,
    Float32,
    Float64,
    /// Any JS value, as a `v8::Local<v8::Value>`.
    V8Value,
    /// A sequential one-byte string.
    SeqOneByteString,
    /// The trailing `FastApiCallbackOptions`.
    CallbackOptions,
}

/// How one Rust argument reaches the fast function.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FastParam {
    /// A number of at most 32 bits, or a float.
    Number(NumKind),
    /// `#[number]` 64-bit integer, as `Int64`.
    Int64,
    /// `bool`, as a value.
    Bool,
    /// `&str`, as a sequential one-byte string.
    OneByteStr,
    /// `&[u8]` / `&mut [u8]`, as a value.
    Slice { mutable: bool },
    /// Injected, not a parameter.
    State(StateAccess),
    /// A class member's receiver, read from the fast call's receiver.
    This(ClassAccess),
    /// An integer of an `#[op(wrapping)]` op: V8's plain `Int32` or
    /// `Uint32`, wrapped into the Rust type.
    Wrapped(NumKind),
}

impl FastParam {
    /// What V8 passes for it; `None` for an injected argument.
    pub(crate) fn c_param(&self) -> Option<CType> {
        Some(match self {
            FastParam::Number(
                NumKind::I8
                | NumKind::I16
                | NumKind::I32
                | NumKind::U8
                | NumKind::U16
                | NumKind::U32,
            )
            | FastParam::Int64 => CType::Int64,
            FastParam::Number(NumKind::F32 | NumKind::F64) => CType::Float64,
            FastParam::Bool | FastParam::Slice { .. } => CType::V8Value,
            FastParam::OneByteStr => CType::SeqOneByteString,
            FastParam::Wrapped(NumKind::I8 | NumKind::I16 | NumKind::I32) => CType::Int32,
            FastParam::Wrapped(_) => CType::Uint32,
            FastParam::State(_) | FastParam::This(_) => return None,
        })
    }
}

/// The fast form of an op.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FastPlan {
    /// One per Rust argument, in order.
    pub(crate) params: Vec<FastParam>,
    /// The C return type: `Void`, `Bool`, `Int32`, `Uint32`, `Float32` or
    /// `Float64`.
    pub(crate) ret: CType,
}

impl FastPlan {
    /// Whether the fast function needs the op's context or the isolate on
    /// its success path (so V8's options): `OpState`, or a `&mut [u8]`
    /// (which may have to ask V8 for its memory).
    pub(crate) fn needs_context(&self) -> bool {
        self.params
            .iter()
            .any(|p| matches!(p, FastParam::State(_) | FastParam::Slice { mutable: true }))
    }
}

/// The fast form of `sig`, unless `#[op(nofast)]` or the signature has none.
/// When `#[op(fast)]` asked for one and there is none, says why.
pub(crate) fn decide(config: &OpConfig, sig: &OpSignature, diag: &Diag) -> Option<FastPlan> {
    if config.nofast.is_some() {
        return None;
    }
    match plan(sig) {
        Ok(plan) => Some(plan),
        Err((span, why)) => {
            if let Some(attr) = config.fast {
                // A span with no source text (made up by another macro)
                // would point nowhere; point at `fast` instead.
                let span = if span.source_text().is_some() {
                    span
                } else {
                    attr
                };
                diag.at(span, format!("#[op(fast)]: this op cannot be fast: {why}"));
            }
            None
        }
    }
}

/// The fast form of `sig`, or why there is none (with where to point).
pub(crate) fn plan(sig: &OpSignature) -> Result<FastPlan, (Span, String)> {
    if sig.constructor.is_some() {
        return Err((
            Span::call_site(),
            "a constructor needs the slow path (`new`)".to_owned(),
        ));
    }
    let mut params = Vec::new();
    let slices = sig
        .args
        .iter()
        .filter(|a| matches!(a.kind, ArgKind::Slice { .. }))
        .count();
    for arg in &sig.args {
        params.push(match arg.kind {
            ArgKind::Number(kind) if sig.wrapping && kind.is_int() && !arg.optional => {
                FastParam::Wrapped(kind)
            }
            _ => param(arg, slices)?,
        });
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
        ArgKind::Bool => Ok(FastParam::Bool),
        ArgKind::Number(kind) => Ok(FastParam::Number(*kind)),
        ArgKind::Value => no(
            "has a type with no fast-call form (fast calls take bool, numbers, &str, &[u8], &mut [u8], #[number] 64-bit integers and OpState)",
        ),
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
        ArgKind::Signal => no("is an AbortSignal, which needs the slow path"),
        ArgKind::Class {
            access, this: true, ..
        } => Ok(FastParam::This(*access)),
        ArgKind::Class { this: false, .. } => no("is a class object, which needs the slow path"),
    }
}

fn ret(sig: &OpSignature) -> Result<CType, (Span, String)> {
    let ret = &sig.ret;
    let Some(ty) = &ret.ty else {
        return Ok(CType::Void);
    };
    let no = || {
        Err((
            syn::spanned::Spanned::span(ty),
            "the return type has no fast-call form (fast calls return (), bool, numbers, #[number] 64-bit integers, or a Result of those)".into(),
        ))
    };
    if ret.serde || ret.nullable {
        return no();
    }
    Ok(match ret.class {
        TypeClass::Unit => CType::Void,
        TypeClass::Bool => CType::Bool,
        TypeClass::Int64 if ret.int64 == Some(Int64Mode::Number) => CType::Float64,
        TypeClass::Number(NumKind::I8 | NumKind::I16 | NumKind::I32) => CType::Int32,
        TypeClass::Number(NumKind::U8 | NumKind::U16 | NumKind::U32) => CType::Uint32,
        TypeClass::Number(NumKind::F32) => CType::Float32,
        TypeClass::Number(NumKind::F64) => CType::Float64,
        _ => return no(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{ItemFn, parse_quote};

    fn plan_of(mut func: ItemFn) -> Result<FastPlan, String> {
        let diag = Diag::new();
        let sig = OpSignature::parse(&mut func, &OpConfig::default(), &diag);
        assert!(diag.finish().is_none(), "the test signature is valid");
        plan(&sig).map_err(|(_, why)| why)
    }

    #[test]
    fn numbers_keep_the_kind_types_rs_found() {
        let plan = plan_of(parse_quote!(
            fn op_x(a: u8, b: i16, c: f32, d: f64, #[number] e: u64, s: &mut OpState) -> u16 {
                0
            }
        ))
        .unwrap();
        assert_eq!(
            plan.params,
            [
                FastParam::Number(NumKind::U8),
                FastParam::Number(NumKind::I16),
                FastParam::Number(NumKind::F32),
                FastParam::Number(NumKind::F64),
                FastParam::Int64,
                FastParam::State(StateAccess::Mut),
            ]
        );
        let c: Vec<_> = plan.params.iter().map(FastParam::c_param).collect();
        assert_eq!(
            c,
            [
                Some(CType::Int64),
                Some(CType::Int64),
                Some(CType::Float64),
                Some(CType::Float64),
                Some(CType::Int64),
                None,
            ]
        );
        assert_eq!(plan.ret, CType::Uint32);
    }

    #[test]
    fn return_c_types() {
        let cases: [(ItemFn, CType); 9] = [
            (
                parse_quote!(
                    fn op_x() {}
                ),
                CType::Void,
            ),
            (
                parse_quote!(
                    fn op_x() -> Result<(), E> {}
                ),
                CType::Void,
            ),
            (
                parse_quote!(
                    fn op_x() -> bool {}
                ),
                CType::Bool,
            ),
            (
                parse_quote!(
                    fn op_x() -> i8 {}
                ),
                CType::Int32,
            ),
            (
                parse_quote!(
                    fn op_x() -> u32 {}
                ),
                CType::Uint32,
            ),
            (
                parse_quote!(
                    fn op_x() -> Result<f32, E> {}
                ),
                CType::Float32,
            ),
            (
                parse_quote!(
                    fn op_x() -> f64 {}
                ),
                CType::Float64,
            ),
            (
                parse_quote!(
                    #[number]
                    fn op_x() -> Result<u64, E> {}
                ),
                CType::Float64,
            ),
            // The kind comes from the type, not from how it is spelled.
            (
                parse_quote!(
                    fn op_x() -> (std::primitive::u8) {}
                ),
                CType::Uint32,
            ),
        ];
        for (func, c_type) in cases {
            let name = quote::quote!(#func).to_string();
            assert_eq!(plan_of(func).map(|p| p.ret), Ok(c_type), "{name}");
        }
    }

    #[test]
    fn what_has_no_fast_form() {
        let why = |func| plan_of(func).unwrap_err();
        assert!(
            why(parse_quote!(
                fn op_x(a: Option<u32>) {}
            ))
            .contains("is optional")
        );
        assert!(
            why(parse_quote!(
                fn op_x(a: String) {}
            ))
            .contains("no fast-call form")
        );
        assert!(
            why(parse_quote!(
                fn op_x(#[bigint] a: u64) {}
            ))
            .contains("#[bigint]")
        );
        assert!(
            why(parse_quote!(
                fn op_x(a: &mut [u8], b: &[u8]) {}
            ))
            .contains("alias")
        );
        for func in [
            parse_quote!(
                fn op_x() -> Option<u32> {}
            ),
            parse_quote!(
                #[serde]
                fn op_x() -> u32 {}
            ),
            parse_quote!(
                #[bigint]
                fn op_x() -> u64 {}
            ),
            parse_quote!(
                fn op_x() -> String {}
            ),
        ] {
            assert!(why(func).starts_with("the return type has no fast-call form"));
        }
    }
}
