//! Chart text: strings shaped once into outlines, then filled at any place, anchored the
//! way matplotlib anchors text (by the box of "lp", so labels with and without
//! descenders line up), upright or turned a quarter left (y axis labels).

use std::sync::Arc;

use tiny_skia::{FillRule, Mask, Path, Pixmap, Transform};

use super::paint::paint;
use crate::base::color::Rgba;

/// A shaped string: outlines around a baseline starting at (0, 0), y down.
#[derive(Clone)]
pub struct Shaped {
    /// Shared: a shaped string is kept and handed out again (see `fonts::Font::shape`).
    pub paths: Arc<[Path]>,
    /// Advance width, pixels.
    pub width: f64,
    /// Font size, pixels.
    pub size: f64,
    /// The height of "l" and depth of "p" in its face, as fractions of `size`: where
    /// it is anchored (see [`super::fonts::Font::lp`]).
    pub lp: (f64, f64),
}

/// Vertical anchoring, as matplotlib's `va`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAnchor {
    /// The top of a tall letter ("l") at the anchor.
    Top,
    /// The baseline at the anchor.
    Baseline,
    /// The middle between the baseline and the top of "l".
    CenterBaseline,
    /// The middle of the "lp" box.
    Center,
    /// The bottom of a descender ("p") at the anchor.
    Bottom,
}

impl Shaped {
    /// Draws the text centred on `centre`, turned by `angle` radians (clockwise, as
    /// pixel rows go down): a contour label along its line.
    pub fn draw_turned(
        &self,
        pm: &mut Pixmap,
        (centre, angle): ((f64, f64), f64),
        color: Rgba,
        mask: Option<&Mask>,
    ) {
        let (a, d) = (self.lp.0 * self.size, self.lp.1 * self.size);
        let (sin, cos) = angle.sin_cos();
        // Text coordinates (u along the baseline from its start, v down) whose middle is
        // (width / 2, −(a − d) / 2), turned and moved onto `centre`.
        let (u, v) = (-self.width / 2.0, (a - d) / 2.0);
        let t = Transform::from_row(
            cos as f32,
            sin as f32,
            -sin as f32,
            cos as f32,
            (centre.0 + cos * u - sin * v) as f32,
            (centre.1 + sin * u + cos * v) as f32,
        );
        self.fill(pm, t, color, mask);
    }

    /// Fills the glyphs' paths placed by `t`.
    fn fill(&self, pm: &mut Pixmap, t: Transform, color: Rgba, mask: Option<&Mask>) {
        let p = paint(color);
        for path in self.paths.iter() {
            pm.fill_path(path, &p, FillRule::Winding, t, mask);
        }
    }

    /// Fills the text with its anchor point at (x, y): `ha` is 0 for the left end, 0.5
    /// for the middle, 1 for the right end; `rotated` turns it a quarter left (reading
    /// upwards), with `ha` along the text and `va` across it as matplotlib does.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &self,
        pm: &mut Pixmap,
        x: f64,
        y: f64,
        ha: f64,
        va: VAnchor,
        rotated: bool,
        color: Rgba,
    ) {
        let (a, d) = self.lp;
        let (a, d) = (a * self.size, d * self.size);
        let base = match va {
            VAnchor::Top => a,
            VAnchor::Baseline => 0.0,
            VAnchor::CenterBaseline => a / 2.0,
            VAnchor::Center => (a - d) / 2.0,
            VAnchor::Bottom => -d,
        };
        let dx = -ha * self.width;
        let t = if rotated {
            // Text coordinates (u along, v down) to pixels: u goes up, v goes right.
            Transform::from_row(0.0, -1.0, 1.0, 0.0, (x + base) as f32, (y - dx) as f32)
        } else {
            Transform::from_translate((x + dx) as f32, (y + base) as f32)
        };
        self.fill(pm, t, color, None);
    }
}
