//! Encoders: where rendered frames go. The output file is written beside its
//! target under a temporary name and renamed only when the sink finished cleanly.

use crate::base::frame::Size;

pub mod commit;
pub mod gif;
pub mod gif_alpha;
mod gif_exact;
mod gif_frame;
pub mod gif_lzw;
mod gif_nearest;
mod gif_palette;
pub mod gif_remap;
mod gif_work;
mod gif_writer;
mod leftovers;
pub mod output;
pub mod png;
pub mod stamp;
pub mod still;
pub mod stream;
pub mod video;

/// What every sink is told before the first frame.
#[derive(Debug, Clone)]
pub struct SinkSpec {
    pub size: Size,
    pub fps: f64,
    /// Number of frames that will be pushed.
    pub frames: u64,
    /// The absolute index of the first frame pushed (`--frames`, `--segment`).
    pub first: u64,
    /// The frame count of the whole render this is part of.
    pub total: u64,
    /// 1..=100, encoder-specific meaning (GIF: the palette's target quality, see docs/gif.md).
    pub quality: u8,
    /// The background is transparent: keep alpha where the format can.
    pub transparent: bool,
    /// What is rendered, recorded in the output's stamp ([`stamp::render_id`]).
    pub render_id: Option<u64>,
    /// Settings outside the scene file that change the pixels (the background), recorded
    /// in the stamp so that `join` can name one that differs ([`stamp::Stamp::options`]).
    pub options: Vec<(String, String)>,
}

impl SinkSpec {
    /// Whether the sink receives the whole render rather than a part of it.
    pub fn is_whole(&self) -> bool {
        self.first == 0 && self.frames == self.total
    }

    /// What the output records about its place in the render (see [`stamp`]).
    pub fn stamp(&self) -> stamp::Stamp {
        let range = crate::render::range::FrameRange {
            first: self.first,
            end: self.first + self.frames,
            total: self.total,
        };
        stamp::Stamp::new(range, self.fps)
            .with_scene(self.render_id)
            .with_options(&self.options)
    }
}
