//! Generic clips behind most effects: a per-frame operation, or a time remapping.

use crate::base::time::last_instant;
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use crate::audio::retime::{Retimed, TimeMap};
use crate::audio::Sound;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::{Clip, Placement, RenderCx};
use crate::expr::Env;

/// The input of an effect, as a child for `animate check`.
fn input_placement(input: &Arc<dyn Clip>) -> Vec<Placement> {
    vec![Placement {
        label: "input".to_string(),
        clip: input.clone(),
        start: 0.0,
        end: input.duration(),
    }]
}

/// The environment parameters of an effect on `input` see at time `t`.
pub fn env(input: &dyn Clip, t: f64, cx: &RenderCx) -> Env {
    Env {
        t,
        duration: input.duration().unwrap_or(0.0),
        fps: cx.fps,
    }
}

/// The signature of a per-frame operation: the input's frame at `t` in, the output out.
pub type FrameOp = dyn Fn(Frame, f64, &RenderCx) -> Frame + Send + Sync;

/// A per-frame operation that only reads its input (it draws a new frame).
pub type ReadOp = dyn Fn(&Frame, f64, &RenderCx) -> Frame + Send + Sync;

/// A per-frame operation that reads its input the same way at every time.
pub type FixedOp = dyn Fn(&Frame) -> Frame + Send + Sync;

/// What a [`PerFrame`] does with the input's frame.
enum Op {
    /// Changes it in place: the input's frame is its own.
    Owns(Box<FrameOp>),
    /// Reads it: a still's frame is lent (see [`Clip::render_ref`]).
    Reads(Box<ReadOp>),
    /// Reads it, whatever the time: on a still input it runs once.
    Fixed(Box<FixedOp>),
}

/// The largest output of a fixed operation on a still kept for the whole render; a
/// larger one is made again for each frame.
const MAX_KEPT_BYTES: u64 = 256 << 20;

/// An effect that changes each frame (and maybe the size) but not the timing.
pub struct PerFrame {
    kind: &'static str,
    input: Arc<dyn Clip>,
    size: Size,
    op: Op,
    /// A fixed operation's output on a still input, made by the first frame that needs
    /// it: a photo resized for a slideshow is resampled once, not once per frame.
    once: Option<OnceLock<Frame>>,
}

impl PerFrame {
    pub fn wrap(
        kind: &'static str,
        input: Arc<dyn Clip>,
        size: Size,
        op: impl Fn(Frame, f64, &RenderCx) -> Frame + Send + Sync + 'static,
    ) -> Arc<dyn Clip> {
        PerFrame::with(kind, input, size, Op::Owns(Box::new(op)))
    }

    /// Like [`wrap`](PerFrame::wrap) for an operation that makes a new frame from the
    /// input's (resize, crop): a large still is then read where it is, not copied.
    pub fn reading(
        kind: &'static str,
        input: Arc<dyn Clip>,
        size: Size,
        op: impl Fn(&Frame, f64, &RenderCx) -> Frame + Send + Sync + 'static,
    ) -> Arc<dyn Clip> {
        PerFrame::with(kind, input, size, Op::Reads(Box::new(op)))
    }

    /// Like [`reading`](PerFrame::reading) for an operation that does not change with
    /// time (a resize or a crop by constants): on a still it is done once, and its
    /// output is lent to every frame.
    pub fn fixed(
        kind: &'static str,
        input: Arc<dyn Clip>,
        size: Size,
        op: impl Fn(&Frame) -> Frame + Send + Sync + 'static,
    ) -> Arc<dyn Clip> {
        PerFrame::with(kind, input, size, Op::Fixed(Box::new(op)))
    }

    fn with(kind: &'static str, input: Arc<dyn Clip>, size: Size, op: Op) -> Arc<dyn Clip> {
        let bytes = size.w as u64 * size.h as u64 * 4;
        let once = (matches!(op, Op::Fixed(_)) && input.is_still() && bytes <= MAX_KEPT_BYTES)
            .then(OnceLock::new);
        Arc::new(PerFrame {
            kind,
            input,
            size,
            op,
            once,
        })
    }
}

impl Clip for PerFrame {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.input.duration()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let out = match &self.op {
            Op::Owns(op) => op(self.input.render(t, cx)?, t, cx),
            Op::Reads(op) => op(&*self.input.render_ref(t, cx)?, t, cx),
            Op::Fixed(_) => return self.render_ref(t, cx).map(Cow::into_owned),
        };
        // A signal may have cut the operation short (see `base::stop`).
        cx.check()?;
        Ok(out)
    }
    fn render_ref(&self, t: f64, cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        let Op::Fixed(op) = &self.op else {
            return self.render(t, cx).map(Cow::Owned);
        };
        let Some(once) = &self.once else {
            let made = op(&*self.input.render_ref(t, cx)?);
            cx.check()?;
            return Ok(Cow::Owned(made));
        };
        if let Some(kept) = once.get() {
            return Ok(Cow::Borrowed(kept));
        }
        // Workers that get here together each make it; the first one kept is lent.
        // One a signal cut short is not kept.
        let made = op(&*self.input.render_ref(t, cx)?);
        cx.check()?;
        Ok(Cow::Borrowed(once.get_or_init(|| made)))
    }
    fn is_still(&self) -> bool {
        matches!(self.op, Op::Fixed(_)) && self.input.is_still()
    }
    fn passes_time(&self) -> bool {
        true
    }
    fn is_mask(&self) -> bool {
        self.input.is_mask()
    }
    fn children(&self) -> Vec<Placement> {
        input_placement(&self.input)
    }
    fn sound(&self) -> Option<Arc<dyn Sound>> {
        self.input.sound()
    }
}

/// An effect that shows the input's frames at other times: output time `t` shows the
/// input at `map(t, fps)`, `fps` the render's frame rate. `t` is first clamped into the
/// output's own life.
pub struct Retime {
    kind: &'static str,
    input: Arc<dyn Clip>,
    duration: Option<f64>,
    map: Box<dyn Fn(f64, f64) -> f64 + Send + Sync>,
    /// The same map on sample frames.
    sound_map: TimeMap,
}

impl Retime {
    pub fn wrap(
        kind: &'static str,
        input: Arc<dyn Clip>,
        duration: Option<f64>,
        map: impl Fn(f64) -> f64 + Send + Sync + 'static,
        sound_map: TimeMap,
    ) -> Arc<dyn Clip> {
        Retime::wrap_at_rate(kind, input, duration, move |t, _| map(t), sound_map)
    }

    /// [`Retime::wrap`] with a map that also depends on the render's frame rate.
    pub fn wrap_at_rate(
        kind: &'static str,
        input: Arc<dyn Clip>,
        duration: Option<f64>,
        map: impl Fn(f64, f64) -> f64 + Send + Sync + 'static,
        sound_map: TimeMap,
    ) -> Arc<dyn Clip> {
        Arc::new(Retime {
            kind,
            input,
            duration,
            map: Box::new(map),
            sound_map,
        })
    }

    /// The input time shown at output time `t` when rendering at `fps`.
    pub fn source_time(&self, t: f64, fps: f64) -> f64 {
        let t = match self.duration {
            Some(d) => t.clamp(0.0, last_instant(d)),
            None => t.max(0.0),
        };
        let s = (self.map)(t, fps);
        match self.input.duration() {
            Some(d) => s.clamp(0.0, last_instant(d)),
            None => s.max(0.0),
        }
    }
}

impl Clip for Retime {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.input.size()
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        self.input.render(self.source_time(t, cx.fps), cx)
    }
    fn render_ref(&self, t: f64, cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        self.input.render_ref(self.source_time(t, cx.fps), cx)
    }
    fn is_still(&self) -> bool {
        self.input.is_still()
    }
    fn is_mask(&self) -> bool {
        self.input.is_mask()
    }
    fn children(&self) -> Vec<Placement> {
        input_placement(&self.input)
    }
    fn sound(&self) -> Option<Arc<dyn Sound>> {
        let len = self.duration.map(crate::audio::frames_in);
        Some(Retimed::wrap(self.input.sound()?, self.sound_map, len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::blank;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A picture that is, or is not, the same at every time.
    struct Picture(Frame, bool);

    impl Clip for Picture {
        fn kind(&self) -> &'static str {
            "picture"
        }
        fn size(&self) -> Size {
            Size::new(self.0.width(), self.0.height())
        }
        fn duration(&self) -> Option<f64> {
            Some(1.0)
        }
        fn render(&self, _t: f64, _cx: &RenderCx) -> RenderResult {
            Ok(self.0.clone())
        }
        fn is_still(&self) -> bool {
            self.1
        }
    }

    /// How many times a fixed operation runs over ten frames of a `still` input.
    fn runs_over_ten_frames(still: bool) -> usize {
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let clip = PerFrame::fixed(
            "resize",
            Arc::new(Picture(blank(Size::new(8, 8)), still)),
            Size::new(2, 2),
            move |_| {
                counted.fetch_add(1, Ordering::SeqCst);
                blank(Size::new(2, 2))
            },
        );
        assert_eq!(clip.is_still(), still);
        let cx = RenderCx::new(10.0);
        for i in 0..10 {
            let frame = clip.render(i as f64 / 10.0, &cx).unwrap();
            assert_eq!((frame.width(), frame.height()), (2, 2));
        }
        runs.load(Ordering::SeqCst)
    }

    #[test]
    fn a_fixed_operation_on_a_still_runs_once() {
        assert_eq!(runs_over_ten_frames(true), 1);
        assert_eq!(runs_over_ten_frames(false), 10);
    }

    /// An operation during which the render was stopped gives `interrupted`, and a
    /// fixed one's output is then not kept: the next frame makes it again.
    #[test]
    fn an_operation_stopped_part_way_is_not_handed_on() {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let raise = stop.clone();
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = runs.clone();
        let clip = PerFrame::fixed(
            "resize",
            Arc::new(Picture(blank(Size::new(8, 8)), true)),
            Size::new(2, 2),
            move |_| {
                // the first run is stopped while it works
                if counted.fetch_add(1, Ordering::SeqCst) == 0 {
                    raise.store(true, Ordering::SeqCst);
                }
                blank(Size::new(2, 2))
            },
        );
        let cx = RenderCx::new(10.0).with_threads(1, Some(&stop));
        let e = clip.render(0.0, &cx).unwrap_err();
        assert_eq!(e.0, "interrupted");
        stop.store(false, Ordering::SeqCst);
        assert!(clip.render(0.1, &cx).is_ok());
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }
}
