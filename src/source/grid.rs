//! Values on a grid that can change over time: f(x, y, t) sampled on a grid, or the
//! frames of a NumPy array. Shared by `kind = "field"` and a plot's field layer, which
//! read the same keys (`f`, `x`, `y`, `resolution`, `npy`, `fps`).

use toml::Spanned;

use crate::base::diag::{At, Diagnostic};
use crate::base::error::RenderError;
use crate::base::frame::Size;
use crate::base::pair::Pair;
use crate::base::time::{spread, spread_instants};
use crate::chart::scale::Scale;
use crate::clip::build::ResolveCx;
use crate::data::npy::Npy;
use crate::expr::{Env, Expr, Interval, RawParam};

/// The most grid points a field may have (a 2048 × 2048 grid).
pub const MAX_POINTS: u64 = 1 << 22;
/// The most cell evaluations a simulation's automatic range over the clip may cost
/// (the whole simulation, stepped while the scene loads): some seconds of work.
pub const MAX_SCAN_WORK: u64 = 1 << 33;
/// The most instants (or array frames) sampled to choose an automatic value range.
const MAX_RANGE_SAMPLES: usize = 200;
/// The most array values read to choose an automatic value range (64 Mi: four
/// frames of 4096²): large frames are sampled fewer, at least one. 200 frames of
/// any size were read, and `check` of 64 × 4096² float32 values (4 GB) went on for
/// over a minute; the file itself is read a frame at a time, whatever its length.
pub const MAX_RANGE_VALUES: usize = 1 << 26;

/// How many array frames of `values` values each an automatic range reads.
fn range_frames(values: usize) -> usize {
    (MAX_RANGE_VALUES / values.max(1)).clamp(1, MAX_RANGE_SAMPLES)
}

/// The keys that say where the values come from, as written.
pub struct Keys<'a> {
    pub f: Option<&'a Spanned<String>>,
    pub x: Option<&'a Spanned<Pair<RawParam>>>,
    pub y: Option<&'a Spanned<Pair<RawParam>>>,
    pub resolution: Option<&'a Spanned<Pair<u32>>>,
    pub npy: Option<&'a Spanned<String>>,
    pub fps: Option<&'a Spanned<RawParam>>,
    pub origin: Option<&'a Spanned<Origin>>,
    /// A simulation's keys (`kind = "simulation"`).
    pub sim: Option<&'a crate::source::simulation::SimKeys>,
}

/// Where an array's row 0 goes, as matplotlib's `imshow(origin=…)`: at the top (numpy
/// images, the default) or at the bottom (row i at the i-th y upwards, as
/// `np.meshgrid(x, y)` lays out values and a `surface` reads them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Upper,
    Lower,
}

pub enum Values {
    /// f(x, y, t) on a grid; `ys` runs from the top row (largest y) down.
    Formula { f: Expr, xs: Axis, ys: Axis },
    /// Frames of an array at `fps` (by default the scene's `[output] fps`: one array
    /// frame per output frame), covering `extent` (x, y) when drawn on axes (by
    /// default 0 … width and 0 … height).
    Array {
        npy: Npy,
        fps: f64,
        extent: Option<(Interval, Interval)>,
        /// Row 0 at the bottom (`origin = "lower"`): rows are read in reverse.
        flip: bool,
    },
    /// What a simulation's `show` gives at each frame, at `fps` (`written`: the
    /// clip's own `fps`). Cells fill 0 … columns and 0 … rows, like an array's.
    Simulation {
        run: std::sync::Arc<crate::sim::Runner>,
        fps: f64,
        written: bool,
    },
}

/// Grid coordinates along one axis: `n` points from `min` to `max` like numpy's
/// `linspace`, reversed for rows (the top row is `y = max`); computed once, or for
/// every frame when the extent moves.
pub enum Axis {
    Fixed(Vec<f64>),
    Moving {
        range: Interval,
        n: usize,
        flip: bool,
    },
}

fn linspace((a, b): (f64, f64), n: usize, flip: bool) -> Vec<f64> {
    let at = |k: usize| {
        if n == 1 {
            (a + b) / 2.0
        } else {
            a + (b - a) * k as f64 / (n - 1) as f64
        }
    };
    if flip {
        (0..n).rev().map(at).collect()
    } else {
        (0..n).map(at).collect()
    }
}

impl Axis {
    fn compile(
        raw: &Spanned<Pair<RawParam>>,
        name: &str,
        n: u32,
        flip: bool,
        cx: &ResolveCx,
    ) -> Result<Axis, Diagnostic> {
        let range = Interval::compile(raw, &cx.scope, name)?;
        let n = n.max(1) as usize;
        Ok(match range.as_constant() {
            Some(r) => Axis::Fixed(linspace(r, n, flip)),
            None => Axis::Moving { range, n, flip },
        })
    }

    fn at(&self, env: &Env) -> std::borrow::Cow<'_, [f64]> {
        match self {
            Axis::Fixed(v) => v.into(),
            Axis::Moving { range, n, flip } => linspace(range.at(env), *n, *flip).into(),
        }
    }

    fn is_animated(&self) -> bool {
        matches!(self, Axis::Moving { .. })
    }

    /// The first and last coordinate at `env`.
    fn ends(&self, env: &Env) -> (f64, f64) {
        let v = self.at(env);
        (v[0], v[v.len() - 1])
    }
}

/// Grids of more points than this (a million; at most 4 M: `resolution`) are computed in
/// bands that a signal can stop between.
const BANDED_POINTS: usize = 1 << 20;
/// About how many points a band of a banded grid has: a long expression takes a
/// fraction of a second for these.
const BAND_POINTS: usize = 1 << 16;

/// Where grid point (i, j) lies in data coordinates: x = x0 + i·dx, y = y0 + j·dy
/// (j counts rows from the top, so dy is negative).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub x0: f64,
    pub dx: f64,
    pub y0: f64,
    pub dy: f64,
}

impl Placement {
    pub fn data(&self, i: f64, j: f64) -> (f64, f64) {
        (self.x0 + i * self.dx, self.y0 + j * self.dy)
    }

    /// The grid position of a data point.
    pub fn grid(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.x0) / self.dx, (y - self.y0) / self.dy)
    }
}

/// Turns rows of `row` elements upside down, in place.
pub fn flip_rows<T>(values: &mut [T], row: usize) {
    let rows = values.len() / row.max(1);
    for i in 0..rows / 2 {
        let (top, bottom) = values.split_at_mut((rows - 1 - i) * row);
        top[i * row..(i + 1) * row].swap_with_slice(&mut bottom[..row]);
    }
}

/// A rectangle in data units: (x0, x1), (y0, y1).
pub type Extent = ((f64, f64), (f64, f64));

/// The values of a field and its grid size; `default_res` is used when no
/// `resolution` is given (a field's size, a plot's axes).
pub fn compile(
    keys: &Keys,
    default_res: Option<(u32, u32)>,
    duration: Option<f64>,
    cx: &mut ResolveCx,
) -> Result<(Values, Size, Option<f64>), Diagnostic> {
    if let Some(sim) = keys.sim {
        return crate::source::simulation::values::compile(
            sim,
            keys.fps,
            default_res,
            duration,
            cx,
        );
    }
    match (keys.f, keys.npy) {
        (Some(f), None) => {
            if let Some(fps) = keys.fps {
                return Err(Diagnostic::at("`fps` is for `npy` fields", fps.span()));
            }
            if let Some(origin) = keys.origin {
                return Err(Diagnostic::at(
                    "`origin` is for `npy` fields: f(x, y) has y upwards already",
                    origin.span(),
                ));
            }
            let (x, y) = match (keys.x, keys.y) {
                (Some(x), Some(y)) => (x, y),
                _ => {
                    return Err(Diagnostic::at(
                        "a field f(x, y) needs `x = [min, max]` and `y = [min, max]`",
                        f.span(),
                    ))
                }
            };
            let res = match (keys.resolution, default_res) {
                (Some(r), _) => {
                    let [nx, ny] = r.get_ref().values();
                    if nx == 0 || ny == 0 || nx as u64 * ny as u64 > MAX_POINTS {
                        return Err(Diagnostic::at(
                            format!(
                                "resolution {nx}x{ny} must have no zero side and at most {MAX_POINTS} points"
                            ),
                            r.span(),
                        ));
                    }
                    (nx, ny)
                }
                (None, Some((w, h))) => (w.clamp(1, 2048), h.clamp(1, 2048)),
                (None, None) => {
                    return Err(Diagnostic::at(
                        "a field needs its `size` or its `resolution`",
                        f.span(),
                    ))
                }
            };
            let values = Values::Formula {
                f: Expr::compile(f, &cx.scope, &["x", "y"])?,
                xs: Axis::compile(x, "x", res.0, false, cx)?,
                ys: Axis::compile(y, "y", res.1, true, cx)?,
            };
            Ok((values, Size::new(res.0, res.1), duration))
        }
        (None, Some(file)) => {
            for (key, span) in [
                ("f", keys.f.map(|s| s.span())),
                ("resolution", keys.resolution.map(|s| s.span())),
            ] {
                if let Some(span) = span {
                    return Err(Diagnostic::at(
                        format!("`{key}` is for fields given by `f`"),
                        span,
                    ));
                }
            }
            let extent = match (keys.x, keys.y) {
                (Some(x), Some(y)) => Some((
                    Interval::compile(x, &cx.scope, "x")?,
                    Interval::compile(y, &cx.scope, "y")?,
                )),
                (None, None) => None,
                (Some(x), None) | (None, Some(x)) => {
                    return Err(Diagnostic::at(
                        "an array's extent needs both `x = [min, max]` and `y = [min, max]`",
                        x.span(),
                    ))
                }
            };
            let path = cx.input_path(file)?;
            let npy = Npy::open(&path, file.get_ref()).at(file.span())?;
            let fps = keys.fps.map(|f| cx.rate(f)).transpose()?;
            let natural = Size::new(npy.width as u32, npy.height as u32);
            let fps = fps.unwrap_or(cx.fps);
            let duration = Some(duration.unwrap_or(npy.frames as f64 / fps));
            let flip = keys.origin.map(|o| *o.get_ref()) == Some(Origin::Lower);
            Ok((
                Values::Array {
                    npy,
                    fps,
                    extent,
                    flip,
                },
                natural,
                duration,
            ))
        }
        (Some(f), Some(_)) => Err(Diagnostic::at(
            "a field has `f` or `npy`, not both",
            f.span(),
        )),
        (None, None) => Err(Diagnostic::new(
            "a field needs `f` (an expression of x, y and t) or `npy` (a NumPy file)",
        )),
    }
}

impl Values {
    /// An array's rate when its `fps` is written (`written`): the clip's own, which sets
    /// a scene's rate (see [`crate::clip::Clip::rate`]). An expression has none.
    pub fn rate(&self, written: bool) -> Option<f64> {
        match self {
            Values::Array { fps, .. } if written => Some(*fps),
            Values::Simulation { fps, written, .. } => written.then_some(*fps),
            _ => None,
        }
    }

    /// True for RGB pictures rather than values: an array of them, or a simulation
    /// whose `show` is three expressions (red, green, blue).
    pub fn is_rgb(&self) -> bool {
        match self {
            Values::Array { npy, .. } => npy.rgb,
            Values::Simulation { run, .. } => run.program().planes() == 3,
            Values::Formula { .. } => false,
        }
    }

    /// A simulation's columns and rows (0 × 0 for other values).
    fn cells(&self) -> (usize, usize) {
        match self {
            Values::Simulation { run, .. } => (run.program().shape.w, run.program().shape.h),
            _ => (0, 0),
        }
    }

    /// The array frame shown at `t`.
    pub fn frame_index(t: f64, npy: &Npy, rate: f64) -> usize {
        ((t * rate + crate::base::time::TIME_EPSILON)
            .floor()
            .max(0.0) as usize)
            .min(npy.frames - 1)
    }

    /// True if the values can change over time.
    pub fn is_animated(&self) -> bool {
        match self {
            Values::Formula { f, xs, ys } => {
                f.is_animated() || xs.is_animated() || ys.is_animated()
            }
            Values::Array { npy, extent, .. } => {
                npy.frames > 1
                    || extent
                        .as_ref()
                        .is_some_and(|(x, y)| x.is_animated() || y.is_animated())
            }
            Values::Simulation { .. } => true,
        }
    }

    /// An RGB simulation's frame at `env` as straight RGBA bytes, opaque, row by row from
    /// the top, and the grid's width and height: each plane read as matplotlib's `imshow`
    /// reads float RGB (0 to 1, clipped; NaN as 0).
    pub fn rgba_at(&self, env: &Env, out: &mut Vec<u8>) -> Result<(usize, usize), RenderError> {
        let mut vals = Vec::new();
        let (w, h) = self.at(env, &mut vals)?;
        let n = w * h;
        let byte = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
        out.clear();
        out.reserve(n * 4);
        if vals.len() < 3 * n {
            return Err(RenderError(format!(
                "a simulation's frame holds {} values, not three planes of {n}",
                vals.len()
            )));
        }
        let (r, rest) = vals.split_at(n);
        let (g, b) = rest.split_at(n);
        for i in 0..n {
            // NaN clamps to NaN, which `as u8` makes 0.
            out.extend_from_slice(&[byte(r[i]), byte(g[i]), byte(b[i]), 255]);
        }
        Ok((w, h))
    }

    /// The values at `env`, row by row from the top, and the grid's width and height.
    pub fn at(&self, env: &Env, out: &mut Vec<f64>) -> Result<(usize, usize), RenderError> {
        match self {
            Values::Formula { f, xs, ys } => {
                let (xs, ys) = (xs.at(env), ys.at(env));
                out.clear();
                out.resize(xs.len() * ys.len(), 0.0);
                // A huge grid goes in bands of rows, a signal stopping it between two
                // (a 16000² field took minutes); a small one in one go, as before.
                let w = xs.len().max(1);
                let rows = match out.len() > BANDED_POINTS {
                    true => (BAND_POINTS / w).max(1),
                    false => ys.len().max(1),
                };
                for (band, ys) in out.chunks_mut(rows * w).zip(ys.chunks(rows)) {
                    crate::base::stop::check()?;
                    f.eval_grid(env, &xs, ys, band);
                }
                Ok((xs.len(), ys.len()))
            }
            Values::Array {
                npy,
                fps: rate,
                flip,
                ..
            } => {
                let i = Self::frame_index(env.t, npy, *rate);
                npy.scalar_frame(i, out).map_err(RenderError)?;
                if *flip {
                    flip_rows(out, npy.width);
                }
                Ok((npy.width, npy.height))
            }
            Values::Simulation { run, fps, .. } => {
                let k = (env.t * fps + crate::base::time::TIME_EPSILON)
                    .floor()
                    .max(0.0) as u64;
                run.frame(k, out)?;
                let s = run.program().shape;
                Ok((s.w, s.h))
            }
        }
    }

    /// Where the grid lies in data coordinates at `env`: f's points span `x` and `y`
    /// edge to edge; an array's cells fill its extent, their centres are the points.
    pub fn placement(&self, env: &Env) -> Placement {
        match self {
            Values::Formula { xs, ys, .. } => {
                let ((x0, x1), (ytop, ybottom)) = (xs.ends(env), ys.ends(env));
                let n = |a: &Axis| match a {
                    Axis::Fixed(v) => v.len(),
                    Axis::Moving { n, .. } => *n,
                };
                let step = |a: f64, b: f64, n: usize| {
                    if n > 1 {
                        (b - a) / (n - 1) as f64
                    } else {
                        b - a
                    }
                };
                Placement {
                    x0,
                    dx: step(x0, x1, n(xs)),
                    y0: ytop,
                    dy: step(ytop, ybottom, n(ys)),
                }
            }
            Values::Array { .. } | Values::Simulation { .. } => {
                let ((x0, x1), (y0, y1), w, h) = match self {
                    Values::Array { npy, extent, .. } => {
                        let (w, h) = (npy.width as f64, npy.height as f64);
                        match extent {
                            Some((x, y)) => (x.at(env), y.at(env), w, h),
                            None => ((0.0, w), (0.0, h), w, h),
                        }
                    }
                    _ => {
                        let (w, h) = self.cells();
                        ((0.0, w as f64), (0.0, h as f64), w as f64, h as f64)
                    }
                };
                let dx = (x1 - x0) / w;
                let dy = (y0 - y1) / h;
                Placement {
                    x0: x0 + 0.5 * dx,
                    dx,
                    y0: y1 + 0.5 * dy,
                    dy,
                }
            }
        }
    }

    /// The data rectangle the grid covers at `env`: (x0, x1), (y0, y1).
    pub fn extent(&self, env: &Env, w: usize, h: usize) -> Extent {
        let p = self.placement(env);
        let (half_x, half_y) = match self {
            Values::Formula { .. } => (0.0, 0.0),
            Values::Array { .. } | Values::Simulation { .. } => (0.5, 0.5),
        };
        let a = p.data(-half_x, (h as f64 - 1.0) + half_y);
        let b = p.data((w as f64 - 1.0) + half_x, -half_y);
        ((a.0.min(b.0), a.0.max(b.0)), (a.1.min(b.1), a.1.max(b.1)))
    }

    /// The memory reading one frame's values holds beyond the drawn frame: an array's
    /// frame as read and as numbers (see [`Npy::frame_memory`]); a formula's grid is
    /// bounded by `resolution` and not counted; a simulation's frame is its grid of
    /// shown values (its state is counted once, in the scene's budget).
    pub fn working_bytes(&self) -> u64 {
        match self {
            Values::Array { npy, .. } => npy.frame_memory(),
            Values::Formula { .. } => 0,
            // Its planes as numbers, and as RGBA bytes for an RGB `show`.
            Values::Simulation { run, .. } => {
                let p = run.program();
                let rgba = match p.planes() {
                    3 => (p.shape.w as u64) * (p.shape.h as u64) * 4,
                    _ => 0,
                };
                p.frame_bytes() + rgba
            }
        }
    }

    /// The extent over the clip's instants of the values `scale` shows (finite, and
    /// positive on a log colour scale).
    pub fn scan_range(
        &self,
        duration: Option<f64>,
        fps: f64,
        scale: Scale,
    ) -> Result<Option<(f64, f64)>, RenderError> {
        let times: Vec<f64> = match (self, duration) {
            (Values::Formula { .. }, _) if !self.is_animated() => vec![0.0],
            // Every frame: the simulation steps through them all anyway, and a
            // short-lived peak between samples would be clipped.
            (Values::Simulation { fps: rate, run, .. }, Some(d)) => {
                let frames = crate::base::time::frame_count(d, *rate).max(1);
                let work = frames.saturating_mul(run.program().cost_per_frame());
                if work > MAX_SCAN_WORK {
                    return Err(RenderError(format!(
                        "the automatic value range over the clip steps the whole simulation \
                         when the scene loads: {frames} frames, {work} cell evaluations (a \
                         frame counting at least {}), more than {MAX_SCAN_WORK}; give `vmin` \
                         and `vmax` (or `range = \"frame\"`)",
                        crate::sim::FRAME_COST
                    )));
                }
                (0..frames).map(|i| i as f64 / rate).collect()
            }
            (Values::Array { npy, fps: rate, .. }, _) => {
                spread(npy.frames, range_frames(npy.width * npy.height))
                    .map(|i| (i as f64 + 0.5) / rate)
                    .collect()
            }
            (_, Some(d)) => spread_instants(d, fps, MAX_RANGE_SAMPLES),
            (_, None) => vec![0.0],
        };
        let mut buf = Vec::new();
        let mut acc: Option<(f64, f64)> = None;
        for t in times {
            let env = Env {
                t,
                duration: duration.unwrap_or(0.0),
                fps,
            };
            self.at(&env, &mut buf)?;
            acc = union(acc, value_range(&buf, scale));
        }
        Ok(acc)
    }
}

/// The extent of the values of `vals` that `scale` shows (matplotlib's autoscaling of
/// a norm: a `LogNorm` leaves out values ≤ 0), if any.
pub fn value_range(vals: &[f64], scale: Scale) -> Option<(f64, f64)> {
    let mut acc: Option<(f64, f64)> = None;
    for &v in vals.iter().filter(|v| scale.shows(**v)) {
        acc = Some(acc.map_or((v, v), |(a, b)| (a.min(v), b.max(v))));
    }
    acc
}

/// The value range when no value can be shown: 0..1, or 1..10 on a log scale.
pub fn empty_range(scale: Scale) -> (f64, f64) {
    match scale {
        Scale::Linear => (0.0, 1.0),
        Scale::Log => (1.0, 10.0),
    }
}

fn union(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn rows_turn_upside_down_in_place() {
        let mut v: Vec<u8> = (0..12).collect();
        flip_rows(&mut v, 4);
        assert_eq!(v, [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);
        let mut even: Vec<u8> = (0..4).collect();
        flip_rows(&mut even, 2);
        assert_eq!(even, [2, 3, 0, 1]);
        let mut one: Vec<u8> = vec![1, 2];
        flip_rows(&mut one, 2);
        assert_eq!(one, [1, 2]);
    }

    use super::*;

    /// Small frames: 200 sampled; large ones fewer, within the value budget; a frame
    /// over the budget alone is still read.
    #[test]
    fn a_log_scale_ranges_over_positive_values() {
        let vals = [-3.0, 0.0, 0.5, f64::NAN, 8.0, f64::INFINITY];
        assert_eq!(value_range(&vals, Scale::Linear), Some((-3.0, 8.0)));
        assert_eq!(value_range(&vals, Scale::Log), Some((0.5, 8.0)));
        assert_eq!(value_range(&[-1.0, 0.0], Scale::Log), None);
        assert_eq!(union(Some((1.0, 2.0)), Some((0.5, 1.5))), Some((0.5, 2.0)));
        assert_eq!(union(None, Some((1.0, 2.0))), Some((1.0, 2.0)));
    }

    #[test]
    fn an_automatic_range_reads_a_bounded_number_of_values() {
        assert_eq!(range_frames(100 * 100), MAX_RANGE_SAMPLES);
        assert_eq!(range_frames(4096 * 4096), 4);
        assert_eq!(range_frames(16384 * 16384), 1);
        assert_eq!(range_frames(0), MAX_RANGE_SAMPLES);
        for side in [300, 1000, 2048, 5000, 8192] {
            assert!(range_frames(side * side) * side * side <= MAX_RANGE_VALUES.max(side * side));
        }
    }
}
