//! Matplotlib's default look, in its units: sizes are in points at 100 pixels per inch
//! (a 5 × 3 inch figure is 500 × 300 pixels), so `width = 3` draws what `lw=3` does.

use serde::de::{self, Deserializer};
use serde::Deserialize;

use crate::base::color::Rgba;

/// matplotlib's `figure.dpi`.
pub const DEFAULT_DPI: f64 = 100.0;

/// Pixels per point at the default 100 dpi.
pub const PX_PER_PT: f64 = DEFAULT_DPI / 72.0;

/// Points to pixels at the default 100 dpi.
pub fn pt(v: f64) -> f64 {
    v * PX_PER_PT
}

/// A figure's dots per inch: how big a point is in pixels (dpi / 72). A 1920×1080 plot
/// at 200 dpi looks like matplotlib's `figsize=(9.6, 5.4), dpi=200`: the same picture
/// as at 100 dpi with every text, line and tick twice as large.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dpi(pub f64);

impl Default for Dpi {
    fn default() -> Dpi {
        Dpi(DEFAULT_DPI)
    }
}

impl Dpi {
    /// Points to pixels.
    pub fn pt(self, v: f64) -> f64 {
        v * (self.0 / 72.0)
    }
}

/// Matplotlib's default colour cycle ("tab10").
pub const CYCLE: [[u8; 3]; 10] = [
    [0x1f, 0x77, 0xb4],
    [0xff, 0x7f, 0x0e],
    [0x2c, 0xa0, 0x2c],
    [0xd6, 0x27, 0x28],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x7f, 0x7f, 0x7f],
    [0xbc, 0xbd, 0x22],
    [0x17, 0xbe, 0xcf],
];

/// The `i`-th colour of the cycle.
pub fn cycle(i: usize) -> Rgba {
    let [r, g, b] = CYCLE[i % CYCLE.len()];
    Rgba([r, g, b, 255])
}

/// The lighter halves of matplotlib's "tab20", in the order of [`CYCLE`]: the 11th to
/// 20th bar of a chart take them, so that a race of up to 20 bars has no two alike
/// (matplotlib repeats tab10, and a race is followed by colour).
pub const LIGHT: [[u8; 3]; 10] = [
    [0xae, 0xc7, 0xe8],
    [0xff, 0xbb, 0x78],
    [0x98, 0xdf, 0x8a],
    [0xff, 0x98, 0x96],
    [0xc5, 0xb0, 0xd5],
    [0xc4, 0x9c, 0x94],
    [0xf7, 0xb6, 0xd2],
    [0xc7, 0xc7, 0xc7],
    [0xdb, 0xdb, 0x8d],
    [0x9e, 0xda, 0xe5],
];

/// How many bars have colours of their own: [`CYCLE`] then [`LIGHT`].
pub const BAR_COLORS: usize = CYCLE.len() + LIGHT.len();

/// The `i`-th bar's colour: the cycle, then its lighter halves, then again.
pub fn bar_cycle(i: usize) -> Rgba {
    let i = i % BAR_COLORS;
    let [r, g, b] = if i < CYCLE.len() {
        CYCLE[i]
    } else {
        LIGHT[i - CYCLE.len()]
    };
    Rgba([r, g, b, 255])
}

/// Default sizes, in points (matplotlib's rcParams).
pub mod size {
    /// `lines.linewidth`
    pub const LINE: f64 = 1.5;
    /// `lines.markersize` (a diameter)
    pub const MARKER: f64 = 6.0;
    /// `font.size`, tick labels, axis labels, legend
    pub const FONT: f64 = 10.0;
    /// `axes.titlesize` ("large")
    pub const TITLE: f64 = 12.0;
    /// `axes.titlepad`
    pub const TITLE_PAD: f64 = 6.0;
    /// `axes.labelpad`
    pub const LABEL_PAD: f64 = 4.0;
    /// `axes.linewidth` (the frame)
    pub const SPINE: f64 = 0.8;
    /// `xtick.major.size`, `.width`, `.pad`
    pub const TICK: f64 = 3.5;
    pub const TICK_WIDTH: f64 = 0.8;
    pub const TICK_PAD: f64 = 3.5;
    /// `xtick.minor.size`, `.width`
    pub const MINOR_TICK: f64 = 2.0;
    pub const MINOR_TICK_WIDTH: f64 = 0.6;
    /// `grid.linewidth`
    pub const GRID: f64 = 0.8;
}

/// `grid.color`
pub const GRID_COLOR: Rgba = Rgba([0xb0, 0xb0, 0xb0, 255]);

/// Where the axes sit in the figure, as fractions (matplotlib's `figure.subplot.*`).
pub const SUBPLOT_LEFT: f64 = 0.125;
pub const SUBPLOT_RIGHT: f64 = 0.9;
pub const SUBPLOT_BOTTOM: f64 = 0.11;
pub const SUBPLOT_TOP: f64 = 0.88;

/// A line's dash pattern.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Dash {
    #[default]
    Solid,
    /// On and off lengths in multiples of the line width (as matplotlib scales them).
    Pattern(Vec<f64>),
}

impl Dash {
    /// matplotlib's patterns: `--` 3.7/1.6, `:` 1/1.65, `-.` 6.4/1.6/1/1.6.
    pub fn parse(s: &str) -> Result<Dash, String> {
        Ok(match s {
            "solid" | "-" => Dash::Solid,
            "dashed" | "--" => Dash::Pattern(vec![3.7, 1.6]),
            "dotted" | ":" => Dash::Pattern(vec![1.0, 1.65]),
            "dashdot" | "-." => Dash::Pattern(vec![6.4, 1.6, 1.0, 1.6]),
            other => {
                return Err(format!(
                    "unknown dash `{other}`: use solid, dashed, dotted, dashdot (or -, --, :, -.) \
                     or a list of on/off lengths"
                ))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Dash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Name(String),
            List(Vec<f64>),
        }
        match Raw::deserialize(d).map_err(|_| {
            de::Error::custom("expected a dash name (\"dashed\", \"--\", …) or a list of numbers")
        })? {
            Raw::Name(s) => Dash::parse(&s).map_err(de::Error::custom),
            Raw::List(v) => {
                if v.is_empty() || v.len() % 2 != 0 || v.len() > 16 {
                    return Err(de::Error::custom(
                        "a dash list has an even number (2 to 16) of on/off lengths",
                    ));
                }
                if v.iter().any(|x| !x.is_finite() || *x < 0.0) || v.iter().sum::<f64>() <= 0.0 {
                    return Err(de::Error::custom(
                        "dash lengths are positive numbers (in line widths)",
                    ));
                }
                Ok(Dash::Pattern(v))
            }
        }
    }
}

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cap {
    Butt,
    Round,
    /// Square ends reaching half the width past the end (matplotlib's "projecting").
    #[serde(alias = "projecting")]
    Square,
}

/// A marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Marker {
    #[serde(alias = "o")]
    Circle,
    #[serde(alias = "s")]
    Square,
    #[serde(alias = "D")]
    Diamond,
    #[serde(alias = "^")]
    Triangle,
    #[serde(alias = "+")]
    Plus,
    #[serde(alias = "x")]
    Cross,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_cycle() {
        assert!((pt(3.0) - 4.1666).abs() < 1e-3);
        assert_eq!(cycle(0), Rgba([0x1f, 0x77, 0xb4, 255]));
        assert_eq!(cycle(11), cycle(1));
        // Bars: tab10, then tab20's light halves, all 20 different, then again.
        assert_eq!(bar_cycle(3), cycle(3));
        assert_eq!(bar_cycle(10), Rgba([0xae, 0xc7, 0xe8, 255]));
        let all: std::collections::HashSet<[u8; 4]> = (0..20).map(|i| bar_cycle(i).0).collect();
        assert_eq!(all.len(), 20);
        assert_eq!(bar_cycle(21), bar_cycle(1));
    }

    #[test]
    fn dashes() {
        assert_eq!(Dash::parse("--").unwrap(), Dash::Pattern(vec![3.7, 1.6]));
        assert_eq!(Dash::parse("solid").unwrap(), Dash::Solid);
        assert!(Dash::parse("wavy").is_err());
        let d: Dash = toml::from_str::<toml::Table>("d = [2, 1]").unwrap()["d"]
            .clone()
            .try_into()
            .unwrap();
        assert_eq!(d, Dash::Pattern(vec![2.0, 1.0]));
        let bad: Result<Dash, _> = toml::Value::Array(vec![1.into()]).try_into();
        assert!(bad.is_err());
    }
}
