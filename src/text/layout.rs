//! Shaping and line layout: a string in, glyphs at pixel positions out.
//!
//! cosmic-text does the hard parts (bidi, shaping, per-cluster font fallback, line
//! breaking); this module asks it for left-aligned lines and aligns them itself, because
//! cosmic-text aligns each paragraph on its own and the lines of a title must be aligned
//! with each other.

use cosmic_text::fontdb::ID;
use cosmic_text::{
    Attrs, Buffer, CacheKeyFlags, Family, FontSystem, Metrics, Shaping, Weight, Wrap,
};

use super::fonts::FaceChoice;

/// Horizontal placement of lines (and of the text block in a box).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    /// The share of the free space that goes before the line.
    pub fn factor(self) -> f32 {
        match self {
            Align::Left => 0.0,
            Align::Center => 0.5,
            Align::Right => 1.0,
        }
    }
}

/// What to lay out with.
pub struct Params<'a> {
    pub face: &'a FaceChoice,
    /// The em size in pixels.
    pub font_size: f32,
    /// Distance between baselines in pixels.
    pub line_height: f32,
    /// Lines wrap at this width; `None` breaks only at newlines.
    pub wrap_width: Option<f32>,
    pub align: Align,
}

/// One glyph, ready to draw: (x, y) is its origin on the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub font: ID,
    pub id: u16,
    pub x: f32,
    pub y: f32,
    pub size: f32,
    /// The weight the face is drawn at (matters for variable fonts).
    pub weight: u16,
    /// The face has no italic: slant the upright one.
    pub fake_italic: bool,
    /// Byte range of the cluster in the source text, for reporting missing characters.
    pub cluster: std::ops::Range<usize>,
}

/// Laid-out text: glyphs in visual order per line, and the block they occupy.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub glyphs: Vec<Glyph>,
    /// The width lines were aligned in: the wrap width, or the widest line.
    pub width: f32,
    /// The lines' heights added up.
    pub height: f32,
    pub lines: usize,
    /// Characters no known font has a glyph for (drawn as the font's "missing" box).
    pub missing: Vec<char>,
}

/// Shapes and lays `text` out with the fonts known to `fs`.
pub fn lay_out(fs: &mut FontSystem, text: &str, p: &Params) -> Layout {
    let mut buffer = Buffer::new(fs, Metrics::new(p.font_size, p.line_height));
    buffer.set_wrap(
        fs,
        if p.wrap_width.is_some() {
            Wrap::WordOrGlyph
        } else {
            Wrap::None
        },
    );
    buffer.set_size(fs, p.wrap_width, None);
    let attrs = Attrs::new()
        .family(Family::Name(&p.face.family))
        .weight(Weight(p.face.weight))
        .style(p.face.style);
    buffer.set_text(
        fs,
        text,
        &attrs,
        Shaping::Advanced,
        Some(cosmic_text::Align::Left),
    );
    buffer.shape_until_scroll(fs, false);

    let runs: Vec<_> = buffer.layout_runs().collect();
    let width = p
        .wrap_width
        .unwrap_or_else(|| runs.iter().map(|r| r.line_w).fold(0.0, f32::max));
    let mut glyphs = Vec::new();
    let mut missing = Vec::new();
    let mut height: f32 = 0.0;
    // Byte offset of each paragraph in `text`, to report clusters in its terms.
    let starts = paragraph_starts(text);
    for run in &runs {
        height = height.max(run.line_top + run.line_height);
        let shift = (width - run.line_w) * p.align.factor();
        // Whole-pixel baselines keep horizontal stems crisp.
        let baseline = run.line_y.round();
        let offset = starts.get(run.line_i).copied().unwrap_or(0);
        for g in run.glyphs {
            if g.glyph_id == 0 {
                missing.extend(
                    run.text[g.start..g.end]
                        .chars()
                        .filter(|c| !c.is_whitespace()),
                );
            }
            glyphs.push(Glyph {
                font: g.font_id,
                id: g.glyph_id,
                x: g.x + g.font_size * g.x_offset + shift,
                y: baseline + g.y - g.font_size * g.y_offset,
                size: g.font_size,
                weight: g.font_weight.0,
                fake_italic: g.cache_key_flags.contains(CacheKeyFlags::FAKE_ITALIC),
                cluster: offset + g.start..offset + g.end,
            });
        }
    }
    missing.sort_unstable();
    missing.dedup();
    Layout {
        glyphs,
        width,
        height,
        lines: runs.len(),
        missing,
    }
}

/// Byte offsets where each line of `text` starts, splitting like cosmic-text does
/// (`\n`, `\r\n`, `\r`).
fn paragraph_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fonts::{self, DEFAULT_FAMILY};

    fn layout(text: &str, align: Align, wrap: Option<f32>) -> Layout {
        let mut f = fonts::lock();
        let face = f.choose(DEFAULT_FAMILY, 400, cosmic_text::Style::Normal);
        lay_out(
            &mut f.system,
            text,
            &Params {
                face: &face,
                font_size: 20.0,
                line_height: 24.0,
                wrap_width: wrap,
                align,
            },
        )
    }

    #[test]
    fn lines_are_aligned_with_each_other() {
        let left = layout("WWWW\ni", Align::Left, None);
        let right = layout("WWWW\ni", Align::Right, None);
        let center = layout("WWWW\ni", Align::Center, None);
        assert_eq!(left.lines, 2);
        let i_x = |l: &Layout| l.glyphs.last().unwrap().x;
        assert!(i_x(&left) < 1.0, "{}", i_x(&left));
        assert!(i_x(&right) > left.width - 10.0, "{}", i_x(&right));
        let mid = (i_x(&left) + i_x(&right)) / 2.0;
        assert!((i_x(&center) - mid).abs() < 0.01);
        // baselines are whole pixels, one line height apart
        let y0 = left.glyphs[0].y;
        assert_eq!(y0, y0.round());
        assert_eq!(left.glyphs.last().unwrap().y - y0, 24.0);
        assert_eq!(left.height, 48.0);
    }

    #[test]
    fn wrapping_breaks_at_the_width() {
        let l = layout("aaaa bbbb cccc", Align::Left, Some(60.0));
        assert!(l.lines >= 2, "{} lines", l.lines);
        assert!(l.glyphs.iter().all(|g| g.x < 60.0));
        assert_eq!(l.width, 60.0);
    }

    #[test]
    fn clusters_point_into_the_source_text() {
        let text = "ab\r\ncd";
        let l = layout(text, Align::Left, None);
        let chars: String = l.glyphs.iter().map(|g| &text[g.cluster.clone()]).collect();
        assert_eq!(chars, "abcd");
    }

    #[test]
    fn hebrew_runs_right_to_left() {
        // alef, bet, gimel in logical order: alef must be drawn rightmost
        let text = "אבג";
        let l = layout(text, Align::Left, None);
        assert_eq!(l.glyphs.len(), 3);
        assert!(l.missing.is_empty(), "{:?}", l.missing);
        let x_of = |c: char| {
            l.glyphs
                .iter()
                .find(|g| text[g.cluster.clone()].starts_with(c))
                .unwrap()
                .x
        };
        assert!(x_of('א') > x_of('ב') && x_of('ב') > x_of('ג'));
    }
}
