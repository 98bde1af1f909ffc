//! The legend box: one row per labelled series, with a sample of its line, markers or
//! fill, in a corner of the axes, sized and spaced in font-size units as matplotlib's.

use serde::Deserialize;
use tiny_skia::{FillRule, PathBuilder, Pixmap, Rect, Stroke, Transform};

use super::fonts::Font;
use super::label::{Shaped, VAnchor};
use super::paint::{self, paint, Bounds, LineLook};
use super::style::{size, Dpi, Marker};
use crate::base::color::Rgba;

/// Where the legend sits in the axes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    #[serde(alias = "upper right")]
    UpperRight,
    #[serde(alias = "upper left")]
    UpperLeft,
    #[serde(alias = "lower left")]
    LowerLeft,
    #[serde(alias = "lower right")]
    LowerRight,
    #[serde(alias = "center left")]
    CenterLeft,
    #[serde(alias = "center right")]
    CenterRight,
    #[serde(alias = "upper center")]
    UpperCenter,
    #[serde(alias = "lower center")]
    LowerCenter,
    Center,
}

/// What a legend row shows of its series.
#[derive(Debug, Clone)]
pub enum Swatch {
    Line(LineLook),
    Markers {
        shape: Marker,
        size: f64,
        color: Rgba,
    },
    Fill(Rgba),
}

/// A row's label, shaped once in the chart's `font`.
pub fn label(text: &str, dpi: Dpi, font: &Font) -> Shaped {
    font.shape(text, dpi.pt(size::FONT))
}

/// Draws the legend inside `axes`: one row per label, with the swatch of the same
/// index (swatches change over time when a series' look does; labels do not). Rows are
/// spaced by the lines of `font`, the labels' face. Returns false when the box is
/// larger than the axes, which cut it, so that the caller can say so.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    pm: &mut Pixmap,
    labels: &[Shaped],
    swatches: &[Swatch],
    place: Place,
    axes: Bounds,
    ink: Rgba,
    dpi: Dpi,
    font: &Font,
) -> bool {
    if labels.is_empty() {
        return true;
    }
    let em = dpi.pt(size::FONT);
    let row = font.line_height(em);
    let (handle_len, handle_pad, spacing, border_pad, axes_pad) =
        (2.0 * em, 0.8 * em, 0.5 * em, 0.4 * em, 0.5 * em);
    let text_w = labels.iter().map(|l| l.width).fold(0.0, f64::max);
    let w = 2.0 * border_pad + handle_len + handle_pad + text_w;
    let n = labels.len() as f64;
    let h = 2.0 * border_pad + n * row + (n - 1.0) * spacing;
    let (fx, fy) = match place {
        Place::UpperRight => (1.0, 0.0),
        Place::UpperLeft => (0.0, 0.0),
        Place::LowerLeft => (0.0, 1.0),
        Place::LowerRight => (1.0, 1.0),
        Place::CenterLeft => (0.0, 0.5),
        Place::CenterRight => (1.0, 0.5),
        Place::UpperCenter => (0.5, 0.0),
        Place::LowerCenter => (0.5, 1.0),
        Place::Center => (0.5, 0.5),
    };
    let x0 = axes.x0 + axes_pad + fx * (axes.x1 - axes.x0 - w - 2.0 * axes_pad);
    let y0 = axes.y0 + axes_pad + fy * (axes.y1 - axes.y0 - h - 2.0 * axes_pad);
    // half a pixel of slack: the frame's anti-aliasing reaches a little past the box
    let fits = w + 2.0 * axes_pad <= axes.x1 - axes.x0 + 0.5
        && h + 2.0 * axes_pad <= axes.y1 - axes.y0 + 0.5;
    // matplotlib: white at 80 % opacity, a light grey edge, rounded corners.
    if let Some(frame) = rounded(x0, y0, w, h, 0.2 * em) {
        pm.fill_path(
            &frame,
            &paint(Rgba([255, 255, 255, 204])),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        let s = Stroke {
            width: dpi.pt(1.0) as f32,
            ..Stroke::default()
        };
        pm.stroke_path(
            &frame,
            &paint(Rgba([0xcc, 0xcc, 0xcc, 204])),
            &s,
            Transform::identity(),
            None,
        );
    }
    let (a, d) = font.lp();
    for (i, (text, swatch)) in labels.iter().zip(swatches).enumerate() {
        let top = y0 + border_pad + i as f64 * (row + spacing);
        if top + row < 0.0 {
            continue; // above the picture: only a legend larger than the axes has these
        }
        if top > pm.height() as f64 {
            break;
        }
        let mid = top + row / 2.0;
        let hx = x0 + border_pad;
        match swatch {
            Swatch::Line(look) => {
                paint::stroke(pm, &[(hx, mid), (hx + handle_len, mid)], look, None);
            }
            Swatch::Markers { shape, size, color } => {
                paint::markers(
                    pm,
                    &[(hx + handle_len / 2.0, mid)],
                    &[*size],
                    *shape,
                    *color,
                    None,
                );
            }
            Swatch::Fill(color) => {
                let hh = 0.7 * em;
                paint::fill(
                    pm,
                    &[
                        (hx, mid - hh / 2.0),
                        (hx + handle_len, mid - hh / 2.0),
                        (hx + handle_len, mid + hh / 2.0),
                        (hx, mid + hh / 2.0),
                    ],
                    *color,
                    None,
                );
            }
        }
        let baseline = top + (row - (a + d) * em) / 2.0 + a * em;
        text.draw(
            pm,
            hx + handle_len + handle_pad,
            baseline,
            0.0,
            VAnchor::Baseline,
            false,
            ink,
        );
    }
    fits
}

fn rounded(x: f64, y: f64, w: f64, h: f64, r: f64) -> Option<tiny_skia::Path> {
    let (x, y, w, h, r) = (x as f32, y as f32, w as f32, h as f32, r as f32);
    let r = r.min(w / 2.0).min(h / 2.0);
    Rect::from_xywh(x, y, w, h)?;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.quad_to(x + w, y, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.quad_to(x + w, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.quad_to(x, y + h, x, y + h - r);
    pb.line_to(x, y + r);
    pb.quad_to(x, y, x + r, y);
    pb.close();
    pb.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::style::{Cap, Dash};

    #[test]
    fn legend_in_upper_right_corner() {
        let mut pm = Pixmap::new(200, 100).unwrap();
        pm.fill(tiny_skia::Color::WHITE);
        let axes = Bounds {
            x0: 10.0,
            y0: 10.0,
            x1: 190.0,
            y1: 90.0,
        };
        let look = LineLook {
            color: Rgba([255, 0, 0, 255]),
            width: 3.0,
            dash: Dash::Solid,
            cap: Cap::Butt,
        };
        let fits = draw(
            &mut pm,
            &[label("sin", Dpi::default(), &Font::default())],
            &[Swatch::Line(look)],
            Place::UpperRight,
            axes,
            Rgba::BLACK,
            Dpi::default(),
            &Font::default(),
        );
        // the red handle sits in the top-right quarter
        let red: Vec<(u32, u32)> = (0..200)
            .flat_map(|x| (0..100).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let p = pm.pixel(x, y).unwrap();
                p.red() > 200 && p.green() < 50
            })
            .collect();
        assert!(!red.is_empty());
        assert!(red.iter().all(|&(x, y)| x > 100 && y < 50), "{:?}", red[0]);
        assert!(fits);
    }

    #[test]
    fn a_legend_taller_than_the_axes_says_it_does_not_fit() {
        let mut pm = Pixmap::new(200, 100).unwrap();
        let axes = Bounds {
            x0: 10.0,
            y0: 10.0,
            x1: 190.0,
            y1: 90.0,
        };
        let rows = |n: usize| -> (Vec<Shaped>, Vec<Swatch>) {
            let labels = (0..n)
                .map(|i| label(&format!("class {i}"), Dpi::default(), &Font::default()))
                .collect();
            (labels, vec![Swatch::Fill(Rgba::BLACK); n])
        };
        let (labels, swatches) = rows(2);
        let axes_font = (Rgba::BLACK, Dpi::default(), &Font::default());
        let draw_with = |pm: &mut Pixmap, l: &[Shaped], s: &[Swatch], place| {
            draw(pm, l, s, place, axes, axes_font.0, axes_font.1, axes_font.2)
        };
        assert!(draw_with(&mut pm, &labels, &swatches, Place::UpperRight));
        let (labels, swatches) = rows(10_000);
        assert!(!draw_with(&mut pm, &labels, &swatches, Place::UpperRight));
        assert!(!draw_with(&mut pm, &labels, &swatches, Place::LowerLeft));
    }
}
