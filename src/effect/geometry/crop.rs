//! `crop`: MoviePy's crop box, fixed or animated.

use crate::base::pixel::blit;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::{At, Diagnostic};
use crate::base::frame::{blank, Size};
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::effect::wrap::{env, PerFrame};
use crate::expr::{Env, Param, RawParam, Watched};

use super::*;

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
    /// The animated keys, to say once when one is not a number at render time.
    watched: Vec<Watched>,
}

impl CropAxis {
    /// Checks which keys go together and compiles them (each may be animated).
    fn compile(
        cx: &ResolveCx,
        names: [&'static str; 4],
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
        let mut watched = Vec::new();
        for (raw, name) in [lo, hi, len, centre].into_iter().zip(names) {
            if let Some(raw) = raw {
                let p = cx.param(raw)?;
                if p.as_constant().is_none() {
                    let place = cx.place(raw.span().start);
                    watched.push(Watched::new(p, name, place, "the clip is transparent"));
                }
            }
        }
        Ok(CropAxis {
            lo: param(lo)?,
            hi: param(hi)?,
            len: param(len)?,
            centre: param(centre)?,
            full,
            watched,
        })
    }

    fn params(&self) -> impl Iterator<Item = &Param> {
        [&self.lo, &self.hi, &self.len, &self.centre]
            .into_iter()
            .flatten()
    }

    /// Whether every animated key is a number at `env` (each one that is not says so,
    /// once).
    fn finite(&self, env: &Env) -> bool {
        // Every key is evaluated, so that each one that is not a number says so.
        self.watched
            .iter()
            .filter(|w| !w.eval(env).is_finite())
            .count()
            == 0
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
        return Ok(PerFrame::fixed("crop", input, size, move |frame| {
            let mut out = blank(size);
            blit(&mut out, frame, -(x1 as i64), -(y1 as i64));
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
    let canvas = checked_size(w, h).at(span)?;
    let source = input.clone();
    Ok(PerFrame::reading(
        "crop",
        input,
        canvas,
        move |frame, t, rcx| {
            let env = env(&*source, t, rcx);
            let clamp = |(a, b): (f64, f64), full: u32| (a.max(0.0), b.min(full as f64));
            let (x1, x2) = clamp(xa.range(&env), src.w);
            let (y1, y2) = clamp(ya.range(&env), src.h);
            let mut out = blank(canvas);
            // A key that is not a number, or an empty box, at this frame: nothing is drawn.
            let finite = xa.finite(&env) & ya.finite(&env);
            if !(finite && x2 > x1 && y2 > y1) {
                return out;
            }
            let size = Size::new((x2 - x1) as u32, (y2 - y1) as u32);
            let mut cut = blank(size);
            blit(&mut cut, frame, -(x1 as i64), -(y1 as i64));
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
