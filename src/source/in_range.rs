//! `in_range = [lo, hi]` on pictures read from files: which sample values become black
//! (`lo` and below) and full white (`hi` and above), stretched linearly as the samples
//! are read, before they become 8 bits. Its units are the file's own: 0–255 for 8-bit
//! samples, 0–65535 for 16-bit ones, the numbers themselves for floating point. It is
//! scikit-image's `rescale_intensity(image, in_range=(lo, hi))`, done where the 16
//! bits still are: a 12-bit camera's 0–4095 keep 256 grey levels rather than the 16
//! left after the reduction to 8 bits. Alpha is not stretched.

use std::path::Path;

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::base::pair::Pair;

/// The sample values shown as black and as full white.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InRange {
    lo: f64,
    hi: f64,
}

impl InRange {
    /// `in_range` as written, checked: two finite numbers, the first below the second.
    pub fn compile(raw: Option<&Spanned<Pair<f64>>>) -> Result<Option<InRange>, Diagnostic> {
        let Some(raw) = raw else {
            return Ok(None);
        };
        let [lo, hi] = raw.get_ref().values();
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(Diagnostic::at(
                format!(
                    "in_range must be [low, high], two numbers with low < high, not [{}, {}]",
                    shown(lo),
                    shown(hi)
                ),
                raw.span(),
            )
            .with_hint("for a 12-bit camera's frames stored in 16 bits: in_range = [0, 4095]"));
        }
        Ok(Some(InRange { lo, hi }))
    }

    /// A sample value as 8 bits: `lo` and below 0, `hi` and above 255, rounded
    /// linearly between; NaN 0.
    pub fn byte(&self, v: f64) -> u8 {
        if v.is_nan() {
            return 0;
        }
        (((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0) * 255.0).round() as u8
    }
}

/// Whether sample `i` of samples interleaved by `channels` is alpha (the last of two
/// or four).
fn is_alpha(i: usize, channels: usize) -> bool {
    channels.is_multiple_of(2) && i % channels == channels - 1
}

/// 8-bit samples interleaved by `channels`, their colours stretched by `range` in place
/// (through a table of the 256 values).
pub fn bytes_in_place(samples: &mut [u8], channels: usize, range: InRange) {
    let table: Vec<u8> = (0..=255u8).map(|v| range.byte(f64::from(v))).collect();
    for (i, s) in samples.iter_mut().enumerate() {
        if !is_alpha(i, channels) {
            *s = table[*s as usize];
        }
    }
}

/// Samples of any type interleaved by `channels` as 8 bits: colours by `range` when
/// given (their `value`), else, and alpha always, as `plain` reduces them.
pub fn reduce<T: Copy>(
    samples: Vec<T>,
    channels: usize,
    range: Option<InRange>,
    value: impl Fn(T) -> f64,
    plain: impl Fn(T) -> u8,
) -> Vec<u8> {
    samples
        .into_iter()
        .enumerate()
        .map(|(i, s)| match range {
            Some(r) if !is_alpha(i, channels) => r.byte(value(s)),
            _ => plain(s),
        })
        .collect()
}

/// A floating-point sample of 0–1 as 8 bits (NaN as 0; beyond 0–1 clipped).
pub fn unit(v: f64) -> u8 {
    if v.is_nan() {
        0
    } else {
        (v.clamp(0.0, 1.0) * 255.0).round() as u8
    }
}

/// Warns, once per file, when floating-point colour samples read without `in_range`
/// go beyond 0–1: they are clipped, and a picture of raw counts (63–3417) shows all
/// white, which says nothing of why.
pub fn warn_if_clipped(path: &Path, samples: impl Iterator<Item = f64>, channels: usize) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, v) in samples.enumerate() {
        if !is_alpha(i, channels) && v.is_finite() {
            (lo, hi) = (lo.min(v), hi.max(v));
        }
    }
    if lo < 0.0 || hi > 1.0 {
        super::decode::warn_once(
            path,
            format!(
                "{} has floating-point samples from {} to {}, and such samples are shown \
                 from 0 (black) to 1 (white): the rest are clipped. Give the clip \
                 `in_range = [{}, {}]` to stretch them (docs/sources.md)",
                path.display(),
                short(lo),
                short(hi),
                short(lo),
                short(hi)
            ),
        );
    }
}

/// A value for a message: up to six significant digits.
fn short(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s.len() > 12 {
        true => format!("{v:.4e}"),
        false => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_twelve_bit_range_keeps_every_grey_level() {
        let r = InRange {
            lo: 0.0,
            hi: 4095.0,
        };
        let levels: std::collections::BTreeSet<u8> =
            (0..4096u16).map(|v| r.byte(f64::from(v))).collect();
        assert_eq!(levels.len(), 256);
        // what the reduction to 8 bits alone leaves of 0–4095: 16 levels
        let plain: std::collections::BTreeSet<u32> =
            (0..4096u32).map(|v| (v + 128) / 257).collect();
        assert_eq!(plain.len(), 17);
        assert_eq!(r.byte(-5.0), 0);
        assert_eq!(r.byte(5000.0), 255);
        assert_eq!(r.byte(f64::NAN), 0);
        assert_eq!(
            InRange {
                lo: 100.0,
                hi: 200.0
            }
            .byte(150.0),
            128
        );
    }

    #[test]
    fn alpha_is_not_stretched() {
        let r = Some(InRange {
            lo: 0.0,
            hi: 4095.0,
        });
        let grey_alpha = reduce(vec![4095u16, 65535, 0, 0], 2, r, f64::from, |s| {
            ((u32::from(s) + 128) / 257) as u8
        });
        assert_eq!(grey_alpha, [255, 255, 0, 0]);
        let rgb = reduce(vec![2047.5f32, 0.0, 9e9], 3, r, f64::from, |_| 7);
        assert_eq!(rgb, [128, 0, 255]);
        let mut rgba = [10u8, 20, 30, 40];
        bytes_in_place(&mut rgba, 4, InRange { lo: 10.0, hi: 30.0 });
        assert_eq!(rgba, [0, 128, 255, 40]);
        // without a range, the plain reduction
        assert_eq!(reduce(vec![1.5f64, -1.0], 1, None, |s| s, unit), [255, 0]);
    }

    #[test]
    fn a_range_is_two_increasing_numbers() {
        let parse = |text: &str| -> Spanned<Pair<f64>> {
            #[derive(serde::Deserialize)]
            struct T {
                r: Spanned<Pair<f64>>,
            }
            toml::from_str::<T>(&format!("r = {text}")).unwrap().r
        };
        assert!(InRange::compile(Some(&parse("[0, 4095]")))
            .unwrap()
            .is_some());
        let e = InRange::compile(Some(&parse("[5, 5]"))).unwrap_err();
        assert_eq!(
            e.message,
            "in_range must be [low, high], two numbers with low < high, not [5, 5]"
        );
        assert!(InRange::compile(Some(&parse("[1, inf]"))).is_err());
        assert_eq!(InRange::compile(None).unwrap(), None);
    }
}
