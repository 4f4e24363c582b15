//! `#[op(...)]` options.

use proc_macro2::TokenStream;
use syn::LitStr;
use syn::parse::Parser;

use crate::diag::Diag;

/// What `#[op(...)]` asked for.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct OpConfig {
    /// `rename = "name"`: the JS name, instead of the function's name.
    pub(crate) rename: Option<String>,
}

const KNOWN: &str = "`rename = \"...\"`";

impl OpConfig {
    /// Parses the attribute's arguments, recording every problem in `diag`.
    pub(crate) fn parse(attr: TokenStream, diag: &Diag) -> OpConfig {
        let mut config = OpConfig::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("rename") {
                let lit: LitStr = meta.value()?.parse()?;
                if config.rename.is_some() {
                    diag.spanned(&meta.path, "duplicate op option `rename`");
                }
                let name = lit.value();
                if !is_js_identifier(&name) {
                    diag.spanned(&lit, format!("`{name}` is not a valid JS identifier"));
                }
                config.rename = Some(name);
                Ok(())
            } else {
                let key = meta
                    .path
                    .get_ident()
                    .map_or_else(|| "?".to_owned(), ToString::to_string);
                Err(meta.error(format!("unknown op option `{key}`; expected {KNOWN}")))
            }
        });
        if let Err(e) = parser.parse2(attr) {
            diag.push(e);
        }
        config
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
        assert_eq!(parse(quote!()), (OpConfig::default(), false));
        let (c, err) = parse(quote!(rename = "add"));
        assert_eq!(c.rename.as_deref(), Some("add"));
        assert!(!err);
    }

    #[test]
    fn unknown_and_bad_values_are_errors() {
        assert!(parse(quote!(fast)).1);
        assert!(parse(quote!(rename = "not valid")).1);
        assert!(parse(quote!(rename = 3)).1);
        assert!(parse(quote!(rename = "a", rename = "b")).1);
    }
}
