//! The V8 Fast API function of an op, written from its [`FastPlan`]
//! (`op/fast_plan.rs` decides whether there is one and its C types).

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::shared::{Output, async_future, inject_state, wrap_ret};
use super::slow::class_pass;
use crate::op::args::{ArgKind, ClassAccess};
use crate::op::conv::Int64Mode;
use crate::op::fast_plan::{CType, FastParam, FastPlan};
use crate::op::signature::{OpMode, OpSignature};
use crate::op::types::NumKind;

/// `::opwire::__private::Type::<variant>`.
impl ToTokens for CType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let variant = match self {
            CType::Void => quote!(Void),
            CType::Bool => quote!(Bool),
            CType::Int32 => quote!(Int32),
            CType::Uint32 => quote!(Uint32),
            CType::Int64 => quote!(Int64),
            CType::Float32 => quote!(Float32),
            CType::Float64 => quote!(Float64),
            CType::V8Value => quote!(V8Value),
            CType::SeqOneByteString => quote!(SeqOneByteString),
            CType::CallbackOptions => quote!(CallbackOptions),
        };
        tokens.extend(quote!(::opwire::__private::Type::#variant));
    }
}

/// A parameter's `CTypeInfo`: `Type::X.as_info()` (no flags: the plan
/// needs none).
fn info(ty: CType) -> TokenStream {
    quote!(#ty.as_info())
}

/// The Rust type V8 passes a parameter of C type `ty` as.
fn raw_type(ty: CType) -> TokenStream {
    let p = quote!(::opwire::__private);
    match ty {
        CType::Int32 => quote!(i32),
        CType::Uint32 => quote!(u32),
        CType::Int64 => quote!(i64),
        CType::Float64 => quote!(f64),
        CType::V8Value => quote!(#p::Local<'__s, ::opwire::v8::Value>),
        CType::SeqOneByteString => quote!(*const #p::FastApiOneByteString),
        CType::Void | CType::Bool | CType::Float32 | CType::CallbackOptions => {
            unreachable!("not a parameter type the plan uses")
        }
    }
}

/// The `FAST` constant and the fast function.
pub(crate) fn emit(sig: &OpSignature, plan: &FastPlan) -> TokenStream {
    let p = quote!(::opwire::__private);
    // The receiver comes first.
    let mut infos = vec![info(CType::V8Value)];
    let mut raw_params = Vec::new();
    // The C parameters' names, in order (what the fast functions pass on).
    let mut raw_names = Vec::new();
    let mut lets = Vec::new();
    let mut call_args = Vec::new();
    let mut js = 0usize;
    for (i, (param, arg)) in plan.params.iter().zip(&sig.args).enumerate() {
        let raw = format_ident!("__p{i}");
        let var = format_ident!("__a{i}");
        let ty = &arg.ty;
        let Some(c_param) = param.c_param() else {
            let (stmt, pass) = match (param, &arg.kind) {
                (FastParam::State(access), _) => inject_state(*access, &var, &quote!(__fx)),
                (FastParam::This(access), ArgKind::Class { class, .. }) => {
                    let method = match access {
                        ClassAccess::Ref => quote!(this_ref),
                        ClassAccess::Mut => quote!(this_mut),
                        ClassAccess::Rc => quote!(this_rc),
                    };
                    let binding = if *access == ClassAccess::Mut {
                        quote!(mut #var)
                    } else {
                        quote!(#var)
                    };
                    (
                        quote!(let #binding = __fx.#method::<#class>(__recv)?;),
                        class_pass(*access, &var),
                    )
                }
                _ => unreachable!("only injected arguments have no C type"),
            };
            lets.push(stmt);
            call_args.push(pass);
            continue;
        };
        let read = match param {
            FastParam::Number(NumKind::F64) => quote!(let #var = #raw;),
            // V8 already wrapped the Number into 32 bits; narrower types
            // keep the low bits, as WebIDL's `byte`/`octet`/`short` do.
            FastParam::Wrapped(_) => quote!(let #var = #raw as #ty;),
            FastParam::Number(NumKind::F32) => quote!(let #var = #raw as f32;),
            FastParam::Number(kind) => {
                let name = kind.name();
                quote!(let #var = __fx.narrow::<#ty>(#raw, #js, #name)?;)
            }
            FastParam::Int64 => {
                let ArgKind::Int64 { int, .. } = &arg.kind else {
                    unreachable!("planned as Int64")
                };
                quote!(let #var = __fx.int64::<#int>(#raw, #js)?;)
            }
            FastParam::Bool => quote!(let #var = __fx.bool(#raw, #js)?;),
            FastParam::OneByteStr => {
                let buf = format_ident!("__a{i}_buf");
                quote! {
                    let #buf;
                    let #var: &str = match __fx.ascii(#raw) {
                        ::core::option::Option::Some(__s) => __s,
                        ::core::option::Option::None => {
                            #buf = __fx.latin1(#raw);
                            #buf.as_str()
                        }
                    };
                }
            }
            FastParam::Slice { mutable } => {
                let method = if *mutable {
                    quote!(slice_mut)
                } else {
                    quote!(slice)
                };
                let store = format_ident!("__a{i}_store");
                quote!(let mut #store = #p::ViewStore::new(); let #var = __fx.#method(#raw, #js, &mut #store)?;)
            }
            FastParam::State(_) | FastParam::This(_) => {
                unreachable!("injected arguments have no C type")
            }
        };
        js += 1;
        let raw_ty = raw_type(c_param);
        raw_params.push(quote!(#raw: #raw_ty));
        raw_names.push(raw);
        infos.push(info(c_param));
        lets.push(read);
        call_args.push(quote!(#var));
    }
    let start = match sig.mode {
        OpMode::Sync => None,
        OpMode::Async { lazy: false } => Some(quote!(Eager)),
        OpMode::Async { lazy: true } | OpMode::Blocking => Some(quote!(Lazy)),
    };
    // A sync op that needs no context during the call takes no options
    // when unmetered (see `dispatch_fast_free`).
    let free = start.is_none() && !plan.needs_context();
    let free_infos = infos.clone();
    infos.push(info(CType::CallbackOptions));
    if start.is_some() {
        // Async ops: the JS wrapper passes the promise id first.
        raw_params.insert(0, quote!(__pid: i32));
        infos.insert(1, info(CType::Int32));
    }
    let f = &sig.fn_name;
    let ret_info = plan.ret;
    // The plan admits no `#[serde]` or `#[bigint]` return value: the value
    // is returned as it is, or as a `#[number]`.
    let (result, value_ty) = match &sig.ret.ty {
        None => (quote!(__r), quote!(())),
        Some(ty) if sig.ret.int64 == Some(Int64Mode::Number) => (
            wrap_ret(&sig.ret, Output::Value),
            quote!(<#ty as #p::WrapNumber>::Out),
        ),
        Some(ty) => (wrap_ret(&sig.ret, Output::Value), quote!(#ty)),
    };
    let ret_ty = quote!(<#value_ty as #p::FastRet>::Raw);
    let info_const = |name: &str, infos: &[TokenStream]| {
        let name = format_ident!("{name}");
        quote! {
            const #name: &'static #p::CFunctionInfo = &#p::CFunctionInfo::new(
                #ret_info.as_info(),
                &[#(#infos),*],
                #p::Int64Representation::Number,
            );
        }
    };
    let options_fn = |dispatch: TokenStream| {
        quote! {
            extern "C" fn __opwire_fast<'__s, const __M: bool>(
                __recv: #p::Local<'__s, ::opwire::v8::Object>,
                #(#raw_params,)*
                __opts: *mut #p::FastApiCallbackOptions<'__s>,
            ) -> #ret_ty {
                // SAFETY: V8 calls this with the options of a fast call to a
                // function the runtime created for this op.
                unsafe { #dispatch }
            }
        }
    };
    let fast = |f: TokenStream, info: &str| {
        let info = format_ident!("{info}");
        quote!(#p::CFunction::new(Self::#f as *const ::core::ffi::c_void, Self::#info))
    };
    let metered = fast(quote!(__opwire_fast::<true>), "__OPWIRE_FAST_INFO");
    let functions = match start {
        None => {
            let call = quote!(Self::__opwire_fast_body(__fx, __recv, #(#raw_names),*));
            let mut out = quote! {
                #[inline(always)]
                unsafe fn __opwire_fast_body<'__s>(
                    __fx: &#p::FastCx<'__s>,
                    __recv: #p::Local<'__s, ::opwire::v8::Object>,
                    #(#raw_params,)*
                ) -> ::core::result::Result<#value_ty, #p::FastFail> {
                    // SAFETY: the parameters are what V8 passed to the
                    // current fast call.
                    unsafe {
                        #(#lets)*
                        let __r = #f(#(#call_args),*);
                        ::core::result::Result::Ok(#result)
                    }
                }
            };
            out.extend(options_fn(
                quote!(#p::dispatch_fast(__opts, __M, |__fx| #call)),
            ));
            if free {
                out.extend(info_const("__OPWIRE_FAST_INFO_FREE", &free_infos));
                out.extend(quote! {
                    extern "C" fn __opwire_fast_free<'__s>(
                        __recv: #p::Local<'__s, ::opwire::v8::Object>,
                        #(#raw_params,)*
                    ) -> #ret_ty {
                        // SAFETY: V8 calls this for this op, in a runtime that
                        // marks its isolate running while its JS runs.
                        unsafe { #p::dispatch_fast_free(&Self::DECL, |__fx| #call) }
                    }
                });
            }
            out
        }
        Some(start) => {
            let future = async_future(sig, &call_args);
            options_fn(quote! {
                #p::dispatch_fast_async(__opts, __pid, #p::Start::#start, __M, |__fx| {
                    #(#lets)*
                    #future
                })
            })
        }
    };
    let unmetered = if free {
        fast(quote!(__opwire_fast_free), "__OPWIRE_FAST_INFO_FREE")
    } else {
        fast(quote!(__opwire_fast::<false>), "__OPWIRE_FAST_INFO")
    };
    let options_info = info_const("__OPWIRE_FAST_INFO", &infos);
    quote! {
        #options_info

        const __OPWIRE_FAST: &'static [#p::CFunction; 2] = &[#unmetered, #metered];

        #functions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each C type renders as the path the plan's strings used to be
    /// formatted into.
    #[test]
    fn c_types_render_as_the_old_names() {
        for (c_type, old) in [
            (CType::Void, "Void"),
            (CType::Bool, "Bool"),
            (CType::Int32, "Int32"),
            (CType::Uint32, "Uint32"),
            (CType::Int64, "Int64"),
            (CType::Float32, "Float32"),
            (CType::Float64, "Float64"),
            (CType::V8Value, "V8Value"),
            (CType::SeqOneByteString, "SeqOneByteString"),
            (CType::CallbackOptions, "CallbackOptions"),
        ] {
            let ident = format_ident!("{}", old);
            assert_eq!(
                c_type.to_token_stream().to_string(),
                quote!(::opwire::__private::Type::#ident).to_string()
            );
        }
    }

    #[test]
    fn c_params_render_their_info() {
        let p = quote!(::opwire::__private);
        assert_eq!(
            info(CType::Int64).to_string(),
            quote!(#p::Type::Int64.as_info()).to_string()
        );
    }
}
