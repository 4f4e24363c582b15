use opwire::{OpError, OpState, op};
use std::cell::RefCell;
use std::rc::Rc;

#[op]
pub(crate) async fn op_read_text(
    path: String,
    state: Rc<RefCell<OpState>>,
) -> Result<String, OpError> {
    let _ = state;
    Ok(tokio::fs::read_to_string(path).await?)
}

#[op(async(lazy))]
#[bigint]
pub(crate) fn op_later(x: u32) -> impl Future<Output = u64> {
    let x = u64::from(x);
    async move { x }
}

#[op(blocking)]
pub(crate) fn op_truncate(path: String, #[number] len: u64) -> Result<(), OpError> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .set_len(len)?;
    Ok(())
}

#[op]
pub(crate) async fn op_next(n: u32, state: Rc<RefCell<OpState>>) -> Result<u32, OpError> {
    let _ = state;
    Ok(n + 1)
}
