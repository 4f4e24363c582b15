//! [`JsRuntime`]'s event-loop methods: run or poll the loop (see
//! [`crate::event_loop`] for what one turn does), wait for a promise,
//! handle unhandled rejections.

use std::future::poll_fn;
use std::task::{Context, Poll};
use std::time::Duration;

use super::js_runtime::{JsRuntime, enter};
use crate::error::{Error, JsError, Termination};
use crate::event_loop::{driver, rejections};

impl JsRuntime {
    /// Runs the event loop until no op and no timer is pending.
    ///
    /// Must run inside a tokio runtime (current-thread, or `block_on` of a
    /// multi-thread one): timers and most async ops use tokio.
    ///
    /// # Errors
    ///
    /// The first uncaught exception of a timer callback, or the first
    /// unhandled promise rejection.
    ///
    /// # Examples
    ///
    /// ```
    /// use opwire::{op, JsRuntime, RuntimeOptions};
    ///
    /// #[op]
    /// async fn op_double(x: u32) -> u32 {
    ///     tokio::task::yield_now().await;
    ///     x * 2
    /// }
    ///
    /// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// # rt.block_on(async {
    /// let mut js = JsRuntime::new(RuntimeOptions { ops: vec![op_double::DECL], ..Default::default() });
    /// js.execute_script("main.js", "ops.op_double(21).then((v) => globalThis.out = v)").unwrap();
    /// js.run_event_loop().await.unwrap();
    /// assert_eq!(js.eval::<u32>("out.js", "out").unwrap(), 42);
    /// # });
    /// ```
    pub async fn run_event_loop(&mut self) -> Result<(), Error> {
        poll_fn(|cx| self.poll_event_loop(cx)).await
    }

    /// Makes progress on the event loop; `Ready` when nothing is pending.
    /// For embedding the loop in your own `select!`/`poll` logic.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::run_event_loop`].
    pub fn poll_event_loop(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if let Err(e) = self.usable() {
            return Poll::Ready(Err(e));
        }
        loop {
            // `import()` calls: start, load, evaluate (JS may run).
            let (imports, modules) = (&mut self.dynamic_imports, &self.modules);
            let importing = enter(&mut self.isolate, &self.context, |scope| {
                imports.poll(scope, modules, cx)
            });
            if self.isolate.is_execution_terminating() {
                return Poll::Ready(self.checked(Ok(())));
            }
            let (hooks, state) = (&self.hooks, &self.event_loop);
            let poll = enter(&mut self.isolate, &self.context, |scope| {
                driver::poll(scope, hooks, state, cx)
            });
            match poll {
                Poll::Ready(Err(e)) => return Poll::Ready(self.checked(Err(e))),
                // Microtasks cut short by a termination leave no error behind.
                _ if self.isolate.is_execution_terminating() => {
                    return Poll::Ready(self.checked(Ok(())));
                }
                // The loop's JS called `import()`: start it now.
                _ if self.modules.has_queued_imports() => continue,
                Poll::Ready(Ok(())) if !importing => return Poll::Ready(self.checked(Ok(()))),
                _ => return Poll::Pending,
            }
        }
    }

    /// Like [`JsRuntime::run_event_loop`], but gives up after `timeout`: JS
    /// running then is terminated, and the pending async ops are dropped.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::run_event_loop`], and [`Error::Terminated`] when the
    /// deadline passes.
    pub async fn run_event_loop_with_timeout(&mut self, timeout: Duration) -> Result<(), Error> {
        self.within(timeout, async |rt: &mut JsRuntime| {
            rt.run_event_loop().await
        })
        .await
    }

    /// Runs `run` on the runtime for at most `timeout`: JS running when the
    /// time is up is terminated, and so is a wait with no JS running.
    pub(super) async fn within<T>(
        &mut self,
        timeout: Duration,
        run: impl AsyncFnOnce(&mut JsRuntime) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let deadline = self.limits.deadline(timeout);
        let result = tokio::time::timeout(timeout, run(self)).await;
        drop(deadline);
        match result {
            Ok(result) => result,
            // Waiting (no JS ran) when the time was up.
            Err(_) => {
                let reason = self.limits.take().unwrap_or(Termination::Deadline);
                Err(self.terminated(reason))
            }
        }
    }

    /// Sets what happens to an unhandled promise rejection: `handler` gets
    /// it and returns `true` to let the loop go on, `false` to make
    /// [`JsRuntime::run_event_loop`] return it as an error (the default).
    pub fn set_unhandled_rejection_handler(
        &mut self,
        handler: impl FnMut(&JsError) -> bool + 'static,
    ) {
        *self.event_loop.rejection_handler.borrow_mut() = Some(Box::new(handler));
    }

    /// How many async ops are pending on the Rust side.
    pub fn pending_ops(&self) -> usize {
        self.event_loop.pending_ops()
    }

    /// How many op promises JS is still waiting on (ring plus overflow map).
    pub fn pending_op_promises(&mut self) -> usize {
        let hook = &self.hooks.pending_promises;
        enter(&mut self.isolate, &self.context, |scope| {
            let f = v8::Local::new(scope, hook);
            let undefined = v8::undefined(scope).into();
            f.call(scope, undefined, &[])
                .and_then(|n| n.uint32_value(scope))
                .map_or(0, |n| n as usize)
        })
    }

    /// Waits for `value` to settle when it is a promise, driving the event
    /// loop; returns the fulfilled value (or `value` itself if it is not a
    /// promise).
    ///
    /// # Errors
    ///
    /// The rejection reason as [`Error::Js`]; an error from the loop; or
    /// [`Error::Setup`] if the loop runs out of work with the promise
    /// still pending (it would never settle).
    pub async fn resolve(
        &mut self,
        value: v8::Global<v8::Value>,
    ) -> Result<v8::Global<v8::Value>, Error> {
        let promise = self.with_scope(|scope| {
            let local = v8::Local::new(scope, &value);
            v8::Local::<v8::Promise>::try_from(local)
                .ok()
                .map(|p| v8::Global::new(scope, p))
        });
        let Some(promise) = promise else {
            return Ok(value);
        };
        self.wait_for(&promise, |_| {
            Error::Setup("the promise can never settle: the event loop has no more work".into())
        })
        .await
    }

    /// Drives the event loop until `promise` settles; `stalled` makes the
    /// error for a loop that runs out of work first.
    pub(super) async fn wait_for(
        &mut self,
        promise: &v8::Global<v8::Promise>,
        stalled: impl FnOnce(&mut Self) -> Error,
    ) -> Result<v8::Global<v8::Value>, Error> {
        let mut stalled = Some(stalled);
        poll_fn(|cx| {
            if let Some(settled) = self.settled(promise) {
                return Poll::Ready(settled);
            }
            match self.poll_event_loop(cx) {
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => Poll::Ready(self.settled(promise).unwrap_or_else(|| {
                    Err(match stalled.take() {
                        Some(stalled) => stalled(self),
                        None => Error::Setup("polled after completion".into()),
                    })
                })),
                Poll::Pending => match self.settled(promise) {
                    Some(settled) => Poll::Ready(settled),
                    None => Poll::Pending,
                },
            }
        })
        .await
    }

    /// The outcome of `promise` if it has settled; a rejection counts as
    /// handled (the caller receives it).
    fn settled(
        &mut self,
        promise: &v8::Global<v8::Promise>,
    ) -> Option<Result<v8::Global<v8::Value>, Error>> {
        let state = &self.event_loop;
        enter(&mut self.isolate, &self.context, |scope| {
            let p = v8::Local::new(scope, promise);
            match p.state() {
                v8::PromiseState::Pending => None,
                v8::PromiseState::Fulfilled => Some(Ok(v8::Global::new(scope, p.result(scope)))),
                v8::PromiseState::Rejected => {
                    rejections::forget(state, p);
                    let reason = p.result(scope);
                    Some(Err(JsError::from_exception(scope, reason).into()))
                }
            }
        })
    }

    /// Runs a script, then drives the event loop until its completion value
    /// (a promise, typically) settles, and converts the result.
    ///
    /// # Errors
    ///
    /// As [`JsRuntime::execute_script`] and [`JsRuntime::resolve`], plus
    /// [`Error::Conversion`].
    pub async fn eval_async<T>(&mut self, name: &str, source: &str) -> Result<T, Error>
    where
        T: for<'s> crate::FromV8<'s>,
    {
        let value = self.execute_script(name, source)?;
        let value = self.resolve(value).await?;
        self.from_global(&value)
    }
}
