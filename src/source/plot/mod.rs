//! `kind = "plot"`: series of points — functions of x, parametric curves, CSV columns —
//! drawn on matplotlib-style axes, changing over time.
//!
//! Unless the limits change between frames (automatic per frame, or given ones that
//! are animated), the axes (backgrounds, grid, frame, ticks, texts, legend) are drawn
//! once when the scene loads, and each frame only draws the series between those two
//! layers. A legend whose series change their look is drawn in every frame.

mod annotation;
mod by_column;
mod column_formula;
mod dates_written;
pub(crate) mod layer;
mod limits;
mod polar;
mod series;
mod sound;
pub(crate) mod spec;
mod style;

use crate::source::font::{FontStyle, FontWeight};
use std::sync::Arc;

use tiny_skia::{Mask, Pixmap, PixmapPaint, Transform};

use self::dates_written::Axis;
use self::layer::{Frame, Layer};
use self::limits::{AxisLimits, Extents, Lim};
use self::series::{range_of, Context, Sample, Series};
pub use self::spec::Spec;
use self::spec::{LegendSpec, LimitsMode};
use crate::base::diag::Diagnostic;
use crate::base::frame::{RenderResult, Size};
use crate::chart::axes::{Axes, Colors, Decor};
use crate::chart::colorbar;
use crate::chart::fonts::Font;
use crate::chart::label::Shaped;
use crate::chart::legend::{self, Place, Swatch};
use crate::chart::paint::{self, clip_mask};
use crate::chart::style::Dpi;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, Placement, RenderCx};
use crate::expr::{Env, Interval};
use crate::source::chart_text::{CutWarning, LiveDecor};

/// The most points all series of a plot may have together.
const MAX_POINTS: usize = 4_000_000;

/// The most instants sampled to choose automatic limits over a clip.
const MAX_LIMIT_SAMPLES: usize = 200;

/// Axes drawn for some limits: under and over the series, and the clip mask of the axes.
struct Layers {
    axes: Axes,
    under: Pixmap,
    over: Pixmap,
    mask: Option<Mask>,
}

enum Limits {
    /// The same in every frame: the axes are drawn once.
    Fixed(Box<Layers>),
    /// Found for each frame.
    PerFrame { x: AxisLimits, y: AxisLimits },
}

/// The legend: where, and one row per labelled series.
struct Legend {
    place: Place,
    /// Each row's series, and its class for a series coloured by classes.
    rows: Vec<(usize, Option<usize>)>,
    /// The rows' labels at t = 0.
    labels: Vec<Shaped>,
    /// The rows' swatches at t = 0.
    swatches: Vec<Swatch>,
    /// Drawn with the axes once, or in every frame when a series' look changes.
    animated: bool,
    /// A label holds live values: the labels are written again in every frame.
    live_labels: bool,
}

struct Plot {
    kind: &'static str,
    size: Size,
    duration: Option<f64>,
    series: Vec<Series>,
    /// Values on a grid drawn under the series.
    field: Option<Layer>,
    /// The field's colorbar (or a series'), right of the axes.
    bar: Option<crate::chart::paint::Bounds>,
    /// A series' colorbar: its colormap over its column's range.
    series_bar: Option<(
        crate::base::colormap::Colormap,
        (f64, f64, crate::chart::scale::Scale),
    )>,
    /// The series' colorbar's own label.
    series_bar_label: Option<String>,
    /// The width left of the colorbar, where the axes are placed.
    axes_w: u32,
    /// Frame, ticks and labels drawn (`axis = true`).
    axis: bool,
    decor: Decor,
    /// The title or an axis label holds live values: the axes are drawn in every frame.
    live: Option<LiveDecor>,
    /// Says once that a title or axis label is cut.
    cut: CutWarning,
    legend: Option<Legend>,
    limits: Limits,
    /// Text at places in the data, drawn last.
    annotations: Vec<annotation::Annotation>,
    /// Polar axes (`projection = "polar"`): the series drawn there, not on `limits`.
    polar: Option<polar::Polar>,
}

/// Builds the clip; errors without a place of their own point at the clip's table.
pub fn build(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    match compile(spec, cx) {
        Ok(plot) => Ok(Arc::new(plot)),
        Err(d) => Err(d.or_span(table)),
    }
}

/// A field drawn on axes (`kind = "field"` with axes, levels, contours…): a plot
/// holding only that field.
pub fn build_field(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
    kind: &'static str,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    match compile(spec, cx) {
        Ok(mut plot) => {
            plot.kind = kind;
            Ok(Arc::new(plot))
        }
        Err(d) => Err(d.or_span(table)),
    }
}

/// Warns when a colorbar's label is longer than the clip is tall: centred on the bar,
/// it is cut at both ends.
pub fn check_colorbar_label(
    label: Option<&toml::Spanned<String>>,
    h: u32,
    dpi: Dpi,
    font: &Font,
    cx: &mut ResolveCx,
) {
    let Some(label) = label else {
        return;
    };
    crate::source::chart_text::warn_of_mathtext([("colorbar_label", Some(label))], cx);
    let long = font
        .shape(label.get_ref(), dpi.pt(crate::chart::style::size::FONT))
        .width;
    if long > h as f64 {
        cx.warn(
            Diagnostic::at(
                format!(
                    "the colorbar's label is {long:.0} pixels long and the clip {h} pixels tall: \
                     it is cut at both ends"
                ),
                label.span(),
            )
            .with_hint("make the clip taller (`size`) or the label shorter"),
        );
    }
}

/// The width of the colorbar of a `what` ("field", "plot") `size` pixels big, or an
/// error naming the narrowest size it fits in (it may take at most half the width).
pub fn colorbar_room(
    what: &str,
    size: Size,
    dpi: Dpi,
    font: &Font,
    labelled: usize,
) -> Result<f64, Diagnostic> {
    let bar_w = colorbar::width(size.w, dpi, font, labelled);
    if colorbar::fits(size.w, dpi, font, labelled) {
        return Ok(bar_w);
    }
    let least = colorbar::narrowest(dpi, font, labelled);
    Err(Diagnostic::new(format!(
        "a {what} {} pixels wide is too narrow for a colorbar ({bar_w:.0} pixels), which may \
         take at most half the width",
        size.w
    ))
    .with_hint(format!(
        "make it at least {least} pixels wide: size = [{least}, {}]",
        size.h
    )))
}

/// The largest `dpi`: a point of 1000/72 pixels already makes 10 pt text 139 px tall.
pub const MAX_DPI: f64 = 1000.0;

/// `dpi = …`: a number from 1 to [`MAX_DPI`], 100 (matplotlib's) when not given.
pub fn dpi_of(raw: Option<&toml::Spanned<f64>>) -> Result<Dpi, Diagnostic> {
    match raw {
        None => Ok(Dpi::default()),
        Some(d) if (1.0..=MAX_DPI).contains(d.get_ref()) => Ok(Dpi(*d.get_ref())),
        Some(d) => Err(Diagnostic::at(
            format!("dpi must be 1 to {MAX_DPI}, not {}", d.get_ref()),
            d.span(),
        )),
    }
}

/// The keys that choose a chart's faces, as written.
#[derive(Clone, Copy, Default)]
pub struct FontKeys<'a> {
    pub font: Option<&'a toml::Spanned<String>>,
    pub weight: Option<&'a toml::Spanned<FontWeight>>,
    pub style: Option<&'a toml::Spanned<FontStyle>>,
    pub title_weight: Option<&'a toml::Spanned<FontWeight>>,
    pub title_style: Option<&'a toml::Spanned<FontStyle>>,
}

impl<'a> FontKeys<'a> {
    /// A field's keys (`kind = "field"` without axes: its colorbar's labels).
    pub fn of_field(spec: &'a crate::source::field::Spec) -> FontKeys<'a> {
        FontKeys {
            font: spec.font.as_ref(),
            weight: spec.weight.as_ref(),
            style: spec.style.as_ref(),
            title_weight: spec.title_weight.as_ref(),
            title_style: spec.title_style.as_ref(),
        }
    }
}

/// `font`, `weight` and `style`: the face of all of a chart's text, resolved as a text
/// clip's (a family, `"serif"`, or a font file; the bundled DejaVu Sans when not given),
/// and the title's own face when `title_weight` or `title_style` is given. A weight the
/// family has no face near (bold asked of a family with only a regular face) is drawn
/// in its nearest face, with a warning at the key.
pub fn fonts_of(k: FontKeys, cx: &mut ResolveCx) -> Result<(Font, Option<Font>), Diagnostic> {
    let style = k.style.map(|s| *s.get_ref());
    let plain = k.weight.is_none_or(|w| w.get_ref().0 == 400)
        && matches!(style, None | Some(FontStyle::Normal));
    let font = match (k.font, plain) {
        (None, true) => Font::default(),
        _ => Font::new(face_of(k.font, k.weight, style, true, cx)?),
    };
    let title = match (k.title_weight, k.title_style) {
        (None, None) => None,
        (w, s) => {
            let s = s.map(|s| *s.get_ref()).or(style);
            Some(Font::new(face_of(
                k.font,
                w.or(k.weight),
                s,
                w.is_some(),
                cx,
            )?))
        }
    };
    Ok((font, title))
}

/// The face of `font` at `weight` and `style`, warning (when `warn`) at the weight's
/// key if the family has no face within 100 of it.
fn face_of(
    font: Option<&toml::Spanned<String>>,
    weight: Option<&toml::Spanned<FontWeight>>,
    style: Option<FontStyle>,
    warn: bool,
    cx: &mut ResolveCx,
) -> Result<crate::text::fonts::FaceChoice, Diagnostic> {
    let w = weight.map_or(400, |w| w.get_ref().0);
    let face = crate::source::font::face(font, w, FontStyle::fontdb(style), cx)?;
    if let Some(raw) = weight.filter(|_| warn) {
        if (i32::from(w) - i32::from(face.weight)).abs() > 100 {
            cx.warn(
                Diagnostic::at(
                    format!(
                        "font `{}` has no face of weight {w}: its nearest, of weight {}, \
                         is drawn instead",
                        face.family, face.weight
                    ),
                    raw.span(),
                )
                .with_hint(
                    "install the family's face of that weight, or leave `font` out: the \
                     bundled DejaVu Sans has a bold face",
                ),
            );
        }
    }
    Ok(face)
}

fn compile(spec: Spec, cx: &mut ResolveCx) -> Result<Plot, Diagnostic> {
    let size = cx.size(&spec.size)?;
    let size_span = spec.size.span();
    let mut duration = cx.duration(spec.duration.as_ref())?;
    let dpi = dpi_of(spec.dpi.as_ref())?;
    let is_polar = polar::check_keys(&spec)?;
    let (font, title_font) = fonts_of(
        FontKeys {
            font: spec.font.as_ref(),
            weight: spec.weight.as_ref(),
            style: spec.style.as_ref(),
            title_weight: spec.title_weight.as_ref(),
            title_style: spec.title_style.as_ref(),
        },
        cx,
    )?;
    let field = match &spec.field {
        Some(f) => Some(Layer::compile(
            f.get_ref(),
            duration,
            (size.w, size.h),
            dpi,
            cx,
        )?),
        None => None,
    };
    if let (None, Some(f)) = (duration, &field) {
        duration = f.duration();
    }
    let xscale = spec
        .xscale
        .as_ref()
        .map(|s| *s.get_ref())
        .unwrap_or_default();
    let yscale = spec
        .yscale
        .as_ref()
        .map(|s| *s.get_ref())
        .unwrap_or_default();
    let samples = match &spec.samples {
        Some(s) => cx.count(s, "samples", 2, i64::from(series::MAX_SAMPLES))? as u32,
        None => (2 * size.w).max(200),
    };
    let no_series = Vec::new();
    let series_list = spec.series.as_ref().map_or(&no_series, |s| s.get_ref());
    if series_list.is_empty() && field.is_none() {
        return Err(match &spec.series {
            Some(s) => Diagnostic::at("a plot needs at least one series or a field", s.span()),
            None => Diagnostic::new("a plot needs `series`, a `field`, or both"),
        });
    }
    let x = spec
        .x
        .as_ref()
        .map(|x| {
            let why = "`x` is where functions are sampled, a range of numbers";
            let x = dates_written::limits(x, "x", Axis::Numbers(why), cx.source)?;
            range_of(&x, "x", xscale, cx)
        })
        .transpose()?
        .or_else(|| is_polar.then(polar::default_x));
    let mut list = Vec::new();
    // Each series is checked even when one before it is wrong: all their errors are
    // reported in one run.
    let mut wrong: Vec<Diagnostic> = Vec::new();
    // As in matplotlib, a series whose colour is given (`color`, or `color_by`'s) does
    // not take a colour of the cycle: the next one does.
    let mut cycle = 0;
    for s in series_list.iter() {
        let pc = Context {
            cycle,
            x: x.as_ref(),
            samples,
            xscale,
            series_span: s.span(),
            duration,
            points_left: MAX_POINTS
                .saturating_sub(list.iter().map(|s: &Series| s.points(cx.fps)).sum()),
        };
        if s.get_ref().takes_cycle_color() {
            cycle += 1;
        }
        match Series::compile(s.get_ref(), &pc, cx) {
            Ok(series) if is_polar => match polar::check_series(s, &series) {
                Ok(()) => list.push(series),
                Err(d) => {
                    wrong.push(d);
                    continue;
                }
            },
            Ok(series) => list.push(series),
            Err(d) => {
                wrong.push(d);
                continue;
            }
        }
        let total: usize = list.iter().map(|s| s.points(cx.fps)).sum();
        if total > MAX_POINTS {
            return Err(Diagnostic::at(
                format!("the series have {total} points in all, at most {MAX_POINTS}"),
                s.span(),
            )
            .with_hint("use fewer `samples` or a smaller CSV file"));
        }
    }
    if !wrong.is_empty() {
        let mut wrong = wrong.into_iter();
        let first = wrong.next().expect("not empty");
        wrong.for_each(|d| cx.also(d));
        return Err(first);
    }
    for s in &mut list {
        s.style.dpi = dpi;
    }
    // One colorbar: the field's, or one series'.
    let series_bar = list.iter().position(|s| s.colorbar().is_some());
    if let (Some(i), Some(true)) = (series_bar, field.as_ref().map(|f| f.colorbar)) {
        let at = series_list[i].get_ref().colorbar.as_ref().map(|c| c.span());
        return Err(Diagnostic::at(
            "the plot's field already has the colorbar: a plot shows one",
            at.unwrap_or(series_list[i].span()),
        ));
    }
    let series_bar_label = series_bar.and_then(|i| list[i].colorbar_label().map(String::from));
    let series_bar = series_bar.and_then(|i| list[i].colorbar());
    let labelled = match &field {
        Some(f) if f.colorbar => layer::label_lines(f.colorbar_label.as_deref()),
        _ => layer::label_lines(series_bar_label.as_deref()),
    };
    let bar_w = match &field {
        Some(f) if f.colorbar => colorbar::width(size.w, dpi, &font, labelled),
        _ if series_bar.is_some() => colorbar::width(size.w, dpi, &font, labelled),
        _ => 0.0,
    };
    if bar_w > 0.0 {
        colorbar_room("plot", size, dpi, &font, labelled)?;
        let label = match (&field, &spec.field) {
            (Some(f), Some(raw)) if f.colorbar => raw.get_ref().colorbar_label.as_ref(),
            _ => series_list
                .iter()
                .find_map(|s| s.get_ref().colorbar_label.as_ref()),
        };
        check_colorbar_label(label, size.h, dpi, &font, cx);
    }

    let x_axis = if list.iter().any(|s| s.x_dates) {
        Axis::Dates
    } else {
        Axis::Numbers("the x axis holds numbers: no series takes x from a CSV column of dates")
    };
    let xlim = spec
        .xlim
        .as_ref()
        .map(|l| {
            range_of(
                &*dates_written::limits(l, "xlim", x_axis, cx.source)?,
                "xlim",
                xscale,
                cx,
            )
        })
        .transpose()?;
    let ylim = spec
        .ylim
        .as_ref()
        .map(|l| {
            let why = "the y axis holds numbers";
            range_of(
                &*dates_written::limits(l, "ylim", Axis::Numbers(why), cx.source)?,
                "ylim",
                yscale,
                cx,
            )
        })
        .transpose()?;
    let annotations = match &spec.annotations {
        Some(list) if list.get_ref().len() > annotation::MAX_ANNOTATIONS => {
            return Err(Diagnostic::at(
                format!(
                    "{} annotations: a plot has at most {}",
                    list.get_ref().len(),
                    annotation::MAX_ANNOTATIONS
                ),
                list.span(),
            ))
        }
        Some(list) => list
            .get_ref()
            .iter()
            .map(|a| annotation::Annotation::compile(a, x_axis, dpi, cx))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    crate::source::chart_text::warn_of_mathtext(
        [
            ("title", spec.title.as_ref()),
            ("xlabel", spec.xlabel.as_ref()),
            ("ylabel", spec.ylabel.as_ref()),
        ],
        cx,
    );
    crate::source::chart_text::warn_of_mathtext(
        series_list
            .iter()
            .map(|s| ("label", s.get_ref().label.as_ref())),
        cx,
    );
    let (live, [title, xlabel, ylabel]) = LiveDecor::compile(
        [
            spec.title.as_ref(),
            spec.xlabel.as_ref(),
            spec.ylabel.as_ref(),
        ],
        duration,
        cx,
    )?;
    let decor = Decor {
        title,
        xlabel,
        ylabel,
        // polar axes have their grid unless told otherwise, as matplotlib's
        grid: spec.grid.unwrap_or(is_polar),
        xscale,
        yscale,
        colors: Colors {
            figure: spec.background.unwrap_or(Colors::default().figure),
            axes: spec.axes_background.unwrap_or(Colors::default().axes),
            ink: spec.foreground.unwrap_or(Colors::default().ink),
        },
        xticks: if list.iter().any(|s| s.x_dates) {
            crate::chart::axes::TickKind::Dates
        } else {
            crate::chart::axes::TickKind::Auto
        },
        yticks: Default::default(),
        dpi,
        font: font.clone(),
        title_font,
    };
    let place = match spec.legend.as_ref().map(|l| l.get_ref()) {
        None | Some(LegendSpec::Shown(false)) => None,
        Some(LegendSpec::Shown(true)) => Some(Place::UpperRight),
        Some(LegendSpec::At(p)) => Some(*p),
    };
    let legend = match place {
        None => None,
        Some(place) => {
            let start = Env::new(0.0, duration, cx.fps);
            // A series coloured by classes has a row per class, others one if labelled.
            // A class an earlier series coloured by classes lists already, in the same
            // colour (the trails and the heads of one table), is not listed again.
            // (A set: 100 000 classes compared row by row took 20 s.)
            let mut rows: Vec<(usize, Option<usize>)> = Vec::new();
            let mut listed = std::collections::HashSet::new();
            for (i, series) in list.iter().enumerate() {
                match series.classes() {
                    Some(c) => {
                        for (k, class) in c.iter().enumerate() {
                            if listed.insert((class.name.as_str(), class.color.0)) {
                                rows.push((i, Some(k)));
                            }
                        }
                    }
                    None if series.label.is_some() => rows.push((i, None)),
                    None => {}
                }
            }
            if rows.is_empty() {
                return Err(Diagnostic::at(
                    "the legend has nothing to show: give series a `label`",
                    spec.legend.as_ref().unwrap().span(),
                ));
            }
            let live_labels = rows.iter().any(|&(i, _)| {
                list[i]
                    .label
                    .as_ref()
                    .is_some_and(|l| l.as_static().is_none())
            });
            Some(Legend {
                place,
                labels: rows
                    .iter()
                    .map(|&row| legend::label(&row_label(&list, row, &start), dpi, &font))
                    .collect(),
                swatches: rows
                    .iter()
                    .map(|&row| row_swatch(&list, row, &start))
                    .collect(),
                animated: live_labels || rows.iter().any(|&(i, _)| list[i].style.is_animated()),
                live_labels,
                rows,
            })
        }
    };
    let mode = spec.limits.unwrap_or_default();
    let given = |l: Option<crate::expr::Interval>| match l {
        Some(iv) => AxisLimits::Given(iv),
        None => AxisLimits::Frame,
    };
    let (mut xa, mut ya) = (given(xlim), given(ylim));
    if let (Some(layer), Some(raw)) = (&field, &spec.field) {
        // Axes not given show the field edge to edge, as matplotlib's imshow does.
        let (ex, ey) = match layer::Layer::extent(raw.get_ref(), cx)? {
            Some(e) => e,
            None => {
                let env = Env::new(0.0, duration, cx.fps);
                let ((x0, x1), (y0, y1)) =
                    layer.array_extent(&env).map_err(|e| Diagnostic::new(e.0))?;
                (Interval::constant(x0, x1), Interval::constant(y0, y1))
            }
        };
        if matches!(xa, AxisLimits::Frame) {
            xa = AxisLimits::Given(ex);
        }
        if matches!(ya, AxisLimits::Frame) {
            ya = AxisLimits::Given(ey);
        }
    }
    // The axes are laid out in a figure that ends where the colorbar's gap begins, less
    // the figure's right margin, which the gap replaces. Hidden axes have no margin:
    // the data end where the gap begins.
    let axis = spec.axis.unwrap_or(true);
    let axes_w = match bar_w > 0.0 {
        true if axis => {
            ((size.w as f64 - bar_w) / crate::chart::style::SUBPLOT_RIGHT).min(size.w as f64) as u32
        }
        true => (size.w as f64 - bar_w).round() as u32,
        false => size.w,
    };
    let bar_x = size.w as f64 - bar_w;
    let mut plot = Plot {
        kind: "plot",
        size,
        duration,
        series: list,
        field,
        bar: (bar_w > 0.0).then(|| colorbar::bar_bounds(bar_x, size.w, size.h, dpi, &font)),
        series_bar,
        series_bar_label,
        axes_w,
        axis,
        decor,
        live,
        cut: CutWarning::new(cx),
        legend,
        limits: Limits::PerFrame {
            x: AxisLimits::Frame,
            y: AxisLimits::Frame,
        },
        annotations,
        polar: None,
    };
    if is_polar {
        plot.polar = Some(plot.compile_polar(&spec, mode, series_list, size_span, cx)?);
        return Ok(plot);
    }
    let automatic = matches!(xa, AxisLimits::Frame) || matches!(ya, AxisLimits::Frame);
    if mode == LimitsMode::Clip && automatic {
        // What the plot shows over the clip decides the automatic axes; given limits
        // that move decide, at each instant, which points are in view.
        let moving = matches!(&xa, AxisLimits::Given(iv) if iv.is_animated())
            || matches!(&ya, AxisLimits::Given(iv) if iv.is_animated());
        let times = if !moving && !plot.series.iter().any(Series::is_animated) {
            vec![0.0]
        } else {
            let d = duration.ok_or_else(|| {
                // Point at what moves: a limit, else the first series that changes (else
                // the clip's table).
                let limit = [&spec.xlim, &spec.ylim]
                    .into_iter()
                    .zip([&xa, &ya])
                    .find(|(_, a)| matches!(a, AxisLimits::Given(iv) if iv.is_animated()))
                    .and_then(|(raw, _)| raw.as_ref().map(|r| r.span()));
                let series = plot
                    .series
                    .iter()
                    .position(Series::is_animated)
                    .and_then(|i| series_list.get(i).map(|s| s.span()));
                let d = Diagnostic::new(
                    "this plot changes over time, so its automatic axis limits are chosen over \
                     the whole clip, which needs its `duration`",
                )
                .with_hint("give `duration`, or fixed `xlim` and `ylim`, or `limits = \"frame\"`");
                match limit.or(series) {
                    Some(span) => d.or_span(span),
                    None => d,
                }
            })?;
            crate::base::time::spread_instants(d, cx.fps, MAX_LIMIT_SAMPLES)
        };
        let (x, y) = plot.limits_over(&times, cx.fps, &xa, &ya);
        if matches!(xa, AxisLimits::Frame) {
            xa = AxisLimits::Clip(x);
        }
        if matches!(ya, AxisLimits::Frame) {
            ya = AxisLimits::Clip(y);
        }
    }
    plot.limits = match (xa.as_constant(), ya.as_constant()) {
        (Some(x), Some(y)) if plot.live.is_none() => {
            // Kept for the whole render, used or not: counted with the pictures.
            cx.hold(layers_bytes(size), size_span).map_err(|d| {
                d.with_hint("a plot (or a field on axes) keeps its axes drawn at its size: make it smaller, or use fewer such clips")
            })?;
            Limits::Fixed(Box::new(plot.layers(&plot.decor, x, y, None)))
        }
        _ => Limits::PerFrame { x: xa, y: ya },
    };
    Ok(plot)
}

/// The bytes of the axes drawn once for fixed limits ([`Layers`]): two RGBA layers and
/// a one-byte mask, all of the plot's size.
fn layers_bytes(size: Size) -> u64 {
    size.w as u64 * size.h as u64 * 9
}

/// A legend row's label at `env`: its class's name, or its series' label.
fn row_label(list: &[Series], (i, class): (usize, Option<usize>), env: &Env) -> String {
    match (class, list[i].classes()) {
        (Some(k), Some(classes)) => classes[k].name.clone(),
        _ => list[i]
            .label
            .as_ref()
            .map(|l| l.at(env))
            .unwrap_or_default(),
    }
}

/// A legend row's swatch at `env`: its class's marker, or its series' look.
fn row_swatch(list: &[Series], (i, class): (usize, Option<usize>), env: &Env) -> Swatch {
    match class {
        Some(k) => {
            let color = list[i]
                .classes()
                .map_or(crate::base::color::Rgba::TRANSPARENT, |c| c[k].color);
            list[i].style.class_swatch(env, color)
        }
        None => list[i].style.swatch(env),
    }
}

impl Plot {
    fn env(&self, t: f64, fps: f64) -> Env {
        Env::new(t, self.duration, fps)
    }

    /// Limits covering what the series show at `times`, given ones kept. Samples are
    /// looked at one at a time, so memory stays that of one frame.
    fn limits_over(&self, times: &[f64], fps: f64, x: &AxisLimits, y: &AxisLimits) -> (Lim, Lim) {
        let mut ext = Extents::default();
        let (mut xlim, mut ylim) = (None, None);
        for &t in times {
            let env = self.env(t, fps);
            xlim = x.at(&env, self.decor.xscale);
            ylim = y.at(&env, self.decor.yscale);
            for s in &self.series {
                ext.add(&s.sample(&env), &self.decor, xlim, ylim);
            }
        }
        ext.limits(&self.decor, xlim, ylim)
    }

    /// The limits of the frame at `env` that shows `samples`.
    fn limits_at(
        &self,
        env: &Env,
        samples: &[Sample],
        x: &AxisLimits,
        y: &AxisLimits,
    ) -> (Lim, Lim) {
        let xlim = x.at(env, self.decor.xscale);
        let ylim = y.at(env, self.decor.yscale);
        let mut ext = Extents::default();
        for s in samples {
            ext.add(s, &self.decor, xlim, ylim);
        }
        ext.limits(&self.decor, xlim, ylim)
    }

    /// The axes for `xlim` × `ylim`, with the legend unless it changes over time (then
    /// it is drawn at `env` when one is given, else left for each frame).
    fn layers(&self, decor: &Decor, xlim: Lim, ylim: Lim, env: Option<&Env>) -> Layers {
        let (w, h) = (self.size.w, self.size.h);
        let axes_w = self.axes_w;
        let axes = if self.axis {
            Axes::new(axes_w, h, decor, xlim, ylim)
        } else {
            Axes::hidden(axes_w, h, decor, xlim, ylim)
        };
        self.cut.check(&axes, w, h);
        let mut under = crate::base::frame::blank(self.size);
        axes.draw_under(&mut under);
        let mut over = crate::base::frame::blank(self.size);
        axes.draw_over(&mut over);
        if let Some(f) = self.field.as_ref().filter(|f| f.range_is_constant()) {
            let start = env
                .cloned()
                .unwrap_or_else(|| Env::new(0.0, self.duration, 25.0));
            if let Ok(fr) = f.frame(&start) {
                self.draw_colorbar(&mut over, &fr, axes.rect);
            }
        }
        if let (Some((map, range)), Some(bar)) = (self.series_bar, self.bar) {
            let bar = self.bar_beside(bar, axes.rect);
            let texts = colorbar::Texts {
                dpi: self.decor.dpi,
                font: &self.decor.font,
                label: self.series_bar_label.as_deref(),
            };
            colorbar::draw(&mut over, bar, &map, range, self.decor.colors.ink, texts);
        }
        self.draw_legend(&mut over, axes.rect, env);
        let mask = clip_mask(w, h, axes.rect);
        Layers {
            axes,
            under,
            over,
            mask,
        }
    }

    /// The field's colorbar for the values of `fr`, as tall as the axes `rect`.
    /// The colorbar as tall as the axes at `rect`, as matplotlib draws it. Hidden axes
    /// reach the figure's bottom edge (and its top without a title), where the labels
    /// at the bar's ends would be cut: there the bar keeps its own margins.
    fn bar_beside(
        &self,
        bar: crate::chart::paint::Bounds,
        rect: crate::chart::paint::Bounds,
    ) -> crate::chart::paint::Bounds {
        match self.axis {
            true => crate::chart::paint::Bounds {
                y0: rect.y0,
                y1: rect.y1,
                ..bar
            },
            false => crate::chart::paint::Bounds {
                y0: rect.y0.max(bar.y0),
                y1: rect.y1.min(bar.y1),
                ..bar
            },
        }
    }

    fn draw_colorbar(&self, pm: &mut Pixmap, fr: &Frame, rect: crate::chart::paint::Bounds) {
        let (Some(bar), Some(f)) = (self.bar, self.field.as_ref().filter(|f| f.colorbar)) else {
            return;
        };
        let bar = self.bar_beside(bar, rect);
        f.draw_colorbar(
            pm,
            bar,
            fr,
            self.decor.colors.ink,
            (self.decor.dpi, &self.decor.font),
        );
    }

    /// A legend whose swatches show the series' look at `env`.
    /// The legend placed against `rect`: when it does not change, drawn on the layer
    /// over the data (warned of once if it does not fit); else at `env`'s time, on each
    /// frame.
    fn draw_legend(&self, pm: &mut Pixmap, rect: crate::chart::paint::Bounds, env: Option<&Env>) {
        let Some(legend) = &self.legend else {
            return;
        };
        if !legend.animated {
            self.draw_legend_rows(pm, legend, rect, &legend.labels, &legend.swatches);
        } else if let Some(env) = env {
            self.draw_legend_at(pm, legend, rect, env);
        }
    }

    fn draw_legend_at(
        &self,
        pm: &mut Pixmap,
        legend: &Legend,
        rect: crate::chart::paint::Bounds,
        env: &Env,
    ) {
        let swatches: Vec<Swatch> = legend
            .rows
            .iter()
            .map(|&row| row_swatch(&self.series, row, env))
            .collect();
        let now: Vec<Shaped>;
        let labels = if legend.live_labels {
            now = legend
                .rows
                .iter()
                .map(|&row| {
                    let text = row_label(&self.series, row, env);
                    legend::label(&text, self.decor.dpi, &self.decor.font)
                })
                .collect();
            &now
        } else {
            &legend.labels
        };
        self.draw_legend_rows(pm, legend, rect, labels, &swatches);
    }

    /// `legend` with these labels and swatches, warned of once if it does not fit.
    fn draw_legend_rows(
        &self,
        pm: &mut Pixmap,
        legend: &Legend,
        rect: crate::chart::paint::Bounds,
        labels: &[Shaped],
        swatches: &[Swatch],
    ) {
        let fits = legend::draw(
            pm,
            labels,
            swatches,
            legend.place,
            rect,
            self.decor.colors.ink,
            self.decor.dpi,
            &self.decor.font,
        );
        if !fits {
            self.cut.legend(legend.rows.len());
        }
    }

    /// The series at `env`, placed by `place`, inside `mask`; with head labels on
    /// cartesian `head` axes.
    fn draw_series(
        &self,
        pm: &mut Pixmap,
        place: &dyn Placing,
        mask: Option<&Mask>,
        head: Option<&Axes>,
        samples: &[Sample],
        env: &Env,
    ) {
        let looks: Vec<_> = self.series.iter().map(|s| s.style.look(env)).collect();
        for ((s, d), look) in self.series.iter().zip(samples).zip(&looks) {
            if !s.has_fill() || look.fill.0[3] == 0 {
                continue;
            }
            // One polygon per run of points where both edges are known.
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut back: Vec<(f64, f64)> = Vec::new();
            let mut flush = |run: &mut Vec<(f64, f64)>, back: &mut Vec<(f64, f64)>| {
                if run.len() >= 2 {
                    run.extend(back.iter().rev());
                    paint::fill(pm, run, look.fill, mask);
                }
                run.clear();
                back.clear();
            };
            for i in 0..d.xs.len() {
                let (x, y) = place.px(d.xs[i], d.ys[i]);
                let (x2, y2) = place.edge(d.xs[i], d.y2[i]);
                if x.is_finite() && y.is_finite() && x2.is_finite() && y2.is_finite() {
                    run.push((x, y));
                    back.push((x2, y2));
                } else {
                    flush(&mut run, &mut back);
                }
            }
            flush(&mut run, &mut back);
        }
        for ((s, d), look) in self.series.iter().zip(samples).zip(&looks) {
            let pts: Vec<(f64, f64)> =
                d.xs.iter()
                    .zip(&d.ys)
                    .map(|(&x, &y)| place.px(x, y))
                    .collect();
            if let Some(line) = &look.line {
                paint::stroke(pm, &pts, line, mask);
            }
            if let Some(shape) = s.style.marker {
                if d.colors.is_empty() && d.opacities.is_empty() {
                    paint::markers(pm, &pts, &d.sizes, shape, look.color, mask);
                } else {
                    colored_markers(pm, &pts, d, shape, (look.color, look.opacity), mask);
                }
            }
        }
        let Some(axes) = head else {
            return;
        };
        for ((s, d), look) in self.series.iter().zip(samples).zip(&looks) {
            if let Some(label) = &s.head_label {
                self.draw_head_label(
                    pm,
                    label,
                    d,
                    axes,
                    look.color,
                    s.style.marker.is_some(),
                    env,
                );
            }
        }
    }

    /// A series' `head_label` beside its last point shown (the last with both
    /// coordinates known and inside the axes), as matplotlib's `annotate` with an
    /// offset of 4 points to the right, past the marker if there is one.
    #[allow(clippy::too_many_arguments)]
    fn draw_head_label(
        &self,
        pm: &mut Pixmap,
        label: &crate::text::template::Template,
        d: &Sample,
        axes: &Axes,
        color: crate::base::color::Rgba,
        marker: bool,
        env: &Env,
    ) {
        let inside = |x: f64, y: f64| {
            let r = axes.rect.grow(0.5);
            (r.x0..=r.x1).contains(&x) && (r.y0..=r.y1).contains(&y)
        };
        let head = (0..d.xs.len()).rev().find_map(|i| {
            let (px, py) = axes.px(d.xs[i], d.ys[i]);
            inside(px, py).then_some((i, px, py))
        });
        let Some((i, px, py)) = head else {
            return;
        };
        let mut text = String::new();
        label.write_with(env, &[d.xs[i], d.ys[i]], &mut text);
        if text.is_empty() {
            return;
        }
        let dpi = self.decor.dpi;
        let radius = match d.sizes.get(i) {
            Some(size) if marker => size / 2.0,
            _ => 0.0,
        };
        let shaped = self
            .decor
            .font
            .shape(&text, dpi.pt(crate::chart::style::size::FONT));
        let x = px + radius + dpi.pt(4.0);
        shaped.draw(
            pm,
            x,
            py,
            0.0,
            crate::chart::label::VAnchor::Center,
            false,
            color,
        );
    }
}

/// Where a series' points go on the page: on cartesian or polar axes.
trait Placing {
    /// Data to pixel coordinates.
    fn px(&self, x: f64, y: f64) -> (f64, f64);
    /// The other edge of a fill at `x`, at `y2` (NaN: the axis's bottom, a log
    /// axis's "under").
    fn edge(&self, x: f64, y2: f64) -> (f64, f64);
}

impl Placing for Axes {
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        Axes::px(self, x, y)
    }
    fn edge(&self, x: f64, y2: f64) -> (f64, f64) {
        let mut p = self.y.px(y2);
        if !p.is_finite() && y2 == 0.0 {
            p = self.rect.y1;
        }
        (self.x.px(x), p)
    }
}

/// Markers of one colour per point (a `color_by` column's, else `series` — the series'
/// colour, its opacity applied, and its opacity — with each point's opacity): drawn a
/// colour at a time, in the order the colours first appear.
fn colored_markers(
    pm: &mut Pixmap,
    pts: &[(f64, f64)],
    d: &Sample,
    shape: crate::chart::style::Marker,
    series: (crate::base::color::Rgba, f64),
    mask: Option<&Mask>,
) {
    let mut groups: Vec<(crate::base::color::Rgba, Vec<usize>)> = Vec::new();
    let mut group_of: std::collections::HashMap<[u8; 4], usize> = Default::default();
    for i in 0..pts.len() {
        let (c, opacity) = match d.colors.get(i) {
            Some(c) if c.0[3] == 0 => continue,
            Some(c) => (*c, series.1),
            None => (series.0, 1.0),
        };
        let c = style::with_alpha(c, opacity * d.opacities.get(i).copied().unwrap_or(1.0));
        if c.0[3] == 0 {
            continue;
        }
        let g = *group_of.entry(c.0).or_insert_with(|| {
            groups.push((c, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    for (color, members) in groups {
        let p: Vec<(f64, f64)> = members.iter().map(|&i| pts[i]).collect();
        let sizes: Vec<f64> = members.iter().map(|&i| d.sizes[i]).collect();
        paint::markers(pm, &p, &sizes, shape, color, mask);
    }
}

impl Clip for Plot {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn children(&self) -> Vec<Placement> {
        self.field
            .as_ref()
            .and_then(|f| f.under())
            .map(|clip| Placement {
                label: "under".to_string(),
                clip: clip.clone(),
                start: 0.0,
                end: None,
            })
            .into_iter()
            .collect()
    }
    fn passes_time(&self) -> bool {
        true
    }
    fn rate(&self) -> Option<f64> {
        self.field.as_ref().and_then(|f| f.rate())
    }
    fn working_bytes(&self) -> u64 {
        self.field.as_ref().map_or(0, |f| f.working_bytes())
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn numbers(
        &self,
        t: f64,
        cx: &RenderCx,
    ) -> Option<Result<Vec<f64>, crate::base::error::RenderError>> {
        let field = self.field.as_ref()?;
        Some(field.numbers(&self.env(t, cx.fps)))
    }
    fn draws_numbers(&self) -> bool {
        self.field.is_some()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let env = self.env(t, cx.fps);
        let samples: Vec<Sample> = self.series.iter().map(|s| s.sample(&env)).collect();
        if let Some(p) = &self.polar {
            return Ok(self.render_polar(p, &env, &samples));
        }
        let per_frame;
        let layers: &Layers = match &self.limits {
            Limits::Fixed(l) => l,
            Limits::PerFrame { x, y } => {
                let (x, y) = self.limits_at(&env, &samples, x, y);
                let now;
                let decor = match &self.live {
                    Some(live) => {
                        now = live.at(&self.decor, &env);
                        &now
                    }
                    None => &self.decor,
                };
                per_frame = self.layers(decor, x, y, Some(&env));
                &per_frame
            }
        };
        let mut pm = layers.under.clone();
        if let Some(f) = &self.field {
            let fr = f.frame(&env)?;
            f.draw(
                &mut pm,
                &layers.axes,
                layers.mask.as_ref(),
                &fr,
                &env,
                cx,
                (self.decor.dpi, &self.decor.font),
            )?;
            if !f.range_is_constant() {
                self.draw_colorbar(&mut pm, &fr, layers.axes.rect);
            }
        }
        self.draw_series(
            &mut pm,
            &layers.axes,
            layers.mask.as_ref(),
            Some(&layers.axes),
            &samples,
            &env,
        );
        pm.draw_pixmap(
            0,
            0,
            layers.over.as_ref(),
            &PixmapPaint::default(),
            Transform::identity(),
            None,
        );
        if let (Limits::Fixed(l), Some(legend)) = (&self.limits, &self.legend) {
            if legend.animated {
                self.draw_legend_at(&mut pm, legend, l.axes.rect, &env);
            }
        }
        for a in &self.annotations {
            a.draw(
                &mut pm,
                &layers.axes,
                &self.decor.font,
                self.decor.colors.ink,
                &env,
            );
        }
        Ok(pm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use crate::chart::scale::Scale;
    use crate::expr::Scope;
    use toml::de::DeValue;

    fn plot(keys: &str) -> Result<Plot, Diagnostic> {
        let text = format!("{{ size = [200, 150], duration = 1, {keys} }}");
        let spec: Spec = typed(DeValue::parse(&text).unwrap())?;
        let mut cx = ResolveCx::new(
            std::path::Path::new("."),
            Scope::default(),
            crate::scene::resolve::build_clip,
        );
        compile(spec, &mut cx)
    }

    fn fixed(p: &Plot) -> Option<&Layers> {
        match &p.limits {
            Limits::Fixed(l) => Some(l),
            Limits::PerFrame { .. } => None,
        }
    }

    #[test]
    fn constant_limits_draw_the_axes_once() {
        let p = plot(r#"x = [0, "2*pi"], ylim = ["-1 - 1", 2], series = [{ y = "sin(x + t)" }]"#)
            .unwrap();
        let l = fixed(&p).expect("axes drawn once");
        assert_eq!((l.axes.y.lo, l.axes.y.hi), (-2.0, 2.0));
        // automatic x over the clip: 0 … 2π plus 5 % on each side
        let want = Scale::Linear.auto_limits(0.0, 2.0 * std::f64::consts::PI);
        assert!((l.axes.x.lo - want.0).abs() < 1e-12 && (l.axes.x.hi - want.1).abs() < 1e-12);
        // the legend of a series whose look is constant is drawn with them
        let p = plot(
            r#"x = [0, 1], series = [{ y = "x", label = "a", width = "2*2" }], legend = true"#,
        )
        .unwrap();
        assert!(fixed(&p).is_some() && !p.legend.as_ref().unwrap().animated);
    }

    #[test]
    fn animated_limits_are_found_per_frame() {
        let p = plot(
            r#"x = [0, 4], ylim = ["-1 - t", { keys = [[0, 2], [1, 4]] }], series = [{ y = "x" }]"#,
        )
        .unwrap();
        let Limits::PerFrame { x, y } = &p.limits else {
            panic!("animated ylim drawn once");
        };
        // x is automatic over the clip, so it holds still; y moves
        assert!(matches!(x, AxisLimits::Clip(_)));
        let env = |t| Env::new(t, Some(1.0), 25.0);
        assert_eq!(y.at(&env(0.0), Scale::Linear), Some((-1.0, 2.0)));
        assert_eq!(y.at(&env(1.0), Scale::Linear), Some((-2.0, 4.0)));
    }

    #[test]
    fn a_moving_window_decides_the_automatic_range_of_the_other_axis() {
        // y = x over 0 … 10, but only x in view counts: the window moves from 0..1 to
        // 2..3 over the clip, so y covers 0 … 3, not 0 … 10.
        let p = plot(r#"x = [0, 10], xlim = ["2*t", "2*t + 1"], series = [{ y = "x" }]"#).unwrap();
        let Limits::PerFrame {
            y: AxisLimits::Clip(y),
            ..
        } = &p.limits
        else {
            panic!("y should be chosen once over the clip");
        };
        // (x is sampled at 400 points, so the points in view end near 0 and 3)
        let want = Scale::Linear.auto_limits(0.0, 3.0);
        assert!(
            (y.0 - want.0).abs() < 0.1 && (y.1 - want.1).abs() < 0.1,
            "{y:?}"
        );
    }

    #[test]
    fn animated_looks_draw_the_legend_per_frame() {
        let p = plot(
            r#"x = [0, 1], ylim = [0, 1], series = [{ y = "x", label = "a", opacity = "1 - t" }], legend = true"#,
        )
        .unwrap();
        assert!(fixed(&p).is_some(), "the axes still hold still");
        assert!(p.legend.as_ref().unwrap().animated);
    }

    #[test]
    fn ranges_are_checked_where_they_are_written() {
        let e = plot(r#"x = [1, "1"], series = [{ y = "x" }]"#)
            .err()
            .unwrap();
        assert_eq!(e.message, "x must be two different numbers, not [1, 1]");
        let e = plot(r#"x = [1, 2], yscale = "log", ylim = [0, "t + 1"], series = [{ y = "x" }]"#)
            .err()
            .unwrap();
        assert_eq!(e.message, "ylim must be positive on a log axis, not 0");
        let e = plot(r#"x = [1, 2], xlim = [0, 1, 2], series = [{ y = "x" }]"#)
            .err()
            .unwrap();
        assert!(e.message.contains("two values"), "{}", e.message);
        // a limit that moves needs a duration to choose the other axis over the clip
        let text =
            r#"{ size = [200, 150], x = [0, 1], xlim = [0, "1 + t"], series = [{ y = "x" }] }"#;
        let spec: Spec = typed(DeValue::parse(text).unwrap()).unwrap();
        let mut cx = ResolveCx::new(
            std::path::Path::new("."),
            Scope::default(),
            crate::scene::resolve::build_clip,
        );
        let e = compile(spec, &mut cx).err().unwrap();
        assert!(e.message.contains("needs its `duration`"), "{}", e.message);
    }
}
