//! Keyframes: `{ keys = [[time, value], …], ease = "in-out-cubic" }`.
//!
//! Times are clip-local seconds, numbers, expressions of `[vars]` or times with a unit
//! (`"500ms"`), in order (equal times make a jump). Before the first key the value is
//! the first key's, after the last the last key's. A key may carry its own easing as a third element: it eases
//! the segment that starts at that key, overriding the table's `ease`.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::ease::Ease;
use super::param::{Param, Scalar};
use super::{Env, Scope};
use crate::base::diag::{At, Diagnostic};

/// Keyframes as written; `V` is what a key's value is (a number, a colour).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKeys<V> {
    pub keys: Spanned<Vec<Spanned<RawKey<V>>>>,
    pub ease: Option<Spanned<String>>,
}

/// One key: `[time, value]` or `[time, value, "easing"]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawKey<V> {
    pub time: Spanned<Scalar>,
    pub value: Spanned<V>,
    pub ease: Option<Spanned<String>>,
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for RawKey<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for KeyVisitor<V> {
            type Value = RawKey<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key: [time, value] or [time, value, \"easing\"]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawKey<V>, A::Error> {
                let shape =
                    || de::Error::custom("a key is [time, value] or [time, value, \"easing\"]");
                let time = seq.next_element()?.ok_or_else(shape)?;
                let value = seq.next_element()?.ok_or_else(shape)?;
                let ease = seq.next_element()?;
                if seq.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(shape());
                }
                Ok(RawKey { time, value, ease })
            }
        }
        d.deserialize_seq(KeyVisitor(std::marker::PhantomData))
    }
}

/// A key's time: seconds, an expression of `[vars]`, or a time with a unit or a clock
/// (`"1.5s"`, `"0:02"`: see [`seconds`](crate::base::seconds)).
fn key_time(raw: &Spanned<Scalar>, scope: &Scope) -> Result<Param, Diagnostic> {
    match raw.get_ref() {
        Scalar::Expr(text) => match crate::base::seconds::parse(text) {
            Some(t) => t
                .map(Param::constant)
                .map_err(|m| Diagnostic::at(format!("a key's time: {m}"), raw.span())),
            None => Scalar::compile(raw, scope),
        },
        Scalar::Number(_) => Scalar::compile(raw, scope),
    }
}

fn easing(raw: &Spanned<String>) -> Result<Ease, Diagnostic> {
    Ease::parse(raw.get_ref()).at(raw.span())
}

/// Key times and the easing of each segment between them.
#[derive(Debug, Clone)]
pub struct Track {
    times: Vec<f64>,
    eases: Vec<Ease>,
}

/// Where a time falls on a track.
pub enum Place {
    /// On key `i` exactly, or before the first (`0`) or after the last.
    Key(usize),
    /// Between key `i` and `i + 1`, at eased fraction `f` (may leave [0, 1]).
    Between(usize, f64),
}

impl Track {
    /// Checks the keys' times and easings.
    pub fn compile<V>(raw: &RawKeys<V>, scope: &Scope) -> Result<Track, Diagnostic> {
        let keys = raw.keys.get_ref();
        if keys.is_empty() {
            return Err(Diagnostic::at(
                "keyframes need at least one key: keys = [[time, value], …]",
                raw.keys.span(),
            ));
        }
        let default = match &raw.ease {
            Some(e) => easing(e)?,
            None => Ease::Linear,
        };
        let mut times = Vec::with_capacity(keys.len());
        let mut eases = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            let k = key.get_ref();
            let t = key_time(&k.time, scope)?.as_constant().ok_or_else(|| {
                Diagnostic::at(
                    "a key's time cannot change over time: use a number or [vars]",
                    k.time.span(),
                )
            })?;
            if let Some(&prev) = times.last() {
                if t < prev {
                    return Err(Diagnostic::at(
                        format!(
                            "key times must not decrease: {} s comes after {} s",
                            crate::base::limits::shown_seconds(t),
                            crate::base::limits::shown_seconds(prev)
                        ),
                        k.time.span(),
                    ));
                }
            }
            times.push(t);
            match &k.ease {
                Some(e) if i + 1 == keys.len() => {
                    return Err(Diagnostic::at(
                        "the last key starts no segment, so it takes no easing",
                        e.span(),
                    )
                    .with_hint("a key's easing shapes the segment from it to the next key"))
                }
                Some(e) => eases.push(easing(e)?),
                None if i + 1 < keys.len() => eases.push(default),
                None => {}
            }
        }
        Ok(Track { times, eases })
    }

    /// The key times, in order.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    pub fn place(&self, t: f64) -> Place {
        let n = self.times.len();
        if t.is_nan() || t <= self.times[0] {
            return Place::Key(0);
        }
        if t >= self.times[n - 1] {
            return Place::Key(n - 1);
        }
        // The last key at or before t; t < last time so i + 1 exists and is later.
        let i = self.times.partition_point(|&k| k <= t) - 1;
        let (a, b) = (self.times[i], self.times[i + 1]);
        Place::Between(i, self.eases[i].apply((t - a) / (b - a)))
    }
}

/// Compiled numeric keyframes; key values may themselves be expressions of `t`.
#[derive(Debug, Clone)]
pub struct Keyframes {
    track: Track,
    values: Vec<Param>,
}

impl Keyframes {
    pub fn compile(raw: &RawKeys<Scalar>, scope: &Scope) -> Result<Keyframes, Diagnostic> {
        let track = Track::compile(raw, scope)?;
        let values = raw
            .keys
            .get_ref()
            .iter()
            .map(|k| Scalar::compile(&k.get_ref().value, scope))
            .collect::<Result<_, _>>()?;
        Ok(Keyframes { track, values })
    }

    /// The value when every key has the same constant value.
    pub fn as_constant(&self) -> Option<f64> {
        let first = self.values[0].as_constant()?;
        self.values
            .iter()
            .all(|v| v.as_constant() == Some(first))
            .then_some(first)
    }

    pub fn eval(&self, env: &Env) -> f64 {
        match self.track.place(env.t) {
            Place::Key(i) => self.values[i].eval(env),
            Place::Between(i, f) => {
                let (a, b) = (self.values[i].eval(env), self.values[i + 1].eval(env));
                a + (b - a) * f
            }
        }
    }

    /// The key times.
    pub fn times(&self) -> &[f64] {
        self.track.times()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use crate::expr::RawParam;
    use toml::de::DeValue;

    fn compile(text: &str) -> Result<Param, Diagnostic> {
        let raw: Spanned<RawParam> = typed(DeValue::parse(text).unwrap())?;
        Param::compile(&raw, &Scope::with_vars([("fly", 2.0)]))
    }

    fn at(p: &Param, t: f64) -> f64 {
        p.eval(&Env {
            t,
            duration: 3.0,
            fps: 10.0,
        })
    }

    fn err(text: &str) -> (String, String) {
        let e = compile(text).unwrap_err();
        (e.message, text[e.span.unwrap()].to_string())
    }

    #[test]
    fn linear_and_eased_segments() {
        let p = compile("{ keys = [[0, 0], [1.5, 1], [3, 0.2]] }").unwrap();
        assert_eq!(p.as_constant(), None);
        assert_eq!(at(&p, -1.0), 0.0);
        assert_eq!(at(&p, 0.75), 0.5);
        assert_eq!(at(&p, 1.5), 1.0);
        assert!((at(&p, 2.25) - 0.6).abs() < 1e-12);
        assert_eq!(at(&p, 9.0), 0.2);
        let p = compile("{ keys = [[0, 0], [1, 1]], ease = \"in-out-cubic\" }").unwrap();
        assert_eq!(at(&p, 0.25), 0.0625);
        // Per-key easing for the segment that starts there; the table's elsewhere.
        let p =
            compile("{ keys = [[0, 0], [1, 1, \"hold\"], [2, 3]], ease = \"in-quad\" }").unwrap();
        assert_eq!(at(&p, 0.5), 0.25);
        assert_eq!(at(&p, 1.9), 1.0);
        assert_eq!(at(&p, 2.0), 3.0);
    }

    #[test]
    fn values_and_times_may_be_expressions() {
        let p = compile("{ keys = [[0, \"10 * t\"], [\"fly\", 0]] }").unwrap();
        // Halfway (t = 1): halfway between 10 and 0.
        assert_eq!(at(&p, 1.0), 5.0);
        assert_eq!(at(&p, 2.0), 0.0);
        // Equal times jump.
        let p = compile("{ keys = [[0, 0], [1, 0], [1, 5]] }").unwrap();
        assert_eq!((at(&p, 0.999), at(&p, 1.0)), (0.0, 5.0));
        // One key, or equal constant values: a constant.
        assert_eq!(
            compile("{ keys = [[1, 4]] }").unwrap().as_constant(),
            Some(4.0)
        );
        assert_eq!(
            compile("{ keys = [[0, 4], [1, 4]] }")
                .unwrap()
                .as_constant(),
            Some(4.0)
        );
    }

    #[test]
    fn errors_point_at_the_key() {
        assert_eq!(
            err("{ keys = [[0, 0], [2, 1], [1, 0]] }"),
            (
                "key times must not decrease: 1 s comes after 2 s".into(),
                "1".into()
            )
        );
        let (m, at) = err("{ keys = [[0, 0], [1, 1]], ease = \"in-out-cubc\" }");
        assert!(m.contains("did you mean `in-out-cubic`?"), "{m}");
        assert_eq!(at, "\"in-out-cubc\"");
        let (m, at) = err("{ keys = [[0, 0], [\"t\", 1]] }");
        assert!(m.contains("cannot change over time"), "{m}");
        assert_eq!(at, "\"t\"");
        let (m, at) = err("{ keys = [[0, 0], [1, \"2 * fyl\"]] }");
        assert_eq!((m.as_str(), at.as_str()), ("unknown name `fyl`", "fyl"));
        let (m, _) = err("{ keys = [[0, 0], [1]] }");
        assert!(m.contains("[time, value]"), "{m}");
        let (m, at) = err("{ keys = [] }");
        assert!(m.contains("at least one key"), "{m}");
        assert_eq!(at, "[]");
        let (m, at) = err("{ keys = [[0, 0], [1, 1, \"linear\"]] }");
        assert!(m.contains("last key"), "{m}");
        assert_eq!(at, "\"linear\"");
        let (m, at) = err("{ key = [[0, 0]] }");
        assert_eq!((m.as_str(), at.as_str()), ("unknown key `key`", "key"));
    }
}
