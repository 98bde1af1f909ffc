//! Tokens of the expression language, with byte positions into the expression text.

use std::ops::Range;

use super::error::ExprError;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok<'s> {
    Num(f64),
    Name(&'s str),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Percent,
    LParen,
    RParen,
    Comma,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
}

impl Tok<'_> {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Num(_) => "a number".into(),
            Tok::Name(n) => format!("`{n}`"),
            Tok::Plus => "`+`".into(),
            Tok::Minus => "`-`".into(),
            Tok::Star => "`*`".into(),
            Tok::Slash => "`/`".into(),
            Tok::Caret => "`^`".into(),
            Tok::Percent => "`%`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Lt => "`<`".into(),
            Tok::Le => "`<=`".into(),
            Tok::Gt => "`>`".into(),
            Tok::Ge => "`>=`".into(),
            Tok::EqEq => "`==`".into(),
            Tok::Ne => "`!=`".into(),
        }
    }
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token<'s> {
    pub tok: Tok<'s>,
    pub at: Range<usize>,
}

/// Splits `src` into tokens. Numbers that overflow to infinity are refused here.
pub fn tokens(src: &str) -> Result<Vec<Token<'_>>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i = number_end(bytes, i);
            let text = &src[start..i];
            let v: f64 = text
                .parse()
                .map_err(|_| ExprError::new(format!("`{text}` is not a number"), start..i))?;
            if !v.is_finite() {
                return Err(ExprError::new(
                    format!("the number `{}` is too large", shorten(text)),
                    start..i,
                )
                .with_hint("numbers must be below about 1.8e308"));
            }
            out.push(Token {
                tok: Tok::Num(v),
                at: start..i,
            });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Name(&src[start..i]),
                at: start..i,
            });
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let (tok, len) = match (c, next) {
            (b'*', Some(b'*')) => (Tok::Caret, 2),
            (b'<', Some(b'=')) => (Tok::Le, 2),
            (b'>', Some(b'=')) => (Tok::Ge, 2),
            (b'=', Some(b'=')) => (Tok::EqEq, 2),
            (b'!', Some(b'=')) => (Tok::Ne, 2),
            (b'+', _) => (Tok::Plus, 1),
            (b'-', _) => (Tok::Minus, 1),
            (b'*', _) => (Tok::Star, 1),
            (b'/', _) => (Tok::Slash, 1),
            (b'^', _) => (Tok::Caret, 1),
            (b'%', _) => (Tok::Percent, 1),
            (b'(', _) => (Tok::LParen, 1),
            (b')', _) => (Tok::RParen, 1),
            (b',', _) => (Tok::Comma, 1),
            (b'<', _) => (Tok::Lt, 1),
            (b'>', _) => (Tok::Gt, 1),
            (b'=', _) => {
                return Err(ExprError::new("unexpected `=`", i..i + 1)
                    .with_hint("compare with `==`; expressions cannot assign"))
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                let e =
                    ExprError::new(format!("unexpected character `{ch}`"), i..i + ch.len_utf8());
                return Err(match (ch, out.last()) {
                    // `np.sinc(x)`, `math.pi`: Python's module prefixes.
                    (
                        '.',
                        Some(Token {
                            tok: Tok::Name(module),
                            at,
                        }),
                    ) if at.end == i => {
                        let rest: String = src[i + 1..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        e.with_hint(format!(
                            "names have no module prefix here: write `{rest}`, not `{module}.{rest}`"
                        ))
                    }
                    ('&', _) => e.with_hint(super::parse::AND),
                    ('|', _) => e.with_hint(super::parse::OR),
                    ('!', _) => e.with_hint(super::parse::NOT),
                    _ => e,
                });
            }
        };
        out.push(Token {
            tok,
            at: i..i + len,
        });
        i += len;
    }
    Ok(out)
}

/// The end of a decimal literal starting at `i`: digits, a fraction, an exponent.
fn number_end(b: &[u8], mut i: usize) -> usize {
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    i = digits(i);
    if i < b.len() && b[i] == b'.' {
        i = digits(i + 1);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            i = digits(j);
        }
    }
    i
}

fn shorten(text: &str) -> String {
    if text.len() <= 24 {
        text.to_string()
    } else {
        format!("{}…", &text[..20])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        tokens(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_names_and_operators() {
        assert_eq!(
            toks("2.5e-1*x**2 <= .5"),
            vec![
                Tok::Num(0.25),
                Tok::Star,
                Tok::Name("x"),
                Tok::Caret,
                Tok::Num(2.0),
                Tok::Le,
                Tok::Num(0.5)
            ]
        );
        // `2e` is the number 2 then the name `e`.
        assert_eq!(toks("2e"), vec![Tok::Num(2.0), Tok::Name("e")]);
    }

    #[test]
    fn errors_have_positions() {
        let e = tokens("1 + $").unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.at),
            ("unexpected character `$`", 4..5)
        );
        let e = tokens("1e999").unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
        let e = tokens("a = 1").unwrap_err();
        assert_eq!(e.at, 2..3);
        let e = tokens("é").unwrap_err();
        assert_eq!(e.at, 0..2);
    }
}
