//! Parallel rendering with ordered delivery.
//!
//! Workers take frame indices from a shared counter and render them on all cores;
//! the calling thread reorders finished frames and hands them to the sink in order.
//! A worker never runs more than `window` frames ahead of the sink, so memory is
//! bounded by the window, not by the duration. The first error stops everything and
//! is the one reported.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use super::plan::Plan;
use super::progress::Progress;
use crate::clip::RenderError;
use crate::encode::FrameSink;

struct Schedule {
    next: u64,
    delivered: u64,
}

/// Renders `plan` into `sink` on `threads` threads. `abort` stops the render from
/// outside (Ctrl-C); it is also set here when anything fails.
pub fn run(
    plan: &Plan,
    sink: &mut dyn FrameSink,
    threads: usize,
    progress: &dyn Progress,
    abort: &AtomicBool,
) -> Result<(), RenderError> {
    let threads = threads.max(1);
    let window = (threads as u64) * 2;
    let end = plan.first + plan.count;
    let schedule = Mutex::new(Schedule {
        next: plan.first,
        delivered: plan.first,
    });
    let wake = Condvar::new();
    let (tx, rx) = crossbeam_channel::bounded::<(u64, Result<crate::clip::Frame, RenderError>)>(
        window as usize,
    );

    let stop = |schedule: &Mutex<Schedule>| {
        abort.store(true, Ordering::SeqCst);
        let _guard = schedule.lock();
        wake.notify_all();
    };

    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (schedule, wake) = (&schedule, &wake);
            scope.spawn(move || loop {
                let index = {
                    let mut s = schedule.lock().unwrap_or_else(|p| p.into_inner());
                    loop {
                        if abort.load(Ordering::SeqCst) || s.next >= end {
                            return;
                        }
                        if s.next < s.delivered + window {
                            break;
                        }
                        s = wake.wait(s).unwrap_or_else(|p| p.into_inner());
                    }
                    s.next += 1;
                    s.next - 1
                };
                let result = plan.frame(index);
                let failed = result.is_err();
                // Sent before raising the flag, so the consumer sees the root cause.
                if tx.send((index, result)).is_err() || failed {
                    abort.store(true, Ordering::SeqCst);
                    return;
                }
            });
        }
        drop(tx);

        let mut pending = BTreeMap::new();
        let mut next = plan.first;
        let outcome = loop {
            if next == end {
                break Ok(());
            }
            let (index, result) = match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(item) => item,
                Err(RecvTimeoutError::Timeout) if abort.load(Ordering::SeqCst) => {
                    match rx.try_recv() {
                        Ok(item) => item,
                        Err(_) => break Err(RenderError("interrupted".into())),
                    }
                }
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => {
                    break Err(RenderError("interrupted".into()))
                }
            };
            match result {
                Ok(frame) => {
                    pending.insert(index, frame);
                }
                Err(e) => break Err(e),
            }
            let mut failed = None;
            while let Some(frame) = pending.remove(&next) {
                if let Err(e) = sink.push(next - plan.first, frame) {
                    failed = Some(e);
                    break;
                }
                next += 1;
                schedule.lock().unwrap_or_else(|p| p.into_inner()).delivered = next;
                wake.notify_all();
                if !progress.frame_done(next - plan.first, plan.count) {
                    failed = Some(RenderError("cancelled".into()));
                    break;
                }
            }
            if let Some(e) = failed {
                break Err(e);
            }
        };
        if outcome.is_err() {
            stop(&schedule);
        }
        drop(rx);
        outcome
    })
}
