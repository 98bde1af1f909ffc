//! One PNG from a program, checked against the clip's size.

use crate::base::frame::{frame_from_straight, Frame, Size};

/// Room for a PNG's metadata chunks (text, colour profile, …) besides its pixels.
pub const PNG_METADATA_BYTES: u64 = 16 << 20;
/// The most bytes a PNG may take on disk: a PNG larger than its pixels stored without
/// compression (8 bytes a pixel at 16 bits RGBA, a filter byte a row) is padding or
/// garbage, and reading it whole for a 16×16 clip would take a gibibyte per thread.
const PNG_MAX_BYTES: u64 = 1 << 30;

/// The most bytes a program's PNG of `size` may have: twice its pixels at 8 bytes
/// each, plus [`PNG_METADATA_BYTES`], and never more than 1 GiB.
pub fn max_png_bytes(size: Size) -> u64 {
    let pixels = u64::from(size.w) * u64::from(size.h);
    (2 * 8 * pixels + PNG_METADATA_BYTES).min(PNG_MAX_BYTES)
}

/// What [`max_png_bytes`] bounds, for messages ending "the most {what} may have".
pub fn max_png_what(size: Size) -> String {
    format!("a program's PNG for a {size} clip (twice 8 bytes a pixel, plus 16 MiB for metadata)")
}

/// Decodes a PNG of exactly `size` into a premultiplied frame.
pub fn decode_png(bytes: &[u8], size: Size) -> Result<Frame, String> {
    crate::base::guard::decoding("its PNG", || decode_unguarded(bytes, size))
}

/// The size its header gives is checked before the pixels are decoded: a header
/// claiming 16384×16384 in a 16×16 clip is the wrong size, not "Memory limit exceeded"
/// (hostile7 F-AI).
fn decode_unguarded(bytes: &[u8], size: Size) -> Result<Frame, String> {
    let reader =
        || image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Png);
    let cannot = |e: image::ImageError| format!("its PNG cannot be decoded: {e}");
    let (w, h) = reader().into_dimensions().map_err(cannot)?;
    if (w, h) != (size.w, size.h) {
        return Err(format!("its PNG is {w}x{h}, but the clip's size is {size}"));
    }
    let img = reader().decode().map_err(cannot)?;
    Ok(frame_from_straight(size, img.to_rgba8().as_raw()))
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    /// A PNG whose header says `w`×`h`, with one short IDAT chunk (not its pixels).
    fn header_only(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let chunk = |png: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
            png.extend((data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend(data);
            png.extend(&body);
            png.extend(crc32(&body).to_be_bytes());
        };
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]); // 8-bit RGBA
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(
            &mut png,
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        );
        chunk(&mut png, b"IEND", &[]);
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn regression_a_huge_header_is_the_wrong_size_not_a_memory_limit() {
        let why = decode_unguarded(&header_only(16384, 16384), Size::new(16, 16)).unwrap_err();
        assert_eq!(why, "its PNG is 16384x16384, but the clip's size is 16x16");
        // the right size in the header goes on to the pixels, which are missing here
        let why = decode_unguarded(&header_only(16, 16), Size::new(16, 16)).unwrap_err();
        assert!(why.starts_with("its PNG cannot be decoded"), "{why}");
    }

    #[test]
    fn the_bound_follows_the_size_up_to_a_gibibyte() {
        assert_eq!(max_png_bytes(Size::new(16, 16)), 4096 + (16 << 20));
        assert_eq!(max_png_bytes(Size::new(1000, 500)), 8_000_000 + (16 << 20));
        assert_eq!(max_png_bytes(Size::new(16384, 16384)), 1 << 30);
        assert!(max_png_what(Size::new(16, 16)).contains("16x16 clip"));
    }
}
