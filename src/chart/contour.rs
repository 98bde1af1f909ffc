//! Marching squares on a grid of values: the regions between two levels as polygons
//! (filled contours) and the lines at one level, both with their crossings on the grid
//! edges placed by linear interpolation, so that a region's edge and the line at the
//! same level are one curve. Coordinates are in grid units: x is the column, y the row.
//!
//! A cell whose four corners are a saddle (two opposite corners above a level, the
//! other two below) is decided as matplotlib's contour (`mpl2014`, contourpy's `serial`)
//! decides it, by the value at the cell's middle, the mean of its corners: when the
//! middle is above the level the corners above are joined through it, otherwise the
//! corners below are; in the regions and the lines alike. A cell with a NaN corner is
//! left out, as matplotlib masks it.

/// A grid of `w` × `h` values, row by row.
#[derive(Clone, Copy)]
pub struct Grid<'a> {
    pub values: &'a [f64],
    pub w: usize,
    pub h: usize,
}

/// One corner or crossing of a cell's outline: where it is and the value there.
#[derive(Clone, Copy, Debug)]
struct Vertex {
    x: f64,
    y: f64,
    v: f64,
}

/// The point on the edge `a`–`b` where the value is `level`, found the same way from
/// either end (so the two cells sharing an edge agree on it exactly).
fn crossing(a: Vertex, b: Vertex, level: f64) -> Vertex {
    let (p, q) = if (a.x, a.y) <= (b.x, b.y) {
        (a, b)
    } else {
        (b, a)
    };
    let f = ((level - p.v) / (q.v - p.v)).clamp(0.0, 1.0);
    Vertex {
        x: p.x + (q.x - p.x) * f,
        y: p.y + (q.y - p.y) * f,
        v: level,
    }
}

/// Keeps the part of the polygon where `inside(v)`: Sutherland–Hodgman with the value
/// as a linear attribute along each edge.
fn clip(poly: &[Vertex], level: f64, keep_above: bool, out: &mut Vec<Vertex>) {
    out.clear();
    let inside = |v: f64| if keep_above { v >= level } else { v <= level };
    for k in 0..poly.len() {
        let cur = poly[k];
        let prev = poly[(k + poly.len() - 1) % poly.len()];
        match (inside(prev.v), inside(cur.v)) {
            (true, true) => out.push(cur),
            (true, false) => out.push(crossing(prev, cur, level)),
            (false, true) => {
                out.push(crossing(prev, cur, level));
                out.push(cur);
            }
            (false, false) => {}
        }
    }
}

impl Grid<'_> {
    fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.w + i]
    }

    /// The cell right of and below grid point (i, j), clockwise from its top left.
    fn cell(&self, i: usize, j: usize) -> [Vertex; 4] {
        let v = |di: usize, dj: usize| Vertex {
            x: (i + di) as f64,
            y: (j + dj) as f64,
            v: self.at(i + di, j + dj),
        };
        [v(0, 0), v(1, 0), v(1, 1), v(0, 1)]
    }

    /// Polygons covering where `lo <= value` (and `value <= hi` when given). Runs of
    /// whole cells in a row come as one rectangle, so the list stays short.
    pub fn region(&self, lo: f64, hi: Option<f64>) -> Vec<Vec<(f64, f64)>> {
        let mut polys = Vec::new();
        if self.w < 2 || self.h < 2 {
            return polys;
        }
        let within = |v: f64| v >= lo && hi.is_none_or(|h| v <= h);
        let (mut a, mut b) = (Vec::with_capacity(8), Vec::with_capacity(8));
        for j in 0..self.h - 1 {
            let mut run: Option<usize> = None;
            for i in 0..self.w - 1 {
                let cell = self.cell(i, j);
                if cell.iter().all(|c| within(c.v)) {
                    run.get_or_insert(i);
                    continue;
                }
                if let Some(start) = run.take() {
                    polys.push(rect(start, i, j));
                }
                if cell.iter().any(|c| c.v.is_nan()) || outside(&cell, lo, hi) {
                    continue;
                }
                for piece in pieces(&cell, lo, hi) {
                    clip(piece.as_slice(), lo, true, &mut a);
                    let part = match hi {
                        Some(h) if !a.is_empty() => {
                            clip(&a, h, false, &mut b);
                            &b
                        }
                        _ => &a,
                    };
                    if part.len() >= 3 {
                        polys.push(part.iter().map(|p| (p.x, p.y)).collect());
                    }
                }
            }
            if let Some(start) = run {
                polys.push(rect(start, self.w - 1, j));
            }
        }
        polys
    }

    /// The line where the value is `level`, as segments.
    pub fn line(&self, level: f64) -> Vec<[(f64, f64); 2]> {
        let mut segs = Vec::new();
        if self.w < 2 || self.h < 2 {
            return segs;
        }
        for j in 0..self.h - 1 {
            for i in 0..self.w - 1 {
                let c = self.cell(i, j);
                if c.iter().any(|p| p.v.is_nan()) {
                    continue;
                }
                let above = c.map(|p| p.v >= level);
                let n_above = above.iter().filter(|a| **a).count();
                if n_above == 0 || n_above == 4 {
                    continue;
                }
                // Each corner whose two neighbours are on the other side is cut off by
                // a segment between its two edges; in a saddle, the two corners on the
                // side the middle is not on.
                let lonely = if n_above == 2 && above[0] == above[2] {
                    let middle_above = middle(&c) >= level;
                    [0, 1, 2, 3].map(|k| above[k] != middle_above)
                } else {
                    // one corner differs from the three others, or two neighbours
                    // differ from the other two
                    let minority = n_above <= 2;
                    let odd = if n_above == 2 { None } else { Some(minority) };
                    match odd {
                        Some(m) => [0, 1, 2, 3].map(|k| above[k] == m),
                        None => [false; 4],
                    }
                };
                if lonely.iter().any(|l| *l) {
                    for k in 0..4 {
                        if lonely[k] {
                            let prev = c[(k + 3) % 4];
                            let next = c[(k + 1) % 4];
                            let p = crossing(prev, c[k], level);
                            let q = crossing(c[k], next, level);
                            segs.push([(p.x, p.y), (q.x, q.y)]);
                        }
                    }
                } else {
                    // two neighbours above, two below: one segment across
                    let mut pts = Vec::with_capacity(2);
                    for k in 0..4 {
                        let next = (k + 1) % 4;
                        if above[k] != above[next] {
                            let p = crossing(c[k], c[next], level);
                            pts.push((p.x, p.y));
                        }
                    }
                    if let [p, q] = pts[..] {
                        segs.push([p, q]);
                    }
                }
            }
        }
        segs
    }
}

/// Whether the whole cell is below `lo` or above `hi`, so that clipping would leave
/// nothing of it: most cells of a band, skipped without the clipping's work.
fn outside(cell: &[Vertex; 4], lo: f64, hi: Option<f64>) -> bool {
    cell.iter().all(|c| c.v < lo) || hi.is_some_and(|h| cell.iter().all(|c| c.v > h))
}

/// The value at the middle of a cell, which decides its saddles.
fn middle(cell: &[Vertex; 4]) -> f64 {
    cell.iter().map(|c| c.v).sum::<f64>() / 4.0
}

/// Whether `keep` holds at two opposite corners of the cell and not at the other two.
fn saddle(cell: &[Vertex; 4], keep: impl Fn(f64) -> bool) -> bool {
    let k = cell.map(|c| keep(c.v));
    k[0] == k[2] && k[1] == k[3] && k[0] != k[1]
}

/// The parts of a cell to clip to the band `lo..=hi`: the cell itself, whose clipped
/// outline joins the corners kept at each level through the middle; or, when a saddle
/// at either level has its middle on the side that is cut away, the cell's two
/// triangles on each side of the diagonal between the corners cut away, which keeps the
/// corners kept apart. (Both at once cannot happen: the middle would be below `lo` and
/// above `hi`.) The diagonal is cut away whole, so no edge of a triangle shows.
fn pieces(cell: &[Vertex; 4], lo: f64, hi: Option<f64>) -> Vec<Vec<Vertex>> {
    let m = middle(cell);
    let apart = |keep: &dyn Fn(f64) -> bool| saddle(cell, keep) && !keep(m);
    let split = if apart(&|v| v >= lo) {
        // the corners below `lo` are the cut ones
        Some(cell[0].v < lo)
    } else if hi.is_some_and(|h| apart(&|v| v <= h)) {
        Some(hi.is_some_and(|h| cell[0].v > h))
    } else {
        None
    };
    let [c0, c1, c2, c3] = *cell;
    match split {
        None => vec![cell.to_vec()],
        // corners 0 and 2 cut away: the diagonal 0–2
        Some(true) => vec![vec![c0, c1, c2], vec![c0, c2, c3]],
        // corners 1 and 3 cut away: the diagonal 1–3
        Some(false) => vec![vec![c0, c1, c3], vec![c1, c2, c3]],
    }
}

/// The cells `from..to` of row `j` as one rectangle, clockwise.
fn rect(from: usize, to: usize, j: usize) -> Vec<(f64, f64)> {
    let (x0, x1, y0, y1) = (from as f64, to as f64, j as f64, j as f64 + 1.0);
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(poly: &[(f64, f64)]) -> f64 {
        let mut s = 0.0;
        for k in 0..poly.len() {
            let (a, b) = (poly[k], poly[(k + 1) % poly.len()]);
            s += a.0 * b.1 - b.0 * a.1;
        }
        s / 2.0
    }

    #[test]
    fn a_ramp_is_cut_where_the_level_is() {
        // value = column: 0, 1, 2, 3 on two rows
        let values = [0.0, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 3.0];
        let g = Grid {
            values: &values,
            w: 4,
            h: 2,
        };
        let polys = g.region(0.5, Some(2.25));
        let total: f64 = polys.iter().map(|p| area(p)).sum();
        assert!((total - 1.75).abs() < 1e-12, "{total}");
        let xs: Vec<f64> = polys.iter().flatten().map(|p| p.0).collect();
        let min = xs.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        assert_eq!((min, max), (0.5, 2.25));
        // the line at 1.5 is the vertical x = 1.5
        let segs = g.line(1.5);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0][0].0, 1.5);
        assert_eq!(segs[0][1].0, 1.5);
    }

    #[test]
    fn whole_cells_merge_into_rows_and_bands_tile_the_grid() {
        let (w, h) = (7, 5);
        let values: Vec<f64> = (0..w * h)
            .map(|k| {
                let (i, j) = ((k % w) as f64, (k / w) as f64);
                (i * 0.7).sin() + (j * 0.9).cos()
            })
            .collect();
        let g = Grid {
            values: &values,
            w,
            h,
        };
        let levels = [-3.0, -1.0, 0.0, 0.5, 1.0, 3.0];
        let mut sum = 0.0;
        for k in 0..levels.len() - 1 {
            sum += g
                .region(levels[k], Some(levels[k + 1]))
                .iter()
                .map(|p| area(p))
                .sum::<f64>();
        }
        // the bands cover every cell once
        assert!((sum - ((w - 1) * (h - 1)) as f64).abs() < 1e-9, "{sum}");
        assert_eq!(g.region(-3.0, None).len(), h - 1, "one rectangle a row");
    }

    /// Whether `p` is inside `poly` (even-odd rule).
    fn contains(poly: &[(f64, f64)], p: (f64, f64)) -> bool {
        let mut inside = false;
        for k in 0..poly.len() {
            let (a, b) = (poly[k], poly[(k + 1) % poly.len()]);
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0) {
                inside = !inside;
            }
        }
        inside
    }

    fn numbers(text: &str) -> Vec<f64> {
        text.split([' ', ','])
            .filter(|w| !w.is_empty())
            .map(|w| w.parse().unwrap())
            .collect()
    }

    /// Saddles against matplotlib's own regions and lines on tiny grids
    /// (tests/fixtures/contour/make_saddles.py writes the cases).
    #[test]
    fn saddles_are_decided_as_matplotlib_decides_them() {
        let text = include_str!("../../tests/fixtures/contour/saddles.txt");
        let mut cases = 0;
        for line in text.lines() {
            let f: Vec<&str> = line.split(" | ").collect();
            let (kind, name) = f[0].split_once(' ').unwrap();
            let size = numbers(f[1]);
            let (w, h) = (size[0] as usize, size[1] as usize);
            let values = numbers(f[2]);
            let g = Grid {
                values: &values,
                w,
                h,
            };
            if kind == "fill" {
                let band = numbers(f[3]);
                let n: usize = f[4].parse().unwrap();
                let polys = g.region(band[0], Some(band[1]));
                let (cols, rows) = ((w - 1) * n, (h - 1) * n);
                let mut ours = String::with_capacity(cols * rows);
                for r in 0..rows {
                    for c in 0..cols {
                        let p = ((c as f64 + 0.5) / n as f64, (r as f64 + 0.5) / n as f64);
                        let inside = polys.iter().any(|poly| contains(poly, p));
                        ours.push(if inside { '1' } else { '0' });
                    }
                }
                let want = f[5];
                let wrong = ours
                    .chars()
                    .zip(want.chars())
                    .filter(|(a, b)| a != b)
                    .count();
                assert_eq!(
                    wrong, 0,
                    "{name} {band:?}: {wrong} samples differ\n{ours}\n{want}"
                );
            } else {
                let level = numbers(f[3])[0];
                let mut ours: Vec<[f64; 4]> = g
                    .line(level)
                    .iter()
                    .map(|[p, q]| {
                        let (a, b) = if (p.0, p.1) <= (q.0, q.1) {
                            (p, q)
                        } else {
                            (q, p)
                        };
                        [a.0, a.1, b.0, b.1]
                    })
                    .collect();
                ours.sort_by(|a, b| a.partial_cmp(b).unwrap());
                let want = numbers(f.get(4).copied().unwrap_or(""));
                assert_eq!(ours.len() * 4, want.len(), "{name} at {level}: {ours:?}");
                for (s, t) in ours.iter().zip(want.chunks(4)) {
                    let close = s.iter().zip(t).all(|(a, b)| (a - b).abs() < 2e-6);
                    assert!(close, "{name} at {level}: {ours:?}\nwant {want:?}");
                }
            }
            cases += 1;
        }
        assert_eq!(cases, 23);
    }

    #[test]
    fn cells_wholly_below_or_above_the_band_give_nothing() {
        let v = |x: f64| Vertex {
            x: 0.0,
            y: 0.0,
            v: x,
        };
        let cell = [v(0.0), v(1.0), v(2.0), v(0.5)];
        assert!(outside(&cell, 2.5, None));
        assert!(outside(&cell, -3.0, Some(-0.5)));
        // a corner on a level is in the band
        assert!(!outside(&cell, 2.0, None));
        assert!(!outside(&cell, -1.0, Some(0.0)));
        let values = [0.0, 1.0, 2.0, 0.5];
        let g = Grid {
            values: &values,
            w: 2,
            h: 2,
        };
        assert!(g.region(2.5, None).is_empty());
        assert!(g.region(-3.0, Some(-0.5)).is_empty());
        assert_eq!(g.region(1.5, Some(3.0)).len(), 1);
    }

    #[test]
    fn a_saddle_joins_the_side_its_middle_is_on() {
        // z = x·y at the corners of [-1, 1]²: the middle is 0.
        let values = [1.0, -1.0, -1.0, 1.0];
        let g = Grid {
            values: &values,
            w: 2,
            h: 2,
        };
        // Above 0.2 the middle is below: two corner triangles, 0.4 · 0.4 / 2 each.
        let apart = g.region(0.2, Some(2.0));
        assert_eq!(apart.len(), 2);
        for p in &apart {
            assert!((area(p).abs() - 0.08).abs() < 1e-12, "{p:?}");
        }
        // Above -0.2 it is above: one hexagon, the square less two such triangles.
        let joined = g.region(-0.2, Some(2.0));
        assert_eq!(joined.len(), 1);
        assert!((area(&joined[0]).abs() - 0.84).abs() < 1e-12);
        // The band between them: the square less the four corner triangles.
        let band = g.region(-0.2, Some(0.2));
        let total: f64 = band.iter().map(|p| area(p).abs()).sum();
        assert!((total - (1.0 - 4.0 * 0.08)).abs() < 1e-12, "{band:?}");
    }

    #[test]
    fn a_middle_on_the_level_joins_the_corners_above_and_nan_cells_are_left_out() {
        let values = [1.0, -1.0, -1.0, 1.0];
        let g = Grid {
            values: &values,
            w: 2,
            h: 2,
        };
        let above = g.region(0.0, None);
        assert_eq!(above.len(), 1, "one polygon joining both corners");
        assert!((area(&above[0]) - 0.75).abs() < 1e-12);
        assert_eq!(
            g.line(0.0).len(),
            2,
            "two segments cut off the corners below"
        );
        let values = [1.0, f64::NAN, 1.0, 1.0];
        let g = Grid {
            values: &values,
            w: 2,
            h: 2,
        };
        assert!(g.region(0.0, None).is_empty());
        assert!(g.line(0.5).is_empty());
    }
}
