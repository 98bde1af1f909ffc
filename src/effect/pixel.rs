//! The values colour effects work on, read from and written back to premultiplied frames.
//!
//! On a colour clip an effect sees straight (un-premultiplied) R, G and B and leaves
//! alpha alone: a half-transparent red is red to `invert`. On a mask (`to_mask`), whose
//! frames are white with the mask value in alpha, it sees and changes that one value.
//! Opaque pixels round-trip exactly; fully transparent ones have no colour to change.

use crate::base::frame::{premultiply_channel, unpremultiply_channel, Frame};

/// Rec. 709 luma weights, those of scikit-image's `rgb2gray`.
pub const LUMA: [f64; 3] = [0.2125, 0.7154, 0.0721];

/// The grey level of a straight colour with [`LUMA`] weights, rounded.
pub fn luminance([r, g, b]: [u8; 3]) -> u8 {
    (LUMA[0] * r as f64 + LUMA[1] * g as f64 + LUMA[2] * b as f64)
        .round()
        .clamp(0.0, 255.0) as u8
}

/// A mask pixel of value `v`: white under alpha `v`, premultiplied.
pub fn mask_pixel(v: u8) -> [u8; 4] {
    [v, v, v, v]
}

/// Applies a 256-entry table to every value the effect touches (straight R, G, B of
/// a colour frame; the value of a mask).
pub fn apply_lut(frame: &mut Frame, mask: bool, lut: &[u8; 256]) {
    for p in frame.data_mut().chunks_exact_mut(4) {
        let a = p[3];
        if mask {
            p.copy_from_slice(&mask_pixel(lut[a as usize]));
        } else if a == 255 {
            for c in &mut p[..3] {
                *c = lut[*c as usize];
            }
        } else if a > 0 {
            for c in &mut p[..3] {
                *c = premultiply_channel(lut[unpremultiply_channel(*c, a) as usize], a);
            }
        }
    }
}

/// Replaces the straight colour of every visible pixel of a colour frame with `f(rgb)`.
pub fn map_rgb(frame: &mut Frame, f: impl Fn([u8; 3]) -> [u8; 3]) {
    for p in frame.data_mut().chunks_exact_mut(4) {
        let a = p[3];
        if a == 0 {
            continue;
        }
        let rgb = straight(p);
        let out = f(rgb);
        for (c, v) in p[..3].iter_mut().zip(out) {
            *c = if a == 255 {
                v
            } else {
                premultiply_channel(v, a)
            };
        }
    }
}

/// The straight colour of a premultiplied pixel (black when fully transparent).
pub fn straight(p: &[u8]) -> [u8; 3] {
    let a = p[3];
    match a {
        0 => [0, 0, 0],
        255 => [p[0], p[1], p[2]],
        _ => [
            unpremultiply_channel(p[0], a),
            unpremultiply_channel(p[1], a),
            unpremultiply_channel(p[2], a),
        ],
    }
}

/// The touched values of a whole frame, for spatial filters: 3 interleaved straight
/// channels per pixel for colour, 1 for a mask.
pub struct Plane {
    pub w: usize,
    pub h: usize,
    pub channels: usize,
    pub data: Vec<u8>,
}

impl Plane {
    pub fn read(frame: &Frame, mask: bool) -> Plane {
        let channels = if mask { 1 } else { 3 };
        let mut data = Vec::with_capacity(frame.data().len() / 4 * channels);
        for p in frame.data().chunks_exact(4) {
            if mask {
                data.push(p[3]);
            } else {
                data.extend_from_slice(&straight(p));
            }
        }
        Plane {
            w: frame.width() as usize,
            h: frame.height() as usize,
            channels,
            data,
        }
    }

    /// Writes the values back, keeping each colour pixel's alpha.
    pub fn write(&self, frame: &mut Frame) {
        let mask = self.channels == 1;
        for (p, v) in frame
            .data_mut()
            .chunks_exact_mut(4)
            .zip(self.data.chunks_exact(self.channels))
        {
            if mask {
                p.copy_from_slice(&mask_pixel(v[0]));
            } else {
                let a = p[3];
                for (c, s) in p[..3].iter_mut().zip(v) {
                    *c = premultiply_channel(*s, a);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premultiplication_round_trips() {
        for a in 1..=255u8 {
            for c in 0..=a {
                assert_eq!(
                    premultiply_channel(unpremultiply_channel(c, a), a),
                    c,
                    "c {c} a {a}"
                );
            }
        }
    }

    #[test]
    fn luminance_uses_rec709_weights() {
        assert_eq!(luminance([255, 255, 255]), 255);
        assert_eq!(luminance([255, 0, 0]), 54);
        assert_eq!(luminance([0, 255, 0]), 182);
        assert_eq!(luminance([7, 7, 7]), 7);
    }
}
