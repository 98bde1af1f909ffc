//! Reading pictures from files with limits, so that a hostile or corrupt file gives
//! a clear error instead of a panic or an allocation failure.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::metadata::Orientation;
use image::ImageDecoder;

use super::decode_text::plain;
use super::in_range::{self, InRange};
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

/// What the `tiff` crate may allocate under `image` for a TIFF of `decoded` bytes: the
/// picture, plus the `tiff` crate's own default for its strip and tile buffers.
/// `image` gives it only `max_alloc` less the picture, none at all for a 16384x16384
/// RGBA picture; the 4 GiB of pictures of a scene (counted from the header) are the
/// bound on the picture itself.
fn tiff_limits(decoded: u64) -> image::Limits {
    let mut l = limits();
    l.max_alloc = Some(decoded.saturating_add(128 << 20));
    l
}

/// Whether `image` refused a picture for a kind of pixels it has no type for (a TIFF
/// of grey floating-point samples), which the `tiff` crate may still read.
fn unsupported(e: &image::ImageError) -> bool {
    matches!(e, image::ImageError::Unsupported(_))
}

/// A still picture (PNG, JPEG, WebP, or the first frame of a GIF) as a frame, turned
/// upright as its EXIF orientation says (as browsers and Pillow's `exif_transpose` do:
/// a phone photo is stored sideways with a tag that says so).
pub fn picture(path: &Path) -> Result<Frame, String> {
    picture_in(path, None)
}

/// As [`picture`], its samples stretched from `range` (`in_range`) as they become 8
/// bits.
pub fn picture_in(path: &Path, range: Option<InRange>) -> Result<Frame, String> {
    crate::base::guard::decoding(path.display(), || picture_unguarded(path, range))
}

fn picture_unguarded(path: &Path, range: Option<InRange>) -> Result<Frame, String> {
    let reader = open(path)?;
    let (mut img, orientation) = if reader.format() == Some(image::ImageFormat::Jpeg) {
        let data = read_all(path, reader.into_inner())?;
        let jpeg = super::jpeg::decode(path, &data)?;
        (jpeg.image, jpeg.orientation)
    } else {
        let tiff = reader.format() == Some(image::ImageFormat::Tiff);
        let mut decoder = match reader.into_decoder() {
            Ok(d) => d,
            Err(e) if tiff && unsupported(&e) => {
                return super::tiff_pages::Pages::first(path)?
                    .with_range(range)
                    .page(0);
            }
            Err(e) => return Err(reason(path, &e)),
        };
        if tiff {
            decoder
                .set_limits(tiff_limits(decoder.total_bytes()))
                .map_err(|e| reason(path, &e))?;
        }
        // A damaged EXIF block is no reason to refuse the picture: show it as stored.
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let img = image::DynamicImage::from_decoder(decoder).map_err(|e| reason(path, &e))?;
        (img, orientation)
    };
    img.apply_orientation(orientation);
    let (w, h) = (img.width(), img.height());
    let size = tiny_skia::IntSize::from_wh(w, h)
        .ok_or_else(|| format!("{} has no pixels", path.display()))?;
    let mut data = match range {
        Some(r) => stretched(img, r),
        None => {
            floats_clipped(path, &img);
            rgba_in_place(img)
        }
    };
    crate::base::frame::premultiply(&mut data);
    Frame::from_vec(data, size).ok_or_else(|| format!("{} has no pixels", path.display()))
}

/// A decoded picture's pixels as straight RGBA bytes. 8-bit pictures are widened in
/// their own buffer (grown by `realloc`, which moves a large block's pages rather than
/// copying them), so a 16384x16384 RGB picture peaks at its 1 GiB frame, not at that
/// plus its 768 MiB decoded copy; other pixel types are converted into a new buffer
/// (what [`Header::transient`] counts).
fn rgba_in_place(img: image::DynamicImage) -> Vec<u8> {
    use image::DynamicImage as D;
    match img {
        D::ImageRgba8(i) => i.into_raw(),
        D::ImageRgb8(i) => widen_to_rgba(i.into_raw(), 3),
        D::ImageLuma8(i) => widen_to_rgba(i.into_raw(), 1),
        D::ImageLumaA8(i) => widen_to_rgba(i.into_raw(), 2),
        other => other.into_rgba8().into_raw(),
    }
}

/// A decoded picture's pixels as straight RGBA bytes, its colour samples stretched
/// from `range` in their own units (0–255, 0–65535, or floating point).
fn stretched(img: image::DynamicImage, range: InRange) -> Vec<u8> {
    use image::DynamicImage as D;
    let wide = |s: u16| ((u32::from(s) + 128) / 257) as u8;
    let unit = |s: f32| in_range::unit(f64::from(s));
    let eight = |mut v: Vec<u8>, n: usize| {
        in_range::bytes_in_place(&mut v, n, range);
        (v, n)
    };
    let r = Some(range);
    let (samples, n) = match img {
        D::ImageLuma8(i) => eight(i.into_raw(), 1),
        D::ImageLumaA8(i) => eight(i.into_raw(), 2),
        D::ImageRgb8(i) => eight(i.into_raw(), 3),
        D::ImageRgba8(i) => eight(i.into_raw(), 4),
        D::ImageLuma16(i) => (in_range::reduce(i.into_raw(), 1, r, f64::from, wide), 1),
        D::ImageLumaA16(i) => (in_range::reduce(i.into_raw(), 2, r, f64::from, wide), 2),
        D::ImageRgb16(i) => (in_range::reduce(i.into_raw(), 3, r, f64::from, wide), 3),
        D::ImageRgba16(i) => (in_range::reduce(i.into_raw(), 4, r, f64::from, wide), 4),
        D::ImageRgb32F(i) => (in_range::reduce(i.into_raw(), 3, r, f64::from, unit), 3),
        // RGBA floating point (and any kind `image` adds): its values as they are.
        other => {
            let rgba = other.into_rgba32f().into_raw();
            (in_range::reduce(rgba, 4, r, f64::from, unit), 4)
        }
    };
    widen_to_rgba(samples, n)
}

/// Warns when a floating-point picture read without `in_range` has colours beyond
/// 0–1, which are clipped.
fn floats_clipped(path: &Path, img: &image::DynamicImage) {
    use image::DynamicImage as D;
    match img {
        D::ImageRgb32F(i) => in_range::warn_if_clipped(path, i.iter().map(|s| f64::from(*s)), 3),
        D::ImageRgba32F(i) => in_range::warn_if_clipped(path, i.iter().map(|s| f64::from(*s)), 4),
        _ => {}
    }
}

/// 8-bit grey (1), grey and alpha (2), RGB (3) or RGBA (4) samples as straight RGBA,
/// widened in their own buffer.
pub(super) fn widen_to_rgba(mut data: Vec<u8>, channels: usize) -> Vec<u8> {
    if channels == 4 {
        return data;
    }
    let pixels = data.len() / channels;
    data.resize(pixels * 4, 0);
    // From the last pixel back, each pixel's 4 bytes land at or after its own
    // `channels` bytes, so nothing is overwritten before it is read.
    for i in (0..pixels).rev() {
        let (src, dst) = (i * channels, i * 4);
        let px = match channels {
            3 => [data[src], data[src + 1], data[src + 2], 255],
            2 => [data[src], data[src], data[src], data[src + 1]],
            _ => [data[src], data[src], data[src], 255],
        };
        data[dst..dst + 4].copy_from_slice(&px);
    }
    data
}

/// What a picture's headers tell before it is decoded.
pub struct Header {
    /// The size it is shown at (after its EXIF orientation).
    pub size: Size,
    /// Bytes its decoding may hold beside the frame it gives, at the peak: the decoded
    /// pixels when they are not 8-bit (converted into a new buffer), and a turned copy
    /// of them when it is stored sideways.
    pub transient: u64,
}

/// The width and height a picture is shown at (after its EXIF orientation), read from
/// its headers only.
pub fn dimensions(path: &Path) -> Result<Size, String> {
    header(path).map(|h| h.size)
}

/// The size and decoding cost of a picture, read from its headers only.
pub fn header(path: &Path) -> Result<Header, String> {
    crate::base::guard::decoding(path.display(), || header_unguarded(path))
}

fn header_unguarded(path: &Path) -> Result<Header, String> {
    let reader = open(path)?;
    // Besides the frame: the decoded pixels unless they are 8-bit (widened in place),
    // and one more copy of them while a sideways picture is turned.
    let (w, h, orientation, decoded, converted) =
        if reader.format() == Some(image::ImageFormat::Jpeg) {
            let data = read_all(path, reader.into_inner())?;
            let (w, h, o) = super::jpeg::dimensions(path, &data)?;
            // Decoded as 8-bit grey, RGB or RGBA: at most a frame's bytes.
            (w, h, o, w as u64 * h as u64 * 4, false)
        } else {
            let tiff = reader.format() == Some(image::ImageFormat::Tiff);
            let mut decoder = match reader.into_decoder() {
                Ok(d) => d,
                Err(e) if tiff && unsupported(&e) => {
                    let pages = super::tiff_pages::Pages::first(path)?;
                    return Ok(Header {
                        size: pages.size(),
                        transient: pages.first_bytes(),
                    });
                }
                Err(e) => return Err(reason(path, &e)),
            };
            let (w, h) = decoder.dimensions();
            let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
            let converted = !matches!(
                decoder.color_type(),
                image::ColorType::L8
                    | image::ColorType::La8
                    | image::ColorType::Rgb8
                    | image::ColorType::Rgba8
            );
            (w, h, orientation, decoder.total_bytes(), converted)
        };
    let sideways = turns_sideways(orientation);
    let (w, h) = if sideways { (h, w) } else { (w, h) };
    let size =
        crate::base::limits::check_size(w, h).map_err(|m| format!("{}: {m}", path.display()))?;
    let transient = if converted { decoded } else { 0 } + if sideways { decoded } else { 0 };
    Ok(Header { size, transient })
}

/// Whether `o` swaps width and height.
fn turns_sideways(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

type Reader = image::ImageReader<std::io::BufReader<std::fs::File>>;

/// A reader for the picture at `path`, its format told by its contents, with limits.
fn open(path: &Path) -> Result<Reader, String> {
    let file = crate::base::input::open(path)?;
    let mut reader = image::ImageReader::new(std::io::BufReader::new(file));
    // The format from the extension first, as `ImageReader::open` does, then the contents.
    if let Ok(format) = image::ImageFormat::from_path(path) {
        reader.set_format(format);
    }
    let mut reader = reader
        .with_guessed_format()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let unreadable = match reader.format() {
        Some(image::ImageFormat::Avif) => Some("an AVIF picture"),
        Some(_) => None,
        None => unreadable_format(path),
    };
    if let Some(name) = unreadable {
        return Err(format!(
            "{} is {name}, which animate cannot decode: convert it to PNG first",
            path.display()
        ));
    }
    reader.limits(limits());
    Ok(reader)
}

/// The name of a picture format that people have but animate cannot decode (AVIF and
/// HEIF need a C decoder library), told from the first bytes of `path`.
pub fn unreadable_format(path: &Path) -> Option<&'static str> {
    let mut head = [0u8; 12];
    let mut f = crate::base::input::open(path).ok()?;
    std::io::Read::read_exact(&mut f, &mut head).ok()?;
    if &head[4..8] != b"ftyp" {
        return None;
    }
    match &head[8..12] {
        b"avif" | b"avis" => Some("an AVIF picture"),
        b"heic" | b"heix" | b"heim" | b"heis" | b"mif1" | b"msf1" => Some("a HEIF picture"),
        _ => None,
    }
}

/// The whole of a file (a JPEG decoder needs it in memory), at most
/// [`MAX_PICTURE_BYTES`] of it.
fn read_all(path: &Path, file: impl std::io::Read) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    std::io::Read::read_to_end(&mut file.take(MAX_PICTURE_BYTES + 1), &mut data)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if data.len() as u64 > MAX_PICTURE_BYTES {
        return Err(format!(
            "{} is too large: a picture file may take at most {} MiB",
            path.display(),
            MAX_PICTURE_BYTES >> 20
        ));
    }
    Ok(data)
}

/// Prints `text` as a warning the first time it is said about `path`: a picture of an
/// image sequence may be decoded more than once.
pub fn warn_once(path: &Path, text: String) {
    static WARNED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let mut warned = WARNED.lock().unwrap_or_else(|p| p.into_inner());
    if warned
        .get_or_insert_with(HashSet::new)
        .insert(path.to_path_buf())
    {
        crate::base::report::warn(text);
    }
}

/// One sentence on why `path` could not be decoded.
pub fn reason(path: &Path, e: &image::ImageError) -> String {
    match e {
        image::ImageError::Limits(l)
            if matches!(l.kind(), image::error::LimitErrorKind::DimensionError) =>
        {
            format!(
                "{} is too large to decode: a picture may be at most {MAX_SIDE}x{MAX_SIDE} \
                 pixels",
                path.display()
            )
        }
        // Not its size, which is within the limits: its data asks for more memory than
        // a picture of that size needs (a strip or chunk claiming gigabytes).
        image::ImageError::Limits(_) => format!(
            "{} is damaged or too large to decode: it asks for more memory than a picture \
             of its size needs",
            path.display()
        ),
        image::ImageError::Unsupported(u) => format!(
            "{} is not a picture animate can read: {}",
            path.display(),
            plain(&u.to_string())
        ),
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            format!("{} is truncated", path.display())
        }
        // The decoder's own error, without `image`'s "Format error decoding Png: ".
        other => {
            let inner = std::error::Error::source(other)
                .map_or_else(|| other.to_string(), |s| s.to_string());
            format!(
                "{} is corrupt or unreadable: {}",
                path.display(),
                plain(&inner)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rgba_in_place;
    use image::{DynamicImage as D, ImageBuffer};

    #[test]
    fn eight_bit_pictures_widen_to_rgba_in_their_own_buffer() {
        let rgb = D::ImageRgb8(ImageBuffer::from_raw(2, 1, vec![1, 2, 3, 4, 5, 6]).unwrap());
        assert_eq!(rgba_in_place(rgb), [1, 2, 3, 255, 4, 5, 6, 255]);
        let grey = D::ImageLuma8(ImageBuffer::from_raw(3, 1, vec![7, 8, 9]).unwrap());
        assert_eq!(
            rgba_in_place(grey),
            [7, 7, 7, 255, 8, 8, 8, 255, 9, 9, 9, 255]
        );
        let grey_alpha = D::ImageLumaA8(ImageBuffer::from_raw(2, 1, vec![7, 100, 9, 0]).unwrap());
        assert_eq!(rgba_in_place(grey_alpha), [7, 7, 7, 100, 9, 9, 9, 0]);
        let wide = D::ImageRgb16(ImageBuffer::from_raw(1, 1, vec![65535u16, 0, 32896]).unwrap());
        assert_eq!(rgba_in_place(wide), [255, 0, 128, 255]);
    }
}
