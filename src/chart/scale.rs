//! Data to pixels along one axis: linear or log, and the automatic limits matplotlib
//! would choose (the data's range plus 5 % on each side).

use serde::Deserialize;

/// How data maps onto an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    #[default]
    Linear,
    Log,
}

/// The fraction of the data range added on each side of automatic limits
/// (matplotlib's `axes.xmargin` and `axes.ymargin`).
pub const MARGIN: f64 = 0.05;

impl Scale {
    /// The value in the space the axis is linear in (`log10` for log axes); NaN for
    /// values a log axis cannot show.
    pub fn forward(self, v: f64) -> f64 {
        match self {
            Scale::Linear => v,
            Scale::Log if v > 0.0 => v.log10(),
            Scale::Log => f64::NAN,
        }
    }

    pub fn inverse(self, u: f64) -> f64 {
        match self {
            Scale::Linear => u,
            Scale::Log => 10f64.powf(u),
        }
    }

    /// Whether a value can be shown: finite, and positive on a log scale.
    pub fn shows(self, v: f64) -> bool {
        v.is_finite() && (self == Scale::Linear || v > 0.0)
    }

    /// Where `v` lies between `lo` (0) and `hi` (1) in this scale's space, as
    /// matplotlib's `Normalize` and `LogNorm` place a value on a colormap: the log's
    /// difference over the log's span, computed as matplotlib computes it. NaN for NaN
    /// and where a log scale masks the value (≤ 0: matplotlib's "bad" colour); 0 for
    /// every other value when `hi <= lo`.
    pub fn norm(self, v: f64, lo: f64, hi: f64) -> f64 {
        match self {
            _ if v.is_nan() => f64::NAN,
            Scale::Linear => unit(v, lo, hi),
            Scale::Log if v <= 0.0 => f64::NAN,
            Scale::Log if !(lo > 0.0 && hi > lo) => 0.0,
            Scale::Log => {
                let (a, b) = (lo.log10(), hi.log10());
                (v.log10() - a) / (b - a)
            }
        }
    }

    /// Automatic limits for data spanning `lo..hi`: widened by [`MARGIN`] in the
    /// axis's own space, and made non-empty.
    pub fn auto_limits(self, lo: f64, hi: f64) -> (f64, f64) {
        let (a, b) = (self.forward(lo), self.forward(hi));
        if !a.is_finite() || !b.is_finite() {
            return match self {
                Scale::Linear => (-0.055, 0.055),
                Scale::Log => (0.1, 10.0),
            };
        }
        let (a, b) = if a == b {
            // matplotlib widens a single value by 10 % of itself, or ±0.1 around 0
            let d = if a == 0.0 { 0.1 } else { 0.1 * a.abs() };
            match self {
                Scale::Linear => (a - d, b + d),
                Scale::Log => (a - 1.0, b + 1.0),
            }
        } else if (b - a).is_finite() {
            let d = (b - a) * MARGIN;
            (a - d, b + d)
        } else {
            // a span wider than the largest double (-1e308 to 1e308): the margin taken
            // on halves, which do not overflow
            let d = (b * 0.5 - a * 0.5) * (2.0 * MARGIN);
            (a - d, b + d)
        };
        // ends past the largest double are kept at it: infinite limits draw nothing
        let (a, b) = match self {
            Scale::Linear => (a.max(-f64::MAX), b.min(f64::MAX)),
            Scale::Log => (a, b),
        };
        (self.inverse(a), self.inverse(b))
    }
}

/// One axis: limits in data units onto a pixel interval (which may run backwards, as
/// the y axis does: larger values higher up, at smaller pixel rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisMap {
    pub scale: Scale,
    pub lo: f64,
    pub hi: f64,
    pub px0: f64,
    pub px1: f64,
    f_lo: f64,
    k: f64,
    /// 1, or ½ when the limits span more than the largest double (-1e308 to 1e308):
    /// values are mapped as halves then, which do not overflow (halving is exact, so
    /// the pixels are those of the exact span).
    s: f64,
}

impl AxisMap {
    /// Maps `lo..hi` onto pixels `px0..px1`. Limits a log axis cannot show fall back
    /// to 0.1..10; equal limits are widened.
    pub fn new(scale: Scale, lo: f64, hi: f64, px0: f64, px1: f64) -> AxisMap {
        let (mut lo, mut hi) = (lo, hi);
        if scale == Scale::Log && !(lo > 0.0 && hi > 0.0) {
            (lo, hi) = (0.1, 10.0);
        }
        if lo == hi || !lo.is_finite() || !hi.is_finite() {
            (lo, hi) = scale.auto_limits(lo, lo);
        }
        let (f_lo, f_hi) = (scale.forward(lo), scale.forward(hi));
        let s = if (f_hi - f_lo).is_finite() { 1.0 } else { 0.5 };
        AxisMap {
            scale,
            lo,
            hi,
            px0,
            px1,
            f_lo,
            k: (px1 - px0) / (f_hi * s - f_lo * s),
            s,
        }
    }

    /// The pixel coordinate of `v` (NaN for values the axis cannot show).
    pub fn px(&self, v: f64) -> f64 {
        self.px0 + (self.scale.forward(v) * self.s - self.f_lo * self.s) * self.k
    }

    /// The value at pixel coordinate `p`: the inverse of [`px`](Self::px).
    pub fn value(&self, p: f64) -> f64 {
        self.scale
            .inverse((self.f_lo * self.s + (p - self.px0) / self.k) / self.s)
    }

    /// True if `v` lies within the limits (either order), with a tolerance for
    /// rounding that is relative to the axis's length in its own space: on a log axis
    /// a linear tolerance would be as wide as the largest value, and let in every
    /// small one.
    pub fn contains(&self, v: f64) -> bool {
        let (a, b) = (self.scale.forward(self.lo), self.scale.forward(self.hi));
        let (a, b) = (a.min(b), a.max(b));
        let eps = span(a, b) * 1e-10;
        let f = self.scale.forward(v);
        f >= a - eps && f <= b + eps
    }
}

/// Where `v` lies between `lo` (0) and `hi` (1); 0 when `hi <= lo`. Computed on halves,
/// which is exact, so that a range wider than the largest double (values near
/// ±1.8e308) does not overflow to an infinite span.
pub fn unit(v: f64, lo: f64, hi: f64) -> f64 {
    let (v, lo, hi) = (v * 0.5, lo * 0.5, hi * 0.5);
    if hi > lo {
        (v - lo) / (hi - lo)
    } else {
        0.0
    }
}

/// `hi - lo`, kept at the largest double where it would overflow (-1e308 to 1e308):
/// for tolerances relative to a range.
pub fn span(lo: f64, hi: f64) -> f64 {
    let d = hi - lo;
    if d.is_infinite() && lo.is_finite() && hi.is_finite() {
        f64::MAX.copysign(d)
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_spans_the_whole_range_of_doubles() {
        assert_eq!(unit(0.0, -f64::MAX, f64::MAX), 0.5);
        assert_eq!(unit(f64::MAX, -f64::MAX, f64::MAX), 1.0);
        assert_eq!(unit(3.0, 1.0, 5.0), (3.0 - 1.0) / (5.0 - 1.0));
        assert_eq!(unit(3.0, 5.0, 5.0), 0.0);
    }

    /// matplotlib's `LogNorm` (tests/fixtures/colormaps/lognorm.txt, written by
    /// make_lognorm.py beside it): the same colour at every value, its "bad" colour
    /// for values ≤ 0, and its automatic limits over the positive values.
    #[test]
    fn log_norm_matches_matplotlib() {
        use crate::base::colormap::Colormap;
        let text = include_str!("../../tests/fixtures/colormaps/lognorm.txt");
        let (mut colors, mut limits) = (0, 0);
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts[..] {
                ["color", name, lo, hi, v, want] => {
                    let map = Colormap::by_name(name).unwrap();
                    let [lo, hi, v]: [f64; 3] = [lo, hi, v].map(|x| x.parse().unwrap());
                    let u = Scale::Log.norm(v, lo, hi);
                    let got = match u.is_nan() {
                        true => "bad".to_string(),
                        false => {
                            let [r, g, b] = map.map(u);
                            format!("#{r:02x}{g:02x}{b:02x}")
                        }
                    };
                    assert_eq!(got, want, "{name} {lo}..{hi} at {v}");
                    colors += 1;
                }
                ["auto", ref rest @ ..] => {
                    let at = rest.iter().position(|p| *p == "|").unwrap();
                    let values: Vec<f64> = rest[..at].iter().map(|x| x.parse().unwrap()).collect();
                    let want: Vec<f64> =
                        rest[at + 1..].iter().map(|x| x.parse().unwrap()).collect();
                    let shown: Vec<f64> = values
                        .into_iter()
                        .filter(|v| Scale::Log.shows(*v))
                        .collect();
                    let lo = shown.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = shown.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    assert_eq!(vec![lo, hi], want, "{line}");
                    limits += 1;
                }
                _ => panic!("bad fixture line {line:?}"),
            }
        }
        assert!(colors >= 40 && limits >= 2, "{colors} {limits}");
    }

    #[test]
    fn log_norm_ends() {
        assert_eq!(Scale::Log.norm(10.0, 10.0, 1000.0), 0.0);
        assert_eq!(Scale::Log.norm(1000.0, 10.0, 1000.0), 1.0);
        assert_eq!(Scale::Log.norm(100.0, 10.0, 1000.0), 0.5);
        assert!(Scale::Log.norm(0.0, 10.0, 1000.0).is_nan());
        assert!(Scale::Log.norm(-1.0, 10.0, 1000.0).is_nan());
        assert!(Scale::Log.norm(f64::NAN, 10.0, 1000.0).is_nan());
        assert_eq!(Scale::Log.norm(5.0, 5.0, 5.0), 0.0);
        assert_eq!(Scale::Linear.norm(0.0, -1.0, 1.0), 0.5);
        assert!(Scale::Linear.norm(f64::NAN, 1.0, 1.0).is_nan());
        assert!(!Scale::Log.shows(0.0) && Scale::Log.shows(1e-300) && Scale::Linear.shows(-1.0));
    }

    #[test]
    fn matplotlib_margins() {
        // The article's x samples -2..2 get the axis -2.2..2.2.
        let (a, b) = Scale::Linear.auto_limits(-2.0, 2.0);
        assert!((a + 2.2).abs() < 1e-12 && (b - 2.2).abs() < 1e-12);
        let (a, b) = Scale::Log.auto_limits(1.0, 100.0);
        assert!((a - 10f64.powf(-0.1)).abs() < 1e-12 && (b - 10f64.powf(2.1)).abs() < 1e-9);
        assert_eq!(Scale::Linear.auto_limits(0.0, 0.0), (-0.1, 0.1));
        assert_eq!(Scale::Linear.auto_limits(f64::NAN, 1.0), (-0.055, 0.055));
    }

    #[test]
    fn maps_and_flips() {
        let y = AxisMap::new(Scale::Linear, -1.5, 2.5, 267.0, 36.0);
        assert_eq!(y.px(-1.5), 267.0);
        assert_eq!(y.px(2.5), 36.0);
        assert!((y.px(0.5) - 151.5).abs() < 1e-9);
        let l = AxisMap::new(Scale::Log, 1.0, 1000.0, 0.0, 300.0);
        assert!((l.px(10.0) - 100.0).abs() < 1e-9);
        assert!(l.px(-1.0).is_nan());
        assert!(l.contains(1000.0) && !l.contains(1001.0));
        let bad = AxisMap::new(Scale::Log, -5.0, 10.0, 0.0, 100.0);
        assert_eq!((bad.lo, bad.hi), (0.1, 10.0));
        let flat = AxisMap::new(Scale::Linear, 3.0, 3.0, 0.0, 100.0);
        assert!(flat.px(3.0).is_finite());
    }

    /// Limits whose difference is past the largest double (hostile12 F-EA): the scale
    /// was 0 and every value drawn at the first pixel; automatic limits were infinite.
    #[test]
    fn limits_wider_apart_than_the_largest_double_map_and_widen() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        let y = AxisMap::new(Scale::Linear, -1e308, 1e308, 200.0, 0.0);
        assert!(close(y.px(0.0), 100.0), "{}", y.px(0.0));
        assert!(close(y.px(1e308), 0.0), "{}", y.px(1e308));
        assert!(close(y.px(-5e307), 150.0), "{}", y.px(-5e307));
        assert!(close(y.value(150.0), -5e307), "{}", y.value(150.0));
        assert!(y.contains(1e308) && !y.contains(f64::MAX));
        let (lo, hi) = Scale::Linear.auto_limits(-1e308, 1e308);
        assert!(close(lo, -1.1e308) && close(hi, 1.1e308), "{lo} {hi}");
        assert_eq!(
            Scale::Linear.auto_limits(-f64::MAX, f64::MAX),
            (-f64::MAX, f64::MAX)
        );
        assert_eq!(Scale::Linear.auto_limits(f64::MAX, f64::MAX).1, f64::MAX);
        // ordinary limits are mapped exactly as before
        let x = AxisMap::new(Scale::Linear, 0.1, 0.7, 3.0, 101.0);
        assert_eq!(x.px(0.3), 3.0 + (0.3 - 0.1) * ((101.0 - 3.0) / (0.7 - 0.1)));
    }

    #[test]
    fn regression_log_axis_ticks_outside_limits() {
        // y = x² over 0.001..1000 on a log axis: automatic limits 10^-6.6 .. 10^6.6.
        // The tolerance was (hi - lo)·1e-10 ≈ 4e-4 in data units, so 10^-8 and every
        // smaller decade counted as inside, and got a tick below the axes.
        let (lo, hi) = Scale::Log.auto_limits(1e-6, 1e6);
        let y = AxisMap::new(Scale::Log, lo, hi, 200.0, 0.0);
        assert!(!y.contains(1e-8) && !y.contains(1e-7) && !y.contains(1e7));
        assert!(y.contains(1e-6) && y.contains(1e6) && y.contains(lo) && y.contains(hi));
        assert!(!y.contains(0.0) && !y.contains(-1.0));
        // rounding at the ends is still forgiven, on both kinds of axes
        let l = AxisMap::new(Scale::Log, 1.0, 1000.0, 0.0, 300.0);
        assert!(l.contains(1000.0 * (1.0 + 1e-12)) && l.contains(1.0 - 1e-12));
        let x = AxisMap::new(Scale::Linear, 0.0, 0.3, 0.0, 300.0);
        assert!(x.contains(0.1 + 0.2) && !x.contains(0.31));
    }
}
