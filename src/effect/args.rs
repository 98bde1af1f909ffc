//! Argument shapes shared by several effects.
//!
//! Many effects take either one number or a table: `{ fade_in = 0.5 }` and
//! `{ fade_in = { duration = 0.5, color = "white" } }`. [`Short`] reads both without
//! `#[serde(untagged)]`, which would lose the positions (`Spanned`) inside the table.
//!
//! An effect whose arguments are all optional is also written as a bare name
//! (`"equalize"` as well as `{ equalize = { over = "clip" } }`): [`entry`] reads both.

use std::marker::PhantomData;
use std::ops::Range;

use serde::de::value::{
    BoolDeserializer, F64Deserializer, I64Deserializer, SeqAccessDeserializer, StrDeserializer,
    U64Deserializer,
};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
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

/// A list entry that is either a bare name or a table with exactly one key.
pub trait Entry: Sized {
    /// The derived, externally tagged reading (`"name"` or `{ name = arguments }`).
    fn tagged<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
    /// The value a bare name stands for, when it is an entry with optional arguments.
    fn bare(name: &str) -> Option<Self>;
}

/// Reads an [`Entry`]: bare names of effects with optional arguments get their
/// defaults; everything else goes to the derived reading, positions kept.
pub fn entry<'de, D: Deserializer<'de>, T: Entry>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(EntryVisitor(PhantomData))
}

struct EntryVisitor<T>(PhantomData<T>);

impl<'de, T: Entry> Visitor<'de> for EntryVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an effect: \"name\" or { name = arguments }")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        match T::bare(v) {
            Some(e) => Ok(e),
            None => T::tagged(StrDeserializer::<E>::new(v)).map_err(|e| {
                if e.to_string().contains("expected newtype variant") {
                    E::custom(format!("`{v}` needs arguments: write {{ {v} = … }}"))
                } else {
                    e
                }
            }),
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::tagged(OneKey(map, is_name::<T>))
    }
}

/// A table read as an enum: its one key names the variant, its value the arguments;
/// the function says which keys are names of entries, for the message about a second.
struct OneKey<A>(A, fn(&str) -> bool);

/// Whether `key` names an entry of `T` (an effect), with or without arguments.
pub(crate) fn is_name<T: Entry>(key: &str) -> bool {
    T::bare(key).is_some()
        || T::tagged(StrDeserializer::<de::value::Error>::new(key))
            .map_or_else(|e| !e.to_string().contains("unknown variant"), |_| true)
}

impl<'de, A: MapAccess<'de>> OneKey<A> {
    fn end(mut self) -> Result<(), A::Error> {
        match self.0.next_key::<String>()? {
            None => Ok(()),
            // `{ mask_color = "green", thr = 3 }`: an argument written beside the effect.
            Some(key) if (self.1)(&key) => Err(de::Error::custom(format!(
                "one effect per table, and `{key}` is a second effect: write each effect as its \
                 own entry, e.g. [{{ a = 1 }}, {{ {key} = … }}]"
            ))),
            Some(key) => Err(de::Error::custom(format!(
                "one effect per table, and `{key}` is a second key: an effect's arguments go in \
                 a table of their own, {{ effect = {{ …, {key} = … }} }}, and each effect is its own \
                 entry, [{{ a = 1 }}, {{ b = 2 }}]"
            ))),
        }
    }
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for OneKey<A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct enum identifier ignored_any
    }
}

impl<'de, A: MapAccess<'de>> EnumAccess<'de> for OneKey<A> {
    type Error = A::Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(
        mut self,
        seed: S,
    ) -> Result<(S::Value, Self), A::Error> {
        match self.0.next_key_seed(seed)? {
            Some(v) => Ok((v, self)),
            None => Err(de::Error::custom(
                "an empty table is not an effect: write \"name\" or { name = arguments }",
            )),
        }
    }
}

impl<'de, A: MapAccess<'de>> VariantAccess<'de> for OneKey<A> {
    type Error = A::Error;

    fn unit_variant(mut self) -> Result<(), A::Error> {
        self.0.next_value::<NoArguments>()?;
        self.end()
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(
        mut self,
        seed: S,
    ) -> Result<S::Value, A::Error> {
        let v = self.0.next_value_seed(seed)?;
        self.end()?;
        Ok(v)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _v: V) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("tuple effects are not supported"))
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _v: V,
    ) -> Result<V::Value, A::Error> {
        Err(de::Error::custom("struct effects are not supported"))
    }
}

/// The arguments of an effect that takes none: `{}` or `[]`.
struct NoArguments;

impl<'de> Deserialize<'de> for NoArguments {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NoArguments;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("no arguments (write the effect as a bare name)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoArguments, A::Error> {
                match map.next_key::<IgnoredAny>()? {
                    None => Ok(NoArguments),
                    Some(_) => Err(de::Error::custom("this effect takes no arguments")),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoArguments, A::Error> {
                match seq.next_element::<IgnoredAny>()? {
                    None => Ok(NoArguments),
                    Some(_) => Err(de::Error::custom("this effect takes no arguments")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
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

    /// Serde's own message for `text` read as an effect entry, before the rewording.
    fn raw_error(text: &str) -> String {
        let v = DeValue::parse(text).unwrap();
        crate::effect::EffectSpec::deserialize(toml::de::ValueDeserializer::from(v))
            .err()
            .map(|e| e.message().to_string())
            .unwrap_or_default()
    }

    /// The names serde lists after "expected" in an unknown field or variant message.
    fn listed(message: &str) -> Vec<String> {
        message
            .split('`')
            .skip(3)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn table_arguments_say_which_keys_they_take() {
        use crate::effect::EffectSpec;
        let names = listed(&raw_error("{ zzz = 1 }"));
        assert!(names.len() > 30, "{names:?}");
        let mut tables = 0;
        for name in names {
            let e = typed::<EffectSpec>(DeValue::parse(&format!("{{ {name} = true }}")).unwrap())
                .err()
                .unwrap();
            if !e.message.contains("a table") {
                continue;
            }
            tables += 1;
            let keys = listed(&raw_error(&format!("{{ {name} = {{ zzz = 1 }} }}")));
            assert!(!keys.is_empty(), "{name}");
            for k in keys {
                assert!(
                    e.message.contains(&k),
                    "{name}: `{k}` missing in {}",
                    e.message
                );
            }
        }
        assert!(tables >= 8, "{tables}");
        let e = typed::<EffectSpec>(DeValue::parse("{ lum_contrast = 5 }").unwrap())
            .err()
            .unwrap();
        assert_eq!(
            e.message,
            "invalid type: integer `5`, expected a table of lum, contrast, threshold, e.g. { lum = 10, contrast = 0.5 }"
        );
    }

    #[test]
    fn effect_entries_bare_or_one_key_tables() {
        use crate::effect::EffectSpec;
        let parse = |text: &str| typed::<EffectSpec>(DeValue::parse(text).unwrap());
        assert!(matches!(
            parse("\"equalize\""),
            Ok(EffectSpec::Equalize(None))
        ));
        assert!(matches!(
            parse("{ equalize = { over = \"clip\" } }"),
            Ok(EffectSpec::Equalize(Some(_)))
        ));
        assert!(matches!(parse("\"mirror_x\""), Ok(EffectSpec::MirrorX)));
        assert!(matches!(
            parse("{ mirror_x = {} }"),
            Ok(EffectSpec::MirrorX)
        ));
        assert!(matches!(
            parse("{ gaussian_blur = 2 }"),
            Ok(EffectSpec::GaussianBlur(_))
        ));

        let text = "{ gausian_blur = 2 }";
        let e = parse(text).err().unwrap();
        assert_eq!(e.message, "unknown name `gausian_blur`");
        assert_eq!(&text[e.span.unwrap()], "gausian_blur");
        assert_eq!(e.hint.as_deref(), Some("did you mean `gaussian_blur`?"));
        let e = parse("\"equalise\"").err().unwrap();
        assert_eq!(e.hint.as_deref(), Some("did you mean `equalize`?"));

        let e = parse("{ opacity = 0.5, mirror_x = {} }").err().unwrap();
        assert!(
            e.message
                .contains("one effect per table, and `mirror_x` is a second effect"),
            "{}",
            e.message
        );
        // An argument written beside its effect (MoviePy's keyword arguments).
        let e = parse("{ mask_color = \"green\", thr = 3 }").err().unwrap();
        assert!(
            e.message.contains("`thr` is a second key")
                && e.message.contains("{ effect = { …, thr = … } }"),
            "{}",
            e.message
        );
        let e = parse("{}").err().unwrap();
        assert!(
            e.message.contains("an empty table is not an effect"),
            "{}",
            e.message
        );
        let e = parse("\"gamma\"").err().unwrap();
        assert_eq!(e.message, "`gamma` needs arguments: write { gamma = … }");
        let e = parse("{ invert = 1 }").err().unwrap();
        assert!(e.message.contains("no arguments"), "{}", e.message);
        // Errors inside arguments keep their place.
        let text = "{ equalize = { ovr = \"clip\" } }";
        let e = parse(text).err().unwrap();
        assert_eq!(&text[e.span.unwrap()], "ovr");
    }
}
