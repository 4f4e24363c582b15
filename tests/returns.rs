//! Return values that need their own checks.

use crate::util::{eval, runtime};

#[test]
fn return_kinds() {
    let mut rt = runtime();
    assert!(eval::<bool>(
        &mut rt,
        "typeof ops.op_echo_u32(1) === 'number'"
    ));
    assert!(eval::<bool>(&mut rt, "ops.op_unit() === undefined"));
    assert!(eval::<bool>(&mut rt, "ops.op_none() === null"));
    assert!(eval::<bool>(&mut rt, "ops.op_static_str() === 'static'"));
    assert!(eval::<bool>(
        &mut rt,
        "ops.op_call(() => undefined, 1) === undefined"
    ));
    assert!(eval::<bool>(&mut rt, "ops.op_echo_string('') === ''"));
}
