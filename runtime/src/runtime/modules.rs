//! [`JsRuntime`]'s module methods: load a module graph, evaluate a module
//! (driving the event loop through its top-level `await`), read its
//! exports. `import()` calls are driven by the event loop
//! ([`JsRuntime::poll_event_loop`]).

use std::future::poll_fn;
use std::time::Duration;

use super::js_runtime::{JsRuntime, enter};
use crate::error::{Error, JsError, ScriptLocation};
use crate::modules::errors::ImportSite;
use crate::modules::graph::GraphLoad;
use crate::modules::{ModuleId, ModuleSpecifier, ModuleType};

impl JsRuntime {
    /// Loads the main module and every module it imports (concurrently,
    /// each once), and links them; [`JsRuntime::evaluate_module`] runs it.
    /// Its `import.meta.main` is `true`.
    ///
    /// `specifier` is a URL (`file:///app/main.js`) or a path, absolute or
    /// relative to the current directory (`main.js`).
    ///
    /// # Errors
    ///
    /// [`Error::Js`] when a module cannot be found, loaded or compiled, or
    /// an import cannot be linked (a missing export): a `TypeError` for the
    /// first (naming the specifier, its URL and the importing module), the
    /// `SyntaxError` V8 threw for the others; each with the file, line and
    /// column where it happened. [`Error::Setup`] if a main module is
    /// already loaded.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::rc::Rc;
    /// use opwire::{JsRuntime, MemoryModuleLoader, RuntimeOptions};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let loader = MemoryModuleLoader::new()
    ///     .with("/app/main.js", "import { answer } from './answer.js'; export const out = answer + 1;")
    ///     .with("/app/answer.js", "await null; export const answer = 41;");
    /// let mut rt = JsRuntime::new(RuntimeOptions {
    ///     module_loader: Some(Rc::new(loader)),
    ///     ..Default::default()
    /// });
    /// let main = rt.load_main_module("/app/main.js").await.unwrap();
    /// rt.evaluate_module(main).await.unwrap();
    /// let ns = rt.module_namespace(main).unwrap();
    /// let out = rt.with_scope(|scope| {
    ///     let ns = opwire::v8::Local::new(scope, ns);
    ///     let key = opwire::v8::String::new(scope, "out").unwrap();
    ///     ns.get(scope, key.into()).unwrap().uint32_value(scope).unwrap()
    /// });
    /// assert_eq!(out, 42);
    /// # });
    /// ```
    pub async fn load_main_module(&mut self, specifier: &str) -> Result<ModuleId, Error> {
        if let Some(main) = self.modules.main() {
            let url = self
                .module_url(main)
                .map(|u| u.to_string())
                .unwrap_or_default();
            return Err(Error::Setup(format!(
                "a main module is already loaded: {url}"
            )));
        }
        let id = self.load_module(specifier).await?;
        self.modules.set_main(id);
        Ok(id)
    }

    /// Loads a module that is not the main one (its `import.meta.main` is
    /// `false`), and every module it imports, as
    /// [`JsRuntime::load_main_module`] does. Loading a module twice gives
    /// the same id.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::load_main_module`].
    pub async fn load_side_module(&mut self, specifier: &str) -> Result<ModuleId, Error> {
        self.load_module(specifier).await
    }

    async fn load_module(&mut self, specifier: &str) -> Result<ModuleId, Error> {
        self.usable()?;
        let mut site = ImportSite {
            written: specifier.to_owned(),
            resolved: None,
            importer: None,
        };
        let url = ModuleSpecifier::from_path_or_url(specifier)
            .map_err(|e| site.unresolvable(&e).into_error())?;
        site.resolved = Some(url.clone());
        let mut load = GraphLoad::new(&self.modules, (url, ModuleType::JavaScript), site);
        let modules = &self.modules;
        let (isolate, context) = (&mut self.isolate, &self.context);
        poll_fn(|cx| enter(isolate, context, |scope| load.poll(scope, modules, cx)))
            .await
            .map_err(|e| e.into_error())
    }

    /// Evaluates module `id` (and the modules it imports that have not run
    /// yet), then drives the event loop until the evaluation is done: a
    /// module with top-level `await` finishes when what it awaits settles.
    /// What the module started (timers, ops) may still be pending; run
    /// [`JsRuntime::run_event_loop`] for it.
    ///
    /// # Errors
    ///
    /// [`Error::Js`] with the exception (and its file, line and column) if
    /// the module, or one it imports, throws or rejects; a `Top-level
    /// await promise never resolved` error, located at that `await`, if
    /// the event loop runs out of work first; any error of the event loop.
    /// [`Error::Setup`] for an unknown id.
    pub async fn evaluate_module(&mut self, id: ModuleId) -> Result<(), Error> {
        self.usable()?;
        let module = self.module(id)?;
        let started = self.with_scope(|scope| {
            v8::tc_scope!(let tc, scope);
            let module = v8::Local::new(tc, &module);
            if module.get_status() == v8::ModuleStatus::Uninstantiated {
                return Err(Error::Setup(format!("module {} is not linked", id.index())));
            }
            let Some(result) = module.evaluate(tc) else {
                return Err(JsError::from_try_catch(tc).into());
            };
            let promise = match v8::Local::<v8::Promise>::try_from(result) {
                Ok(promise) => promise,
                Err(_) => {
                    let done = v8::PromiseResolver::new(tc)
                        .ok_or_else(|| Error::Setup("out of memory".into()))?;
                    let undefined = v8::undefined(tc).into();
                    done.resolve(tc, undefined);
                    done.get_promise(tc)
                }
            };
            Ok(v8::Global::new(tc, promise))
        });
        self.microtask_checkpoint();
        let promise = self.checked(started)?;
        self.wait_for(&promise, |rt| rt.stalled(&module)).await?;
        Ok(())
    }

    /// Like [`JsRuntime::evaluate_module`], terminating the module's JS if
    /// the evaluation takes longer than `timeout`.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::evaluate_module`], and [`Error::Terminated`] when
    /// the deadline passes.
    pub async fn evaluate_module_with_timeout(
        &mut self,
        id: ModuleId,
        timeout: Duration,
    ) -> Result<(), Error> {
        self.within(timeout, async |rt: &mut JsRuntime| {
            rt.evaluate_module(id).await
        })
        .await
    }

    /// The namespace object of module `id` (its exports), once it is
    /// loaded.
    ///
    /// # Errors
    ///
    /// [`Error::Setup`] for an unknown id.
    pub fn module_namespace(&mut self, id: ModuleId) -> Result<v8::Global<v8::Object>, Error> {
        let module = self.module(id)?;
        self.with_scope(|scope| {
            let module = v8::Local::new(scope, module);
            if module.get_status() == v8::ModuleStatus::Uninstantiated {
                return Err(Error::Setup(format!("module {} is not linked", id.index())));
            }
            let namespace = v8::Local::<v8::Object>::try_from(module.get_module_namespace())
                .map_err(|_| Error::Setup("a module namespace is not an object".into()))?;
            Ok(v8::Global::new(scope, namespace))
        })
    }

    /// The URL of module `id`.
    pub fn module_url(&self, id: ModuleId) -> Option<ModuleSpecifier> {
        self.modules
            .map
            .borrow()
            .get(id)
            .map(|info| info.key.0.clone())
    }

    /// The error for a module whose evaluation waits on a promise nothing
    /// will settle: located at the stalled `await`.
    fn stalled(&mut self, module: &v8::Global<v8::Module>) -> Error {
        const MESSAGE: &str = "Top-level await promise never resolved";
        let (isolate, context) = (&mut self.isolate, &self.context);
        let location = enter(isolate, context, |scope| {
            let module = v8::Local::new(scope, module);
            let stalled = module.get_stalled_top_level_await_message(scope);
            let (_, message) = stalled.first()?;
            Some(ScriptLocation::from_message(scope, *message))
        });
        let stack = location.as_ref().map(|l| {
            format!(
                "Error: {MESSAGE}\n    at {}:{}:{}",
                l.script, l.line, l.column
            )
        });
        JsError {
            name: "Error".into(),
            message: MESSAGE.into(),
            code: None,
            stack,
            location,
        }
        .into()
    }

    /// The compiled module `id`.
    fn module(&self, id: ModuleId) -> Result<v8::Global<v8::Module>, Error> {
        self.modules
            .map
            .borrow()
            .get(id)
            .map(|info| info.module.clone())
            .ok_or_else(|| Error::Setup(format!("no module has id {}", id.index())))
    }
}
