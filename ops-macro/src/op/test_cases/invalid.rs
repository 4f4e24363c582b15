use opwire::op;

#[op]
fn op_bad(a: u64, #[string] b: u32) -> u32 {
    b
}
