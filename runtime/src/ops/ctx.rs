//! [`OpCtx`]: what an op's V8 callback finds through its function data.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use crate::call::Throw;
use crate::event_loop::LoopState;
use crate::{OpDecl, OpState};

/// Per-op, per-runtime context. Boxed by the runtime (its address is stored
/// in the V8 function's data as a `v8::External`) and kept alive as long as
/// the isolate.
pub(crate) struct OpCtx {
    pub(crate) decl: OpDecl,
    /// `decl.min_args()`, computed once.
    pub(crate) min_args: usize,
    pub(crate) state: Rc<RefCell<OpState>>,
    /// Where async ops put their futures.
    pub(crate) event_loop: Rc<LoopState>,
}

impl OpCtx {
    pub(crate) fn new(
        decl: OpDecl,
        state: Rc<RefCell<OpState>>,
        event_loop: Rc<LoopState>,
    ) -> Self {
        Self {
            min_args: decl.min_args(),
            decl,
            state,
            event_loop,
        }
    }

    /// The state, shared; a re-entrant call that finds it borrowed fails.
    #[inline]
    pub(crate) fn borrow_state(&self) -> Result<Ref<'_, OpState>, Throw> {
        self.state.try_borrow().map_err(|_| Throw::StateBorrowed)
    }

    /// The state, exclusively; a re-entrant call that finds it borrowed fails.
    #[inline]
    pub(crate) fn borrow_state_mut(&self) -> Result<RefMut<'_, OpState>, Throw> {
        self.state
            .try_borrow_mut()
            .map_err(|_| Throw::StateBorrowed)
    }
}
