//! A plot's field layer: values on a grid (f(x, y, t) or `.npy` frames, read as
//! `kind = "field"` reads them) drawn in the plot's data coordinates, under its series:
//! as filled contours between levels (matplotlib's `contourf`) or as an image
//! (`imshow`), with contour lines on top if asked, a picture under it, and an opacity.

use std::sync::Arc;

use serde::Deserialize;
use tiny_skia::{
    FillRule, FilterQuality, LineCap, LineJoin, Mask, PathBuilder, Pixmap, PixmapPaint, Stroke,
    Transform,
};
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::colormap::Colormap;
use crate::base::diag::Diagnostic;
use crate::base::error::RenderError;
use crate::base::limits::shown;
use crate::base::pair::Pair;
use crate::chart::axes::Axes;
use crate::chart::clabel;
use crate::chart::colorbar;
use crate::chart::contour::Grid;
use crate::chart::fonts::Font;
use crate::chart::levels;
use crate::chart::paint::paint;
use crate::chart::scale::Scale;
use crate::chart::style::Dpi;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, RenderCx};
use crate::expr::{Env, Interval, Param, RawParam};
use crate::source::grid::{self, Placement, Values};

/// The most levels a field layer may have.
const MAX_LEVELS: usize = 1000;
/// Grid points along each side when neither `resolution` nor a size says.
const DEFAULT_RESOLUTION: u32 = 200;

/// `field = { … }` in a plot (and the same keys of `kind = "field"`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    pub f: Option<Spanned<String>>,
    pub x: Option<Spanned<Pair<RawParam>>>,
    pub y: Option<Spanned<Pair<RawParam>>>,
    pub resolution: Option<Spanned<Pair<u32>>>,
    pub npy: Option<Spanned<String>>,
    pub fps: Option<Spanned<RawParam>>,
    pub origin: Option<Spanned<grid::Origin>>,
    pub colormap: Option<Spanned<String>>,
    pub norm: Option<Spanned<Scale>>,
    pub vmin: Option<Spanned<RawParam>>,
    pub vmax: Option<Spanned<RawParam>>,
    pub range: Option<RangeMode>,
    pub interpolation: Option<Interpolation>,
    pub nan_color: Option<Rgba>,
    pub colorbar: Option<bool>,
    pub colorbar_label: Option<Spanned<String>>,
    pub levels: Option<Spanned<Levels>>,
    pub contours: Option<Spanned<Contours>>,
    pub contour_color: Option<Rgba>,
    pub contour_width: Option<Spanned<f64>>,
    pub contour_labels: Option<Spanned<bool>>,
    pub opacity: Option<Spanned<RawParam>>,
    pub under: Option<Spanned<String>>,
    /// A simulation's keys: its values come from its `show` (`kind = "simulation"`).
    #[serde(skip)]
    pub sim: Option<std::sync::Arc<crate::source::simulation::SimKeys>>,
}

/// When an automatic value range is found.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum RangeMode {
    #[default]
    Clip,
    Frame,
}

/// How an image is scaled up between grid points.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Interpolation {
    Nearest,
    #[default]
    Smooth,
}

/// `levels = 20` or `levels = [-2, -1, 0, 1, 2]`.
#[derive(Deserialize, Debug, Clone)]
#[serde(
    untagged,
    expecting = "a count of levels or a list of increasing numbers"
)]
pub enum Levels {
    Count(u32),
    List(Vec<f64>),
}

/// `contours = true`, a count or a list of levels.
#[derive(Deserialize, Debug, Clone)]
#[serde(
    untagged,
    expecting = "true, false, a count of levels or a list of increasing numbers"
)]
pub enum Contours {
    Shown(bool),
    Levels(Levels),
}

/// Levels as chosen: a count (placed on the value range each time) or given.
#[derive(Debug, Clone)]
enum Choice {
    Count(usize),
    List(Vec<f64>),
}

impl Choice {
    fn compile(raw: &Spanned<Levels>, least: usize) -> Result<Choice, Diagnostic> {
        match raw.get_ref() {
            Levels::Count(n) if (1..=MAX_LEVELS as u32).contains(n) => {
                Ok(Choice::Count(*n as usize))
            }
            Levels::Count(n) => Err(Diagnostic::at(
                format!("levels must be a count from 1 to {MAX_LEVELS}, not {n}"),
                raw.span(),
            )),
            Levels::List(v) => {
                if v.len() < least || v.len() > MAX_LEVELS {
                    return Err(Diagnostic::at(
                        format!(
                            "a list of levels has {least} to {MAX_LEVELS} numbers, not {}",
                            v.len()
                        ),
                        raw.span(),
                    ));
                }
                if let Some(x) = v.iter().find(|x| !x.is_finite()) {
                    return Err(Diagnostic::at(
                        format!("levels must be finite numbers, not {x}"),
                        raw.span(),
                    ));
                }
                if let Some(w) = v.windows(2).find(|w| w[0] >= w[1]) {
                    return Err(Diagnostic::at(
                        format!(
                            "levels must increase: {} is followed by {}",
                            shown(w[0]),
                            shown(w[1])
                        ),
                        raw.span(),
                    ));
                }
                Ok(Choice::List(v.clone()))
            }
        }
    }

    /// The levels for values spanning `range`: on a log colour scale a count gives
    /// decades, as matplotlib's `LogLocator` does for `contourf(…, norm=LogNorm())`.
    fn at(&self, range: (f64, f64), scale: Scale) -> Vec<f64> {
        match (self, scale) {
            (Choice::List(v), _) => v.clone(),
            (Choice::Count(n), Scale::Linear) => levels::auto(range.0, range.1, *n),
            (Choice::Count(n), Scale::Log) => levels::auto_log(range.0, range.1, *n),
        }
    }

    /// Refuses given levels ≤ 0 on a log colour scale, which has no place for them.
    fn check_log(&self, raw: &Spanned<Levels>, key: &str) -> Result<(), Diagnostic> {
        match self {
            Choice::List(v) if v[0] <= 0.0 => Err(Diagnostic::at(
                format!(
                    "`{key}` has the level {}, and a log colour scale (`norm = \"log\"`) \
                     places positive values only",
                    shown(v[0])
                ),
                raw.span(),
            )
            .with_hint(
                "give positive levels (decades: [1, 10, 100, 1000]), or a count to have them \
                 chosen, or leave out `norm`",
            )),
            _ => Ok(()),
        }
    }
}

enum Fill {
    Image(Interpolation),
    Bands(Choice),
}

/// A compiled field layer.
pub struct Layer {
    values: Values,
    map: Colormap,
    /// How values are placed on the colormap: linearly, or their logarithm.
    norm: Scale,
    fill: Fill,
    lines: Option<Choice>,
    /// Each contour line labelled with its level (matplotlib's `clabel`).
    labels: bool,
    line_color: Rgba,
    line_width: f64,
    vmin: Option<Param>,
    vmax: Option<Param>,
    /// The automatic value range over the clip (`range = "clip"`).
    found: Option<(f64, f64)>,
    nan: Rgba,
    opacity: Param,
    pub colorbar: bool,
    /// The colorbar's own label.
    pub colorbar_label: Option<String>,
    under: Option<Arc<dyn Clip>>,
    duration: Option<f64>,
    /// An array's own `fps`, when written: the plot's rate (see [`Clip::rate`]).
    rate: Option<f64>,
}

/// A colormap's end as [`norm_of`] checks it: its key, compiled and as written.
pub type End<'a> = (&'a str, Option<&'a Param>, Option<&'a Spanned<RawParam>>);

/// The colour scale (`norm`) of a colormap whose ends are `vmin` and `vmax`: a log
/// scale shows positive values only, so an end that is a constant ≤ 0 is an error at
/// its place (as matplotlib's `LogNorm` refuses it).
pub fn norm_of(norm: Option<&Spanned<Scale>>, ends: [End; 2]) -> Result<Scale, Diagnostic> {
    let scale = norm.map_or(Scale::Linear, |n| *n.get_ref());
    if scale == Scale::Log {
        for (name, param, raw) in ends {
            let (Some(v), Some(raw)) = (param.and_then(Param::as_constant), raw) else {
                continue;
            };
            if v <= 0.0 {
                return Err(Diagnostic::at(
                    format!(
                        "`{name}` is {}, and a log colour scale (`norm = \"log\"`) shows \
                         positive values only",
                        shown(v)
                    ),
                    raw.span(),
                )
                .with_hint(format!(
                    "give a positive `{name}`, or leave it out to take the positive values' \
                     {}",
                    if name == "vmin" {
                        "smallest"
                    } else {
                        "largest"
                    }
                )));
            }
        }
    }
    Ok(scale)
}

/// A colorbar's label as written (none when empty), refused without the colorbar it
/// labels.
pub fn colorbar_label(
    label: Option<&Spanned<String>>,
    colorbar: bool,
) -> Result<Option<String>, Diagnostic> {
    match label {
        Some(l) if !colorbar => Err(Diagnostic::at(
            "`colorbar_label` labels the colorbar, which is not shown",
            l.span(),
        )
        .with_hint("add `colorbar = true`")),
        Some(l) if l.get_ref().len() > crate::text::template::MAX_TEXT_BYTES => {
            Err(Diagnostic::at(
                format!(
                    "`colorbar_label` is {} bytes long; at most {}",
                    l.get_ref().len(),
                    crate::text::template::MAX_TEXT_BYTES
                ),
                l.span(),
            ))
        }
        Some(l) => {
            // Line breaks at its ends would only push the text off the colorbar's room.
            let text = l.get_ref().trim_matches(['\n', '\r']);
            if text.is_empty() && !l.get_ref().is_empty() {
                return Err(Diagnostic::at(
                    "`colorbar_label` holds only line breaks: nothing would be drawn",
                    l.span(),
                )
                .with_hint("write the label's text, or leave `colorbar_label` out"));
            }
            let lines = label_lines(Some(text));
            if lines > MAX_LABEL_LINES {
                return Err(Diagnostic::at(
                    format!(
                        "`colorbar_label` has {lines} lines; a colorbar makes room for at most \
                         {MAX_LABEL_LINES}"
                    ),
                    l.span(),
                ));
            }
            Ok(Some(text.to_string()).filter(|t| !t.is_empty()))
        }
        None => Ok(None),
    }
}

/// The most lines a colorbar's own label may have: each takes a line's height of the
/// clip's width.
pub const MAX_LABEL_LINES: usize = 10;

/// How many lines a colorbar's label takes beside the bar (0 without one): each gets
/// a line's height of room.
pub fn label_lines(label: Option<&str>) -> usize {
    label.map_or(0, |l| l.lines().count().max(1))
}

/// What the layer shows at one instant.
pub struct Frame {
    vals: Vec<f64>,
    w: usize,
    h: usize,
    place: Placement,
    /// The value range: levels are chosen on it, and an image's colours span it.
    range: (f64, f64),
    /// Filled levels (empty for an image) and the colour of each band.
    levels: Vec<f64>,
    colors: Vec<[u8; 3]>,
    /// The colormap's ends, for the colorbar.
    pub norm: (f64, f64),
}

impl Layer {
    /// Compiles the layer of a plot lasting `duration`, whose axes are about
    /// `axes_px` pixels (the default resolution of f).
    pub fn compile(
        spec: &LayerSpec,
        duration: Option<f64>,
        axes_px: (u32, u32),
        dpi: Dpi,
        cx: &mut ResolveCx,
    ) -> Result<Layer, Diagnostic> {
        let keys = grid::Keys {
            f: spec.f.as_ref(),
            x: spec.x.as_ref(),
            y: spec.y.as_ref(),
            resolution: spec.resolution.as_ref(),
            npy: spec.npy.as_ref(),
            fps: spec.fps.as_ref(),
            origin: spec.origin.as_ref(),
            sim: spec.sim.as_deref(),
        };
        let res = (
            axes_px.0.clamp(2, DEFAULT_RESOLUTION),
            axes_px.1.clamp(2, DEFAULT_RESOLUTION),
        );
        let (values, _, duration) = grid::compile(&keys, Some(res), duration, cx)?;
        if values.is_rgb() {
            return Err(Diagnostic::at(
                "a plot's field shows values, not RGB pictures: draw those as a clip `under` it",
                spec.npy
                    .as_ref()
                    .map(|n| n.span())
                    .or_else(|| spec.sim.as_ref().map(|s| s.show.span()))
                    .unwrap_or_default(),
            ));
        }
        let map = match &spec.colormap {
            None => Colormap::by_name("viridis").expect("viridis exists"),
            Some(name) => Colormap::by_name(name.get_ref()).ok_or_else(|| {
                Diagnostic::at(
                    format!("unknown colormap `{}`", name.get_ref()),
                    name.span(),
                )
                .with_hint(Colormap::suggest(name.get_ref()))
            })?,
        };
        let log = spec
            .norm
            .as_ref()
            .is_some_and(|n| *n.get_ref() == Scale::Log);
        let fill = match &spec.levels {
            Some(l) => {
                if spec.interpolation.is_some() {
                    return Err(Diagnostic::at(
                        "`interpolation` is for a field drawn as an image, not with `levels`",
                        l.span(),
                    ));
                }
                let choice = Choice::compile(l, 2)?;
                if log {
                    choice.check_log(l, "levels")?;
                }
                Fill::Bands(choice)
            }
            None => Fill::Image(spec.interpolation.unwrap_or_default()),
        };
        let lines = match &spec.contours {
            None => None,
            Some(c) => match c.get_ref() {
                Contours::Shown(false) => None,
                Contours::Shown(true) => Some(match &fill {
                    Fill::Bands(choice) => choice.clone(),
                    Fill::Image(_) => Choice::Count(7),
                }),
                Contours::Levels(l) => {
                    let raw = Spanned::new(c.span(), l.clone());
                    let choice = Choice::compile(&raw, 1)?;
                    if log {
                        choice.check_log(&raw, "contours")?;
                    }
                    Some(choice)
                }
            },
        };
        let labels = spec.contour_labels.as_ref().is_some_and(|l| *l.get_ref());
        if let Some(l) = spec
            .contour_labels
            .as_ref()
            .filter(|_| labels && lines.is_none())
        {
            return Err(Diagnostic::at(
                "`contour_labels` labels the contour lines, and there are none: give `contours` too",
                l.span(),
            )
            .with_hint("contours = true draws lines at the filled levels (or 7 over an image)"));
        }
        let line_width = match &spec.contour_width {
            None => 1.5,
            Some(w) if (0.0..=100.0).contains(w.get_ref()) => *w.get_ref(),
            Some(w) => {
                return Err(Diagnostic::at(
                    format!(
                        "contour_width must be 0 to 100 points, not {}",
                        shown(*w.get_ref())
                    ),
                    w.span(),
                ))
            }
        };
        let end = |raw: &Option<Spanned<RawParam>>| raw.as_ref().map(|r| cx.param(r)).transpose();
        let (vmin, vmax) = (end(&spec.vmin)?, end(&spec.vmax)?);
        if let (Some(a), Some(b), Some(raw)) = (
            vmin.as_ref().and_then(Param::as_constant),
            vmax.as_ref().and_then(Param::as_constant),
            &spec.vmin,
        ) {
            if a >= b {
                return Err(Diagnostic::at(
                    format!(
                        "vmin must be less than vmax (not {} and {})",
                        shown(a),
                        shown(b)
                    ),
                    raw.span(),
                ));
            }
        }
        let norm = norm_of(
            spec.norm.as_ref(),
            [
                ("vmin", vmin.as_ref(), spec.vmin.as_ref()),
                ("vmax", vmax.as_ref(), spec.vmax.as_ref()),
            ],
        )?;
        let opacity = match &spec.opacity {
            None => Param::constant(1.0),
            Some(raw) => {
                let p = cx.param(raw)?;
                if let Some(v) = p.as_constant().filter(|v| !(0.0..=1.0).contains(v)) {
                    return Err(Diagnostic::at(
                        format!("opacity must be 0 to 1, not {}", shown(v)),
                        raw.span(),
                    ));
                }
                p
            }
        };
        let under = spec.under.as_ref().map(|name| cx.clip(name)).transpose()?;
        let mut layer = Layer {
            rate: values.rate(spec.fps.is_some()),
            values,
            map,
            norm,
            fill,
            lines,
            labels,
            line_color: spec.contour_color.unwrap_or(Rgba::BLACK),
            line_width: dpi.pt(line_width),
            vmin,
            vmax,
            found: None,
            nan: spec.nan_color.unwrap_or(Rgba::TRANSPARENT),
            opacity,
            colorbar: spec.colorbar.unwrap_or(false),
            colorbar_label: colorbar_label(
                spec.colorbar_label.as_ref(),
                spec.colorbar.unwrap_or(false),
            )?,
            under,
            duration,
        };
        if spec.range.unwrap_or_default() == RangeMode::Clip {
            if layer.values.is_animated() && duration.is_none() {
                return Err(Diagnostic::new(
                    "this field changes over time, so its automatic value range is found over \
                     the whole clip, which needs the clip's `duration`",
                )
                .with_hint("give `duration`, or `vmin` and `vmax`, or `range = \"frame\"`"));
            }
            // As a field's (`source::field`): not for a plot nothing draws.
            if cx.may_draw() {
                let found = layer
                    .values
                    .scan_range(duration, cx.fps, norm)
                    .map_err(|e| Diagnostic::new(e.0))?;
                layer.found = Some(found.unwrap_or(grid::empty_range(norm)));
            }
        }
        Ok(layer)
    }

    /// How long the values last (an array's frames), if the plot gives no duration.
    pub fn duration(&self) -> Option<f64> {
        self.duration
    }

    /// The data rectangle the layer covers at t = 0, as limits for automatic axes:
    /// constant, or following a moving `x`/`y`.
    pub fn extent(
        spec: &LayerSpec,
        cx: &ResolveCx,
    ) -> Result<Option<(Interval, Interval)>, Diagnostic> {
        match (&spec.x, &spec.y) {
            (Some(x), Some(y)) => Ok(Some((
                Interval::compile(x, &cx.scope, "x")?,
                Interval::compile(y, &cx.scope, "y")?,
            ))),
            _ => Ok(None),
        }
    }

    /// The grid's extent at `env` in data units, for an array without `x` and `y`.
    pub fn array_extent(&self, env: &Env) -> Result<grid::Extent, RenderError> {
        let mut v = Vec::new();
        let (w, h) = self.values.at(env, &mut v)?;
        Ok(self.values.extent(env, w, h))
    }

    /// True if the value range, and so the colorbar, is the same in every frame.
    pub fn range_is_constant(&self) -> bool {
        let fixed = |p: &Option<Param>| p.as_ref().is_none_or(|p| p.as_constant().is_some());
        fixed(&self.vmin)
            && fixed(&self.vmax)
            && (self.found.is_some() || !self.values.is_animated())
    }

    /// The rate of the array shown, when its `fps` is written.
    pub fn rate(&self) -> Option<f64> {
        self.rate
    }

    /// What reading one frame's values holds (an array's frame), for the render's
    /// count of workers ([`crate::clip::Clip::working_bytes`]).
    pub fn working_bytes(&self) -> u64 {
        self.values.working_bytes()
    }

    /// The clip under the field, for the scene's tree.
    pub fn under(&self) -> Option<&Arc<dyn Clip>> {
        self.under.as_ref()
    }

    /// The values at `env`, row by row from the top (what a measurement of values reads).
    pub fn numbers(&self, env: &Env) -> Result<Vec<f64>, RenderError> {
        let mut vals = Vec::new();
        self.values.at(env, &mut vals)?;
        Ok(vals)
    }

    /// The values at `env`, with their range, levels and colours.
    pub fn frame(&self, env: &Env) -> Result<Frame, RenderError> {
        let mut vals = Vec::new();
        let (w, h) = self.values.at(env, &mut vals)?;
        if self.norm == Scale::Log && matches!(self.fill, Fill::Bands(_)) {
            // matplotlib's contour masks values ≤ 0 on a log scale: the cells they are
            // corners of are left out, as a NaN's are.
            for v in vals.iter_mut().filter(|v| **v <= 0.0) {
                *v = f64::NAN;
            }
        }
        let data = self.found.unwrap_or_else(|| {
            grid::value_range(&vals, self.norm).unwrap_or(grid::empty_range(self.norm))
        });
        let end = |p: &Option<Param>| {
            p.as_ref()
                .map(|p| p.eval(env))
                .filter(|v| self.norm.shows(*v))
        };
        let (lo, hi) = (end(&self.vmin), end(&self.vmax));
        let (levels, norm) = match &self.fill {
            Fill::Bands(choice) => {
                let levels = choice.at(data, self.norm);
                let norm = (
                    lo.unwrap_or(levels[0]),
                    hi.unwrap_or(levels[levels.len() - 1]),
                );
                (levels, norm)
            }
            Fill::Image(_) => (Vec::new(), (lo.unwrap_or(data.0), hi.unwrap_or(data.1))),
        };
        let colors = levels::band_colors(&levels, &self.map, norm, self.norm);
        Ok(Frame {
            place: self.values.placement(env),
            vals,
            w,
            h,
            range: data,
            levels,
            colors,
            norm,
        })
    }

    /// The colorbar of `fr`: bands for filled contours, the colormap for an image.
    pub fn draw_colorbar(
        &self,
        pm: &mut Pixmap,
        bar: crate::chart::paint::Bounds,
        fr: &Frame,
        ink: Rgba,
        (dpi, font): (crate::chart::style::Dpi, &crate::chart::fonts::Font),
    ) {
        let texts = colorbar::Texts {
            dpi,
            font,
            label: self.colorbar_label.as_deref(),
        };
        match self.fill {
            Fill::Bands(_) => {
                colorbar::draw_bands(pm, bar, (&fr.levels, self.norm), &fr.colors, ink, texts)
            }
            Fill::Image(_) => {
                let (lo, hi) = fr.norm;
                colorbar::draw(pm, bar, &self.map, (lo, hi, self.norm), ink, texts)
            }
        }
    }

    /// Draws the layer (picture under it, field, contour lines and their labels in the
    /// plot's `font`) inside the axes.
    #[allow(clippy::too_many_arguments)]
    pub fn draw(
        &self,
        pm: &mut Pixmap,
        axes: &Axes,
        mask: Option<&Mask>,
        fr: &Frame,
        env: &Env,
        cx: &RenderCx,
        (dpi, font): (Dpi, &Font),
    ) -> RenderResultUnit {
        let to_px = |i: f64, j: f64| {
            let (x, y) = fr.place.data(i, j);
            axes.px(x, y)
        };
        if let Some(under) = &self.under {
            let t = crate::base::time::clamp_time(env.t, under.duration());
            let picture = under.render(t, cx)?;
            let ((x0, x1), (y0, y1)) = self.values.extent(env, fr.w, fr.h);
            let (a, b) = (axes.px(x0, y1), axes.px(x1, y0));
            let (sx, sy) = (
                (b.0 - a.0) / picture.width() as f64,
                (b.1 - a.1) / picture.height() as f64,
            );
            if sx.is_finite() && sy.is_finite() && sx != 0.0 && sy != 0.0 {
                let paint = PixmapPaint {
                    quality: FilterQuality::Bilinear,
                    ..PixmapPaint::default()
                };
                let tr =
                    Transform::from_row(sx as f32, 0.0, 0.0, sy as f32, a.0 as f32, a.1 as f32);
                pm.draw_pixmap(0, 0, picture.as_ref(), &paint, tr, mask);
            }
        }
        let opacity = self.opacity.eval(env);
        if opacity.is_finite() && opacity > 0.0 {
            let mut layer = Pixmap::new(pm.width(), pm.height()).expect("the plot's size");
            match &self.fill {
                Fill::Image(interp) => self.draw_image(&mut layer, axes, fr, *interp),
                Fill::Bands(_) => self.draw_bands(&mut layer, fr, &to_px),
            }
            let paint = PixmapPaint {
                opacity: opacity.min(1.0) as f32,
                ..PixmapPaint::default()
            };
            pm.draw_pixmap(0, 0, layer.as_ref(), &paint, Transform::identity(), mask);
        }
        if let Some(choice) = &self.lines {
            let grid = Grid {
                values: &fr.vals,
                w: fr.w,
                h: fr.h,
            };
            let mut pb = PathBuilder::new();
            let levels = choice.at(fr.range, self.norm);
            let texts = if self.labels {
                level_labels(&levels)
            } else {
                Vec::new()
            };
            let mut labels = Vec::new();
            for (k, &level) in levels.iter().enumerate() {
                let mut segs = grid.line(level);
                for seg in &mut segs {
                    *seg = seg.map(|p| to_px(p.0, p.1));
                }
                segs.retain(|[p, q]| [p.0, p.1, q.0, q.1].iter().all(|v| v.is_finite()));
                let Some(text) = texts.get(k) else {
                    for [p, q] in segs {
                        pb.move_to(p.0 as f32, p.1 as f32);
                        pb.line_to(q.0 as f32, q.1 as f32);
                    }
                    continue;
                };
                let shaped = font.shape(text, dpi.pt(crate::chart::style::size::FONT));
                for line in clabel::join(&segs) {
                    let placed = clabel::place(&line, shaped.width);
                    let parts = match placed {
                        Some(p) => {
                            labels.push((shaped.clone(), p));
                            clabel::without(&line, p.gap)
                        }
                        None => vec![line],
                    };
                    for part in parts {
                        pb.move_to(part[0].0 as f32, part[0].1 as f32);
                        for p in &part[1..] {
                            pb.line_to(p.0 as f32, p.1 as f32);
                        }
                    }
                }
            }
            if let Some(path) = pb.finish() {
                let stroke = Stroke {
                    width: self.line_width as f32,
                    line_cap: LineCap::Round,
                    line_join: LineJoin::Round,
                    ..Stroke::default()
                };
                pm.stroke_path(
                    &path,
                    &paint(self.line_color),
                    &stroke,
                    Transform::identity(),
                    mask,
                );
            }
            // Clipped to the axes as the lines are; a label whose line is cut away
            // outside them (a field wider than the limits) is not drawn.
            let r = axes.rect;
            for (shaped, p) in labels {
                let (x, y) = p.centre;
                if x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1 {
                    shaped.draw_turned(pm, (p.centre, p.angle), self.line_color, mask);
                }
            }
        }
        Ok(())
    }

    /// Filled contours: each band is painted over the region of all values from its
    /// lower level up to the top level, so bands meet without seams of background.
    fn draw_bands(&self, pm: &mut Pixmap, fr: &Frame, to_px: &dyn Fn(f64, f64) -> (f64, f64)) {
        let grid = Grid {
            values: &fr.vals,
            w: fr.w,
            h: fr.h,
        };
        let top = fr.levels[fr.levels.len() - 1];
        for (k, color) in fr.colors.iter().enumerate() {
            let mut pb = PathBuilder::new();
            for poly in grid.region(fr.levels[k], Some(top)) {
                let mut first = true;
                for &(i, j) in &poly {
                    let (x, y) = to_px(i, j);
                    if !(x.is_finite() && y.is_finite()) {
                        continue;
                    }
                    let (x, y) = (x.clamp(-1e6, 1e6) as f32, y.clamp(-1e6, 1e6) as f32);
                    if first {
                        pb.move_to(x, y);
                        first = false;
                    } else {
                        pb.line_to(x, y);
                    }
                }
                pb.close();
            }
            if let Some(path) = pb.finish() {
                let [r, g, b] = *color;
                pm.fill_path(
                    &path,
                    &paint(Rgba([r, g, b, 255])),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        }
    }

    /// An image: each pixel of the axes inside the grid takes the colour of the value
    /// there (bilinear between grid points, or the nearest one).
    fn draw_image(&self, pm: &mut Pixmap, axes: &Axes, fr: &Frame, interp: Interpolation) {
        let (lo, hi) = fr.norm;
        let nan = self.nan.premultiplied();
        let r = axes.rect;
        let (w, h) = (pm.width() as usize, pm.height() as usize);
        let (px0, px1) = (r.x0.max(0.0) as usize, (r.x1.ceil() as usize).min(w));
        let (py0, py1) = (r.y0.max(0.0) as usize, (r.y1.ceil() as usize).min(h));
        let (gw, gh) = (fr.w as f64, fr.h as f64);
        let centred = matches!(self.values, Values::Array { .. });
        let data = pm.data_mut();
        let at = |i: usize, j: usize| fr.vals[j * fr.w + i];
        for py in py0..py1 {
            let y = axes.y.value(py as f64 + 0.5);
            for px in px0..px1 {
                let x = axes.x.value(px as f64 + 0.5);
                let (gi, gj) = fr.place.grid(x, y);
                let reach = if centred { 0.5 } else { 0.0 };
                if !(gi >= -reach
                    && gi <= gw - 1.0 + reach
                    && gj >= -reach
                    && gj <= gh - 1.0 + reach)
                {
                    continue;
                }
                let v = match interp {
                    Interpolation::Nearest => {
                        let i = (gi.round().max(0.0) as usize).min(fr.w - 1);
                        let j = (gj.round().max(0.0) as usize).min(fr.h - 1);
                        at(i, j)
                    }
                    Interpolation::Smooth => {
                        let gi = gi.clamp(0.0, gw - 1.0);
                        let gj = gj.clamp(0.0, gh - 1.0);
                        let (i0, j0) = (gi.floor() as usize, gj.floor() as usize);
                        let (i1, j1) = ((i0 + 1).min(fr.w - 1), (j0 + 1).min(fr.h - 1));
                        let (fx, fy) = (gi - i0 as f64, gj - j0 as f64);
                        let top = at(i0, j0) * (1.0 - fx) + at(i1, j0) * fx;
                        let bottom = at(i0, j1) * (1.0 - fx) + at(i1, j1) * fx;
                        top * (1.0 - fy) + bottom * fy
                    }
                };
                // NaN, and on a log scale values ≤ 0 (matplotlib's masked "bad" values).
                let u = self.norm.norm(v, lo, hi);
                let c = if u.is_nan() {
                    nan
                } else {
                    let [r, g, b] = self.map.map(u);
                    [r, g, b, 255]
                };
                let k = (py * w + px) * 4;
                data[k..k + 4].copy_from_slice(&c);
            }
        }
    }
}

type RenderResultUnit = Result<(), RenderError>;

/// The contour labels' texts, one a level: as an axis would tick those values
/// (matplotlib's `clabel` formats them with a `ScalarFormatter` too), or each number
/// written short when the ticks would need an offset.
fn level_labels(levels: &[f64]) -> Vec<String> {
    let (Some(&first), Some(&last)) = (levels.first(), levels.last()) else {
        return Vec::new();
    };
    let f = crate::chart::format::linear(levels, (first, last));
    if f.offset.is_empty() && f.labels.len() == levels.len() {
        f.labels
    } else {
        levels.iter().map(|&v| shown(v)).collect()
    }
}
