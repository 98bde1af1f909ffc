//! `kind = "field"`: a scalar field f(x, y, t) or frames of a NumPy array, coloured
//! through a colormap (or shown as RGB), scaled to the clip, with an optional colorbar.

use std::sync::Arc;

use serde::Deserialize;
use tiny_skia::Pixmap;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::colormap::Colormap;
use crate::base::diag::Diagnostic;
use crate::base::error::RenderError;
use crate::base::frame::{blank, Frame, RenderResult, Size};
use crate::base::limits;
use crate::base::pair::Pair;
use crate::chart::colorbar;
use crate::chart::fonts::Font;
use crate::chart::paint::Bounds;
use crate::chart::scale::Scale;
use crate::chart::style::Dpi;
use crate::clip::build::RawSize;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, RenderCx};
use crate::expr::{Env, Param, RawParam};
use crate::source::grid::{self, Values};
use crate::source::plot::{
    self,
    layer::{Contours, Interpolation, LayerSpec, Levels, RangeMode},
};
use crate::source::simulation::SimKeys;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub(crate) size: Option<RawSize>,
    pub(crate) duration: Option<Spanned<RawParam>>,
    pub(crate) f: Option<Spanned<String>>,
    pub(crate) x: Option<Spanned<Pair<RawParam>>>,
    pub(crate) y: Option<Spanned<Pair<RawParam>>>,
    pub(crate) resolution: Option<Spanned<Pair<u32>>>,
    pub(crate) npy: Option<Spanned<String>>,
    pub(crate) fps: Option<Spanned<RawParam>>,
    pub(crate) origin: Option<Spanned<grid::Origin>>,
    pub(crate) colormap: Option<Spanned<String>>,
    pub(crate) norm: Option<Spanned<Scale>>,
    pub(crate) vmin: Option<Spanned<RawParam>>,
    pub(crate) vmax: Option<Spanned<RawParam>>,
    pub(crate) range: Option<RangeMode>,
    pub(crate) colorbar: Option<bool>,
    pub(crate) colorbar_label: Option<Spanned<String>>,
    pub(crate) interpolation: Option<Interpolation>,
    pub(crate) background: Option<Rgba>,
    pub(crate) foreground: Option<Rgba>,
    pub(crate) nan_color: Option<Rgba>,
    // With any of these the field is drawn by a plot's field layer, on axes.
    pub(crate) axis: Option<bool>,
    pub(crate) title: Option<Spanned<String>>,
    pub(crate) xlabel: Option<Spanned<String>>,
    pub(crate) ylabel: Option<Spanned<String>>,
    pub(crate) levels: Option<Spanned<Levels>>,
    pub(crate) contours: Option<Spanned<Contours>>,
    pub(crate) contour_color: Option<Rgba>,
    pub(crate) contour_width: Option<Spanned<f64>>,
    pub(crate) contour_labels: Option<Spanned<bool>>,
    pub(crate) opacity: Option<Spanned<RawParam>>,
    pub(crate) under: Option<Spanned<String>>,
    pub(crate) dpi: Option<Spanned<f64>>,
    /// The face of the colorbar's labels and, on axes, of every text.
    pub(crate) font: Option<Spanned<String>>,
    /// The weight and style of every text of the chart, and the title's own
    /// (matplotlib's `fontweight`, `fontstyle`), as a text clip's `weight` and `style`.
    pub(crate) weight: Option<Spanned<crate::source::font::FontWeight>>,
    pub(crate) style: Option<Spanned<crate::source::font::FontStyle>>,
    pub(crate) title_weight: Option<Spanned<crate::source::font::FontWeight>>,
    pub(crate) title_style: Option<Spanned<crate::source::font::FontStyle>>,
    /// A simulation's keys (`kind = "simulation"`): its values come from its `show`.
    #[serde(skip)]
    pub(crate) sim: Option<Arc<SimKeys>>,
}

impl Spec {
    /// True if the field is drawn on axes (or hidden axes), by a plot.
    fn on_axes(&self) -> bool {
        self.axis == Some(true)
            || self.title.is_some()
            || self.xlabel.is_some()
            || self.ylabel.is_some()
            || self.levels.is_some()
            || self.contours.is_some()
            || self.contour_labels.as_ref().is_some_and(|l| *l.get_ref())
            || self.opacity.is_some()
            || self.under.is_some()
    }

    /// A simulation's RGB `show` (three expressions) is a picture drawn as it is: the
    /// keys that read values through a colormap, or put it on axes, are refused at
    /// `show` (`at`).
    fn refuse_for_rgb(&self, at: std::ops::Range<usize>) -> Result<(), Diagnostic> {
        let written = [
            ("colormap", self.colormap.is_some()),
            ("norm", self.norm.is_some()),
            ("vmin", self.vmin.is_some()),
            ("vmax", self.vmax.is_some()),
            ("range", self.range.is_some()),
            ("colorbar", self.colorbar == Some(true)),
            ("colorbar_label", self.colorbar_label.is_some()),
            ("nan_color", self.nan_color.is_some()),
            ("levels", self.levels.is_some()),
            ("contours", self.contours.is_some()),
            ("contour_labels", self.contour_labels.is_some()),
        ];
        if let Some((key, _)) = written.iter().find(|(_, w)| *w) {
            return Err(Diagnostic::at(
                format!(
                    "`show` of three expressions draws an RGB picture (red, green, blue from 0 \
                     to 1), not values through a colormap: `{key}` does nothing with it"
                ),
                at,
            )
            .with_hint(format!(
                "remove `{key}`, or give `show` one expression to draw it through a colormap"
            )));
        }
        let axes = [
            ("axis", self.axis == Some(true)),
            ("title", self.title.is_some()),
            ("xlabel", self.xlabel.is_some()),
            ("ylabel", self.ylabel.is_some()),
            ("opacity", self.opacity.is_some()),
            ("under", self.under.is_some()),
        ];
        if let Some((key, _)) = axes.iter().find(|(_, w)| *w) {
            return Err(Diagnostic::at(
                format!(
                    "`show` of three expressions draws an RGB picture, which is not drawn on \
                     axes: `{key}` puts the simulation on a plot's axes"
                ),
                at,
            )
            .with_hint(format!(
                "remove `{key}`: put a title or labels with a `caption` or a text clip, or \
                 give `show` one expression to draw values on axes"
            )));
        }
        Ok(())
    }

    /// The plot that draws this field: its figure keys, and the rest as its layer.
    fn into_plot(self, table: std::ops::Range<usize>) -> Result<plot::Spec, Diagnostic> {
        let size = self.size.ok_or_else(|| {
            Diagnostic::new("a field drawn on axes (or with levels, contours, opacity or a picture under it) needs its `size`")
        })?;
        let layer = LayerSpec {
            f: self.f,
            x: self.x,
            y: self.y,
            resolution: self.resolution,
            npy: self.npy,
            fps: self.fps,
            origin: self.origin,
            colormap: self.colormap,
            norm: self.norm,
            vmin: self.vmin,
            vmax: self.vmax,
            range: self.range,
            interpolation: self.interpolation,
            nan_color: self.nan_color,
            colorbar: self.colorbar,
            colorbar_label: self.colorbar_label,
            levels: self.levels,
            contours: self.contours,
            contour_color: self.contour_color,
            contour_width: self.contour_width,
            contour_labels: self.contour_labels,
            opacity: self.opacity,
            under: self.under,
            sim: self.sim,
        };
        Ok(plot::Spec {
            dpi: self.dpi,
            size,
            duration: self.duration,
            title: self.title,
            xlabel: self.xlabel,
            ylabel: self.ylabel,
            x: None,
            samples: None,
            xlim: None,
            ylim: None,
            limits: None,
            xscale: None,
            yscale: None,
            grid: None,
            legend: None,
            background: self.background,
            axes_background: None,
            foreground: self.foreground,
            series: None,
            annotations: None,
            field: Some(Spanned::new(table, layer)),
            axis: Some(self.axis.unwrap_or(false)),
            projection: None,
            rlim: None,
            theta_zero: None,
            theta_direction: None,
            font: self.font,
            weight: self.weight,
            style: self.style,
            title_weight: self.title_weight,
            title_style: self.title_style,
        })
    }
}

/// Rows drawn between two looks at the stop flag (`base::stop`).
const STOP_ROWS: usize = 64;

struct Field {
    /// `field`, or `simulation` for a simulation drawn as one.
    kind: &'static str,
    size: Size,
    duration: Option<f64>,
    values: Values,
    map: Colormap,
    /// How values are placed on the colormap: linearly, or their logarithm.
    norm: Scale,
    /// The value range when it is the same in every frame.
    range: Option<(f64, f64)>,
    /// `vmin` and `vmax` as given.
    vmin: Option<Param>,
    vmax: Option<Param>,
    /// The automatic range found over the clip (`range = "clip"`, an end not given).
    found: Option<(f64, f64)>,
    interpolation: Interpolation,
    /// Where the picture goes; the rest holds the colorbar.
    image: Bounds,
    colorbar: Option<Bounds>,
    background: Rgba,
    foreground: Rgba,
    /// The colorbar's: what a point is in pixels.
    dpi: Dpi,
    /// The face of the colorbar's labels.
    font: Font,
    /// The colorbar's own label.
    label: Option<String>,
    nan: Rgba,
    /// An array's own `fps`, when written: the clip's rate (see [`Clip::rate`]).
    rate: Option<f64>,
    /// The colorbar drawn once (fixed ranges).
    bar_layer: Option<Pixmap>,
    /// The last frames drawn.
    recent: Recent,
}

/// Builds the clip; errors without a place of their own point at the clip's table.
pub fn build(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    build_kind(spec, table, cx, "field")
}

/// Builds a field that calls itself `kind` (a simulation is drawn as a field).
pub fn build_kind(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
    kind: &'static str,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let mut spec = spec;
    // An empty title or label is none, as an empty `colorbar_label` is: `title = ""` is
    // how a clip made `from` a titled one leaves the title out (it kept its strip)
    for text in [&mut spec.title, &mut spec.xlabel, &mut spec.ylabel] {
        if text.as_ref().is_some_and(|t| t.get_ref().is_empty()) {
            *text = None;
        }
    }
    if let Some(sim) = spec.sim.as_deref().filter(|s| s.is_rgb()) {
        spec.refuse_for_rgb(sim.show.span())?;
    }
    if spec.on_axes() {
        let spec = spec
            .into_plot(table.clone())
            .map_err(|d| d.or_span(table.clone()))?;
        return plot::build_field(spec, table, cx, kind);
    }
    build_inner(spec, cx, kind).map_err(|d| d.or_span(table))
}

fn build_inner(
    spec: Spec,
    cx: &mut ResolveCx,
    kind: &'static str,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let duration = cx.duration(spec.duration.as_ref())?;
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
    let default_res = match &spec.size {
        Some(s) if spec.f.is_some() || spec.sim.is_some() => {
            let s = cx.size(s)?;
            Some((s.w, s.h))
        }
        _ => None,
    };
    let (values, natural, duration) = grid::compile(&keys, default_res, duration, cx)?;
    let is_rgb = values.is_rgb();
    if is_rgb && (spec.colorbar == Some(true) || spec.colorbar_label.is_some()) {
        // A picture has no values to read off a bar: the keys would do nothing.
        let at = spec
            .colorbar_label
            .as_ref()
            .map(|l| l.span())
            .or_else(|| spec.npy.as_ref().map(|n| n.span()))
            .unwrap_or_default();
        return Err(Diagnostic::at(
            "a colour bar reads values through a colormap, and this array holds RGB(A) \
             pictures, shown as they are: `colorbar` and `colorbar_label` draw nothing here",
            at,
        )
        .with_hint("remove them, or save the values (T×H×W) to draw them through a colormap"));
    }
    let bar = spec.colorbar.unwrap_or(false) && !is_rgb;
    let dpi = super::plot::dpi_of(spec.dpi.as_ref())?;
    let (font, _) = super::plot::fonts_of(super::plot::FontKeys::of_field(&spec), cx)?;
    let label = plot::layer::colorbar_label(spec.colorbar_label.as_ref(), bar)?;
    let labelled = plot::layer::label_lines(label.as_deref());
    let size = match &spec.size {
        Some(s) => cx.size(s)?,
        None if bar => {
            // A small grid gets room enough beside it for the bar and its labels.
            let extra = colorbar::width(natural.w, dpi, &font, labelled) as u32;
            let w = (natural.w + extra).max(colorbar::narrowest(dpi, &font, labelled));
            limits::check_size(w, natural.h).map_err(Diagnostic::new)?
        }
        None => natural,
    };
    let bar_w = match bar {
        // At the `size` given (the clip's header without one).
        true => {
            super::plot::colorbar_room("field", size, dpi, &font, labelled).map_err(
                |d| match &spec.size {
                    Some(s) => d.or_span(s.span()),
                    None => d,
                },
            )?
        }
        false => 0.0,
    };
    if bar {
        super::plot::check_colorbar_label(spec.colorbar_label.as_ref(), size.h, dpi, &font, cx);
    }
    let image = Bounds {
        x0: 0.0,
        y0: 0.0,
        x1: size.w as f64 - bar_w,
        y1: size.h as f64,
    };
    let end = |raw: &Option<Spanned<RawParam>>| raw.as_ref().map(|r| cx.param(r)).transpose();
    let (vmin, vmax) = (end(&spec.vmin)?, end(&spec.vmax)?);
    let constant = |p: &Option<Param>| p.as_ref().and_then(Param::as_constant);
    if let (Some(a), Some(b), Some(raw)) = (constant(&vmin), constant(&vmax), &spec.vmin) {
        if a >= b {
            return Err(Diagnostic::at(
                format!(
                    "vmin must be less than vmax (not {} and {})",
                    limits::shown(a),
                    limits::shown(b)
                ),
                raw.span(),
            ));
        }
    }
    let norm = plot::layer::norm_of(
        spec.norm.as_ref(),
        [
            ("vmin", vmin.as_ref(), spec.vmin.as_ref()),
            ("vmax", vmax.as_ref(), spec.vmax.as_ref()),
        ],
    )?;
    let rate = values.rate(spec.fps.is_some());
    let mut field = Field {
        kind,
        size,
        duration,
        values,
        map,
        norm,
        range: None,
        vmin,
        vmax,
        found: None,
        interpolation: spec.interpolation.unwrap_or_default(),
        image,
        colorbar: bar.then(|| colorbar::bar_bounds(image.x1, size.w, size.h, dpi, &font)),
        background: spec.background.unwrap_or(Rgba::WHITE),
        foreground: spec.foreground.unwrap_or(Rgba::BLACK),
        dpi,
        font,
        label,
        nan: spec.nan_color.unwrap_or(Rgba::TRANSPARENT),
        rate,
        bar_layer: None,
        recent: Recent::new(size),
    };
    let automatic = field.vmin.is_none() || field.vmax.is_none();
    if !is_rgb && automatic && spec.range.unwrap_or_default() == RangeMode::Clip {
        if field.is_animated() && field.duration.is_none() {
            return Err(Diagnostic::new(
                "this field changes over time, so its automatic value range is found over \
                 the whole clip, which needs its `duration`",
            )
            .with_hint("give `duration`, or `vmin` and `vmax`, or `range = \"frame\"`"));
        }
        // A pass over every frame: for a field nothing draws (unused, or named for its
        // size) it would be spent for nothing.
        if cx.may_draw() {
            let found = field
                .values
                .scan_range(field.duration, cx.fps, norm)
                .map_err(|e| Diagnostic::new(e.0))?;
            field.found = Some(found.unwrap_or(grid::empty_range(norm)));
        }
    }
    if !is_rgb {
        field.range = field.constant_range();
    }
    if let (Some(range), Some(bar)) = (field.range, field.colorbar) {
        // Kept for the whole render, used or not: counted with the pictures (at the
        // field's `size`; without one, at its table).
        let at = spec.size.as_ref().map(|s| s.span()).unwrap_or_default();
        cx.hold(super::file::frame_bytes(size), at).map_err(|mut d| {
            if spec.size.is_none() {
                d.span = None;
            }
            d.with_hint("a field with a colorbar keeps the bar drawn at its size: make it smaller, or use fewer such clips")
        })?;
        let mut layer = blank(size);
        colorbar::draw(
            &mut layer,
            bar,
            &field.map,
            (range.0, range.1, norm),
            field.foreground,
            field.texts(),
        );
        field.bar_layer = Some(layer);
    }
    Ok(Arc::new(field))
}

impl Field {
    /// The colorbar's texts.
    fn texts(&self) -> colorbar::Texts<'_> {
        colorbar::Texts {
            dpi: self.dpi,
            font: &self.font,
            label: self.label.as_deref(),
        }
    }

    fn env(&self, t: f64, fps: f64) -> Env {
        Env {
            t,
            duration: self.duration.unwrap_or(0.0),
            fps,
        }
    }

    /// True if the values can change over time.
    fn is_animated(&self) -> bool {
        self.values.is_animated()
    }

    /// The values at `t`, row by row from the top, and the grid's width and height.
    fn values(&self, t: f64, fps: f64, out: &mut Vec<f64>) -> Result<(usize, usize), RenderError> {
        self.values.at(&self.env(t, fps), out)
    }

    /// The value range if it is the same in every frame: given ends that are
    /// constant, automatic ones found over the clip.
    fn constant_range(&self) -> Option<(f64, f64)> {
        let end = |p: &Option<Param>, found: Option<f64>| match p {
            Some(p) => p.as_constant(),
            None => found,
        };
        Some((
            end(&self.vmin, self.found.map(|f| f.0))?,
            end(&self.vmax, self.found.map(|f| f.1))?,
        ))
    }

    /// The value range of the frame at `env` showing `vals`: `vmin` and `vmax` where
    /// given and finite (and positive on a log scale) at this instant, else the range
    /// found over the clip, else this frame's values the scale shows (0..1, or 1..10 on
    /// a log scale, if it has none).
    fn range_at(&self, env: &Env, vals: &[f64]) -> (f64, f64) {
        let end = |p: &Option<Param>| {
            p.as_ref()
                .map(|p| p.eval(env))
                .filter(|v| self.norm.shows(*v))
        };
        let (lo, hi) = (end(&self.vmin), end(&self.vmax));
        if let (Some(lo), Some(hi)) = (lo, hi) {
            return (lo, hi);
        }
        let auto = self.found.unwrap_or_else(|| {
            grid::value_range(vals, self.norm).unwrap_or(grid::empty_range(self.norm))
        });
        (lo.unwrap_or(auto.0), hi.unwrap_or(auto.1))
    }

    fn draw_scalar(&self, pm: &mut Pixmap, vals: &[f64], gw: usize, gh: usize, range: (f64, f64)) {
        let (lo, hi) = range;
        let colors = self.map.colors();
        let n = colors.len();
        let nan = self.nan.premultiplied();
        let color_of = |v: f64| -> [u8; 4] {
            // NaN, and on a log scale values ≤ 0 (matplotlib's masked "bad" values).
            let u = self.norm.norm(v, lo, hi);
            if u.is_nan() {
                return nan;
            }
            let i = if u <= 0.0 {
                0
            } else if u >= 1.0 {
                n - 1
            } else {
                ((u * n as f64) as usize).min(n - 1)
            };
            let [r, g, b] = colors[i];
            [r, g, b, 255]
        };
        let (iw, ih) = (self.image.x1 as usize, self.image.y1 as usize);
        let w = pm.width() as usize;
        let data = pm.data_mut();
        let sample = Sampler::new(gw, iw, self.interpolation);
        let rows = Sampler::new(gh, ih, self.interpolation);
        for py in 0..ih {
            if py % STOP_ROWS == 0 && crate::base::stop::signalled() {
                return;
            }
            let (j0, j1, fy) = rows.at(py);
            for px in 0..iw {
                let (i0, i1, fx) = sample.at(px);
                let v = match self.interpolation {
                    Interpolation::Nearest => vals[j0 * gw + i0],
                    Interpolation::Smooth => {
                        let top = vals[j0 * gw + i0] * (1.0 - fx) + vals[j0 * gw + i1] * fx;
                        let bottom = vals[j1 * gw + i0] * (1.0 - fx) + vals[j1 * gw + i1] * fx;
                        top * (1.0 - fy) + bottom * fy
                    }
                };
                let k = (py * w + px) * 4;
                data[k..k + 4].copy_from_slice(&color_of(v));
            }
        }
    }

    /// Draws a picture of `gw` × `gh` straight RGBA bytes over the image's box,
    /// interpolated on premultiplied colours (so a transparent pixel's colour does not
    /// bleed into its neighbours).
    fn draw_rgba(&self, pm: &mut Pixmap, rgba: &mut [u8], gw: usize, gh: usize) {
        for p in rgba.chunks_exact_mut(4) {
            let a = u16::from(p[3]);
            for c in &mut p[..3] {
                *c = ((u16::from(*c) * a + 127) / 255) as u8;
            }
        }
        let premultiplied: &[u8] = rgba;
        let (iw, ih) = (self.image.x1 as usize, self.image.y1 as usize);
        let w = pm.width() as usize;
        let data = pm.data_mut();
        let cols = Sampler::new(gw, iw, self.interpolation);
        let rows = Sampler::new(gh, ih, self.interpolation);
        for py in 0..ih {
            if py % STOP_ROWS == 0 && crate::base::stop::signalled() {
                return;
            }
            let (j0, j1, fy) = rows.at(py);
            for px in 0..iw {
                let (i0, i1, fx) = cols.at(px);
                let at =
                    |j: usize, i: usize, c: usize| f64::from(premultiplied[(j * gw + i) * 4 + c]);
                let mut out = [0u8; 4];
                for (c, o) in out.iter_mut().enumerate() {
                    let v = match self.interpolation {
                        Interpolation::Nearest => at(j0, i0, c),
                        Interpolation::Smooth => {
                            let top = at(j0, i0, c) * (1.0 - fx) + at(j0, i1, c) * fx;
                            let bottom = at(j1, i0, c) * (1.0 - fx) + at(j1, i1, c) * fx;
                            top * (1.0 - fy) + bottom * fy
                        }
                    };
                    *o = v.round().clamp(0.0, 255.0) as u8;
                }
                // Rounding can leave a colour a level above its alpha.
                for c in 0..3 {
                    out[c] = out[c].min(out[3]);
                }
                let k = (py * w + px) * 4;
                data[k..k + 4].copy_from_slice(&out);
            }
        }
    }
}

/// Which grid cells a pixel column (or row) reads: nearest, or the two neighbours and
/// the weight of the second (pixel centres aligned with cell centres).
struct Sampler {
    grid: usize,
    pixels: usize,
    mode: Interpolation,
}

impl Sampler {
    fn new(grid: usize, pixels: usize, mode: Interpolation) -> Sampler {
        Sampler {
            grid: grid.max(1),
            pixels: pixels.max(1),
            mode,
        }
    }

    fn at(&self, p: usize) -> (usize, usize, f64) {
        let scale = self.grid as f64 / self.pixels as f64;
        match self.mode {
            Interpolation::Nearest => {
                let i = (((p as f64 + 0.5) * scale) as usize).min(self.grid - 1);
                (i, i, 0.0)
            }
            Interpolation::Smooth => {
                let g = ((p as f64 + 0.5) * scale - 0.5).clamp(0.0, (self.grid - 1) as f64);
                let i0 = g.floor() as usize;
                let i1 = (i0 + 1).min(self.grid - 1);
                (i0, i1, g - i0 as f64)
            }
        }
    }
}

impl Clip for Field {
    fn kind(&self) -> &'static str {
        self.kind
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
    fn working_bytes(&self) -> u64 {
        self.values.working_bytes()
    }
    fn numbers(&self, t: f64, cx: &RenderCx) -> Option<Result<Vec<f64>, RenderError>> {
        if !self.draws_numbers() {
            return None;
        }
        let mut vals = Vec::new();
        Some(self.values(t, cx.fps, &mut vals).map(|_| vals))
    }
    fn draws_numbers(&self) -> bool {
        !self.values.is_rgb()
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        // A clip shown twice in a frame (as it is and thresholded, say) is drawn once.
        let key = (t.to_bits(), cx.fps.to_bits());
        if let Some(frame) = self.recent.get(key) {
            return Ok(frame);
        }
        let frame = self.draw(t, cx)?;
        self.recent.put(key, &frame);
        Ok(frame)
    }
}

impl Field {
    /// The frame at `t`, drawn.
    fn draw(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let mut pm = blank(self.size);
        if self.colorbar.is_some() {
            pm.fill(self.background.to_skia());
        }
        if let Values::Array { npy, fps, flip, .. } = &self.values {
            if npy.rgb {
                let mut rgba = Vec::new();
                let i = Values::frame_index(t, npy, *fps);
                npy.rgba_frame(i, &mut rgba).map_err(RenderError)?;
                if *flip {
                    grid::flip_rows(&mut rgba, npy.width * 4);
                }
                self.draw_rgba(&mut pm, &mut rgba, npy.width, npy.height);
                crate::base::stop::check()?;
                return Ok(pm);
            }
        }
        if let Values::Simulation { .. } = &self.values {
            if self.values.is_rgb() {
                let mut rgba = Vec::new();
                let (gw, gh) = self.values.rgba_at(&self.env(t, cx.fps), &mut rgba)?;
                self.draw_rgba(&mut pm, &mut rgba, gw, gh);
                crate::base::stop::check()?;
                return Ok(pm);
            }
        }
        let mut vals = Vec::new();
        let (gw, gh) = self.values(t, cx.fps, &mut vals)?;
        let range = match self.range {
            Some(r) => r,
            None => self.range_at(&self.env(t, cx.fps), &vals),
        };
        self.draw_scalar(&mut pm, &vals, gw, gh, range);
        // Drawing stops part-way on a signal: such a frame is not handed on.
        crate::base::stop::check()?;
        match (&self.bar_layer, self.colorbar) {
            (Some(layer), _) => pm.draw_pixmap(
                0,
                0,
                layer.as_ref(),
                &tiny_skia::PixmapPaint::default(),
                tiny_skia::Transform::identity(),
                None,
            ),
            (None, Some(bar)) => colorbar::draw(
                &mut pm,
                bar,
                &self.map,
                (range.0, range.1, self.norm),
                self.foreground,
                self.texts(),
            ),
            (None, None) => {}
        }
        Ok(pm)
    }
}

/// The frames a field drew last, by time and rate: what render threads ask for again
/// within one frame, or after a measurement's pass over the field.
struct Recent {
    keep: usize,
    frames: std::sync::Mutex<std::collections::VecDeque<((u64, u64), Frame)>>,
}

impl Recent {
    /// Up to 256 frames, within 32 MiB: enough for a measurement's pass over a short
    /// field to leave its frames for the render.
    fn new(size: Size) -> Recent {
        let bytes = (size.w as u64 * size.h as u64 * 4).max(1);
        Recent {
            keep: ((32u64 << 20) / bytes).min(256) as usize,
            frames: std::sync::Mutex::new(std::collections::VecDeque::new()),
        }
    }

    fn get(&self, key: (u64, u64)) -> Option<Frame> {
        let frames = self.frames.lock().unwrap_or_else(|e| e.into_inner());
        frames
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, f)| f.clone())
    }

    fn put(&self, key: (u64, u64), frame: &Frame) {
        if self.keep == 0 {
            return;
        }
        let mut frames = self.frames.lock().unwrap_or_else(|e| e.into_inner());
        if frames.len() >= self.keep {
            frames.pop_back();
        }
        frames.push_front((key, frame.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samplers() {
        let n = Sampler::new(2, 4, Interpolation::Nearest);
        assert_eq!(
            (0..4).map(|p| n.at(p).0).collect::<Vec<_>>(),
            vec![0, 0, 1, 1]
        );
        let s = Sampler::new(2, 4, Interpolation::Smooth);
        assert_eq!(s.at(0), (0, 1, 0.0));
        assert_eq!(s.at(1), (0, 1, 0.25));
        assert_eq!(s.at(3), (1, 1, 0.0));
    }
}
