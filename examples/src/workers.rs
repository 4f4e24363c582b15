//! A pool of worker threads, each owning one runtime: how a server spreads
//! independent scripts over its cores with opwire.
//!
//! A [`JsRuntime`] is `!Send`: it lives and dies on the thread that made
//! it. What crosses threads is plain data: the [`Pool`] handle (`Send +
//! Sync + Clone`) sends each job's source to a worker over a channel and
//! gets the result back over another; each worker runs its jobs one after
//! another on its own runtime (and its own current-thread tokio runtime for
//! async ops).

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use opwire::{Error, JsRuntime, RuntimeOptions};

/// A job: a script whose completion value (a string, or a promise of one)
/// is the result.
struct Job {
    source: String,
    reply: mpsc::Sender<Result<String, String>>,
}

/// A pool of `n` workers, each with its own runtime. Cloning shares it;
/// the workers stop when the last clone is dropped. Jobs that land on the
/// same worker share its runtime (and so its globals): wrap a job in a
/// function (`(() => { ... })()`) to keep its names to itself.
#[derive(Clone)]
pub struct Pool {
    jobs: Arc<Mutex<mpsc::Sender<Job>>>,
}

impl Pool {
    /// Starts `n` workers whose runtimes are made by `make` (called on each
    /// worker's thread).
    ///
    /// # Panics
    ///
    /// If a worker thread cannot be started.
    pub fn new(n: usize, make: fn() -> JsRuntime) -> Self {
        let (send, receive) = mpsc::channel::<Job>();
        let receive = Arc::new(Mutex::new(receive));
        for i in 0..n {
            let receive = receive.clone();
            thread::Builder::new()
                .name(format!("opwire-worker-{i}"))
                .spawn(move || worker(&receive, make))
                .expect("start a worker thread");
        }
        Self {
            jobs: Arc::new(Mutex::new(send)),
        }
    }

    /// Runs `source` on some worker and waits for its result.
    ///
    /// # Errors
    ///
    /// The script's error, as text, or a message if the pool has stopped.
    pub fn run(&self, source: impl Into<String>) -> Result<String, String> {
        let (reply, result) = mpsc::channel();
        let job = Job {
            source: source.into(),
            reply,
        };
        self.jobs
            .lock()
            .map_err(|_| "the pool is poisoned".to_owned())?
            .send(job)
            .map_err(|_| "the pool has stopped".to_owned())?;
        result.recv().map_err(|_| "the worker stopped".to_owned())?
    }
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pool")
    }
}

/// A worker: one tokio runtime, one JS runtime, jobs until the pool goes.
fn worker(jobs: &Mutex<mpsc::Receiver<Job>>, make: fn() -> JsRuntime) {
    let Ok(tokio) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    let _guard = tokio.enter();
    let mut runtime = make();
    loop {
        // Hold the lock only to take the next job.
        let next = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else {
            return;
        };
        let result = tokio
            .block_on(runtime.eval_async::<String>("<job>", &job.source))
            .map_err(|e: Error| e.to_string());
        let _ = job.reply.send(result);
    }
}

/// A runtime with the demo ops, for workers.
pub fn worker_runtime() -> JsRuntime {
    JsRuntime::new(RuntimeOptions {
        extensions: vec![crate::demo_extension()],
        ..Default::default()
    })
}
