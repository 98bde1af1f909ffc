//! Per-pixel colour effects with MoviePy's formulas: blackwhite, invert, gamma,
//! lum_contrast, multiply_color; and threshold (a fixed value or Otsu's).
//!
//! Like MoviePy (NumPy's `astype(uint8)`), results are clamped to 0..255 and truncated.
//! On a colour clip they change straight R, G, B and keep alpha; on a mask they change
//! the mask value (see [`super::pixel`]).

use std::sync::Arc;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::args::Short;
use super::bounds::{Bounded, ANY, NON_NEGATIVE};
use super::filtered::{lut, truncated, Filtered};
use super::pixel::{apply_lut, luminance, map_rgb, LUMA};
use super::stats::{Measure, Over, Stats};
use super::wrap::env;
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::RawParam;

// ---------------------------------------------------------------------------------
// blackwhite

/// `"blackwhite"` or `{ blackwhite = { rgb = [r, g, b] | "crt_phosphor", preserve_luminosity = true } }`.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of rgb, preserve_luminosity, e.g. { rgb = \"crt_phosphor\" }"
)]
pub struct BlackwhiteSpec {
    rgb: Option<Spanned<Weights>>,
    preserve_luminosity: Option<bool>,
}

/// Channel weights: three numbers or a named set.
pub enum Weights {
    Named(String),
    List(Vec<Spanned<RawParam>>),
}

impl<'de> Deserialize<'de> for Weights {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Weights;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("three weights [r, g, b] or \"crt_phosphor\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Weights, E> {
                Ok(Weights::Named(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Weights, A::Error> {
                let mut out = Vec::new();
                while let Some(p) = seq.next_element()? {
                    out.push(p);
                }
                Ok(Weights::List(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// MoviePy's `vfx.blackwhite`: every channel becomes `floor(wr·R + wg·G + wb·B)`,
/// the weights divided by their sum when `preserve_luminosity` (the default), so the
/// default `[1, 1, 1]` is the mean of the channels. A mask is left as it is.
pub fn blackwhite(
    spec: Option<Spanned<BlackwhiteSpec>>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (weights, preserve) = match spec.map(Spanned::into_inner) {
        None => (None, true),
        Some(s) => (s.rgb, s.preserve_luminosity.unwrap_or(true)),
    };
    let w: [Bounded; 3] = match weights {
        None => {
            [1.0, 1.0, 1.0].map(|v| Bounded::or(None, v, "a weight", ANY, cx).expect("in range"))
        }
        Some(w) => {
            let span = w.span();
            match w.into_inner() {
                Weights::Named(n) if n.eq_ignore_ascii_case("crt_phosphor") => {
                    LUMA.map(|v| Bounded::or(None, v, "a weight", ANY, cx).expect("in range"))
                }
                Weights::Named(n) => {
                    return Err(Diagnostic::at(
                        format!("unknown weights `{n}`: give [r, g, b] or \"crt_phosphor\""),
                        span,
                    ))
                }
                Weights::List(list) => {
                    let [r, g, b] = <[Spanned<RawParam>; 3]>::try_from(list).map_err(|_| {
                        Diagnostic::at("rgb takes three weights [r, g, b]", span.clone())
                    })?;
                    let weight = |p: &Spanned<RawParam>| Bounded::new(p, "a weight", ANY, cx);
                    let w = [weight(&r)?, weight(&g)?, weight(&b)?];
                    let sum: Option<f64> = w.iter().map(Bounded::as_constant).sum();
                    if preserve && sum == Some(0.0) {
                        return Err(Diagnostic::at(
                            "the weights add up to 0, so they cannot be normalised",
                            span,
                        )
                        .with_hint("use preserve_luminosity = false to use them as they are"));
                    }
                    w
                }
            }
        }
    };
    if input.is_mask() {
        return Ok(input);
    }
    let source = input.clone();
    Ok(Filtered::wrap("blackwhite", input, move |frame, t, rcx| {
        let e = env(&*source, t, rcx);
        let [Some(r), Some(g), Some(b)] = w.each_ref().map(|p| p.at(&e)) else {
            return Ok(());
        };
        let mut k = [r, g, b];
        let sum: f64 = k.iter().sum();
        if preserve && sum != 0.0 && sum.is_finite() {
            k.iter_mut().for_each(|v| *v /= sum);
        }
        map_rgb(frame, |[r, g, b]| {
            let y = k[0] * r as f64 + k[1] * g as f64 + k[2] * b as f64;
            let v = if y.is_nan() {
                0
            } else {
                (y + 1e-6).clamp(0.0, 255.0).floor() as u8
            };
            [v, v, v]
        });
        Ok(())
    }))
}

// ---------------------------------------------------------------------------------
// invert, gamma, lum_contrast, multiply_color

/// MoviePy's `invert_colors`: `255 - v`.
pub fn invert(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    lut("invert", input, |_| Some(truncated(|v| 255.0 - v)))
}

/// `{ gamma = 0.5 }` or `{ gamma = { gamma = 0.5 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GammaTable {
    gamma: Spanned<RawParam>,
}

pub type GammaSpec = Short<GammaTable>;

/// MoviePy's `gamma_corr`: `255 · (v / 255)^γ`.
pub fn gamma(
    spec: Spanned<GammaSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (_, arg) = Short::split(spec);
    let raw = arg.unwrap_or_else(|t| t.gamma);
    let g = Bounded::new(&raw, "gamma", NON_NEGATIVE, cx)?;
    Ok(lut("gamma", input, move |e| {
        let g = g.at(e)?;
        Some(truncated(|v| 255.0 * (v / 255.0).powf(g)))
    }))
}

/// `{ lum_contrast = { lum = 10, contrast = 0.5, threshold = 127 } }`.
#[derive(Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of lum, contrast, threshold, e.g. { lum = 10, contrast = 0.5 }"
)]
pub struct LumContrastSpec {
    lum: Option<Spanned<RawParam>>,
    contrast: Option<Spanned<RawParam>>,
    threshold: Option<Spanned<RawParam>>,
}

/// MoviePy's `lum_contrast`: `v + lum + contrast · (v − threshold)`.
pub fn lum_contrast(
    spec: Spanned<LumContrastSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let s = spec.into_inner();
    let lum = Bounded::or(s.lum.as_ref(), 0.0, "lum", ANY, cx)?;
    let contrast = Bounded::or(s.contrast.as_ref(), 0.0, "contrast", ANY, cx)?;
    let thr = Bounded::or(s.threshold.as_ref(), 127.0, "threshold", ANY, cx)?;
    Ok(lut("lum_contrast", input, move |e| {
        let (l, c, th) = (lum.at(e)?, contrast.at(e)?, thr.at(e)?);
        Some(truncated(|v| v + l + c * (v - th)))
    }))
}

/// `{ multiply_color = 1.5 }` or `{ multiply_color = { factor = 1.5 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultiplyColorTable {
    factor: Spanned<RawParam>,
}

pub type MultiplyColorSpec = Short<MultiplyColorTable>;

/// MoviePy's `multiply_color`: `min(255, factor · v)`.
pub fn multiply_color(
    spec: Spanned<MultiplyColorSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (_, arg) = Short::split(spec);
    let raw = arg.unwrap_or_else(|t| t.factor);
    let f = Bounded::new(&raw, "the factor", NON_NEGATIVE, cx)?;
    Ok(lut("multiply_color", input, move |e| {
        let f = f.at(e)?;
        Some(truncated(|v| f * v))
    }))
}

// ---------------------------------------------------------------------------------
// threshold

/// `"threshold"` (Otsu's), `{ threshold = 128 }`, or
/// `{ threshold = { value = 128 } }` / `{ threshold = { over = "clip" } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdTable {
    value: Option<Spanned<RawParam>>,
    over: Option<Spanned<Over>>,
}

pub type ThresholdSpec = Short<ThresholdTable>;

/// The values a grey level of the 8-bit picture takes: a threshold beyond them makes
/// every pixel black (or white), which no one means.
const GREY_LEVEL: super::bounds::Range = super::bounds::Range {
    lo: 0.0,
    hi: 255.0,
    unit: "",
};

/// Black and white by a threshold: a colour pixel whose [`luminance`] is above it
/// becomes white, others black, alpha kept; a mask value above it becomes 255, others 0.
/// Without a value the threshold is Otsu's, from the frame's (or the clip's) grey levels.
pub fn threshold(
    spec: Option<Spanned<ThresholdSpec>>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (value, over) = match spec.map(Short::split) {
        None => (None, None),
        Some((_, Ok(v))) => (Some(v), None),
        Some((_, Err(t))) => (t.value, t.over),
    };
    if let (Some(_), Some(o)) = (&value, &over) {
        return Err(Diagnostic::at(
            "`over` is for Otsu's threshold: give a `value` or `over`, not both",
            o.span(),
        ));
    }
    let value = match &value {
        Some(v) => Some(
            Bounded::new(v, "the threshold", GREY_LEVEL, cx).map_err(|d| {
                d.with_hint(
                    "the threshold is a grey level of the 8-bit picture, 0-255: a 16-bit or float \
                 source is reduced to 8 bits first (its `in_range` maps the camera's counts \
                 onto 0-255, so a count c is 255·(c − low)/(high − low))",
                )
            })?,
        ),
        None => None,
    };
    let stats = Stats::new(over.as_ref(), Measure::Grey, &input)?;
    let mask = input.is_mask();
    let source = input.clone();
    Ok(Filtered::wrap("threshold", input, move |frame, t, rcx| {
        let thr = match &value {
            Some(p) => match p.at(&env(&*source, t, rcx)) {
                Some(v) => v,
                None => return Ok(()),
            },
            None => match stats.hist(frame, rcx)?.otsu() {
                Some(v) => v as f64,
                None => return Ok(()),
            },
        };
        let bw = |v: u8| if v as f64 > thr { 255 } else { 0 };
        if mask {
            let mut lut = [0u8; 256];
            lut.iter_mut()
                .enumerate()
                .for_each(|(v, o)| *o = bw(v as u8));
            apply_lut(frame, true, &lut);
        } else {
            map_rgb(frame, |rgb| [bw(luminance(rgb)); 3]);
        }
        Ok(())
    }))
}

#[cfg(test)]
mod tests {
    use crate::effect::testing::*;

    fn one(text: &str, p: [u8; 4]) -> [u8; 4] {
        px(&render(&ok(text, solid(1, 1, p, None)), 0.0), 0, 0)
    }

    #[test]
    fn moviepy_numbers() {
        assert_eq!(one("\"blackwhite\"", [255, 0, 0, 255]), [85, 85, 85, 255]);
        assert_eq!(one("\"invert\"", [50, 100, 150, 255]), [205, 155, 105, 255]);
        // 255·(64/255)^0.5 = 127.75, 255·(128/255)^0.5 = 180.66: truncated.
        assert_eq!(
            one("{ gamma = 0.5 }", [64, 128, 255, 255]),
            [127, 180, 255, 255]
        );
        // 100 + 10 + 0.5·(100 − 127) = 96.5; 200 + 10 + 36.5 = 246.5.
        assert_eq!(
            one(
                "{ lum_contrast = { lum = 10, contrast = 0.5 } }",
                [100, 127, 200, 255]
            ),
            [96, 137, 246, 255]
        );
        assert_eq!(
            one("{ multiply_color = 1.5 }", [100, 200, 7, 255]),
            [150, 255, 10, 255]
        );
    }

    #[test]
    fn blackwhite_weights() {
        let bw = |text: &str| one(text, [200, 100, 50, 255]);
        // CRT phosphor weights sum to 1: 42.5 + 71.54 + 3.605 = 117.645.
        assert_eq!(
            bw("{ blackwhite = { rgb = \"crt_phosphor\" } }"),
            [117, 117, 117, 255]
        );
        // [1, 2, 1] / 4: (200 + 200 + 50) / 4 = 112.5.
        assert_eq!(
            bw("{ blackwhite = { rgb = [1, 2, 1] } }"),
            [112, 112, 112, 255]
        );
        // Unnormalised and clamped.
        assert_eq!(
            bw("{ blackwhite = { rgb = [1, 1, 0], preserve_luminosity = false } }"),
            [255, 255, 255, 255]
        );
        // Greys stay themselves despite 1/3 not being exact.
        for v in [1u8, 100, 254, 255] {
            assert_eq!(one("\"blackwhite\"", [v, v, v, 255]), [v, v, v, 255]);
        }
        let (m, at) = err(
            "{ blackwhite = { rgb = [1, 1] } }",
            solid(1, 1, [0, 0, 0, 255], None),
        );
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("rgb takes three weights [r, g, b]", "[1, 1]")
        );
        let (m, at) = err(
            "{ blackwhite = { rgb = [1, -1, 0] } }",
            solid(1, 1, [0, 0, 0, 255], None),
        );
        assert!(m.contains("add up to 0") && at == "[1, -1, 0]", "{m}");
        let (m, _) = err(
            "{ blackwhite = { rgb = \"tv\" } }",
            solid(1, 1, [0, 0, 0, 255], None),
        );
        assert!(m.contains("unknown weights `tv`"), "{m}");
    }

    #[test]
    fn colour_effects_keep_alpha_and_work_on_straight_colour() {
        // Half-transparent (straight) 50, 100, 150: premultiplied by 128/255.
        let p = [25, 50, 75, 128];
        // Inverted straight colour 205, 155, 105, premultiplied again.
        assert_eq!(one("\"invert\"", p), [103, 78, 53, 128]);
        assert_eq!(one("\"invert\"", [0, 0, 0, 0]), [0, 0, 0, 0]);
    }

    #[test]
    fn effects_on_a_mask_change_the_mask() {
        let m = |text: &str, v: u8| {
            let clip = ok(text, ok("\"to_mask\"", solid(1, 1, [v, v, v, 255], None)));
            assert!(clip.is_mask());
            px(&render(&clip, 0.0), 0, 0)
        };
        assert_eq!(m("\"invert\"", 50), [205, 205, 205, 205]);
        assert_eq!(m("{ gamma = 0.5 }", 64), [127, 127, 127, 127]);
        assert_eq!(m("\"blackwhite\"", 64), [64, 64, 64, 64]);
        assert_eq!(m("{ threshold = 63 }", 64), [255, 255, 255, 255]);
        assert_eq!(m("{ threshold = 64 }", 64), [0, 0, 0, 0]);
    }

    #[test]
    fn threshold_by_value_and_otsu() {
        let clip = still(&[&[
            [10, 10, 10, 255],
            [20, 20, 20, 255],
            [200, 200, 200, 255],
            [210, 210, 210, 255],
        ]]);
        let out = |text: &str| {
            pixels(&render(&ok(text, clip.clone()), 0.0))
                .iter()
                .map(|p| p[0])
                .collect::<Vec<_>>()
        };
        assert_eq!(out("\"threshold\""), [0, 0, 255, 255]);
        assert_eq!(out("{ threshold = 15 }"), [0, 255, 255, 255]);
        assert_eq!(out("{ threshold = { value = 205 } }"), [0, 0, 0, 255]);
        // Colour goes through its luminance: pure green (182) is above 150, red (54) not.
        let rg = still(&[&[[255, 0, 0, 255], [0, 255, 0, 255]]]);
        assert_eq!(
            pixels(&render(&ok("{ threshold = 150 }", rg), 0.0)),
            vec![[0, 0, 0, 255], [255, 255, 255, 255]]
        );
        let (m, at) = err(
            "{ threshold = { value = 3, over = \"clip\" } }",
            clip.clone(),
        );
        assert!(m.contains("not both") && at == "\"clip\"", "{m}");
    }

    #[test]
    fn animated_values_are_clamped_and_nan_leaves_the_frame() {
        let p = [100, 127, 200, 255];
        let at = |text: &str, t: f64| px(&render(&ok(text, solid(1, 1, p, Some(1.0))), t), 0, 0);
        let nan = "\"100 * sqrt(t - 0.5)\"";
        for text in [
            format!("{{ lum_contrast = {{ lum = {nan} }} }}"),
            format!("{{ lum_contrast = {{ threshold = {nan}, contrast = 1 }} }}"),
            format!("{{ gamma = {nan} }}"),
            format!("{{ multiply_color = {nan} }}"),
            format!("{{ blackwhite = {{ rgb = [{nan}, 1, 1] }} }}"),
            format!("{{ threshold = {nan} }}"),
        ] {
            assert_eq!(at(&text, 0.2), p, "{text}");
            assert_ne!(at(&text, 0.9), p, "{text}");
        }
        // Below 0: the factor is 0 (black), gamma 0 (white).
        assert_eq!(at("{ multiply_color = \"-t\" }", 0.5), [0, 0, 0, 255]);
        assert_eq!(at("{ gamma = \"-t\" }", 0.5), [255, 255, 255, 255]);
    }

    #[test]
    fn negative_arguments_are_refused() {
        let p = solid(1, 1, [0, 0, 0, 255], None);
        let (m, at) = err("{ gamma = -1 }", p.clone());
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("gamma must be at least 0, not -1", "-1")
        );
        let (m, _) = err("{ multiply_color = { factor = -2 } }", p);
        assert!(m.contains("the factor must be at least 0"), "{m}");
    }
}
