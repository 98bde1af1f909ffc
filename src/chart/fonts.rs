//! Chart text through the `text` module: the bundled DejaVu Sans (matplotlib's default
//! font), or the face a chart's `font` names, shaped by cosmic-text into outlines placed
//! on a baseline at y = 0.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use cosmic_text::fontdb::Style;

use super::label::Shaped;
use crate::text::fonts::{self, FaceChoice};
use crate::text::layout;

/// The face a chart's text is set in: the bundled DejaVu Sans unless the scene names
/// another (resolved by the source that reads the `font` key, as text clips resolve
/// theirs). Every text of a chart — title, axis labels, tick labels, legend, colorbar —
/// is shaped through it, so all of it follows the one key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Font(Option<Arc<FaceChoice>>);

impl Font {
    /// A chart's text in `face`.
    pub fn new(face: FaceChoice) -> Font {
        Font(Some(Arc::new(face)))
    }

    /// Shapes one line of `text` at `size` pixels.
    pub fn shape(&self, text: &str, size: f64) -> Shaped {
        shape_in(self.0.as_deref(), text, size)
    }

    /// The height of "l" and depth of "p" as fractions of the font size.
    pub fn lp(&self) -> (f64, f64) {
        lp_of(self.0.as_deref())
    }

    /// The height of a line of text at `size` pixels (matplotlib's box of "lp").
    pub fn line_height(&self, size: f64) -> f64 {
        let (a, d) = self.lp();
        (a + d) * size
    }
}

/// How far apart the lines of a chart text are, in font sizes (a colorbar label of
/// several lines takes this much room a line after its first).
pub const LINE_SPACING: f64 = 1.2;

/// The height of "l" and depth of "p" in `face` (the bundled font for `None`), measured
/// once per face.
fn lp_of(face: Option<&FaceChoice>) -> (f64, f64) {
    let Some(face) = face else {
        return lp_metrics();
    };
    type Kept = Mutex<HashMap<String, (f64, f64)>>;
    static KEPT: OnceLock<Kept> = OnceLock::new();
    let key = face_key(face);
    let kept = KEPT.get_or_init(Kept::default);
    if let Some(lp) = kept.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return *lp;
    }
    let lp = measure_lp(Some(face));
    kept.lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, lp);
    lp
}

/// A face as a key of the kept shapes and metrics.
fn face_key(face: &FaceChoice) -> String {
    format!("{}\u{0}{}\u{0}{:?}", face.family, face.weight, face.style)
}

/// The height of "l" and depth of "p" in the bundled font, measured once.
pub fn lp_metrics() -> (f64, f64) {
    static LP: OnceLock<(f64, f64)> = OnceLock::new();
    *LP.get_or_init(|| measure_lp(None))
}

/// The height of "l" and depth of "p" in `face` (the bundled font for `None`), or
/// DejaVu Sans's when a face gives nothing sensible (no such letters).
fn measure_lp(face: Option<&FaceChoice>) -> (f64, f64) {
    let bounds = |s: &str| {
        // the metrics are being measured: the shape's own are not read
        let shaped = shape_now(face, s, 100.0, (0.0, 0.0));
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
}

/// The most shaped strings kept; when full, the store starts again empty.
const KEPT: usize = 1024;

/// Shapes one line of `text` at `size` pixels in `face` (the bundled font for `None`).
/// Charts draw the same strings again and again (tick labels, names, titles: every
/// frame of an animation), so ASCII strings are kept once shaped, per face. The bundled
/// DejaVu Sans has every ASCII character, so its shapes never depend on which other
/// fonts are loaded by then; a chart's own face is read when the scene loads, before
/// its first string is shaped.
fn shape_in(face: Option<&FaceChoice>, text: &str, size: f64) -> Shaped {
    type Store = Mutex<HashMap<(String, String, u64), Shaped>>;
    static STORE: OnceLock<Store> = OnceLock::new();
    let lp = lp_of(face);
    if !text.is_ascii() {
        return shape_now(face, text, size, lp);
    }
    let store = STORE.get_or_init(Store::default);
    let key = (
        face.map(face_key).unwrap_or_default(),
        text.to_owned(),
        size.to_bits(),
    );
    if let Some(s) = store.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return s.clone();
    }
    let shaped = shape_now(face, text, size, lp);
    let mut kept = store.lock().unwrap_or_else(|p| p.into_inner());
    if kept.len() >= KEPT {
        kept.clear();
    }
    kept.insert(key, shaped.clone());
    shaped
}

/// `text` shaped in `face`, whose "lp" metrics are `lp`.
fn shape_now(face: Option<&FaceChoice>, text: &str, size: f64, lp: (f64, f64)) -> Shaped {
    let mut fonts = fonts::lock();
    let face = match face {
        Some(f) => f.clone(),
        None => fonts.choose(fonts::DEFAULT_FAMILY, 400, Style::Normal),
    };
    let params = layout::Params {
        face: &face,
        font_size: size as f32,
        line_height: (size * LINE_SPACING) as f32,
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
        lp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_face_of_its_own_shapes_and_measures_apart() {
        // the system's DejaVu Serif (fonts-dejavu-core), as the text clips' tests use it
        let path = std::path::Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
        let face = fonts::lock().file(path, 400, Style::Normal).unwrap();
        let serif = Font::new(face);
        let sans = Font::default();
        let a = serif.shape("Kept 1.5", 10.0);
        assert!(a.paths[..] != sans.shape("Kept 1.5", 10.0).paths[..]);
        // kept per face: the same string again is the same shapes
        assert!(Arc::ptr_eq(&a.paths, &serif.shape("Kept 1.5", 10.0).paths));
        // its own "lp" box, carried by what it shapes
        let (l, p) = serif.lp();
        assert!(l > 0.6 && l < 0.9 && p > 0.1 && p < 0.35, "{l} {p}");
        assert_eq!(a.lp, serif.lp());
        assert!((serif.line_height(10.0) - 10.0 * (l + p)).abs() < 1e-12);
        // the bundled face, named, is the default to the pixel
        let named = Font::new(fonts::lock().choose(fonts::DEFAULT_FAMILY, 400, Style::Normal));
        assert!(named.shape("Kept 1.5", 10.0).paths[..] == sans.shape("Kept 1.5", 10.0).paths[..]);
        assert_eq!(named.lp(), sans.lp());
    }

    #[test]
    fn kept_shapes_follow_the_text_and_size() {
        let a = Font::default().shape("1,234 kept", 10.0);
        let again = Font::default().shape("1,234 kept", 10.0);
        assert!(std::sync::Arc::ptr_eq(&a.paths, &again.paths), "kept");
        assert!(a.paths[..] == shape_now(None, "1,234 kept", 10.0, lp_metrics()).paths[..]);
        // another value, another size: shaped anew
        let b = Font::default().shape("1,235 kept", 10.0);
        assert!(a.paths[..] != b.paths[..]);
        let big = Font::default().shape("1,234 kept", 20.0);
        assert!(
            (big.width / a.width - 2.0).abs() < 0.05,
            "{} {}",
            big.width,
            a.width
        );
        // beyond ASCII: not kept, shaped each time
        let e = Font::default().shape("1 234 €", 10.0);
        assert!(!std::sync::Arc::ptr_eq(
            &e.paths,
            &Font::default().shape("1 234 €", 10.0).paths
        ));
    }
}
