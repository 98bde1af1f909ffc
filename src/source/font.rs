//! A scene's `font` key, resolved the one way for every source that draws text: a text
//! clip's glyphs and a chart's title, labels, ticks and legend name a face alike, and
//! meet the same errors and hints.

use cosmic_text::fontdb::Style;
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
