//! The series of a plot, compiled: where their points come from (a function of x, a
//! parametric curve, CSV columns revealed over time), the other edge of their fill,
//! and how they are drawn ([`Style`]).

use std::borrow::Cow;
use std::sync::Arc;

use toml::Spanned;

use super::by_column::{choose_classes, ByColumn, ClassKeys, Coloring};
use super::dates_written::{in_expression, Axis};
use super::spec::SeriesSpec;
use super::style::{Points as Points3, Style};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::base::pair::Pair;
use crate::chart::scale::Scale;
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Expr, Found, Interval, Param, RawParam, Series as Measured};

/// The most points a function or parametric series may be sampled at.
pub const MAX_SAMPLES: u32 = 1_000_000;

/// Where a function or parametric series is sampled: `n` positions over a range,
/// computed once, or every frame when the range moves.
enum Along {
    Fixed(Vec<f64>),
    Moving {
        range: Interval,
        n: u32,
        scale: Scale,
    },
}

impl Along {
    fn new(range: &Interval, n: u32, scale: Scale) -> Along {
        match range.as_constant() {
            Some((a, b)) => Along::Fixed(spaced([a, b], n, scale)),
            None => Along::Moving {
                range: range.clone(),
                n,
                scale,
            },
        }
    }

    fn at(&self, env: &Env) -> Cow<'_, [f64]> {
        match self {
            Along::Fixed(v) => Cow::Borrowed(v),
            Along::Moving { range, n, scale } => {
                let (a, b) = range.at(env);
                Cow::Owned(spaced([a, b], *n, *scale))
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            Along::Fixed(v) => v.len(),
            Along::Moving { n, .. } => *n as usize,
        }
    }

    fn is_animated(&self) -> bool {
        matches!(self, Along::Moving { .. })
    }
}

/// Where a series' points come from.
enum Points {
    /// y = f(x, t) at x samples.
    Function { y: Expr, xs: Along },
    /// (x(u, t), y(u, t)) at u samples.
    Parametric { x: Expr, y: Expr, us: Along },
    /// A measurement against time (or against a second measurement), up to the current
    /// frame; `named` says where the
    /// series is when none of its values can be drawn (warned of once).
    Measured {
        values: Arc<dyn Measured>,
        /// A second measurement drawn across instead of time (`x`).
        across: Option<Arc<dyn Measured>>,
        named: String,
        warned: std::sync::atomic::AtomicBool,
    },
    /// The spectrum of a sound at the instant drawn, at these frequencies.
    Spectrum {
        spectrum: Arc<crate::audio::analysis::Spectrum>,
        freqs: Arc<Vec<f64>>,
        warned: std::sync::atomic::AtomicBool,
    },
    /// Columns of a CSV file (or a sound's blocks), all or a part of them shown.
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
    /// The rows up to an x moving from the smallest x to the largest over the clip,
    /// and a point between that row and the next at that x; the rows in the order of
    /// x (`Some`) when the file is not sorted by it.
    Sweep(Option<Arc<Vec<usize>>>),
}

enum FillTo {
    /// Down (or up) to y = 0, or the bottom of a log axis.
    Zero,
    /// To a level: a number, an expression of t, keyframes.
    Level(Param),
    /// To y = f(x, t).
    Curve(Expr),
    /// To a column of the series' CSV file, row by row (matplotlib's
    /// `fill_between(x, lo, hi)` from a table).
    Column(Arc<Vec<f64>>),
}

/// A compiled series.
pub struct Series {
    points: Points,
    /// True when x comes from a CSV column of dates.
    pub x_dates: bool,
    /// Colours and marker sizes of a CSV series' points from its other columns.
    pub by: ByColumn,
    /// May hold live values (`{t:.1f}`).
    pub label: Option<crate::text::template::Template>,
    /// Drawn beside the last point shown, reading its `x` and `y` (in that order).
    pub head_label: Option<crate::text::template::Template>,
    pub style: Style,
    fill: Option<FillTo>,
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
    /// Each point's colour (with `color_by` only; else the series' colour).
    pub colors: Vec<Rgba>,
    /// Each point's opacity (with an opacity of each point only).
    pub opacities: Vec<f64>,
}

/// The rows of a sweep at `env`: those up to the x reached, and the point where the
/// line from the last of them to the next row crosses that x (on the fill's column
/// too, when the fill is one: `y2`). `order` lists the rows by x when the file does
/// not.
fn sweep(
    xs: &[f64],
    ys: &[f64],
    y2: Option<&[f64]>,
    order: Option<&[usize]>,
    env: &Env,
    s: &mut Sample,
    rows: &mut Vec<usize>,
) {
    let n = order.map_or(xs.len(), <[usize]>::len);
    let row = |k: usize| order.map_or(k, |o| o[k]);
    if n == 0 {
        return;
    }
    let (first, last) = (xs[row(0)], xs[row(n - 1)]);
    let frames = crate::base::time::frame_count(env.duration, env.fps);
    let f = if frames > 1 {
        (env.t * env.fps / (frames - 1) as f64).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let reach = first + (last - first) * f;
    for k in 0..n {
        let i = row(k);
        if xs[i] <= reach {
            s.xs.push(xs[i]);
            s.ys.push(ys[i]);
            s.y2.extend(y2.map(|c| c[i]));
            rows.push(i);
            continue;
        }
        if k > 0 && xs[row(k - 1)] < reach {
            let h = row(k - 1);
            let f = (reach - xs[h]) / (xs[i] - xs[h]);
            rows.push(h);
            s.xs.push(reach);
            s.ys.push(ys[h] + (ys[i] - ys[h]) * f);
            s.y2.extend(y2.map(|c| c[h] + (c[i] - c[h]) * f));
        }
        break;
    }
}

/// Where x first goes back in a column swept by x: the row (from 0) whose x is below
/// the largest before it. `None` when the column is sorted (missing values aside).
fn goes_back(xs: &[f64]) -> Option<usize> {
    let mut top = f64::NEG_INFINITY;
    for (i, &x) in xs.iter().enumerate() {
        if x < top {
            return Some(i);
        }
        top = top.max(x);
    }
    None
}

/// The rows in the order of their x (ties in file order), rows without an x left out:
/// a sweep reveals by x, and a line through a shuffled table would show only the
/// file's first rows.
fn by_x(xs: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..xs.len()).filter(|&i| !xs[i].is_nan()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    order
}

/// Sample positions: evenly spaced, or evenly in log space on a log axis (NaN where
/// a log axis cannot reach).
fn spaced(range: [f64; 2], n: u32, scale: Scale) -> Vec<f64> {
    let n = n.max(2) as usize;
    let (a, b) = match scale {
        Scale::Log => (scale.forward(range[0]), scale.forward(range[1])),
        Scale::Linear => (range[0], range[1]),
    };
    (0..n)
        .map(|k| {
            let f = k as f64 / (n - 1) as f64;
            let v = if (b - a).is_finite() {
                a + (b - a) * k as f64 / (n - 1) as f64
            } else {
                // x from -1e308 to 1e308: on halves, which do not overflow
                (a * 0.5 + (b * 0.5 - a * 0.5) * f) * 2.0
            };
            match scale {
                Scale::Log => 10f64.powf(v),
                Scale::Linear => v,
            }
        })
        .collect()
}

/// A sampling range or axis limits: two different numbers, expressions of `t` or
/// keyframes; on a log axis, constant ends must be positive.
pub fn range_of(
    raw: &Spanned<Pair<RawParam>>,
    what: &str,
    scale: Scale,
    cx: &ResolveCx,
) -> Result<Interval, Diagnostic> {
    let iv = Interval::compile(raw, &cx.scope, what)?;
    if scale == Scale::Log {
        let pair = raw.get_ref();
        for (p, end) in [(&iv.a, pair.first()), (&iv.b, pair.second())] {
            if let Some(v) = p.as_constant().filter(|v| *v <= 0.0) {
                return Err(Diagnostic::at(
                    format!("{what} must be positive on a log axis, not {}", shown(v)),
                    end.span(),
                ));
            }
        }
    }
    Ok(iv)
}

/// A series' `samples`, or the plot's.
fn samples_of(
    raw: Option<&Spanned<RawParam>>,
    default: u32,
    cx: &ResolveCx,
) -> Result<u32, Diagnostic> {
    match raw {
        None => Ok(default),
        Some(s) => Ok(cx.count(s, "samples", 2, i64::from(MAX_SAMPLES))? as u32),
    }
}

/// Plot-wide settings a series needs while it is compiled.
pub struct Context<'a> {
    /// The series' colour of the cycle, if it takes one.
    pub cycle: usize,
    /// The plot's `x`, compiled.
    pub x: Option<&'a Interval>,
    pub samples: u32,
    pub xscale: Scale,
    pub series_span: std::ops::Range<usize>,
    pub duration: Option<f64>,
    /// Points the series before this one left of the plot's limit: a CSV file is
    /// read no further than this many rows.
    pub points_left: usize,
}

impl Series {
    pub fn compile(
        spec: &SeriesSpec,
        pc: &Context,
        cx: &mut ResolveCx,
    ) -> Result<Series, Diagnostic> {
        let scope = cx.scope.clone();
        let mut x_dates = false;
        // A CSV series' `fill` that names a column: its values, row by row.
        let mut fill_values: Option<Vec<f64>> = None;
        let mut by = ByColumn::default();
        if spec.csv.is_none() {
            if let Some((key, span)) = by_keys(spec).next() {
                return Err(Diagnostic::at(
                    format!("`{key}` names a column of the series' CSV file: give `csv` too"),
                    span,
                ));
            }
        }
        if spec.sound.is_none() {
            if let Some((key, span)) = sound_keys(spec).next() {
                return Err(Diagnostic::at(
                    format!("`{key}` is for a series drawn from a sound file: give `sound` too"),
                    span,
                ));
            }
        }
        let points = if let Some(file) = &spec.sound {
            match super::sound::compile(spec, file, pc.duration, pc.points_left, cx)? {
                super::sound::SoundPoints::Spectrum(spectrum) => Points::Spectrum {
                    freqs: Arc::new(spectrum.frequencies()),
                    spectrum,
                    warned: std::sync::atomic::AtomicBool::new(false),
                },
                super::sound::SoundPoints::Blocks { xs, ys } => {
                    let reveal = reveal_of(spec, (file, &[]), &xs, false, pc, cx)?;
                    Points::Data {
                        xs: Arc::new(xs),
                        ys: Arc::new(ys),
                        reveal,
                    }
                }
            }
        } else if let Some(name) = &spec.measure {
            let (line, column) = cx.line_col(name.span().start);
            let (values, across) = measured(spec, name, &scope)?;
            Points::Measured {
                values,
                across,
                named: format!("`{}` (line {line}, column {column})", name.get_ref()),
                warned: std::sync::atomic::AtomicBool::new(false),
            }
        } else if let Some(file) = &spec.csv {
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
            // The file's own faults: every series reading it meets them, reported once.
            let headers = crate::data::csv::header(&path, file.get_ref())
                .map_err(|e| cx.in_file(Diagnostic::at(e, file.span())))?;
            let fill = fill_column(spec, &headers, &scope);
            let csv = CsvFile {
                file,
                path: &path,
                headers: &headers,
            };
            let read = read_columns(spec, y, fill.as_ref(), &csv, pc.points_left, &scope)
                .map_err(|d| cx.in_file(d))?;
            for w in read.warnings {
                cx.warn(w);
            }
            x_dates = read.x_dates;
            by = read.by;
            fill_values = read.fill;
            let (xs, ys) = (read.xs, read.ys);
            if !xs.is_empty()
                && !xs
                    .iter()
                    .zip(&ys)
                    .any(|(x, y)| x.is_finite() && y.is_finite())
            {
                cx.warn(Diagnostic::at(
                    format!(
                        "no row of `{}` has a finite number in both of this series' columns: \
                         it draws nothing",
                        file.get_ref()
                    ),
                    y.span(),
                ));
            }
            let reveal = reveal_of(spec, (file, &headers), &xs, x_dates, pc, cx)?;
            Points::Data {
                xs: Arc::new(xs),
                ys: Arc::new(ys),
                reveal,
            }
        } else {
            // A function draws over its range: growing the range is its reveal.
            let grow = "for a function, animate the range it is drawn over: \
                        `x = [0, \"pi*t\"]` on the plot (or `u` for a parametric curve)";
            if let Some(r) = spec.reveal.as_ref() {
                return Err(Diagnostic::at("`reveal` is for CSV series", r.span()).with_hint(grow));
            }
            if let Some(r) = spec.rows.as_ref() {
                return Err(Diagnostic::at("`rows` is for CSV series", r.span()).with_hint(grow));
            }
            if let Some(r) = spec.sweep.as_ref() {
                return Err(Diagnostic::at("`sweep` is for CSV series", r.span()).with_hint(grow));
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
                        Some(u) => range_of(u, "u", Scale::Linear, cx)?,
                        None => Interval::constant(0.0, 1.0),
                    };
                    let n = samples_of(spec.samples.as_ref(), pc.samples, cx)?;
                    Points::Parametric {
                        x: Expr::compile(x, &scope, &["u"])?,
                        y: Expr::compile(y, &scope, &["u"])?,
                        us: Along::new(&u, n, Scale::Linear),
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
                    let n = samples_of(spec.samples.as_ref(), pc.samples, cx)?;
                    Points::Function {
                        y: Expr::compile(y, &scope, &["x"])?,
                        xs: Along::new(range, n, pc.xscale),
                    }
                }
            }
        };
        let fill = match (&spec.fill, fill_values) {
            (None, _) => None,
            (Some(_), Some(column)) => Some(FillTo::Column(Arc::new(column))),
            (Some(raw), None) => Some(match raw.get_ref() {
                RawParam::Expr(s) if s.trim() == "under" => FillTo::Zero,
                RawParam::Expr(s) => FillTo::Curve(
                    Expr::compile(&Spanned::new(raw.span(), s.clone()), &scope, &["x"]).map_err(
                        |mut d| {
                            if is_word(s) {
                                let under = "to fill down to y = 0 write `fill = \"under\"`";
                                d.hint = Some(match d.hint.take() {
                                    Some(h) => format!("{under}; {h}"),
                                    None => under.to_string(),
                                });
                            }
                            if let Some(file) = &spec.csv {
                                let also = format!(
                                    "on a CSV series, `fill` is the name of one of {}'s \
                                     columns or an expression of x and t",
                                    file.get_ref()
                                );
                                d.hint = Some(match d.hint.take() {
                                    Some(h) => format!("{h}; {also}"),
                                    None => also,
                                });
                            }
                            d
                        },
                    )?,
                ),
                _ => FillTo::Level(cx.param(raw)?),
            }),
        };
        if let (Some(label), Some(_)) = (
            &spec.label,
            by.colors.as_ref().and_then(|(_, c)| c.classes()),
        ) {
            return Err(Diagnostic::at(
                "a series coloured by classes is listed in the legend by its classes' names, \
                 not by a `label`",
                label.span(),
            )
            .with_hint("remove `label`: `legend = true` shows one row per class"));
        }
        Ok(Series {
            points,
            x_dates,
            by,
            label: spec
                .label
                .as_ref()
                .map(|l| crate::source::chart_text::compile(l, cx))
                .transpose()?,
            head_label: spec
                .head_label
                .as_ref()
                .map(|l| crate::source::chart_text::compile_with(l, cx, &["x", "y"]))
                .transpose()?,
            style: Style::compile(spec, pc.cycle, cx)?,
            fill,
        })
    }

    /// True if what the series shows can change over time.
    pub fn is_animated(&self) -> bool {
        let data = match &self.points {
            Points::Function { y, xs } => y.is_animated() || xs.is_animated(),
            Points::Parametric { x, y, us } => {
                x.is_animated() || y.is_animated() || us.is_animated()
            }
            Points::Measured { .. } | Points::Spectrum { .. } => true,
            Points::Data { reveal, .. } => match reveal {
                Reveal::All => false,
                Reveal::Sweep(_) => true,
                Reveal::Where(e) => e.is_animated(),
                Reveal::Rows(p) => p.as_constant().is_none(),
            },
        };
        let fill = match &self.fill {
            Some(FillTo::Curve(e)) => e.is_animated(),
            Some(FillTo::Level(p)) => p.as_constant().is_none(),
            _ => false,
        };
        data || self.style.sizes_animated() || fill
    }

    /// The points shown at `env`.
    pub fn sample(&self, env: &Env) -> Sample {
        let mut s = Sample::default();
        let mut by_size = Vec::new();
        // The row number of each point shown (a CSV series' `i`, as `reveal` reads it);
        // empty when it is the point's place in `s`.
        let mut numbers: Vec<f64> = Vec::new();
        match &self.points {
            Points::Function { y, xs } => {
                s.xs = xs.at(env).into_owned();
                s.ys = vec![0.0; s.xs.len()];
                y.eval_batch(env, &[&s.xs], &mut s.ys);
            }
            Points::Parametric { x, y, us } => {
                let us = us.at(env);
                let us: &[f64] = &us;
                s.xs = vec![0.0; us.len()];
                s.ys = vec![0.0; us.len()];
                x.eval_batch(env, &[us], &mut s.xs);
                y.eval_batch(env, &[us], &mut s.ys);
            }
            Points::Measured {
                values: m,
                across,
                named,
                warned,
            } => {
                let values = m.values(env.fps);
                let across = across.as_ref().map(|a| a.values(env.fps));
                // No values at all is a measurement that failed, told where it failed.
                let none = |v: &[f64]| !v.is_empty() && !v.iter().any(|x| x.is_finite());
                if (none(&values) || across.as_deref().is_some_and(none))
                    && !warned.swap(true, std::sync::atomic::Ordering::Relaxed)
                {
                    crate::base::report::warn(format_args!(
                        "the measurement series {named} draws nothing: every value of a \
                         measurement it draws is infinite or NaN"
                    ));
                }
                let last = env.frame().max(0.0) as usize;
                let mut shown = values.len().min(last.saturating_add(1));
                match across {
                    Some(xs) => {
                        shown = shown.min(xs.len());
                        s.xs = xs[..shown].to_vec();
                    }
                    None => s.xs = (0..shown).map(|i| i as f64 / env.fps).collect(),
                }
                s.ys = values[..shown].to_vec();
            }
            Points::Spectrum {
                spectrum,
                freqs,
                warned,
            } => {
                s.xs = freqs.to_vec();
                s.ys = spectrum.at(env.t).unwrap_or_else(|e| {
                    // Only a read of the decoded sound's temporary file can fail here;
                    // told once, not at every frame.
                    if !warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
                        crate::base::report::warn(format_args!("{e}"));
                    }
                    vec![f64::NAN; freqs.len()]
                });
            }
            Points::Data { xs, ys, reveal } => {
                let column = match &self.fill {
                    Some(FillTo::Column(c)) => Some(c.as_slice()),
                    _ => None,
                };
                // The rows shown, for the columns that colour and size the points.
                let mut rows: Vec<usize> = Vec::new();
                match reveal {
                    // the common large case, copied whole when no column needs the rows
                    Reveal::All if self.by.is_empty() => {
                        s.xs = xs.to_vec();
                        s.ys = ys.to_vec();
                        s.y2 = column.map(<[f64]>::to_vec).unwrap_or_default();
                    }
                    Reveal::All => rows.extend(0..xs.len()),
                    Reveal::Rows(n) => {
                        let n = n.eval(env);
                        let n = if n.is_finite() && n > 0.0 {
                            (n.floor() as usize).min(xs.len())
                        } else {
                            0
                        };
                        rows.extend(0..n);
                    }
                    Reveal::Sweep(order) => sweep(
                        xs,
                        ys,
                        column,
                        order.as_ref().map(|o| o.as_slice()),
                        env,
                        &mut s,
                        &mut rows,
                    ),
                    Reveal::Where(pred) => {
                        let idx: Vec<f64> = (0..xs.len()).map(|i| i as f64).collect();
                        let mut keep = vec![0.0; xs.len()];
                        pred.eval_batch(env, &[xs, ys, &idx], &mut keep);
                        rows.extend((0..xs.len()).filter(|&i| keep[i] != 0.0 && !keep[i].is_nan()));
                    }
                }
                if !matches!(reveal, Reveal::Sweep(_)) && s.xs.is_empty() {
                    s.xs = rows.iter().map(|&r| xs[r]).collect();
                    s.ys = rows.iter().map(|&r| ys[r]).collect();
                    if let Some(c) = column {
                        s.y2 = rows.iter().map(|&r| c[r]).collect();
                    }
                }
                if !self.by.is_empty() {
                    s.colors = self.by.colors_of(&rows);
                    by_size = self.by.sizes_of(&rows);
                }
                if rows.len() == s.xs.len() {
                    numbers = rows.iter().map(|&r| r as f64).collect();
                }
            }
        }
        if self.style.marker.is_some() {
            let points = Points3 {
                i: &numbers,
                xs: &s.xs,
                ys: &s.ys,
                by: &by_size,
            };
            s.sizes = self.style.sizes(env, &points);
            s.opacities = self.style.opacities(env, &points);
        }
        match &self.fill {
            // set with the rows shown, above
            None | Some(FillTo::Column(_)) => {}
            Some(FillTo::Zero) => s.y2 = vec![0.0; s.xs.len()],
            Some(FillTo::Level(v)) => s.y2 = vec![v.eval(env); s.xs.len()],
            Some(FillTo::Curve(e)) => {
                s.y2 = vec![0.0; s.xs.len()];
                e.eval_batch(env, &[&s.xs], &mut s.y2);
            }
        }
        s
    }

    /// How many points the series has (before a reveal): what a frame may hold.
    pub fn points(&self, fps: f64) -> usize {
        match &self.points {
            Points::Measured { values, .. } => values.frames(fps),
            Points::Function { xs, .. } => xs.len(),
            Points::Parametric { us, .. } => us.len(),
            Points::Data { xs, .. } => xs.len(),
            Points::Spectrum { freqs, .. } => freqs.len(),
        }
    }

    /// The label of the colorbar this series asks for.
    pub fn colorbar_label(&self) -> Option<&str> {
        self.by.colorbar_label.as_deref()
    }

    /// The colormap, value range and scale of the colorbar this series asks for.
    pub fn colorbar(&self) -> Option<(crate::base::colormap::Colormap, (f64, f64, Scale))> {
        self.by.colorbar()
    }

    /// The classes of a series coloured by classes, in legend order.
    pub fn classes(&self) -> Option<&[super::by_column::Class]> {
        self.by.colors.as_ref().and_then(|(_, c)| c.classes())
    }

    pub fn has_fill(&self) -> bool {
        self.fill.is_some()
    }
}

/// How a series of data (a CSV file's rows, a sound's blocks) is revealed: by its
/// `sweep`, `reveal` or `rows`, or whole. `file` is what the rows come from, `headers`
/// its columns (none for a sound), named in the hint of a `reveal` that reads one.
fn reveal_of(
    spec: &SeriesSpec,
    (file, headers): (&Spanned<String>, &[String]),
    xs: &[f64],
    x_dates: bool,
    pc: &Context,
    cx: &mut ResolveCx,
) -> Result<Reveal, Diagnostic> {
    let scope = cx.scope.clone();
    let sweep = spec.sweep.as_ref().filter(|s| *s.get_ref());
    if let Some(s) = sweep {
        if let Some(other) = spec
            .reveal
            .as_ref()
            .map(|r| r.span())
            .or(spec.rows.as_ref().map(|r| r.span()))
        {
            return Err(Diagnostic::at(
                "give one of `sweep`, `reveal` and `rows`",
                other,
            ));
        }
        if pc.duration.is_none() {
            return Err(Diagnostic::at(
                "`sweep` reveals the rows over the plot's `duration`, which it needs",
                s.span(),
            ));
        }
    }
    let reveal = match (&spec.reveal, &spec.rows) {
        _ if sweep.is_some() => match goes_back(xs) {
            None => Reveal::Sweep(None),
            Some(row) => {
                let s = sweep.expect("a sweep");
                let w = unsorted_sweep(spec, file, xs, row, x_dates, s.span(), cx);
                cx.warn(w);
                Reveal::Sweep(Some(Arc::new(by_x(xs))))
            }
        },
        (Some(r), None) => {
            let axis = if x_dates {
                Axis::Dates
            } else {
                Axis::Numbers("this series' x holds numbers, not dates")
            };
            let text = in_expression(r.get_ref(), "reveal", axis, r.span(), cx.source)?;
            let r = Spanned::new(r.span(), text.into_owned());
            Reveal::Where(
                Expr::compile(&r, &scope, &["x", "y", "i"])
                    .map_err(|d| column_in_reveal(d, headers, file.get_ref()))?,
            )
        }
        (None, Some(n)) => Reveal::Rows(cx.param(n)?),
        (None, None) => Reveal::All,
        (Some(r), Some(_)) => {
            return Err(Diagnostic::at(
                "give `reveal` or `rows`, not both",
                r.span(),
            ))
        }
    };
    Ok(reveal)
}

/// The warning for a swept file whose x goes back at `row` (from 0): it is drawn
/// sorted by x, which a reader of the file's order may not expect.
fn unsorted_sweep(
    spec: &SeriesSpec,
    file: &Spanned<String>,
    xs: &[f64],
    row: usize,
    dates: bool,
    at: std::ops::Range<usize>,
    cx: &ResolveCx,
) -> Diagnostic {
    let column = spec.x.as_ref().map_or("x", |x| x.get_ref().as_str());
    let clip = cx
        .current_clip()
        .map(|c| format!("clip `{c}`: "))
        .unwrap_or_default();
    let back = if dates {
        String::new()
    } else {
        let before = xs[..row].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!(" ({} after {})", shown(xs[row]), shown(before))
    };
    Diagnostic::at(
        format!(
            "{clip}{} is not sorted by `{column}`: its data row {}{back} goes back; \
             `sweep` reveals by x, so the rows are drawn in the order of `{column}`",
            file.get_ref(),
            row + 1
        ),
        at,
    )
    .with_hint(format!(
        "sort the file by `{column}` to silence this; for the rows in the file's order, \
         use `rows = \"…\"` or `reveal` instead of `sweep`"
    ))
}

/// True for a plain word (`below`, `bottom`): as a `fill`, more likely a guess at
/// `"under"` than a formula.
fn is_word(text: &str) -> bool {
    let t = text.trim();
    t.starts_with(|c: char| c.is_alphabetic()) && t.chars().all(char::is_alphabetic)
}

/// The `color_by` and `size_by` keys given, with their places.
fn by_keys(spec: &SeriesSpec) -> impl Iterator<Item = (&'static str, std::ops::Range<usize>)> + '_ {
    [("color_by", &spec.color_by), ("size_by", &spec.size_by)]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v.span())))
        .chain(spec.colormap.as_ref().map(|c| ("colormap", c.span())))
        .chain(spec.norm.as_ref().map(|c| ("norm", c.span())))
        .chain(spec.colorbar.as_ref().map(|c| ("colorbar", c.span())))
        .chain(
            spec.colorbar_label
                .as_ref()
                .map(|c| ("colorbar_label", c.span())),
        )
}

/// The keys of a series drawn from a sound file given, with their places.
fn sound_keys(
    spec: &SeriesSpec,
) -> impl Iterator<Item = (&'static str, std::ops::Range<usize>)> + '_ {
    [
        ("draw", spec.draw.as_ref().map(|v| v.span())),
        ("channel", spec.channel.as_ref().map(|v| v.span())),
        ("block", spec.block.as_ref().map(|v| v.span())),
        ("window", spec.window.as_ref().map(|v| v.span())),
        ("db", spec.db.as_ref().map(|v| v.span())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
}

/// What a CSV series reads from its file.
struct Read {
    xs: Vec<f64>,
    ys: Vec<f64>,
    x_dates: bool,
    by: ByColumn,
    /// The column `fill` names, if it names one.
    fill: Option<Vec<f64>>,
    /// About `classes` and `class_colors`: names the column lacks, classes left out.
    warnings: Vec<Diagnostic>,
}

/// A CSV series' `fill` read as the name of a column: one of the file's columns, or a
/// plain name that is no expression either (so that the error is the file's missing
/// column, with its columns listed). Anything else is `"under"`, a level or a curve.
fn fill_column(
    spec: &SeriesSpec,
    headers: &[String],
    scope: &crate::expr::Scope,
) -> Option<Spanned<String>> {
    let raw = spec.fill.as_ref()?;
    let RawParam::Expr(text) = raw.get_ref() else {
        return None;
    };
    let name = text.trim();
    if name == "under" {
        return None;
    }
    let column = Spanned::new(raw.span(), name.to_string());
    if headers.iter().any(|h| h == name) {
        return Some(column);
    }
    let plain = name.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    (plain && Expr::compile(&column, scope, &["x"]).is_err()).then_some(column)
}

/// A CSV series' file: as written (for messages), where it is, and its header line
/// (read once, for `fill` and the formulas of `x` and `y`).
struct CsvFile<'a> {
    file: &'a Spanned<String>,
    path: &'a std::path::Path,
    headers: &'a [String],
}

/// The columns a CSV series names (`y`, `x`, `color_by`, `size_by`, a `fill` column,
/// and those the formulas of `y` and `x` name), read in one pass.
/// A column the file lacks is an error at the key that names it.
fn read_columns(
    spec: &SeriesSpec,
    y: &Spanned<String>,
    fill: Option<&Spanned<String>>,
    csv: &CsvFile,
    max_rows: usize,
    scope: &crate::expr::Scope,
) -> Result<Read, Diagnostic> {
    use crate::data::csv::Cells;
    let (file, path) = (csv.file, csv.path);
    let formula = |key: &str, raw: &Spanned<String>| {
        super::column_formula::formula_of(key, raw, csv.headers, file.get_ref(), scope)
    };
    let y_formula = formula("y", y)?;
    let x_formula = match &spec.x {
        Some(x) => formula("x", x)?,
        None => None,
    };
    let y_column = Some(y).filter(|_| y_formula.is_none());
    let x_column = spec.x.as_ref().filter(|_| x_formula.is_none());
    let keys = [
        (y_column, Cells::Numbers),
        (x_column, Cells::MaybeDates),
        (spec.color_by.as_ref(), Cells::MaybeClasses),
        (spec.size_by.as_ref(), Cells::Numbers),
        (fill, Cells::Numbers),
    ];
    let given: Vec<(&Spanned<String>, Cells)> = keys
        .iter()
        .filter_map(|(k, c)| k.map(|k| (k, *c)))
        .collect();
    let mut names: Vec<&str> = given.iter().map(|(k, _)| k.get_ref().as_str()).collect();
    let mut cells: Vec<Cells> = given.iter().map(|(_, c)| *c).collect();
    // The formulas' columns come last: y's as numbers, x's as numbers or dates.
    for (f, kind) in [
        (&y_formula, Cells::Numbers),
        (&x_formula, Cells::MaybeDates),
    ] {
        for c in f.iter().flat_map(|f| &f.columns) {
            names.push(c);
            cells.push(kind);
        }
    }
    let read = crate::data::csv::read_cells(path, file.get_ref(), &names, &cells, max_rows);
    let cols = read.map_err(|e| {
        if e.contains(crate::data::csv::TOO_MANY_ROWS) {
            return Diagnostic::at(e, file.span()).with_hint(format!(
                "a plot's series have at most {} points in all: use a smaller CSV file \
                 (every n-th row, or a shorter span)",
                super::MAX_POINTS
            ));
        }
        // our reader's own wording for a missing column: point at the key that named it
        let key = given
            .iter()
            .find(|(k, _)| e.contains(&format!("has no column `{}`", k.get_ref())));
        let at = key.map_or(file.span(), |(k, _)| k.span());
        let d = Diagnostic::at(e, at);
        match (key, fill) {
            // `fill = "below"` read as a column: the word meant is `"under"`
            (Some((k, _)), Some(f)) if std::ptr::eq(*k, f) && is_word(f.get_ref()) => d.with_hint(
                "to fill down to y = 0 write `fill = \"under\"`; a column's name fills to that column",
            ),
            _ => d,
        }
    })?;
    let rows = cols.rows();
    let mut columns = cols.columns.into_iter().zip(cols.dates).zip(cols.classes);
    let mut next = |k: Option<&Spanned<String>>| k.and_then(|_| columns.next());
    let y_read = next(y_column);
    let x = next(x_column);
    let color = next(spec.color_by.as_ref());
    let size = next(spec.size_by.as_ref());
    let fill = next(fill).map(|((v, _), _)| v);
    // What is left is the formulas' columns, y's then x's.
    let mut computed = |f: &super::column_formula::Formula| {
        let read: Vec<((Vec<f64>, bool), _)> = columns.by_ref().take(f.columns.len()).collect();
        let dates = read.iter().any(|((_, d), _)| *d);
        let values: Vec<Vec<f64>> = read.into_iter().map(|((v, _), _)| v).collect();
        (f.values(&values), dates)
    };
    let ys = match (&y_formula, y_read) {
        (Some(f), _) => computed(f).0,
        (None, read) => read.map(|((v, _), _)| v).unwrap_or_default(),
    };
    let (xs, x_dates) = match (&x_formula, x) {
        (Some(f), _) => computed(f),
        (None, Some(((v, dates), _))) => (v, dates),
        (None, None) => ((0..rows).map(|i| i as f64).collect(), false),
    };
    let colormap = match &spec.colormap {
        None => None,
        Some(name) => Some(
            crate::base::colormap::Colormap::by_name(name.get_ref()).ok_or_else(|| {
                Diagnostic::at(
                    format!("unknown colormap `{}`", name.get_ref()),
                    name.span(),
                )
                .with_hint(crate::base::colormap::Colormap::suggest(name.get_ref()))
            })?,
        ),
    };
    let class_keys = ClassKeys {
        order: spec.classes.as_ref(),
        colors: spec.class_colors.as_ref(),
    };
    let mut warnings = Vec::new();
    let colors = match (color, &spec.color_by) {
        (Some(((mut values, _), classes)), Some(key))
            if !classes.is_empty() || class_keys.given() =>
        {
            let (colormap, norm) = (spec.colormap.as_ref(), spec.norm.as_ref());
            if let Some(c) = colormap.map(|c| c.span()).or(norm.map(|n| n.span())) {
                let why = match classes.is_empty() {
                    true => "is read as classes (as `classes` or `class_colors` asks)",
                    false => "holds classes (text)",
                };
                return Err(Diagnostic::at(
                    format!(
                        "`{}` {why}, which take the colour cycle: a colormap colours a \
                         column of numbers",
                        key.get_ref()
                    ),
                    c,
                ));
            }
            // `classes` or `class_colors` on a column of numbers: its values are classes
            let numbers = classes.is_empty();
            let found = match numbers {
                true => super::by_column::numbers_as_classes(&mut values),
                false => classes,
            };
            let (drawn, said) =
                choose_classes(&found, &mut values, &class_keys, key.get_ref(), numbers)?;
            warnings = said;
            Some((Arc::new(values), Coloring::Classes(drawn)))
        }
        (Some(((values, _), _)), Some(_)) => {
            let map = colormap.unwrap_or_else(|| {
                crate::base::colormap::Colormap::by_name("viridis").expect("a known map")
            });
            let scale = spec
                .norm
                .as_ref()
                .map_or(Default::default(), |n| *n.get_ref());
            let how = Coloring::over(map, scale, &values);
            Some((Arc::new(values), how))
        }
        _ => {
            let keys = [("colormap", spec.colormap.as_ref().map(|c| c.span()))]
                .into_iter()
                .chain([("norm", spec.norm.as_ref().map(|n| n.span()))])
                .chain([("classes", spec.classes.as_ref().map(|n| n.span()))])
                .chain([("class_colors", spec.class_colors.as_ref().map(|n| n.span()))]);
            if let Some((key, at)) = keys.filter_map(|(k, at)| Some((k, at?))).next() {
                return Err(Diagnostic::at(
                    match key {
                        "classes" | "class_colors" => format!(
                            "`{key}` is for the classes of a `color_by` column: give `color_by` too"
                        ),
                        _ => format!(
                            "`{key}` colours the points by a column of numbers: give `color_by` too"
                        ),
                    },
                    at,
                ));
            }
            None
        }
    };
    let colorbar = spec.colorbar.as_ref().filter(|c| *c.get_ref());
    let colorbar_label =
        super::layer::colorbar_label(spec.colorbar_label.as_ref(), colorbar.is_some())?;
    if let Some(c) = colorbar {
        if !matches!(colors, Some((_, Coloring::Map { .. }))) {
            return Err(Diagnostic::at(
                "a series' colorbar shows the colormap of its `color_by` column of numbers, \
                 which this series does not have",
                c.span(),
            ));
        }
    }
    Ok(Read {
        xs,
        ys,
        x_dates,
        by: ByColumn {
            colors,
            sizes: size.map(|((v, _), _)| Arc::new(v)),
            colorbar: colorbar.is_some(),
            colorbar_label,
        },
        fill,
        warnings,
    })
}

/// A measurement series' values, and the measurement drawn across when `x` names one.
type MeasuredPair = (Arc<dyn Measured>, Option<Arc<dyn Measured>>);

/// `reveal = "year <= 2000 + 4*t"` where `year` is a column of the file but not the
/// series' `x` or `y`: say that `reveal` reads no other column, and what to do.
fn column_in_reveal(mut d: Diagnostic, headers: &[String], file: &str) -> Diagnostic {
    let Some(name) = d
        .message
        .strip_prefix("unknown name `")
        .and_then(|r| r.strip_suffix('`'))
    else {
        return d;
    };
    if headers.iter().any(|h| h == name) {
        d.hint = Some(format!(
            "`{name}` is a column of {file}, but `reveal` reads only the series' `x` and `y`, \
             the row number `i` and `t`: make `{name}` the series' `x`, or find the step from \
             `i` (a table with k rows a step: `floor(i / k) <= …`, docs/plots.md, a table with \
             a row per point per step)"
        ));
    }
    d
}

/// A series `{ measure = "NAME" }`, drawn against time or against the measurement its
/// `x` names: no other key says where its points come from.
fn measured(
    spec: &SeriesSpec,
    name: &Spanned<String>,
    scope: &crate::expr::Scope,
) -> Result<MeasuredPair, Diagnostic> {
    // `x` may name a second measurement: the values against each other, frame by frame
    // (a phase portrait); anything else but look keys says where the points come from.
    let others = [
        ("y", spec.y.as_ref().map(|s| s.span())),
        ("u", spec.u.as_ref().map(|s| s.span())),
        ("csv", spec.csv.as_ref().map(|s| s.span())),
        ("reveal", spec.reveal.as_ref().map(|s| s.span())),
        ("rows", spec.rows.as_ref().map(|s| s.span())),
    ];
    if let Some((key, Some(span))) = others.into_iter().find(|(_, s)| s.is_some()) {
        let d = Diagnostic::at(
            format!(
                "`{key}` is not for a measurement series: its y is the measured value, its x \
                 time or another measurement named by `x`"
            ),
            span,
        );
        // `{ measure = "theta", y = "omega" }`: a phase portrait written the other way.
        return Err(if key == "y" {
            d.with_hint(format!(
                "one measurement against another is `{{ measure = \"…\", x = \"{name}\" }}`: \
                 `measure` is drawn up, `x` across, a point for each frame so far",
                name = name.get_ref()
            ))
        } else {
            d
        });
    }
    let y = measurement(name, scope)?;
    let x = match &spec.x {
        None => None,
        Some(x) => Some(measurement(x, scope).map_err(|mut d| {
            if d.message.starts_with("unknown measurement") {
                d.message = format!(
                    "{}: `x` of a measurement series names another measurement, drawn \
                     across (its x is time without it)",
                    d.message
                );
            }
            d
        })?),
    };
    Ok((y, x))
}

/// The measurement `name` names, or the error that says why it cannot be read.
fn measurement(
    name: &Spanned<String>,
    scope: &crate::expr::Scope,
) -> Result<Arc<dyn Measured>, Diagnostic> {
    match scope.measures().find(name.get_ref()) {
        Found::Series(s) => Ok(s),
        Found::No => {
            let names: Vec<&str> = scope.measures().names().collect();
            let mut d = Diagnostic::at(
                format!("unknown measurement `{}`", name.get_ref()),
                name.span(),
            );
            d.hint = crate::base::diag::did_you_mean(name.get_ref(), names.iter().copied())
                .or_else(|| {
                    Some(if names.is_empty() {
                        "declare it in a [measure.NAME] table: clip = \"…\", stat = \"…\"".into()
                    } else {
                        format!("measurements: {}", names.join(", "))
                    })
                });
            Err(d)
        }
        other => {
            let (message, hint) = other.unusable(name.get_ref()).unwrap_or_default();
            Err(Diagnostic::at(message, name.span()).with_hint(hint))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_ends_between_rows() {
        let (xs, ys) = ([0.0, 10.0, 20.0], [0.0, 100.0, 0.0]);
        let mut s = Sample::default();
        // 1 s at 11 fps: frames 0..=10, frame 3 is 30 % of the way
        let mut rows = Vec::new();
        sweep(
            &xs,
            &ys,
            None,
            None,
            &Env::new(3.0 / 11.0, Some(1.0), 11.0),
            &mut s,
            &mut rows,
        );
        assert_eq!(rows, vec![0, 0]);
        assert_eq!(s.xs, vec![0.0, 6.0]);
        assert!((s.ys[1] - 60.0).abs() < 1e-9, "{:?}", s.ys);
        let mut all = Sample::default();
        sweep(
            &xs,
            &ys,
            None,
            None,
            &Env::new(10.0 / 11.0, Some(1.0), 11.0),
            &mut all,
            &mut rows,
        );
        assert_eq!(all.xs, xs.to_vec());
    }

    #[test]
    fn a_sweep_carries_the_fill_column() {
        let (xs, ys, lo) = ([0.0, 10.0, 20.0], [4.0, 8.0, 4.0], [0.0, 2.0, 0.0]);
        let mut s = Sample::default();
        let mut rows = Vec::new();
        sweep(
            &xs,
            &ys,
            Some(&lo),
            None,
            &Env::new(3.0 / 11.0, Some(1.0), 11.0),
            &mut s,
            &mut rows,
        );
        // the point between rows 0 and 1 at x = 6 lies on both edges' lines
        assert_eq!(s.xs, vec![0.0, 6.0]);
        assert_eq!(s.y2.len(), 2);
        assert!((s.y2[1] - 1.2).abs() < 1e-9, "{:?}", s.y2);
        assert!((s.ys[1] - 6.4).abs() < 1e-9, "{:?}", s.ys);
    }

    #[test]
    fn a_sweep_of_a_shuffled_file_goes_by_x() {
        let (xs, ys) = ([0.0, 20.0, 10.0, 30.0], [0.0, 200.0, 100.0, 300.0]);
        assert_eq!(goes_back(&xs), Some(2));
        assert_eq!(goes_back(&[0.0, 1.0, f64::NAN, 1.0, 2.0]), None);
        let order = by_x(&[2.0, f64::NAN, 0.0, 2.0, 1.0]);
        assert_eq!(order, vec![2, 4, 0, 3]);
        let order = by_x(&xs);
        // frame 5 of 11 is half-way: x = 15, between rows 2 (x = 10) and 1 (x = 20)
        let mut s = Sample::default();
        let mut rows = Vec::new();
        sweep(
            &xs,
            &ys,
            None,
            Some(&order),
            &Env::new(5.0 / 11.0, Some(1.0), 11.0),
            &mut s,
            &mut rows,
        );
        assert_eq!(s.xs, vec![0.0, 10.0, 15.0]);
        assert!((s.ys[2] - 150.0).abs() < 1e-9, "{:?}", s.ys);
        assert_eq!(rows, vec![0, 2, 2]);
    }

    /// A CSV series compiled from `series` (TOML) over a file holding `csv`.
    fn csv_series(csv: &str, series: &str) -> Result<Series, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.csv"), csv).unwrap();
        let spec: SeriesSpec = crate::base::de::typed(toml::de::DeValue::parse(series).unwrap())?;
        let mut cx = ResolveCx::new(
            dir.path(),
            crate::expr::Scope::default(),
            crate::scene::resolve::build_clip,
        );
        let pc = Context {
            cycle: 0,
            x: None,
            samples: 200,
            xscale: Scale::Linear,
            series_span: 0..1,
            duration: Some(1.0),
            points_left: 4_000_000,
        };
        Series::compile(&spec, &pc, &mut cx)
    }

    const BAND: &str = "x,lo,hi\n0,1,3\n1,,4\n2,0,2\n";

    #[test]
    fn fill_names_a_column_of_the_file() {
        let s = csv_series(BAND, r#"{ csv = "t.csv", x = "x", y = "hi", fill = "lo" }"#).unwrap();
        let at = Env::new(0.0, Some(1.0), 10.0);
        let d = s.sample(&at);
        assert_eq!(d.ys, vec![3.0, 4.0, 2.0]);
        assert_eq!(d.y2[0], 1.0);
        assert!(d.y2[1].is_nan(), "an empty cell breaks the band");
        assert_eq!(d.y2[2], 0.0);
        assert!(!s.is_animated());
        // revealed rows keep their own lower edge
        let s = csv_series(
            BAND,
            r#"{ csv = "t.csv", x = "x", y = "hi", fill = "lo", reveal = "i != 1" }"#,
        )
        .unwrap();
        let d = s.sample(&at);
        assert_eq!((d.xs, d.y2), (vec![0.0, 2.0], vec![1.0, 0.0]));
    }

    #[test]
    fn fill_on_a_csv_series_is_still_an_expression_or_a_level() {
        let s = csv_series(
            BAND,
            r#"{ csv = "t.csv", x = "x", y = "hi", fill = "x / 2" }"#,
        )
        .unwrap();
        let d = s.sample(&Env::new(0.0, Some(1.0), 10.0));
        assert_eq!(d.y2, vec![0.0, 0.5, 1.0]);
        let s = csv_series(
            BAND,
            r#"{ csv = "t.csv", x = "x", y = "hi", fill = "under" }"#,
        )
        .unwrap();
        assert_eq!(s.sample(&Env::new(0.0, Some(1.0), 10.0)).y2, vec![0.0; 3]);
    }

    #[test]
    fn a_fill_column_the_file_lacks_is_named_at_the_key() {
        let series = r#"{ csv = "t.csv", x = "x", y = "hi", fill = "low" }"#;
        let e = csv_series(BAND, series).err().unwrap();
        assert!(
            e.message
                .starts_with("t.csv has no column `low` (its columns: x, lo, hi)"),
            "{}",
            e.message
        );
        assert!(e.message.contains("did you mean `lo`?"), "{}", e.message);
        let at = series.find("\"low\"").unwrap();
        assert_eq!(e.span, Some(at..at + 5));
        // an expression with an unknown name says what `fill` may be
        let e = csv_series(
            BAND,
            r#"{ csv = "t.csv", x = "x", y = "hi", fill = "lo - 1" }"#,
        )
        .err()
        .unwrap();
        assert!(
            e.hint
                .as_deref()
                .is_some_and(|h| h.contains("one of t.csv's columns")),
            "{e:?}"
        );
    }

    #[test]
    fn spacing() {
        assert_eq!(
            spaced([-2.0, 2.0], 5, Scale::Linear),
            vec![-2.0, -1.0, 0.0, 1.0, 2.0]
        );
        let l = spaced([1.0, 100.0], 3, Scale::Log);
        assert!((l[1] - 10.0).abs() < 1e-12);
        // a moving range that strays below 0 on a log axis samples nothing
        assert!(spaced([-1.0, 100.0], 3, Scale::Log)
            .iter()
            .all(|v| v.is_nan()));
    }

    #[test]
    fn a_moving_range_is_sampled_at_each_frame() {
        let range = Interval {
            a: Param::constant(0.0),
            b: crate::expr::Param::compile(
                &Spanned::new(0..1, RawParam::Expr("1 + t".into())),
                &crate::expr::Scope::default(),
            )
            .unwrap(),
        };
        let along = Along::new(&range, 3, Scale::Linear);
        assert!(along.is_animated());
        assert_eq!(
            along.at(&Env::new(1.0, None, 10.0)).as_ref(),
            &[0.0, 1.0, 2.0]
        );
        let fixed = Along::new(&Interval::constant(0.0, 2.0), 3, Scale::Linear);
        assert!(!fixed.is_animated());
        assert_eq!(fixed.len(), 3);
    }
}
