//! Rules about the function as a whole and about arguments together. Each
//! rule says why it exists.

use syn::ItemFn;

use super::args::{ArgKind, StateAccess};
use super::signature::OpSignature;
use crate::diag::Diag;

/// Checks `func` and its model, recording every broken rule in `diag`.
pub(crate) fn validate(func: &ItemFn, sig: &OpSignature, diag: &Diag) {
    let s = &func.sig;

    // `async fn` ops need the promise plumbing of the event loop.
    //     #[op] async fn op_sleep(ms: u32) { .. }
    if let Some(a) = &s.asyncness {
        diag.spanned(a, "async ops are not supported yet");
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

    if sig.js_args().count() > 64 {
        diag.spanned(&s.inputs, "an op can take at most 64 arguments from JS");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::op::config::OpConfig;
    use syn::parse_quote;

    fn errors(mut func: ItemFn) -> String {
        let diag = Diag::new();
        let sig = OpSignature::parse(&mut func, &OpConfig::default(), &diag);
        validate(&func, &sig, &diag);
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
    fn rejects_what_cannot_be_an_op() {
        let e = errors(parse_quote!(
            async unsafe fn op_a<T>(a: &mut OpState, b: &OpState) {}
        ));
        assert!(e.contains("async ops are not supported yet"), "{e}");
        assert!(e.contains("type or const parameters"), "{e}");
        assert!(e.contains("unsafe fn"), "{e}");
        assert!(e.contains("cannot be combined"), "{e}");
    }
}
