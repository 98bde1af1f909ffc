//! `resize`: scale to a size, a width, a height or by a factor (also used by layouts
//! that match cell sizes).

use crate::base::pixel::{blit, resample};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::{At, Diagnostic};
use crate::base::frame::{blank, Size};
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::effect::args::Short;
use crate::effect::wrap::{env, PerFrame};
use crate::expr::RawParam;

use super::*;

/// `{ resize = 0.5 }` or `{ resize = { scale | width | height } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResizeTable {
    scale: Option<Spanned<RawParam>>,
    width: Option<Spanned<RawParam>>,
    height: Option<Spanned<RawParam>>,
}

pub type ResizeSpec = Short<ResizeTable>;

pub fn resize(
    spec: Spanned<ResizeSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (span, arg) = Short::split(spec);
    let table = arg.map_or_else(
        |t| t,
        |scale| ResizeTable {
            scale: Some(scale),
            width: None,
            height: None,
        },
    );
    let src = input.size();
    let (w, h) = match (table.scale, table.width, table.height) {
        (Some(scale), None, None) => return resize_by_scale(&scale, input, cx),
        (Some(scale), _, _) => {
            return Err(Diagnostic::at(
                "resize takes `scale` or `width`/`height`, not both",
                scale.span(),
            ))
        }
        (None, None, None) => {
            return Err(Diagnostic::at(
                "resize needs `scale`, `width` or `height`",
                span,
            ))
        }
        (None, Some(w), None) => {
            let w = pixels(cx, &w, "width")?;
            (w, (src.h as f64 * w / src.w as f64).round())
        }
        (None, None, Some(h)) => {
            let h = pixels(cx, &h, "height")?;
            ((src.w as f64 * h / src.h as f64).round(), h)
        }
        (None, Some(w), Some(h)) => (pixels(cx, &w, "width")?, pixels(cx, &h, "height")?),
    };
    let size = checked_size(w, h).at(span)?;
    Ok(fixed_resize(input, size))
}

/// A `width` or `height` in whole pixels. A fraction there is MoviePy's
/// `resize(height=0.85)`-style habit of a factor: the error gives the scale to write.
fn pixels(cx: &ResolveCx, raw: &Spanned<RawParam>, what: &str) -> Result<f64, Diagnostic> {
    let fraction = cx
        .param(raw)
        .ok()
        .and_then(|p| p.as_constant())
        .filter(|v| *v > 0.0 && *v < 1.0);
    cx.constant(raw, what, 1.0, true)
        .map(f64::round)
        .map_err(|d| match fraction {
            Some(v) => d.with_hint(format!(
                "`{what}` is in pixels; to scale by {v}, write `{{ resize = {v} }}`"
            )),
            None => d,
        })
}

fn resize_by_scale(
    scale: &Spanned<RawParam>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let src = input.size();
    let param = cx.param(scale)?;
    let at = |m: String| Diagnostic::at(m, scale.span());
    if let Some(s) = param.as_constant() {
        if s <= 0.0 {
            return Err(at(format!(
                "the resize scale must be greater than 0, not {s}"
            )));
        }
        let size = checked_size(src.w as f64 * s, src.h as f64 * s).map_err(at)?;
        return Ok(fixed_resize(input, size));
    }
    let max = sample_times(&*input, &[&param])
        .iter()
        .map(|e| param.eval(e))
        .filter(|s| s.is_finite())
        .fold(f64::NAN, f64::max);
    if max.is_nan() || max <= 0.0 {
        return Err(at("the resize scale is never greater than 0".to_string()));
    }
    let canvas = checked_size(src.w as f64 * max, src.h as f64 * max).map_err(at)?;
    let source = input.clone();
    let place = cx.place(scale.span().start);
    let param = crate::expr::Watched::new(param, "resize", place, "the clip is transparent");
    Ok(PerFrame::reading(
        "resize",
        input,
        canvas,
        move |frame, t, rcx| {
            // A scale above the largest one sampled (a spike between samples, or an
            // expression of `fps` rendered at another rate) stops at the canvas: a
            // larger picture would be cut to it anyway, and could take gigabytes.
            let s = param.eval(&env(&*source, t, rcx));
            let mut out = blank(canvas);
            if s.is_finite() && s > 0.0 {
                let s = s.min(max);
                let w = ((src.w as f64 * s).round().max(1.0) as u32).min(canvas.w);
                let h = ((src.h as f64 * s).round().max(1.0) as u32).min(canvas.h);
                let scaled = resample(frame, Size::new(w, h));
                blit(
                    &mut out,
                    &scaled,
                    centred(canvas.w, w),
                    centred(canvas.h, h),
                );
            }
            out
        },
    ))
}

/// A clip scaled to a fixed size (also used by layouts that match cell sizes).
pub fn fixed_resize(input: Arc<dyn Clip>, size: Size) -> Arc<dyn Clip> {
    if size == input.size() {
        return input;
    }
    PerFrame::fixed("resize", input, size, move |frame| resample(frame, size))
}
