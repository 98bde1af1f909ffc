//! Meshes: a fixed topology (which vertices make triangles and lines) and per-frame
//! vertex data (positions, normals, the value the colormap colours).

use super::math::Vec3;

/// Triangles and wireframe edges as vertex indices; built once per source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Topology {
    pub triangles: Vec<[u32; 3]>,
    pub edges: Vec<[u32; 2]>,
}

/// The vertex data of one frame. Vertices with a non-finite coordinate are holes:
/// triangles and edges touching them are not drawn.
#[derive(Clone, Debug, Default)]
pub struct Vertices {
    pub positions: Vec<Vec3>,
    pub normals: Vec<Vec3>,
    /// What a colormap maps to a colour (the height, for surfaces).
    pub values: Vec<f64>,
}

impl Vertices {
    pub fn clear(&mut self) {
        self.positions.clear();
        self.normals.clear();
        self.values.clear();
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

impl Topology {
    /// A grid of `nx × ny` vertices, vertex `(i, j)` at index `j·nx + i`: two triangles
    /// a cell, and as edges every `every`-th grid line (and the border).
    pub fn grid(nx: usize, ny: usize, every: usize) -> Topology {
        let mut t = Topology::default();
        if nx < 2 || ny < 2 {
            return t;
        }
        let id = |i: usize, j: usize| (j * nx + i) as u32;
        t.triangles.reserve(2 * (nx - 1) * (ny - 1));
        for j in 0..ny - 1 {
            for i in 0..nx - 1 {
                let (a, b, c, d) = (id(i, j), id(i + 1, j), id(i + 1, j + 1), id(i, j + 1));
                t.triangles.push([a, b, c]);
                t.triangles.push([a, c, d]);
            }
        }
        let every = every.max(1);
        let kept = |k: usize, n: usize| k.is_multiple_of(every) || k == n - 1;
        for j in (0..ny).filter(|&j| kept(j, ny)) {
            for i in 0..nx - 1 {
                t.edges.push([id(i, j), id(i + 1, j)]);
            }
        }
        for i in (0..nx).filter(|&i| kept(i, nx)) {
            for j in 0..ny - 1 {
                t.edges.push([id(i, j), id(i, j + 1)]);
            }
        }
        t
    }
}

/// Fills `out` with the vertices of the surface `z[j·nx + i]` over `xs × ys`, normals
/// from central differences (one-sided at borders and next to holes).
pub fn grid_vertices(xs: &[f64], ys: &[f64], z: &[f64], out: &mut Vertices) {
    let (nx, ny) = (xs.len(), ys.len());
    assert_eq!(z.len(), nx * ny, "one height per grid point");
    out.clear();
    out.positions.reserve(nx * ny);
    out.normals.reserve(nx * ny);
    out.values.reserve(nx * ny);
    // The slope along one axis from the finite neighbours of k.
    let slope = |k: usize, prev: Option<usize>, next: Option<usize>, c: &dyn Fn(usize) -> f64| {
        let ok = |m: usize| z[m].is_finite();
        match (prev.filter(|&m| ok(m)), next.filter(|&m| ok(m))) {
            (Some(p), Some(n)) => (z[n] - z[p]) / (c(n) - c(p)),
            (Some(p), None) => (z[k] - z[p]) / (c(k) - c(p)),
            (None, Some(n)) => (z[n] - z[k]) / (c(n) - c(k)),
            (None, None) => 0.0,
        }
    };
    for j in 0..ny {
        for i in 0..nx {
            let k = j * nx + i;
            let zk = z[k];
            out.positions.push(Vec3::new(xs[i], ys[j], zk));
            out.values.push(zk);
            if !zk.is_finite() {
                out.normals.push(Vec3::new(0.0, 0.0, 1.0));
                continue;
            }
            let cx = |m: usize| xs[m % nx];
            let cy = |m: usize| ys[m / nx];
            let dzdx = slope(k, (i > 0).then(|| k - 1), (i + 1 < nx).then(|| k + 1), &cx);
            let dzdy = slope(
                k,
                (j > 0).then(|| k - nx),
                (j + 1 < ny).then(|| k + nx),
                &cy,
            );
            let n = Vec3::new(-dzdx, -dzdy, 1.0).normalized();
            out.normals.push(if n.is_finite() && n != Vec3::ZERO {
                n
            } else {
                Vec3::new(0.0, 0.0, 1.0)
            });
        }
    }
}

/// `n` evenly spaced values from `lo` to `hi`, both included (numpy's `linspace`).
pub fn linspace(lo: f64, hi: f64, n: usize, out: &mut Vec<f64>) {
    out.clear();
    match n {
        0 => {}
        1 => out.push(lo),
        _ => {
            let step = (hi - lo) / (n - 1) as f64;
            out.extend((0..n).map(|i| if i == n - 1 { hi } else { lo + step * i as f64 }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_topology_counts() {
        let t = Topology::grid(4, 3, 1);
        assert_eq!(t.triangles.len(), 2 * 3 * 2);
        assert_eq!(t.edges.len(), 3 * 3 + 4 * 2);
        assert!(t.triangles.iter().flatten().all(|&v| v < 12));
        assert_eq!(Topology::grid(1, 5, 1), Topology::default());
        // Every third line of 7, and the border: lines 0, 3, 6.
        let t = Topology::grid(7, 7, 3);
        assert_eq!(t.edges.len(), 2 * 3 * 6);
    }

    #[test]
    fn normals_of_a_plane_are_exact() {
        // z = 2x - y: normal ∝ (-2, 1, 1).
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        linspace(-1.0, 1.0, 5, &mut xs);
        linspace(0.0, 3.0, 4, &mut ys);
        let z: Vec<f64> = ys
            .iter()
            .flat_map(|&y| xs.iter().map(move |&x| 2.0 * x - y))
            .collect();
        let mut v = Vertices::default();
        grid_vertices(&xs, &ys, &z, &mut v);
        let want = Vec3::new(-2.0, 1.0, 1.0).normalized();
        for n in &v.normals {
            assert!((*n - want).length() < 1e-12, "{n:?}");
        }
        assert_eq!(v.positions[5 + 2], Vec3::new(0.0, 1.0, -1.0));
    }

    #[test]
    fn holes_use_one_sided_slopes() {
        let xs = [0.0, 1.0, 2.0];
        let ys = [0.0, 1.0];
        let z = [0.0, f64::NAN, 2.0, 0.0, 1.0, 2.0];
        let mut v = Vertices::default();
        grid_vertices(&xs, &ys, &z, &mut v);
        // Vertex (0, 0): its right neighbour is a hole, so dz/dx is 0 (no neighbour).
        assert!(v.normals.iter().all(|n| n.is_finite()));
        assert_eq!(v.normals[1], Vec3::new(0.0, 0.0, 1.0));
    }

    #[test]
    fn linspace_matches_numpy() {
        let mut v = Vec::new();
        linspace(-2.0, 2.0, 5, &mut v);
        assert_eq!(v, [-2.0, -1.0, 0.0, 1.0, 2.0]);
        linspace(0.0, 1.0, 1, &mut v);
        assert_eq!(v, [0.0]);
    }
}
