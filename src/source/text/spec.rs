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

pub use crate::source::font::{FontStyle, FontWeight};

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
