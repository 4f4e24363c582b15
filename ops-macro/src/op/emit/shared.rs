//! What the slow and fast paths write alike (deno_ops'
//! `dispatch_shared.rs`): the return-wrapping table, the call of an async
//! or blocking op, and the injected `OpState`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::op::args::StateAccess;
use crate::op::conv::Int64Mode;
use crate::op::ret::RetSpec;
use crate::op::signature::{OpMode, OpSignature};

/// What `__r`, the function's result, is when it is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Output {
    /// The value itself (a sync op).
    Value,
    /// A future of the value. A blocking op's future adds a `Result` of its
    /// own around the value (the blocking task can fail).
    Future { blocking: bool },
}

/// `__r` as the runtime takes it: a `#[serde]` value in `Serde`, a 64-bit
/// integer in its JS mode, anything else as it is. The one table for the
/// slow, fast and async paths.
pub(super) fn wrap_ret(ret: &RetSpec, output: Output) -> TokenStream {
    let p = quote!(::opwire::__private);
    match (ret.int64, output) {
        (None, _) if !ret.serde => quote!(__r),
        (None, Output::Value) => serde_in(quote!(__r), usize::from(ret.fallible)),
        (None, Output::Future { blocking }) => {
            let results = usize::from(ret.fallible) + usize::from(blocking);
            let wrap = serde_in(quote!(__v), results);
            quote!(#p::map_output(__r, |__v| #wrap))
        }
        (Some(Int64Mode::BigInt), Output::Value) => quote!(#p::WrapBigInt::wrap_bigint(__r)),
        (Some(Int64Mode::BigInt), Output::Future { .. }) => quote!(#p::map_bigint(__r)),
        (Some(Int64Mode::Number), Output::Value) => quote!(#p::WrapNumber::wrap_number(__r)),
        (Some(Int64Mode::Number), Output::Future { .. }) => quote!(#p::map_number(__r)),
    }
}

/// `value` wrapped in `Serde`, inside `results` layers of `Result`:
/// `Serde(v)`, `v.map(Serde)`, `v.map(|__x| __x.map(Serde))`.
fn serde_in(value: TokenStream, results: usize) -> TokenStream {
    match results {
        0 => quote!(::opwire::__private::Serde(#value)),
        1 => quote!(#value.map(::opwire::__private::Serde)),
        _ => {
            let inner = serde_in(quote!(__x), results - 1);
            quote!(#value.map(|__x| #inner))
        }
    }
}

/// For an async or blocking op: call the function with `call_args` and
/// return `Ok(future)`, its output wrapped by [`wrap_ret`].
pub(super) fn async_future(sig: &OpSignature, call_args: &[TokenStream]) -> TokenStream {
    let f = &sig.fn_name;
    let blocking = sig.mode == OpMode::Blocking;
    let call = if blocking {
        let name = &sig.js_name;
        quote!(::opwire::__private::blocking(#name, move || #f(#(#call_args),*)))
    } else {
        quote!(#f(#(#call_args),*))
    };
    let future = wrap_ret(&sig.ret, Output::Future { blocking });
    quote! {
        let __r = #call;
        ::core::result::Result::Ok(#future)
    }
}

/// The statement that borrows the op's `OpState` from the call context `cx`
/// (`__cx` or `__fx`) into `var`, and the expression passed to the function.
pub(super) fn inject_state(
    access: StateAccess,
    var: &Ident,
    cx: &TokenStream,
) -> (TokenStream, TokenStream) {
    match access {
        StateAccess::Ref => (quote!(let #var = #cx.state()?;), quote!(&#var)),
        StateAccess::Mut => (quote!(let mut #var = #cx.state_mut()?;), quote!(&mut #var)),
        StateAccess::Rc => (quote!(let #var = #cx.state_rc();), quote!(#var)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diag;
    use crate::op::config::OpConfig;
    use syn::{ItemFn, parse_quote};

    fn ret_of(mut func: ItemFn) -> RetSpec {
        let diag = Diag::new();
        let sig = OpSignature::parse(&mut func, &OpConfig::default(), &diag);
        assert!(diag.finish().is_none(), "the test signature is valid");
        sig.ret
    }

    fn wrapped(func: ItemFn, output: Output) -> String {
        wrap_ret(&ret_of(func), output).to_string()
    }

    #[test]
    fn plain_values_are_not_wrapped() {
        let f: ItemFn = parse_quote!(
            fn op_x() -> Result<u32, E> {}
        );
        assert_eq!(wrapped(f.clone(), Output::Value), "__r");
        assert_eq!(wrapped(f, Output::Future { blocking: true }), "__r");
    }

    #[test]
    fn serde_values_sit_inside_every_result() {
        let plain: ItemFn = parse_quote!(
            #[serde]
            fn op_x() -> Foo {}
        );
        let fallible: ItemFn = parse_quote!(
            #[serde]
            fn op_x() -> Result<Foo, E> {}
        );
        let serde = "::opwire::__private::Serde";
        let map = |w: &str| format!("::opwire::__private::map_output(__r, |__v| {w})");
        let expect = [
            (plain.clone(), Output::Value, format!("{serde}(__r)")),
            (fallible.clone(), Output::Value, format!("__r.map({serde})")),
            (
                plain.clone(),
                Output::Future { blocking: false },
                map(&format!("{serde}(__v)")),
            ),
            (
                plain,
                Output::Future { blocking: true },
                map(&format!("__v.map({serde})")),
            ),
            (
                fallible,
                Output::Future { blocking: true },
                map(&format!("__v.map(|__x| __x.map({serde}))")),
            ),
        ];
        for (func, output, want) in expect {
            let want: TokenStream = want.parse().unwrap();
            assert_eq!(wrapped(func, output), want.to_string(), "{output:?}");
        }
    }

    #[test]
    fn int64_values_take_their_mode() {
        let big: ItemFn = parse_quote!(
            #[bigint]
            fn op_x() -> u64 {}
        );
        let num: ItemFn = parse_quote!(
            #[number]
            fn op_x() -> Option<i64> {}
        );
        let p = "::opwire::__private";
        let expect = [
            (
                big.clone(),
                Output::Value,
                format!("{p}::WrapBigInt::wrap_bigint(__r)"),
            ),
            (
                big,
                Output::Future { blocking: false },
                format!("{p}::map_bigint(__r)"),
            ),
            (
                num.clone(),
                Output::Value,
                format!("{p}::WrapNumber::wrap_number(__r)"),
            ),
            (
                num,
                Output::Future { blocking: true },
                format!("{p}::map_number(__r)"),
            ),
        ];
        for (func, output, want) in expect {
            let want: TokenStream = want.parse().unwrap();
            assert_eq!(wrapped(func, output), want.to_string(), "{output:?}");
        }
    }
}
