//! Statistics of frame values (histograms) for the effects that adapt to the picture:
//! `equalize`, `rescale_intensity`, Otsu's `threshold`.
//!
//! By default each frame is measured on its own. With `over = "clip"` the histogram is
//! that of the effect's input sampled at the output frame rate, measured once (see
//! [`super::clip_stats`]), so the mapping does not flicker.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::clip_stats::ClipWide;
use super::pixel::{luminance, straight};
use crate::base::diag::Diagnostic;
use crate::base::error::RenderError;
use crate::base::frame::Frame;
use crate::clip::{Clip, RenderCx};

/// `over = "frame" | "clip"`: where statistics are measured.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Over {
    Frame,
    Clip,
}

/// Which values a histogram counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Colour: straight R, G and B of every visible pixel, together (as scikit-image
    /// does for an RGB array). Mask: every value.
    Values,
    /// Colour: the [`luminance`] of every visible pixel. Mask: every value.
    Grey,
}

/// Counts of each 8-bit value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hist {
    pub counts: [u64; 256],
    /// Grey colour pixels (R = G = B) counted as three equal values.
    tripled: u64,
    /// Whether a colour pixel with unequal channels was counted.
    mixed: bool,
}

impl Hist {
    pub fn new() -> Hist {
        Hist {
            counts: [0; 256],
            tripled: 0,
            mixed: false,
        }
    }

    /// The histogram of one frame.
    pub fn of(frame: &Frame, mask: bool, measure: Measure) -> Hist {
        let mut h = Hist::new();
        h.add_frame(frame, mask, measure);
        h
    }

    pub fn add_frame(&mut self, frame: &Frame, mask: bool, measure: Measure) {
        for p in frame.data().chunks_exact(4) {
            if mask {
                self.counts[p[3] as usize] += 1;
            } else if p[3] > 0 {
                let rgb @ [r, g, b] = straight(p);
                match measure {
                    Measure::Values if r == g && g == b => {
                        self.counts[r as usize] += 3;
                        self.tripled += 1;
                    }
                    Measure::Values => {
                        rgb.iter().for_each(|&v| self.counts[v as usize] += 1);
                        self.mixed = true;
                    }
                    Measure::Grey => self.counts[luminance(rgb) as usize] += 1,
                }
            }
        }
    }

    /// Adds the counts of another histogram (of other frames).
    pub fn merge(&mut self, other: &Hist) {
        self.counts
            .iter_mut()
            .zip(&other.counts)
            .for_each(|(a, b)| *a += b);
        self.tripled += other.tripled;
        self.mixed |= other.mixed;
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// How many times each pixel was counted: 3 when every pixel was a grey colour
    /// pixel, so that a grey picture is measured like a one-channel image.
    fn per_pixel(&self) -> u64 {
        if self.tripled > 0 && !self.mixed {
            3
        } else {
            1
        }
    }

    /// The smallest and largest value counted.
    pub fn range(&self) -> Option<(u8, u8)> {
        let lo = self.counts.iter().position(|&c| c > 0)?;
        let hi = self.counts.iter().rposition(|&c| c > 0)?;
        Some((lo as u8, hi as u8))
    }

    /// The `k`-th smallest value (0-based) counting each pixel once; `k < total`.
    fn kth(&self, k: u64) -> u8 {
        let mut seen = 0;
        for (v, &c) in self.counts.iter().enumerate() {
            seen += c / self.per_pixel();
            if seen > k {
                return v as u8;
            }
        }
        255
    }

    /// The `p`-th percentile (0–100) with NumPy's default linear interpolation, of the
    /// values (R, G and B of a colour picture; one per pixel of a grey one or a mask).
    pub fn percentile(&self, p: f64) -> Option<f64> {
        let n = self.total() / self.per_pixel();
        if n == 0 {
            return None;
        }
        let idx = p.clamp(0.0, 100.0) / 100.0 * (n - 1) as f64;
        let lo = idx.floor() as u64;
        let hi = (lo + 1).min(n - 1);
        let (a, b) = (self.kth(lo) as f64, self.kth(hi) as f64);
        Some(a + (b - a) * (idx - lo as f64))
    }

    /// The table of histogram equalization: each value goes to 255 × the fraction of
    /// values at or below it (scikit-image's `equalize_hist`, scaled and rounded).
    /// Values below the smallest counted one map like it, as `np.interp` clamps.
    pub fn equalize_lut(&self) -> [u8; 256] {
        let mut lut = [0u8; 256];
        let n = self.total();
        let Some((lo, _)) = self.range() else {
            lut.iter_mut().enumerate().for_each(|(i, v)| *v = i as u8);
            return lut;
        };
        let mut cum = 0u64;
        for (v, out) in lut.iter_mut().enumerate() {
            cum += self.counts[v];
            let c = if v < lo as usize {
                self.counts[lo as usize]
            } else {
                cum
            };
            *out = (255.0 * c as f64 / n as f64).round() as u8;
        }
        lut
    }

    /// Otsu's threshold, as scikit-image's `threshold_otsu` computes it on 8-bit
    /// values: the value `t` that best separates `<= t` from `> t`. A histogram of one
    /// value returns that value.
    pub fn otsu(&self) -> Option<u8> {
        let (lo, hi) = self.range()?;
        if lo == hi {
            return Some(lo);
        }
        let bins: Vec<(f64, f64)> = (lo..=hi)
            .map(|v| (self.counts[v as usize] as f64, v as f64))
            .collect();
        let m = bins.len();
        let mut w1 = vec![0.0; m];
        let mut s1 = vec![0.0; m];
        let (mut cw, mut cs) = (0.0, 0.0);
        for (i, &(c, v)) in bins.iter().enumerate() {
            cw += c;
            cs += c * v;
            w1[i] = cw;
            s1[i] = cs;
        }
        let (total_w, total_s) = (cw, cs);
        let mut best = (f64::NEG_INFINITY, 0usize);
        for i in 0..m - 1 {
            let w2 = total_w - w1[i];
            let mean1 = s1[i] / w1[i];
            let mean2 = (total_s - s1[i]) / w2;
            let var = w1[i] * w2 * (mean1 - mean2).powi(2);
            if var > best.0 {
                best = (var, i);
            }
        }
        Some(lo + best.1 as u8)
    }
}

impl Default for Hist {
    fn default() -> Self {
        Hist::new()
    }
}

/// Where an effect's statistics come from.
pub struct Stats {
    measure: Measure,
    mask: bool,
    clip: Option<ClipWide>,
}

impl Stats {
    /// Statistics of `input` measured as `over` says (per frame when `None`).
    pub fn new(
        over: Option<&Spanned<Over>>,
        measure: Measure,
        input: &Arc<dyn Clip>,
    ) -> Result<Stats, Diagnostic> {
        let mask = input.is_mask();
        let clip = match over {
            Some(o) if *o.get_ref() == Over::Clip => {
                let duration = input.duration().ok_or_else(|| {
                    Diagnostic::at(
                        "statistics over the clip need a clip with an end, and this one has none",
                        o.span(),
                    )
                    .with_hint(
                        "give the clip a duration, or leave `over` out to measure each frame",
                    )
                })?;
                Some(ClipWide::new(input.clone(), duration))
            }
            _ => None,
        };
        Ok(Stats {
            measure,
            mask,
            clip,
        })
    }

    /// The histogram the effect uses for `frame`.
    pub fn hist(&self, frame: &Frame, cx: &RenderCx) -> Result<Hist, RenderError> {
        match &self.clip {
            None => Ok(Hist::of(frame, self.mask, self.measure)),
            Some(c) => c.hist(cx, self.mask, self.measure),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(values: &[u8]) -> Hist {
        let mut h = Hist::new();
        values.iter().for_each(|&v| h.counts[v as usize] += 1);
        h
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let h = hist(&[10, 20, 30, 40]);
        assert_eq!(h.percentile(0.0), Some(10.0));
        assert_eq!(h.percentile(100.0), Some(40.0));
        // np.percentile([10, 20, 30, 40], 50) == 25
        assert_eq!(h.percentile(50.0), Some(25.0));
        // np.percentile([10, 20, 30, 40], 10) == 13
        assert!((h.percentile(10.0).unwrap() - 13.0).abs() < 1e-9);
        assert_eq!(Hist::new().percentile(50.0), None);
    }

    #[test]
    fn equalization_is_the_scaled_cdf() {
        let lut = hist(&[0, 0, 100, 200]).equalize_lut();
        assert_eq!([lut[0], lut[100], lut[200], lut[255]], [128, 191, 255, 255]);
        // Below the smallest value: like the smallest.
        let lut = hist(&[50, 60]).equalize_lut();
        assert_eq!([lut[0], lut[50], lut[60]], [128, 128, 255]);
    }

    #[test]
    fn otsu_separates_two_groups() {
        assert_eq!(hist(&[10, 11, 12, 200, 201, 202]).otsu(), Some(12));
        assert_eq!(hist(&[7, 7]).otsu(), Some(7));
        assert_eq!(Hist::new().otsu(), None);
    }

    #[test]
    fn grey_pictures_count_each_pixel_once() {
        use crate::effect::testing::frame;
        let g = |v: u8| [v, v, v, 255];
        // np.percentile([10, 20, 30, 40], 10) == 13 for a grey picture or a mask…
        let grey = frame(&[&[g(10), g(20), g(30), g(40)]]);
        let h = Hist::of(&grey, false, Measure::Values);
        assert!((h.percentile(10.0).unwrap() - 13.0).abs() < 1e-9);
        assert_eq!(h.total(), 12);
        // …while colour pixels count their three channels, as NumPy does on an RGB array:
        // np.percentile([0, 0, 30, 90, 60, 0], 50) == 15.
        let colour = frame(&[&[[0, 0, 30, 255], [90, 60, 0, 255]]]);
        let h = Hist::of(&colour, false, Measure::Values);
        assert_eq!(h.percentile(50.0), Some(15.0));
        // Transparent pixels are not counted.
        let h = Hist::of(&frame(&[&[[0, 0, 0, 0], g(5)]]), false, Measure::Values);
        assert_eq!(h.range(), Some((5, 5)));
    }
}
