//! The source of a runtime's async op wrappers: one function literal per
//! async op, so each wrapper has its own type feedback (its call to the
//! op stays monomorphic, which lets V8 turn it into a fast call; wrappers
//! made from one shared literal would share feedback across every op of
//! the same arity). `core.js` gets the script's value, a list of makers,
//! and calls each with the op's raw function.
//!
//! The text depends only on the ops' arities, so runtimes with the same
//! async ops share it, and with it a code cache (`code_cache.rs`).

use std::fmt::Write;

/// Ops taking more arguments than this get no own wrapper: they go
/// through `core.js`'s general one.
const MAX_ARITY: usize = 8;

/// The script for async ops taking `arities` arguments, in the order
/// `core.js` sees the ops: its value is a list with, per op, a maker
/// `(raw, general, nextId, settle) => wrapper`, or `null` (the general
/// path).
pub(super) fn source(arities: impl IntoIterator<Item = usize>) -> String {
    let mut out = String::from(
        "\"use strict\";\n// opwire: the async op wrappers, one function literal each.\n[\n",
    );
    for arity in arities {
        if arity > MAX_ARITY {
            out.push_str("null,\n");
            continue;
        }
        let params: Vec<String> = (0..arity).map(|i| format!("a{i}")).collect();
        let params = params.join(", ");
        let rest = if arity == 0 {
            String::new()
        } else {
            format!(", {params}")
        };
        // Calls with another number of arguments take the general path,
        // where the raw function reports the arity error.
        let _ = write!(
            out,
            "(raw, general, nextId, settle) => function ({params}) {{\n  \
             if (arguments.length !== {arity}) return general(...arguments);\n  \
             const id = nextId();\n  \
             return settle(id, raw(id{rest}));\n}},\n"
        );
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::source;

    #[test]
    fn one_maker_per_op_and_null_past_the_largest_arity() {
        let text = source([2, 9, 0]);
        assert_eq!(text.matches("(raw, general, nextId, settle) =>").count(), 2);
        assert!(text.contains("function (a0, a1) {"), "{text}");
        assert!(
            text.contains("return settle(id, raw(id, a0, a1));"),
            "{text}"
        );
        assert!(text.contains("null,\n"), "{text}");
        assert!(text.contains("function () {"), "{text}");
        assert!(text.contains("return settle(id, raw(id));"), "{text}");
        assert_eq!(source([1, 1]), source([1, 1]));
        assert_ne!(source([1, 2]), source([2, 1]));
    }
}
