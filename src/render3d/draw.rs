//! From world space to samples: projection, clipping, lighting, and the calls into the
//! rasterizer for meshes, lines and the bounding-box outline.

use super::camera::{Camera, Homogeneous, View};
use super::math::{Bounds, Vec3};
use super::mesh::{Topology, Vertices};
use super::raster::{ScreenVertex, Target};
use super::shade::{shade, Light, Paint};

/// How lines drawn over a filled mesh win the depth test against it: they are pulled
/// towards the eye by this fraction of the camera distance.
const LINE_BIAS: f64 = 2e-3;

/// Shading: per-vertex normals (smooth) or one normal a triangle (flat, faceted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shading {
    Smooth,
    Flat,
}

/// A line style: colour (straight RGB 0..=1) and width in output pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineStyle {
    pub color: [f32; 3],
    pub width: f64,
}

/// How a mesh looks.
#[derive(Clone, Debug, PartialEq)]
pub struct MeshStyle {
    pub paint: Paint,
    pub light: Light,
    pub shading: Shading,
    /// Fill the triangles; without fill, the edges are drawn in the lit mesh colours
    /// (a wireframe) with `wire_width` (none at all if it is 0).
    pub fill: bool,
    pub wire_width: f64,
    /// Lines over the fill along the mesh edges.
    pub mesh_lines: Option<LineStyle>,
}

/// A vertex after projection, before clipping.
#[derive(Clone, Copy, Debug)]
struct ClipVertex {
    h: Homogeneous,
    c: [f32; 3],
}

impl ClipVertex {
    fn lerp(a: &ClipVertex, b: &ClipVertex, t: f64) -> ClipVertex {
        let m = |x: f64, y: f64| x + (y - x) * t;
        let tf = t as f32;
        ClipVertex {
            h: Homogeneous {
                hx: m(a.h.hx, b.h.hx),
                hy: m(a.h.hy, b.h.hy),
                hw: m(a.h.hw, b.h.hw),
                depth: m(a.h.depth, b.h.depth),
            },
            c: std::array::from_fn(|k| a.c[k] + (b.c[k] - a.c[k]) * tf),
        }
    }
}

/// The planes a primitive is clipped against, as `distance(v) >= 0` inside: the near
/// plane (perspective) and a guard band well outside the image, which keeps sample
/// coordinates small enough for the rasterizer's integer arithmetic.
struct Planes {
    near: Option<f64>,
    lo: f64,
    hi_x: f64,
    hi_y: f64,
}

impl Planes {
    const COUNT: usize = 5;

    fn distance(&self, plane: usize, h: &Homogeneous) -> f64 {
        match plane {
            0 => self.near.map_or(1.0, |n| h.hw - n),
            1 => h.hx - self.lo * h.hw,
            2 => self.hi_x * h.hw - h.hx,
            3 => h.hy - self.lo * h.hw,
            _ => self.hi_y * h.hw - h.hy,
        }
    }

    fn inside(&self, h: &Homogeneous) -> bool {
        self.outcode(h) == 0
    }

    /// One bit per plane `h` is outside of.
    fn outcode(&self, h: &Homogeneous) -> u8 {
        (0..Planes::COUNT).fold(0, |code, p| {
            code | (((self.distance(p, h) < 0.0) as u8) << p)
        })
    }
}

/// A camera looking into a sample target, with scratch space reused across frames.
pub struct Canvas<'t> {
    view: View,
    target: &'t mut Target,
    planes: Planes,
    ss: f64,
    distance: f64,
    scratch: &'t mut Scratch,
}

/// Per-vertex buffers reused from frame to frame.
#[derive(Default)]
pub struct Scratch {
    clip: Vec<ClipVertex>,
    /// Outcodes: which clip planes a vertex is outside of, or [`HOLE`].
    codes: Vec<u8>,
    /// Sample-space vertices, for those inside every plane.
    screen: Vec<ScreenVertex>,
}

impl Scratch {
    /// The memory held (capacities).
    pub fn capacity_bytes(&self) -> usize {
        self.clip.capacity() * std::mem::size_of::<ClipVertex>()
            + self.codes.capacity()
            + self.screen.capacity() * std::mem::size_of::<ScreenVertex>()
    }
}

/// The outcode of a vertex with a non-finite position.
const HOLE: u8 = 0x80;

impl<'t> Canvas<'t> {
    /// A canvas for an image of `w × h` pixels with `target` already reset to that size.
    pub fn new(camera: &Camera, target: &'t mut Target, scratch: &'t mut Scratch) -> Canvas<'t> {
        let (sw, sh) = target.samples();
        let view = View::new(camera, sw as f64, sh as f64);
        let guard = (sw.max(sh) as f64) * 2.0 + 64.0;
        Canvas {
            planes: Planes {
                near: view.perspective.then_some(view.near),
                lo: -guard,
                hi_x: sw as f64 + guard,
                hi_y: sh as f64 + guard,
            },
            view,
            ss: target.supersampling() as f64,
            distance: camera.distance.abs(),
            target,
            scratch,
        }
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    /// Draws a mesh: filled and lit, with optional lines over it, or as a wireframe.
    pub fn mesh(&mut self, verts: &Vertices, topo: &Topology, style: &MeshStyle) {
        let n = verts.len();
        let mut sc = std::mem::take(self.scratch);
        sc.clip.clear();
        sc.codes.clear();
        sc.screen.clear();
        let per_vertex_light = style.shading == Shading::Smooth || !style.fill;
        // Each vertex is projected, lit and classified once, not once per triangle.
        for k in 0..n {
            let p = verts.positions[k];
            if !p.is_finite() {
                sc.clip.push(ClipVertex {
                    h: self.view.homogeneous(Vec3::ZERO),
                    c: [0.0; 3],
                });
                sc.codes.push(HOLE);
                sc.screen.push(ScreenVertex::default());
                continue;
            }
            let h = self.view.homogeneous(p);
            let c = if per_vertex_light {
                self.lit(p, verts.normals[k], verts.values[k], style)
            } else {
                [0.0; 3]
            };
            let v = ClipVertex { h, c };
            let code = self.planes.outcode(&h);
            sc.screen.push(if code == 0 {
                self.screen(&v, false)
            } else {
                ScreenVertex::default()
            });
            sc.clip.push(v);
            sc.codes.push(code);
        }
        if style.fill {
            // Roughly front to back (of the two ends of the list, the nearer first):
            // hidden samples then fail the depth test before their colour is computed.
            let depth_of = |t: Option<&[u32; 3]>| {
                t.map(|t| t[0] as usize)
                    .filter(|&i| i < n)
                    .map_or(0.0, |i| sc.clip[i].h.depth)
            };
            let reverse = depth_of(topo.triangles.last()) < depth_of(topo.triangles.first());
            // Triangles inside every plane share the projected vertices.
            let base = self.target.vertices(&sc.screen);
            let order: &mut dyn Iterator<Item = &[u32; 3]> = if reverse {
                &mut topo.triangles.iter().rev()
            } else {
                &mut topo.triangles.iter()
            };
            for tri in order {
                let [a, b, c] = tri.map(|i| i as usize);
                if a >= n || b >= n || c >= n {
                    continue;
                }
                let (ca, cb, cc) = (sc.codes[a], sc.codes[b], sc.codes[c]);
                if (ca | cb | cc) & HOLE != 0 || ca & cb & cc != 0 {
                    continue;
                }
                let flat = (style.shading == Shading::Flat).then(|| {
                    let [pa, pb, pc] = [a, b, c].map(|i| verts.positions[i]);
                    let normal = (pb - pa).cross(pc - pa).normalized();
                    let centre = (pa + pb + pc) * (1.0 / 3.0);
                    let value = (verts.values[a] + verts.values[b] + verts.values[c]) / 3.0;
                    self.lit(centre, normal, value, style)
                });
                if ca | cb | cc == 0 {
                    match flat {
                        Some(col) => {
                            let mut s = [sc.screen[a], sc.screen[b], sc.screen[c]];
                            s.iter_mut().for_each(|v| v.c = col);
                            self.target.triangle(s);
                        }
                        None => self.target.indexed([a, b, c].map(|i| base + i as u32)),
                    }
                } else {
                    let mut vs = [sc.clip[a], sc.clip[b], sc.clip[c]];
                    if let Some(col) = flat {
                        vs.iter_mut().for_each(|v| v.c = col);
                    }
                    self.clipped_triangle(vs);
                }
            }
        }
        let lines = match (style.fill, style.mesh_lines) {
            (true, Some(l)) => Some((Some(l.color), l.width, true)),
            (true, None) => None,
            (false, _) if style.wire_width > 0.0 => Some((None, style.wire_width, false)),
            (false, _) => None,
        };
        if let Some((color, width, biased)) = lines {
            for e in &topo.edges {
                let [a, b] = e.map(|i| i as usize);
                if a >= n || b >= n || (sc.codes[a] | sc.codes[b]) & HOLE != 0 {
                    continue;
                }
                let (mut va, mut vb) = (sc.clip[a], sc.clip[b]);
                if let Some(c) = color {
                    va.c = c;
                    vb.c = c;
                }
                self.clipped_line(va, vb, width, biased);
            }
        }
        *self.scratch = sc;
    }

    /// A polyline through `points`, point `k` in `colors[k]`; `width` in output
    /// pixels. Segments touching a non-finite point are left out.
    pub fn polyline(&mut self, points: &[Vec3], colors: &[[f32; 3]], width: f64) {
        for (k, pair) in points.windows(2).enumerate() {
            if pair[0].is_finite() && pair[1].is_finite() {
                let color = |i: usize| colors.get(i).copied().unwrap_or([0.0; 3]);
                let a = ClipVertex {
                    h: self.view.homogeneous(pair[0]),
                    c: color(k),
                };
                let b = ClipVertex {
                    h: self.view.homogeneous(pair[1]),
                    c: color(k + 1),
                };
                self.clipped_line(a, b, width, false);
            }
        }
    }

    /// The twelve edges of a box, drawn over whatever they pass in front of.
    pub fn outline(&mut self, bounds: &Bounds, style: LineStyle) {
        if bounds.is_empty() {
            return;
        }
        let corners = bounds.corners();
        for [a, b] in Bounds::EDGES {
            let va = ClipVertex {
                h: self.view.homogeneous(corners[a]),
                c: style.color,
            };
            let vb = ClipVertex {
                h: self.view.homogeneous(corners[b]),
                c: style.color,
            };
            self.clipped_line(va, vb, style.width, true);
        }
    }

    fn lit(&self, p: Vec3, n: Vec3, value: f64, style: &MeshStyle) -> [f32; 3] {
        let to_eye = self.view.towards_eye(p);
        let light = &style.light;
        let to_light = if light.is_headlight() {
            to_eye
        } else {
            let (sa, ca) = light.azimuth.to_radians().sin_cos();
            let (se, ce) = light.elevation.to_radians().sin_cos();
            (-self.view.forward * (ce * ca) + self.view.right * (ce * sa) + self.view.up * se)
                .normalized()
        };
        shade(style.paint.base(value), n, to_eye, to_light, light)
    }

    fn screen(&self, v: &ClipVertex, biased: bool) -> ScreenVertex {
        let h = &v.h;
        let (x, y) = ((h.hx / h.hw) as f32, (h.hy / h.hw) as f32);
        let depth = if biased {
            h.depth - LINE_BIAS * self.distance
        } else {
            h.depth
        };
        let (z, iw) = if self.view.perspective {
            let d = depth.max(self.view.near * 0.5);
            (-(1.0 / d) as f32, (1.0 / h.hw) as f32)
        } else {
            (depth as f32, 1.0)
        };
        ScreenVertex {
            x,
            y,
            z,
            iw,
            c: v.c,
        }
    }

    fn clipped_triangle(&mut self, vs: [ClipVertex; 3]) {
        let p = &self.planes;
        if vs.iter().all(|v| p.inside(&v.h)) {
            let s = vs.map(|v| self.screen(&v, false));
            self.target.triangle(s);
            return;
        }
        // Sutherland-Hodgman against each plane; a triangle gains at most one vertex a
        // plane. Intersections are computed from the inside vertex towards the outside
        // one, so neighbours sharing a clipped edge get bit-identical points.
        let mut poly = [vs[0]; 3 + Planes::COUNT];
        let mut next = poly;
        poly[..3].copy_from_slice(&vs);
        let mut len = 3;
        for plane in 0..Planes::COUNT {
            let mut out = 0;
            for i in 0..len {
                let a = &poly[i];
                let b = &poly[(i + 1) % len];
                let da = p.distance(plane, &a.h);
                let db = p.distance(plane, &b.h);
                if da >= 0.0 {
                    next[out] = *a;
                    out += 1;
                }
                if (da >= 0.0) != (db >= 0.0) {
                    next[out] = if da >= 0.0 {
                        ClipVertex::lerp(a, b, da / (da - db))
                    } else {
                        ClipVertex::lerp(b, a, db / (db - da))
                    };
                    out += 1;
                }
            }
            std::mem::swap(&mut poly, &mut next);
            len = out;
            if len < 3 {
                return;
            }
        }
        let s0 = self.screen(&poly[0], false);
        for i in 1..len - 1 {
            let s1 = self.screen(&poly[i], false);
            let s2 = self.screen(&poly[i + 1], false);
            self.target.triangle([s0, s1, s2]);
        }
    }

    fn clipped_line(&mut self, a: ClipVertex, b: ClipVertex, width: f64, biased: bool) {
        let p = &self.planes;
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for plane in 0..Planes::COUNT {
            let da = p.distance(plane, &a.h);
            let db = p.distance(plane, &b.h);
            if da < 0.0 && db < 0.0 {
                return;
            }
            if da < 0.0 {
                t0 = t0.max(da / (da - db));
            } else if db < 0.0 {
                t1 = t1.min(da / (da - db));
            }
        }
        if t0 > t1 {
            return;
        }
        let ca = if t0 > 0.0 {
            ClipVertex::lerp(&a, &b, t0)
        } else {
            a
        };
        let cb = if t1 < 1.0 {
            ClipVertex::lerp(&a, &b, t1)
        } else {
            b
        };
        let sa = self.screen(&ca, biased);
        let sb = self.screen(&cb, biased);
        self.target.line(sa, sb, (width * self.ss) as f32);
    }
}

/// Renders into `out` (premultiplied RGBA8, `w × h`) with the given buffers: `draw`
/// gets a canvas cleared to `background` (premultiplied) with `ss × ss` samples a pixel.
#[allow(clippy::too_many_arguments)]
pub fn render(
    out: &mut [u8],
    w: usize,
    h: usize,
    ss: usize,
    background: [u8; 4],
    camera: &Camera,
    target: &mut Target,
    scratch: &mut Scratch,
    draw: impl FnOnce(&mut Canvas),
) {
    target.reset(w, h, ss, background);
    let mut canvas = Canvas::new(camera, target, scratch);
    draw(&mut canvas);
    target.resolve(out);
}
