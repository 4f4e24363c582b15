use opwire::{op, JsCallback};
fn op_bad(a: u64, b: u32) -> u32 {
    b
}
///Declaration of the `op_bad` op; register `op_bad::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
struct op_bad {}
#[allow(dead_code)]
impl op_bad {
    /// Placeholder declaration: this op has compile errors.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__invalid("op_bad");
}
/// A callback goes into Rust, not back out.
fn op_bad_callback(cb: JsCallback) -> JsCallback {
    cb
}
///Declaration of the `op_bad_callback` op; register `op_bad_callback::DECL` on a runtime.
#[allow(non_camel_case_types, dead_code)]
struct op_bad_callback {}
#[allow(dead_code)]
impl op_bad_callback {
    /// Placeholder declaration: this op has compile errors.
    pub const DECL: ::opwire::OpDecl = ::opwire::__private::OpDecl::__invalid(
        "op_bad_callback",
    );
}
// error: 64-bit integer argument `a` needs #[bigint] (a JS BigInt) or #[number] (a JS Number, checked to ±(2^53 - 1))
// error: #[string] applies to String, &str or Cow<str>, not to argument `b`
// error: a JsCallback cannot be returned to JS; return the function as a v8::Local<v8::Function>
