//! What the engine hands frames to. The engine owns this trait and its consumers (the
//! encoders, a layer above) implement it, so the engine never names an encoder.

use crate::base::error::RenderError;
use crate::base::frame::Frame;

/// A consumer of frames in order. `push` receives frames 0, 1, 2… exactly once each,
/// counted from the first frame of the part rendered (`--frames`, `--segment`).
pub trait FrameSink: Send {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError>;
    /// Flushes and closes the output; only after this returns Ok may it be committed.
    fn finish(self: Box<Self>) -> Result<(), RenderError>;
}
