//! How a 3-D source looks: one colour or a colormap, the light, shading, lines over
//! the mesh, the outline box, the background and antialiasing. Compiled once;
//! colours and line widths may change over time and are evaluated per frame by
//! [`Look::at`] (a constant one costs a copy).

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::camera::{LightParams, LightSpec};
use super::{colormap, ShadingSpec, Toggle, DEFAULT_ANTIALIAS, MAX_SAMPLES};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::base::limits::shown;
use crate::clip::build::ResolveCx;
use crate::expr::{AnimatedColor, Env, Param, RawColor, RawParam};
use crate::render3d::draw::{LineStyle, MeshStyle, Shading};
use crate::render3d::shade::{Lut, Paint};

/// The widest line, in pixels.
pub const MAX_WIDTH: f64 = 100.0;
/// Lines thinner than this are drawn this thin.
const MIN_WIDTH: f64 = 0.1;

/// `mesh_lines = true` or `{ color, width, every }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LinesSpec {
    color: Option<Spanned<RawColor>>,
    width: Option<Spanned<RawParam>>,
    every: Option<Spanned<RawParam>>,
}

/// `outline = true` or `{ color, width }`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OutlineSpec {
    color: Option<Spanned<RawColor>>,
    width: Option<Spanned<RawParam>>,
}

/// The keys of a 3-D source's look, as written (each source declares them itself).
pub struct LookSpec<'a> {
    pub color: Option<&'a Spanned<RawColor>>,
    pub colormap: Option<&'a Spanned<String>>,
    /// Without `color` and `colormap`: this colour, or else the default colormap.
    pub default_color: Option<Rgba>,
    pub light: Option<&'a LightSpec>,
    pub shading: Option<ShadingSpec>,
    pub wireframe: bool,
    pub mesh_lines: Option<&'a Toggle<LinesSpec>>,
    pub outline: Option<&'a Toggle<OutlineSpec>>,
    pub background: Option<&'a Spanned<RawColor>>,
    pub antialias: Option<&'a Spanned<RawParam>>,
}

/// A line width in pixels, possibly changing with time.
#[derive(Clone, Debug)]
pub struct Width(Param);

impl Width {
    pub fn constant(v: f64) -> Width {
        Width(Param::constant(v))
    }

    /// Compiles a width; a constant one must be more than 0 and at most
    /// [`MAX_WIDTH`]. `None` gives `default`.
    pub fn compile(
        raw: Option<&Spanned<RawParam>>,
        default: f64,
        cx: &ResolveCx,
    ) -> Result<Width, Diagnostic> {
        let Some(raw) = raw else {
            return Ok(Width::constant(default));
        };
        let p = cx.param(raw)?;
        match p.as_constant() {
            Some(v) if v <= 0.0 || v > MAX_WIDTH => Err(Diagnostic::at(
                format!(
                    "width must be more than 0 and at most {MAX_WIDTH} pixels, not {}",
                    shown(v)
                ),
                raw.span(),
            )),
            _ => Ok(Width(p)),
        }
    }

    /// The width at `env`, at least [`MIN_WIDTH`] and at most [`MAX_WIDTH`]; `None`
    /// (nothing drawn) where it is 0 or less, or NaN.
    pub fn at(&self, env: &Env) -> Option<f64> {
        let v = self.0.eval(env);
        (v > 0.0).then(|| v.clamp(MIN_WIDTH, MAX_WIDTH))
    }
}

/// Lines drawn along mesh edges.
pub struct Lines {
    /// `None`: the mesh's own lit colours (a wireframe).
    pub color: Option<AnimatedColor>,
    pub width: Width,
    pub every: usize,
}

/// The bounding box's edges.
pub struct Outline {
    /// `None`: black or white, whichever stands out on the background at the time.
    color: Option<AnimatedColor>,
    width: Width,
}

/// One colour, or a colormap (its range is chosen per frame).
pub enum Painter {
    Solid(AnimatedColor),
    Map(Arc<Lut>),
}

/// How a 3-D source looks, compiled.
pub struct Look {
    paint: Painter,
    /// A colormap placed by the logarithm (`norm = "log"`).
    log: bool,
    light: LightParams,
    shading: Shading,
    wireframe: bool,
    lines: Option<Lines>,
    outline: Option<Outline>,
    background: AnimatedColor,
    pub antialias: usize,
}

/// How a 3-D source looks in one frame.
pub struct FrameLook {
    pub style: MeshStyle,
    pub outline: Option<LineStyle>,
    /// Premultiplied, as stored in frames.
    pub background: [u8; 4],
}

impl Look {
    pub fn compile(
        s: LookSpec,
        size: crate::base::frame::Size,
        cx: &ResolveCx,
    ) -> Result<Look, Diagnostic> {
        let color = |raw: &Spanned<RawColor>| AnimatedColor::compile(raw, &cx.scope);
        let paint =
            match (s.color, s.colormap) {
                (Some(_), Some(map)) => return Err(Diagnostic::at(
                    "give either `color` (one colour) or `colormap` (colour by height), not both",
                    map.span(),
                )),
                (Some(c), None) => Painter::Solid(color(c)?),
                (None, Some(name)) => Painter::Map(colormap(name)?),
                (None, None) => match s.default_color {
                    Some(c) => Painter::Solid(AnimatedColor::constant(c)),
                    None => Painter::Map(
                        colormap(&Spanned::new(0..0, super::DEFAULT_COLORMAP.to_string()))
                            .expect("default colormap exists"),
                    ),
                },
            };
        let background = match s.background {
            Some(b) => color(b)?,
            None => AnimatedColor::constant(cx.background),
        };
        let antialias = match s.antialias {
            Some(a) => cx.count(a, "antialias", 1, 4)? as u32,
            None => DEFAULT_ANTIALIAS,
        };
        let samples = size.w as u64 * size.h as u64 * (antialias * antialias) as u64;
        if samples > MAX_SAMPLES {
            let msg = format!(
                "a {size} frame with antialias = {antialias} needs {samples} samples, more than the {MAX_SAMPLES} allowed"
            );
            let d = match s.antialias {
                Some(a) => Diagnostic::at(msg, a.span()),
                None => Diagnostic::new(msg),
            };
            return Err(d.with_hint("lower `antialias` or the size"));
        }
        let lines = match s.mesh_lines.and_then(|t| t.0.as_ref()) {
            Some(l) => Some(Lines {
                color: match &l.color {
                    Some(c) => Some(color(c)?),
                    None => (!s.wireframe).then(|| AnimatedColor::constant(Rgba::BLACK)),
                },
                width: Width::compile(l.width.as_ref(), 1.0, cx)?,
                every: match &l.every {
                    Some(e) => cx.count(e, "every", 1, 100_000)? as usize,
                    None => 1,
                },
            }),
            None if s.wireframe => Some(Lines {
                color: None,
                width: Width::constant(1.0),
                every: 1,
            }),
            None => None,
        };
        let outline = match s.outline.and_then(|t| t.0.as_ref()) {
            Some(o) => Some(Outline {
                color: o.color.as_ref().map(color).transpose()?,
                width: Width::compile(o.width.as_ref(), 1.0, cx)?,
            }),
            None => None,
        };
        Ok(Look {
            paint,
            log: false,
            light: LightParams::compile(s.light, cx)?,
            shading: match s.shading {
                Some(ShadingSpec::Flat) => Shading::Flat,
                _ => Shading::Smooth,
            },
            wireframe: s.wireframe,
            lines,
            outline,
            background,
            antialias: antialias as usize,
        })
    }

    /// The look with its colormap placed by the logarithm of the values
    /// (`norm = "log"`, matplotlib's `LogNorm`).
    pub fn with_log(self, log: bool) -> Look {
        Look { log, ..self }
    }

    /// Whether the look colours by a colormap (not one colour).
    pub fn has_map(&self) -> bool {
        matches!(self.paint, Painter::Map(_))
    }

    /// Every n-th grid line drawn (`mesh_lines.every`).
    pub fn every(&self) -> usize {
        self.lines.as_ref().map_or(1, |l| l.every)
    }

    /// The look at `env`, colours spanning heights `lo..hi`.
    pub fn at(&self, env: &Env, lo: f64, hi: f64) -> FrameLook {
        let background = self.background.eval(env);
        let lines = self
            .lines
            .as_ref()
            .and_then(|l| Some((l.color.as_ref(), l.width.at(env)?)));
        let style = MeshStyle {
            paint: match &self.paint {
                Painter::Solid(c) => Paint::Solid(unit_rgb(c.eval(env))),
                Painter::Map(lut) => Paint::Map {
                    lut: lut.clone(),
                    lo,
                    hi,
                    log: self.log,
                },
            },
            light: self.light.at(env),
            shading: self.shading,
            fill: !self.wireframe,
            // A wireframe whose width is 0 at this instant draws nothing.
            wire_width: lines.map_or(0.0, |(_, w)| w),
            mesh_lines: match lines {
                Some((Some(color), width)) if !self.wireframe => Some(LineStyle {
                    color: unit_rgb(color.eval(env)),
                    width,
                }),
                _ => None,
            },
        };
        let outline = self.outline.as_ref().and_then(|o| {
            Some(LineStyle {
                width: o.width.at(env)?,
                color: o
                    .color
                    .as_ref()
                    .map_or_else(|| contrast(background), |c| unit_rgb(c.eval(env))),
            })
        });
        FrameLook {
            style,
            outline,
            background: background.premultiplied(),
        }
    }
}

/// Straight RGB in 0..=1 (alpha is not used: 3-D fills and lines are opaque).
pub fn unit_rgb(c: Rgba) -> [f32; 3] {
    let [r, g, b, _] = c.0;
    [r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0]
}

/// Black on light backgrounds, white on dark ones.
fn contrast(bg: Rgba) -> [f32; 3] {
    let [r, g, b, a] = bg.0;
    let luma = (0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32) * a as f32 / 255.0;
    if a < 128 || luma > 128.0 {
        [0.0; 3]
    } else {
        [1.0; 3]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::de::typed;
    use crate::expr::Scope;
    use toml::de::DeValue;

    fn parse<T: serde::de::DeserializeOwned>(text: &str) -> T {
        typed(DeValue::parse(text).unwrap()).unwrap()
    }

    fn cx() -> ResolveCx<'static> {
        ResolveCx::new(
            std::path::Path::new("."),
            Scope::default(),
            crate::scene::resolve::build_clip,
        )
    }

    fn spec<'a>() -> LookSpec<'a> {
        LookSpec {
            color: None,
            colormap: None,
            default_color: None,
            light: None,
            shading: None,
            wireframe: false,
            mesh_lines: None,
            outline: None,
            background: None,
            antialias: None,
        }
    }

    fn at(t: f64) -> Env {
        Env::new(t, Some(1.0), 10.0)
    }

    const SIZE: crate::base::frame::Size = crate::base::frame::Size { w: 10, h: 10 };

    #[test]
    fn keyframed_colours_change_per_frame() {
        let color: Spanned<RawColor> = parse("{ keys = [[0, \"red\"], [1, \"blue\"]] }");
        let bg: Spanned<RawColor> = parse("{ keys = [[0, \"white\"], [1, \"black\"]] }");
        let outline: Toggle<OutlineSpec> = Toggle(Some(OutlineSpec::default()));
        let look = Look::compile(
            LookSpec {
                color: Some(&color),
                background: Some(&bg),
                outline: Some(&outline),
                ..spec()
            },
            SIZE,
            &cx(),
        )
        .unwrap();
        let start = look.at(&at(0.0), 0.0, 1.0);
        assert_eq!(start.style.paint, Paint::Solid([1.0, 0.0, 0.0]));
        assert_eq!(start.background, [255, 255, 255, 255]);
        // The default outline stands out on the background of the moment.
        assert_eq!(start.outline.unwrap().color, [0.0; 3]);
        let end = look.at(&at(1.0), 0.0, 1.0);
        assert_eq!(end.style.paint, Paint::Solid([0.0, 0.0, 1.0]));
        assert_eq!(end.background, [0, 0, 0, 255]);
        assert_eq!(end.outline.unwrap().color, [1.0; 3]);
    }

    #[test]
    fn animated_widths_and_line_colours() {
        let lines: Toggle<LinesSpec> =
            parse("{ width = \"4 * t\", color = { keys = [[0, \"black\"], [1, \"white\"]] } }");
        let look = Look::compile(
            LookSpec {
                mesh_lines: Some(&lines),
                ..spec()
            },
            SIZE,
            &cx(),
        )
        .unwrap();
        // Width 0 at t = 0: no lines.
        assert_eq!(look.at(&at(0.0), 0.0, 1.0).style.mesh_lines, None);
        let l = look.at(&at(0.5), 0.0, 1.0).style.mesh_lines.unwrap();
        assert_eq!(l.width, 2.0);
        assert_eq!(l.color, unit_rgb(Rgba([99, 99, 99, 255])));
        // A wireframe whose width is NaN draws nothing that frame.
        let lines: Toggle<LinesSpec> = parse("{ width = \"1 / (t - 0.5)\" }");
        let look = Look::compile(
            LookSpec {
                mesh_lines: Some(&lines),
                wireframe: true,
                ..spec()
            },
            SIZE,
            &cx(),
        )
        .unwrap();
        assert_eq!(look.at(&at(0.5), 0.0, 1.0).style.wire_width, 0.0);
        assert_eq!(look.at(&at(1.0), 0.0, 1.0).style.wire_width, 2.0);
        assert_eq!(look.at(&at(0.501), 0.0, 1.0).style.wire_width, MAX_WIDTH);
    }

    #[test]
    fn constant_widths_and_counts_are_checked() {
        let err = |text: &str| {
            let lines: Toggle<LinesSpec> = parse(text);
            Look::compile(
                LookSpec {
                    mesh_lines: Some(&lines),
                    ..spec()
                },
                SIZE,
                &cx(),
            )
            .err()
            .map(|d| d.message)
        };
        assert_eq!(err("{ width = 0.05, every = \"2 * 3\" }"), None);
        assert_eq!(
            err("{ width = 0 }").unwrap(),
            "width must be more than 0 and at most 100 pixels, not 0"
        );
        assert_eq!(
            err("{ every = 2.5 }").unwrap(),
            "every must be a whole number, not 2.5"
        );
        assert_eq!(
            err("{ every = \"t\" }").unwrap(),
            "every cannot change over time"
        );
    }
}
