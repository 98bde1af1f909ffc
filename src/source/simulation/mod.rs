//! `kind = "simulation"`: grids stepped by lines written in the scene (crate::sim),
//! drawn by the field's drawing: a simulation is a field whose values come from its
//! `show`. See docs/simulations.md.

pub mod values;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::pair::Pair;
use crate::chart::scale::Scale;
use crate::clip::build::{RawSize, ResolveCx};
use crate::clip::Clip;
use crate::expr::{RawParam, Scalar};
use crate::sim::Boundary;
use crate::source::field;
use crate::source::plot::layer::{Contours, Interpolation, Levels, RangeMode};
pub use values::{Show, SimKeys};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    size: Option<RawSize>,
    duration: Option<Spanned<RawParam>>,
    fps: Option<Spanned<RawParam>>,
    grid: Option<Spanned<Pair<u32>>>,
    steps_per_frame: Option<Spanned<i64>>,
    boundary: Option<Spanned<Boundary>>,
    init: Spanned<BTreeMap<Spanned<String>, Spanned<Scalar>>>,
    step: Option<Spanned<Vec<Spanned<String>>>>,
    show: Spanned<Show>,
    seed: Option<Spanned<i64>>,
    // How `show` is drawn: a field's keys.
    colormap: Option<Spanned<String>>,
    norm: Option<Spanned<Scale>>,
    vmin: Option<Spanned<RawParam>>,
    vmax: Option<Spanned<RawParam>>,
    range: Option<RangeMode>,
    colorbar: Option<bool>,
    colorbar_label: Option<Spanned<String>>,
    interpolation: Option<Interpolation>,
    background: Option<Rgba>,
    foreground: Option<Rgba>,
    nan_color: Option<Rgba>,
    axis: Option<bool>,
    title: Option<Spanned<String>>,
    xlabel: Option<Spanned<String>>,
    ylabel: Option<Spanned<String>>,
    levels: Option<Spanned<Levels>>,
    contours: Option<Spanned<Contours>>,
    contour_color: Option<Rgba>,
    contour_width: Option<Spanned<f64>>,
    contour_labels: Option<Spanned<bool>>,
    opacity: Option<Spanned<RawParam>>,
    under: Option<Spanned<String>>,
    dpi: Option<Spanned<f64>>,
    font: Option<Spanned<String>>,
    weight: Option<Spanned<crate::source::font::FontWeight>>,
    style: Option<Spanned<crate::source::font::FontStyle>>,
    title_weight: Option<Spanned<crate::source::font::FontWeight>>,
    title_style: Option<Spanned<crate::source::font::FontStyle>>,
}

pub fn build(
    spec: Spec,
    table: std::ops::Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let sim = SimKeys {
        grid: spec.grid,
        steps_per_frame: spec.steps_per_frame,
        boundary: spec.boundary,
        init: spec.init,
        step: spec.step,
        show: spec.show,
        seed: spec.seed,
        table: table.clone(),
        size_at: spec.size.as_ref().map(|s| s.span()),
    };
    let field = field::Spec {
        size: spec.size,
        duration: spec.duration,
        f: None,
        x: None,
        y: None,
        resolution: None,
        npy: None,
        fps: spec.fps,
        origin: None,
        colormap: spec.colormap,
        norm: spec.norm,
        vmin: spec.vmin,
        vmax: spec.vmax,
        range: spec.range,
        colorbar: spec.colorbar,
        colorbar_label: spec.colorbar_label,
        interpolation: spec.interpolation,
        background: spec.background,
        foreground: spec.foreground,
        nan_color: spec.nan_color,
        axis: spec.axis,
        title: spec.title,
        xlabel: spec.xlabel,
        ylabel: spec.ylabel,
        levels: spec.levels,
        contours: spec.contours,
        contour_color: spec.contour_color,
        contour_width: spec.contour_width,
        contour_labels: spec.contour_labels,
        opacity: spec.opacity,
        under: spec.under,
        dpi: spec.dpi,
        font: spec.font,
        weight: spec.weight,
        style: spec.style,
        title_weight: spec.title_weight,
        title_style: spec.title_style,
        sim: Some(Arc::new(sim)),
    };
    field::build_kind(field, table, cx, "simulation")
}
