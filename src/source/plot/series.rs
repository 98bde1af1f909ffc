//! The series of a plot, compiled: where their points come from (a function of x, a
//! parametric curve, CSV columns revealed over time) and how they are drawn.

use std::sync::Arc;

use toml::Spanned;

use super::spec::{FillSpec, SeriesSpec, SizeSpec};
use crate::chart::scale::Scale;
use crate::chart::style::{self, pt, size, Cap, Dash, Marker};
use crate::color::Rgba;
use crate::expr::{Env, Expr, Param};
use crate::scene::diag::Diagnostic;
use crate::scene::resolve::ResolveCx;

/// The most points a function or parametric series may be sampled at.
pub const MAX_SAMPLES: u32 = 1_000_000;

/// Where a series' points come from.
enum Points {
    /// y = f(x, t) at fixed x samples.
    Function { y: Expr, xs: Vec<f64> },
    /// (x(u, t), y(u, t)) at fixed u samples.
    Parametric { x: Expr, y: Expr, us: Vec<f64> },
    /// Columns of a CSV file, all or a part of them shown.
    Data {
        xs: Arc<Vec<f64>>,
        ys: Arc<Vec<f64>>,
        reveal: Reveal,
    },
}

enum Reveal {
    All,
    /// Points where an expression of x, y, i and t is true (not 0, not NaN).
    Where(Expr),
    /// The first n(t) rows.
    Rows(Param),
}

enum Size {
    Px(f64),
    /// Points, from an expression of i, x, y and t.
    Expr(Expr),
}

enum FillTo {
    /// Down (or up) to y = 0, or the bottom of a log axis.
    Zero,
    /// To a constant y.
    Level(f64),
    /// To y = f(x, t).
    Curve(Expr),
}

/// A compiled series.
pub struct Series {
    points: Points,
    pub label: Option<String>,
    pub color: Rgba,
    /// Line width in pixels, dash and caps; `None`: no line.
    pub line: Option<(f64, Dash, Cap)>,
    pub marker: Option<Marker>,
    size: Size,
    fill: Option<FillTo>,
    pub fill_color: Rgba,
}

/// What a series shows at one instant, in data units.
#[derive(Debug, Default, Clone)]
pub struct Sample {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    /// Marker diameters in pixels (with markers only).
    pub sizes: Vec<f64>,
    /// The other edge of the fill (with a fill only); NaN for "the axis's bottom".
    pub y2: Vec<f64>,
}

/// Sample positions: evenly spaced, or evenly in log space on a log axis.
fn spaced(range: [f64; 2], n: u32, scale: Scale) -> Vec<f64> {
    let n = n.max(2) as usize;
    let (a, b) = match scale {
        Scale::Log => (range[0].log10(), range[1].log10()),
        Scale::Linear => (range[0], range[1]),
    };
    (0..n)
        .map(|k| {
            let v = a + (b - a) * k as f64 / (n - 1) as f64;
            match scale {
                Scale::Log => 10f64.powf(v),
                Scale::Linear => v,
            }
        })
        .collect()
}

fn range_of(raw: &Spanned<[f64; 2]>, what: &str, scale: Scale) -> Result<[f64; 2], Diagnostic> {
    let [a, b] = *raw.get_ref();
    if !a.is_finite() || !b.is_finite() || a == b {
        return Err(Diagnostic::at(
            format!("{what} must be two different finite numbers, not [{a}, {b}]"),
            raw.span(),
        ));
    }
    if scale == Scale::Log && (a <= 0.0 || b <= 0.0) {
        return Err(Diagnostic::at(
            format!("{what} must be positive on a log axis, not [{a}, {b}]"),
            raw.span(),
        ));
    }
    Ok([a, b])
}

fn samples_of(raw: Option<&Spanned<u32>>, default: u32) -> Result<u32, Diagnostic> {
    match raw {
        None => Ok(default),
        Some(s) if (2..=MAX_SAMPLES).contains(s.get_ref()) => Ok(*s.get_ref()),
        Some(s) => Err(Diagnostic::at(
            format!("samples must be 2 to {MAX_SAMPLES}, not {}", s.get_ref()),
            s.span(),
        )),
    }
}

fn fraction(raw: &Option<Spanned<f64>>, what: &str, default: f64) -> Result<f64, Diagnostic> {
    match raw {
        None => Ok(default),
        Some(v) if (0.0..=1.0).contains(v.get_ref()) => Ok(*v.get_ref()),
        Some(v) => Err(Diagnostic::at(
            format!("{what} must be between 0 and 1, not {}", v.get_ref()),
            v.span(),
        )),
    }
}

/// Plot-wide settings a series needs while it is compiled.
pub struct Context<'a> {
    pub index: usize,
    pub x: Option<&'a Spanned<[f64; 2]>>,
    pub samples: u32,
    pub xscale: Scale,
    pub series_span: std::ops::Range<usize>,
}

impl Series {
    pub fn compile(
        spec: &SeriesSpec,
        pc: &Context,
        cx: &mut ResolveCx,
    ) -> Result<Series, Diagnostic> {
        let scope = cx.scope.clone();
        let points = if let Some(file) = &spec.csv {
            let path = cx.input_path(file)?;
            let y = spec.y.as_ref().ok_or_else(|| {
                Diagnostic::at(
                    "a CSV series needs `y`, the name of a column",
                    pc.series_span.clone(),
                )
            })?;
            if let Some(u) = &spec.u {
                return Err(Diagnostic::at(
                    "`u` is for parametric series, not CSV ones",
                    u.span(),
                ));
            }
            let mut names = vec![y.get_ref().as_str()];
            if let Some(x) = &spec.x {
                names.push(x.get_ref().as_str());
            }
            let cols = crate::data::csv::read(&path, file.get_ref(), &names)
                .map_err(|m| Diagnostic::at(m, file.span()))?;
            let mut cols = cols.columns.into_iter();
            let ys = cols.next().unwrap_or_default();
            let xs = cols
                .next()
                .unwrap_or_else(|| (0..ys.len()).map(|i| i as f64).collect());
            let reveal = match (&spec.reveal, &spec.rows) {
                (Some(r), None) => Reveal::Where(Expr::compile(r, &scope, &["x", "y", "i"])?),
                (None, Some(n)) => Reveal::Rows(cx.param(n)?),
                (None, None) => Reveal::All,
                (Some(r), Some(_)) => {
                    return Err(Diagnostic::at(
                        "give `reveal` or `rows`, not both",
                        r.span(),
                    ))
                }
            };
            Points::Data {
                xs: Arc::new(xs),
                ys: Arc::new(ys),
                reveal,
            }
        } else {
            if let Some(r) = spec.reveal.as_ref() {
                return Err(Diagnostic::at("`reveal` is for CSV series", r.span()));
            }
            if let Some(r) = spec.rows.as_ref() {
                return Err(Diagnostic::at("`rows` is for CSV series", r.span()));
            }
            let y = spec.y.as_ref().ok_or_else(|| {
                Diagnostic::at(
                    "a series needs `y`: an expression of x (and t), a CSV column with `csv`, \
                     or with `x` an expression of u",
                    pc.series_span.clone(),
                )
            })?;
            match (&spec.x, &spec.u) {
                (Some(x), u) => {
                    let u = match u {
                        Some(u) => range_of(u, "u", Scale::Linear)?,
                        None => [0.0, 1.0],
                    };
                    let n = samples_of(spec.samples.as_ref(), pc.samples)?;
                    Points::Parametric {
                        x: Expr::compile(x, &scope, &["u"])?,
                        y: Expr::compile(y, &scope, &["u"])?,
                        us: spaced(u, n, Scale::Linear),
                    }
                }
                (None, Some(u)) => {
                    return Err(Diagnostic::at(
                        "a parametric series needs `x` too, an expression of u",
                        u.span(),
                    ))
                }
                (None, None) => {
                    let range = pc.x.ok_or_else(|| {
                        Diagnostic::at(
                            "a series y = f(x) needs the plot's `x = [min, max]` to sample x over",
                            y.span(),
                        )
                    })?;
                    let range = range_of(range, "x", pc.xscale)?;
                    let n = samples_of(spec.samples.as_ref(), pc.samples)?;
                    Points::Function {
                        y: Expr::compile(y, &scope, &["x"])?,
                        xs: spaced(range, n, pc.xscale),
                    }
                }
            }
        };

        let opacity = fraction(&spec.opacity, "opacity", 1.0)?;
        let base = spec.color.unwrap_or_else(|| style::cycle(pc.index));
        let color = with_alpha(base, opacity);
        let width = match &spec.width {
            None => size::LINE,
            Some(w) if w.get_ref().is_finite() && (0.0..=1000.0).contains(w.get_ref()) => {
                *w.get_ref()
            }
            Some(w) => {
                return Err(Diagnostic::at(
                    format!("width must be 0 to 1000 points, not {}", w.get_ref()),
                    w.span(),
                ))
            }
        };
        let show_line = spec.line.unwrap_or(true);
        let dash = spec.dash.clone().unwrap_or_default();
        let cap = spec.cap.unwrap_or(match dash {
            Dash::Solid => Cap::Square,
            Dash::Pattern(_) => Cap::Butt,
        });
        let size = match spec.size.as_ref().map(|s| (s, s.get_ref())) {
            None => Size::Px(pt(size::MARKER)),
            Some((_, SizeSpec::Points(p))) if p.is_finite() && *p >= 0.0 => Size::Px(pt(*p)),
            Some((s, SizeSpec::Points(p))) => {
                return Err(Diagnostic::at(
                    format!("size must be a positive number of points, not {p}"),
                    s.span(),
                ))
            }
            Some((s, SizeSpec::Expr(text))) => Size::Expr(Expr::compile(
                &Spanned::new(s.span(), text.clone()),
                &scope,
                &["i", "x", "y"],
            )?),
        };
        if let (Some(size), None) = (&spec.size, spec.marker) {
            return Err(Diagnostic::at(
                "`size` is the size of markers: give `marker` too (e.g. marker = \"o\")",
                size.span(),
            ));
        }
        let fill = match spec.fill.as_ref().map(|f| (f, f.get_ref())) {
            None => None,
            Some((_, FillSpec::Text(s))) if s == "under" => Some(FillTo::Zero),
            Some((_, FillSpec::Level(v))) if v.is_finite() => Some(FillTo::Level(*v)),
            Some((f, FillSpec::Level(v))) => {
                return Err(Diagnostic::at(
                    format!("fill level {v} is not finite"),
                    f.span(),
                ))
            }
            Some((f, FillSpec::Text(s))) => Some(FillTo::Curve(Expr::compile(
                &Spanned::new(f.span(), s.clone()),
                &scope,
                &["x"],
            )?)),
        };
        let fill_opacity = fraction(&spec.fill_opacity, "fill_opacity", 0.3)?;
        Ok(Series {
            points,
            label: spec.label.clone(),
            color,
            line: show_line.then_some((pt(width), dash, cap)),
            marker: spec.marker,
            size,
            fill,
            fill_color: with_alpha(base, fill_opacity * opacity),
        })
    }

    /// True if what the series shows can change over time.
    pub fn is_animated(&self) -> bool {
        let data = match &self.points {
            Points::Function { y, .. } => y.is_animated(),
            Points::Parametric { x, y, .. } => x.is_animated() || y.is_animated(),
            Points::Data { reveal, .. } => match reveal {
                Reveal::All => false,
                Reveal::Where(e) => e.is_animated(),
                Reveal::Rows(p) => p.as_constant().is_none(),
            },
        };
        let size = matches!(&self.size, Size::Expr(e) if e.is_animated()) && self.marker.is_some();
        let fill = matches!(&self.fill, Some(FillTo::Curve(e)) if e.is_animated());
        data || size || fill
    }

    /// The points shown at `env`.
    pub fn sample(&self, env: &Env) -> Sample {
        let mut s = Sample::default();
        match &self.points {
            Points::Function { y, xs } => {
                s.xs = xs.clone();
                s.ys = vec![0.0; xs.len()];
                y.eval_batch(env, &[xs], &mut s.ys);
            }
            Points::Parametric { x, y, us } => {
                s.xs = vec![0.0; us.len()];
                s.ys = vec![0.0; us.len()];
                x.eval_batch(env, &[us], &mut s.xs);
                y.eval_batch(env, &[us], &mut s.ys);
            }
            Points::Data { xs, ys, reveal } => match reveal {
                Reveal::All => {
                    s.xs = xs.to_vec();
                    s.ys = ys.to_vec();
                }
                Reveal::Rows(n) => {
                    let n = n.eval(env);
                    let n = if n.is_finite() && n > 0.0 {
                        (n.floor() as usize).min(xs.len())
                    } else {
                        0
                    };
                    s.xs = xs[..n].to_vec();
                    s.ys = ys[..n].to_vec();
                }
                Reveal::Where(pred) => {
                    let idx: Vec<f64> = (0..xs.len()).map(|i| i as f64).collect();
                    let mut keep = vec![0.0; xs.len()];
                    pred.eval_batch(env, &[xs, ys, &idx], &mut keep);
                    for (i, k) in keep.iter().enumerate() {
                        if *k != 0.0 && !k.is_nan() {
                            s.xs.push(xs[i]);
                            s.ys.push(ys[i]);
                        }
                    }
                }
            },
        }
        if self.marker.is_some() {
            s.sizes = match &self.size {
                Size::Px(d) => vec![*d; s.xs.len()],
                Size::Expr(e) => {
                    let idx: Vec<f64> = (0..s.xs.len()).map(|i| i as f64).collect();
                    let mut out = vec![0.0; s.xs.len()];
                    e.eval_batch(env, &[&idx, &s.xs, &s.ys], &mut out);
                    out.iter_mut().for_each(|v| *v = pt(*v));
                    out
                }
            };
        }
        match &self.fill {
            None => {}
            Some(FillTo::Zero) => s.y2 = vec![0.0; s.xs.len()],
            Some(FillTo::Level(v)) => s.y2 = vec![*v; s.xs.len()],
            Some(FillTo::Curve(e)) => {
                s.y2 = vec![0.0; s.xs.len()];
                e.eval_batch(env, &[&s.xs], &mut s.y2);
            }
        }
        s
    }

    /// How many points the series has (before a reveal): what a frame may hold.
    pub fn points(&self) -> usize {
        match &self.points {
            Points::Function { xs, .. } => xs.len(),
            Points::Parametric { us, .. } => us.len(),
            Points::Data { xs, .. } => xs.len(),
        }
    }

    pub fn has_fill(&self) -> bool {
        self.fill.is_some()
    }
}

fn with_alpha(c: Rgba, opacity: f64) -> Rgba {
    let [r, g, b, a] = c.0;
    Rgba([r, g, b, (a as f64 * opacity).round() as u8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing() {
        assert_eq!(
            spaced([-2.0, 2.0], 5, Scale::Linear),
            vec![-2.0, -1.0, 0.0, 1.0, 2.0]
        );
        let l = spaced([1.0, 100.0], 3, Scale::Log);
        assert!((l[1] - 10.0).abs() < 1e-12);
    }
}
