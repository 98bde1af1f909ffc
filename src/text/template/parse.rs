//! Splitting a text into literal runs and `{expression:format}` placeholders, with
//! `{{` and `}}` standing for literal braces.

use std::ops::Range;

use crate::expr::ExprError;

/// The most placeholders one text may hold.
pub const MAX_PLACEHOLDERS: usize = 100;

/// A piece of a text: literal characters, or a placeholder's parts as byte ranges of
/// the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Literal(String),
    Field {
        /// The expression, between `{` and the first `:` (or `}`).
        expr: Range<usize>,
        /// The format after the `:`, if there is one.
        format: Option<Range<usize>>,
        /// The whole placeholder, braces included.
        whole: Range<usize>,
    },
}

const LITERAL_HINT: &str = "write `{{` and `}}` for literal braces";

/// The pieces of `text`, in order; adjacent literals are merged.
pub fn split(text: &str) -> Result<Vec<Piece>, ExprError> {
    let b = text.as_bytes();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut fields = 0;
    let mut i = 0;
    let mut run = 0; // start of the literal run being copied
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                literal.push_str(&text[run..=i]);
                i += 2;
                run = i;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                literal.push_str(&text[run..=i]);
                i += 2;
                run = i;
            }
            b'}' => {
                return Err(ExprError::new("a `}` that closes no placeholder", i..i + 1)
                    .with_hint(LITERAL_HINT));
            }
            b'{' => {
                literal.push_str(&text[run..i]);
                let field = field(text, i)?;
                fields += 1;
                if fields > MAX_PLACEHOLDERS {
                    return Err(ExprError::new(
                        format!("more than {MAX_PLACEHOLDERS} placeholders in one text"),
                        field.whole(),
                    )
                    .with_hint("split the text into several text clips"));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                i = field.whole().end;
                run = i;
                pieces.push(field);
            }
            _ => i += 1,
        }
    }
    literal.push_str(&text[run..]);
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

impl Piece {
    fn whole(&self) -> Range<usize> {
        match self {
            Piece::Field { whole, .. } => whole.clone(),
            Piece::Literal(_) => 0..0,
        }
    }
}

/// The placeholder opening at `open`.
fn field(text: &str, open: usize) -> Result<Piece, ExprError> {
    let rest = &text[open + 1..];
    let Some(len) = rest.find(['{', '}']) else {
        return Err(ExprError::new("this `{` is never closed", open..open + 1)
            .with_hint(format!("end the placeholder with `}}`, or {LITERAL_HINT}")));
    };
    let close = open + 1 + len;
    if text.as_bytes()[close] == b'{' {
        return Err(
            ExprError::new("placeholders cannot hold `{`", close..close + 1).with_hint(format!(
                "close the placeholder at `{}` first, or {LITERAL_HINT}",
                &text[open..close]
            )),
        );
    }
    let whole = open..close + 1;
    let (expr, format) = match text[open + 1..close].find(':') {
        Some(colon) => (open + 1..open + 1 + colon, Some(open + 2 + colon..close)),
        None => (open + 1..close, None),
    };
    if text[expr.clone()].trim().is_empty() {
        return Err(
            ExprError::new("an empty placeholder", whole).with_hint(format!(
                "put an expression between the braces, like `{{t:.1f}}`, or {LITERAL_HINT}"
            )),
        );
    }
    Ok(Piece::Field {
        expr,
        format,
        whole,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<String> {
        split(text)
            .unwrap()
            .into_iter()
            .map(|p| match p {
                Piece::Literal(s) => format!("'{s}'"),
                Piece::Field { expr, format, .. } => match format {
                    Some(f) => format!("[{}|{}]", &text[expr], &text[f]),
                    None => format!("[{}]", &text[expr]),
                },
            })
            .collect()
    }

    #[test]
    fn splits_literals_and_placeholders() {
        assert_eq!(parts("t = {t:.2f} s"), ["'t = '", "[t|.2f]", "' s'"]);
        assert_eq!(parts("{{x}} {x}{y}"), ["'{x} '", "[x]", "[y]"]);
        assert_eq!(parts("{ 2 * pi :}"), ["[ 2 * pi |]"]);
        assert_eq!(parts("plain"), ["'plain'"]);
        assert_eq!(parts("}}{{"), ["'}{'"]);
        assert!(parts("").is_empty());
        assert_eq!(parts("é{t}ü"), ["'é'", "[t]", "'ü'"]);
    }

    fn err(text: &str) -> (String, String) {
        let e = split(text).unwrap_err();
        (e.message, text[e.at].to_string())
    }

    #[test]
    fn brace_errors_point_at_the_brace() {
        assert_eq!(err("t = {t:.2f").0, "this `{` is never closed");
        assert_eq!(err("t = {t:.2f").1, "{");
        assert_eq!(err("a } b").1, "}");
        assert_eq!(err("{t {x}}").1, "{");
        assert_eq!(err("{t {x}}").0, "placeholders cannot hold `{`");
        assert_eq!(err("a {} b").1, "{}");
        assert_eq!(err("a { :.2f} b").0, "an empty placeholder");
        let many = "{t}".repeat(MAX_PLACEHOLDERS + 1);
        assert!(err(&many).0.contains("more than"));
    }
}
