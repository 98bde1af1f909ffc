//! Effects on a clip's sound only: `volume`, `audio_fade_in`, `audio_fade_out`. The
//! picture passes through untouched; the picture fades (`fade_in`, …) leave the sound
//! alone, so each is said once, where it is meant.

use std::borrow::Cow;
use std::sync::Arc;

use toml::Spanned;

use crate::audio::gain::Gain;
use crate::audio::Sound;
use crate::base::diag::Diagnostic;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};
use crate::expr::{Env, RawParam};

/// Makes a clip's sound from its input's.
type Change = dyn Fn(Arc<dyn Sound>) -> Arc<dyn Sound> + Send + Sync;

/// A ramp's level at time `t` for a fade of `d` seconds on a clip of `total`.
type Ramp = fn(f64, f64, f64) -> f64;

/// The input clip with its sound changed by `change` (given the input's sound).
struct Resound {
    kind: &'static str,
    input: Arc<dyn Clip>,
    change: Box<Change>,
}

impl Clip for Resound {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.input.size()
    }
    fn duration(&self) -> Option<f64> {
        self.input.duration()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        self.input.render(t, cx)
    }
    fn render_ref(&self, t: f64, cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        self.input.render_ref(t, cx)
    }
    fn is_still(&self) -> bool {
        self.input.is_still()
    }
    fn is_mask(&self) -> bool {
        self.input.is_mask()
    }
    fn passes_time(&self) -> bool {
        true
    }
    fn rate(&self) -> Option<f64> {
        None
    }
    fn children(&self) -> Vec<Placement> {
        vec![Placement {
            label: "input".to_string(),
            clip: self.input.clone(),
            start: 0.0,
            end: self.input.duration(),
        }]
    }
    fn sound(&self) -> Option<Arc<dyn Sound>> {
        Some((self.change)(self.input.sound()?))
    }
}

/// `{ volume = 0.5 }`: the sound's level times the value (a number, an expression of
/// `t` or keyframes): 0 mutes, 1 leaves it, above 1 is louder (the output saturates
/// at full scale rather than wrapping).
pub fn volume(
    raw: Spanned<RawParam>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let level = cx.param(&raw)?;
    if let Some(v) = level.as_constant() {
        if !(v >= 0.0 && v.is_finite()) {
            return Err(Diagnostic::at(
                format!(
                    "volume must be 0 or more, not {}",
                    crate::base::limits::shown(v)
                ),
                raw.span(),
            ));
        }
    }
    let duration = input.duration().unwrap_or(0.0);
    let fps = cx.fps;
    let level = Arc::new(level);
    Ok(Arc::new(Resound {
        kind: "volume",
        input,
        change: Box::new(move |s| match level.as_constant() {
            Some(v) => Gain::constant(s, v),
            None => {
                let level = level.clone();
                Gain::varying(s, move |t| level.eval(&Env { t, duration, fps }))
            }
        }),
    }))
}

/// Which end of the clip a sound fade is at.
#[derive(Clone, Copy)]
pub enum End {
    In,
    Out,
}

/// `{ audio_fade_in = 1 }` / `{ audio_fade_out = 1 }`: a linear ramp of the level from
/// silence over the first seconds, or to silence over the last.
pub fn fade(
    raw: Spanned<RawParam>,
    end: End,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let d = cx.seconds(&raw, "a sound fade's duration", 0.0, false)?;
    let total = match (end, input.duration()) {
        (End::Out, None) => {
            return Err(Diagnostic::at(
                "audio_fade_out needs a clip with an end, and this one has none",
                raw.span(),
            )
            .with_hint("give the clip a duration first (`subclip = [0, seconds]`)"))
        }
        (_, total) => total.unwrap_or(f64::INFINITY),
    };
    let (kind, ramp): (&'static str, Ramp) = match end {
        End::In => ("audio_fade_in", |t, d, _| (t / d).clamp(0.0, 1.0)),
        End::Out => ("audio_fade_out", |t, d, total| {
            ((total - t) / d).clamp(0.0, 1.0)
        }),
    };
    Ok(Arc::new(Resound {
        kind,
        input,
        change: Box::new(move |s| Gain::varying(s, move |t| ramp(t, d, total))),
    }))
}
