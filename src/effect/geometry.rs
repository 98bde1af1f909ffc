//! Geometry effects: resize, crop, margin, rotate, mirror_x, mirror_y.
//!
//! All work on premultiplied frames, so filtering never bleeds the colour of
//! transparent pixels into visible ones.

use std::sync::Arc;

use serde::Deserialize;
use tiny_skia::{FilterQuality, PixmapPaint, PremultipliedColorU8, Transform};
use toml::Spanned;

use super::args::Short;
use super::wrap::{env, PerFrame};
use crate::clip::{blank, filled, Clip, Frame, Size};
use crate::color::Rgba;
use crate::expr::{AnimatedColor, Env, Param, RawColor, RawParam};
use crate::scene::diag::Diagnostic;
use crate::scene::limits;
use crate::scene::resolve::ResolveCx;

/// How many instants an animated size parameter is sampled at, to find the largest frame.
const SAMPLES: u32 = 100;
/// The span sampled for clips without an end.
const UNBOUNDED_SPAN: f64 = 60.0;
/// The frame rate animated parameters see while they are sampled at resolve time.
const NOMINAL_FPS: f64 = 30.0;

/// The times the animated parameters of a clip on `input` are sampled at: evenly, and
/// at their keyframes (where a keyframed value peaks).
fn sample_times(input: &dyn Clip, params: &[&Param]) -> Vec<Env> {
    let bounded = input.duration();
    let span = bounded.unwrap_or(UNBOUNDED_SPAN);
    let duration = bounded.unwrap_or(0.0);
    let last = super::wrap::last_instant(span);
    (0..=SAMPLES)
        .map(|k| span * k as f64 / SAMPLES as f64)
        .chain(std::iter::once(last))
        .chain(params.iter().flat_map(|p| p.key_times().iter().copied()))
        .map(|t| Env {
            t: t.clamp(0.0, last),
            duration,
            fps: NOMINAL_FPS,
        })
        .collect()
}

/// Checks a computed size against the limits; `w`, `h` are unrounded pixel counts.
fn checked_size(w: f64, h: f64) -> Result<Size, String> {
    let max = limits::MAX_SIDE as f64;
    if !(w.is_finite() && h.is_finite()) || w.round() > max || h.round() > max {
        return Err(format!(
            "the result would be {:.0}x{:.0} pixels: a side may be at most {max} pixels",
            w.round(),
            h.round()
        ));
    }
    limits::check_size(w.round().max(1.0) as u32, h.round().max(1.0) as u32)
}

// ---------------------------------------------------------------------------------
// resize

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
            let w = cx.constant(&w, "width", 1.0, true)?.round();
            (w, (src.h as f64 * w / src.w as f64).round())
        }
        (None, None, Some(h)) => {
            let h = cx.constant(&h, "height", 1.0, true)?.round();
            ((src.w as f64 * h / src.h as f64).round(), h)
        }
        (None, Some(w), Some(h)) => (
            cx.constant(&w, "width", 1.0, true)?.round(),
            cx.constant(&h, "height", 1.0, true)?.round(),
        ),
    };
    let size = checked_size(w, h).map_err(|m| Diagnostic::at(m, span))?;
    Ok(fixed_resize(input, size))
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
    Ok(PerFrame::wrap(
        "resize",
        input,
        canvas,
        move |frame, t, rcx| {
            // A scale above the largest one sampled (a spike between samples, or an
            // expression of `fps` rendered at another rate) stops at the canvas: a
            // larger picture would be cut to it anyway, and could take gigabytes.
            let s = param.eval(&env(&*source, t, rcx)).min(max);
            let mut out = blank(canvas);
            if s.is_finite() && s > 0.0 {
                let w = ((src.w as f64 * s).round().max(1.0) as u32).min(canvas.w);
                let h = ((src.h as f64 * s).round().max(1.0) as u32).min(canvas.h);
                let scaled = resample(&frame, Size::new(w, h));
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
    PerFrame::wrap("resize", input, size, move |frame, _, _| {
        resample(&frame, size)
    })
}

/// The offset that centres `inner` pixels in `outer` (negative when larger).
fn centred(outer: u32, inner: u32) -> i64 {
    (outer as i64 - inner as i64).div_euclid(2)
}

/// One output sample of a resampling pass: a weighted sum of consecutive inputs.
struct Taps {
    start: usize,
    weights: Vec<f32>,
}

/// Filter taps mapping `src` samples to `dst`: exact area averaging when shrinking
/// (no aliasing, block averages are exact), Catmull-Rom when enlarging.
fn taps(src: usize, dst: usize) -> Vec<Taps> {
    let ratio = src as f64 / dst as f64;
    (0..dst)
        .map(|i| {
            let (start, mut weights) = if dst < src {
                let (lo, hi) = (i as f64 * ratio, (i + 1) as f64 * ratio);
                let first = lo.floor() as usize;
                let last = (hi.ceil() as usize).min(src) - 1;
                let w = (first..=last)
                    .map(|j| ((hi.min(j as f64 + 1.0) - lo.max(j as f64)) / ratio) as f32)
                    .collect();
                (first, w)
            } else {
                let c = (i as f64 + 0.5) * ratio - 0.5;
                let base = c.floor() as i64;
                let clamp = |j: i64| j.clamp(0, src as i64 - 1) as usize;
                let first = clamp(base - 1);
                let mut w = vec![0f32; clamp(base + 2) - first + 1];
                for j in base - 1..=base + 2 {
                    w[clamp(j) - first] += catmull_rom(j as f64 - c) as f32;
                }
                (first, w)
            };
            let sum: f32 = weights.iter().sum();
            weights.iter_mut().for_each(|w| *w /= sum);
            Taps { start, weights }
        })
        .collect()
}

fn catmull_rom(x: f64) -> f64 {
    let x = x.abs();
    if x < 1.0 {
        1.5 * x * x * x - 2.5 * x * x + 1.0
    } else if x < 2.0 {
        -0.5 * x * x * x + 2.5 * x * x - 4.0 * x + 2.0
    } else {
        0.0
    }
}

/// Resizes a frame: separable, horizontal then vertical, in premultiplied f32.
pub fn resample(src: &Frame, size: Size) -> Frame {
    let (sw, sh) = (src.width() as usize, src.height() as usize);
    let (dw, dh) = (size.w as usize, size.h as usize);
    if (sw, sh) == (dw, dh) {
        return src.clone();
    }
    // Horizontal pass: sh rows of dw pixels.
    let mut tmp = vec![0f32; sh * dw * 4];
    let data = src.data();
    if dw == sw {
        tmp.iter_mut().zip(data).for_each(|(t, &b)| *t = b as f32);
    } else {
        let xt = taps(sw, dw);
        for y in 0..sh {
            let row = &data[y * sw * 4..(y + 1) * sw * 4];
            let out = &mut tmp[y * dw * 4..(y + 1) * dw * 4];
            for (x, tap) in xt.iter().enumerate() {
                let mut acc = [0f32; 4];
                for (k, &w) in tap.weights.iter().enumerate() {
                    let p = &row[(tap.start + k) * 4..(tap.start + k) * 4 + 4];
                    for c in 0..4 {
                        acc[c] += w * p[c] as f32;
                    }
                }
                out[x * 4..x * 4 + 4].copy_from_slice(&acc);
            }
        }
    }
    // Vertical pass into the output.
    let mut out = blank(size);
    let bytes = out.data_mut();
    let row_len = dw * 4;
    if dh == sh {
        for (i, v) in tmp.chunks_exact(4).enumerate() {
            store(&mut bytes[i * 4..i * 4 + 4], v);
        }
    } else {
        let yt = taps(sh, dh);
        let mut acc = vec![0f32; row_len];
        for (y, tap) in yt.iter().enumerate() {
            acc.iter_mut().for_each(|a| *a = 0.0);
            for (k, &w) in tap.weights.iter().enumerate() {
                let row = &tmp[(tap.start + k) * row_len..(tap.start + k + 1) * row_len];
                acc.iter_mut().zip(row).for_each(|(a, &v)| *a += w * v);
            }
            let dst = &mut bytes[y * row_len..(y + 1) * row_len];
            for (d, v) in dst.chunks_exact_mut(4).zip(acc.chunks_exact(4)) {
                store(d, v);
            }
        }
    }
    out
}

/// Rounds a filtered premultiplied pixel, keeping every colour channel <= alpha
/// (Catmull-Rom overshoots at sharp edges).
fn store(dst: &mut [u8], v: &[f32]) {
    let a = v[3].round().clamp(0.0, 255.0);
    for c in 0..3 {
        dst[c] = v[c].round().clamp(0.0, a) as u8;
    }
    dst[3] = a as u8;
}

/// Copies `src` into `dst` with its top-left corner at (x, y), replacing pixels;
/// whatever falls outside `dst` is clipped.
pub fn blit(dst: &mut Frame, src: &Frame, x: i64, y: i64) {
    let (dw, dh) = (dst.width() as i64, dst.height() as i64);
    let (sw, sh) = (src.width() as i64, src.height() as i64);
    let (x0, x1) = (x.max(0), x.saturating_add(sw).min(dw));
    let (y0, y1) = (y.max(0), y.saturating_add(sh).min(dh));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let n = ((x1 - x0) * 4) as usize;
    let src_data = src.data();
    let dst_data = dst.data_mut();
    for row in y0..y1 {
        let s = (((row - y) * sw + (x0 - x)) * 4) as usize;
        let d = ((row * dw + x0) * 4) as usize;
        dst_data[d..d + n].copy_from_slice(&src_data[s..s + n]);
    }
}

// ---------------------------------------------------------------------------------
// crop

/// MoviePy's crop arguments: a box `x1 y1 x2 y2`, or a size around a centre or from
/// an edge (`width height x_center y_center`).
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of x1, y1, x2, y2, width, height, x_center, y_center, e.g. { x1 = 10, x2 = 110 }"
)]
pub struct CropSpec {
    x1: Option<Spanned<RawParam>>,
    y1: Option<Spanned<RawParam>>,
    x2: Option<Spanned<RawParam>>,
    y2: Option<Spanned<RawParam>>,
    width: Option<Spanned<RawParam>>,
    height: Option<Spanned<RawParam>>,
    x_center: Option<Spanned<RawParam>>,
    y_center: Option<Spanned<RawParam>>,
}

/// One axis of a crop box: which of the edges, length and centre were given, compiled.
struct CropAxis {
    lo: Option<Param>,
    hi: Option<Param>,
    len: Option<Param>,
    centre: Option<Param>,
    full: u32,
}

impl CropAxis {
    /// Checks which keys go together and compiles them (each may be animated).
    fn compile(
        cx: &ResolveCx,
        names: [&str; 4],
        [lo, hi, len, centre]: [&Option<Spanned<RawParam>>; 4],
        full: u32,
        span: &std::ops::Range<usize>,
    ) -> Result<CropAxis, Diagnostic> {
        let [n_lo, n_hi, n_len, n_centre] = names;
        let given = (lo.is_some(), hi.is_some(), len.is_some(), centre.is_some());
        match given {
            (a, b, _, true) if a || b => {
                return Err(Diagnostic::at(
                    format!(
                        "crop: `{n_centre}` goes with `{n_len}` only, not with `{n_lo}` or `{n_hi}`"
                    ),
                    centre.as_ref().map_or(span.clone(), |r| r.span()),
                ))
            }
            (_, _, false, true) => {
                return Err(Diagnostic::at(
                    format!("crop: `{n_centre}` needs `{n_len}`"),
                    centre.as_ref().map_or(span.clone(), |r| r.span()),
                ))
            }
            (true, true, true, _) => {
                return Err(Diagnostic::at(
                    format!("crop: give two of `{n_lo}`, `{n_hi}` and `{n_len}`, not all three"),
                    len.as_ref().map_or(span.clone(), |r| r.span()),
                ))
            }
            _ => {}
        }
        let param = |v: &Option<Spanned<RawParam>>| v.as_ref().map(|r| cx.param(r)).transpose();
        Ok(CropAxis {
            lo: param(lo)?,
            hi: param(hi)?,
            len: param(len)?,
            centre: param(centre)?,
            full,
        })
    }

    fn params(&self) -> impl Iterator<Item = &Param> {
        [&self.lo, &self.hi, &self.len, &self.centre]
            .into_iter()
            .flatten()
    }

    /// The box's edges on this axis at `env`, rounded to whole pixels (maybe outside
    /// the frame or NaN).
    fn range(&self, env: &Env) -> (f64, f64) {
        let v = |p: &Option<Param>| p.as_ref().map(|p| p.eval(env));
        let (start, end) = match (v(&self.lo), v(&self.hi), v(&self.len), v(&self.centre)) {
            (None, None, Some(l), Some(c)) => (c - l / 2.0, c + l / 2.0),
            (a, None, Some(l), None) => (a.unwrap_or(0.0), a.unwrap_or(0.0) + l),
            (None, Some(b), Some(l), None) => (b - l, b),
            (a, b, None, _) => (a.unwrap_or(0.0), b.unwrap_or(self.full as f64)),
            _ => (f64::NAN, f64::NAN),
        };
        (start.round(), end.round())
    }
}

pub fn crop(
    spec: Spanned<CropSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let span = spec.span();
    let s = spec.into_inner();
    let src = input.size();
    let xa = CropAxis::compile(
        cx,
        ["x1", "x2", "width", "x_center"],
        [&s.x1, &s.x2, &s.width, &s.x_center],
        src.w,
        &span,
    )?;
    let ya = CropAxis::compile(
        cx,
        ["y1", "y2", "height", "y_center"],
        [&s.y1, &s.y2, &s.height, &s.y_center],
        src.h,
        &span,
    )?;
    let animated: Vec<&Param> = xa
        .params()
        .chain(ya.params())
        .filter(|p| p.as_constant().is_none())
        .collect();
    if animated.is_empty() {
        let env = sample_times(&*input, &[])[0];
        let (x1, x2) = inside(xa.range(&env), ["x1", "x2"], src.w, &span)?;
        let (y1, y2) = inside(ya.range(&env), ["y1", "y2"], src.h, &span)?;
        let size = Size::new(x2 - x1, y2 - y1);
        if size == src {
            return Ok(input);
        }
        return Ok(PerFrame::wrap("crop", input, size, move |frame, _, _| {
            let mut out = blank(size);
            blit(&mut out, &frame, -(x1 as i64), -(y1 as i64));
            out
        }));
    }
    // An animated box: the frame is as large as the largest box, each box centred in it.
    let (mut w, mut h) = (0f64, 0f64);
    for env in sample_times(&*input, &animated) {
        let ((x1, x2), (y1, y2)) = (xa.range(&env), ya.range(&env));
        let (bw, bh) = (
            x2.min(src.w as f64) - x1.max(0.0),
            y2.min(src.h as f64) - y1.max(0.0),
        );
        if bw.is_finite() && bh.is_finite() {
            (w, h) = (w.max(bw), h.max(bh));
        }
    }
    if w < 1.0 || h < 1.0 {
        return Err(Diagnostic::at(
            "crop: the animated box never covers any of the frame",
            span,
        ));
    }
    let canvas = checked_size(w, h).map_err(|m| Diagnostic::at(m, span))?;
    let source = input.clone();
    Ok(PerFrame::wrap(
        "crop",
        input,
        canvas,
        move |frame, t, rcx| {
            let env = env(&*source, t, rcx);
            let clamp = |(a, b): (f64, f64), full: u32| (a.max(0.0), b.min(full as f64));
            let (x1, x2) = clamp(xa.range(&env), src.w);
            let (y1, y2) = clamp(ya.range(&env), src.h);
            let mut out = blank(canvas);
            // NaN or an empty box at this frame: nothing is drawn.
            if !(x2 > x1 && y2 > y1) {
                return out;
            }
            let size = Size::new((x2 - x1) as u32, (y2 - y1) as u32);
            let mut cut = blank(size);
            blit(&mut cut, &frame, -(x1 as i64), -(y1 as i64));
            blit(
                &mut out,
                &cut,
                centred(canvas.w, size.w),
                centred(canvas.h, size.h),
            );
            out
        },
    ))
}

/// A constant box edge pair, checked to lie inside `0..full`.
fn inside(
    (start, end): (f64, f64),
    [n_lo, n_hi]: [&str; 2],
    full: u32,
    span: &std::ops::Range<usize>,
) -> Result<(u32, u32), Diagnostic> {
    if !(start >= 0.0 && end <= full as f64 && start < end) {
        return Err(Diagnostic::at(
            format!("crop: {n_lo}..{n_hi} = {start}..{end} is outside the frame's 0..{full}"),
            span.clone(),
        )
        .with_hint("the box must lie inside the frame and not be empty"));
    }
    Ok((start as u32, end as u32))
}

// ---------------------------------------------------------------------------------
// margin

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
                    format!("{name} must be at least 0, not {v}"),
                    at,
                ));
            }
        }
        let [left, right, top, bottom] = margins(&sides, &sample_times(&*input, &[])[0]);
        let size = checked_size(src.w as f64 + left + right, src.h as f64 + top + bottom)
            .map_err(|m| Diagnostic::at(m, span))?;
        if size == src {
            return Ok(input);
        }
        let (x, y) = (left as i64, top as i64);
        let source = input.clone();
        return Ok(PerFrame::wrap(
            "margin",
            input,
            size,
            move |frame, t, rcx| {
                let color = color.eval(&env(&*source, t, rcx)).to_skia();
                let mut out = filled(size, color);
                blit(&mut out, &frame, x, y);
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
    let canvas =
        checked_size(src.w as f64 + w, src.h as f64 + h).map_err(|m| Diagnostic::at(m, span))?;
    let source = input.clone();
    Ok(PerFrame::wrap(
        "margin",
        input,
        canvas,
        move |frame, t, rcx| {
            let at = env(&*source, t, rcx);
            let [l, r, tp, b] = margins(&sides, &at);
            let color = color.eval(&at).to_skia();
            let mut out = blank(canvas);
            if !(l + r + tp + b).is_finite() {
                return out;
            }
            // The framing is centred on the canvas and only what falls inside is drawn,
            // so margins above the largest sampled ones cost no memory.
            let x = ((canvas.w as f64 - (src.w as f64 + l + r)) / 2.0).floor();
            let y = ((canvas.h as f64 - (src.h as f64 + tp + b)) / 2.0).floor();
            let [x0, y0, x1, y1] = [x, y, x + src.w as f64 + l + r, y + src.h as f64 + tp + b]
                .map(|v| v.clamp(0.0, limits::MAX_SIDE as f64) as u32);
            fill_box(&mut out, [x0, y0, x1, y1], color);
            blit(&mut out, &frame, pixel(x + l), pixel(y + tp));
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

// ---------------------------------------------------------------------------------
// rotate

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
        checked_size(w, h).map_err(|m| Diagnostic::at(m, span.clone()))?
    } else {
        let (w, h) = sample_times(&*input, &[&param])
            .iter()
            .map(|e| param.eval(e))
            .filter(|a| a.is_finite())
            .map(|a| turned_box(src, a))
            .fold((src.w as f64, src.h as f64), |(w, h), (a, b)| {
                (w.max(a), h.max(b))
            });
        checked_size(w, h).map_err(|m| Diagnostic::at(m, span.clone()))?
    };
    if !expand && param.as_constant().and_then(quarter_turns) == Some(0) {
        return Ok(input);
    }
    let source = input.clone();
    Ok(PerFrame::wrap(
        "rotate",
        input,
        canvas,
        move |frame, t, rcx| {
            let a = param.eval(&env(&*source, t, rcx));
            if !a.is_finite() {
                return blank(canvas);
            }
            match quarter_turns(a) {
                Some(k) => {
                    let turned = quarter_turn(&frame, k);
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
                None => rotate_smooth(&frame, a, canvas),
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
    out.draw_pixmap(0, 0, src.as_ref(), &paint, ts, None);
    out
}

// ---------------------------------------------------------------------------------
// mirrors

/// Left and right swapped.
pub fn mirror_x(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    let size = input.size();
    PerFrame::wrap("mirror_x", input, size, |mut frame, _, _| {
        let w = frame.width() as usize;
        frame
            .pixels_mut()
            .chunks_exact_mut(w)
            .for_each(<[PremultipliedColorU8]>::reverse);
        frame
    })
}

/// Top and bottom swapped.
pub fn mirror_y(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    let size = input.size();
    PerFrame::wrap("mirror_y", input, size, |mut frame, _, _| {
        let row = frame.width() as usize * 4;
        let data = frame.data_mut();
        let h = data.len() / row;
        for y in 0..h / 2 {
            let (top, bottom) = data.split_at_mut((h - 1 - y) * row);
            top[y * row..(y + 1) * row].swap_with_slice(&mut bottom[..row]);
        }
        frame
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    const R: [u8; 4] = [255, 0, 0, 255];
    const K: [u8; 4] = [0, 0, 0, 255];
    const T: [u8; 4] = [0, 0, 0, 0];

    fn size(c: &Arc<dyn Clip>) -> (u32, u32) {
        (c.size().w, c.size().h)
    }

    #[test]
    fn shrinking_averages_blocks_exactly() {
        let a = [0, 0, 0, 255];
        let b = [100, 0, 0, 255];
        let c = [0, 0, 200, 255];
        let d = [0, 0, 100, 255];
        let clip = ok("{ resize = 0.5 }", still(&[&[a, b, c, d], &[b, a, d, c]]));
        assert_eq!(size(&clip), (2, 1));
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![[50, 0, 0, 255], [0, 0, 150, 255]]
        );
    }

    #[test]
    fn shrinking_by_a_fraction_weighs_by_area() {
        let clip = ok(
            "{ resize = { width = 2, height = 1 } }",
            still(&[&[[0, 0, 0, 255], [90, 0, 0, 255], [180, 0, 0, 255]]]),
        );
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![[30, 0, 0, 255], [150, 0, 0, 255]]
        );
    }

    #[test]
    fn width_or_height_keep_the_aspect() {
        assert_eq!(
            size(&ok("{ resize = { width = 2 } }", pattern(4, 2, None))),
            (2, 1)
        );
        assert_eq!(
            size(&ok("{ resize = { height = 4 } }", pattern(4, 2, None))),
            (8, 4)
        );
        assert_eq!(
            size(&ok(
                "{ resize = { width = 3, height = 7 } }",
                pattern(4, 2, None)
            )),
            (3, 7)
        );
        assert_eq!(
            size(&ok("{ resize = { scale = 1.5 } }", pattern(4, 2, None))),
            (6, 3)
        );
        // Rounding keeps at least one pixel.
        assert_eq!(
            size(&ok("{ resize = { width = 1 } }", pattern(40, 2, None))),
            (1, 1)
        );
    }

    #[test]
    fn enlarging_a_solid_stays_solid_and_edges_stay_premultiplied() {
        let clip = ok(
            "{ resize = { width = 5, height = 3 } }",
            solid(2, 2, [10, 20, 30, 40], None),
        );
        assert!(pixels(&render(&clip, 0.0))
            .iter()
            .all(|p| *p == [10, 20, 30, 40]));
        let clip = ok("{ resize = 4 }", still(&[&[R, T, R], &[T, R, T]]));
        let f = render(&clip, 0.0);
        assert_eq!((f.width(), f.height()), (12, 8));
        assert!(pixels(&f)
            .iter()
            .all(|p| p[0] <= p[3] && p[1] == 0 && p[2] == 0));
        assert_eq!(
            px(&f, 0, 0),
            R,
            "the corner pixel is interpolated from itself"
        );
    }

    #[test]
    fn resize_errors_point_at_the_argument() {
        let text = "{ resize = 0 }";
        assert_eq!(
            err(text, pattern(4, 2, None)),
            (
                "the resize scale must be greater than 0, not 0".into(),
                "0".into()
            )
        );
        let (m, at) = err("{ resize = {} }", pattern(4, 2, None));
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("resize needs `scale`, `width` or `height`", "{}")
        );
        let (m, at) = err("{ resize = { scale = 2, width = 3 } }", pattern(4, 2, None));
        assert!(m.contains("not both") && at == "2", "{m} at {at}");
        let (m, _) = err("{ resize = 10000 }", pattern(4, 2, None));
        assert!(m.contains("at most 16384"), "{m}");
        let (m, at) = err("{ resize = { widht = 3 } }", pattern(4, 2, None));
        assert_eq!((m.as_str(), at.as_str()), ("unknown key `widht`", "widht"));
        let (m, at) = err("{ resize = { width = 0 } }", pattern(4, 2, None));
        assert!(
            m.contains("width must be at least 1") && at == "0",
            "{m} at {at}"
        );
    }

    #[test]
    fn crop_by_box_by_centre_and_from_an_edge() {
        let p = pattern(4, 3, None);
        let clip = ok("{ crop = { x1 = 1, y1 = 1, x2 = 3, y2 = 3 } }", p.clone());
        assert_eq!(size(&clip), (2, 2));
        let f = render(&clip, 0.0);
        assert_eq!(px(&f, 0, 0), [10, 10, 0, 255]);
        assert_eq!(px(&f, 1, 1), [20, 20, 0, 255]);
        let clip = ok(
            "{ crop = { width = 2, height = 1, x_center = 2, y_center = 1.5 } }",
            p.clone(),
        );
        assert_eq!(size(&clip), (2, 1));
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![[10, 10, 0, 255], [20, 10, 0, 255]]
        );
        let clip = ok("{ crop = { x2 = 4, width = 1, y1 = 2 } }", p.clone());
        assert_eq!(pixels(&render(&clip, 0.0)), vec![[30, 20, 0, 255]]);
        let clip = ok("{ crop = { width = 2 } }", p);
        assert_eq!(size(&clip), (2, 3));
        assert_eq!(px(&render(&clip, 0.0), 1, 2), [10, 20, 0, 255]);
    }

    #[test]
    fn animated_crop_pans_and_grows_inside_the_largest_box() {
        // A 2-pixel window panning right by 10 px/s.
        let clip = ok(
            "{ crop = { x1 = \"10 * t\", width = 2 } }",
            pattern(4, 3, Some(0.3)),
        );
        assert_eq!(size(&clip), (2, 3));
        assert_eq!(px(&render(&clip, 0.0), 0, 0), [0, 0, 0, 255]);
        assert_eq!(px(&render(&clip, 0.2), 0, 1), [20, 10, 2, 255]);
        // A growing box is centred in the largest one, transparent around.
        let clip = ok(
            "{ crop = { width = { keys = [[0, 2], [0.2, 4]] } } }",
            pattern(4, 1, Some(0.3)),
        );
        assert_eq!(size(&clip), (4, 1));
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![T, [0, 0, 0, 255], [10, 0, 0, 255], T]
        );
        assert_eq!(px(&render(&clip, 0.25), 3, 0), [30, 0, 2, 255]);
        // A box partly outside the frame at some instant is clipped to it.
        let clip = ok(
            "{ crop = { x1 = \"20 * t - 1\", width = 2 } }",
            pattern(4, 1, Some(0.3)),
        );
        assert_eq!(pixels(&render(&clip, 0.0)), vec![[0, 0, 0, 255], T]);
    }

    #[test]
    fn animated_margin_frames_inside_the_largest_framing() {
        let w = [255, 255, 255, 255];
        let clip = ok(
            "{ margin = { left = \"10 * t\", color = \"white\" } }",
            pattern(2, 1, Some(0.3)),
        );
        assert_eq!(size(&clip), (5, 1));
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![T, [0, 0, 0, 255], [10, 0, 0, 255], T, T]
        );
        assert_eq!(
            pixels(&render(&clip, 0.2)),
            vec![w, w, [0, 0, 2, 255], [10, 0, 2, 255], T]
        );
        let (m, at) = err("{ margin = { left = -1 } }", pattern(2, 1, None));
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("left must be at least 0, not -1", "-1")
        );
    }

    #[test]
    fn crop_outside_the_frame_is_an_error() {
        let text = "{ crop = { x1 = 1, x2 = 5 } }";
        let (m, at) = err(text, pattern(4, 3, None));
        assert_eq!(m, "crop: x1..x2 = 1..5 is outside the frame's 0..4");
        assert_eq!(at, "{ x1 = 1, x2 = 5 }");
        let (m, _) = err("{ crop = { y1 = 2, y2 = 2 } }", pattern(4, 3, None));
        assert!(m.contains("outside"), "{m}");
        let (m, at) = err("{ crop = { x_center = 2 } }", pattern(4, 3, None));
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("crop: `x_center` needs `width`", "2")
        );
        let (m, _) = err(
            "{ crop = { x1 = 0, x2 = 2, width = 2 } }",
            pattern(4, 3, None),
        );
        assert!(m.contains("not all three"), "{m}");
        let (m, _) = err(
            "{ crop = { x1 = 0, x_center = 2, width = 2 } }",
            pattern(4, 3, None),
        );
        assert!(m.contains("goes with"), "{m}");
    }

    #[test]
    fn margin_on_all_sides_or_each_with_a_colour() {
        let clip = ok("{ margin = 1 }", solid(1, 1, R, None));
        assert_eq!(size(&clip), (3, 3));
        assert_eq!(pixels(&render(&clip, 0.0)), vec![K, K, K, K, R, K, K, K, K]);
        let clip = ok(
            "{ margin = { left = 2, top = 1, color = \"transparent\" } }",
            solid(1, 1, R, None),
        );
        assert_eq!(pixels(&render(&clip, 0.0)), vec![T, T, T, T, T, R]);
        let clip = ok(
            "{ margin = { all = 1, right = 0, color = \"white\" } }",
            solid(1, 1, R, None),
        );
        let w = [255, 255, 255, 255];
        assert_eq!(pixels(&render(&clip, 0.0)), vec![w, w, w, R, w, w]);
        // The clip's own transparency is kept inside the margin.
        let clip = ok("{ margin = 1 }", solid(1, 1, T, None));
        assert_eq!(px(&render(&clip, 0.0), 1, 1), T);
        let (m, at) = err("{ margin = -1 }", solid(1, 1, R, None));
        assert!(m.contains("at least 0") && at == "-1", "{m} at {at}");
    }

    #[test]
    fn rotate_by_quarter_turns_permutes_pixels() {
        let p = pattern(3, 2, None);
        let f = render(&ok("{ rotate = 90 }", p.clone()), 0.0);
        assert_eq!((f.width(), f.height()), (2, 3));
        // Counter-clockwise: the top-right corner goes to the top-left.
        assert_eq!(px(&f, 0, 0), [20, 0, 0, 255]);
        assert_eq!(px(&f, 1, 0), [20, 10, 0, 255]);
        assert_eq!(px(&f, 0, 2), [0, 0, 0, 255]);
        let f = render(&ok("{ rotate = 180 }", p.clone()), 0.0);
        assert_eq!(
            pixels(&f),
            pixels(&render(
                &ok("\"mirror_x\"", ok("\"mirror_y\"", p.clone())),
                0.0
            ))
        );
        let cw = pixels(&render(&ok("{ rotate = 270 }", p.clone()), 0.0));
        assert_eq!(cw, pixels(&render(&ok("{ rotate = -90 }", p.clone()), 0.0)));
        assert_eq!(
            cw,
            pixels(&render(
                &ok("{ rotate = 90 }", ok("{ rotate = 180 }", p.clone())),
                0.0
            ))
        );
        assert_eq!(
            cw[..2],
            [[0, 10, 0, 255], [0, 0, 0, 255]],
            "clockwise: the left column becomes the top row"
        );
        assert!(Arc::ptr_eq(&ok("{ rotate = 360 }", p.clone()), &p));
    }

    #[test]
    fn rotate_without_expand_keeps_the_size() {
        let f = render(
            &ok(
                "{ rotate = { angle = 90, expand = false } }",
                pattern(3, 1, None),
            ),
            0.0,
        );
        // The 1x3 turned frame is centred: its middle pixel stays in the middle.
        assert_eq!(pixels(&f), vec![T, [10, 0, 0, 255], T]);
        let f = render(
            &ok(
                "{ rotate = { angle = 90, expand = false } }",
                pattern(2, 2, None),
            ),
            0.0,
        );
        assert_eq!(
            pixels(&f),
            pixels(&render(&ok("{ rotate = 90 }", pattern(2, 2, None)), 0.0))
        );
    }

    #[test]
    fn rotate_by_any_angle_expands_with_transparent_corners() {
        let clip = ok("{ rotate = 45 }", solid(10, 10, R, None));
        assert_eq!(size(&clip), (15, 15));
        let f = render(&clip, 0.0);
        assert_eq!(px(&f, 7, 7), R);
        assert_eq!(px(&f, 0, 0), T);
        assert_eq!(px(&f, 14, 14), T);
        assert_eq!(
            size(&ok(
                "{ rotate = { angle = 30, expand = false } }",
                solid(10, 4, R, None)
            )),
            (10, 4)
        );
    }

    #[test]
    fn smooth_rotation_turns_the_same_way_as_quarter_turns() {
        let f = render(&pattern(6, 4, None), 0.0);
        let exact = quarter_turn(&f, 1);
        let smooth = rotate_smooth(&f, 90.0, Size::new(4, 6));
        for y in 1..5 {
            for x in 1..3 {
                let (a, b) = (px(&exact, x, y), px(&smooth, x, y));
                assert!(
                    a.iter().zip(b).all(|(a, b)| a.abs_diff(b) <= 2),
                    "({x},{y}): {a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn mirrors_swap_sides() {
        let p = pattern(3, 2, None);
        let f = render(&ok("\"mirror_x\"", p.clone()), 0.0);
        assert_eq!(px(&f, 0, 0), [20, 0, 0, 255]);
        assert_eq!(px(&f, 2, 1), [0, 10, 0, 255]);
        let f = render(&ok("\"mirror_y\"", pattern(2, 3, None)), 0.0);
        assert_eq!(pixels(&f)[..2], [[0, 20, 0, 255], [10, 20, 0, 255]]);
        assert_eq!(px(&f, 1, 1), [10, 10, 0, 255]);
        assert_eq!(px(&f, 0, 2), [0, 0, 0, 255]);
    }
}
