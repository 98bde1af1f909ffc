//! The one frame type of the pipeline and its conversions at the edges: premultiplied
//! RGBA8 (tiny-skia's `Pixmap`) inside, straight alpha in decoders and encoders.

pub use tiny_skia::Pixmap as Frame;

use super::error::RenderError;

/// Width and height in pixels; both are at least 1 once a scene is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub w: u32,
    pub h: u32,
}

impl Size {
    pub fn new(w: u32, h: u32) -> Size {
        Size { w, h }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.w, self.h)
    }
}

/// A rendered frame, or why there is none.
pub type RenderResult = Result<Frame, RenderError>;

/// A new transparent frame; sizes are validated at resolve time, so this cannot fail
/// for a resolved clip.
pub fn blank(size: Size) -> Frame {
    Frame::new(size.w.max(1), size.h.max(1)).expect("frame size validated at resolve time")
}

/// A frame filled with one (premultiplied) colour. Written in one pass (not zeroed
/// first, then filled): a large frame made every frame costs two memory passes less.
pub fn filled(size: Size, color: tiny_skia::Color) -> Frame {
    let (w, h) = (size.w.max(1), size.h.max(1));
    let c = color.premultiply().to_color_u8();
    let row = [c.red(), c.green(), c.blue(), c.alpha()].repeat(w as usize);
    let mut data = Vec::with_capacity(row.len() * h as usize);
    for _ in 0..h {
        data.extend_from_slice(&row);
    }
    let size = tiny_skia::IntSize::from_wh(w, h).expect("frame size validated at resolve time");
    Frame::from_vec(data, size).expect("frame size validated at resolve time")
}

/// The premultiplied value of straight colour channel `s` under alpha `a`, rounded to
/// nearest: the one rounding every conversion into frames uses.
#[inline]
pub fn premultiply_channel(s: u8, a: u8) -> u8 {
    ((s as u32 * a as u32 + 127) / 255) as u8
}

/// The straight value of premultiplied channel `c` under alpha `a > 0`, rounded to
/// nearest.
#[inline]
pub fn unpremultiply_channel(c: u8, a: u8) -> u8 {
    ((c as u32 * 255 + a as u32 / 2) / a as u32).min(255) as u8
}

/// Straight-alpha RGBA bytes to premultiplied, in place, rounding to nearest: what
/// decoders give to what frames hold.
pub fn premultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        let a = px[3];
        if a < 255 {
            for c in &mut px[..3] {
                *c = premultiply_channel(*c, a);
            }
        }
    }
}

/// Premultiplied RGBA bytes to straight alpha, in place, rounding to nearest: what
/// frames hold to what encoders store. Fully transparent pixels become (0, 0, 0, 0).
pub fn unpremultiply(rgba: &mut [u8]) {
    for px in rgba.chunks_exact_mut(4) {
        match px[3] {
            255 => {}
            0 => px[..3].fill(0),
            a => {
                for c in &mut px[..3] {
                    *c = unpremultiply_channel(*c, a);
                }
            }
        }
    }
}

/// A frame from straight-alpha RGBA bytes (what decoders produce), premultiplied.
/// `rgba` holds exactly `size.w * size.h * 4` bytes.
pub fn frame_from_straight(size: Size, rgba: &[u8]) -> Frame {
    let mut frame = blank(size);
    frame.data_mut().copy_from_slice(rgba);
    premultiply(frame.data_mut());
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premultiplies_and_back() {
        let mut px = [255, 128, 0, 128, 10, 20, 30, 255, 200, 200, 200, 0];
        premultiply(&mut px);
        assert_eq!(px, [128, 64, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
        unpremultiply(&mut px);
        assert_eq!(px, [255, 128, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
        let f = frame_from_straight(Size::new(1, 1), &[255, 128, 0, 128]);
        assert_eq!(f.data(), &[128, 64, 0, 128]);
    }

    #[test]
    fn filled_in_one_pass_as_tiny_skias_fill() {
        for rgba in [
            [255, 255, 255, 255],
            [12, 200, 99, 255],
            [200, 100, 50, 77],
            [0; 4],
        ] {
            let c = tiny_skia::Color::from_rgba8(rgba[0], rgba[1], rgba[2], rgba[3]);
            let mut expected = blank(Size::new(5, 3));
            expected.fill(c);
            let f = filled(Size::new(5, 3), c);
            assert_eq!((f.width(), f.height()), (5, 3));
            assert_eq!(f.data(), expected.data(), "{rgba:?}");
        }
    }
}
