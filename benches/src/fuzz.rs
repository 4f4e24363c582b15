//! Deterministic fuzzing of the conversions: one op per conversion family,
//! driven by `fuzz/conversions.js` (a seeded generator of hostile JS values
//! and an oracle of each documented rule). Used by the `fuzz` bench (long
//! runs) and by a smoke test.

use opwire::{JsRuntime, RuntimeOptions, op};

/// The generator and oracles.
pub const FUZZ_JS: &str = include_str!("../fuzz/conversions.js");

macro_rules! echo_ops {
    ($($name:ident: $t:ty),*) => {$(
        /// Returns its argument.
        #[op]
        pub fn $name(v: $t) -> $t {
            v
        }
    )*};
}
echo_ops!(op_fz_i8: i8, op_fz_u8: u8, op_fz_i16: i16, op_fz_u16: u16, op_fz_i32: i32, op_fz_u32: u32, op_fz_f64: f64);

/// Returns its argument (`#[number]`).
#[op]
#[number]
pub fn op_fz_num_i64(#[number] v: i64) -> i64 {
    v
}

/// Returns its argument (`#[number]`).
#[op]
#[number]
pub fn op_fz_num_u64(#[number] v: u64) -> u64 {
    v
}

/// Returns its argument (`#[bigint]`).
#[op]
#[bigint]
pub fn op_fz_big_i64(#[bigint] v: i64) -> i64 {
    v
}

/// Returns its argument (`#[bigint]`).
#[op]
#[bigint]
pub fn op_fz_big_u64(#[bigint] v: u64) -> u64 {
    v
}

/// Returns its argument (borrowed on the way in).
#[op]
pub fn op_fz_str(#[string] v: &str) -> String {
    v.to_owned()
}

/// Returns its argument (owned on the way in).
#[op]
pub fn op_fz_string(#[string] v: String) -> String {
    v
}

/// The checksum the oracle computes: `len * 1000`, then `s * 31 + byte`.
fn checksum(bytes: &[u8]) -> u32 {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    bytes.iter().fold(len.wrapping_mul(1000), |s, b| {
        s.wrapping_mul(31).wrapping_add(u32::from(*b))
    })
}

/// Checksum of a buffer viewed in place.
#[op]
pub fn op_fz_buf(#[buffer] v: &[u8]) -> u32 {
    checksum(v)
}

/// Checksum of a buffer copied into a `Vec`.
#[op]
pub fn op_fz_bytes(#[buffer] v: Vec<u8>) -> u32 {
    checksum(&v)
}

/// Returns its argument through serde.
#[op]
#[serde]
pub fn op_fz_json(#[serde] v: serde_json::Value) -> serde_json::Value {
    v
}

/// A runtime with the fuzz ops and `fuzz(seed, n)` defined.
///
/// # Panics
///
/// If the generator does not load.
pub fn fuzz_runtime() -> JsRuntime {
    let mut rt = JsRuntime::new(RuntimeOptions {
        ops: opwire::ops![
            op_fz_i8,
            op_fz_u8,
            op_fz_i16,
            op_fz_u16,
            op_fz_i32,
            op_fz_u32,
            op_fz_f64,
            op_fz_num_i64,
            op_fz_num_u64,
            op_fz_big_i64,
            op_fz_big_u64,
            op_fz_str,
            op_fz_string,
            op_fz_buf,
            op_fz_bytes,
            op_fz_json
        ],
        ..Default::default()
    });
    rt.execute_script(
        "fuzz/conversions.js",
        &format!("globalThis.fuzz = {FUZZ_JS};"),
    )
    .expect("the generator loads");
    rt
}

/// What one run found.
#[derive(Debug)]
pub struct FuzzReport {
    /// Op calls made.
    pub execs: u64,
    /// The first few mismatches, described.
    pub failures: Vec<String>,
}

/// Runs `values` generated values (seed `seed`) through every family.
///
/// # Panics
///
/// If the run itself throws (the generator is broken).
pub fn run(rt: &mut JsRuntime, seed: u32, values: u32) -> FuzzReport {
    let out: String = rt
        .eval("<fuzz>", &format!("JSON.stringify(fuzz({seed}, {values}))"))
        .expect("fuzz runs");
    let execs = out
        .split("\"execs\":")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let failures: Vec<String> = serde_json::from_str::<serde_json::Value>(&out)
        .ok()
        .and_then(|v| v.get("failures").cloned())
        .and_then(|f| serde_json::from_value(f).ok())
        .unwrap_or_default();
    FuzzReport { execs, failures }
}
