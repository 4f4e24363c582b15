//! `OpState` injection: shared, exclusive, `Rc`, re-entrancy and panics.

use crate::ops::Counter;
use crate::util::{error_of, eval, runtime};

#[test]
fn ops_share_state_with_the_embedder() {
    let mut rt = runtime();
    rt.op_state().borrow_mut().put(Counter(0));
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_count(); ops.op_count(); ops.op_count()"),
        3
    );
    assert_eq!(eval::<u32>(&mut rt, "ops.op_peek()"), 3);
    assert_eq!(eval::<u32>(&mut rt, "ops.op_count_rc()"), 13);
    assert_eq!(rt.op_state().borrow().borrow::<Counter>().0, 13);
}

#[test]
fn state_survives_a_panic_while_borrowed() {
    let mut rt = runtime();
    rt.op_state().borrow_mut().put(Counter(5));
    assert_eq!(
        error_of(&mut rt, "ops.op_panic_with_state()"),
        "Error: op_panic_with_state panicked: while holding state"
    );
    // The RefCell borrow was released during unwinding.
    assert_eq!(eval::<u32>(&mut rt, "ops.op_count()"), 1001);
}

#[test]
fn reentrant_state_borrow_is_an_error_not_a_crash() {
    let mut rt = runtime();
    rt.op_state().borrow_mut().put(Counter(0));
    assert_eq!(
        error_of(&mut rt, "ops.op_reenter(() => ops.op_peek())"),
        "Error: op_peek: OpState is already borrowed (is this a re-entrant op call?)"
    );
    assert_eq!(
        eval::<u32>(&mut rt, "ops.op_reenter(() => ops.op_add(1, 2))"),
        3
    );
    assert_eq!(eval::<u32>(&mut rt, "ops.op_peek()"), 0);
}
