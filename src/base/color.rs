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
        let m = |c: u8| super::frame::premultiply_channel(c, a);
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
            .or_else(|| tab10(&lower))
            .map(|[r, g, b]| Rgba([r, g, b, 255]))
            .ok_or_else(|| {
                let hint = written_elsewhere(&lower)
                    .or_else(|| {
                        crate::base::diag::did_you_mean(&lower, NAMES.iter().map(|(n, _)| *n))
                    })
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!("unknown colour `{s}`{hint}")
            })
    }
}

/// The colour of a form other tools take, as this scene writes it: CSS's `rgb(255, 0,
/// 0)` and `rgba(0, 0, 255, 0.5)`, matplotlib's grey level `"0.5"` and a Python tuple
/// `"(1, 0, 0)"`.
fn written_elsewhere(lower: &str) -> Option<String> {
    let numbers = |inner: &str| -> Option<Vec<f64>> {
        inner
            .split(',')
            .map(|p| p.trim().trim_end_matches('%').parse::<f64>().ok())
            .collect()
    };
    let list = |v: &[u8]| {
        let parts: Vec<String> = v.iter().map(u8::to_string).collect();
        format!("[{}]", parts.join(", "))
    };
    let byte = |v: f64, scale: f64| (v * scale).round().clamp(0.0, 255.0) as u8;
    if let Some(inner) = lower
        .strip_prefix("rgba(")
        .or_else(|| lower.strip_prefix("rgb("))
        .and_then(|r| r.strip_suffix(')'))
    {
        let v = numbers(inner).filter(|v| v.len() == 3 || v.len() == 4)?;
        let mut c: Vec<u8> = v[..3].iter().map(|&x| byte(x, 1.0)).collect();
        if let Some(&a) = v.get(3) {
            // CSS's alpha goes from 0 to 1.
            c.push(byte(a, if a <= 1.0 { 255.0 } else { 1.0 }));
        }
        return Some(format!("CSS's rgb() is written {} here", list(&c)));
    }
    if let Some(inner) = lower.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        let v = numbers(inner).filter(|v| v.len() == 3 || v.len() == 4)?;
        let scale = if v.iter().all(|x| *x <= 1.0) {
            255.0
        } else {
            1.0
        };
        let c: Vec<u8> = v.iter().map(|&x| byte(x, scale)).collect();
        return Some(format!(
            "write the tuple as a list of 0–255 values: {}",
            list(&c)
        ));
    }
    let grey: f64 = lower.parse().ok().filter(|g| (0.0..=1.0).contains(g))?;
    let g = byte(grey, 255.0);
    Some(format!(
        "matplotlib's grey level \"{lower}\" is written [{g}, {g}, {g}] here"
    ))
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
                let mut values = Vec::with_capacity(4);
                while let Some(v) = seq.next_element::<f64>()? {
                    if values.len() == 4 {
                        return Err(de::Error::custom("a colour has 3 or 4 components"));
                    }
                    values.push(v);
                }
                if values.len() < 3 {
                    return Err(de::Error::custom("a colour has 3 or 4 components"));
                }
                components(&values).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// `[r, g, b]` or `[r, g, b, a]` of whole numbers 0–255. Fractions are refused: 0.5
/// meant as "half" would silently become 1/255; when every component is between 0 and 1
/// (matplotlib's, Mayavi's and Vispy's way) the message gives the colour in 0–255.
fn components(values: &[f64]) -> Result<Rgba, String> {
    if let Some(v) = values.iter().find(|v| !(0.0..=255.0).contains(*v)) {
        return Err(format!("colour component {v} is outside 0..255"));
    }
    let Some(v) = values.iter().find(|v| v.fract() != 0.0) else {
        let mut c = [0u8, 0, 0, 255];
        for (slot, v) in c.iter_mut().zip(values) {
            *slot = *v as u8;
        }
        return Ok(Rgba(c));
    };
    if values.iter().all(|v| *v <= 1.0) {
        let shown: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let scaled: Vec<String> = values
            .iter()
            .map(|v| ((v * 255.0).round() as u8).to_string())
            .collect();
        return Err(format!(
            "colour components go from 0 to 255 here, not from 0 to 1 as in matplotlib or Vispy: \
             ({}) is [{}]",
            shown.join(", "),
            scaled.join(", ")
        ));
    }
    Err(format!(
        "colour component {v} is not a whole number: components go from 0 to 255 (half \
         opaque is 128)"
    ))
}

/// matplotlib's cycle colours, which users paste: `C0`–`C9` (the default cycle) and
/// the same ten as `tab:blue`, `tab:orange`, … (the `tab10` palette).
const TAB10: [(&str, [u8; 3]); 10] = [
    ("blue", [0x1f, 0x77, 0xb4]),
    ("orange", [0xff, 0x7f, 0x0e]),
    ("green", [0x2c, 0xa0, 0x2c]),
    ("red", [0xd6, 0x27, 0x28]),
    ("purple", [0x94, 0x67, 0xbd]),
    ("brown", [0x8c, 0x56, 0x4b]),
    ("pink", [0xe3, 0x77, 0xc2]),
    ("gray", [0x7f, 0x7f, 0x7f]),
    ("olive", [0xbc, 0xbd, 0x22]),
    ("cyan", [0x17, 0xbe, 0xcf]),
];

/// A lower-case `c0`…`c9` or `tab:NAME` (`tab:grey` too).
fn tab10(name: &str) -> Option<[u8; 3]> {
    if let Some(tab) = name.strip_prefix("tab:") {
        let tab = if tab == "grey" { "gray" } else { tab };
        return TAB10.iter().find(|(n, _)| *n == tab).map(|(_, c)| *c);
    }
    let digit = name.strip_prefix('c')?;
    let i: usize = digit.parse().ok().filter(|_| digit.len() == 1)?;
    Some(TAB10[i].1)
}

fn named(name: &str) -> Option<[u8; 3]> {
    NAMES
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| NAMES[i].1)
}

/// The 148 CSS colour keywords (CSS Color Module Level 4), sorted for binary search.
const NAMES: &[(&str, [u8; 3])] = &[
    ("aliceblue", [240, 248, 255]),
    ("antiquewhite", [250, 235, 215]),
    ("aqua", [0, 255, 255]),
    ("aquamarine", [127, 255, 212]),
    ("azure", [240, 255, 255]),
    ("beige", [245, 245, 220]),
    ("bisque", [255, 228, 196]),
    ("black", [0, 0, 0]),
    ("blanchedalmond", [255, 235, 205]),
    ("blue", [0, 0, 255]),
    ("blueviolet", [138, 43, 226]),
    ("brown", [165, 42, 42]),
    ("burlywood", [222, 184, 135]),
    ("cadetblue", [95, 158, 160]),
    ("chartreuse", [127, 255, 0]),
    ("chocolate", [210, 105, 30]),
    ("coral", [255, 127, 80]),
    ("cornflowerblue", [100, 149, 237]),
    ("cornsilk", [255, 248, 220]),
    ("crimson", [220, 20, 60]),
    ("cyan", [0, 255, 255]),
    ("darkblue", [0, 0, 139]),
    ("darkcyan", [0, 139, 139]),
    ("darkgoldenrod", [184, 134, 11]),
    ("darkgray", [169, 169, 169]),
    ("darkgreen", [0, 100, 0]),
    ("darkgrey", [169, 169, 169]),
    ("darkkhaki", [189, 183, 107]),
    ("darkmagenta", [139, 0, 139]),
    ("darkolivegreen", [85, 107, 47]),
    ("darkorange", [255, 140, 0]),
    ("darkorchid", [153, 50, 204]),
    ("darkred", [139, 0, 0]),
    ("darksalmon", [233, 150, 122]),
    ("darkseagreen", [143, 188, 143]),
    ("darkslateblue", [72, 61, 139]),
    ("darkslategray", [47, 79, 79]),
    ("darkslategrey", [47, 79, 79]),
    ("darkturquoise", [0, 206, 209]),
    ("darkviolet", [148, 0, 211]),
    ("deeppink", [255, 20, 147]),
    ("deepskyblue", [0, 191, 255]),
    ("dimgray", [105, 105, 105]),
    ("dimgrey", [105, 105, 105]),
    ("dodgerblue", [30, 144, 255]),
    ("firebrick", [178, 34, 34]),
    ("floralwhite", [255, 250, 240]),
    ("forestgreen", [34, 139, 34]),
    ("fuchsia", [255, 0, 255]),
    ("gainsboro", [220, 220, 220]),
    ("ghostwhite", [248, 248, 255]),
    ("gold", [255, 215, 0]),
    ("goldenrod", [218, 165, 32]),
    ("gray", [128, 128, 128]),
    ("green", [0, 128, 0]),
    ("greenyellow", [173, 255, 47]),
    ("grey", [128, 128, 128]),
    ("honeydew", [240, 255, 240]),
    ("hotpink", [255, 105, 180]),
    ("indianred", [205, 92, 92]),
    ("indigo", [75, 0, 130]),
    ("ivory", [255, 255, 240]),
    ("khaki", [240, 230, 140]),
    ("lavender", [230, 230, 250]),
    ("lavenderblush", [255, 240, 245]),
    ("lawngreen", [124, 252, 0]),
    ("lemonchiffon", [255, 250, 205]),
    ("lightblue", [173, 216, 230]),
    ("lightcoral", [240, 128, 128]),
    ("lightcyan", [224, 255, 255]),
    ("lightgoldenrodyellow", [250, 250, 210]),
    ("lightgray", [211, 211, 211]),
    ("lightgreen", [144, 238, 144]),
    ("lightgrey", [211, 211, 211]),
    ("lightpink", [255, 182, 193]),
    ("lightsalmon", [255, 160, 122]),
    ("lightseagreen", [32, 178, 170]),
    ("lightskyblue", [135, 206, 250]),
    ("lightslategray", [119, 136, 153]),
    ("lightslategrey", [119, 136, 153]),
    ("lightsteelblue", [176, 196, 222]),
    ("lightyellow", [255, 255, 224]),
    ("lime", [0, 255, 0]),
    ("limegreen", [50, 205, 50]),
    ("linen", [250, 240, 230]),
    ("magenta", [255, 0, 255]),
    ("maroon", [128, 0, 0]),
    ("mediumaquamarine", [102, 205, 170]),
    ("mediumblue", [0, 0, 205]),
    ("mediumorchid", [186, 85, 211]),
    ("mediumpurple", [147, 112, 219]),
    ("mediumseagreen", [60, 179, 113]),
    ("mediumslateblue", [123, 104, 238]),
    ("mediumspringgreen", [0, 250, 154]),
    ("mediumturquoise", [72, 209, 204]),
    ("mediumvioletred", [199, 21, 133]),
    ("midnightblue", [25, 25, 112]),
    ("mintcream", [245, 255, 250]),
    ("mistyrose", [255, 228, 225]),
    ("moccasin", [255, 228, 181]),
    ("navajowhite", [255, 222, 173]),
    ("navy", [0, 0, 128]),
    ("oldlace", [253, 245, 230]),
    ("olive", [128, 128, 0]),
    ("olivedrab", [107, 142, 35]),
    ("orange", [255, 165, 0]),
    ("orangered", [255, 69, 0]),
    ("orchid", [218, 112, 214]),
    ("palegoldenrod", [238, 232, 170]),
    ("palegreen", [152, 251, 152]),
    ("paleturquoise", [175, 238, 238]),
    ("palevioletred", [219, 112, 147]),
    ("papayawhip", [255, 239, 213]),
    ("peachpuff", [255, 218, 185]),
    ("peru", [205, 133, 63]),
    ("pink", [255, 192, 203]),
    ("plum", [221, 160, 221]),
    ("powderblue", [176, 224, 230]),
    ("purple", [128, 0, 128]),
    ("rebeccapurple", [102, 51, 153]),
    ("red", [255, 0, 0]),
    ("rosybrown", [188, 143, 143]),
    ("royalblue", [65, 105, 225]),
    ("saddlebrown", [139, 69, 19]),
    ("salmon", [250, 128, 114]),
    ("sandybrown", [244, 164, 96]),
    ("seagreen", [46, 139, 87]),
    ("seashell", [255, 245, 238]),
    ("sienna", [160, 82, 45]),
    ("silver", [192, 192, 192]),
    ("skyblue", [135, 206, 235]),
    ("slateblue", [106, 90, 205]),
    ("slategray", [112, 128, 144]),
    ("slategrey", [112, 128, 144]),
    ("snow", [255, 250, 250]),
    ("springgreen", [0, 255, 127]),
    ("steelblue", [70, 130, 180]),
    ("tan", [210, 180, 140]),
    ("teal", [0, 128, 128]),
    ("thistle", [216, 191, 216]),
    ("tomato", [255, 99, 71]),
    ("turquoise", [64, 224, 208]),
    ("violet", [238, 130, 238]),
    ("wheat", [245, 222, 179]),
    ("white", [255, 255, 255]),
    ("whitesmoke", [245, 245, 245]),
    ("yellow", [255, 255, 0]),
    ("yellowgreen", [154, 205, 50]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matplotlib_cycle_colours_are_known() {
        assert_eq!(Rgba::parse("C1"), Ok(Rgba([0xff, 0x7f, 0x0e, 255])));
        assert_eq!(Rgba::parse("tab:green"), Ok(Rgba([0x2c, 0xa0, 0x2c, 255])));
        assert_eq!(Rgba::parse("tab:grey"), Rgba::parse("C7"));
        assert!(Rgba::parse("C10").is_err() && Rgba::parse("tab:teal").is_err());
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(Rgba::parse("red"), Ok(Rgba([255, 0, 0, 255])));
        assert_eq!(Rgba::parse("#0f0"), Ok(Rgba([0, 255, 0, 255])));
        assert_eq!(Rgba::parse("#11223380"), Ok(Rgba([0x11, 0x22, 0x33, 0x80])));
        assert_eq!(Rgba::parse("transparent"), Ok(Rgba::TRANSPARENT));
        assert!(Rgba::parse("#12345").is_err());
        assert_eq!(Rgba::parse("MediumSeaGreen"), Ok(Rgba([60, 179, 113, 255])));
        assert_eq!(Rgba::parse("rebeccapurple"), Ok(Rgba([102, 51, 153, 255])));
        assert!(
            NAMES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted for binary search"
        );
        assert!(Rgba::parse("gren")
            .unwrap_err()
            .contains("did you mean `green`?"));
    }

    /// Regression: `[255, 0, 0, 0.5]` was taken as alpha 1/255.
    #[test]
    fn arrays_take_whole_components() {
        let parse = |text: &str| {
            crate::base::de::typed::<Rgba>(toml::de::DeValue::parse(text).unwrap())
                .map_err(|d| d.message)
        };
        assert_eq!(parse("[255, 0, 0, 128]"), Ok(Rgba([255, 0, 0, 128])));
        assert!(parse("[255, 0, 0, 0.5]")
            .unwrap_err()
            .contains("half opaque is 128"));
        assert!(parse("[256, 0, 0]").unwrap_err().contains("outside 0..255"));
        // matplotlib's and Vispy's 0–1 components are given back in 0–255.
        assert!(parse("[0.5, 0.5, 1]").unwrap_err().contains(
            "not from 0 to 1 as in matplotlib or Vispy: (0.5, 0.5, 1) is [128, 128, 255]"
        ));
        assert!(parse("[1, 0, 0, 0.25]")
            .unwrap_err()
            .contains("is [255, 0, 0, 64]"));
        assert!(parse("[0.5, 0.5, 1, 0, 0]").is_err());
    }

    /// newcomer7: other tools' colour forms got "unknown colour" and no hint.
    #[test]
    fn regression_css_and_matplotlib_forms_had_no_hint() {
        let hint = |text: &str| Rgba::parse(text).unwrap_err();
        assert!(hint("rgb(255, 0, 0)").contains("CSS's rgb() is written [255, 0, 0] here"));
        assert!(hint("rgba(0,0,255,0.5)").contains("is written [0, 0, 255, 128] here"));
        assert!(hint("0.5").contains("grey level \"0.5\" is written [128, 128, 128] here"));
        assert!(hint("(1, 0, 0)").contains("0–255 values: [255, 0, 0]"));
        assert!(hint("(10, 20, 30, 40)").contains("[10, 20, 30, 40]"));
        // Not those forms: the plain message, or the name it is near.
        assert!(!hint("2.5").contains("grey"));
        assert!(!hint("rgb(1, 2)").contains("CSS"));
    }

    #[test]
    fn premultiplies_with_rounding() {
        assert_eq!(Rgba([255, 0, 100, 128]).premultiplied(), [128, 0, 50, 128]);
    }
}
