//! Argument shapes shared by several effects.
//!
//! Many effects take either one number or a table: `{ fade_in = 0.5 }` and
//! `{ fade_in = { duration = 0.5, color = "white" } }`. [`Short`] reads both without
//! `#[serde(untagged)]`, which would lose the positions (`Spanned`) inside the table.

use std::marker::PhantomData;
use std::ops::Range;

use serde::de::value::{
    BoolDeserializer, F64Deserializer, I64Deserializer, SeqAccessDeserializer, StrDeserializer,
    U64Deserializer,
};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::expr::RawParam;

/// Either the one-value shorthand (a parameter: number, expression…) or the full table.
#[derive(Debug)]
pub enum Short<T> {
    Param(RawParam),
    Table(T),
}

impl<T> Short<T> {
    /// Splits a spanned argument: the shorthand parameter takes the argument's span.
    pub fn split(arg: Spanned<Short<T>>) -> (Range<usize>, Result<Spanned<RawParam>, T>) {
        let span = arg.span();
        match arg.into_inner() {
            Short::Param(p) => (span.clone(), Ok(Spanned::new(span, p))),
            Short::Table(t) => (span, Err(t)),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Short<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShortVisitor(PhantomData))
    }
}

struct ShortVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ShortVisitor<T> {
    type Value = Short<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number or a table of keys")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Short<T>, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Short::Table)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Short<T>, A::Error> {
        RawParam::deserialize(SeqAccessDeserializer::new(seq)).map(Short::Param)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Short<T>, E> {
        RawParam::deserialize(I64Deserializer::new(v)).map(Short::Param)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Short<T>, E> {
        RawParam::deserialize(U64Deserializer::new(v)).map(Short::Param)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Short<T>, E> {
        RawParam::deserialize(F64Deserializer::new(v)).map(Short::Param)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Short<T>, E> {
        RawParam::deserialize(StrDeserializer::new(v)).map(Short::Param)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Short<T>, E> {
        RawParam::deserialize(BoolDeserializer::new(v)).map(Short::Param)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::de::typed;
    use toml::de::DeValue;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Full {
        duration: Spanned<RawParam>,
        #[allow(dead_code)]
        color: Option<String>,
    }

    #[test]
    fn reads_number_or_table_with_spans() {
        let text = "{ duration = 0.5, color = \"white\" }";
        let v: Short<Full> = typed(DeValue::parse(text).unwrap()).unwrap();
        let Short::Table(full) = v else {
            panic!("table expected")
        };
        assert_eq!(&text[full.duration.span()], "0.5");
        let v: Short<Full> = typed(DeValue::parse("2").unwrap()).unwrap();
        assert!(matches!(v, Short::Param(RawParam::Number(n)) if n == 2.0));
    }

    #[test]
    fn unknown_key_in_table_points_at_key() {
        let text = "{ duratoin = 0.5 }";
        let err = typed::<Short<Full>>(DeValue::parse(text).unwrap()).unwrap_err();
        assert_eq!(err.message, "unknown key `duratoin`");
        assert_eq!(&text[err.span.unwrap()], "duratoin");
        assert_eq!(err.hint.as_deref(), Some("did you mean `duration`?"));
    }
}
