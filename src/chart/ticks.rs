//! Where ticks go: matplotlib's choices, so an axis here reads like one there.
//!
//! [`linear`] is matplotlib's `MaxNLocator` with the steps of its default `AutoLocator`
//! (1, 2, 2.5, 5, 10 times a power of ten); [`log`] is its `LogLocator` for base 10.
//! Both return ticks a little outside the range too, as matplotlib does; the axis
//! draws only those inside. The test fixtures are matplotlib's own output.

/// The steps, within a decade, that ticks may be apart.
const STEPS: [f64; 5] = [1.0, 2.0, 2.5, 5.0, 10.0];

/// How many intervals an axis of `length` pixels has room for, with labels of
/// `font_px` pixels: matplotlib's `get_tick_space` (a label every three font sizes
/// across, every two up) capped at 9 like its `nbins = "auto"`.
pub fn tick_space(length: f64, font_px: f64, horizontal: bool) -> usize {
    let per = if horizontal { 3.0 } else { 2.0 } * font_px;
    if per <= 0.0 || !length.is_finite() {
        return 9;
    }
    ((length / per).floor() as usize).clamp(1, 9)
}

/// Ticks for `vmin..vmax` with at most about `nbins` intervals.
pub fn linear(vmin: f64, vmax: f64, nbins: usize) -> Vec<f64> {
    linear_with(vmin, vmax, nbins, 2, &STEPS)
}

/// The steps of a `MaxNLocator` made without `steps` (contour levels use them).
pub const ALL_STEPS: [f64; 10] = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0];

/// [`linear`] with matplotlib's `min_n_ticks` (the fewest ticks inside the range
/// before a finer step is tried) and `steps` (ending in 10).
pub fn linear_with(
    vmin: f64,
    vmax: f64,
    nbins: usize,
    min_shown: usize,
    steps_in_decade: &[f64],
) -> Vec<f64> {
    let (vmin, vmax) = nonsingular(vmin.min(vmax), vmin.max(vmax));
    if (vmax - vmin).is_infinite() {
        // a range wider than the largest double (-1e308 to 1e308): the ticks of its
        // halves, doubled (halving and doubling are exact), or of its quarters where
        // the halves' own sums still overflow (-1.8e308 to 1.8e308)
        for k in [2.0, 4.0] {
            let t: Vec<f64> = linear_with(vmin / k, vmax / k, nbins, min_shown, steps_in_decade)
                .into_iter()
                .map(|t| t * k)
                .filter(|t| t.is_finite())
                .collect();
            if t.iter().filter(|v| **v >= vmin && **v <= vmax).count() >= 2 {
                return t;
            }
        }
        return Vec::new();
    }
    let nbins = nbins.max(1) as f64;
    let (scale, offset) = scale_range(vmin, vmax, nbins);
    let (lo, hi) = (vmin - offset, vmax - offset);
    let mut steps: Vec<f64> = Vec::with_capacity(2 * steps_in_decade.len());
    let last = steps_in_decade.len() - 1;
    steps.extend(steps_in_decade[..last].iter().map(|s| 0.1 * s));
    steps.extend(steps_in_decade);
    steps.push(10.0 * steps_in_decade[1]);
    for s in &mut steps {
        *s *= scale;
    }
    // steps of ranges near the largest double (20 × 1e308) overflow: an infinite step
    // gave ticks of NaN, a thousand labels over one another
    steps.retain(|s| s.is_finite());
    let raw_step = (hi - lo) / nbins;
    let istep = steps
        .iter()
        .position(|&s| s >= raw_step)
        .unwrap_or(steps.len() - 1);
    let mut ticks = Vec::new();
    for &step in steps[..=istep].iter().rev() {
        let best = py_divmod(lo, step).0 * step;
        let edge = Edge::new(step, offset);
        let low = edge.le(lo - best);
        let high = edge.ge(hi - best);
        ticks.clear();
        let mut k = low;
        while k <= high && ticks.len() < 1000 {
            ticks.push(k * step + best);
            k += 1.0;
        }
        let shown = ticks.iter().filter(|&&t| t >= lo && t <= hi).count();
        if shown >= min_shown {
            break;
        }
    }
    // a tick a step past an end near the largest double is infinite: left out
    ticks
        .iter()
        .map(|t| t + offset)
        .filter(|t| t.is_finite())
        .collect()
}

/// Decade ticks for `vmin..vmax` (both positive) with at most about `numticks` of them
/// inside, every decade or every few; plus one beyond each end.
pub fn log(vmin: f64, vmax: f64, numticks: usize) -> Vec<f64> {
    log_requested(vmin, vmax, numticks.max(2))
}

/// [`log`] with `numticks` as given, 1 too (an axis asks for at least 2; contour
/// levels pass their count): matplotlib's `LogLocator(numticks=n).tick_values`.
pub fn log_requested(vmin: f64, vmax: f64, numticks: usize) -> Vec<f64> {
    log_decades(vmin, vmax, numticks.max(1))
        .0
        .into_iter()
        .map(pow10)
        .collect()
}

/// `10^e` as the double nearest to it, below the smallest normal double too:
/// `10f64.powi(-311)` is `1 / 10^311`, `1 / inf`, 0, and decades of values near 1e-310
/// were all 0 (hostile11 F-DF).
pub fn pow10(e: i32) -> f64 {
    if e >= -300 {
        10f64.powi(e)
    } else {
        format!("1e{e}").parse().unwrap_or(0.0)
    }
}

/// Minor ticks of a log axis (2×, 3×, … 9× each decade), when every decade has a
/// major tick and there are fewer than ten decades; else none (as matplotlib).
pub fn log_minor(vmin: f64, vmax: f64, numticks: usize) -> Vec<f64> {
    let (lo, hi) = (vmin.min(vmax), vmin.max(vmax));
    if lo.is_nan() || lo <= 0.0 || !hi.is_finite() {
        return Vec::new();
    }
    let (_, stride) = log_decades(lo, hi, numticks.max(2));
    let emin = lo.log10().ceil() as i32;
    let emax = hi.log10().floor() as i32;
    let n_avail = emax - emin + 1;
    if n_avail >= 10 || (stride != 1 && n_avail > 1) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in (emin - 1)..=emax {
        for s in 2..10 {
            let v = s as f64 * pow10(e);
            if v >= lo && v <= hi {
                out.push(v);
            }
        }
    }
    out
}

/// The decade exponents of [`log`] and the stride between them.
fn log_decades(vmin: f64, vmax: f64, numticks: usize) -> (Vec<i32>, i32) {
    let (vmin, vmax) = (vmin.min(vmax), vmin.max(vmax));
    if vmin.is_nan() || vmin <= 0.0 || !vmax.is_finite() {
        return (Vec::new(), 1);
    }
    let (efmin, efmax) = (vmin.log10(), vmax.log10());
    let emin = efmin.ceil() as i32;
    let emax = efmax.floor() as i32;
    let n_avail = emax - emin + 1;
    let mut n_request = numticks as i32;
    let stride = n_avail.max(0) / (n_request + 1) + 1;
    let nr = (n_avail.max(0) + stride - 1) / stride;
    if nr <= n_request {
        n_request = nr;
    }
    match n_request {
        0 => (vec![emin - 1, emax + 1], emax + 2 - emin),
        1 => {
            let mid = ((efmin + efmax) / 2.0).round() as i32;
            let stride = (mid - (emin - 1)).max((emax + 1) - mid);
            (vec![mid - stride, mid, mid + stride], stride)
        }
        _ => {
            let mut stride = (n_avail - 1) / (n_request - 1);
            if (stride as f64) < n_avail as f64 / n_request as f64 {
                stride = n_avail / n_request;
            }
            let olo = (n_avail - stride * n_request).max(0);
            let ohi = (n_avail - stride * (n_request - 1)).min(stride);
            let mut offset = (-emin).rem_euclid(stride);
            if !(olo <= offset && offset < ohi) {
                offset = olo;
            }
            let mut v = Vec::new();
            let mut e = emin + offset - stride;
            while e < emax + stride + 1 {
                v.push(e);
                e += stride;
            }
            (v, stride)
        }
    }
}

/// Values all smaller than this are taken as one (matplotlib's `nonsingular` limit).
pub const TINY: f64 = 1e20 * f64::MIN_POSITIVE;

/// Widens an empty or tiny range so that ticks can be chosen (matplotlib's
/// `nonsingular` with its locator's tolerances).
fn nonsingular(vmin: f64, vmax: f64) -> (f64, f64) {
    if !vmin.is_finite() || !vmax.is_finite() {
        return (-0.001, 0.001);
    }
    let maxabs = vmin.abs().max(vmax.abs());
    // matplotlib's `maxabs < (1e6 / tiny) * finfo(float).tiny`, near 1e-288: values of
    // 1e-16 have ticks of their own (an axis of `y = 1e-16 * x` had none but 0, and a
    // colour bar of 1e-300 to 2e-300 no label; hostile11 F-DJ).
    if maxabs < TINY {
        return (-0.001, 0.001);
    }
    if vmax - vmin <= maxabs * 1e-13 {
        if vmax == 0.0 && vmin == 0.0 {
            return (-0.001, 0.001);
        }
        return (vmin - 0.001 * vmin.abs(), vmax + 0.001 * vmax.abs());
    }
    (vmin, vmax)
}

/// A power of ten near the spacing of `n` intervals, and an offset that keeps ranges
/// far from zero (1000.1..1000.9) precise.
fn scale_range(vmin: f64, vmax: f64, n: f64) -> (f64, f64) {
    let dv = (vmax - vmin).abs();
    // on halves: the sum of two values near the largest double overflows
    let meanv = vmax * 0.5 + vmin * 0.5;
    let offset = if meanv.abs() / dv < 100.0 {
        0.0
    } else {
        10f64.powf(meanv.abs().log10().floor()).copysign(meanv)
    };
    (10f64.powf((dv / n).log10().floor()), offset)
}

/// Python's `divmod` for floats (floor division and a remainder with the divisor's
/// sign, computed from `fmod` so that exact multiples stay exact).
fn py_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0f64.copysign(y);
    }
    let q = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0f64.copysign(x / y)
    };
    (q, m)
}

/// Integer multiples of a step, with a tolerance for rounding that grows with the
/// offset (matplotlib's `_Edge_integer`).
struct Edge {
    step: f64,
    offset: f64,
}

impl Edge {
    fn new(step: f64, offset: f64) -> Edge {
        Edge {
            step,
            offset: offset.abs(),
        }
    }

    fn close_to(&self, ms: f64, edge: f64) -> bool {
        let tol = if self.offset > 0.0 {
            let digits = (self.offset / self.step).log10();
            10f64.powf(digits - 12.0).clamp(1e-10, 0.4999)
        } else {
            1e-10
        };
        (ms - edge).abs() < tol
    }

    fn le(&self, x: f64) -> f64 {
        let (d, m) = py_divmod(x, self.step);
        if self.close_to(m / self.step, 1.0) {
            d + 1.0
        } else {
            d
        }
    }

    fn ge(&self, x: f64) -> f64 {
        let (d, m) = py_divmod(x, self.step);
        if self.close_to(m / self.step, 0.0) {
            d
        } else {
            d + 1.0
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The fixture's lines of `kind`: (vmin, vmax, n, right-hand fields).
    pub(crate) fn fixture(kind: &str) -> Vec<(f64, f64, usize, Vec<String>)> {
        let text = include_str!("../../tests/fixtures/ticks/ticks.txt");
        text.lines()
            .filter(|l| l.starts_with(&format!("{kind} ")))
            .map(|l| {
                let mut parts = l.split(" | ");
                let head: Vec<&str> = parts.next().unwrap().split_whitespace().collect();
                let rest = parts.map(str::to_string).collect();
                (
                    head[1].parse().unwrap(),
                    head[2].parse().unwrap(),
                    head[3].parse().unwrap(),
                    rest,
                )
            })
            .collect()
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-300))
    }

    fn parse(list: &str) -> Vec<f64> {
        list.split_whitespace()
            .map(|t| t.parse().unwrap())
            .collect()
    }

    #[test]
    fn decades_below_the_smallest_normal_double_are_not_zero() {
        // `10f64.powi(-311)` is 0: the decades of values near 1e-310 were 0, 0, …
        // (hostile11 F-DF).
        let lev = log_requested(1e-310, 1e-308, 5);
        assert!(lev.len() >= 2, "{lev:?}");
        assert!(lev.iter().all(|&v| v > 0.0), "{lev:?}");
        assert!(lev.windows(2).all(|w| w[0] < w[1]), "{lev:?}");
        assert_eq!(pow10(-320), 1e-320);
        assert_eq!(pow10(-5), 10f64.powi(-5));
    }

    #[test]
    fn values_of_1e_minus_16_have_ticks_of_their_own() {
        // matplotlib's `nonsingular` widens a range only below about 1e-288; here it
        // was below 1e-14, and an axis of 0 to 1e-16 had the one tick 0 (hostile11 F-DJ).
        let t = linear(0.0, 1e-16, 5);
        let inside = t.iter().filter(|&&v| (0.0..=1e-16).contains(&v)).count();
        assert!(inside >= 3, "{t:?}");
    }

    #[test]
    fn linear_ticks_are_matplotlibs() {
        let cases = fixture("linear");
        assert!(cases.len() >= 10);
        for (a, b, n, rest) in cases {
            let want = parse(&rest[0]);
            let got = linear(a, b, n);
            assert!(
                close(&got, &want),
                "{a}..{b} nbins {n}: {got:?}, matplotlib {want:?}"
            );
        }
    }

    #[test]
    fn log_ticks_are_matplotlibs() {
        let cases = fixture("log");
        assert!(cases.len() >= 5);
        for (a, b, n, rest) in cases {
            let want = parse(&rest[0]);
            let got = log(a, b, n);
            assert!(
                close(&got, &want),
                "{a}..{b} numticks {n}: {got:?}, matplotlib {want:?}"
            );
        }
    }

    #[test]
    fn issue_ranges() {
        assert!(close(&linear(0.0, 1.0, 9), &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]));
        let y = linear(-1.5, 2.5, 8);
        assert!(
            close(&y, &[-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5]),
            "{y:?}"
        );
        let big = linear(0.0, 137.0, 9);
        assert!(
            close(&big, &[0., 20., 40., 60., 80., 100., 120., 140.]),
            "{big:?}"
        );
        let l = log(1e-3, 1e3, 9);
        assert!(
            close(&l, &[1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4]),
            "{l:?}"
        );
    }

    #[test]
    fn degenerate_ranges_still_tick() {
        assert!(linear(5.0, 5.0, 9).len() >= 2);
        assert!(linear(0.0, 0.0, 9).len() >= 2);
        assert!(linear(f64::NAN, 1.0, 9).len() >= 2);
        assert!(linear(1e300, 1.5e300, 9).len() >= 2);
        assert!(log(-1.0, 10.0, 9).is_empty());
        assert_eq!(linear(3.0, 1.0, 9), linear(1.0, 3.0, 9));
    }

    /// Ranges wider than the largest double (-1e308 to 1e308), or near it: the span,
    /// or a step of 20 × 1e308, overflowed, and the ticks were NaN (hostile12 F-EA).
    #[test]
    fn ranges_at_the_ends_of_the_doubles_have_a_few_finite_ticks() {
        for (lo, hi) in [(-1e308, 1e308), (-f64::MAX, f64::MAX), (-0.5e308, 1.05e308)] {
            for n in 1..10 {
                let t = linear(lo, hi, n);
                let inside = t.iter().filter(|v| **v >= lo && **v <= hi).count();
                assert!(t.iter().all(|v| v.is_finite()), "{lo}..{hi} ({n}): {t:?}");
                assert!(inside >= 2 && t.len() <= 12, "{lo}..{hi} ({n}): {t:?}");
                assert!(t.windows(2).all(|w| w[0] < w[1]), "{lo}..{hi} ({n}): {t:?}");
            }
        }
        let t = linear(-1e308, 1e308, 4);
        assert!(t.contains(&0.0) && t.iter().any(|v| *v >= 5e307), "{t:?}");
    }

    #[test]
    fn minor_log_ticks() {
        let m = log_minor(1.0, 100.0, 9);
        assert_eq!(m.len(), 16);
        assert_eq!(m[0], 2.0);
        assert!(log_minor(1e-10, 1e10, 9).is_empty());
    }

    #[test]
    fn tick_space_like_matplotlib() {
        // The article's 500×300 figure: axes 387.5 × 231 px, 10 pt labels at 100 dpi.
        let font = 10.0 * 100.0 / 72.0;
        assert_eq!(tick_space(387.5, font, true), 9);
        assert_eq!(tick_space(231.0, font, false), 8);
        assert_eq!(tick_space(10.0, font, false), 1);
    }
}
