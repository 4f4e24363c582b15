//! Generated code must compile cleanly under strict user lints.
#![deny(
    warnings,
    unused_qualifications,
    unreachable_pub,
    unsafe_op_in_unsafe_fn,
    clippy::all,
    clippy::pedantic,
    clippy::undocumented_unsafe_blocks
)]

use std::borrow::Cow;

use opwire::{OpError, OpState, op, v8};

/// Sums, shared state and strings.
#[op]
pub(crate) fn op_strict(
    state: &mut OpState,
    #[string] a: &str,
    b: Option<Cow<'_, str>>,
    #[bigint] c: u64,
    d: Option<f64>,
) -> Result<String, OpError> {
    if a.is_empty() {
        return Err(OpError::type_error("empty"));
    }
    state.put(c);
    Ok(format!("{a}{}{}", b.unwrap_or_default(), d.unwrap_or(0.0)))
}

/// A local in, a 64-bit number out.
#[op]
#[number]
fn op_strict_local(v: v8::Local<'_, v8::Value>) -> i64 {
    i64::from(v.is_object())
}

#[test]
fn strict_ops_work() {
    let mut rt = opwire::JsRuntime::new(opwire::RuntimeOptions {
        ops: opwire::ops![op_strict, op_strict_local],
        ..Default::default()
    });
    let s: String = rt.eval("s.js", "ops.op_strict('x', 'y', 3n)").unwrap();
    assert_eq!(s, "xy0");
    assert_eq!(
        rt.eval::<i32>("s.js", "ops.op_strict_local({})").unwrap(),
        1
    );
}
