use opwire::op;

struct Config;

#[op]
fn op_configure(cfg: Config) {
    let _ = cfg;
}

fn main() {}
