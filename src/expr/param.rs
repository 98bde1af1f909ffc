//! Animated parameters: what the scene file says ([`RawParam`]) and its compiled form
//! ([`Param`]).

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::compiled::Expr;
use super::keys::{Keyframes, RawKeys};
use super::{Env, Scope};
use crate::base::diag::Diagnostic;

/// A number or an expression, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Number(f64),
    Expr(String),
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or an expression string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Expr(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

impl Scalar {
    /// Compiles to an expression of time (no per-point inputs).
    pub fn compile(raw: &Spanned<Scalar>, scope: &Scope) -> Result<Param, Diagnostic> {
        match raw.get_ref() {
            Scalar::Number(v) if v.is_finite() => Ok(Param::constant(*v)),
            Scalar::Number(_) => Err(Diagnostic::at("a number must be finite", raw.span())),
            Scalar::Expr(s) => {
                let e = Expr::compile_at(s, raw.span(), scope, &[])?;
                match e.as_constant() {
                    Some(v) if !v.is_finite() => Err(Diagnostic::at(
                        format!("`{s}` is {v}, not a finite number"),
                        raw.span(),
                    )),
                    Some(v) => Ok(Param::constant(v)),
                    None => Ok(Param(Inner::Expr(e))),
                }
            }
        }
    }
}

/// A numeric parameter as written in the scene: a number, an expression string of
/// `t`, or a keyframe table `{ keys = [[t, value], …], ease = "…" }`.
#[derive(Debug, Clone, PartialEq)]
pub enum RawParam {
    Number(f64),
    Expr(String),
    Keys(Box<RawKeys<Scalar>>),
}

impl<'de> Deserialize<'de> for RawParam {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawParam;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number, an expression string, or keyframes { keys = [[t, value], …] }",
                )
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
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawParam, E> {
                Ok(RawParam::Expr(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawParam, A::Error> {
                RawKeys::deserialize(MapAccessDeserializer::new(map))
                    .map(|k| RawParam::Keys(Box::new(k)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A compiled parameter, cheap to evaluate every frame, to clone and to share
/// between threads.
#[derive(Debug, Clone)]
pub struct Param(Inner);

#[derive(Debug, Clone)]
enum Inner {
    Const(f64),
    Expr(Expr),
    Keys(std::sync::Arc<Keyframes>),
}

impl Param {
    pub fn constant(v: f64) -> Param {
        Param(Inner::Const(v))
    }

    /// The value if it does not change over time.
    pub fn as_constant(&self) -> Option<f64> {
        match &self.0 {
            Inner::Const(v) => Some(*v),
            Inner::Expr(_) => None,
            Inner::Keys(k) => k.as_constant(),
        }
    }

    /// The times of its keyframes, if it has any: where a keyframed value peaks
    /// (unless its easing overshoots), for callers that sample it.
    pub fn key_times(&self) -> &[f64] {
        match &self.0 {
            Inner::Keys(k) => k.times(),
            _ => &[],
        }
    }

    /// The value at `env.t`. May be NaN (an expression's division by zero or domain
    /// error); each consumer documents what NaN means for it.
    pub fn eval(&self, env: &Env) -> f64 {
        match &self.0 {
            Inner::Const(v) => *v,
            Inner::Expr(e) => e.eval(env, &[]),
            Inner::Keys(k) => k.eval(env),
        }
    }

    /// Compiles what the user wrote. Errors point at the parameter in the file, inside
    /// an expression string where possible.
    pub fn compile(raw: &Spanned<RawParam>, scope: &Scope) -> Result<Param, Diagnostic> {
        let span = raw.span();
        match raw.get_ref() {
            RawParam::Number(v) => Scalar::compile(&Spanned::new(span, Scalar::Number(*v)), scope),
            RawParam::Expr(s) => {
                Scalar::compile(&Spanned::new(span, Scalar::Expr(s.clone())), scope)
            }
            RawParam::Keys(k) => {
                let keys = Keyframes::compile(k, scope)?;
                Ok(match keys.as_constant() {
                    Some(v) => Param::constant(v),
                    None => Param(Inner::Keys(std::sync::Arc::new(keys))),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use toml::de::DeValue;

    fn compile(text: &str) -> Result<Param, Diagnostic> {
        let raw: Spanned<RawParam> = typed(DeValue::parse(text).unwrap())?;
        Param::compile(&raw, &Scope::with_vars([("speed", 2.0)]))
    }

    fn at(t: f64) -> Env {
        Env {
            t,
            duration: 4.0,
            fps: 10.0,
        }
    }

    #[test]
    fn numbers_and_expressions() {
        assert_eq!(compile("1.5").unwrap().as_constant(), Some(1.5));
        assert_eq!(compile("\"2 * speed\"").unwrap().as_constant(), Some(4.0));
        let p = compile("\"speed * t\"").unwrap();
        assert_eq!(p.as_constant(), None);
        assert_eq!(p.eval(&at(1.5)), 3.0);
    }

    #[test]
    fn errors_point_inside_the_string() {
        let text = "\"1 + sped * t\"";
        let e = compile(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap()], "sped");
        let text = "\"1/0\"";
        let e = compile(text).unwrap_err();
        assert!(e.message.contains("not a finite number"), "{}", e.message);
    }

    #[test]
    fn params_are_shareable() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Param>();
        check::<Expr>();
    }
}
