//! `zlim`: the heights a 3-D source's colormap spans (and its outline box's height):
//! measured over the animation, each frame's own, or given, possibly changing with
//! time.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::{finite_range, sample_times};
use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Param, RawParam};

/// Instants an animated `zlim` is sampled at to find the box the camera frames.
const FIT_SAMPLES: usize = 1000;

/// `zlim = "auto" | "frame" | [lo, hi]`, as written.
pub enum ZlimSpec {
    Auto,
    Frame,
    Given(Spanned<RawParam>, Spanned<RawParam>),
}

impl<'de> Deserialize<'de> for ZlimSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ZlimSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"auto\", \"frame\" or [low, high]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ZlimSpec, E> {
                match v {
                    "auto" => Ok(ZlimSpec::Auto),
                    "frame" => Ok(ZlimSpec::Frame),
                    other => Err(E::custom(format!(
                        "unknown zlim `{other}`: use \"auto\", \"frame\" or [low, high]"
                    ))),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ZlimSpec, A::Error> {
                let lo = seq.next_element()?;
                let hi = seq.next_element()?;
                match (lo, hi, seq.next_element::<de::IgnoredAny>()?) {
                    (Some(lo), Some(hi), None) => Ok(ZlimSpec::Given(lo, hi)),
                    _ => Err(de::Error::custom("zlim takes two numbers: [low, high]")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The height range colours are mapped over, compiled.
#[derive(Clone, Debug)]
pub enum Zlim {
    /// Known before rendering: constant, or measured over the whole animation.
    Fixed(f64, f64),
    /// Each frame's own lowest and highest finite height.
    Frame,
    /// Given, at least one end changing with time.
    Animated(Param, Param),
}

impl Zlim {
    /// The range at `env` for a frame whose heights are `values`. An animated range
    /// that is NaN or not increasing at this instant falls back to the frame's own.
    pub fn at(&self, env: &Env, values: &[f64]) -> (f64, f64) {
        let own = || widen(finite_range(values).unwrap_or((0.0, 0.0)));
        match self {
            Zlim::Fixed(lo, hi) => (*lo, *hi),
            Zlim::Frame => own(),
            Zlim::Animated(lo, hi) => match (lo.eval(env), hi.eval(env)) {
                (l, h) if l.is_finite() && h.is_finite() && l < h => (l, h),
                _ => own(),
            },
        }
    }
}

/// Compiles `zlim` for a clip lasting `duration`. Also gives the height range the
/// camera frames: the given range (the widest it gets, if it changes), else what
/// `measure` finds over the animation.
pub fn zlim(
    spec: Option<&Spanned<ZlimSpec>>,
    duration: Option<f64>,
    cx: &ResolveCx,
    measure: impl FnOnce() -> (f64, f64),
) -> Result<(Zlim, (f64, f64)), Diagnostic> {
    let Some(spec) = spec else {
        let r = measure();
        return Ok((Zlim::Fixed(r.0, r.1), r));
    };
    match spec.get_ref() {
        ZlimSpec::Given(lo, hi) => {
            let (l, h) = (cx.param(lo)?, cx.param(hi)?);
            match (l.as_constant(), h.as_constant()) {
                (Some(l), Some(h)) if l >= h => Err(Diagnostic::at(
                    format!(
                        "zlim must be [low, high] with low < high, not [{}, {}]",
                        shown(l),
                        shown(h)
                    ),
                    spec.span(),
                )),
                (Some(l), Some(h)) => Ok((Zlim::Fixed(l, h), (l, h))),
                _ => {
                    let fit = widest(&l, &h, duration, cx.fps).unwrap_or_else(measure);
                    Ok((Zlim::Animated(l, h), fit))
                }
            }
        }
        ZlimSpec::Frame => Ok((Zlim::Frame, measure())),
        ZlimSpec::Auto => {
            let r = measure();
            Ok((Zlim::Fixed(r.0, r.1), r))
        }
    }
}

/// The lowest low and highest high of an animated range over the animation (at its
/// frames and keyframe times), counting only instants where it is a range.
fn widest(lo: &Param, hi: &Param, duration: Option<f64>, fps: f64) -> Option<(f64, f64)> {
    let keys = lo.key_times().iter().chain(hi.key_times()).copied();
    let times = sample_times(duration, fps, true, FIT_SAMPLES)
        .into_iter()
        .chain(keys);
    let mut out: Option<(f64, f64)> = None;
    for t in times {
        let env = Env::new(t, duration, fps);
        let (l, h) = (lo.eval(&env), hi.eval(&env));
        if l.is_finite() && h.is_finite() && l < h {
            out = Some(out.map_or((l, h), |(a, b)| (a.min(l), b.max(h))));
        }
    }
    out
}

/// A height range that is never empty, so a flat surface still gets a box and colours.
pub fn widen((lo, hi): (f64, f64)) -> (f64, f64) {
    if hi > lo {
        (lo, hi)
    } else {
        let pad = lo.abs().max(1.0) * 0.5;
        (lo - pad, hi + pad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Scope;

    fn cx() -> ResolveCx<'static> {
        ResolveCx::new(
            std::path::Path::new("."),
            Scope::default(),
            crate::scene::resolve::build_clip,
        )
    }

    fn spec(text: &str) -> Spanned<ZlimSpec> {
        crate::base::de::typed(toml::de::DeValue::parse(text).unwrap()).unwrap()
    }

    fn env(t: f64) -> Env {
        Env::new(t, Some(2.0), 10.0)
    }

    #[test]
    fn a_zlim_of_t_changes_per_frame_and_frames_its_widest() {
        let (z, fit) = zlim(Some(&spec("[\"-1 - t\", 2]")), Some(2.0), &cx(), || {
            unreachable!("no measuring for a given range")
        })
        .unwrap();
        assert!(matches!(z, Zlim::Animated(..)));
        assert_eq!(z.at(&env(0.0), &[]), (-1.0, 2.0));
        assert_eq!(z.at(&env(1.5), &[]), (-2.5, 2.0));
        // The lowest low is at the last frame, one frame before t = 2.
        let last = 2.0 - 1.0 / cx().fps;
        assert!((fit.0 + 1.0 + last).abs() < 1e-9 && fit.1 == 2.0, "{fit:?}");
    }

    #[test]
    fn keyframed_zlim_and_its_fallback() {
        let text = "[{ keys = [[0, 0], [1, 3]] }, 2]";
        let (z, fit) = zlim(Some(&spec(text)), Some(2.0), &cx(), || (9.0, 10.0)).unwrap();
        assert_eq!(z.at(&env(0.5), &[]), (1.5, 2.0));
        // Low above high at t = 1: the frame's own heights instead.
        assert_eq!(z.at(&env(1.0), &[-1.0, 4.0, f64::NAN]), (-1.0, 4.0));
        assert_eq!(fit, (0.0, 2.0));
        // Never a range: the camera frames the measured heights.
        let (_, fit) = zlim(Some(&spec("[\"2 + t\", 1]")), Some(2.0), &cx(), || {
            (9.0, 10.0)
        })
        .unwrap();
        assert_eq!(fit, (9.0, 10.0));
    }

    #[test]
    fn constant_zlim_is_fixed_and_checked() {
        let (z, fit) = zlim(Some(&spec("[-1, \"2*pi\"]")), None, &cx(), || (0.0, 1.0)).unwrap();
        assert!(matches!(z, Zlim::Fixed(l, h) if l == -1.0 && h == fit.1));
        let e = zlim(Some(&spec("[1, 1e300]")), None, &cx(), || (0.0, 1.0));
        assert!(e.is_ok());
        let e = zlim(Some(&spec("[1e300, 1]")), None, &cx(), || (0.0, 1.0)).unwrap_err();
        assert_eq!(
            e.message,
            "zlim must be [low, high] with low < high, not [1e300, 1]"
        );
    }
}
