//! Colours as written in scenes: CSS names, `#rgb`, `#rrggbb[aa]`, `[r, g, b(, a)]`,
//! `"transparent"`.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// A straight-alpha sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const BLACK: Rgba = Rgba([0, 0, 0, 255]);
    pub const WHITE: Rgba = Rgba([255, 255, 255, 255]);
    pub const TRANSPARENT: Rgba = Rgba([0, 0, 0, 0]);

    pub fn is_opaque(self) -> bool {
        self.0[3] == 255
    }

    pub fn to_skia(self) -> tiny_skia::Color {
        let [r, g, b, a] = self.0;
        tiny_skia::Color::from_rgba8(r, g, b, a)
    }

    /// Premultiplied bytes, as stored in frames.
    pub fn premultiplied(self) -> [u8; 4] {
        let [r, g, b, a] = self.0;
        let m = |c: u8| ((c as u32 * a as u32 + 127) / 255) as u8;
        [m(r), m(g), m(b), a]
    }

    /// Parses the string forms. The error says what was expected.
    pub fn parse(s: &str) -> Result<Rgba, String> {
        let t = s.trim();
        if let Some(hex) = t.strip_prefix('#') {
            return parse_hex(hex)
                .ok_or_else(|| format!("`{s}` is not a colour: use #rgb, #rrggbb or #rrggbbaa"));
        }
        let lower = t.to_ascii_lowercase();
        if lower == "transparent" {
            return Ok(Rgba::TRANSPARENT);
        }
        named(&lower)
            .map(|[r, g, b]| Rgba([r, g, b, 255]))
            .ok_or_else(|| {
                let hint = crate::scene::diag::did_you_mean(&lower, NAMES.iter().map(|(n, _)| *n))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!("unknown colour `{s}`{hint}")
            })
    }
}

fn parse_hex(hex: &str) -> Option<Rgba> {
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    let nibble = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok().map(|v| v * 17);
    match hex.len() {
        3 => Some(Rgba([nibble(0)?, nibble(1)?, nibble(2)?, 255])),
        4 => Some(Rgba([nibble(0)?, nibble(1)?, nibble(2)?, nibble(3)?])),
        6 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, 255])),
        8 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, byte(6)?])),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for Rgba {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Rgba;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a colour: a name, \"#rrggbb\", \"#rrggbbaa\", [r, g, b] or [r, g, b, a]",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Rgba, E> {
                Rgba::parse(v).map_err(E::custom)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rgba, A::Error> {
                let mut c = [0u8, 0, 0, 255];
                let mut n = 0;
                while let Some(v) = seq.next_element::<f64>()? {
                    if n == 4 {
                        return Err(de::Error::custom("a colour has 3 or 4 components"));
                    }
                    if !(0.0..=255.0).contains(&v) {
                        return Err(de::Error::custom(format!(
                            "colour component {v} is outside 0..255"
                        )));
                    }
                    c[n] = v.round() as u8;
                    n += 1;
                }
                if n < 3 {
                    return Err(de::Error::custom("a colour has 3 or 4 components"));
                }
                Ok(Rgba(c))
            }
        }
        d.deserialize_any(V)
    }
}

fn named(name: &str) -> Option<[u8; 3]> {
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// The CSS basic and common extended colour keywords.
const NAMES: &[(&str, [u8; 3])] = &[
    ("black", [0, 0, 0]),
    ("white", [255, 255, 255]),
    ("red", [255, 0, 0]),
    ("lime", [0, 255, 0]),
    ("green", [0, 128, 0]),
    ("blue", [0, 0, 255]),
    ("yellow", [255, 255, 0]),
    ("cyan", [0, 255, 255]),
    ("aqua", [0, 255, 255]),
    ("magenta", [255, 0, 255]),
    ("fuchsia", [255, 0, 255]),
    ("silver", [192, 192, 192]),
    ("gray", [128, 128, 128]),
    ("grey", [128, 128, 128]),
    ("darkgray", [169, 169, 169]),
    ("darkgrey", [169, 169, 169]),
    ("lightgray", [211, 211, 211]),
    ("lightgrey", [211, 211, 211]),
    ("dimgray", [105, 105, 105]),
    ("maroon", [128, 0, 0]),
    ("olive", [128, 128, 0]),
    ("purple", [128, 0, 128]),
    ("teal", [0, 128, 128]),
    ("navy", [0, 0, 128]),
    ("orange", [255, 165, 0]),
    ("darkorange", [255, 140, 0]),
    ("gold", [255, 215, 0]),
    ("pink", [255, 192, 203]),
    ("hotpink", [255, 105, 180]),
    ("brown", [165, 42, 42]),
    ("chocolate", [210, 105, 30]),
    ("coral", [255, 127, 80]),
    ("crimson", [220, 20, 60]),
    ("salmon", [250, 128, 114]),
    ("tomato", [255, 99, 71]),
    ("orangered", [255, 69, 0]),
    ("indigo", [75, 0, 130]),
    ("violet", [238, 130, 238]),
    ("plum", [221, 160, 221]),
    ("orchid", [218, 112, 214]),
    ("turquoise", [64, 224, 208]),
    ("skyblue", [135, 206, 235]),
    ("steelblue", [70, 130, 180]),
    ("royalblue", [65, 105, 225]),
    ("dodgerblue", [30, 144, 255]),
    ("darkblue", [0, 0, 139]),
    ("lightblue", [173, 216, 230]),
    ("darkgreen", [0, 100, 0]),
    ("lightgreen", [144, 238, 144]),
    ("forestgreen", [34, 139, 34]),
    ("seagreen", [46, 139, 87]),
    ("limegreen", [50, 205, 50]),
    ("darkred", [139, 0, 0]),
    ("beige", [245, 245, 220]),
    ("ivory", [255, 255, 240]),
    ("khaki", [240, 230, 140]),
    ("lavender", [230, 230, 250]),
    ("tan", [210, 180, 140]),
    ("wheat", [245, 222, 179]),
    ("slategray", [112, 128, 144]),
    ("whitesmoke", [245, 245, 245]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(Rgba::parse("red"), Ok(Rgba([255, 0, 0, 255])));
        assert_eq!(Rgba::parse("#0f0"), Ok(Rgba([0, 255, 0, 255])));
        assert_eq!(Rgba::parse("#11223380"), Ok(Rgba([0x11, 0x22, 0x33, 0x80])));
        assert_eq!(Rgba::parse("transparent"), Ok(Rgba::TRANSPARENT));
        assert!(Rgba::parse("#12345").is_err());
        assert!(Rgba::parse("gren")
            .unwrap_err()
            .contains("did you mean `green`?"));
    }

    #[test]
    fn premultiplies_with_rounding() {
        assert_eq!(Rgba([255, 0, 100, 128]).premultiplied(), [128, 0, 50, 128]);
    }
}
