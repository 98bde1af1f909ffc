//! `kind = "bars"` as written in the scene file.

use serde::Deserialize;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::clip::build::RawSize;
use crate::expr::RawParam;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub size: RawSize,
    pub duration: Option<Spanned<RawParam>>,
    /// Dots per inch: what a point is in pixels, as a plot's.
    pub dpi: Option<Spanned<f64>>,
    /// The face of every text of the chart, as a plot's `font`.
    pub font: Option<Spanned<String>>,
    /// The weight and style of every text of the chart, and the title's own
    /// (matplotlib's `fontweight`, `fontstyle`), as a text clip's `weight` and `style`.
    pub weight: Option<Spanned<crate::source::font::FontWeight>>,
    pub style: Option<Spanned<crate::source::font::FontStyle>>,
    pub title_weight: Option<Spanned<crate::source::font::FontWeight>>,
    pub title_style: Option<Spanned<crate::source::font::FontStyle>>,
    pub title: Option<Spanned<String>>,
    pub xlabel: Option<Spanned<String>>,
    pub ylabel: Option<Spanned<String>>,
    pub orientation: Option<Orientation>,
    /// Bars given one by one, their values numbers or expressions of t.
    pub bars: Option<Spanned<Vec<Spanned<BarSpec>>>>,
    /// Or a wide CSV table: a row per bar.
    pub csv: Option<Spanned<String>>,
    /// The column of the bars' names.
    pub names: Option<Spanned<String>>,
    /// The columns of values, in time order (default: every column but `names`).
    pub columns: Option<Spanned<Vec<String>>>,
    pub rank: Option<bool>,
    pub top: Option<Spanned<u32>>,
    /// How long a bar takes to move to its new rank.
    pub swap: Option<Spanned<RawParam>>,
    /// Seconds at the end that show the last column, held.
    pub hold: Option<Spanned<RawParam>>,
    pub value_labels: Option<Spanned<String>>,
    pub period: Option<bool>,
    pub vlim: Option<Spanned<[f64; 2]>>,
    pub limits: Option<LimitsMode>,
    pub thickness: Option<Spanned<f64>>,
    pub grid: Option<bool>,
    pub background: Option<Rgba>,
    pub axes_background: Option<Rgba>,
    pub foreground: Option<Rgba>,
    /// One colour for every bar without its own, instead of the colour cycle (a
    /// histogram's bars, a table's rows that are not categories).
    pub color: Option<Rgba>,
}

/// One bar given in the scene.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarSpec {
    pub label: String,
    pub value: Spanned<RawParam>,
    pub color: Option<Rgba>,
}

/// Which way bars grow.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Up from the x axis (matplotlib's `bar`).
    #[default]
    Vertical,
    /// Right from the y axis, the first bar on top (`barh` with the axis inverted).
    Horizontal,
}

/// When the value axis's automatic limits are decided.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LimitsMode {
    /// Once, over the whole clip.
    Clip,
    /// Every frame, from the bars shown.
    Frame,
}
