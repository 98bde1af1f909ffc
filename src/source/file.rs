//! `kind = "file"`: a picture or an animation read from a file, picked by its
//! extension — still images (PNG, JPEG, WebP), animated GIFs, and videos (through
//! the `video` source).

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::gif::Gif;
use super::still::Still;
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::effect::time::looped;
use crate::expr::RawParam;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    path: Spanned<String>,
    /// Length of the clip: a still image lasts for ever without it; an animation
    /// is cut, or holds its last frame (or repeats, with `loop`), to fill it.
    duration: Option<Spanned<RawParam>>,
    /// Repeat an animation or a video (for ever, or until `duration`).
    #[serde(rename = "loop")]
    repeat: Option<Spanned<bool>>,
}

/// Extensions read as still images.
const STILL: &[&str] = &["png", "jpg", "jpeg", "webp"];

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let path = cx.input_path(&spec.path)?;
    let at = |m: String| Diagnostic::at(m, spec.path.span());
    let duration = cx.duration(spec.duration.as_ref())?;
    let ext = extension(&path);
    let clip: Arc<dyn Clip> = if STILL.contains(&ext.as_str()) {
        if let Some(r) = &spec.repeat {
            return Err(Diagnostic::at(
                "`loop` is for animations; a still image lasts as long as its `duration`",
                r.span(),
            ));
        }
        let size = super::decode::dimensions(&path).map_err(at)?;
        cx.hold(frame_bytes(size), spec.path.span())?;
        return Ok(Arc::new(Still::open(&path, duration).map_err(at)?));
    } else if ext == "gif" {
        let gif = Gif::open(&path).map_err(at)?;
        cx.hold(gif.bytes(), spec.path.span())?;
        Arc::new(gif)
    } else if super::video::EXTENSIONS.contains(&ext.as_str()) {
        super::video::open(&path, spec.path.span())?
    } else {
        return Err(at(format!(
            "cannot tell what `{}` holds from its extension: a file clip reads .{}, .gif and \
             video files (.{})",
            spec.path.get_ref(),
            STILL.join(", ."),
            super::video::EXTENSIONS.join(", .")
        ))
        .with_hint("image sequences are `kind = \"images\"`"));
    };
    let repeat = spec.repeat.is_some_and(|r| *r.get_ref());
    Ok(looped(clip, repeat, duration))
}

/// The memory a decoded frame of `size` takes.
pub fn frame_bytes(size: crate::base::frame::Size) -> u64 {
    size.w as u64 * size.h as u64 * 4
}

/// The lower-case extension of `path`, or "".
pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}
