//! Anti-aliased drawing of series in pixel coordinates: polylines with width, dashes
//! and caps, filled polygons, markers. Points far outside the frame are clipped
//! geometrically first, so a curve shooting to 1e300 still draws its visible part at
//! the right slope, and NaN points break a line into pieces (gaps).

use tiny_skia::{
    FillRule, LineCap, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, StrokeDash,
    Transform,
};

use super::style::{Cap, Dash, Marker};
use crate::base::color::Rgba;

/// A rectangle in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Bounds {
    pub fn grow(self, d: f64) -> Bounds {
        Bounds {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
}

/// How a polyline is stroked, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct LineLook {
    pub color: Rgba,
    pub width: f64,
    pub dash: Dash,
    pub cap: Cap,
}

pub fn paint(c: Rgba) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(c.to_skia());
    p.anti_alias = true;
    p
}

/// A mask letting through only `b` (rounded to whole pixels), for clipping series to
/// the axes.
pub fn clip_mask(w: u32, h: u32, b: Bounds) -> Option<Mask> {
    let mut m = Mask::new(w, h)?;
    let r = Rect::from_ltrb(
        b.x0.round() as f32,
        b.y0.round() as f32,
        b.x1.round() as f32,
        b.y1.round() as f32,
    )?;
    m.fill_path(
        &PathBuilder::from_rect(r),
        FillRule::Winding,
        false,
        Transform::identity(),
    );
    Some(m)
}

/// Clips the segment a–b to `r` (Liang–Barsky); `None` if it misses.
fn clip_segment(a: (f64, f64), b: (f64, f64), r: Bounds) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (p, q) in [
        (-dx, a.0 - r.x0),
        (dx, r.x1 - a.0),
        (-dy, a.1 - r.y0),
        (dy, r.y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// The polyline through `pts` as a path: NaN points break it, parts outside `view`
/// are cut away. `None` when nothing is left.
pub fn polyline(pts: &[(f64, f64)], view: Bounds) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let mut last: Option<(f64, f64)> = None; // the end of the current subpath
    let mut prev: Option<(f64, f64)> = None;
    for &p in pts {
        if !(p.0.is_finite() && p.1.is_finite()) {
            prev = None;
            last = None;
            continue;
        }
        if let Some(q) = prev {
            if let Some((a, b)) = clip_segment(q, p, view) {
                let joined = last.is_some_and(|l| l == a);
                if !joined {
                    pb.move_to(a.0 as f32, a.1 as f32);
                }
                pb.line_to(b.0 as f32, b.1 as f32);
                last = (b == p).then_some(b);
            } else {
                last = None;
            }
        }
        prev = Some(p);
    }
    pb.finish()
}

/// Strokes `pts` (see [`polyline`]) with `look`, inside `mask` if given.
pub fn stroke(pm: &mut Pixmap, pts: &[(f64, f64)], look: &LineLook, mask: Option<&Mask>) {
    if look.width <= 0.0 || look.color.0[3] == 0 {
        return;
    }
    let view = Bounds {
        x0: 0.0,
        y0: 0.0,
        x1: pm.width() as f64,
        y1: pm.height() as f64,
    }
    .grow(look.width * 4.0 + 2.0);
    let Some(path) = polyline(pts, view) else {
        return;
    };
    stroke_path(pm, &path, look, mask);
}

/// Strokes an already-built path with `look`.
pub fn stroke_path(pm: &mut Pixmap, path: &Path, look: &LineLook, mask: Option<&Mask>) {
    let mut s = Stroke {
        width: look.width as f32,
        line_cap: match look.cap {
            Cap::Butt => LineCap::Butt,
            Cap::Round => LineCap::Round,
            Cap::Square => LineCap::Square,
        },
        line_join: LineJoin::Round,
        ..Stroke::default()
    };
    if let Dash::Pattern(v) = &look.dash {
        let w = look.width.max(1.0) as f32;
        let scaled: Vec<f32> = v.iter().map(|x| (*x as f32 * w).max(0.01)).collect();
        s.dash = StrokeDash::new(scaled, 0.0);
    }
    pm.stroke_path(path, &paint(look.color), &s, Transform::identity(), mask);
}

/// Fills the polygon through `pts` (NaN points skipped), inside `mask` if given.
pub fn fill(pm: &mut Pixmap, pts: &[(f64, f64)], color: Rgba, mask: Option<&Mask>) {
    if color.0[3] == 0 {
        return;
    }
    let lim = 1e6;
    let mut pb = PathBuilder::new();
    let mut started = false;
    for &(x, y) in pts {
        if !(x.is_finite() && y.is_finite()) {
            continue;
        }
        let (x, y) = (x.clamp(-lim, lim) as f32, y.clamp(-lim, lim) as f32);
        if started {
            pb.line_to(x, y);
        } else {
            pb.move_to(x, y);
            started = true;
        }
    }
    pb.close();
    if let Some(path) = pb.finish() {
        pm.fill_path(
            &path,
            &paint(color),
            FillRule::Winding,
            Transform::identity(),
            mask,
        );
    }
}

/// Adds one marker of `shape` and diameter `d` at (x, y) to `pb` (filled shapes) or
/// `lines` (plus and cross, which are stroked).
pub fn marker(
    pb: &mut PathBuilder,
    lines: &mut PathBuilder,
    shape: Marker,
    x: f32,
    y: f32,
    d: f32,
) {
    let r = d / 2.0;
    match shape {
        Marker::Circle => pb.push_circle(x, y, r),
        Marker::Square => {
            if let Some(rect) = Rect::from_xywh(x - r, y - r, d, d) {
                pb.push_rect(rect)
            }
        }
        Marker::Diamond => {
            let r = r * std::f32::consts::SQRT_2;
            pb.move_to(x, y - r);
            pb.line_to(x + r * 0.6, y);
            pb.line_to(x, y + r);
            pb.line_to(x - r * 0.6, y);
            pb.close();
        }
        Marker::Triangle => {
            pb.move_to(x, y - r);
            pb.line_to(x + r, y + r);
            pb.line_to(x - r, y + r);
            pb.close();
        }
        Marker::Plus => {
            lines.move_to(x - r, y);
            lines.line_to(x + r, y);
            lines.move_to(x, y - r);
            lines.line_to(x, y + r);
        }
        Marker::Cross => {
            lines.move_to(x - r, y - r);
            lines.line_to(x + r, y + r);
            lines.move_to(x - r, y + r);
            lines.line_to(x + r, y - r);
        }
    }
}

/// Draws markers at `pts` with diameters `sizes` (pixels; NaN or ≤ 0 hides one).
pub fn markers(
    pm: &mut Pixmap,
    pts: &[(f64, f64)],
    sizes: &[f64],
    shape: Marker,
    color: Rgba,
    mask: Option<&Mask>,
) {
    let (w, h) = (pm.width() as f64, pm.height() as f64);
    let mut filled = PathBuilder::new();
    let mut lines = PathBuilder::new();
    let mut widest = 0f64;
    for (&(x, y), &d) in pts.iter().zip(sizes) {
        if !(x.is_finite() && y.is_finite() && d.is_finite() && d > 0.0) {
            continue;
        }
        let d = d.min(4.0 * w.max(h));
        if x < -d || y < -d || x > w + d || y > h + d {
            continue;
        }
        widest = widest.max(d);
        marker(&mut filled, &mut lines, shape, x as f32, y as f32, d as f32);
    }
    let p = paint(color);
    if let Some(path) = filled.finish() {
        pm.fill_path(&path, &p, FillRule::Winding, Transform::identity(), mask);
    }
    if let Some(path) = lines.finish() {
        let s = Stroke {
            width: (widest / 6.0).max(1.0) as f32,
            ..Stroke::default()
        };
        pm.stroke_path(&path, &p, &s, Transform::identity(), mask);
    }
}

/// A straight line between two points, snapped so that a thin horizontal or vertical
/// line lands on pixel centres and looks crisp (as matplotlib's Agg backend snaps).
pub fn crisp_line(pm: &mut Pixmap, a: (f64, f64), b: (f64, f64), width: f64, color: Rgba) {
    let snap = |v: f64| {
        if width.round() as i64 % 2 == 1 {
            v.floor() + 0.5
        } else {
            v.round()
        }
    };
    let (mut a, mut b) = (a, b);
    if a.0 == b.0 {
        a.0 = snap(a.0);
        b.0 = a.0;
    }
    if a.1 == b.1 {
        a.1 = snap(a.1);
        b.1 = a.1;
    }
    let mut pb = PathBuilder::new();
    pb.move_to(a.0 as f32, a.1 as f32);
    pb.line_to(b.0 as f32, b.1 as f32);
    if let Some(path) = pb.finish() {
        let s = Stroke {
            width: width as f32,
            line_cap: LineCap::Square,
            ..Stroke::default()
        };
        pm.stroke_path(&path, &paint(color), &s, Transform::identity(), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> Bounds {
        Bounds {
            x0: 0.0,
            y0: 0.0,
            x1: 100.0,
            y1: 100.0,
        }
    }

    #[test]
    fn clipping_keeps_slope() {
        let (a, b) = clip_segment((50.0, 50.0), (1e300, 1e300), view()).unwrap();
        assert_eq!(a, (50.0, 50.0));
        assert!((b.0 - 100.0).abs() < 1e-9 && (b.1 - 100.0).abs() < 1e-9);
        assert!(clip_segment((-5.0, -5.0), (-1.0, 200.0), view()).is_none());
    }

    #[test]
    fn nan_breaks_the_line() {
        let pts = [
            (10.0, 10.0),
            (20.0, 20.0),
            (f64::NAN, 0.0),
            (30.0, 30.0),
            (40.0, 40.0),
        ];
        let p = polyline(&pts, view()).unwrap();
        let moves = p
            .segments()
            .filter(|s| matches!(s, tiny_skia::PathSegment::MoveTo(_)))
            .count();
        assert_eq!(moves, 2);
        assert!(polyline(&[(1.0, 1.0)], view()).is_none());
        assert!(polyline(&[(-10.0, -10.0), (-20.0, -5.0)], view()).is_none());
    }

    #[test]
    fn wide_line_is_antialiased_and_centered() {
        let mut pm = Pixmap::new(40, 20).unwrap();
        let look = LineLook {
            color: Rgba::BLACK,
            width: 4.0,
            dash: Dash::Solid,
            cap: Cap::Butt,
        };
        stroke(&mut pm, &[(0.0, 10.0), (40.0, 10.0)], &look, None);
        let a = |y: u32| pm.pixel(20, y).unwrap().alpha();
        assert_eq!(
            (a(7), a(8), a(9), a(10), a(11), a(12)),
            (0, 255, 255, 255, 255, 0)
        );
        let mut pm = Pixmap::new(40, 20).unwrap();
        stroke(&mut pm, &[(0.0, 10.3), (40.0, 10.3)], &look, None);
        let edge = pm.pixel(20, 8).unwrap().alpha();
        assert!(
            edge > 0 && edge < 255,
            "partial coverage at the edge: {edge}"
        );
    }

    #[test]
    fn dashes_leave_gaps() {
        let mut pm = Pixmap::new(100, 10).unwrap();
        let look = LineLook {
            color: Rgba::BLACK,
            width: 2.0,
            dash: Dash::Pattern(vec![3.7, 1.6]),
            cap: Cap::Butt,
        };
        stroke(&mut pm, &[(0.0, 5.0), (100.0, 5.0)], &look, None);
        let row: Vec<u8> = (0..100).map(|x| pm.pixel(x, 5).unwrap().alpha()).collect();
        assert!(row.iter().filter(|&&a| a == 0).count() > 20, "{row:?}");
        assert!(row.iter().filter(|&&a| a == 255).count() > 50, "{row:?}");
    }

    #[test]
    fn mask_clips() {
        let mut pm = Pixmap::new(20, 20).unwrap();
        let m = clip_mask(
            20,
            20,
            Bounds {
                x0: 5.0,
                y0: 5.0,
                x1: 15.0,
                y1: 15.0,
            },
        )
        .unwrap();
        fill(
            &mut pm,
            &[(0.0, 0.0), (20.0, 0.0), (20.0, 20.0), (0.0, 20.0)],
            Rgba::BLACK,
            Some(&m),
        );
        assert_eq!(pm.pixel(2, 2).unwrap().alpha(), 0);
        assert_eq!(pm.pixel(10, 10).unwrap().alpha(), 255);
    }

    #[test]
    fn markers_vanish_at_size_zero() {
        let mut pm = Pixmap::new(20, 20).unwrap();
        let pts = [(5.0, 5.0), (15.0, 15.0)];
        markers(
            &mut pm,
            &pts,
            &[6.0, 0.0],
            Marker::Circle,
            Rgba::BLACK,
            None,
        );
        assert_eq!(pm.pixel(5, 5).unwrap().alpha(), 255);
        assert_eq!(pm.pixel(15, 15).unwrap().alpha(), 0);
    }
}
