//! Generic clips behind most effects: a per-frame operation, or a time remapping.

use crate::base::time::last_instant;
use std::borrow::Cow;
use std::sync::Arc;

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

/// What a [`PerFrame`] does with the input's frame.
enum Op {
    /// Changes it in place: the input's frame is its own.
    Owns(Box<FrameOp>),
    /// Reads it: a still's frame is lent (see [`Clip::render_ref`]).
    Reads(Box<ReadOp>),
}

/// An effect that changes each frame (and maybe the size) but not the timing.
pub struct PerFrame {
    kind: &'static str,
    input: Arc<dyn Clip>,
    size: Size,
    op: Op,
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

    fn with(kind: &'static str, input: Arc<dyn Clip>, size: Size, op: Op) -> Arc<dyn Clip> {
        Arc::new(PerFrame {
            kind,
            input,
            size,
            op,
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
        Ok(match &self.op {
            Op::Owns(op) => op(self.input.render(t, cx)?, t, cx),
            Op::Reads(op) => op(&*self.input.render_ref(t, cx)?, t, cx),
        })
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
/// input at `map(t)`. `t` is first clamped into the output's own life.
pub struct Retime {
    kind: &'static str,
    input: Arc<dyn Clip>,
    duration: Option<f64>,
    map: Box<dyn Fn(f64) -> f64 + Send + Sync>,
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
        Arc::new(Retime {
            kind,
            input,
            duration,
            map: Box::new(map),
            sound_map,
        })
    }

    /// The input time shown at output time `t`.
    pub fn source_time(&self, t: f64) -> f64 {
        let t = match self.duration {
            Some(d) => t.clamp(0.0, last_instant(d)),
            None => t.max(0.0),
        };
        let s = (self.map)(t);
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
        self.input.render(self.source_time(t), cx)
    }
    fn render_ref(&self, t: f64, cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        self.input.render_ref(self.source_time(t), cx)
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
