//! Layouts: clips made of other clips — grid, composite (layers), sequence.

pub mod composite;
pub mod grid;
pub mod legible;
pub mod position;
pub mod schema;
pub mod sequence;

use std::sync::Arc;

use toml::Spanned;

use crate::audio::mix::{Mix, Part};
use crate::audio::{frame_at, Sound};
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Placement;
use crate::expr::RawParam;

/// How long a grid or a composite lasts, from its `duration`: `"longest"` (the
/// default: until the last of `ends`, the ends of the parts that have one),
/// `"shortest"` (until the first, as ffmpeg's `-shortest`), or seconds. `None`: for
/// ever (no part ends).
pub fn duration_of(
    raw: Option<&Spanned<RawParam>>,
    ends: impl Iterator<Item = f64>,
    cx: &ResolveCx,
) -> Result<Option<f64>, Diagnostic> {
    let word = match raw.map(|r| r.get_ref()) {
        None => Some("longest"),
        Some(RawParam::Expr(e)) if matches!(e.trim(), "longest" | "shortest") => Some(e.trim()),
        _ => None,
    };
    match (word, raw) {
        (Some("shortest"), _) => Ok(ends.reduce(f64::min)),
        (Some(_), _) => Ok(ends.reduce(f64::max)),
        (None, Some(raw)) => cx
            .seconds(raw, "duration", 0.0, false)
            .map(Some)
            .map_err(|mut d| {
                let ours = "a layout's `duration` is seconds, \"longest\" (until its last part \
                            ends; the default) or \"shortest\" (until its first part ends)";
                d.hint = Some(match d.hint.take() {
                    Some(h) => format!("{ours}; {h}"),
                    None => ours.to_string(),
                });
                d
            }),
        (None, None) => unreachable!("no duration is \"longest\""),
    }
}

/// The sound of a layout: its children's, each heard from its placement's start to
/// its end, added. With `crossfade` seconds (a sequence's), each child but the first
/// fades in over the first `crossfade` seconds and each but the last fades out over
/// its last: linear ramps that add up to 1 where neighbours overlap.
pub fn mixed_sound(children: Vec<Placement>, crossfade: f64) -> Option<Arc<dyn Sound>> {
    let last = children.len().saturating_sub(1);
    let parts: Vec<Part> = children
        .into_iter()
        .enumerate()
        .filter_map(|(k, p)| {
            let sound = p.clip.sound()?;
            let start = frame_at(p.start);
            let len = p.end.map(|e| frame_at(e) - start);
            let gain: Option<Arc<dyn Fn(f64) -> f64 + Send + Sync>> = if crossfade > 0.0 {
                let d = p.end.map_or(f64::INFINITY, |e| e - p.start);
                let (fade_in, fade_out) = (k > 0, k < last);
                Some(Arc::new(move |t: f64| {
                    let mut g: f64 = 1.0;
                    if fade_in {
                        g = g.min(t / crossfade);
                    }
                    if fade_out {
                        g = g.min((d - t) / crossfade);
                    }
                    g.clamp(0.0, 1.0)
                }))
            } else {
                None
            };
            Some(Part {
                sound,
                start,
                len,
                gain,
            })
        })
        .collect();
    Mix::of(parts)
}
