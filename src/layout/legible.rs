//! Text that cannot be seen: a title drawn in the colour of the panel under it renders
//! without error and shows nothing. Layouts watch the text layers they draw and say
//! so, once per layer, the first time a frame shows it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::base::frame::Frame;
use crate::clip::Clip;

/// Glyph pixels count when at least this opaque (0–255): anti-aliased edges and
/// frames faded nearly out say nothing about the colour.
const INK_ALPHA: u8 = 160;
/// Under-pixels count when at least this opaque: over transparency the text shows on
/// whatever comes later, which this layout cannot know.
const UNDER_ALPHA: u8 = 250;
/// The largest channel difference (0–255) at which ink and what is under it count as
/// the same colour: white on #e0e0e0 is hard to read.
pub const SAME_COLOUR: u8 = 40;
/// Fewer glyph pixels than this give no verdict.
const MIN_INK: usize = 8;
/// Text counts as invisible when fewer than 1 in this many of its glyph pixels stand
/// out from what is under them.
const VISIBLE_SHARE: usize = 20;
/// Text counts as invisible too when fewer than 1 in this many of its glyph pixels stand
/// out and its mean ink colour is that of what is under it.
const MOSTLY_LOST: usize = 2;

/// One text layer of a layout, watched for ink that vanishes into what is under it.
pub struct Legibility {
    /// Names the layer in the warning: "text `title` (line 12)".
    what: String,
    warned: AtomicBool,
}

/// A verdict on one frame: the text's mean ink colour and the mean colour under it.
struct Invisible {
    ink: [u8; 3],
    under: [u8; 3],
}

impl Legibility {
    /// A watch for `clip` when it is a text (or an effect on one), named `what`.
    pub fn for_clip(clip: &dyn Clip, what: impl FnOnce() -> String) -> Option<Legibility> {
        is_text(clip).then(|| Legibility {
            what: what(),
            warned: AtomicBool::new(false),
        })
    }

    /// Looks at `text` as it is about to be drawn at (`x`, `y`) over `under`, and warns
    /// (once) when its glyphs cannot be told from what is under them. The layer's
    /// opacity is left out: a fade is meant to be faint.
    pub fn check(&self, under: &Frame, text: &Frame, x: f64, y: f64) {
        if self.warned.load(Ordering::Relaxed) {
            return;
        }
        let Some(v) = invisible(under, text, x, y) else {
            return;
        };
        if !self.warned.swap(true, Ordering::Relaxed) {
            crate::base::report::warn(format_args!(
                "{} cannot be seen: its colour {} is drawn over {}, too close to tell apart \
                 (hint: give the text a `color` that stands out, as `color = \"black\"` over \
                 a plot, a `stroke` or a `background`; a text without `color` takes the one \
                 that stands out on `[output] background`, not on the layers under it. For a \
                 faint text on purpose, as a watermark, give it a colour that stands out and \
                 the layer an `opacity`, which is not checked)",
                self.what,
                hex(v.ink),
                hex(v.under),
            ));
        }
    }
}

/// Whether `clip` draws text: a text clip, or effects on one.
fn is_text(clip: &dyn Clip) -> bool {
    if clip.kind() == "text" {
        return true;
    }
    let mut next = single_input(clip);
    // Effects nest at most `MAX_NESTING` deep; this bound only keeps the walk finite.
    for _ in 0..crate::base::limits::MAX_NESTING {
        let Some(c) = next else { return false };
        if c.kind() == "text" {
            return true;
        }
        next = single_input(c.as_ref());
    }
    false
}

/// The one clip an effect works on; `None` for layouts and clips of several inputs.
fn single_input(clip: &dyn Clip) -> Option<Arc<dyn Clip>> {
    if matches!(clip.kind(), "grid" | "composite" | "sequence") {
        return None;
    }
    let mut children = clip.children();
    (children.len() == 1).then(|| children.remove(0).clip)
}

/// Mean colours when almost no glyph pixel of `text` at (`x`, `y`) stands out from the
/// opaque pixels of `under` beneath it; `None` when the text shows or too little of it
/// lies over opaque pixels to say.
fn invisible(under: &Frame, text: &Frame, x: f64, y: f64) -> Option<Invisible> {
    if !x.is_finite() || !y.is_finite() || boxed(text) {
        return None;
    }
    let (ox, oy) = (x.round() as i64, y.round() as i64);
    let (uw, uh) = (under.width() as i64, under.height() as i64);
    let (tw, th) = (text.width() as i64, text.height() as i64);
    let (up, tp) = (under.pixels(), text.pixels());
    let (mut ink, mut shown) = (0usize, 0usize);
    let (mut ink_sum, mut under_sum) = ([0u64; 3], [0u64; 3]);
    // Only the part of the text over the frame; most text pixels are clear and cost a
    // comparison each.
    let (tx0, tx1) = ((-ox).clamp(0, tw), (uw - ox).clamp(0, tw));
    for ty in (-oy).clamp(0, th)..(uh - oy).clamp(0, th) {
        let uy = oy + ty;
        for tx in tx0..tx1 {
            let ux = ox + tx;
            let (t, u) = (tp[(ty * tw + tx) as usize], up[(uy * uw + ux) as usize]);
            if t.alpha() < INK_ALPHA || u.alpha() < UNDER_ALPHA {
                continue;
            }
            let (t, u) = (t.demultiply(), u.demultiply());
            let (tc, uc) = (
                [t.red(), t.green(), t.blue()],
                [u.red(), u.green(), u.blue()],
            );
            ink += 1;
            if (0..3).any(|c| tc[c].abs_diff(uc[c]) > SAME_COLOUR) {
                shown += 1;
            }
            for c in 0..3 {
                ink_sum[c] += tc[c] as u64;
                under_sum[c] += uc[c] as u64;
            }
        }
    }
    if ink < MIN_INK {
        return None;
    }
    let mean = |s: [u64; 3]| s.map(|v| (v / ink as u64) as u8);
    let (ink_mean, under_mean) = (mean(ink_sum), mean(under_sum));
    // A white caption over a white plot shows only where it crosses the curve or the
    // axes' frame: a few glyph pixels stand out, the words cannot be read (newcomer10:
    // 14 of 16 such captions passed). Most of the ink lost, and the ink on average the
    // colour of what is under it, is as unreadable. A stroke or a shadow in another
    // colour moves the ink's mean away, so an outlined text still passes.
    let lost = shown * MOSTLY_LOST < ink
        && (0..3).all(|c| ink_mean[c].abs_diff(under_mean[c]) <= SAME_COLOUR);
    if shown * VISIBLE_SHARE >= ink && !lost {
        return None;
    }
    Some(Invisible {
        ink: ink_mean,
        under: under_mean,
    })
}

/// Whether the text is drawn on a box of its own (`background`): its four corners are
/// opaque. Its glyphs then stand out from the box or not whatever is under it, and a
/// box the colour of the panel under it is a choice, not a vanished title.
fn boxed(text: &Frame) -> bool {
    let (w, h) = (text.width(), text.height());
    [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]
        .iter()
        .all(|&(x, y)| text.pixel(x, y).is_some_and(|p| p.alpha() >= UNDER_ALPHA))
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{filled, Size};

    fn frame(w: u32, h: u32, rgba: [u8; 4]) -> Frame {
        filled(
            Size::new(w, h),
            tiny_skia::Color::from_rgba8(rgba[0], rgba[1], rgba[2], rgba[3]),
        )
    }

    /// Glyphs without a box: a corner clear.
    fn glyphs(w: u32, h: u32, rgba: [u8; 4]) -> Frame {
        let mut f = frame(w, h, rgba);
        f.pixels_mut()[0] = tiny_skia::PremultipliedColorU8::TRANSPARENT;
        f
    }

    #[test]
    fn white_on_white_is_invisible_and_black_on_white_is_not() {
        let under = frame(20, 20, [255, 255, 255, 255]);
        let v = invisible(&under, &glyphs(10, 10, [250, 250, 250, 255]), 5.0, 5.0).unwrap();
        assert_eq!(
            (hex(v.ink), hex(v.under)),
            ("#fafafa".into(), "#ffffff".into())
        );
        assert!(invisible(&under, &glyphs(10, 10, [0, 0, 0, 255]), 5.0, 5.0).is_none());
        // A box of its own (opaque corners): the glyphs are judged against the box.
        assert!(invisible(&under, &frame(10, 10, [250, 250, 250, 255]), 5.0, 5.0).is_none());
    }

    #[test]
    fn white_on_white_crossed_by_a_curve_is_invisible_but_outlined_text_is_not() {
        // A white plot with a blue curve through the text's row 4 of 10.
        let mut under = frame(20, 20, [255, 255, 255, 255]);
        {
            let y = 9;
            for x in 0..20 {
                under.pixels_mut()[y * 20 + x] =
                    tiny_skia::ColorU8::from_rgba(31, 119, 180, 255).premultiply();
            }
        }
        let white = glyphs(10, 10, [255, 255, 255, 255]);
        // 10 % of the glyph pixels stand out (more than 1 in 20), the rest is white on
        // white.
        assert!(invisible(&under, &white, 5.0, 5.0).is_some());
        // White letters with a black outline: half the ink is black, its mean grey.
        let mut outlined = white.clone();
        for p in outlined.pixels_mut().iter_mut().skip(1).step_by(2) {
            *p = tiny_skia::ColorU8::from_rgba(0, 0, 0, 255).premultiply();
        }
        assert!(invisible(&under, &outlined, 5.0, 5.0).is_none());
    }

    #[test]
    fn over_transparency_or_faded_out_there_is_no_verdict() {
        let clear = frame(20, 20, [0, 0, 0, 0]);
        assert!(invisible(&clear, &glyphs(10, 10, [0, 0, 0, 255]), 0.0, 0.0).is_none());
        let under = frame(20, 20, [255, 255, 255, 255]);
        assert!(invisible(&under, &glyphs(10, 10, [255, 255, 255, 100]), 0.0, 0.0).is_none());
        // Off the frame: nothing to compare; partly over it: the part over it counts.
        assert!(invisible(&under, &glyphs(10, 10, [255, 255, 255, 255]), 40.0, 0.0).is_none());
        assert!(invisible(&under, &glyphs(10, 10, [255, 255, 255, 255]), 15.0, -5.0).is_some());
    }
}
