//! A measurement's values: one pass over the measured clip, rendered on the render's
//! threads the first time any frame needs a value, then shared by every frame and
//! thread (as `over = "clip"` statistics are, `effect/clip_stats.rs`). Every
//! measurement of one clip shares its pass ([`ClipPass`]): each frame is rendered once
//! and every statistic taken from it (200 measurements of one plot rendered it 200
//! times).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::stat::{Channel, Measure};
use crate::base::error::RenderError;
use crate::base::parallel::parallelism;
use crate::base::time::{clamp_time, frame_count, TIME_EPSILON};
use crate::clip::pass::{outside_renders, PassReport, PassWatch};
use crate::clip::{Clip, RenderCx};
use crate::expr::Series;

/// The values of every measurement of a pass, in the order they joined it.
type AllValues = Result<Arc<[Arc<[f64]>]>, RenderError>;
type Cell = Arc<OnceLock<AllValues>>;
type Values = Result<Arc<[f64]>, RenderError>;
/// The frames one thread of a pass measured: (frame, one value per measurement).
type Rows = Result<Vec<(usize, Vec<f64>)>, RenderError>;

/// The frames of one measured clip, measured once for all its measurements.
pub struct ClipPass {
    clip: Arc<dyn Clip>,
    duration: f64,
    /// The measurements taken from its frames (name, statistic), in the order bound.
    measures: Mutex<Vec<(String, Measure)>>,
    /// One pass per frame rate (`f64::to_bits`).
    cache: Mutex<Vec<(u64, Cell)>>,
}

impl ClipPass {
    pub fn new(clip: Arc<dyn Clip>, duration: f64) -> Arc<ClipPass> {
        Arc::new(ClipPass {
            clip,
            duration,
            measures: Mutex::new(Vec::new()),
            cache: Mutex::new(Vec::new()),
        })
    }

    /// Adds a measurement to the pass; its values are at the index returned.
    fn join(&self, name: &str, measure: Measure) -> usize {
        let mut measures = self.measures.lock().unwrap_or_else(|e| e.into_inner());
        measures.push((name.to_string(), measure));
        measures.len() - 1
    }

    /// The values of measurement `index` at `cx.fps`, measured by the first caller
    /// while the others wait. An interrupted pass is not kept: the next render
    /// measures again. A pass made before measurement `index` joined (its values
    /// needed while the scene was still loading) is made again, for all of them.
    fn values_in(&self, index: usize, cx: &RenderCx) -> Values {
        let key = cx.fps.to_bits();
        loop {
            let cell = {
                let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                let lacks = |c: &Cell| {
                    c.get()
                        .is_some_and(|r| r.as_ref().is_ok_and(|v| v.len() <= index))
                };
                match cache.iter().position(|(k, _)| *k == key) {
                    Some(i) if !lacks(&cache[i].1) => cache[i].1.clone(),
                    found => {
                        let c: Cell = Arc::new(OnceLock::new());
                        match found {
                            Some(i) => cache[i].1 = c.clone(),
                            None => cache.push((key, c.clone())),
                        }
                        c
                    }
                }
            };
            let result = cell.get_or_init(|| self.pass(cx)).clone();
            match result {
                Ok(all) if index < all.len() => return Ok(all[index].clone()),
                // Made before this measurement joined: the next turn makes it anew.
                Ok(_) => continue,
                Err(e) => {
                    if e.0 == "interrupted" {
                        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
                        cache.retain(|(_, c)| !Arc::ptr_eq(c, &cell));
                    }
                    return Err(e);
                }
            }
        }
    }

    fn frames(&self, fps: f64) -> usize {
        frame_count(self.duration, fps) as usize
    }

    /// Renders every frame of the clip at `cx.fps` on up to `cx.threads` threads and
    /// takes each measurement's statistic of it, reported to `cx.passes`; the first
    /// error stops the others and is the one returned. Messages name the first
    /// measurement.
    fn pass(&self, cx: &RenderCx) -> AllValues {
        let measures = self
            .measures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let name = match measures.as_slice() {
            [] => return Ok(Arc::from(Vec::new())),
            [(one, _)] => one.clone(),
            [(first, _), rest @ ..] => format!("{first} (and {} more)", rest.len()),
        };
        let first = &measures[0].0;
        let n = self.frames(cx.fps);
        // The scene's rate was checked when it loaded; `--fps` may ask for more.
        if n as u64 > crate::base::limits::MAX_MEASURED_FRAMES {
            return Err(RenderError(format!(
                "measurement `{first}`: {n} frames at {} fps, more than the {} a measurement may render: give a lower --fps",
                crate::base::time::fps_text(cx.fps),
                crate::base::limits::MAX_MEASURED_FRAMES
            )));
        }
        let report = PassReport::begin(cx, &format!("measuring {name}"), n);
        let size = self.clip.size();
        let (workers, _) = parallelism(cx.threads, size.w as u64 * size.h as u64 * 4, n as u64);
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let of_values = |m: &Measure| m.channel == Channel::Value;
        let (numbers, pixels) = (
            measures.iter().any(|(_, m)| of_values(m)),
            measures.iter().any(|(_, m)| !of_values(m)),
        );
        // One frame's statistics: of its pixels, of its values, or both.
        let row = |t: f64| -> Result<Vec<f64>, RenderError> {
            let frame = pixels.then(|| self.clip.render(t, cx)).transpose()?;
            let vals = match numbers {
                true => Some(self.clip.numbers(t, cx).unwrap_or_else(|| {
                    Err(RenderError("the clip draws no numbers".to_string()))
                })?),
                false => None,
            };
            Ok(measures
                .iter()
                .map(|(_, m)| match (&frame, &vals) {
                    (_, Some(v)) if of_values(m) => m.of_numbers(v),
                    (Some(f), _) => m.of(f),
                    _ => f64::NAN,
                })
                .collect())
        };
        let work = || -> Rows {
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
                match row(t) {
                    Ok(values) => {
                        got.push((i, values));
                        report.frame_done();
                    }
                    Err(e) => {
                        failed.store(true, Ordering::SeqCst);
                        return Err(RenderError(format!("measurement `{first}`: {}", e.0)));
                    }
                }
            }
        };
        let parts: Vec<Rows> = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
            let mut parts = vec![work()];
            parts.extend(
                helpers
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
            );
            parts
        });
        let mut values = vec![vec![f64::NAN; n]; measures.len()];
        for part in parts {
            for (i, row) in part? {
                for (m, v) in row.into_iter().enumerate() {
                    values[m][i] = v;
                }
            }
        }
        Ok(values.into_iter().map(Arc::from).collect())
    }
}

/// The values of one `[measure.NAME]`, per output frame rate: its column of its
/// clip's pass.
pub struct Measurement {
    pub name: String,
    pass: Arc<ClipPass>,
    index: usize,
}

impl std::fmt::Debug for Measurement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Measurement({})", self.name)
    }
}

impl Measurement {
    /// A measurement with a pass of its own.
    pub fn new(name: String, clip: Arc<dyn Clip>, duration: f64, measure: Measure) -> Self {
        Measurement::sharing(name, ClipPass::new(clip, duration), measure)
    }

    /// A measurement taken in `pass`, with every other measurement of its clip.
    pub fn sharing(name: String, pass: Arc<ClipPass>, measure: Measure) -> Self {
        let index = pass.join(&name, measure);
        Measurement { name, pass, index }
    }

    /// The values at `cx.fps` (see [`ClipPass::values_in`]).
    pub fn values_in(&self, cx: &RenderCx) -> Values {
        self.pass.values_in(self.index, cx)
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
        self.pass.frames(fps)
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
        let measure = Measure {
            stat: Stat::Mean,
            channel: Channel::Red,
            threshold: 0.0,
        };
        let m = Measurement::new("population".into(), Arc::new(clip), 1.2, measure);
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
    fn measurements_of_one_clip_render_each_frame_once() {
        let clip = Arc::new(Stopping {
            stop: Arc::new(AtomicBool::new(false)),
            after: usize::MAX,
            renders: AtomicUsize::new(0),
        });
        let pass = ClipPass::new(clip.clone(), 1.2);
        let of = |stat| Measure {
            stat,
            channel: Channel::Red,
            threshold: 0.0,
        };
        let mean = Measurement::sharing("mean".into(), pass.clone(), of(Stat::Mean));
        let max = Measurement::sharing("top".into(), pass.clone(), of(Stat::Max));
        let cx = RenderCx::new(10.0).with_threads(2, None);
        assert_eq!(max.values_in(&cx).unwrap()[11], 11.0);
        assert_eq!(mean.values_in(&cx).unwrap()[3], 3.0);
        assert_eq!(clip.renders.load(Ordering::SeqCst), 12);
        // One joining after a pass (values read while the scene loads) gets a new one.
        let late = Measurement::sharing("late".into(), pass, of(Stat::Min));
        assert_eq!(late.values_in(&cx).unwrap()[5], 5.0);
        assert_eq!(clip.renders.load(Ordering::SeqCst), 24);
        assert_eq!(mean.values_in(&cx).unwrap()[3], 3.0);
        assert_eq!(clip.renders.load(Ordering::SeqCst), 24);
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
