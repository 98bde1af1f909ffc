//! Animated parameters: every number in a scene may change with time.
//!
//! Foundation version: constants only. The expression language and keyframes
//! (issue "Expressions and animated parameters") extend `RawParam` and `Param`
//! behind the same API.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::scene::diag::Diagnostic;

/// A number as written in the scene file.
#[derive(Debug, Clone, PartialEq)]
pub enum RawParam {
    Number(f64),
}

impl<'de> Deserialize<'de> for RawParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawParam;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawParam, E> {
                Ok(RawParam::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawParam, E> {
                Ok(RawParam::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawParam, E> {
                Ok(RawParam::Number(v))
            }
        }
        d.deserialize_any(V)
    }
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

/// Scene-wide names an expression may use (the `[vars]` table, `--set` overrides).
#[derive(Debug, Clone, Default)]
pub struct Scope {}

impl Scope {
    /// The scene's `[vars]` table with `--set` overrides applied.
    pub fn from_vars(
        vars: Option<Spanned<toml::de::DeValue<'_>>>,
        overrides: &[(String, String)],
    ) -> Result<Scope, Diagnostic> {
        if let Some(v) = vars {
            return Err(Diagnostic::at("[vars] is not supported yet", v.span()));
        }
        if let Some((name, _)) = overrides.first() {
            return Err(Diagnostic::new(format!(
                "--set {name}: the scene has no variable `{name}`"
            )));
        }
        Ok(Scope {})
    }
}

/// A compiled parameter, cheap to evaluate every frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Const(f64),
}

impl Param {
    pub fn constant(v: f64) -> Param {
        Param::Const(v)
    }

    /// The value if it does not depend on time.
    pub fn as_constant(&self) -> Option<f64> {
        match self {
            Param::Const(v) => Some(*v),
        }
    }

    pub fn eval(&self, _env: &Env) -> f64 {
        match self {
            Param::Const(v) => *v,
        }
    }

    /// Compiles what the user wrote. Errors point at the parameter in the file.
    pub fn compile(raw: &Spanned<RawParam>, _scope: &Scope) -> Result<Param, Diagnostic> {
        match raw.get_ref() {
            RawParam::Number(v) if v.is_finite() => Ok(Param::Const(*v)),
            RawParam::Number(_) => Err(Diagnostic::at("a number must be finite", raw.span())),
        }
    }
}
