//! A measurement's values: one pass over the measured clip, rendered on the render's
//! threads the first time any frame needs a value, then shared by every frame and
//! thread (as `over = "clip"` statistics are, `effect/clip_stats.rs`).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::stat::Measure;
use crate::base::error::RenderError;
use crate::base::parallel::parallelism;
use crate::base::time::{clamp_time, frame_count, TIME_EPSILON};
use crate::clip::pass::{outside_renders, PassReport, PassWatch};
use crate::clip::{Clip, RenderCx};
use crate::expr::Series;

type Values = Result<Arc<[f64]>, RenderError>;
type Cell = Arc<OnceLock<Values>>;

/// The values of one `[measure.NAME]`, per output frame rate.
pub struct Measurement {
    pub name: String,
    clip: Arc<dyn Clip>,
    duration: f64,
    measure: Measure,
    /// One pass per frame rate (`f64::to_bits`).
    cache: Mutex<Vec<(u64, Cell)>>,
}

impl std::fmt::Debug for Measurement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Measurement({})", self.name)
    }
}

impl Measurement {
    pub fn new(name: String, clip: Arc<dyn Clip>, duration: f64, measure: Measure) -> Self {
        Measurement {
            name,
            clip,
            duration,
            measure,
            cache: Mutex::new(Vec::new()),
        }
    }

    /// The values at `cx.fps`, measured by the first caller while the others wait. An
    /// interrupted pass is not kept: the next render measures again.
    pub fn values_in(&self, cx: &RenderCx) -> Values {
        let key = cx.fps.to_bits();
        let cell = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            match cache.iter().find(|(k, _)| *k == key) {
                Some((_, c)) => c.clone(),
                None => {
                    let c: Cell = Arc::new(OnceLock::new());
                    cache.push((key, c.clone()));
                    c
                }
            }
        };
        let result = cell.get_or_init(|| self.pass(cx)).clone();
        if result.as_ref().is_err_and(|e| e.0 == "interrupted") {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache.retain(|(_, c)| !Arc::ptr_eq(c, &cell));
        }
        result
    }

    /// Renders every frame of the clip at `cx.fps` on up to `cx.threads` threads,
    /// reported to `cx.passes`; the first error stops the others and is the one returned.
    fn pass(&self, cx: &RenderCx) -> Values {
        let n = self.frames(cx.fps);
        // The scene's rate was checked when it loaded; `--fps` may ask for more.
        if n as u64 > crate::base::limits::MAX_MEASURED_FRAMES {
            return Err(RenderError(format!(
                "measurement `{}`: {n} frames at {} fps, more than the {} a measurement may render: give a lower --fps",
                self.name,
                crate::base::time::fps_text(cx.fps),
                crate::base::limits::MAX_MEASURED_FRAMES
            )));
        }
        let report = PassReport::begin(cx, &format!("measuring {}", self.name), n);
        let size = self.clip.size();
        let (workers, _) = parallelism(cx.threads, size.w as u64 * size.h as u64 * 4, n as u64);
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let work = || -> Result<Vec<(usize, f64)>, RenderError> {
            let mut got = Vec::new();
            loop {
                if cx.aborted() {
                    return Err(RenderError::interrupted());
                }
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= n || failed.load(Ordering::SeqCst) {
                    return Ok(got);
                }
                let t = clamp_time(i as f64 / cx.fps, Some(self.duration));
                match self.clip.render(t, cx) {
                    Ok(frame) => {
                        got.push((i, self.measure.of(&frame)));
                        report.frame_done();
                    }
                    Err(e) => {
                        failed.store(true, Ordering::SeqCst);
                        return Err(RenderError(format!("measurement `{}`: {}", self.name, e.0)));
                    }
                }
            }
        };
        let parts: Vec<Result<Vec<(usize, f64)>, RenderError>> = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
            let mut parts = vec![work()];
            parts.extend(
                helpers
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
            );
            parts
        });
        let mut values = vec![f64::NAN; n];
        for part in parts {
            for (i, v) in part? {
                values[i] = v;
            }
        }
        Ok(values.into())
    }
}

/// Threads for a pass started outside a render (a value needed while the scene loads).
fn default_threads() -> usize {
    crate::base::parallel::cores()
}

impl Series for Measurement {
    fn at(&self, t: f64, fps: f64) -> f64 {
        let values = self.values(fps);
        if values.is_empty() || !t.is_finite() {
            return f64::NAN;
        }
        let i = (t * fps + TIME_EPSILON).floor().max(0.0) as usize;
        values[i.min(values.len() - 1)]
    }

    fn values(&self, fps: f64) -> Arc<[f64]> {
        let watch = outside_renders();
        let cx = RenderCx::new(fps)
            .with_threads(default_threads(), None)
            .with_passes(watch.as_deref().map(|w| w as &dyn PassWatch));
        self.values_in(&cx)
            .unwrap_or_else(|_| Arc::from(Vec::new()))
    }

    fn frames(&self, fps: f64) -> usize {
        frame_count(self.duration, fps) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{filled, RenderResult, Size};
    use crate::clip::pass::testing::{Event, Recorder};
    use crate::scene::measure::stat::{Channel, Stat};

    /// A clip whose grey level is its frame index at 10 fps, 10 frames long.
    struct Ramp;

    impl Clip for Ramp {
        fn kind(&self) -> &'static str {
            "ramp"
        }
        fn size(&self) -> Size {
            Size::new(2, 2)
        }
        fn duration(&self) -> Option<f64> {
            Some(1.0)
        }
        fn render(&self, t: f64, _: &RenderCx) -> RenderResult {
            let v = (t * 10.0 + 1e-9).floor() as u8;
            Ok(filled(
                Size::new(2, 2),
                tiny_skia::Color::from_rgba8(v, v, v, 255),
            ))
        }
    }

    fn mean() -> Measurement {
        let measure = Measure {
            stat: Stat::Mean,
            channel: Channel::Red,
            threshold: 0.0,
        };
        Measurement::new("m".into(), Arc::new(Ramp), 1.0, measure)
    }

    #[test]
    fn one_value_per_frame_on_any_number_of_threads() {
        let m = mean();
        let one = m.values_in(&RenderCx::new(10.0)).unwrap();
        assert_eq!(&one[..], &[0., 1., 2., 3., 4., 5., 6., 7., 8., 9.]);
        let four = mean()
            .values_in(&RenderCx::new(10.0).with_threads(4, None))
            .unwrap();
        assert_eq!(one, four);
        // Between frames: the frame's value; after the end: the last.
        assert_eq!(m.at(0.35, 10.0), 3.0);
        assert_eq!(m.at(0.3, 10.0), 3.0);
        assert_eq!(m.at(5.0, 10.0), 9.0);
        assert!(m.at(f64::NAN, 10.0).is_nan());
        // Another rate is another pass.
        assert_eq!(m.values(5.0).len(), 5);
    }

    /// The ramp, 1.2 s long, raising `stop` on its `after`-th render.
    struct Stopping {
        stop: Arc<AtomicBool>,
        after: usize,
        renders: AtomicUsize,
    }

    impl Clip for Stopping {
        fn kind(&self) -> &'static str {
            "stopping"
        }
        fn size(&self) -> Size {
            Ramp.size()
        }
        fn duration(&self) -> Option<f64> {
            Some(1.2)
        }
        fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
            if self.renders.fetch_add(1, Ordering::SeqCst) + 1 >= self.after {
                self.stop.store(true, Ordering::SeqCst);
            }
            Ramp.render(t, cx)
        }
    }

    fn stopping(after: usize) -> (Measurement, Arc<AtomicBool>) {
        let stop = Arc::new(AtomicBool::new(false));
        let clip = Stopping {
            stop: stop.clone(),
            after,
            renders: AtomicUsize::new(0),
        };
        let m = Measurement::new("population".into(), Arc::new(clip), 1.2, mean().measure);
        (m, stop)
    }

    #[test]
    fn the_pass_is_reported() {
        let (m, _) = stopping(usize::MAX);
        let watch = Recorder::default();
        let cx = RenderCx::new(10.0)
            .with_threads(3, None)
            .with_passes(Some(&watch));
        assert_eq!(m.values_in(&cx).unwrap().len(), 12);
        let events = watch.events();
        assert_eq!(events[0], Event::Begun("measuring population".into(), 12));
        assert_eq!(events.last(), Some(&Event::Ended));
        assert_eq!(events.len(), 1 + 12 + 1, "{events:?}");
        assert_eq!(watch.most_frames(), 12);
        // Measured once: the frames after the first tell nothing more.
        m.values_in(&cx).unwrap();
        assert_eq!(watch.events().len(), 14);
    }

    #[test]
    fn a_pass_outside_a_render_is_told_to_the_outside_watch() {
        let (m, _) = stopping(usize::MAX);
        let watch = Arc::new(Recorder::default());
        {
            let _set = crate::clip::pass::watch_outside_renders(watch.clone());
            assert_eq!(m.values(10.0).len(), 12);
        }
        // The watch is the process's: other tests' passes may reach it too.
        let ours = watch.pass(&Event::Begun("measuring population".into(), 12));
        assert_eq!(ours.len(), 1 + 12 + 1, "{ours:?}");
        assert_eq!(ours.last(), Some(&Event::Ended));
        // Once the guard is gone, nothing more is told.
        assert_eq!(m.values(5.0).len(), 6);
        let later = watch.pass(&Event::Begun("measuring population".into(), 6));
        assert!(later.is_empty(), "{later:?}");
    }

    #[test]
    fn a_stopped_pass_stops_reporting() {
        let (m, stop) = stopping(4);
        let watch = Recorder::default();
        let cx = RenderCx::new(10.0)
            .with_threads(2, Some(&stop))
            .with_passes(Some(&watch));
        assert_eq!(m.values_in(&cx).unwrap_err().0, "interrupted");
        let events = watch.events();
        assert_eq!(events[0], Event::Begun("measuring population".into(), 12));
        assert_eq!(events.last(), Some(&Event::Ended), "{events:?}");
        // The frame that raised the flag is done, and on the other thread at most one
        // more; then nothing.
        assert!((4..=5).contains(&watch.most_frames()), "{events:?}");
        let ended = events.iter().filter(|e| **e == Event::Ended).count();
        assert_eq!(ended, 1);
    }

    #[test]
    fn a_stopped_pass_is_not_kept() {
        let m = mean();
        let stop = AtomicBool::new(true);
        let e = m
            .values_in(&RenderCx::new(10.0).with_threads(2, Some(&stop)))
            .unwrap_err();
        assert_eq!(e.0, "interrupted");
        assert_eq!(m.values(10.0).len(), 10);
    }
}
