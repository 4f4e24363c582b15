//! [`OpState`]: per-runtime storage that ops borrow.

use std::any::{Any, TypeId, type_name};
use std::collections::HashMap;

use crate::resources::ResourceTable;

/// A type map owned by a runtime and handed to ops that ask for it.
///
/// An op declares `state: &OpState` or `state: &mut OpState` (async ops later
/// take `Rc<RefCell<OpState>>`) and the `#[op]` macro injects it; JS does not
/// pass it. Each Rust type is stored at most once.
///
/// # Examples
///
/// ```
/// use opwire::{op, OpState};
///
/// struct Counter(u32);
///
/// #[op]
/// fn op_count(state: &mut OpState) -> u32 {
///     let c = state.borrow_mut::<Counter>();
///     c.0 += 1;
///     c.0
/// }
///
/// let mut state = OpState::default();
/// state.put(Counter(41));
/// assert_eq!(op_count(&mut state), 42);
/// ```
#[derive(Default)]
pub struct OpState {
    /// The runtime's resources: what JS holds by id.
    pub resource_table: ResourceTable,
    map: HashMap<TypeId, Box<dyn Any>>,
}

impl OpState {
    /// Stores `value`, replacing and returning any earlier value of its type.
    pub fn put<T: 'static>(&mut self, value: T) -> Option<T> {
        self.map
            .insert(TypeId::of::<T>(), Box::new(value))
            .map(|old| *old.downcast::<T>().expect("keyed by TypeId"))
    }

    /// Whether a value of type `T` is stored.
    pub fn has<T: 'static>(&self) -> bool {
        self.map.contains_key(&TypeId::of::<T>())
    }

    /// The stored `T`, if any.
    pub fn try_borrow<T: 'static>(&self) -> Option<&T> {
        self.map.get(&TypeId::of::<T>())?.downcast_ref()
    }

    /// The stored `T`, mutably, if any.
    pub fn try_borrow_mut<T: 'static>(&mut self) -> Option<&mut T> {
        self.map.get_mut(&TypeId::of::<T>())?.downcast_mut()
    }

    /// The stored `T`.
    ///
    /// # Panics
    ///
    /// If no `T` was stored. Inside an op the panic is caught and thrown to
    /// JS as an `Error`.
    #[track_caller]
    #[allow(
        clippy::should_implement_trait,
        reason = "the type-map API deno_core users know"
    )]
    pub fn borrow<T: 'static>(&self) -> &T {
        self.try_borrow().unwrap_or_else(|| missing::<T>())
    }

    /// The stored `T`, mutably.
    ///
    /// # Panics
    ///
    /// If no `T` was stored.
    #[track_caller]
    #[allow(
        clippy::should_implement_trait,
        reason = "the type-map API deno_core users know"
    )]
    pub fn borrow_mut<T: 'static>(&mut self) -> &mut T {
        match self.try_borrow_mut() {
            Some(v) => v,
            None => missing::<T>(),
        }
    }

    /// Removes and returns the stored `T`, if any.
    pub fn try_take<T: 'static>(&mut self) -> Option<T> {
        let boxed = self.map.remove(&TypeId::of::<T>())?;
        Some(*boxed.downcast::<T>().expect("keyed by TypeId"))
    }

    /// Removes and returns the stored `T`.
    ///
    /// # Panics
    ///
    /// If no `T` was stored.
    #[track_caller]
    pub fn take<T: 'static>(&mut self) -> T {
        self.try_take().unwrap_or_else(|| missing::<T>())
    }
}

#[track_caller]
fn missing<T>() -> ! {
    panic!("OpState holds no value of type {}", type_name::<T>())
}

impl std::fmt::Debug for OpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpState")
            .field("resource_table", &self.resource_table)
            .field("entries", &self.map.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::OpState;

    #[test]
    fn put_borrow_take() {
        let mut s = OpState::default();
        assert!(s.put(5u32).is_none());
        assert_eq!(s.put(6u32), Some(5));
        *s.borrow_mut::<u32>() += 1;
        assert_eq!(*s.borrow::<u32>(), 7);
        assert!(s.try_borrow::<String>().is_none());
        assert_eq!(s.take::<u32>(), 7);
        assert!(!s.has::<u32>());
    }

    #[test]
    #[should_panic(expected = "OpState holds no value of type alloc::string::String")]
    fn borrow_missing_panics_with_type_name() {
        OpState::default().borrow::<String>();
    }
}
