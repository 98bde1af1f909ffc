//! A bar cut to the axes: its rectangle intersected with the axes' whole-pixel box,
//! which covers the same pixels as the bar filled through a mask of that box (a mask
//! keeps a pixel's coverage inside it and drops it outside, and the box's edges fall
//! between pixels), without making and filling a frame-sized mask for every frame —
//! and in the bar's exact colour, which tiny-skia's masked pipeline rounds by up to
//! 1/255.

use crate::chart::paint::Bounds;

/// `b` rounded to whole pixels, as `chart::paint::clip_mask` rounds it.
pub fn whole_pixels(b: Bounds) -> Bounds {
    Bounds {
        x0: b.x0.round(),
        y0: b.y0.round(),
        x1: b.x1.round(),
        y1: b.y1.round(),
    }
}

/// The corners of the rectangle with opposite corners `a` and `b`, cut to `inside`;
/// `None` when nothing of it is inside (or a corner is not a number).
pub fn rect(a: (f64, f64), b: (f64, f64), inside: Bounds) -> Option<[(f64, f64); 4]> {
    let x0 = a.0.min(b.0).max(inside.x0);
    let x1 = a.0.max(b.0).min(inside.x1);
    let y0 = a.1.min(b.1).max(inside.y0);
    let y1 = a.1.max(b.1).min(inside.y1);
    // NaN fails both comparisons
    if !(x0 < x1 && y0 < y1) {
        return None;
    }
    Some([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::color::Rgba;
    use crate::chart::paint::{clip_mask, fill};

    const BOX: Bounds = Bounds {
        x0: 10.3,
        y0: 5.6,
        x1: 50.5,
        y1: 30.2,
    };

    #[test]
    fn cut_to_the_box_or_gone() {
        let inside = whole_pixels(BOX);
        assert_eq!(
            (inside.x0, inside.y0, inside.x1, inside.y1),
            (10.0, 6.0, 51.0, 30.0)
        );
        assert_eq!(
            rect((0.0, 8.5), (20.25, 12.75), inside),
            Some([(10.0, 8.5), (20.25, 8.5), (20.25, 12.75), (10.0, 12.75)])
        );
        // corners in any order
        assert_eq!(
            rect((20.25, 12.75), (0.0, 8.5), inside),
            rect((0.0, 8.5), (20.25, 12.75), inside)
        );
        assert_eq!(rect((60.0, 8.0), (70.0, 9.0), inside), None);
        assert_eq!(rect((20.0, 8.0), (20.0, 9.0), inside), None, "no width");
        assert_eq!(rect((f64::NAN, 8.0), (20.0, 9.0), inside), None);
    }

    #[test]
    fn the_pixels_of_the_mask_in_the_exact_colour() {
        // bars inside, across every edge, and beyond, at fractional positions
        let bars = [
            ((12.3, 8.4), (30.7, 14.9)),
            ((-5.2, 3.3), (20.6, 12.1)),
            ((40.1, 20.8), (70.9, 40.4)),
            ((15.5, -4.0), (18.25, 60.0)),
            ((60.0, 10.0), (80.0, 12.0)),
        ];
        let color = Rgba([31, 119, 180, 255]);
        let mut masked = crate::base::frame::blank(crate::base::frame::Size::new(64, 40));
        let mut cut = masked.clone();
        let mask = clip_mask(64, 40, BOX);
        let inside = whole_pixels(BOX);
        for (a, b) in bars {
            let corners = [a, (a.0, b.1), b, (b.0, a.1)];
            fill(&mut masked, &corners, color, mask.as_ref());
            if let Some(c) = rect(a, b, inside) {
                fill(&mut cut, &c, color, None);
            }
        }
        let (m, c) = (masked.data(), cut.data());
        assert!(m.iter().any(|&v| v != 0), "something drawn");
        // The same pixels covered; through a mask tiny-skia's pipeline rounds colours by
        // up to 1/255 (31 came out as 30), without one they are exact.
        let worst = m.iter().zip(c).map(|(a, b)| a.abs_diff(*b)).max();
        assert_eq!(worst, Some(1));
        let covered = |d: &[u8]| d.chunks_exact(4).map(|p| p[3] > 0).collect::<Vec<_>>();
        assert!(covered(m) == covered(c), "the same pixels covered");
        let full = c.chunks_exact(4).filter(|p| p[3] == 255);
        assert!(full.clone().count() > 100);
        assert!(full.into_iter().all(|p| p == [31, 119, 180, 255]));
    }
}
