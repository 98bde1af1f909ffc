//! Parallel rendering with ordered delivery.
//!
//! Workers take frame indices from a shared counter and render them on all cores;
//! the calling thread reorders finished frames and hands them to the sink in order.
//! A worker never runs more than `window` frames ahead of the sink, so memory is
//! bounded by the window, not by the duration; and the window (and the number of
//! workers) shrink for large frames so that the frames in flight fit in
//! [`IN_FLIGHT_BYTES`], whatever `--threads` asks. The first error stops everything
//! and is the one reported.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use super::plan::Plan;
use super::progress::Progress;
use crate::clip::RenderError;
use crate::encode::FrameSink;

/// The most memory output frames in flight (being rendered, or waiting for their turn
/// at the encoder) may take: two 16384x16384 frames. Each worker also holds the
/// intermediate frames of the clip it renders, of the same order of size.
pub const IN_FLIGHT_BYTES: u64 = 2 << 30;

/// How many workers run and how far ahead of the encoder they may go, for `threads`
/// asked, frames of `frame_bytes` and `frames` frames to render: twice as many frames
/// as workers, within [`IN_FLIGHT_BYTES`], at least one.
pub fn parallelism(threads: usize, frame_bytes: u64, frames: u64) -> (usize, u64) {
    let fit = (IN_FLIGHT_BYTES / frame_bytes.max(1)).max(1);
    let window = (threads.max(1) as u64 * 2).min(fit).min(frames.max(1));
    let workers = (threads.max(1) as u64).min(window) as usize;
    (workers, window)
}

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
    // Work inside one frame that spans the clip (statistics over it) may use every
    // thread asked for, and stops with the render.
    let cx = plan.cx().with_threads(threads, Some(abort));
    let frame_bytes = plan.size.w as u64 * plan.size.h as u64 * 4;
    let (threads, window) = parallelism(threads, frame_bytes, plan.count);
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
                let result = plan.frame(index, &cx);
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
                        Err(_) => break Err(RenderError::interrupted()),
                    }
                }
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break Err(RenderError::interrupted()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_in_flight_fit_the_memory_bound() {
        let small = 640 * 480 * 4;
        assert_eq!(parallelism(8, small, 1000), (8, 16));
        // Never more workers or window than frames to render.
        assert_eq!(parallelism(1024, small, 3), (3, 3));
        assert_eq!(parallelism(0, small, 0), (1, 1));
        // 1024 threads of 4096x4096 frames (64 MiB): 32 frames in flight, not 2048.
        assert_eq!(parallelism(1024, 4096 * 4096 * 4, 1000), (32, 32));
        // 16384x16384 frames (1 GiB): two, however many threads.
        let huge = 16384 * 16384 * 4;
        assert_eq!(parallelism(2, huge, 100), (2, 2));
        assert_eq!(parallelism(64, huge, 100), (2, 2));
        assert_eq!(parallelism(1, huge, 100), (1, 2));
        let (workers, window) = parallelism(1024, huge, 100);
        assert!(window * huge <= IN_FLIGHT_BYTES && workers as u64 <= window);
    }
}
