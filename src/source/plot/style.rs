//! How a series is drawn: its colour and opacity, line width, dashes, markers and their
//! sizes, the fill's opacity. Numeric settings may change over time; [`Style::look`]
//! gives their values at one instant.

use toml::Spanned;

use super::spec::{SeriesColor, SeriesSpec};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::chart::legend::Swatch;
use crate::chart::paint::LineLook;
use crate::chart::style::{self, size, Cap, Dash, Dpi, Marker};
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Expr, Param, RawParam};

/// The widest line, in points.
const MAX_WIDTH: f64 = 1000.0;

/// A marker diameter in points.
enum MarkerSize {
    /// The same for every point (a number, an expression of `t`, keyframes).
    Each(Param),
    /// Per point, from an expression of `i`, `x`, `y` and `t` (and `s`, the
    /// `size_by` column's value).
    Points(Expr),
    /// Per point, the `size_by` column's value.
    Column,
}

/// The points a series shows, as its per-point `size` and `opacity` read them: `i`
/// (a CSV series' row numbers, as `reveal` reads them; empty for the point's place),
/// `x`, `y` and the `size_by` values `by` (empty without it).
pub struct Points<'a> {
    pub i: &'a [f64],
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    pub by: &'a [f64],
}

impl Points<'_> {
    fn eval(&self, e: &Expr, env: &Env) -> Vec<f64> {
        let n = self.xs.len();
        let place: Vec<f64>;
        let i = match self.i.len() == n {
            true => self.i,
            false => {
                place = (0..n).map(|i| i as f64).collect();
                &place
            }
        };
        let mut out = vec![0.0; n];
        if self.by.len() == n {
            e.eval_batch(env, &[i, self.xs, self.ys, self.by], &mut out);
        } else {
            e.eval_batch(env, &[i, self.xs, self.ys], &mut out);
        }
        out
    }
}

/// A compiled series style.
pub struct Style {
    base: Rgba,
    /// The series' opacity (1 when it is given per point).
    opacity: Param,
    /// Each marker's opacity, from an expression of `i`, `x`, `y` and `t` (and `s`):
    /// matplotlib's `scatter(…, alpha=array)`.
    point_opacity: Option<Expr>,
    /// Points; `None`: no line.
    width: Option<Param>,
    dash: Dash,
    cap: Cap,
    pub marker: Option<Marker>,
    size: MarkerSize,
    fill_opacity: Param,
    /// The plot's: what a point is in pixels.
    pub dpi: Dpi,
}

/// A style's values at one instant, in pixels.
pub struct Look {
    /// Of the line and markers, opacity applied.
    pub color: Rgba,
    /// `None`: no line in this frame.
    pub line: Option<LineLook>,
    /// Of the fill, both opacities applied.
    pub fill: Rgba,
    /// The series' opacity at this instant, for colours of its own points.
    pub opacity: f64,
}

/// Compiles a parameter that must lie in `lo..=hi` when it is constant.
fn bounded(
    raw: Option<&Spanned<RawParam>>,
    what: &str,
    (lo, hi): (f64, f64),
    unit: &str,
    default: f64,
    cx: &ResolveCx,
) -> Result<Param, Diagnostic> {
    let Some(raw) = raw else {
        return Ok(Param::constant(default));
    };
    let p = cx.param(raw)?;
    match p.as_constant() {
        Some(v) if !(lo..=hi).contains(&v) => Err(Diagnostic::at(
            format!(
                "{what} must be {} to {}{unit}, not {}",
                shown(lo),
                shown(hi),
                shown(v)
            ),
            raw.span(),
        )),
        _ => Ok(p),
    }
}

/// A parameter's value at `env` kept inside `lo..=hi`; NaN becomes `lo` (nothing shown).
fn clamped(p: &Param, env: &Env, (lo, hi): (f64, f64)) -> f64 {
    let v = p.eval(env);
    if v.is_nan() {
        lo
    } else {
        v.clamp(lo, hi)
    }
}

impl Style {
    /// The style of the `index`-th series.
    pub fn compile(spec: &SeriesSpec, index: usize, cx: &ResolveCx) -> Result<Style, Diagnostic> {
        let vars: &[&str] = if spec.size_by.is_some() {
            &["i", "x", "y", "s"]
        } else {
            &["i", "x", "y"]
        };
        // not a value of time but one that reads the points: an opacity of each point
        let per_point = spec.opacity.as_ref().and_then(|raw| match raw.get_ref() {
            RawParam::Expr(text) if cx.param(raw).is_err() => {
                let text = Spanned::new(raw.span(), text.clone());
                Expr::compile(&text, &cx.scope, vars)
                    .ok()
                    .map(|e| (e, raw.span()))
            }
            _ => None,
        });
        let (opacity, point_opacity) = match per_point {
            Some((e, at)) => {
                point_opacity_fits(spec, at)?;
                (Param::constant(1.0), Some(e))
            }
            None => (
                bounded(spec.opacity.as_ref(), "opacity", (0.0, 1.0), "", 1.0, cx)?,
                None,
            ),
        };
        let fill_opacity = bounded(
            spec.fill_opacity.as_ref(),
            "fill_opacity",
            (0.0, 1.0),
            "",
            0.3,
            cx,
        )?;
        let width = bounded(
            spec.width.as_ref(),
            "width",
            (0.0, MAX_WIDTH),
            " points",
            size::LINE,
            cx,
        )?;
        let dash = spec.dash.clone().unwrap_or_default();
        let cap = spec.cap.unwrap_or(match dash {
            Dash::Solid => Cap::Square,
            Dash::Pattern(_) => Cap::Butt,
        });
        // A series coloured or sized by a column is a scatter, as matplotlib's `scatter`.
        let scatter = spec.color_by.is_some() || spec.size_by.is_some();
        let marker = spec.marker.or(scatter.then_some(Marker::Circle));
        if let (Some(size), None) = (&spec.size, marker) {
            return Err(Diagnostic::at(
                "`size` is the size of markers: give `marker` too (e.g. marker = \"o\")",
                size.span(),
            ));
        }
        let size = match &spec.size {
            None if spec.size_by.is_some() => MarkerSize::Column,
            None => MarkerSize::Each(Param::constant(size::MARKER)),
            Some(raw) => match raw.get_ref() {
                RawParam::Expr(text) => MarkerSize::Points(Expr::compile(
                    &Spanned::new(raw.span(), text.clone()),
                    &cx.scope,
                    vars,
                )?),
                _ if spec.size_by.is_some() => {
                    return Err(Diagnostic::at(
                        "with `size_by`, `size` is an expression of `s`, the column's value",
                        raw.span(),
                    )
                    .with_hint("e.g. size = \"sqrt(s)\" (matplotlib's `s` is an area)"))
                }
                _ => {
                    let p = cx.param(raw)?;
                    if let Some(v) = p.as_constant().filter(|v| *v < 0.0) {
                        return Err(Diagnostic::at(
                            format!("size must be a positive number of points, not {}", shown(v)),
                            raw.span(),
                        ));
                    }
                    MarkerSize::Each(p)
                }
            },
        };
        let base = match spec.color.as_ref().map(|c| (c.get_ref(), c.span())) {
            None => style::cycle(index),
            Some((SeriesColor::Is(c), _)) => *c,
            Some((SeriesColor::NotAColour { why }, span)) => {
                let d = Diagnostic::at(why.clone(), span);
                return Err(match spec.csv {
                    Some(_) => d.with_hint(
                        "to colour each point by a column of the CSV file, name it with \
                         `color_by`",
                    ),
                    None => d,
                });
            }
        };
        Ok(Style {
            base,
            opacity,
            point_opacity,
            width: spec.line.unwrap_or(!scatter).then_some(width),
            dash,
            cap,
            marker,
            size,
            fill_opacity,
            dpi: Dpi::default(),
        })
    }

    /// True if the look changes over time (marker sizes aside).
    pub fn is_animated(&self) -> bool {
        let moving = |p: &Param| p.as_constant().is_none();
        moving(&self.opacity)
            || moving(&self.fill_opacity)
            || self.width.as_ref().is_some_and(moving)
    }

    /// True if marker sizes (or opacities of each marker) change over time.
    pub fn sizes_animated(&self) -> bool {
        self.marker.is_some()
            && (match &self.size {
                MarkerSize::Each(p) => p.as_constant().is_none(),
                MarkerSize::Points(e) => e.is_animated(),
                MarkerSize::Column => false,
            } || self.point_opacity.as_ref().is_some_and(Expr::is_animated))
    }

    pub fn look(&self, env: &Env) -> Look {
        let opacity = clamped(&self.opacity, env, (0.0, 1.0));
        let color = with_alpha(self.base, opacity);
        let line = self.width.as_ref().and_then(|w| {
            let width = clamped(w, env, (0.0, MAX_WIDTH));
            (width > 0.0).then(|| LineLook {
                color,
                width: self.dpi.pt(width),
                dash: self.dash.clone(),
                cap: self.cap,
            })
        });
        let fill = with_alpha(
            self.base,
            opacity * clamped(&self.fill_opacity, env, (0.0, 1.0)),
        );
        Look {
            color,
            line,
            fill,
            opacity,
        }
    }

    /// Marker diameters in pixels of `points`; NaN or ≤ 0 hides one.
    pub fn sizes(&self, env: &Env, points: &Points) -> Vec<f64> {
        match &self.size {
            MarkerSize::Each(p) => vec![self.dpi.pt(p.eval(env)); points.xs.len()],
            MarkerSize::Column => points.by.iter().map(|v| self.dpi.pt(*v)).collect(),
            MarkerSize::Points(e) => {
                let mut out = points.eval(e, env);
                out.iter_mut().for_each(|v| *v = self.dpi.pt(*v));
                out
            }
        }
    }

    /// The opacity of each of `points`, 0 to 1 (NaN hides one); empty when the series
    /// has one.
    pub fn opacities(&self, env: &Env, points: &Points) -> Vec<f64> {
        let Some(e) = &self.point_opacity else {
            return Vec::new();
        };
        let mut out = points.eval(e, env);
        for v in &mut out {
            *v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        }
        out
    }

    /// What the legend shows of the series at `env`.
    pub fn swatch(&self, env: &Env) -> Swatch {
        let look = self.look(env);
        match (&self.width, self.marker) {
            // a line hidden in this frame keeps its row in the legend, empty
            (Some(_), _) => Swatch::Line(look.line.unwrap_or(LineLook {
                color: look.color,
                width: 0.0,
                dash: self.dash.clone(),
                cap: self.cap,
            })),
            (None, Some(shape)) => Swatch::Markers {
                shape,
                size: self.dpi.pt(size::MARKER),
                color: look.color,
            },
            (None, None) => Swatch::Fill(look.fill),
        }
    }

    /// What the legend shows of a class `color` of a series coloured by classes.
    pub fn class_swatch(&self, env: &Env, color: Rgba) -> Swatch {
        Swatch::Markers {
            shape: self.marker.unwrap_or(Marker::Circle),
            size: self.dpi.pt(size::MARKER),
            color: with_alpha(color, clamped(&self.opacity, env, (0.0, 1.0))),
        }
    }
}

/// An opacity of each point is for markers alone, as matplotlib's `alpha` array is
/// for `scatter`: a line or a fill has one opacity.
fn point_opacity_fits(spec: &SeriesSpec, at: std::ops::Range<usize>) -> Result<(), Diagnostic> {
    let scatter = spec.color_by.is_some() || spec.size_by.is_some();
    let marker = spec.marker.is_some() || scatter;
    let line = spec.line.unwrap_or(!scatter);
    let why = match (marker, line, spec.fill.is_some()) {
        (false, _, _) => "give `marker` too, and `line = false`",
        (true, true, _) => "with `line = false`: a line has one opacity",
        (true, false, true) => "without `fill`: a fill has one opacity",
        _ => return Ok(()),
    };
    Err(Diagnostic::at(
        format!(
            "an opacity of each point (an expression of `i`, `x` or `y`) is for markers: {why}"
        ),
        at,
    )
    .with_hint(
        "for a line that fades, draw its stretches as series of their own, each with its `opacity`",
    ))
}

/// `c` with its alpha times `opacity`.
pub fn with_alpha(c: Rgba, opacity: f64) -> Rgba {
    let [r, g, b, a] = c.0;
    Rgba([r, g, b, (a as f64 * opacity).round() as u8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use crate::chart::style::pt;
    use toml::de::DeValue;

    fn style(series: &str) -> Result<Style, Diagnostic> {
        let spec: SeriesSpec = typed(DeValue::parse(series).unwrap())?;
        let cx = ResolveCx::new(
            std::path::Path::new("."),
            crate::expr::Scope::default(),
            crate::scene::resolve::build_clip,
        );
        Style::compile(&spec, 0, &cx)
    }

    fn at(t: f64) -> Env {
        Env::new(t, Some(1.0), 10.0)
    }

    #[test]
    fn width_and_opacity_follow_time() {
        let s = style(r#"{ y = "x", width = { keys = [[0, 1], [1, 4]] }, opacity = "1 - t" }"#)
            .unwrap();
        assert!(s.is_animated());
        let start = s.look(&at(0.0));
        let line = start.line.unwrap();
        assert!((line.width - pt(1.0)).abs() < 1e-9);
        assert_eq!(start.color.0[3], 255);
        let end = s.look(&at(1.0));
        assert!((end.line.unwrap().width - pt(4.0)).abs() < 1e-9);
        assert_eq!(end.color.0[3], 0);
        assert!(!style(r#"{ y = "x", width = 2 }"#).unwrap().is_animated());
    }

    #[test]
    fn an_opacity_of_the_points_gives_each_marker_its_own() {
        let s = style(r#"{ y = "x", marker = "o", line = false, opacity = "i / 2 + t" }"#).unwrap();
        let xs = [0.0, 1.0, 2.0, 3.0];
        let p = |i| Points {
            i,
            xs: &xs,
            ys: &xs,
            by: &[],
        };
        assert_eq!(s.opacities(&at(0.0), &p(&[])), [0.0, 0.5, 1.0, 1.0]);
        // `i` is the row number where the points are rows of a file, not their place
        let rows = [1.0, 0.0, 4.0, 0.0];
        assert_eq!(s.opacities(&at(0.0), &p(&rows)), [0.5, 0.0, 1.0, 0.0]);
        assert_eq!(s.look(&at(0.0)).opacity, 1.0);
        assert!(s.sizes_animated());
        // one opacity: none per point
        let one = style(r#"{ y = "x", marker = "o", opacity = "1 - t" }"#).unwrap();
        assert!(one.opacities(&at(0.0), &p(&[])).is_empty());
        let e = style(r#"{ y = "x", opacity = "x" }"#).err().unwrap();
        assert!(e.message.contains("is for markers"), "{}", e.message);
    }

    #[test]
    fn out_of_range_values() {
        // constants are checked where they are written …
        let e = style(r#"{ y = "x", opacity = "1.5" }"#).err().unwrap();
        assert_eq!(e.message, "opacity must be 0 to 1, not 1.5");
        let e = style(r#"{ y = "x", width = -1 }"#).err().unwrap();
        assert_eq!(e.message, "width must be 0 to 1000 points, not -1");
        // … animated ones are kept in range, NaN hides
        let s = style(r#"{ y = "x", width = "(t - 0.5) / 0", opacity = "2*t" }"#).unwrap();
        assert!(s.look(&at(0.5)).line.is_none());
        assert_eq!(s.look(&at(1.0)).color.0[3], 255);
    }

    #[test]
    fn marker_sizes_from_keyframes_or_per_point() {
        let xs = [0.0, 1.0];
        let two = Points {
            i: &[],
            xs: &xs,
            ys: &xs,
            by: &[],
        };
        let s = style(r#"{ y = "x", marker = "o", size = { keys = [[0, 0], [1, 12]] } }"#).unwrap();
        assert!(s.sizes_animated());
        assert_eq!(s.sizes(&at(0.5), &two), vec![pt(6.0); 2]);
        let s = style(r#"{ y = "x", marker = "o", size = "i + 1" }"#).unwrap();
        assert_eq!(s.sizes(&at(0.0), &two), vec![pt(1.0), pt(2.0)]);
    }
}
