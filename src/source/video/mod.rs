//! `kind = "video"`: a video file decoded through FFmpeg's libraries, any container
//! and codec the system's FFmpeg reads. Frames are looked up by presentation time;
//! see docs/video.md for the timing rules, rotation and alpha.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;

#[cfg(feature = "video")]
mod clip;
#[cfg(feature = "video")]
mod decoder;
#[cfg(feature = "video")]
pub mod index;
#[cfg(feature = "video")]
mod keys;
#[cfg(feature = "video")]
pub mod picture;
#[cfg(feature = "video")]
mod pool;
#[cfg(feature = "video")]
mod stream;
#[cfg(feature = "video")]
mod window;

#[cfg(feature = "video")]
pub use clip::VideoClip;

/// File extensions that name video files (a `kind = "file"` source sends these here).
pub const EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ts", "m2ts", "mts", "flv", "wmv",
    "ogv", "3gp", "mxf",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The video file, relative to the scene file.
    path: Spanned<String>,
    /// Keep the file's sound (its first audio stream).
    audio: Option<bool>,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let path = cx.input_path(&spec.path)?;
    open(&path, spec.path.span(), spec.audio.unwrap_or(true), cx)
}

/// Opens a video file as a clip; errors point at `span` (where the scene names it).
/// Its decoder stays open only when the clip may be drawn in a render (see
/// [`VideoClip::open_with`]).
#[cfg(feature = "video")]
pub fn open(
    path: &Path,
    span: Range<usize>,
    audio: bool,
    cx: &ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    use crate::base::diag::At;
    let drawn = cx.may_draw() && !cx.lists_only();
    VideoClip::open_with(path, audio, drawn)
        .map(|c| Arc::new(c) as Arc<dyn Clip>)
        .at(span)
}

/// Without the `video` feature, every video file is refused with a way out.
#[cfg(not(feature = "video"))]
pub fn open(
    path: &Path,
    span: Range<usize>,
    _audio: bool,
    _cx: &ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    Err(Diagnostic::at(
        format!(
            "cannot read {}: video files are not supported",
            path.display()
        ),
        span,
    )
    .with_hint(crate::base::error::NO_VIDEO_HINT))
}

#[cfg(all(test, feature = "video"))]
mod tests;
