//! The body of every sync op callback (and the shared part of async ones):
//! find the op's context, check arity, convert arguments, call the op,
//! convert the result, and turn failures and panics into JS exceptions.
//! Generated code calls [`dispatch_sync`] with a closure that does the
//! op-specific part, working on a [`CallCx`].

use std::cell::{Ref, RefCell, RefMut};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use super::throw::{Failure, Throw, throw, throw_panic};
use crate::OpError;
use crate::convert::{FromV8, Region, StrBuf, ToV8, ViewStore, read_view, write_view};
use crate::error::to_js::throw_error;
use crate::ops::OpState;
use crate::ops::ctx::OpCtx;
use crate::resources::signal::{AbortSignal, SignalArg};

/// What a sync op's closure works with.
#[doc(hidden)]
pub struct CallCx<'a, 's> {
    pub(super) scope: &'a mut v8::PinScope<'s, 's>,
    pub(super) args: v8::FunctionCallbackArguments<'s>,
    pub(super) rv: v8::ReturnValue<'s, v8::Value>,
    pub(super) ctx: &'s OpCtx,
    /// Index of the first op argument among the JS arguments (async ops get
    /// a promise id first).
    base: i32,
    /// Buffer arguments borrowed so far.
    borrowed: Borrows,
    /// The first `AbortSignal` argument, which cancels an async op.
    pub(super) signal: Option<AbortSignal>,
}

/// Most slice (`&[u8]`/`&mut [u8]`) arguments one op may take; the macro
/// enforces it.
const MAX_BUFFER_ARGS: usize = 8;

/// The buffer arguments of a call, for the aliasing check; no allocation and
/// no initialisation cost for ops that take none.
struct Borrows {
    len: usize,
    items: [std::mem::MaybeUninit<(usize, Region, bool)>; MAX_BUFFER_ARGS],
}

impl Borrows {
    #[inline]
    fn new() -> Self {
        Self {
            len: 0,
            items: [const { std::mem::MaybeUninit::uninit() }; MAX_BUFFER_ARGS],
        }
    }

    fn iter(&self) -> impl Iterator<Item = &(usize, Region, bool)> {
        // SAFETY: the first `len` items were written by `push`.
        self.items[..self.len]
            .iter()
            .map(|i| unsafe { i.assume_init_ref() })
    }

    fn push(&mut self, item: (usize, Region, bool)) {
        if self.len < MAX_BUFFER_ARGS {
            self.items[self.len].write(item);
            self.len += 1;
        }
    }
}

impl std::fmt::Debug for CallCx<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallCx")
            .field("op", &self.ctx.decl.name())
            .finish_non_exhaustive()
    }
}

impl<'s> CallCx<'_, 's> {
    /// JS argument `index` (0-based), unconverted.
    #[inline]
    pub(super) fn raw_arg(&self, index: usize) -> v8::Local<'s, v8::Value> {
        self.args.get(self.base + arg_index(index))
    }

    /// Converts JS argument `index` (0-based).
    #[inline]
    pub fn arg<T: FromV8<'s>>(&mut self, index: usize) -> Result<T, Throw> {
        let value = self.args.get(self.base + arg_index(index));
        T::from_v8(self.scope, value).map_err(|e| Throw::arg(index, e))
    }

    /// Reads JS argument `index` as a string into `buf`, borrowing it.
    #[inline]
    pub fn str_arg<'b>(&mut self, index: usize, buf: &'b mut StrBuf) -> Result<&'b str, Throw> {
        let value = self.args.get(self.base + arg_index(index));
        buf.read_str(self.scope, value)
            .map_err(|e| Throw::arg(index, e))
    }

    /// Like [`CallCx::str_arg`], for `Cow<str>` arguments.
    #[inline]
    pub fn cow_arg<'b>(
        &mut self,
        index: usize,
        buf: &'b mut StrBuf,
    ) -> Result<std::borrow::Cow<'b, str>, Throw> {
        let value = self.args.get(self.base + arg_index(index));
        buf.read(self.scope, value)
            .map_err(|e| Throw::arg(index, e))
    }

    /// Like [`CallCx::str_arg`], for `Option<&str>` arguments.
    #[inline]
    pub fn opt_str_arg<'b>(
        &mut self,
        index: usize,
        buf: &'b mut StrBuf,
    ) -> Result<Option<&'b str>, Throw> {
        let value = self.args.get(self.base + arg_index(index));
        if value.is_null_or_undefined() {
            return Ok(None);
        }
        buf.read_str(self.scope, value)
            .map(Some)
            .map_err(|e| Throw::arg(index, e.or_undefined()))
    }

    /// Like [`CallCx::cow_arg`], for `Option<Cow<str>>` arguments.
    #[inline]
    pub fn opt_cow_arg<'b>(
        &mut self,
        index: usize,
        buf: &'b mut StrBuf,
    ) -> Result<Option<std::borrow::Cow<'b, str>>, Throw> {
        let value = self.args.get(self.base + arg_index(index));
        if value.is_null_or_undefined() {
            return Ok(None);
        }
        buf.read(self.scope, value)
            .map(Some)
            .map_err(|e| Throw::arg(index, e.or_undefined()))
    }

    /// Deserializes JS argument `index` through serde.
    #[inline]
    pub fn serde_arg<T: serde::de::DeserializeOwned>(&mut self, index: usize) -> Result<T, Throw> {
        let value = self.args.get(self.base + arg_index(index));
        // Deserializing may run JS (getters, proxy traps). An exception it
        // throws is the op's error as it is; one that serde swallowed (an
        // untagged enum trying its variants) is dropped with it.
        v8::tc_scope!(let tc, self.scope);
        match crate::serde_v8::from_v8(tc, value) {
            Ok(v) => Ok(v),
            Err(_) if tc.has_caught() => {
                tc.rethrow();
                Err(Failure::Rethrown.into())
            }
            Err(e) => Err(Throw::serde(index, e)),
        }
    }

    /// Converts JS argument `index`, an `AbortSignal` (or an optional one);
    /// the first signal of a call cancels an async op when it aborts.
    #[inline]
    pub fn signal_arg<T: SignalArg<'s>>(&mut self, index: usize) -> Result<T, Throw> {
        let value = self.arg::<T>(index)?;
        if self.signal.is_none() {
            self.signal = value.signal().cloned();
        }
        Ok(value)
    }

    /// Views JS argument `index` (a typed array or buffer) for reading.
    #[inline]
    pub fn buffer_arg<'b>(
        &mut self,
        index: usize,
        store: &'b mut ViewStore,
    ) -> Result<&'b [u8], Throw>
    where
        's: 'b,
    {
        let value = self.args.get(self.base + arg_index(index));
        let bytes = read_view(value, store).map_err(|e| Throw::arg(index, e))?;
        let region = Region {
            ptr: bytes.as_ptr().cast_mut(),
            len: bytes.len(),
        };
        self.check_alias(index, region, false)?;
        Ok(bytes)
    }

    /// Views JS argument `index` in place, mutably; writes are what JS sees.
    #[inline]
    #[allow(
        clippy::mut_from_ref,
        reason = "the memory is JS's, checked not to alias other arguments"
    )]
    pub fn buffer_mut_arg(
        &mut self,
        index: usize,
        store: &mut ViewStore,
    ) -> Result<&'s mut [u8], Throw> {
        let value = self.args.get(self.base + arg_index(index));
        let region = write_view(value, store, |view| view.data().cast())
            .map_err(|e| Throw::arg(index, e))?;
        self.check_alias(index, region, true)?;
        // SAFETY: the live memory of a JS buffer kept alive by its handle for
        // the call ('s); no other buffer argument of this call overlaps it
        // (checked just above), so this is the only Rust reference to it.
        Ok(unsafe { std::slice::from_raw_parts_mut(region.ptr, region.len) })
    }

    fn check_alias(&mut self, index: usize, region: Region, mutable: bool) -> Result<(), Throw> {
        for (other, seen, seen_mut) in self.borrowed.iter() {
            let overlaps = region.len > 0
                && seen.len > 0
                && (region.ptr as usize) < (seen.ptr as usize) + seen.len
                && (seen.ptr as usize) < (region.ptr as usize) + region.len;
            if overlaps && (mutable || *seen_mut) {
                return Err(Failure::Overlap(index, *other).into());
            }
        }
        self.borrowed.push((index, region, mutable));
        Ok(())
    }

    /// The runtime's `OpState`, shared.
    #[inline]
    pub fn state(&self) -> Result<Ref<'s, OpState>, Throw> {
        Ok(self.ctx.borrow_state()?)
    }

    /// The runtime's `OpState`, exclusively.
    #[inline]
    pub fn state_mut(&self) -> Result<RefMut<'s, OpState>, Throw> {
        Ok(self.ctx.borrow_state_mut()?)
    }

    /// The runtime's `OpState` handle.
    #[inline]
    pub fn state_rc(&self) -> Rc<RefCell<OpState>> {
        self.ctx.state.clone()
    }

    /// The V8 scope, for ops that take `&mut v8::PinScope`.
    #[inline]
    pub fn scope(&mut self) -> &mut v8::PinScope<'s, 's> {
        self.scope
    }

    /// The op's JS name.
    #[inline]
    pub(super) fn op_name(&self) -> &'static str {
        self.ctx.decl.name()
    }

    /// Sets the op's result as the JS return value, or fails with its error.
    #[inline]
    pub fn ret<R: IntoOpResult<'s>>(&mut self, result: R) -> Result<(), Throw> {
        let value = result.into_op_result().map_err(Throw::op)?;
        value.set_ret(self.scope, &mut self.rv).map_err(Throw::ret)
    }
}

#[inline]
fn arg_index(index: usize) -> i32 {
    // Op arity is checked against `args.length()` (an i32) before any
    // argument is read, so every index fits.
    i32::try_from(index).unwrap_or(i32::MAX)
}

/// An op's return value: a plain value, or a `Result` whose error becomes a
/// JS exception.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from an op",
    note = "return a type that implements opwire::ToV8, or Result<T, E> with E: Into<opwire::OpError>"
)]
pub trait IntoOpResult<'s> {
    /// The success value.
    type Ok: ToV8<'s>;
    /// Splits into success value or op error.
    fn into_op_result(self) -> Result<Self::Ok, OpError>;
}

impl<'s, T: ToV8<'s>> IntoOpResult<'s> for T {
    type Ok = T;
    #[inline]
    fn into_op_result(self) -> Result<T, OpError> {
        Ok(self)
    }
}

impl<'s, T: ToV8<'s>, E: Into<OpError>> IntoOpResult<'s> for Result<T, E> {
    type Ok = T;
    #[inline]
    fn into_op_result(self) -> Result<T, OpError> {
        self.map_err(Into::into)
    }
}

/// Runs a sync op: the shared part of every generated V8 callback.
///
/// # Safety
///
/// `info` must be the pointer V8 passed to a callback of a function whose
/// data is a `v8::External` made by the runtime for an [`OpCtx`] that is
/// still alive.
#[doc(hidden)]
#[inline(always)]
pub unsafe fn dispatch_sync<F>(info: *const v8::FunctionCallbackInfo, f: F)
where
    F: for<'a, 's> FnOnce(&mut CallCx<'a, 's>) -> Result<(), Throw>,
{
    // SAFETY: forwarded from our caller.
    unsafe { dispatch(info, 0, f) }
}

/// The shared body of sync and async op callbacks; op arguments start at
/// JS argument `base`.
///
/// # Safety
///
/// As [`dispatch_sync`].
#[inline(always)]
pub(super) unsafe fn dispatch<F>(info: *const v8::FunctionCallbackInfo, base: i32, f: F)
where
    F: for<'a, 's> FnOnce(&mut CallCx<'a, 's>) -> Result<(), Throw>,
{
    // SAFETY: V8 passes a valid info pointer that outlives the callback.
    let info = unsafe { &*info };
    // SAFETY: we are inside a V8 function callback, which is what
    // `CallbackScope::new` requires of a `FunctionCallbackInfo`.
    let scope = std::pin::pin!(unsafe { v8::CallbackScope::new(info) });
    let mut scope = scope.init();
    let args = v8::FunctionCallbackArguments::from_function_callback_info(info);
    let rv = v8::ReturnValue::from_function_callback_info(info);
    // SAFETY: the caller guarantees the data is an External for a live OpCtx.
    let ctx = unsafe { OpCtx::from_data(args.data()) };
    let given = usize::try_from(args.length() - base).unwrap_or(0);
    if given < ctx.min_args || given > ctx.decl.max_args() {
        throw_arity(&mut scope, ctx, given);
        return;
    }
    let mut cx = CallCx {
        scope: &mut scope,
        args,
        rv,
        ctx,
        base,
        borrowed: Borrows::new(),
        signal: None,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut cx)));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            ctx.record_error();
            throw(&mut scope, &ctx.decl, err);
        }
        Err(panic) => {
            ctx.record_error();
            throw_panic(&mut scope, &ctx.decl, panic.as_ref());
        }
    }
}

fn throw_arity(scope: &mut v8::PinScope<'_, '_>, ctx: &OpCtx, given: usize) {
    let decl = &ctx.decl;
    let (min, max) = (ctx.min_args, decl.max_args());
    let expected = if min == max {
        format!("{min} argument{}", if min == 1 { "" } else { "s" })
    } else {
        format!("{min} to {max} arguments")
    };
    let message = if given < min {
        let missing = &decl.args()[given];
        format!(
            "{}: missing argument '{}' (#{}): expected {expected}, got {given}",
            decl.name(),
            missing.name,
            given + 1
        )
    } else {
        format!("{}: expected {expected}, got {given}", decl.name())
    };
    throw_error(scope, "TypeError", &message, None);
}
