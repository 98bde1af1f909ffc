//! Parallel rendering with ordered delivery.
//!
//! Workers take frame indices from a shared counter and render them on all cores;
//! the calling thread reorders finished frames and hands them to the sink in order.
//! A worker never runs more than `window` frames ahead of the sink, so memory is
//! bounded by the window, not by the duration; and the window (and the number of
//! workers) shrink for large frames so that the frames in flight fit in
//! [`IN_FLIGHT_BYTES`], whatever `--threads` asks. The first error stops everything
//! and is the one reported.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use super::order::{Gate, Reorder};
use super::plan::Plan;
use super::progress::Progress;
use crate::base::error::RenderError;
use crate::base::frame::Frame;
use crate::base::parallel::parallelism;
use crate::render::sink::FrameSink;

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
    let gate = Gate::new(plan.first, end, window, abort);
    let (tx, rx) = crossbeam_channel::bounded::<(u64, Result<Frame, RenderError>)>(window as usize);

    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (tx, gate, cx) = (tx.clone(), &gate, &cx);
            scope.spawn(move || {
                while let Some(index) = gate.take() {
                    let result = plan.frame(index, cx);
                    let failed = result.is_err();
                    // Sent before raising the flag, so the consumer sees the root cause.
                    if tx.send((index, result)).is_err() || failed {
                        abort.store(true, Ordering::SeqCst);
                        return;
                    }
                }
            });
        }
        drop(tx);

        let mut order = Reorder::new(plan.first);
        let outcome = loop {
            if order.next() == end {
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
                Ok(frame) => order.insert(index, frame),
                Err(e) => break Err(e),
            }
            if let Err(e) = deliver(&mut order, sink, plan, progress, &gate) {
                break Err(e);
            }
        };
        if outcome.is_err() {
            gate.stop();
        }
        drop(rx);
        outcome
    })
}

/// Hands every frame that is next in order to the sink, and reports progress.
fn deliver(
    order: &mut Reorder<Frame>,
    sink: &mut dyn FrameSink,
    plan: &Plan,
    progress: &dyn Progress,
    gate: &Gate,
) -> Result<(), RenderError> {
    while let Some((index, frame)) = order.pop() {
        sink.push(index - plan.first, frame)?;
        gate.delivered(order.next());
        if !progress.frame_done(order.next() - plan.first, plan.count) {
            return Err(RenderError("cancelled".into()));
        }
    }
    Ok(())
}
