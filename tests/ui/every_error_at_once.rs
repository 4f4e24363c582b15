use opwire::{op, OpState};

// Three problems, all reported; the function and `DECL` still exist, so the
// uses in `main` add no errors of their own.
#[op]
fn op_bad(#[string] n: u32, (a, b): (i32, i32), s: &mut OpState, t: &OpState) -> u32 {
    let _ = (s, t);
    n + a as u32 + b as u32
}

fn main() {
    let _ = op_bad::DECL;
    let _: fn(u32, (i32, i32), &mut OpState, &OpState) -> u32 = op_bad;
}
