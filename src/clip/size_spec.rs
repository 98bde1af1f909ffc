//! A clip's `size` as written: `[width, height]` in pixels, or `{ clip = "plot" }`, the
//! size another clip has (a title card as large as the video it comes before), so that
//! a scene keeps one number where it needs one.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::base::pair::Pair;
use crate::expr::RawParam;

/// `[width, height]`, or the size of the clip named.
#[derive(Debug, Clone)]
pub enum SizeSpec {
    Pixels(Pair<RawParam>),
    Of(Spanned<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Of {
    clip: Spanned<String>,
}

impl<'de> Deserialize<'de> for SizeSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        // Everything but a table is read as a pair, with the pair's own messages.
        fn pair<'de, E: de::Error, T: IntoDeserializer<'de, E>>(v: T) -> Result<SizeSpec, E> {
            Pair::deserialize(v.into_deserializer()).map(SizeSpec::Pixels)
        }
        impl<'de> Visitor<'de> for V {
            type Value = SizeSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "[width, height] in pixels, or { clip = \"name\" } for that clip's size",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<SizeSpec, A::Error> {
                Pair::deserialize(SeqAccessDeserializer::new(seq)).map(SizeSpec::Pixels)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SizeSpec, A::Error> {
                Of::deserialize(MapAccessDeserializer::new(map)).map(|o| SizeSpec::Of(o.clip))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SizeSpec, E> {
                pair(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SizeSpec, E> {
                pair(v)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SizeSpec, E> {
                pair(v)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SizeSpec, E> {
                pair(v)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<SizeSpec, E> {
                pair(v)
            }
        }
        d.deserialize_any(V)
    }
}
