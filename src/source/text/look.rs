//! The look of a text clip that may change over time: font size, line spacing, the
//! fill, background and outline colours, and the outline's width. Each is a constant or
//! an animated parameter; [`Look::at`] gives their values at one instant, brought into
//! range, and those values (with the text) are what a drawn frame depends on.

use toml::Spanned;

use super::spec::Spec;
use super::{
    DEFAULT_FONT_SIZE, DEFAULT_LINE_SPACING, MAX_FONT_SIZE, MAX_LINE_SPACING, MAX_STROKE,
    MIN_FONT_SIZE, MIN_LINE_SPACING,
};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::expr::{AnimatedColor, Env, Param, RawParam};
use crate::text::raster::Ink;
use crate::text::{default_color, TextStyle};

/// The compiled look of a text clip.
pub struct Look {
    font_size: Param,
    line_spacing: Param,
    /// `None`: black or white, whichever contrasts with the background at that instant.
    fill: Option<AnimatedColor>,
    background: AnimatedColor,
    /// The scene's `[output] background`: what a text without a background of its own
    /// most likely shows on, so its default colour contrasts with that.
    under: Rgba,
    /// `None`: no outline.
    stroke: Option<(AnimatedColor, Param)>,
}

/// The look at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Values {
    /// The em size in pixels; 0 when no text is drawn at this instant (a size under a
    /// pixel, or a value that is not a number).
    pub font_size: f32,
    pub line_spacing: f32,
    pub ink: Ink,
    pub background: Rgba,
}

/// [`Values`] compared bit for bit, for caches and sets.
pub type ValuesKey = (u32, u32, [u8; 4], [u8; 4], Option<([u8; 4], u32)>);

impl Values {
    pub fn key(&self) -> ValuesKey {
        (
            self.font_size.to_bits(),
            self.line_spacing.to_bits(),
            self.ink.fill.0,
            self.background.0,
            self.ink.stroke.map(|(c, w)| (c.0, w.to_bits())),
        )
    }

    /// `base` (the face, padding, alignment and sizing) with these values.
    pub fn style(&self, base: &TextStyle) -> TextStyle {
        TextStyle {
            font_size: self.font_size,
            line_spacing: self.line_spacing,
            ink: self.ink,
            background: self.background,
            ..base.clone()
        }
    }
}

impl Look {
    /// Compiles the look's keys. A value that does not change is checked against its
    /// range here, as an error; one that changes is brought into range at each frame.
    pub fn compile(spec: &Spec, cx: &ResolveCx) -> Result<Look, Diagnostic> {
        let font_size = number(
            cx,
            spec.font_size.as_ref(),
            DEFAULT_FONT_SIZE,
            ("font_size", MIN_FONT_SIZE, MAX_FONT_SIZE, "pixels"),
        )?;
        let line_spacing = number(
            cx,
            spec.line_spacing.as_ref(),
            DEFAULT_LINE_SPACING,
            (
                "line_spacing",
                MIN_LINE_SPACING,
                MAX_LINE_SPACING,
                "(a multiple of the font size)",
            ),
        )?;
        let color = |raw: &Option<Spanned<_>>, default: Rgba| match raw {
            Some(c) => AnimatedColor::compile(c, &cx.scope),
            None => Ok(AnimatedColor::constant(default)),
        };
        let background = color(&spec.background, Rgba::TRANSPARENT)?;
        let fill = match (&spec.color, background.as_constant()) {
            (Some(c), _) => Some(AnimatedColor::compile(c, &cx.scope)?),
            (None, Some(bg)) => Some(AnimatedColor::constant(default_color(shown_on(
                bg,
                cx.background,
            )))),
            (None, None) => None,
        };
        let stroke = match &spec.stroke {
            Some(s) => {
                let s = s.get_ref();
                let width = number(
                    cx,
                    s.width.as_ref(),
                    1.0,
                    ("stroke width", 0.0, MAX_STROKE, "pixels"),
                )?;
                let color = color(&s.color, Rgba::BLACK)?;
                // A constant width of 0 draws no outline.
                (width.as_constant() != Some(0.0)).then_some((color, width))
            }
            None => None,
        };
        Ok(Look {
            font_size,
            line_spacing,
            fill,
            background,
            under: cx.background,
            stroke,
        })
    }

    /// Whether the look is the same at every instant: the text is then drawn once
    /// (unless its string changes).
    pub fn is_constant(&self) -> bool {
        self.font_size.as_constant().is_some()
            && self.line_spacing.as_constant().is_some()
            && self
                .fill
                .as_ref()
                .is_some_and(|f| f.as_constant().is_some())
            && self.background.as_constant().is_some()
            && self
                .stroke
                .as_ref()
                .is_none_or(|(c, w)| c.as_constant().is_some() && w.as_constant().is_some())
    }

    /// The times of the keyframes of the values that change the text's size: where
    /// they may peak between two frames.
    pub fn key_times(&self) -> Vec<f64> {
        let mut times = self.font_size.key_times().to_vec();
        times.extend_from_slice(self.line_spacing.key_times());
        if let Some((_, w)) = &self.stroke {
            times.extend_from_slice(w.key_times());
        }
        times
    }

    /// The values at `env`: the font size at most [`MAX_FONT_SIZE`] (under
    /// [`MIN_FONT_SIZE`]: no text), the line spacing and the outline's width clamped to
    /// their ranges. A value that is not a number (`0/0`) draws no text at that instant.
    pub fn at(&self, env: &Env) -> Values {
        let size = self.font_size.eval(env);
        let spacing = self.line_spacing.eval(env);
        let background = self.background.eval(env);
        let fill = self.fill.as_ref().map_or_else(
            || default_color(shown_on(background, self.under)),
            |f| f.eval(env),
        );
        let mut drawn = size >= MIN_FONT_SIZE && !spacing.is_nan();
        let stroke = self.stroke.as_ref().and_then(|(c, w)| {
            let width = w.eval(env);
            drawn &= !width.is_nan();
            let width = width.clamp(0.0, MAX_STROKE);
            (width > 0.0).then(|| (c.eval(env), width as f32))
        });
        Values {
            font_size: if drawn {
                size.min(MAX_FONT_SIZE) as f32
            } else {
                0.0
            },
            line_spacing: if drawn {
                spacing.clamp(MIN_LINE_SPACING, MAX_LINE_SPACING) as f32
            } else {
                0.0
            },
            ink: Ink { fill, stroke },
            background,
        }
    }
}

/// What a text's default colour must contrast with: its own background where that is
/// mostly opaque, else the scene's.
fn shown_on(background: Rgba, scene: Rgba) -> Rgba {
    if background.0[3] >= 128 {
        background
    } else {
        scene
    }
}

/// A numeric value of the look: the default when absent; when constant, checked to lie
/// in `min..=max` (`what`, `min`, `max` and the unit name it in messages).
fn number(
    cx: &ResolveCx,
    raw: Option<&Spanned<RawParam>>,
    default: f64,
    (what, min, max, unit): (&str, f64, f64, &str),
) -> Result<Param, Diagnostic> {
    let Some(raw) = raw else {
        return Ok(Param::constant(default));
    };
    let p = cx.param(raw)?;
    if p.as_constant().is_none() {
        return Ok(p);
    }
    let v = cx.constant(raw, what, min, true)?;
    if v > max {
        return Err(Diagnostic::at(
            format!(
                "{what} {} is too large: at most {max} {unit}",
                crate::base::limits::shown(v)
            ),
            raw.span(),
        ));
    }
    Ok(Param::constant(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Scope;

    fn look(keys: &str) -> Result<Look, Diagnostic> {
        let src = format!("text = \"x\"\n{keys}");
        let table = toml::de::DeTable::parse(&src).unwrap();
        let spec: Spec = crate::clip::build::spec(table.into_inner(), 0..src.len())?;
        let cx = ResolveCx::new(
            std::path::Path::new("."),
            Scope::with_vars([("big", 40.0)]),
            crate::scene::resolve::build_clip,
        );
        Look::compile(&spec, &cx)
    }

    fn at(look: &Look, t: f64) -> Values {
        look.at(&Env::new(t, Some(2.0), 10.0))
    }

    #[test]
    fn constant_keys_make_a_constant_look() {
        for keys in [
            "",
            "font_size = \"big / 2\"\ncolor = \"red\"\nstroke = { width = 2 }",
            "font_size = { keys = [[0, 20], [1, 20]] }\nbackground = { keys = [[0, \"red\"], [1, \"red\"]] }",
        ] {
            assert!(look(keys).unwrap().is_constant(), "{keys}");
        }
        let l = look("font_size = \"big / 2\"").unwrap();
        assert_eq!(at(&l, 0.0).font_size, 20.0);
    }

    #[test]
    fn animated_values_follow_time_and_stay_in_range() {
        let l = look("font_size = { keys = [[0, 20], [1, 40]] }").unwrap();
        assert!(!l.is_constant());
        assert_eq!(at(&l, 0.0).font_size, 20.0);
        assert_eq!(at(&l, 0.5).font_size, 30.0);
        assert_eq!(at(&l, 1.5).font_size, 40.0);
        assert_eq!(l.key_times(), [0.0, 1.0]);
        let l = look("font_size = \"10000 * t\"").unwrap();
        assert_eq!(at(&l, 0.0).font_size, 0.0, "under a pixel: no text");
        assert_eq!(at(&l, 1.0).font_size, MAX_FONT_SIZE as f32);
        let l = look("line_spacing = \"t - 1\"\nstroke = { width = \"300 * t - 1\" }").unwrap();
        let v = at(&l, 0.0);
        assert_eq!(v.line_spacing, MIN_LINE_SPACING as f32);
        assert_eq!(v.ink.stroke, None);
        let v = at(&l, 1.5);
        assert_eq!(v.ink.stroke.unwrap().1, MAX_STROKE as f32);
    }

    #[test]
    fn not_a_number_draws_no_text() {
        for keys in [
            "font_size = \"30 + 0 / (t - 1)\"",
            "line_spacing = \"1 + 0 / (t - 1)\"",
            "stroke = { width = \"1 + 0 / (t - 1)\" }",
        ] {
            let l = look(keys).unwrap();
            assert_eq!(at(&l, 1.0).font_size, 0.0, "{keys}");
            assert!(at(&l, 0.5).font_size > 0.0, "{keys}");
        }
    }

    #[test]
    fn colours_change_and_the_default_fill_contrasts_at_each_instant() {
        let l = look("color = { keys = [[0, \"red\"], [1, \"blue\"]] }").unwrap();
        assert!(!l.is_constant());
        assert_eq!(at(&l, 0.0).ink.fill, Rgba([255, 0, 0, 255]));
        assert_eq!(at(&l, 1.0).ink.fill, Rgba([0, 0, 255, 255]));
        let l = look("background = { keys = [[0, \"white\"], [1, \"black\"]] }").unwrap();
        assert_eq!(at(&l, 0.0).ink.fill, Rgba::BLACK);
        assert_eq!(at(&l, 1.0).ink.fill, Rgba::WHITE);
        let l = look("stroke = { color = { keys = [[0, \"red\"], [1, \"lime\"]] } }").unwrap();
        assert_eq!(at(&l, 1.0).ink.stroke, Some((Rgba([0, 255, 0, 255]), 1.0)));
    }

    #[test]
    fn constant_values_out_of_range_are_errors() {
        for (keys, msg) in [
            ("font_size = 0", "font_size must be at least 1, not 0"),
            ("font_size = \"200 * big\"", "font_size 8000 is too large"),
            ("line_spacing = 11", "line_spacing 11 is too large"),
            ("stroke = { width = -1 }", "stroke width must be at least 0"),
            ("stroke = { width = 300 }", "stroke width 300 is too large"),
        ] {
            let e = look(keys).err().unwrap_or_else(|| panic!("{keys}"));
            assert!(e.message.contains(msg), "{keys}: {}", e.message);
        }
        // a constant 0 is no outline at all
        assert!(look("stroke = { width = 0 }").unwrap().stroke.is_none());
    }
}
