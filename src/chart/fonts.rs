//! PLACEHOLDER until the `text` branch lands: widths estimated, no outlines.
//! Replaced by shaping with `crate::text` at the merge.

use super::label::Shaped;

pub fn lp_metrics() -> (f64, f64) {
    (0.76, 0.23)
}

pub fn shape(text: &str, size: f64) -> Shaped {
    Shaped {
        paths: Vec::new(),
        width: 0.6 * size * text.chars().count() as f64,
        size,
    }
}
