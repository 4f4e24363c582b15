//! [`OpCtx`]: what an op's V8 callback finds through its function data.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use super::decl::OpDecl;
use super::metrics::MetricsCell;
use super::state::OpState;
use crate::event_loop::LoopState;

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
    /// The op's metrics, when the runtime keeps them.
    pub(crate) metrics: Option<Rc<MetricsCell>>,
}

/// The op's `OpState` was already borrowed: a re-entrant op call.
#[derive(Debug)]
pub(crate) struct StateBorrowed;

impl OpCtx {
    pub(crate) fn new(
        decl: OpDecl,
        state: Rc<RefCell<OpState>>,
        event_loop: Rc<LoopState>,
        metrics: bool,
    ) -> Self {
        Self {
            min_args: decl.min_args(),
            decl,
            state,
            event_loop,
            metrics: metrics.then(Rc::default),
        }
    }

    /// Counts a call that threw (when the runtime keeps metrics).
    #[cold]
    pub(crate) fn record_error(&self) {
        if let Some(metrics) = &self.metrics {
            metrics.update(|m| m.errors += 1);
        }
    }

    /// The context behind an op function's data.
    ///
    /// # Safety
    ///
    /// `data` must be a `v8::External` the runtime made for a live `OpCtx`.
    #[inline(always)]
    pub(crate) unsafe fn from_data<'s>(data: v8::Local<'_, v8::Value>) -> &'s OpCtx {
        // SAFETY: the caller guarantees `data` is an External.
        let external = unsafe { v8::Local::<v8::External>::cast_unchecked(data) };
        // SAFETY: the caller guarantees it points to a live OpCtx, which the
        // runtime keeps alive (boxed, never moved) for as long as the isolate.
        unsafe { &*external.value().cast::<OpCtx>() }
    }

    /// The state, shared; a re-entrant call that finds it borrowed fails.
    #[inline]
    pub(crate) fn borrow_state(&self) -> Result<Ref<'_, OpState>, StateBorrowed> {
        self.state.try_borrow().map_err(|_| StateBorrowed)
    }

    /// The state, exclusively; a re-entrant call that finds it borrowed fails.
    #[inline]
    pub(crate) fn borrow_state_mut(&self) -> Result<RefMut<'_, OpState>, StateBorrowed> {
        self.state.try_borrow_mut().map_err(|_| StateBorrowed)
    }
}
