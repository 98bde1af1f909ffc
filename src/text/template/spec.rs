//! Number formats of placeholders: a small part of Python's format mini-language,
//! `[sign][0][width][,][.precision][type]`, so `{t:.2f}` reads as it does in an f-string
//! (`,` groups thousands: `{v:,.0f}` writes `12,345`).

use std::fmt::Write;

use crate::expr::ExprError;

/// The widest `width` a format may ask for.
pub const MAX_WIDTH: usize = 100;
/// The most digits after the point a format may ask for.
pub const MAX_PRECISION: usize = 50;

/// How a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No type: the shortest text that reads back as the same number (`0.35`, `12`,
    /// `1e+16`).
    Shortest,
    /// `f`: fixed decimals.
    Fixed,
    /// `d`: rounded to an integer (halves to even).
    Integer,
    /// `e`: scientific, `1.50e+03`.
    Exponent,
    /// `%`: times 100, fixed decimals, then `%`.
    Percent,
}

/// What goes before a number that is not negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `-` (the default): nothing.
    Minus,
    /// `+`: a plus sign.
    Plus,
    /// ` `: a space, so positive and negative numbers line up.
    Space,
}

/// A parsed format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub sign: Sign,
    /// Pad with zeros after the sign rather than spaces before it.
    pub zero: bool,
    pub width: usize,
    /// Thousands separated by commas.
    pub group: bool,
    pub precision: Option<usize>,
    pub kind: Kind,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            sign: Sign::Minus,
            zero: false,
            width: 0,
            group: false,
            precision: None,
            kind: Kind::Shortest,
        }
    }
}

const GRAMMAR: &str = "a format is [sign][0][width][,][.precision][type]: `.2f` (2 decimals), \
                       `d` (integer), `.3e` (scientific), `.0%` (percent), `+.1f`, `05.1f`, \
                       `,.0f` (thousands grouped)";

impl Spec {
    /// Parses the text after a placeholder's `:`; error positions are in `src`.
    pub fn parse(src: &str) -> Result<Spec, ExprError> {
        let b = src.as_bytes();
        let mut i = 0;
        let mut spec = Spec::default();
        let at = |i: usize| i..(i + src[i..].chars().next().map_or(1, char::len_utf8));
        let sign = match b.first() {
            Some(b'+') => Some(Sign::Plus),
            Some(b'-') => Some(Sign::Minus),
            Some(b' ') => Some(Sign::Space),
            _ => None,
        };
        if let Some(s) = sign {
            spec.sign = s;
            i = 1;
        }
        if b.get(i) == Some(&b'0') {
            spec.zero = true;
            i += 1;
        }
        let (width, next) = digits(src, i);
        if let Some(w) = width {
            if w > MAX_WIDTH {
                return Err(ExprError::new(
                    format!("width {w} is too large: at most {MAX_WIDTH}"),
                    i..next,
                ));
            }
            spec.width = w;
        }
        i = next;
        if b.get(i) == Some(&b',') {
            spec.group = true;
            i += 1;
        }
        let dot_at = i;
        if b.get(i) == Some(&b'.') {
            let (p, next) = digits(src, i + 1);
            let Some(p) = p else {
                return Err(
                    ExprError::new("`.` must be followed by a precision", at(i)).with_hint(GRAMMAR)
                );
            };
            if p > MAX_PRECISION {
                return Err(ExprError::new(
                    format!("precision {p} is too large: at most {MAX_PRECISION}"),
                    i + 1..next,
                ));
            }
            spec.precision = Some(p);
            i = next;
        }
        let type_at = i;
        spec.kind = match b.get(i) {
            None => Kind::Shortest,
            Some(b'f') => Kind::Fixed,
            Some(b'd') => Kind::Integer,
            Some(b'e') => Kind::Exponent,
            Some(b'%') => Kind::Percent,
            Some(_) => {
                let c = &src[at(i)];
                let what = if matches!(c, "g" | "G" | "F" | "E" | "x" | "o" | "b" | "n" | "s") {
                    format!("the format type `{c}` is not supported")
                } else {
                    format!("unexpected `{c}` in the format")
                };
                return Err(ExprError::new(what, at(i)).with_hint(GRAMMAR));
            }
        };
        if i < b.len() {
            i += 1;
        }
        if i < b.len() {
            return Err(ExprError::new(
                format!("unexpected `{}` in the format", &src[at(i)]),
                at(i),
            )
            .with_hint(GRAMMAR));
        }
        match (spec.kind, spec.precision) {
            (Kind::Integer, Some(_)) => Err(ExprError::new(
                "an integer (`d`) has no decimals to set",
                dot_at..type_at,
            )
            .with_hint("write `d` alone, or `.0f`")),
            (Kind::Shortest, Some(p)) => Err(ExprError::new(
                format!("a precision needs a type: `.{p}f` for {p} decimals"),
                dot_at..type_at,
            )
            .with_hint(GRAMMAR)),
            _ => Ok(spec),
        }
    }

    /// Appends `v` written in this format to `out`.
    ///
    /// `nan`, `inf` and `-inf` are written as Python writes them, padded with spaces
    /// even with `0`; a value that rounds to zero has no minus sign (`-0.001` with
    /// `.2f` is `0.00`).
    pub fn write(&self, v: f64, out: &mut String) {
        let start = out.len();
        let negative = v.is_sign_negative() && !v.is_nan();
        let sign_at = out.len();
        let a = v.abs();
        let precision = self.precision.unwrap_or(6);
        let body_at = out.len();
        if v.is_nan() {
            out.push_str("nan");
        } else if v.is_infinite() {
            out.push_str("inf");
        } else {
            match self.kind {
                Kind::Shortest => shortest(a, out),
                Kind::Fixed => {
                    let _ = write!(out, "{a:.precision$}");
                }
                Kind::Integer => {
                    let _ = write!(out, "{a:.0}");
                }
                Kind::Exponent => exponent(a, precision, out),
                Kind::Percent => {
                    let _ = write!(out, "{:.precision$}%", a * 100.0);
                }
            }
        }
        if self.group {
            let digits = out[body_at..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            let mut at = body_at + digits;
            while at >= body_at + 4 {
                at -= 3;
                out.insert(at, ',');
            }
        }
        let mantissa = out[body_at..].split('e').next().unwrap_or("");
        let nonzero = v.is_infinite() || mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c));
        let sign = match (negative && nonzero, self.sign) {
            (true, _) => "-",
            (false, Sign::Plus) => "+",
            (false, Sign::Space) => " ",
            (false, Sign::Minus) => "",
        };
        out.insert_str(sign_at, sign);
        let len = out[start..].chars().count();
        if len < self.width {
            let pad = self.width - len;
            if self.zero && v.is_finite() {
                let at = sign_at + sign.len();
                out.insert_str(at, &"0".repeat(pad));
            } else {
                out.insert_str(start, &" ".repeat(pad));
            }
        }
    }
}

/// A run of ASCII digits at `i`: its value (saturating) and where it ends.
fn digits(src: &str, i: usize) -> (Option<usize>, usize) {
    let end = src[i.min(src.len())..]
        .bytes()
        .position(|c| !c.is_ascii_digit())
        .map_or(src.len(), |n| i + n);
    if end == i {
        return (None, i);
    }
    let v = src[i..end].bytes().fold(0usize, |acc, d| {
        acc.saturating_mul(10).saturating_add((d - b'0') as usize)
    });
    (Some(v), end)
}

/// Python's `repr` of a float, except that whole numbers have no `.0`: plain digits
/// from 1e-4 up to 1e16, scientific notation outside.
fn shortest(a: f64, out: &mut String) {
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        let _ = write!(out, "{a}");
    } else {
        let s = format!("{a:e}");
        python_exponent(&s, out);
    }
}

/// `1.50e+03`: Python's scientific notation, with a sign and at least two exponent digits.
fn exponent(a: f64, precision: usize, out: &mut String) {
    let s = format!("{a:.precision$e}");
    python_exponent(&s, out);
}

/// Rewrites Rust's `1.5e3` / `1.5e-3` as `1.5e+03` / `1.5e-03`.
fn python_exponent(s: &str, out: &mut String) {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    let _ = write!(out, "{mantissa}e{sign}{:02}", exp.unsigned_abs());
}

#[cfg(test)]
// 3.14159 is the documented example number, not an attempt at π.
#[allow(clippy::approx_constant)]
mod tests {
    use super::*;

    fn fmt(v: f64, spec: &str) -> String {
        let s = Spec::parse(spec).unwrap_or_else(|e| panic!("{spec}: {}", e.message));
        let mut out = String::new();
        s.write(v, &mut out);
        out
    }

    /// Expected strings are Python 3.11's `format(v, spec)`.
    #[test]
    fn formats_like_python() {
        let cases: &[(f64, &str, &str)] = &[
            (3.14159, ".2f", "3.14"),
            (1234567.891, ",.0f", "1,234,568"),
            (1234567.891, ",.2f", "1,234,567.89"),
            (-1234.5, ",.1f", "-1,234.5"),
            (999.0, ",.0f", "999"),
            (1000.0, "+,.0f", "+1,000"),
            (12345.0, "10,.0f", "    12,345"),
            (123.456, ",.1%", "12,345.6%"),
            (3.14159, "f", "3.141590"),
            (2.5, ".0f", "2"),
            (3.5, ".0f", "4"),
            (0.125, ".2f", "0.12"),
            (3.14159, "08.3f", "0003.142"),
            (-3.14159, "08.3f", "-003.142"),
            (3.14159, "8.3f", "   3.142"),
            (3.14159, "+.2f", "+3.14"),
            (3.14159, " .2f", " 3.14"),
            (-3.14159, " .2f", "-3.14"),
            (1234.5, ".2e", "1.23e+03"),
            (1e-7, ".3e", "1.000e-07"),
            (9.99, ".1e", "1.0e+01"),
            (1.0, ".0e", "1e+00"),
            (12.0, "e", "1.200000e+01"),
            (0.4567, ".1%", "45.7%"),
            (0.3, "%", "30.000000%"),
            (1e16, "", "1e+16"),
            (1e-5, "", "1e-05"),
            (0.0001, "", "0.0001"),
            (0.35, "", "0.35"),
            (1.0 / 3.0, "", "0.3333333333333333"),
            (f64::NAN, ".2f", "nan"),
            (f64::INFINITY, ".2f", "inf"),
            (f64::NEG_INFINITY, ".1f", "-inf"),
            (f64::NAN, "", "nan"),
            (f64::INFINITY, "+", "+inf"),
        ];
        for &(v, spec, want) in cases {
            assert_eq!(fmt(v, spec), want, "format({v}, {spec:?})");
        }
    }

    /// Where the formats knowingly differ from Python's.
    #[test]
    fn differs_from_python_where_documented() {
        // Whole numbers have no `.0` (Python: "123.0"), so `{frame}` reads 12.
        assert_eq!(fmt(123.0, ""), "123");
        // `d` rounds any number (Python refuses floats), halves to even like `.0f`.
        assert_eq!(fmt(2.5, "d"), "2");
        assert_eq!(fmt(2.51, "d"), "3");
        assert_eq!(fmt(-7.0, "05d"), "-0007");
        // No minus on what rounds to zero (Python: "-0.00", "-0.0").
        assert_eq!(fmt(-0.001, ".2f"), "0.00");
        assert_eq!(fmt(-0.0, ""), "0");
        assert_eq!(fmt(-0.001, "+.1f"), "+0.0");
        assert_eq!(fmt(-0.001, ".1e"), "-1.0e-03");
        // nan and inf are padded with spaces, never zeros (Python: "00inf").
        assert_eq!(fmt(f64::INFINITY, "05.1f"), "  inf");
        assert_eq!(fmt(f64::NAN, "6d"), "   nan");
    }

    /// The table of formats in docs/text.md.
    #[test]
    fn the_documented_table_holds() {
        let rows: &[(&str, &str, &str)] = &[
            ("", "3.14159", "-2.5"),
            (".2f", "3.14", "-2.50"),
            ("d", "3", "-2"),
            (".2e", "3.14e+00", "-2.50e+00"),
            (".1%", "314.2%", "-250.0%"),
            ("+.1f", "+3.1", "-2.5"),
            (" .1f", " 3.1", "-2.5"),
            ("6.2f", "  3.14", " -2.50"),
            ("06.2f", "003.14", "-02.50"),
        ];
        for &(spec, pi, neg) in rows {
            assert_eq!(fmt(3.14159, spec), pi, "{spec:?}");
            assert_eq!(fmt(-2.5, spec), neg, "{spec:?}");
        }
        assert_eq!(fmt(f64::NEG_INFINITY, "+"), "-inf");
        assert_eq!(fmt(f64::INFINITY, "+"), "+inf");
        assert_eq!(fmt(f64::NAN, "06.1f"), "   nan");
    }

    fn err(spec: &str) -> (String, String) {
        let e = Spec::parse(spec).unwrap_err();
        (e.message, spec[e.at].to_string())
    }

    #[test]
    fn bad_formats_point_at_the_problem() {
        assert_eq!(err(".2x").1, "x");
        assert_eq!(err(".2g").0, "the format type `g` is not supported");
        assert_eq!(err(">8").0, "unexpected `>` in the format");
        assert_eq!(err(".f").0, "`.` must be followed by a precision");
        assert_eq!(err(".2fx").1, "x");
        assert_eq!(err("500f").1, "500");
        assert_eq!(err(".99f").1, "99");
        assert!(err(".2d").0.contains("no decimals"));
        assert!(err(".2").0.contains("needs a type"));
        assert!(err("é").0.contains("`é`"));
        assert_eq!(
            Spec::parse("+05.1f").unwrap(),
            Spec {
                sign: Sign::Plus,
                zero: true,
                width: 5,
                group: false,
                precision: Some(1),
                kind: Kind::Fixed
            }
        );
        // A width of 0 padded with zeros is still no width.
        assert_eq!(fmt(1.5, "0f"), "1.500000");
    }
}
