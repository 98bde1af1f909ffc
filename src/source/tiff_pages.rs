//! The pages of a multi-page TIFF (a microscope's or a simulation's stack, as ImageJ
//! and `tifffile` write them) as the pictures of an image sequence: counted and
//! checked at load from their directories alone, each decoded when its frame is drawn.
//!
//! Read through the `tiff` crate directly: `image` decodes only a TIFF's first page, and
//! has no type for grey floating-point samples (so a still of them is read here too).

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tiff::decoder::{Decoder, DecodingResult, Limits};
use tiff::tags::Tag;
use tiff::ColorType;

use super::in_range::{self, InRange};
use crate::base::frame::{premultiply, Frame, Size};
use crate::base::input::Reopening;

/// The pages of one TIFF file, all of one size.
pub struct Pages {
    path: PathBuf,
    count: usize,
    size: Size,
    /// Bytes of the first page's samples as decoded, before they become 8-bit RGBA.
    first_bytes: u64,
    /// Decoders that have walked the whole chain of page directories, so that any page
    /// is one seek away (a fresh decoder finds page k by reading the k directories
    /// before it, which would make a long stack quadratic). One per worker at most.
    /// Kept without their descriptors: each page read opens the file again, so that a
    /// scene of many stacks does not hold one descriptor per stack and worker.
    walked: Mutex<Vec<Reader>>,
    /// `in_range`: the sample values shown black and white.
    range: Option<InRange>,
}

type Reader = Decoder<BufReader<Reopening>>;

fn open(path: &Path) -> Result<Reader, String> {
    let file = Reopening::open(path)?;
    let mut limits = Limits::default();
    limits.decoding_buffer_size = super::decode::MAX_PICTURE_BYTES as usize;
    Decoder::new(BufReader::new(file))
        .map(|d| d.with_limits(limits))
        .map_err(|e| corrupt(path, &e))
}

fn corrupt(path: &Path, e: &tiff::TiffError) -> String {
    match e {
        tiff::TiffError::LimitsExceeded => format!(
            "{} is damaged or too large to decode: a page may take at most {} MiB",
            path.display(),
            super::decode::MAX_PICTURE_BYTES >> 20
        ),
        tiff::TiffError::UnsupportedError(u) => format!(
            "{} is a TIFF animate cannot read ({}): convert its pages to grey or RGB(A) first",
            path.display(),
            super::decode_text::plain(&u.to_string())
        ),
        e => format!(
            "{} is corrupt or unreadable: {}",
            path.display(),
            super::decode_text::plain(&e.to_string())
        ),
    }
}

/// Channels of the current page, or why animate does not show it: only 8 or 16-bit
/// unsigned or 32 or 64-bit floating-point samples (what `decode` converts), told
/// from the directory, so that `check` refuses what the render could not draw.
fn channels(d: &mut Reader, path: &Path) -> Result<usize, String> {
    let c = d.colortype().map_err(|e| corrupt(path, &e))?;
    let bits = c.bit_depth();
    // SampleFormat: 1 unsigned (the default), 2 signed, 3 floating point.
    let format = d
        .find_tag_unsigned_vec::<u16>(Tag::SampleFormat)
        .map_err(|e| corrupt(path, &e))?
        .and_then(|v| v.first().copied())
        .unwrap_or(1);
    if !matches!((format, bits), (1, 8) | (1, 16) | (3, 32) | (3, 64)) {
        let kind = match format {
            1 => "unsigned integer",
            2 => "signed integer",
            3 => "floating-point",
            _ => "untyped",
        };
        return Err(format!(
            "its samples are {bits}-bit {kind} ones, which animate does not read (8 or \
             16-bit unsigned or 32 or 64-bit floating-point ones): convert them first"
        ));
    }
    match c {
        ColorType::Gray(_) => Ok(1),
        ColorType::GrayA(_) => Ok(2),
        ColorType::RGB(_) => Ok(3),
        ColorType::RGBA(_) => Ok(4),
        other => Err(format!(
            "its pages are {other:?}, which animate does not read: convert them to grey or \
             RGB(A) first"
        )),
    }
}

impl Pages {
    /// Reads the directories of every page of the TIFF at `path`, at most `max` pages:
    /// their size and colour type, no pixels.
    pub fn open(path: &Path, max: usize) -> Result<Pages, String> {
        Pages::read(path, Some(max))
    }

    /// The first page of the TIFF at `path` alone: a still picture whose samples the
    /// `image` crate does not read (grey floating point, as `tifffile` writes a 2-D
    /// float array).
    pub fn first(path: &Path) -> Result<Pages, String> {
        Pages::read(path, None)
    }

    /// Reads page directories: all of them (at most `max`), or only the first.
    fn read(path: &Path, max: Option<usize>) -> Result<Pages, String> {
        crate::base::guard::decoding(path.display(), || Pages::read_unguarded(path, max))
    }

    fn read_unguarded(path: &Path, max: Option<usize>) -> Result<Pages, String> {
        let mut d = open(path)?;
        let mut count = 0;
        let mut first: Option<(Size, u64)> = None;
        loop {
            let (w, h) = d.dimensions().map_err(|e| corrupt(path, &e))?;
            let s = crate::base::limits::check_size(w, h)
                .map_err(|m| format!("{} (page {}): {m}", path.display(), count + 1))?;
            let n = channels(&mut d, path)
                .map_err(|m| format!("{} (page {}): {m}", path.display(), count + 1))?;
            match first {
                None => {
                    let bits = d.colortype().map_or(8, |c| c.bit_depth());
                    let bytes = w as u64 * h as u64 * n as u64 * u64::from(bits / 8);
                    first = Some((s, bytes));
                }
                Some((size, _)) if size != s => {
                    return Err(format!(
                        "{}: page {} is {s} but page 1 is {size}: every page of a stack must \
                         have the same size",
                        path.display(),
                        count + 1
                    ))
                }
                Some(_) => {}
            }
            count += 1;
            let Some(max) = max else { break };
            if !d.more_images() {
                break;
            }
            if count >= max {
                return Err(format!("{} has more than {max} pages", path.display()));
            }
            d.next_image().map_err(|e| corrupt(path, &e))?;
        }
        let (size, first_bytes) = first.expect("a TIFF has a first page");
        d.inner().get_mut().close();
        Ok(Pages {
            path: path.to_path_buf(),
            count,
            size,
            first_bytes,
            walked: Mutex::new(vec![d]),
            range: None,
        })
    }

    /// The pages with their samples stretched from `range` as they are read.
    pub fn with_range(mut self, range: Option<InRange>) -> Pages {
        self.range = range;
        self
    }

    /// Bytes the first page's samples take decoded, beside the frame made from them.
    pub fn first_bytes(&self) -> u64 {
        self.first_bytes
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn size(&self) -> Size {
        self.size
    }

    /// Page `index` (from 0) as a frame, its samples scaled to 8 bits as for a still
    /// picture: 16-bit ones by 257, floating-point ones from 0–1 (a warning says when
    /// some are beyond), or all from `in_range`.
    pub fn page(&self, index: usize) -> Result<Frame, String> {
        crate::base::guard::decoding(self.path.display(), || self.page_unguarded(index))
    }

    fn page_unguarded(&self, index: usize) -> Result<Frame, String> {
        let reader = self.walked.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut d = match reader {
            Some(d) => d,
            None => self.walk()?,
        };
        let frame = self.decode(&mut d, index);
        d.inner().get_mut().close();
        self.walked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(d);
        frame
    }

    /// A decoder that has read every page's directory.
    fn walk(&self) -> Result<Reader, String> {
        let path = &self.path;
        let mut d = open(path)?;
        for _ in 1..self.count {
            d.next_image().map_err(|e| corrupt(path, &e))?;
        }
        Ok(d)
    }

    fn decode(&self, d: &mut Reader, index: usize) -> Result<Frame, String> {
        let path = &self.path;
        d.seek_to_image(index).map_err(|e| corrupt(path, &e))?;
        let (w, h) = d.dimensions().map_err(|e| corrupt(path, &e))?;
        if (w, h) != (self.size.w, self.size.h) {
            return Err(format!("{} changed while rendering", path.display()));
        }
        let n = channels(d, path)
            .map_err(|m| format!("{} (page {}): {m}", path.display(), index + 1))?;
        // Each conversion consumes the decoded samples, and 8-bit ones are widened to
        // RGBA in their own buffer: a page peaks at its samples plus its frame, not at
        // three copies (a 16384x16384 RGBA page took 3 GiB, once per worker).
        let range = self.range;
        let mut samples: Vec<u8> = match d.read_image().map_err(|e| corrupt(path, &e))? {
            DecodingResult::U8(mut v) => {
                if let Some(r) = range {
                    in_range::bytes_in_place(&mut v, n, r);
                }
                v
            }
            DecodingResult::U16(v) => in_range::reduce(v, n, range, f64::from, |s| {
                ((u32::from(s) + 128) / 257) as u8
            }),
            DecodingResult::F32(v) => {
                if range.is_none() {
                    in_range::warn_if_clipped(path, v.iter().map(|s| f64::from(*s)), n);
                }
                in_range::reduce(v, n, range, f64::from, |s| in_range::unit(f64::from(s)))
            }
            DecodingResult::F64(v) => {
                if range.is_none() {
                    in_range::warn_if_clipped(path, v.iter().copied(), n);
                }
                in_range::reduce(v, n, range, |s| s, in_range::unit)
            }
            _ => {
                return Err(format!(
                    "{} (page {}): its samples are of a kind animate does not read",
                    path.display(),
                    index + 1
                ))
            }
        };
        let pixels = w as usize * h as usize;
        if samples.len() < pixels * n {
            return Err(format!(
                "{} is truncated (page {})",
                path.display(),
                index + 1
            ));
        }
        samples.truncate(pixels * n);
        let mut rgba = super::decode::widen_to_rgba(samples, n);
        premultiply(&mut rgba);
        let size = tiny_skia::IntSize::from_wh(w, h)
            .ok_or_else(|| format!("{} has no pixels", path.display()))?;
        Frame::from_vec(rgba, size).ok_or_else(|| format!("{} has no pixels", path.display()))
    }
}
