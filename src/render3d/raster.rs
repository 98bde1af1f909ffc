//! The z-buffered triangle rasterizer, supersampled.
//!
//! Triangles are drawn into a sample grid `ss` times finer than the image on each axis,
//! then [`Target::resolve`] averages each `ss × ss` block into a pixel: that is the
//! anti-aliasing. Coverage is decided with integer edge functions on vertices snapped
//! to 1/16 of a sample, with a top-left rule, so triangles that share an edge cover
//! every sample along it exactly once: no cracks, no double hits. Colours are
//! interpolated perspective-correctly; every fragment is opaque.

use crate::base::big_buffer::BigBuffer;

/// Sub-sample precision of vertex positions: 1/16 of a sample.
const SUB: f32 = 16.0;
const SUB_I: i64 = 16;
/// Bounding boxes wider than this many samples get their rows' spans computed.
const WIDE: i64 = 24;

/// A vertex in sample space, ready to rasterize.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct ScreenVertex {
    /// Sample coordinates (x right, y down); sample `(i, j)` has its centre at
    /// `(i + 0.5, j + 0.5)`.
    pub x: f32,
    pub y: f32,
    /// Depth key, affine in screen space: smaller is nearer.
    pub z: f32,
    /// 1/w for perspective-correct interpolation (1 for orthographic views).
    pub iw: f32,
    /// Straight RGB in 0..=1.
    pub c: [f32; 3],
}

/// Sample buffers: one depth and one premultiplied RGBA colour per sample.
pub struct Target {
    width: usize,
    height: usize,
    ss: usize,
    /// Depth and colour side by side: one cache line serves both. Big (antialias²
    /// times the frame), so in huge pages where the system allows.
    samples: BigBuffer<Sample>,
}

/// One sample: its depth key and premultiplied RGBA colour.
#[derive(Clone, Copy, Debug)]
struct Sample {
    depth: f32,
    color: [u8; 4],
}

impl Target {
    pub fn new() -> Target {
        Target {
            width: 0,
            height: 0,
            ss: 1,
            samples: BigBuffer::new(),
        }
    }

    /// Prepares buffers for an image of `w × h` pixels with `ss × ss` samples a pixel,
    /// every sample cleared to `background` (premultiplied RGBA) at infinite depth.
    /// Buffers are reused across calls. `ss` is 1 to 4.
    pub fn reset(&mut self, w: usize, h: usize, ss: usize, background: [u8; 4]) {
        let ss = ss.clamp(1, 4);
        self.width = w * ss;
        self.height = h * ss;
        self.ss = ss;
        let n = self.width * self.height;
        self.samples.fill(
            n,
            Sample {
                depth: f32::INFINITY,
                color: background,
            },
        );
    }

    /// The memory held (capacity).
    pub fn capacity_bytes(&self) -> usize {
        self.samples.capacity() * std::mem::size_of::<Sample>()
    }

    /// Width and height in samples.
    pub fn samples(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    pub fn supersampling(&self) -> usize {
        self.ss
    }

    /// The colour of sample `(i, j)` (tests and diagnostics).
    pub fn sample(&self, i: usize, j: usize) -> [u8; 4] {
        self.samples[j * self.width + i].color
    }

    /// Draws one triangle; either winding, degenerate triangles draw nothing.
    pub fn triangle(&mut self, v: [ScreenVertex; 3]) {
        if !v.iter().all(|p| p.x.is_finite() && p.y.is_finite()) {
            return;
        }
        let (p0, mut p1, mut p2) = (fixed(&v[0]), fixed(&v[1]), fixed(&v[2]));
        let (a, mut b, mut c) = (v[0], v[1], v[2]);
        let mut area = (p1.0 - p0.0) * (p2.1 - p0.1) - (p2.0 - p0.0) * (p1.1 - p0.1);
        if area == 0 {
            return;
        }
        if area < 0 {
            std::mem::swap(&mut p1, &mut p2);
            std::mem::swap(&mut b, &mut c);
            area = -area;
        }
        // Sample index range covered by the bounding box (centres at i·16 + 8).
        let lo = |m: i64| (m - SUB_I / 2 + SUB_I - 1).div_euclid(SUB_I).max(0);
        let hi = |m: i64, n: usize| (m - SUB_I / 2).div_euclid(SUB_I).min(n as i64 - 1);
        let i0 = lo(p0.0.min(p1.0).min(p2.0));
        let i1 = hi(p0.0.max(p1.0).max(p2.0), self.width);
        let j0 = lo(p0.1.min(p1.1).min(p2.1));
        let j1 = hi(p0.1.max(p1.1).max(p2.1), self.height);
        if i0 > i1 || j0 > j1 {
            return;
        }
        let e0 = Edge::new(p1, p2);
        let e1 = Edge::new(p2, p0);
        let e2 = Edge::new(p0, p1);

        // Attribute planes f(x, y) = f0 + fx·(x - x0) + fy·(y - y0) in samples, from
        // the snapped vertex positions.
        let (x0, y0) = (p0.0 as f32 / SUB, p0.1 as f32 / SUB);
        let (dx1, dy1) = (p1.0 as f32 / SUB - x0, p1.1 as f32 / SUB - y0);
        let (dx2, dy2) = (p2.0 as f32 / SUB - x0, p2.1 as f32 / SUB - y0);
        let inv = (SUB * SUB) / area as f32;
        let plane = |f0: f32, f1: f32, f2: f32| -> Plane {
            let (d1, d2) = (f1 - f0, f2 - f0);
            Plane {
                at0: f0,
                dx: (d1 * dy2 - d2 * dy1) * inv,
                dy: (d2 * dx1 - d1 * dx2) * inv,
            }
        };
        let z = plane(a.z, b.z, c.z);
        let iw_min = a.iw.min(b.iw).min(c.iw);
        let iw_max = a.iw.max(b.iw).max(c.iw);
        // Where 1/w hardly changes, perspective-correct and affine interpolation agree
        // to well under one colour level: skip the division.
        let affine = iw_max - iw_min <= iw_max * 1e-3;
        let (q, col) = if affine {
            (
                plane(1.0, 1.0, 1.0),
                [0, 1, 2].map(|k| plane(a.c[k], b.c[k], c.c[k])),
            )
        } else {
            (
                plane(a.iw, b.iw, c.iw),
                [0, 1, 2].map(|k| plane(a.c[k] * a.iw, b.c[k] * b.iw, c.c[k] * c.iw)),
            )
        };

        let px0 = i0 * SUB_I + SUB_I / 2;
        let fx0 = i0 as f32 + 0.5 - x0;
        let py0 = j0 * SUB_I + SUB_I / 2;
        let (mut r0, mut r1, mut r2) = (e0.at(px0, py0), e1.at(px0, py0), e2.at(px0, py0));
        for j in j0..j1 + 1 {
            let fy = j as f32 + 0.5 - y0;
            let (mut w0, mut w1, mut w2) = (r0, r1, r2);
            r0 += e0.row_step;
            r1 += e1.row_step;
            r2 += e2.row_step;
            // Wide triangles (long lines, big clipped polygons) skip straight to the
            // covered span of the row instead of testing the whole bounding box.
            let (mut first, mut last) = (i0, i1);
            if i1 - i0 > WIDE {
                for (e, w) in [(&e0, w0), (&e1, w1), (&e2, w2)] {
                    let (lo, hi) = e.span(w);
                    first = first.max(i0 + lo);
                    last = last.min(i0 + hi);
                }
                if first > last {
                    continue;
                }
                let skip = first - i0;
                w0 += e0.step * skip;
                w1 += e1.step * skip;
                w2 += e2.step * skip;
            }
            let row = j as usize * self.width;
            let span = row + first as usize..row + last as usize + 1;
            // Attributes at the span's first sample; `u` counts samples from it.
            let fx = fx0 + (first - i0) as f32;
            let zr = z.at(fx, fy);
            let cr = [
                col[0].at(fx, fy),
                col[1].at(fx, fy),
                col[2].at(fx, fy),
                q.at(fx, fy),
            ];
            let mut u = 0.0f32;
            for sample in &mut self.samples[span] {
                if (w0 | w1 | w2) >= 0 {
                    let zv = zr + z.dx * u;
                    if zv < sample.depth {
                        sample.depth = zv;
                        let s = if affine {
                            255.0
                        } else {
                            255.0 / (cr[3] + q.dx * u)
                        };
                        let byte = |m: usize| to_byte((cr[m] + col[m].dx * u) * s);
                        sample.color = [byte(0), byte(1), byte(2), 255];
                    }
                }
                w0 += e0.step;
                w1 += e1.step;
                w2 += e2.step;
                u += 1.0;
            }
        }
    }

    /// A line of `width` samples between two vertices, drawn as a quad with square caps
    /// (so polylines join without notches).
    pub fn line(&mut self, a: ScreenVertex, b: ScreenVertex, width: f32) {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt();
        let half = width.max(1.0) * 0.5;
        let (ux, uy) = if len > 1e-6 {
            (dx / len * half, dy / len * half)
        } else {
            (half, 0.0)
        };
        let (nx, ny) = (-uy, ux);
        let at = |v: ScreenVertex, sx: f32, sy: f32| ScreenVertex {
            x: v.x + sx,
            y: v.y + sy,
            ..v
        };
        let q0 = at(a, -ux + nx, -uy + ny);
        let q1 = at(a, -ux - nx, -uy - ny);
        let q2 = at(b, ux - nx, uy - ny);
        let q3 = at(b, ux + nx, uy + ny);
        self.triangle([q0, q1, q2]);
        self.triangle([q0, q2, q3]);
    }

    /// Averages each `ss × ss` block of samples into `out`, premultiplied RGBA8 rows of
    /// `w = samples / ss` pixels.
    pub fn resolve(&self, out: &mut [u8]) {
        match self.ss {
            1 => self.resolve_n::<1>(out),
            2 => self.resolve_n::<2>(out),
            3 => self.resolve_n::<3>(out),
            _ => self.resolve_n::<4>(out),
        }
    }

    fn resolve_n<const N: usize>(&self, out: &mut [u8]) {
        let w = self.width / N;
        let h = self.height / N;
        assert_eq!(out.len(), w * h * 4, "output buffer matches the target");
        let n = (N * N) as u32;
        // Per pixel of a row: red and blue, green and alpha, each pair in two 16-bit
        // lanes of a u32 (at most 16 samples of 255 fit).
        let mut rb = vec![0u32; w];
        let mut ga = vec![0u32; w];
        for (y, dst_row) in out.chunks_exact_mut(w * 4).enumerate() {
            rb.fill(0);
            ga.fill(0);
            for sy in 0..N {
                let start = (y * N + sy) * self.width;
                let row = &self.samples[start..start + w * N];
                for ((block, rb), ga) in row.chunks_exact(N).zip(&mut rb).zip(&mut ga) {
                    for s in block {
                        let v = u32::from_le_bytes(s.color);
                        *rb += v & 0x00ff_00ff;
                        *ga += (v >> 8) & 0x00ff_00ff;
                    }
                }
            }
            let avg = |lane: u32| (((lane & 0xffff) + n / 2) / n) as u8;
            for ((px, rb), ga) in dst_row.chunks_exact_mut(4).zip(&rb).zip(&ga) {
                px.copy_from_slice(&[avg(*rb), avg(*ga), avg(rb >> 16), avg(ga >> 16)]);
            }
        }
    }
}

/// `x` (nominally 0..=255) rounded to the nearest byte, clamped. Adding 1.5·2^23 puts
/// the rounded integer in the low mantissa bits: cheaper than a saturating cast.
#[inline(always)]
fn to_byte(x: f32) -> u8 {
    const MAGIC: f32 = 12_582_912.0;
    let x = if x > 0.0 { x } else { 0.0 };
    let x = if x < 255.0 { x } else { 255.0 };
    ((x + MAGIC).to_bits() & 0xff) as u8
}

/// An attribute as a plane over the triangle, in sample units from its first vertex.
struct Plane {
    at0: f32,
    dx: f32,
    dy: f32,
}

impl Plane {
    #[inline(always)]
    fn at(&self, fx: f32, fy: f32) -> f32 {
        self.at0 + self.dx * fx + self.dy * fy
    }
}

/// A vertex position in fixed point (1/16 sample), rounded to nearest, clamped to
/// ±2^26 (so edge functions stay far from overflow; the caller's guard band keeps real
/// coordinates well inside). NaN reads as 0.
#[inline(always)]
fn fixed(v: &ScreenVertex) -> (i64, i64) {
    const OFFSET: f64 = (1u64 << 40) as f64;
    const LIMIT: f64 = (1u64 << 26) as f64;
    let f = |x: f32| {
        let x = if x.is_nan() {
            0.0
        } else {
            (x as f64 * SUB as f64).clamp(-LIMIT, LIMIT)
        };
        ((x + 0.5 + OFFSET) as i64) - (1i64 << 40)
    };
    (f(v.x), f(v.y))
}

impl Default for Target {
    fn default() -> Self {
        Target::new()
    }
}

/// `E(p) = a·x + b·y + c`, positive inside; `bias` is -1 on edges that do not own the
/// samples lying exactly on them (the top-left rule), so `E + bias >= 0` decides.
struct Edge {
    a: i64,
    b: i64,
    c: i64,
    bias: i64,
    /// The change from one sample to the next along a row, and from row to row.
    step: i64,
    row_step: i64,
}

impl Edge {
    fn new(p: (i64, i64), q: (i64, i64)) -> Edge {
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        // Any rule that gives opposite answers for opposite directions is watertight.
        let owns = dy > 0 || (dy == 0 && dx < 0);
        Edge {
            a: p.1 - q.1,
            b: q.0 - p.0,
            c: p.0 * q.1 - p.1 * q.0,
            bias: if owns { 0 } else { -1 },
            step: (p.1 - q.1) * SUB_I,
            row_step: (q.0 - p.0) * SUB_I,
        }
    }

    /// The samples `k` of a row (counted from the one where the edge value is `w`)
    /// with `w + k·step >= 0`, as an inclusive range (empty when `lo > hi`).
    fn span(&self, w: i64) -> (i64, i64) {
        const ALL: i64 = i64::MAX / 4;
        match self.step.cmp(&0) {
            std::cmp::Ordering::Greater if w < 0 => ((-w + self.step - 1) / self.step, ALL),
            std::cmp::Ordering::Less if w >= 0 => (0, w / -self.step),
            std::cmp::Ordering::Less => (1, 0),
            std::cmp::Ordering::Equal if w < 0 => (1, 0),
            _ => (0, ALL),
        }
    }

    /// The biased edge value at a fixed-point position.
    fn at(&self, x: i64, y: i64) -> i64 {
        self.a * x + self.b * y + self.c + self.bias
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: f32, y: f32, z: f32, c: [f32; 3]) -> ScreenVertex {
        ScreenVertex {
            x,
            y,
            z,
            iw: 1.0,
            c,
        }
    }

    const RED: [f32; 3] = [1.0, 0.0, 0.0];
    const BLUE: [f32; 3] = [0.0, 0.0, 1.0];
    const BG: [u8; 4] = [0, 0, 0, 0];

    fn count(t: &Target, want: [u8; 4]) -> usize {
        let (w, h) = t.samples();
        (0..h)
            .flat_map(|j| (0..w).map(move |i| (i, j)))
            .filter(|&(i, j)| t.sample(i, j) == want)
            .count()
    }

    #[test]
    fn bytes_round_to_nearest_and_clamp() {
        assert_eq!(to_byte(0.0), 0);
        assert_eq!(to_byte(0.49), 0);
        assert_eq!(to_byte(0.51), 1);
        assert_eq!(to_byte(127.6), 128);
        assert_eq!(to_byte(254.7), 255);
        assert_eq!(to_byte(300.0), 255);
        assert_eq!(to_byte(-3.0), 0);
        assert_eq!(to_byte(f32::NAN), 0);
    }

    #[test]
    fn two_triangles_of_a_square_cover_each_sample_once() {
        let mut t = Target::new();
        t.reset(10, 10, 1, BG);
        // A square with integer corners: every centre inside, none on an edge.
        let (a, b, c, d) = (
            v(2.0, 2.0, 0.0, RED),
            v(8.0, 2.0, 0.0, RED),
            v(8.0, 8.0, 0.0, RED),
            v(2.0, 8.0, 0.0, RED),
        );
        t.triangle([a, b, c]);
        t.triangle([a, c, d]);
        assert_eq!(count(&t, [255, 0, 0, 255]), 36);
    }

    #[test]
    fn shared_edges_through_sample_centres_leave_no_gap_and_no_overlap() {
        // A fan of triangles around a centre, edges passing exactly through sample
        // centres; drawn with depth 0 first: each sample is hit once, so with a depth
        // test "nearer wins" a second coat at the same depth changes nothing. Count
        // hits instead with a custom z per triangle.
        let mut t = Target::new();
        t.reset(16, 16, 1, BG);
        let centre = (8.5f32, 8.5f32);
        let ring: Vec<(f32, f32)> = (0..12)
            .map(|k| {
                let a = k as f32 * std::f32::consts::TAU / 12.0;
                (centre.0 + 7.0 * a.cos(), centre.1 + 7.0 * a.sin())
            })
            .collect();
        for k in 0..12 {
            let p = ring[k];
            let q = ring[(k + 1) % 12];
            t.triangle([
                v(centre.0, centre.1, 0.5, RED),
                v(p.0, p.1, 0.5, RED),
                v(q.0, q.1, 0.5, RED),
            ]);
        }
        // Inside the inscribed circle every sample is covered.
        for j in 0..16 {
            for i in 0..16 {
                let (dx, dy) = (i as f32 + 0.5 - centre.0, j as f32 + 0.5 - centre.1);
                if (dx * dx + dy * dy).sqrt() < 6.5 {
                    assert_eq!(t.sample(i, j), [255, 0, 0, 255], "gap at {i},{j}");
                }
            }
        }
    }

    #[test]
    fn samples_on_a_shared_edge_belong_to_exactly_one_triangle() {
        // Vertical edge x = 4.5 through sample centres, and horizontal edges too.
        for (p, q) in [
            ((4.5, 0.0), (4.5, 9.0)),
            ((0.0, 4.5), (9.0, 4.5)),
            ((0.5, 0.5), (8.5, 8.5)),
        ] {
            let mut hits = [0u8; 100];
            let left_far = (p.0 - (q.1 - p.1) * 2.0, p.1 + (q.0 - p.0) * 2.0);
            let right_far = (p.0 + (q.1 - p.1) * 2.0, p.1 - (q.0 - p.0) * 2.0);
            for far in [left_far, right_far] {
                let mut t = Target::new();
                t.reset(10, 10, 1, BG);
                t.triangle([
                    v(p.0, p.1, 0.0, RED),
                    v(q.0, q.1, 0.0, RED),
                    v(far.0, far.1, 0.0, RED),
                ]);
                for j in 0..10 {
                    for i in 0..10 {
                        if t.sample(i, j)[3] == 255 {
                            hits[j * 10 + i] += 1;
                        }
                    }
                }
            }
            // Samples on the line are hit once, never twice.
            assert!(hits.iter().all(|&h| h <= 1), "{p:?}-{q:?}: double hits");
            let on_line = (0..10)
                .flat_map(|j| (0..10).map(move |i| (i, j)))
                .filter(|&(i, j)| {
                    let (x, y) = (i as f32 + 0.5, j as f32 + 0.5);
                    ((q.0 - p.0) * (y - p.1) - (q.1 - p.1) * (x - p.0)).abs() < 1e-4 && {
                        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
                        let s = ((x - p.0) * dx + (y - p.1) * dy) / (dx * dx + dy * dy);
                        s > 0.0 && s < 1.0
                    }
                })
                .collect::<Vec<_>>();
            assert!(!on_line.is_empty());
            for (i, j) in on_line {
                assert_eq!(hits[j * 10 + i], 1, "{p:?}-{q:?}: sample {i},{j} missed");
            }
        }
    }

    #[test]
    fn row_spans_of_wide_triangles_match_testing_every_sample() {
        // Random triangles, wide and narrow, against a brute-force coverage test with
        // the same edge rules.
        let mut seed = 12345u64;
        let mut rnd = |lo: f32, hi: f32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            lo + (hi - lo) * ((seed >> 40) as f32 / (1u64 << 24) as f32)
        };
        for _ in 0..200 {
            let pts: [(f32, f32); 3] =
                std::array::from_fn(|_| (rnd(-20.0, 100.0), rnd(-20.0, 100.0)));
            let mut t = Target::new();
            t.reset(80, 80, 1, BG);
            t.triangle(pts.map(|(x, y)| v(x, y, 0.0, RED)));
            let f = pts.map(|(x, y)| fixed(&v(x, y, 0.0, RED)));
            let area =
                (f[1].0 - f[0].0) * (f[2].1 - f[0].1) - (f[2].0 - f[0].0) * (f[1].1 - f[0].1);
            let (a, b, c) = if area > 0 {
                (f[0], f[1], f[2])
            } else {
                (f[0], f[2], f[1])
            };
            let edges = [Edge::new(b, c), Edge::new(c, a), Edge::new(a, b)];
            for j in 0..80i64 {
                for i in 0..80i64 {
                    let (px, py) = (i * SUB_I + SUB_I / 2, j * SUB_I + SUB_I / 2);
                    let inside = area != 0 && edges.iter().all(|e| e.at(px, py) >= 0);
                    let got = t.sample(i as usize, j as usize)[3] == 255;
                    assert_eq!(got, inside, "{pts:?} at {i},{j}");
                }
            }
        }
    }

    #[test]
    fn nearer_triangle_wins_whatever_the_order() {
        for order in [0, 1] {
            let mut t = Target::new();
            t.reset(8, 8, 1, BG);
            let near = [
                v(0.0, 0.0, 1.0, RED),
                v(8.0, 0.0, 1.0, RED),
                v(0.0, 8.0, 1.0, RED),
            ];
            let far = [
                v(0.0, 0.0, 2.0, BLUE),
                v(8.0, 0.0, 2.0, BLUE),
                v(8.0, 8.0, 2.0, BLUE),
            ];
            if order == 0 {
                t.triangle(near);
                t.triangle(far);
            } else {
                t.triangle(far);
                t.triangle(near);
            }
            assert_eq!(t.sample(1, 1), [255, 0, 0, 255]);
            assert_eq!(t.sample(6, 2), [0, 0, 255, 255]);
        }
    }

    #[test]
    fn resolve_averages_samples_into_coverage() {
        let mut t = Target::new();
        t.reset(2, 1, 4, BG);
        // Cover the left half of the first pixel: x in 0..2 of 8 samples.
        t.triangle([
            v(0.0, 0.0, 0.0, [1.0, 1.0, 1.0]),
            v(2.0, 0.0, 0.0, [1.0, 1.0, 1.0]),
            v(2.0, 4.0, 0.0, [1.0, 1.0, 1.0]),
        ]);
        t.triangle([
            v(0.0, 0.0, 0.0, [1.0, 1.0, 1.0]),
            v(2.0, 4.0, 0.0, [1.0, 1.0, 1.0]),
            v(0.0, 4.0, 0.0, [1.0, 1.0, 1.0]),
        ]);
        let mut out = [0u8; 8];
        t.resolve(&mut out);
        assert_eq!(out[..4], [128, 128, 128, 128]);
        assert_eq!(out[4..], [0, 0, 0, 0]);
    }

    #[test]
    fn colour_is_interpolated_perspective_correctly() {
        // One edge far (iw = 0.25), the other near (iw = 1): the screen midpoint is
        // nearer to the near end in world space, so the colour there is mostly the
        // near vertex's.
        let mut t = Target::new();
        t.reset(16, 1, 1, BG);
        let near = |x: f32, y: f32| ScreenVertex {
            x,
            y,
            z: 0.0,
            iw: 1.0,
            c: [1.0, 0.0, 0.0],
        };
        let far = |x: f32, y: f32| ScreenVertex {
            x,
            y,
            z: 0.0,
            iw: 0.25,
            c: [0.0, 0.0, 1.0],
        };
        t.triangle([near(0.0, -1.0), far(16.0, -1.0), far(16.0, 3.0)]);
        t.triangle([near(0.0, -1.0), far(16.0, 3.0), near(0.0, 3.0)]);
        let mid = t.sample(8, 0);
        // Affine interpolation would give about half and half; perspective gives
        // r = 1/(1+0.25) ≈ 0.8.
        assert!(mid[0] > 190 && mid[2] < 65, "{mid:?}");
    }

    #[test]
    fn lines_cover_their_width() {
        let mut t = Target::new();
        t.reset(20, 20, 1, BG);
        t.line(v(2.0, 10.0, 0.0, RED), v(18.0, 10.0, 0.0, RED), 2.0);
        // Rows 9 and 10 (centres 9.5, 10.5) are inside y in [9, 11].
        assert_eq!(t.sample(10, 9), [255, 0, 0, 255]);
        assert_eq!(t.sample(10, 10), [255, 0, 0, 255]);
        assert_eq!(t.sample(10, 8), BG);
        assert_eq!(t.sample(10, 11), BG);
        // Square caps: the line reaches x = 1 and 19.
        assert_eq!(t.sample(1, 10), [255, 0, 0, 255]);
        assert_eq!(t.sample(18, 10), [255, 0, 0, 255]);
        assert_eq!(t.sample(0, 10), BG);
    }

    #[test]
    fn non_finite_vertices_draw_nothing() {
        let mut t = Target::new();
        t.reset(4, 4, 1, BG);
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            t.triangle([
                v(bad, 0.0, 0.0, RED),
                v(4.0, 0.0, 0.0, RED),
                v(0.0, 4.0, 0.0, RED),
            ]);
            t.line(v(0.0, bad, 0.0, RED), v(4.0, 4.0, 0.0, RED), 2.0);
        }
        assert_eq!(count(&t, BG), 16);
    }

    #[test]
    fn triangles_far_outside_are_clamped_not_overflowing() {
        let mut t = Target::new();
        t.reset(4, 4, 1, BG);
        t.triangle([
            v(-1e6, -1e6, 0.0, RED),
            v(1e6, -1e6, 0.0, RED),
            v(0.0, 1e6, 0.0, RED),
        ]);
        assert_eq!(count(&t, [255, 0, 0, 255]), 16);
    }
}
