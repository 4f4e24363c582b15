//! Class members on both paths: the receiver (`this`) and class arguments
//! borrowed as the Rust value they own, and constructors attaching a new
//! value to `this`. Every borrow checks the object's Rust type first.

use std::cell::{Ref, RefMut};
use std::rc::Rc;

use super::fast::FastCx;
use super::sync::CallCx;
use super::throw::{Failure, Site, Throw};
use crate::OpError;
use crate::classes::Class;
use crate::classes::instance::{self, InUse, Instance};
use crate::convert::ConvError;

/// The instance of `T` behind `value`, or the error for `site`.
#[inline]
fn instance_at<'a, T: Class>(
    value: v8::Local<'_, v8::Value>,
    site: Site,
) -> Result<&'a Instance<T>, Throw> {
    instance::find::<T>(value).ok_or_else(|| wrong_object::<T>(value, site))
}

/// The instance of `T` behind the receiver `this` (always an object).
#[inline]
fn instance_of_this<'a, T: Class>(
    this: v8::Local<'_, v8::Object>,
) -> Result<&'a Instance<T>, Throw> {
    instance::find_in::<T>(this).ok_or_else(|| wrong_object::<T>(this.into(), Site::This))
}

#[cold]
#[inline(never)]
fn wrong_object<T: Class>(value: v8::Local<'_, v8::Value>, site: Site) -> Throw {
    let err = ConvError::new(T::CLASS.name(), value, None);
    match site {
        Site::This => Failure::Receiver(err).into(),
        Site::Arg(index) => Throw::arg(index, err),
    }
}

#[cold]
#[inline(never)]
fn in_use<T: Class>(site: Site) -> impl FnOnce(InUse) -> Throw {
    move |_| Failure::InUse(T::CLASS.name(), site).into()
}

/// A class value borrowed in one of the three ways a member takes it.
trait Borrow<'a, T: Class>: Sized {
    fn take(instance: &'a Instance<T>, site: Site) -> Result<Self, Throw>;
}

impl<'a, T: Class> Borrow<'a, T> for Ref<'a, T> {
    #[inline]
    fn take(instance: &'a Instance<T>, site: Site) -> Result<Self, Throw> {
        instance.borrow().map_err(in_use::<T>(site))
    }
}

impl<'a, T: Class> Borrow<'a, T> for RefMut<'a, T> {
    #[inline]
    fn take(instance: &'a Instance<T>, site: Site) -> Result<Self, Throw> {
        instance.borrow_mut().map_err(in_use::<T>(site))
    }
}

impl<'a, T: Class> Borrow<'a, T> for Rc<T> {
    #[inline]
    fn take(instance: &'a Instance<T>, site: Site) -> Result<Self, Throw> {
        instance.share().map_err(in_use::<T>(site))
    }
}

impl<'s> CallCx<'_, 's> {
    /// `this` as a shared borrow of its `T` (`&self` methods).
    #[inline]
    pub fn this_ref<T: Class>(&self) -> Result<Ref<'s, T>, Throw> {
        Borrow::take(instance_of_this(self.args.this())?, Site::This)
    }

    /// `this` as an exclusive borrow of its `T` (`&mut self` methods).
    #[inline]
    pub fn this_mut<T: Class>(&self) -> Result<RefMut<'s, T>, Throw> {
        Borrow::take(instance_of_this(self.args.this())?, Site::This)
    }

    /// `this`'s `T`, shared beyond the call (`self: Rc<Self>` methods).
    #[inline]
    pub fn this_rc<T: Class>(&self) -> Result<Rc<T>, Throw> {
        Borrow::take(instance_of_this(self.args.this())?, Site::This)
    }

    /// JS argument `index` as a shared borrow of its `T` (`&T` arguments).
    #[inline]
    pub fn class_arg<T: Class>(&self, index: usize) -> Result<Ref<'s, T>, Throw> {
        let site = Site::Arg(index);
        Borrow::take(instance_at(self.raw_arg(index), site)?, site)
    }

    /// JS argument `index` as an exclusive borrow of its `T` (`&mut T`).
    #[inline]
    pub fn class_arg_mut<T: Class>(&self, index: usize) -> Result<RefMut<'s, T>, Throw> {
        let site = Site::Arg(index);
        Borrow::take(instance_at(self.raw_arg(index), site)?, site)
    }

    /// A constructor's first step: refuse a call without `new` and empty
    /// the new object's field, so that it is no instance until the
    /// constructor succeeds.
    #[inline]
    pub fn begin_construct(&self) -> Result<(), Throw> {
        if !self.args.is_construct_call() {
            return Err(Failure::NotConstructCall.into());
        }
        instance::clear(self.args.this());
        Ok(())
    }

    /// A constructor's last step: `this` takes the constructed value.
    #[inline]
    pub fn construct<T: Class, R: IntoConstructed<T>>(&mut self, result: R) -> Result<(), Throw> {
        let value = result.into_value().map_err(Throw::op)?;
        let this = self.args.this();
        instance::attach(self.scope, this, value);
        Ok(())
    }
}

impl<'a> FastCx<'a> {
    /// The fast call's receiver as a shared borrow of its `T`.
    #[inline(always)]
    pub fn this_ref<'s, T: Class>(
        &self,
        recv: v8::Local<'s, v8::Object>,
    ) -> Result<Ref<'s, T>, Throw> {
        Borrow::take(instance_of_this(recv)?, Site::This)
    }

    /// The fast call's receiver as an exclusive borrow of its `T`.
    #[inline(always)]
    pub fn this_mut<'s, T: Class>(
        &self,
        recv: v8::Local<'s, v8::Object>,
    ) -> Result<RefMut<'s, T>, Throw> {
        Borrow::take(instance_of_this(recv)?, Site::This)
    }

    /// The fast call's receiver's `T`, shared beyond the call.
    #[inline(always)]
    pub fn this_rc<T: Class>(&self, recv: v8::Local<'_, v8::Object>) -> Result<Rc<T>, Throw> {
        Borrow::take(instance_of_this(recv)?, Site::This)
    }
}

/// What a constructor returns: the value, or a `Result` of it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a #[constructor] returns `{T}` or `Result<{T}, E>`",
    note = "E must convert into opwire::OpError"
)]
pub trait IntoConstructed<T> {
    /// The value, or the constructor's error.
    fn into_value(self) -> Result<T, OpError>;
}

impl<T: Class> IntoConstructed<T> for T {
    #[inline]
    fn into_value(self) -> Result<T, OpError> {
        Ok(self)
    }
}

impl<T: Class, E: Into<OpError>> IntoConstructed<T> for Result<T, E> {
    #[inline]
    fn into_value(self) -> Result<T, OpError> {
        self.map_err(Into::into)
    }
}

/// The callback of a class JS may not construct.
///
/// # Safety
///
/// Called by V8 with the callback info of a class function made by the
/// runtime, whose data is the class name as a string.
pub(crate) unsafe extern "C" fn no_constructor(info: *const v8::FunctionCallbackInfo) {
    // SAFETY: V8 passes a valid info pointer that outlives the callback.
    let info = unsafe { &*info };
    // SAFETY: inside a V8 function callback, as `CallbackScope::new` needs.
    let scope = std::pin::pin!(unsafe { v8::CallbackScope::new(info) });
    let scope = &mut scope.init();
    let args = v8::FunctionCallbackArguments::from_function_callback_info(info);
    let name = args.data().to_rust_string_lossy(scope);
    let message =
        format!("{name} has no #[constructor]: JS cannot create one, ops return its instances");
    crate::error::to_js::throw_error(scope, "TypeError", &message, None);
}
