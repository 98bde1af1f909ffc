//! The statistic a measurement takes of each frame: one number from the frame's
//! pixels, on straight (un-premultiplied) values from 0 to 255, or from the numbers a
//! field or simulation draws (`channel = "value"`).

use serde::Deserialize;

use crate::base::frame::{unpremultiply_channel, Frame};
use crate::effect::pixel::luminance;

/// `stat = "…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    /// The mean of the channel over every pixel.
    #[default]
    Mean,
    /// How many pixels have the channel above `threshold`.
    CountAbove,
    /// The same as a fraction of the frame's pixels, 0 to 1.
    FractionAbove,
    /// The sum of alpha, 0 to 1 per pixel: the area covered, in pixels.
    SumAlpha,
    Min,
    Max,
    /// The sum of the channel over every pixel (or of the values: a total).
    Sum,
}

/// `channel = "…"`: which value of a pixel is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Rec. 709 luma, as the `threshold` effect and scikit-image's `rgb2gray` weigh it.
    #[default]
    Luminance,
    Red,
    Green,
    Blue,
    Alpha,
    /// The numbers a field or simulation draws, before its colormap: not pixels.
    Value,
}

/// What to measure in each frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    pub stat: Stat,
    pub channel: Channel,
    pub threshold: f64,
}

impl Measure {
    /// The statistic of one frame.
    pub fn of(&self, frame: &Frame) -> f64 {
        let data = frame.data();
        let pixels = (data.len() / 4) as f64;
        if pixels == 0.0 {
            return f64::NAN;
        }
        if self.stat == Stat::SumAlpha {
            let sum: u64 = data.chunks_exact(4).map(|p| p[3] as u64).sum();
            return sum as f64 / 255.0;
        }
        if self.channel == Channel::Value {
            return f64::NAN; // a picture has no values: refused when the scene loads
        }
        // A histogram of the channel: every statistic is read from it.
        let mut hist = [0u64; 256];
        for p in data.chunks_exact(4) {
            hist[self.value(p) as usize] += 1;
        }
        let values = || (0..256usize).filter(|&v| hist[v] > 0);
        match self.stat {
            Stat::Mean | Stat::Sum => {
                let sum: u64 = (0..256).map(|v| v as u64 * hist[v]).sum();
                match self.stat {
                    Stat::Sum => sum as f64,
                    _ => sum as f64 / pixels,
                }
            }
            Stat::CountAbove | Stat::FractionAbove => {
                let above: u64 = (0..256)
                    .filter(|&v| v as f64 > self.threshold)
                    .map(|v| hist[v])
                    .sum();
                if self.stat == Stat::CountAbove {
                    above as f64
                } else {
                    above as f64 / pixels
                }
            }
            Stat::Min => values().next().map_or(f64::NAN, |v| v as f64),
            Stat::Max => values().next_back().map_or(f64::NAN, |v| v as f64),
            Stat::SumAlpha => unreachable!("summed above"),
        }
    }

    /// The statistic of the numbers a field or simulation draws; NaN cells (holes) are
    /// not counted, and a grid of nothing else gives NaN.
    pub fn of_numbers(&self, vals: &[f64]) -> f64 {
        let numbers = || vals.iter().copied().filter(|v| !v.is_nan());
        let count = numbers().count();
        if count == 0 {
            return f64::NAN;
        }
        match self.stat {
            Stat::Mean => {
                let n = count as f64;
                let sum: f64 = numbers().sum();
                if sum.is_finite() || numbers().any(f64::is_infinite) {
                    sum / n
                } else {
                    // Finite values whose sum overflows (a grid of 1e308): the mean of
                    // their shares, which cannot (hostile11 F-DA).
                    numbers().map(|v| v / n).sum()
                }
            }
            Stat::Sum => numbers().sum(),
            Stat::Min => numbers().fold(f64::INFINITY, f64::min),
            Stat::Max => numbers().fold(f64::NEG_INFINITY, f64::max),
            Stat::CountAbove | Stat::FractionAbove => {
                let above = numbers().filter(|&v| v > self.threshold).count() as f64;
                match self.stat {
                    Stat::CountAbove => above,
                    _ => above / count as f64,
                }
            }
            Stat::SumAlpha => f64::NAN, // refused when the scene loads
        }
    }

    /// The measured value of a premultiplied pixel.
    fn value(&self, p: &[u8]) -> u8 {
        let a = p[3];
        // A transparent pixel has no colour: it reads as black.
        let straight = |c: u8| {
            if a == 0 {
                0
            } else {
                unpremultiply_channel(c, a)
            }
        };
        match self.channel {
            Channel::Luminance => luminance([straight(p[0]), straight(p[1]), straight(p[2])]),
            Channel::Red => straight(p[0]),
            Channel::Green => straight(p[1]),
            Channel::Blue => straight(p[2]),
            Channel::Alpha => a,
            Channel::Value => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{frame_from_straight, Size};

    /// Four pixels: white, black, half-transparent red, transparent.
    fn frame() -> Frame {
        let px = [
            [255, 255, 255, 255],
            [0, 0, 0, 255],
            [255, 0, 0, 128],
            [0, 0, 0, 0],
        ];
        frame_from_straight(Size::new(2, 2), &px.concat())
    }

    fn of(stat: Stat, channel: Channel, threshold: f64) -> f64 {
        Measure {
            stat,
            channel,
            threshold,
        }
        .of(&frame())
    }

    #[test]
    fn statistics_of_a_small_frame() {
        use Channel::*;
        use Stat::*;
        // Luminance: 255, 0, round(0.2125 * 255) = 54, 0.
        assert_eq!(of(Mean, Luminance, 127.0), (255.0 + 54.0) / 4.0);
        assert_eq!(of(CountAbove, Luminance, 127.0), 1.0);
        assert_eq!(of(CountAbove, Luminance, 10.0), 2.0);
        assert_eq!(of(FractionAbove, Luminance, 10.0), 0.5);
        assert_eq!(of(Max, Red, 0.0), 255.0);
        assert_eq!(of(Min, Alpha, 0.0), 0.0);
        assert_eq!(of(Max, Green, 0.0), 255.0);
        assert!((of(SumAlpha, Luminance, 0.0) - (2.0 + 128.0 / 255.0)).abs() < 1e-9);
        assert_eq!(of(Mean, Alpha, 0.0), (255.0 * 2.0 + 128.0) / 4.0);
        assert_eq!(of(Sum, Red, 0.0), 255.0 * 2.0);
    }

    #[test]
    fn statistics_of_numbers_leave_holes_out() {
        use Stat::*;
        let of = |stat, threshold| {
            Measure {
                stat,
                channel: Channel::Value,
                threshold,
            }
            .of_numbers(&[0.5, f64::NAN, -2.0, 4.0])
        };
        assert_eq!(of(Mean, 0.0), 2.5 / 3.0);
        assert_eq!(of(Sum, 0.0), 2.5);
        assert_eq!(of(Min, 0.0), -2.0);
        assert_eq!(of(Max, 0.0), 4.0);
        assert_eq!(of(CountAbove, 0.0), 2.0);
        assert_eq!(of(FractionAbove, 1.0), 1.0 / 3.0);
        let m = Measure {
            stat: Mean,
            channel: Channel::Value,
            threshold: 0.0,
        };
        assert!(m.of_numbers(&[f64::NAN]).is_nan());
        // Values whose sum overflows still have a mean (hostile11 F-DA); an infinite
        // value makes it infinite.
        let mean = m.of_numbers(&[1e308, 1e308, 1e308]);
        assert!((mean / 1e308 - 1.0).abs() < 1e-15, "{mean}");
        assert_eq!(m.of_numbers(&[1e308, f64::INFINITY]), f64::INFINITY);
    }
}
