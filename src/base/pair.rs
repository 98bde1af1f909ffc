//! `[a, b]`: an array of exactly two values, each keeping its own place in the file.
//!
//! Serde reads a Rust `[T; 2]` from a TOML array by taking its first two elements and
//! ignoring the rest, so `x = [0, 1, 9]` would pass silently; [`Pair`] refuses it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

/// Two values written as `[a, b]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair<T>(pub Spanned<T>, pub Spanned<T>);

impl<T> Pair<T> {
    pub fn first(&self) -> &Spanned<T> {
        &self.0
    }
    pub fn second(&self) -> &Spanned<T> {
        &self.1
    }
}

impl<T: Copy> Pair<T> {
    /// The two values without their places.
    pub fn values(&self) -> [T; 2] {
        [*self.0.get_ref(), *self.1.get_ref()]
    }
}

/// A pair of plain values as the `[T; 2]` array older helpers take, at the pair's place.
pub fn array<T: Copy>(raw: &Spanned<Pair<T>>) -> Spanned<[T; 2]> {
    Spanned::new(raw.span(), raw.get_ref().values())
}

/// One number where two are wanted (`resolution = 200`): the pair to write.
fn one_value<E: de::Error>(v: impl fmt::Display) -> E {
    E::custom(format!(
        "invalid type: the one value {v}, expected two values [a, b]: write [{v}, {v}] for \
         the same value twice"
    ))
}

/// The two numbers of a pair written as one string, `"320x200"`, `"320, 200"`,
/// `"1920:1080"` (the forms of `--size`, a tuple and FFmpeg's `scale`), as written.
fn two_numbers(v: &str) -> Option<(&str, &str)> {
    let (a, b) = v.trim().split_once(['x', 'X', '×', ',', ':', ' ', '*'])?;
    let (a, b) = (a.trim(), b.trim());
    let (a, b) = (
        a.trim_start_matches(['(', '[']),
        b.trim_end_matches([')', ']']),
    );
    (a.parse::<f64>().is_ok_and(f64::is_finite) && b.parse::<f64>().is_ok_and(f64::is_finite))
        .then_some((a, b))
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Pair<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Pair<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("two values in brackets, [a, b]")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pair<T>, E> {
                Err(one_value(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pair<T>, E> {
                Err(one_value(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Pair<T>, E> {
                Err(one_value(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Pair<T>, E> {
                let call = v.trim_start();
                if call
                    .strip_prefix("np.")
                    .unwrap_or(call)
                    .starts_with("linspace(")
                {
                    return Err(E::custom(format!(
                        "expected two values [a, b], not `{v}`: numpy's linspace(start, stop, \
                         num) is [start, stop] here, and the number of points has its own key \
                         (`samples`, `resolution`)"
                    )));
                }
                if let Some((a, b)) = two_numbers(v) {
                    let cli = if v.contains(['x', 'X', '×']) {
                        format!(" (`--size {a}x{b}` is the command line's form)")
                    } else {
                        String::new()
                    };
                    return Err(E::custom(format!(
                        "expected two values [a, b], not the string `{v}`: write [{a}, {b}]{cli}"
                    )));
                }
                Err(E::invalid_type(de::Unexpected::Str(v), &self))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pair<T>, A::Error> {
                let a: Option<Spanned<T>> = seq.next_element()?;
                let b: Option<Spanned<T>> = match a {
                    Some(_) => seq.next_element()?,
                    None => None,
                };
                let mut extra = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    extra += 1;
                }
                match (a, b) {
                    (Some(a), Some(b)) if extra == 0 => Ok(Pair(a, b)),
                    (a, b) => {
                        let n = usize::from(a.is_some()) + usize::from(b.is_some()) + extra;
                        // [-2, 2, 200]: numpy's linspace(start, stop, num)
                        let linspace = if n == 3 {
                            " (numpy's linspace(start, stop, num) is [start, stop] here; the \
                             number of points has its own key, `samples` or `resolution`)"
                        } else {
                            ""
                        };
                        Err(de::Error::custom(format!(
                            "expected two values [a, b], not {n} value{}{linspace}",
                            if n == 1 { "" } else { "s" }
                        )))
                    }
                }
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use crate::expr::RawParam;
    use toml::de::DeValue;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Demo {
        x: Spanned<Pair<RawParam>>,
    }

    fn read(text: &str) -> Result<Demo, crate::base::diag::Diagnostic> {
        typed(DeValue::parse(text).unwrap())
    }

    #[test]
    fn two_values_keep_their_places() {
        let text = "{ x = [-2, \"2*pi\"] }";
        let d = read(text).unwrap();
        let p = d.x.get_ref();
        assert_eq!(p.first().get_ref(), &RawParam::Number(-2.0));
        assert_eq!(p.second().get_ref(), &RawParam::Expr("2*pi".into()));
        assert_eq!(&text[p.second().span()], "\"2*pi\"");
        assert_eq!(&text[d.x.span()], "[-2, \"2*pi\"]");
    }

    #[test]
    fn a_pair_written_as_one_string_gets_the_brackets_to_write() {
        for text in [
            "{ x = \"320x200\" }",
            "{ x = \"320, 200\" }",
            "{ x = \"(320, 200)\" }",
            "{ x = \"320×200\" }",
        ] {
            let e = read(text).unwrap_err().message;
            assert!(e.contains("write [320, 200]"), "{text}: {e}");
        }
        // an expression is not two numbers
        let e = read("{ x = \"2*pi\" }").unwrap_err().message;
        assert!(!e.contains("write ["), "{e}");
    }

    #[test]
    fn other_lengths_are_errors_at_the_array() {
        for (text, n) in [
            ("{ x = [0, 1, 9] }", "not 3 values"),
            ("{ x = [0] }", "not 1 value"),
            ("{ x = [] }", "not 0 values"),
        ] {
            let e = read(text).unwrap_err();
            assert!(e.message.contains(n), "{text}: {}", e.message);
            assert!(text[e.span.unwrap()].starts_with('['), "{text}");
        }
        let e = read("{ x = 3 }").unwrap_err();
        assert!(e.message.contains("write [3, 3]"), "{}", e.message);
        let e = read("{ x = [-2, 2, 200] }").unwrap_err();
        assert!(e.message.contains("numpy's linspace"), "{}", e.message);
        let e = read("{ x = \"np.linspace(-2, 2, 200)\" }").unwrap_err();
        assert!(e.message.contains("is [start, stop] here"), "{}", e.message);
    }

    #[test]
    fn plain_numbers() {
        #[derive(Deserialize)]
        struct Size {
            size: Spanned<Pair<u32>>,
        }
        let s: Size = typed(DeValue::parse("{ size = [3, 4] }").unwrap()).unwrap();
        assert_eq!(array(&s.size).into_inner(), [3, 4]);
        assert!(typed::<Size>(DeValue::parse("{ size = [3, 4, 5] }").unwrap()).is_err());
    }
}
