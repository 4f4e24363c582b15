use opwire::{OpError, op};

#[op(rename = "fileSize")]
#[bigint]
pub(crate) fn op_file_size(
    #[string] path: String,
    #[number] limit: Option<u64>,
) -> Result<u64, OpError> {
    let len = std::fs::metadata(path)?.len();
    Ok(limit.map_or(len, |l| len.min(l)))
}
