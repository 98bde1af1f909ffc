//! The z-buffered triangle rasterizer, supersampled, drawn band by band.
//!
//! Triangles are drawn into a sample grid `ss` times finer than the image on each axis,
//! then each `ss × ss` block is averaged into a pixel: that is the anti-aliasing.
//! Coverage is decided with integer edge functions on vertices snapped to 1/16 of a
//! sample, with a top-left rule, so triangles that share an edge cover every sample
//! along it exactly once: no cracks, no double hits. Colours are interpolated
//! perspective-correctly; every fragment is opaque.
//!
//! Drawing only records the triangles; [`Target::resolve`] sorts them into bands of
//! sample rows and rasterizes one band at a time into a buffer of about
//! [`BAND_BYTES`], which stays in the processor's cache and is the only sample memory
//! a worker holds. The whole grid of samples was `antialias²` times the frame (6.6 MB
//! for `scenes/ripple.toml`, 150 MB for a 1920 × 1080 frame), faulted in anew by every
//! worker and swept twice a frame (cleared, then averaged). Each band sees its
//! triangles in the order they were drawn, so the pictures are exactly those of
//! drawing the whole grid at once.

/// Sub-sample precision of vertex positions: 1/16 of a sample.
const SUB: f32 = 16.0;
const SUB_I: i64 = 16;
/// Bounding boxes wider than this many samples get their rows' spans computed.
const WIDE: i64 = 24;
/// About how much memory one band of samples takes (at least one row of pixels).
pub const BAND_BYTES: usize = 512 << 10;

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

/// The triangles of one image, and the buffers that rasterize them band by band.
pub struct Target {
    width: usize,
    height: usize,
    ss: usize,
    background: [u8; 4],
    /// Vertices of the triangles drawn, shared between triangles where the caller
    /// gives indices ([`Target::vertices`], [`Target::indexed`]).
    verts: Vec<ScreenVertex>,
    /// Triangles drawn, as indices into `verts`, in drawing order.
    tris: Vec<[u32; 3]>,
    /// Per vertex, the band its sample row is in (-1 above the image; `i32::MIN` for a
    /// non-finite vertex).
    vbands: Vec<i32>,
    /// Band `b`'s triangles are `order[first[b]..first[b + 1]]`, in drawing order.
    first: Vec<u32>,
    order: Vec<u32>,
    /// One band of samples, reused from band to band and frame to frame.
    band: Vec<Sample>,
}

/// One sample: its depth key and premultiplied RGBA colour. Depth and colour side by
/// side: one cache line serves both.
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
            background: [0; 4],
            verts: Vec::new(),
            tris: Vec::new(),
            vbands: Vec::new(),
            first: Vec::new(),
            order: Vec::new(),
            band: Vec::new(),
        }
    }

    /// Starts an image of `w × h` pixels with `ss × ss` samples a pixel, every sample
    /// `background` (premultiplied RGBA) at infinite depth, and no triangle yet.
    /// Buffers are reused across calls. `ss` is 1 to 4.
    pub fn reset(&mut self, w: usize, h: usize, ss: usize, background: [u8; 4]) {
        let ss = ss.clamp(1, 4);
        self.width = w * ss;
        self.height = h * ss;
        self.ss = ss;
        self.background = background;
        self.verts.clear();
        self.tris.clear();
    }

    /// The memory held (capacities).
    pub fn capacity_bytes(&self) -> usize {
        use std::mem::size_of;
        self.verts.capacity() * size_of::<ScreenVertex>()
            + self.tris.capacity() * size_of::<[u32; 3]>()
            + self.vbands.capacity() * size_of::<i32>()
            + (self.first.capacity() + self.order.capacity()) * size_of::<u32>()
            + self.band.capacity() * size_of::<Sample>()
    }

    /// Bytes a frame of `samples` samples and about `triangles` triangles needs, for
    /// the workspaces' budget.
    pub fn estimate(samples: u64, triangles: u64) -> u64 {
        use std::mem::size_of;
        let band = (BAND_BYTES as u64 * 2).min(samples * size_of::<Sample>() as u64);
        // A triangle's indices and place in the order, and about one vertex and its band.
        let per_triangle =
            (size_of::<[u32; 3]>() + 2 * size_of::<u32>() + size_of::<ScreenVertex>()) as u64;
        band + triangles * per_triangle
    }

    /// Width and height in samples.
    pub fn samples(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    pub fn supersampling(&self) -> usize {
        self.ss
    }

    /// Adds vertices that [`Target::indexed`] triangles refer to, and returns the index
    /// of the first.
    pub fn vertices(&mut self, vs: &[ScreenVertex]) -> u32 {
        let base = self.verts.len() as u32;
        self.verts.extend_from_slice(vs);
        base
    }

    /// Draws a triangle of vertices added with [`Target::vertices`]; either winding,
    /// degenerate triangles draw nothing.
    pub fn indexed(&mut self, t: [u32; 3]) {
        self.tris.push(t);
    }

    /// Draws one triangle; either winding, degenerate triangles draw nothing.
    pub fn triangle(&mut self, v: [ScreenVertex; 3]) {
        let base = self.vertices(&v);
        self.indexed([base, base + 1, base + 2]);
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
        let base = self.vertices(&[q0, q1, q2, q3]);
        self.indexed([base, base + 1, base + 2]);
        self.indexed([base, base + 2, base + 3]);
    }

    /// Sample rows a band holds: a multiple of `ss` (whole pixel rows), at least one
    /// pixel row, about [`BAND_BYTES`].
    fn band_rows(&self) -> usize {
        let row = self.width.max(1) * std::mem::size_of::<Sample>();
        ((BAND_BYTES / row) / self.ss).max(1) * self.ss
    }

    /// Rasterizes the triangles drawn and averages each `ss × ss` block of samples into
    /// `out`, premultiplied RGBA8 rows of `w = samples / ss` pixels.
    pub fn resolve(&mut self, out: &mut [u8]) {
        self.resolve_in_bands(self.band_rows(), out);
    }

    /// [`Target::resolve`] with bands of `rows` sample rows (a multiple of `ss`).
    fn resolve_in_bands(&mut self, rows: usize, out: &mut [u8]) {
        let (w, h) = (self.width / self.ss, self.height / self.ss);
        assert_eq!(out.len(), w * h * 4, "output buffer matches the target");
        if out.is_empty() {
            return;
        }
        self.bin(rows);
        let mut band = std::mem::take(&mut self.band);
        // Per pixel of a row: red and blue, green and alpha sums.
        let mut sums = (vec![0u32; w], vec![0u32; w]);
        for (b, out_rows) in out.chunks_mut(w * 4 * (rows / self.ss)).enumerate() {
            let j0 = b * rows;
            let j1 = (j0 + rows).min(self.height);
            self.rasterize_band(b, j0, j1, &mut band);
            match self.ss {
                1 => resolve_rows::<1>(&band, self.width, out_rows, &mut sums),
                2 => resolve_rows::<2>(&band, self.width, out_rows, &mut sums),
                3 => resolve_rows::<3>(&band, self.width, out_rows, &mut sums),
                _ => resolve_rows::<4>(&band, self.width, out_rows, &mut sums),
            }
        }
        self.band = band;
    }

    /// Sorts the triangles into bands of `rows` sample rows (a counting sort, so each
    /// band keeps the drawing order).
    fn bin(&mut self, rows: usize) {
        let bands = self.height.div_ceil(rows);
        // A vertex's band once, not once per triangle it is in. The row is the one whose
        // centre is at or above it, so that a triangle's bands cover every row of
        // samples it may cover (and at most one more).
        self.vbands.clear();
        self.vbands.extend(self.verts.iter().map(|v| {
            if !(v.x.is_finite() && v.y.is_finite()) {
                return i32::MIN;
            }
            let row = (fixed(v).1 - SUB_I / 2).div_euclid(SUB_I);
            row.clamp(-1, self.height as i64).div_euclid(rows as i64) as i32
        }));
        self.first.clear();
        self.first.resize(bands + 1, 0);
        for k in 0..self.tris.len() {
            let (b0, b1) = self.bands_of(k, bands);
            for b in b0..b1 + 1 {
                self.first[b as usize + 1] += 1;
            }
        }
        for b in 0..bands {
            self.first[b + 1] += self.first[b];
        }
        self.order.clear();
        self.order.resize(self.first[bands] as usize, 0);
        // Where each band's next triangle goes: its start, kept in `first[b + 1]`
        // shifted down one band, so that `first` ends as the starts again.
        for b in (0..bands).rev() {
            self.first[b + 1] = self.first[b];
        }
        for k in 0..self.tris.len() {
            let (b0, b1) = self.bands_of(k, bands);
            for b in b0..b1 + 1 {
                let slot = &mut self.first[b as usize + 1];
                self.order[*slot as usize] = k as u32;
                *slot += 1;
            }
        }
    }

    /// The first and last band triangle `k` may cover, first > last when it covers
    /// none (above or below the image, or with an index out of range or a non-finite
    /// vertex). Degenerate triangles are left to [`Setup::new`].
    fn bands_of(&self, k: usize, bands: usize) -> (u32, u32) {
        const NONE: (u32, u32) = (1, 0);
        let b = |i: u32| self.vbands.get(i as usize).copied().unwrap_or(i32::MIN);
        let [b0, b1, b2] = self.tris[k].map(b);
        if b0.min(b1).min(b2) == i32::MIN {
            return NONE;
        }
        let first = b0.min(b1).min(b2).max(0);
        let last = b0.max(b1).max(b2).min(bands as i32 - 1);
        if first <= last {
            (first as u32, last as u32)
        } else {
            NONE
        }
    }

    /// Clears `band` to sample rows `j0..j1` of background and draws band `b`'s
    /// triangles into it.
    fn rasterize_band(&self, b: usize, j0: usize, j1: usize, band: &mut Vec<Sample>) {
        band.clear();
        band.resize(
            (j1 - j0) * self.width,
            Sample {
                depth: f32::INFINITY,
                color: self.background,
            },
        );
        let (lo, hi) = (self.first[b] as usize, self.first[b + 1] as usize);
        for &k in &self.order[lo..hi] {
            // Binned triangles have their vertices (`bands_of`).
            let [a, b, c] = self.tris[k as usize].map(|i| self.verts[i as usize]);
            if let Some(s) = Setup::new([a, b, c], self.width, self.height) {
                s.draw(band, self.width, j0 as i64, j1 as i64 - 1);
            }
        }
    }
}

/// Averages each `N × N` block of a band's samples (rows of `width` samples) into
/// `out`, premultiplied RGBA8 rows of `width / N` pixels. `sums` holds, per pixel of a
/// row, red and blue, green and alpha, each pair in two 16-bit lanes of a u32 (at most
/// 16 samples of 255 fit).
fn resolve_rows<const N: usize>(
    band: &[Sample],
    width: usize,
    out: &mut [u8],
    (rb, ga): &mut (Vec<u32>, Vec<u32>),
) {
    let w = width / N;
    let n = (N * N) as u32;
    for (y, dst_row) in out.chunks_exact_mut(w * 4).enumerate() {
        rb.fill(0);
        ga.fill(0);
        for sy in 0..N {
            let start = (y * N + sy) * width;
            let row = &band[start..start + w * N];
            for ((block, rb), ga) in row.chunks_exact(N).zip(rb.iter_mut()).zip(ga.iter_mut()) {
                for s in block {
                    let v = u32::from_le_bytes(s.color);
                    *rb += v & 0x00ff_00ff;
                    *ga += (v >> 8) & 0x00ff_00ff;
                }
            }
        }
        let avg = |lane: u32| (((lane & 0xffff) + n / 2) / n) as u8;
        for ((px, rb), ga) in dst_row.chunks_exact_mut(4).zip(rb.iter()).zip(ga.iter()) {
            px.copy_from_slice(&[avg(*rb), avg(*ga), avg(rb >> 16), avg(ga >> 16)]);
        }
    }
}

/// A triangle made ready to rasterize: wound counter-clockwise, snapped, with the
/// samples its bounding box covers in the image.
struct Setup {
    p: [(i64, i64); 3],
    v: [ScreenVertex; 3],
    area: i64,
    i0: i64,
    i1: i64,
    j0: i64,
    j1: i64,
}

impl Setup {
    /// `None` for a triangle that covers no sample of a `width × height` grid.
    fn new(v: [ScreenVertex; 3], width: usize, height: usize) -> Option<Setup> {
        if !v.iter().all(|p| p.x.is_finite() && p.y.is_finite()) {
            return None;
        }
        let (p0, mut p1, mut p2) = (fixed(&v[0]), fixed(&v[1]), fixed(&v[2]));
        let (a, mut b, mut c) = (v[0], v[1], v[2]);
        let mut area = (p1.0 - p0.0) * (p2.1 - p0.1) - (p2.0 - p0.0) * (p1.1 - p0.1);
        if area == 0 {
            return None;
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
        let i1 = hi(p0.0.max(p1.0).max(p2.0), width);
        let j0 = lo(p0.1.min(p1.1).min(p2.1));
        let j1 = hi(p0.1.max(p1.1).max(p2.1), height);
        if i0 > i1 || j0 > j1 {
            return None;
        }
        Some(Setup {
            p: [p0, p1, p2],
            v: [a, b, c],
            area,
            i0,
            i1,
            j0,
            j1,
        })
    }

    /// Draws the triangle's samples in rows `band_j0..=band_j1` into `band`, which
    /// holds those rows (`width` samples each).
    fn draw(&self, band: &mut [Sample], width: usize, band_j0: i64, band_j1: i64) {
        let [p0, p1, p2] = self.p;
        let [a, b, c] = self.v;
        let (i0, i1) = (self.i0, self.i1);
        let (j0, j1) = (self.j0.max(band_j0), self.j1.min(band_j1));
        if j0 > j1 {
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
        let inv = (SUB * SUB) / self.area as f32;
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
            let row = (j - band_j0) as usize * width;
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
            for sample in &mut band[span] {
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

    /// Seeded uniform numbers in `lo..hi` (a linear congruential generator).
    fn uniform(mut seed: u64) -> impl FnMut(f32, f32) -> f32 {
        move |lo, hi| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            lo + (hi - lo) * ((seed >> 40) as f32 / (1u64 << 24) as f32)
        }
    }

    const RED: [f32; 3] = [1.0, 0.0, 0.0];
    const BLUE: [f32; 3] = [0.0, 0.0, 1.0];
    const BG: [u8; 4] = [0, 0, 0, 0];

    /// Every sample's colour, the target drawn as one band.
    struct Grid {
        w: usize,
        colors: Vec<[u8; 4]>,
    }

    impl Grid {
        fn of(t: &mut Target) -> Grid {
            let (w, h) = t.samples();
            t.bin(h.max(1));
            let mut band = Vec::new();
            t.rasterize_band(0, 0, h, &mut band);
            Grid {
                w,
                colors: band.iter().map(|s| s.color).collect(),
            }
        }

        fn at(&self, i: usize, j: usize) -> [u8; 4] {
            self.colors[j * self.w + i]
        }
    }

    fn count(t: &mut Target, want: [u8; 4]) -> usize {
        Grid::of(t).colors.iter().filter(|&&c| c == want).count()
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
        assert_eq!(count(&mut t, [255, 0, 0, 255]), 36);
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
        let g = Grid::of(&mut t);
        for j in 0..16 {
            for i in 0..16 {
                let (dx, dy) = (i as f32 + 0.5 - centre.0, j as f32 + 0.5 - centre.1);
                if (dx * dx + dy * dy).sqrt() < 6.5 {
                    assert_eq!(g.at(i, j), [255, 0, 0, 255], "gap at {i},{j}");
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
                let g = Grid::of(&mut t);
                for j in 0..10 {
                    for i in 0..10 {
                        if g.at(i, j)[3] == 255 {
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
        let mut rnd = uniform(12345);
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
            let g = Grid::of(&mut t);
            for j in 0..80i64 {
                for i in 0..80i64 {
                    let (px, py) = (i * SUB_I + SUB_I / 2, j * SUB_I + SUB_I / 2);
                    let inside = area != 0 && edges.iter().all(|e| e.at(px, py) >= 0);
                    let got = g.at(i as usize, j as usize)[3] == 255;
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
            let g = Grid::of(&mut t);
            assert_eq!(g.at(1, 1), [255, 0, 0, 255]);
            assert_eq!(g.at(6, 2), [0, 0, 255, 255]);
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
        let mid = Grid::of(&mut t).at(8, 0);
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
        let g = Grid::of(&mut t);
        assert_eq!(g.at(10, 9), [255, 0, 0, 255]);
        assert_eq!(g.at(10, 10), [255, 0, 0, 255]);
        assert_eq!(g.at(10, 8), BG);
        assert_eq!(g.at(10, 11), BG);
        // Square caps: the line reaches x = 1 and 19.
        assert_eq!(g.at(1, 10), [255, 0, 0, 255]);
        assert_eq!(g.at(18, 10), [255, 0, 0, 255]);
        assert_eq!(g.at(0, 10), BG);
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
        assert_eq!(count(&mut t, BG), 16);
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
        assert_eq!(count(&mut t, [255, 0, 0, 255]), 16);
    }

    #[test]
    fn bands_of_any_height_draw_what_one_band_draws() {
        // Random overlapping triangles at random depths, some sharing vertices, some
        // lines, some far outside: every band height gives the same bytes, also where
        // triangles meet at equal depth (the first drawn keeps the sample).
        let mut rnd = uniform(777);
        for ss in [1, 3] {
            let mut t = Target::new();
            t.reset(23, 17, ss, [9, 8, 7, 255]);
            let (w, h) = t.samples();
            let (w, h) = (w as f32, h as f32);
            let shared: Vec<ScreenVertex> = (0..12)
                .map(|_| {
                    let c = [rnd(0.0, 1.0), rnd(0.0, 1.0), rnd(0.0, 1.0)];
                    let mut p = v(rnd(-5.0, w + 5.0), rnd(-5.0, h + 5.0), rnd(0.0, 4.0), c);
                    p.iw = rnd(0.2, 1.0);
                    p
                })
                .collect();
            let base = t.vertices(&shared);
            for k in 0..10u32 {
                t.indexed([base + k, base + (k + 3) % 12, base + (k + 7) % 12]);
                let z = (k % 3) as f32;
                t.triangle(std::array::from_fn(|_| {
                    v(rnd(-10.0, w + 10.0), rnd(-10.0, h + 10.0), z, BLUE)
                }));
                t.line(
                    v(rnd(0.0, w), rnd(0.0, h), 1.0, RED),
                    v(rnd(0.0, w), rnd(0.0, h), 1.0, RED),
                    rnd(1.0, 4.0),
                );
            }
            // Far away, wholly above and wholly left of the image.
            t.triangle([
                v(-1e6, -1e6, 0.0, RED),
                v(1e6, -1e6, 0.0, RED),
                v(0.0, -1e5, 0.0, RED),
            ]);
            t.triangle([
                v(-1e6, -1e6, 0.0, RED),
                v(-1e5, 0.0, 0.0, RED),
                v(-1e6, 1e6, 0.0, RED),
            ]);
            let px = 23 * 17 * 4;
            let mut whole = vec![0u8; px];
            t.resolve_in_bands(17 * ss, &mut whole);
            assert!(
                whole.chunks(4).any(|p| p != [9, 8, 7, 255]),
                "something is drawn"
            );
            for rows in [ss, 2 * ss, 5 * ss, 16 * ss, 40 * ss] {
                let mut banded = vec![0u8; px];
                t.resolve_in_bands(rows, &mut banded);
                assert_eq!(banded, whole, "ss {ss}, bands of {rows} rows");
            }
            let mut auto = vec![0u8; px];
            t.resolve(&mut auto);
            assert_eq!(auto, whole);
        }
    }

    #[test]
    fn the_band_is_the_only_sample_memory() {
        // A 1920x1080 frame at 3x3 samples: one band of about BAND_BYTES, not 150 MB.
        let mut t = Target::new();
        t.reset(1920, 1080, 3, BG);
        t.triangle([
            v(0.0, 0.0, 0.0, RED),
            v(5760.0, 0.0, 0.0, RED),
            v(0.0, 3240.0, 0.0, RED),
        ]);
        let mut out = vec![0u8; 1920 * 1080 * 4];
        t.resolve(&mut out);
        assert_eq!(out[..4], [255, 0, 0, 255]);
        assert_eq!(out[out.len() - 4..], BG);
        assert!(
            t.capacity_bytes() < 2 * BAND_BYTES,
            "{}",
            t.capacity_bytes()
        );
    }

    #[test]
    fn at_equal_depth_the_first_drawn_keeps_the_sample_in_every_band() {
        for first in [RED, BLUE] {
            let second = if first == RED { BLUE } else { RED };
            let mut t = Target::new();
            t.reset(6, 6, 1, BG);
            t.triangle([
                v(0.0, 0.0, 1.0, first),
                v(6.0, 0.0, 1.0, first),
                v(0.0, 6.0, 1.0, first),
            ]);
            t.triangle([
                v(0.0, 0.0, 1.0, second),
                v(6.0, 0.0, 1.0, second),
                v(0.0, 6.0, 1.0, second),
            ]);
            let want = first.map(|c| (c * 255.0) as u8);
            for rows in [1, 2, 6] {
                let mut out = vec![0u8; 6 * 6 * 4];
                t.resolve_in_bands(rows, &mut out);
                assert_eq!(out[..3], want, "bands of {rows} rows");
                assert_eq!(out[(5 * 6) * 4..(5 * 6) * 4 + 3], want);
            }
        }
    }
}
