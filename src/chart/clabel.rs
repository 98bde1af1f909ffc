//! Labels on contour lines, placed as matplotlib's `clabel(cs, inline=True)` places
//! them: each line long enough for its label gets one, where the line is straightest
//! over the label's width, turned along the line and kept upright, with the line broken
//! under it.

use std::collections::HashMap;

/// A point in pixels.
pub type Point = (f64, f64);

/// The pixels left free on each side of a label (matplotlib's `inline_spacing`).
pub const SPACING: f64 = 5.0;

/// Joins marching squares' segments into lines, end to end. Two cells sharing an edge
/// compute its crossing exactly alike, so ends meet bit for bit. The lines come in the
/// order of their first segment, so the result does not depend on hashing.
pub fn join(segs: &[[Point; 2]]) -> Vec<Vec<Point>> {
    let key = |p: Point| (p.0.to_bits(), p.1.to_bits());
    let mut at: HashMap<(u64, u64), Vec<usize>> = HashMap::with_capacity(segs.len() * 2);
    for (i, s) in segs.iter().enumerate() {
        at.entry(key(s[0])).or_default().push(i);
        at.entry(key(s[1])).or_default().push(i);
    }
    let mut used = vec![false; segs.len()];
    let mut lines = Vec::new();
    for first in 0..segs.len() {
        if used[first] {
            continue;
        }
        used[first] = true;
        let mut ahead = vec![segs[first][1]];
        let mut behind = vec![segs[first][0]];
        for chain in [&mut ahead, &mut behind] {
            loop {
                let end = *chain.last().expect("a point");
                let next = at
                    .get(&key(end))
                    .and_then(|list| list.iter().copied().find(|&j| !used[j]));
                let Some(j) = next else { break };
                used[j] = true;
                let s = segs[j];
                chain.push(if key(s[0]) == key(end) { s[1] } else { s[0] });
            }
        }
        behind.reverse();
        behind.extend(ahead);
        lines.push(behind);
    }
    lines
}

/// Where a label of `width` pixels goes on `line` (pixels): its centre, its angle in
/// radians (upright: −90° < angle ≤ 90°, y down), and the stretch of the line's length
/// to leave out under it. `None` when the line is too short to hold it.
pub fn place(line: &[Point], width: f64) -> Option<Placed> {
    if line.len() < 2 || !(width.is_finite() && width > 0.0) {
        return None;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in line {
        (x0, y0, x1, y1) = (x0.min(p.0), y0.min(p.1), x1.max(p.0), y1.max(p.1));
    }
    // matplotlib's `print_label`: a line spanning more than 1.2 label widths.
    if (x1 - x0).max(y1 - y0) <= 1.2 * width {
        return None;
    }
    let along = lengths(line);
    let total = *along.last().expect("two points");
    let half = width / 2.0;
    if total < width + 2.0 * SPACING {
        return None;
    }
    // Candidate centres every half label width; the straightest wins, the one nearest
    // the middle among equals.
    let (lo, hi) = (half + SPACING, total - half - SPACING);
    let steps = ((hi - lo) / half).floor().clamp(0.0, 4096.0) as usize;
    let mut best: Option<(f64, f64)> = None;
    for k in 0..=steps {
        let s = if steps == 0 {
            (lo + hi) / 2.0
        } else {
            lo + (hi - lo) * k as f64 / steps as f64
        };
        let bend = bend(line, &along, s - half, s + half);
        let off_middle = (s - total / 2.0).abs();
        let better = match best {
            None => true,
            Some((b, bs)) => {
                bend < b - 1e-9 || (bend <= b + 1e-9 && off_middle < (bs - total / 2.0).abs())
            }
        };
        if better {
            best = Some((bend, s));
        }
    }
    let (_, s) = best?;
    let (a, b) = (at(line, &along, s - half), at(line, &along, s + half));
    let mut angle = (b.1 - a.1).atan2(b.0 - a.0);
    if angle > std::f64::consts::FRAC_PI_2 {
        angle -= std::f64::consts::PI;
    } else if angle <= -std::f64::consts::FRAC_PI_2 {
        angle += std::f64::consts::PI;
    }
    Some(Placed {
        centre: at(line, &along, s),
        angle,
        gap: (s - half - SPACING, s + half + SPACING),
    })
}

/// A label's place on its line.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    pub centre: Point,
    pub angle: f64,
    /// From and to where along the line (pixels of length) it is left out.
    pub gap: (f64, f64),
}

/// The parts of `line` outside the stretch `gap` of its length.
pub fn without(line: &[Point], gap: (f64, f64)) -> Vec<Vec<Point>> {
    let along = lengths(line);
    let mut before: Vec<Point> = Vec::new();
    let mut after: Vec<Point> = Vec::new();
    for (k, p) in line.iter().enumerate() {
        if along[k] < gap.0 {
            before.push(*p);
        } else if along[k] > gap.1 {
            if after.is_empty() && k > 0 {
                after.push(at(line, &along, gap.1));
            }
            after.push(*p);
        }
    }
    if !before.is_empty() {
        before.push(at(line, &along, gap.0));
    }
    [before, after]
        .into_iter()
        .filter(|p| p.len() >= 2)
        .collect()
}

/// The length of the line up to each of its points.
fn lengths(line: &[Point]) -> Vec<f64> {
    let mut along = Vec::with_capacity(line.len());
    let mut s = 0.0;
    along.push(0.0);
    for w in line.windows(2) {
        s += (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        along.push(s);
    }
    along
}

/// The point `s` pixels along the line (its ends beyond them).
fn at(line: &[Point], along: &[f64], s: f64) -> Point {
    let k = along.partition_point(|&l| l < s).clamp(1, line.len() - 1);
    let (p, q) = (line[k - 1], line[k]);
    let span = along[k] - along[k - 1];
    let f = if span > 0.0 {
        ((s - along[k - 1]) / span).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.0 + (q.0 - p.0) * f, p.1 + (q.1 - p.1) * f)
}

/// How far the line strays from the straight chord between the points `from` and `to`
/// pixels along it: the largest distance of its points between them.
fn bend(line: &[Point], along: &[f64], from: f64, to: f64) -> f64 {
    let (a, b) = (at(line, along, from), at(line, along, to));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    if len == 0.0 {
        return f64::MAX;
    }
    // Only the points within the window: a long line has many candidate windows.
    let (i0, i1) = (
        along.partition_point(|&l| l <= from),
        along.partition_point(|&l| l < to),
    );
    line[i0..i1.max(i0)]
        .iter()
        .map(|p| ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len)
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_in_any_order_join_into_one_line() {
        let segs = [
            [(2.0, 0.0), (3.0, 0.0)],
            [(0.0, 0.0), (1.0, 0.0)],
            [(2.0, 0.0), (1.0, 0.0)],
        ];
        let lines = join(&segs);
        assert_eq!(lines.len(), 1);
        let xs: Vec<f64> = lines[0].iter().map(|p| p.0).collect();
        assert!(
            xs == [3.0, 2.0, 1.0, 0.0] || xs == [0.0, 1.0, 2.0, 3.0],
            "{xs:?}"
        );
    }

    #[test]
    fn a_label_sits_upright_on_the_straight_part_with_the_line_broken_under_it() {
        // A hook: a straight run of 200 px leftwards, then a sharp bend.
        let line = vec![(300.0, 100.0), (100.0, 100.0), (90.0, 90.0), (90.0, 80.0)];
        let p = place(&line, 40.0).expect("room for a label");
        assert!((p.centre.1 - 100.0).abs() < 1e-9, "{p:?}");
        assert!(p.angle.abs() < 1e-9, "upright, not upside down: {p:?}");
        let parts = without(&line, p.gap);
        assert_eq!(parts.len(), 2);
        let gap = (parts[0].last().unwrap().0 - parts[1][0].0).abs();
        assert!((gap - (40.0 + 2.0 * SPACING)).abs() < 1e-9, "{parts:?}");
    }

    #[test]
    fn a_short_line_has_no_label() {
        assert!(place(&[(0.0, 0.0), (40.0, 0.0)], 40.0).is_none());
        assert!(place(&[(0.0, 0.0)], 10.0).is_none());
        assert!(place(&[(0.0, 0.0), (100.0, 0.0)], f64::NAN).is_none());
    }
}
