//! Reading pictures from files with limits, so that a hostile or corrupt file gives
//! a clear error instead of a panic or an allocation failure.

use std::path::Path;

use crate::base::frame::{Frame, Size};
use crate::base::limits::MAX_SIDE;

/// The most memory one decoded picture may take (a 16384×16384 RGBA frame).
pub const MAX_PICTURE_BYTES: u64 = MAX_SIDE as u64 * MAX_SIDE as u64 * 4;

/// Decoding limits for the `image` crate: no side above [`MAX_SIDE`].
pub fn limits() -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_PICTURE_BYTES);
    l
}

/// A still picture (PNG, JPEG, WebP, or the first frame of a GIF) as a frame.
pub fn picture(path: &Path) -> Result<Frame, String> {
    let mut reader = reader(path)?
        .with_guessed_format()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    reader.limits(limits());
    let img = reader.decode().map_err(|e| reason(path, &e))?;
    // Converted and premultiplied in place: a 16384x16384 picture peaks at its own
    // 1 GiB rather than three copies of it.
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let size = tiny_skia::IntSize::from_wh(w, h)
        .ok_or_else(|| format!("{} has no pixels", path.display()))?;
    let mut data = rgba.into_raw();
    crate::base::frame::premultiply(&mut data);
    Frame::from_vec(data, size).ok_or_else(|| format!("{} has no pixels", path.display()))
}

/// The width and height of a picture, read from its header only.
pub fn dimensions(path: &Path) -> Result<Size, String> {
    let reader = reader(path)?
        .with_guessed_format()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (w, h) = reader.into_dimensions().map_err(|e| reason(path, &e))?;
    crate::base::limits::check_size(w, h).map_err(|m| format!("{}: {m}", path.display()))
}

/// A picture reader on a regular file (see [`crate::base::input::open`]), its format first
/// taken from the extension as `ImageReader::open` does, then from the content.
fn reader(path: &Path) -> Result<image::ImageReader<std::io::BufReader<std::fs::File>>, String> {
    let file = crate::base::input::open(path)?;
    let mut reader = image::ImageReader::new(std::io::BufReader::new(file));
    if let Ok(format) = image::ImageFormat::from_path(path) {
        reader.set_format(format);
    }
    Ok(reader)
}

/// One sentence on why `path` could not be decoded.
pub fn reason(path: &Path, e: &image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => format!(
            "{} is too large to decode: a picture may be at most {MAX_SIDE}x{MAX_SIDE} pixels",
            path.display()
        ),
        image::ImageError::Unsupported(u) => {
            format!("{} is not a picture animate can read: {u}", path.display())
        }
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            format!("{} is truncated", path.display())
        }
        other => format!("{} is corrupt or unreadable: {other}", path.display()),
    }
}
