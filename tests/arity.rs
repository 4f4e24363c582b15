//! Too few and too many arguments.

use crate::util::{error_of, eval, runtime};

#[test]
fn too_few_arguments_name_the_missing_one() {
    let mut rt = runtime();
    assert_eq!(
        error_of(&mut rt, "ops.op_add(1)"),
        "TypeError: op_add: missing argument 'b' (#2): expected 2 arguments, got 1"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_add()"),
        "TypeError: op_add: missing argument 'a' (#1): expected 2 arguments, got 0"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_echo_bool()"),
        "TypeError: op_echo_bool: missing argument 'v' (#1): expected 1 argument, got 0"
    );
}

#[test]
fn too_many_arguments() {
    let mut rt = runtime();
    assert_eq!(
        error_of(&mut rt, "ops.op_add(1, 2, 3)"),
        "TypeError: op_add: expected 2 arguments, got 3"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_unit(1)"),
        "TypeError: op_unit: expected 0 arguments, got 1"
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_optional_tail(1, 2, 3, 4)"),
        "TypeError: op_optional_tail: expected 1 to 3 arguments, got 4"
    );
}

#[test]
fn optional_trailing_arguments_may_be_left_out() {
    let mut rt = runtime();
    assert_eq!(eval::<u32>(&mut rt, "ops.op_optional_tail(1)"), 1);
    assert_eq!(eval::<u32>(&mut rt, "ops.op_optional_tail(1, 2)"), 3);
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_optional_tail(1, undefined, 3)"),
        4
    );
    assert_eq!(
        error_of(&mut rt, "ops.op_optional_tail()"),
        "TypeError: op_optional_tail: missing argument 'a' (#1): expected 1 to 3 arguments, got 0"
    );
    // Injected arguments (state) are not counted.
    assert_eq!(
        error_of(&mut rt, "ops.op_peek(1)"),
        "TypeError: op_peek: expected 0 arguments, got 1"
    );
}
