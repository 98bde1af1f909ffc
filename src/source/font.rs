//! A scene's `font` key, resolved the one way for every source that draws text: a text
//! clip's glyphs and a chart's title, labels, ticks and legend name a face alike, and
//! meet the same errors and hints.

use cosmic_text::fontdb::Style;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::text::fonts::{self, FaceChoice, DEFAULT_FAMILY};

/// The face `font` names at `weight` and `style`: the bundled default when none is
/// given, a font file (a path, relative to the scene), or an installed family (or
/// `"serif"`, `"sans-serif"`, `"monospace"`).
pub fn face(
    font: Option<&Spanned<String>>,
    weight: u16,
    style: Style,
    cx: &mut ResolveCx,
) -> Result<FaceChoice, Diagnostic> {
    let Some(font) = font else {
        return Ok(fonts::lock().choose(DEFAULT_FAMILY, weight, style));
    };
    let name = font.get_ref();
    if is_path(name) {
        let path = cx.input_path(font)?;
        return fonts::lock().file(&path, weight, style).map_err(|m| {
            Diagnostic::at(
                format!("cannot use font file `{name}` ({}): {m}", path.display()),
                font.span(),
            )
        });
    }
    let mut fonts = fonts::lock();
    match fonts.family(name) {
        Ok(family) => Ok(fonts.choose(&family, weight, style)),
        Err(unknown) => Err(
            Diagnostic::at(format!("unknown font family `{name}`"), font.span())
                .with_hint(unknown.hint()),
        ),
    }
}

/// A font file rather than a family name: a known extension or a path separator.
pub fn is_path(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".ttf", ".otf", ".ttc", ".otc"]
        .iter()
        .any(|e| lower.ends_with(e))
        || name.contains('/')
        || name.contains('\\')
}

/// `style`: upright, italic or oblique.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
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

impl FontStyle {
    /// The style fontdb matches faces by.
    pub fn fontdb(style: Option<FontStyle>) -> Style {
        match style {
            None | Some(FontStyle::Normal) => Style::Normal,
            Some(FontStyle::Italic) => Style::Italic,
            Some(FontStyle::Oblique) => Style::Oblique,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_families_are_told_apart() {
        assert!(is_path("fonts/My Font.ttf"));
        assert!(is_path("Amiri.OTF"));
        assert!(is_path("./x"));
        assert!(!is_path("DejaVu Sans"));
    }
}
