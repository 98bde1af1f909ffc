//! Statistics over a whole clip (`over = "clip"`): one histogram of the effect's input,
//! measured once and shared by every frame and thread.
//!
//! The input is sampled at the output frame rate (t = i / fps for
//! i < round(duration × fps)); a clip of more than [`MAX_SAMPLES`] frames is measured
//! on that many frames evenly spread over it, first and last included, so the pass
//! costs at most [`MAX_SAMPLES`] renders of the input whatever the duration. The frames
//! are rendered on the render's threads (the frames waiting for the histogram block
//! meanwhile), and the pass gives up as soon as the render is stopped (Ctrl-C, or
//! another frame failed).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::stats::{Hist, Measure};
use crate::base::error::RenderError;
use crate::base::parallel::parallelism;
use crate::base::time::clamp_time;
use crate::base::time::{frame_count, spread};
use crate::clip::pass::PassReport;
use crate::clip::{Clip, RenderCx};

/// The most frames a statistics pass renders: a histogram of 1000 frames evenly spread
/// over a clip describes it as well as one of all its frames.
pub const MAX_SAMPLES: usize = 1000;

type Cached = Arc<OnceLock<Result<Hist, RenderError>>>;

/// The histogram of a clip with an end, per output frame rate.
pub struct ClipWide {
    input: Arc<dyn Clip>,
    duration: f64,
    /// One histogram per output frame rate (`f64::to_bits`).
    cache: Mutex<Vec<(u64, Cached)>>,
}

impl ClipWide {
    pub fn new(input: Arc<dyn Clip>, duration: f64) -> ClipWide {
        ClipWide {
            input,
            duration,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// The histogram at `cx.fps`, measured by the first caller while the others wait.
    pub fn hist(&self, cx: &RenderCx, mask: bool, measure: Measure) -> Result<Hist, RenderError> {
        let key = cx.fps.to_bits();
        let cell = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            match cache.iter().find(|(k, _)| *k == key) {
                Some((_, c)) => c.clone(),
                None => {
                    let c: Cached = Arc::new(OnceLock::new());
                    cache.push((key, c.clone()));
                    c
                }
            }
        };
        cell.get_or_init(|| {
            let times = sample_times(self.duration, cx.fps);
            measure_frames(&*self.input, &times, cx, mask, measure)
        })
        .clone()
    }
}

/// The times a statistics pass renders: the clip's frames at `fps`, at most
/// [`MAX_SAMPLES`] of them, evenly spread.
pub fn sample_times(duration: f64, fps: f64) -> Vec<f64> {
    let frames = frame_count(duration, fps) as usize;
    spread(frames, MAX_SAMPLES)
        .map(|i| clamp_time(i as f64 / fps, Some(duration)))
        .collect()
}

/// The histogram of `input` at `times`, rendered on up to `cx.threads` threads (fewer
/// for large frames, as the engine does). The first error stops the others and is the
/// one returned; a raised stop flag gives [`RenderError::interrupted`].
fn measure_frames(
    input: &dyn Clip,
    times: &[f64],
    cx: &RenderCx,
    mask: bool,
    measure: Measure,
) -> Result<Hist, RenderError> {
    let size = input.size();
    let frame_bytes = size.w as u64 * size.h as u64 * 4;
    let (workers, _) = parallelism(cx.threads, frame_bytes, times.len() as u64);
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let what = format!("statistics of {}", input.kind());
    let report = PassReport::begin(cx, &what, times.len());
    let work = || -> Result<Hist, RenderError> {
        let mut hist = Hist::new();
        loop {
            if cx.aborted() {
                return Err(RenderError::interrupted());
            }
            if failed.load(Ordering::SeqCst) {
                // Another thread failed: its error is the one reported.
                return Ok(hist);
            }
            let Some(&t) = times.get(next.fetch_add(1, Ordering::SeqCst)) else {
                return Ok(hist);
            };
            match input.render(t, cx) {
                Ok(frame) => {
                    hist.add_frame(&frame, mask, measure);
                    report.frame_done();
                }
                Err(e) => {
                    failed.store(true, Ordering::SeqCst);
                    return Err(e);
                }
            }
        }
    };
    let parts: Vec<Result<Hist, RenderError>> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mine = work();
        let mut parts: Vec<_> = helpers
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        parts.insert(0, mine);
        parts
    });
    let mut total = Hist::new();
    for part in parts {
        total.merge(&part?);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{RenderResult, Size};
    use crate::effect::testing::Solid;

    /// A solid clip that counts its renders and raises `stop` after `stop_after` of them.
    struct Counting {
        inner: Solid,
        renders: AtomicUsize,
        stop: AtomicBool,
        stop_after: usize,
    }

    impl Clip for Counting {
        fn kind(&self) -> &'static str {
            "counting"
        }
        fn size(&self) -> Size {
            self.inner.size()
        }
        fn duration(&self) -> Option<f64> {
            self.inner.duration()
        }
        fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
            if self.renders.fetch_add(1, Ordering::SeqCst) + 1 >= self.stop_after {
                self.stop.store(true, Ordering::SeqCst);
            }
            self.inner.render(t, cx)
        }
    }

    fn counting(duration: f64, stop_after: usize) -> Counting {
        Counting {
            inner: Solid {
                size: Size::new(2, 2),
                rgba: [10, 10, 10, 255],
                duration: Some(duration),
            },
            renders: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            stop_after,
        }
    }

    #[test]
    fn long_clips_are_sampled() {
        // A day at 10 fps: 864 000 frames, of which 1000 are measured, first and last.
        let times = sample_times(86400.0, 10.0);
        assert_eq!(times.len(), MAX_SAMPLES);
        assert_eq!(times[0], 0.0);
        assert!((times[999] - 86399.9).abs() < 1e-6, "{}", times[999]);
        // Short clips: every frame.
        assert_eq!(sample_times(0.3, 10.0).len(), 3);

        let clip = counting(86400.0, usize::MAX);
        let cx = RenderCx::new(10.0).with_threads(2, None);
        let h = measure_frames(
            &clip,
            &sample_times(86400.0, 10.0),
            &cx,
            false,
            Measure::Values,
        )
        .unwrap();
        assert_eq!(clip.renders.load(Ordering::SeqCst), MAX_SAMPLES);
        // Every sampled pixel counted once (three equal channels each).
        assert_eq!(h.counts[10], 3 * 4 * MAX_SAMPLES as u64);
    }

    #[test]
    fn the_pass_stops_with_the_render() {
        let clip = counting(86400.0, 5);
        let cx = RenderCx::new(10.0).with_threads(2, Some(&clip.stop));
        let times = sample_times(86400.0, 10.0);
        let e = measure_frames(&clip, &times, &cx, false, Measure::Values).unwrap_err();
        assert_eq!(e.0, "interrupted");
        // Each thread finishes the frame it is on, then stops.
        assert!(clip.renders.load(Ordering::SeqCst) < 5 + 2);
    }

    #[test]
    fn the_pass_is_reported() {
        use crate::clip::pass::testing::{Event, Recorder};
        let clip = counting(2.0, usize::MAX);
        let watch = Recorder::default();
        let cx = RenderCx::new(10.0)
            .with_threads(2, None)
            .with_passes(Some(&watch));
        let wide = ClipWide::new(Arc::new(clip), 2.0);
        wide.hist(&cx, false, Measure::Values).unwrap();
        let events = watch.events();
        assert_eq!(events[0], Event::Begun("statistics of counting".into(), 20));
        assert_eq!(events.len(), 1 + 20 + 1, "{events:?}");
        assert_eq!(watch.most_frames(), 20);
        assert_eq!(events.last(), Some(&Event::Ended));
    }

    #[test]
    fn threads_give_the_same_histogram() {
        let clip = crate::effect::testing::pattern(3, 2, Some(2.0));
        let times = sample_times(2.0, 10.0);
        let one = RenderCx::new(10.0);
        let a = measure_frames(&*clip, &times, &one, false, Measure::Values).unwrap();
        let b = measure_frames(
            &*clip,
            &times,
            &one.with_threads(4, None),
            false,
            Measure::Values,
        )
        .unwrap();
        assert_eq!(a, b);
    }
}
