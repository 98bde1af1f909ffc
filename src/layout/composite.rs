//! `kind = "composite"`: layers drawn in order, later on top, like MoviePy's
//! `CompositeVideoClip`.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::legible::Legibility;
use super::position::{Position, RawPosition};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::frame::{filled, RenderResult, Size};
use crate::base::limits;
use crate::base::pixel::over;
use crate::base::time::{clamp_time, within};
use crate::clip::build::{RawSize, ResolveCx};
use crate::clip::{Clip, Placement, RenderCx};
use crate::expr::{Env, Param, RawParam, Watched};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    layers: Spanned<Vec<Spanned<LayerSpec>>>,
    size: Option<RawSize>,
    background: Option<Rgba>,
    /// "longest" (the default), "shortest" or seconds.
    duration: Option<Spanned<RawParam>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    clip: Spanned<String>,
    position: Option<Spanned<RawPosition>>,
    start: Option<Spanned<RawParam>>,
    end: Option<Spanned<RawParam>>,
    duration: Option<Spanned<RawParam>>,
    opacity: Option<Spanned<RawParam>>,
}

struct Layer {
    name: String,
    clip: Arc<dyn Clip>,
    position: Position,
    start: f64,
    end: Option<f64>,
    /// Says once when it is not a number at some frame (the layer is not drawn there).
    opacity: Watched,
    /// For text layers: says when the text cannot be seen over the layers under it.
    legible: Option<Legibility>,
}

struct Composite {
    /// "composite", or "caption" for the effect of that name.
    kind: &'static str,
    layers: Vec<Layer>,
    size: Size,
    duration: Option<f64>,
    background: Rgba,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    if spec.layers.get_ref().is_empty() {
        return Err(Diagnostic::at(
            "a composite needs at least one layer",
            spec.layers.span(),
        ));
    }
    cx.check_clips(spec.layers.get_ref().iter().map(|l| &l.get_ref().clip))?;
    let mut layers = Vec::new();
    // where each layer names its clip, for a warning about it
    let mut spans = Vec::new();
    for layer in spec.layers.into_inner() {
        let span = layer.span();
        let l = layer.into_inner();
        spans.push(l.clip.span());
        let clip = cx.clip(&l.clip)?;
        let time = |raw: &Spanned<RawParam>, what: &str, cx: &ResolveCx| {
            let v = cx.seconds(raw, what, 0.0, true)?;
            limits::check_time(v).map_err(|m| Diagnostic::at(format!("{what}: {m}"), raw.span()))
        };
        let start = match &l.start {
            Some(s) => time(s, "start", cx)?,
            None => 0.0,
        };
        let end = match (&l.end, &l.duration) {
            (Some(_), Some(d)) => {
                return Err(Diagnostic::at(
                    "give a layer `end` or `duration`, not both",
                    d.span(),
                ))
            }
            (Some(e), None) => {
                let e_v = time(e, "end", cx)?;
                if e_v <= start {
                    return Err(Diagnostic::at(
                        format!(
                            "the layer ends ({} s) before it starts ({} s)",
                            crate::base::limits::shown_seconds(e_v),
                            crate::base::limits::shown_seconds(start)
                        ),
                        e.span(),
                    ));
                }
                Some(e_v)
            }
            (None, Some(d)) => {
                let v = cx.seconds(d, "duration", 0.0, false)?;
                Some(
                    limits::check_time(start + v)
                        .map_err(|m| Diagnostic::at(format!("the layer's end: {m}"), d.span()))?,
                )
            }
            (None, None) => clip.duration().map(|d| start + d),
        };
        let position = match &l.position {
            Some(p) => Position::compile(p, cx)?,
            None => Position::compile(&Spanned::new(span.clone(), RawPosition::default()), cx)?,
        };
        let opacity = match &l.opacity {
            Some(o) => cx.param(o)?,
            None => Param::constant(1.0),
        };
        // A constant out of range is a mistake (`40` for 40 %); values that change are
        // clamped at each frame.
        if let (Some(v), Some(o)) = (opacity.as_constant(), &l.opacity) {
            if !(0.0..=1.0).contains(&v) {
                return Err(Diagnostic::at(
                    format!("a layer's opacity is from 0 to 1, not {}", limits::shown(v)),
                    o.span(),
                )
                .with_hint("a fraction: 0.4 for 40 %"));
            }
        }
        let place = l
            .opacity
            .as_ref()
            .map_or(String::new(), |o| cx.place(o.span().start));
        let opacity = Watched::new(opacity, "opacity", place, "the layer is not drawn");
        let legible = Legibility::for_clip(clip.as_ref(), || {
            let (line, col) = cx.line_col(l.clip.span().start);
            format!(
                "the text `{}` (layer at line {line}, column {col})",
                l.clip.get_ref()
            )
        });
        layers.push(Layer {
            legible,
            name: l.clip.get_ref().clone(),
            clip,
            position,
            start,
            end,
            opacity,
        });
    }
    let size = match &spec.size {
        Some(s) => cx.size(s)?,
        None => {
            let size = layers[0].clip.size();
            for (layer, span) in layers.iter().zip(&spans).skip(1) {
                let (name, first) = (&layer.name, &layers[0].name);
                if let Some(w) =
                    cut_by_first(size, layer.clip.size(), name, first, cx.current_clip())
                {
                    cx.warn(Diagnostic::at(w.0, span.clone()).with_hint(w.1));
                }
            }
            size
        }
    };
    let duration = super::duration_of(
        spec.duration.as_ref(),
        layers.iter().filter_map(|l| l.end),
        cx,
    )?;
    Ok(Arc::new(Composite {
        kind: "composite",
        layers,
        size,
        duration,
        background: spec.background.unwrap_or(Rgba::TRANSPARENT),
    }))
}

/// The `caption` effect's clip: `text` drawn over `base` at `position`, for as long
/// as `base` lasts (the text's own end, if it has one, hides it sooner). It is a
/// composite of two layers the size of `base`, so it is drawn, heard and checked for
/// legibility as one; `what` names the text in a legibility warning.
pub fn caption(
    base: Arc<dyn Clip>,
    text: Arc<dyn Clip>,
    position: Position,
    what: impl FnOnce() -> String,
) -> Arc<dyn Clip> {
    let duration = base.duration();
    let legible = Legibility::for_clip(text.as_ref(), what);
    let layer = |name: &str, clip: Arc<dyn Clip>, position, legible| Layer {
        name: name.to_string(),
        end: clip.duration(),
        clip,
        position,
        start: 0.0,
        opacity: Watched::new(Param::constant(1.0), "opacity", String::new(), ""),
        legible,
    };
    Arc::new(Composite {
        kind: "caption",
        size: base.size(),
        layers: vec![
            layer("input", base, Position::aligned(0.0, 0.0), None),
            layer("text", text, position, legible),
        ],
        duration,
        background: Rgba::TRANSPARENT,
    })
}

/// Whatever its position, at most this share of a layer can be seen in the canvas
/// before it counts as cut without a word.
const MOSTLY_OUTSIDE: f64 = 0.5;

/// A warning (message, hint) when the layer `name`, of size `s`, cannot show even half
/// of itself in a `canvas` sized by the first layer `first` — the slip of writing a
/// title first. Positions are left out, so that a layer sliding in is no mistake.
fn cut_by_first(
    canvas: Size,
    s: Size,
    name: &str,
    first: &str,
    composite: Option<&str>,
) -> Option<(String, String)> {
    let area = |w: u32, h: u32| w as f64 * h as f64;
    let seen = area(s.w.min(canvas.w), s.h.min(canvas.h)) / area(s.w, s.h);
    if seen >= MOSTLY_OUTSIDE {
        return None;
    }
    let of = composite.map_or(String::new(), |c| format!(" `{c}`"));
    let (w, h) = (canvas.w.max(s.w), canvas.h.max(s.h));
    let share = match (seen * 100.0).floor() {
        p if p < 1.0 => "under 1 %".to_string(),
        p => format!("at most {p:.0} %"),
    };
    Some((
        format!(
            "layer `{}` ({}x{}) is mostly outside the composite{of}'s {}x{} canvas, which takes \
             the size of its first layer `{first}`: {share} of it can be seen",
            name, s.w, s.h, canvas.w, canvas.h
        ),
        format!("give the composite `size = [{w}, {h}]`, or put the largest layer first"),
    ))
}

impl Clip for Composite {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut out = filled(self.size, self.background.to_skia());
        for layer in &self.layers {
            // A huge frame stops between layers (and a layer cut short is not drawn).
            cx.check()?;
            if !within(t, layer.start, layer.end) {
                continue;
            }
            let local = (t - layer.start).max(0.0);
            let env = Env {
                t: local,
                duration: layer.end.map_or(0.0, |e| e - layer.start),
                fps: cx.fps,
            };
            // NaN or infinity hides the layer for this frame, like such a position.
            let opacity = layer.opacity.eval(&env);
            if !opacity.is_finite() || opacity <= 0.0 {
                continue;
            }
            let opacity = opacity.min(1.0) as f32;
            let frame = layer
                .clip
                .render_ref(clamp_time(local, layer.clip.duration()), cx)?;
            let s = layer.clip.size();
            let (x, y) = layer.position.place(
                (self.size.w as f64, self.size.h as f64),
                (s.w as f64, s.h as f64),
                &env,
            );
            if let Some(l) = &layer.legible {
                l.check(&out, &frame, x, y);
            }
            over(&mut out, &frame, x, y, opacity);
        }
        cx.check()?;
        Ok(out)
    }
    fn passes_time(&self) -> bool {
        true
    }
    fn sound(&self) -> Option<Arc<dyn crate::audio::Sound>> {
        super::mixed_sound(self.children(), 0.0)
    }
    fn children(&self) -> Vec<Placement> {
        self.layers
            .iter()
            .map(|l| Placement {
                label: l.name.clone(),
                clip: l.clip.clone(),
                start: l.start,
                end: l.end,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_that_cannot_show_half_of_itself_is_named() {
        let canvas = Size::new(148, 21);
        let (m, hint) = cut_by_first(canvas, Size::new(320, 240), "vid", "title", Some("main"))
            .expect("a warning");
        assert!(m.contains("layer `vid` (320x240)"), "{m}");
        assert!(m.contains("`main`'s 148x21 canvas"), "{m}");
        assert!(m.contains("first layer `title`: at most 4 %"), "{m}");
        assert_eq!(
            hint,
            "give the composite `size = [320, 240]`, or put the largest layer first"
        );
        // half of it fits: no slip
        assert!(cut_by_first(Size::new(100, 100), Size::new(200, 100), "a", "b", None).is_none());
        let (m, _) =
            cut_by_first(Size::new(10, 10), Size::new(4000, 4000), "a", "b", None).unwrap();
        assert!(m.contains("`b`: under 1 % of it"), "{m}");
        assert!(m.contains("the composite's 10x10"), "{m}");
    }
}
