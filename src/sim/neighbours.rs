//! Values of a cell's neighbours over a whole grid, with the edge rule of the
//! simulation: `lap`, `nsum`, `nsum8` and `shift`, as NumPy writes them with `np.roll`
//! (wrap) or `np.pad` (edge, constant 0) and slices.

use serde::Deserialize;

/// What lies beyond the grid's edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Boundary {
    /// The nearest edge cell's value (`np.pad(u, 1, mode="edge")`): nothing flows out.
    #[default]
    Clamp,
    /// The opposite edge (`np.roll`): a torus.
    Wrap,
    /// Zero (`np.pad(u, 1)`, `scipy.ndimage`'s `mode="constant"`).
    Zero,
}

impl Boundary {
    /// The index read for `i + d` on an axis of `n` cells, or `None` for a zero.
    fn index(self, i: isize, n: usize) -> Option<usize> {
        let n = n as isize;
        if (0..n).contains(&i) {
            return Some(i as usize);
        }
        match self {
            Boundary::Clamp => Some(i.clamp(0, n - 1) as usize),
            Boundary::Wrap => Some(i.rem_euclid(n) as usize),
            Boundary::Zero => None,
        }
    }
}

/// A grid of `w` × `h` cells, row by row from the top.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub w: usize,
    pub h: usize,
}

/// Adds `k` × the value `dx` columns right and `dy` rows down of each cell to `out`.
pub fn add_shifted(src: &[f64], s: Shape, dx: i64, dy: i64, k: f64, b: Boundary, out: &mut [f64]) {
    let (w, h) = (s.w, s.h);
    let (dx, dy) = (dx as isize, dy as isize);
    // Columns whose neighbour is inside the row: a straight run.
    let lo = (-dx).clamp(0, w as isize) as usize;
    let hi = (w as isize - dx).clamp(lo as isize, w as isize) as usize;
    for j in 0..h {
        let Some(sy) = b.index(j as isize + dy, h) else {
            continue;
        };
        let row = &src[sy * w..(sy + 1) * w];
        let o = &mut out[j * w..(j + 1) * w];
        if hi > lo {
            let from = (lo as isize + dx) as usize;
            for (d, v) in o[lo..hi].iter_mut().zip(&row[from..from + (hi - lo)]) {
                *d += k * v;
            }
        }
        for i in (0..lo).chain(hi..w) {
            if let Some(sx) = b.index(i as isize + dx, w) {
                o[i] += k * row[sx];
            }
        }
    }
}

const FOUR: [(i64, i64); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];
const DIAGONALS: [(i64, i64); 4] = [(-1, -1), (1, -1), (-1, 1), (1, 1)];

/// A neighbour function's grid into `out`.
pub fn fill(fun: &str, src: &[f64], s: Shape, ints: &[i64], b: Boundary, out: &mut [f64]) {
    match fun {
        "lap" => {
            for (o, v) in out.iter_mut().zip(src) {
                *o = -4.0 * v;
            }
            for (dx, dy) in FOUR {
                add_shifted(src, s, dx, dy, 1.0, b, out);
            }
        }
        "nsum" | "nsum8" => {
            out.fill(0.0);
            for (dx, dy) in FOUR {
                add_shifted(src, s, dx, dy, 1.0, b, out);
            }
            if fun == "nsum8" {
                for (dx, dy) in DIAGONALS {
                    add_shifted(src, s, dx, dy, 1.0, b, out);
                }
            }
        }
        "shift" => {
            out.fill(0.0);
            add_shifted(src, s, ints[0], ints[1], 1.0, b, out);
        }
        other => unreachable!("not a neighbour function: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Shape = Shape { w: 3, h: 2 };
    // 1 2 3
    // 4 5 6
    const U: [f64; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];

    fn run(fun: &str, ints: &[i64], b: Boundary) -> Vec<f64> {
        let mut out = vec![f64::NAN; 6];
        fill(fun, &U, S, ints, b, &mut out);
        out
    }

    #[test]
    fn shift_reads_the_cell_dx_right_and_dy_down() {
        assert_eq!(
            run("shift", &[1, 0], Boundary::Clamp),
            [2., 3., 3., 5., 6., 6.]
        );
        assert_eq!(
            run("shift", &[1, 0], Boundary::Wrap),
            [2., 3., 1., 5., 6., 4.]
        );
        assert_eq!(
            run("shift", &[1, 0], Boundary::Zero),
            [2., 3., 0., 5., 6., 0.]
        );
        assert_eq!(
            run("shift", &[0, -1], Boundary::Wrap),
            [4., 5., 6., 1., 2., 3.]
        );
        assert_eq!(
            run("shift", &[-1, 1], Boundary::Zero),
            [0., 4., 5., 0., 0., 0.]
        );
        // Farther than the grid is wide: clamped to the edge, or wrapped round.
        assert_eq!(
            run("shift", &[-5, 0], Boundary::Clamp),
            [1., 1., 1., 4., 4., 4.]
        );
        assert_eq!(
            run("shift", &[4, 0], Boundary::Wrap),
            [2., 3., 1., 5., 6., 4.]
        );
        assert_eq!(run("shift", &[0, 0], Boundary::Zero), U);
    }

    #[test]
    fn sums_and_laplacian_by_hand() {
        // Cell (0,0) with zero outside: right 2 + below 4.
        let n = run("nsum", &[], Boundary::Zero);
        assert_eq!(n, [6., 9., 8., 6., 12., 8.]);
        // Wrap on 3×2: up and down are both the other row.
        let n = run("nsum", &[], Boundary::Wrap);
        assert_eq!(n[0], 2.0 + 3.0 + 4.0 + 4.0);
        // Clamp: the cell itself stands for the missing side.
        let l = run("lap", &[], Boundary::Clamp);
        assert_eq!(l[0], (1.0 + 2.0 + 1.0 + 4.0) - 4.0);
        assert_eq!(l[4], (4.0 + 6.0 + 2.0 + 5.0) - 20.0);
        let e = run("nsum8", &[], Boundary::Zero);
        assert_eq!(e[0], 2.0 + 4.0 + 5.0);
        assert_eq!(e[4], 1.0 + 2.0 + 3.0 + 4.0 + 6.0);
        // A constant grid has no Laplacian on a torus or with clamped edges.
        let c = [7.0; 6];
        for b in [Boundary::Wrap, Boundary::Clamp] {
            let mut out = [1.0; 6];
            fill("lap", &c, S, &[], b, &mut out);
            assert_eq!(out, [0.0; 6]);
        }
    }

    #[test]
    fn one_cell_and_one_row_grids() {
        let s = Shape { w: 1, h: 1 };
        let mut out = [0.0];
        fill("nsum8", &[2.0], s, &[], Boundary::Wrap, &mut out);
        assert_eq!(out, [16.0]);
        fill("lap", &[2.0], s, &[], Boundary::Zero, &mut out);
        assert_eq!(out, [-8.0]);
    }
}
