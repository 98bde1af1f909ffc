//! `projection = "polar"`: a plot's series on polar axes, a series' x read as θ (in
//! radians) and its y as r, as matplotlib's `plot(theta, r)` on a polar subplot.
//!
//! The keys of cartesian axes that mean nothing here (`xlim`, `xscale`, a `field`…)
//! are refused at their place with the polar key to write; `rlim`, `theta_zero` and
//! `theta_direction` are refused on other plots. r's automatic limits are matplotlib's:
//! from 0 (or, with negative data, the data's least r less 5 %) to the largest r plus
//! 5 % of the data's range, chosen over the clip or in each frame as `limits` says.

use tiny_skia::{Mask, Pixmap};
use toml::Spanned;

use super::limits::{AxisLimits, Lim};
use super::series::{range_of, Sample, Series};
use super::spec::{SeriesSpec, Spec};
use crate::base::diag::Diagnostic;
use crate::chart::polar::{Orientation, PolarAxes};
use crate::chart::scale::Scale;
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Interval};

/// A plot's polar axes: how θ turns, and how r's limits are found.
pub struct Polar {
    pub orientation: Orientation,
    pub r: AxisLimits,
    /// The axes drawn once, when r's limits and the texts hold still.
    pub fixed: Option<Box<PolarLayers>>,
}

/// Polar axes drawn for some limits: under and over the series, and the circle that
/// clips them.
pub struct PolarLayers {
    pub axes: PolarAxes,
    pub under: Pixmap,
    pub over: Pixmap,
    pub mask: Option<Mask>,
}

/// Whether the plot is polar; its cartesian keys refused if so, its polar keys if not.
pub fn check_keys(spec: &Spec) -> Result<bool, Diagnostic> {
    let polar = spec
        .projection
        .as_ref()
        .is_some_and(|p| *p.get_ref() == super::spec::Projection::Polar);
    if !polar {
        let polar_only = [
            ("rlim", spec.rlim.as_ref().map(Spanned::span)),
            ("theta_zero", spec.theta_zero.as_ref().map(Spanned::span)),
            (
                "theta_direction",
                spec.theta_direction.as_ref().map(Spanned::span),
            ),
        ];
        if let Some((key, Some(span))) = polar_only.into_iter().find(|(_, s)| s.is_some()) {
            return Err(Diagnostic::at(
                format!("`{key}` is a key of polar axes, and this plot's are not"),
                span,
            )
            .with_hint("add `projection = \"polar\"` to the plot"));
        }
        return Ok(false);
    }
    let refused = [
        (
            "xlim",
            spec.xlim.as_ref().map(Spanned::span),
            "θ always goes once around the circle; r's limits are `rlim = [min, max]`",
        ),
        (
            "ylim",
            spec.ylim.as_ref().map(Spanned::span),
            "r's limits on polar axes are `rlim = [min, max]`",
        ),
        (
            "xlabel",
            spec.xlabel.as_ref().map(Spanned::span),
            "polar axes have no axis labels here: say what θ and r are in the `title`",
        ),
        (
            "ylabel",
            spec.ylabel.as_ref().map(Spanned::span),
            "polar axes have no axis labels here: say what θ and r are in the `title`",
        ),
        (
            "field",
            spec.field.as_ref().map(Spanned::span),
            "a field is drawn on cartesian axes: leave `projection` out, or draw the values \
             as series",
        ),
        (
            "annotations",
            spec.annotations.as_ref().map(Spanned::span),
            "annotations are placed on cartesian axes: leave `projection` out, or use a \
             series' `label` and the legend",
        ),
    ];
    first_refused(refused, |key| {
        format!("`{key}` means nothing on polar axes (`projection = \"polar\"`)")
    })?;
    for (key, scale) in [("xscale", &spec.xscale), ("yscale", &spec.yscale)] {
        if let Some(s) = scale {
            return Err(Diagnostic::at(
                format!("`{key}` means nothing on polar axes (`projection = \"polar\"`)"),
                s.span(),
            )
            .with_hint("θ and r are linear on polar axes here: leave it out"));
        }
    }
    if spec.axis == Some(false) {
        return Err(Diagnostic::new(
            "`axis = false` is not drawn on polar axes (`projection = \"polar\"`)",
        )
        .with_hint("leave `axis` out: polar axes always show their circle and labels"));
    }
    if let Some(d) = &spec.theta_direction {
        if !matches!(d.get_ref(), 1 | -1) {
            return Err(Diagnostic::at(
                format!(
                    "theta_direction is 1 (counter-clockwise) or -1 (clockwise), not {}",
                    d.get_ref()
                ),
                d.span(),
            ));
        }
    }
    Ok(true)
}

/// A series' keys that mean nothing on polar axes, refused at their place.
pub fn check_series(raw: &Spanned<SeriesSpec>, compiled: &Series) -> Result<(), Diagnostic> {
    let s = raw.get_ref();
    if compiled.x_dates {
        let at = s.x.as_ref().map_or(raw.span(), Spanned::span);
        return Err(
            Diagnostic::at("θ on polar axes is an angle in radians, not a date", at).with_hint(
                "turn the dates into an angle with a formula of columns, or leave `projection` out",
            ),
        );
    }
    let refused = [
        (
            "head_label",
            s.head_label.as_ref().map(Spanned::span),
            "label the series in the legend (`label`) instead",
        ),
        (
            "colorbar",
            s.colorbar.as_ref().map(Spanned::span),
            "the points keep their colours from `color_by`; leave the colorbar out",
        ),
    ];
    first_refused(refused, |key| {
        format!("a series' `{key}` is not drawn on polar axes")
    })
}

/// The error for the first key given of `refused` (its name, its place if given, a
/// hint), worded by `message`.
fn first_refused<const N: usize>(
    refused: [(&str, Option<std::ops::Range<usize>>, &str); N],
    message: impl Fn(&str) -> String,
) -> Result<(), Diagnostic> {
    match refused.into_iter().find(|(_, s, _)| s.is_some()) {
        Some((key, Some(span), hint)) => Err(Diagnostic::at(message(key), span).with_hint(hint)),
        _ => Ok(()),
    }
}

/// θ's default sampling range for function series on polar axes: once around.
pub fn default_x() -> Interval {
    Interval::constant(0.0, std::f64::consts::TAU)
}

/// `rlim` compiled: two different numbers, expressions or keyframes, the first (the
/// centre's) below the second where both are constant.
pub fn rlim_of(spec: &Spec, cx: &ResolveCx) -> Result<AxisLimits, Diagnostic> {
    let Some(raw) = &spec.rlim else {
        return Ok(AxisLimits::Frame);
    };
    let iv = range_of(raw, "rlim", Scale::Linear, cx)?;
    if let Some((a, b)) = iv.as_constant() {
        if a > b {
            return Err(Diagnostic::at(
                format!("rlim is [centre, circle] with the centre's r the smaller, not [{a}, {b}]"),
                raw.span(),
            )
            .with_hint(format!("write rlim = [{b}, {a}]")));
        }
    }
    Ok(AxisLimits::Given(iv))
}

/// How θ turns: `theta_zero` and `theta_direction`.
pub fn orientation(spec: &Spec) -> Orientation {
    Orientation {
        zero: spec
            .theta_zero
            .as_ref()
            .map_or(0.0, |z| z.get_ref().radians()),
        direction: spec
            .theta_direction
            .as_ref()
            .map_or(1.0, |d| *d.get_ref() as f64),
    }
}

/// The least and largest r (and fill edges) the samples show.
#[derive(Default, Clone, Copy)]
pub struct RExtent(Option<Lim>);

impl RExtent {
    pub fn add(&mut self, s: &Sample) {
        for &v in s.ys.iter().chain(&s.y2) {
            if v.is_finite() {
                self.0 = Some(match self.0 {
                    None => (v, v),
                    Some((a, b)) => (a.min(v), b.max(v)),
                });
            }
        }
    }

    /// matplotlib's automatic r limits for this extent: a single value widened by 5 %
    /// of itself, then 5 % of the range added at each end; the centre at r = 0 unless
    /// some r is negative.
    pub fn limits(self) -> Lim {
        let Some((lo, hi)) = self.0 else {
            return (0.0, 1.0);
        };
        let (a, b) = if hi - lo <= hi.abs().max(lo.abs()) * 1e-12 {
            let d = if lo == 0.0 { 0.05 } else { 0.05 * lo.abs() };
            ((lo - d).max(-f64::MAX), (hi + d).min(f64::MAX))
        } else {
            (lo, hi)
        };
        let m = if (b - a).is_finite() {
            (b - a) * 0.05
        } else {
            // r from -1e308 to 1e308: the margin on halves, the ends kept finite
            (b * 0.5 - a * 0.5) * 0.1
        };
        let (a, b) = ((a - m).max(-f64::MAX), (b + m).min(f64::MAX));
        if lo >= 0.0 && hi > 0.0 {
            (0.0, b)
        } else {
            (a, b)
        }
    }
}

/// r's limits at `env`: given ones where they can be shown (finite, increasing), else
/// those of what `samples` show.
pub fn r_at(r: &AxisLimits, env: &Env, samples: &[Sample]) -> Lim {
    if let Some((a, b)) = r.at(env, Scale::Linear) {
        if a < b {
            return (a, b);
        }
    }
    let mut ext = RExtent::default();
    for s in samples {
        ext.add(s);
    }
    ext.limits()
}

/// r's automatic limits over what the series show at `times`.
pub fn r_over(series: &[Series], times: &[f64], env: impl Fn(f64) -> Env) -> Lim {
    let mut ext = RExtent::default();
    for &t in times {
        let env = env(t);
        for s in series {
            ext.add(&s.sample(&env));
        }
    }
    ext.limits()
}

impl super::Placing for PolarAxes {
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        PolarAxes::px(self, x, y)
    }
    /// A fill down to r below the centre's (`fill = "under"` with r from 0 when the
    /// centre is higher) ends at the centre.
    fn edge(&self, x: f64, y2: f64) -> (f64, f64) {
        PolarAxes::px(self, x, if y2 < self.rlim.0 { self.rlim.0 } else { y2 })
    }
}

impl super::Plot {
    /// The polar axes of a plot whose series are compiled: r's limits found (over the
    /// clip when automatic and `limits = "clip"`), the axes drawn once when they hold
    /// still.
    pub(super) fn compile_polar(
        &self,
        spec: &Spec,
        mode: super::spec::LimitsMode,
        series_list: &[Spanned<SeriesSpec>],
        size_span: std::ops::Range<usize>,
        cx: &mut ResolveCx,
    ) -> Result<Polar, Diagnostic> {
        let orientation = orientation(spec);
        let mut r = rlim_of(spec, cx)?;
        if mode == super::spec::LimitsMode::Clip && matches!(r, AxisLimits::Frame) {
            let times = match self.series.iter().position(Series::is_animated) {
                None => vec![0.0],
                Some(i) => {
                    let d = self.duration.ok_or_else(|| {
                        let d = Diagnostic::new(
                            "this polar plot changes over time, so its automatic r limits are \
                             chosen over the whole clip, which needs its `duration`",
                        )
                        .with_hint("give `duration`, or a fixed `rlim`, or `limits = \"frame\"`");
                        match series_list.get(i) {
                            Some(s) => d.or_span(s.span()),
                            None => d,
                        }
                    })?;
                    crate::base::time::spread_instants(d, cx.fps, super::MAX_LIMIT_SAMPLES)
                }
            };
            let fps = cx.fps;
            r = AxisLimits::Clip(r_over(&self.series, &times, |t| self.env(t, fps)));
        }
        let fixed = match r.as_constant() {
            Some(lim) if self.live.is_none() && lim.0 < lim.1 => {
                cx.hold(super::layers_bytes(self.size), size_span)
                    .map_err(|d| {
                        d.with_hint("a plot keeps its axes drawn at its size: make it smaller, or use fewer such clips")
                    })?;
                Some(Box::new(self.polar_layers(
                    &self.decor,
                    lim,
                    orientation,
                    None,
                )))
            }
            _ => None,
        };
        Ok(Polar {
            orientation,
            r,
            fixed,
        })
    }

    /// The polar axes for `rlim`, with the legend unless it changes over time (then it
    /// is drawn at `env` when one is given, else left for each frame).
    fn polar_layers(
        &self,
        decor: &crate::chart::axes::Decor,
        rlim: Lim,
        orientation: Orientation,
        env: Option<&Env>,
    ) -> PolarLayers {
        let (w, h) = (self.size.w, self.size.h);
        let axes = PolarAxes::new(w, h, decor, rlim, orientation);
        self.cut.check_texts(axes.cut_texts(w));
        let mut under = crate::base::frame::blank(self.size);
        axes.draw_under(&mut under);
        let mut over = crate::base::frame::blank(self.size);
        axes.draw_over(&mut over);
        self.draw_legend(&mut over, axes.bounds(), env);
        let mask = axes.mask(w, h);
        PolarLayers {
            axes,
            under,
            over,
            mask,
        }
    }

    /// The frame at `env` of a polar plot whose series show `samples`.
    pub(super) fn render_polar(&self, p: &Polar, env: &Env, samples: &[Sample]) -> Pixmap {
        let per_frame;
        let layers: &PolarLayers = match &p.fixed {
            Some(l) => l,
            None => {
                let lim = r_at(&p.r, env, samples);
                let now;
                let decor = match &self.live {
                    Some(live) => {
                        now = live.at(&self.decor, env);
                        &now
                    }
                    None => &self.decor,
                };
                per_frame = self.polar_layers(decor, lim, p.orientation, Some(env));
                &per_frame
            }
        };
        let mut pm = layers.under.clone();
        self.draw_series(
            &mut pm,
            &layers.axes,
            layers.mask.as_ref(),
            None,
            samples,
            env,
        );
        pm.draw_pixmap(
            0,
            0,
            layers.over.as_ref(),
            &tiny_skia::PixmapPaint::default(),
            tiny_skia::Transform::identity(),
            None,
        );
        if let (Some(_), Some(legend)) = (&p.fixed, &self.legend) {
            if legend.animated {
                self.draw_legend_at(&mut pm, legend, layers.axes.bounds(), env);
            }
        }
        pm
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(v: &[f64]) -> Lim {
        let mut e = RExtent::default();
        e.add(&Sample {
            xs: vec![0.0; v.len()],
            ys: v.to_vec(),
            sizes: Vec::new(),
            y2: Vec::new(),
            colors: Vec::new(),
            opacities: Vec::new(),
        });
        e.limits()
    }

    #[test]
    fn automatic_r_limits_are_matplotlibs() {
        // matplotlib 3.11: plot(theta, r) on a polar subplot, then get_ylim()
        let close = |a: Lim, b: Lim| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9;
        assert!(close(limits(&[0.0, 0.93]), (0.0, 0.9765)));
        assert!(close(limits(&[1.0, 3.0]), (0.0, 3.1)));
        assert!(close(limits(&[1.0, 1.0]), (0.0, 1.055)));
        assert!(close(limits(&[5.0]), (0.0, 5.275)));
        assert!(close(limits(&[0.0, 0.0]), (-0.055, 0.055)));
        assert!(close(limits(&[-1.0, 1.0]), (-1.1, 1.1)));
        assert_eq!(limits(&[f64::NAN]), (0.0, 1.0));
    }

    /// r of ±1e308: the range and its margin overflowed, and the limits were infinite
    /// (hostile12 F-EA).
    #[test]
    fn r_limits_at_the_ends_of_the_doubles_are_finite() {
        let (a, b) = limits(&[-1e308, 1e308]);
        assert!(
            a.is_finite() && b.is_finite() && a < -1e308 && b > 1e308,
            "{a} {b}"
        );
        assert_eq!(limits(&[-f64::MAX, f64::MAX]), (-f64::MAX, f64::MAX));
        assert_eq!(limits(&[f64::MAX]), (0.0, f64::MAX));
    }
}
