use opwire::{op, JsCallback};

#[op]
fn op_bad(a: u64, #[string] b: u32) -> u32 {
    b
}

/// A callback goes into Rust, not back out.
#[op]
fn op_bad_callback(cb: JsCallback) -> JsCallback {
    cb
}
