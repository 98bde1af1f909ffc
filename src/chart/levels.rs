//! Contour levels and the colours of the bands between them, as matplotlib's
//! `contourf` chooses them: a count of levels goes through `MaxNLocator(N + 1,
//! min_n_ticks=1)` (with its default steps, finer than an axis's) and is trimmed to the data; each band takes the colormap's colour
//! at its middle, normalised by `vmin`/`vmax` (by default the outer levels).

use super::scale::Scale;
use super::ticks;
use crate::base::colormap::Colormap;

/// About `n` levels spanning `zmin..zmax`, at round numbers (matplotlib's `_autolev`).
pub fn auto(zmin: f64, zmax: f64, n: usize) -> Vec<f64> {
    let lev = ticks::linear_with(zmin, zmax, n + 1, 1, &ticks::ALL_STEPS);
    // Values all below 1e-288 (5e-324 to 5e-322) are taken as one by the round steps,
    // as matplotlib takes them, and the field was one flat colour. (Values merely close
    // together, rounding noise around 0.3, stay one band, as in matplotlib.)
    let tiny = zmin < zmax && zmin.abs().max(zmax.abs()) < ticks::TINY;
    if lev.len() < 2 || (zmax - zmin).is_infinite() || tiny {
        // A span wider than the largest double (values near ±1.8e308) has no round
        // steps either: n even levels instead, computed without the overflowing
        // difference, each once (subnormal values have few steps between them).
        let n = n.max(1);
        let mut even: Vec<f64> = (0..=n)
            .map(|k| {
                let t = k as f64 / n as f64;
                zmin * (1.0 - t) + zmax * t
            })
            .collect();
        even.dedup();
        return even;
    }
    trimmed(lev, zmin, zmax)
}

/// Levels for positive values spanning `zmin..zmax` on a log colour scale, as
/// matplotlib's `contourf(…, levels=n, norm=LogNorm())` chooses them: its
/// `LogLocator(numticks=n)` (decades, every few over a wide range), trimmed to the
/// data as [`auto`] trims.
pub fn auto_log(zmin: f64, zmax: f64, n: usize) -> Vec<f64> {
    let lev = ticks::log_requested(zmin, zmax, n);
    if lev.len() < 2 {
        return vec![1.0, 10.0];
    }
    trimmed(lev, zmin, zmax)
}

/// `lev` less the levels beyond the first below `zmin` and the first above `zmax`,
/// as matplotlib trims them to the data (kept whole when fewer than 3 would remain).
fn trimmed(lev: Vec<f64>, zmin: f64, zmax: f64) -> Vec<f64> {
    let i0 = lev.iter().rposition(|&l| l < zmin).unwrap_or(0);
    let i1 = lev
        .iter()
        .position(|&l| l > zmax)
        .map_or(lev.len(), |i| i + 1);
    if i1 < i0 + 3 {
        return lev;
    }
    lev[i0..i1].to_vec()
}

/// The colour of each band `levels[k]..levels[k + 1]`: the colormap's at the band's
/// middle, the mean of its levels, or on a log scale their geometric mean (matplotlib's
/// `layers`, "mid-way between levels in screen space"), placed by `scale` between the
/// ends `norm`.
pub fn band_colors(levels: &[f64], map: &Colormap, norm: (f64, f64), scale: Scale) -> Vec<[u8; 3]> {
    let (lo, hi) = norm;
    levels
        .windows(2)
        .map(|w| match scale {
            Scale::Linear => map.map(super::scale::unit(0.5 * w[0] + 0.5 * w[1], lo, hi)),
            Scale::Log => {
                let mid = w[0].sqrt() * w[1].sqrt();
                let u = scale.norm(mid, lo, hi);
                map.map(if u.is_nan() { 0.0 } else { u })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_beyond_the_largest_double_still_has_levels() {
        for (lo, hi) in [(-1e308, 1e308), (-f64::MAX, f64::MAX), (-9e307, 1e308)] {
            let lev = auto(lo, hi, 5);
            assert!(lev.len() >= 2, "{lo}..{hi}: {lev:?}");
            assert!(lev.iter().all(|v| v.is_finite()), "{lev:?}");
            assert!(lev.windows(2).all(|w| w[0] < w[1]), "{lev:?}");
            assert_eq!((lev[0], lev[lev.len() - 1]), (lo, hi));
        }
    }

    #[test]
    fn values_below_1e_288_still_have_levels_between_them() {
        let (lo, hi) = (5e-324, 100.0 * 5e-324);
        let lev = auto(lo, hi, 5);
        assert!(
            lev.iter().filter(|&&l| lo < l && l < hi).count() >= 3,
            "{lev:?}"
        );
        assert!(lev.windows(2).all(|w| w[0] < w[1]), "{lev:?}");
    }

    fn numbers(s: &str) -> Vec<f64> {
        s.split_whitespace().map(|v| v.parse().unwrap()).collect()
    }

    /// matplotlib's own choices: tests/fixtures/contour/make_fixtures.py.
    #[test]
    fn matches_matplotlib() {
        let text = include_str!("../../tests/fixtures/contour/levels.txt");
        let mut cases = 0;
        for line in text.lines() {
            let parts: Vec<&str> = line.split(" | ").collect();
            let head: Vec<&str> = parts[0].split_whitespace().collect();
            match head[0] {
                "levels" => {
                    let (zmin, zmax): (f64, f64) =
                        (head[1].parse().unwrap(), head[2].parse().unwrap());
                    let n: usize = head[3].parse().unwrap();
                    let want = numbers(parts[1]);
                    let got = auto(zmin, zmax, n);
                    assert_eq!(got.len(), want.len(), "{line}: {got:?}");
                    for (g, w) in got.iter().zip(&want) {
                        assert!((g - w).abs() <= 1e-9 * (zmax - zmin), "{line}: {got:?}");
                    }
                }
                "colors" => band_colors_match(line, &head, &parts, Scale::Linear),
                other => panic!("unknown case {other}"),
            }
            cases += 1;
        }
        assert_eq!(cases, 14);
    }

    /// A fixture's `colors` case: the bands' colours of its levels, within 1 of
    /// matplotlib's, on `scale`.
    fn band_colors_match(line: &str, head: &[&str], parts: &[&str], scale: Scale) {
        let map = Colormap::by_name(head[1]).unwrap();
        let levels = numbers(parts[1]);
        let norm = match (head[2].parse(), head[3].parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => (levels[0], levels[levels.len() - 1]),
        };
        let got = band_colors(&levels, &map, norm, scale);
        let want: Vec<[u8; 3]> = parts[2]
            .split_whitespace()
            .map(|c| {
                let v: Vec<u8> = c.split(',').map(|x| x.parse().unwrap()).collect();
                [v[0], v[1], v[2]]
            })
            .collect();
        assert_eq!(got.len(), want.len(), "{line}");
        for (g, w) in got.iter().zip(&want) {
            for c in 0..3 {
                assert!(g[c].abs_diff(w[c]) <= 1, "{line}: {got:?}");
            }
        }
    }

    /// matplotlib's `contourf(…, norm=LogNorm())`: tests/fixtures/contour/make_log_fixtures.py.
    #[test]
    fn log_levels_and_colours_match_matplotlib() {
        let text = include_str!("../../tests/fixtures/contour/log_levels.txt");
        let mut cases = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let parts: Vec<&str> = line.split(" | ").collect();
            let head: Vec<&str> = parts[0].split_whitespace().collect();
            match head[0] {
                "levels" => {
                    let (zmin, zmax): (f64, f64) =
                        (head[1].parse().unwrap(), head[2].parse().unwrap());
                    let want = numbers(parts[1]);
                    let n: usize = head[3].parse().unwrap();
                    let got = auto_log(zmin, zmax, n);
                    assert_eq!(got.len(), want.len(), "{line}: {got:?}");
                    for (g, w) in got.iter().zip(&want) {
                        assert!((g / w - 1.0).abs() <= 1e-12, "{line}: {got:?}");
                    }
                }
                "colors" => band_colors_match(line, &head, &parts, Scale::Log),
                other => panic!("unknown case {other}"),
            }
            cases += 1;
        }
        assert_eq!(cases, 15);
    }
}
