//! The `[output]` table: how the root clip becomes the rendered file.

use serde::Deserialize;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::expr::RawParam;

/// `[output]` as written. Every key is optional; command-line flags override them.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    /// The clip that is rendered (default: `main`, or the only clip).
    pub root: Option<Spanned<String>>,
    pub fps: Option<Spanned<RawParam>>,
    pub size: Option<crate::clip::build::RawSize>,
    pub duration: Option<Spanned<RawParam>>,
    pub background: Option<Rgba>,
    /// Output path, relative to the scene file.
    pub file: Option<Spanned<String>>,
    pub quality: Option<Spanned<i64>>,
    /// How many times a GIF plays: 0 = for ever (the default).
    pub repeat: Option<Spanned<u16>>,
    /// A background sound: a sound file, or the name of a clip whose sound it is.
    pub audio: Option<Spanned<String>>,
}

/// The `[output]` settings after checking, before command-line overrides.
#[derive(Debug, Clone)]
pub struct OutputSettings {
    pub fps: f64,
    /// Where `fps` came from, for the lines that print it.
    pub fps_from: FpsFrom,
    pub size: Option<crate::base::frame::Size>,
    pub duration: Option<f64>,
    pub background: Rgba,
    pub file: Option<std::path::PathBuf>,
    /// Where the scene names `file`, for an error about it.
    pub file_at: Option<std::ops::Range<usize>>,
    /// Where the scene gives `size`, for an output that cannot take it (a GIF).
    pub size_at: Option<std::ops::Range<usize>>,
    pub quality: u8,
    pub repeat: u16,
}

/// Where the output's frame rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FpsFrom {
    /// `[output] fps`.
    Written,
    /// The highest rate among the root's clips (a video's, a GIF's, an image
    /// sequence's `fps`).
    Content,
    /// Nothing has a rate: [`crate::base::time::DEFAULT_FPS`].
    Default,
}

impl FpsFrom {
    /// Said after the rate where it is printed (`20 fps, the content's`).
    pub fn note(self) -> &'static str {
        match self {
            FpsFrom::Written => "",
            FpsFrom::Content => " (the content's rate)",
            FpsFrom::Default => " (the default)",
        }
    }
}

/// GIF quality when neither the scene nor the command line says.
pub const DEFAULT_QUALITY: u8 = 90;
