//! `kind = "surface"`: a height field z = f(x, y, t), shaded and lit, seen by an
//! animatable camera (Mayavi's `mlab.mesh`/`mlab.surf`, Vispy's `SurfacePlot`).

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::view3d::zlim::widen;
use super::view3d::{
    self, finite_range, CameraParams, CameraSpec, LightSpec, LinesSpec, Look, LookSpec,
    OutlineSpec, ShadingSpec, Toggle, Zlim, ZlimSpec,
};
use crate::base::diag::Diagnostic;
use crate::base::frame::{blank, RenderResult, Size};
use crate::base::pair::Pair;
use crate::clip::build::{RawSize, ResolveCx};
use crate::clip::{Clip, RenderCx};
use crate::expr::{Env, Expr, RawColor, RawParam};
use crate::render3d::draw::render;
use crate::render3d::math::{Bounds, Vec3};
use crate::render3d::mesh::{grid_vertices, linspace, Topology};
use crate::render3d::workspace::{self, Workspace};

/// Grid points per axis when `resolution` is not given.
pub const DEFAULT_RESOLUTION: u32 = 100;
/// At most this many grid points in all.
pub const MAX_POINTS: u64 = 1_000_000;
/// At most this many heights computed at resolve time to measure the z range.
const MEASURE_BUDGET: usize = 20_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    size: RawSize,
    duration: Option<Spanned<RawParam>>,
    z: Spanned<String>,
    x: Spanned<Pair<RawParam>>,
    y: Spanned<Pair<RawParam>>,
    resolution: Option<Spanned<Pair<RawParam>>>,
    zlim: Option<Spanned<ZlimSpec>>,
    camera: Option<CameraSpec>,
    color: Option<Spanned<RawColor>>,
    colormap: Option<Spanned<String>>,
    shading: Option<ShadingSpec>,
    light: Option<LightSpec>,
    wireframe: Option<bool>,
    mesh_lines: Option<Toggle<LinesSpec>>,
    outline: Option<Toggle<OutlineSpec>>,
    background: Option<Spanned<RawColor>>,
    antialias: Option<Spanned<RawParam>>,
}

struct Surface {
    size: Size,
    duration: Option<f64>,
    z: Expr,
    xs: Arc<[f64]>,
    ys: Arc<[f64]>,
    topology: Topology,
    zlim: Zlim,
    /// The box the camera frames (x and y ranges, heights over the animation).
    fit: Bounds,
    camera: CameraParams,
    look: Look,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let size = cx.size(&spec.size)?;
    let duration = cx.duration(spec.duration.as_ref())?;
    let (x0, x1) = view3d::axis_range(&spec.x, "x", cx)?;
    let (y0, y1) = view3d::axis_range(&spec.y, "y", cx)?;
    let (nx, ny) = match &spec.resolution {
        Some(r) => {
            let (nx, ny) = (r.get_ref().first(), r.get_ref().second());
            let whole = |n| view3d::count(n, "resolution", 2, MAX_POINTS as i64, cx);
            let (nx, ny) = (whole(nx)?, whole(ny)?);
            if (nx as u64) * (ny as u64) > MAX_POINTS {
                return Err(Diagnostic::at(
                    format!("resolution must be at most {MAX_POINTS} points in all, not {nx}×{ny}"),
                    r.span(),
                ));
            }
            (nx as usize, ny as usize)
        }
        None => (DEFAULT_RESOLUTION as usize, DEFAULT_RESOLUTION as usize),
    };
    let z = Expr::compile(&spec.z, &cx.scope, &["x", "y"])?;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    linspace(x0, x1, nx, &mut xs);
    linspace(y0, y1, ny, &mut ys);

    // The heights' pass over the animation frames the camera; a surface nothing draws
    // (unused, or named for its size) skips it.
    let drawn = cx.may_draw();
    let measure = || {
        if !drawn {
            return widen((0.0, 0.0));
        }
        let times = view3d::sample_times(
            duration,
            cx.fps,
            z.is_animated(),
            (MEASURE_BUDGET / (nx * ny)).max(1),
        );
        let fps = cx.fps;
        let range = |times: &[f64]| {
            let mut out = vec![0.0; nx * ny];
            let mut range: Option<(f64, f64)> = None;
            for &t in times {
                z.eval_grid(&Env::new(t, duration, fps), &xs, &ys, &mut out);
                range = view3d::union(range, finite_range(&out));
            }
            range
        };
        let found = view3d::measure_over(cx.threads, &times, range, view3d::union);
        widen(found.flatten().unwrap_or((0.0, 0.0)))
    };
    let (zlim, (z0, z1)) = view3d::zlim::zlim(spec.zlim.as_ref(), duration, cx, measure)?;

    let wireframe = spec.wireframe.unwrap_or(false);
    let look = Look::compile(
        LookSpec {
            color: spec.color.as_ref(),
            colormap: spec.colormap.as_ref(),
            default_color: None,
            light: spec.light.as_ref(),
            shading: spec.shading,
            wireframe,
            mesh_lines: spec.mesh_lines.as_ref(),
            outline: spec.outline.as_ref(),
            background: spec.background.as_ref(),
            antialias: spec.antialias.as_ref(),
        },
        size,
        cx,
    )?;
    let every = look.every();
    let topology = Topology::grid(nx, ny, every);
    // Kept for the whole render, used or not: counted with the pictures.
    let at = match &spec.resolution {
        Some(r) => r.span(),
        None => spec.size.span(),
    };
    cx.hold(mesh_bytes(&topology), at).map_err(|d| {
        d.with_hint("a surface keeps its mesh (two triangles a grid cell): lower its `resolution`, or use fewer surfaces")
    })?;
    Ok(Arc::new(Surface {
        size,
        duration,
        z,
        xs: xs.into(),
        ys: ys.into(),
        topology,
        zlim,
        fit: Bounds::new(
            Vec3::new(x0.min(x1), y0.min(y1), z0),
            Vec3::new(x0.max(x1), y0.max(y1), z1),
        ),
        camera: CameraParams::compile(spec.camera.as_ref(), cx)?,
        look,
    }))
}

/// The bytes a mesh's triangles and lines take.
fn mesh_bytes(t: &Topology) -> u64 {
    (t.triangles.len() * std::mem::size_of::<[u32; 3]>()
        + t.edges.len() * std::mem::size_of::<[u32; 2]>()) as u64
}

impl Surface {
    fn draw(&self, env: &Env, ws: &mut Workspace, out: &mut [u8]) {
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let Workspace {
            target,
            scratch,
            heights,
            vertices,
            ..
        } = ws;
        heights.resize(nx * ny, 0.0);
        self.z.eval_grid(env, &self.xs, &self.ys, heights);
        grid_vertices(&self.xs, &self.ys, heights, vertices);
        let (lo, hi) = self.zlim.at(env, heights);
        let mut box_ = self.fit;
        box_.min.z = lo;
        box_.max.z = hi;
        let aspect = self.size.w as f64 / self.size.h as f64;
        let camera = self.camera.at(env, &self.fit, aspect);
        let look = self.look.at(env, lo, hi);
        render(
            out,
            self.size.w as usize,
            self.size.h as usize,
            self.look.antialias,
            look.background,
            &camera,
            target,
            scratch,
            |c| {
                c.mesh(vertices, &self.topology, &look.style);
                if let Some(o) = look.outline {
                    c.outline(&box_, o);
                }
            },
        );
    }

    /// The memory a frame takes, for the workspace budget.
    fn need(&self) -> u64 {
        let aa = self.look.antialias as u64;
        let samples = self.size.w as u64 * self.size.h as u64 * aa * aa;
        Workspace::estimate(samples, (self.xs.len() * self.ys.len()) as u64, 0)
    }
}

impl Clip for Surface {
    fn kind(&self) -> &'static str {
        "surface"
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
