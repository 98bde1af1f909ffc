//! Encoders: where rendered frames go. The output file is written beside its
//! target under a temporary name and renamed only when the sink finished cleanly.

use crate::clip::{Frame, RenderError, Size};

pub mod gif;
mod gif_exact;
pub mod output;
pub mod png;
pub mod still;
pub mod video;

/// What every sink is told before the first frame.
#[derive(Debug, Clone)]
pub struct SinkSpec {
    pub size: Size,
    pub fps: f64,
    /// Number of frames that will be pushed.
    pub frames: u64,
    /// 1..=100, encoder-specific meaning (gifski quality for GIF).
    pub quality: u8,
    /// The background is transparent: keep alpha where the format can.
    pub transparent: bool,
}

/// A consumer of frames in order. `push` receives frames 0, 1, 2… exactly once each.
pub trait FrameSink: Send {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError>;
    /// Flushes and closes the output; only after this returns Ok may it be committed.
    fn finish(self: Box<Self>) -> Result<(), RenderError>;
}
