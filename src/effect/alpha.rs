//! Transparency effects: opacity, mask_color, fade_in / fade_out (to a colour) and
//! crossfade_in / crossfade_out (to transparency).
//!
//! Frames are premultiplied, so scaling a pixel's alpha scales all four channels.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::args::Short;
use super::wrap::{env, PerFrame};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::frame::Frame;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::RawParam;

/// Multiplies every channel of every pixel by `m` in [0, 1], rounding to nearest.
fn scale_pixels(frame: &mut Frame, m: f32) {
    frame
        .data_mut()
        .iter_mut()
        .for_each(|c| *c = (*c as f32 * m + 0.5) as u8);
}

// ---------------------------------------------------------------------------------
// opacity

/// `{ opacity = 0.5 }`: multiplies alpha; animatable, clamped to [0, 1] at each frame,
/// NaN and infinity counting as 0 (with a warning).
pub fn opacity(
    raw: Spanned<RawParam>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let param = cx.param(&raw)?;
    if let Some(v) = param.as_constant() {
        if !(0.0..=1.0).contains(&v) {
            return Err(Diagnostic::at(
                format!(
                    "opacity must be between 0 and 1, not {}",
                    crate::base::limits::shown(v)
                ),
                raw.span(),
            ));
        }
        if v == 1.0 {
            return Ok(input);
        }
    }
    let size = input.size();
    let source = input.clone();
    let place = cx.place(raw.span().start);
    let param = crate::expr::Watched::new(param, "opacity", place, "the clip is transparent");
    Ok(PerFrame::wrap(
        "opacity",
        input,
        size,
        move |mut frame, t, rcx| {
            let v = param.eval(&env(&*source, t, rcx));
            // Not a number (an expression's 0/0, 1/0) hides the frame, as everywhere else.
            let v = if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                0.0
            };
            if v < 1.0 {
                scale_pixels(&mut frame, v as f32);
            }
            frame
        },
    ))
}

// ---------------------------------------------------------------------------------
// mask_color

/// MoviePy's `mask_color`: pixels near `color` become transparent.
#[derive(Deserialize, Default)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of color, threshold, stiffness, e.g. { color = \"white\", threshold = 10 }"
)]
pub struct MaskColorSpec {
    color: Option<Rgba>,
    threshold: Option<Spanned<RawParam>>,
    stiffness: Option<Spanned<RawParam>>,
}

/// `{ mask_color = … }`: the table, or a colour alone (`"white"`, `[255, 255, 255]`, the
/// article's form) for the table with only `color`.
pub struct MaskColorArg(pub MaskColorSpec);

impl<'de> Deserialize<'de> for MaskColorArg {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer};
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = MaskColorArg;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a colour (\"white\", [255, 255, 255]) or a table of color, threshold, \
                     stiffness, e.g. { color = \"white\", threshold = 10 }",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MaskColorArg, E> {
                let color = Rgba::deserialize(StrDeserializer::<E>::new(v))?;
                Ok(MaskColorArg(MaskColorSpec {
                    color: Some(color),
                    ..Default::default()
                }))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<MaskColorArg, A::Error> {
                let color = Rgba::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(MaskColorArg(MaskColorSpec {
                    color: Some(color),
                    ..Default::default()
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MaskColorArg, A::Error> {
                MaskColorSpec::deserialize(MapAccessDeserializer::new(map)).map(MaskColorArg)
            }
        }
        d.deserialize_any(V)
    }
}

/// The largest squared RGB distance: 3 * 255².
const MAX_D2: usize = 3 * 255 * 255;

pub fn mask_color(
    spec: Spanned<MaskColorArg>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let s = spec.into_inner().0;
    let key = s.color.unwrap_or(Rgba::BLACK).0;
    let thr = match &s.threshold {
        Some(r) => cx.constant(r, "threshold", 0.0, true)?,
        None => 0.0,
    };
    let stiffness = match &s.stiffness {
        Some(r) => cx.constant(r, "stiffness", 0.0, true)?,
        None => 1.0,
    };
    // The mask for every possible squared distance: alpha = d^s / (thr^s + d^s),
    // computed as 1 / (1 + (thr/d)^s) so large stiffness cannot overflow.
    let lut: Vec<f32> = (0..=MAX_D2)
        .map(|d2| {
            let d = (d2 as f64).sqrt();
            if d == 0.0 {
                0.0
            } else if thr == 0.0 {
                1.0
            } else {
                (1.0 / (1.0 + (thr / d).powf(stiffness))) as f32
            }
        })
        .collect();
    let size = input.size();
    Ok(PerFrame::wrap(
        "mask_color",
        input,
        size,
        move |mut frame, _, _| {
            for p in frame.data_mut().chunks_exact_mut(4) {
                let a = p[3];
                if a == 0 {
                    continue;
                }
                // The distance is measured on straight (un-premultiplied) colour.
                let mut d2 = 0usize;
                for c in 0..3 {
                    let straight = if a == 255 {
                        p[c] as i32
                    } else {
                        (p[c] as i32 * 255 + a as i32 / 2) / a as i32
                    };
                    let diff = straight - key[c] as i32;
                    d2 += (diff * diff) as usize;
                }
                let m = lut[d2];
                if m < 1.0 {
                    p.iter_mut().for_each(|c| *c = (*c as f32 * m + 0.5) as u8);
                }
            }
            frame
        },
    ))
}

// ---------------------------------------------------------------------------------
// fades

/// `{ fade_in = 0.5 }` or `{ fade_in = { duration = 0.5, color = "white" } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FadeTable {
    duration: Spanned<RawParam>,
    color: Option<Rgba>,
}

pub type FadeSpec = Short<FadeTable>;

/// `{ crossfade_in = 0.5 }` or `{ crossfade_in = { duration = 0.5 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossfadeTable {
    duration: Spanned<RawParam>,
}

pub type CrossfadeSpec = Short<CrossfadeTable>;

/// Which end of the clip a fade is at.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum End {
    In,
    Out,
}

pub fn fade(
    spec: Spanned<FadeSpec>,
    end: End,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (span, arg) = Short::split(spec);
    let (duration, color) = match arg {
        Ok(d) => (d, Rgba::BLACK),
        Err(t) => (t.duration, t.color.unwrap_or(Rgba::BLACK)),
    };
    let name = if end == End::In {
        "fade_in"
    } else {
        "fade_out"
    };
    fade_to(name, &duration, span, color, end, input, cx)
}

pub fn crossfade(
    spec: Spanned<CrossfadeSpec>,
    end: End,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (span, arg) = Short::split(spec);
    let duration = arg.unwrap_or_else(|t| t.duration);
    let name = if end == End::In {
        "crossfade_in"
    } else {
        "crossfade_out"
    };
    fade_to(name, &duration, span, Rgba::TRANSPARENT, end, input, cx)
}

/// A fade between the clip and `color`: at weight f (1 = the clip),
/// `out = f·P + (1 - f)·α·C`, premultiplied, with α the pixel's own alpha. With an opaque
/// colour this is MoviePy's `f·rgb + (1 - f)·colour` and the clip's transparency is
/// kept; with "transparent" it is a ramp of alpha (a crossfade). `name` is the
/// effect's own key, shown by `check`'s timeline.
fn fade_to(
    name: &'static str,
    duration: &Spanned<RawParam>,
    span: std::ops::Range<usize>,
    color: Rgba,
    end: End,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let d = cx.time_param(duration, "a fade's duration")?;
    if let Some(v) = d.as_constant() {
        if v <= 0.0 {
            return Err(Diagnostic::at(
                format!(
                    "a fade's duration must be greater than 0, not {}",
                    crate::base::limits::shown(v)
                ),
                duration.span(),
            ));
        }
    }
    let total = input.duration();
    if end == End::Out && total.is_none() {
        return Err(
            Diagnostic::at("a fade out needs a clip with an end", span).with_hint(
                "give the clip a duration, e.g. with `subclip` or the source's `duration`",
            ),
        );
    }
    let c = color.premultiplied().map(|v| v as f32);
    let size = input.size();
    let source = input.clone();
    Ok(PerFrame::wrap(
        name,
        input,
        size,
        move |mut frame, t, rcx| {
            // An animated duration is read at each frame; at 0 or less, or NaN, there
            // is no fade in that frame.
            let d = d.eval(&env(&*source, t, rcx));
            let f = match end {
                _ if d.is_nan() || d <= 0.0 => 1.0,
                End::In => t / d,
                End::Out => (total.unwrap_or(0.0) - t) / d,
            };
            let f = f.clamp(0.0, 1.0) as f32;
            if f < 1.0 {
                for p in frame.data_mut().chunks_exact_mut(4) {
                    let a = p[3] as f32 / 255.0;
                    for (ch, cc) in p.iter_mut().zip(c) {
                        *ch = (f * *ch as f32 + (1.0 - f) * a * cc + 0.5) as u8;
                    }
                }
            }
            frame
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    const R: [u8; 4] = [255, 0, 0, 255];

    #[test]
    fn opacity_scales_premultiplied_channels() {
        let clip = ok("{ opacity = 0.5 }", solid(1, 1, [255, 100, 0, 255], None));
        assert_eq!(px(&render(&clip, 0.0), 0, 0), [128, 50, 0, 128]);
        let clip = ok("{ opacity = 0.5 }", solid(1, 1, [100, 0, 0, 100], None));
        assert_eq!(px(&render(&clip, 0.0), 0, 0), [50, 0, 0, 50]);
        assert_eq!(
            px(
                &render(&ok("{ opacity = 0 }", solid(1, 1, R, None)), 0.0),
                0,
                0
            ),
            [0, 0, 0, 0]
        );
        let p = solid(1, 1, R, None);
        assert!(Arc::ptr_eq(&ok("{ opacity = 1 }", p.clone()), &p));
        assert_eq!(
            err("{ opacity = 1.5 }", p),
            (
                "opacity must be between 0 and 1, not 1.5".into(),
                "1.5".into()
            )
        );
    }

    #[test]
    fn mask_color_follows_moviepy_formula() {
        // Distances to white: 0, 10 (= threshold), 20, and far.
        let clip = ok(
            "{ mask_color = { color = \"white\", threshold = 10, stiffness = 5 } }",
            still(&[&[
                [255, 255, 255, 255],
                [245, 255, 255, 255],
                [235, 255, 255, 255],
                [0, 0, 0, 255],
            ]]),
        );
        let f = render(&clip, 0.0);
        assert_eq!(px(&f, 0, 0), [0, 0, 0, 0]);
        // d = thr: alpha = 1/2 of 255.
        assert_eq!(px(&f, 1, 0), [123, 128, 128, 128]);
        // d = 2 thr: alpha = 32/33.
        let a = (255.0f64 * 32.0 / 33.0).round() as u8;
        assert_eq!(px(&f, 2, 0)[3], a);
        assert_eq!(px(&f, 3, 0), [0, 0, 0, 255]);
    }

    #[test]
    fn mask_color_with_zero_threshold_is_a_binary_key() {
        let clip = ok(
            "{ mask_color = { color = [1, 2, 3] } }",
            still(&[&[[1, 2, 3, 255], [1, 2, 4, 255]]]),
        );
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![[0, 0, 0, 0], [1, 2, 4, 255]]
        );
        // Black is the default key; already transparent pixels stay so.
        let clip = ok(
            "{ mask_color = {} }",
            still(&[&[[0, 0, 0, 255], [0, 0, 0, 0], [128, 0, 0, 128]]]),
        );
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![[0, 0, 0, 0], [0, 0, 0, 0], [128, 0, 0, 128]]
        );
    }

    #[test]
    fn mask_color_measures_straight_colour() {
        // Half-transparent white is still white: keyed out.
        let clip = ok(
            "{ mask_color = { color = \"white\" } }",
            still(&[&[[128, 128, 128, 128]]]),
        );
        assert_eq!(px(&render(&clip, 0.0), 0, 0), [0, 0, 0, 0]);
        let (m, at) = err("{ mask_color = { threshold = -1 } }", solid(1, 1, R, None));
        assert!(
            m.contains("threshold must be at least 0") && at == "-1",
            "{m}"
        );
    }

    #[test]
    fn fade_in_from_black_and_out_to_a_colour() {
        let clip = ok("{ fade_in = 1 }", solid(1, 1, R, Some(2.0)));
        assert_eq!(px(&render(&clip, 0.0), 0, 0), [0, 0, 0, 255]);
        assert_eq!(px(&render(&clip, 0.5), 0, 0), [128, 0, 0, 255]);
        assert_eq!(px(&render(&clip, 1.0), 0, 0), R);
        assert_eq!(px(&render(&clip, 1.5), 0, 0), R);
        let clip = ok(
            "{ fade_out = { duration = 1, color = \"white\" } }",
            solid(1, 1, R, Some(2.0)),
        );
        assert_eq!(px(&render(&clip, 0.9), 0, 0), R);
        assert_eq!(px(&render(&clip, 1.5), 0, 0), [255, 128, 128, 255]);
        assert_eq!(px(&render(&clip, 1.9), 0, 0), [255, 230, 230, 255]);
    }

    #[test]
    fn fades_keep_the_clip_transparency() {
        let clip = ok(
            "{ fade_in = 1 }",
            still(&[&[[0, 0, 0, 0], [100, 0, 0, 100]]]),
        );
        assert_eq!(
            pixels(&render(&clip, 0.0)),
            vec![[0, 0, 0, 0], [0, 0, 0, 100]]
        );
    }

    #[test]
    fn crossfades_ramp_alpha() {
        let clip = ok("{ crossfade_in = 2 }", solid(1, 1, R, Some(4.0)));
        assert_eq!(px(&render(&clip, 0.0), 0, 0), [0, 0, 0, 0]);
        assert_eq!(px(&render(&clip, 1.0), 0, 0), [128, 0, 0, 128]);
        assert_eq!(px(&render(&clip, 3.0), 0, 0), R);
        let clip = ok(
            "{ crossfade_out = { duration = 2 } }",
            solid(1, 1, R, Some(4.0)),
        );
        assert_eq!(px(&render(&clip, 3.0), 0, 0), [128, 0, 0, 128]);
        assert_eq!(px(&render(&clip, 1.0), 0, 0), R);
    }

    #[test]
    fn animated_fade_duration_is_read_each_frame() {
        let clip = ok(
            "{ fade_in = { duration = { keys = [[0, 1], [1, 2]] } } }",
            solid(1, 1, R, Some(4.0)),
        );
        // At t = 1 the fade lasts 2 s: halfway.
        assert_eq!(px(&render(&clip, 1.0), 0, 0), [128, 0, 0, 255]);
        assert_eq!(px(&render(&clip, 2.5), 0, 0), R);
        // A duration of 0 or less at a frame: no fade there.
        let clip = ok("{ fade_in = \"1 - t\" }", solid(1, 1, R, Some(4.0)));
        assert_eq!(px(&render(&clip, 0.25), 0, 0), [85, 0, 0, 255]);
        assert_eq!(px(&render(&clip, 1.0), 0, 0), R);
        assert_eq!(px(&render(&clip, 1.5), 0, 0), R);
    }

    #[test]
    fn fade_errors() {
        let (m, at) = err("{ fade_out = 1 }", solid(1, 1, R, None));
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("a fade out needs a clip with an end", "1")
        );
        let (m, at) = err("{ fade_in = { duration = 0 } }", solid(1, 1, R, None));
        assert!(m.contains("greater than 0") && at == "0", "{m}");
        let (m, _) = err(
            "{ crossfade_in = { duration = 1, color = \"red\" } }",
            solid(1, 1, R, None),
        );
        assert_eq!(m, "unknown key `color`");
    }
}
