//! A vertical colorbar: the colormap from `vmin` (bottom) to `vmax` (top), framed,
//! with ticks and labels on its right as matplotlib draws them, and its own label
//! (`cbar.set_label`) beyond them, reading upwards.

use tiny_skia::Pixmap;

use super::axes::{draw_tick_label, Side, TickKind, TickSet};
use super::fonts::{Font, LINE_SPACING};
use super::format;
use super::label::{Shaped, VAnchor};
use super::paint::{crisp_line, Bounds};
use super::scale::{AxisMap, Scale};
use super::style::{size, Dpi};
use super::ticks;
use crate::base::color::Rgba;
use crate::base::colormap::Colormap;

/// How much width a colorbar takes at the right of a frame `w` pixels wide: the gap
/// before it, the bar, room for labels as wide as "−0.000" in `font`, and a line for
/// each of the `label_lines` lines of its own label.
pub fn width(w: u32, dpi: Dpi, font: &Font, label_lines: usize) -> f64 {
    width_with(w, labels_room(dpi, font, label_lines))
}

/// The narrowest width from which on every frame's colorbar leaves at least half of it
/// to the picture (a colorbar may take no more).
pub fn narrowest(dpi: Dpi, font: &Font, label_lines: usize) -> u32 {
    let room = labels_room(dpi, font, label_lines);
    // The bar and its gap are rounded, so just above the narrowest that fits one wider
    // may not; from 1000 pixels on they no longer grow, and a frame that fits there
    // stays fitting.
    let mut least = None;
    for w in 2..u32::MAX {
        match fits_with(w, room) {
            false => least = None,
            true => {
                let first = *least.get_or_insert(w);
                if w > 1000 {
                    return first;
                }
            }
        }
    }
    u32::MAX
}

/// Whether a colorbar leaves at least half of a frame `w` pixels wide to the picture.
pub fn fits(w: u32, dpi: Dpi, font: &Font, label_lines: usize) -> bool {
    fits_with(w, labels_room(dpi, font, label_lines))
}

fn fits_with(w: u32, room: f64) -> bool {
    width_with(w, room) < w as f64 / 2.0
}

fn width_with(w: u32, room: f64) -> f64 {
    (gap(w) + bar_width(w) + room).ceil()
}

/// The ticks and labels right of the bar, which do not depend on the frame's width.
fn labels_room(dpi: Dpi, font: &Font, label_lines: usize) -> f64 {
    let pt = |v| dpi.pt(v);
    let labels = font.shape("\u{2212}0.000", pt(size::FONT)).width;
    let label = match label_lines {
        0 => 0.0,
        n => pt(size::LABEL_PAD) + label_width(font, pt(size::FONT), n),
    };
    pt(size::TICK) + pt(size::TICK_PAD) + labels + 4.0 + label
}

/// The width a label of `lines` lines takes read upwards at `px` pixels: its first
/// line's height, and the shaper's spacing for each further one.
fn label_width(font: &Font, px: f64, lines: usize) -> f64 {
    font.line_height(px) + lines.saturating_sub(1) as f64 * LINE_SPACING * px
}

fn bar_width(w: u32) -> f64 {
    (0.04 * w as f64).clamp(8.0, 40.0).round()
}

fn gap(w: u32) -> f64 {
    (0.03 * w as f64).clamp(4.0, 30.0).round()
}

/// The bar's rectangle when the colorbar area starts at `x0` in a `w`×`h` frame.
pub fn bar_bounds(x0: f64, w: u32, h: u32, dpi: Dpi, font: &Font) -> Bounds {
    let pt = |v| dpi.pt(v);
    let margin = (0.05 * h as f64).max(font.line_height(pt(size::FONT)) / 2.0 + 1.0);
    let x = (x0 + gap(w)).round();
    Bounds {
        x0: x,
        x1: x + bar_width(w),
        y0: margin.round(),
        y1: (h as f64 - margin).round(),
    }
}

/// The texts of a colorbar: their size and face, and its own label.
#[derive(Clone, Copy)]
pub struct Texts<'a> {
    pub dpi: Dpi,
    pub font: &'a Font,
    pub label: Option<&'a str>,
}

/// Draws the colorbar for values `vmin..vmax` on `scale` (a log colour scale gets the
/// ticks of a log axis) with its bar at `bar`.
pub fn draw(
    pm: &mut Pixmap,
    bar: Bounds,
    map: &Colormap,
    (vmin, vmax, scale): (f64, f64, Scale),
    ink: Rgba,
    texts: Texts,
) {
    let bar = room_for_offset(bar, (vmin, vmax, scale), texts);
    let (x0, x1) = (bar.x0.max(0.0) as u32, bar.x1.max(0.0) as u32);
    let (y0, y1) = (bar.y0.max(0.0) as u32, bar.y1.max(0.0) as u32);
    let (w, h) = (pm.width(), pm.height());
    let rows = (y1.saturating_sub(y0)).max(1) as f64;
    let data = pm.data_mut();
    for y in y0..y1.min(h) {
        let v = 1.0 - ((y - y0) as f64 + 0.5) / rows;
        let [r, g, b] = map.map(v);
        for x in x0..x1.min(w) {
            let i = (y as usize * w as usize + x as usize) * 4;
            data[i..i + 4].copy_from_slice(&[r, g, b, 255]);
        }
    }
    frame_and_ticks(pm, bar, (vmin, vmax, scale), ink, texts);
}

/// The colorbar of filled contours: one block of colour per band between `levels`
/// (bottom to top, evenly spaced in value as matplotlib's is — in the logarithm on a
/// log scale, whose bar has a log axis's ticks, as matplotlib gives contours on a
/// `LogNorm`), with `colors[k]` for `levels[k]..levels[k + 1]`.
pub fn draw_bands(
    pm: &mut Pixmap,
    bar: Bounds,
    (levels, scale): (&[f64], Scale),
    colors: &[[u8; 3]],
    ink: Rgba,
    texts: Texts,
) {
    let (Some(&first), Some(&last)) = (levels.first(), levels.last()) else {
        return;
    };
    let log = scale == Scale::Log && first > 0.0;
    let (lo, hi) = if log {
        (first.log10(), last.log10())
    } else {
        (first, last)
    };
    let ticks_scale = if log { Scale::Log } else { Scale::Linear };
    let bar = room_for_offset(bar, (first, last, ticks_scale), texts);
    let (x0, x1) = (bar.x0.max(0.0) as u32, bar.x1.max(0.0) as u32);
    let (y0, y1) = (bar.y0.max(0.0) as u32, bar.y1.max(0.0) as u32);
    let (w, h) = (pm.width(), pm.height());
    let rows = (y1.saturating_sub(y0)).max(1) as f64;
    let data = pm.data_mut();
    for y in y0..y1.min(h) {
        let f = ((y - y0) as f64 + 0.5) / rows;
        let v = match hi - lo {
            span if span.is_finite() => hi - f * span,
            // Values near ±1.8e308: the span overflows.
            _ => hi * (1.0 - f) + lo * f,
        };
        let v = if log { 10f64.powf(v) } else { v };
        let k = levels
            .windows(2)
            .position(|l| v <= l[1])
            .unwrap_or(colors.len().saturating_sub(1));
        let Some(&[r, g, b]) = colors.get(k) else {
            continue;
        };
        for x in x0..x1.min(w) {
            let i = (y as usize * w as usize + x as usize) * 4;
            data[i..i + 4].copy_from_slice(&[r, g, b, 255]);
        }
    }
    frame_and_ticks(pm, bar, (first, last, ticks_scale), ink, texts);
}

/// The bar's frame, ticks with labels for `vmin..vmax` on its right, and the bar's own
/// label beyond the widest of them.
fn frame_and_ticks(
    pm: &mut Pixmap,
    bar: Bounds,
    (vmin, vmax, scale): (f64, f64, Scale),
    ink: Rgba,
    texts: Texts,
) {
    let (dpi, face) = (texts.dpi, texts.font);
    let pt = |v| dpi.pt(v);
    let spine = pt(size::SPINE);
    crisp_line(pm, (bar.x0, bar.y0), (bar.x1, bar.y0), spine, ink);
    crisp_line(pm, (bar.x0, bar.y1), (bar.x1, bar.y1), spine, ink);
    crisp_line(pm, (bar.x0, bar.y0), (bar.x0, bar.y1), spine, ink);
    crisp_line(pm, (bar.x1, bar.y0), (bar.x1, bar.y1), spine, ink);
    let (lo, hi) = tick_range(vmin, vmax);
    let font = pt(size::FONT);
    let len = pt(size::TICK);
    let widest = match scale {
        Scale::Log if lo > 0.0 => log_ticks(pm, bar, (lo, hi), ink, texts),
        _ => linear_ticks(pm, bar, (lo, hi), ink, texts),
    };
    if let Some(label) = texts.label {
        // Beyond the widest tick label, and inside the frame when a label is wider than
        // the room kept for "−0.000": every line of it (they follow rightwards).
        let room = label_width(face, font, label.lines().count().max(1));
        let x = (bar.x1 + len + pt(size::TICK_PAD) + widest + pt(size::LABEL_PAD))
            .min(pm.width() as f64 - room);
        face.shape(label, font)
            .draw(pm, x, (bar.y0 + bar.y1) / 2.0, 0.5, VAnchor::Top, true, ink);
    }
}

/// A log colour scale's ticks: those of a log axis (decades `10^k`, minor ticks
/// between), or its numbers when fewer than two decades show. Returns the widest
/// label's width.
fn log_ticks(pm: &mut Pixmap, bar: Bounds, (lo, hi): (f64, f64), ink: Rgba, texts: Texts) -> f64 {
    let dpi = texts.dpi;
    let pt = |v| dpi.pt(v);
    let (map, set) = log_tick_set(bar, (lo, hi), texts);
    let (mlen, mtw) = (pt(size::MINOR_TICK), pt(size::MINOR_TICK_WIDTH));
    for &v in set.minor.iter().filter(|v| map.contains(**v)) {
        let y = map.px(v);
        crisp_line(pm, (bar.x1, y), (bar.x1 + mlen, y), mtw, ink);
    }
    let len = pt(size::TICK);
    let mut widest: f64 = 0.0;
    for (i, &v) in set.major.iter().enumerate() {
        let y = map.px(v);
        crisp_line(
            pm,
            (bar.x1, y),
            (bar.x1 + len, y),
            pt(size::TICK_WIDTH),
            ink,
        );
        let x = bar.x1 + len + pt(size::TICK_PAD);
        draw_tick_label(
            pm,
            &set.labels[i],
            set.label_width(i),
            x,
            y,
            Side::Right,
            ink,
        );
        widest = widest.max(set.label_width(i));
    }
    if let Some(o) = &set.offset {
        draw_offset(pm, o, bar, ink, dpi);
    }
    widest
}

/// The range the ticks are for: an empty one (every value the same) widened upwards.
fn tick_range(vmin: f64, vmax: f64) -> (f64, f64) {
    if vmin < vmax {
        (vmin, vmax)
    } else {
        (vmin, vmin + 1.0)
    }
}

/// A log colour scale's axis along the bar and its ticks.
fn log_tick_set(bar: Bounds, (lo, hi): (f64, f64), texts: Texts) -> (AxisMap, TickSet) {
    let map = AxisMap::new(Scale::Log, lo, hi, bar.y1, bar.y0);
    let set = TickSet::new(
        &map,
        false,
        texts.dpi.pt(size::FONT),
        texts.font,
        &TickKind::Auto,
    );
    (map, set)
}

/// A linear colour scale's ticks and their labels, as many as the bar's height has room for.
fn linear_labels(bar: Bounds, (lo, hi): (f64, f64), texts: Texts) -> (Vec<f64>, format::Labels) {
    let font = texts.dpi.pt(size::FONT);
    let nbins = ticks::tick_space(bar.y1 - bar.y0, font, false);
    let all = ticks::linear(lo, hi, nbins);
    let labels = format::linear(&all, (lo, hi));
    (all, labels)
}

/// How far above the bar's top the ticks' offset stands, in points.
const OFFSET_ABOVE: f64 = 3.0;

/// `bar` with its top lowered, when its ticks have an offset (`+1e6`) that would
/// stand partly above the picture: on a field 100 pixels high the offset was cut in
/// half. A bar with room above it, or no offset, is left as it is.
fn room_for_offset(bar: Bounds, (vmin, vmax, scale): (f64, f64, Scale), texts: Texts) -> Bounds {
    let (lo, hi) = tick_range(vmin, vmax);
    let font = texts.dpi.pt(size::FONT);
    let offset = |bar: Bounds| match scale {
        Scale::Log if lo > 0.0 => log_tick_set(bar, (lo, hi), texts).1.offset,
        _ => {
            let text = linear_labels(bar, (lo, hi), texts).1.offset;
            (!text.is_empty()).then(|| texts.font.shape(&text, font))
        }
    };
    let Some(shown) = offset(bar) else {
        return bar;
    };
    let top = (texts.dpi.pt(OFFSET_ABOVE) + shown.lp.0 * shown.size + 1.0).ceil();
    // Never more than a third of the bar: a bar that short keeps its height.
    if bar.y0 >= top || top - bar.y0 > (bar.y1 - bar.y0) / 3.0 {
        return bar;
    }
    let lowered = Bounds { y0: top, ..bar };
    // The ticks are chosen anew for the shorter bar: lowered only if it still has an
    // offset to make room for.
    match offset(lowered) {
        Some(_) => lowered,
        None => bar,
    }
}

/// The ticks' common offset or scale (`1e6`, `+1e3`), above the bar's top left.
fn draw_offset(pm: &mut Pixmap, offset: &Shaped, bar: Bounds, ink: Rgba, dpi: Dpi) {
    offset.draw(
        pm,
        bar.x0,
        bar.y0 - dpi.pt(OFFSET_ABOVE),
        0.0,
        VAnchor::Baseline,
        false,
        ink,
    );
}

/// Linear ticks with their labels right of the bar; returns the widest label's width.
fn linear_ticks(
    pm: &mut Pixmap,
    bar: Bounds,
    (lo, hi): (f64, f64),
    ink: Rgba,
    texts: Texts,
) -> f64 {
    let (dpi, face) = (texts.dpi, texts.font);
    let pt = |v| dpi.pt(v);
    let font = pt(size::FONT);
    let (all, labels) = linear_labels(bar, (lo, hi), texts);
    let to_y = |v: f64| bar.y1 - super::scale::unit(v, lo, hi) * (bar.y1 - bar.y0);
    let len = pt(size::TICK);
    let mut widest: f64 = 0.0;
    for (v, text) in all.iter().zip(&labels.labels) {
        if *v < lo - 1e-9 * (hi - lo) || *v > hi + 1e-9 * (hi - lo) {
            continue;
        }
        let y = to_y(*v);
        crisp_line(
            pm,
            (bar.x1, y),
            (bar.x1 + len, y),
            pt(size::TICK_WIDTH),
            ink,
        );
        let s: Shaped = face.shape(text, font);
        widest = widest.max(s.width);
        s.draw(
            pm,
            bar.x1 + len + pt(size::TICK_PAD),
            y,
            0.0,
            VAnchor::CenterBaseline,
            false,
            ink,
        );
    }
    if !labels.offset.is_empty() {
        draw_offset(pm, &face.shape(&labels.offset, font), bar, ink, dpi);
    }
    widest
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log colour scale's bar has a tick at every decade, where a log axis puts it,
    /// and minor ticks between (three decades: few enough for them); a linear one has
    /// none there.
    #[test]
    fn a_log_colorbar_ticks_its_decades() {
        let font = Font::default();
        let texts = Texts {
            dpi: Dpi::default(),
            font: &font,
            label: None,
        };
        let bar = Bounds {
            x0: 20.0,
            x1: 40.0,
            y0: 20.0,
            y1: 320.0,
        };
        let map = Colormap::by_name("gray").unwrap();
        let ink = Rgba([255, 0, 0, 255]);
        let tick_at = |pm: &Pixmap, v: f64| {
            let y = AxisMap::new(Scale::Log, 1.0, 1000.0, bar.y1, bar.y0).px(v);
            // one pixel right of the bar's frame, inside a minor tick (2 pt) as a major
            // one, in the rows a line of about a pixel at y may be snapped to
            let y = y.round() as usize;
            (y - 1..=y + 1).any(|y| {
                let i = (y * pm.width() as usize + 41) * 4;
                pm.data()[i] > 128 && pm.data()[i + 1] < 100
            })
        };
        let mut log = Pixmap::new(200, 340).unwrap();
        draw(&mut log, bar, &map, (1.0, 1000.0, Scale::Log), ink, texts);
        for v in [1.0, 10.0, 100.0, 1000.0, 2.0, 50.0] {
            assert!(tick_at(&log, v), "no tick at {v}");
        }
        let mut linear = Pixmap::new(200, 340).unwrap();
        draw(
            &mut linear,
            bar,
            &map,
            (1.0, 1000.0, Scale::Linear),
            ink,
            texts,
        );
        for v in [2.0, 10.0, 50.0, 100.0] {
            assert!(
                !tick_at(&linear, v),
                "a linear tick where the log one is, at {v}"
            );
        }
    }

    #[test]
    fn the_narrowest_frame_is_the_first_a_colorbar_fits() {
        let font = Font::default();
        for dpi in [Dpi(50.0), Dpi::default(), Dpi(300.0)] {
            for lines in [0, 1, 3] {
                let n = narrowest(dpi, &font, lines);
                assert!(fits(n, dpi, &font, lines), "{n}");
                assert!(!fits(n - 1, dpi, &font, lines), "{n}");
                assert!((n..n + 3000).all(|w| fits(w, dpi, &font, lines)), "{n}");
            }
            // A label takes a line's height more, each further line of it the shaper's
            // line spacing more.
            let line = font.line_height(dpi.pt(size::FONT));
            let more = width(400, dpi, &font, 1) - width(400, dpi, &font, 0);
            assert!(
                more >= line && more <= line + dpi.pt(size::LABEL_PAD) + 1.0,
                "{more}"
            );
            let three = width(400, dpi, &font, 3) - width(400, dpi, &font, 1);
            let spacing = LINE_SPACING * dpi.pt(size::FONT);
            assert!((three - 2.0 * spacing).abs() <= 1.0, "{three}");
        }
    }
}
