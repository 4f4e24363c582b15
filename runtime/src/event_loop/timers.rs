//! The timer queue behind `setTimeout`/`setInterval`: deadlines in Rust (one
//! tokio `Sleep` for the earliest), callbacks in JS (`core.js`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep};

/// Pending timers, owned by the event loop's state. Timers with the same
/// deadline fire in the order they were started.
pub(crate) struct Timers {
    queue: BTreeMap<(Instant, u64), u32>,
    keys: HashMap<u32, (Instant, u64)>,
    /// Pending timers that do not keep the loop alive.
    unrefed: HashSet<u32>,
    next_seq: u64,
    sleep: Option<Pin<Box<Sleep>>>,
}

impl Timers {
    pub(crate) fn new() -> Self {
        Self {
            queue: BTreeMap::new(),
            keys: HashMap::new(),
            unrefed: HashSet::new(),
            next_seq: 0,
            sleep: None,
        }
    }

    /// (Re)starts timer `id` to fire after `delay`; an unrefed timer fires
    /// only while something else keeps the loop running.
    pub(crate) fn start(&mut self, id: u32, delay: Duration, refed: bool) {
        self.cancel(id);
        if !refed {
            self.unrefed.insert(id);
        }
        let key = (Instant::now() + delay, self.next_seq);
        self.next_seq += 1;
        self.queue.insert(key, id);
        self.keys.insert(id, key);
    }

    /// Stops timer `id`, if it is pending.
    pub(crate) fn cancel(&mut self, id: u32) {
        if let Some(key) = self.keys.remove(&id) {
            self.queue.remove(&key);
        }
        self.unrefed.remove(&id);
    }

    /// How many timers are pending.
    pub(crate) fn all(&self) -> usize {
        self.queue.len()
    }

    /// How many pending timers keep the loop alive.
    pub(crate) fn len(&self) -> usize {
        self.queue.len() - self.unrefed.len()
    }

    /// The ids of every timer due now, in firing order; registers `cx` to be
    /// woken at the next deadline when none is due.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> Vec<u32> {
        let Some((&(first, _), _)) = self.queue.first_key_value() else {
            self.sleep = None;
            return Vec::new();
        };
        if first > Instant::now() {
            match &mut self.sleep {
                Some(sleep) if sleep.deadline() == first => {}
                Some(sleep) => sleep.as_mut().reset(first),
                None => self.sleep = Some(Box::pin(tokio::time::sleep_until(first))),
            }
            let sleep = self.sleep.as_mut().expect("set just above");
            if sleep.as_mut().poll(cx) == Poll::Pending {
                return Vec::new();
            }
        }
        let now = Instant::now();
        let mut due = Vec::new();
        while let Some(entry) = self.queue.first_entry() {
            if entry.key().0 > now {
                break;
            }
            let id = entry.remove();
            self.keys.remove(&id);
            self.unrefed.remove(&id);
            due.push(id);
        }
        due
    }
}

impl std::fmt::Debug for Timers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timers")
            .field("pending", &self.queue.len())
            .finish()
    }
}
