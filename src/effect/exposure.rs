//! scikit-image's `exposure` functions on 8-bit values: equalize, rescale_intensity,
//! adjust_log, adjust_gamma.
//!
//! On a colour clip they change straight R, G, B (one histogram for the three, as
//! scikit-image does for an RGB array) and keep alpha; on a mask they change the mask
//! value. `equalize` and `rescale_intensity` measure each frame, or the whole clip with
//! `over = "clip"` (see [`super::stats`]).

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::args::Short;
use super::bounds::{self, Bounded, ANY, NON_NEGATIVE};
use super::filtered::{lut, truncated, Filtered};
use super::pixel::apply_lut;
use super::stats::{Measure, Over, Stats};
use super::wrap::env;
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::RawParam;

// ---------------------------------------------------------------------------------
// equalize

/// `"equalize"` or `{ equalize = { over = "clip" } }`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of over, e.g. { over = \"clip\" }"
)]
pub struct EqualizeSpec {
    over: Option<Spanned<Over>>,
}

/// `exposure.equalize_hist`: each value becomes 255 × the fraction of values at or
/// below it, rounded.
pub fn equalize(
    spec: Option<Spanned<EqualizeSpec>>,
    input: Arc<dyn Clip>,
    _cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let over = spec.and_then(|s| s.into_inner().over);
    let stats = Stats::new(over.as_ref(), Measure::Values, &input)?;
    let mask = input.is_mask();
    Ok(Filtered::wrap("equalize", input, move |frame, _, rcx| {
        let table = stats.hist(frame, rcx)?.equalize_lut();
        apply_lut(frame, mask, &table);
        Ok(())
    }))
}

// ---------------------------------------------------------------------------------
// rescale_intensity

/// `"rescale_intensity"` or `{ rescale_intensity = { in_range = [lo, hi] } }`,
/// `{ rescale_intensity = { percentiles = [2, 98], over = "clip" } }`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of in_range, percentiles, over, e.g. { percentiles = [2, 98] }"
)]
pub struct RescaleSpec {
    in_range: Option<Spanned<Vec<Spanned<RawParam>>>>,
    percentiles: Option<Spanned<Vec<Spanned<RawParam>>>>,
    over: Option<Spanned<Over>>,
}

/// Where the input range comes from.
enum Range {
    Given(Bounded, Bounded),
    Percentiles(Bounded, Bounded),
    MinMax,
}

/// Two parameters `[lo, hi]`; constants must satisfy `lo <= hi` and lie in `bounds`.
fn pair(
    raw: Spanned<Vec<Spanned<RawParam>>>,
    what: &'static str,
    bounds: bounds::Range,
    cx: &ResolveCx,
) -> Result<(Bounded, Bounded), Diagnostic> {
    let span = raw.span();
    let [lo, hi] = <[Spanned<RawParam>; 2]>::try_from(raw.into_inner()).map_err(|_| {
        Diagnostic::at(
            format!("{what} takes two numbers [low, high]"),
            span.clone(),
        )
    })?;
    let l = Bounded::new(&lo, what, bounds, cx)?;
    let h = Bounded::new(&hi, what, bounds, cx)?;
    if let (Some(a), Some(b)) = (l.as_constant(), h.as_constant()) {
        if a > b {
            return Err(Diagnostic::at(
                format!("{what}: the low end {a} is above the high end {b}"),
                span,
            ));
        }
    }
    Ok((l, h))
}

/// `exposure.rescale_intensity` to the 8-bit range: values are clipped to
/// `[lo, hi]` and stretched to 0..255, truncated (`(v − lo) / (hi − lo) · 255`). The
/// range is the frame's smallest and largest value, `in_range`, or the given
/// `percentiles` of the values (NumPy's linear interpolation).
pub fn rescale_intensity(
    spec: Option<Spanned<RescaleSpec>>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (range, over) = match spec.map(Spanned::into_inner) {
        None => (Range::MinMax, None),
        Some(s) => {
            let range = match (s.in_range, s.percentiles) {
                (Some(_), Some(p)) => {
                    return Err(Diagnostic::at(
                        "give `in_range` or `percentiles`, not both",
                        p.span(),
                    ))
                }
                (Some(r), None) => {
                    if let Some(o) = &s.over {
                        return Err(Diagnostic::at(
                            "`over` is for a range measured on the frames, not a given `in_range`",
                            o.span(),
                        ));
                    }
                    let (l, h) = pair(r, "in_range", ANY, cx)?;
                    Range::Given(l, h)
                }
                (None, Some(p)) => {
                    let (l, h) = pair(p, "percentiles", PERCENT, cx)?;
                    Range::Percentiles(l, h)
                }
                (None, None) => Range::MinMax,
            };
            (range, s.over)
        }
    };
    let stats = match range {
        Range::Given(..) => None,
        _ => Some(Stats::new(over.as_ref(), Measure::Values, &input)?),
    };
    let mask = input.is_mask();
    let source = input.clone();
    Ok(Filtered::wrap(
        "rescale_intensity",
        input,
        move |frame, t, rcx| {
            let e = env(&*source, t, rcx);
            let (lo, hi) = match (&range, &stats) {
                (Range::Given(l, h), _) => match (l.at(&e), h.at(&e)) {
                    (Some(a), Some(b)) => (a, b),
                    _ => return Ok(()),
                },
                (Range::Percentiles(l, h), Some(s)) => {
                    let (Some(pl), Some(ph)) = (l.at(&e), h.at(&e)) else {
                        return Ok(());
                    };
                    let hist = s.hist(frame, rcx)?;
                    match (hist.percentile(pl), hist.percentile(ph)) {
                        (Some(a), Some(b)) => (a, b),
                        _ => return Ok(()),
                    }
                }
                (_, Some(s)) => match s.hist(frame, rcx)?.range() {
                    Some((a, b)) => (a as f64, b as f64),
                    None => return Ok(()),
                },
                (_, None) => return Ok(()),
            };
            if !(lo.is_finite() && hi.is_finite()) {
                return Ok(());
            }
            let hi = hi.max(lo);
            let table = truncated(|v| {
                let v = v.clamp(lo, hi);
                if hi > lo {
                    (v - lo) / (hi - lo) * 255.0
                } else {
                    v
                }
            });
            apply_lut(frame, mask, &table);
            Ok(())
        },
    ))
}

/// Percentiles: 0 to 100.
const PERCENT: bounds::Range = bounds::Range {
    lo: 0.0,
    hi: 100.0,
    unit: "",
};

// ---------------------------------------------------------------------------------
// adjust_log, adjust_gamma

/// `"adjust_log"`, `{ adjust_log = 2 }` (the gain), or
/// `{ adjust_log = { gain = 1, inverse = true } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustLogTable {
    gain: Option<Spanned<RawParam>>,
    inverse: Option<bool>,
}

pub type AdjustLogSpec = Short<AdjustLogTable>;

/// `exposure.adjust_log`: `255 · gain · log2(1 + v/255)`, or with `inverse`
/// `255 · gain · (2^(v/255) − 1)`; clamped and truncated.
pub fn adjust_log(
    spec: Option<Spanned<AdjustLogSpec>>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (gain, inverse) = match spec.map(Short::split) {
        None => (None, false),
        Some((_, Ok(g))) => (Some(g), false),
        Some((_, Err(t))) => (t.gain, t.inverse.unwrap_or(false)),
    };
    let gain = Bounded::or(gain.as_ref(), 1.0, "the gain", NON_NEGATIVE, cx)?;
    Ok(lut("adjust_log", input, move |e| {
        let g = gain.at(e)?;
        Some(if inverse {
            truncated(|v| ((v / 255.0).exp2() - 1.0) * 255.0 * g)
        } else {
            truncated(|v| (1.0 + v / 255.0).log2() * 255.0 * g)
        })
    }))
}

/// `{ adjust_gamma = 0.5 }` or `{ adjust_gamma = { gamma = 0.5, gain = 1 } }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AdjustGammaTable {
    gamma: Option<Spanned<RawParam>>,
    gain: Option<Spanned<RawParam>>,
}

pub type AdjustGammaSpec = Short<AdjustGammaTable>;

/// `exposure.adjust_gamma` on 8-bit values: `min(255, round(255 · gain · (v/255)^γ))`,
/// halves rounded to even like `np.rint`.
pub fn adjust_gamma(
    spec: Spanned<AdjustGammaSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (gamma, gain) = match Short::split(spec).1 {
        Ok(g) => (Some(g), None),
        Err(t) => (t.gamma, t.gain),
    };
    let gamma = Bounded::or(gamma.as_ref(), 1.0, "gamma", NON_NEGATIVE, cx)?;
    let gain = Bounded::or(gain.as_ref(), 1.0, "the gain", NON_NEGATIVE, cx)?;
    Ok(lut("adjust_gamma", input, move |e| {
        let (g, k) = (gamma.at(e)?, gain.at(e)?);
        let mut table = [0u8; 256];
        for (v, out) in table.iter_mut().enumerate() {
            let y = (255.0 * k * (v as f64 / 255.0).powf(g)).round_ties_even();
            *out = if y.is_nan() {
                0
            } else {
                y.clamp(0.0, 255.0) as u8
            };
        }
        Some(table)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    fn greys(values: &[u8]) -> Arc<dyn Clip> {
        let row: Vec<[u8; 4]> = values.iter().map(|&v| [v, v, v, 255]).collect();
        still(&[&row])
    }

    fn reds(clip: &Arc<dyn Clip>) -> Vec<u8> {
        pixels(&render(clip, 0.0)).iter().map(|p| p[0]).collect()
    }

    #[test]
    fn rescale_stretches_min_max_or_a_given_range() {
        let g = greys(&[50, 100, 150]);
        assert_eq!(reds(&ok("\"rescale_intensity\"", g.clone())), [0, 127, 255]);
        assert_eq!(
            reds(&ok(
                "{ rescale_intensity = { in_range = [100, 150] } }",
                g.clone()
            )),
            [0, 0, 255]
        );
        // Flat frames keep their value.
        assert_eq!(reds(&ok("\"rescale_intensity\"", greys(&[9, 9]))), [9, 9]);
        let (m, at) = err(
            "{ rescale_intensity = { percentiles = [2, 101] } }",
            g.clone(),
        );
        assert!(m.contains("between 0 and 100") && at == "101", "{m}");
        let (m, at) = err("{ rescale_intensity = { in_range = [5, 1] } }", g.clone());
        assert!(m.contains("above the high end") && at == "[5, 1]", "{m}");
        let (m, _) = err(
            "{ rescale_intensity = { in_range = [0, 1], over = \"clip\" } }",
            g,
        );
        assert!(m.contains("not a given `in_range`"), "{m}");
    }

    #[test]
    fn equalize_spreads_values() {
        let g = greys(&[10, 10, 20, 30]);
        // cdf 2/4, 3/4, 4/4.
        assert_eq!(reds(&ok("\"equalize\"", g)), [128, 128, 191, 255]);
    }

    #[test]
    fn log_and_gamma() {
        let g = greys(&[0, 128, 255]);
        // 255·log2(1 + 128/255) = 149.7
        assert_eq!(reds(&ok("\"adjust_log\"", g.clone())), [0, 149, 255]);
        // 255·(2^(128/255) − 1) = 106.1
        assert_eq!(
            reds(&ok("{ adjust_log = { inverse = true } }", g.clone())),
            [0, 106, 255]
        );
        assert_eq!(reds(&ok("{ adjust_log = 0.5 }", g.clone())), [0, 74, 127]);
        // 255·(128/255)^2 = 64.25
        assert_eq!(reds(&ok("{ adjust_gamma = 2 }", g.clone())), [0, 64, 255]);
        assert_eq!(
            reds(&ok("{ adjust_gamma = { gamma = 1, gain = 2 } }", g)),
            [0, 255, 255]
        );
    }

    #[test]
    fn over_clip_needs_an_end() {
        let (m, at) = err("{ equalize = { over = \"clip\" } }", greys(&[1]));
        assert!(
            m.contains("need a clip with an end") && at == "\"clip\"",
            "{m}"
        );
    }
}
