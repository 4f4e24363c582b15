//! [`GraphLoad`]: loading a module and everything it imports, at once.
//!
//! Every module of the graph not yet compiled is fetched concurrently
//! (each once: loads in flight are shared, see [`ModuleState::fetch`]).
//! As each arrives it is compiled, its imports are resolved and the new
//! ones fetched; modules already in the map are walked, not fetched.
//! When nothing is in flight, the root is instantiated (V8 links the
//! graph, cycles included, through [`callbacks::resolve`]).

use std::collections::HashSet;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::StreamExt;
use futures::future::LocalBoxFuture;
use futures::stream::FuturesUnordered;

use super::callbacks;
use super::compile::{compile_js, compile_json, requests};
use super::errors::{ImportSite, Importer, LoadError};
use super::loader::{ModuleSource, ModuleType};
use super::map::{ModuleId, ModuleInfo, ModuleKey, Request};
use super::state::ModuleState;
use crate::error::OpError;

/// A module fetched for the graph, and the import that asked for it.
struct Fetched {
    key: ModuleKey,
    site: ImportSite,
    result: Result<Rc<ModuleSource>, Rc<OpError>>,
}

/// The load of one module graph.
pub(crate) struct GraphLoad {
    root: ModuleKey,
    root_site: ImportSite,
    /// Modules seen (fetched, or walked in the map), each once.
    visited: HashSet<ModuleKey>,
    fetching: FuturesUnordered<LocalBoxFuture<'static, Fetched>>,
}

impl GraphLoad {
    /// Starts loading the graph of module `root`, imported at `site`.
    pub(crate) fn new(state: &ModuleState, root: ModuleKey, site: ImportSite) -> Self {
        let mut load = Self {
            root: root.clone(),
            root_site: site.clone(),
            visited: HashSet::new(),
            fetching: FuturesUnordered::new(),
        };
        load.visit(state, root, site);
        load
    }

    /// Makes progress; `Ready` with the root once the whole graph is
    /// compiled and instantiated, or with the first error.
    pub(crate) fn poll(
        &mut self,
        scope: &mut v8::PinScope<'_, '_>,
        state: &ModuleState,
        cx: &mut Context<'_>,
    ) -> Poll<Result<ModuleId, LoadError>> {
        while let Poll::Ready(Some(fetched)) = self.fetching.poll_next_unpin(cx) {
            if let Err(e) = self.compile(scope, state, fetched) {
                return Poll::Ready(Err(e));
            }
        }
        if !self.fetching.is_empty() {
            return Poll::Pending;
        }
        let module = {
            let map = state.map.borrow();
            map.id(&self.root)
                .and_then(|id| Some((id, map.get(id)?.module.clone())))
        };
        let Some((id, module)) = module else {
            let err = OpError::error("the module was not compiled");
            return Poll::Ready(Err(self.root_site.load_failed(&err)));
        };
        v8::tc_scope!(let tc, scope);
        let module = v8::Local::new(tc, module);
        if module.instantiate_module(tc, callbacks::resolve).is_none() {
            return Poll::Ready(Err(LoadError::caught(tc)));
        }
        Poll::Ready(Ok(id))
    }

    /// Fetches module `key` (imported at `site`), or walks it if compiled.
    fn visit(&mut self, state: &ModuleState, key: ModuleKey, site: ImportSite) {
        if !self.visited.insert(key.clone()) {
            return;
        }
        let id = state.map.borrow().id(&key);
        if let Some(id) = id {
            return self.walk(state, id);
        }
        let load = state.fetch(&key);
        self.fetching.push(Box::pin(async move {
            Fetched {
                result: load.await,
                key,
                site,
            }
        }));
    }

    /// Visits the imports of compiled module `id`.
    fn walk(&mut self, state: &ModuleState, id: ModuleId) {
        let children: Vec<(ModuleKey, ImportSite)> = {
            let map = state.map.borrow();
            let Some(info) = map.get(id) else { return };
            info.requests
                .iter()
                .map(|r| {
                    let importer = Importer {
                        referrer: info.key.0.to_string(),
                        position: Some((r.line, r.column)),
                        source_line: None,
                    };
                    (r.key.clone(), site(&r.specifier, &r.key, importer))
                })
                .collect()
        };
        for (key, site) in children {
            self.visit(state, key, site);
        }
    }

    /// Compiles a fetched module, adds it to the map, visits its imports.
    fn compile(
        &mut self,
        scope: &mut v8::PinScope<'_, '_>,
        state: &ModuleState,
        fetched: Fetched,
    ) -> Result<(), LoadError> {
        let Fetched { key, site, result } = fetched;
        state.fetched(&key);
        let source = result.map_err(|e| site.load_failed(&e))?;
        if source.module_type != key.1 {
            return Err(site.wrong_type(source.module_type));
        }
        // Another graph may have compiled it meanwhile.
        let compiled = state.map.borrow().id(&key);
        if let Some(id) = compiled {
            self.walk(state, id);
            return Ok(());
        }
        let url = &key.0;
        let (module, json, children) = match key.1 {
            ModuleType::JavaScript => {
                let module = compile_js(scope, url, &source.code)?;
                let mut children = Vec::new();
                for raw in requests(scope, module) {
                    let importer = Importer {
                        referrer: url.to_string(),
                        position: Some((raw.line, raw.column)),
                        source_line: nth_line(&source.code, raw.line),
                    };
                    let mut child = ImportSite {
                        written: raw.specifier.clone(),
                        resolved: None,
                        importer: Some(importer),
                    };
                    let module_type = raw.module_type.map_err(|t| child.unsupported_type(&t))?;
                    let resolved = state
                        .resolve(&raw.specifier, url)
                        .map_err(|e| child.unresolvable(&e))?;
                    child.resolved = Some(resolved.clone());
                    let request = Request {
                        specifier: raw.specifier,
                        key: (resolved, module_type),
                        line: raw.line,
                        column: raw.column,
                    };
                    children.push((request, child));
                }
                (module, None, children)
            }
            ModuleType::Json => {
                let (module, value) = compile_json(
                    scope,
                    url,
                    &source.code,
                    &site,
                    callbacks::json_evaluation_steps,
                )?;
                (module, Some(v8::Global::new(scope, value)), Vec::new())
            }
        };
        let (requests, sites): (Vec<Request>, Vec<ImportSite>) = children.into_iter().unzip();
        let keys: Vec<ModuleKey> = requests.iter().map(|r| r.key.clone()).collect();
        let info = ModuleInfo {
            key: key.clone(),
            module: v8::Global::new(scope, module),
            requests,
            json,
        };
        state.map.borrow_mut().insert(module, info);
        for (key, site) in keys.into_iter().zip(sites) {
            self.visit(state, key, site);
        }
        Ok(())
    }
}

/// The site of an import of `key`, written as `specifier`.
fn site(specifier: &str, key: &ModuleKey, importer: Importer) -> ImportSite {
    ImportSite {
        written: specifier.to_owned(),
        resolved: Some(key.0.clone()),
        importer: Some(importer),
    }
}

/// Line `line` (1-based) of `code`.
fn nth_line(code: &str, line: u32) -> Option<String> {
    let index = usize::try_from(line.checked_sub(1)?).ok()?;
    code.lines().nth(index).map(str::to_owned)
}
