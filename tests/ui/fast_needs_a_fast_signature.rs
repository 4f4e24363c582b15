use opwire::op;

#[op(fast)]
fn op_owned(name: String) -> u32 {
    name.len() as u32
}

#[op(fast)]
fn op_opt(a: u32, b: Option<u32>) -> u32 {
    a + b.unwrap_or(0)
}

#[op(fast)]
fn op_returns_string(a: u32) -> String {
    a.to_string()
}

#[op(fast)]
#[bigint]
fn op_big(#[bigint] v: u64) -> u64 {
    v
}

#[op(fast, nofast)]
fn op_both() {}

fn main() {}
