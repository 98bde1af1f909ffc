//! `kind = "plot"` as written in the scene file.

use serde::Deserialize;
use toml::Spanned;

use crate::base::color::Rgba;
use crate::base::pair::Pair;
use crate::chart::legend::Place;
use crate::chart::scale::Scale;
use crate::chart::style::{Cap, Dash, Marker};
use crate::clip::build::RawSize;
use crate::expr::RawParam;

use super::layer::LayerSpec;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub size: RawSize,
    pub duration: Option<Spanned<RawParam>>,
    pub title: Option<Spanned<String>>,
    pub xlabel: Option<Spanned<String>>,
    pub ylabel: Option<Spanned<String>>,
    /// Where function series are sampled; may move over time.
    pub x: Option<Spanned<Pair<RawParam>>>,
    pub samples: Option<Spanned<RawParam>>,
    /// Fixed limits, each end possibly animated.
    pub xlim: Option<Spanned<Pair<RawParam>>>,
    pub ylim: Option<Spanned<Pair<RawParam>>>,
    pub limits: Option<LimitsMode>,
    pub xscale: Option<Spanned<Scale>>,
    pub yscale: Option<Spanned<Scale>>,
    pub grid: Option<bool>,
    pub legend: Option<Spanned<LegendSpec>>,
    pub background: Option<Rgba>,
    pub axes_background: Option<Rgba>,
    pub foreground: Option<Rgba>,
    /// Dots per inch: what a point is in pixels.
    pub dpi: Option<Spanned<f64>>,
    /// The face of every text of the chart: a family or a font file, as a text clip's.
    pub font: Option<Spanned<String>>,
    /// The weight and style of every text of the chart, and the title's own
    /// (matplotlib's `fontweight`, `fontstyle`), as a text clip's `weight` and `style`.
    pub weight: Option<Spanned<crate::source::font::FontWeight>>,
    pub style: Option<Spanned<crate::source::font::FontStyle>>,
    pub title_weight: Option<Spanned<crate::source::font::FontWeight>>,
    pub title_style: Option<Spanned<crate::source::font::FontStyle>>,
    pub series: Option<Spanned<Vec<Spanned<SeriesSpec>>>>,
    /// Values on a grid drawn under the series (filled contours or an image).
    pub field: Option<Spanned<LayerSpec>>,
    /// Text at places in the data, over everything else.
    pub annotations: Option<Spanned<Vec<super::annotation::AnnotationSpec>>>,
    /// `false`: no frame, ticks or axis labels; the data fill the figure.
    pub axis: Option<bool>,
    /// `"polar"`: θ (a series' x) and r (its y) on polar axes (matplotlib's word).
    pub projection: Option<Spanned<Projection>>,
    /// Polar axes: r at the centre and at the circle, each end possibly animated.
    pub rlim: Option<Spanned<Pair<RawParam>>>,
    /// Polar axes: where θ = 0 points (matplotlib's `set_theta_zero_location`).
    pub theta_zero: Option<Spanned<ThetaZero>>,
    /// Polar axes: 1, θ grows counter-clockwise; -1, clockwise.
    pub theta_direction: Option<Spanned<i64>>,
}

/// `projection = …`: the kind of axes (matplotlib's `subplot(projection=…)`).
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Projection {
    /// x and y on the usual axes.
    Rectilinear,
    /// θ and r on a circle.
    Polar,
}

/// `theta_zero = "N"`: a point of the compass, as matplotlib's
/// `set_theta_zero_location` takes it.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThetaZero {
    #[serde(rename = "E")]
    East,
    #[serde(rename = "NE")]
    NorthEast,
    #[serde(rename = "N")]
    North,
    #[serde(rename = "NW")]
    NorthWest,
    #[serde(rename = "W")]
    West,
    #[serde(rename = "SW")]
    SouthWest,
    #[serde(rename = "S")]
    South,
    #[serde(rename = "SE")]
    SouthEast,
}

impl ThetaZero {
    /// Where θ = 0 points, in radians counter-clockwise from the right.
    pub fn radians(self) -> f64 {
        let eighths = match self {
            ThetaZero::East => 0.0,
            ThetaZero::NorthEast => 1.0,
            ThetaZero::North => 2.0,
            ThetaZero::NorthWest => 3.0,
            ThetaZero::West => 4.0,
            ThetaZero::SouthWest => 5.0,
            ThetaZero::South => 6.0,
            ThetaZero::SouthEast => 7.0,
        };
        eighths * std::f64::consts::FRAC_PI_4
    }
}

/// When automatic limits are decided.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LimitsMode {
    /// Once, over the whole clip: the axes stay still.
    #[default]
    Clip,
    /// Every frame, from what that frame shows.
    Frame,
}

/// `legend = true | false | "upper right" | …`.
pub enum LegendSpec {
    Shown(bool),
    At(Place),
}

/// The places a legend may sit, as the message for a wrong one lists them.
const LEGEND_PLACES: &str = "\"upper right\", \"upper left\", \"lower left\", \"lower right\", \
     \"center left\", \"center right\", \"upper center\", \"lower center\", \"center\"";

impl<'de> Deserialize<'de> for LegendSpec {
    // By hand rather than `untagged`: serde's message for that names the Rust enum.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IntoDeserializer};
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Shown(bool),
            Named(String),
        }
        let wrong = || format!("a legend is true, false or a place: {LEGEND_PLACES}");
        match Raw::deserialize(d).map_err(|_| D::Error::custom(wrong()))? {
            Raw::Shown(b) => Ok(LegendSpec::Shown(b)),
            Raw::Named(name) => {
                let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
                    name.as_str().into_deserializer();
                if name == "best" {
                    return Err(D::Error::custom(format!(
                        "`best` (matplotlib's automatic place) is not chosen here: give a \
                         place, as \"upper right\" (places are {LEGEND_PLACES})"
                    )));
                }
                Place::deserialize(de).map(LegendSpec::At).map_err(|_| {
                    D::Error::custom(format!(
                        "unknown legend place `{name}`: places are {LEGEND_PLACES}"
                    ))
                })
            }
        }
    }
}

/// A series' `color`: a colour, or a word that names none, kept so that the error can
/// say what was likely meant (a CSV column: `color_by`).
pub enum SeriesColor {
    Is(Rgba),
    NotAColour { why: String },
}

impl<'de> Deserialize<'de> for SeriesColor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = SeriesColor;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a colour: a name, \"#rrggbb\", \"#rrggbbaa\", [r, g, b] or [r, g, b, a]",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SeriesColor, E> {
                Ok(match Rgba::parse(v) {
                    Ok(c) => SeriesColor::Is(c),
                    Err(why) => SeriesColor::NotAColour { why },
                })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<SeriesColor, A::Error> {
                Rgba::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
                    .map(SeriesColor::Is)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    /// y = f(x, t); a column name for CSV series; y(u, t) for parametric ones.
    pub y: Option<Spanned<String>>,
    /// A column name for CSV series; x(u, t) for parametric ones.
    pub x: Option<Spanned<String>>,
    pub u: Option<Spanned<Pair<RawParam>>>,
    pub samples: Option<Spanned<RawParam>>,
    pub csv: Option<Spanned<String>>,
    /// CSV: reveal by x, from the first row's to the last row's over the clip.
    pub sweep: Option<Spanned<bool>>,
    pub reveal: Option<Spanned<String>>,
    pub rows: Option<Spanned<RawParam>>,
    /// A `[measure.NAME]`: its value at each frame against time, up to `t`.
    pub measure: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
    /// Text drawn beside the series' last point, with its `x` and `y` as values
    /// (matplotlib's `annotate` of the moving tip).
    pub head_label: Option<Spanned<String>>,
    pub color: Option<Spanned<SeriesColor>>,
    /// CSV: the column that colours each point (classes or numbers).
    pub color_by: Option<Spanned<String>>,
    /// The classes of a `color_by` column drawn, in order (seaborn's `hue_order`).
    pub classes: Option<Spanned<Vec<Spanned<super::by_column::ClassName>>>>,
    /// A class's colour (seaborn's `palette` dict).
    pub class_colors: Option<Spanned<std::collections::BTreeMap<String, Spanned<Rgba>>>>,
    /// The colormap of a `color_by` column of numbers.
    pub colormap: Option<Spanned<String>>,
    /// How those numbers are placed on it: linearly, or their logarithm.
    pub norm: Option<Spanned<crate::chart::scale::Scale>>,
    /// A colorbar right of the axes for a `color_by` column of numbers.
    pub colorbar: Option<Spanned<bool>>,
    /// The colorbar's own label (matplotlib's `cbar.set_label`).
    pub colorbar_label: Option<Spanned<String>>,
    /// CSV: the column of each point's marker diameter in points.
    pub size_by: Option<Spanned<String>>,
    pub opacity: Option<Spanned<RawParam>>,
    pub width: Option<Spanned<RawParam>>,
    pub dash: Option<Dash>,
    pub cap: Option<Cap>,
    pub line: Option<bool>,
    pub marker: Option<Marker>,
    /// Marker diameter in points: a number, keyframes, or an expression of `i`,
    /// `x`, `y` and `t`.
    pub size: Option<Spanned<RawParam>>,
    /// `"under"` (down to 0), or the other edge: a number, keyframes, or an
    /// expression of `x` and `t`.
    pub fill: Option<Spanned<RawParam>>,
    pub fill_opacity: Option<Spanned<RawParam>>,
    /// A sound file drawn instead of a CSV file's columns.
    pub sound: Option<Spanned<String>>,
    /// What of the sound is drawn.
    pub draw: Option<Spanned<SoundDraw>>,
    /// Which of the sound's sides is read.
    pub channel: Option<Spanned<SoundChannel>>,
    /// Seconds of sound in each point of a waveform or a level.
    pub block: Option<Spanned<f64>>,
    /// Samples in a spectrum's window.
    pub window: Option<Spanned<i64>>,
    /// Levels and spectra in dB (true) or as amplitudes (false).
    pub db: Option<Spanned<bool>>,
}

/// `draw = …` on a sound series.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SoundDraw {
    #[default]
    Waveform,
    Rms,
    Peak,
    Spectrum,
}

/// `channel = …` on a sound series.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SoundChannel {
    #[default]
    Mix,
    Left,
    Right,
}

impl SeriesSpec {
    /// Whether the series takes the next colour of the cycle: its colour is not given by
    /// `color` nor by a column (`color_by`).
    pub fn takes_cycle_color(&self) -> bool {
        self.color.is_none() && self.color_by.is_none()
    }
}
