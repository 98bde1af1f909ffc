//! `kind = "plot"`: series of points — functions of x, parametric curves, CSV columns —
//! drawn on matplotlib-style axes, changing over time.
//!
//! Unless the limits change every frame, the axes (backgrounds, grid, frame, ticks,
//! texts, legend) are drawn once when the scene loads, and each frame only draws the
//! series between those two layers.

mod series;
mod spec;

use std::sync::Arc;

use tiny_skia::{Mask, Pixmap, PixmapPaint, Transform};

use self::series::{Context, Sample, Series};
pub use self::spec::Spec;
use self::spec::{LegendSpec, LimitsMode};
use crate::chart::axes::{Axes, Colors, Decor};
use crate::chart::legend::{self, Entry, Place, Swatch};
use crate::chart::paint::{self, clip_mask, LineLook};
use crate::chart::scale::Scale;
use crate::clip::{Clip, RenderCx, RenderResult, Size};
use crate::expr::Env;
use crate::scene::diag::Diagnostic;
use crate::scene::limits;
use crate::scene::resolve::ResolveCx;

/// The most points all series of a plot may have together.
const MAX_POINTS: usize = 4_000_000;

/// The most instants sampled to choose automatic limits over a clip.
const MAX_LIMIT_SAMPLES: usize = 200;

/// Axes drawn once: under and over the series, and the clip mask of the axes.
struct Layers {
    axes: Axes,
    under: Pixmap,
    over: Pixmap,
    mask: Option<Mask>,
}

enum Limits {
    /// Decided at load time.
    Fixed(Box<Layers>),
    /// Decided each frame; fixed sides given.
    PerFrame {
        xlim: Option<(f64, f64)>,
        ylim: Option<(f64, f64)>,
    },
}

struct Plot {
    size: Size,
    duration: Option<f64>,
    series: Vec<Series>,
    decor: Decor,
    legend: Option<(Place, Vec<Entry>)>,
    limits: Limits,
}

/// Builds the clip; errors without a place of their own point at the clip's table.
pub fn build(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    build_inner(spec, cx).map_err(|d| d.or_span(table))
}

fn build_inner(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let size = limits::size(&spec.size)?;
    let duration = cx.duration(spec.duration.as_ref())?;
    let xscale = spec.xscale.unwrap_or_default();
    let yscale = spec.yscale.unwrap_or_default();
    let samples = match &spec.samples {
        Some(s) if (2..=series::MAX_SAMPLES).contains(s.get_ref()) => *s.get_ref(),
        Some(s) => {
            return Err(Diagnostic::at(
                format!(
                    "samples must be 2 to {}, not {}",
                    series::MAX_SAMPLES,
                    s.get_ref()
                ),
                s.span(),
            ))
        }
        None => (2 * size.w).max(200),
    };
    if spec.series.get_ref().is_empty() {
        return Err(Diagnostic::at(
            "a plot needs at least one series",
            spec.series.span(),
        ));
    }
    let mut list = Vec::new();
    for (index, s) in spec.series.get_ref().iter().enumerate() {
        let pc = Context {
            index,
            x: spec.x.as_ref(),
            samples,
            xscale,
            series_span: s.span(),
        };
        list.push(Series::compile(s.get_ref(), &pc, cx)?);
        let total: usize = list.iter().map(Series::points).sum();
        if total > MAX_POINTS {
            return Err(Diagnostic::at(
                format!("the series have {total} points in all, at most {MAX_POINTS}"),
                s.span(),
            )
            .with_hint("use fewer `samples` or a smaller CSV file"));
        }
    }
    let lim = |raw: &Option<toml::Spanned<[f64; 2]>>, scale: Scale, name: &str| {
        raw.as_ref()
            .map(|r| {
                let [a, b] = *r.get_ref();
                if !a.is_finite() || !b.is_finite() || a == b {
                    return Err(Diagnostic::at(
                        format!("{name} must be two different finite numbers"),
                        r.span(),
                    ));
                }
                if scale == Scale::Log && (a <= 0.0 || b <= 0.0) {
                    return Err(Diagnostic::at(
                        format!("{name} must be positive on a log axis"),
                        r.span(),
                    ));
                }
                Ok((a, b))
            })
            .transpose()
    };
    let xlim = lim(&spec.xlim, xscale, "xlim")?;
    let ylim = lim(&spec.ylim, yscale, "ylim")?;
    let decor = Decor {
        title: spec.title.clone(),
        xlabel: spec.xlabel.clone(),
        ylabel: spec.ylabel.clone(),
        grid: spec.grid.unwrap_or(false),
        xscale,
        yscale,
        colors: Colors {
            figure: spec.background.unwrap_or(Colors::default().figure),
            axes: spec.axes_background.unwrap_or(Colors::default().axes),
            ink: spec.foreground.unwrap_or(Colors::default().ink),
        },
    };
    let place = match spec.legend.as_ref().map(|l| l.get_ref()) {
        None | Some(LegendSpec::Shown(false)) => None,
        Some(LegendSpec::Shown(true)) => Some(Place::UpperRight),
        Some(LegendSpec::At(p)) => Some(*p),
    };
    let legend = match place {
        None => None,
        Some(p) => {
            let entries: Vec<Entry> = list
                .iter()
                .filter_map(|s| s.label.as_ref().map(|l| Entry::new(l, swatch(s))))
                .collect();
            if entries.is_empty() {
                return Err(Diagnostic::at(
                    "the legend has nothing to show: give series a `label`",
                    spec.legend.as_ref().unwrap().span(),
                ));
            }
            Some((p, entries))
        }
    };
    let mode = spec.limits.unwrap_or_default();
    let animated = list.iter().any(Series::is_animated);
    let mut plot = Plot {
        size,
        duration,
        series: list,
        decor,
        legend,
        limits: Limits::PerFrame { xlim, ylim },
    };
    if mode == LimitsMode::Clip || (xlim.is_some() && ylim.is_some()) {
        let times = if !animated || (xlim.is_some() && ylim.is_some()) {
            vec![0.0]
        } else {
            let d = duration.ok_or_else(|| {
                Diagnostic::at(
                    "this plot changes over time, so its automatic axis limits are chosen over \
                     the whole clip, which needs its `duration`",
                    spec.size.span(),
                )
                .with_hint("give `duration`, or fixed `xlim` and `ylim`, or `limits = \"frame\"`")
            })?;
            crate::render::plan::spread_instants(d, cx.fps, MAX_LIMIT_SAMPLES)
        };
        let (x, y) = plot.limits_over(&times, cx.fps, xlim, ylim);
        plot.limits = Limits::Fixed(Box::new(plot.layers(x, y)));
    }
    Ok(Arc::new(plot))
}

fn swatch(s: &Series) -> Swatch {
    match (&s.line, s.marker) {
        (Some((width, dash, cap)), _) => Swatch::Line(LineLook {
            color: s.color,
            width: *width,
            dash: dash.clone(),
            cap: *cap,
        }),
        (None, Some(shape)) => Swatch::Markers {
            shape,
            size: crate::chart::style::pt(crate::chart::style::size::MARKER),
            color: s.color,
        },
        (None, None) => Swatch::Fill(s.fill_color),
    }
}

/// The smallest and largest of `v` that `scale` can show.
fn extent(v: &[f64], scale: Scale, acc: &mut Option<(f64, f64)>) {
    for &x in v {
        if !x.is_finite() || (scale == Scale::Log && x <= 0.0) {
            continue;
        }
        *acc = Some(match *acc {
            None => (x, x),
            Some((a, b)) => (a.min(x), b.max(x)),
        });
    }
}

/// The data's extent on both axes, gathered sample by sample.
#[derive(Default)]
struct Extents {
    x: Option<(f64, f64)>,
    y: Option<(f64, f64)>,
}

impl Extents {
    /// Adds a sample's points; only points whose other coordinate lies inside a fixed
    /// limit count.
    fn add(
        &mut self,
        s: &Sample,
        decor: &Decor,
        xlim: Option<(f64, f64)>,
        ylim: Option<(f64, f64)>,
    ) {
        let inside = |v: f64, lim: Option<(f64, f64)>| {
            lim.is_none_or(|(a, b)| v >= a.min(b) && v <= a.max(b))
        };
        for (i, (&a, &b)) in s.xs.iter().zip(&s.ys).enumerate() {
            if !(a.is_finite() && b.is_finite()) {
                continue;
            }
            if inside(b, ylim) {
                extent(&[a], decor.xscale, &mut self.x);
            }
            if inside(a, xlim) {
                extent(&[b], decor.yscale, &mut self.y);
                if let Some(&y2) = s.y2.get(i) {
                    extent(&[y2], decor.yscale, &mut self.y);
                }
            }
        }
    }

    fn limits(
        &self,
        decor: &Decor,
        xlim: Option<(f64, f64)>,
        ylim: Option<(f64, f64)>,
    ) -> ((f64, f64), (f64, f64)) {
        let auto = |scale: Scale, r: Option<(f64, f64)>| match r {
            Some((a, b)) => scale.auto_limits(a, b),
            None => scale.auto_limits(f64::NAN, f64::NAN),
        };
        (
            xlim.unwrap_or_else(|| auto(decor.xscale, self.x)),
            ylim.unwrap_or_else(|| auto(decor.yscale, self.y)),
        )
    }
}

impl Plot {
    fn env(&self, t: f64, fps: f64) -> Env {
        Env {
            t,
            duration: self.duration.unwrap_or(0.0),
            fps,
        }
    }

    /// Limits covering what the series show at `times`, fixed ones kept. Samples are
    /// looked at one at a time, so memory stays that of one frame.
    fn limits_over(
        &self,
        times: &[f64],
        fps: f64,
        xlim: Option<(f64, f64)>,
        ylim: Option<(f64, f64)>,
    ) -> ((f64, f64), (f64, f64)) {
        let mut ext = Extents::default();
        for &t in times {
            let env = self.env(t, fps);
            for s in &self.series {
                ext.add(&s.sample(&env), &self.decor, xlim, ylim);
            }
        }
        ext.limits(&self.decor, xlim, ylim)
    }

    fn limits_of(
        &self,
        samples: &[Sample],
        xlim: Option<(f64, f64)>,
        ylim: Option<(f64, f64)>,
    ) -> ((f64, f64), (f64, f64)) {
        let mut ext = Extents::default();
        for s in samples {
            ext.add(s, &self.decor, xlim, ylim);
        }
        ext.limits(&self.decor, xlim, ylim)
    }

    fn layers(&self, xlim: (f64, f64), ylim: (f64, f64)) -> Layers {
        let (w, h) = (self.size.w, self.size.h);
        let axes = Axes::new(w, h, &self.decor, xlim, ylim);
        let mut under = crate::clip::blank(self.size);
        axes.draw_under(&mut under);
        let mut over = crate::clip::blank(self.size);
        axes.draw_over(&mut over);
        if let Some((place, entries)) = &self.legend {
            legend::draw(&mut over, entries, *place, axes.rect, self.decor.colors.ink);
        }
        let mask = clip_mask(w, h, axes.rect);
        Layers {
            axes,
            under,
            over,
            mask,
        }
    }

    fn draw_series(&self, pm: &mut Pixmap, layers: &Layers, samples: &[Sample]) {
        let axes = &layers.axes;
        let mask = layers.mask.as_ref();
        let bottom = axes.rect.y1;
        for (s, d) in self.series.iter().zip(samples) {
            if !s.has_fill() {
                continue;
            }
            // One polygon per run of points where both edges are known.
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut back: Vec<(f64, f64)> = Vec::new();
            let mut flush = |run: &mut Vec<(f64, f64)>, back: &mut Vec<(f64, f64)>| {
                if run.len() >= 2 {
                    run.extend(back.iter().rev());
                    paint::fill(pm, run, s.fill_color, mask);
                }
                run.clear();
                back.clear();
            };
            for i in 0..d.xs.len() {
                let (x, y) = axes.px(d.xs[i], d.ys[i]);
                let mut y2 = axes.y.px(d.y2[i]);
                if !y2.is_finite() && d.y2[i] == 0.0 {
                    y2 = bottom;
                }
                if x.is_finite() && y.is_finite() && y2.is_finite() {
                    run.push((x, y));
                    back.push((x, y2));
                } else {
                    flush(&mut run, &mut back);
                }
            }
            flush(&mut run, &mut back);
        }
        for (s, d) in self.series.iter().zip(samples) {
            let pts: Vec<(f64, f64)> =
                d.xs.iter()
                    .zip(&d.ys)
                    .map(|(&x, &y)| axes.px(x, y))
                    .collect();
            if let Some((width, dash, cap)) = &s.line {
                let look = LineLook {
                    color: s.color,
                    width: *width,
                    dash: dash.clone(),
                    cap: *cap,
                };
                paint::stroke(pm, &pts, &look, mask);
            }
            if let Some(shape) = s.marker {
                paint::markers(pm, &pts, &d.sizes, shape, s.color, mask);
            }
        }
    }
}

impl Clip for Plot {
    fn kind(&self) -> &'static str {
        "plot"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let env = self.env(t, cx.fps);
        let samples: Vec<Sample> = self.series.iter().map(|s| s.sample(&env)).collect();
        let per_frame;
        let layers: &Layers = match &self.limits {
            Limits::Fixed(l) => l,
            Limits::PerFrame { xlim, ylim } => {
                let (x, y) = self.limits_of(&samples, *xlim, *ylim);
                per_frame = self.layers(x, y);
                &per_frame
            }
        };
        let mut pm = layers.under.clone();
        self.draw_series(&mut pm, layers, &samples);
        pm.draw_pixmap(
            0,
            0,
            layers.over.as_ref(),
            &PixmapPaint::default(),
            Transform::identity(),
            None,
        );
        Ok(pm)
    }
}
