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

fn decode_unguarded(bytes: &[u8], size: Size) -> Result<Frame, String> {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .map_err(|e| format!("its PNG cannot be decoded: {e}"))?;
    if (img.width(), img.height()) != (size.w, size.h) {
        return Err(format!(
            "its PNG is {}x{}, but the clip's size is {size}",
            img.width(),
            img.height()
        ));
    }
    Ok(frame_from_straight(size, img.to_rgba8().as_raw()))
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn the_bound_follows_the_size_up_to_a_gibibyte() {
        assert_eq!(max_png_bytes(Size::new(16, 16)), 4096 + (16 << 20));
        assert_eq!(max_png_bytes(Size::new(1000, 500)), 8_000_000 + (16 << 20));
        assert_eq!(max_png_bytes(Size::new(16384, 16384)), 1 << 30);
        assert!(max_png_what(Size::new(16, 16)).contains("16x16 clip"));
    }
}
