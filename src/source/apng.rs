//! Animated PNG (APNG) files, played as a GIF is: every frame composited on the canvas
//! as the APNG spec says (blend `source` or `over`, then dispose `none`, `background`
//! or `previous`), shown for its own delay, decoded once at load within the GIF limits.
//!
//! Read through the `png` crate rather than `image`'s APNG decoder, which panics on
//! 16-bit frames and would need the whole frame list checked by hand anyway.

use std::io::{BufReader, Read};
use std::path::Path;

use png::{BlendOp, ColorType, DisposeOp};

use super::gif::{shown_ms, Gif, Timeline};
use crate::base::frame::Size;

/// Whether the PNG at `path` is animated: one `acTL` chunk before its picture data, as
/// the APNG spec asks, with a valid frame count. A file with two, or with a count the
/// spec forbids, is not a valid APNG and shows its still picture, as Pillow shows it. A file that cannot be read says no, and is then
/// refused as a still picture.
pub fn is_animated(path: &Path) -> bool {
    let Ok(file) = crate::base::input::open(path) else {
        return false;
    };
    let mut r = BufReader::new(file);
    let mut signature = [0u8; 8];
    if r.read_exact(&mut signature).is_err() || &signature != b"\x89PNG\r\n\x1a\n" {
        return false;
    }
    let mut actl = 0;
    // Chunk headers only, up to the first IDAT (a few chunks in practice).
    loop {
        let mut head = [0u8; 8];
        if r.read_exact(&mut head).is_err() {
            return false;
        }
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        match &head[4..8] {
            b"IDAT" | b"IEND" => return actl == 1,
            b"acTL" if len == 8 => {
                let mut data = [0u8; 8];
                if r.read_exact(&mut data).is_err() {
                    return false;
                }
                // 0 frames, or more than 2^31 - 1 frames or plays, is no animation.
                let frames = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
                let plays = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
                if frames == 0 || frames > 0x7FFF_FFFF || plays > 0x7FFF_FFFF {
                    return false;
                }
                actl += 1;
                if r.seek_relative(4).is_err() {
                    return false;
                }
                continue;
            }
            b"acTL" => return false,
            _ => {}
        }
        // The data and the CRC.
        if r.seek_relative(len as i64 + 4).is_err() {
            return false;
        }
    }
}

/// Decodes every frame of the APNG at `path`, its distinct frames taking at most `room`
/// bytes (what the scene's memory budget has left).
pub fn open(path: &Path, room: u64) -> Result<Gif, String> {
    crate::base::guard::decoding(path.display(), || open_unguarded(path, room))
}

fn open_unguarded(path: &Path, room: u64) -> Result<Gif, String> {
    let corrupt = |e: &dyn std::fmt::Display| {
        format!(
            "{} is corrupt or unreadable: {}",
            path.display(),
            super::decode_text::plain(&e.to_string())
        )
    };
    let file = crate::base::input::open(path)?;
    let limits = png::Limits {
        bytes: super::decode::MAX_PICTURE_BYTES as usize,
    };
    let mut decoder = png::Decoder::new_with_limits(BufReader::new(file), limits);
    // 8-bit RGB(A) or grey(+alpha) whatever the file stores.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| corrupt(&e))?;
    let info = reader.info();
    let (w, h) = (info.width, info.height);
    let size =
        crate::base::limits::check_size(w, h).map_err(|m| format!("{}: {m}", path.display()))?;
    let Some(actl) = info.animation_control else {
        return Err(format!("{} is not an animated PNG", path.display()));
    };
    let frame_bytes = super::gif::frame_budget(path, size, "animation")?;
    let count = actl.num_frames as u64;
    super::gif::check_decode_work(path, count, frame_bytes, (w, h))?;
    let buffer_len = reader
        .output_buffer_size()
        .ok_or_else(|| corrupt(&"its frames are too large"))?;
    let mut buf = vec![0u8; buffer_len];
    // A picture before the first frame control is a still for viewers that do not
    // animate, not part of the animation.
    if info.frame_control.is_none() {
        reader.next_frame(&mut buf).map_err(|e| corrupt(&e))?;
    }

    let mut canvas = vec![0u8; frame_bytes as usize];
    let mut timeline = Timeline::new(path, size, room);
    let mut elapsed = 0.0;
    for n in 0..count as usize {
        let out = reader.next_frame(&mut buf).map_err(|e| corrupt(&e))?;
        let fc = reader
            .info()
            .frame_control
            .ok_or_else(|| corrupt(&format!("frame {} has no frame control", n + 1)))?;
        let region = Region {
            x: fc.x_offset,
            y: fc.y_offset,
            w: fc.width,
            h: fc.height,
        };
        if region.w != out.width
            || region.h != out.height
            || region.x.checked_add(region.w).is_none_or(|r| r > w)
            || region.y.checked_add(region.h).is_none_or(|b| b > h)
        {
            return Err(corrupt(&format!(
                "frame {} lies outside its {w}x{h} canvas",
                n + 1
            )));
        }
        // The png crate lays out an interlaced frame's rows at the canvas's row length,
        // a progressive one's at the frame's own.
        let line = if reader.info().interlaced {
            reader
                .output_line_size(w)
                .ok_or_else(|| corrupt(&"its frames are too large"))?
        } else {
            out.line_size
        };
        // `previous` on the first frame means `background` (the APNG spec).
        let dispose = match fc.dispose_op {
            DisposeOp::Previous if n == 0 => DisposeOp::Background,
            d => d,
        };
        let saved = (dispose == DisposeOp::Previous).then(|| region.copy(&canvas, size));
        blend(
            &mut canvas,
            size,
            region,
            &buf,
            line,
            out.color_type,
            fc.blend_op,
        )
        .map_err(|m| corrupt(&m))?;
        timeline.push(n, canvas.clone(), elapsed)?;
        elapsed += shown(fc.delay_num, fc.delay_den);
        crate::base::limits::check_duration(elapsed)
            .map_err(|m| format!("{}: {m}", path.display()))?;
        match dispose {
            DisposeOp::Background => region.clear(&mut canvas, size),
            DisposeOp::Previous => {
                if let Some(saved) = saved {
                    region.paste(&mut canvas, size, &saved)
                }
            }
            DisposeOp::None => {}
        }
    }
    timeline.finish("apng", elapsed)
}

/// Seconds a frame with a delay of `num / den` seconds is shown: a denominator of 0
/// means 100 (the APNG spec), and delays of 10 ms or less play as the short GIF delays
/// do, as browsers play them.
fn shown(num: u16, den: u16) -> f64 {
    let den = if den == 0 { 100.0 } else { den as f64 };
    let seconds = num as f64 / den;
    if seconds * 1000.0 <= 10.0 {
        shown_ms(0) as f64 / 1000.0
    } else {
        seconds
    }
}

/// The part of the canvas a frame covers.
#[derive(Clone, Copy)]
struct Region {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
}

impl Region {
    /// The canvas bytes of each row of the region.
    fn rows(self, size: Size) -> impl Iterator<Item = std::ops::Range<usize>> {
        let stride = size.w as usize * 4;
        (self.y..self.y + self.h).map(move |y| {
            let start = y as usize * stride + self.x as usize * 4;
            start..start + self.w as usize * 4
        })
    }

    fn copy(self, canvas: &[u8], size: Size) -> Vec<u8> {
        self.rows(size).flat_map(|r| &canvas[r]).copied().collect()
    }

    fn paste(self, canvas: &mut [u8], size: Size, saved: &[u8]) {
        let row = self.w as usize * 4;
        for (r, src) in self.rows(size).zip(saved.chunks_exact(row.max(1))) {
            canvas[r].copy_from_slice(src);
        }
    }

    fn clear(self, canvas: &mut [u8], size: Size) {
        for r in self.rows(size) {
            canvas[r].fill(0);
        }
    }
}

/// Puts a decoded frame (8-bit `color` rows of `line` bytes) on the canvas.
fn blend(
    canvas: &mut [u8],
    size: Size,
    region: Region,
    data: &[u8],
    line: usize,
    color: ColorType,
    op: BlendOp,
) -> Result<(), String> {
    let channels = match color {
        ColorType::Grayscale => 1,
        ColorType::GrayscaleAlpha => 2,
        ColorType::Rgb => 3,
        ColorType::Rgba => 4,
        ColorType::Indexed => return Err("its palette was not expanded".to_string()),
    };
    if line < region.w as usize * channels
        || data.len()
            < (line * region.h as usize).saturating_sub(line - region.w as usize * channels)
    {
        return Err("a frame is shorter than its size".to_string());
    }
    for (r, src) in region.rows(size).zip(data.chunks(line)) {
        let dst = &mut canvas[r];
        for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(channels)) {
            let px = match channels {
                1 => [s[0], s[0], s[0], 255],
                2 => [s[0], s[0], s[0], s[1]],
                3 => [s[0], s[1], s[2], 255],
                _ => [s[0], s[1], s[2], s[3]],
            };
            match op {
                BlendOp::Source => d.copy_from_slice(&px),
                BlendOp::Over => over(d, px),
            }
        }
    }
    Ok(())
}

/// `src` over `dst`, both straight (not premultiplied) RGBA, as the APNG spec writes it.
fn over(dst: &mut [u8], src: [u8; 4]) {
    let sa = src[3] as u32;
    if sa == 255 {
        dst.copy_from_slice(&src);
        return;
    }
    if sa == 0 {
        return;
    }
    let da = dst[3] as u32;
    // Alpha and colour in units of 255 * 255 to stay in integers.
    let out_a = sa * 255 + da * (255 - sa);
    for c in 0..3 {
        let v = src[c] as u32 * sa * 255 + dst[c] as u32 * da * (255 - sa);
        dst[c] = ((v + out_a / 2) / out_a) as u8;
    }
    dst[3] = ((out_a + 127) / 255) as u8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_follows_the_spec() {
        let mut d = [0, 0, 255, 255];
        over(&mut d, [255, 0, 0, 255]);
        assert_eq!(d, [255, 0, 0, 255]);
        let mut d = [0, 0, 255, 255];
        over(&mut d, [255, 0, 0, 0]);
        assert_eq!(d, [0, 0, 255, 255]);
        let mut d = [0, 0, 255, 255];
        over(&mut d, [255, 0, 0, 128]);
        assert_eq!(d, [128, 0, 127, 255]);
        // Over a transparent canvas a colour keeps its value.
        let mut d = [0, 0, 0, 0];
        over(&mut d, [200, 100, 50, 60]);
        assert_eq!(d, [200, 100, 50, 60]);
    }

    #[test]
    fn delays() {
        assert_eq!(shown(1, 10), 0.1);
        assert_eq!(shown(50, 0), 0.5);
        assert_eq!(shown(0, 100), 0.1);
        assert_eq!(shown(1, 100), 0.1);
        assert_eq!(shown(1, 30), 1.0 / 30.0);
    }
}
