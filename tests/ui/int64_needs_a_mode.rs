use opwire::op;

#[op]
fn op_size(a: u64, #[bigint] b: i64) -> u64 {
    a + b as u64
}

fn main() {}
