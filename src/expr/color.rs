//! Colours that change over time: a colour, or `{ keys = [[t, colour], …] }`.
//!
//! Keys are interpolated in Oklab with premultiplied alpha (as CSS Color 4 does): a
//! perceptually even blend, no muddy midpoints, and fading from `"transparent"` keeps
//! the other colour's hue instead of passing through black.

use std::fmt;
use std::sync::Arc;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::keys::{Place, RawKeys, Track};
use super::{Env, Scope};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;

/// A colour as written where colours may be animated.
#[derive(Debug, Clone, PartialEq)]
pub enum RawColor {
    Const(Rgba),
    Keys(Box<RawKeys<Rgba>>),
}

impl<'de> Deserialize<'de> for RawColor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawColor;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a colour (a name, \"#rrggbb\", [r, g, b]) or colour keyframes { keys = [[t, colour], …] }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawColor, E> {
                Rgba::deserialize(StrDeserializer::<E>::new(v)).map(RawColor::Const)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawColor, A::Error> {
                Rgba::deserialize(SeqAccessDeserializer::new(seq)).map(RawColor::Const)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawColor, A::Error> {
                RawKeys::deserialize(MapAccessDeserializer::new(map))
                    .map(|k| RawColor::Keys(Box::new(k)))
            }
        }
        d.deserialize_any(V)
    }
}

impl From<Rgba> for RawColor {
    fn from(c: Rgba) -> RawColor {
        RawColor::Const(c)
    }
}

/// A compiled colour parameter. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct AnimatedColor(Inner);

#[derive(Debug, Clone)]
enum Inner {
    Const(Rgba),
    Keys(Arc<(Track, Vec<[f64; 4]>)>),
}

impl AnimatedColor {
    pub fn constant(c: Rgba) -> AnimatedColor {
        AnimatedColor(Inner::Const(c))
    }

    pub fn compile(raw: &Spanned<RawColor>, scope: &Scope) -> Result<AnimatedColor, Diagnostic> {
        match raw.get_ref() {
            RawColor::Const(c) => Ok(AnimatedColor::constant(*c)),
            RawColor::Keys(k) => {
                let track = Track::compile(k, scope)?;
                let colours: Vec<Rgba> = k
                    .keys
                    .get_ref()
                    .iter()
                    .map(|k| *k.get_ref().value.get_ref())
                    .collect();
                if colours.iter().all(|c| *c == colours[0]) {
                    return Ok(AnimatedColor::constant(colours[0]));
                }
                let lab = colours.iter().map(|c| premultiplied_oklab(*c)).collect();
                Ok(AnimatedColor(Inner::Keys(Arc::new((track, lab)))))
            }
        }
    }

    /// The colour if it does not change over time.
    pub fn as_constant(&self) -> Option<Rgba> {
        match &self.0 {
            Inner::Const(c) => Some(*c),
            Inner::Keys(_) => None,
        }
    }

    pub fn eval(&self, env: &Env) -> Rgba {
        match &self.0 {
            Inner::Const(c) => *c,
            Inner::Keys(k) => {
                let (track, lab) = &**k;
                match track.place(env.t) {
                    Place::Key(i) => from_premultiplied_oklab(lab[i]),
                    Place::Between(i, f) => {
                        let (a, b) = (lab[i], lab[i + 1]);
                        from_premultiplied_oklab(std::array::from_fn(|c| a[c] + (b[c] - a[c]) * f))
                    }
                }
            }
        }
    }
}

fn to_linear(c: u8) -> f64 {
    let c = c as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn from_linear(c: f64) -> u8 {
    let c = c.clamp(0.0, 1.0);
    let s = if c <= 0.0031308 {
        12.92 * c
    } else {
        1.055 * c.powf(1.0 / 2.4) - 0.055
    };
    (s * 255.0).round().clamp(0.0, 255.0) as u8
}

/// Björn Ottosson's Oklab from sRGB (D65).
pub fn oklab(c: Rgba) -> [f64; 3] {
    let [r, g, b] = [to_linear(c.0[0]), to_linear(c.0[1]), to_linear(c.0[2])];
    let l = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b).cbrt();
    let m = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b).cbrt();
    let s = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b).cbrt();
    [
        0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
        1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
        0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s,
    ]
}

/// sRGB bytes from Oklab, clamped to the gamut.
pub fn from_oklab([ll, a, b]: [f64; 3], alpha: u8) -> Rgba {
    let l = (ll + 0.3963377774 * a + 0.2158037573 * b).powi(3);
    let m = (ll - 0.1055613458 * a - 0.0638541728 * b).powi(3);
    let s = (ll - 0.0894841775 * a - 1.2914855480 * b).powi(3);
    Rgba([
        from_linear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
        from_linear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
        from_linear(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s),
        alpha,
    ])
}

fn premultiplied_oklab(c: Rgba) -> [f64; 4] {
    let a = c.0[3] as f64 / 255.0;
    let [l, x, y] = oklab(c);
    [l * a, x * a, y * a, a]
}

fn from_premultiplied_oklab([l, x, y, a]: [f64; 4]) -> Rgba {
    let a = a.clamp(0.0, 1.0);
    if a <= 0.0 {
        return Rgba::TRANSPARENT;
    }
    from_oklab([l / a, x / a, y / a], (a * 255.0).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use toml::de::DeValue;

    fn compile(text: &str) -> Result<AnimatedColor, Diagnostic> {
        let raw: Spanned<RawColor> = typed(DeValue::parse(text).unwrap())?;
        AnimatedColor::compile(&raw, &Scope::default())
    }

    fn at(c: &AnimatedColor, t: f64) -> [u8; 4] {
        c.eval(&Env {
            t,
            duration: 1.0,
            fps: 10.0,
        })
        .0
    }

    #[test]
    fn oklab_reference_values() {
        // Ottosson's published value for sRGB red.
        let [l, a, b] = oklab(Rgba([255, 0, 0, 255]));
        assert!(
            (l - 0.627955).abs() < 1e-5
                && (a - 0.224863).abs() < 1e-5
                && (b - 0.125846).abs() < 1e-5
        );
        let [l, a, b] = oklab(Rgba::WHITE);
        assert!((l - 1.0).abs() < 1e-6 && a.abs() < 1e-6 && b.abs() < 1e-6);
        // Every grey and primary survives the round trip.
        for c in [
            [0, 0, 0],
            [255, 0, 0],
            [0, 255, 0],
            [0, 0, 255],
            [12, 200, 99],
            [128, 128, 128],
        ] {
            let rgba = Rgba([c[0], c[1], c[2], 255]);
            assert_eq!(from_oklab(oklab(rgba), 255), rgba);
        }
    }

    #[test]
    fn keyframed_colours_blend_in_oklab() {
        let c = compile("{ keys = [[0, \"black\"], [1, \"white\"]] }").unwrap();
        assert_eq!(at(&c, 0.0), [0, 0, 0, 255]);
        assert_eq!(at(&c, 1.0), [255, 255, 255, 255]);
        // Oklab's L is perceptual: halfway is L = 0.5, i.e. linear light 0.125, sRGB 99.
        assert_eq!(at(&c, 0.5), [99, 99, 99, 255]);
        // From transparent, the hue stays: premultiplied interpolation.
        let c = compile("{ keys = [[0, \"transparent\"], [1, [255, 0, 0]]] }").unwrap();
        assert_eq!(at(&c, 0.5), [255, 0, 0, 128]);
        assert_eq!(
            compile("\"red\"").unwrap().as_constant(),
            Some(Rgba([255, 0, 0, 255]))
        );
        assert!(compile("[0, 0, 255]").unwrap().as_constant().is_some());
    }

    #[test]
    fn bad_colours_in_keys_point_at_them() {
        let text = "{ keys = [[0, \"red\"], [1, \"gren\"]] }";
        let e = compile(text).unwrap_err();
        assert!(e.message.contains("did you mean `green`?"), "{}", e.message);
        assert_eq!(&text[e.span.unwrap()], "\"gren\"");
    }
}
