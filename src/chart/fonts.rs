//! Chart text through the `text` module: the bundled DejaVu Sans (matplotlib's default
//! font), shaped by cosmic-text into outlines placed on a baseline at y = 0.

use std::sync::OnceLock;

use super::label::Shaped;
use crate::text::{fonts, layout};

/// The height of "l" and depth of "p" as fractions of the font size, measured once.
pub fn lp_metrics() -> (f64, f64) {
    static LP: OnceLock<(f64, f64)> = OnceLock::new();
    *LP.get_or_init(|| {
        let bounds = |s: &str| {
            let shaped = shape(s, 100.0);
            shaped
                .paths
                .iter()
                .map(|p| p.bounds())
                .fold((0.0f64, 0.0f64), |(top, bottom), b| {
                    (top.min(b.top() as f64), bottom.max(b.bottom() as f64))
                })
        };
        let (l_top, _) = bounds("l");
        let (_, p_bottom) = bounds("p");
        let (a, d) = (-l_top / 100.0, p_bottom / 100.0);
        if a > 0.3 && a < 1.5 && (0.0..0.8).contains(&d) {
            (a, d)
        } else {
            (0.76, 0.24)
        }
    })
}

/// Shapes one line of `text` at `size` pixels.
pub fn shape(text: &str, size: f64) -> Shaped {
    let mut fonts = fonts::lock();
    let face = fonts.choose(fonts::DEFAULT_FAMILY, 400, cosmic_text::Style::Normal);
    let params = layout::Params {
        face: &face,
        font_size: size as f32,
        line_height: (size * 1.2) as f32,
        wrap_width: None,
        align: layout::Align::Left,
    };
    // Characters no installed font has are drawn as U+FFFD, as text clips do.
    let (shown, _) = fonts.drawable(text, &face);
    let laid = layout::lay_out(&mut fonts.system, &shown, &params);
    let baseline = laid.glyphs.first().map_or(0.0, |g| g.y);
    let paths = crate::text::raster::outlines(&mut fonts.system, &laid.glyphs);
    let shift = tiny_skia::Transform::from_translate(0.0, -baseline);
    Shaped {
        paths: paths
            .into_iter()
            .filter_map(|p| p.transform(shift))
            .collect(),
        width: laid.width as f64,
        size,
    }
}
