//! `#[op(...)]` options.

use proc_macro2::{Span, TokenStream};
use syn::LitStr;
use syn::parse::Parser;

use super::attr::Attr;
use crate::diag::Diag;

/// What `#[op(...)]` asked for.
#[derive(Debug, Default)]
pub(crate) struct OpConfig {
    /// `rename = "name"`: the JS name, instead of the function's name.
    pub(crate) rename: Option<String>,
    /// `blocking`: run the sync fn on tokio's blocking pool; JS gets a promise.
    pub(crate) blocking: Option<Span>,
    /// `async(lazy)`: do not poll the future during the JS call.
    pub(crate) lazy: Option<Span>,
    /// `fast`: require a V8 fast path (an error if the signature has none).
    pub(crate) fast: Option<Span>,
    /// `nofast`: no fast path even if the signature allows one.
    pub(crate) nofast: Option<Span>,
    /// `wrapping`: integer arguments of at most 32 bits wrap (WebIDL
    /// without `[EnforceRange]`, deno_core's rule) instead of being
    /// range-checked.
    pub(crate) wrapping: Option<Span>,
}

const KNOWN: &str = "`rename = \"...\"`, `blocking`, `async(lazy)`, `fast`, `nofast`, `wrapping`";

impl OpConfig {
    /// Parses the attribute's arguments, recording every problem in `diag`.
    pub(crate) fn parse(attr: TokenStream, diag: &Diag) -> OpConfig {
        let mut rename = Attr::none(diag, "duplicate op option `rename`");
        let mut blocking = Attr::none(diag, "duplicate op option `blocking`");
        let mut lazy = Attr::none(diag, "duplicate op option `async(lazy)`");
        let mut fast = Attr::none(diag, "duplicate op option `fast`");
        let mut nofast = Attr::none(diag, "duplicate op option `nofast`");
        let mut wrapping = Attr::none(diag, "duplicate op option `wrapping`");
        let parser = syn::meta::parser(|meta| {
            let path = &meta.path;
            let span = path
                .segments
                .first()
                .map_or_else(Span::call_site, |s| s.ident.span());
            if path.is_ident("rename") {
                let lit: LitStr = meta.value()?.parse()?;
                let name = lit.value();
                let valid = is_js_identifier(&name);
                rename.set(path, name);
                if !valid {
                    let name = lit.value();
                    diag.spanned(&lit, format!("`{name}` is not a valid JS identifier"));
                }
                Ok(())
            } else if path.is_ident("fast") || path.is_ident("nofast") {
                let slot = if path.is_ident("fast") {
                    &mut fast
                } else {
                    &mut nofast
                };
                slot.set(path, span);
                if fast.is_some() && nofast.is_some() {
                    diag.at(span, "use only one of `fast` and `nofast`");
                }
                Ok(())
            } else if path.is_ident("wrapping") {
                wrapping.set(path, span);
                Ok(())
            } else if path.is_ident("blocking") {
                blocking.set(path, span);
                Ok(())
            } else if path.is_ident("async") {
                meta.parse_nested_meta(|inner| {
                    if inner.path.is_ident("lazy") {
                        lazy.set(path, span);
                        Ok(())
                    } else if inner.path.is_ident("eager") {
                        Ok(())
                    } else {
                        Err(inner.error("expected `async(lazy)` or `async(eager)`"))
                    }
                })
            } else {
                let key = path
                    .get_ident()
                    .map_or_else(|| "?".to_owned(), ToString::to_string);
                Err(meta.error(format!("unknown op option `{key}`; expected {KNOWN}")))
            }
        });
        if let Err(e) = parser.parse2(attr) {
            diag.push(e);
        }
        OpConfig {
            rename: rename.get(),
            blocking: blocking.get(),
            lazy: lazy.get(),
            fast: fast.get(),
            nofast: nofast.get(),
            wrapping: wrapping.get(),
        }
    }
}

fn is_js_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> (OpConfig, bool) {
        let diag = Diag::new();
        let config = OpConfig::parse(tokens, &diag);
        (config, diag.finish().is_some())
    }

    #[test]
    fn empty_and_rename() {
        let (c, err) = parse(quote!());
        assert!(c.rename.is_none() && c.blocking.is_none() && c.lazy.is_none() && !err);
        let (c, err) = parse(quote!(rename = "add"));
        assert_eq!(c.rename.as_deref(), Some("add"));
        assert!(!err);
    }

    #[test]
    fn blocking_and_lazy() {
        let (c, err) = parse(quote!(blocking));
        assert!(c.blocking.is_some() && !err);
        let (c, err) = parse(quote!(async(lazy)));
        assert!(c.lazy.is_some() && !err);
        let (c, err) = parse(quote!(async(eager), rename = "x"));
        assert!(c.lazy.is_none() && !err);
    }

    #[test]
    fn unknown_and_bad_values_are_errors() {
        assert!(parse(quote!(bogus)).1);
        assert!(parse(quote!(fast, nofast)).1);
        assert!(!parse(quote!(fast)).1);
        assert!(parse(quote!(async(later))).1);
        assert!(parse(quote!(rename = "not valid")).1);
        assert!(parse(quote!(rename = 3)).1);
        assert!(parse(quote!(rename = "a", rename = "b")).1);
        assert!(parse(quote!(blocking, blocking)).1);
    }

    /// Every option's repeat is reported once per repeat, with the message
    /// each had before `Attr` (the UI tests compare them).
    #[test]
    fn each_duplicate_option_is_reported_once() {
        let cases = [
            (
                quote!(rename = "a", rename = "b", rename = "c"),
                "rename",
                2,
            ),
            (quote!(fast, fast), "fast", 1),
            (quote!(nofast, nofast), "nofast", 1),
            (quote!(blocking, blocking), "blocking", 1),
            (quote!(async(lazy), async(lazy)), "async(lazy)", 1),
            (quote!(async(lazy, lazy)), "async(lazy)", 1),
        ];
        for (tokens, key, repeats) in cases {
            let diag = Diag::new();
            let config = OpConfig::parse(tokens, &diag);
            let errors = diag.finish().expect("errors").to_string();
            let message = format!("\"duplicate op option `{key}`\"");
            assert_eq!(errors.matches(&message).count(), repeats, "{errors}");
            assert_eq!(errors.matches("compile_error").count(), repeats, "{errors}");
            if key == "rename" {
                assert_eq!(config.rename.as_deref(), Some("c"), "the last one is kept");
            }
        }
    }
}
