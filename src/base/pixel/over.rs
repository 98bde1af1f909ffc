//! Drawing one frame onto another: premultiplied "over" with opacity, and the exact
//! copy it falls back on for opaque frames at whole-pixel positions.

use tiny_skia::{FilterQuality, PixmapPaint, Transform};

use crate::base::frame::Frame;

/// Draws `src` over `dst` with its top-left corner at (x, y). Whole-pixel positions
/// copy pixels exactly; fractional ones are filtered bilinearly.
pub fn over(dst: &mut Frame, src: &Frame, x: f64, y: f64, opacity: f32) {
    if opacity <= 0.0 || !x.is_finite() || !y.is_finite() {
        return;
    }
    let whole = x.fract() == 0.0 && y.fract() == 0.0 && x.abs() < 1e6 && y.abs() < 1e6;
    if whole && opacity >= 1.0 && is_opaque(src) {
        // the exact result of drawing an opaque frame at a whole-pixel position,
        // without the general pipeline (the common case of video grids, far faster)
        blit(dst, src, x as i64, y as i64);
        return;
    }
    let paint = PixmapPaint {
        opacity: opacity.min(1.0),
        quality: if whole {
            FilterQuality::Nearest
        } else {
            FilterQuality::Bilinear
        },
        ..PixmapPaint::default()
    };
    super::band::draw_pixmap(
        dst,
        src.as_ref(),
        &paint,
        Transform::from_translate(x as f32, y as f32),
    );
}

/// Whether every pixel of `f` is fully opaque (drawing it over anything is a copy).
pub fn is_opaque(f: &Frame) -> bool {
    // Folded without an early exit, so that it vectorises.
    f.data().chunks_exact(4).fold(255u8, |a, p| a & p[3]) == 255
}

/// Copies `src` into `dst` with its top-left corner at (x, y), replacing pixels;
/// whatever falls outside `dst` is clipped.
pub fn blit(dst: &mut Frame, src: &Frame, x: i64, y: i64) {
    let (dw, dh) = (dst.width() as i64, dst.height() as i64);
    let (sw, sh) = (src.width() as i64, src.height() as i64);
    let (x0, x1) = (x.max(0), x.saturating_add(sw).min(dw));
    let (y0, y1) = (y.max(0), y.saturating_add(sh).min(dh));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let n = ((x1 - x0) * 4) as usize;
    let src_data = src.data();
    let dst_data = dst.data_mut();
    for row in y0..y1 {
        let s = (((row - y) * sw + (x0 - x)) * 4) as usize;
        let d = ((row * dw + x0) * 4) as usize;
        dst_data[d..d + n].copy_from_slice(&src_data[s..s + n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{filled, Size};
    use tiny_skia::Color;

    /// The fast copy gives what the general pipeline gives, clipped at every edge.
    #[test]
    fn opaque_copy_matches_the_pipeline() {
        let mut src = filled(Size::new(5, 4), Color::from_rgba8(10, 200, 30, 255));
        src.data_mut()[4..8].copy_from_slice(&[1, 2, 3, 255]);
        for (x, y) in [(0, 0), (3, 2), (-2, -1), (6, 1), (-5, 0), (9, 9)] {
            let mut fast = filled(Size::new(8, 6), Color::from_rgba8(0, 0, 90, 255));
            let mut slow = fast.clone();
            over(&mut fast, &src, x as f64, y as f64, 1.0);
            slow.draw_pixmap(
                0,
                0,
                src.as_ref(),
                &PixmapPaint::default(),
                Transform::from_translate(x as f32, y as f32),
                None,
            );
            assert!(fast.data() == slow.data(), "at ({x}, {y})");
        }
        assert!(is_opaque(&src));
        assert!(!is_opaque(&filled(Size::new(2, 2), Color::TRANSPARENT)));
    }
}
