//! Text to pixels: fonts (`fonts`), shaping and line layout (`layout`), drawing glyph
//! outlines (`raster`), and here the framing: padding, background, and the two sizing
//! modes (fit the ink, or a given box with wrapping).
//!
//! [`render`] is a pure function of a style and a string, so a clip whose text changes
//! over time can call it per frame; a static text clip calls it once.

pub mod fonts;
pub mod layout;
pub mod raster;
pub mod stand_ins;
pub mod template;
mod unknown;

use crate::base::color::Rgba;
use crate::base::frame::{blank, Frame, Size};
use crate::base::limits::MAX_SIDE;
pub use fonts::FaceChoice;
pub use layout::Align;
pub use tiny_skia::IntRect;

/// Vertical placement of the text block in a given box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    Top,
    Center,
    Bottom,
}

impl VAlign {
    fn factor(self) -> f32 {
        match self {
            VAlign::Top => 0.0,
            VAlign::Center => 0.5,
            VAlign::Bottom => 1.0,
        }
    }
}

/// Space around the text, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Padding {
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
    pub left: u32,
}

/// How big the frame is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sizing {
    /// As big as the ink plus the padding: nothing is ever cut.
    Fit,
    /// A given size; lines wrap at its width less the padding.
    Box { size: Size, valign: VAlign },
    /// A size fixed in advance for text that changes: `ink` is the room kept for the
    /// ink around a still point (across, the point `align` picks on the widest line:
    /// its start, middle or end; down, the middle of the block of lines), plus the
    /// padding. Lines do not wrap; ink outside the room is cut, with a warning.
    Reserved { ink: IntRect },
}

/// Everything about a text clip but its string.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    pub face: FaceChoice,
    /// Em size in pixels.
    pub font_size: f32,
    /// Distance between baselines as a multiple of the font size.
    pub line_spacing: f32,
    pub ink: raster::Ink,
    pub background: Rgba,
    pub padding: Padding,
    pub align: Align,
    pub sizing: Sizing,
}

/// A drawn text and what the user should hear about it.
pub struct Rendered {
    pub frame: Frame,
    pub warnings: Vec<String>,
}

/// Text laid out and drawn, before it is framed.
struct Inked {
    laid: layout::Layout,
    layer: Option<raster::Layer>,
    warnings: Vec<String>,
}

/// The smallest em size that is drawn: below it a frame shows no text (and the shaper
/// must not see a size that rounds to 0).
pub const MIN_DRAWN_SIZE: f32 = 1.0;

/// Lays `text` out and draws its ink on a layer of its own.
fn ink(style: &TextStyle, text: &str) -> Result<Inked, String> {
    let line_height = style.font_size * style.line_spacing;
    if !(style.font_size >= MIN_DRAWN_SIZE && line_height > 0.0 && line_height.is_finite()) {
        return Ok(Inked {
            laid: layout::Layout::default(),
            layer: None,
            warnings: Vec::new(),
        });
    }
    let pad = style.padding;
    let wrap_width = match style.sizing {
        Sizing::Fit | Sizing::Reserved { .. } => None,
        Sizing::Box { size, .. } => Some(size.w.saturating_sub(pad.left + pad.right) as f32),
    };
    let params = layout::Params {
        face: &style.face,
        font_size: style.font_size,
        line_height,
        wrap_width,
        align: style.align,
    };
    let (laid, paths, mut missing) = {
        let mut fonts = fonts::lock();
        let (shown, missing) = fonts.drawable(text, &style.face);
        let laid = layout::lay_out(&mut fonts.system, &shown, &params);
        let paths = raster::outlines(&mut fonts.system, &laid.glyphs);
        (laid, paths, missing)
    };
    missing.extend(laid.missing.iter().filter(|c| **c != '\u{FFFD}'));
    missing.sort_unstable();
    missing.dedup();
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .take(8)
            // A control character is named, not written: it would act on the terminal.
            .map(|c| match c.is_control() {
                true => format!("U+{:04X}", *c as u32),
                false => format!("`{c}` (U+{:04X})", *c as u32),
            })
            .collect();
        let more = if missing.len() > 8 { ", …" } else { "" };
        warnings.push(format!(
            "no installed font can draw {}{more}; they are shown as `\u{FFFD}`",
            list.join(", ")
        ));
    }
    let layer = raster::draw(&paths, &style.ink).map_err(|t| too_large(t.w, t.h))?;
    Ok(Inked {
        laid,
        layer,
        warnings,
    })
}

impl Inked {
    /// The horizontal anchor of unwrapped text: where `align` pins the lines (the start,
    /// middle or end of the widest line), on a whole pixel so glyphs keep their look.
    fn anchor(&self, align: Align) -> i32 {
        (self.laid.width * align.factor()).round() as i32
    }

    /// The vertical anchor of unwrapped text: the middle of its block of lines, on a
    /// whole pixel. A text whose string changes keeps its lines (and so its first
    /// baseline) where they are; one whose size changes grows about its middle.
    fn anchor_y(&self) -> i32 {
        (self.laid.height / 2.0).round() as i32
    }

    /// The ink's bounds relative to the anchor: `align`'s point across, the middle of
    /// the block of lines down.
    fn anchored_bounds(&self, align: Align) -> Option<IntRect> {
        let layer = self.layer.as_ref()?;
        let b = raster::ink_bounds(&layer.pixmap)?;
        IntRect::from_xywh(
            b.x() + layer.origin.0 - self.anchor(align),
            b.y() + layer.origin.1 - self.anchor_y(),
            b.width(),
            b.height(),
        )
    }
}

/// Where the ink of `text` falls around the fixed point that
/// [`Sizing::Reserved`] keeps still (`None`: no ink), and the warnings drawing it
/// gives. A clip whose text changes measures the texts it expects with this, and
/// reserves their union.
pub fn measure(style: &TextStyle, text: &str) -> Result<(Option<IntRect>, Vec<String>), String> {
    let inked = ink(style, text)?;
    Ok((inked.anchored_bounds(style.align), inked.warnings))
}

/// Draws `text`. The only failure is a frame over the size limit.
pub fn render(style: &TextStyle, text: &str) -> Result<Rendered, String> {
    let pad = style.padding;
    let mut inked = ink(style, text)?;
    let mut warnings = std::mem::take(&mut inked.warnings);
    let frame = match style.sizing {
        Sizing::Fit => fit(inked.layer, pad, style.background)?,
        Sizing::Box { size, valign } => {
            let laid = &inked.laid;
            let inner_h = size.h.saturating_sub(pad.top + pad.bottom) as f32;
            if laid.height > inner_h + 0.5 {
                warnings.push(format!(
                    "the text needs {:.0} px of height but its box has {inner_h:.0} px inside \
                     the padding; lines that do not fit are cut",
                    laid.height.ceil()
                ));
            }
            let dy = ((inner_h - laid.height) * valign.factor()).round();
            let mut frame = background(size, style.background);
            if let Some(layer) = &inked.layer {
                let x = pad.left as i32 + layer.origin.0;
                let y = pad.top as i32 + dy as i32 + layer.origin.1;
                crate::base::pixel::over(&mut frame, &layer.pixmap, x as f64, y as f64, 1.0);
            }
            frame
        }
        Sizing::Reserved { ink } => {
            let size = reserved_size(ink, pad).map_err(|(w, h)| too_large(w, h))?;
            let mut frame = background(size, style.background);
            if let Some(b) = inked.anchored_bounds(style.align) {
                let inside = b.left() >= ink.left()
                    && b.top() >= ink.top()
                    && b.right() <= ink.right()
                    && b.bottom() <= ink.bottom();
                if !inside {
                    warnings.push(
                        "the text reaches outside the box measured for it when the scene \
                         was loaded, and is cut there; give the clip a `size` to set the box"
                            .to_string(),
                    );
                }
            }
            if let Some(layer) = &inked.layer {
                let x = pad.left as i32 + layer.origin.0 - inked.anchor(style.align) - ink.x();
                let y = pad.top as i32 + layer.origin.1 - inked.anchor_y() - ink.y();
                crate::base::pixel::over(&mut frame, &layer.pixmap, x as f64, y as f64, 1.0);
            }
            frame
        }
    };
    Ok(Rendered { frame, warnings })
}

/// The frame size that holds `ink` and the padding, or the too-large size.
pub fn reserved_size(ink: IntRect, pad: Padding) -> Result<Size, (u64, u64)> {
    let w = ink.width() as u64 + pad.left as u64 + pad.right as u64;
    let h = ink.height() as u64 + pad.top as u64 + pad.bottom as u64;
    if w > MAX_SIDE as u64 || h > MAX_SIDE as u64 {
        return Err((w, h));
    }
    Ok(Size::new(w as u32, h as u32))
}

/// The frame of a fitted text: the ink's bounding box plus the padding.
fn fit(layer: Option<raster::Layer>, pad: Padding, bg: Rgba) -> Result<Frame, String> {
    let ink = layer
        .as_ref()
        .and_then(|l| raster::ink_bounds(&l.pixmap).map(|b| (l, b)));
    let (ink_w, ink_h) = ink.map_or((0, 0), |(_, b)| (b.width(), b.height()));
    let w = ink_w as u64 + pad.left as u64 + pad.right as u64;
    let h = ink_h as u64 + pad.top as u64 + pad.bottom as u64;
    if w > MAX_SIDE as u64 || h > MAX_SIDE as u64 {
        return Err(too_large(w, h));
    }
    let mut frame = background(Size::new(w.max(1) as u32, h.max(1) as u32), bg);
    if let Some((layer, b)) = ink {
        let x = pad.left as i32 - b.x();
        let y = pad.top as i32 - b.y();
        crate::base::pixel::over(&mut frame, &layer.pixmap, x as f64, y as f64, 1.0);
    }
    Ok(frame)
}

fn background(size: Size, bg: Rgba) -> Frame {
    let mut frame = blank(size);
    if bg.0[3] > 0 {
        frame.fill(bg.to_skia());
    }
    frame
}

fn too_large(w: u64, h: u64) -> String {
    format!(
        "the text would be {w}x{h} pixels, over the limit of {MAX_SIDE} a side; use a smaller \
         `font_size`, or a `size` box that wraps lines"
    )
}

/// The text colour when the scene gives none: black on a light background, white
/// otherwise (on a transparent one too, as scenes default to a black canvas).
pub fn default_color(background: Rgba) -> Rgba {
    let [r, g, b, a] = background.0;
    let luminance = 0.2126 * r as f32 + 0.7152 * g as f32 + 0.0722 * b as f32;
    if a >= 128 && luminance > 127.5 {
        Rgba::BLACK
    } else {
        Rgba::WHITE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(sizing: Sizing, padding: Padding) -> TextStyle {
        let face = fonts::lock().choose(fonts::DEFAULT_FAMILY, 400, cosmic_text::Style::Normal);
        TextStyle {
            face,
            font_size: 24.0,
            line_spacing: 1.2,
            ink: raster::Ink {
                fill: Rgba::WHITE,
                stroke: None,
            },
            background: Rgba::TRANSPARENT,
            padding,
            align: Align::Center,
            sizing,
        }
    }

    fn alpha_at(f: &Frame, x: u32, y: u32) -> u8 {
        f.pixel(x, y).unwrap().alpha()
    }

    #[test]
    fn fitted_text_touches_every_edge_and_padding_is_empty() {
        let tight = render(&style(Sizing::Fit, Padding::default()), "Agjpqy ÅÉ").unwrap();
        let f = &tight.frame;
        let (w, h) = (f.width(), f.height());
        assert!((0..w).any(|x| alpha_at(f, x, 0) > 0));
        assert!((0..w).any(|x| alpha_at(f, x, h - 1) > 0));
        assert!((0..h).any(|y| alpha_at(f, 0, y) > 0));
        assert!((0..h).any(|y| alpha_at(f, w - 1, y) > 0));
        let pad = Padding {
            top: 3,
            right: 4,
            bottom: 5,
            left: 6,
        };
        let padded = render(&style(Sizing::Fit, pad), "Agjpqy ÅÉ").unwrap().frame;
        assert_eq!((padded.width(), padded.height()), (w + 10, h + 8));
        for y in 0..h {
            for x in 0..w {
                assert_eq!(f.pixel(x, y), padded.pixel(x + 6, y + 3));
            }
        }
    }

    #[test]
    fn box_text_is_wrapped_and_placed_by_valign() {
        let size = Size::new(120, 200);
        let top = Sizing::Box {
            size,
            valign: VAlign::Top,
        };
        let bottom = Sizing::Box {
            size,
            valign: VAlign::Bottom,
        };
        let text = "several words that wrap";
        let a = render(&style(top, Padding::default()), text).unwrap().frame;
        let b = render(&style(bottom, Padding::default()), text)
            .unwrap()
            .frame;
        assert_eq!((a.width(), a.height()), (120, 200));
        let rows = |f: &Frame| {
            (0..f.height())
                .filter(|&y| (0..f.width()).any(|x| alpha_at(f, x, y) > 0))
                .collect::<Vec<_>>()
        };
        let (ra, rb) = (rows(&a), rows(&b));
        assert!(ra[0] < 10 && *rb.last().unwrap() > 190, "{ra:?} {rb:?}");
        // more than one line of ink
        assert!(ra.last().unwrap() - ra[0] > 40, "{ra:?}");
    }

    #[test]
    fn empty_text_is_the_padding() {
        let pad = Padding {
            top: 2,
            right: 2,
            bottom: 2,
            left: 2,
        };
        let r = render(&style(Sizing::Fit, pad), "  ").unwrap();
        assert_eq!((r.frame.width(), r.frame.height()), (4, 4));
    }

    #[test]
    fn default_colour_contrasts_with_the_background() {
        assert_eq!(default_color(Rgba::WHITE), Rgba::BLACK);
        assert_eq!(default_color(Rgba([255, 255, 0, 255])), Rgba::BLACK);
        assert_eq!(default_color(Rgba::BLACK), Rgba::WHITE);
        assert_eq!(default_color(Rgba::TRANSPARENT), Rgba::WHITE);
        assert_eq!(default_color(Rgba([0, 0, 255, 255])), Rgba::WHITE);
    }
}
