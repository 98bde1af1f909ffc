//! The clip interface every source, effect and layout implements.
//!
//! A resolved scene is a tree of `Arc<dyn Clip>`: each clip knows its size and
//! duration up front, and renders a frame for a clip-local time as a pure function,
//! so frames can be rendered on any thread in any order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use tiny_skia::Pixmap as Frame;

/// Width and height in pixels; both are at least 1 once a scene is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub w: u32,
    pub h: u32,
}

impl Size {
    pub fn new(w: u32, h: u32) -> Size {
        Size { w, h }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.w, self.h)
    }
}

/// What a render call may need besides the time: the output frame rate (for the
/// `fps` and `frame` expression variables), and for work that spans many frames inside
/// one render call (statistics over a whole clip), the threads it may use and the flag
/// that stops the render.
#[derive(Clone, Copy, Debug)]
pub struct RenderCx<'a> {
    pub fps: f64,
    /// Threads the render was given (`--threads`); at least 1.
    pub threads: usize,
    /// Raised to stop the render (Ctrl-C, or a frame that failed).
    pub abort: Option<&'a AtomicBool>,
}

impl RenderCx<'static> {
    /// A context at `fps`, one thread, nothing to stop it.
    pub const fn new(fps: f64) -> RenderCx<'static> {
        RenderCx {
            fps,
            threads: 1,
            abort: None,
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

    /// Whether the render is being stopped: long work gives up with
    /// [`RenderError::interrupted`].
    pub fn aborted(&self) -> bool {
        self.abort.is_some_and(|a| a.load(Ordering::SeqCst))
    }
}

/// A failure while producing a frame (a decoder error, an I/O error): exit code 1.
#[derive(Debug, Clone)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

impl RenderError {
    /// The render was stopped from outside (Ctrl-C) or by another frame's failure.
    pub fn interrupted() -> RenderError {
        RenderError("interrupted".into())
    }
}

pub type RenderResult = Result<Frame, RenderError>;

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
    /// True for masks (`to_mask`): frames are white with the mask value in alpha, and
    /// colour effects act on that value. Effects that keep a frame's meaning forward it.
    fn is_mask(&self) -> bool {
        false
    }
    /// The clips this one is made of, with their place in its timeline.
    fn children(&self) -> Vec<Placement> {
        Vec::new()
    }
}

/// A new transparent frame; sizes are validated at resolve time, so this cannot fail
/// for a resolved clip.
pub fn blank(size: Size) -> Frame {
    Frame::new(size.w.max(1), size.h.max(1)).expect("frame size validated at resolve time")
}

/// A frame filled with one (premultiplied) colour.
pub fn filled(size: Size, color: tiny_skia::Color) -> Frame {
    let mut f = blank(size);
    f.fill(color);
    f
}

/// Straight-alpha RGBA bytes to premultiplied, in place, rounding to nearest: what
/// decoders give to what frames hold.
pub fn premultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        let a = px[3] as u32;
        if a < 255 {
            for c in &mut px[..3] {
                *c = ((*c as u32 * a + 127) / 255) as u8;
            }
        }
    }
}

/// Premultiplied RGBA bytes to straight alpha, in place, rounding to nearest: what
/// frames hold to what encoders store. Fully transparent pixels become (0, 0, 0, 0).
pub fn unpremultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        let a = px[3] as u32;
        match a {
            255 => {}
            0 => px[..3].fill(0),
            _ => {
                for c in &mut px[..3] {
                    *c = ((*c as u32 * 255 + a / 2) / a).min(255) as u8;
                }
            }
        }
    }
}

/// A frame from straight-alpha RGBA bytes (what decoders produce), premultiplied.
/// `rgba` holds exactly `size.w * size.h * 4` bytes.
pub fn frame_from_straight(size: Size, rgba: &[u8]) -> Frame {
    let mut frame = blank(size);
    frame.data_mut().copy_from_slice(rgba);
    premultiply(frame.data_mut());
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premultiplies_and_back() {
        let mut px = [255, 128, 0, 128, 10, 20, 30, 255, 200, 200, 200, 0];
        premultiply(&mut px);
        assert_eq!(px, [128, 64, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
        unpremultiply(&mut px);
        assert_eq!(px, [255, 128, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
        let f = frame_from_straight(Size::new(1, 1), &[255, 128, 0, 128]);
        assert_eq!(f.data(), &[128, 64, 0, 128]);
    }
}
