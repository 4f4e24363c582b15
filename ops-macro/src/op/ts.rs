//! The TypeScript type of each value that crosses between JS and an op:
//! one table for arguments and return values, used for the metadata in
//! `OpDecl`.

use std::borrow::Cow;
use std::fmt;

use super::conv::Int64Mode;
use super::types::TypeClass;

/// Which way a value crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// JS passes it: an argument.
    Arg,
    /// JS receives it: a return value.
    Ret,
}

/// A TypeScript type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TsType {
    /// The type of the value (a class's name for class values).
    pub(crate) base: Cow<'static, str>,
    /// `| null`: the Rust type is an `Option`.
    pub(crate) nullable: bool,
}

impl fmt::Display for TsType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.nullable {
            return f.write_str(&self.base);
        }
        // `(() => void) | null`: without the parentheses, `| null` would
        // belong to the function's return type.
        if self.base.contains("=>") {
            write!(f, "({}) | null", self.base)
        } else {
            write!(f, "{} | null", self.base)
        }
    }
}

/// The TypeScript type of a `JsCallback` argument: any function, sync or
/// async, whatever it returns.
pub(crate) const CALLBACK: &str = "(...args: any[]) => unknown";

/// The TypeScript type of a value of class `class` (the class inside any
/// `Option`), crossing `dir`, with its `#[bigint]`/`#[number]` mode and
/// whether it is `#[serde]`. Classes that cannot cross `dir` are errors
/// reported elsewhere; they get `unknown`.
pub(crate) fn base(
    class: &TypeClass,
    int64: Option<Int64Mode>,
    serde: bool,
    dir: Dir,
) -> &'static str {
    if serde {
        return "unknown";
    }
    match class {
        TypeClass::Unit => "void",
        TypeClass::Bool => "boolean",
        TypeClass::Number(_) | TypeClass::ResourceId => "number",
        TypeClass::String | TypeClass::StrRef | TypeClass::CowStr => "string",
        TypeClass::Local(v8_type) => local(v8_type),
        TypeClass::Bytes | TypeClass::Slice { .. } => "Uint8Array",
        TypeClass::Signal => "AbortSignal",
        TypeClass::Callback => CALLBACK,
        TypeClass::Int64 => match (int64, dir) {
            (Some(Int64Mode::Number), _) => "number",
            // A `#[bigint]` argument also accepts a Number.
            (_, Dir::Arg) => "bigint | number",
            (_, Dir::Ret) => "bigint",
        },
        // The class's name, which the caller knows (`class_name`).
        TypeClass::ClassRef { .. } => "object",
        TypeClass::StateRef { .. }
        | TypeClass::StateRc
        | TypeClass::Scope
        | TypeClass::Option(_)
        | TypeClass::Result(_)
        | TypeClass::Other => "unknown",
    }
}

/// The TypeScript type of `v8::Local<T>`, by the name of `T`.
fn local(v8_type: &str) -> &'static str {
    match v8_type {
        "Object" => "object",
        "Function" => "Function",
        "Array" => "unknown[]",
        "String" => "string",
        "Number" | "Integer" | "Int32" | "Uint32" => "number",
        "Boolean" => "boolean",
        "BigInt" => "bigint",
        "Promise" => "Promise<unknown>",
        "Uint8Array" => "Uint8Array",
        "ArrayBuffer" => "ArrayBuffer",
        "Map" => "Map<unknown, unknown>",
        "Set" => "Set<unknown>",
        "Symbol" => "symbol",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::op::types::{NumKind, classify};
    use syn::parse_quote;

    #[test]
    fn arguments_and_return_values_share_the_table() {
        let class = classify(&parse_quote!(v8::Local<'s, v8::Function>));
        for dir in [Dir::Arg, Dir::Ret] {
            assert_eq!(base(&class, None, false, dir), "Function");
            assert_eq!(base(&TypeClass::Bytes, None, false, dir), "Uint8Array");
            assert_eq!(base(&TypeClass::CowStr, None, false, dir), "string");
            assert_eq!(base(&TypeClass::String, None, true, dir), "unknown");
            let number = Some(Int64Mode::Number);
            assert_eq!(base(&TypeClass::Int64, number, false, dir), "number");
        }
        let rid = classify(&parse_quote!(ResourceId));
        assert_eq!(base(&rid, None, false, Dir::Arg), "number");
        assert_eq!(base(&rid, None, false, Dir::Ret), "number");
        let n = TypeClass::Number(NumKind::U8);
        assert_eq!(base(&n, None, false, Dir::Arg), "number");
        let bigint = Some(Int64Mode::BigInt);
        assert_eq!(
            base(&TypeClass::Int64, bigint, false, Dir::Arg),
            "bigint | number"
        );
        assert_eq!(base(&TypeClass::Int64, bigint, false, Dir::Ret), "bigint");
        assert_eq!(base(&TypeClass::Unit, None, false, Dir::Ret), "void");
        let signal = classify(&parse_quote!(opwire::AbortSignal));
        assert_eq!(signal, TypeClass::Signal);
        assert_eq!(base(&signal, None, false, Dir::Arg), "AbortSignal");
        let callback = classify(&parse_quote!(JsCallback));
        assert_eq!(
            base(&callback, None, false, Dir::Arg),
            "(...args: any[]) => unknown"
        );
    }

    #[test]
    fn nullable_types_add_null() {
        let ts = TsType {
            base: "number".into(),
            nullable: true,
        };
        assert_eq!(ts.to_string(), "number | null");
        let ts = TsType {
            base: "string".into(),
            nullable: false,
        };
        assert_eq!(ts.to_string(), "string");
        let ts = TsType {
            base: CALLBACK.into(),
            nullable: true,
        };
        assert_eq!(ts.to_string(), "((...args: any[]) => unknown) | null");
    }
}
