//! Drawing one frame over another: premultiplied "over", with opacity.

use tiny_skia::{FilterQuality, PixmapPaint, Transform};

use crate::clip::Frame;

/// Draws `src` over `dst` with its top-left corner at (x, y). Whole-pixel positions
/// copy pixels exactly; fractional ones are filtered bilinearly.
pub fn over(dst: &mut Frame, src: &Frame, x: f64, y: f64, opacity: f32) {
    if opacity <= 0.0 || !x.is_finite() || !y.is_finite() {
        return;
    }
    let whole = x.fract() == 0.0 && y.fract() == 0.0 && x.abs() < 1e6 && y.abs() < 1e6;
    let paint = PixmapPaint {
        opacity: opacity.min(1.0),
        quality: if whole {
            FilterQuality::Nearest
        } else {
            FilterQuality::Bilinear
        },
        ..PixmapPaint::default()
    };
    dst.draw_pixmap(
        0,
        0,
        src.as_ref(),
        &paint,
        Transform::from_translate(x as f32, y as f32),
        None,
    );
}
