//! Parameters with a valid range, for the colour and filter effects.
//!
//! A constant outside the range is refused where it is written. An animated value is
//! checked at each frame: outside the range it is clamped to the nearest end; when it
//! is not a number (NaN, e.g. `sqrt(t - 0.5)` before t = 0.5), or infinite on a side
//! where the range has no end, the effect leaves that frame as it is. The first time
//! either happens, a warning names the parameter, its place in the scene and the time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Param, RawParam};

/// The values a parameter may take, ends included; either end may be infinite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
    /// Said after the numbers in messages (" pixels"), or "".
    pub unit: &'static str,
}

/// Any number.
pub const ANY: Range = Range {
    lo: f64::NEG_INFINITY,
    hi: f64::INFINITY,
    unit: "",
};

/// 0 or more.
pub const NON_NEGATIVE: Range = Range {
    lo: 0.0,
    hi: f64::INFINITY,
    unit: "",
};

impl Range {
    /// `v` clamped into the range; `None` when `v` is NaN or infinite beyond an open end.
    pub fn clamp(&self, v: f64) -> Option<f64> {
        let c = v.clamp(self.lo, self.hi);
        c.is_finite().then_some(c)
    }

    /// "between 0 and 250 pixels", "at least 0", "any number".
    fn describe(&self) -> String {
        let u = self.unit;
        match (self.lo.is_finite(), self.hi.is_finite()) {
            (true, true) => format!("between {} and {}{u}", self.lo, self.hi),
            (true, false) => format!("at least {}{u}", self.lo),
            (false, true) => format!("at most {}{u}", self.hi),
            (false, false) => "a finite number".to_string(),
        }
    }
}

/// A compiled parameter with its range, checked at each frame.
#[derive(Clone)]
pub struct Bounded {
    param: Param,
    what: &'static str,
    range: Range,
    /// "line 8, column 23" in the scene file, or "" when built without one.
    place: String,
    warned: Arc<AtomicBool>,
}

impl Bounded {
    /// Compiles `raw`; a constant outside `range` (or not a finite number) is an error
    /// at its place: "`what` must be between …, not …".
    pub fn new(
        raw: &Spanned<RawParam>,
        what: &'static str,
        range: Range,
        cx: &ResolveCx,
    ) -> Result<Bounded, Diagnostic> {
        let param = cx.param(raw)?;
        if let Some(v) = param.as_constant() {
            if range.clamp(v) != Some(v) {
                return Err(Diagnostic::at(
                    format!(
                        "{what} must be {}, not {}",
                        range.describe(),
                        crate::base::limits::shown(v)
                    ),
                    raw.span(),
                ));
            }
        }
        let place = cx.place(raw.span().start);
        Ok(Bounded {
            param,
            what,
            range,
            place,
            warned: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Like [`new`](Self::new) for an optional key: `None` is the constant `default`.
    pub fn or(
        raw: Option<&Spanned<RawParam>>,
        default: f64,
        what: &'static str,
        range: Range,
        cx: &ResolveCx,
    ) -> Result<Bounded, Diagnostic> {
        match raw {
            Some(r) => Bounded::new(r, what, range, cx),
            None => Ok(Bounded {
                param: Param::constant(default),
                what,
                range,
                place: String::new(),
                warned: Arc::new(AtomicBool::new(false)),
            }),
        }
    }

    /// The value if it does not change over time.
    pub fn as_constant(&self) -> Option<f64> {
        self.param.as_constant()
    }

    /// The value at `env.t`, clamped into the range; `None` when the effect should leave
    /// this frame as it is. Warns the first time the value needs either.
    pub fn at(&self, env: &Env) -> Option<f64> {
        let v = self.param.eval(env);
        let out = self.range.clamp(v);
        if out != Some(v) && !self.warned.swap(true, Ordering::Relaxed) {
            let (what, place, t) = (self.what, &self.place, env.t);
            let said = match out {
                Some(c) => format!(
                    "{} at t = {t:.3} s, out of range ({}): clamped to {}",
                    shown(v),
                    self.range.describe(),
                    shown(c)
                ),
                None if v.is_nan() => {
                    format!("not a number at t = {t:.3} s: the effect leaves this frame unchanged")
                }
                None => format!(
                    "{} at t = {t:.3} s, out of range ({}): the effect leaves this frame unchanged",
                    shown(v),
                    self.range.describe()
                ),
            };
            crate::base::report::warn(format_args!(
                "{what}{place} is {said}, and any other such frame"
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn env(t: f64) -> Env {
        Env::new(t, Some(1.0), 10.0)
    }

    fn bounded(text: &str, range: Range) -> Result<Bounded, Diagnostic> {
        let v = toml::de::DeValue::parse(text).unwrap();
        let raw: Spanned<RawParam> = crate::base::de::typed(v)?;
        let mut cx = ResolveCx::new(
            Path::new("."),
            crate::expr::Scope::default(),
            crate::scene::resolve::build_clip,
        );
        cx.set_source(text);
        Bounded::new(&raw, "sigma", range, &cx)
    }

    const SIGMA: Range = Range {
        lo: 0.0,
        hi: 250.0,
        unit: " pixels",
    };

    #[test]
    fn animated_values_are_clamped_nan_skips_the_frame() {
        let b = bounded("\"2 + t*1000\"", SIGMA).unwrap();
        assert_eq!(b.at(&env(0.0)), Some(2.0));
        assert_eq!(b.at(&env(0.5)), Some(250.0));
        let b = bounded("\"-t\"", NON_NEGATIVE).unwrap();
        assert_eq!(b.at(&env(0.5)), Some(0.0));
        let b = bounded("\"sqrt(t - 0.5)\"", NON_NEGATIVE).unwrap();
        assert_eq!(b.at(&env(0.25)), None);
        assert_eq!(b.at(&env(0.75)), Some(0.25f64.sqrt()));
        // Infinite: clamped to a finite end, skipped on an open one.
        let b = bounded("\"exp(1000*t)\"", SIGMA).unwrap();
        assert_eq!(b.at(&env(0.9)), Some(250.0));
        let b = bounded("\"exp(1000*t)\"", ANY).unwrap();
        assert_eq!(b.at(&env(0.9)), None);
        assert_eq!(b.at(&env(0.0)), Some(1.0));
        assert!(b.place.contains("line 1, column 1"), "{}", b.place);
    }

    #[test]
    fn constants_outside_the_range_are_refused() {
        let e = bounded("-1", SIGMA).err().unwrap();
        assert_eq!(e.message, "sigma must be between 0 and 250 pixels, not -1");
        let e = bounded("-0.5", NON_NEGATIVE).err().unwrap();
        assert_eq!(e.message, "sigma must be at least 0, not -0.5");
        assert_eq!(bounded("250", SIGMA).unwrap().as_constant(), Some(250.0));
    }
}
