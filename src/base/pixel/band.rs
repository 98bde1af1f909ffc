//! Drawing a picture onto a large frame a band of rows at a time, so that a signal
//! stops it part-way (see [`crate::base::stop`]): one `draw_pixmap` onto a 16000²
//! frame is seconds of work nothing could interrupt.

use tiny_skia::{PixmapMut, PixmapPaint, PixmapRef, Transform};

use crate::base::frame::Frame;

/// Frames of up to this many pixels are drawn in one call, as before: the same bytes,
/// and at most a fraction of a second.
const WHOLE_PIXELS: u64 = 4 << 20;

/// About this many pixels a band.
const BAND_PIXELS: u64 = 1 << 20;

/// Rows of a band on a frame `w` pixels wide (at least one).
pub fn band_rows(w: u32) -> u32 {
    (BAND_PIXELS / w.max(1) as u64).clamp(1, u32::MAX as u64) as u32
}

/// Draws `src` onto `dst` through `ts`, like `dst.draw_pixmap(0, 0, src, paint, ts,
/// None)`. A frame over [`WHOLE_PIXELS`] is drawn in bands of rows, each with the
/// transform moved up by the band's first row (what tiny-skia does itself with its
/// tiles over 8191 pixels): the pixels are one call's within one level, but for a few
/// on the drawn picture's outline that the moved edge rounds the other way (56 of 7.5
/// million in a 17° turn of a 2200² picture). Before each band a signal stops the
/// drawing, leaving `dst` unfinished for a caller that asks the flag after it.
pub fn draw_pixmap(dst: &mut Frame, src: PixmapRef, paint: &PixmapPaint, ts: Transform) {
    let (w, h) = (dst.width(), dst.height());
    if w as u64 * h as u64 <= WHOLE_PIXELS {
        dst.draw_pixmap(0, 0, src, paint, ts, None);
        return;
    }
    let rows = band_rows(w);
    let line = w as usize * 4;
    let data = dst.data_mut();
    let mut y0 = 0;
    while y0 < h {
        if crate::base::stop::signalled() {
            return;
        }
        let n = rows.min(h - y0);
        let bytes = &mut data[y0 as usize * line..(y0 + n) as usize * line];
        if let Some(mut band) = PixmapMut::from_bytes(bytes, w, n) {
            band.draw_pixmap(0, 0, src, paint, ts.post_translate(0.0, -(y0 as f32)), None);
        }
        y0 += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{blank, filled, Size};
    use tiny_skia::{Color, FilterQuality};

    /// Bands give what one call gives within one level, but for a few pixels on the
    /// picture's edge that one of them leaves out (the edge's rounding moves with the
    /// translation), for a turned and scaled picture larger than the limit.
    #[test]
    fn bands_match_one_draw() {
        let mut src = filled(Size::new(300, 200), Color::from_rgba8(200, 40, 10, 255));
        for (i, p) in src.data_mut().chunks_exact_mut(4).enumerate() {
            p[1] = (i % 251) as u8;
        }
        let size = Size::new(2100, 2100);
        assert!(size.w as u64 * size.h as u64 > WHOLE_PIXELS);
        let ts = Transform::from_translate(1050.0, 1050.0)
            .pre_rotate(-17.0)
            .pre_scale(6.5, 6.5)
            .pre_translate(-150.0, -100.0);
        let paint = PixmapPaint {
            quality: FilterQuality::Bicubic,
            ..PixmapPaint::default()
        };
        let mut banded = blank(size);
        draw_pixmap(&mut banded, src.as_ref(), &paint, ts);
        let mut whole = blank(size);
        whole.draw_pixmap(0, 0, src.as_ref(), &paint, ts, None);
        let mut edge = 0;
        for (a, b) in banded.pixels().iter().zip(whole.pixels()) {
            let near = [
                (a.red(), b.red()),
                (a.green(), b.green()),
                (a.blue(), b.blue()),
                (a.alpha(), b.alpha()),
            ]
            .iter()
            .all(|(x, y)| x.abs_diff(*y) <= 1);
            if !near {
                assert!(a.alpha() == 0 || b.alpha() == 0, "{a:?} {b:?}");
                edge += 1;
            }
        }
        // the outline is about 6500 pixels long
        assert!(edge < 200, "{edge} pixels differ");
        // the picture was drawn: the middle is not blank
        assert_ne!(banded.pixel(1050, 1050).map(|p| p.alpha()), Some(0));
        assert!(band_rows(2100) >= 1 && band_rows(u32::MAX) == 1);
    }
}
