use opwire::op;

#[op(bogus)]
fn op_x() {}

#[op(rename = "not an identifier")]
fn op_y() {}

fn main() {}
