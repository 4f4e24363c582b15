//! Struct objects built by one call into a compiled object literal.
//!
//! Defining a struct's fields one by one through the API
//! (`CreateDataProperty`) makes V8 look up a map transition and update a
//! descriptor per field. An object literal in JS is made by copying a
//! boilerplate that already has the final layout. So once a runtime has
//! serialized a struct shape (its field names, in order) [`WARM_UP`] times,
//! the serializer compiles a small function for it,
//!
//! ```js
//! function (v0, v1, v2, v3) { return { "x": v0, "y": v1, "label": v2, "tags": v3 }; }
//! ```
//!
//! and builds each later object of that shape with one call: about 45
//! against 135 ns for a four-field struct (`BENCHMARKS.md`).
//!
//! The result is the same object: a literal defines its properties as
//! `CreateDataProperty` does (own, enumerable, writable, configurable; no
//! setter on `Object.prototype` runs), in the same order, in the runtime's
//! context. The function is the runtime's own (no script can reach it), and
//! runs no user code. Shapes a literal cannot express exactly are always
//! built field by field: a field named `__proto__` (a literal would take it
//! as the prototype) and more than [`MAX_FIELDS`] fields. A failed call (the
//! stack is nearly exhausted, or execution is being terminated) falls back
//! to the same field-by-field path; a termination goes on once the op
//! returns.

use std::fmt::Write;

use super::table::Table;

/// How many times a shape is built field by field; the next time, its
/// function is compiled (that costs some microseconds; a call saves about
/// 90 ns).
pub(super) const WARM_UP: u32 = 64;

/// The most fields a compiled literal takes.
pub(super) const MAX_FIELDS: usize = 64;

/// The most shapes kept per struct name and field count (a struct with
/// `skip_serializing_if` fields has one shape per set of present fields).
const MAX_SHAPES_PER_KEY: usize = 8;

/// What a runtime knows of the struct shapes it serialized.
#[derive(Default)]
pub(super) struct Literals {
    /// By the struct's name (address and length) and field count.
    shapes: Table<(usize, usize, usize), Vec<LiteralShape>>,
}

/// One shape: its field names (compared by address: equal addresses mean
/// equal names) and its function, once made.
struct LiteralShape {
    fields: Box<[&'static str]>,
    state: State,
}

enum State {
    /// Built field by field so far, this many times.
    Cold(u32),
    Ready(v8::Global<v8::Function>),
    /// A literal cannot express the shape, or compiling it failed.
    Never,
}

impl Literals {
    /// The object for a struct named `name` with `fields` set to `values`,
    /// when its shape's function is ready; `None` means "build it field by
    /// field" (the shape is new or not warm yet, or the call failed).
    pub(super) fn build<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        name: &'static str,
        fields: &[&'static str],
        values: &[v8::Local<'s, v8::Value>],
    ) -> Option<v8::Local<'s, v8::Value>> {
        let function = self.function(scope, name, fields)?;
        v8::tc_scope!(let tc, scope);
        let undefined = v8::undefined(tc).into();
        function.call(tc, undefined, values)
    }

    /// The function for the shape, counting one more use of it.
    fn function<'s>(
        &self,
        scope: &mut v8::PinScope<'s, '_>,
        name: &'static str,
        fields: &[&'static str],
    ) -> Option<v8::Local<'s, v8::Function>> {
        let mut shapes = self.shapes.borrow_mut();
        let key = (name.as_ptr() as usize, name.len(), fields.len());
        let list = shapes.entry(key).or_default();
        let Some(shape) = list.iter_mut().find(|s| same_fields(&s.fields, fields)) else {
            if list.len() < MAX_SHAPES_PER_KEY {
                list.push(LiteralShape {
                    fields: fields.into(),
                    state: if expressible(fields) {
                        State::Cold(1)
                    } else {
                        State::Never
                    },
                });
            }
            return None;
        };
        match &mut shape.state {
            State::Ready(function) => Some(v8::Local::new(scope, &*function)),
            State::Never => None,
            State::Cold(uses) if *uses < WARM_UP => {
                *uses += 1;
                None
            }
            State::Cold(_) => {
                let function = compile(scope, fields);
                shape.state = match function {
                    Some(f) => State::Ready(v8::Global::new(scope, f)),
                    None => State::Never,
                };
                function
            }
        }
    }

    /// How many shapes have their function ready.
    pub(super) fn ready(&self) -> usize {
        self.shapes
            .borrow()
            .values()
            .flatten()
            .filter(|s| matches!(s.state, State::Ready(_)))
            .count()
    }
}

/// Whether two field lists are the same names, by address.
fn same_fields(a: &[&'static str], b: &[&'static str]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| std::ptr::eq(x.as_ptr(), y.as_ptr()) && x.len() == y.len())
}

/// Whether a literal builds exactly the object `fields` describe.
fn expressible(fields: &[&'static str]) -> bool {
    !fields.is_empty() && fields.len() <= MAX_FIELDS && !fields.contains(&"__proto__")
}

/// Compiles `function (v0, ..) { return { "field": v0, .. }; }` in the
/// current context.
fn compile<'s>(
    scope: &mut v8::PinScope<'s, '_>,
    fields: &[&'static str],
) -> Option<v8::Local<'s, v8::Function>> {
    let mut body = String::from("return {");
    for (i, field) in fields.iter().enumerate() {
        quote_into(&mut body, field);
        let _ = write!(body, ": v{i},");
    }
    body.push_str("};");
    let params = (0..fields.len())
        .map(|i| v8::String::new(scope, &format!("v{i}")))
        .collect::<Option<Vec<_>>>()?;
    let body = v8::String::new(scope, &body)?;
    let mut source = v8::script_compiler::Source::new(body, None);
    v8::tc_scope!(let tc, scope);
    v8::script_compiler::compile_function(
        tc,
        &mut source,
        &params,
        &[],
        v8::script_compiler::CompileOptions::NoCompileOptions,
        v8::script_compiler::NoCacheReason::NoReason,
    )
}

/// Appends `s` as a JS string literal (JSON's quoting, which JS accepts).
fn quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_what_a_js_string_cannot_hold() {
        let mut out = String::new();
        quote_into(&mut out, "a\"b\\c\nd\u{2028}é");
        assert_eq!(out, r#""a\"b\\c\u000ad\u2028é""#);
    }

    #[test]
    fn shapes_a_literal_cannot_express() {
        assert!(expressible(&["x", "y"]));
        assert!(!expressible(&[]));
        assert!(!expressible(&["x", "__proto__"]));
        let many: Vec<&'static str> = vec!["f"; MAX_FIELDS + 1];
        assert!(!expressible(&many));
    }

    #[test]
    fn fields_compare_by_address() {
        static A: &str = "x";
        let b: &'static str = Box::leak(String::from("x").into_boxed_str());
        assert!(same_fields(&[A], &[A]));
        assert!(!same_fields(&[A], &[b]));
        assert!(!same_fields(&[A], &[A, A]));
    }
}
