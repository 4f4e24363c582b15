//! The V8 Fast API path of sync ops (async ops build theirs on it in
//! [`fast_async`](super::fast_async)).
//!
//! Once JS code calling an op is optimized, V8 calls the op's fast function
//! directly (no `FunctionCallbackInfo`, no handle scope) when the arguments
//! have the expected JS types; otherwise, and before optimization, it calls
//! the regular (slow) callback. Both paths apply the same conversion rules,
//! so they agree: integers (8 to 32 bits, and 64-bit `#[number]` ones)
//! arrive as a plain `Int64`, which V8 passes only for a Number that is
//! exactly an integer within `i64` (NaN, infinities, fractions and larger
//! values make V8 call the slow path, which applies the whole `[EnforceRange]`
//! rule of [`crate::convert`]); the Rust type's range is checked here.
//! Booleans arrive as values (V8's `Bool` conversion would coerce), strings
//! as sequential one-byte strings.
//!
//! Why not `Int32` with V8's `[EnforceRange]` flag: on some CPUs V8's code for
//! that flag doubles the cost of a call (`sync_add`: 4.0 ns against 2.0 ns
//! for plain `Int32` and 2.1 ns for plain `Int64`, `BENCHMARKS.md`), and
//! plain `Int32` truncates (`NaN` arrives as `0`, `2**32 + 1` as `1`).
//!
//! `#[bigint]` arguments have no fast path: V8's `Int64`/`Uint64` with the
//! BigInt representation wraps out-of-range BigInts (`2n ** 63n` arrives as
//! `i64::MIN`) where the slow path refuses them.
//!
//! Errors (a bad argument, an `Err` return, a panic) are thrown from inside
//! the fast call with native V8 calls only: no JS runs during a fast call.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::fast_str::FastStrBuf;
use super::metered;
use super::throw::{Throw, throw, throw_panic};
use crate::OpError;
use crate::convert::number::{OUT_OF_RANGE, number_error, safe_integer, to_safe_number};
use crate::convert::output::RetError;
use crate::convert::{AsNumber, ConvError, Int64, ViewStore, read_view, write_view};
use crate::ops::OpState;
use crate::ops::ctx::OpCtx;

pub use v8::fast_api::{
    CFunction, CFunctionInfo, FastApiCallbackOptions, FastApiOneByteString, Int64Representation,
    Type,
};

thread_local! {
    static FAST_CALLS: Cell<u64> = const { Cell::new(0) };
}

/// How many fast-path op calls this thread has made (counted only with the
/// `counters` feature; always 0 otherwise). For tests that must prove the
/// fast path ran.
pub fn fast_calls() -> u64 {
    FAST_CALLS.with(Cell::get)
}

/// What a fast op's closure works with.
#[doc(hidden)]
pub struct FastCx<'a> {
    options: *mut FastApiCallbackOptions<'a>,
}

impl std::fmt::Debug for FastCx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FastCx")
    }
}

impl<'a> FastCx<'a> {
    pub(crate) fn new(options: *mut FastApiCallbackOptions<'a>) -> Self {
        Self { options }
    }

    pub(crate) fn ctx(&self) -> &'a OpCtx {
        // SAFETY: V8 passes valid options for the duration of the fast call;
        // their data is the op function's data, the External the runtime
        // made for a live OpCtx.
        unsafe { OpCtx::from_data((*self.options).data) }
    }

    /// An integer argument of at most 32 bits, which V8 passes as an exact
    /// `Int64`: checked against the type's range as on the slow path.
    #[inline(always)]
    pub fn narrow<T: TryFrom<i64>>(
        &self,
        raw: i64,
        index: usize,
        name: &'static str,
    ) -> Result<T, Throw> {
        match T::try_from(raw) {
            Ok(v) => Ok(v),
            Err(_) => Err(integer_failed(index, name, raw, OUT_OF_RANGE)),
        }
    }

    /// A `#[number]` 64-bit argument, which V8 passes as an exact `Int64`:
    /// checked to be a safe integer in range, as on the slow path.
    #[inline(always)]
    pub fn int64<T: Int64>(&self, raw: i64, index: usize) -> Result<T, Throw> {
        match safe_integer(raw) {
            Ok(v) => Ok(v),
            Err(reason) => Err(integer_failed(index, T::NAME, raw, reason)),
        }
    }

    /// A boolean argument, passed as a value so that nothing is coerced.
    #[inline(always)]
    pub fn bool(&self, raw: v8::Local<'_, v8::Value>, index: usize) -> Result<bool, Throw> {
        if raw.is_true() {
            Ok(true)
        } else if raw.is_false() {
            Ok(false)
        } else {
            Err(Throw::arg(index, ConvError::new("boolean", raw, None)))
        }
    }

    /// A `&str` argument from a sequential one-byte string, when it is
    /// ASCII (then it is valid UTF-8 as is); `None` otherwise.
    ///
    /// # Safety
    ///
    /// `raw` must be the string pointer V8 passed to the current fast call.
    #[inline(always)]
    pub unsafe fn ascii<'v>(&self, raw: *const FastApiOneByteString) -> Option<&'v str> {
        // SAFETY: V8 passes a valid one-byte string for the fast call.
        let bytes = unsafe { (*raw).as_bytes() };
        // SAFETY: ASCII is valid UTF-8; the string outlives the call.
        bytes.is_ascii().then(|| unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(bytes.as_ptr(), bytes.len()))
        })
    }

    /// A non-ASCII one-byte (Latin-1) string argument, transcoded to UTF-8.
    ///
    /// # Safety
    ///
    /// As [`FastCx::ascii`].
    #[cold]
    pub unsafe fn latin1(&self, raw: *const FastApiOneByteString) -> FastStrBuf {
        // SAFETY: V8 passes a valid one-byte string for the fast call.
        FastStrBuf::latin1(unsafe { (*raw).as_bytes() })
    }

    /// A `&[u8]` argument (an op has at most one buffer argument when it
    /// also takes a `&mut [u8]`, so views cannot alias on the fast path).
    #[inline(always)]
    pub fn slice<'v>(
        &self,
        raw: v8::Local<'v, v8::Value>,
        index: usize,
        store: &'v mut ViewStore,
    ) -> Result<&'v [u8], Throw> {
        read_view(raw, store).map_err(|e| Throw::arg(index, e))
    }

    /// A `&mut [u8]` argument, the op's only buffer argument.
    #[inline(always)]
    #[allow(
        clippy::mut_from_ref,
        reason = "the memory is JS's; the macro allows no other buffer argument"
    )]
    pub fn slice_mut<'v>(
        &self,
        raw: v8::Local<'v, v8::Value>,
        index: usize,
        store: &mut ViewStore,
    ) -> Result<&'v mut [u8], Throw> {
        let options = self.options;
        let materialize = |view: v8::Local<'_, v8::ArrayBufferView>| {
            // SAFETY: V8 passes valid options for the duration of the fast
            // call; a handle scope may be opened inside it.
            let isolate = unsafe { (*options).isolate_unchecked_mut() };
            v8::scope!(let _scope, isolate);
            view.data().cast::<u8>()
        };
        let region = write_view(raw, store, materialize).map_err(|e| Throw::arg(index, e))?;
        // SAFETY: the buffer's live memory, kept alive by the handle for the
        // call; it is the call's only buffer argument; no JS runs.
        Ok(unsafe { std::slice::from_raw_parts_mut(region.ptr, region.len) })
    }

    /// The runtime's `OpState`, shared.
    #[inline(always)]
    pub fn state(&self) -> Result<std::cell::Ref<'a, OpState>, Throw> {
        Ok(self.ctx().borrow_state()?)
    }

    /// The runtime's `OpState`, exclusively.
    #[inline(always)]
    pub fn state_mut(&self) -> Result<std::cell::RefMut<'a, OpState>, Throw> {
        Ok(self.ctx().borrow_state_mut()?)
    }

    /// The runtime's `OpState` handle.
    #[inline(always)]
    pub fn state_rc(&self) -> std::rc::Rc<std::cell::RefCell<OpState>> {
        self.ctx().state.clone()
    }
}

/// The error for integer argument `index` (Number `raw`) refused as a
/// `name` for `reason`; apart so that the success path stays small.
#[cold]
#[inline(never)]
fn integer_failed(index: usize, name: &'static str, raw: i64, reason: &'static str) -> Throw {
    #[allow(
        clippy::cast_precision_loss,
        reason = "only for the message, which shows the Number JS passed"
    )]
    Throw::arg(index, number_error(name, raw as f64, reason))
}

/// A value a fast op returns, as the C type V8 expects.
#[doc(hidden)]
pub trait FastRet {
    /// The C return type.
    type Raw: Default;
    /// Converts, or fails (an op error, a value out of range).
    ///
    /// # Errors
    ///
    /// The op's error, or a value with no JS form.
    fn into_raw(self) -> Result<Self::Raw, RetError>;
}

macro_rules! fast_ret {
    ($($t:ty => $raw:ty),*) => {$(
        impl FastRet for $t {
            type Raw = $raw;
            #[inline(always)]
            fn into_raw(self) -> Result<$raw, RetError> {
                Ok(<$raw>::from(self))
            }
        }
    )*};
}
fast_ret!(() => (), bool => bool, i8 => i32, i16 => i32, i32 => i32, u8 => u32, u16 => u32, u32 => u32, f32 => f32, f64 => f64);

impl<T: Int64> FastRet for AsNumber<T> {
    type Raw = f64;
    #[inline(always)]
    fn into_raw(self) -> Result<f64, RetError> {
        to_safe_number(self.0).map_err(RetError::Conversion)
    }
}

impl<T: FastRet, E: Into<OpError>> FastRet for Result<T, E> {
    type Raw = T::Raw;
    #[inline(always)]
    fn into_raw(self) -> Result<T::Raw, RetError> {
        match self {
            Ok(v) => v.into_raw(),
            Err(e) => Err(RetError::Op(e.into())),
        }
    }
}

/// Runs a sync op's fast path: the shared part of every generated fast
/// function. On failure it throws (natively, without running JS) and
/// returns the C type's default.
///
/// # Safety
///
/// `options` must be the pointer V8 passed to a fast function of an op
/// function created by the runtime (whose data is the op's context).
/// `metered` is true in the fast function a runtime with op metrics
/// registers (a constant there, so the check folds away).
#[doc(hidden)]
#[inline(always)]
pub unsafe fn dispatch_fast<'a, R, F>(
    options: *mut FastApiCallbackOptions<'a>,
    metered: bool,
    f: F,
) -> R::Raw
where
    R: FastRet,
    F: FnOnce(&FastCx<'a>) -> Result<R, Throw>,
{
    count_fast_call();
    let cx = FastCx { options };
    if metered {
        metered::fast_call(cx.ctx());
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| Ok(f(&cx)?.into_raw()?)));
    // SAFETY: forwarded from our caller.
    unsafe { finish(options, outcome) }
}

/// Counts a fast call (with the `counters` feature).
#[inline(always)]
pub(crate) fn count_fast_call() {
    #[cfg(feature = "counters")]
    FAST_CALLS.with(|c| c.set(c.get() + 1));
}

/// The raw value of a fast call's outcome, or the C type's default after
/// throwing its error or panic.
///
/// # Safety
///
/// As [`dispatch_fast`].
#[inline(always)]
pub(crate) unsafe fn finish<T: Default>(
    options: *mut FastApiCallbackOptions<'_>,
    outcome: std::thread::Result<Result<T, Throw>>,
) -> T {
    match outcome {
        Ok(Ok(raw)) => raw,
        Ok(Err(err)) => {
            // SAFETY: forwarded from our caller.
            unsafe { throw_from_fast(options, |scope, ctx| throw(scope, &ctx.decl, err)) };
            T::default()
        }
        Err(panic) => {
            // SAFETY: forwarded from our caller.
            unsafe {
                throw_from_fast(options, |scope, ctx| {
                    throw_panic(scope, &ctx.decl, panic.as_ref())
                })
            };
            T::default()
        }
    }
}

/// Opens a scope inside a fast call and throws with `throw`.
///
/// # Safety
///
/// As [`dispatch_fast`].
#[cold]
unsafe fn throw_from_fast(
    options: *mut FastApiCallbackOptions<'_>,
    throw: impl FnOnce(&mut v8::PinScope<'_, '_>, &OpCtx),
) {
    let cx = FastCx { options };
    let ctx = cx.ctx();
    ctx.record_error();
    // SAFETY: V8 passes valid options for the duration of the fast call.
    let options = unsafe { &*options };
    // SAFETY: we are inside the fast call the options belong to, which is
    // what `CallbackScope::new` requires of them.
    let scope = std::pin::pin!(unsafe { v8::CallbackScope::new(options) });
    let mut scope = scope.init();
    throw(&mut scope, ctx);
}
