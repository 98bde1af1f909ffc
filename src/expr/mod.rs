//! Expressions and animated parameters: every number in a scene may change with time.
//!
//! The language is described for users in `docs/expressions.md`. For code:
//!
//! - **Scalar parameters** (opacity, angles, positions…): a field of type
//!   `Spanned<RawParam>` accepts a number, an expression string of `t` or a keyframe
//!   table. Compile it once with [`Param::compile`] (or `ResolveCx::param`), then call
//!   [`Param::eval`] with an [`Env`] every frame. [`Param::as_constant`] tells whether
//!   it can change at all.
//! - **Generated sources** (fields, surfaces, plots, curves): compile a formula with
//!   per-point variables, `Expr::compile(&spanned_text, &cx.scope, &["x", "y"])`, then
//!   per frame call [`Expr::eval_grid`] (a w×h grid from two axes),
//!   [`Expr::eval_batch`] (any points, one slice per variable) or [`Expr::eval`] (one
//!   point). Errors point at the character inside the scene's string.
//! - **Colours**: a `Spanned<RawColor>` field accepts a colour or colour keyframes;
//!   [`AnimatedColor::compile`] then [`AnimatedColor::eval`] gives an
//!   [`Rgba`](crate::color::Rgba) per frame, interpolated in Oklab.
//! - **Vars**: [`Scope`] holds the scene's `[vars]` (constants) with `--set` applied.
//!
//! Everything compiled is immutable, `Send + Sync` and cheap to clone (`Arc` inside).
//! Evaluation never panics and never allocates for scalar parameters; NaN stands for
//! "no value" (division by zero, domain errors) and each consumer documents what it
//! does with it.

mod color;
mod compiled;
mod ease;
mod error;
mod eval;
pub(crate) mod func;
mod graph;
mod keys;
mod lex;
mod param;
mod parse;
mod scope;

pub use color::{AnimatedColor, RawColor};
pub use compiled::Expr;
pub use ease::Ease;
pub use error::ExprError;
pub use keys::{RawKey, RawKeys};
pub use param::{Param, RawParam, Scalar};
pub use parse::{MAX_DEPTH, MAX_LEN};
pub use scope::Scope;

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
    /// The clip-local frame index, `floor(t·fps)` with slack for rounding
    /// (t = 0.3 at 10 fps is frame 3, not 2).
    pub fn frame(&self) -> f64 {
        (self.t * self.fps + 1e-9).floor()
    }
}
