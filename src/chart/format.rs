//! Tick labels as matplotlib writes them: every label of an axis with the same number
//! of decimals, a common power of ten or offset moved to the axis end ("1e6", "+1e3"),
//! a real minus sign, and `10` with a raised exponent on log axes.

/// One tick label: `text`, and for log axes a superscript written after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub text: String,
    pub sup: Option<String>,
}

impl Label {
    pub fn plain(text: String) -> Label {
        Label { text, sup: None }
    }
}

/// Labels of a linear axis and the text shown at its end (empty if none).
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    pub labels: Vec<String>,
    pub offset: String,
}

/// Labels for `locs` (every tick the locator chose) on an axis showing
/// `view.0..view.1`: matplotlib's `ScalarFormatter` with its default power limits
/// (−5, 6) and offset threshold (4 digits).
pub fn linear(locs: &[f64], view: (f64, f64)) -> Labels {
    let (vmin, vmax) = (view.0.min(view.1), view.0.max(view.1));
    let visible: Vec<f64> = locs
        .iter()
        .copied()
        .filter(|&l| vmin <= l && l <= vmax)
        .collect();
    let offset = compute_offset(&visible);
    let oom = order_of_magnitude(&visible, offset, vmax - vmin);
    let decimals = decimals(locs, offset, oom, (vmin, vmax));
    let scale = super::ticks::pow10(oom);
    let labels = locs
        .iter()
        .map(|&l| {
            let mut x = (l - offset) / scale;
            if x.abs() < 1e-8 {
                x = 0.0;
            }
            minus(&format!("{x:.decimals$}"))
        })
        .collect();
    let mut end = String::new();
    if oom != 0 {
        end += &format!("1e{}", minus(&oom.to_string()));
    }
    if offset != 0.0 {
        let o = format_data(offset);
        end += &if offset > 0.0 { format!("+{o}") } else { o };
    }
    Labels {
        labels,
        offset: end,
    }
}

/// The label of a decade tick `10^e` on a log axis.
pub fn log(value: f64) -> Label {
    let e = value.log10().round() as i64;
    Label {
        text: "10".to_string(),
        sup: Some(minus(&e.to_string())),
    }
}

/// A value in a short form, for colorbar ends and hover-free contexts: up to four
/// significant digits, switching to exponent form for very large or small values.
pub fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return minus(&format!("{}", if v.is_finite() { 0.0 } else { v }));
    }
    let e = v.abs().log10().floor();
    if !(-4.0..6.0).contains(&e) {
        return minus(&format_data(v));
    }
    let s = format!("{:.*}", (3.0 - e).max(0.0) as usize, v);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    minus(&s)
}

/// Replaces ASCII hyphen-minus by the real minus sign (U+2212), as matplotlib does.
pub fn minus(s: &str) -> String {
    s.replace('-', "\u{2212}")
}

/// `1e3`, `1.234e4`: matplotlib's `ScalarFormatter.format_data`.
fn format_data(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let e = value.abs().log10().floor() as i32;
    let s = (value / super::ticks::pow10(e) * 1e10).round() / 1e10;
    let significand = if s.fract() == 0.0 {
        format!("{}", s as i64)
    } else {
        let t = format!("{s:.10}");
        t.trim_end_matches('0').to_string()
    };
    if e == 0 {
        minus(&significand)
    } else {
        minus(&format!("{significand}e{e}"))
    }
}

fn compute_offset(visible: &[f64]) -> f64 {
    if visible.is_empty() {
        return 0.0;
    }
    let lmin = visible.iter().copied().fold(f64::INFINITY, f64::min);
    let lmax = visible.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lmin == lmax || (lmin <= 0.0 && 0.0 <= lmax) {
        return 0.0;
    }
    let (abs_min, abs_max) = {
        let (a, b) = (lmin.abs(), lmax.abs());
        (a.min(b), a.max(b))
    };
    let sign = 1f64.copysign(lmin);
    let oom_max = abs_max.log10().ceil();
    let first_differing = |pred: &dyn Fn(f64) -> bool| {
        let mut oom = oom_max;
        for _ in 0..700 {
            if pred(oom) {
                break;
            }
            oom -= 1.0;
        }
        oom
    };
    let mut oom = 1.0
        + first_differing(&|o| {
            let p = 10f64.powf(o);
            (abs_min / p).floor() != (abs_max / p).floor()
        });
    if (abs_max - abs_min) / 10f64.powf(oom) <= 1e-2 {
        oom = 1.0 + first_differing(&|o| abs_max - abs_min >= 10f64.powf(o));
    }
    let p = 10f64.powf(oom);
    if (abs_max / p).floor() >= 1000.0 {
        sign * (abs_max / p).floor() * p
    } else {
        0.0
    }
}

fn order_of_magnitude(visible: &[f64], offset: f64, range: f64) -> i32 {
    if visible.is_empty() {
        return 0;
    }
    let oom = if offset != 0.0 {
        range.log10().floor() as i32
    } else {
        let val = visible.iter().map(|v| v.abs()).fold(0.0, f64::max);
        if val == 0.0 {
            return 0;
        }
        val.log10().floor() as i32
    };
    if oom <= -5 || oom >= 6 {
        oom
    } else {
        0
    }
}

/// The fewest decimals that show every tick exactly to a thousandth of their range.
fn decimals(locs: &[f64], offset: f64, oom: i32, view: (f64, f64)) -> usize {
    let scale = super::ticks::pow10(oom);
    let mut all: Vec<f64> = locs.to_vec();
    if locs.len() < 2 {
        all.extend([view.0, view.1]);
    }
    let vals: Vec<f64> = all.iter().map(|l| (l - offset) / scale).collect();
    let max = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = vals.iter().copied().fold(f64::INFINITY, f64::min);
    let mut range = max - min;
    if range == 0.0 {
        range = vals.iter().map(|v| v.abs()).fold(0.0, f64::max);
    }
    if range == 0.0 || !range.is_finite() {
        range = 1.0;
    }
    let shown: &[f64] = if locs.len() < 2 {
        &vals[..locs.len()]
    } else {
        &vals
    };
    let range_oom = range.log10().floor() as i32;
    let thresh = 1e-3 * super::ticks::pow10(range_oom);
    let mut sigfigs = (3 - range_oom).max(0);
    while sigfigs >= 0 {
        let p = super::ticks::pow10(sigfigs);
        let worst = shown
            .iter()
            .map(|v| (v - round_half_even(v * p) / p).abs())
            .fold(0.0, f64::max);
        if worst < thresh {
            sigfigs -= 1;
        } else {
            break;
        }
    }
    (sigfigs + 1).clamp(0, 20) as usize
}

/// numpy's rounding (halves to even).
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ticks;

    #[test]
    fn labels_are_matplotlibs() {
        let cases = ticks::tests::fixture("labels");
        assert!(cases.len() >= 8);
        for (a, b, n, rest) in cases {
            let locs = ticks::linear(a, b, n);
            let got = linear(&locs, (a, b));
            let want: Vec<String> = rest[0].split(';').map(str::to_string).collect();
            let want_offset = rest.get(1).map(|s| s.trim()).unwrap_or("");
            // matplotlib labels only the ticks in view; compare those.
            let shown: Vec<String> = locs
                .iter()
                .zip(&got.labels)
                .filter(|(l, _)| **l >= a.min(b) && **l <= a.max(b))
                .map(|(_, s)| s.clone())
                .collect();
            let want_shown: Vec<String> = locs
                .iter()
                .zip(&want)
                .filter(|(l, _)| **l >= a.min(b) && **l <= a.max(b))
                .map(|(_, s)| s.clone())
                .collect();
            assert_eq!(got.labels, want, "{a}..{b} nbins {n}");
            assert_eq!(shown, want_shown);
            assert_eq!(got.offset, want_offset, "{a}..{b} nbins {n}: offset");
        }
    }

    #[test]
    fn log_labels() {
        assert_eq!(log(1e-3).sup.as_deref(), Some("\u{2212}3"));
        assert_eq!(log(1.0).sup.as_deref(), Some("0"));
        assert_eq!(log(1e3).text, "10");
    }

    #[test]
    fn short_values() {
        assert_eq!(short(0.0), "0");
        assert_eq!(short(1.5), "1.5");
        assert_eq!(short(-2.0), "\u{2212}2");
        assert_eq!(short(123.456), "123.5");
        assert_eq!(short(1e7), "1e7");
        assert_eq!(short(0.00012), "0.00012");
    }
}
