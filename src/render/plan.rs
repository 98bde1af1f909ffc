//! The frame schedule: which clip time each output frame shows, and how the root
//! clip's frame becomes an output frame (size, background).

use std::sync::Arc;

use tiny_skia::{FilterQuality, PixmapPaint, Transform};

use crate::clip::{blank, Clip, Frame, RenderCx, RenderResult, Size};
use crate::color::Rgba;

/// What to render: resolved from the scene and the command line.
#[derive(Clone)]
pub struct Plan {
    pub root: Arc<dyn Clip>,
    pub fps: f64,
    /// Output frames `first..first + count` (frame `i` is at `t = i / fps`).
    pub first: u64,
    pub count: u64,
    /// Frames of the whole render, of which `first..first + count` are planned.
    pub total: u64,
    pub size: Size,
    pub background: Rgba,
}

/// Number of frames of a `duration`-second render at `fps`: round(duration · fps),
/// at least one.
pub fn frame_count(duration: f64, fps: f64) -> u64 {
    ((duration * fps).round() as u64).max(1)
}

/// `k` indices of `0..n` (at most `n`, at least one) evenly spread, the first and the
/// last included.
pub fn spread(n: usize, k: usize) -> impl Iterator<Item = usize> {
    let k = k.min(n).max(1);
    (0..k).map(move |j| if k == 1 { 0 } else { j * (n - 1) / (k - 1) })
}

/// Up to `max` frame times of a `duration`-second clip at `fps`, evenly spread over its
/// frames, the last included: where sources measure animated content at load time
/// (automatic axis limits, colour ranges, z ranges).
pub fn spread_instants(duration: f64, fps: f64, max: usize) -> Vec<f64> {
    let frames = frame_count(duration, fps) as usize;
    spread(frames, max).map(|i| i as f64 / fps).collect()
}

/// The latest time strictly inside a clip of length `duration`, so that sampling at
/// the very end shows the last frame rather than nothing.
pub fn last_instant(duration: f64) -> f64 {
    (duration - duration.abs().max(1.0) * 1e-9).max(0.0)
}

/// Tolerance when comparing times: starts computed by adding durations (0.1 + 0.1 +
/// 0.1 = 0.30000000000000004) must still match frame times (3 / 10 = 0.3).
pub const TIME_EPSILON: f64 = 1e-9;

/// Whether `t` falls in `[start, end)`, with [`TIME_EPSILON`] of slack at both edges.
pub fn within(t: f64, start: f64, end: Option<f64>) -> bool {
    t >= start - TIME_EPSILON && end.is_none_or(|e| t < e - TIME_EPSILON)
}

/// Clamps a time into a clip's life: `[0, duration)`, or `[0, ∞)` for clips without end.
pub fn clamp_time(t: f64, duration: Option<f64>) -> f64 {
    let t = t.max(0.0);
    match duration {
        Some(d) if t >= d => last_instant(d),
        _ => t,
    }
}

impl Plan {
    /// The context frames render in outside the engine (`animate frame`): every core,
    /// nothing to stop it.
    pub fn cx(&self) -> RenderCx<'static> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        RenderCx::new(self.fps).with_threads(cores, None)
    }

    /// The output frame with index `i` (absolute, not relative to `first`), rendered in
    /// `cx` (the engine's threads and stop flag).
    pub fn frame(&self, i: u64, cx: &RenderCx) -> RenderResult {
        let t = clamp_time(i as f64 / self.fps, self.root.duration());
        let frame = self.root.render(t, cx)?;
        Ok(self.finish(frame))
    }

    /// Fits the root's frame to the output size (keeping aspect, centred) over the
    /// background.
    pub fn finish(&self, frame: Frame) -> Frame {
        let same = frame.width() == self.size.w && frame.height() == self.size.h;
        // Nothing shows through a transparent background or an opaque frame.
        if same && (self.background.0[3] == 0 || crate::layout::draw::is_opaque(&frame)) {
            return frame;
        }
        let mut out = blank(self.size);
        out.fill(self.background.to_skia());
        if same {
            out.draw_pixmap(
                0,
                0,
                frame.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
                None,
            );
            return out;
        }
        let sx = self.size.w as f32 / frame.width() as f32;
        let sy = self.size.h as f32 / frame.height() as f32;
        let s = sx.min(sy);
        let dx = (self.size.w as f32 - frame.width() as f32 * s) / 2.0;
        let dy = (self.size.h as f32 - frame.height() as f32 * s) / 2.0;
        let paint = PixmapPaint {
            quality: FilterQuality::Bicubic,
            ..PixmapPaint::default()
        };
        out.draw_pixmap(
            0,
            0,
            frame.as_ref(),
            &paint,
            Transform::from_row(s, 0.0, 0.0, s, dx, dy),
            None,
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_count_rounds() {
        assert_eq!(frame_count(2.0, 20.0), 40);
        assert_eq!(frame_count(1.0 / 3.0, 10.0), 3);
        assert_eq!(frame_count(0.01, 10.0), 1);
        assert_eq!(frame_count(2.26, 10.0), 23);
    }

    #[test]
    fn spread_takes_first_and_last() {
        assert_eq!(spread(10, 4).collect::<Vec<_>>(), [0, 3, 6, 9]);
        assert_eq!(spread(3, 10).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(spread(5, 1).collect::<Vec<_>>(), [0]);
        assert_eq!(spread_instants(2.0, 10.0, 3), [0.0, 0.9, 1.9]);
    }

    #[test]
    fn clamping_keeps_times_inside() {
        assert_eq!(clamp_time(-1.0, Some(2.0)), 0.0);
        assert!(clamp_time(2.0, Some(2.0)) < 2.0);
        assert!(clamp_time(2.0, Some(2.0)) > 1.999);
        assert_eq!(clamp_time(5.0, None), 5.0);
    }
}

/// Command-line values that override the scene's `[output]`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Overrides {
    pub fps: Option<f64>,
    pub size: Option<Size>,
    pub duration: Option<f64>,
}

impl Plan {
    /// The whole render of a scene, with the command line's overrides applied.
    pub fn for_scene(
        scene: &crate::scene::Scene,
        o: Overrides,
    ) -> Result<Plan, crate::error::Error> {
        let out = &scene.output;
        let fps = o.fps.unwrap_or(out.fps);
        let duration = o.duration.or(out.duration).or(scene.root.duration()).ok_or_else(|| {
            crate::error::Error::Usage(format!(
                "the root clip `{}` has no end: give a duration with [output] duration = SECONDS or --duration",
                scene.root_name
            ))
        })?;
        let count = frame_count(duration, fps);
        Ok(Plan {
            root: scene.root.clone(),
            fps,
            first: 0,
            count,
            total: count,
            size: o.size.or(out.size).unwrap_or(scene.root.size()),
            background: out.background,
        })
    }

    /// Narrows the plan to a part of the render (`--frames`, `--segment`).
    pub fn select(&mut self, range: super::range::FrameRange) {
        debug_assert!(range.end <= self.total && range.first < range.end);
        self.first = range.first;
        self.count = range.count();
    }

    /// The planned frames as a range of the whole render.
    pub fn range(&self) -> super::range::FrameRange {
        super::range::FrameRange {
            first: self.first,
            end: self.first + self.count,
            total: self.total,
        }
    }

    /// The output frame at an arbitrary time (for `animate frame`).
    pub fn frame_at(&self, t: f64) -> RenderResult {
        let frame = self
            .root
            .render(clamp_time(t, self.root.duration()), &self.cx())?;
        Ok(self.finish(frame))
    }

    /// Seconds the planned frames cover.
    pub fn seconds(&self) -> f64 {
        self.count as f64 / self.fps
    }
}
