use opwire::op;
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
// error: 64-bit integer argument `a` needs #[bigint] (a JS BigInt) or #[number] (a JS Number, checked to ±(2^53 - 1))
// error: #[string] applies to String, &str or Cow<str>, not to argument `b`
