//! [`Extension`]: ops, JS and state bundled under one name.

use std::borrow::Cow;

use crate::classes::ClassDecl;
use crate::modules::{ModuleSource, ModuleSpecifier, ModuleType};
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
    pub(crate) deps: Vec<Cow<'static, str>>,
    pub(crate) ops: Vec<OpDecl>,
    pub(crate) classes: Vec<ClassDecl>,
    pub(crate) js: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    pub(crate) esm: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    pub(crate) state: Vec<StateInit>,
}

impl Extension {
    /// An empty extension called `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            deps: Vec::new(),
            ops: Vec::new(),
            classes: Vec::new(),
            js: Vec::new(),
            esm: Vec::new(),
            state: Vec::new(),
        }
    }

    /// Adds ops.
    #[must_use]
    pub fn ops(mut self, ops: impl IntoIterator<Item = OpDecl>) -> Self {
        self.ops.extend(ops);
        self
    }

    /// Adds a class (`<T as Class>::CLASS`, made by `#[op] impl T`),
    /// reachable from JS as `ops.<Name>`.
    #[must_use]
    pub fn class(mut self, class: ClassDecl) -> Self {
        self.classes.push(class);
        self
    }

    /// The ops added so far, in order.
    pub fn op_decls(&self) -> &[OpDecl] {
        &self.ops
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

    /// Adds an ES module, importable as `ext:<extension>/<file>` by user
    /// modules and by other extensions' modules (`file` may also be that
    /// whole `ext:` URL). It runs when first imported; `ext:` URLs never
    /// reach the module loader or the file system, and relative imports
    /// inside it (`./util.js`) stay inside the extension.
    ///
    /// A `file` ending in `.json` is a JSON module.
    ///
    /// # Examples
    ///
    /// ```
    /// use opwire::{Extension, JsRuntime, MemoryModuleLoader, RuntimeOptions};
    /// use std::rc::Rc;
    ///
    /// let ext = Extension::new("greet")
    ///     .esm("mod.js", "export { greet } from './impl.js';")
    ///     .esm("impl.js", "export const greet = (n) => `hello ${n}`;");
    /// let loader = MemoryModuleLoader::new()
    ///     .with("/main.js", "import { greet } from 'ext:greet/mod.js'; globalThis.out = greet('esm');");
    /// let mut rt = JsRuntime::new(RuntimeOptions {
    ///     extensions: vec![ext],
    ///     module_loader: Some(Rc::new(loader)),
    ///     ..Default::default()
    /// });
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let main = rt.load_main_module("/main.js").await.unwrap();
    /// rt.evaluate_module(main).await.unwrap();
    /// # });
    /// assert_eq!(rt.eval::<String>("check.js", "out").unwrap(), "hello esm");
    /// ```
    #[must_use]
    pub fn esm(
        mut self,
        file: impl Into<Cow<'static, str>>,
        source: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.esm.push((file.into(), source.into()));
        self
    }

    /// The extension's ES modules, by URL.
    ///
    /// # Errors
    ///
    /// A message if a module's `ext:` URL names another extension or is
    /// not a valid URL.
    pub(super) fn esm_modules(&self) -> Result<Vec<(ModuleSpecifier, ModuleSource)>, String> {
        let prefix = format!("ext:{}/", self.name);
        self.esm
            .iter()
            .map(|(file, source)| {
                let url = if file.starts_with("ext:") {
                    file.to_string()
                } else {
                    format!("{prefix}{file}")
                };
                let url = ModuleSpecifier::parse(&url)
                    .ok()
                    .filter(|u| u.as_str().starts_with(&prefix) && u.as_str().len() > prefix.len())
                    .ok_or_else(|| {
                        format!(
                            "extension `{}`: module \"{file}\" must be a file name or an \
                             ext:{}/... URL",
                            self.name, self.name
                        )
                    })?;
                let module_type = ModuleType::from_name(url.as_str());
                Ok((url, ModuleSource::new(source.clone(), module_type)))
            })
            .collect()
    }

    /// Adds a function that puts the extension's state into the runtime's
    /// [`OpState`] when the runtime is created.
    #[must_use]
    pub fn state(mut self, init: impl FnOnce(&mut OpState) + 'static) -> Self {
        self.state.push(Box::new(init));
        self
    }

    /// Like [`Extension::state`], with typed options handed to the
    /// initializer: what an extension crate's users configure.
    ///
    /// # Examples
    ///
    /// ```
    /// use opwire::{Extension, OpState};
    ///
    /// /// What the `greet` extension's users choose.
    /// pub struct GreetOptions { pub greeting: String }
    ///
    /// struct Greeting(String);
    ///
    /// pub fn greet(options: GreetOptions) -> Extension {
    ///     Extension::new("greet").state_with(options, |state: &mut OpState, o: GreetOptions| {
    ///         state.put(Greeting(o.greeting));
    ///     })
    /// }
    /// # let _ = greet(GreetOptions { greeting: "hi".into() });
    /// ```
    #[must_use]
    pub fn state_with<T: 'static>(
        self,
        options: T,
        init: impl FnOnce(&mut OpState, T) + 'static,
    ) -> Self {
        self.state(move |state| init(state, options))
    }

    /// Declares that this extension needs `other`: the runtime registers
    /// `other` first (its state and JS before this one's), and refuses to
    /// start without it.
    #[must_use]
    pub fn dependency(mut self, other: impl Into<Cow<'static, str>>) -> Self {
        self.deps.push(other.into());
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
            .field("deps", &self.deps)
            .field(
                "ops",
                &self.ops.iter().map(OpDecl::name).collect::<Vec<_>>(),
            )
            .field(
                "classes",
                &self.classes.iter().map(ClassDecl::name).collect::<Vec<_>>(),
            )
            .field("js", &self.js.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("esm", &self.esm.iter().map(|(n, _)| n).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// `extensions` in registration order: each after the ones it depends on,
/// otherwise in the order given.
///
/// # Errors
///
/// A message naming the problem: two extensions with one name, a missing
/// dependency, or a cycle (with its path).
pub(super) fn in_dependency_order(extensions: Vec<Extension>) -> Result<Vec<Extension>, String> {
    let mut index = std::collections::HashMap::new();
    for (i, ext) in extensions.iter().enumerate() {
        if index.insert(ext.name.clone(), i).is_some() {
            return Err(format!("extension `{}` is registered twice", ext.name));
        }
    }
    for ext in &extensions {
        if let Some(missing) = ext.deps.iter().find(|d| !index.contains_key(*d)) {
            return Err(format!(
                "extension `{}` depends on `{missing}`, which is not registered",
                ext.name
            ));
        }
    }
    // Depth-first, visiting dependencies before dependents.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Visiting,
        Done,
    }
    fn visit(
        i: usize,
        exts: &[Extension],
        index: &std::collections::HashMap<Cow<'static, str>, usize>,
        marks: &mut [Mark],
        path: &mut Vec<usize>,
        order: &mut Vec<usize>,
    ) -> Result<(), String> {
        match marks[i] {
            Mark::Done => return Ok(()),
            Mark::Visiting => {
                let start = path.iter().position(|&p| p == i).unwrap_or(0);
                let names: Vec<&str> = path[start..]
                    .iter()
                    .chain(std::iter::once(&i))
                    .map(|&p| &*exts[p].name)
                    .collect();
                return Err(format!(
                    "extensions depend on each other in a cycle: {}",
                    names.join(" -> ")
                ));
            }
            Mark::New => {}
        }
        marks[i] = Mark::Visiting;
        path.push(i);
        for dep in &exts[i].deps {
            visit(index[dep], exts, index, marks, path, order)?;
        }
        path.pop();
        marks[i] = Mark::Done;
        order.push(i);
        Ok(())
    }
    let mut marks = vec![Mark::New; extensions.len()];
    let mut order = Vec::with_capacity(extensions.len());
    for i in 0..extensions.len() {
        visit(
            i,
            &extensions,
            &index,
            &mut marks,
            &mut Vec::new(),
            &mut order,
        )?;
    }
    let mut slots: Vec<Option<Extension>> = extensions.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

#[cfg(test)]
mod tests {
    use super::{Extension, in_dependency_order};

    fn names(exts: &[Extension]) -> Vec<&str> {
        exts.iter().map(Extension::name).collect()
    }

    #[test]
    fn dependencies_come_first_and_problems_are_named() {
        let exts = vec![
            Extension::new("net").dependency("fs").dependency("core"),
            Extension::new("fs").dependency("core"),
            Extension::new("core"),
            Extension::new("other"),
        ];
        let ordered = in_dependency_order(exts).unwrap();
        assert_eq!(names(&ordered), ["core", "fs", "net", "other"]);

        let missing = in_dependency_order(vec![Extension::new("net").dependency("fs")]);
        assert_eq!(
            missing.unwrap_err(),
            "extension `net` depends on `fs`, which is not registered"
        );
        let cycle = in_dependency_order(vec![
            Extension::new("a").dependency("b"),
            Extension::new("b").dependency("c"),
            Extension::new("c").dependency("a"),
        ]);
        assert_eq!(
            cycle.unwrap_err(),
            "extensions depend on each other in a cycle: a -> b -> c -> a"
        );
        let twice = in_dependency_order(vec![Extension::new("a"), Extension::new("a")]);
        assert_eq!(twice.unwrap_err(), "extension `a` is registered twice");
    }
}
