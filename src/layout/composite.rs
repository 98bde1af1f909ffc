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
    for layer in spec.layers.into_inner() {
        let span = layer.span();
        let l = layer.into_inner();
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
                        format!("the layer ends ({e_v} s) before it starts ({start} s)"),
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
        None => layers[0].clip.size(),
    };
    let duration = layers.iter().filter_map(|l| l.end).reduce(f64::max);
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
            layer("input", base, Position::top_left(), None),
            layer("text", text, position, legible),
        ],
        duration,
        background: Rgba::TRANSPARENT,
    })
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
