//! How a JS object owns a Rust value: the boxed [`Instance`] its internal
//! field points at, the type check, the borrows methods take, and the weak
//! handle that drops the value with the object.

use std::any::TypeId;
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

/// The tag V8 keeps with the internal field's pointer.
/// (V8 takes tags 0 to 14 from embedders.)
const TAG: u16 = 1;

/// How many internal fields an instance has.
pub(crate) const FIELDS: usize = 1;

/// What an instance's internal field points at. `repr(C)` puts the type
/// first, so the type of any instance can be read before its `T` is known.
#[repr(C)]
pub(crate) struct Instance<T> {
    type_id: TypeId,
    /// `Rc` so that async methods can hold the value across awaits; the
    /// `RefCell` turns a borrow that conflicts with a call in progress into
    /// an error instead of aliasing.
    value: RefCell<Rc<T>>,
    /// Drops this box when V8 collects the object (and, at the latest, when
    /// the isolate is dropped).
    weak: Option<v8::Weak<v8::Object>>,
}

/// The value was borrowed in a way that conflicts: a re-entrant call while
/// a `&mut self` method runs, or a `&mut self` call while an async method
/// holds the value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InUse;

/// Empties the internal field of an object V8 just made for a constructor
/// call, so that an object whose constructor fails is never taken for an
/// instance.
pub(crate) fn clear(object: v8::Local<'_, v8::Object>) {
    if object.internal_field_count() >= FIELDS {
        object.set_aligned_pointer_in_internal_field(0, std::ptr::null(), TAG);
    }
}

/// Moves `value` into `object` (made from a class template), which owns it
/// from now on.
pub(crate) fn attach<T: 'static>(
    scope: &mut v8::PinScope<'_, '_>,
    object: v8::Local<'_, v8::Object>,
    value: T,
) {
    debug_assert!(object.internal_field_count() >= FIELDS);
    let instance = Box::into_raw(Box::new(Instance {
        type_id: TypeId::of::<T>(),
        value: RefCell::new(Rc::new(value)),
        weak: None,
    }));
    let address = instance as usize;
    let finalize = Box::new(move || {
        // SAFETY: the address is the box made above, which only this
        // finalizer frees; V8 runs it once, after the object died or when
        // the isolate goes, when no method call can be using it.
        drop(unsafe { Box::from_raw(address as *mut Instance<T>) });
    });
    let weak = v8::Weak::with_guaranteed_finalizer(scope, object, finalize);
    // SAFETY: `instance` is the live box made above; nothing else has seen
    // it yet.
    unsafe { (*instance).weak = Some(weak) };
    object.set_aligned_pointer_in_internal_field(0, instance.cast_const().cast(), TAG);
}

/// The instance of `T` behind `value`, if `value` is one.
///
/// The returned reference lives as long as the caller keeps `value`
/// reachable (a handle in the current scope does).
pub(crate) fn find<'a, T: 'static>(value: v8::Local<'_, v8::Value>) -> Option<&'a Instance<T>> {
    find_in(v8::Local::<v8::Object>::try_from(value).ok()?)
}

/// [`find`] for a value known to be an object (a receiver).
#[inline]
pub(crate) fn find_in<'a, T: 'static>(
    object: v8::Local<'_, v8::Object>,
) -> Option<&'a Instance<T>> {
    if object.internal_field_count() < FIELDS {
        return None;
    }
    // SAFETY: only class templates give objects internal fields in an
    // opwire runtime (V8's own buffers have zeroed ones), and their field
    // always holds an aligned pointer set by `clear` or `attach`.
    let ptr = unsafe { object.get_aligned_pointer_from_internal_field(0, TAG) };
    if ptr.is_null() {
        return None;
    }
    // SAFETY: a non-null field points at a live `Instance` (the object is
    // alive, so its finalizer has not run); `repr(C)` puts its `TypeId`
    // first whatever its `T`.
    let type_id = unsafe { *ptr.cast::<TypeId>() };
    if type_id != TypeId::of::<T>() {
        return None;
    }
    // SAFETY: checked just above that the instance holds a `T`.
    Some(unsafe { &*ptr.cast::<Instance<T>>() })
}

impl<T> Instance<T> {
    /// The value, shared (`&self` methods, `&T` arguments).
    pub(crate) fn borrow(&self) -> Result<Ref<'_, T>, InUse> {
        let guard = self.value.try_borrow().map_err(|_| InUse)?;
        Ok(Ref::map(guard, |rc| &**rc))
    }

    /// The value, exclusively (`&mut self` methods, `&mut T` arguments):
    /// refused while another call borrows it or an async method holds it.
    pub(crate) fn borrow_mut(&self) -> Result<RefMut<'_, T>, InUse> {
        let guard = self.value.try_borrow_mut().map_err(|_| InUse)?;
        RefMut::filter_map(guard, Rc::get_mut).map_err(|_| InUse)
    }

    /// A handle to the value that outlives the call (async methods).
    pub(crate) fn share(&self) -> Result<Rc<T>, InUse> {
        Ok(self.value.try_borrow().map_err(|_| InUse)?.clone())
    }
}
