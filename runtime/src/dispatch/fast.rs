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
//!
//! Only ops that need their context during the call (`OpState`, a `&mut
//! [u8]`, async ops) and the fast functions of a runtime with op metrics
//! take V8's `FastApiCallbackOptions`: V8 fills that struct on every call,
//! which cost about half a nanosecond per call (`BENCHMARKS.md`). The
//! others ([`dispatch_fast_free`]) know their op statically and find the
//! isolate to throw into through [`running`](super::running).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::fast_str::FastStrBuf;
use super::metered;
use super::running::running;
use super::throw::{Throw, throw, throw_panic};
use crate::OpError;
use crate::convert::number::{OUT_OF_RANGE, number_error, safe_integer, to_safe_number};
use crate::convert::output::RetError;
use crate::convert::{AsNumber, ConvError, Int64, ViewStore, read_view, write_view};
use crate::ops::ctx::OpCtx;
use crate::ops::{OpDecl, OpState};

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
    /// Null in the fast function of an op that takes no options (the
    /// macro then calls none of the methods that need them).
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
        debug_assert!(
            !self.options.is_null(),
            "an op without options asked for its context"
        );
        // SAFETY: V8 passes valid options for the duration of the fast call;
        // their data is the op function's data, the External the runtime
        // made for a live OpCtx. Only fast functions that take options call
        // this (the macro gives every op that needs its context options).
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
    ) -> Result<T, FastFail> {
        match T::try_from(raw) {
            Ok(v) => Ok(v),
            Err(_) => Err(FastFail::Integer {
                index,
                name,
                raw,
                reason: OUT_OF_RANGE,
            }),
        }
    }

    /// A `#[number]` 64-bit argument, which V8 passes as an exact `Int64`:
    /// checked to be a safe integer in range, as on the slow path.
    #[inline(always)]
    pub fn int64<T: Int64>(&self, raw: i64, index: usize) -> Result<T, FastFail> {
        match safe_integer(raw) {
            Ok(v) => Ok(v),
            Err(reason) => Err(FastFail::Integer {
                index,
                name: T::NAME,
                raw,
                reason,
            }),
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
        debug_assert!(!options.is_null(), "an op with a `&mut [u8]` takes options");
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

/// Why a fast call failed. An integer argument out of range is kept as
/// plain data until the call's one failure branch turns it into a
/// [`Throw`]: building the error there, not at each argument, leaves the
/// success path of a fast function without a call or a stack frame.
#[doc(hidden)]
#[derive(Debug)]
pub enum FastFail {
    /// Integer argument `index` (Number `raw`) was refused as a `name` for
    /// `reason`.
    Integer {
        /// 0-based JS position.
        index: usize,
        /// The Rust type.
        name: &'static str,
        /// What JS passed.
        raw: i64,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Any other failure.
    Throw(Throw),
}

impl From<Throw> for FastFail {
    #[inline(always)]
    fn from(throw: Throw) -> Self {
        FastFail::Throw(throw)
    }
}

impl From<RetError> for FastFail {
    #[inline(always)]
    fn from(err: RetError) -> Self {
        FastFail::Throw(err.into())
    }
}

impl From<FastFail> for Throw {
    #[cold]
    #[inline(never)]
    fn from(fail: FastFail) -> Self {
        match fail {
            FastFail::Integer {
                index,
                name,
                raw,
                reason,
            } =>
            {
                #[allow(
                    clippy::cast_precision_loss,
                    reason = "only for the message, which shows the Number JS passed"
                )]
                Throw::arg(index, number_error(name, raw as f64, reason))
            }
            FastFail::Throw(throw) => throw,
        }
    }
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
/// function that takes options. On failure it throws (natively, without
/// running JS) and returns the C type's default.
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
    F: FnOnce(&FastCx<'a>) -> Result<R, FastFail>,
{
    count_fast_call();
    let cx = FastCx { options };
    if metered {
        metered::fast_call(cx.ctx());
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<R::Raw, FastFail> {
        Ok(f(&cx)?.into_raw()?)
    }));
    // SAFETY: forwarded from our caller.
    unsafe { finish(Origin::Options(options), outcome) }
}

/// [`dispatch_fast`] for the fast function of op `decl` that takes no
/// options: a failure is thrown into the isolate marked
/// [`running`](super::running).
///
/// # Safety
///
/// Only for the fast function V8 calls for op `decl` in a runtime (whose
/// JS runs only while its isolate is marked running).
#[doc(hidden)]
#[inline(always)]
pub unsafe fn dispatch_fast_free<'a, R, F>(decl: &'static OpDecl, f: F) -> R::Raw
where
    R: FastRet,
    F: FnOnce(&FastCx<'a>) -> Result<R, FastFail>,
{
    count_fast_call();
    let cx = FastCx {
        options: std::ptr::null_mut(),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<R::Raw, FastFail> {
        Ok(f(&cx)?.into_raw()?)
    }));
    // SAFETY: forwarded from our caller.
    unsafe { finish(Origin::Decl(decl), outcome) }
}

/// Counts a fast call (with the `counters` feature).
#[inline(always)]
pub(crate) fn count_fast_call() {
    #[cfg(feature = "counters")]
    FAST_CALLS.with(|c| c.set(c.get() + 1));
}

/// Where a failing fast call finds its op and isolate.
#[derive(Clone, Copy)]
pub(crate) enum Origin<'a> {
    /// The options V8 passed (their data is the op's context).
    Options(*mut FastApiCallbackOptions<'a>),
    /// The op, statically; the isolate is the one marked running.
    Decl(&'static OpDecl),
}

/// How a fast call failed.
enum Failed {
    /// The op's or a conversion's error.
    Fail(FastFail),
    /// A caught panic's payload.
    Panic(Box<dyn std::any::Any + Send>),
}

/// The raw value of a fast call's outcome, or the C type's default after
/// throwing its error or panic.
///
/// # Safety
///
/// `origin` is the options of the current fast call (as
/// [`dispatch_fast`]), or the op of the current options-less one (as
/// [`dispatch_fast_free`]).
#[inline(always)]
pub(crate) unsafe fn finish<T: Default, E: Into<FastFail>>(
    origin: Origin<'_>,
    outcome: std::thread::Result<Result<T, E>>,
) -> T {
    let failed = match outcome {
        Ok(Ok(raw)) => return raw,
        Ok(Err(err)) => Failed::Fail(err.into()),
        Err(panic) => Failed::Panic(panic),
    };
    // SAFETY: forwarded from our caller.
    unsafe { throw_from_fast(origin, failed) };
    T::default()
}

/// Opens a scope inside a fast call and throws what `failed` says.
///
/// `extern "C"`: known not to unwind (a panic here aborts), so calling it
/// needs no landing pad, and a fast function's success path keeps no stack
/// frame (its only call is on the failure branch).
///
/// # Safety
///
/// As [`finish`].
#[cold]
#[inline(never)]
#[allow(
    improper_ctypes_definitions,
    reason = "called from Rust only; the ABI is for not unwinding"
)]
unsafe extern "C" fn throw_from_fast(origin: Origin<'_>, failed: Failed) {
    let throw_it = |scope: &mut v8::PinScope<'_, '_>, decl: &OpDecl| match failed {
        Failed::Fail(fail) => throw(scope, decl, fail.into()),
        Failed::Panic(panic) => throw_panic(scope, decl, panic.as_ref()),
    };
    match origin {
        Origin::Options(options) => {
            let cx = FastCx { options };
            let ctx = cx.ctx();
            ctx.record_error();
            // SAFETY: V8 passes valid options for the duration of the fast call.
            let options = unsafe { &*options };
            // SAFETY: we are inside the fast call the options belong to, which
            // is what `CallbackScope::new` requires of them.
            let scope = std::pin::pin!(unsafe { v8::CallbackScope::new(options) });
            let mut scope = scope.init();
            throw_it(&mut scope, &ctx.decl);
        }
        Origin::Decl(decl) => {
            let Some(marked) = running() else {
                // No runtime marked its isolate: V8 cannot be calling an
                // op's fast function, so this is a bug in opwire.
                eprintln!("opwire: op {} failed outside any runtime", decl.name());
                std::process::abort();
            };
            // SAFETY: the isolate marked running is the one whose JS called
            // this fast function (JS runs only inside a `Running` guard of
            // its own isolate), alive for the call. The `Isolate` is a
            // handle, not the owner: dropping it does not dispose anything.
            let mut isolate =
                unsafe { v8::Isolate::from_raw_isolate_ptr_unchecked(marked.isolate) };
            v8::scope!(let scope, &mut isolate);
            // SAFETY: the guard that marked the isolate borrows its context.
            let context = v8::Local::new(scope, unsafe { &*marked.context });
            let scope = &mut v8::ContextScope::new(scope, context);
            throw_it(scope, decl);
        }
    }
}
