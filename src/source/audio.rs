//! `kind = "audio"`: a sound file (anything FFmpeg decodes: WAV, FLAC, MP3, Ogg, M4A,
//! or the sound of a video) as a clip with nothing to see, placed in layouts and cut,
//! looped and turned up or down by effects like any other clip.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::frame::{blank, RenderResult, Size};
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, RenderCx};

/// Extensions of sound files: a `kind = "file"` clip naming one is told to use
/// `kind = "audio"`.
pub const EXTENSIONS: &[&str] = &[
    "wav", "flac", "mp3", "ogg", "oga", "opus", "m4a", "aac", "wma", "aiff", "aif",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The sound file, relative to the scene file.
    path: Spanned<String>,
}

/// What an audio clip draws: a transparent picture of this size (even, so that a
/// scene of only sound still makes a valid video).
pub const SIZE: Size = Size { w: 2, h: 2 };

/// A decoded sound file.
pub struct AudioClip {
    sound: Arc<dyn crate::audio::Sound>,
    duration: f64,
}

impl Clip for AudioClip {
    fn kind(&self) -> &'static str {
        "audio"
    }
    fn size(&self) -> Size {
        SIZE
    }
    fn duration(&self) -> Option<f64> {
        Some(self.duration)
    }
    fn render(&self, _t: f64, _cx: &RenderCx) -> RenderResult {
        Ok(blank(SIZE))
    }
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        Some(self.sound.clone())
    }
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    open(&spec.path, cx)
}

/// A sound file as a clip; `path` as written in the scene, where errors point.
#[cfg(feature = "video")]
pub fn open(raw: &Spanned<String>, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    use crate::audio::decode::FileSound;
    let path = cx.input_path(raw)?;
    let at = |m: String| Diagnostic::at(m, raw.span());
    let sound = FileSound::new(&path, None);
    // Decoded now: the clip's length is the sound's.
    let frames = sound.store().map_err(at)?.end();
    if frames <= 0 {
        return Err(at(format!(
            "`{}` has nothing to hear: its audio stream is empty",
            raw.get_ref()
        )));
    }
    Ok(Arc::new(AudioClip {
        sound,
        duration: frames as f64 / f64::from(crate::audio::RATE),
    }))
}

#[cfg(not(feature = "video"))]
pub fn open(raw: &Spanned<String>, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let _ = cx.input_path(raw)?;
    Err(Diagnostic::at(
        "sound files need FFmpeg, which this build leaves out",
        raw.span(),
    )
    .with_hint(crate::base::error::NO_VIDEO_HINT))
}
