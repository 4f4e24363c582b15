use opwire::op;

#[op]
pub(crate) fn op_add(a: i32, b: i32) -> i32 {
    a + b
}
