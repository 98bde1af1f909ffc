//! Leniency where browsers and Pillow are lenient. The GIF decoder refuses three kinds
//! of files that they show, so their block structure is walked first (without decoding
//! pixels) and, only when needed, a repaired copy is decoded instead:
//!
//! - an extension block with a label the GIF89a spec does not define is skipped (the
//!   spec asks decoders to skip what they do not know);
//! - an unknown block after at least one frame (often a second GIF appended to the
//!   first) ends the GIF there, with a warning;
//! - a frame with no colour table at all (neither global nor local) is read in grey
//!   levels, index i as grey i, as Pillow does, with a warning.
//!
//! A file that is cut short is left to the decoder, which says it is truncated.

use std::io::{BufRead, BufReader, Read, Seek};
use std::ops::Range;
use std::path::Path;

/// The extension labels GIF89a defines: plain text, graphic control, comment,
/// application.
const KNOWN_EXTENSIONS: &[u8] = &[0x01, 0xF9, 0xFE, 0xFF];

/// The most bytes of a GIF that is repaired in memory (1 GiB, the most its decoded
/// frames may take).
const MAX_REPAIRED_BYTES: u64 = 1 << 30;

/// What a GIF needs to be decoded as browsers show it.
#[derive(Debug, Default, PartialEq)]
pub struct Repair {
    /// How many unknown extension blocks are left out.
    skipped: u64,
    /// Where an unknown block after the last frame starts: the GIF ends there.
    cut: Option<u64>,
    /// A frame has no colour table: a grey global one is given.
    grey: bool,
    /// What the user is told.
    pub warnings: Vec<String>,
}

impl Repair {
    /// Whether the file can be decoded as it is.
    pub fn is_none(&self) -> bool {
        self.skipped == 0 && self.cut.is_none() && !self.grey
    }
}

/// Walks the blocks of the GIF at `path`.
pub fn inspect(path: &Path) -> Result<Repair, String> {
    let file = crate::base::input::open(path)?;
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    let mut w = Walker {
        r: BufReader::new(file),
        pos: 0,
        len,
    };
    walk(&mut w, path, |_| {}).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

struct Walker<R> {
    r: R,
    pos: u64,
    len: u64,
}

impl<R: BufRead + Seek> Walker<R> {
    /// The next byte, or `None` at the end of the file.
    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let mut b = [0u8];
        match self.r.read(&mut b)? {
            0 => Ok(None),
            _ => {
                self.pos += 1;
                Ok(Some(b[0]))
            }
        }
    }

    /// Skips `n` bytes; false if the file ends first.
    fn skip(&mut self, n: u64) -> std::io::Result<bool> {
        if self.pos + n > self.len {
            return Ok(false);
        }
        self.r.seek_relative(n as i64)?;
        self.pos += n;
        Ok(true)
    }

    /// Skips a chain of data sub-blocks up to its terminator; false if the file ends
    /// first.
    fn sub_blocks(&mut self) -> std::io::Result<bool> {
        loop {
            match self.byte()? {
                None => return Ok(false),
                Some(0) => return Ok(true),
                Some(n) => {
                    if !self.skip(n as u64)? {
                        return Ok(false);
                    }
                }
            }
        }
    }
}

/// Walks the blocks, calling `on_skip` with the byte range of each unknown extension
/// (ranges are not kept: a hostile file may hold millions).
fn walk<R: BufRead + Seek>(
    w: &mut Walker<R>,
    path: &Path,
    mut on_skip: impl FnMut(Range<u64>),
) -> std::io::Result<Repair> {
    let mut repair = Repair::default();
    let mut header = [0u8; 13];
    if w.r.read_exact(&mut header).is_err() || !header.starts_with(b"GIF8") {
        return Ok(repair); // not a GIF: the decoder says so
    }
    w.pos = 13;
    let global = header[10] & 0x80 != 0;
    if global && !w.skip(3 << ((header[10] & 7) + 1))? {
        return Ok(repair);
    }
    let mut frames = 0u64;
    loop {
        let start = w.pos;
        match w.byte()? {
            None | Some(0x3B) => break,
            Some(0x21) => {
                let Some(label) = w.byte()? else { break };
                if !w.sub_blocks()? {
                    break;
                }
                if !KNOWN_EXTENSIONS.contains(&label) {
                    repair.skipped += 1;
                    on_skip(start..w.pos);
                }
            }
            Some(0x2C) => {
                let mut d = [0u8; 9];
                if w.r.read_exact(&mut d).is_err() {
                    break;
                }
                w.pos += 9;
                let flags = d[8];
                if flags & 0x80 != 0 {
                    if !w.skip(3 << ((flags & 7) + 1))? {
                        break;
                    }
                } else if !global && !repair.grey {
                    repair.grey = true;
                    repair.warnings.push(format!(
                        "{} has no colour table: its colours are read as grey levels (index i \
                         as grey i), as Pillow does",
                        path.display()
                    ));
                }
                // The LZW code size, then the picture's data.
                if !w.skip(1)? || !w.sub_blocks()? {
                    break;
                }
                frames += 1;
            }
            Some(other) => {
                // Before any frame the decoder refuses it, as it should.
                if frames > 0 {
                    repair.cut = Some(start);
                    repair.warnings.push(format!(
                        "{} has an unknown block (0x{other:02X}) at byte {start}, after frame \
                         {frames}: the rest of the file is ignored",
                        path.display()
                    ));
                }
                break;
            }
        }
    }
    Ok(repair)
}

/// The repaired GIF, in memory.
pub fn apply(path: &Path, repair: &Repair) -> Result<Vec<u8>, String> {
    let file = crate::base::input::open(path)?;
    let mut data = Vec::new();
    file.take(MAX_REPAIRED_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if data.len() as u64 > MAX_REPAIRED_BYTES {
        return Err(format!(
            "{} is too large to read leniently (more than {} MiB)",
            path.display(),
            MAX_REPAIRED_BYTES >> 20
        ));
    }
    Ok(repaired(&data, repair))
}

fn repaired(data: &[u8], repair: &Repair) -> Vec<u8> {
    let end = repair
        .cut
        .map_or(data.len(), |c| c as usize)
        .min(data.len());
    let mut out = Vec::with_capacity(end + 3 * 256 + 1);
    let mut from = 0usize;
    if repair.grey && data.len() >= 13 {
        // A global table of 256 greys; the colour resolution bits are kept.
        out.extend_from_slice(&data[..10]);
        out.push((data[10] & 0x70) | 0x80 | 0x07);
        out.extend_from_slice(&data[11..13]);
        out.extend((0..=255u8).flat_map(|i| [i, i, i]));
        from = 13;
    }
    // The same walk again, copying what lies between the unknown extensions.
    let mut w = Walker {
        r: std::io::Cursor::new(data),
        pos: 0,
        len: data.len() as u64,
    };
    let _ = walk(&mut w, Path::new(""), |r| {
        let (a, b) = (r.start as usize, (r.end as usize).min(end));
        if a >= from && a < end {
            out.extend_from_slice(&data[from..a]);
            from = b;
        }
    });
    out.extend_from_slice(&data[from.min(end)..end]);
    if repair.cut.is_some() {
        out.push(0x3B);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// The repair and the ranges of the unknown extensions.
    fn inspect_bytes(data: &[u8]) -> (Repair, Vec<Range<u64>>) {
        let mut w = Walker {
            r: Cursor::new(data),
            pos: 0,
            len: data.len() as u64,
        };
        let mut skipped = Vec::new();
        let r = walk(&mut w, Path::new("t.gif"), |r| skipped.push(r)).unwrap();
        (r, skipped)
    }

    /// A 1x1 GIF: header, no global table, one frame with `local` as its table.
    fn gif(local: bool, between: &[u8], after: &[u8]) -> Vec<u8> {
        let mut g = b"GIF89a\x01\x00\x01\x00\x00\x00\x00".to_vec();
        g.extend_from_slice(between);
        g.extend_from_slice(b"\x2c\x00\x00\x00\x00\x01\x00\x01\x00");
        if local {
            g.extend_from_slice(&[0x80, 255, 0, 0, 0, 0, 255]);
        } else {
            g.push(0);
        }
        g.extend_from_slice(&[0x02, 0x02, 0x44, 0x01, 0x00]);
        g.extend_from_slice(after);
        g.push(0x3B);
        g
    }

    #[test]
    fn a_sound_gif_needs_nothing() {
        assert!(inspect_bytes(&gif(true, b"", b"")).0.is_none());
    }

    #[test]
    fn unknown_extensions_are_left_out() {
        let data = gif(true, b"\x21\x2a\x02ab\x00\x21\x30\x00", b"");
        let (r, skipped) = inspect_bytes(&data);
        assert_eq!(skipped, vec![13..19, 19..22]);
        assert_eq!(r.skipped, 2);
        assert!(r.warnings.is_empty());
        assert_eq!(repaired(&data, &r), gif(true, b"", b""));
    }

    #[test]
    fn an_unknown_block_after_a_frame_ends_the_gif() {
        let data = gif(true, b"", b"GIF89a junk");
        let (r, _) = inspect_bytes(&data);
        assert!(r.cut.is_some());
        assert_eq!(repaired(&data, &r), gif(true, b"", b""));
        // Before any frame it is left to the decoder to refuse.
        assert!(inspect_bytes(&gif(true, b"\x47", b"")).0.is_none());
    }

    #[test]
    fn a_frame_without_colours_gets_a_grey_table() {
        let data = gif(false, b"\x21\x2a\x00", b"");
        let (r, _) = inspect_bytes(&data);
        assert!(r.grey);
        let out = repaired(&data, &r);
        assert_eq!(out[10], 0x87);
        assert_eq!(&out[13 + 3 * 200..13 + 3 * 201], &[200, 200, 200]);
        assert_eq!(&out[13 + 768..], &gif(false, b"", b"")[13..]);
    }

    #[test]
    fn a_truncated_gif_is_left_to_the_decoder() {
        let data = gif(true, b"\x21\x2a\x02ab\x00", b"");
        let (r, skipped) = inspect_bytes(&data[..data.len() - 4]);
        assert_eq!(skipped, vec![13..19]);
        assert_eq!(r.skipped, 1);
        assert!(inspect_bytes(&data[..16]).0.is_none());
    }
}
