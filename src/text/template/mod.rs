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
use crate::data::date_format::DateFormat;
use crate::data::dates;
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
    Value { expr: Expr, format: Format },
}

/// How a placeholder's value is written: as a number, or as the date it is the day
/// number of (`{2024-02-01 + t:%d %b}`).
#[derive(Debug, Clone)]
enum Format {
    Number(Spec),
    Date(DateFormat),
}

impl Format {
    /// The format after a placeholder's `:` (`None`: there is none); `dated`: the
    /// expression names a date, so it is written as one unless a number format says
    /// otherwise.
    fn parse(src: Option<&str>, dated: bool) -> Result<Format, ExprError> {
        match src {
            Some(f) if f.starts_with('%') && f.len() > 1 => DateFormat::parse(f).map(Format::Date),
            Some(f) => Spec::parse(f).map(Format::Number),
            None if dated => Ok(Format::Date(
                DateFormat::parse("%Y-%m-%d").expect("a valid format"),
            )),
            None => Ok(Format::Number(Spec::default())),
        }
    }

    fn write(&self, v: f64, out: &mut String) {
        match self {
            Format::Number(spec) => spec.write(v, out),
            Format::Date(date) => date.write(v, out),
        }
    }
}

/// Whether `text` reads as LaTeX: a `$…$` or a backslash command (`\\frac`).
fn looks_like_latex(text: &str) -> bool {
    text.matches('$').count() >= 2
        || text
            .split('\\')
            .skip(1)
            .any(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// `expr` with each date in it (`2024-02-01`) written as its day number, at the same
/// length where it fits so that error positions stay right, and whether there was one.
fn days_for_dates(expr: &str) -> Result<(std::borrow::Cow<'_, str>, bool), ExprError> {
    let found = dates::literals(expr);
    if found.is_empty() {
        return Ok((std::borrow::Cow::Borrowed(expr), false));
    }
    let mut out = String::with_capacity(expr.len());
    let mut from = 0;
    for r in found {
        let date = &expr[r.clone()];
        if expr[r.end..].starts_with('T') {
            return Err(ExprError::new(
                "a date inside an expression is a day: its time cannot be written here",
                r.start..r.end + 1,
            )
            .with_hint(format!("add hours as days: `{date} + 12/24`")));
        }
        let days = dates::parse(&dates::padded(date)).ok_or_else(|| {
            ExprError::new(format!("`{date}` is not a date"), r.clone())
                .with_hint("a date is YYYY-MM-DD, as 2024-01-31")
        })?;
        let n = if days < 0.0 {
            format!("({days:.0})")
        } else {
            format!("{days:.0}")
        };
        out.push_str(&expr[from..r.start]);
        out.push_str(&format!("{n:<width$}", width = date.len()));
        from = r.end;
    }
    out.push_str(&expr[from..]);
    Ok((std::borrow::Cow::Owned(out), true))
}

/// The longest text, in bytes: beyond any title or label, well within shaping time. A
/// chart's text is shaped again at every frame it changes (and an annotation's at every
/// frame): a 15 MB title took 3 GB and aborted, a 1 MB annotation 2.4 s a frame
/// (hostile9 F-BD).
pub const MAX_TEXT_BYTES: usize = 20_000;

impl Template {
    /// Compiles `text`; error positions are byte ranges of `text`.
    pub fn compile(text: &str, scope: &Scope) -> Result<Template, ExprError> {
        Template::compile_with(text, scope, &[])
    }

    /// Like [`Template::compile`], with values named `inputs` that the user of the
    /// template hands to [`Template::write_with`] (a bar's `value`).
    pub fn compile_with(text: &str, scope: &Scope, inputs: &[&str]) -> Result<Template, ExprError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(ExprError::new(
                format!(
                    "the text is {} bytes long; at most {MAX_TEXT_BYTES}",
                    text.len()
                ),
                0..text.len(),
            ));
        }
        Template::compile_parts(text, scope, inputs).map_err(|mut e| {
            let suggests = e
                .hint
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean"));
            if looks_like_latex(text) && !suggests {
                e.hint = Some(
                    "`{…}` in a text is a live value, an expression; LaTeX is not typeset: \
                     write the maths in Unicode (`e^(iπ) + 1 = 0`, `x₀²`, `√2`), and `{{` and \
                     `}}` for braces themselves"
                        .into(),
                );
            }
            e
        })
    }

    fn compile_parts(text: &str, scope: &Scope, inputs: &[&str]) -> Result<Template, ExprError> {
        let mut parts: Vec<Part> = Vec::new();
        for piece in parse::split(text)? {
            let part = match piece {
                parse::Piece::Literal(s) => Part::Text(s),
                parse::Piece::Field {
                    expr, format: f, ..
                } => {
                    let (source, dated) =
                        days_for_dates(&text[expr.clone()]).map_err(|e| shift(e, expr.start))?;
                    let format = Format::parse(f.as_ref().map(|f| &text[f.clone()]), dated)
                        .map_err(|e| shift(e, f.as_ref().map_or(expr.start, |f| f.start)))?;
                    let e = Expr::parse_text(&source, scope, inputs)
                        .map_err(|e| shift(e, expr.start))?;
                    match e.as_constant() {
                        Some(v) => {
                            let mut s = String::new();
                            format.write(v, &mut s);
                            Part::Text(s)
                        }
                        None => Part::Value { expr: e, format },
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
        Template::compile_in_file_with(raw, scope, source, &[])
    }

    /// Like [`Template::compile_in_file`], with values named `inputs` (see
    /// [`Template::compile_with`]).
    pub fn compile_in_file_with(
        raw: &Spanned<String>,
        scope: &Scope,
        source: &str,
        inputs: &[&str],
    ) -> Result<Template, Diagnostic> {
        let text = raw.get_ref();
        Template::compile_with(text, scope, inputs).map_err(|e| {
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
                Part::Value { expr, format } => format.write(expr.eval(env, inputs), out),
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
                Part::Value { expr, format } => {
                    value.clear();
                    format.write(expr.eval(env, &[]), &mut value);
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

    #[test]
    fn dates_are_day_numbers_written_as_dates() {
        let scope = Scope::with_vars([("speed", 1.0)]);
        let t = Template::compile("{2024-02-01 + 29*t/duration:%d %b %Y, %H:%M}", &scope).unwrap();
        assert_eq!(t.at(&env(0.0)), "01 Feb 2024, 00:00");
        assert_eq!(t.at(&env(2.0)), "15 Feb 2024, 12:00");
        // a date with no format is written as one; with a number format it is a number
        let t = Template::compile("{2024-3-1}, {2024-03-01 - 2024-01-01:d}", &scope).unwrap();
        assert_eq!(t.as_static(), Some("2024-03-01, 60"));
        // `%` alone is still the percent type
        let t = Template::compile("{t/4:%}", &scope).unwrap();
        assert_eq!(t.at(&env(1.0)), "25.000000%");
        // a date before 1970 is a negative day
        let t = Template::compile("{1969-07-20 + 0.5:%A %H:%M}", &scope).unwrap();
        assert_eq!(t.as_static(), Some("Sunday 12:00"));
    }

    #[test]
    fn dates_in_placeholders_are_checked_at_their_place() {
        let (m, at, _) = err("day {2024-02-30 + t:%d}");
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("`2024-02-30` is not a date", "2024-02-30")
        );
        let (m, at, hint) = err("{2024-02-03T12 + t}");
        assert!(m.contains("its time cannot be written here"), "{m}");
        assert_eq!(at, "2024-02-03T");
        assert_eq!(
            hint.as_deref(),
            Some("add hours as days: `2024-02-03 + 12/24`")
        );
        let (m, at, _) = err("{t:%d %Q}");
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("`%Q` is not a date directive here", "%Q")
        );
        // an error after a date is still placed right
        let (_, at, _) = err("{2024-02-03 + sped}");
        assert_eq!(at, "sped");
    }

    #[test]
    fn latex_gets_a_hint_about_braces_and_unicode() {
        for text in ["$e^{i\\pi} + 1 = 0$", "$\\frac{a}{b}$", "\\alpha = {alpha}"] {
            let (_, _, hint) = err(text);
            assert!(
                hint.is_some_and(|h| h.contains("LaTeX is not typeset")),
                "{text}"
            );
        }
        // an ordinary mistake keeps its own hint, or none
        assert_eq!(err("{sped}").2.as_deref(), Some("did you mean `speed`?"));
        assert_eq!(
            err("$5 or $6: {sped}").2.as_deref(),
            Some("did you mean `speed`?")
        );
        assert_eq!(
            err("costs $5, {t:q}")
                .2
                .as_deref()
                .map(|h| h.contains("LaTeX")),
            Some(false)
        );
    }
}
