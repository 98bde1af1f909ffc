//! `rotate`: quarter turns exactly, other angles smoothly, on a canvas that fits.

use crate::base::pixel::blit;
use std::sync::Arc;

use serde::Deserialize;
use tiny_skia::{FilterQuality, PixmapPaint, Transform};
use toml::Spanned;

use crate::base::diag::{At, Diagnostic};
use crate::base::frame::{blank, Frame, Size};
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::effect::args::Short;
use crate::effect::wrap::{env, PerFrame};
use crate::expr::RawParam;

use super::*;

/// `{ rotate = 90 }` or `{ rotate = { angle = 30, expand = false } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateTable {
    angle: Spanned<RawParam>,
    expand: Option<bool>,
}

pub type RotateSpec = Short<RotateTable>;

/// The number of quarter turns if `degrees` is a multiple of 90.
fn quarter_turns(degrees: f64) -> Option<u8> {
    let a = degrees.rem_euclid(360.0);
    let k = (a / 90.0).round();
    ((a - k * 90.0).abs() < 1e-9).then_some((k as u8) % 4)
}

/// The bounding box of a `size` frame turned by `degrees` (unrounded).
fn turned_box(size: Size, degrees: f64) -> (f64, f64) {
    if let Some(k) = quarter_turns(degrees) {
        let (w, h) = (size.w as f64, size.h as f64);
        return if k % 2 == 1 { (h, w) } else { (w, h) };
    }
    let (s, c) = degrees.to_radians().sin_cos();
    let (s, c) = (s.abs(), c.abs());
    let (w, h) = (size.w as f64, size.h as f64);
    // Up to the next pixel, ignoring float noise.
    ((w * c + h * s - 1e-6).ceil(), (w * s + h * c - 1e-6).ceil())
}

pub fn rotate(
    spec: Spanned<RotateSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (span, arg) = Short::split(spec);
    let (angle, expand) = match arg {
        Ok(angle) => (angle, true),
        Err(t) => (t.angle, t.expand.unwrap_or(true)),
    };
    let param = cx.param(&angle)?;
    let src = input.size();
    let canvas = if !expand {
        src
    } else if let Some(a) = param.as_constant() {
        if quarter_turns(a) == Some(0) {
            return Ok(input);
        }
        let (w, h) = turned_box(src, a);
        checked_size(w, h).at(span.clone())?
    } else {
        let (w, h) = sample_times(&*input, &[&param])
            .iter()
            .map(|e| param.eval(e))
            .filter(|a| a.is_finite())
            .map(|a| turned_box(src, a))
            .fold((src.w as f64, src.h as f64), |(w, h), (a, b)| {
                (w.max(a), h.max(b))
            });
        checked_size(w, h).at(span.clone())?
    };
    if !expand && param.as_constant().and_then(quarter_turns) == Some(0) {
        return Ok(input);
    }
    let source = input.clone();
    let place = cx.place(angle.span().start);
    let watched = crate::expr::Watched::new(param, "rotate", place, "the clip is transparent");
    Ok(PerFrame::reading(
        "rotate",
        input,
        canvas,
        move |frame, t, rcx| {
            let a = watched.eval(&env(&*source, t, rcx));
            if !a.is_finite() {
                return blank(canvas);
            }
            match quarter_turns(a) {
                Some(k) => {
                    let turned = quarter_turn(frame, k);
                    if Size::new(turned.width(), turned.height()) == canvas {
                        return turned;
                    }
                    let mut out = blank(canvas);
                    blit(
                        &mut out,
                        &turned,
                        centred(canvas.w, turned.width()),
                        centred(canvas.h, turned.height()),
                    );
                    out
                }
                None => rotate_smooth(frame, a, canvas),
            }
        },
    ))
}

/// Turns a frame by `k` quarter turns counter-clockwise: an exact pixel permutation.
pub fn quarter_turn(src: &Frame, k: u8) -> Frame {
    let (w, h) = (src.width(), src.height());
    let size = if k % 2 == 1 {
        Size::new(h, w)
    } else {
        Size::new(w, h)
    };
    let mut out = blank(size);
    let sp = src.pixels();
    let op = out.pixels_mut();
    let (w, h) = (w as usize, h as usize);
    for y in 0..size.h as usize {
        for x in 0..size.w as usize {
            let (sx, sy) = match k % 4 {
                0 => (x, y),
                1 => (w - 1 - y, x),
                2 => (w - 1 - x, h - 1 - y),
                _ => (y, h - 1 - x),
            };
            op[y * size.w as usize + x] = sp[sy * w + sx];
        }
    }
    out
}

/// Turns a frame by any angle (degrees, counter-clockwise) about its centre onto a
/// `canvas`-sized frame with the same centre: bicubic, anti-aliased edges,
/// transparent corners.
pub fn rotate_smooth(src: &Frame, degrees: f64, canvas: Size) -> Frame {
    let mut out = blank(canvas);
    let ts = Transform::from_translate(canvas.w as f32 / 2.0, canvas.h as f32 / 2.0)
        .pre_rotate(-degrees as f32)
        .pre_translate(-(src.width() as f32) / 2.0, -(src.height() as f32) / 2.0);
    let paint = PixmapPaint {
        quality: FilterQuality::Bicubic,
        ..PixmapPaint::default()
    };
    crate::base::pixel::draw_pixmap(&mut out, src.as_ref(), &paint, ts);
    out
}
