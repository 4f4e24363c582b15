//! [`OpCtx`]: what an op's V8 callback finds through its function data.

use std::cell::RefCell;
use std::rc::Rc;

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
}
