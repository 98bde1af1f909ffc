//! `kind = "surface"`: a height field z = f(x, y, t), or heights from the frames of a
//! NumPy array (matplotlib's `plot_surface(X, Y, Z)` of a simulation's output), shaded
//! and lit, seen by an animatable camera (Mayavi's `mlab.mesh`/`mlab.surf`, Vispy's
//! `SurfacePlot`).

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::view3d::zlim::widen;
use super::view3d::{
    self, finite_range, CameraParams, CameraSpec, LightSpec, LinesSpec, Look, LookSpec,
    OutlineSpec, ShadingSpec, Toggle, Zlim, ZlimSpec,
};
use crate::base::diag::{At, Diagnostic};
use crate::base::error::RenderError;
use crate::base::frame::{blank, RenderResult, Size};
use crate::base::limits::shown;
use crate::base::pair::Pair;
use crate::chart::scale::Scale;
use crate::clip::build::{RawSize, ResolveCx};
use crate::clip::{Clip, RenderCx};
use crate::data::npy::Npy;
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
    z: Option<Spanned<String>>,
    x: Option<Spanned<Pair<RawParam>>>,
    y: Option<Spanned<Pair<RawParam>>>,
    resolution: Option<Spanned<Pair<RawParam>>>,
    npy: Option<Spanned<String>>,
    fps: Option<Spanned<RawParam>>,
    zlim: Option<Spanned<ZlimSpec>>,
    camera: Option<CameraSpec>,
    color: Option<Spanned<RawColor>>,
    colormap: Option<Spanned<String>>,
    norm: Option<Spanned<Scale>>,
    shading: Option<ShadingSpec>,
    light: Option<LightSpec>,
    wireframe: Option<bool>,
    mesh_lines: Option<Toggle<LinesSpec>>,
    outline: Option<Toggle<OutlineSpec>>,
    background: Option<Spanned<RawColor>>,
    antialias: Option<Spanned<RawParam>>,
}

/// Where the heights come from.
enum Heights {
    /// z(x, y, t).
    Formula(Expr),
    /// Frame after frame of an array at `fps` (row i at the i-th y), through `z`, an
    /// expression of the value `v` (and x, y, t) when one is given.
    Array {
        npy: Npy,
        fps: f64,
        z: Option<Expr>,
        /// Every grid point's x and y, row by row, for `z`.
        points: Option<(Vec<f64>, Vec<f64>)>,
    },
}

impl Heights {
    fn is_animated(&self) -> bool {
        match self {
            Heights::Formula(z) => z.is_animated(),
            Heights::Array { npy, z, .. } => {
                npy.frames > 1 || z.as_ref().is_some_and(Expr::is_animated)
            }
        }
    }

    /// The heights at `env` on the grid `xs` × `ys`, row by row (`ys` rows).
    fn fill(&self, env: &Env, xs: &[f64], ys: &[f64], out: &mut Vec<f64>) -> Result<(), String> {
        out.resize(xs.len() * ys.len(), 0.0);
        match self {
            Heights::Formula(z) => z.eval_grid(env, xs, ys, out),
            Heights::Array {
                npy,
                fps,
                z,
                points,
            } => {
                let i = crate::source::grid::Values::frame_index(env.t, npy, *fps);
                npy.scalar_frame(i, out)?;
                if let (Some(z), Some((px, py))) = (z, points) {
                    let v = std::mem::take(out);
                    out.resize(v.len(), 0.0);
                    z.eval_batch(env, &[px, py, &v], out);
                }
            }
        }
        Ok(())
    }
}

struct Surface {
    size: Size,
    duration: Option<f64>,
    rate: Option<f64>,
    heights: Heights,
    xs: Arc<[f64]>,
    ys: Arc<[f64]>,
    topology: Topology,
    zlim: Zlim,
    /// The box the camera frames (x and y ranges, heights over the animation).
    fit: Bounds,
    camera: CameraParams,
    look: Look,
    /// A log colour scale: heights ≤ 0 are left out (holes).
    log: bool,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let size = cx.size(&spec.size)?;
    let duration = cx.duration(spec.duration.as_ref())?;
    let source = match (&spec.z, &spec.npy) {
        (_, Some(file)) => array_heights(&spec, file, cx)?,
        (Some(z), None) => formula_heights(&spec, z, cx)?,
        (None, None) => return Err(Diagnostic::new(
            "a surface needs `z` (an expression of x, y and t) or `npy` (a NumPy file of heights)",
        )),
    };
    let Source {
        heights,
        x: (x0, x1),
        y: (y0, y1),
        grid: (nx, ny),
        duration: own_duration,
        rate,
    } = source;
    let duration = duration.or(own_duration);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    linspace(x0, x1, nx, &mut xs);
    linspace(y0, y1, ny, &mut ys);

    // A log colour scale shows positive heights only: its range is theirs.
    let log = spec
        .norm
        .as_ref()
        .is_some_and(|n| *n.get_ref() == Scale::Log);
    let shown_range = |v: &[f64]| {
        if log {
            view3d::finite_range(
                &v.iter()
                    .map(|&z| if z > 0.0 { z } else { f64::NAN })
                    .collect::<Vec<_>>(),
            )
        } else {
            finite_range(v)
        }
    };
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
            heights.is_animated(),
            (MEASURE_BUDGET / (nx * ny)).max(1),
        );
        let fps = cx.fps;
        let range = |times: &[f64]| {
            let mut out = Vec::new();
            let mut range: Option<(f64, f64)> = None;
            for &t in times {
                // A frame that cannot be read is reported when it is drawn.
                if heights
                    .fill(&Env::new(t, duration, fps), &xs, &ys, &mut out)
                    .is_ok()
                {
                    range = view3d::union(range, shown_range(&out));
                }
            }
            range
        };
        let found = view3d::measure_over(cx.threads, &times, range, view3d::union);
        widen(found.flatten().unwrap_or((0.0, 0.0)))
    };
    let (zlim, (z0, z1)) = view3d::zlim::zlim(spec.zlim.as_ref(), duration, cx, measure)?;
    let given = spec
        .zlim
        .as_ref()
        .filter(|z| matches!(z.get_ref(), view3d::zlim::ZlimSpec::Given(..)));
    if let (true, Some(raw), view3d::zlim::Zlim::Fixed(lo, _)) = (log, given, &zlim) {
        if *lo <= 0.0 {
            return Err(Diagnostic::at(
                format!(
                    "`zlim` starts at {}, and a log colour scale (`norm = \"log\"`) shows \
                     positive heights only",
                    shown(*lo)
                ),
                raw.span(),
            )
            .with_hint(
                "give a positive low end, or leave `zlim` out to take the positive heights' \
                 range",
            ));
        }
    }
    if let (true, Heights::Formula(_), Some(z)) = (drawn, &heights, &spec.z) {
        let mut out = Vec::new();
        let at_start = Env::new(0.0, duration, cx.fps);
        if heights.fill(&at_start, &xs, &ys, &mut out).is_ok() {
            if let Some(w) = lone_holes(&out, &xs, &ys, z.span()) {
                cx.warn(w);
            }
        }
    }

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
    )?
    .with_log(log);
    if let Some(n) = spec.norm.as_ref().filter(|_| !look.has_map()) {
        return Err(Diagnostic::at(
            "`norm` is how heights lie on the colormap, and this surface has one `color`",
            n.span(),
        )
        .with_hint("leave out `color` to colour by height, or leave out `norm`"));
    }
    let every = look.every();
    let topology = Topology::grid(nx, ny, every);
    // Kept for the whole render, used or not: counted with the pictures.
    let (at, fewer) = match (&spec.resolution, &spec.npy) {
        (Some(r), _) => (r.span(), "lower its `resolution`"),
        (None, Some(n)) => (n.span(), "give it a smaller array"),
        (None, None) => (spec.size.span(), "lower its `resolution`"),
    };
    cx.hold(mesh_bytes(&topology), at).map_err(|d| {
        d.with_hint(format!(
            "a surface keeps its mesh (two triangles a grid cell): {fewer}, or use fewer surfaces"
        ))
    })?;
    Ok(Arc::new(Surface {
        size,
        duration,
        rate,
        heights,
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
        log,
    }))
}

/// A warning for grid points where the heights are not numbers but all four
/// neighbours are: a hole nobody meant, as `sin(r)/r` makes at r = 0 (0/0), where a
/// region of NaN (a hemisphere's outside) is a shape. `None` when there is none.
fn lone_holes(z: &[f64], xs: &[f64], ys: &[f64], at: std::ops::Range<usize>) -> Option<Diagnostic> {
    let (nx, ny) = (xs.len(), ys.len());
    let number = |i: usize, j: usize| z[j * nx + i].is_finite();
    let lone = (0..ny)
        .flat_map(|j| (0..nx).map(move |i| (i, j)))
        .filter(|&(i, j)| {
            !number(i, j)
                && (i == 0 || number(i - 1, j))
                && (i + 1 == nx || number(i + 1, j))
                && (j == 0 || number(i, j - 1))
                && (j + 1 == ny || number(i, j + 1))
        });
    let (mut first, mut count) = (None, 0usize);
    for p in lone {
        first.get_or_insert(p);
        count += 1;
    }
    let (i, j) = first?;
    let others = match count {
        1 => String::new(),
        2 => " (and 1 other)".to_string(),
        n => format!(" (and {} others)", n - 1),
    };
    let shown = crate::base::limits::shown;
    Some(
        Diagnostic::at(
            format!(
                "`z` is not a number at the grid point x = {}, y = {}{others} at t = 0, \
                 where its neighbours are: the triangles around it are not drawn, a hole \
                 in the surface",
                shown(xs[i]),
                shown(ys[j])
            ),
            at,
        )
        .with_hint(
            "`sin(r)/r` is 0/0 at r = 0: write `sinc(r/pi)` (1 at 0); or keep the grid off \
             the point (an even `resolution` over a range centred on 0)",
        ),
    )
}

/// What the heights are and the grid they lie on.
struct Source {
    heights: Heights,
    x: (f64, f64),
    y: (f64, f64),
    /// Grid points along x and y.
    grid: (usize, usize),
    /// An array's own length, when the clip gives none.
    duration: Option<f64>,
    /// An array's `fps` when written: the clip's own rate.
    rate: Option<f64>,
}

fn formula_heights(
    spec: &Spec,
    z: &Spanned<String>,
    cx: &mut ResolveCx,
) -> Result<Source, Diagnostic> {
    if let Some(fps) = &spec.fps {
        return Err(Diagnostic::at(
            "`fps` is for surfaces given by `npy` (array frames per second)",
            fps.span(),
        )
        .with_hint(
            "a scene has one frame rate, `[output] fps = 20` (or `render --fps 20`); a \
             formula is drawn at every frame of it",
        ));
    }
    let (x, y) = match (&spec.x, &spec.y) {
        (Some(x), Some(y)) => (x, y),
        _ => {
            return Err(Diagnostic::at(
                "a surface z(x, y) needs `x = [min, max]` and `y = [min, max]`",
                z.span(),
            ))
        }
    };
    let x = view3d::axis_range(x, "x", cx)?;
    let y = view3d::axis_range(y, "y", cx)?;
    let grid = match &spec.resolution {
        Some(r) => {
            let (nx, ny) = (r.get_ref().first(), r.get_ref().second());
            let whole = |n| cx.count(n, "resolution", 2, MAX_POINTS as i64);
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
    Ok(Source {
        heights: Heights::Formula(Expr::compile(z, &cx.scope, &["x", "y"])?),
        x,
        y,
        grid,
        duration: None,
        rate: None,
    })
}

/// Heights from a NumPy file: its frames' H × W values, row i at the i-th y (as
/// `np.meshgrid(x, y)` lays out `Z`); x and y by default the column and row numbers.
fn array_heights(
    spec: &Spec,
    file: &Spanned<String>,
    cx: &mut ResolveCx,
) -> Result<Source, Diagnostic> {
    if let Some(r) = &spec.resolution {
        return Err(Diagnostic::at(
            "`resolution` is for surfaces given by a formula: an array's grid is its own",
            r.span(),
        ));
    }
    let path = cx.input_path(file)?;
    let npy = Npy::open(&path, file.get_ref()).at(file.span())?;
    if npy.rgb {
        return Err(Diagnostic::at(
            format!(
                "{} holds pictures (its last axis is 3 or 4): a surface's heights are values, T×H×W or H×W",
                file.get_ref(),
            ),
            file.span(),
        ));
    }
    let (w, h) = (npy.width, npy.height);
    if w < 2 || h < 2 || (w as u64) * (h as u64) > MAX_POINTS {
        return Err(Diagnostic::at(
            format!(
                "{}: a surface needs 2 to {MAX_POINTS} grid points in all, at least 2 a side; its frames are {w}×{h}",
                file.get_ref()
            ),
            file.span(),
        ));
    }
    let range = |raw: &Option<Spanned<Pair<RawParam>>>, name: &str, n: usize| match raw {
        Some(r) => view3d::axis_range(r, name, cx),
        None => Ok((0.0, (n - 1) as f64)),
    };
    let (x, y) = (range(&spec.x, "x", w)?, range(&spec.y, "y", h)?);
    let rate = spec.fps.as_ref().map(|f| cx.rate(f)).transpose()?;
    let fps = rate.unwrap_or(cx.fps);
    let z = spec
        .z
        .as_ref()
        .map(|z| Expr::compile(z, &cx.scope, &["x", "y", "v"]))
        .transpose()?;
    let points = z.as_ref().map(|_| {
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        linspace(x.0, x.1, w, &mut xs);
        linspace(y.0, y.1, h, &mut ys);
        let px = ys.iter().flat_map(|_| xs.iter().copied()).collect();
        let py = ys.iter().flat_map(|&y| std::iter::repeat_n(y, w)).collect();
        (px, py)
    });
    let duration = Some(npy.frames as f64 / fps);
    Ok(Source {
        heights: Heights::Array {
            npy,
            fps,
            z,
            points,
        },
        x,
        y,
        grid: (w, h),
        duration,
        rate,
    })
}

/// The bytes a mesh's triangles and lines take.
fn mesh_bytes(t: &Topology) -> u64 {
    (t.triangles.len() * std::mem::size_of::<[u32; 3]>()
        + t.edges.len() * std::mem::size_of::<[u32; 2]>()) as u64
}

impl Surface {
    fn draw(&self, env: &Env, ws: &mut Workspace, out: &mut [u8]) -> Result<(), String> {
        let Workspace {
            target,
            scratch,
            heights,
            vertices,
            ..
        } = ws;
        self.heights.fill(env, &self.xs, &self.ys, heights)?;
        if self.log {
            // No place on a log colour scale: holes, as matplotlib leaves the faces of
            // masked values in its transparent "bad" colour.
            for z in heights.iter_mut().filter(|z| **z <= 0.0) {
                *z = f64::NAN;
            }
        }
        grid_vertices(&self.xs, &self.ys, heights, vertices);
        let (mut lo, mut hi) = self.zlim.at(env, heights);
        if self.log && lo <= 0.0 {
            // An animated `zlim` whose low end is not positive at this instant: the
            // frame's own positive heights, as a field's moving `vmin` ≤ 0 is found.
            (lo, hi) = widen(finite_range(heights).unwrap_or((0.0, 0.0)));
        }
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
        Ok(())
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
    fn rate(&self) -> Option<f64> {
        self.rate
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let env = Env::new(t, self.duration, cx.fps);
        let mut frame = blank(self.size);
        workspace::with(self.need(), |ws| self.draw(&env, ws, frame.data_mut()))
            .map_err(RenderError)?;
        Ok(frame)
    }
}
