//! Text with live values: `"t = {t:.2f} s"` holds placeholders, each an expression
//! and an optional number format, filled in for every frame.
//!
//! A [`Template`] is compiled once, when the scene loads: expressions are checked and
//! the placeholders that cannot change (numbers, `[vars]`) are written in straight
//! away, so a text whose values are all constant is plain text, drawn once.

mod parse;
pub mod spec;

use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::expr::{Env, Expr, ExprError, Scope};
pub use parse::MAX_PLACEHOLDERS;
pub use spec::Spec;

/// A compiled text: literal runs and values to format.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Value { expr: Expr, spec: Spec },
}

impl Template {
    /// Compiles `text`; error positions are byte ranges of `text`.
    pub fn compile(text: &str, scope: &Scope) -> Result<Template, ExprError> {
        Template::compile_with(text, scope, &[])
    }

    /// Like [`Template::compile`], with values named `inputs` that the user of the
    /// template hands to [`Template::write_with`] (a bar's `value`).
    pub fn compile_with(text: &str, scope: &Scope, inputs: &[&str]) -> Result<Template, ExprError> {
        let mut parts: Vec<Part> = Vec::new();
        for piece in parse::split(text)? {
            let part = match piece {
                parse::Piece::Literal(s) => Part::Text(s),
                parse::Piece::Field { expr, format, .. } => {
                    let spec = match &format {
                        Some(f) => Spec::parse(&text[f.clone()]).map_err(|e| shift(e, f.start))?,
                        None => Spec::default(),
                    };
                    let e = Expr::parse_text(&text[expr.clone()], scope, inputs)
                        .map_err(|e| shift(e, expr.start))?;
                    match e.as_constant() {
                        Some(v) => {
                            let mut s = String::new();
                            spec.write(v, &mut s);
                            Part::Text(s)
                        }
                        None => Part::Value { expr: e, spec },
                    }
                }
            };
            match (parts.last_mut(), part) {
                (Some(Part::Text(prev)), Part::Text(s)) => prev.push_str(&s),
                (_, part) => parts.push(part),
            }
        }
        Ok(Template { parts })
    }

    /// Compiles a text from the scene file; errors point inside its string.
    pub fn compile_in_file(
        raw: &Spanned<String>,
        scope: &Scope,
        source: &str,
    ) -> Result<Template, Diagnostic> {
        let text = raw.get_ref();
        Template::compile(text, scope).map_err(|e| {
            match crate::base::quoted::place(source, raw.span(), text, e.at.clone()) {
                Some(at) => Diagnostic {
                    message: e.message,
                    span: Some(at),
                    hint: e.hint,
                    notes: Vec::new(),
                },
                None => e.in_file(text, raw.span()),
            }
        })
    }

    /// The text, if it is the same at every frame.
    pub fn as_static(&self) -> Option<&str> {
        match &self.parts[..] {
            [] => Some(""),
            [Part::Text(s)] => Some(s),
            _ => None,
        }
    }

    /// Writes the text at `env` into `out` (cleared first).
    pub fn write(&self, env: &Env, out: &mut String) {
        self.write_with(env, &[], out);
    }

    /// Writes the text at `env` with the values of its inputs into `out` (cleared first).
    pub fn write_with(&self, env: &Env, inputs: &[f64], out: &mut String) {
        out.clear();
        for p in &self.parts {
            match p {
                Part::Text(s) => out.push_str(s),
                Part::Value { expr, spec } => spec.write(expr.eval(env, inputs), out),
            }
        }
    }

    /// The text at `env`.
    pub fn at(&self, env: &Env) -> String {
        let mut s = String::new();
        self.write(env, &mut s);
        s
    }

    /// The text at `env` with every digit the values show replaced by `digit`: the
    /// shape of the numbers without their values, for measuring.
    pub fn at_masked(&self, env: &Env, digit: char) -> String {
        let mut out = String::new();
        let mut value = String::new();
        for p in &self.parts {
            match p {
                Part::Text(s) => out.push_str(s),
                Part::Value { expr, spec } => {
                    value.clear();
                    spec.write(expr.eval(env, &[]), &mut value);
                    out.extend(
                        value
                            .chars()
                            .map(|c| if c.is_ascii_digit() { digit } else { c }),
                    );
                }
            }
        }
        out
    }
}

fn shift(mut e: ExprError, by: usize) -> ExprError {
    e.at = e.at.start + by..e.at.end + by;
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(t: f64) -> Env {
        Env::new(t, Some(4.0), 10.0)
    }

    #[test]
    fn fills_in_values_per_frame() {
        let scope = Scope::with_vars([("speed", 2.0)]);
        let t = Template::compile("t = {t:.2f} s, {speed * t:05.1f}, {frame}", &scope).unwrap();
        assert!(t.as_static().is_none());
        assert_eq!(t.at(&env(0.5)), "t = 0.50 s, 001.0, 5");
        assert_eq!(t.at(&env(1.25)), "t = 1.25 s, 002.5, 12");
    }

    #[test]
    fn constant_values_make_static_text() {
        let scope = Scope::with_vars([("speed", 2.0)]);
        let t =
            Template::compile("speed {speed:.1f}, {{braces}}, {1/0}, {-ln(0)}", &scope).unwrap();
        assert_eq!(t.as_static(), Some("speed 2.0, {braces}, nan, inf"));
        assert_eq!(Template::compile("", &scope).unwrap().as_static(), Some(""));
    }

    fn err(text: &str) -> (String, String, Option<String>) {
        let e = Template::compile(text, &Scope::with_vars([("speed", 1.0)])).unwrap_err();
        (e.message, text[e.at].to_string(), e.hint)
    }

    #[test]
    fn errors_are_placed_in_the_text() {
        let (m, at, hint) = err("v = {sped * t:.1f}");
        assert_eq!((m.as_str(), at.as_str()), ("unknown name `sped`", "sped"));
        assert_eq!(hint.as_deref(), Some("did you mean `speed`?"));
        assert_eq!(err("v = {t:.1q} m").1, "q");
        assert_eq!(err("a {t} b {x}").1, "x");
        assert_eq!(err("a {t} b {t").1, "{");
        let (m, at, _) = err("{(t}");
        assert_eq!((m.as_str(), at.as_str()), ("this `(` is never closed", "("));
    }
}
