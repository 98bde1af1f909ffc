//! Expressions and animated parameters: every number in a scene may change with time.
//!
//! The language is described for users in `docs/expressions.md`. For code:
//!
//! - **Scalar parameters** (opacity, angles, positions, plot limits, camera…): declare
//!   the field as `Spanned<RawParam>`; it accepts a number, an expression string of `t`
//!   or a keyframe table. Compile it once with `ResolveCx::param` (or
//!   [`Param::compile`]); `ResolveCx::constant` for values that may not change over
//!   time. Every frame, call [`Param::eval`] with an [`Env`] (clip-local `t`, the clip's
//!   duration, the output fps: [`Env::new`]). [`Param::as_constant`] says whether it can
//!   change at all.
//! - **Generated sources** (fields, surfaces, plots, curves): declare the formula as
//!   `Spanned<String>` (or `Spanned<Scalar>` to also accept a plain number) and compile
//!   it with its per-point variables: [`Expr::compile`]`(&text, &cx.scope, &["x", "y"])`
//!   (or [`Expr::compile_scalar`]). Per frame call [`Expr::eval_grid`] (a w×h grid from
//!   two axes, the fastest), [`Expr::eval_batch`] (any points, one slice per variable)
//!   or [`Expr::eval`] (one point). Errors point at the character inside the scene's
//!   string. [`Expr::is_animated`] says whether the values change between frames.
//! - **Ranges** (`[min, max]` of a plot's limits or sampling range, a field's extent):
//!   declare `Spanned<Pair<RawParam>>` ([`Pair`](crate::base::pair::Pair) refuses
//!   arrays of another length) and compile it to an [`Interval`] of two parameters.
//! - **Colours**: declare `Spanned<RawColor>`; it accepts a colour or colour keyframes.
//!   [`AnimatedColor::compile`], then [`AnimatedColor::eval`] per frame gives an
//!   [`Rgba`](crate::base::color::Rgba), interpolated in Oklab.
//! - **Vars**: [`Scope`] (at `cx.scope`) holds the scene's `[vars]`, constants with
//!   `--set` applied; compiling resolves them, so nothing else needs it.
//!
//! Everything compiled is immutable, `Send + Sync` and cheap to clone (`Arc` inside),
//! so a clip can evaluate from any render thread. Evaluation never panics on any
//! input value; NaN stands for "no value" (division by zero, domain errors) and each
//! consumer documents what it does with it (usually: draw nothing there).
//!
//! ```
//! use animate::expr::{Env, Expr, Scope};
//!
//! let scope = Scope::with_vars([("k", 2.0)]);
//! let z = Expr::parse_text("sinc(x^2 + y^2) + sin(x + k*pi*t/duration)", &scope, &["x", "y"])
//!     .expect("valid");
//! let axis: Vec<f64> = (0..200).map(|i| -2.0 + 4.0 * i as f64 / 199.0).collect();
//! let mut out = vec![0.0; 200 * 200];
//! z.eval_grid(&Env::new(0.5, Some(2.0), 20.0), &axis, &axis, &mut out);
//! assert_eq!(out[0], z.eval(&Env::new(0.5, Some(2.0), 20.0), &[-2.0, -2.0]));
//! ```

mod cache;
mod color;
mod compiled;
mod ease;
mod error;
mod eval;
pub(crate) mod func;
mod graph;
mod grid_line;
mod interval;
mod keys;
mod lex;
mod param;
mod parse;
mod scope;
mod series;
mod watched;

pub use color::{AnimatedColor, RawColor};
pub use compiled::Expr;
pub use ease::Ease;
pub use error::ExprError;
pub use graph::{MAX_INPUTS, NAN_HINT};
pub use grid_line::{compile_grid_expr, GridCall, GridExpr, GridFn, GridName};
pub use interval::Interval;
pub use keys::{RawKey, RawKeys};
pub use param::{Param, RawParam, Scalar};
pub use parse::{MAX_DEPTH, MAX_LEN};
pub use scope::Scope;
pub use series::{Found, Measures, Series, SharedMeasures};
pub use watched::Watched;

/// Whether `name` is a name an expression can hold (letters, digits and `_`, not
/// starting with a digit).
pub fn is_identifier(name: &str) -> bool {
    scope::is_identifier(name)
}

/// Whether a column of a data file may be named `name` in expressions: a name
/// expressions can hold, and not one that already means something in them (`t`,
/// `duration`, `pi`, `and`, a `[vars]` name), which the column would otherwise hide.
pub fn may_name_a_column(name: &str, scope: &Scope) -> bool {
    scope::is_identifier(name)
        && !graph::ENV_NAMES.iter().any(|(n, _)| *n == name)
        && func::constant(name).is_none()
        && !parse::KEYWORDS.contains(&name)
        && !scope.names().iter().any(|v| v == name)
}

/// The time a parameter is evaluated at, and what the expression language can see.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    /// Clip-local time in seconds.
    pub t: f64,
    /// The clip's duration (0 when unbounded).
    pub duration: f64,
    /// Output frames per second.
    pub fps: f64,
}

impl Env {
    /// The environment at clip-local time `t` of a clip lasting `duration` (`None`:
    /// for ever, seen as 0), rendered at `fps`.
    pub fn new(t: f64, duration: Option<f64>, fps: f64) -> Env {
        Env {
            t,
            duration: duration.unwrap_or(0.0),
            fps,
        }
    }

    /// The clip-local frame index, `floor(t·fps)` with slack for rounding
    /// (t = 0.3 at 10 fps is frame 3, not 2).
    pub fn frame(&self) -> f64 {
        (self.t * self.fps + crate::base::time::TIME_EPSILON).floor()
    }
}
