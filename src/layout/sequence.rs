//! `kind = "sequence"`: clips one after another (MoviePy's `concatenate_videoclips`),
//! optionally with a gap or a crossfade between neighbours.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::frame::{filled, RenderResult, Size};
use crate::base::limits;
use crate::base::pixel::over;
use crate::base::time::{clamp_time, within};
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};
use crate::expr::RawParam;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    clips: Spanned<Vec<Spanned<String>>>,
    /// Seconds of background between neighbours.
    padding: Option<Spanned<RawParam>>,
    /// Seconds each clip fades in over the previous one (shortens the total).
    crossfade: Option<Spanned<RawParam>>,
    background: Option<Rgba>,
}

struct Item {
    name: String,
    clip: Arc<dyn Clip>,
    start: f64,
    duration: f64,
    x: u32,
    y: u32,
}

struct Sequence {
    items: Vec<Item>,
    size: Size,
    duration: f64,
    crossfade: f64,
    background: Rgba,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    if spec.clips.get_ref().is_empty() {
        return Err(Diagnostic::at(
            "a sequence needs at least one clip",
            spec.clips.span(),
        ));
    }
    let seconds = |raw: &Option<Spanned<RawParam>>, what: &str| match raw {
        Some(p) => {
            let v = cx.seconds(p, what, 0.0, true)?;
            limits::check_time(v).map_err(|m| Diagnostic::at(format!("{what}: {m}"), p.span()))
        }
        None => Ok(0.0),
    };
    let padding = seconds(&spec.padding, "padding")?;
    let crossfade = seconds(&spec.crossfade, "crossfade")?;
    if padding > 0.0 && crossfade > 0.0 {
        let span = spec
            .crossfade
            .as_ref()
            .map(|c| c.span())
            .unwrap_or_default();
        return Err(Diagnostic::at(
            "a sequence has either `padding` or `crossfade`, not both",
            span,
        ));
    }
    // Every clip's error is said in one run: those of the clips themselves, then the
    // sequence's own about each clip that built.
    let checked = cx.check_clips(spec.clips.get_ref());
    let names = spec.clips.get_ref();
    let mut clips = Vec::new();
    let mut wrong = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let clip = match cx.clip(name) {
            Ok(clip) => clip,
            // A clip in error is reported with its own error (by `check_clips`); one
            // that built but is past what a frame may draw must be said here: left out
            // without a word, the sequence was silently shorter (hostile11 F-DG).
            Err(d) if checked.is_ok() => {
                wrong.push(d);
                break;
            }
            Err(_) => continue,
        };
        let Some(d) = clip.duration() else {
            wrong.push(Diagnostic::at(format!("clip `{}` has no end, so nothing can follow it", name.get_ref()), name.span())
                .with_hint(format!("give it a duration (`duration = 2` in [clip.{}]), or end it with a subclip effect", name.get_ref())));
            continue;
        };
        if i + 1 < names.len() && d < crossfade {
            wrong.push(Diagnostic::at(
                format!(
                    "clip `{}` lasts {} s, shorter than the {} s crossfade",
                    name.get_ref(),
                    crate::base::limits::shown_seconds(d),
                    crate::base::limits::shown_seconds(crossfade)
                ),
                name.span(),
            ));
            continue;
        }
        clips.push((name.get_ref().clone(), clip, d));
    }
    let mut wrong = wrong.into_iter();
    let first = match checked {
        Err(d) => Some(d),
        Ok(()) => wrong.next(),
    };
    if let Some(first) = first {
        wrong.for_each(|d| cx.also(d));
        return Err(first);
    }
    let w = clips.iter().map(|(_, c, _)| c.size().w).max().unwrap_or(1);
    let h = clips.iter().map(|(_, c, _)| c.size().h).max().unwrap_or(1);
    let mut items = Vec::new();
    let mut start = 0.0;
    for (name, clip, duration) in clips {
        let s = clip.size();
        items.push(Item {
            name,
            start,
            duration,
            x: (w - s.w) / 2,
            y: (h - s.h) / 2,
            clip,
        });
        start += duration + padding - crossfade;
    }
    let duration = items.last().map_or(0.0, |i| i.start + i.duration);
    limits::check_duration(duration)
        .map_err(|m| Diagnostic::at(format!("the sequence is too long: {m}"), spec.clips.span()))?;
    Ok(Arc::new(Sequence {
        items,
        size: Size::new(w, h),
        duration,
        crossfade,
        background: spec.background.unwrap_or(cx.background),
    }))
}

impl Clip for Sequence {
    fn kind(&self) -> &'static str {
        "sequence"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        Some(self.duration)
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut out = filled(self.size, self.background.to_skia());
        for (k, item) in self.items.iter().enumerate() {
            if !within(t, item.start, Some(item.start + item.duration)) {
                continue;
            }
            let local = (t - item.start).max(0.0);
            // A clip fades in over its predecessor during the crossfade.
            let opacity = if k > 0 && self.crossfade > 0.0 {
                (local / self.crossfade).min(1.0) as f32
            } else {
                1.0
            };
            cx.check()?;
            let frame = item
                .clip
                .render_ref(clamp_time(local, Some(item.duration)), cx)?;
            over(&mut out, &frame, item.x as f64, item.y as f64, opacity);
        }
        cx.check()?;
        Ok(out)
    }
    fn passes_time(&self) -> bool {
        true
    }
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        super::mixed_sound(self.children(), self.crossfade)
    }
    fn children(&self) -> Vec<Placement> {
        self.items
            .iter()
            .map(|i| Placement {
                label: i.name.clone(),
                clip: i.clip.clone(),
                start: i.start,
                end: Some(i.start + i.duration),
            })
            .collect()
    }
}
