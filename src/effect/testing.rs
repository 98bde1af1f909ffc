//! Test helpers: clips with known pixels, and effects built from TOML text.

use std::path::Path;
use std::sync::Arc;

use toml::de::DeValue;

use super::EffectSpec;
use crate::base::de::typed;
use crate::base::diag::Diagnostic;
use crate::base::frame::{blank, filled, Frame, RenderResult, Size};
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, RenderCx};
use crate::expr::Scope;

/// A frame-based source at 10 fps: pixel (x, y) at time t is
/// `[10x, 10y, frame index, 255]`, so every pixel says where and when it came from.
/// Like the file sources, a time within 1e-8 s below a frame start counts as that
/// frame, and times past the last frame show the last one.
pub struct Pattern {
    pub size: Size,
    pub duration: Option<f64>,
}

impl Clip for Pattern {
    fn kind(&self) -> &'static str {
        "pattern"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, t: f64, _cx: &RenderCx) -> RenderResult {
        assert!(t >= 0.0, "rendered at negative time {t}");
        if let Some(d) = self.duration {
            assert!(t < d, "rendered at t = {t}, not before the end {d}");
        }
        let mut f = blank(self.size);
        let mut index = (t * 10.0 + 1e-7).floor();
        if let Some(d) = self.duration {
            index = index.min((d * 10.0 - 1e-7).ceil() - 1.0);
        }
        let index = index as u8;
        for y in 0..self.size.h {
            for x in 0..self.size.w {
                set(&mut f, x, y, [10 * x as u8, 10 * y as u8, index, 255]);
            }
        }
        Ok(f)
    }
}

pub fn pattern(w: u32, h: u32, duration: Option<f64>) -> Arc<dyn Clip> {
    Arc::new(Pattern {
        size: Size::new(w, h),
        duration,
    })
}

/// A solid colour given as premultiplied bytes.
pub struct Solid {
    pub size: Size,
    pub rgba: [u8; 4],
    pub duration: Option<f64>,
}

impl Clip for Solid {
    fn kind(&self) -> &'static str {
        "solid"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        self.duration
    }
    fn render(&self, _t: f64, _cx: &RenderCx) -> RenderResult {
        let [r, g, b, a] = self.rgba;
        let c = tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a).expect("premultiplied");
        let mut f = filled(self.size, tiny_skia::Color::TRANSPARENT);
        f.pixels_mut().fill(c);
        Ok(f)
    }
}

pub fn solid(w: u32, h: u32, rgba: [u8; 4], duration: Option<f64>) -> Arc<dyn Clip> {
    Arc::new(Solid {
        size: Size::new(w, h),
        rgba,
        duration,
    })
}

/// A still clip showing `frame`.
pub struct Still(pub Frame, pub Option<f64>);

impl Clip for Still {
    fn kind(&self) -> &'static str {
        "still"
    }
    fn size(&self) -> Size {
        Size::new(self.0.width(), self.0.height())
    }
    fn duration(&self) -> Option<f64> {
        self.1
    }
    fn render(&self, _t: f64, _cx: &RenderCx) -> RenderResult {
        Ok(self.0.clone())
    }
}

/// A frame from rows of premultiplied pixels.
pub fn frame(rows: &[&[[u8; 4]]]) -> Frame {
    let mut f = blank(Size::new(rows[0].len() as u32, rows.len() as u32));
    for (y, row) in rows.iter().enumerate() {
        for (x, p) in row.iter().enumerate() {
            set(&mut f, x as u32, y as u32, *p);
        }
    }
    f
}

pub fn still(rows: &[&[[u8; 4]]]) -> Arc<dyn Clip> {
    Arc::new(Still(frame(rows), None))
}

pub fn set(f: &mut Frame, x: u32, y: u32, p: [u8; 4]) {
    let i = ((y * f.width() + x) * 4) as usize;
    f.data_mut()[i..i + 4].copy_from_slice(&p);
}

pub fn px(f: &Frame, x: u32, y: u32) -> [u8; 4] {
    let i = ((y * f.width() + x) * 4) as usize;
    f.data()[i..i + 4].try_into().unwrap()
}

/// Every pixel, row by row.
pub fn pixels(f: &Frame) -> Vec<[u8; 4]> {
    f.data()
        .chunks_exact(4)
        .map(|c| c.try_into().unwrap())
        .collect()
}

pub const CX: RenderCx<'static> = RenderCx::new(10.0);

pub fn render(clip: &Arc<dyn Clip>, t: f64) -> Frame {
    clip.render(t, &CX).expect("render")
}

/// Builds the effect written as a TOML value (`{ resize = 0.5 }`, `"mirror_x"`) on `input`.
/// Diagnostic spans index into `text`.
pub fn effect(text: &str, input: Arc<dyn Clip>) -> Result<Arc<dyn Clip>, Diagnostic> {
    let value = DeValue::parse(text).expect("valid TOML value");
    let span = value.span();
    let spec: EffectSpec = typed(value)?;
    let mut cx = ResolveCx::new(
        Path::new("."),
        Scope::default(),
        crate::scene::resolve::build_clip,
    );
    super::build(spec, input, &mut cx).map_err(|d| d.or_span(span))
}

/// Like [`effect`], for effects that must build.
pub fn ok(text: &str, input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    match effect(text, input) {
        Ok(c) => c,
        Err(d) => panic!("{text}: {}", d.message),
    }
}

/// The error an effect gives, with the text its span covers.
pub fn err(text: &str, input: Arc<dyn Clip>) -> (String, String) {
    match effect(text, input) {
        Ok(_) => panic!("{text}: expected an error"),
        Err(d) => {
            let at = d.span.map(|s| text[s].to_string()).unwrap_or_default();
            (d.message, at)
        }
    }
}

#[test]
fn pattern_snaps_like_a_file_source() {
    let p = pattern(1, 1, Some(0.25));
    let at = |t: f64| px(&render(&p, t), 0, 0)[2];
    assert_eq!(
        [
            at(0.0),
            at(0.0999999999),
            at(0.1),
            at(0.19),
            at(0.2),
            at(0.2499)
        ],
        [0, 1, 1, 1, 2, 2]
    );
}
