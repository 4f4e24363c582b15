use opwire::{op, OpState};

#[op]
async fn op_read(path: &str, state: &mut OpState) -> u32 {
    let _ = state;
    path.len() as u32
}

#[op(blocking)]
async fn op_both() {}

#[op(async(lazy))]
fn op_lazy_sync() {}

fn main() {}

#[op]
async fn op_view(data: &[u8]) -> u32 {
    data.len() as u32
}
