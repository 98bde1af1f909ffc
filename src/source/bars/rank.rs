//! Where each bar stands: its rank by value, eased over a window of time so that a bar
//! overtaking another slides to its new place instead of jumping.
//!
//! The place shown at `t` is the mean of the bar's rank over `[t - swap, t]`: a rank
//! that changes makes the place move linearly to the new one in `swap` seconds. It is a
//! function of `t` alone, so frames still render in any order on every core.

/// Instants the rank is averaged over.
pub const SAMPLES: usize = 32;

/// Each value's rank, 0 for the largest; ties keep the bars' order. NaN ranks last.
pub fn ranks(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    let key = |v: f64| if v.is_nan() { f64::NEG_INFINITY } else { v };
    order.sort_by(|&a, &b| key(values[b]).total_cmp(&key(values[a])).then(a.cmp(&b)));
    let mut rank = vec![0; values.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// Each bar's place at `t`: its mean rank over `[t - swap, t]` (clamped at 0), with
/// `values_at` giving every bar's value at an instant.
pub fn places(t: f64, swap: f64, n: usize, values_at: impl Fn(f64) -> Vec<f64>) -> Vec<f64> {
    if swap <= 0.0 {
        return ranks(&values_at(t)).into_iter().map(|r| r as f64).collect();
    }
    let mut sum = vec![0.0; n];
    for k in 0..SAMPLES {
        let at = (t - swap * k as f64 / (SAMPLES - 1) as f64).max(0.0);
        for (s, r) in sum.iter_mut().zip(ranks(&values_at(at))) {
            *s += r as f64;
        }
    }
    sum.into_iter().map(|s| s / SAMPLES as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_first_ties_in_order() {
        assert_eq!(ranks(&[1.0, 3.0, 2.0]), vec![2, 0, 1]);
        assert_eq!(ranks(&[2.0, 2.0, f64::NAN, 5.0]), vec![1, 2, 3, 0]);
    }

    #[test]
    fn an_overtaking_bar_slides() {
        // b passes a at t = 1
        let at = |t: f64| vec![1.0, t];
        let p = |t| places(t, 0.5, 2, at);
        assert_eq!(p(0.9), vec![0.0, 1.0]);
        assert_eq!(p(2.0), vec![1.0, 0.0]);
        let mid = p(1.25);
        assert!(
            (mid[0] - 0.5).abs() < 0.05 && (mid[1] - 0.5).abs() < 0.05,
            "{mid:?}"
        );
        // moving, never jumping: small steps from frame to frame
        let mut last = p(1.0)[1];
        for f in 1..=30 {
            let now = p(1.0 + f as f64 / 50.0)[1];
            assert!(now <= last && last - now < 0.1, "{last} → {now}");
            last = now;
        }
        assert_eq!(places(1.5, 0.0, 2, at), vec![1.0, 0.0]);
    }
}
