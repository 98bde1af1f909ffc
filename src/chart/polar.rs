//! Polar axes, placed and decorated as matplotlib's `subplot(projection="polar")`: a
//! circle inscribed in the default subplot box, circular grid lines at the r ticks
//! with their labels along the spoke at 22.5°, spokes every 45° labelled 0°, 45°, …
//! outside the circle, the title above the top label.
//!
//! The data-to-pixel transform is matplotlib's `PolarTransform`: the angle turned by
//! `theta_zero` and `theta_direction`, r measured from the centre, which is r = rmin;
//! a point with r below rmin has no place (NaN), so a line breaks there.

use tiny_skia::{FillRule, Mask, PathBuilder, Pixmap, Stroke, Transform};

use super::axes::Decor;
use super::format;
use super::label::{Shaped, VAnchor};
use super::paint::{paint, Bounds};
use super::style::{size, GRID_COLOR};
use super::ticks;
use crate::base::color::Rgba;

/// How θ is turned onto the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Orientation {
    /// Where θ = 0 points, in radians counter-clockwise from the right (matplotlib's
    /// `theta_offset`: 0 for "E", π/2 for "N").
    pub zero: f64,
    /// 1: θ grows counter-clockwise; -1: clockwise.
    pub direction: f64,
}

impl Default for Orientation {
    fn default() -> Orientation {
        Orientation {
            zero: 0.0,
            direction: 1.0,
        }
    }
}

/// The distance from the circle to the centres of the θ labels, in points
/// (matplotlib's tick pad of 3.5 plus the 3.5 of an outward tick, plus its 7 more).
const THETA_LABEL_PAD: f64 = 14.0;

/// The angle, in degrees of θ, of the spoke the r labels sit along (matplotlib's
/// `rlabel_position`).
const RLABEL_AT: f64 = 22.5;

/// Polar axes with their limits decided and their texts shaped, ready to draw.
pub struct PolarAxes {
    /// The circle's centre and radius, in pixels.
    pub cx: f64,
    pub cy: f64,
    pub radius: f64,
    /// r at the centre and at the circle.
    pub rlim: (f64, f64),
    pub orientation: Orientation,
    decor: Decor,
    rticks: Vec<f64>,
    rlabels: Vec<Shaped>,
    roffset: Option<Shaped>,
    tlabels: Vec<Shaped>,
    title: Option<Shaped>,
}

impl PolarAxes {
    /// Polar axes for a `w`×`h` figure showing r from `rlim.0` (the centre) to
    /// `rlim.1` (the circle); `rlim.1 > rlim.0`.
    pub fn new(w: u32, h: u32, decor: &Decor, rlim: (f64, f64), orientation: Orientation) -> Self {
        let pt = |v| decor.dpi.pt(v);
        let font = pt(size::FONT);
        let tlabels: Vec<Shaped> = (0..8)
            .map(|k| decor.font.shape(&format!("{}°", k * 45), font))
            .collect();
        let title = decor
            .title
            .as_ref()
            .map(|s| decor.title_face().shape(s, pt(size::TITLE)));
        let lp = decor.font.line_height(font);
        let widest = tlabels.iter().map(|l| l.width).fold(0.0, f64::max);
        let dist = pt(THETA_LABEL_PAD);
        // The default box of a subplot, and the square in its middle (matplotlib's
        // polar axes keep an equal aspect).
        let r = super::axes::rect(w as f64, h as f64);
        let mut radius = ((r.x1 - r.x0).min(r.y1 - r.y0) / 2.0).max(1.0);
        let (mut cx, mut cy) = ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0);
        // The θ labels and the title must be inside the figure: where they would be
        // cut, the circle is made smaller (the default place kept whenever they fit).
        let title_room = title.as_ref().map_or(0.0, |t| {
            pt(size::TITLE_PAD) + decor.title_face().line_height(t.size) + 2.0
        });
        let side = dist + widest / 2.0 + 2.0;
        let (top, bottom) = (title_room + dist + lp / 2.0 + 2.0, dist + lp / 2.0 + 2.0);
        let (wf, hf) = (w as f64, h as f64);
        let fits = cx - radius >= side
            && cx + radius <= wf - side
            && cy - radius >= top
            && cy + radius <= hf - bottom;
        if !fits {
            let room_w = wf - 2.0 * side;
            let room_h = hf - top - bottom;
            radius = (room_w.min(room_h) / 2.0).max(1.0);
            cx = wf / 2.0;
            cy = top + room_h.max(2.0) / 2.0;
        }
        let (lo, hi) = rlim;
        // matplotlib's y axis chooses the r ticks: room counted over the circle's
        // diameter; none at the centre (its `RadialLocator`), none past the circle.
        let nbins = ticks::tick_space(2.0 * radius, font, false);
        let all = ticks::linear(lo, hi, nbins);
        let f = format::linear(&all, (lo, hi));
        let eps = super::scale::span(lo, hi).abs() * 1e-9;
        let (rticks, labels): (Vec<f64>, Vec<String>) = all
            .iter()
            .zip(f.labels)
            .filter(|(v, _)| **v > lo + eps && **v <= hi + eps)
            .map(|(v, l)| (*v, l))
            .unzip();
        let rlabels = labels.iter().map(|l| decor.font.shape(l, font)).collect();
        let roffset = (!f.offset.is_empty()).then(|| decor.font.shape(&f.offset, font));
        PolarAxes {
            cx,
            cy,
            radius,
            rlim,
            orientation,
            decor: decor.clone(),
            rticks,
            rlabels,
            roffset,
            tlabels,
            title,
        }
    }

    /// The r ticks drawn (and their grid circles).
    pub fn rticks(&self) -> &[f64] {
        &self.rticks
    }

    /// The angle on the page, counter-clockwise from the right, of data angle `theta`.
    fn angle(&self, theta: f64) -> f64 {
        self.orientation.zero + self.orientation.direction * theta
    }

    /// The distance from the centre, in pixels, of `r`; NaN below the centre's r.
    fn rho(&self, r: f64) -> f64 {
        let (lo, hi) = self.rlim;
        let u = if (hi - lo).is_finite() {
            (r - lo) / (hi - lo)
        } else {
            // limits wider apart than the largest double: on halves, exactly
            (r * 0.5 - lo * 0.5) / (hi * 0.5 - lo * 0.5)
        };
        if u >= 0.0 {
            u * self.radius
        } else {
            f64::NAN
        }
    }

    /// Data (θ in radians, r) to pixel coordinates; NaN where r is below the centre's.
    pub fn px(&self, theta: f64, r: f64) -> (f64, f64) {
        let rho = self.rho(r);
        let a = self.angle(theta);
        (self.cx + rho * a.cos(), self.cy - rho * a.sin())
    }

    /// The square around the circle (where a legend is placed).
    pub fn bounds(&self) -> Bounds {
        Bounds {
            x0: self.cx - self.radius,
            y0: self.cy - self.radius,
            x1: self.cx + self.radius,
            y1: self.cy + self.radius,
        }
    }

    fn circle(&self, rho: f64) -> Option<tiny_skia::Path> {
        PathBuilder::from_circle(self.cx as f32, self.cy as f32, rho.max(0.01) as f32)
    }

    /// A mask letting through the inside of the circle, anti-aliased at its edge: what
    /// series are clipped to.
    pub fn mask(&self, w: u32, h: u32) -> Option<Mask> {
        let mut m = Mask::new(w, h)?;
        let c = self.circle(self.radius)?;
        m.fill_path(&c, FillRule::Winding, true, Transform::identity());
        Some(m)
    }

    /// The figure and axes backgrounds and the grid: what goes under the data.
    pub fn draw_under(&self, pm: &mut Pixmap) {
        let c = self.decor.colors;
        pm.fill(c.figure.to_skia());
        if !(c.axes == c.figure && c.axes.is_opaque()) {
            if let Some(path) = self.circle(self.radius) {
                pm.fill_path(
                    &path,
                    &paint(c.axes),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        }
        if !self.decor.grid {
            return;
        }
        let w = self.decor.dpi.pt(size::GRID);
        for &v in &self.rticks {
            let rho = self.rho(v);
            // the circle at the edge is the frame's
            if rho < self.radius - 0.5 {
                self.stroke_circle(pm, rho, w, GRID_COLOR);
            }
        }
        let mut pb = PathBuilder::new();
        for k in 0..8 {
            let a = self.angle(k as f64 * std::f64::consts::FRAC_PI_4);
            pb.move_to(self.cx as f32, self.cy as f32);
            pb.line_to(
                (self.cx + self.radius * a.cos()) as f32,
                (self.cy - self.radius * a.sin()) as f32,
            );
        }
        if let Some(path) = pb.finish() {
            stroke(pm, &path, w, GRID_COLOR);
        }
    }

    fn stroke_circle(&self, pm: &mut Pixmap, rho: f64, width: f64, color: Rgba) {
        if let Some(path) = self.circle(rho) {
            stroke(pm, &path, width, color);
        }
    }

    /// The circular frame, the θ and r labels and the title: what goes over the data.
    pub fn draw_over(&self, pm: &mut Pixmap) {
        let ink = self.decor.colors.ink;
        let pt = |v| self.decor.dpi.pt(v);
        self.stroke_circle(pm, self.radius, pt(size::SPINE), ink);
        let dist = self.radius + pt(THETA_LABEL_PAD);
        let mut top = self.cy - self.radius;
        for (k, l) in self.tlabels.iter().enumerate() {
            let a = self.angle(k as f64 * std::f64::consts::FRAC_PI_4);
            let (x, y) = (self.cx + dist * a.cos(), self.cy - dist * a.sin());
            l.draw(pm, x, y, 0.5, VAnchor::Center, false, ink);
            let lp = self.decor.font.line_height(l.size);
            top = top.min(y - lp / 2.0);
        }
        // r labels: left end and bottom a little right of and below their point on the
        // spoke at 22.5°, as matplotlib places them.
        let a = self.angle(RLABEL_AT.to_radians());
        for (v, l) in self.rticks.iter().zip(&self.rlabels) {
            let rho = self.rho(*v);
            let (x, y) = (self.cx + rho * a.cos(), self.cy - rho * a.sin());
            l.draw(
                pm,
                x + pt(3.6),
                y + pt(1.44),
                0.0,
                VAnchor::Bottom,
                false,
                ink,
            );
        }
        if let Some(o) = &self.roffset {
            let b = self.bounds();
            o.draw(pm, b.x1, b.y0, 1.0, VAnchor::Baseline, false, ink);
        }
        if let Some(t) = &self.title {
            t.draw(
                pm,
                self.cx,
                top - pt(size::TITLE_PAD),
                0.5,
                VAnchor::Baseline,
                false,
                ink,
            );
        }
    }

    /// The title when it reaches past the edges of a `w`-pixel-wide figure, where it is
    /// cut: ("title", its length, the length that fits), as [`super::axes::Axes::cut_texts`].
    pub fn cut_texts(&self, w: u32) -> Vec<(&'static str, f64, f64)> {
        let fits = 2.0 * self.cx.min(w as f64 - self.cx).max(0.0);
        self.title
            .as_ref()
            .filter(|t| t.width > fits + 0.5)
            .map(|t| vec![("title", t.width, fits)])
            .unwrap_or_default()
    }
}

fn stroke(pm: &mut Pixmap, path: &tiny_skia::Path, width: f64, color: Rgba) {
    let s = Stroke {
        width: width as f32,
        ..Stroke::default()
    };
    pm.stroke_path(path, &paint(color), &s, Transform::identity(), None);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_circle_sits_in_the_default_box_and_theta_turns_as_asked() {
        let d = Decor::default();
        let p = PolarAxes::new(400, 400, &d, (0.0, 1.0), Orientation::default());
        // matplotlib 3.11, figsize (4, 4): centre (205, 202) from the top, radius 154
        assert!((p.cx - 205.0).abs() < 1e-9 && (p.cy - 202.0).abs() < 1e-9);
        assert!((p.radius - 154.0).abs() < 1e-9);
        let (x, y) = p.px(0.0, 1.0);
        assert!((x - 359.0).abs() < 1e-9 && (y - 202.0).abs() < 1e-9);
        let (x, y) = p.px(std::f64::consts::FRAC_PI_2, 0.5);
        assert!((x - 205.0).abs() < 1e-9 && (y - 125.0).abs() < 1e-9);
        assert!(p.px(0.0, -0.1).0.is_nan(), "below the centre's r: no place");
        let n = PolarAxes::new(
            400,
            400,
            &d,
            (0.0, 1.0),
            Orientation {
                zero: std::f64::consts::FRAC_PI_2,
                direction: -1.0,
            },
        );
        // "N", clockwise: θ = 0 up, θ = π/2 right
        let (x, y) = n.px(0.0, 1.0);
        assert!((x - 205.0).abs() < 1e-9 && (y - 48.0).abs() < 1e-9);
        let (x, _) = n.px(std::f64::consts::FRAC_PI_2, 1.0);
        assert!((x - 359.0).abs() < 1e-9);
        // matplotlib's r ticks for 0 … 0.976: 0.2 … 0.8, none at 0 or past the circle
        let p = PolarAxes::new(400, 400, &d, (0.0, 0.9761), Orientation::default());
        assert_eq!(p.rticks().len(), 4, "{:?}", p.rticks());
    }
}
