//! A parameter whose value at some frame may not be a number (`1/(t-0.4)`, `log(0.4-t)`,
//! `1e308*t*1e308`), where the consumer can only skip the frame: it says so once, with
//! the key's name and place, instead of a layer vanishing without a word.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{Env, Param};

/// A compiled parameter that warns the first time it evaluates to NaN or infinity.
#[derive(Debug, Clone)]
pub struct Watched {
    param: Param,
    /// The key, as the warning names it (`position`, `rotate`).
    what: &'static str,
    /// " (line 8, column 23)", or "".
    place: String,
    /// What the consumer does with such a frame ("the layer is not drawn").
    outcome: &'static str,
    warned: Arc<AtomicBool>,
}

impl Watched {
    pub fn new(param: Param, what: &'static str, place: String, outcome: &'static str) -> Watched {
        Watched {
            param,
            what,
            place,
            outcome,
            warned: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The value at `env.t`, as [`Param::eval`] gives it; the first value that is not
    /// a finite number is reported through `base::report`.
    pub fn eval(&self, env: &Env) -> f64 {
        let v = self.param.eval(env);
        if !v.is_finite() && !self.warned.swap(true, Ordering::Relaxed) {
            let value = if v.is_nan() {
                "not a number".to_string()
            } else {
                crate::base::limits::shown(v)
            };
            // A clip without an end has `duration` 0: `200 * t / duration` is NaN there,
            // which the user cannot guess from the value alone.
            let unbounded = env.duration == 0.0
                && self
                    .param
                    .eval(&Env {
                        duration: 1.0,
                        ..*env
                    })
                    .is_finite();
            let why = if unbounded {
                " (hint: `duration` is 0 in a clip without an end, as this one is: give the \
                 clip, or the layer that shows it, a `duration`)"
            } else {
                ""
            };
            crate::base::report::warn(format_args!(
                "{}{} is {value} at t = {:.3} s: {} in that frame and any other such frame{why}",
                self.what, self.place, env.t, self.outcome
            ));
        }
        v
    }
}
