//! `kind = "curve3d"`: a parametric curve x(u, t), y(u, t), z(u, t), drawn as a lit
//! tube (Mayavi's `mlab.plot3d`) or as an anti-aliased line, seen by an animatable
//! camera.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::surface::widen;
use super::view3d::{
    self, finite_range, unit_rgb, CameraParams, CameraSpec, LightSpec, LinesSpec, Look, LookSpec,
    OutlineSpec, Painter, ShadingSpec, Toggle, Zlim, ZlimSpec,
};
use crate::clip::{blank, Clip, RenderCx, RenderResult, Size};
use crate::color::Rgba;
use crate::expr::{Env, Expr, RawParam, Scalar};
use crate::render3d::draw::render;
use crate::render3d::math::{Bounds, Vec3};
use crate::render3d::mesh::{linspace, Topology};
use crate::render3d::tube;
use crate::render3d::workspace::{self, Workspace};
use crate::scene::diag::Diagnostic;
use crate::scene::limits;
use crate::scene::resolve::ResolveCx;

/// Samples along the curve when `samples` is not given.
pub const DEFAULT_SAMPLES: i64 = 200;
pub const MAX_SAMPLES: i64 = 100_000;
/// At most this many tube vertices (samples × sides).
const MAX_TUBE_VERTICES: i64 = 1_000_000;
/// Mayavi's `plot3d` tube: radius 0.025, 6 sides.
pub const DEFAULT_RADIUS: f64 = 0.025;
pub const DEFAULT_SIDES: i64 = 6;
/// The default colour of a curve (a steel blue).
pub const DEFAULT_COLOR: Rgba = Rgba([70, 130, 180, 255]);
const MEASURE_BUDGET: usize = 20_000_000;

/// `tube = { radius, sides }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TubeSpec {
    radius: Option<Spanned<RawParam>>,
    sides: Option<Spanned<i64>>,
}

/// `line = { width }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    width: Option<Spanned<RawParam>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    size: Spanned<[u32; 2]>,
    duration: Option<Spanned<RawParam>>,
    x: Spanned<Scalar>,
    y: Spanned<Scalar>,
    z: Spanned<Scalar>,
    u: Spanned<[Spanned<RawParam>; 2]>,
    samples: Option<Spanned<i64>>,
    tube: Option<Spanned<TubeSpec>>,
    line: Option<Spanned<LineSpec>>,
    zlim: Option<Spanned<ZlimSpec>>,
    camera: Option<CameraSpec>,
    color: Option<Spanned<Rgba>>,
    colormap: Option<Spanned<String>>,
    shading: Option<ShadingSpec>,
    light: Option<LightSpec>,
    wireframe: Option<bool>,
    mesh_lines: Option<Toggle<LinesSpec>>,
    outline: Option<Toggle<OutlineSpec>>,
    background: Option<Rgba>,
    antialias: Option<Spanned<i64>>,
}

enum Draw {
    Tube {
        radius: f64,
        sides: usize,
        open: Topology,
        closed: Topology,
    },
    Line {
        width: f64,
    },
}

struct Curve {
    size: Size,
    duration: Option<f64>,
    us: Arc<[f64]>,
    xyz: [Expr; 3],
    draw: Draw,
    zlim: Zlim,
    fit: Bounds,
    camera: CameraParams,
    look: Look,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let size = limits::size(&spec.size)?;
    let duration = cx.duration(spec.duration.as_ref())?;
    let [u0, u1] = spec.u.get_ref();
    let u0 = cx.constant(u0, "u", f64::NEG_INFINITY, false)?;
    let u1 = cx.constant(u1, "u", f64::NEG_INFINITY, false)?;
    if u0 == u1 {
        return Err(Diagnostic::at(
            format!("u must be a range [start, end] of two different numbers, not [{u0}, {u1}]"),
            spec.u.span(),
        ));
    }
    let samples = match &spec.samples {
        Some(n) if !(2..=MAX_SAMPLES).contains(n.get_ref()) => {
            return Err(Diagnostic::at(
                format!("samples must be 2 to {MAX_SAMPLES}, not {}", n.get_ref()),
                n.span(),
            ))
        }
        Some(n) => *n.get_ref() as usize,
        None => DEFAULT_SAMPLES as usize,
    };
    let xyz = [&spec.x, &spec.y, &spec.z].map(|e| Expr::compile_scalar(e, &cx.scope, &["u"]));
    let [x, y, z] = xyz;
    let xyz = [x?, y?, z?];
    let mut us = Vec::new();
    linspace(u0, u1, samples, &mut us);

    let draw = match (&spec.tube, &spec.line) {
        (Some(_), Some(line)) => {
            return Err(Diagnostic::at(
                "a curve is drawn either as a `tube` or as a `line`, not both",
                line.span(),
            ))
        }
        (_, Some(line)) => {
            let width = match &line.get_ref().width {
                Some(w) => {
                    let v = cx.constant(w, "width", 0.0, false)?;
                    if v > 100.0 {
                        return Err(Diagnostic::at(
                            format!("width must be at most 100 pixels, not {v}"),
                            w.span(),
                        ));
                    }
                    v
                }
                None => 2.0,
            };
            Draw::Line { width }
        }
        (tube, None) => {
            let t = tube.as_ref().map(|t| t.get_ref());
            let radius = match t.and_then(|t| t.radius.as_ref()) {
                Some(r) => cx.constant(r, "radius", 0.0, false)?,
                None => DEFAULT_RADIUS,
            };
            let sides = match t.and_then(|t| t.sides.as_ref()) {
                Some(s) if !(3..=64).contains(s.get_ref()) => {
                    return Err(Diagnostic::at(
                        format!("sides must be 3 to 64, not {}", s.get_ref()),
                        s.span(),
                    ))
                }
                Some(s) => *s.get_ref() as usize,
                None => DEFAULT_SIDES as usize,
            };
            if (samples * sides) as i64 > MAX_TUBE_VERTICES {
                return Err(Diagnostic::at(
                    format!("samples × sides may be at most {MAX_TUBE_VERTICES}"),
                    spec.samples.as_ref().map_or(spec.u.span(), |s| s.span()),
                ));
            }
            Draw::Tube {
                radius,
                sides,
                open: tube::topology(samples, sides, false),
                closed: tube::topology(samples - 1, sides, true),
            }
        }
    };

    // The curve's extent over the animation frames the camera.
    let animated = xyz.iter().any(|e| e.is_animated());
    let times = view3d::sample_times(
        duration,
        cx.fps,
        animated,
        (MEASURE_BUDGET / samples).max(1),
    );
    let mut fit = Bounds::EMPTY;
    let mut pts = Vec::new();
    for t in times {
        points(&xyz, &us, &Env::new(t, duration, cx.fps), &mut pts);
        for p in &pts {
            fit.add(*p);
        }
    }
    if fit.is_empty() {
        fit = Bounds::new(Vec3::ZERO, Vec3::ZERO);
    }
    if let Draw::Tube { radius, .. } = draw {
        let r = Vec3::new(radius, radius, radius);
        fit = Bounds::new(fit.min - r, fit.max + r);
    }
    let auto = widen((fit.min.z, fit.max.z));
    let (zlim, _) = view3d::zlim(spec.zlim.as_ref(), cx, || auto)?;

    let look = Look::compile(
        LookSpec {
            color: spec.color.as_ref(),
            colormap: spec.colormap.as_ref(),
            default_colormap: view3d::DEFAULT_COLORMAP,
            light: spec.light.as_ref(),
            shading: spec.shading,
            wireframe: spec.wireframe.unwrap_or(false),
            mesh_lines: spec.mesh_lines.as_ref(),
            outline: spec.outline.as_ref(),
            background: spec.background,
            antialias: spec.antialias.as_ref(),
        },
        size,
        cx,
    )?;
    let mut look = look;
    if spec.color.is_none() && spec.colormap.is_none() {
        look.paint = Painter::Solid(unit_rgb(DEFAULT_COLOR));
    }
    Ok(Arc::new(Curve {
        size,
        duration,
        us: us.into(),
        xyz,
        draw,
        zlim,
        fit,
        camera: CameraParams::compile(spec.camera.as_ref(), cx)?,
        look,
    }))
}

/// The curve's points at `env`.
fn points(xyz: &[Expr; 3], us: &[f64], env: &Env, out: &mut Vec<Vec3>) {
    let n = us.len();
    let mut c = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
    for (e, o) in xyz.iter().zip(c.iter_mut()) {
        e.eval_batch(env, &[us], o);
    }
    out.clear();
    out.extend((0..n).map(|k| Vec3::new(c[0][k], c[1][k], c[2][k])));
}

impl Curve {
    fn draw(&self, env: &Env, ws: &mut Workspace, out: &mut [u8]) {
        let Workspace {
            target,
            scratch,
            vertices,
            points: pts,
            values,
            colors,
            ..
        } = ws;
        points(&self.xyz, &self.us, env, pts);
        values.clear();
        values.extend(pts.iter().map(|p| p.z));
        let (lo, hi) = match self.zlim {
            Zlim::Fixed(lo, hi) => (lo, hi),
            Zlim::Frame => widen(finite_range(values).unwrap_or((0.0, 0.0))),
        };
        let mut box_ = self.fit;
        box_.min.z = lo;
        box_.max.z = hi;
        let aspect = self.size.w as f64 / self.size.h as f64;
        let camera = self.camera.at(env, &self.fit, aspect);
        let style = self.look.mesh_style(env, lo, hi);
        let outline = self.look.outline;
        let closed = tube::is_closed(pts);
        match &self.draw {
            Draw::Tube { radius, sides, .. } => {
                let n = if closed { pts.len() - 1 } else { pts.len() };
                tube::vertices(&pts[..n], &values[..n], *radius, *sides, closed, vertices);
            }
            Draw::Line { .. } => {
                colors.clear();
                colors.extend(values.iter().map(|&v| style.paint.base(v)));
            }
        }
        render(
            out,
            self.size.w as usize,
            self.size.h as usize,
            self.look.antialias,
            self.look.background_premultiplied(),
            &camera,
            target,
            scratch,
            |c| {
                match &self.draw {
                    Draw::Tube {
                        open, closed: ring, ..
                    } => {
                        let topo = if closed { ring } else { open };
                        c.mesh(vertices, topo, &style);
                    }
                    Draw::Line { width } => c.polyline(pts, colors, *width),
                }
                if let Some(o) = outline {
                    c.outline(&box_, o);
                }
            },
        );
    }

    /// The memory a frame takes, for the workspace budget.
    fn need(&self) -> u64 {
        let aa = self.look.antialias as u64;
        let samples = self.size.w as u64 * self.size.h as u64 * aa * aa;
        let n = self.us.len() as u64;
        let vertices = match self.draw {
            Draw::Tube { sides, .. } => n * sides as u64,
            Draw::Line { .. } => 0,
        };
        Workspace::estimate(samples, vertices, n)
    }
}

impl Clip for Curve {
    fn kind(&self) -> &'static str {
        "curve3d"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let env = Env::new(t, self.duration, cx.fps);
        let mut frame = blank(self.size);
        workspace::with(self.need(), |ws| self.draw(&env, ws, frame.data_mut()));
        Ok(frame)
    }
}
