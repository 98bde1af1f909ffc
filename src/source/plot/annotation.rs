//! Text at a place in a plot's data, matplotlib's `ax.text(x, y, s)` and
//! `ax.annotate(s, xy, xytext, arrowprops)`: a line of text whose place, words and
//! opacity may change over time, with an optional arrow to the point it is about.

use serde::Deserialize;
use tiny_skia::{FillRule, PathBuilder, Pixmap, Transform};
use toml::Spanned;

use super::dates_written::{self, Axis};
use crate::base::color::Rgba;
use crate::base::diag::Diagnostic;
use crate::chart::axes::Axes;
use crate::chart::fonts::Font;
use crate::chart::label::VAnchor;
use crate::chart::paint::{self, LineLook};
use crate::chart::style::{self, Cap, Dash, Dpi};
use crate::clip::build::ResolveCx;
use crate::expr::{Env, Param, RawParam};
use crate::text::template::Template;

/// The most annotations a plot may have.
pub const MAX_ANNOTATIONS: usize = 1000;
/// The largest font size, in points.
const MAX_FONT_SIZE: f64 = 1000.0;
/// The farthest offset, in points.
const MAX_OFFSET: f64 = 10_000.0;

/// `annotations = [{ … }]` in a plot.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationSpec {
    pub text: Spanned<String>,
    /// The point, in data units (dates on a date axis); may change over time.
    pub x: Spanned<RawParam>,
    pub y: Spanned<RawParam>,
    /// Where the text sits from the point: points right and up (`xytext` in
    /// matplotlib's "offset points").
    pub offset: Option<Spanned<[OffsetPoints; 2]>>,
    /// An arrow from the text to the point.
    pub arrow: Option<bool>,
    pub color: Option<Rgba>,
    /// Points, as matplotlib's `fontsize`.
    pub font_size: Option<Spanned<f64>>,
    pub opacity: Option<Spanned<RawParam>>,
    pub align: Option<Align>,
    pub valign: Option<VAlign>,
}

/// One end of an annotation's `offset`: a fixed number of points. An expression there
/// (a text that turns around its point) is answered with what moves instead.
#[derive(Debug, Clone, Copy)]
pub struct OffsetPoints(pub f64);

impl<'de> Deserialize<'de> for OffsetPoints {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = OffsetPoints;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of points")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<OffsetPoints, E> {
                Ok(OffsetPoints(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OffsetPoints, E> {
                Ok(OffsetPoints(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OffsetPoints, E> {
                Ok(OffsetPoints(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OffsetPoints, E> {
                Err(E::custom(format!(
                    "an annotation's `offset` is two fixed numbers of points, not an \
                     expression (`{v}`): what moves is its point, `x` and `y` (numbers, \
                     expressions of `t` or keyframes), and the text keeps its offset from it"
                )))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Which end of the text is at its place (matplotlib's `ha`).
#[derive(Deserialize, Debug, Clone, Copy, Default)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Which height of the text is at its place (matplotlib's `va`).
#[derive(Deserialize, Debug, Clone, Copy, Default)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    #[default]
    Baseline,
    Center,
    Top,
    Bottom,
}

/// A compiled annotation.
pub struct Annotation {
    text: Template,
    x: Param,
    y: Param,
    /// Pixels right and down from the point.
    offset: (f64, f64),
    arrow: bool,
    color: Option<Rgba>,
    /// Pixels.
    size: f64,
    opacity: Param,
    ha: f64,
    va: VAnchor,
    /// How a warning names it: "`first peak` (line 12, column 5)".
    named: String,
    /// Whether its point and offset are fixed, so that a text off the figure is a slip
    /// (a moving one may come in and go out on purpose).
    fixed: bool,
    /// Warned once that it is cut at the figure's edge, or wholly outside it.
    warned: std::sync::atomic::AtomicBool,
}

impl Annotation {
    /// Compiles one annotation; `x_axis` says whether x takes dates.
    pub fn compile(
        spec: &AnnotationSpec,
        x_axis: Axis,
        dpi: Dpi,
        cx: &ResolveCx,
    ) -> Result<Annotation, Diagnostic> {
        let text = spec.text.get_ref();
        if let Some(at) = text.find(['\n', '\r']) {
            let start = spec.text.span().start + 1 + at;
            return Err(
                Diagnostic::at("an annotation is one line of text", start..start + 1)
                    .with_hint("write one annotation per line, each with its own `offset`"),
            );
        }
        let point =
            |raw: &Spanned<RawParam>, what: &str, axis: Axis| -> Result<Param, Diagnostic> {
                match raw.get_ref() {
                    RawParam::Expr(e) => {
                        let e = dates_written::in_expression(e, what, axis, raw.span(), cx.source)?;
                        cx.param(&Spanned::new(raw.span(), RawParam::Expr(e.into_owned())))
                    }
                    _ => cx.param(raw),
                }
            };
        let numbers = Axis::Numbers("the y axis holds numbers");
        let size = match &spec.font_size {
            Some(s) if !(0.0..=MAX_FONT_SIZE).contains(s.get_ref()) || *s.get_ref() == 0.0 => {
                return Err(Diagnostic::at(
                    format!("a font size is more than 0 and at most {MAX_FONT_SIZE} points"),
                    s.span(),
                ))
            }
            Some(s) => dpi.pt(*s.get_ref()),
            None => dpi.pt(style::size::FONT),
        };
        let offset = match &spec.offset {
            Some(o)
                if o.get_ref()
                    .iter()
                    .any(|v| v.0.is_nan() || v.0.abs() > MAX_OFFSET) =>
            {
                return Err(Diagnostic::at(
                    format!("an offset is at most {MAX_OFFSET} points each way"),
                    o.span(),
                ))
            }
            Some(o) => (dpi.pt(o.get_ref()[0].0), -dpi.pt(o.get_ref()[1].0)),
            None => (0.0, 0.0),
        };
        let (x, y) = (point(&spec.x, "x", x_axis)?, point(&spec.y, "y", numbers)?);
        let (line, column) = cx.line_col(spec.text.span().start);
        let words: String = text.chars().take(40).collect();
        let more = if words.len() < text.len() { "…" } else { "" };
        Ok(Annotation {
            text: crate::source::chart_text::compile_with(&spec.text, cx, &["x", "y"])?,
            named: format!("`{words}{more}` (line {line}, column {column})"),
            fixed: x.as_constant().is_some() && y.as_constant().is_some(),
            warned: std::sync::atomic::AtomicBool::new(false),
            x,
            y,
            offset,
            arrow: spec.arrow.unwrap_or(false),
            color: spec.color,
            size,
            opacity: match &spec.opacity {
                Some(o) => cx.param(o)?,
                None => Param::constant(1.0),
            },
            ha: match spec.align.unwrap_or_default() {
                Align::Left => 0.0,
                Align::Center => 0.5,
                Align::Right => 1.0,
            },
            va: match spec.valign.unwrap_or_default() {
                VAlign::Baseline => VAnchor::Baseline,
                VAlign::Center => VAnchor::Center,
                VAlign::Top => VAnchor::Top,
                VAlign::Bottom => VAnchor::Bottom,
            },
        })
    }

    /// Draws the annotation at `env` on axes `axes`, in `font` (`ink` unless it has
    /// its own colour). Nothing is drawn where the point has no place (NaN, a log
    /// axis's 0) or the opacity is 0.
    pub fn draw(&self, pm: &mut Pixmap, axes: &Axes, font: &Font, ink: Rgba, env: &Env) {
        let opacity = self.opacity.eval(env);
        let opacity = if opacity.is_nan() {
            0.0
        } else {
            opacity.clamp(0.0, 1.0)
        };
        let (x, y) = (self.x.eval(env), self.y.eval(env));
        let (px, py) = axes.px(x, y);
        if opacity == 0.0 || !px.is_finite() || !py.is_finite() {
            return;
        }
        let color = super::style::with_alpha(self.color.unwrap_or(ink), opacity);
        let (tx, ty) = (px + self.offset.0, py + self.offset.1);
        if self.arrow {
            arrow(pm, (tx, ty), (px, py), self.size, color);
        }
        let mut text = String::new();
        self.text.write_with(env, &[x, y], &mut text);
        if !text.is_empty() {
            let shaped = font.shape(&text, self.size);
            if self.fixed {
                self.warn_if_off(&shaped, (tx, ty), (px, py), axes, pm);
            }
            shaped.draw(pm, tx, ty, self.ha, self.va, false, color);
        }
    }

    /// Warns, once, when the text `shaped` placed at `at` for the point `point` reaches
    /// past the edges of the figure `pm`: annotations are not cut at the axes, only at
    /// the figure's edge, where a point outside the data (a `y` above every value) or a
    /// long `offset` takes them silently.
    fn warn_if_off(
        &self,
        shaped: &crate::chart::label::Shaped,
        at: (f64, f64),
        point: (f64, f64),
        axes: &Axes,
        pm: &Pixmap,
    ) {
        let (a, d) = (shaped.lp.0 * shaped.size, shaped.lp.1 * shaped.size);
        let base = at.1
            + match self.va {
                VAnchor::Top => a,
                VAnchor::Baseline => 0.0,
                VAnchor::CenterBaseline => a / 2.0,
                VAnchor::Center => (a - d) / 2.0,
                VAnchor::Bottom => -d,
            };
        let (x0, y0) = (at.0 - self.ha * shaped.width, base - a);
        let (x1, y1) = (x0 + shaped.width, base + d);
        let (w, h) = (pm.width() as f64, pm.height() as f64);
        // half a pixel of slack: anti-aliasing reaches a little past the box
        let inside = x0 >= -0.5 && y0 >= -0.5 && x1 <= w + 0.5 && y1 <= h + 0.5;
        if inside || self.warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let seen = x1 > 0.0 && y1 > 0.0 && x0 < w && y0 < h;
        let r = axes.rect;
        let in_axes = point.0 >= r.x0 - 0.5
            && point.0 <= r.x1 + 0.5
            && point.1 >= r.y0 - 0.5
            && point.1 <= r.y1 + 0.5;
        let why = if in_axes {
            "its `offset` takes it there"
        } else {
            "its point is outside the axes: `x` and `y` are in the data's units"
        };
        crate::base::report::warn(format_args!(
            "the annotation {} {}; {why}",
            self.named,
            if seen {
                "is cut at the figure's edge"
            } else {
                "is outside the figure: nothing of it shows"
            }
        ));
    }
}

/// An arrow from near `from` (the text) to `to` (the point), its head at the point:
/// matplotlib's `arrowstyle="->"`, shortened a little at the text's end.
fn arrow(pm: &mut Pixmap, from: (f64, f64), to: (f64, f64), size: f64, color: Rgba) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = dx.hypot(dy);
    let gap = size * 0.4;
    if len <= gap * 2.0 {
        return;
    }
    let (ux, uy) = (dx / len, dy / len);
    let start = (from.0 + ux * gap, from.1 + uy * gap);
    let width = (size / 12.0).max(0.75);
    let look = LineLook {
        color,
        width,
        dash: Dash::Solid,
        cap: Cap::Butt,
    };
    let head = (size * 0.6).min(len - gap);
    let base = (to.0 - ux * head, to.1 - uy * head);
    paint::stroke(pm, &[start, base], &look, None);
    let half = head * 0.4;
    let mut pb = PathBuilder::new();
    pb.move_to(to.0 as f32, to.1 as f32);
    pb.line_to((base.0 - uy * half) as f32, (base.1 + ux * half) as f32);
    pb.line_to((base.0 + uy * half) as f32, (base.1 - ux * half) as f32);
    pb.close();
    if let Some(path) = pb.finish() {
        pm.fill_path(
            &path,
            &paint::paint(color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}
