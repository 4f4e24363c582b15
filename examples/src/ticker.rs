//! The `ticker` extension: a Rust interval on its own thread that calls a
//! JS callback on every tick. It shows the building blocks an extension is
//! made of: a resource per ticker (closing it stops the thread), a callback
//! called from another thread, an `AbortSignal` that stops it, and op
//! metrics.
//!
//! JS: `ticker.start(ms, (tick) => ..., { signal, limit })` returns the
//! ticker's id; `ticker.stop(id)` (or `opwire.close(id)`, or aborting the
//! signal) stops it. The event loop runs while a ticker does.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use opwire::{Extension, JsCallback, OpError, OpState, Resource, ResourceId, op};

/// A running ticker: its thread stops when the flag is set.
struct Ticker {
    stop: Arc<AtomicBool>,
}

impl Resource for Ticker {
    fn name(&self) -> Cow<'_, str> {
        "ticker".into()
    }

    fn close(self: Rc<Self>) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Starts a ticker calling `on_tick(n)` every `ms` (at least 1), `limit`
/// times at most (0: no limit); returns its resource id.
#[op]
fn op_ticker_start(
    state: &mut OpState,
    ms: u32,
    limit: u32,
    on_tick: JsCallback,
) -> Result<ResourceId, OpError> {
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = stop.clone();
    let period = Duration::from_millis(ms.max(1).into());
    std::thread::Builder::new()
        .name("ticker".into())
        .spawn(move || {
            let mut n: u32 = 0;
            while limit == 0 || n < limit {
                std::thread::sleep(period);
                if thread_stop.load(Ordering::SeqCst) {
                    break;
                }
                n += 1;
                // Queued to the runtime's loop; an error means the runtime
                // is gone.
                if on_tick.blocking_fire((n,)).is_err() {
                    break;
                }
            }
            // Dropping the last handle lets the event loop finish.
        })
        .map_err(|e| OpError::error(format!("cannot start a ticker thread: {e}")))?;
    Ok(state.resource_table.add(Ticker { stop }))
}

/// The JS API.
const TICKER_JS: &str = r#"
globalThis.ticker = Object.freeze({
  start(ms, onTick, { signal, limit = 0 } = {}) {
    signal?.throwIfAborted();
    const id = ops.op_ticker_start(ms, limit, onTick);
    signal?.addEventListener("abort", () => {
      if (String(id) in opwire.resources()) opwire.close(id);
    }, { once: true });
    return id;
  },
  stop(id) {
    opwire.close(id);
  },
});
"#;

/// The `ticker` extension.
pub fn ticker_extension() -> Extension {
    Extension::new("ticker")
        .ops([op_ticker_start::DECL])
        .js("ext:ticker/ticker.js", TICKER_JS)
}
