//! What the engine hands frames to. The engine owns this trait and its consumers (the
//! encoders, a layer above) implement it, so the engine never names an encoder.

use std::any::Any;
use std::sync::Arc;

use crate::base::error::RenderError;
use crate::base::frame::Frame;

/// A frame after a sink's [`FrameWork`]: whatever that sink's `push_worked` expects.
pub type Worked = Box<dyn Any + Send>;

/// The part of encoding that needs no order (compressing one frame): the engine runs it
/// on its render workers, so that encoding scales with `--threads` instead of running
/// serially where frames are delivered in order.
pub trait FrameWork: Send + Sync {
    /// Frame `index` (counted as in [`FrameSink::push`]), on any worker, in any order,
    /// several at once.
    fn work(&self, index: u64, frame: Frame) -> Result<Worked, RenderError>;
    /// Work done once before any frame's `work` (choosing a GIF palette from the
    /// sample): one worker runs it while the others render frames ahead, which wait for
    /// it, so that it overlaps the render instead of holding it up.
    fn prepare(&self) -> Result<(), RenderError> {
        Ok(())
    }
    /// The render stops: work waiting for another frame must return (with an error).
    fn stop(&self) {}
}

/// A consumer of frames in order. `push` receives frames 0, 1, 2… exactly once each,
/// counted from the first frame of the part rendered (`--frames`, `--segment`).
pub trait FrameSink: Send {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError>;
    /// Flushes and closes the output; only after this returns Ok may it be committed.
    fn finish(self: Box<Self>) -> Result<(), RenderError>;

    /// How many frames, spread over the render, the sink wants to see before the
    /// render starts (a GIF palette from a sample of the clip); 0 for none. The engine
    /// keeps them and does not render them twice.
    fn sample_size(&self) -> usize {
        0
    }
    /// The sample asked for, in index order, before any frame is pushed. What takes
    /// long belongs in [`FrameWork::prepare`], which overlaps the render.
    fn sample(&mut self, _frames: &[(u64, &Frame)]) -> Result<(), RenderError> {
        Ok(())
    }
    /// Work for the render workers; then every frame arrives through `push_worked`
    /// instead of `push`.
    fn work(&self) -> Option<Arc<dyn FrameWork>> {
        None
    }
    /// A frame's work, in order as `push`.
    fn push_worked(&mut self, index: u64, _worked: Worked) -> Result<(), RenderError> {
        Err(RenderError(format!(
            "internal error: frame {index} was worked for a sink without work"
        )))
    }
}
