//! Points coloured and sized by columns of their CSV file, as matplotlib's
//! `scatter(x, y, c=…, s=…)` does: a column of classes (text) takes the colour cycle,
//! one colour per class; a column of numbers goes through a colormap over its range.

use std::sync::Arc;

use crate::base::color::Rgba;
use crate::base::colormap::Colormap;
use crate::chart::style;

/// How the values of a `color_by` column become colours.
pub enum Coloring {
    /// Class `k` (numbered in the order the rows first show it) takes cycle colour `k`.
    Classes(Vec<String>),
    /// Numbers through a colormap, `lo` at its start and `hi` at its end.
    Map { map: Colormap, lo: f64, hi: f64 },
}

impl Coloring {
    /// A colormap over the finite values of `values` (matplotlib's autoscaling).
    pub fn over(map: Colormap, values: &[f64]) -> Coloring {
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        Coloring::Map { map, lo, hi }
    }

    /// The colour of a value; `None` for a missing one (the point is not drawn).
    pub fn color(&self, v: f64) -> Option<Rgba> {
        if !v.is_finite() {
            return None;
        }
        match self {
            Coloring::Classes(_) => Some(style::cycle(v as usize)),
            Coloring::Map { map, lo, hi } => {
                // matplotlib's Normalize maps everything to 0 when vmin = vmax
                let u = if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
                let [r, g, b] = map.map(u);
                Some(Rgba([r, g, b, 255]))
            }
        }
    }

    pub fn classes(&self) -> Option<&[String]> {
        match self {
            Coloring::Classes(c) => Some(c),
            Coloring::Map { .. } => None,
        }
    }
}

/// The columns a CSV series reads besides x and y, one value per row.
#[derive(Default)]
pub struct ByColumn {
    pub colors: Option<(Arc<Vec<f64>>, Coloring)>,
    /// Marker diameters in points (or the `s` of the `size` expression).
    pub sizes: Option<Arc<Vec<f64>>>,
    /// The colorbar of a column of numbers is shown.
    pub colorbar: bool,
    /// Its own label.
    pub colorbar_label: Option<String>,
}

impl ByColumn {
    /// The colormap and its value range, when a colorbar shows them.
    pub fn colorbar(&self) -> Option<(Colormap, f64, f64)> {
        match &self.colors {
            Some((_, Coloring::Map { map, lo, hi })) if self.colorbar => Some((*map, *lo, *hi)),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.colors.is_none() && self.sizes.is_none()
    }

    /// The colours of the points from `rows` (transparent where the value is missing).
    pub fn colors_of(&self, rows: &[usize]) -> Vec<Rgba> {
        let Some((values, how)) = &self.colors else {
            return Vec::new();
        };
        rows.iter()
            .map(|&r| how.color(values[r]).unwrap_or(Rgba::TRANSPARENT))
            .collect()
    }

    /// The `size_by` values of the points from `rows`.
    pub fn sizes_of(&self, rows: &[usize]) -> Vec<f64> {
        match &self.sizes {
            Some(values) => rows.iter().map(|&r| values[r]).collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_take_the_cycle_and_numbers_the_colormap() {
        let c = Coloring::Classes(vec!["a".into(), "b".into()]);
        assert_eq!(c.color(1.0), Some(style::cycle(1)));
        assert_eq!(c.color(f64::NAN), None);
        let viridis = Colormap::by_name("viridis").unwrap();
        let m = Coloring::over(viridis, &[2.0, f64::NAN, 4.0, 3.0]);
        // the ends of the column's range are the ends of the map
        assert_eq!(m.color(2.0), Some(Rgba([0x44, 0x01, 0x54, 255])));
        assert_eq!(m.color(4.0), Some(Rgba([0xfd, 0xe7, 0x25, 255])));
        let flat = Coloring::over(viridis, &[5.0, 5.0]);
        assert_eq!(flat.color(5.0), m.color(2.0));
    }
}
