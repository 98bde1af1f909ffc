//! Drawing laid-out glyphs from their outlines: tiny-skia fills them with anti-aliased
//! coverage straight into premultiplied pixels (no dark fringes on any background), and
//! strokes the same outlines for an outline under the fill.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use cosmic_text::fontdb::ID;
use cosmic_text::skrifa::instance::{LocationRef, Size as FontSize};
use cosmic_text::skrifa::outline::{DrawSettings, OutlinePen};
use cosmic_text::skrifa::{FontRef, GlyphId, MetadataProvider, Tag};
use cosmic_text::{Font, FontSystem, Weight};
use tiny_skia::{
    FillRule, IntRect, LineCap, LineJoin, Paint, Path, PathBuilder, Pixmap, Stroke, Transform,
};

use super::layout::Glyph;
use crate::base::color::Rgba;
use crate::base::limits::MAX_SIDE;

/// The slant given to an upright face standing in for a missing italic, as cosmic-text's
/// own renderer does.
const FAKE_ITALIC_DEGREES: f32 = 14.0;

/// How the ink looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    pub fill: Rgba,
    /// Outline colour and its width outside the glyph, in pixels.
    pub stroke: Option<(Rgba, f32)>,
}

/// Drawn text and where its pixel (0, 0) lies in layout coordinates.
pub struct Layer {
    pub pixmap: Pixmap,
    pub origin: (i32, i32),
}

thread_local! {
    static DRAWS: Cell<usize> = const { Cell::new(0) };
}

/// How many text layers this thread has drawn: shows that static text is drawn once
/// per clip, not once per frame.
pub fn draws_on_this_thread() -> usize {
    DRAWS.with(Cell::get)
}

/// A loaded font and the index of its face in the file.
type FaceData = (Arc<Font>, u32);

/// The glyphs' outlines as paths in layout coordinates, one path per run of glyphs from
/// the same font (a single path fills overlapping glyphs, as joined Arabic letters are,
/// without seams; fonts are kept apart because their contours may wind opposite ways).
pub fn outlines(fs: &mut FontSystem, glyphs: &[Glyph]) -> Vec<Path> {
    let mut fonts: HashMap<(ID, u16), Option<FaceData>> = HashMap::new();
    let mut paths = Vec::new();
    let mut builder = PathBuilder::new();
    let mut current: Option<ID> = None;
    for g in glyphs {
        if current != Some(g.font) {
            if let Some(p) = std::mem::take(&mut builder).finish() {
                paths.push(p);
            }
            current = Some(g.font);
        }
        let entry = fonts.entry((g.font, g.weight)).or_insert_with(|| {
            let index = fs.db().face(g.font)?.index;
            Some((fs.get_font(g.font, Weight(g.weight))?, index))
        });
        let Some((font, index)) = entry else { continue };
        let Ok(face) = FontRef::from_index(font.data(), *index) else {
            continue;
        };
        let Some(outline) = face.outline_glyphs().get(GlyphId::new(g.id.into())) else {
            continue;
        };
        let location = face
            .axes()
            .location([(Tag::new(b"wght"), f32::from(g.weight))]);
        let settings = DrawSettings::unhinted(FontSize::new(g.size), LocationRef::from(&location));
        let skew = if g.fake_italic {
            FAKE_ITALIC_DEGREES.to_radians().tan()
        } else {
            0.0
        };
        let mut pen = Pen {
            builder: &mut builder,
            x: g.x,
            y: g.y,
            skew,
        };
        // A glyph that fails to draw (a damaged font) is left out rather than failing
        // the whole text.
        let _ = outline.draw(settings, &mut pen);
    }
    if let Some(p) = builder.finish() {
        paths.push(p);
    }
    paths
}

/// Font units scaled to pixels (y up) into layout coordinates (y down).
struct Pen<'a> {
    builder: &'a mut PathBuilder,
    x: f32,
    y: f32,
    skew: f32,
}

impl Pen<'_> {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x + self.skew * y, self.y - y)
    }
}

impl OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.builder.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.builder.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let (cx0, cy0) = self.at(cx0, cy0);
        let (x, y) = self.at(x, y);
        self.builder.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let (cx0, cy0) = self.at(cx0, cy0);
        let (cx1, cy1) = self.at(cx1, cy1);
        let (x, y) = self.at(x, y);
        self.builder.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.builder.close();
    }
}

/// The drawn layer would exceed the frame size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    pub w: u64,
    pub h: u64,
}

/// Draws the outlines on a transparent layer just large enough for them (and their
/// outline); `None` when there is nothing to draw (spaces only).
pub fn draw(paths: &[Path], ink: &Ink) -> Result<Option<Layer>, TooLarge> {
    let Some((left, top, right, bottom)) = paths.iter().map(Path::bounds).fold(None, |acc, b| {
        let (l, t, r, btm) = acc.unwrap_or((b.left(), b.top(), b.right(), b.bottom()));
        Some((
            l.min(b.left()),
            t.min(b.top()),
            r.max(b.right()),
            btm.max(b.bottom()),
        ))
    }) else {
        return Ok(None);
    };
    // Control points bound the curves; one more pixel holds the anti-aliased edge.
    let margin = ink.stroke.map_or(0.0, |(_, w)| w) + 1.0;
    let x0 = (left - margin).floor();
    let y0 = (top - margin).floor();
    let x1 = (right + margin).ceil();
    let y1 = (bottom + margin).ceil();
    let (w, h) = ((x1 - x0) as u64, (y1 - y0) as u64);
    if w > MAX_SIDE as u64 || h > MAX_SIDE as u64 || !(x0.is_finite() && y0.is_finite()) {
        return Err(TooLarge { w, h });
    }
    let mut pixmap = Pixmap::new(w.max(1) as u32, h.max(1) as u32).ok_or(TooLarge { w, h })?;
    DRAWS.with(|d| d.set(d.get() + 1));
    let to_layer = Transform::from_translate(-x0, -y0);
    if let Some((color, width)) = ink.stroke {
        let stroke = Stroke {
            // centred on the glyph's edge: half of it is under the fill
            width: 2.0 * width,
            line_join: LineJoin::Round,
            line_cap: LineCap::Round,
            ..Stroke::default()
        };
        let paint = solid(color);
        for p in paths {
            pixmap.stroke_path(p, &paint, &stroke, to_layer, None);
        }
    }
    let paint = solid(ink.fill);
    for p in paths {
        pixmap.fill_path(p, &paint, FillRule::Winding, to_layer, None);
    }
    Ok(Some(Layer {
        pixmap,
        origin: (x0 as i32, y0 as i32),
    }))
}

fn solid(c: Rgba) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(c.to_skia());
    paint.anti_alias = true;
    paint
}

/// The smallest rectangle holding every pixel with any ink; `None` for an empty layer.
pub fn ink_bounds(p: &Pixmap) -> Option<IntRect> {
    let w = p.width() as usize;
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (y, row) in p.pixels().chunks(w).enumerate() {
        if let Some(first) = row.iter().position(|px| px.alpha() > 0) {
            let last = row.iter().rposition(|px| px.alpha() > 0).unwrap_or(first);
            x0 = x0.min(first);
            x1 = x1.max(last);
            y0 = y0.min(y);
            y1 = y;
        }
    }
    (x0 != usize::MAX).then(|| {
        IntRect::from_xywh(
            x0 as i32,
            y0 as i32,
            (x1 - x0 + 1) as u32,
            (y1 - y0 + 1) as u32,
        )
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f32, y: f32, s: f32) -> Path {
        let mut pb = PathBuilder::new();
        pb.push_rect(tiny_skia::Rect::from_xywh(x, y, s, s).unwrap());
        pb.finish().unwrap()
    }

    #[test]
    fn layer_holds_the_ink_and_the_outline() {
        let ink = Ink {
            fill: Rgba::WHITE,
            stroke: Some((Rgba::BLACK, 2.0)),
        };
        let layer = draw(&[square(10.0, 20.0, 4.0)], &ink).unwrap().unwrap();
        let b = ink_bounds(&layer.pixmap).unwrap();
        // the square spans 10..14, the outline 2 px more on each side: 8..16
        assert_eq!(
            (b.x() + layer.origin.0, b.y() + layer.origin.1),
            (8, 18),
            "{b:?} {:?}",
            layer.origin
        );
        assert_eq!((b.width(), b.height()), (8, 8));
        let px = |x: i32, y: i32| {
            let p = layer
                .pixmap
                .pixel((x - layer.origin.0) as u32, (y - layer.origin.1) as u32)
                .unwrap();
            [p.red(), p.green(), p.blue(), p.alpha()]
        };
        assert_eq!(px(12, 22), [255, 255, 255, 255]);
        assert_eq!(px(9, 22), [0, 0, 0, 255]);
    }

    #[test]
    fn partial_coverage_is_premultiplied_colour() {
        // a half-pixel-wide sliver of red: half coverage, premultiplied (no dark fringe)
        let mut pb = PathBuilder::new();
        pb.push_rect(tiny_skia::Rect::from_xywh(0.5, 0.0, 0.5, 4.0).unwrap());
        let ink = Ink {
            fill: Rgba([255, 0, 0, 255]),
            stroke: None,
        };
        let layer = draw(&[pb.finish().unwrap()], &ink).unwrap().unwrap();
        let p = layer.pixmap.pixel((-layer.origin.0) as u32, 2).unwrap();
        assert!((126..=129).contains(&p.alpha()), "{p:?}");
        assert_eq!(p.red(), p.alpha(), "{p:?}");
        assert_eq!(p.green(), 0);
    }

    #[test]
    fn nothing_to_draw_is_no_layer() {
        let ink = Ink {
            fill: Rgba::WHITE,
            stroke: None,
        };
        assert!(draw(&[], &ink).unwrap().is_none());
    }

    #[test]
    fn absurd_extents_are_refused_before_allocating() {
        let ink = Ink {
            fill: Rgba::WHITE,
            stroke: None,
        };
        let r = draw(&[square(0.0, 0.0, 40_000.0)], &ink);
        assert!(matches!(r, Err(TooLarge { .. })));
    }
}
