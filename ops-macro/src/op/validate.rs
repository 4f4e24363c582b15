//! Rules about the function as a whole and about arguments together. Each
//! rule says why it exists.

use syn::ItemFn;

use super::args::{ArgKind, StateAccess};
use super::config::OpConfig;
use super::signature::{OpMode, OpSignature};
use super::types::{TypeClass, classify};
use crate::diag::Diag;

/// Checks `func` and its model, recording every broken rule in `diag`.
pub(crate) fn validate(func: &ItemFn, config: &OpConfig, sig: &OpSignature, diag: &Diag) {
    let s = &func.sig;
    async_rules(func, config, sig, diag);

    // `wrapping` changes how ≤32-bit integers convert; without one it
    // would do nothing, which is likely a mistake.
    //     #[op(wrapping)] fn op_len(s: &str) -> u32
    if let Some(span) = config.wrapping {
        let has_int = sig
            .args
            .iter()
            .any(|a| matches!(a.kind, ArgKind::Number(kind) if kind.is_int()));
        if !has_int {
            diag.at(
                span,
                "`wrapping` applies to integer arguments of 32 bits or fewer, and this op has none",
            );
        }
    }

    // The generated callback calls the function with concrete types; a
    // generic op has no single callback. Lifetimes are fine.
    //     #[op] fn op_id<T>(x: T) -> T
    for param in &s.generics.params {
        if !matches!(param, syn::GenericParam::Lifetime(_)) {
            diag.spanned(param, "an op cannot have type or const parameters");
        }
    }

    // JS cannot uphold an `unsafe fn`'s contract.
    if let Some(u) = &s.unsafety {
        diag.spanned(
            u,
            "an op cannot be an `unsafe fn`; make it safe and keep the `unsafe` block inside",
        );
    }
    if let Some(v) = &s.variadic {
        diag.spanned(v, "an op cannot be variadic");
    }

    // `OpState` lives in a `RefCell`: a `&mut OpState` next to any other
    // state argument would borrow it twice.
    //     #[op] fn op_x(a: &mut OpState, b: &OpState)
    let states: Vec<_> = sig
        .args
        .iter()
        .filter_map(|a| match a.kind {
            ArgKind::State(access) => Some((access, a)),
            _ => None,
        })
        .collect();
    if states.len() > 1 && states.iter().any(|(access, _)| *access == StateAccess::Mut) {
        for (_, arg) in &states[1..] {
            diag.at(
                arg.span,
                "`&mut OpState` cannot be combined with another state argument",
            );
        }
    }

    // There is one V8 scope per call, borrowed mutably.
    let scopes: Vec<_> = sig
        .args
        .iter()
        .filter(|a| a.kind == ArgKind::Scope)
        .collect();
    for arg in scopes.iter().skip(1) {
        diag.at(arg.span, "an op can take the V8 scope only once");
    }

    // The runtime checks that a `&mut [u8]` does not alias the call's other
    // buffer views; it tracks at most 8 of them.
    let slices = sig
        .args
        .iter()
        .filter(|a| matches!(a.kind, ArgKind::Slice { .. }))
        .count();
    if slices > 8 {
        diag.spanned(
            &s.inputs,
            "an op can take at most 8 `&[u8]`/`&mut [u8]` arguments",
        );
    }

    if sig.js_args().count() > 64 {
        diag.spanned(&s.inputs, "an op can take at most 64 arguments from JS");
    }
}

/// Rules for ops that hand JS a promise.
fn async_rules(func: &ItemFn, config: &OpConfig, sig: &OpSignature, diag: &Diag) {
    // `blocking` moves a sync fn to another thread; an async fn already
    // yields instead of blocking.
    //     #[op(blocking)] async fn op_x()
    if let (Some(span), true) = (
        config.blocking,
        func.sig.asyncness.is_some() || sig.ret.future,
    ) {
        diag.at(
            span,
            "#[op(blocking)] is for sync functions; an async op already runs without blocking",
        );
    }
    // Laziness is about when a future is first polled; sync ops have none.
    if let (Some(span), false) = (config.lazy, matches!(sig.mode, OpMode::Async { .. })) {
        diag.at(span, "`async(lazy)` applies to async ops only");
    }
    if !sig.is_async() {
        return;
    }
    let what = if sig.mode == OpMode::Blocking {
        "blocking"
    } else {
        "async"
    };
    // The op runs after the JS call returns: everything it takes must be
    // owned, because JS strings, buffers, handles and the state borrow are
    // only valid during the call.
    //     #[op] async fn op_read(path: &str)   // use String
    for arg in &sig.args {
        let advice = match (&arg.kind, sig.mode) {
            (ArgKind::Str(_), _) => Some("take `String` instead".to_owned()),
            (ArgKind::Slice { .. }, _) => Some(
                "take `Vec<u8>` (a copy), `JsBuffer` or `JsBufferMut` (shared, no copy) instead"
                    .to_owned(),
            ),
            (ArgKind::State(StateAccess::Ref | StateAccess::Mut), OpMode::Async { .. }) => {
                Some("take `state: Rc<RefCell<OpState>>` instead".to_owned())
            }
            (ArgKind::State(_), OpMode::Blocking) => Some(
                "blocking ops run on another thread, where `OpState` is not available".to_owned(),
            ),
            (ArgKind::Scope, _) => Some("the V8 scope exists only during the call".to_owned()),
            (ArgKind::Class { this: true, .. }, _) => None,
            (ArgKind::Class { .. }, _) => Some(
                "a class object is borrowed only during the call; copy what the op needs out of it first"
                    .to_owned(),
            ),
            (ArgKind::Value, _) if borrows(&arg.ty) => Some(
                "take an owned type (a `v8::Local` or reference lives only during the call)"
                    .to_owned(),
            ),
            _ => None,
        };
        if let Some(advice) = advice {
            diag.at(
                arg.span,
                format!(
                    "{what} ops take owned arguments: `{}` borrows; {advice}",
                    arg.name
                ),
            );
        }
    }
}

/// Whether `ty` is a reference or a `v8::Local`.
fn borrows(ty: &syn::Type) -> bool {
    match classify(ty) {
        TypeClass::Option(inner) => borrows(&inner),
        TypeClass::Local(_) => true,
        _ => matches!(ty, syn::Type::Reference(_)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn errors(func: ItemFn) -> String {
        errors_with(func, quote::quote!())
    }

    pub(super) fn errors_with(mut func: ItemFn, attr: proc_macro2::TokenStream) -> String {
        let diag = Diag::new();
        let config = OpConfig::parse(attr, &diag);
        let sig = OpSignature::parse(&mut func, &config, &diag);
        validate(&func, &config, &sig, &diag);
        diag.finish().map(|t| t.to_string()).unwrap_or_default()
    }

    #[test]
    fn accepts_plain_ops() {
        assert_eq!(
            errors(parse_quote!(
                fn op_a<'s>(a: &OpState, b: Rc<RefCell<OpState>>) {}
            )),
            ""
        );
    }

    #[test]
    fn wrapping_needs_a_small_integer_argument() {
        let e = errors_with(
            parse_quote!(
                fn op_a(s: &str, f: f64) {}
            ),
            quote::quote!(wrapping),
        );
        assert!(e.contains("`wrapping` applies to integer arguments"), "{e}");
        let e = errors_with(
            parse_quote!(
                fn op_a(s: &str, n: u16) {}
            ),
            quote::quote!(wrapping),
        );
        assert_eq!(e, "");
    }

    #[test]
    fn rejects_what_cannot_be_an_op() {
        let e = errors(parse_quote!(
            unsafe fn op_a<T>(a: &mut OpState, b: &OpState) {}
        ));
        assert!(e.contains("type or const parameters"), "{e}");
        assert!(e.contains("unsafe fn"), "{e}");
        assert!(e.contains("cannot be combined"), "{e}");
    }
}

#[cfg(test)]
mod async_tests {
    use super::tests::errors_with;
    use quote::quote;
    use syn::parse_quote;

    #[test]
    fn async_ops_take_owned_arguments() {
        let e = errors_with(
            parse_quote!(
                async fn op_a(
                    a: &str,
                    s: &mut OpState,
                    v: v8::Local<v8::Value>,
                    ok: String,
                    st: Rc<RefCell<OpState>>,
                ) {
                }
            ),
            quote!(),
        );
        assert!(
            e.contains("async ops take owned arguments: `a` borrows; take `String` instead"),
            "{e}"
        );
        assert!(
            e.contains("`s` borrows; take `state: Rc<RefCell<OpState>>` instead"),
            "{e}"
        );
        assert!(e.contains("`v` borrows"), "{e}");
        assert!(e.contains("cannot be combined"), "{e}");
        assert_eq!(e.matches("compile_error").count(), 4, "{e}");
    }

    #[test]
    fn blocking_and_lazy_rules() {
        let e = errors_with(
            parse_quote!(
                async fn op_a() {}
            ),
            quote!(blocking),
        );
        assert!(e.contains("is for sync functions"), "{e}");
        let e = errors_with(
            parse_quote!(
                fn op_a() {}
            ),
            quote!(async(lazy)),
        );
        assert!(e.contains("applies to async ops only"), "{e}");
        let e = errors_with(
            parse_quote!(
                fn op_a(s: &OpState) {}
            ),
            quote!(blocking),
        );
        assert!(e.contains("blocking ops take owned arguments"), "{e}");
        assert_eq!(
            errors_with(
                parse_quote!(
                    fn op_a(s: String) -> u32 {
                        0
                    }
                ),
                quote!(blocking)
            ),
            ""
        );
        assert_eq!(
            errors_with(
                parse_quote!(
                    fn op_a() -> impl Future<Output = u32> {
                        async { 0 }
                    }
                ),
                quote!(async(lazy))
            ),
            ""
        );
    }
}
