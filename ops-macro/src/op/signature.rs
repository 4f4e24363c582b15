//! The semantic model of an op: [`OpSignature`], built from the function.

use syn::{Ident, ItemFn};

use super::args::{ArgSpec, parse_arg};
use super::config::OpConfig;
use super::ret::{RetSpec, parse_ret};
use crate::diag::Diag;

/// How an op runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpMode {
    /// A sync fn: JS gets its value.
    Sync,
    /// An `async fn` or `fn -> impl Future`: JS gets a promise. `lazy`:
    /// the future is not polled during the call.
    Async { lazy: bool },
    /// `#[op(blocking)]`: a sync fn run on tokio's blocking pool; JS gets a promise.
    Blocking,
}

/// Everything code generation needs to know about an op.
#[derive(Debug, Clone)]
pub(crate) struct OpSignature {
    /// The Rust function's name.
    pub(crate) fn_name: Ident,
    /// The name JS calls it by.
    pub(crate) js_name: String,
    /// Every argument, in Rust order (JS-visible and injected).
    pub(crate) args: Vec<ArgSpec>,
    pub(crate) ret: RetSpec,
    pub(crate) mode: OpMode,
    /// For a class constructor, the class: the op attaches its value to
    /// the new object instead of returning it.
    pub(crate) constructor: Option<syn::Type>,
    /// `#[op(wrapping)]`: integers of at most 32 bits wrap.
    pub(crate) wrapping: bool,
}

impl OpSignature {
    /// Builds the model from `func`, stripping opwire's attributes from it so
    /// it can be emitted as plain Rust. Problems go to `diag`; arguments that
    /// could not be understood are left out of the model.
    pub(crate) fn parse(func: &mut ItemFn, config: &OpConfig, diag: &Diag) -> OpSignature {
        let args = func
            .sig
            .inputs
            .iter_mut()
            .enumerate()
            .filter_map(|(i, arg)| parse_arg(arg, i, diag))
            .collect();
        let ret = parse_ret(&func.sig.output, &mut func.attrs, diag);
        let fn_name = func.sig.ident.clone();
        let js_name = config
            .rename
            .clone()
            .unwrap_or_else(|| syn::ext::IdentExt::unraw(&fn_name).to_string());
        let mode = if config.blocking.is_some() {
            OpMode::Blocking
        } else if func.sig.asyncness.is_some() || ret.future {
            OpMode::Async {
                lazy: config.lazy.is_some(),
            }
        } else {
            OpMode::Sync
        };
        OpSignature {
            fn_name,
            js_name,
            args,
            ret,
            mode,
            constructor: None,
            wrapping: config.wrapping.is_some(),
        }
    }

    /// Whether JS gets a promise.
    pub(crate) fn is_async(&self) -> bool {
        self.mode != OpMode::Sync
    }

    /// The arguments JS passes, with their 0-based JS positions.
    pub(crate) fn js_args(&self) -> impl Iterator<Item = (usize, &ArgSpec)> {
        self.args.iter().filter(|a| a.is_js()).enumerate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::op::args::{ArgKind, StateAccess, StrForm};
    use crate::op::conv::Int64Mode;
    use syn::parse_quote;

    fn parse(mut func: ItemFn) -> (OpSignature, Option<String>) {
        let diag = Diag::new();
        let sig = OpSignature::parse(&mut func, &OpConfig::default(), &diag);
        (sig, diag.finish().map(|t| t.to_string()))
    }

    #[test]
    fn sync_add() {
        let (sig, err) = parse(parse_quote!(
            fn op_add(a: i32, b: i32) -> i32 {
                a + b
            }
        ));
        assert!(err.is_none());
        assert_eq!(sig.js_name, "op_add");
        let names: Vec<_> = sig
            .args
            .iter()
            .map(|a| (a.name.as_str(), a.ts_type.to_string()))
            .collect();
        assert_eq!(
            names,
            [("a", "number".to_owned()), ("b", "number".to_owned())]
        );
        assert_eq!(sig.ret.ts_type.to_string(), "number");
        assert!(!sig.ret.fallible);
    }

    #[test]
    fn injected_and_string_args() {
        let (sig, err) = parse(parse_quote!(
            fn op_x(
                state: &mut OpState,
                #[string] s: &str,
                c: Option<Cow<str>>,
                #[bigint] n: Option<u64>,
            ) {
            }
        ));
        assert!(err.is_none(), "{err:?}");
        let kinds: Vec<_> = sig
            .args
            .iter()
            .map(|a| (a.kind.clone(), a.optional))
            .collect();
        assert_eq!(kinds[0], (ArgKind::State(StateAccess::Mut), false));
        assert_eq!(kinds[1], (ArgKind::Str(StrForm::Ref), false));
        assert_eq!(kinds[2], (ArgKind::Str(StrForm::Cow), true));
        assert!(matches!(
            &kinds[3],
            (
                ArgKind::Int64 {
                    mode: Int64Mode::BigInt,
                    ..
                },
                true
            )
        ));
        let js: Vec<_> = sig.js_args().map(|(i, a)| (i, a.name.as_str())).collect();
        assert_eq!(js, [(0, "s"), (1, "c"), (2, "n")]);
        assert_eq!(sig.args[3].ts_type.to_string(), "bigint | number | null");
        assert_eq!(sig.ret.ts_type.to_string(), "void");
    }

    #[test]
    fn result_returns_and_64_bit_modes() {
        let (sig, err) = parse(parse_quote!(
            #[number]
            fn op_x() -> Result<Option<u64>, OpError> {
                todo!()
            }
        ));
        assert!(err.is_none(), "{err:?}");
        assert!(sig.ret.fallible);
        assert_eq!(sig.ret.int64, Some(Int64Mode::Number));
        assert_eq!(sig.ret.ts_type.to_string(), "number | null");
    }

    #[test]
    fn every_error_is_reported() {
        let (sig, err) = parse(parse_quote!(
            fn op_x(a: u64, #[string] b: u32, (c, d): (i32, i32)) -> i64 {
                0
            }
        ));
        let err = err.expect("errors");
        assert_eq!(err.matches("compile_error").count(), 4, "{err}");
        assert!(err.contains("64-bit integer argument `a` needs #[bigint]"));
        assert!(err.contains("#[string] applies to String"));
        assert!(err.contains("plain names"));
        assert!(err.contains("return value needs #[bigint]"));
        assert_eq!(sig.args.len(), 1);
    }

    #[test]
    fn rename_and_raw_names() {
        let diag = Diag::new();
        let mut f: ItemFn = parse_quote!(
            fn r#type() {}
        );
        let config = OpConfig {
            rename: Some("kind".into()),
            ..OpConfig::default()
        };
        assert_eq!(OpSignature::parse(&mut f, &config, &diag).js_name, "kind");
        assert_eq!(
            OpSignature::parse(&mut f, &OpConfig::default(), &diag).js_name,
            "type"
        );
        assert!(diag.finish().is_none());
    }
}
