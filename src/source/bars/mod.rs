//! `kind = "bars"`: vertical or horizontal bars on matplotlib-style axes, their values
//! numbers, expressions of t, or the columns of a wide CSV table walked through over
//! the clip (values tweened between columns) — and, with `rank`, the bar chart race:
//! bars ordered by value at each instant, sliding to their new rank, the top N shown.

mod clip;
mod crowd;
mod rank;
pub(crate) mod spec;

use std::sync::Arc;

use toml::Spanned;

pub use self::spec::Spec;
use self::spec::{LimitsMode, Orientation};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::frame::{RenderResult, Size};
use crate::chart::axes::{Axes, Colors, Decor, TickKind};
use crate::chart::label::VAnchor;
use crate::chart::paint;
use crate::chart::scale::Scale;
use crate::chart::style::{bar_cycle, size, BAR_COLORS};
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, RenderCx};
use crate::expr::{Env, Param};
use crate::source::chart_text::{CutWarning, LiveDecor};
use crate::text::template::Template;

/// The most instants sampled to choose the value axis over a clip.
const MAX_LIMIT_SAMPLES: usize = 200;

/// How long a bar takes to move to a new rank unless `swap` says.
const DEFAULT_SWAP: f64 = 0.5;

/// The bar's thickness as a fraction of its slot (matplotlib's `width=0.8`).
const DEFAULT_THICKNESS: f64 = 0.8;

/// The colour of the period label of a race.
const PERIOD_COLOR: Rgba = Rgba([0x70, 0x70, 0x70, 255]);

/// Where a bar's value comes from.
enum Values {
    /// A number, an expression of t, keyframes.
    Param(Param),
    /// One value per column of a table, walked through over the clip.
    Steps(Vec<f64>),
}

struct Bar {
    name: String,
    color: Rgba,
    values: Values,
}

/// The value axis's limits.
enum ValueLimits {
    /// Given, or decided once over the clip.
    Fixed((f64, f64)),
    /// Decided in each frame from the bars it shows.
    Frame,
}

struct Bars {
    size: Size,
    duration: Option<f64>,
    bars: Vec<Bar>,
    /// The headers of the table's value columns (empty for bars given one by one).
    headers: Vec<String>,
    horizontal: bool,
    rank: bool,
    /// How many slots the category axis has: every bar, or the top N.
    slots: usize,
    swap: f64,
    /// Seconds at the end that show the last column, so that bars still sliding
    /// settle and the last period is seen.
    hold: f64,
    thickness: f64,
    value_labels: Option<Template>,
    period: bool,
    limits: ValueLimits,
    decor: Decor,
    /// The title or an axis label holds live values (`{t:.1f}`).
    live: Option<LiveDecor>,
    /// Says once that a title or axis label is cut.
    cut: CutWarning,
    /// Says once that bar names or value labels run together.
    crowd: crowd::Crowding,
    /// Whether the value axis may be raised for the value labels of vertical bars
    /// (not past a `vlim` given).
    values_room: bool,
}

/// The first two bars, both coloured by the cycle (`by_cycle` of their index), that
/// the cycle gives the same colour: the cycle has [`BAR_COLORS`].
fn shared_colour(bars: &[Bar], by_cycle: impl Fn(usize) -> bool) -> Option<(&str, &str)> {
    (BAR_COLORS..bars.len())
        .find(|&i| by_cycle(i) && by_cycle(i - BAR_COLORS))
        .map(|i| (bars[i - BAR_COLORS].name.as_str(), bars[i].name.as_str()))
}

fn same_colour(a: &str, b: &str) -> String {
    format!(
        "bars `{a}` and `{b}` have the same colour: the colour cycle for bars has \
         {BAR_COLORS} colours, then starts again"
    )
}

/// Builds the clip; errors without a place of their own point at the clip's table.
pub fn build(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    match compile(spec, &table, cx) {
        Ok(b) => Ok(Arc::new(b)),
        Err(d) => Err(d.or_span(table)),
    }
}

fn compile(
    spec: Spec,
    table: &std::ops::Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Bars, Diagnostic> {
    let size = cx.size(&spec.size)?;
    let duration = cx.duration(spec.duration.as_ref())?;
    let dpi = crate::source::plot::dpi_of(spec.dpi.as_ref())?;
    let (font, title_font) = crate::source::plot::fonts_of(
        crate::source::plot::FontKeys {
            font: spec.font.as_ref(),
            weight: spec.weight.as_ref(),
            style: spec.style.as_ref(),
            title_weight: spec.title_weight.as_ref(),
            title_style: spec.title_style.as_ref(),
        },
        cx,
    )?;
    let (bars, headers) =
        match (&spec.bars, &spec.csv) {
            (Some(list), None) => {
                if let Some(n) = &spec.names {
                    return Err(Diagnostic::at("`names` is for `csv` bars", n.span()));
                }
                if let Some(c) = &spec.columns {
                    return Err(Diagnostic::at("`columns` is for `csv` bars", c.span()));
                }
                if list.get_ref().is_empty() {
                    return Err(Diagnostic::at("`bars` is empty", list.span()));
                }
                let mut bars = Vec::new();
                for (i, b) in list.get_ref().iter().enumerate() {
                    let b = b.get_ref();
                    // every value is checked before the first error is given
                    let value = cx.param(&b.value);
                    bars.push(value.map(|value| Bar {
                        name: b.label.clone(),
                        color: b.color.or(spec.color).unwrap_or_else(|| bar_cycle(i)),
                        values: Values::Param(value),
                    }));
                }
                let mut ok = Vec::new();
                let mut first_err = None;
                for b in bars {
                    match b {
                        Ok(b) => ok.push(b),
                        Err(e) if first_err.is_none() => first_err = Some(e),
                        Err(e) => cx.also(e),
                    }
                }
                if let Some(e) = first_err {
                    return Err(e);
                }
                let defaults: Vec<bool> = list
                    .get_ref()
                    .iter()
                    .map(|b| b.get_ref().color.is_none() && spec.color.is_none())
                    .collect();
                if let Some((a, b)) = shared_colour(&ok, |i| defaults[i]) {
                    cx.warn(
                        Diagnostic::at(same_colour(a, b), list.span())
                            .with_hint("give one of them a `color`"),
                    );
                }
                (ok, Vec::new())
            }
            (None, Some(file)) => {
                let names = spec.names.as_ref().ok_or_else(|| {
                    Diagnostic::at(
                        "bars from a CSV file need `names`, the column of the bars' names",
                        file.span(),
                    )
                })?;
                let path = cx.input_path(file)?;
                let columns = spec.columns.as_ref().map(|c| c.get_ref().as_slice());
                let wide = crate::data::wide::read(&path, file.get_ref(), names.get_ref(), columns)
                    .map_err(|e| {
                        // the reader's wording for a missing column: point at the key
                        // that names it
                        let at = if e.contains(&format!("has no column `{}`", names.get_ref())) {
                            names.span()
                        } else {
                            match &spec.columns {
                                Some(c) if e.contains("has no column `") => c.span(),
                                _ => file.span(),
                            }
                        };
                        Diagnostic::at(e, at)
                    })?;
                let bars = wide
                    .names
                    .into_iter()
                    .zip(wide.values)
                    .enumerate()
                    .map(|(i, (name, values))| Bar {
                        name,
                        color: spec.color.unwrap_or_else(|| bar_cycle(i)),
                        values: Values::Steps(values),
                    })
                    .collect::<Vec<Bar>>();
                let cycled = spec.color.is_none();
                if let Some((a, b)) = shared_colour(&bars, |_| cycled) {
                    cx.warn(
                        Diagnostic::at(same_colour(a, b), file.span()).with_hint(format!(
                            "a table's bars take the cycle's {BAR_COLORS} colours in row order; \
                         a table of {BAR_COLORS} rows or fewer gives each its own, and \
                         `color` gives them all one"
                        )),
                    );
                }
                (bars, wide.headers)
            }
            (Some(b), Some(_)) => {
                return Err(Diagnostic::at("give `bars` or `csv`, not both", b.span()))
            }
            (None, None) => return Err(Diagnostic::at(
                "bars need `bars` (a list of { label, value }) or `csv` (a table, a row per bar)",
                table.clone(),
            )),
        };
    if headers.len() > 1 && duration.is_none() {
        let at = spec
            .columns
            .as_ref()
            .map(|c| c.span())
            .or(spec.csv.as_ref().map(|c| c.span()))
            .unwrap_or(table.clone());
        return Err(Diagnostic::at(
            format!(
                "the table has {} columns of values, walked through over the clip's `duration`, \
                 which it needs",
                headers.len()
            ),
            at,
        )
        .with_hint("give `duration`, or one column with `columns = [\"…\"]`"));
    }
    let rank = spec.rank.unwrap_or(false);
    let slots = match &spec.top {
        Some(n) if *n.get_ref() == 0 => {
            return Err(Diagnostic::at("`top` must be at least 1", n.span()))
        }
        Some(n) if !rank => {
            return Err(Diagnostic::at(
                "`top` shows the first bars by rank: give `rank = true` too",
                n.span(),
            ))
        }
        Some(n) => (*n.get_ref() as usize).min(bars.len()),
        None => bars.len(),
    };
    let swap = match &spec.swap {
        Some(s) => cx.seconds(s, "swap", 0.0, true)?,
        None => DEFAULT_SWAP,
    };
    let hold = match (&spec.hold, duration) {
        (None, _) => 0.0,
        (Some(h), _) if headers.len() < 2 => {
            return Err(Diagnostic::at(
                "`hold` holds the last of a table's columns at the end: these bars have no columns to walk through",
                h.span(),
            ))
        }
        (Some(h), d) => {
            let v = cx.seconds(h, "hold", 0.0, true)?;
            let d = d.unwrap_or(f64::INFINITY);
            if v >= d {
                return Err(Diagnostic::at(
                    format!(
                        "hold must be shorter than the clip's {} s, which walk through the columns before it",
                        crate::base::limits::shown(d)
                    ),
                    h.span(),
                ));
            }
            v
        }
    };
    let thickness = match &spec.thickness {
        Some(t) if (0.0..=1.0).contains(t.get_ref()) && *t.get_ref() > 0.0 => *t.get_ref(),
        Some(t) => {
            return Err(Diagnostic::at(
                format!(
                    "thickness is a fraction of the slot, above 0 up to 1, not {}",
                    t.get_ref()
                ),
                t.span(),
            ))
        }
        None => DEFAULT_THICKNESS,
    };
    let value_labels = spec
        .value_labels
        .as_ref()
        .map(|raw: &Spanned<String>| {
            Template::compile_with(raw.get_ref(), &cx.scope, &["value"])
                .map_err(|e| e.in_file(raw.get_ref(), raw.span()))
        })
        .transpose()?;
    let horizontal = spec.orientation.unwrap_or_default() == Orientation::Horizontal;
    crate::source::chart_text::warn_of_mathtext(
        [
            ("title", spec.title.as_ref()),
            ("xlabel", spec.xlabel.as_ref()),
            ("ylabel", spec.ylabel.as_ref()),
        ],
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
        dpi,
        title,
        xlabel,
        ylabel,
        grid: spec.grid.unwrap_or(false),
        xscale: Scale::Linear,
        yscale: Scale::Linear,
        colors: Colors {
            figure: spec.background.unwrap_or(Colors::default().figure),
            axes: spec.axes_background.unwrap_or(Colors::default().axes),
            ink: spec.foreground.unwrap_or(Colors::default().ink),
        },
        xticks: TickKind::Auto,
        yticks: TickKind::Auto,
        font,
        title_font,
    };
    let mut b = Bars {
        size,
        duration,
        bars,
        period: spec.period.unwrap_or(true) && headers.len() > 1,
        headers,
        horizontal,
        rank,
        slots,
        swap,
        hold,
        thickness,
        value_labels,
        limits: ValueLimits::Frame,
        decor,
        live,
        cut: CutWarning::new(cx),
        crowd: crowd::Crowding::new(cx.current_clip()),
        values_room: spec.vlim.is_none(),
    };
    b.limits = match (&spec.vlim, spec.limits) {
        (Some(v), _) => {
            let [lo, hi] = *v.get_ref();
            if !(lo.is_finite() && hi.is_finite() && lo != hi) {
                return Err(Diagnostic::at("vlim is two different numbers", v.span()));
            }
            ValueLimits::Fixed((lo, hi))
        }
        (None, mode) if mode.map_or(!(rank && b.is_animated()), |m| m == LimitsMode::Clip) => {
            let times = if b.is_animated() {
                let d = duration.ok_or_else(|| {
                    Diagnostic::at(
                        "these bars change over time, so the value axis is chosen over the \
                         whole clip, which needs its `duration`",
                        spec.size.span(),
                    )
                    .with_hint("give `duration`, or `vlim`, or `limits = \"frame\"`")
                })?;
                crate::base::time::spread_instants(d, cx.fps, MAX_LIMIT_SAMPLES)
            } else {
                vec![0.0]
            };
            let (mut lo, mut hi) = (0.0f64, 0.0f64);
            for t in times {
                let (values, places) = b.state(t, cx.fps);
                for (v, p) in values.iter().zip(&places) {
                    if *p < b.slots as f64 - 0.5 && v.is_finite() {
                        lo = lo.min(*v);
                        hi = hi.max(*v);
                    }
                }
            }
            ValueLimits::Fixed(value_limits(lo, hi))
        }
        (None, _) => ValueLimits::Frame,
    };
    Ok(b)
}

/// The limit `end` of an axis running from `start` to it moved on so that the range
/// `start`–`end` fills the axes' height less `strip` pixels (both bar axes that take a
/// strip run up and down the picture).
fn far_end(end: f64, start: f64, strip: f64, axes: &Axes) -> f64 {
    let tall = axes.rect.y1 - axes.rect.y0;
    end + (end - start) * strip / (tall - strip)
}

/// matplotlib's automatic limits for bars from `lo` to `hi`: 5 % margins, but none
/// past 0, where bars start (their "sticky edge").
fn value_limits(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    if lo == hi {
        return (0.0, 1.0);
    }
    let (mut a, mut b) = Scale::Linear.auto_limits(lo, hi);
    if lo == 0.0 {
        a = 0.0;
    }
    if hi == 0.0 {
        b = 0.0;
    }
    (a, b)
}

impl Bars {
    fn env(&self, t: f64, fps: f64) -> Env {
        Env::new(t, self.duration, fps)
    }

    fn is_animated(&self) -> bool {
        self.headers.len() > 1
            || self.bars.iter().any(|b| match &b.values {
                Values::Param(p) => p.as_constant().is_none(),
                Values::Steps(_) => false,
            })
    }

    /// Where in the table's columns `t` falls: 0 at the first frame, the last column
    /// at the last frame before the `hold`.
    fn step_at(&self, t: f64, fps: f64) -> f64 {
        let n = self.headers.len();
        if n < 2 {
            return 0.0;
        }
        let walk = self.duration.unwrap_or(0.0) - self.hold;
        let frames = crate::base::time::frame_count(walk, fps);
        let f = if frames > 1 {
            (t * fps / (frames - 1) as f64).clamp(0.0, 1.0)
        } else {
            1.0
        };
        f * (n - 1) as f64
    }

    /// Every bar's value at `t`, tweened between columns.
    fn values(&self, t: f64, fps: f64) -> Vec<f64> {
        let env = self.env(t, fps);
        let p = self.step_at(t, fps);
        let (i, k) = (p.floor() as usize, p.fract());
        self.bars
            .iter()
            .map(|b| match &b.values {
                Values::Param(v) => v.eval(&env),
                Values::Steps(s) => {
                    let a = s[i.min(s.len() - 1)];
                    let b = s[(i + 1).min(s.len() - 1)];
                    a + (b - a) * k
                }
            })
            .collect()
    }

    /// The values at `t` and each bar's place (slot 0 first, fractional while moving).
    fn state(&self, t: f64, fps: f64) -> (Vec<f64>, Vec<f64>) {
        let values = self.values(t, fps);
        let places = if self.rank {
            rank::places(t, self.swap, self.bars.len(), |at| self.values(at, fps))
        } else {
            (0..self.bars.len()).map(|i| i as f64).collect()
        };
        (values, places)
    }

    /// The period label's font size in pixels.
    fn period_size(&self) -> f64 {
        self.decor.dpi.pt(size::TITLE) * 2.5
    }

    /// The pixels kept free of bars across the axes in axes `tall` pixels high, and
    /// whether the period label is in them. For the period: its line with a pad on
    /// each side, and, above vertical bars, room for the value label of a bar reaching
    /// the axis's end; when that would take more than a third of the axes (a small
    /// chart keeps its bars and draws the period over them), or without a period,
    /// only the value labels' room, so that the top label stays under the axes' edge
    /// (and the `1e7` offset above it) — unless `vlim` is given.
    fn period_strip(&self, tall: f64) -> (f64, bool) {
        let values = if !self.horizontal && self.value_labels.is_some() {
            self.decor.font.line_height(self.decor.dpi.pt(size::FONT)) + self.decor.dpi.pt(3.0)
        } else {
            0.0
        };
        let fits = |strip: f64| strip * 3.0 <= tall;
        if self.period {
            let pad = self.decor.dpi.pt(size::TITLE_PAD);
            let strip = self.decor.font.line_height(self.period_size()) + 2.0 * pad + values;
            if fits(strip) {
                return (strip, true);
            }
        }
        if self.values_room && values > 0.0 && fits(values) {
            (values, false)
        } else {
            (0.0, false)
        }
    }

    /// The category axis's limits, as matplotlib's autoscale sets them around `slots`
    /// bars of width `thickness`, first slot first (on top when horizontal).
    fn category_limits(&self) -> (f64, f64) {
        let n = self.slots as f64;
        let half = self.thickness / 2.0;
        let (lo, hi) = (-half, n - 1.0 + half);
        let m = (hi - lo) * crate::chart::scale::MARGIN;
        if self.horizontal {
            (hi + m, lo - m)
        } else {
            (lo - m, hi + m)
        }
    }
}

impl Clip for Bars {
    fn kind(&self) -> &'static str {
        "bars"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    /// Every frame starts as the figure's colour, and bars and text are drawn over it.
    fn is_opaque(&self) -> bool {
        self.decor.colors.figure.is_opaque()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let (values, places) = self.state(t, cx.fps);
        let cats = self.category_limits();
        let (cat_lo, mut cat_hi) = (cats.0.min(cats.1), cats.0.max(cats.1));
        // A race shows its top N: the axis's margin past the last slot reaches into
        // the next bar's slot (by 0.2 of a slot at 8 places), so bars are cut half-way
        // between the last place and the next, where one sliding in appears.
        let race_edge = (self.bars.len() > self.slots).then_some(self.slots as f64 - 0.5);
        if let Some(edge) = race_edge {
            cat_hi = cat_hi.min(edge);
        }
        // bars at least partly inside the category axis
        let half = self.thickness / 2.0;
        let shown: Vec<usize> = (0..self.bars.len())
            .filter(|&i| places[i] + half > cat_lo && places[i] - half < cat_hi)
            .collect();
        let vlim = match self.limits {
            ValueLimits::Fixed(l) => l,
            ValueLimits::Frame => {
                let (mut lo, mut hi) = (0.0f64, 0.0f64);
                for &i in &shown {
                    if values[i].is_finite() {
                        lo = lo.min(values[i]);
                        hi = hi.max(values[i]);
                    }
                }
                value_limits(lo, hi)
            }
        };
        let mut decor = match &self.live {
            Some(live) => live.at(&self.decor, &self.env(t, cx.fps)),
            None => self.decor.clone(),
        };
        let names = TickKind::Fixed(
            shown
                .iter()
                // a name past the axis's end would show in the period's strip
                .filter(|&&i| places[i] >= cat_lo && places[i] <= cat_hi)
                .map(|&i| (places[i], self.bars[i].name.clone()))
                .collect(),
        );
        if self.horizontal {
            decor.yticks = names;
        } else {
            decor.xticks = names;
        }
        let make = |cats: (f64, f64), vlim: (f64, f64)| {
            if self.horizontal {
                Axes::new(self.size.w, self.size.h, &decor, vlim, cats)
            } else {
                Axes::new(self.size.w, self.size.h, &decor, cats, vlim)
            }
        };
        let mut axes = make(cats, vlim);
        // The period's strip: below the last slot (horizontal) or above the value
        // axis's end (vertical), so that no bar or value label reaches under it.
        let (strip, period_in_strip) = self.period_strip(axes.rect.y1 - axes.rect.y0);
        if strip > 0.0 {
            axes = if self.horizontal {
                make((far_end(cats.0, cats.1, strip, &axes), cats.1), vlim)
            } else {
                make(cats, (vlim.0, far_end(vlim.1, vlim.0, strip, &axes)))
            };
        }
        self.cut.check(&axes, self.size.w, self.size.h);
        let mut pm = crate::base::frame::filled(self.size, self.decor.colors.figure.to_skia());
        axes.draw_inside(&mut pm);
        let mut inside = clip::whole_pixels(axes.rect);
        if self.horizontal {
            // bars sliding out of the top N are cut where the strip starts
            inside.y1 -= strip.round();
        }
        let at = |cat: f64, value: f64| {
            if self.horizontal {
                axes.px(value, cat)
            } else {
                axes.px(cat, value)
            }
        };
        if let Some(edge) = race_edge {
            let (x, y) = at(edge, 0.0);
            if self.horizontal {
                inside.y1 = inside.y1.min(y.round());
            } else {
                inside.x1 = inside.x1.min(x.round());
            }
        }
        for &i in &shown {
            let (p, v) = (places[i], values[i]);
            if !v.is_finite() {
                continue;
            }
            if let Some(corners) = clip::rect(at(p - half, 0.0), at(p + half, v), inside) {
                paint::fill(&mut pm, &corners, self.bars[i].color, None);
            }
        }
        axes.draw_over(&mut pm);
        let ink = self.decor.colors.ink;
        let font = self.decor.dpi.pt(size::FONT);
        let line = self.decor.font.line_height(font);
        let (fig_w, fig_h) = (self.size.w as f64, self.size.h as f64);
        // where the category axis's tick labels end (horizontal bars: their right edge)
        let label_right =
            axes.rect.x0 - self.decor.dpi.pt(size::TICK) - self.decor.dpi.pt(size::TICK_PAD);
        if !self.crowd.done(crowd::Labels::Names) {
            let names: Vec<(String, crowd::LabelBox)> = shown
                .iter()
                .filter(|&&i| places[i] >= cat_lo && places[i] <= cat_hi)
                .map(|&i| {
                    let name = &self.bars[i].name;
                    let width = self.decor.font.shape(name, font).width;
                    let (x, y) = at(places[i], 0.0);
                    // tick labels share a row (vertical bars) or a right edge
                    let b = if self.horizontal {
                        (
                            label_right - width,
                            y - line / 2.0,
                            label_right,
                            y + line / 2.0,
                        )
                    } else {
                        (x - width / 2.0, 0.0, x + width / 2.0, line)
                    };
                    (name.clone(), crowd::LabelBox::new(places[i], b))
                })
                .collect();
            self.crowd
                .check(crowd::Labels::Names, &names, self.horizontal);
            self.crowd
                .check_cut(crowd::Labels::Names, &names, fig_w, fig_h);
        }
        if let Some(template) = &self.value_labels {
            let env = self.env(t, cx.fps);
            let pad = self.decor.dpi.pt(3.0);
            let watch = !self.crowd.done(crowd::Labels::Values);
            let mut boxes = Vec::new();
            let mut text = String::new();
            for &i in &shown {
                let (p, v) = (places[i], values[i]);
                if p < cat_lo || p > cat_hi || !v.is_finite() {
                    continue;
                }
                template.write_with(&env, &[v], &mut text);
                let shaped = self.decor.font.shape(&text, font);
                let (x, y) = at(p, v);
                let w = shaped.width;
                let b = if self.horizontal {
                    let (x, ha) = if v >= 0.0 {
                        (x + pad, 0.0)
                    } else {
                        (x - pad, 1.0)
                    };
                    shaped.draw(&mut pm, x, y, ha, VAnchor::Center, false, ink);
                    (x - ha * w, y - line / 2.0, x - ha * w + w, y + line / 2.0)
                } else {
                    let (y, va) = if v >= 0.0 {
                        (y - pad, VAnchor::Bottom)
                    } else {
                        (y + pad, VAnchor::Top)
                    };
                    shaped.draw(&mut pm, x, y, 0.5, va, false, ink);
                    let top = if v >= 0.0 { y - line } else { y };
                    (x - w / 2.0, top, x + w / 2.0, top + line)
                };
                if watch {
                    boxes.push((text.clone(), crowd::LabelBox::new(p, b)));
                }
            }
            if watch {
                self.crowd
                    .check(crowd::Labels::Values, &boxes, self.horizontal);
                self.crowd
                    .check_cut(crowd::Labels::Values, &boxes, fig_w, fig_h);
            }
        }
        if self.period {
            let step = self.step_at(t, cx.fps);
            let i = ((step + 1e-9).floor() as usize).min(self.headers.len() - 1);
            let shaped = self.decor.font.shape(&self.headers[i], self.period_size());
            let r = axes.rect;
            let pad = self.decor.dpi.pt(size::TITLE_PAD);
            // a chart too small for the strip has the name in the lower right
            let (y, va) = if self.horizontal || !period_in_strip {
                (r.y1 - pad, VAnchor::Bottom)
            } else {
                (r.y0 + pad, VAnchor::Top)
            };
            shaped.draw(&mut pm, r.x1 - pad, y, 1.0, va, false, PERIOD_COLOR);
        }
        Ok(pm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_axis_like_matplotlibs_bars() {
        assert_eq!(value_limits(0.0, 10.0), (0.0, 10.5));
        assert_eq!(value_limits(-10.0, 0.0), (-10.5, 0.0));
        let (a, b) = value_limits(-10.0, 10.0);
        assert!((a + 11.0).abs() < 1e-12 && (b - 11.0).abs() < 1e-12);
        assert_eq!(value_limits(3.0, 10.0), (0.0, 10.5));
        assert_eq!(value_limits(0.0, 0.0), (0.0, 1.0));
    }
}
