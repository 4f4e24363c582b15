//! [`PendingOps`]: the async ops in flight, in a slab of slots, each slot
//! with a waker made once and reused by every op that takes the slot.
//!
//! A woken slot's index goes into a shared ready queue and the loop's task
//! is woken; a poll takes the queue and polls only those slots. Unlike
//! `FuturesUnordered` (one reference-counted task allocated and freed per
//! op), an op costs no allocation here beyond its boxed future once the
//! slab has grown to the number of ops in flight.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use super::op_future::{Completion, OpFuture};

/// Slots woken since the last poll, and the waker of the task that polls.
#[derive(Default)]
struct ReadyQueue {
    inner: Mutex<Ready>,
}

#[derive(Default)]
struct Ready {
    slots: Vec<u32>,
    task: Option<Waker>,
}

impl ReadyQueue {
    fn push(&self, slot: u32) {
        let task = {
            let mut ready = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            ready.slots.push(slot);
            ready.task.clone()
        };
        if let Some(task) = task {
            task.wake();
        }
    }
}

/// The waker of one slot: queues the slot once until it is polled.
struct SlotWaker {
    slot: u32,
    queued: AtomicBool,
    ready: Arc<ReadyQueue>,
}

impl Wake for SlotWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            self.ready.push(self.slot);
        }
    }
}

struct Slot {
    op: Option<OpFuture>,
    waker: Arc<SlotWaker>,
    waker_handle: Waker,
}

/// The async ops in flight.
#[derive(Default)]
pub(crate) struct PendingOps {
    slots: Vec<Slot>,
    free: Vec<u32>,
    len: usize,
    ready: Arc<ReadyQueue>,
}

impl PendingOps {
    /// Adds `op`; it is polled on the next [`poll`](Self::poll).
    pub(crate) fn push(&mut self, op: OpFuture) {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                let slot = u32::try_from(self.slots.len()).expect("fewer than 2^32 ops in flight");
                let waker = Arc::new(SlotWaker {
                    slot,
                    queued: AtomicBool::new(false),
                    ready: self.ready.clone(),
                });
                let waker_handle = Waker::from(waker.clone());
                self.slots.push(Slot {
                    op: None,
                    waker,
                    waker_handle,
                });
                slot
            }
        };
        let entry = &mut self.slots[slot as usize];
        entry.op = Some(op);
        self.len += 1;
        entry.waker_handle.wake_by_ref();
    }

    /// Polls every woken op; returns those that finished. The task of `cx`
    /// is woken when another op is woken.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Vec<Completion> {
        let woken = {
            let mut ready = self
                .ready
                .inner
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !ready.task.as_ref().is_some_and(|t| t.will_wake(cx.waker())) {
                ready.task = Some(cx.waker().clone());
            }
            std::mem::take(&mut ready.slots)
        };
        let mut done = Vec::new();
        for slot in woken {
            let entry = &mut self.slots[slot as usize];
            entry.waker.queued.store(false, Ordering::Release);
            let Some(op) = entry.op.as_mut() else {
                continue;
            };
            let mut op_cx = Context::from_waker(&entry.waker_handle);
            if let Poll::Ready(completion) = Pin::new(op).poll(&mut op_cx) {
                entry.op = None;
                self.free.push(slot);
                self.len -= 1;
                done.push(completion);
            }
        }
        done
    }

    /// How many ops are in flight.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The ops in flight.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &OpFuture> {
        self.slots.iter().filter_map(|s| s.op.as_ref())
    }

    /// Removes every op in flight (the slots and their wakers stay).
    pub(crate) fn take_all(&mut self) -> Vec<OpFuture> {
        let mut ops = Vec::with_capacity(self.len);
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if let Some(op) = slot.op.take() {
                ops.push(op);
                self.free
                    .push(u32::try_from(i).expect("slot index fits u32"));
            }
        }
        self.len = 0;
        ops
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Wake, Waker};

    use futures::FutureExt;
    use futures::channel::oneshot;

    use super::PendingOps;
    use crate::convert::output::OpOutput;
    use crate::event_loop::OpFuture;

    struct CountWakes(AtomicUsize);

    impl Wake for CountWakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn ready_op(id: i32) -> OpFuture {
        OpFuture::new(id, "op_ready", Box::pin(async { OpOutput::Uint(1) }))
    }

    #[test]
    fn only_woken_ops_are_polled_and_slots_are_reused() {
        let wakes = Arc::new(CountWakes(AtomicUsize::new(0)));
        let task = Waker::from(wakes.clone());
        let mut cx = Context::from_waker(&task);
        let mut pending = PendingOps::default();
        let (tx, rx) = oneshot::channel::<u32>();
        let waiting = rx.map(|v| OpOutput::Uint(v.unwrap()));
        pending.push(OpFuture::new(7, "op_wait", Box::pin(waiting)));
        pending.push(ready_op(8));
        let done: Vec<i32> = pending.poll(&mut cx).iter().map(|c| c.promise_id).collect();
        assert_eq!(done, [8]);
        assert_eq!(pending.len(), 1);
        assert!(pending.poll(&mut cx).is_empty(), "nothing was woken");
        assert_eq!(wakes.0.load(Ordering::SeqCst), 0);
        // Woken from another thread: the task is woken and the op settles.
        std::thread::spawn(move || tx.send(5).unwrap())
            .join()
            .unwrap();
        assert_eq!(wakes.0.load(Ordering::SeqCst), 1);
        let done: Vec<i32> = pending.poll(&mut cx).iter().map(|c| c.promise_id).collect();
        assert_eq!(done, [7]);
        assert_eq!(pending.len(), 0);
        // Both slots are free again: new ops take them, none is added.
        pending.push(ready_op(9));
        pending.push(ready_op(10));
        assert_eq!(pending.slots.len(), 2);
        assert_eq!(pending.poll(&mut cx).len(), 2);
    }

    #[test]
    fn take_all_empties_the_set() {
        let mut pending = PendingOps::default();
        let (_tx, rx) = oneshot::channel::<u32>();
        pending.push(OpFuture::new(
            1,
            "op_wait",
            Box::pin(rx.map(|_| OpOutput::Undefined)),
        ));
        pending.push(ready_op(2));
        let ids: Vec<i32> = pending
            .take_all()
            .iter()
            .map(OpFuture::promise_id)
            .collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(pending.len(), 0);
        assert_eq!(pending.iter().count(), 0);
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        assert!(pending.poll(&mut cx).is_empty(), "taken ops are not polled");
    }
}
