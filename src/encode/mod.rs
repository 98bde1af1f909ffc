//! Encoders: where rendered frames go. The output file is written beside its
//! target under a temporary name and renamed only when the sink finished cleanly.

use crate::clip::{Frame, RenderError, Size};

pub mod gif;
pub mod output;
pub mod png;

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
    /// GIF loop count: 0 loops forever.
    pub repeat: u16,
}

/// A consumer of frames in order. `push` receives frames 0, 1, 2… exactly once each.
pub trait FrameSink: Send {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError>;
    /// Flushes and closes the output; only after this returns Ok may it be committed.
    fn finish(self: Box<Self>) -> Result<(), RenderError>;
}

pub mod still;

/// Straight-alpha RGBA bytes of a premultiplied frame, for encoders.
pub fn straight_rgba(frame: &Frame) -> Vec<u8> {
    let mut out = frame.data().to_vec();
    for px in out.chunks_exact_mut(4) {
        let a = px[3] as u32;
        if a != 0 && a != 255 {
            for c in &mut px[..3] {
                *c = ((*c as u32 * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
    out
}
