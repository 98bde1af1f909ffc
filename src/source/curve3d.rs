//! `kind = "curve3d"`: a parametric curve x(u, t), y(u, t), z(u, t), or the rows of a
//! CSV file (a trajectory from data: x, y, z are then expressions of its columns),
//! drawn as a lit tube (Mayavi's `mlab.plot3d`) or as an anti-aliased line, seen by an
//! animatable camera.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::view3d::look::Width;
use super::view3d::zlim::widen;
use super::view3d::{
    self, CameraParams, CameraSpec, LightSpec, LinesSpec, Look, LookSpec, OutlineSpec, ShadingSpec,
    Toggle, Zlim, ZlimSpec,
};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::frame::{blank, RenderResult, Size};
use crate::base::limits::shown;
use crate::base::pair::Pair;
use crate::clip::build::{RawSize, ResolveCx};
use crate::clip::{Clip, RenderCx};
use crate::expr::{Env, Expr, Param, RawColor, RawParam, Scalar};
use crate::render3d::draw::render;
use crate::render3d::math::{Bounds, Vec3};
use crate::render3d::mesh::{linspace, Topology};
use crate::render3d::tube;
use crate::render3d::workspace::{self, Workspace};

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
/// Instants an animated tube radius is sampled at to find the box the camera frames.
const RADIUS_SAMPLES: usize = 1000;

/// `tube = { radius, sides }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TubeSpec {
    radius: Option<Spanned<RawParam>>,
    sides: Option<Spanned<RawParam>>,
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
    size: RawSize,
    duration: Option<Spanned<RawParam>>,
    x: Spanned<Scalar>,
    y: Spanned<Scalar>,
    z: Spanned<Scalar>,
    u: Option<Spanned<Pair<RawParam>>>,
    samples: Option<Spanned<RawParam>>,
    /// A CSV file whose rows are the curve's points.
    csv: Option<Spanned<String>>,
    tube: Option<Spanned<TubeSpec>>,
    line: Option<Spanned<LineSpec>>,
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

enum Draw {
    Tube {
        /// Scene units; no tube at an instant where it is 0 or less, or NaN.
        radius: Param,
        sides: usize,
        open: Topology,
        closed: Topology,
    },
    Line {
        width: Width,
    },
}

struct Curve {
    size: Size,
    duration: Option<f64>,
    us: Arc<[f64]>,
    /// The CSV file's columns the formulas may name (one value per row, as `us`).
    columns: Arc<[Vec<f64>]>,
    xyz: [Expr; 3],
    draw: Draw,
    zlim: Zlim,
    fit: Bounds,
    camera: CameraParams,
    look: Look,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let size = cx.size(&spec.size)?;
    let duration = cx.duration(spec.duration.as_ref())?;
    let mut us = Vec::new();
    let (names, columns) = match (&spec.csv, &spec.u) {
        (Some(csv), _) => {
            if let Some(extra) = [
                ("u", spec.u.as_ref().map(|u| u.span())),
                ("samples", spec.samples.as_ref().map(|n| n.span())),
            ]
            .into_iter()
            .find_map(|(key, at)| at.map(|at| (key, at)))
            {
                return Err(Diagnostic::at(
                    format!("with `csv`, the curve's points are the file's rows: `{}` is not given", extra.0),
                    extra.1,
                )
                .with_hint("`u` is then the row's number, from 0; x, y and z name the columns, e.g. x = \"x\""));
            }
            let (names, columns) = csv_columns(csv, [&spec.x, &spec.y, &spec.z], cx)?;
            let rows = columns.first().map_or(0, Vec::len);
            us.extend((0..rows).map(|i| i as f64));
            (names, columns)
        }
        (None, Some(u)) => {
            let (u0, u1) = view3d::axis_range(u, "u", cx)?;
            let samples = match &spec.samples {
                Some(n) => cx.count(n, "samples", 2, MAX_SAMPLES)? as usize,
                None => DEFAULT_SAMPLES as usize,
            };
            linspace(u0, u1, samples, &mut us);
            (vec!["u".to_string()], Vec::new())
        }
        (None, None) => {
            return Err(Diagnostic::new(
                "a curve needs `u`, the range of its parameter (e.g. u = [0, 6.2832]), or \
                 `csv`, a file whose rows are its points",
            ))
        }
    };
    let samples = us.len();
    let point_names: Vec<&str> = names.iter().map(String::as_str).collect();
    let xyz = [&spec.x, &spec.y, &spec.z].map(|e| Expr::compile_scalar(e, &cx.scope, &point_names));
    let [x, y, z] = xyz;
    let xyz = [x?, y?, z?];
    let columns: Arc<[Vec<f64>]> = columns.into();

    let draw = match (&spec.tube, &spec.line) {
        (Some(_), Some(line)) => {
            return Err(Diagnostic::at(
                "a curve is drawn either as a `tube` or as a `line`, not both",
                line.span(),
            ))
        }
        (_, Some(line)) => Draw::Line {
            width: Width::compile(line.get_ref().width.as_ref(), 2.0, cx)?,
        },
        (tube, None) => {
            let t = tube.as_ref().map(|t| t.get_ref());
            let radius = match t.and_then(|t| t.radius.as_ref()) {
                Some(r) => {
                    let p = cx.param(r)?;
                    match p.as_constant() {
                        Some(v) if v <= 0.0 => {
                            return Err(Diagnostic::at(
                                format!("radius must be more than 0, not {}", shown(v)),
                                r.span(),
                            ))
                        }
                        _ => p,
                    }
                }
                None => Param::constant(DEFAULT_RADIUS),
            };
            let sides = match t.and_then(|t| t.sides.as_ref()) {
                Some(s) => cx.count(s, "sides", 3, 64)? as usize,
                None => DEFAULT_SIDES as usize,
            };
            if (samples * sides) as i64 > MAX_TUBE_VERTICES {
                return Err(Diagnostic::at(
                    format!("samples × sides may be at most {MAX_TUBE_VERTICES}"),
                    [
                        spec.samples.as_ref().map(|s| s.span()),
                        spec.u.as_ref().map(|u| u.span()),
                    ]
                    .into_iter()
                    .flatten()
                    .chain(spec.csv.as_ref().map(|c| c.span()))
                    .next()
                    .unwrap_or_default(),
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
    let fps = cx.fps;
    let extent = |times: &[f64]| {
        let (mut fit, mut pts) = (Bounds::EMPTY, Vec::new());
        for &t in times {
            points(&xyz, &us, &columns, &Env::new(t, duration, fps), &mut pts);
            for p in &pts {
                fit.add(*p);
            }
        }
        fit
    };
    let mut fit =
        view3d::measure_over(cx.threads, &times, extent, Bounds::union).unwrap_or(Bounds::EMPTY);
    if fit.is_empty() {
        fit = Bounds::new(Vec3::ZERO, Vec3::ZERO);
    }
    if let Draw::Tube { radius, .. } = &draw {
        let r = widest_radius(radius, duration, cx.fps);
        let r = Vec3::new(r, r, r);
        fit = Bounds::new(fit.min - r, fit.max + r);
    }
    let auto = widen((fit.min.z, fit.max.z));
    let (zlim, _) = view3d::zlim::zlim(spec.zlim.as_ref(), duration, cx, || auto)?;

    let look = Look::compile(
        LookSpec {
            color: spec.color.as_ref(),
            colormap: spec.colormap.as_ref(),
            default_color: Some(DEFAULT_COLOR),
            light: spec.light.as_ref(),
            shading: spec.shading,
            wireframe: spec.wireframe.unwrap_or(false),
            mesh_lines: spec.mesh_lines.as_ref(),
            outline: spec.outline.as_ref(),
            background: spec.background.as_ref(),
            antialias: spec.antialias.as_ref(),
        },
        size,
        cx,
    )?;
    Ok(Arc::new(Curve {
        size,
        duration,
        us: us.into(),
        columns,
        xyz,
        draw,
        zlim,
        fit,
        camera: CameraParams::compile(spec.camera.as_ref(), cx)?,
        look,
    }))
}

/// The names a CSV curve's formulas may use — `u` (the row's number), then each column
/// whose header is a name an expression can hold — and those columns' values. A header
/// that is not such a name (`"x (m)"`), or that means something else in expressions
/// (`t`, `pi`, a `[vars]` name), is left out.
fn csv_columns(
    raw: &Spanned<String>,
    formulas: [&Spanned<Scalar>; 3],
    cx: &mut ResolveCx,
) -> Result<(Vec<String>, Vec<Vec<f64>>), Diagnostic> {
    let path = cx.input_path(raw)?;
    let shown = raw.get_ref();
    let at = |m: String| Diagnostic::at(m, raw.span());
    // The file's own faults are reported once, however many clips read it.
    let header = crate::data::csv::header(&path, shown).map_err(|m| cx.in_file(at(m)))?;
    // Only the columns the formulas name are read (and held).
    let words: Vec<&str> = formulas
        .iter()
        .filter_map(|f| match f.get_ref() {
            Scalar::Expr(text) => Some(text.as_str()),
            Scalar::Number(_) => None,
        })
        .flat_map(|text| text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .collect();
    hidden_columns(&header, formulas, shown, cx);
    // (A header naming two columns alike is refused by the CSV reader.)
    let used: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|n| *n != "u" && words.contains(n))
        .filter(|n| crate::expr::may_name_a_column(n, &cx.scope))
        .collect();
    if used.is_empty() {
        let usable: Vec<&str> = header
            .iter()
            .map(String::as_str)
            .filter(|n| *n != "u" && crate::expr::may_name_a_column(n, &cx.scope))
            .collect();
        return Err(
            at(format!("x, y and z name none of {shown}'s columns")).with_hint(
                match usable.is_empty() {
                    true => {
                        "its headers are not names an expression can hold (letters, digits and `_`)"
                            .into()
                    }
                    false => format!("its columns: {}", usable.join(", ")),
                },
            ),
        );
    }
    let data = crate::data::csv::read_cells(&path, shown, &used, &[], MAX_SAMPLES as usize)
        .map_err(|m| cx.in_file(at(m)))?;
    let rows = data.rows();
    if rows < 2 {
        return Err(at(format!(
            "{shown} has {rows} data row{}: a curve needs at least 2 points",
            if rows == 1 { "" } else { "s" }
        )));
    }
    let names = std::iter::once("u".to_string())
        .chain(used.iter().map(|n| n.to_string()))
        .collect();
    Ok((names, data.columns))
}

/// Warns, at the formula that names it, of each column whose header a built-in name
/// hides (`t`, `u`, `pi`, `duration`, a `[vars]` name): the formula reads the built-in,
/// and no syntax reads such a column (hostile7 F-AF: `x = "t"` drew the time).
fn hidden_columns(
    header: &[String],
    formulas: [&Spanned<Scalar>; 3],
    file: &str,
    cx: &mut ResolveCx,
) {
    for (key, f) in ["x", "y", "z"].into_iter().zip(formulas) {
        let Scalar::Expr(text) = f.get_ref() else {
            continue;
        };
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .collect();
        let hidden = header.iter().filter(|h| {
            crate::expr::is_identifier(h)
                && words.contains(&h.as_str())
                && (*h == "u" || !crate::expr::may_name_a_column(h, &cx.scope))
        });
        for h in hidden.collect::<Vec<_>>() {
            let what = match h.as_str() {
                "u" => "the row's number",
                "t" => "the time",
                "duration" => "the clip's duration",
                "fps" => "the frame rate",
                "frame" => "the frame's number",
                "and" | "or" | "not" => "a word of the language",
                h if crate::expr::func::constant(h).is_some() => "a constant",
                _ => "a `[vars]` name",
            };
            cx.warn(
                Diagnostic::at(
                    format!(
                        "`{h}` in `{key}` is {what}, not column `{h}` of {file}: a column \
                         named like a built-in cannot be read"
                    ),
                    f.span(),
                )
                .with_hint(format!(
                    "rename the column in the file (e.g. `{h}_`) to read it; if {what} is \
                     meant, renaming it silences this"
                )),
            );
        }
    }
}

/// The largest radius a tube reaches over the animation (at its frames and keyframe
/// times), for the box the camera frames; 0 if it is never drawn.
fn widest_radius(radius: &Param, duration: Option<f64>, fps: f64) -> f64 {
    if let Some(r) = radius.as_constant() {
        return r;
    }
    view3d::sample_times(duration, fps, true, RADIUS_SAMPLES)
        .into_iter()
        .chain(radius.key_times().iter().copied())
        .map(|t| radius.eval(&Env::new(t, duration, fps)))
        .filter(|r| r.is_finite())
        .fold(0.0, f64::max)
}

/// The curve's points at `env`.
fn points(xyz: &[Expr; 3], us: &[f64], columns: &[Vec<f64>], env: &Env, out: &mut Vec<Vec3>) {
    let n = us.len();
    let mut c = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
    let inputs: Vec<&[f64]> = std::iter::once(us)
        .chain(columns.iter().map(Vec::as_slice))
        .collect();
    for (e, o) in xyz.iter().zip(c.iter_mut()) {
        e.eval_batch(env, &inputs, o);
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
        points(&self.xyz, &self.us, &self.columns, env, pts);
        values.clear();
        values.extend(pts.iter().map(|p| p.z));
        let (lo, hi) = self.zlim.at(env, values);
        let mut box_ = self.fit;
        box_.min.z = lo;
        box_.max.z = hi;
        let aspect = self.size.w as f64 / self.size.h as f64;
        let camera = self.camera.at(env, &self.fit, aspect);
        let look = self.look.at(env, lo, hi);
        let closed = tube::is_closed(pts);
        vertices.clear();
        let mut line_width = None;
        match &self.draw {
            Draw::Tube { radius, sides, .. } => {
                let r = radius.eval(env);
                if r > 0.0 && r.is_finite() {
                    let n = if closed { pts.len() - 1 } else { pts.len() };
                    tube::vertices(&pts[..n], &values[..n], r, *sides, closed, vertices);
                }
            }
            Draw::Line { width } => {
                line_width = width.at(env);
                colors.clear();
                colors.extend(values.iter().map(|&v| look.style.paint.base(v)));
            }
        }
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
                if let Draw::Tube {
                    open, closed: ring, ..
                } = &self.draw
                {
                    if !vertices.is_empty() {
                        c.mesh(vertices, if closed { ring } else { open }, &look.style);
                    }
                }
                if let Some(w) = line_width {
                    c.polyline(pts, colors, w);
                }
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
