//! The keys of a text clip as written in the scene file.

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::clip::build::RawSize;
use crate::expr::{RawColor, RawParam};
use crate::text::{Align, VAlign};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub text: Spanned<String>,
    pub font: Option<Spanned<String>>,
    pub weight: Option<Spanned<FontWeight>>,
    pub style: Option<FontStyle>,
    pub font_size: Option<Spanned<RawParam>>,
    pub color: Option<Spanned<RawColor>>,
    pub background: Option<Spanned<RawColor>>,
    pub stroke: Option<Spanned<StrokeSpec>>,
    pub padding: Option<Spanned<RawPadding>>,
    pub line_spacing: Option<Spanned<RawParam>>,
    pub align: Option<Align>,
    pub size: Option<RawSize>,
    pub valign: Option<Spanned<VAlign>>,
    pub duration: Option<Spanned<RawParam>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrokeSpec {
    pub color: Option<Spanned<RawColor>>,
    pub width: Option<Spanned<RawParam>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum FontStyle {
    Normal,
    Italic,
    Oblique,
}

/// A weight: a CSS name or a number from 1 to 1000.
#[derive(Clone, Copy)]
pub struct FontWeight(pub u16);

const WEIGHT_NAMES: &[(&str, u16)] = &[
    ("thin", 100),
    ("extralight", 200),
    ("light", 300),
    ("normal", 400),
    ("regular", 400),
    ("medium", 500),
    ("semibold", 600),
    ("bold", 700),
    ("extrabold", 800),
    ("black", 900),
];

impl<'de> Deserialize<'de> for FontWeight {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FontWeight;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a weight: \"normal\", \"bold\", … or a number from 1 to 1000")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FontWeight, E> {
                let key = v.to_ascii_lowercase().replace(['-', ' ', '_'], "");
                WEIGHT_NAMES
                    .iter()
                    .find(|(n, _)| *n == key)
                    .map(|(_, w)| FontWeight(*w))
                    .ok_or_else(|| {
                        let names = WEIGHT_NAMES.iter().map(|(n, _)| *n);
                        let hint = crate::base::diag::did_you_mean(&key, names)
                            .map(|h| format!(" ({h})"))
                            .unwrap_or_default();
                        E::custom(format!(
                            "unknown weight `{v}`{hint}: use thin, extralight, light, normal, \
                             medium, semibold, bold, extrabold, black or a number 1–1000"
                        ))
                    })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FontWeight, E> {
                if (1..=1000).contains(&v) {
                    Ok(FontWeight(v as u16))
                } else {
                    Err(E::custom(format!(
                        "weight {v} is outside 1..1000 (400 is normal, 700 bold)"
                    )))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FontWeight, E> {
                self.visit_i64(v.min(i64::MAX as u64) as i64)
            }
        }
        d.deserialize_any(V)
    }
}

/// `padding` as written: one value for every side, or a list of 1, 2 or 4 values
/// (`[vertical, horizontal]`, `[top, right, bottom, left]`). Each is a number or an
/// expression; that it does not change over time is checked when it is resolved.
pub enum RawPadding {
    All(RawParam),
    Sides(Vec<Spanned<RawParam>>),
}

impl<'de> Deserialize<'de> for RawPadding {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPadding;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a padding in pixels: n, [vertical, horizontal] or [top, right, bottom, left]",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawPadding, E> {
                Ok(RawPadding::All(RawParam::Number(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawPadding, E> {
                Ok(RawPadding::All(RawParam::Number(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawPadding, E> {
                Ok(RawPadding::All(RawParam::Number(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPadding, E> {
                Ok(RawPadding::All(RawParam::Expr(v.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawPadding, A::Error> {
                RawParam::deserialize(MapAccessDeserializer::new(map)).map(RawPadding::All)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawPadding, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<Spanned<RawParam>>()? {
                    if v.len() == 4 {
                        return Err(de::Error::custom("padding has 1, 2 or 4 numbers"));
                    }
                    v.push(x);
                }
                if !matches!(v.len(), 1 | 2 | 4) {
                    return Err(de::Error::custom("padding has 1, 2 or 4 numbers"));
                }
                Ok(RawPadding::Sides(v))
            }
        }
        d.deserialize_any(V)
    }
}
