//! `[a, b]` pairs in the scene file (sizes, ranges, limits).

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, SeqAccess, Visitor};

/// Exactly two values. Serde's `[T; 2]` stops reading after two and would let a typo
/// like `size = [640, 480, 3]` pass unnoticed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair<T>(pub [T; 2]);

impl<T> Deref for Pair<T> {
    type Target = [T; 2];
    fn deref(&self) -> &[T; 2] {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Pair<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Pair<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a pair of values [a, b]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pair<T>, A::Error> {
                let a = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let b = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let mut len = 2;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    len += 1;
                }
                if len > 2 {
                    return Err(de::Error::invalid_length(len, &self));
                }
                Ok(Pair([a, b]))
            }
        }
        d.deserialize_seq(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::de::typed;
    use toml::de::DeValue;

    fn pair(text: &str) -> Result<Pair<u32>, String> {
        typed::<Pair<u32>>(DeValue::parse(text).unwrap()).map_err(|d| d.message)
    }

    #[test]
    fn exactly_two() {
        assert_eq!(pair("[3, 4]").unwrap(), Pair([3, 4]));
        assert!(pair("[3, 4, 5]").unwrap_err().contains("3 values"));
        assert!(pair("[3]").unwrap_err().contains("1 value"));
        assert!(pair("[]").unwrap_err().contains("no values"));
    }
}
