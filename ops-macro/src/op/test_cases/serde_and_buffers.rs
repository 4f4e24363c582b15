use opwire::{JsBuffer, OpError, op};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub(crate) struct Config {
    pub(crate) name: String,
}

#[derive(Serialize)]
pub(crate) struct Report {
    pub(crate) len: usize,
}

#[op]
#[serde]
pub(crate) fn op_report(
    #[serde] cfg: Config,
    data: &[u8],
    out: &mut [u8],
) -> Result<Report, OpError> {
    out.fill(0);
    Ok(Report {
        len: cfg.name.len() + data.len(),
    })
}

#[op]
pub(crate) async fn op_checksum(data: JsBuffer) -> Vec<u8> {
    Vec::from([data.iter().fold(0u8, |a, b| a.wrapping_add(*b))])
}
