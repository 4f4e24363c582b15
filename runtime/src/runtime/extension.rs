//! [`Extension`]: ops, JS and state bundled under one name.

use std::borrow::Cow;

use crate::ops::{OpDecl, OpState};

type StateInit = Box<dyn FnOnce(&mut OpState)>;

/// A bundle of ops, the JS that wraps them and the state they need.
///
/// # Examples
///
/// ```
/// use opwire::{op, Extension, JsRuntime, OpState, RuntimeOptions};
///
/// struct Greeting(String);
///
/// #[op]
/// fn op_greeting(state: &OpState) -> String {
///     state.borrow::<Greeting>().0.clone()
/// }
///
/// let ext = Extension::new("greet")
///     .ops([op_greeting::DECL])
///     .js("greet.js", "globalThis.greet = () => ops.op_greeting();")
///     .state(|s| { s.put(Greeting("hi".into())); });
/// let mut rt = JsRuntime::new(RuntimeOptions { extensions: vec![ext], ..Default::default() });
/// assert_eq!(rt.eval::<String>("main.js", "greet()").unwrap(), "hi");
/// ```
pub struct Extension {
    pub(crate) name: Cow<'static, str>,
    pub(crate) ops: Vec<OpDecl>,
    pub(crate) js: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    pub(crate) state: Vec<StateInit>,
}

impl Extension {
    /// An empty extension called `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            ops: Vec::new(),
            js: Vec::new(),
            state: Vec::new(),
        }
    }

    /// Adds ops.
    #[must_use]
    pub fn ops(mut self, ops: impl IntoIterator<Item = OpDecl>) -> Self {
        self.ops.extend(ops);
        self
    }

    /// Adds a classic script, run after every op is registered, in the order added.
    #[must_use]
    pub fn js(
        mut self,
        name: impl Into<Cow<'static, str>>,
        source: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.js.push((name.into(), source.into()));
        self
    }

    /// Adds a function that puts the extension's state into the runtime's
    /// [`OpState`] when the runtime is created.
    #[must_use]
    pub fn state(mut self, init: impl FnOnce(&mut OpState) + 'static) -> Self {
        self.state.push(Box::new(init));
        self
    }

    /// The extension's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Debug for Extension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extension")
            .field("name", &self.name)
            .field(
                "ops",
                &self.ops.iter().map(OpDecl::name).collect::<Vec<_>>(),
            )
            .field("js", &self.js.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}
