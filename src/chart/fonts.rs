//! Chart text through the `text` module: the bundled DejaVu Sans (matplotlib's default
//! font), shaped by cosmic-text into outlines placed on a baseline at y = 0.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

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

/// The most shaped strings kept; when full, the store starts again empty.
const KEPT: usize = 1024;

/// Shapes one line of `text` at `size` pixels. Charts draw the same strings again and
/// again (tick labels, names, titles: every frame of an animation), so ASCII strings
/// are kept once shaped — the bundled DejaVu Sans has every ASCII character, so their
/// shapes never depend on which other fonts are loaded by then.
pub fn shape(text: &str, size: f64) -> Shaped {
    type Store = Mutex<HashMap<(String, u64), Shaped>>;
    static STORE: OnceLock<Store> = OnceLock::new();
    if !text.is_ascii() {
        return shape_now(text, size);
    }
    let store = STORE.get_or_init(Store::default);
    let key = (text.to_owned(), size.to_bits());
    if let Some(s) = store.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return s.clone();
    }
    let shaped = shape_now(text, size);
    let mut kept = store.lock().unwrap_or_else(|p| p.into_inner());
    if kept.len() >= KEPT {
        kept.clear();
    }
    kept.insert(key, shaped.clone());
    shaped
}

fn shape_now(text: &str, size: f64) -> Shaped {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_shapes_follow_the_text_and_size() {
        let a = shape("1,234 kept", 10.0);
        let again = shape("1,234 kept", 10.0);
        assert!(std::sync::Arc::ptr_eq(&a.paths, &again.paths), "kept");
        assert!(a.paths[..] == shape_now("1,234 kept", 10.0).paths[..]);
        // another value, another size: shaped anew
        let b = shape("1,235 kept", 10.0);
        assert!(a.paths[..] != b.paths[..]);
        let big = shape("1,234 kept", 20.0);
        assert!(
            (big.width / a.width - 2.0).abs() < 0.05,
            "{} {}",
            big.width,
            a.width
        );
        // beyond ASCII: not kept, shaped each time
        let e = shape("1 234 €", 10.0);
        assert!(!std::sync::Arc::ptr_eq(
            &e.paths,
            &shape("1 234 €", 10.0).paths
        ));
    }
}
