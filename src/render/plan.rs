//! The frame schedule: which clip time each output frame shows, and how the root
//! clip's frame becomes an output frame (size, background).

use crate::base::time::{clamp_time, frame_count};
use std::borrow::Cow;
use std::sync::Arc;

use tiny_skia::{FilterQuality, PixmapPaint, Transform};

use crate::base::color::Rgba;
use crate::base::frame::{blank, Frame, RenderResult, Size};
use crate::base::pixel::draw_pixmap;
use crate::clip::{Clip, RenderCx};

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

impl Plan {
    /// The context frames render in outside the engine (`animate frame`): every core,
    /// nothing to stop it.
    pub fn cx(&self) -> RenderCx<'static> {
        let cores = crate::base::parallel::cores();
        RenderCx::new(self.fps).with_threads(cores, None)
    }

    /// The output frame with index `i` (absolute, not relative to `first`), rendered in
    /// `cx` (the engine's threads and stop flag).
    pub fn frame(&self, i: u64, cx: &RenderCx) -> RenderResult {
        let t = clamp_time(i as f64 / self.fps, self.root.duration());
        let frame = self.root.render_ref(t, cx)?;
        let out = self.finish(frame);
        // A signal may have cut the frame short (see `base::stop`).
        cx.check()?;
        Ok(out)
    }

    /// What the user should be told when the root's frames do not have the output's
    /// shape: they are scaled to fit and centred, with bands of the background beside
    /// them (a `--size` of another shape than the scene's).
    pub fn fit_note(&self) -> Option<String> {
        let root = self.root.size();
        let (rw, rh) = (root.w as f64, root.h as f64);
        let (w, h) = (self.size.w as f64, self.size.h as f64);
        let s = (w / rw.max(1.0)).min(h / rh.max(1.0));
        let (fw, fh) = ((rw * s).round(), (rh * s).round());
        // A pixel's band is rounding (a side of `--size 300x` made even), not a shape.
        if (fw - w).abs() <= 1.0 && (fh - h).abs() <= 1.0 {
            return None;
        }
        Some(format!(
            "the root clip's {root} frames are scaled to {fw}x{fh} and centred in the {} output, with bands of \
             the background beside them: give a size of the same shape (e.g. --size {fw}x{fh}) to fill it",
            self.size
        ))
    }

    /// Fits the root's frame to the output size (keeping aspect, centred) over the
    /// background. A lent frame (a still) is copied only when it is the output as is.
    pub fn finish(&self, frame: Cow<'_, Frame>) -> Frame {
        let same = frame.width() == self.size.w && frame.height() == self.size.h;
        // Nothing shows through a transparent background or an opaque frame.
        if same
            && (self.background.0[3] == 0
                || self.root.is_opaque()
                || crate::base::pixel::is_opaque(&frame))
        {
            return frame.into_owned();
        }
        let frame: &Frame = &frame;
        let mut out = blank(self.size);
        out.fill(self.background.to_skia());
        if same {
            draw_pixmap(
                &mut out,
                frame.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
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
        draw_pixmap(
            &mut out,
            frame.as_ref(),
            &paint,
            Transform::from_row(s, 0.0, 0.0, s, dx, dy),
        );
        out
    }
}

/// Command-line values that override the scene's `[output]`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Overrides {
    pub fps: Option<f64>,
    pub size: Option<SizeArg>,
    pub duration: Option<f64>,
}

/// A `--size`: both sides (`640x480`), or one (`640x`, `x480`) with the other following
/// the root clip's aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeArg {
    Both(Size),
    Width(u32),
    Height(u32),
}

impl SizeArg {
    /// `WxH`, `Wx` or `xH`, sides whole numbers from 1 to the largest side.
    pub fn parse(s: &str) -> Result<SizeArg, String> {
        let wrong = || format!("`{s}` is not WxH, Wx or xH, e.g. 640x480, 640x or x480");
        let (w, h) = s.split_once(['x', 'X']).ok_or_else(wrong)?;
        let side = |t: &str| -> Result<Option<u32>, String> {
            match t.trim() {
                "" => Ok(None),
                t => t.parse().map(Some).map_err(|_| wrong()),
            }
        };
        let max = crate::base::limits::MAX_SIDE;
        let side_ok = |v: u32| match (1..=max).contains(&v) {
            true => Ok(v),
            false => Err(format!("`{s}`: a side is 1 to {max} pixels")),
        };
        match (side(w)?, side(h)?) {
            (Some(w), Some(h)) => crate::base::limits::check_size(w, h).map(SizeArg::Both),
            (Some(w), None) => side_ok(w).map(SizeArg::Width),
            (None, Some(h)) => side_ok(h).map(SizeArg::Height),
            (None, None) => Err(wrong()),
        }
    }

    /// The output size for a root clip of `root`: a side not given follows the root's
    /// aspect, rounded to the nearest even number (at least 2), which video encoders
    /// of 4:2:0 pictures need.
    pub fn of(self, root: Size) -> Result<Size, String> {
        let other = |given: u32, num: u32, den: u32| -> Result<u32, String> {
            let v = given as f64 * num as f64 / den.max(1) as f64;
            let even = ((v / 2.0).round() * 2.0).max(2.0);
            match even <= crate::base::limits::MAX_SIDE as f64 {
                true => Ok(even as u32),
                false => Err(format!(
                    "--size: the root clip is {root}, so its other side would be {} pixels, more \
                     than the {} a side may have: give a smaller size",
                    even,
                    crate::base::limits::MAX_SIDE
                )),
            }
        };
        match self {
            SizeArg::Both(s) => Ok(s),
            SizeArg::Width(w) => Ok(Size::new(w, other(w, root.h, root.w)?)),
            SizeArg::Height(h) => Ok(Size::new(other(h, root.w, root.h)?, h)),
        }
    }
}

impl Plan {
    /// The whole render of a scene, with the command line's overrides applied.
    pub fn for_scene(
        scene: &crate::scene::Scene,
        o: Overrides,
    ) -> Result<Plan, crate::base::error::Error> {
        let out = &scene.output;
        let fps = o.fps.unwrap_or(out.fps);
        let duration = o.duration.or(out.duration).or(scene.root.duration()).ok_or_else(|| {
            crate::base::error::Error::Usage(format!(
                "the root clip `{}` has no end: give a duration with [output] duration = SECONDS or --duration",
                scene.root_name
            ))
        })?;
        let count = frame_count(duration, fps);
        let size = match o.size {
            Some(arg) => arg
                .of(scene.root.size())
                .map_err(crate::base::error::Error::Usage)?,
            None => out.size.unwrap_or(scene.root.size()),
        };
        Ok(Plan {
            root: scene.root.clone(),
            fps,
            first: 0,
            count,
            total: count,
            size,
            background: out.background,
        })
    }

    /// Narrows the plan to a part of the render (`--frames`, `--segment`).
    pub fn select(&mut self, range: super::range::FrameRange) {
        debug_assert!(range.end <= self.total && range.first < range.end);
        self.first = range.first;
        self.count = range.count();
    }

    /// Tells the clips which of their times the planned frames need, so that a stream
    /// program in a part of a render may skip the rest (see docs/programs.md).
    pub fn announce_needs(&self) {
        let time = |i: u64| clamp_time(i as f64 / self.fps, self.root.duration());
        let last = self.first + self.count.max(1) - 1;
        crate::clip::need::announce(&self.root, time(self.first), time(last));
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
        self.frame_at_in(t, &self.cx())
    }

    /// Like [`frame_at`](Self::frame_at) in a given context (with a stop flag).
    pub fn frame_at_in(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let frame = self
            .root
            .render_ref(clamp_time(t, self.root.duration()), cx)?;
        let out = self.finish(frame);
        cx.check()?;
        Ok(out)
    }

    /// Seconds the planned frames cover.
    pub fn seconds(&self) -> f64 {
        self.count as f64 / self.fps
    }
}

#[cfg(test)]
mod size_arg_tests {
    use super::*;

    #[test]
    fn one_side_follows_the_roots_aspect_rounded_to_even() {
        let p = |s: &str| SizeArg::parse(s);
        assert_eq!(p("300x"), Ok(SizeArg::Width(300)));
        assert_eq!(p(" x 200"), Ok(SizeArg::Height(200)));
        assert_eq!(p("64X48"), Ok(SizeArg::Both(Size::new(64, 48))));
        let root = Size::new(640, 360);
        assert_eq!(p("300x").unwrap().of(root), Ok(Size::new(300, 168))); // 168.75
        assert_eq!(p("x200").unwrap().of(root), Ok(Size::new(356, 200))); // 355.6
        assert_eq!(p("x101").unwrap().of(root), Ok(Size::new(180, 101)));
        assert_eq!(p("1x").unwrap().of(root), Ok(Size::new(1, 2)));
        let e = p("x16384").unwrap().of(Size::new(4000, 10)).unwrap_err();
        assert!(e.contains("more than the 16384"), "{e}");
        for bad in [
            "x",
            "300",
            "-3x",
            "0x",
            "x0",
            "3.5x",
            "axb",
            "300x200x1",
            "99999x",
        ] {
            assert!(p(bad).is_err(), "{bad}");
        }
    }
}
