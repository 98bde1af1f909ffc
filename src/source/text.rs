//! `kind = "text"`: a title, a label or a caption, drawn with the bundled DejaVu Sans
//! or any installed font.
//!
//! A text whose placeholders and look are all constant is drawn once, when the scene
//! is resolved, and every frame is a copy of it. Text with live values (`{t:.1f}`) or
//! a look that changes (a keyframed `font_size` or `color`) is drawn per frame by the
//! `live` module.

mod live;
mod look;
mod measure;
pub(crate) mod spec;

use std::sync::Arc;

use cosmic_text::fontdb::Style;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::frame::Size;
use crate::base::limits;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::{Env, RawParam};
use crate::text::fonts::FaceChoice;
use crate::text::template::Template;
use crate::text::{Align, Padding, Sizing, TextStyle, VAlign};
use look::Look;
pub use spec::Spec;
use spec::{FontStyle, RawPadding};

/// Font size when none is given, in pixels.
pub const DEFAULT_FONT_SIZE: f64 = 32.0;
/// Baseline distance when none is given, as a multiple of the font size.
pub const DEFAULT_LINE_SPACING: f64 = 1.2;
/// The smallest font size, in pixels.
pub const MIN_FONT_SIZE: f64 = crate::text::MIN_DRAWN_SIZE as f64;
/// The tightest line spacing, as a multiple of the font size (lines must not all fall
/// on one baseline: the shaper refuses a line height of 0).
pub const MIN_LINE_SPACING: f64 = 0.01;
/// The loosest line spacing, as a multiple of the font size.
pub const MAX_LINE_SPACING: f64 = 10.0;
/// The largest font size, in pixels.
pub const MAX_FONT_SIZE: f64 = 4096.0;
/// The longest text, in bytes: the same as a chart's.
pub use crate::text::template::MAX_TEXT_BYTES;
/// The widest outline, in pixels.
pub const MAX_STROKE: f64 = 256.0;

/// A text clip: one pre-drawn frame, or a clip drawn per frame when it changes.
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
    let (style, look) = style(&spec, cx)?;
    let at_text = |m| Diagnostic::at(m, spec.text.span());
    let fixed = template.as_static().filter(|_| look.is_constant());
    let Some(fixed) = fixed else {
        let built =
            live::build(template, look, style, duration, cx.fps, short(text)).map_err(at_text)?;
        for w in built.warnings {
            crate::base::report::warn(format_args!("text {:?}: {w}", short(text)));
        }
        return Ok(Arc::new(built.clip));
    };
    let rendered = crate::text::render(&style, fixed).map_err(at_text)?;
    let size = Size::new(rendered.frame.width(), rendered.frame.height());
    cx.hold(super::file::frame_bytes(size), spec.text.span())?;
    for w in rendered.warnings {
        crate::base::report::warn(format_args!("text {:?}: {w}", short(text)));
    }
    Ok(Arc::new(super::still::Still::new(
        "text",
        rendered.frame,
        duration,
    )))
}

/// The resolved style of a text clip (fonts found, numbers checked) and its look; the
/// style holds the look's values at the start, which are its values throughout when
/// the look is constant.
fn style(spec: &Spec, cx: &mut ResolveCx) -> Result<(TextStyle, Look), Diagnostic> {
    let look = Look::compile(spec, cx)?;
    let padding = padding(spec.padding.as_ref(), cx)?;
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
    let start = look.at(&Env::new(0.0, None, cx.fps));
    let style = TextStyle {
        face: face(spec, cx)?,
        font_size: start.font_size,
        line_spacing: start.line_spacing,
        ink: start.ink,
        background: start.background,
        padding,
        align: spec.align.unwrap_or(Align::Center),
        sizing,
    };
    Ok((style, look))
}

/// `padding`: whole pixels, or expressions of `[vars]`, fixed for the clip's life
/// (they size its box).
fn padding(raw: Option<&Spanned<RawPadding>>, cx: &ResolveCx) -> Result<Padding, Diagnostic> {
    let Some(raw) = raw else {
        return Ok(Padding::default());
    };
    let side = |p: &Spanned<RawParam>| -> Result<u32, Diagnostic> {
        if cx.param(p)?.as_constant().is_none() {
            return Err(
                Diagnostic::at("padding cannot change over time", p.span()).with_hint(
                    "a text's box is fixed when the scene loads: give whole pixels or an \
                     expression of [vars]; to move the text, animate its layer's `position`",
                ),
            );
        }
        let v = cx.constant(p, "padding", 0.0, true)?;
        if v > limits::MAX_SIDE as f64 {
            return Err(Diagnostic::at(
                format!(
                    "padding {} is outside 0..{}",
                    limits::shown(v),
                    limits::MAX_SIDE
                ),
                p.span(),
            ));
        }
        cx.pixels(p, "padding", 0.0)
    };
    let sides = match raw.get_ref() {
        RawPadding::All(p) => vec![side(&Spanned::new(raw.span(), p.clone()))?],
        RawPadding::Sides(v) => v.iter().map(side).collect::<Result<Vec<_>, _>>()?,
    };
    let (top, right, bottom, left) = match sides[..] {
        [s] => (s, s, s, s),
        [vertical, horizontal] => (vertical, horizontal, vertical, horizontal),
        [t, r, b, l] => (t, r, b, l),
        _ => return Err(Diagnostic::at("padding has 1, 2 or 4 numbers", raw.span())),
    };
    Ok(Padding {
        top,
        right,
        bottom,
        left,
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
    super::font::face(spec.font.as_ref(), weight, style, cx)
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
    fn a_look_that_does_not_change_is_drawn_once_too() {
        let src = r#"
[vars]
big = 40
[clip.title]
kind = "text"
text = "Equalized {big}"
font_size = "big / 2"
color = { keys = [[0, "red"], [1, "red"]] }
line_spacing = { keys = [[0, 1.5]] }
stroke = { width = "big / 20", color = "black" }
padding = ["big / 10", 2]
duration = 1
"#;
        let before = draws_on_this_thread();
        let scene = crate::scene::parse(src, std::path::Path::new("."), &[]).unwrap();
        assert_eq!(draws_on_this_thread() - before, 1);
        let cx = crate::clip::RenderCx::new(20.0);
        for i in 0..20 {
            scene.root.render(i as f64 / 20.0, &cx).unwrap();
        }
        assert_eq!(draws_on_this_thread() - before, 1);
    }
}
