//! [`JsCallback`]: a handle that calls a JS function from any thread.

use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use futures::channel::oneshot;

use super::args::CallbackArgs;
use super::queue::{Call, Entry};
use super::registry::Callbacks;
use crate::convert::{ConvError, FromV8};
use crate::error::Error;

/// A JS function that Rust calls later, from the runtime's thread or any
/// other: `Send + Sync + Clone`.
///
/// An op gets one by taking an argument of this type (JS must pass a
/// function: anything else is a `TypeError` naming the op and the
/// argument); [`JsRuntime::eval`](crate::JsRuntime::eval) and other
/// conversions give one too. Every clone calls the same function.
///
/// **Calls** are queued to the runtime's event loop, which wakes and runs
/// them in the order each thread made them, one JS call followed by a
/// microtask checkpoint each. The arguments are Rust values
/// ([`CallbackArgs`]: a tuple) converted to JS on the runtime's thread;
/// [`JsCallback::call`] converts the result back there into a Rust value
/// (awaiting the promise when the function returns one) and gives it to
/// the caller. [`JsCallback::fire`] and [`JsCallback::blocking_fire`] call
/// without waiting for the result.
///
/// **Errors.** A JS exception (or rejection) goes to the caller of `call`
/// as [`Error::Js`]; a value that does not convert, as
/// [`Error::Conversion`]. When no caller waits (a `fire`, or a `call`
/// whose future was dropped), it is reported like an uncaught error:
/// [`JsRuntime::run_event_loop`](crate::JsRuntime::run_event_loop) returns
/// it, unless the
/// [unhandled-rejection handler](crate::JsRuntime::set_unhandled_rejection_handler)
/// takes it. Once the runtime is dropped, every call (and every caller
/// still waiting) fails with [`Error::RuntimeDropped`].
///
/// **Keep-alive.** While a handle to the function exists and is
/// referenced, the runtime's event loop does not finish: it waits for
/// calls. [`JsCallback::unref`] (or dropping every handle, and every call
/// still queued) lets it finish; [`JsCallback::reference`] undoes `unref`.
/// The flag belongs to the function, so it is shared by every clone. A call
/// through an unreferenced handle runs if the loop is running (or the next
/// time it runs).
///
/// **Backpressure.** At most 1024 calls made on other threads wait in a
/// runtime's queue; beyond that `call` and `fire` wait (and `blocking_fire`
/// blocks) until the loop has taken some. Calls made on the runtime's own
/// thread never wait for room: its loop cannot run while it waits.
///
/// # Examples
///
/// ```
/// use opwire::{op, JsCallback, JsRuntime, OpState, RuntimeOptions};
///
/// /// Calls `listener` with 1, 2, 3 from another thread, then drops it.
/// #[op]
/// fn op_count_to_three(listener: JsCallback) {
///     std::thread::spawn(move || {
///         for i in 1..=3u32 {
///             listener.blocking_fire((i,)).unwrap();
///         }
///     });
/// }
///
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// # rt.block_on(async {
/// let mut js = JsRuntime::new(RuntimeOptions {
///     ops: vec![op_count_to_three::DECL],
///     ..Default::default()
/// });
/// js.execute_script("main.js", "globalThis.seen = []; ops.op_count_to_three((n) => seen.push(n))")
///     .unwrap();
/// // Returns once the thread has dropped the listener.
/// js.run_event_loop().await.unwrap();
/// assert_eq!(js.eval::<String>("seen.js", "seen.join()").unwrap(), "1,2,3");
///
/// // A result, from an async function, while the loop runs:
/// let double: JsCallback = js.eval("f.js", "async (x) => x * 2").unwrap();
/// let call = async {
///     let n: u32 = double.call((21u32,)).await.unwrap();
///     double.unref(); // now the loop may finish
///     n
/// };
/// let (n, done) = tokio::join!(call, js.run_event_loop());
/// assert_eq!((n, done.unwrap()), (42, ()));
/// # });
/// ```
#[derive(Clone)]
pub struct JsCallback(Arc<Entry>);

impl JsCallback {
    /// Calls the function with `args` and gives its result, converted to
    /// `R` (`()` takes any result). For an async function (one that
    /// returns a promise), the result is what the promise fulfills with.
    ///
    /// The returned future is lazy: the call is queued when it is first
    /// polled. It is `Send + 'static`, so it can be spawned or sent.
    ///
    /// # Errors
    ///
    /// [`Error::Js`] if the function throws or its promise rejects;
    /// [`Error::Conversion`] if an argument or the result does not
    /// convert; [`Error::RuntimeDropped`] if the runtime was dropped before
    /// the call finished; [`Error::Terminated`] if the call was terminated.
    pub fn call<R, A>(&self, args: A) -> impl Future<Output = Result<R, Error>> + Send + 'static
    where
        R: for<'s> FromV8<'s> + Send + 'static,
        A: CallbackArgs,
    {
        let entry = self.0.clone();
        async move {
            let (reply, result) = oneshot::channel();
            let call = Call {
                args: Some(args),
                reply: Some(reply),
            };
            entry.enqueue(Box::new(call)).await?;
            result.await.map_err(|_| Error::RuntimeDropped)?
        }
    }

    /// Queues a call with `args` and returns once it is queued, without
    /// waiting for it to run. An exception in it (or a rejection of the
    /// promise it returns) is reported like an uncaught error.
    ///
    /// Like [`JsCallback::call`], the future is lazy and `Send + 'static`;
    /// it waits only while the queue has no room.
    ///
    /// # Errors
    ///
    /// [`Error::RuntimeDropped`] if the runtime was dropped.
    pub fn fire<A: CallbackArgs>(
        &self,
        args: A,
    ) -> impl Future<Output = Result<(), Error>> + Send + 'static {
        let entry = self.0.clone();
        async move { entry.enqueue(Box::new(fire_call(args))).await }
    }

    /// Like [`JsCallback::fire`], for threads outside async code: it blocks
    /// while the queue has no room (never on the runtime's own thread).
    ///
    /// # Errors
    ///
    /// [`Error::RuntimeDropped`] if the runtime was dropped.
    pub fn blocking_fire<A: CallbackArgs>(&self, args: A) -> Result<(), Error> {
        self.0.clone().enqueue_blocking(Box::new(fire_call(args)))
    }

    /// Lets the runtime's event loop finish while this function's handles
    /// exist (for every clone).
    pub fn unref(&self) {
        self.0.unref();
    }

    /// Makes this function's handles keep the event loop alive again (the
    /// default).
    pub fn reference(&self) {
        self.0.reference();
    }

    /// Whether the handles keep the event loop alive.
    pub fn is_referenced(&self) -> bool {
        self.0.is_referenced()
    }
}

/// A call nobody waits for.
fn fire_call<A: CallbackArgs>(args: A) -> Call<A, ()> {
    Call {
        args: Some(args),
        reply: None,
    }
}

impl std::fmt::Debug for JsCallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsCallback")
            .field("referenced", &self.is_referenced())
            .finish_non_exhaustive()
    }
}

impl<'s> FromV8<'s> for JsCallback {
    fn from_v8(
        scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        let function = v8::Local::<v8::Function>::try_from(value)
            .map_err(|_| ConvError::new("function", value, None))?;
        let callbacks = scope
            .get_slot::<Rc<Callbacks>>()
            .cloned()
            .ok_or_else(|| ConvError::message("a JsCallback needs a JsRuntime's isolate"))?;
        Ok(JsCallback(callbacks.register(scope, function)))
    }
}
