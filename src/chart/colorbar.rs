//! A vertical colorbar: the colormap from `vmin` (bottom) to `vmax` (top), framed,
//! with ticks and labels on its right as matplotlib draws them.

use tiny_skia::Pixmap;

use super::fonts::Font;
use super::format;
use super::label::{Shaped, VAnchor};
use super::paint::{crisp_line, Bounds};
use super::style::{size, Dpi};
use super::ticks;
use crate::base::color::Rgba;
use crate::base::colormap::Colormap;

/// How much width a colorbar takes at the right of a frame `w` pixels wide: the gap
/// before it, the bar, and room for labels as wide as "−0.000" in `font`.
pub fn width(w: u32, dpi: Dpi, font: &Font) -> f64 {
    width_with(w, labels_room(dpi, font))
}

/// The narrowest width from which on every frame's colorbar leaves at least half of it
/// to the picture (a colorbar may take no more).
pub fn narrowest(dpi: Dpi, font: &Font) -> u32 {
    let room = labels_room(dpi, font);
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
pub fn fits(w: u32, dpi: Dpi, font: &Font) -> bool {
    fits_with(w, labels_room(dpi, font))
}

fn fits_with(w: u32, room: f64) -> bool {
    width_with(w, room) < w as f64 / 2.0
}

fn width_with(w: u32, room: f64) -> f64 {
    (gap(w) + bar_width(w) + room).ceil()
}

/// The ticks and labels right of the bar, which do not depend on the frame's width.
fn labels_room(dpi: Dpi, font: &Font) -> f64 {
    let pt = |v| dpi.pt(v);
    let labels = font.shape("\u{2212}0.000", pt(size::FONT)).width;
    pt(size::TICK) + pt(size::TICK_PAD) + labels + 4.0
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

/// Draws the colorbar for values `vmin..vmax` with its bar at `bar`.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    pm: &mut Pixmap,
    bar: Bounds,
    map: &Colormap,
    vmin: f64,
    vmax: f64,
    ink: Rgba,
    dpi: Dpi,
    font: &Font,
) {
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
    frame_and_ticks(pm, bar, (vmin, vmax), ink, dpi, font);
}

/// The colorbar of filled contours: one block of colour per band between `levels`
/// (bottom to top, evenly spaced in value as matplotlib's is), with `colors[k]` for
/// `levels[k]..levels[k + 1]`.
pub fn draw_bands(
    pm: &mut Pixmap,
    bar: Bounds,
    levels: &[f64],
    colors: &[[u8; 3]],
    ink: Rgba,
    dpi: Dpi,
    font: &Font,
) {
    let (Some(&lo), Some(&hi)) = (levels.first(), levels.last()) else {
        return;
    };
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
    frame_and_ticks(pm, bar, (lo, hi), ink, dpi, font);
}

/// The bar's frame, and ticks with labels for `vmin..vmax` on its right.
fn frame_and_ticks(
    pm: &mut Pixmap,
    bar: Bounds,
    (vmin, vmax): (f64, f64),
    ink: Rgba,
    dpi: Dpi,
    face: &Font,
) {
    let pt = |v| dpi.pt(v);
    let spine = pt(size::SPINE);
    crisp_line(pm, (bar.x0, bar.y0), (bar.x1, bar.y0), spine, ink);
    crisp_line(pm, (bar.x0, bar.y1), (bar.x1, bar.y1), spine, ink);
    crisp_line(pm, (bar.x0, bar.y0), (bar.x0, bar.y1), spine, ink);
    crisp_line(pm, (bar.x1, bar.y0), (bar.x1, bar.y1), spine, ink);
    let (lo, hi) = if vmin < vmax {
        (vmin, vmax)
    } else {
        (vmin, vmin + 1.0)
    };
    let font = pt(size::FONT);
    let nbins = ticks::tick_space(bar.y1 - bar.y0, font, false);
    let all = ticks::linear(lo, hi, nbins);
    let labels = format::linear(&all, (lo, hi));
    let to_y = |v: f64| bar.y1 - super::scale::unit(v, lo, hi) * (bar.y1 - bar.y0);
    let len = pt(size::TICK);
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
        face.shape(&labels.offset, font).draw(
            pm,
            bar.x0,
            bar.y0 - pt(3.0),
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
    fn the_narrowest_frame_is_the_first_a_colorbar_fits() {
        let font = Font::default();
        for dpi in [Dpi(50.0), Dpi::default(), Dpi(300.0)] {
            let n = narrowest(dpi, &font);
            assert!(fits(n, dpi, &font), "{n}");
            assert!(!fits(n - 1, dpi, &font), "{n}");
            assert!((n..n + 3000).all(|w| fits(w, dpi, &font)), "{n}");
        }
    }
}
