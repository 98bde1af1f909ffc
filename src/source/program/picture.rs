//! One PNG from a program, checked against the clip's size.

use crate::base::frame::{frame_from_straight, Frame, Size};

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
