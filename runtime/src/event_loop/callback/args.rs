//! [`CallbackArgs`]: the arguments of a call through a
//! [`JsCallback`](super::JsCallback).

use crate::convert::{ConvError, ToV8};

/// The arguments of a call through a [`JsCallback`](crate::JsCallback): a
/// tuple of Rust values that convert to JS with [`ToV8`] (`()` for none,
/// `(x,)` for one, up to eight).
///
/// The values are `Send`: a call made on another thread carries them to
/// the runtime's thread, which converts them just before the JS function
/// runs. So `String`, numbers, `bool`, `Vec<u8>`, `Option<T>` and
/// [`Serde<T>`](crate::serde_v8::Serde) work; `v8::Local` values do not.
///
/// # Examples
///
/// ```
/// use opwire::CallbackArgs;
/// use opwire::serde_v8::Serde;
///
/// fn takes<A: CallbackArgs>(_: A) {}
/// takes(());
/// takes((1u32,));
/// takes(("name".to_owned(), 2.5f64, Serde(vec![1, 2, 3])));
/// ```
pub trait CallbackArgs: Send + 'static {
    /// Converts the arguments, on the runtime's thread.
    ///
    /// # Errors
    ///
    /// The first argument that does not convert, named by its position
    /// (`argument #2: ...`).
    fn to_v8_args<'s>(
        self,
        scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<Vec<v8::Local<'s, v8::Value>>, ConvError>;
}

impl CallbackArgs for () {
    fn to_v8_args<'s>(
        self,
        _scope: &mut v8::PinScope<'s, '_>,
    ) -> Result<Vec<v8::Local<'s, v8::Value>>, ConvError> {
        Ok(Vec::new())
    }
}

/// Names argument `index` (0-based) in its conversion error.
fn nth(index: usize, err: ConvError) -> ConvError {
    ConvError::message(format!("argument #{}: {err}", index + 1))
}

macro_rules! tuple_args {
    ($($index:tt $t:ident),+) => {
        impl<$($t),+> CallbackArgs for ($($t,)+)
        where
            $($t: for<'s> ToV8<'s> + Send + 'static),+
        {
            fn to_v8_args<'s>(
                self,
                scope: &mut v8::PinScope<'s, '_>,
            ) -> Result<Vec<v8::Local<'s, v8::Value>>, ConvError> {
                Ok(vec![$(self.$index.to_v8(scope).map_err(|e| nth($index, e))?),+])
            }
        }
    };
}

tuple_args!(0 A);
tuple_args!(0 A, 1 B);
tuple_args!(0 A, 1 B, 2 C);
tuple_args!(0 A, 1 B, 2 C, 3 D);
tuple_args!(0 A, 1 B, 2 C, 3 D, 4 E);
tuple_args!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F);
tuple_args!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G);
tuple_args!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H);
