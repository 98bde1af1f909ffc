//! Points coloured and sized by columns of their CSV file, as matplotlib's
//! `scatter(x, y, c=…, s=…)` does: a column of classes (text) takes the colour cycle,
//! one colour per class; a column of numbers goes through a colormap over its range,
//! linearly or by its logarithm (`norm = "log"`, matplotlib's `LogNorm`).

use std::sync::Arc;

use crate::base::color::Rgba;
use crate::base::colormap::Colormap;
use crate::chart::scale::Scale;
use crate::chart::style;

/// How the values of a `color_by` column become colours.
pub enum Coloring {
    /// Class `k` (numbered in the order the rows first show it) takes cycle colour `k`.
    Classes(Vec<String>),
    /// Numbers through a colormap on `scale`, `lo` at its start and `hi` at its end.
    Map {
        map: Colormap,
        lo: f64,
        hi: f64,
        scale: Scale,
    },
}

impl Coloring {
    /// A colormap over the values of `values` that `scale` shows (matplotlib's
    /// autoscaling: finite ones, positive ones on a log scale).
    pub fn over(map: Colormap, scale: Scale, values: &[f64]) -> Coloring {
        let shown = values.iter().copied().filter(|v| scale.shows(*v));
        let (lo, hi) = shown.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        Coloring::Map { map, lo, hi, scale }
    }

    /// The colour of a value; `None` for a missing one, or one ≤ 0 on a log scale
    /// (matplotlib's transparent "bad" colour): the point is not drawn.
    pub fn color(&self, v: f64) -> Option<Rgba> {
        if !v.is_finite() {
            return None;
        }
        match self {
            Coloring::Classes(_) => Some(style::cycle(v as usize)),
            Coloring::Map { map, lo, hi, scale } => {
                // matplotlib's norms map everything to 0 when vmin = vmax
                let u = scale.norm(v, *lo, *hi);
                if u.is_nan() {
                    return None;
                }
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
    /// The colormap, its value range and scale, when a colorbar shows them.
    pub fn colorbar(&self) -> Option<(Colormap, (f64, f64, Scale))> {
        match &self.colors {
            Some((_, Coloring::Map { map, lo, hi, scale })) if self.colorbar => {
                Some((*map, (*lo, *hi, *scale)))
            }
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
        let m = Coloring::over(viridis, Scale::Linear, &[2.0, f64::NAN, 4.0, 3.0]);
        // the ends of the column's range are the ends of the map
        assert_eq!(m.color(2.0), Some(Rgba([0x44, 0x01, 0x54, 255])));
        assert_eq!(m.color(4.0), Some(Rgba([0xfd, 0xe7, 0x25, 255])));
        let flat = Coloring::over(viridis, Scale::Linear, &[5.0, 5.0]);
        assert_eq!(flat.color(5.0), m.color(2.0));
    }

    /// On a log scale the range is the positive values', and a point ≤ 0 is not drawn
    /// (matplotlib's LogNorm masks it; its "bad" colour is transparent).
    #[test]
    fn a_log_scale_leaves_out_values_not_positive() {
        let viridis = Colormap::by_name("viridis").unwrap();
        let m = Coloring::over(viridis, Scale::Log, &[-1.0, 0.0, 1.0, 10.0, 100.0]);
        assert_eq!(m.color(0.0), None);
        assert_eq!(m.color(-1.0), None);
        assert_eq!(m.color(1.0), Some(Rgba([0x44, 0x01, 0x54, 255])));
        assert_eq!(m.color(100.0), Some(Rgba([0xfd, 0xe7, 0x25, 255])));
        // 10 is halfway in log space: entry 128 of 256, where a linear scale gives 23
        let [r, g, b] = viridis.map(0.5);
        assert_eq!(m.color(10.0), Some(Rgba([r, g, b, 255])));
        let linear = Coloring::over(viridis, Scale::Linear, &[1.0, 10.0, 100.0]);
        assert_ne!(linear.color(10.0), m.color(10.0));
    }
}
