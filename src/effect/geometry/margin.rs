//! `margin`: a border of colour around the frame, fixed or animated.

use crate::base::pixel::blit;
use std::sync::Arc;

use serde::Deserialize;
use tiny_skia::PremultipliedColorU8;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::diag::{At, Diagnostic};
use crate::base::frame::{blank, filled, Frame};
use crate::base::limits;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::effect::args::Short;
use crate::effect::wrap::{env, PerFrame};
use crate::expr::{AnimatedColor, Env, Param, RawColor, RawParam, Watched};

use super::*;

/// `{ margin = 10 }` or `{ margin = { all, left, right, top, bottom, color } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginTable {
    all: Option<Spanned<RawParam>>,
    left: Option<Spanned<RawParam>>,
    right: Option<Spanned<RawParam>>,
    top: Option<Spanned<RawParam>>,
    bottom: Option<Spanned<RawParam>>,
    color: Option<Spanned<RawColor>>,
}

pub type MarginSpec = Short<MarginTable>;

pub fn margin(
    spec: Spanned<MarginSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (span, arg) = Short::split(spec);
    let t = arg.map_or_else(
        |t| t,
        |all| MarginTable {
            all: Some(all),
            left: None,
            right: None,
            top: None,
            bottom: None,
            color: None,
        },
    );
    let param = |v: &Option<Spanned<RawParam>>| v.as_ref().map(|r| cx.param(r)).transpose();
    let all = param(&t.all)?.unwrap_or(Param::constant(0.0));
    let all_param = all.clone();
    let sides: [Param; 4] = [
        param(&t.left)?.unwrap_or(all.clone()),
        param(&t.right)?.unwrap_or(all.clone()),
        param(&t.top)?.unwrap_or(all.clone()),
        param(&t.bottom)?.unwrap_or(all.clone()),
    ];
    let src = input.size();
    let color = match &t.color {
        Some(c) => AnimatedColor::compile(c, &cx.scope)?,
        None => AnimatedColor::constant(Rgba::BLACK),
    };
    let animated: Vec<&Param> = sides.iter().filter(|p| p.as_constant().is_none()).collect();
    if animated.is_empty() {
        let names = ["left", "right", "top", "bottom"];
        let raws = [&t.left, &t.right, &t.top, &t.bottom];
        for ((p, name), raw) in sides.iter().zip(names).zip(raws) {
            let v = p.as_constant().unwrap_or(0.0);
            if v < 0.0 {
                let at = raw
                    .as_ref()
                    .or(t.all.as_ref())
                    .map_or(span.clone(), |r| r.span());
                let name = if raw.is_some() { name } else { "margin" };
                return Err(Diagnostic::at(
                    format!(
                        "{name} must be at least 0, not {}",
                        crate::base::limits::shown(v)
                    ),
                    at,
                ));
            }
        }
        let [left, right, top, bottom] = margins(&sides, &sample_times(&*input, &[])[0]);
        let size =
            checked_size(src.w as f64 + left + right, src.h as f64 + top + bottom).at(span)?;
        if size == src {
            return Ok(input);
        }
        let (x, y) = (left as i64, top as i64);
        let source = input.clone();
        return Ok(PerFrame::reading(
            "margin",
            input,
            size,
            move |frame, t, rcx| {
                let color = color.eval(&env(&*source, t, rcx)).to_skia();
                let mut out = filled(size, color);
                blit(&mut out, frame, x, y);
                out
            },
        ));
    }
    // Animated margins: the frame is as large as the widest framing, each framing
    // centred in it with transparency around.
    let (mut w, mut h) = (0f64, 0f64);
    for env in sample_times(&*input, &animated) {
        let [l, r, tp, b] = margins(&sides, &env);
        if (l + r + tp + b).is_finite() {
            (w, h) = (w.max(l + r), h.max(tp + b));
        }
    }
    let canvas = checked_size(src.w as f64 + w, src.h as f64 + h).at(span.clone())?;
    // A side that is not a number at some frame says so once per key: `all` (named
    // `margin`) once for the sides it gives.
    let outcome = "the clip is transparent";
    let place = |raw: &Spanned<RawParam>| cx.place(raw.span().start);
    let all = t.all.as_ref().map(|raw| {
        let p = all_param.clone();
        Watched::new(p, "margin", place(raw), outcome)
    });
    let raws = [&t.left, &t.right, &t.top, &t.bottom];
    let watched: Vec<Watched> = ["left", "right", "top", "bottom"]
        .into_iter()
        .zip(raws)
        .zip(&sides)
        .filter(|(_, p)| p.as_constant().is_none())
        .filter_map(|((name, raw), p)| match raw {
            Some(raw) => Some(Watched::new(p.clone(), name, place(raw), outcome)),
            None => all.clone(),
        })
        .collect();
    let source = input.clone();
    Ok(PerFrame::reading(
        "margin",
        input,
        canvas,
        move |frame, t, rcx| {
            let at = env(&*source, t, rcx);
            let [l, r, tp, b] = margins(&sides, &at);
            let color = color.eval(&at).to_skia();
            let mut out = blank(canvas);
            let finite = watched.iter().filter(|w| !w.eval(&at).is_finite()).count() == 0;
            if !(finite && (l + r + tp + b).is_finite()) {
                return out;
            }
            // The framing is centred on the canvas and only what falls inside is drawn,
            // so margins above the largest sampled ones cost no memory.
            let x = ((canvas.w as f64 - (src.w as f64 + l + r)) / 2.0).floor();
            let y = ((canvas.h as f64 - (src.h as f64 + tp + b)) / 2.0).floor();
            let [x0, y0, x1, y1] = [x, y, x + src.w as f64 + l + r, y + src.h as f64 + tp + b]
                .map(|v| v.clamp(0.0, limits::MAX_SIDE as f64) as u32);
            fill_box(&mut out, [x0, y0, x1, y1], color);
            blit(&mut out, frame, pixel(x + l), pixel(y + tp));
            out
        },
    ))
}

/// Fills the pixels `x0..x1` × `y0..y1` (clipped to the frame) with `color`.
fn fill_box(frame: &mut Frame, [x0, y0, x1, y1]: [u32; 4], color: tiny_skia::Color) {
    let (w, h) = (frame.width(), frame.height());
    let (x1, y1) = (x1.min(w), y1.min(h));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let c = color.premultiply().to_color_u8();
    let px = PremultipliedColorU8::from_rgba(c.red(), c.green(), c.blue(), c.alpha())
        .unwrap_or(PremultipliedColorU8::TRANSPARENT);
    let pixels = frame.pixels_mut();
    for row in y0..y1 {
        let start = (row * w) as usize;
        pixels[start + x0 as usize..start + x1 as usize].fill(px);
    }
}

/// A pixel offset from a whole-pixel position that may be far outside any frame.
fn pixel(v: f64) -> i64 {
    v.clamp(-(1i64 << 40) as f64, (1i64 << 40) as f64) as i64
}

/// The four margins at `env`: whole pixels, at least 0; NaN stays NaN.
fn margins(sides: &[Param; 4], env: &Env) -> [f64; 4] {
    std::array::from_fn(|i| {
        let v = sides[i].eval(env).round();
        if v < 0.0 {
            0.0
        } else {
            v
        }
    })
}
