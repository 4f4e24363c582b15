//! The conversion attributes `#[string]`, `#[buffer]`, `#[serde]`,
//! `#[bigint]` and `#[number]`: reading them off an argument or the
//! function ([`take`]), and the one table of which type each fits
//! ([`Conv::fits`]).

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Path, Type};

use super::attr::Attr;
use super::types::TypeClass;
use crate::diag::Diag;

/// How a 64-bit integer crosses to JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Int64Mode {
    /// `#[bigint]`: a BigInt.
    BigInt,
    /// `#[number]`: a Number within ±(2^53 - 1).
    Number,
}

/// One conversion attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conv {
    /// `#[string]`: documents a string argument.
    String,
    /// `#[buffer]`: documents a byte-buffer argument.
    Buffer,
    /// `#[serde]`: through the serde bridge.
    Serde,
    /// `#[bigint]` / `#[number]`: how a 64-bit integer crosses.
    Int64(Int64Mode),
}

impl Conv {
    const ALL: [Conv; 5] = [
        Conv::String,
        Conv::Buffer,
        Conv::Serde,
        Conv::Int64(Int64Mode::BigInt),
        Conv::Int64(Int64Mode::Number),
    ];

    /// The attribute's name (`"bigint"`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Conv::String => "string",
            Conv::Buffer => "buffer",
            Conv::Serde => "serde",
            Conv::Int64(Int64Mode::BigInt) => "bigint",
            Conv::Int64(Int64Mode::Number) => "number",
        }
    }

    /// Whether `path` names a conversion attribute.
    pub(crate) fn is_conv(path: &Path) -> bool {
        Conv::of(path).is_some()
    }

    /// The attribute `path` names, if it is one.
    fn of(path: &Path) -> Option<Conv> {
        Conv::ALL.into_iter().find(|c| path.is_ident(c.name()))
    }

    /// Whether it applies to a value of class `class` (inside any `Option`).
    pub(crate) fn fits(self, class: &TypeClass) -> bool {
        match self {
            Conv::String => matches!(
                class,
                TypeClass::String | TypeClass::StrRef | TypeClass::CowStr
            ),
            Conv::Buffer => matches!(class, TypeClass::Slice { .. } | TypeClass::Bytes),
            Conv::Int64(_) => matches!(class, TypeClass::Int64),
            Conv::Serde => true,
        }
    }

    /// The types [`Conv::fits`] accepts, as messages list them.
    fn targets(self) -> &'static str {
        match self {
            Conv::String => "String, &str or Cow<str>",
            Conv::Buffer => "&[u8], &mut [u8], Vec<u8>, Box<[u8]>, Bytes, JsBuffer or JsBufferMut",
            Conv::Int64(_) => "i64, u64, isize or usize",
            Conv::Serde => "any type",
        }
    }
}

/// The conversion attributes on an argument or on the function, each with
/// where it was written.
#[derive(Default)]
pub(crate) struct ConvAttrs {
    pub(crate) string: Option<Span>,
    pub(crate) serde: Option<Span>,
    pub(crate) buffer: Option<Span>,
    pub(crate) int64: Option<(Int64Mode, Span)>,
}

/// Removes the conversion attributes from `attrs` and returns what they
/// asked for. Each takes no arguments and may be given once; `#[bigint]`
/// and `#[number]` are one setting.
pub(crate) fn take(attrs: &mut Vec<Attribute>, diag: &Diag) -> ConvAttrs {
    let mut string = Attr::none(diag, "duplicate #[string]");
    let mut serde = Attr::none(diag, "duplicate #[serde]");
    let mut buffer = Attr::none(diag, "duplicate #[buffer]");
    let mut int64 = Attr::none(diag, "use only one of #[bigint] and #[number]");
    attrs.retain(|attr| {
        let Some(conv) = Conv::of(attr.path()) else {
            return true;
        };
        if let Err(e) = attr.meta.require_path_only() {
            diag.push(e);
        }
        let span = attr.span();
        match conv {
            Conv::String => string.set(attr, span),
            Conv::Serde => serde.set(attr, span),
            Conv::Buffer => buffer.set(attr, span),
            Conv::Int64(mode) => int64.set(attr, (mode, span)),
        }
        false
    });
    ConvAttrs {
        string: string.get(),
        serde: serde.get(),
        buffer: buffer.get(),
        int64: int64.get(),
    }
}

impl ConvAttrs {
    /// Reports each attribute on argument `name` that does not fit its type
    /// (of class `class`, inside any `Option`).
    pub(crate) fn check_arg(&self, name: &str, class: &TypeClass, diag: &Diag) {
        let misfit = |conv: Conv, span: Span| {
            if !conv.fits(class) {
                let (attr, targets) = (conv.name(), conv.targets());
                diag.at(
                    span,
                    format!("#[{attr}] applies to {targets}, not to argument `{name}`"),
                );
            }
        };
        if let Some(span) = self.buffer {
            misfit(Conv::Buffer, span);
        }
        // `#[serde]` replaces the other conversions rather than adding to
        // them.
        //     #[serde] #[bigint] id: u64
        let other = self.string.or(self.buffer).or(self.int64.map(|(_, s)| s));
        if let (Some(span), Some(_)) = (self.serde, other) {
            diag.at(
                span,
                format!(
                    "#[serde] cannot be combined with another conversion attribute on argument `{name}`"
                ),
            );
        }
        if self.serde.is_some() {
            return;
        }
        if let Some(span) = self.string {
            misfit(Conv::String, span);
        }
        if let Some((mode, span)) = self.int64 {
            misfit(Conv::Int64(mode), span);
        }
    }

    /// Reports the attributes that belong on arguments only: string and
    /// buffer return values need none.
    pub(crate) fn check_fn(&self, diag: &Diag) {
        if let Some(span) = self.string {
            diag.at(
                span,
                "#[string] belongs on an argument; string return types need no attribute",
            );
        }
        if let Some(span) = self.buffer {
            diag.at(
                span,
                "#[buffer] belongs on an argument; Vec<u8> and Box<[u8]> return values need no attribute",
            );
        }
    }

    /// Reports `#[bigint]`/`#[number]` on a function whose return value is
    /// not a 64-bit integer, or is `#[serde]`. `ret` is the return type and
    /// the class of the value JS receives, `None` when it returns nothing.
    pub(crate) fn check_ret(&self, ret: Option<(&Type, &TypeClass)>, diag: &Diag) {
        let Some((mode, span)) = self.int64 else {
            return;
        };
        let Some((ty, class)) = ret else {
            diag.at(
                span,
                "#[bigint]/#[number] on the function apply to its return value, and it returns nothing",
            );
            return;
        };
        if self.serde.is_some() {
            diag.spanned(ty, "#[serde] cannot be combined with #[bigint]/#[number]");
        } else if !Conv::Int64(mode).fits(class) {
            let targets = Conv::Int64(mode).targets();
            diag.spanned(
                ty,
                format!("#[bigint]/#[number] on the function need a return value of {targets}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::op::types::{NumKind, classify};
    use syn::parse_quote;

    fn take_all(mut attrs: Vec<Attribute>) -> (ConvAttrs, Vec<Attribute>, String) {
        let diag = Diag::new();
        let conv = take(&mut attrs, &diag);
        let errors = diag.finish().map(|e| e.to_string()).unwrap_or_default();
        (conv, attrs, errors)
    }

    #[test]
    fn takes_its_attributes_and_leaves_the_rest() {
        let (conv, rest, errors) = take_all(vec![
            parse_quote!(#[string]),
            parse_quote!(#[doc = "x"]),
            parse_quote!(#[number]),
        ]);
        assert!(conv.string.is_some() && conv.serde.is_none() && conv.buffer.is_none());
        assert!(matches!(conv.int64, Some((Int64Mode::Number, _))));
        assert_eq!(rest.len(), 1);
        assert_eq!(errors, "");
    }

    /// A repeat is reported once per repeat, with the message each had
    /// before `Attr`; `#[bigint]` and `#[number]` are one setting, and the
    /// last one given is kept.
    #[test]
    fn each_repeat_is_reported_once() {
        for name in ["string", "serde", "buffer"] {
            let ident = quote::format_ident!("{name}");
            let attr: Attribute = parse_quote!(#[#ident]);
            let (_, _, errors) = take_all(vec![attr.clone(), attr.clone(), attr]);
            let message = format!("\"duplicate #[{name}]\"");
            assert_eq!(errors.matches(&message).count(), 2, "{errors}");
            assert_eq!(errors.matches("compile_error").count(), 2, "{errors}");
        }
        let (conv, _, errors) = take_all(vec![parse_quote!(#[bigint]), parse_quote!(#[number])]);
        assert_eq!(
            errors
                .matches("\"use only one of #[bigint] and #[number]\"")
                .count(),
            1,
            "{errors}"
        );
        assert!(matches!(conv.int64, Some((Int64Mode::Number, _))));
        let (_, _, errors) = take_all(vec![parse_quote!(#[bigint]), parse_quote!(#[bigint])]);
        assert!(
            errors.contains("use only one of #[bigint] and #[number]"),
            "{errors}"
        );
    }

    #[test]
    fn arguments_must_not_be_given() {
        let (conv, rest, errors) = take_all(vec![parse_quote!(#[string(x)])]);
        assert!(conv.string.is_some() && rest.is_empty());
        assert_eq!(errors.matches("compile_error").count(), 1, "{errors}");
    }

    #[test]
    fn which_attribute_fits_which_type() {
        let fits = |conv: Conv, ty: Type| conv.fits(&classify(&ty));
        assert!(fits(Conv::String, parse_quote!(&str)));
        assert!(fits(Conv::String, parse_quote!(Cow<'_, str>)));
        assert!(!fits(Conv::String, parse_quote!(u32)));
        assert!(fits(Conv::Buffer, parse_quote!(&mut [u8])));
        assert!(fits(Conv::Buffer, parse_quote!(JsBuffer)));
        assert!(fits(Conv::Buffer, parse_quote!(JsBufferMut)));
        assert!(!fits(Conv::Buffer, parse_quote!(Vec<u32>)));
        assert!(fits(Conv::Int64(Int64Mode::BigInt), parse_quote!(usize)));
        assert!(!fits(Conv::Int64(Int64Mode::Number), parse_quote!(u32)));
        assert!(fits(Conv::Serde, parse_quote!(MyStruct)));
        assert!(!Conv::Int64(Int64Mode::Number).fits(&TypeClass::Number(NumKind::F64)));
    }

    #[test]
    fn a_misfit_names_the_attribute_and_the_argument() {
        let diag = Diag::new();
        let (conv, _, _) = take_all(vec![parse_quote!(#[buffer]), parse_quote!(#[number])]);
        conv.check_arg("n", &classify(&parse_quote!(u32)), &diag);
        let errors = diag.finish().expect("errors").to_string();
        assert!(errors.contains(
            "#[buffer] applies to &[u8], &mut [u8], Vec<u8>, Box<[u8]>, Bytes, JsBuffer or JsBufferMut, not to argument `n`"
        ));
        assert!(
            errors.contains("#[number] applies to i64, u64, isize or usize, not to argument `n`")
        );
    }
}
