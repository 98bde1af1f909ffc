//! The clip interface every source, effect and layout implements.
//!
//! A resolved scene is a tree of `Arc<dyn Clip>`: each clip knows its size and
//! duration up front, and renders a frame for a clip-local time as a pure function,
//! so frames can be rendered on any thread in any order. [`build`] holds what builders
//! of clips are given while a scene is resolved.

pub mod build;
pub mod need;
pub mod pass;
pub mod size_spec;

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::audio::Sound;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};

/// What a render call may need besides the time: the output frame rate (for the
/// `fps` and `frame` expression variables), and for work that spans many frames inside
/// one render call (statistics over a whole clip), the threads it may use, the flag
/// that stops the render and who is told of such passes.
#[derive(Clone, Copy)]
pub struct RenderCx<'a> {
    pub fps: f64,
    /// Threads the render was given (`--threads`); at least 1.
    pub threads: usize,
    /// Raised to stop the render (Ctrl-C, or a frame that failed).
    pub abort: Option<&'a AtomicBool>,
    /// Told of passes over a clip (the render's progress bar); none by default.
    pub passes: Option<&'a dyn pass::PassWatch>,
}

impl std::fmt::Debug for RenderCx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderCx")
            .field("fps", &self.fps)
            .field("threads", &self.threads)
            .field("abort", &self.abort)
            .field("passes", &self.passes.is_some())
            .finish()
    }
}

impl RenderCx<'static> {
    /// A context at `fps`, one thread, nothing to stop it.
    pub const fn new(fps: f64) -> RenderCx<'static> {
        RenderCx {
            fps,
            threads: 1,
            abort: None,
            passes: None,
        }
    }
}

impl<'a> RenderCx<'a> {
    /// The same context with `threads` threads and the render's stop flag.
    pub fn with_threads(self, threads: usize, abort: Option<&'a AtomicBool>) -> RenderCx<'a> {
        RenderCx {
            threads: threads.max(1),
            abort,
            ..self
        }
    }

    /// The same context with its passes told to `watch`.
    pub fn with_passes(self, watch: Option<&'a dyn pass::PassWatch>) -> RenderCx<'a> {
        RenderCx {
            passes: watch,
            ..self
        }
    }

    /// Whether the render is being stopped: long work gives up with
    /// [`RenderError::interrupted`].
    pub fn aborted(&self) -> bool {
        self.abort.is_some_and(|a| a.load(Ordering::SeqCst))
    }

    /// `Err(interrupted)` once the render is being stopped or a signal asked the
    /// command to stop: asked inside a frame (between layers, after each effect), so
    /// that a huge frame stops part-way and a frame a loop left unfinished on a signal
    /// (see [`crate::base::stop`]) is never handed on.
    pub fn check(&self) -> Result<(), RenderError> {
        match self.aborted() || crate::base::stop::signalled() {
            true => Err(RenderError::interrupted()),
            false => Ok(()),
        }
    }
}

/// Where a child sits in its parent's timeline, for `animate check`.
pub struct Placement {
    pub label: String,
    pub clip: Arc<dyn Clip>,
    pub start: f64,
    pub end: Option<f64>,
}

/// A node of the resolved scene.
pub trait Clip: Send + Sync {
    /// Short name of the kind ("color", "grid", "resize"…), shown by `animate check`.
    fn kind(&self) -> &'static str;
    /// The frame size; constant over the clip's life.
    fn size(&self) -> Size;
    /// Length in seconds; `None` for clips without an end (a still image, a colour).
    fn duration(&self) -> Option<f64>;
    /// The frame at clip-local time `t` (seconds, `0 <= t`), premultiplied RGBA.
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult;
    /// Like [`render`](Clip::render) for a reader that only looks at the frame (a
    /// layout drawing it, a resize): a clip that holds its frame (a still picture)
    /// lends it instead of copying it. Without this, every frame in flight held its own
    /// copy of a large picture, so memory grew with `--threads` (1 GiB a copy for
    /// 16384×16384). Clips that only pass their input's frames on forward it.
    fn render_ref(&self, t: f64, cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        self.render(t, cx).map(Cow::Owned)
    }
    /// Bytes a worker holds while it renders one frame of this clip beyond frames of
    /// its size (a NumPy field's frame, read and widened to numbers: 2 GiB for a
    /// 16384² `uint8` frame shown at 64×48). The render runs fewer workers for it, as
    /// for a large frame (see [`largest_frame_bytes`]).
    fn working_bytes(&self) -> u64 {
        0
    }
    /// True when every frame is the same picture (a still, or a still resized by a
    /// constant): effects that do not change with time then work on it once.
    fn is_still(&self) -> bool {
        false
    }
    /// True for masks (`to_mask`): frames are white with the mask value in alpha, and
    /// colour effects act on that value. Effects that keep a frame's meaning forward it.
    fn is_mask(&self) -> bool {
        false
    }
    /// The clips this one is made of, with their place in its timeline.
    fn children(&self) -> Vec<Placement> {
        Vec::new()
    }
    /// Frames per second of the clip's own content (a video's or GIF's rate, an image
    /// sequence's declared `fps`); `None` for clips that have no rate of their own.
    /// A scene without `[output] fps` renders at the highest of these (see
    /// [`content_rate`]).
    fn rate(&self) -> Option<f64> {
        None
    }
    /// True when each child renders only at this clip's time less the child's
    /// placement start, clamped into the placement: the times a part of a render
    /// needs can then be followed down to the child (see [`need`]).
    fn passes_time(&self) -> bool {
        false
    }
    /// Told before a render which clip-local times it will ask for: a span `[lo, hi]`
    /// covering all of them, or `None` when they are not known (any time). Called once
    /// per path from the root; a source that must prepare (a program told which frames
    /// to write) keeps the union.
    fn will_need(&self, _span: Option<(f64, f64)>) {}
    /// What the clip sounds like, in its own time; `None` for silent clips. Effects
    /// and layouts wrap their inputs' sound with the time map they use for frames.
    fn sound(&self) -> Option<Arc<dyn Sound>> {
        None
    }
    /// True when every pixel of every frame is known to be opaque (a chart on an opaque
    /// figure): the output then skips reading each frame to find out.
    fn is_opaque(&self) -> bool {
        false
    }
    /// The numbers the clip draws through a colormap at `t` (a field's values, a
    /// simulation's `show`), row by row from the top: what a measurement of values
    /// reads, where pixels would be rounded to 256 levels and hold the colorbar and
    /// title. `None` for clips that draw pictures.
    fn numbers(&self, _t: f64, _cx: &RenderCx) -> Option<Result<Vec<f64>, RenderError>> {
        None
    }
    /// Whether [`Clip::numbers`] gives numbers, known when the scene loads.
    fn draws_numbers(&self) -> bool {
        false
    }
}

/// Calls `visit` on each clip `root` is made of (itself included), once each however
/// many times it is used.
fn each_clip(root: &Arc<dyn Clip>, mut visit: impl FnMut(&dyn Clip)) {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![root.clone()];
    while let Some(clip) = todo.pop() {
        if !seen.insert(Arc::as_ptr(&clip) as *const ()) {
            continue;
        }
        visit(&*clip);
        todo.extend(clip.children().into_iter().map(|p| p.clip));
    }
}

/// The bytes of the largest frame any clip `root` is made of renders (itself included),
/// or of the most a clip holds while rendering one ([`Clip::working_bytes`]): a worker
/// holds that much while it renders one output frame, however small the output is
/// (`--size` scales only the end of the chain).
pub fn largest_frame_bytes(root: &Arc<dyn Clip>) -> u64 {
    let mut most = 0;
    each_clip(root, |clip| {
        let s = clip.size();
        most = most
            .max(s.w as u64 * s.h as u64 * 4)
            .max(clip.working_bytes());
    });
    most
}

/// The highest [`Clip::rate`] among the clips `root` is made of (itself included),
/// each visited once; `None` when none has a rate.
pub fn content_rate(root: &Arc<dyn Clip>) -> Option<f64> {
    let mut best: Option<f64> = None;
    each_clip(root, |clip| {
        if let Some(r) = clip.rate().filter(|r| r.is_finite() && *r > 0.0) {
            best = Some(best.map_or(r, |b| b.max(r)));
        }
    });
    best
}
