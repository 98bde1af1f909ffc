//! From a decoded picture to the frame a player shows: colour conversion to RGBA with
//! the stream's matrix and range, stretching non-square pixels, turning by the
//! rotation metadata, and premultiplying alpha.

use crate::av::{self, ff::ffi, ScaleKey, Scaler};
use crate::base::frame::{Frame, Size};

use super::decoder::Picture;

/// How the stored picture is turned for display: mirrored left-right first (when
/// `flip`), then turned clockwise by `quarter_turns` × 90°.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Orientation {
    pub quarter_turns: u8,
    pub flip: bool,
}

impl Orientation {
    /// Reads a display matrix (nine 32-bit numbers, as MP4/MOV store them). Turns
    /// that are not a multiple of 90° round to the nearest one, as players do.
    pub fn from_display_matrix(m: &[i32; 9]) -> Orientation {
        let (a, b, c, d) = (m[0] as f64, m[1] as f64, m[3] as f64, m[4] as f64);
        let flip = a * d - b * c < 0.0;
        // Undo the mirror (negate the first column) to read the pure rotation.
        let (a, c) = if flip { (-a, -c) } else { (a, c) };
        // The matrix maps stored to displayed pixels in row-vector form, so
        // atan2(b, a) is the clockwise turn on a screen whose y axis points down.
        let sx = a.hypot(c);
        let sy = b.hypot(d);
        if sx == 0.0 || sy == 0.0 {
            return Orientation::default();
        }
        let degrees = (b / sy).atan2(a / sx).to_degrees();
        let quarter_turns = ((degrees / 90.0).round() as i64).rem_euclid(4) as u8;
        Orientation {
            quarter_turns,
            flip,
        }
    }

    /// The displayed size of a picture of size `s`.
    pub fn apply_to(self, s: Size) -> Size {
        if self.quarter_turns % 2 == 1 {
            Size::new(s.h, s.w)
        } else {
            s
        }
    }

    pub fn is_identity(self) -> bool {
        self == Orientation::default()
    }
}

/// The picture's width stretched by its sample aspect ratio (players keep the height).
pub fn display_width(width: u32, sar: (i32, i32)) -> u32 {
    let (num, den) = sar;
    if num <= 0 || den <= 0 || num == den {
        return width;
    }
    ((width as f64 * num as f64 / den as f64).round() as u32).max(1)
}

/// What a decoded picture becomes: `stretched` is its size after the aspect ratio
/// correction, before turning.
#[derive(Clone, Copy, Debug)]
pub struct Look {
    pub stretched: Size,
    pub orientation: Orientation,
}

impl Look {
    pub fn size(&self) -> Size {
        self.orientation.apply_to(self.stretched)
    }
}

/// Converts a decoded picture into a premultiplied RGBA frame.
pub fn to_frame(picture: &Picture, look: &Look, scaler: &mut Scaler) -> Result<Frame, String> {
    let raw = unsafe { &*picture.as_ptr() };
    let format: ffi::AVPixelFormat = picture.format().into();
    let (w, h) = (picture.width(), picture.height());
    if w == 0 || h == 0 {
        return Err("the decoder produced an empty picture".into());
    }
    let matrix = match raw.colorspace {
        ffi::AVColorSpace::AVCOL_SPC_UNSPECIFIED | ffi::AVColorSpace::AVCOL_SPC_RESERVED => {
            av::default_matrix(h)
        }
        cs => cs as i32,
    };
    let full_range = raw.color_range == ffi::AVColorRange::AVCOL_RANGE_JPEG
        || matches!(
            format,
            ffi::AVPixelFormat::AV_PIX_FMT_YUVJ420P
                | ffi::AVPixelFormat::AV_PIX_FMT_YUVJ422P
                | ffi::AVPixelFormat::AV_PIX_FMT_YUVJ444P
        );
    let out = look.stretched;
    scaler.prepare(
        ScaleKey {
            src: (w, h, format),
            dst: (out.w, out.h, ffi::AVPixelFormat::AV_PIX_FMT_RGBA),
            matrix,
            full_range,
        },
        true,
    )?;
    // libswscale's fast YUV to RGB paths write whole groups of 8 pixels and skip a
    // row's last few unless the stride leaves room: pad it, then close the gaps.
    let row = out.w as usize * 4;
    let padded = (out.w as usize).next_multiple_of(16) * 4;
    let mut rgba = vec![0u8; padded * out.h as usize];
    let src = [0, 1, 2, 3].map(|i| raw.data[i] as *const u8);
    let stride = [0, 1, 2, 3].map(|i| raw.linesize[i]);
    let dst = [
        rgba.as_mut_ptr(),
        std::ptr::null_mut(),
        std::ptr::null_mut(),
        std::ptr::null_mut(),
    ];
    let dst_stride = [padded as i32, 0, 0, 0];
    unsafe { scaler.run(&src, &stride, &dst, &dst_stride) };
    if padded != row {
        for y in 1..out.h as usize {
            rgba.copy_within(y * padded..y * padded + row, y * row);
        }
        rgba.truncate(row * out.h as usize);
    }
    if av::has_alpha(format) {
        crate::base::frame::premultiply(&mut rgba);
    }
    let (rgba, size) = if look.orientation.is_identity() {
        (rgba, out)
    } else {
        (turn(&rgba, out, look.orientation), look.size())
    };
    let int_size = tiny_skia::IntSize::from_wh(size.w, size.h).ok_or("empty frame")?;
    Frame::from_vec(rgba, int_size).ok_or_else(|| "cannot hold the decoded frame".into())
}

/// Mirrors and turns an RGBA picture of size `s` as `o` says.
pub fn turn(rgba: &[u8], s: Size, o: Orientation) -> Vec<u8> {
    let (w, h) = (s.w as usize, s.h as usize);
    let out_size = o.apply_to(s);
    let ow = out_size.w as usize;
    let src: Vec<u32> = rgba
        .chunks_exact(4)
        .map(|p| u32::from_ne_bytes([p[0], p[1], p[2], p[3]]))
        .collect();
    let mut dst = vec![0u32; w * h];
    for y in 0..h {
        for x in 0..w {
            let sx = if o.flip { w - 1 - x } else { x };
            let (dx, dy) = match o.quarter_turns % 4 {
                0 => (x, y),
                1 => (h - 1 - y, x),
                2 => (w - 1 - x, h - 1 - y),
                _ => (y, w - 1 - x),
            };
            dst[dy * ow + dx] = src[y * w + sx];
        }
    }
    dst.into_iter().flat_map(u32::to_ne_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A display matrix in MP4's layout for a clockwise turn of `deg` degrees
    /// (what `ffmpeg -display_rotation` writes for -deg), optionally mirrored.
    fn matrix(deg: f64, flip: bool) -> [i32; 9] {
        let (s, c) = deg.to_radians().sin_cos();
        let one = 65536.0;
        let f = if flip { -1.0 } else { 1.0 };
        [
            (c * one * f).round() as i32,
            (s * one).round() as i32,
            0,
            (-s * one * f).round() as i32,
            (c * one).round() as i32,
            0,
            0,
            0,
            1 << 30,
        ]
    }

    #[test]
    fn reads_rotation_and_mirror() {
        for (deg, q) in [
            (0.0, 0),
            (90.0, 1),
            (180.0, 2),
            (270.0, 3),
            (-90.0, 3),
            (92.0, 1),
        ] {
            let o = Orientation::from_display_matrix(&matrix(deg, false));
            assert_eq!(
                o,
                Orientation {
                    quarter_turns: q,
                    flip: false
                },
                "{deg}"
            );
        }
        let o = Orientation::from_display_matrix(&matrix(90.0, true));
        assert_eq!(
            o,
            Orientation {
                quarter_turns: 1,
                flip: true
            }
        );
        assert_eq!(
            Orientation::from_display_matrix(&[0; 9]),
            Orientation::default()
        );
    }

    #[test]
    fn turns_pixels() {
        // 3x2 picture, pixel value = its number 0..5 in the red channel.
        let s = Size::new(3, 2);
        let rgba: Vec<u8> = (0..6).flat_map(|i| [i, 0, 0, 255]).collect();
        let red = |v: Vec<u8>| v.chunks(4).map(|p| p[0]).collect::<Vec<_>>();
        let cw = Orientation {
            quarter_turns: 1,
            flip: false,
        };
        assert_eq!(cw.apply_to(s), Size::new(2, 3));
        // 0 1 2      3 0
        // 3 4 5  ->  4 1
        //            5 2
        assert_eq!(red(turn(&rgba, s, cw)), [3, 0, 4, 1, 5, 2]);
        let half = Orientation {
            quarter_turns: 2,
            flip: false,
        };
        assert_eq!(red(turn(&rgba, s, half)), [5, 4, 3, 2, 1, 0]);
        let ccw = Orientation {
            quarter_turns: 3,
            flip: false,
        };
        assert_eq!(red(turn(&rgba, s, ccw)), [2, 5, 1, 4, 0, 3]);
        let mirror = Orientation {
            quarter_turns: 0,
            flip: true,
        };
        assert_eq!(red(turn(&rgba, s, mirror)), [2, 1, 0, 5, 4, 3]);
    }

    #[test]
    fn stretches_by_sample_aspect_ratio() {
        assert_eq!(display_width(720, (1, 1)), 720);
        assert_eq!(display_width(720, (0, 1)), 720);
        assert_eq!(display_width(720, (16, 11)), 1047);
        assert_eq!(display_width(1440, (3, 4)), 1080);
    }
}
