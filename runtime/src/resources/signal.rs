//! [`AbortSignal`]: a JS `AbortSignal` seen from Rust.
//!
//! Each JS `AbortSignal` gets an id when it is created (a V8 private
//! property, which no script can read or forge). The Rust side exists only
//! while some op holds the signal: a registry maps ids to live Rust signals,
//! and aborting in JS cancels the Rust one, which drops the futures run
//! under it at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::{Rc, Weak};

use super::cancel::{CancelHandle, Cancelable};
use crate::OpError;
use crate::convert::{ConvError, FromV8};

/// A JS `AbortSignal` passed to an op.
///
/// An async op that takes one is cancelled when the signal aborts: its
/// future is dropped at once and its promise rejects with the signal's
/// `reason` (an `AbortError` unless JS gave another); an op called with a
/// signal that has already aborted rejects without starting. The op may
/// also check [`AbortSignal::aborted`] itself, or run part of its work
/// under the signal ([`AbortSignal::run`]).
///
/// # Examples
///
/// ```
/// use opwire::{op, AbortSignal, JsRuntime, RuntimeOptions};
///
/// #[op]
/// async fn op_slow(ms: u32, signal: Option<AbortSignal>) -> u32 {
///     let _ = signal; // the runtime cancels the op when it aborts
///     tokio::time::sleep(std::time::Duration::from_millis(ms.into())).await;
///     ms
/// }
///
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// # rt.block_on(async {
/// let mut js = JsRuntime::new(RuntimeOptions { ops: vec![op_slow::DECL], ..Default::default() });
/// let name: String = js
///     .eval_async("main.js", r#"
///         const controller = new AbortController();
///         const p = ops.op_slow(60_000, controller.signal);
///         controller.abort();
///         p.catch((e) => e.name)
///     "#)
///     .await
///     .unwrap();
/// assert_eq!(name, "AbortError");
/// # });
/// ```
#[derive(Clone)]
pub struct AbortSignal(Rc<SignalState>);

struct SignalState {
    id: u32,
    cancel: CancelHandle,
    /// What JS aborted with.
    reason: RefCell<Option<v8::Global<v8::Value>>>,
    registry: Weak<RefCell<Registry>>,
}

impl Drop for SignalState {
    fn drop(&mut self) {
        if let Some(registry) = self.registry.upgrade() {
            if let Ok(mut registry) = registry.try_borrow_mut() {
                registry.live.remove(&self.id);
            }
        }
    }
}

/// The signals some op holds, by id; a runtime's isolate keeps one.
#[derive(Default)]
struct Registry {
    live: HashMap<u32, Weak<SignalState>>,
    next_id: u32,
}

type SharedRegistry = Rc<RefCell<Registry>>;

impl AbortSignal {
    /// Whether the signal has aborted.
    pub fn aborted(&self) -> bool {
        self.0.cancel.is_cancelled()
    }

    /// Runs `future` until it finishes or the signal aborts; then it is
    /// dropped at once and the result is an `AbortError`.
    pub fn run<F: Future + 'static>(&self, future: F) -> Cancelable<F> {
        self.0.cancel.run(future)
    }

    /// The value JS aborted with, once it has aborted.
    pub(crate) fn reason(&self) -> Option<v8::Global<v8::Value>> {
        self.0.reason.borrow().clone()
    }
}

impl std::fmt::Debug for AbortSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AbortSignal")
            .field("aborted", &self.aborted())
            .finish()
    }
}

/// The private property holding a JS signal's id.
fn id_key<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Private> {
    let name = v8::String::new(scope, "opwire.AbortSignal#id");
    v8::Private::for_api(scope, name)
}

/// The private property holding a JS signal's abort reason.
fn reason_key<'s>(scope: &mut v8::PinScope<'s, '_>) -> v8::Local<'s, v8::Private> {
    let name = v8::String::new(scope, "opwire.AbortSignal#reason");
    v8::Private::for_api(scope, name)
}

fn registry(scope: &mut v8::PinScope<'_, '_>) -> SharedRegistry {
    if let Some(registry) = scope.get_slot::<SharedRegistry>() {
        return registry.clone();
    }
    let registry = SharedRegistry::default();
    scope.set_slot(registry.clone());
    registry
}

/// Marks `signal` (a new JS `AbortSignal`) as one, with a fresh id.
pub(crate) fn brand(scope: &mut v8::PinScope<'_, '_>, signal: v8::Local<'_, v8::Object>) {
    let registry = registry(scope);
    let id = {
        let mut registry = registry.borrow_mut();
        registry.next_id = registry.next_id.wrapping_add(1);
        registry.next_id
    };
    let key = id_key(scope);
    let id = v8::Integer::new_from_unsigned(scope, id);
    signal.set_private(scope, key, id.into());
}

/// JS aborted `signal` with `reason`: remembers the reason on the object
/// and cancels the Rust side, if an op holds it.
pub(crate) fn abort(
    scope: &mut v8::PinScope<'_, '_>,
    signal: v8::Local<'_, v8::Object>,
    reason: v8::Local<'_, v8::Value>,
) {
    let key = reason_key(scope);
    signal.set_private(scope, key, reason);
    let Some(id) = signal_id(scope, signal) else {
        return;
    };
    let live = registry(scope)
        .borrow()
        .live
        .get(&id)
        .and_then(Weak::upgrade);
    if let Some(state) = live {
        *state.reason.borrow_mut() = Some(v8::Global::new(scope, reason));
        state.cancel.cancel();
    }
}

fn signal_id(scope: &mut v8::PinScope<'_, '_>, signal: v8::Local<'_, v8::Object>) -> Option<u32> {
    let key = id_key(scope);
    let id = signal.get_private(scope, key)?;
    id.is_uint32().then(|| id.uint32_value(scope)).flatten()
}

impl<'s> FromV8<'s> for AbortSignal {
    fn from_v8(
        scope: &mut v8::PinScope<'s, '_>,
        value: v8::Local<'s, v8::Value>,
    ) -> Result<Self, ConvError> {
        let not_a_signal = || ConvError::new("AbortSignal", value, None);
        let object = v8::Local::<v8::Object>::try_from(value).map_err(|_| not_a_signal())?;
        let id = signal_id(scope, object).ok_or_else(not_a_signal)?;
        let registry = registry(scope);
        if let Some(state) = registry.borrow().live.get(&id).and_then(Weak::upgrade) {
            return Ok(AbortSignal(state));
        }
        let aborted = OpError::new("AbortError", "the operation was aborted")
            .with_code("ABORT_ERR")
            .naming_the_op();
        let state = Rc::new(SignalState {
            id,
            cancel: CancelHandle::new(aborted),
            reason: RefCell::new(None),
            registry: Rc::downgrade(&registry),
        });
        let key = reason_key(scope);
        if let Some(reason) = object.get_private(scope, key).filter(|r| !r.is_undefined()) {
            *state.reason.borrow_mut() = Some(v8::Global::new(scope, reason));
            state.cancel.cancel();
        }
        registry.borrow_mut().live.insert(id, Rc::downgrade(&state));
        Ok(AbortSignal(state))
    }
}

/// An op argument that may carry a signal: `AbortSignal` or
/// `Option<AbortSignal>`.
#[doc(hidden)]
pub trait SignalArg<'s>: FromV8<'s> {
    /// The signal in it, if any.
    fn signal(&self) -> Option<&AbortSignal>;
}

impl SignalArg<'_> for AbortSignal {
    fn signal(&self) -> Option<&AbortSignal> {
        Some(self)
    }
}

impl SignalArg<'_> for Option<AbortSignal> {
    fn signal(&self) -> Option<&AbortSignal> {
        self.as_ref()
    }
}
