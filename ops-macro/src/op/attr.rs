//! [`Attr`]: a setting that may be given once, like serde_derive's
//! `Attr<T>`. `#[op(...)]` options and conversion attributes are all
//! recorded through it, so a repeat is reported in one place.

use quote::ToTokens;

use crate::diag::Diag;

/// A setting that may be given once.
pub(crate) struct Attr<'d, T> {
    diag: &'d Diag,
    /// The error a repeat is reported with (`duplicate op option `fast``).
    duplicate: &'static str,
    value: Option<T>,
}

impl<'d, T> Attr<'d, T> {
    /// Not given yet; a repeat will be reported as `duplicate`.
    pub(crate) fn none(diag: &'d Diag, duplicate: &'static str) -> Self {
        Attr {
            diag,
            duplicate,
            value: None,
        }
    }

    /// Records `value`, written at `tokens`. Each repeat is reported at its
    /// own tokens, and the last value is kept.
    pub(crate) fn set(&mut self, tokens: impl ToTokens, value: T) {
        if self.value.replace(value).is_some() {
            self.diag.spanned(tokens, self.duplicate);
        }
    }

    /// Whether it was given.
    pub(crate) fn is_some(&self) -> bool {
        self.value.is_some()
    }

    /// The value given last, if any.
    pub(crate) fn get(self) -> Option<T> {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn each_repeat_is_reported_once_and_the_last_value_kept() {
        let diag = Diag::new();
        let mut attr = Attr::none(&diag, "duplicate op option `fast`");
        assert!(!attr.is_some());
        attr.set(quote!(fast), 1);
        assert!(!diag.has_errors());
        attr.set(quote!(fast), 2);
        attr.set(quote!(fast), 3);
        assert_eq!(attr.get(), Some(3));
        let errors = diag.finish().expect("errors").to_string();
        assert_eq!(
            errors.matches("compile_error").count(),
            2,
            "one per repeat: {errors}"
        );
        assert_eq!(
            errors.matches("\"duplicate op option `fast`\"").count(),
            2,
            "{errors}"
        );
    }
}
