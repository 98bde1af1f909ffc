//! `kind = "file"`: a picture or an animation read from a file, picked by its
//! extension — still images (PNG, JPEG, WebP, TIFF, BMP), animated GIFs, PNGs (APNG)
//! and WebPs, and videos (through the `video` source).

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::gif::Gif;
use super::in_range::InRange;
use super::still::Still;
use crate::base::diag::Diagnostic;
use crate::base::pair::Pair;
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
    /// Keep a video's sound.
    audio: Option<Spanned<bool>>,
    /// A still picture's sample values shown black and white (see `in_range.rs`).
    in_range: Option<Spanned<Pair<f64>>>,
}

/// Extensions read as still images.
const STILL: &[&str] = &["png", "jpg", "jpeg", "webp", "tif", "tiff", "bmp"];
/// Picture formats people have that need a C decoder library: named in the error.
const UNREADABLE: &[(&str, &str)] = &[
    ("avif", "an AVIF picture"),
    ("heic", "a HEIF picture"),
    ("heif", "a HEIF picture"),
];

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let path = cx.input_path_or(
        &spec.path,
        Some(
            "a folder of numbered pictures is `kind = \"images\"` with `files = \"folder/*.png\"`",
        ),
    )?;
    let at = |m: String| Diagnostic::at(m, spec.path.span());
    let duration = cx.duration(spec.duration.as_ref())?;
    let ext = extension(&path);
    // An animated PNG plays like a GIF, whichever of the two extensions it has.
    let animated_png = matches!(ext.as_str(), "png" | "apng") && super::apng::is_animated(&path);
    let animated_webp = ext == "webp" && super::webp::is_animated(&path);
    let range = InRange::compile(spec.in_range.as_ref())?;
    let still = (STILL.contains(&ext.as_str()) || ext == "apng") && !animated_png && !animated_webp;
    if let (Some(r), false) = (&spec.in_range, still) {
        return Err(Diagnostic::at(
            "`in_range` stretches the samples of a still picture (PNG, TIFF, JPEG, WebP, \
             BMP) as it is read; this file is an animation or a video",
            r.span(),
        )
        .with_hint("stretch its frames with the effect `rescale_intensity` instead"));
    }
    if let Some(a) = &spec.audio {
        if !super::video::EXTENSIONS.contains(&ext.as_str()) {
            return Err(Diagnostic::at(
                "`audio` is for video files: this file has no sound",
                a.span(),
            ));
        }
    }
    if super::audio::EXTENSIONS.contains(&ext.as_str()) {
        return Err(at(format!(
            "`{}` is a sound file, and a file clip needs a picture",
            spec.path.get_ref()
        ))
        .with_hint("a sound file is a clip of `kind = \"audio\"` (see docs/audio.md)"));
    }
    // An animation nothing draws lets its decoded frames go, and is not counted in
    // the budget of what clips keep (see `Gif::unloaded`).
    let drawn = cx.may_draw() && !cx.lists_only();
    let mut animation = |open: fn(&Path, u64) -> Result<Gif, String>| {
        let gif = open(&path, cx.room()).map_err(at)?;
        if drawn {
            cx.hold(gif.bytes(), spec.path.span())?;
            return Ok::<_, Diagnostic>(Arc::new(gif) as Arc<dyn Clip>);
        }
        let again = path.clone();
        let reload: super::gif::Reload = Arc::new(move || open(&again, u64::MAX));
        Ok(Arc::new(gif.unloaded(reload)))
    };
    let clip: Arc<dyn Clip> = if animated_png {
        animation(super::apng::open)?
    } else if animated_webp {
        animation(super::webp::open)?
    } else if STILL.contains(&ext.as_str()) || ext == "apng" {
        if let Some(r) = &spec.repeat {
            return Err(Diagnostic::at(
                "`loop` is for animations; a still image lasts as long as its `duration`",
                r.span(),
            ));
        }
        let header = super::decode::header(&path).map_err(at)?;
        cx.hold_peak(frame_bytes(header.size), header.transient, spec.path.span())?;
        if cx.lists_only() {
            return Ok(Arc::new(Still::header_only(
                &path,
                header.size,
                duration,
                range,
            )));
        }
        return Ok(Arc::new(Still::open(&path, duration, range).map_err(at)?));
    } else if ext == "gif" {
        animation(Gif::open)?
    } else if super::video::EXTENSIONS.contains(&ext.as_str()) {
        let audio = spec.audio.as_ref().is_none_or(|a| *a.get_ref());
        super::video::open(&path, spec.path.span(), audio, cx)?
    } else if let Some((_, name)) = UNREADABLE.iter().find(|(e, _)| *e == ext) {
        return Err(at(format!(
            "`{}` is {name}, which animate cannot decode: convert it to PNG first",
            spec.path.get_ref()
        ))
        .with_hint(format!(
            "for example `ffmpeg -i {} {}` (FFmpeg built with an AV1 or HEVC decoder)",
            spec.path.get_ref(),
            Path::new(spec.path.get_ref())
                .with_extension("png")
                .display()
        )));
    } else {
        return Err(at(format!(
            "cannot tell what `{}` holds from its extension: a file clip reads .{}, .gif, \
             .apng and video files (.{})",
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
