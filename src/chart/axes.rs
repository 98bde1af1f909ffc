//! One set of axes in a figure, placed and decorated as matplotlib's default
//! `plt.subplots()`: the frame, outward ticks with labels, optional grid, the title
//! above and the axis labels beside.

use tiny_skia::Pixmap;

use super::fonts::Font;
use super::format::{self, Label};
use super::label::{Shaped, VAnchor};
use super::paint::{crisp_line, Bounds};
use super::scale::{AxisMap, Scale};
use super::style::{size, Dpi, GRID_COLOR};
use super::ticks;
use crate::base::color::Rgba;

/// Colours of a figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colors {
    /// Around the axes (matplotlib's figure `facecolor`).
    pub figure: Rgba,
    /// Inside the axes.
    pub axes: Rgba,
    /// Frame, ticks and all text.
    pub ink: Rgba,
}

impl Default for Colors {
    fn default() -> Colors {
        Colors {
            figure: Rgba::WHITE,
            axes: Rgba::WHITE,
            ink: Rgba::BLACK,
        }
    }
}

/// What decorates the axes, fixed for a whole clip.
#[derive(Debug, Clone, Default)]
pub struct Decor {
    pub title: Option<String>,
    pub xlabel: Option<String>,
    pub ylabel: Option<String>,
    pub grid: bool,
    pub xscale: Scale,
    pub yscale: Scale,
    pub colors: Colors,
    /// What a point is in pixels: fonts, line widths, ticks and pads are in points.
    pub dpi: Dpi,
    pub xticks: TickKind,
    pub yticks: TickKind,
    /// The face of every text: title, axis and tick labels (the legend and colorbar
    /// take it from here too).
    pub font: Font,
    /// The title's own face (`title_weight`, `title_style`), when it has one.
    pub title_font: Option<Font>,
}

impl Decor {
    /// The face the title is set in.
    pub fn title_face(&self) -> &Font {
        self.title_font.as_ref().unwrap_or(&self.font)
    }
}

/// How an axis chooses its ticks.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum TickKind {
    /// Numbers, as the axis's scale places them.
    #[default]
    Auto,
    /// Dates (days since 1970): matplotlib's `AutoDateLocator` and `ConciseDateFormatter`.
    Dates,
    /// Given places with their labels (the names of bars).
    Fixed(Vec<(f64, String)>),
}

/// Where the axes go in a `w`×`h` figure: matplotlib's subplot fractions.
pub fn rect(w: f64, h: f64) -> Bounds {
    use super::style::*;
    Bounds {
        x0: SUBPLOT_LEFT * w,
        x1: SUBPLOT_RIGHT * w,
        y0: (1.0 - SUBPLOT_TOP) * h,
        y1: (1.0 - SUBPLOT_BOTTOM) * h,
    }
}

/// Ticks of one axis: positions inside the limits, their labels, the offset text.
/// (A colorbar on a log scale takes its ticks from here too.)
pub(super) struct TickSet {
    pub(super) major: Vec<f64>,
    pub(super) labels: Vec<(Shaped, Option<Shaped>)>,
    pub(super) minor: Vec<f64>,
    pub(super) offset: Option<Shaped>,
}

impl TickSet {
    pub(super) fn new(
        map: &AxisMap,
        horizontal: bool,
        font: f64,
        face: &Font,
        kind: &TickKind,
    ) -> TickSet {
        let given = match kind {
            TickKind::Auto => None,
            TickKind::Dates => {
                let d = super::dates::ticks(map.lo, map.hi);
                Some((d.ticks.into_iter().zip(d.labels).collect(), d.offset))
            }
            TickKind::Fixed(list) => Some((list.clone(), String::new())),
        };
        if let Some((list, offset)) = given {
            let (major, labels): (Vec<f64>, Vec<(Shaped, Option<Shaped>)>) = list
                .into_iter()
                .filter(|(v, _)| map.contains(*v))
                .map(|(v, l)| (v, (face.shape(&l, font), None)))
                .unzip();
            return TickSet {
                major,
                labels,
                minor: Vec::new(),
                offset: (!offset.is_empty()).then(|| face.shape(&offset, font)),
            };
        }
        let length = (map.px1 - map.px0).abs();
        let nbins = ticks::tick_space(length, font, horizontal);
        let (lo, hi) = (map.lo.min(map.hi), map.lo.max(map.hi));
        let mut log_ticks = Vec::new();
        if map.scale == Scale::Log {
            log_ticks = ticks::log(lo, hi, nbins.clamp(2, 9));
            log_ticks.retain(|v| map.contains(*v));
        }
        if log_ticks.len() >= 2 {
            let labels: Vec<Label> = log_ticks.iter().map(|&v| format::log(v)).collect();
            let minor = ticks::log_minor(lo, hi, nbins.clamp(2, 9));
            return TickSet {
                labels: shape_all(&labels, font, face),
                major: log_ticks,
                minor,
                offset: None,
            };
        }
        // matplotlib's room per label is a guess (three font sizes across); labels wider
        // than that, or ticks a step finer than asked, would run together: fewer bins
        // until each label clears its neighbours.
        let mut nbins = nbins;
        loop {
            let all = ticks::linear(lo, hi, nbins);
            let f = format::linear(&all, (lo, hi));
            let (major, labels): (Vec<f64>, Vec<Label>) = all
                .iter()
                .zip(f.labels)
                .filter(|(v, _)| map.contains(**v))
                .map(|(v, l)| (*v, Label::plain(l)))
                .unzip();
            let set = TickSet {
                labels: shape_all(&labels, font, face),
                major,
                minor: Vec::new(),
                offset: (!f.offset.is_empty()).then(|| face.shape(&f.offset, font)),
            };
            if nbins == 1 || set.labels_clear(map, font, horizontal) {
                return set;
            }
            nbins -= 1;
        }
    }

    /// True if no two neighbouring labels come closer than half a font size (across)
    /// or a quarter of one (up), where they would read as one.
    fn labels_clear(&self, map: &AxisMap, font: f64, horizontal: bool) -> bool {
        let mut at: Vec<(f64, f64)> = (0..self.major.len())
            .map(|i| {
                let extent = if horizontal {
                    self.label_width(i)
                } else {
                    self.labels[i].0.size
                };
                (map.px(self.major[i]), extent)
            })
            .collect();
        at.sort_by(|a, b| a.0.total_cmp(&b.0));
        let gap = if horizontal { 0.5 } else { 0.25 } * font;
        at.windows(2)
            .all(|w| w[1].0 - w[0].0 >= (w[0].1 + w[1].1) / 2.0 + gap)
    }

    pub(super) fn label_width(&self, i: usize) -> f64 {
        let (main, sup) = &self.labels[i];
        main.width + sup.as_ref().map_or(0.0, |s| s.width)
    }

    fn widest(&self) -> f64 {
        (0..self.labels.len())
            .map(|i| self.label_width(i))
            .fold(0.0, f64::max)
    }
}

/// Tick labels shaped at `font` pixels in `face`, with their superscripts (a log axis's
/// powers).
fn shape_all(labels: &[Label], font: f64, face: &Font) -> Vec<(Shaped, Option<Shaped>)> {
    labels
        .iter()
        .map(|l| {
            (
                face.shape(&l.text, font),
                l.sup.as_ref().map(|s| face.shape(s, font * 0.7)),
            )
        })
        .collect()
}

/// Axes with their limits decided and their texts shaped, ready to draw.
pub struct Axes {
    pub rect: Bounds,
    pub x: AxisMap,
    pub y: AxisMap,
    decor: Decor,
    xt: TickSet,
    yt: TickSet,
    title: Option<Shaped>,
    xlabel: Option<Shaped>,
    ylabel: Option<Shaped>,
    /// Drawn without frame, ticks and axis labels (matplotlib's `axis('off')`).
    hidden: bool,
}

impl TickSet {
    fn none() -> TickSet {
        TickSet {
            major: Vec::new(),
            labels: Vec::new(),
            minor: Vec::new(),
            offset: None,
        }
    }
}

impl Axes {
    /// Axes without frame, ticks or axis labels (`axis = false`): the data fill the
    /// whole `w`×`h` figure, under the title's room if it has one.
    pub fn hidden(w: u32, h: u32, decor: &Decor, xlim: (f64, f64), ylim: (f64, f64)) -> Axes {
        let title = decor
            .title
            .as_ref()
            .map(|s| decor.title_face().shape(s, decor.dpi.pt(size::TITLE)));
        let top = title.as_ref().map_or(0.0, |t| {
            (decor.dpi.pt(size::TITLE_PAD) + decor.title_face().line_height(t.size) + 2.0).ceil()
        });
        let rect = Bounds {
            x0: 0.0,
            y0: top.min(h as f64 / 3.0),
            x1: w as f64,
            y1: h as f64,
        };
        Axes {
            x: AxisMap::new(decor.xscale, xlim.0, xlim.1, rect.x0, rect.x1),
            y: AxisMap::new(decor.yscale, ylim.0, ylim.1, rect.y1, rect.y0),
            rect,
            xt: TickSet::none(),
            yt: TickSet::none(),
            title,
            xlabel: None,
            ylabel: None,
            decor: decor.clone(),
            hidden: true,
        }
    }

    /// Axes for a `w`×`h` figure showing `xlim` × `ylim`.
    pub fn new(w: u32, h: u32, decor: &Decor, xlim: (f64, f64), ylim: (f64, f64)) -> Axes {
        let pt = |v| decor.dpi.pt(v);
        let font = pt(size::FONT);
        let shape = |s: &Option<String>, px: f64| s.as_ref().map(|s| decor.font.shape(s, px));
        let title = decor
            .title
            .as_ref()
            .map(|s| decor.title_face().shape(s, pt(size::TITLE)));
        let xlabel = shape(&decor.xlabel, font);
        let ylabel = shape(&decor.ylabel, font);
        let mut rect = rect(w as f64, h as f64);
        let mut x = AxisMap::new(decor.xscale, xlim.0, xlim.1, rect.x0, rect.x1);
        let mut y = AxisMap::new(decor.yscale, ylim.0, ylim.1, rect.y1, rect.y0);
        let mut xt = TickSet::new(&x, true, font, &decor.font, &decor.xticks);
        let mut yt = TickSet::new(&y, false, font, &decor.font, &decor.yticks);
        // Like matplotlib's tight layout, but only where something would be cut:
        // the default fractions are kept whenever the texts fit.
        let lp = decor.font.line_height(font);
        let ticks_room = pt(size::TICK) + pt(size::TICK_PAD);
        let label_room = pt(size::LABEL_PAD) + lp;
        let need_bottom = ticks_room + lp + if xlabel.is_some() { label_room } else { 0.0 } + 2.0
            // the offset text under the labels (a date axis's "2024-Mar"), level with the
            // axis label when there is one
            + if xt.offset.is_some() && xlabel.is_none() { pt(3.0) + lp } else { 0.0 };
        let need_left =
            ticks_room + yt.widest() + if ylabel.is_some() { label_room } else { 0.0 } + 2.0;
        let need_top = title.as_ref().map_or(0.0, |t| {
            pt(size::TITLE_PAD) + decor.title_face().line_height(t.size) + 2.0
        }) + if yt.offset.is_some() {
            pt(3.0) + lp
        } else {
            0.0
        };
        let (hf, wf) = (h as f64, w as f64);
        let mut moved = false;
        if hf - rect.y1 < need_bottom && need_bottom < hf / 3.0 {
            rect.y1 = (hf - need_bottom).floor();
            moved = true;
        }
        if rect.x0 < need_left && need_left < wf / 3.0 {
            rect.x0 = need_left.ceil();
            moved = true;
        }
        if rect.y0 < need_top && need_top < hf / 3.0 {
            rect.y0 = need_top.ceil();
            moved = true;
        }
        if moved {
            x = AxisMap::new(decor.xscale, xlim.0, xlim.1, rect.x0, rect.x1);
            y = AxisMap::new(decor.yscale, ylim.0, ylim.1, rect.y1, rect.y0);
            xt = TickSet::new(&x, true, font, &decor.font, &decor.xticks);
            yt = TickSet::new(&y, false, font, &decor.font, &decor.yticks);
        }
        Axes {
            rect,
            xt,
            yt,
            x,
            y,
            title,
            xlabel,
            ylabel,
            decor: decor.clone(),
            hidden: false,
        }
    }

    /// The title and axis labels that reach past the edges of a `w`×`h` figure, where
    /// they are cut: (key, its length, the length that fits where it is centred), in
    /// pixels. The text clips warn of what they cut; so do the charts, from this.
    pub fn cut_texts(&self, w: u32, h: u32) -> Vec<(&'static str, f64, f64)> {
        let r = self.rect;
        let across = (r.x0 + r.x1) / 2.0;
        let up = (r.y0 + r.y1) / 2.0;
        let room = |mid: f64, side: u32| 2.0 * mid.min(side as f64 - mid).max(0.0);
        let mut cut = Vec::new();
        let texts = [
            ("title", &self.title, room(across, w)),
            ("xlabel", &self.xlabel, room(across, w)),
            ("ylabel", &self.ylabel, room(up, h)),
        ];
        for (key, text, fits) in texts {
            if let Some(t) = text.as_ref().filter(|t| t.width > fits + 0.5) {
                cut.push((key, t.width, fits));
            }
        }
        cut
    }

    /// Data to pixel coordinates.
    pub fn px(&self, x: f64, y: f64) -> (f64, f64) {
        (self.x.px(x), self.y.px(y))
    }

    /// The figure and axes backgrounds and the grid: what goes under the data.
    pub fn draw_under(&self, pm: &mut Pixmap) {
        pm.fill(self.decor.colors.figure.to_skia());
        self.draw_inside(pm);
    }

    /// The axes background and the grid, on a frame already filled with the figure's
    /// colour (made so in one pass by [`crate::base::frame::filled`]).
    pub fn draw_inside(&self, pm: &mut Pixmap) {
        let c = self.decor.colors;
        let r = self.rect;
        // An opaque axes colour equal to the figure's changes no pixel (matplotlib's
        // default, white on white): the anti-aliased fill of most of the frame is skipped.
        if !(c.axes == c.figure && c.axes.is_opaque()) {
            super::paint::fill(
                pm,
                &[(r.x0, r.y0), (r.x1, r.y0), (r.x1, r.y1), (r.x0, r.y1)],
                c.axes,
                None,
            );
        }
        if self.decor.grid {
            let w = self.decor.dpi.pt(size::GRID);
            for &v in &self.xt.major {
                let x = self.x.px(v);
                crisp_line(pm, (x, r.y0), (x, r.y1), w, GRID_COLOR);
            }
            for &v in &self.yt.major {
                let y = self.y.px(v);
                crisp_line(pm, (r.x0, y), (r.x1, y), w, GRID_COLOR);
            }
        }
    }

    /// The frame, ticks, tick labels, title and axis labels: what goes over the data.
    pub fn draw_over(&self, pm: &mut Pixmap) {
        let ink = self.decor.colors.ink;
        let r = self.rect;
        if self.hidden {
            if let Some(t) = &self.title {
                let y = r.y0 - self.decor.dpi.pt(size::TITLE_PAD);
                t.draw(
                    pm,
                    (r.x0 + r.x1) / 2.0,
                    y,
                    0.5,
                    VAnchor::Baseline,
                    false,
                    ink,
                );
            }
            return;
        }
        let spine = self.decor.dpi.pt(size::SPINE);
        crisp_line(pm, (r.x0, r.y0), (r.x1, r.y0), spine, ink);
        crisp_line(pm, (r.x0, r.y1), (r.x1, r.y1), spine, ink);
        crisp_line(pm, (r.x0, r.y0), (r.x0, r.y1), spine, ink);
        crisp_line(pm, (r.x1, r.y0), (r.x1, r.y1), spine, ink);

        let (len, tw) = (
            self.decor.dpi.pt(size::TICK),
            self.decor.dpi.pt(size::TICK_WIDTH),
        );
        let (mlen, mtw) = (
            self.decor.dpi.pt(size::MINOR_TICK),
            self.decor.dpi.pt(size::MINOR_TICK_WIDTH),
        );
        let pad = self.decor.dpi.pt(size::TICK_PAD);
        let font = self.decor.dpi.pt(size::FONT);
        let lp = self.decor.font.line_height(font);

        // x axis: ticks down from the bottom edge, labels below them.
        for &v in &self.xt.minor {
            let x = self.x.px(v);
            crisp_line(pm, (x, r.y1), (x, r.y1 + mlen), mtw, ink);
        }
        let label_top = r.y1 + len + pad;
        for (i, &v) in self.xt.major.iter().enumerate() {
            let x = self.x.px(v);
            crisp_line(pm, (x, r.y1), (x, r.y1 + len), tw, ink);
            draw_tick_label(
                pm,
                &self.xt.labels[i],
                self.xt.label_width(i),
                x,
                label_top,
                Side::Below,
                ink,
            );
        }
        let below_labels = label_top + if self.xt.major.is_empty() { 0.0 } else { lp };
        if let Some(o) = &self.xt.offset {
            o.draw(
                pm,
                r.x1,
                below_labels + self.decor.dpi.pt(3.0),
                1.0,
                VAnchor::Top,
                false,
                ink,
            );
        }
        // y axis: ticks left of the left edge, labels left of them.
        for &v in &self.yt.minor {
            let y = self.y.px(v);
            crisp_line(pm, (r.x0 - mlen, y), (r.x0, y), mtw, ink);
        }
        let label_right = r.x0 - len - pad;
        for (i, &v) in self.yt.major.iter().enumerate() {
            let y = self.y.px(v);
            crisp_line(pm, (r.x0 - len, y), (r.x0, y), tw, ink);
            draw_tick_label(
                pm,
                &self.yt.labels[i],
                self.yt.label_width(i),
                label_right,
                y,
                Side::Left,
                ink,
            );
        }
        if let Some(o) = &self.yt.offset {
            o.draw(
                pm,
                r.x0,
                r.y0 - self.decor.dpi.pt(3.0),
                0.0,
                VAnchor::Baseline,
                false,
                ink,
            );
        }
        let mid_x = (r.x0 + r.x1) / 2.0;
        if let Some(t) = &self.title {
            let top = if self.yt.offset.is_some() {
                r.y0 - self.decor.dpi.pt(3.0) - lp
            } else {
                r.y0
            };
            t.draw(
                pm,
                mid_x,
                top - self.decor.dpi.pt(size::TITLE_PAD),
                0.5,
                VAnchor::Baseline,
                false,
                ink,
            );
        }
        if let Some(l) = &self.xlabel {
            let y = below_labels + self.decor.dpi.pt(size::LABEL_PAD);
            l.draw(pm, mid_x, y, 0.5, VAnchor::Top, false, ink);
        }
        if let Some(l) = &self.ylabel {
            let x = label_right - self.yt.widest() - self.decor.dpi.pt(size::LABEL_PAD);
            let mid_y = (r.y0 + r.y1) / 2.0;
            l.draw(pm, x, mid_y, 0.5, VAnchor::Bottom, true, ink);
        }
    }
}

pub(super) enum Side {
    /// Centred under the point, top at it (x axis).
    Below,
    /// Right end at the point, centred on it (y axis).
    Left,
    /// Left end at the point, centred on it (a colorbar's ticks).
    Right,
}

/// A tick label, with its superscript (log axes) raised after it.
pub(super) fn draw_tick_label(
    pm: &mut Pixmap,
    (main, sup): &(Shaped, Option<Shaped>),
    width: f64,
    x: f64,
    y: f64,
    side: Side,
    ink: Rgba,
) {
    let (left, baseline) = match side {
        Side::Below => {
            let (a, _) = main.lp;
            (
                x - width / 2.0,
                y + a * main.size + sup.as_ref().map_or(0.0, |s| s.size * 0.4),
            )
        }
        Side::Left => {
            let (a, _) = main.lp;
            (x - width, y + a * main.size / 2.0)
        }
        Side::Right => {
            let (a, _) = main.lp;
            (x, y + a * main.size / 2.0)
        }
    };
    main.draw(pm, left, baseline, 0.0, VAnchor::Baseline, false, ink);
    if let Some(s) = sup {
        let raise = main.size * 0.45;
        s.draw(
            pm,
            left + main.width,
            baseline - raise,
            0.0,
            VAnchor::Baseline,
            false,
            ink,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_figure_geometry() {
        let r = rect(500.0, 300.0);
        assert_eq!((r.x0, r.x1, r.y0, r.y1), (62.5, 450.0, 36.0, 267.0));
        let d = Decor::default();
        let a = Axes::new(500, 300, &d, (-2.2, 2.2), (-1.5, 2.5));
        assert_eq!(a.yt.major.len(), 9, "−1.5 … 2.5 by 0.5");
        assert_eq!(
            a.xt.major,
            vec![-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]
        );
        let (x, y) = a.px(-2.2, 2.5);
        assert_eq!((x, y), (62.5, 36.0));
    }

    #[test]
    fn texts_longer_than_the_figure_are_named() {
        let long = "a title far too long for a small figure like this one".to_string();
        let d = Decor {
            title: Some(long.clone()),
            xlabel: Some("x".into()),
            ylabel: Some(long),
            ..Decor::default()
        };
        let a = Axes::new(260, 180, &d, (0.0, 1.0), (0.0, 1.0));
        let cut: Vec<&str> = a.cut_texts(260, 180).iter().map(|c| c.0).collect();
        assert_eq!(cut, ["title", "ylabel"]);
        let (_, width, fits) = a.cut_texts(260, 180)[0];
        assert!(width > fits && fits <= 260.0, "{width} {fits}");
        // The same texts in a figure wide and tall enough: nothing cut.
        let a = Axes::new(900, 700, &d, (0.0, 1.0), (0.0, 1.0));
        assert!(a.cut_texts(900, 700).is_empty());
    }

    #[test]
    fn crowded_labels_take_fewer_ticks() {
        // A bars clip 330 pixels wide: its value axis of 255 pixels, 0 … 26 250, has room
        // for 6 bins by matplotlib's guess, which puts 5-digit labels 3.5 px apart.
        let font = Dpi::default().pt(size::FONT);
        let map = AxisMap::new(Scale::Linear, 0.0, 26250.0, 41.0, 296.0);
        assert_eq!(
            ticks::linear(0.0, 26250.0, ticks::tick_space(255.0, font, true))[..3],
            [0.0, 5000.0, 10000.0]
        );
        let set = TickSet::new(&map, true, font, &Font::default(), &TickKind::Auto);
        assert_eq!(set.major, vec![0.0, 10000.0, 20000.0]);
        assert!(set.labels_clear(&map, font, true));
        // labels that had room keep matplotlib's ticks
        let roomy = AxisMap::new(Scale::Linear, 0.0, 26250.0, 40.0, 440.0);
        let set = TickSet::new(&roomy, true, font, &Font::default(), &TickKind::Auto);
        assert_eq!(set.major.len(), 6, "{:?}", set.major);
        // a plot of 240×160 up to 1e6: labels 0.0 … 1.0 with the offset "1e6", clear
        let a = Axes::new(240, 160, &Decor::default(), (-5e4, 1.05e6), (-5e4, 1.05e6));
        assert!(a.xt.labels_clear(&a.x, font, true), "{:?}", a.xt.major);
        assert!(a.yt.labels_clear(&a.y, font, false), "{:?}", a.yt.major);
        assert!(a.xt.major.len() >= 3, "{:?}", a.xt.major);
    }

    #[test]
    fn regression_log_axis_ticks_outside_limits() {
        // The scene of the report: y = x² for x in 0.001..1000 on a log y axis. A
        // "10⁻⁸" tick, label and grid line were drawn below the axes box.
        let d = Decor {
            yscale: Scale::Log,
            grid: true,
            ..Decor::default()
        };
        let (lo, hi) = Scale::Log.auto_limits(1e-6, 1e6);
        let a = Axes::new(300, 200, &d, (-50.0, 1050.0), (lo, hi));
        assert!(a.yt.major.len() >= 2, "{:?}", a.yt.major);
        for v in a.yt.major.iter().chain(&a.yt.minor) {
            assert!(*v >= lo && *v <= hi, "tick {v:e} outside {lo:e}..{hi:e}");
            let y = a.y.px(*v);
            assert!(y >= a.rect.y0 && y <= a.rect.y1, "tick {v:e} at row {y}");
        }
    }

    #[test]
    fn draws_frame_ticks_and_grid() {
        let d = Decor {
            grid: true,
            ..Decor::default()
        };
        let a = Axes::new(200, 100, &d, (0.0, 1.0), (0.0, 1.0));
        let mut pm = Pixmap::new(200, 100).unwrap();
        a.draw_under(&mut pm);
        a.draw_over(&mut pm);
        let px = |x: u32, y: u32| pm.pixel(x, y).unwrap();
        // labels need more room than 12.5 % of 200 px: the axes moved right
        assert!(a.rect.x0 > 25.0, "{:?}", a.rect);
        let left = a.rect.x0.floor() as u32;
        // white figure, black left spine snapped to one column
        assert_eq!(px(2, 2).red(), 255);
        assert_eq!(px(left, 50).red(), 0);
        // a grid line at x = 0.5 in grid grey, a tick under it below the frame
        let mid = a.x.px(0.5).floor() as u32;
        let g = px(mid, 50);
        assert!(g.red() > 150 && g.red() < 200, "{g:?}");
        let tick_y = a.rect.y1 as u32 + 2;
        assert_eq!(px(mid, tick_y).red(), 0);
        // tick labels drawn under the frame: ink between the ticks and the bottom
        let ink = (0..200)
            .flat_map(|x| (tick_y + 4..100).map(move |y| (x, y)))
            .filter(|&(x, y)| px(x, y).red() < 128)
            .count();
        assert!(ink > 30, "label ink {ink}");
    }
}
