//! Parallel rendering with ordered delivery.
//!
//! Workers take frame indices from a shared counter and render them on all cores;
//! the calling thread reorders finished frames and hands them to the sink in order.
//! A worker never runs more than `window` frames ahead of the sink, so memory is
//! bounded by the window, not by the duration; and the window (and the number of
//! workers) shrink for large frames so that the frames in flight fit in
//! [`IN_FLIGHT_BYTES`], whatever `--threads` asks. The first error stops everything
//! and is the one reported.
//!
//! A sink may ask for a sample of frames first (rendered once, kept for the main pass)
//! and may give the workers the unordered part of its encoding ([`FrameWork`]), with a
//! preparation that one worker runs while the others render ahead (the window grows by
//! the sample's size, which the sink keeps within its own memory budget).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use super::order::{Gate, Reorder};
use super::plan::Plan;
use super::prepare::Prepare;
use super::progress::Progress;
use crate::base::error::RenderError;
use crate::base::frame::Frame;
use crate::base::parallel::{parallelism, spread};
use crate::clip::RenderCx;
use crate::render::sink::{FrameSink, FrameWork, Worked};

/// What a worker hands to the ordering thread.
enum Delivery {
    Frame(Frame),
    Worked(Worked),
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
    // thread asked for, stops with the render and shows on its progress.
    let cx = plan
        .cx()
        .with_threads(threads, Some(abort))
        .with_passes(progress.passes());
    // Workers hold the scene's intermediate frames too: a 14256x14256 rotated text
    // shown at --size 320x180 must not run on every core at once.
    let frame_bytes = (plan.size.w as u64 * plan.size.h as u64 * 4)
        .max(crate::clip::largest_frame_bytes(&plan.root));
    let (threads, window) = parallelism(threads, frame_bytes, plan.count);
    let sampled = sample(plan, sink, threads, &cx, abort)?;
    let cached = sampled.len() as u64;
    let cache = Mutex::new(sampled);
    let work = sink.work();
    // While one worker prepares the sink's work, the others render ahead: as many
    // frames more as the sample held (the sink sized that to fit in memory).
    let prep = Prepare::new(work.is_some());
    let window = match &work {
        Some(_) if threads > 1 => (window + cached).min(plan.count.max(1)),
        _ => window,
    };
    let end = plan.first + plan.count;
    let gate = Gate::new(plan.first, end, window, abort);
    let (tx, rx) =
        crossbeam_channel::bounded::<(u64, Result<Delivery, RenderError>)>(window as usize);

    std::thread::scope(|scope| {
        for k in 0..threads {
            let (tx, gate, cx, cache, work, prep) =
                (tx.clone(), &gate, &cx, &cache, work.as_deref(), &prep);
            scope.spawn(move || {
                spread(k, threads);
                loop {
                    let step = next_step(plan, gate, cx, cache, work, prep);
                    let Some((index, result)) = step else { return };
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

        let mut order = Reorder::<Delivery>::new(plan.first);
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
            if let Some(w) = &work {
                w.stop();
            }
        }
        drop(rx);
        outcome
    })
}

/// A worker's next piece of work: the sink's preparation (once, by the first worker
/// free), a frame held while it ran, or the next frame to render. `None` when there is
/// nothing left for this worker.
fn next_step(
    plan: &Plan,
    gate: &Gate,
    cx: &RenderCx,
    cache: &Mutex<HashMap<u64, Frame>>,
    work: Option<&dyn FrameWork>,
    prep: &Prepare,
) -> Option<(u64, Result<Delivery, RenderError>)> {
    let worked = |index: u64, frame: Frame| match work {
        Some(w) => w.work(index - plan.first, frame).map(Delivery::Worked),
        None => Ok(Delivery::Frame(frame)),
    };
    loop {
        if let Some(w) = work.filter(|_| prep.claim()) {
            if let Err(e) = w.prepare() {
                return Some((plan.first, Err(e)));
            }
            prep.done();
        }
        if let Some((index, frame)) = prep.next_held() {
            return Some((index, worked(index, frame)));
        }
        // Frames still held when none is left to take are worked by the worker
        // preparing, once it is done.
        let index = gate.take()?;
        let kept = cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&index);
        match kept.map_or_else(|| plan.frame(index, cx), Ok) {
            Err(e) => return Some((index, Err(e))),
            Ok(frame) => match prep.hold(index, frame) {
                Some(frame) => return Some((index, worked(index, frame))),
                None => continue,
            },
        }
    }
}

/// Hands every frame that is next in order to the sink, and reports progress.
fn deliver(
    order: &mut Reorder<Delivery>,
    sink: &mut dyn FrameSink,
    plan: &Plan,
    progress: &dyn Progress,
    gate: &Gate,
) -> Result<(), RenderError> {
    while let Some((index, item)) = order.pop() {
        match item {
            Delivery::Frame(frame) => sink.push(index - plan.first, frame)?,
            Delivery::Worked(w) => sink.push_worked(index - plan.first, w)?,
        }
        gate.delivered(order.next());
        if !progress.frame_done(order.next() - plan.first, plan.count) {
            return Err(RenderError("cancelled".into()));
        }
    }
    Ok(())
}

/// Renders the sample the sink asks for (frames spread evenly over the plan, on
/// `threads` threads), hands it to the sink and returns it for the main pass.
fn sample(
    plan: &Plan,
    sink: &mut dyn FrameSink,
    threads: usize,
    cx: &RenderCx,
    abort: &AtomicBool,
) -> Result<HashMap<u64, Frame>, RenderError> {
    let indices = sample_indices(plan.first, plan.count, sink.sample_size());
    if indices.is_empty() {
        return Ok(HashMap::new());
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<Frame, RenderError>>>> =
        indices.iter().map(|_| Mutex::new(None)).collect();
    // The first sample to fail: the root cause, which frames stopped after it (and
    // failing with "interrupted") must not hide, whatever their order.
    let failed = AtomicUsize::new(usize::MAX);
    let workers = threads.clamp(1, indices.len());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (next, slots, indices, failed) = (&next, &slots, &indices, &failed);
            scope.spawn(move || {
                spread(w, workers);
                loop {
                    let k = next.fetch_add(1, Ordering::SeqCst);
                    if k >= indices.len() || abort.load(Ordering::SeqCst) {
                        return;
                    }
                    let result = plan.frame(indices[k], cx);
                    let err = result.is_err();
                    *slots[k].lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                    if err {
                        // Claimed before raising the flag, so no frame stopped by the
                        // flag can claim it first.
                        let _ = failed.compare_exchange(
                            usize::MAX,
                            k,
                            Ordering::SeqCst,
                            Ordering::SeqCst,
                        );
                        abort.store(true, Ordering::SeqCst);
                    }
                }
            });
        }
    });
    let mut slots: Vec<_> = slots
        .into_iter()
        .map(|s| s.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect();
    if let Some(Some(Err(e))) = slots
        .get_mut(failed.load(Ordering::SeqCst))
        .map(Option::take)
    {
        return Err(e);
    }
    let mut frames = Vec::with_capacity(indices.len());
    for (k, slot) in slots.into_iter().enumerate() {
        match slot {
            Some(Ok(f)) => frames.push((indices[k], f)),
            Some(Err(e)) => return Err(e),
            None => return Err(RenderError::interrupted()),
        }
    }
    let shown: Vec<(u64, &Frame)> = frames.iter().map(|(i, f)| (*i - plan.first, f)).collect();
    sink.sample(&shown)?;
    Ok(frames.into_iter().collect())
}

/// `n` frame indices spread evenly over `first..first + count` (the middle of `n`
/// equal parts), fewer if there are fewer frames.
fn sample_indices(first: u64, count: u64, n: usize) -> Vec<u64> {
    let n = (n as u64).min(count);
    (0..n)
        .map(|k| first + (2 * k + 1) * count / (2 * n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sample_indices;

    #[test]
    fn workers_are_counted_by_the_largest_frame_in_the_scene_not_the_output() {
        // A 4000x3000 colour cut to 40x30: the worker holds 48 MB frames for each 4.8 kB
        // output frame.
        let src = r#"
[output]
fps = 10
duration = 1
[clip.big]
kind = "color"
color = "red"
size = [4000, 3000]
effects = [{ resize = { width = 40 } }]
[clip.main]
kind = "composite"
size = [64, 48]
layers = [{ clip = "big" }, { clip = "big", position = [20, 10] }]
"#;
        let scene = crate::scene::parse(src, std::path::Path::new("."), &[]).unwrap();
        assert_eq!(
            crate::clip::largest_frame_bytes(&scene.root),
            4000 * 3000 * 4
        );
    }

    #[test]
    fn samples_spread_over_the_range() {
        assert_eq!(sample_indices(0, 40, 4), [5, 15, 25, 35]);
        assert_eq!(sample_indices(10, 3, 8), [10, 11, 12]);
        assert!(sample_indices(0, 100, 0).is_empty());
    }
}
