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
pub fn open(raw: &Spanned<String>, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    // Decoded now: the clip's length is the sound's.
    let (sound, frames) = decoded(raw, None, "to hear", cx)?;
    Ok(Arc::new(AudioClip {
        sound,
        duration: frames as f64 / f64::from(crate::audio::RATE),
    }))
}

/// The sound of the file `raw` names (its first `until` seconds, when given), decoded
/// now, and the sample frame where it ends: a file that cannot be decoded, or whose
/// audio stream is empty (it has nothing `what`: "to hear", "to draw"), is refused
/// where it is named. Shared by audio clips and plot series drawn from a sound.
#[cfg(feature = "video")]
pub fn decoded(
    raw: &Spanned<String>,
    until: Option<f64>,
    what: &str,
    cx: &mut ResolveCx,
) -> Result<(Arc<dyn crate::audio::Sound>, i64), Diagnostic> {
    use crate::audio::decode::FileSound;
    let path = cx.input_path(raw)?;
    let at = |m: String| Diagnostic::at(m, raw.span());
    let sound = match until {
        Some(u) => FileSound::first_seconds(&path, u),
        None => FileSound::new(&path, None),
    };
    let frames = sound.store().map_err(at)?.end();
    if frames <= 0 {
        return Err(at(format!(
            "`{}` has nothing {what}: its audio stream is empty",
            raw.get_ref()
        )));
    }
    Ok((sound, frames))
}

#[cfg(not(feature = "video"))]
pub fn decoded(
    raw: &Spanned<String>,
    until: Option<f64>,
    what: &str,
    cx: &mut ResolveCx,
) -> Result<(Arc<dyn crate::audio::Sound>, i64), Diagnostic> {
    let _ = (cx.input_path(raw)?, until, what);
    Err(Diagnostic::at(
        "sound files need FFmpeg, which this build leaves out",
        raw.span(),
    )
    .with_hint(crate::base::error::NO_VIDEO_HINT))
}
