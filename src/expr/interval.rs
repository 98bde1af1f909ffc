//! `[a, b]` of two animated parameters: a sampling range, axis limits, the ends of a
//! colour scale.

use toml::Spanned;

use super::{Env, Param, RawParam, Scope};
use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::base::pair::Pair;

/// Two parameters, each a number, an expression of `t` or keyframes.
#[derive(Debug, Clone)]
pub struct Interval {
    pub a: Param,
    pub b: Param,
}

impl Interval {
    /// Compiles both ends (errors point at the end); two constant ends must differ.
    pub fn compile(
        raw: &Spanned<Pair<RawParam>>,
        scope: &Scope,
        what: &str,
    ) -> Result<Interval, Diagnostic> {
        let pair = raw.get_ref();
        let iv = Interval {
            a: Param::compile(pair.first(), scope)?,
            b: Param::compile(pair.second(), scope)?,
        };
        if let Some((a, b)) = iv.as_constant() {
            if a == b {
                return Err(Diagnostic::at(
                    format!(
                        "{what} must be two different numbers, not [{}, {}]",
                        shown(a),
                        shown(b)
                    ),
                    raw.span(),
                ));
            }
        }
        Ok(iv)
    }

    pub fn constant(a: f64, b: f64) -> Interval {
        Interval {
            a: Param::constant(a),
            b: Param::constant(b),
        }
    }

    /// Both ends, if neither changes over time.
    pub fn as_constant(&self) -> Option<(f64, f64)> {
        Some((self.a.as_constant()?, self.b.as_constant()?))
    }

    pub fn is_animated(&self) -> bool {
        self.as_constant().is_none()
    }

    /// Both ends at `env.t` (either may be NaN).
    pub fn at(&self, env: &Env) -> (f64, f64) {
        (self.a.eval(env), self.b.eval(env))
    }

    /// The keyframe times of both ends, for callers that sample the interval.
    pub fn key_times(&self) -> impl Iterator<Item = f64> + '_ {
        self.a.key_times().iter().chain(self.b.key_times()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use toml::de::DeValue;

    fn compile(text: &str) -> Result<Interval, Diagnostic> {
        let raw: Spanned<Pair<RawParam>> = typed(DeValue::parse(text).unwrap())?;
        Interval::compile(&raw, &Scope::with_vars([("k", 2.0)]), "xlim")
    }

    #[test]
    fn constants_expressions_and_keys() {
        assert_eq!(
            compile("[-2, \"k*pi\"]").unwrap().as_constant(),
            Some((-2.0, 2.0 * std::f64::consts::PI))
        );
        let iv = compile("[\"-1 - t\", { keys = [[0, 1], [2, 3]] }]").unwrap();
        assert!(iv.is_animated());
        assert_eq!(iv.at(&Env::new(1.0, Some(2.0), 10.0)), (-2.0, 2.0));
        assert_eq!(iv.key_times().collect::<Vec<_>>(), vec![0.0, 2.0]);
    }

    #[test]
    fn errors_have_places() {
        let text = "[0, \"1 + sped\"]";
        let e = compile(text).unwrap_err();
        assert_eq!(&text[e.span.unwrap()], "sped");
        let text = "[\"k\", 2]";
        let e = compile(text).unwrap_err();
        assert_eq!(e.message, "xlim must be two different numbers, not [2, 2]");
        assert_eq!(&text[e.span.unwrap()], text);
    }
}
