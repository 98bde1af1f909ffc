//! The two small pieces of ordered parallel work, kept apart from the engine's policy
//! (as gifski's `ordqueue.rs` is): a gate that hands indices to workers no further than
//! a window ahead of delivery, and a queue that puts results back in index order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

struct Counters {
    next: u64,
    delivered: u64,
}

/// Hands out the indices `first..end` once each, never more than `window` ahead of the
/// last one delivered; workers wait at the gate until delivery catches up.
pub struct Gate<'a> {
    counters: Mutex<Counters>,
    wake: Condvar,
    end: u64,
    window: u64,
    abort: &'a AtomicBool,
}

impl<'a> Gate<'a> {
    pub fn new(first: u64, end: u64, window: u64, abort: &'a AtomicBool) -> Gate<'a> {
        Gate {
            counters: Mutex::new(Counters {
                next: first,
                delivered: first,
            }),
            wake: Condvar::new(),
            end,
            window,
            abort,
        }
    }

    /// The next index to work on; `None` when all are taken or the work is stopped.
    pub fn take(&self) -> Option<u64> {
        let mut c = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if self.abort.load(Ordering::SeqCst) || c.next >= self.end {
                return None;
            }
            if c.next < c.delivered + self.window {
                c.next += 1;
                return Some(c.next - 1);
            }
            c = self.wake.wait(c).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Every index below `next` has been delivered: waiting workers may go on.
    pub fn delivered(&self, next: u64) {
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .delivered = next;
        self.wake.notify_all();
    }

    /// Raises the stop flag and wakes every waiting worker so that it sees it.
    pub fn stop(&self) {
        self.abort.store(true, Ordering::SeqCst);
        let _guard = self.counters.lock();
        self.wake.notify_all();
    }
}

/// Results that arrive in any order, handed out in index order from `first`.
pub struct Reorder<T> {
    next: u64,
    pending: BTreeMap<u64, T>,
}

impl<T> Reorder<T> {
    pub fn new(first: u64) -> Reorder<T> {
        Reorder {
            next: first,
            pending: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, index: u64, item: T) {
        self.pending.insert(index, item);
    }

    /// The result with the next index in order, if it has arrived.
    pub fn pop(&mut self) -> Option<(u64, T)> {
        let item = self.pending.remove(&self.next)?;
        self.next += 1;
        Some((self.next - 1, item))
    }

    /// The index the next [`pop`](Self::pop) hands out.
    pub fn next(&self) -> u64 {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        let mut q = Reorder::new(5);
        q.insert(7, 'c');
        q.insert(5, 'a');
        assert_eq!(q.pop(), Some((5, 'a')));
        assert_eq!(q.pop(), None);
        q.insert(6, 'b');
        assert_eq!(
            (q.pop(), q.pop(), q.next()),
            (Some((6, 'b')), Some((7, 'c')), 8)
        );
    }

    #[test]
    fn the_gate_holds_workers_within_the_window() {
        let abort = AtomicBool::new(false);
        let gate = Gate::new(0, 10, 2, &abort);
        assert_eq!((gate.take(), gate.take()), (Some(0), Some(1)));
        gate.delivered(1);
        assert_eq!(gate.take(), Some(2));
        gate.stop();
        assert_eq!(gate.take(), None);
    }
}
