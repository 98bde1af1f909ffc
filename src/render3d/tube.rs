//! Tubes around polylines: rings of vertices carried along the curve by parallel
//! transport, so the tube does not twist where the curve turns.

use super::math::Vec3;
use super::mesh::{Topology, Vertices};

/// The triangles and edges of a tube of `rings` rings of `sides` vertices (vertex
/// `(ring, side)` at `ring·sides + side`); a `closed` tube joins its last ring to its
/// first, making a closed surface.
pub fn topology(rings: usize, sides: usize, closed: bool) -> Topology {
    let mut t = Topology::default();
    if rings < 2 || sides < 3 {
        return t;
    }
    let id = |k: usize, s: usize| ((k % rings) * sides + s % sides) as u32;
    let spans = if closed { rings } else { rings - 1 };
    for k in 0..spans {
        for s in 0..sides {
            let (a, b, c, d) = (id(k, s), id(k + 1, s), id(k + 1, s + 1), id(k, s + 1));
            t.triangles.push([a, b, c]);
            t.triangles.push([a, c, d]);
            t.edges.push([a, b]);
        }
    }
    for k in 0..rings {
        for s in 0..sides {
            t.edges.push([id(k, s), id(k, s + 1)]);
        }
    }
    t
}

/// Whether a polyline ends where it starts (within a millionth of its size): such a
/// curve gets a closed tube, one ring fewer.
pub fn is_closed(points: &[Vec3]) -> bool {
    let (Some(&a), Some(&b)) = (points.first(), points.last()) else {
        return false;
    };
    if points.len() < 4 || !a.is_finite() || !b.is_finite() {
        return false;
    }
    let mut size = 0.0f64;
    for p in points.iter().filter(|p| p.is_finite()) {
        size = size.max((*p - a).length());
    }
    (b - a).length() <= size * 1e-6
}

/// Fills `out` with the tube of `radius` around `points` (for a closed tube, the
/// repeated last point left out), each ring carrying its centre point's value.
pub fn vertices(
    points: &[Vec3],
    values: &[f64],
    radius: f64,
    sides: usize,
    closed: bool,
    out: &mut Vertices,
) {
    out.clear();
    let n = points.len();
    if n < 2 || sides < 3 {
        return;
    }
    let at = |k: isize| -> Option<Vec3> {
        let k = if closed {
            k.rem_euclid(n as isize)
        } else if k < 0 || k >= n as isize {
            return None;
        } else {
            k
        };
        Some(points[k as usize]).filter(|p| p.is_finite())
    };
    // Tangents from the neighbours (one-sided at open ends); degenerate ones repeat the
    // previous tangent.
    let mut tangents = Vec::with_capacity(n);
    let mut last = Vec3::new(1.0, 0.0, 0.0);
    for k in 0..n as isize {
        let here = at(k);
        let t = match (at(k - 1), at(k + 1)) {
            (Some(p), Some(q)) => q - p,
            (None, Some(q)) => here.map_or(Vec3::ZERO, |h| q - h),
            (Some(p), None) => here.map_or(Vec3::ZERO, |h| h - p),
            (None, None) => Vec3::ZERO,
        }
        .normalized();
        if t != Vec3::ZERO {
            last = t;
        }
        tangents.push(last);
    }
    // Parallel transport of a normal along the tangents.
    let mut normals = Vec::with_capacity(n);
    let mut nrm = perpendicular(tangents[0]);
    for &t in &tangents {
        let projected = (nrm - t * nrm.dot(t)).normalized();
        nrm = if projected == Vec3::ZERO {
            perpendicular(t)
        } else {
            projected
        };
        normals.push(nrm);
    }
    // A closed tube spreads the transport's mismatch at the seam over its length.
    let twist = if closed {
        let t0 = tangents[0];
        let carried = (nrm - t0 * nrm.dot(t0)).normalized();
        let n0 = normals[0];
        n0.cross(carried).dot(t0).atan2(n0.dot(carried))
    } else {
        0.0
    };
    let step = std::f64::consts::TAU / sides as f64;
    for k in 0..n {
        let (t, nk) = (tangents[k], normals[k]);
        let b = t.cross(nk);
        let offset = -twist * k as f64 / n as f64;
        for s in 0..sides {
            let (sin, cos) = (offset + step * s as f64).sin_cos();
            let dir = nk * cos + b * sin;
            out.positions.push(points[k] + dir * radius);
            out.normals.push(dir);
            out.values.push(values.get(k).copied().unwrap_or(f64::NAN));
        }
    }
}

/// Some unit vector perpendicular to `t`.
fn perpendicular(t: Vec3) -> Vec3 {
    let axis = if t.x.abs() < 0.6 {
        Vec3::new(1.0, 0.0, 0.0)
    } else {
        Vec3::new(0.0, 1.0, 0.0)
    };
    t.cross(axis).normalized()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circle(n: usize, repeat_first: bool) -> Vec<Vec3> {
        let m = if repeat_first { n + 1 } else { n };
        (0..m)
            .map(|k| {
                let a = std::f64::consts::TAU * k as f64 / n as f64;
                Vec3::new(a.cos(), a.sin(), 0.0)
            })
            .collect()
    }

    #[test]
    fn ring_vertices_sit_at_the_radius_with_radial_normals() {
        let pts = circle(40, false);
        let mut v = Vertices::default();
        vertices(&pts, &[], 0.2, 6, true, &mut v);
        assert_eq!(v.len(), 40 * 6);
        for (k, centre) in pts.iter().enumerate() {
            for s in 0..6 {
                let i = k * 6 + s;
                let d = v.positions[i] - *centre;
                assert!((d.length() - 0.2).abs() < 1e-9);
                assert!((v.normals[i] - d * 5.0).length() < 1e-9);
                // perpendicular to the curve's tangent (the circle's tangent)
                let tangent = Vec3::new(-centre.y, centre.x, 0.0);
                assert!(d.dot(tangent).abs() < 1e-2);
            }
        }
    }

    #[test]
    fn closed_curves_are_detected_and_their_seam_does_not_twist() {
        let pts = circle(30, true);
        assert!(is_closed(&pts));
        assert!(!is_closed(&pts[..20]));
        // A helix-like closed curve (trefoil) has transport twist; after correction the
        // last ring lines up with the first within one side's angle spread.
        let knot: Vec<Vec3> = (0..200)
            .map(|k| {
                let u = std::f64::consts::TAU * k as f64 / 200.0;
                Vec3::new(
                    u.sin() + 2.0 * (2.0 * u).sin(),
                    u.cos() - 2.0 * (2.0 * u).cos(),
                    -(3.0 * u).sin(),
                )
            })
            .collect();
        let mut v = Vertices::default();
        vertices(&knot, &[], 0.1, 8, true, &mut v);
        let last = &v.normals[199 * 8..200 * 8];
        let first = &v.normals[..8];
        for s in 0..8 {
            assert!(last[s].dot(first[s]) > 0.95, "side {s}");
        }
    }

    #[test]
    fn topology_of_closed_tube_has_no_border() {
        let t = topology(10, 5, true);
        assert_eq!(t.triangles.len(), 10 * 5 * 2);
        // Every undirected triangle edge is shared by exactly two triangles.
        let mut count = std::collections::HashMap::new();
        for tri in &t.triangles {
            for e in 0..3 {
                let (a, b) = (tri[e], tri[(e + 1) % 3]);
                *count.entry((a.min(b), a.max(b))).or_insert(0) += 1;
            }
        }
        assert!(count.values().all(|&c| c == 2));
        let open = topology(10, 5, false);
        assert_eq!(open.triangles.len(), 9 * 5 * 2);
    }
}
