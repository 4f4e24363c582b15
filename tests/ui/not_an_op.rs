use opwire::op;

#[op]
fn op_generic<T: Default>() -> u32 {
    0
}

#[op]
unsafe fn op_unsafe() {}

struct S;

impl S {
    #[op]
    fn op_method(&self) {}
}

#[op]
struct NotAFunction;

fn main() {}
