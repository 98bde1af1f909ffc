//! GIF transparency is on or off per pixel: a half-transparent box has no GIF of its
//! own. Before frames of a transparent render reach the GIF encoder, every partly
//! transparent pixel is made either opaque (its own colour) or transparent, by a fixed
//! rule the user chose, and the user is told once that it happened.
//!
//! Both rules look at one pixel and its place only, so the GIF is the same whatever
//! `--threads` is and in whatever order frames were rendered; frames whose pixels
//! were all opaque or clear pass through unchanged (flat graphics stay lossless).

use std::sync::Arc;

use crate::base::error::RenderError;
use crate::base::frame::Frame;
use crate::render::sink::{FrameSink, FrameWork, Worked};

/// How partly transparent pixels become on/off for GIF (`--gif-alpha`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GifAlpha {
    /// Ordered (Bayer 8×8) dithering: a pixel of alpha `a` is opaque at about `a`/255 of
    /// the places, so a 50 % box shows as half of its pixels; the pattern stays still
    /// from frame to frame.
    #[default]
    Dither,
    /// Opaque from alpha 128 (50 %) up, else transparent: crisp edges, faint things vanish.
    Threshold,
}

/// The 8×8 Bayer matrix: thresholds 0..64 spread so that any alpha lights an even
/// pattern.
const BAYER8: [[u8; 8]; 8] = [
    [0, 32, 8, 40, 2, 34, 10, 42],
    [48, 16, 56, 24, 50, 18, 58, 26],
    [12, 44, 4, 36, 14, 46, 6, 38],
    [60, 28, 52, 20, 62, 30, 54, 22],
    [3, 35, 11, 43, 1, 33, 9, 41],
    [51, 19, 59, 27, 49, 17, 57, 25],
    [15, 47, 7, 39, 13, 45, 5, 37],
    [63, 31, 55, 23, 61, 29, 53, 21],
];

/// Whether a pixel of alpha `a` at (`x`, `y`) is opaque under `rule`.
fn shown(rule: GifAlpha, a: u8, x: usize, y: usize) -> bool {
    match rule {
        GifAlpha::Threshold => a >= 128,
        // Threshold (t + 0.5) / 64 of the full scale: alpha 255 always shows, 0 never.
        GifAlpha::Dither => (a as u32) * 64 > (BAYER8[y % 8][x % 8] as u32) * 255 + 127,
    }
}

/// Makes every partly transparent pixel of `frame` opaque (its straight colour) or
/// clear; returns how many there were.
pub fn on_off(frame: &mut Frame, rule: GifAlpha) -> usize {
    let w = frame.width() as usize;
    let mut partial = 0;
    for (i, px) in frame.pixels_mut().iter_mut().enumerate() {
        let a = px.alpha();
        if a == 0 || a == 255 {
            continue;
        }
        partial += 1;
        *px = if shown(rule, a, i % w, i / w) {
            let c = px.demultiply();
            tiny_skia::PremultipliedColorU8::from_rgba(c.red(), c.green(), c.blue(), 255)
                .expect("opaque colours are valid premultiplied")
        } else {
            tiny_skia::PremultipliedColorU8::TRANSPARENT
        };
    }
    partial
}

/// A GIF sink of a transparent render with [`on_off`] in front of it.
pub struct OnOff {
    inner: Box<dyn FrameSink>,
    rule: GifAlpha,
    told: bool,
}

impl OnOff {
    pub fn new(inner: Box<dyn FrameSink>, rule: GifAlpha) -> OnOff {
        OnOff {
            inner,
            rule,
            told: false,
        }
    }
}

impl OnOff {
    /// Says once that partial alpha was changed, at the first frame (in order) that had it.
    fn tell(&mut self, index: u64, partial: usize) {
        if partial == 0 || self.told {
            return;
        }
        // Frames arrive in order, so this is the first such frame whatever --threads is.
        self.told = true;
        let how = match self.rule {
            GifAlpha::Dither => "dithered (a pattern of opaque and clear pixels)",
            GifAlpha::Threshold => "made opaque from 50 % alpha up and clear below",
        };
        crate::base::report::warn(format_args!(
            "GIF has only on/off transparency: partly transparent pixels (from frame {index}) \
             are {how}; --gif-alpha dither|threshold chooses, --background COLOR flattens \
             onto a colour instead"
        ));
    }
}

/// [`on_off`] on the render workers, before the GIF's own work on the frame: the
/// palette and the encoding then see the frames as the GIF will show them.
struct OnOffWork {
    inner: Arc<dyn FrameWork>,
    rule: GifAlpha,
}

impl FrameWork for OnOffWork {
    fn work(&self, index: u64, mut frame: Frame) -> Result<Worked, RenderError> {
        let partial = on_off(&mut frame, self.rule);
        let worked = self.inner.work(index, frame)?;
        Ok(Box::new((partial, worked)))
    }

    fn stop(&self) {
        self.inner.stop()
    }
}

impl FrameSink for OnOff {
    fn push(&mut self, index: u64, mut frame: Frame) -> Result<(), RenderError> {
        let partial = on_off(&mut frame, self.rule);
        self.tell(index, partial);
        self.inner.push(index, frame)
    }

    fn finish(self: Box<Self>) -> Result<(), RenderError> {
        self.inner.finish()
    }

    fn sample_size(&self) -> usize {
        self.inner.sample_size()
    }

    fn sample(&mut self, frames: &[(u64, &Frame)]) -> Result<(), RenderError> {
        let shown: Vec<(u64, Frame)> = frames
            .iter()
            .map(|(i, f)| {
                let mut f = (*f).clone();
                on_off(&mut f, self.rule);
                (*i, f)
            })
            .collect();
        let refs: Vec<(u64, &Frame)> = shown.iter().map(|(i, f)| (*i, f)).collect();
        self.inner.sample(&refs)
    }

    fn work(&self) -> Option<Arc<dyn FrameWork>> {
        let inner = self.inner.work()?;
        Some(Arc::new(OnOffWork {
            inner,
            rule: self.rule,
        }))
    }

    fn push_worked(&mut self, index: u64, worked: Worked) -> Result<(), RenderError> {
        let (partial, worked) = *worked.downcast::<(usize, Worked)>().map_err(|_| {
            RenderError(format!(
                "internal error: frame {index} was worked elsewhere"
            ))
        })?;
        self.tell(index, partial);
        self.inner.push_worked(index, worked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{filled, Size};

    fn box_of(alpha: u8) -> Frame {
        filled(
            Size::new(16, 16),
            tiny_skia::Color::from_rgba8(255, 0, 0, alpha),
        )
    }

    fn opaque_share(f: &Frame) -> f64 {
        f.pixels().iter().filter(|p| p.alpha() == 255).count() as f64 / 256.0
    }

    #[test]
    fn dithering_shows_about_alpha_of_the_pixels_in_their_own_colour() {
        for (alpha, share) in [(128, 0.5), (64, 0.25), (255, 1.0), (1, 0.0), (254, 1.0)] {
            let mut f = box_of(alpha);
            let n = on_off(&mut f, GifAlpha::Dither);
            assert_eq!(n, if alpha == 255 { 0 } else { 256 });
            assert!(f
                .pixels()
                .iter()
                .all(|p| p.alpha() == 0 || p.alpha() == 255));
            assert!(
                (opaque_share(&f) - share).abs() <= 1.0 / 64.0,
                "{alpha}: {}",
                opaque_share(&f)
            );
            let shown = f.pixels().iter().find(|p| p.alpha() == 255);
            if let Some(p) = shown {
                assert_eq!((p.red(), p.green(), p.blue()), (255, 0, 0));
            }
        }
    }

    #[test]
    fn the_threshold_cuts_at_half() {
        let mut f = box_of(128);
        on_off(&mut f, GifAlpha::Threshold);
        assert_eq!(opaque_share(&f), 1.0);
        let mut f = box_of(127);
        on_off(&mut f, GifAlpha::Threshold);
        assert_eq!(opaque_share(&f), 0.0);
    }
}
