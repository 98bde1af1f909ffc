//! JPEG pictures. zune-jpeg (the decoder the `image` crate uses) is called directly so
//! that a damaged file can be told from a sound one: a lenient decode fills what it
//! cannot read with grey and says nothing, which left users looking at a half-grey
//! photo without a reason. The picture is decoded strictly first; if that fails but a
//! lenient decode succeeds, the lenient picture is shown (browsers and libjpeg-based
//! viewers show such files too) and a warning names the file once.

use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::errors::DecodeErrors;
use zune_jpeg::JpegDecoder;

use crate::base::limits::MAX_SIDE;

/// A decoded JPEG and the turn its EXIF orientation asks for.
pub struct Jpeg {
    pub image: DynamicImage,
    pub orientation: Orientation,
}

/// Decodes the JPEG held in `data` (read from `path`, named in messages).
pub fn decode(path: &Path, data: &[u8]) -> Result<Jpeg, String> {
    match decode_with(data, true) {
        Ok(j) => Ok(j),
        // Headers, limits and unsupported codings fail the same way leniently: say so
        // without decoding twice.
        Err(e) if !is_damage(&e) => Err(reason(path, &e)),
        Err(strict) => {
            let j = decode_with(data, false).map_err(|e| reason(path, &e))?;
            // Stray bytes between header segments fail a strict decode too, but the
            // picture itself is whole: nothing to warn about (its scan goes unchecked).
            let mut headers = JpegDecoder::new_with_options(ZCursor::new(data), options(true));
            if headers.decode_headers().is_err() {
                return Ok(j);
            }
            super::decode::warn_once(
                path,
                format!(
                    "{} is damaged ({}): what follows the damage is shown grey",
                    path.display(),
                    describe(&strict)
                ),
            );
            Ok(j)
        }
    }
}

/// The width and height a JPEG is shown at (after its EXIF orientation), from its
/// headers only.
pub fn dimensions(path: &Path, data: &[u8]) -> Result<(u32, u32, Orientation), String> {
    let mut d = JpegDecoder::new_with_options(ZCursor::new(data), options(false));
    d.decode_headers().map_err(|e| reason(path, &e))?;
    let (w, h) = d
        .dimensions()
        .ok_or_else(|| format!("{} has no size", path.display()))?;
    Ok((w as u32, h as u32, orientation(&d)))
}

fn options(strict: bool) -> DecoderOptions {
    DecoderOptions::default()
        .set_strict_mode(strict)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize)
}

fn orientation<T: zune_core::bytestream::ZByteReaderTrait>(d: &JpegDecoder<T>) -> Orientation {
    d.exif()
        .and_then(|e| Orientation::from_exif_chunk(e))
        .unwrap_or(Orientation::NoTransforms)
}

fn decode_with(data: &[u8], strict: bool) -> Result<Jpeg, DecodeErrors> {
    let mut d = JpegDecoder::new_with_options(ZCursor::new(data), options(strict));
    d.decode_headers()?;
    let (w, h) = d.dimensions().ok_or(DecodeErrors::ZeroError)?;
    let input = d.input_colorspace().ok_or(DecodeErrors::ZeroError)?;
    // The colours the `image` crate asks for, so a sound JPEG looks as it did before.
    let out = match input {
        ColorSpace::RGB | ColorSpace::RGBA | ColorSpace::Luma | ColorSpace::LumaA => input,
        _ => ColorSpace::RGB,
    };
    d.set_options(d.options().jpeg_set_out_colorspace(out));
    let orientation = orientation(&d);
    let pixels = d.decode()?;
    let (w, h) = (w as u32, h as u32);
    let bad = || DecodeErrors::FormatStatic("decoded size does not match the header");
    let image = match out {
        ColorSpace::RGBA => {
            DynamicImage::ImageRgba8(ImageBuffer::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        ColorSpace::Luma => {
            DynamicImage::ImageLuma8(ImageBuffer::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        ColorSpace::LumaA => {
            DynamicImage::ImageLumaA8(ImageBuffer::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        _ => DynamicImage::ImageRgb8(ImageBuffer::from_raw(w, h, pixels).ok_or_else(bad)?),
    };
    Ok(Jpeg { image, orientation })
}

/// Whether `e` is damage in the data that a lenient decode may get past.
fn is_damage(e: &DecodeErrors) -> bool {
    !matches!(
        e,
        DecodeErrors::Unsupported(_)
            | DecodeErrors::LargeDimensions(_)
            | DecodeErrors::ZeroError
            | DecodeErrors::IllegalMagicBytes(_)
    )
}

fn describe(e: &DecodeErrors) -> String {
    let text = match e {
        DecodeErrors::Format(s)
        | DecodeErrors::HuffmanDecode(s)
        | DecodeErrors::DqtError(s)
        | DecodeErrors::SosError(s)
        | DecodeErrors::SofError(s)
        | DecodeErrors::MCUError(s) => s.trim().to_string(),
        DecodeErrors::FormatStatic(s) => s.trim().to_string(),
        DecodeErrors::ExhaustedData => return "it ends too early".to_string(),
        // zune-jpeg's `Debug` is its message (its `Display` calls it).
        other => format!("{other:?}"),
    };
    super::decode_text::plain(&text)
}

fn reason(path: &Path, e: &DecodeErrors) -> String {
    match e {
        DecodeErrors::LargeDimensions(_) => format!(
            "{} is too large to decode: a picture may be at most {MAX_SIDE}x{MAX_SIDE} pixels",
            path.display()
        ),
        DecodeErrors::Unsupported(u) => {
            format!(
                "{} is not a picture animate can read: {}",
                path.display(),
                super::decode_text::plain(&format!("{u:?}"))
            )
        }
        DecodeErrors::ExhaustedData => format!("{} is truncated", path.display()),
        other => format!(
            "{} is corrupt or unreadable: {}",
            path.display(),
            describe(other)
        ),
    }
}
