//! `kind = "text"`: a title, a label or a caption, drawn with the bundled DejaVu Sans
//! or any installed font.
//!
//! A text whose placeholders are all constant is drawn once, when the scene is
//! resolved, and every frame is a copy of it. Text with live values (`{t:.1f}`) is
//! drawn per frame by the `live` module.

mod live;

use std::sync::Arc;

use cosmic_text::fontdb::Style;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::clip::{Clip, Size};
use crate::color::Rgba;
use crate::expr::RawParam;
use crate::scene::diag::Diagnostic;
use crate::scene::limits;
use crate::scene::resolve::{RawSize, ResolveCx};
use crate::text::fonts::{self, FaceChoice, DEFAULT_FAMILY};
use crate::text::raster::Ink;
use crate::text::template::Template;
use crate::text::{default_color, Align, Padding, Sizing, TextStyle, VAlign};

/// Font size when none is given, in pixels.
pub const DEFAULT_FONT_SIZE: f64 = 32.0;
/// Baseline distance when none is given, as a multiple of the font size.
pub const DEFAULT_LINE_SPACING: f64 = 1.2;
/// The smallest font size, in pixels.
pub const MIN_FONT_SIZE: f64 = 1.0;
/// The tightest line spacing, as a multiple of the font size (lines must not all fall
/// on one baseline: the shaper refuses a line height of 0).
pub const MIN_LINE_SPACING: f64 = 0.01;
/// The largest font size, in pixels.
pub const MAX_FONT_SIZE: f64 = 4096.0;
/// The longest text, in bytes: beyond any title, well within shaping time.
pub const MAX_TEXT_BYTES: usize = 20_000;
/// The widest outline, in pixels.
pub const MAX_STROKE: f64 = 256.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    text: Spanned<String>,
    font: Option<Spanned<String>>,
    weight: Option<Spanned<FontWeight>>,
    style: Option<FontStyle>,
    font_size: Option<Spanned<RawParam>>,
    color: Option<Rgba>,
    background: Option<Rgba>,
    stroke: Option<Spanned<StrokeSpec>>,
    padding: Option<Spanned<PaddingSpec>>,
    line_spacing: Option<Spanned<RawParam>>,
    align: Option<Align>,
    size: Option<RawSize>,
    valign: Option<Spanned<VAlign>>,
    duration: Option<Spanned<RawParam>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StrokeSpec {
    color: Option<Rgba>,
    width: Option<Spanned<RawParam>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum FontStyle {
    Normal,
    Italic,
    Oblique,
}

/// A weight: a CSS name or a number from 1 to 1000.
#[derive(Clone, Copy)]
struct FontWeight(u16);

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
                        let hint = crate::scene::diag::did_you_mean(&key, names)
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

/// `padding = 8`, `[vertical, horizontal]` or `[top, right, bottom, left]`.
struct PaddingSpec(Padding);

impl<'de> Deserialize<'de> for PaddingSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        fn side<E: de::Error>(v: i64) -> Result<u32, E> {
            if (0..=limits::MAX_SIDE as i64).contains(&v) {
                Ok(v as u32)
            } else {
                Err(E::custom(format!(
                    "padding {v} is outside 0..{}",
                    limits::MAX_SIDE
                )))
            }
        }
        impl<'de> Visitor<'de> for V {
            type Value = PaddingSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a padding in pixels: n, [vertical, horizontal] or [top, right, bottom, left]",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PaddingSpec, E> {
                let s = side(v)?;
                Ok(PaddingSpec(Padding {
                    top: s,
                    right: s,
                    bottom: s,
                    left: s,
                }))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PaddingSpec, E> {
                self.visit_i64(v.min(i64::MAX as u64) as i64)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PaddingSpec, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element::<i64>()? {
                    if v.len() == 4 {
                        return Err(de::Error::custom("padding has 1, 2 or 4 numbers"));
                    }
                    v.push(side(x)?);
                }
                let p = match v[..] {
                    [vert, hor] => Padding {
                        top: vert,
                        right: hor,
                        bottom: vert,
                        left: hor,
                    },
                    [top, right, bottom, left] => Padding {
                        top,
                        right,
                        bottom,
                        left,
                    },
                    [s] => Padding {
                        top: s,
                        right: s,
                        bottom: s,
                        left: s,
                    },
                    _ => return Err(de::Error::custom("padding has 1, 2 or 4 numbers")),
                };
                Ok(PaddingSpec(p))
            }
        }
        d.deserialize_any(V)
    }
}

/// A text clip: one pre-drawn frame.
pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let text = spec.text.get_ref();
    if text.len() > MAX_TEXT_BYTES {
        return Err(Diagnostic::at(
            format!(
                "the text is {} bytes long; at most {MAX_TEXT_BYTES}",
                text.len()
            ),
            spec.text.span(),
        ));
    }
    let duration = cx.duration(spec.duration.as_ref())?;
    let template = Template::compile_in_file(&spec.text, &cx.scope, cx.source)?;
    let style = style(&spec, cx)?;
    let at_text = |m| Diagnostic::at(m, spec.text.span());
    let Some(fixed) = template.as_static() else {
        let built = live::build(template, style, duration, cx.fps, short(text)).map_err(at_text)?;
        for w in built.warnings {
            crate::report::warn(format_args!("text {:?}: {w}", short(text)));
        }
        return Ok(Arc::new(built.clip));
    };
    let rendered = crate::text::render(&style, fixed).map_err(at_text)?;
    let size = Size::new(rendered.frame.width(), rendered.frame.height());
    cx.hold(super::file::frame_bytes(size), spec.text.span())?;
    for w in rendered.warnings {
        crate::report::warn(format_args!("text {:?}: {w}", short(text)));
    }
    Ok(Arc::new(super::still::Still::new(
        "text",
        rendered.frame,
        duration,
    )))
}

/// The resolved style of a text clip: fonts found, numbers checked.
fn style(spec: &Spec, cx: &mut ResolveCx) -> Result<TextStyle, Diagnostic> {
    let font_size = match &spec.font_size {
        Some(p) => {
            // Below a pixel nothing is drawn, and a size that rounds to 0 in f32 would
            // make the shaper panic.
            let v = cx.constant(p, "font_size", MIN_FONT_SIZE, true)?;
            if v > MAX_FONT_SIZE {
                return Err(Diagnostic::at(
                    format!("font_size {v} is too large: at most {MAX_FONT_SIZE} pixels"),
                    p.span(),
                ));
            }
            v
        }
        None => DEFAULT_FONT_SIZE,
    };
    let line_spacing = match &spec.line_spacing {
        Some(p) => {
            let v = cx.constant(p, "line_spacing", MIN_LINE_SPACING, true)?;
            if v > 10.0 {
                return Err(Diagnostic::at(
                    format!(
                        "line_spacing {v} is too large: at most 10 (a multiple of the font size)"
                    ),
                    p.span(),
                ));
            }
            v
        }
        None => DEFAULT_LINE_SPACING,
    };
    let background = spec.background.unwrap_or(Rgba::TRANSPARENT);
    let fill = spec.color.unwrap_or_else(|| default_color(background));
    let stroke = match &spec.stroke {
        Some(s) => {
            let width = match &s.get_ref().width {
                Some(w) => {
                    let v = cx.constant(w, "stroke width", 0.0, true)?;
                    if v > MAX_STROKE {
                        return Err(Diagnostic::at(
                            format!("stroke width {v} is too large: at most {MAX_STROKE} pixels"),
                            w.span(),
                        ));
                    }
                    v
                }
                None => 1.0,
            };
            let color = s.get_ref().color.unwrap_or(Rgba::BLACK);
            (width > 0.0).then_some((color, width as f32))
        }
        None => None,
    };
    let padding = spec
        .padding
        .as_ref()
        .map_or(Padding::default(), |p| p.get_ref().0);
    let sizing = match (&spec.size, &spec.valign) {
        (Some(size), valign) => {
            let s = cx.size(size)?;
            if padding.left as u64 + padding.right as u64 >= s.w as u64 {
                return Err(Diagnostic::at(
                    format!(
                        "the padding ({} px left, {} px right) leaves no room in a box {} px wide",
                        padding.left, padding.right, s.w
                    ),
                    size.span(),
                ));
            }
            Sizing::Box {
                size: s,
                valign: valign.as_ref().map_or(VAlign::Center, |v| *v.get_ref()),
            }
        }
        (None, Some(valign)) => {
            return Err(Diagnostic::at(
                "`valign` places text in a box: it needs `size = [width, height]`",
                valign.span(),
            ))
        }
        (None, None) => Sizing::Fit,
    };
    Ok(TextStyle {
        face: face(spec, cx)?,
        font_size: font_size as f32,
        line_spacing: line_spacing as f32,
        ink: Ink { fill, stroke },
        background,
        padding,
        align: spec.align.unwrap_or(Align::Center),
        sizing,
    })
}

/// The face a clip asks for: the bundled default, an installed family, or a file.
fn face(spec: &Spec, cx: &mut ResolveCx) -> Result<FaceChoice, Diagnostic> {
    let weight = spec.weight.as_ref().map_or(400, |w| w.get_ref().0);
    let style = match spec.style {
        None | Some(FontStyle::Normal) => Style::Normal,
        Some(FontStyle::Italic) => Style::Italic,
        Some(FontStyle::Oblique) => Style::Oblique,
    };
    let Some(font) = &spec.font else {
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
        Err(unknown) => {
            let list = unknown
                .suggestions
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let hint = match unknown.base {
                Some(base) => format!(
                    "the family is `{base}`: write font = \"{base}\" and set `weight` or `style`"
                ),
                None if list.is_empty() => {
                    "no fonts are installed besides the bundled DejaVu Sans".to_string()
                }
                None => format!("closest installed families: {list}"),
            };
            Err(
                Diagnostic::at(format!("unknown font family `{name}`"), font.span())
                    .with_hint(hint),
            )
        }
    }
}

/// A font file rather than a family name: a known extension or a path separator.
fn is_path(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".ttf", ".otf", ".ttc", ".otc"]
        .iter()
        .any(|e| lower.ends_with(e))
        || name.contains('/')
        || name.contains('\\')
}

/// The start of a text, for messages.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut s: String = line.chars().take(30).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::raster::draws_on_this_thread;

    #[test]
    fn static_text_is_drawn_once_not_per_frame() {
        let src = r#"
[clip.title]
kind = "text"
text = "Equalized"
duration = 1
"#;
        let before = draws_on_this_thread();
        let scene = crate::scene::parse(src, std::path::Path::new("."), &[]).unwrap();
        assert_eq!(draws_on_this_thread() - before, 1);
        let cx = crate::clip::RenderCx::new(20.0);
        let first = scene.root.render(0.0, &cx).unwrap();
        for i in 1..20 {
            let f = scene.root.render(i as f64 / 20.0, &cx).unwrap();
            assert!(f == first);
        }
        assert_eq!(draws_on_this_thread() - before, 1);
    }

    #[test]
    fn paths_and_families_are_told_apart() {
        assert!(is_path("fonts/My Font.ttf"));
        assert!(is_path("Amiri.OTF"));
        assert!(is_path("./x"));
        assert!(!is_path("DejaVu Sans"));
    }
}
