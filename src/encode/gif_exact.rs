//! Lossless GIF frames for pictures of at most 255 colours — plots, text, flat graphics:
//! each frame gets its own exact palette, pixels unchanged since the previous frame
//! become transparent, and identical frames merge into one longer frame. No
//! quantisation, so this is both exact and several times faster than gifski for such
//! pictures; [`super::gif::GifSink`] uses it when every frame allows it.

use std::collections::HashMap;
use std::io::Write;

use crate::base::frame::Frame;

/// The most colours a frame may have (one palette slot stays free for transparency).
pub const MAX_COLORS: usize = 255;

/// A frame as palette indices.
#[derive(Clone, PartialEq)]
pub struct Indexed {
    /// Straight RGBA; alpha is 0 or 255.
    pub palette: Vec<[u8; 4]>,
    pub pixels: Vec<u8>,
}

impl Indexed {
    /// The frame's straight RGBA pixels again.
    pub fn rgba(&self) -> Vec<u8> {
        self.pixels
            .iter()
            .flat_map(|&i| self.palette[i as usize])
            .collect()
    }

    pub fn bytes(&self) -> usize {
        self.pixels.len() + self.palette.len() * 4
    }
}

/// The frame as indices, if it has at most [`MAX_COLORS`] colours and (for a
/// transparent output) no partly transparent pixel. An opaque output shows the frame
/// over black, which its premultiplied colours already are.
pub fn index(frame: &Frame, transparent: bool) -> Option<Indexed> {
    let mut map: HashMap<u32, u8> = HashMap::with_capacity(64);
    let mut palette: Vec<[u8; 4]> = Vec::new();
    let mut pixels = Vec::with_capacity(frame.pixels().len());
    let mut last: Option<(u32, u8)> = None;
    for px in frame.pixels() {
        let rgba = if transparent {
            match px.alpha() {
                0 => [0, 0, 0, 0],
                255 => [px.red(), px.green(), px.blue(), 255],
                _ => return None,
            }
        } else {
            [px.red(), px.green(), px.blue(), 255]
        };
        let key = u32::from_le_bytes(rgba);
        let i = match last {
            Some((k, i)) if k == key => i,
            _ => {
                let i = match map.get(&key) {
                    Some(&i) => i,
                    None => {
                        if palette.len() == MAX_COLORS {
                            return None;
                        }
                        let i = palette.len() as u8;
                        palette.push(rgba);
                        map.insert(key, i);
                        i
                    }
                };
                last = Some((key, i));
                i
            }
        };
        pixels.push(i);
    }
    Some(Indexed { palette, pixels })
}

/// Writes frames to a GIF, each lasting from its first frame index to the next
/// frame's, in hundredths of a second rounded on the running total (so that the
/// length is right) and at least 2 (what browsers honour).
pub struct Writer<W: Write> {
    enc: gif::Encoder<W>,
    w: u16,
    h: u16,
    fps: f64,
    transparent: bool,
    /// libimagequant's target quality for frames of many colours (1–100).
    quality: u8,
    /// The frame waiting for its end: (first index, its pixels).
    pending: Option<(u64, Picture)>,
    /// What the viewer shows after the last written frame (opaque outputs).
    shown: Option<Vec<u8>>,
    /// Hundredths of a second written so far.
    written_cs: u64,
}

/// A frame to write: exact indices, or straight RGBA to be quantised.
#[derive(Clone, PartialEq)]
pub enum Picture {
    Exact(Indexed),
    Rgba(Vec<u8>),
}

impl Picture {
    fn rgba(&self) -> Vec<u8> {
        match self {
            Picture::Exact(ix) => ix.rgba(),
            Picture::Rgba(v) => v.clone(),
        }
    }
}

impl<W: Write> Writer<W> {
    pub fn new(
        out: W,
        w: u32,
        h: u32,
        fps: f64,
        transparent: bool,
        quality: u8,
        repeat: gif::Repeat,
    ) -> Result<Writer<W>, String> {
        let (w, h) = (w as u16, h as u16);
        let mut enc = gif::Encoder::new(out, w, h, &[]).map_err(|e| e.to_string())?;
        enc.set_repeat(repeat).map_err(|e| e.to_string())?;
        Ok(Writer {
            enc,
            w,
            h,
            fps,
            transparent,
            quality,
            pending: None,
            shown: None,
            written_cs: 0,
        })
    }

    /// Adds frame `index` (indices must increase).
    pub fn push(&mut self, index: u64, picture: Picture) -> Result<(), String> {
        if let Some((_, p)) = &self.pending {
            if *p == picture {
                return Ok(()); // the same picture lasts longer
            }
        }
        if let Some((_, p)) = self.pending.take() {
            self.write(p, index)?;
        }
        self.pending = Some((index, picture));
        Ok(())
    }

    /// Writes the last frame, ending at `end` (the number of frames).
    pub fn finish(mut self, end: u64) -> Result<W, String> {
        if let Some((start, p)) = self.pending.take() {
            self.write(p, end.max(start + 1))?;
        }
        self.enc.into_inner().map_err(|e| e.to_string())
    }

    fn write(&mut self, picture: Picture, end: u64) -> Result<(), String> {
        let end_cs = (end as f64 * 100.0 / self.fps).round() as u64;
        let delay = end_cs.saturating_sub(self.written_cs).max(2);
        self.written_cs += delay;
        let (w, h) = (self.w as usize, self.h as usize);
        let rgba = picture.rgba();
        // Opaque outputs: only the box of changed pixels, unchanged ones transparent.
        let (x0, y0, x1, y1) = match (&self.shown, self.transparent) {
            (Some(prev), false) => changed_box(prev, &rgba, w, h).unwrap_or((0, 0, 1, 1)),
            _ => (0, 0, w, h),
        };
        let (bw, bh) = (x1 - x0, y1 - y0);
        let mut frame = match (&picture, &self.shown, self.transparent) {
            (Picture::Exact(ix), prev, transparent) => {
                let keep = if transparent { None } else { prev.as_ref() };
                let clear = ix.palette.len() as u8;
                let mut palette: Vec<u8> =
                    ix.palette.iter().flat_map(|c| [c[0], c[1], c[2]]).collect();
                palette.extend([0, 0, 0]);
                let mut buf = Vec::with_capacity(bw * bh);
                for y in y0..y1 {
                    for x in x0..x1 {
                        let i = y * w + x;
                        let idx = ix.pixels[i];
                        let same =
                            keep.is_some_and(|p| p[i * 4..i * 4 + 4] == rgba[i * 4..i * 4 + 4]);
                        let gone = transparent && ix.palette[idx as usize][3] == 0;
                        buf.push(if same || gone { clear } else { idx });
                    }
                }
                let mut f = gif::Frame {
                    width: bw as u16,
                    height: bh as u16,
                    buffer: std::borrow::Cow::Owned(buf),
                    palette: Some(palette),
                    transparent: Some(clear),
                    ..gif::Frame::default()
                };
                f.left = x0 as u16;
                f.top = y0 as u16;
                f
            }
            (Picture::Rgba(_), _, _) => {
                let mut sub = Vec::with_capacity(bw * bh * 4);
                for y in y0..y1 {
                    sub.extend_from_slice(&rgba[(y * w + x0) * 4..(y * w + x1) * 4]);
                }
                let mut f = quantized(&sub, bw, bh, self.quality)?;
                f.left = x0 as u16;
                f.top = y0 as u16;
                f
            }
        };
        frame.delay = delay.min(u16::MAX as u64) as u16;
        frame.dispose = if self.transparent {
            gif::DisposalMethod::Background
        } else {
            gif::DisposalMethod::Keep
        };
        self.enc.write_frame(&frame).map_err(|e| e.to_string())?;
        if !self.transparent {
            self.shown = Some(rgba);
        }
        Ok(())
    }
}

/// A frame of many colours reduced to a palette by libimagequant (what gifski uses),
/// with dithering; fully transparent pixels get the transparent index.
fn quantized(rgba: &[u8], w: usize, h: usize, quality: u8) -> Result<gif::Frame<'static>, String> {
    let fail = |e: imagequant::Error| format!("colour quantisation failed: {e}");
    let pixels: Vec<imagequant::RGBA> = rgba
        .chunks_exact(4)
        .map(|c| imagequant::RGBA::new(c[0], c[1], c[2], c[3]))
        .collect();
    let mut attr = imagequant::new();
    attr.set_quality(0, quality).map_err(fail)?;
    let mut image = attr.new_image(pixels, w, h, 0.0).map_err(fail)?;
    let mut result = attr.quantize(&mut image).map_err(fail)?;
    result.set_dithering_level(1.0).map_err(fail)?;
    let (palette, indices) = result.remapped(&mut image).map_err(fail)?;
    let transparent = palette.iter().position(|c| c.a == 0).map(|i| i as u8);
    Ok(gif::Frame {
        width: w as u16,
        height: h as u16,
        buffer: std::borrow::Cow::Owned(indices),
        palette: Some(palette.iter().flat_map(|c| [c.r, c.g, c.b]).collect()),
        transparent,
        ..gif::Frame::default()
    })
}

/// The smallest box (x0, y0, x1, y1) holding every pixel that differs.
fn changed_box(a: &[u8], b: &[u8], w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        let row = y * w * 4..(y + 1) * w * 4;
        if a[row.clone()] == b[row.clone()] {
            continue;
        }
        y0 = y0.min(y);
        y1 = y + 1;
        let (ra, rb) = (&a[row.clone()], &b[row]);
        let first = (0..w).find(|&x| ra[x * 4..x * 4 + 4] != rb[x * 4..x * 4 + 4]);
        let last = (0..w)
            .rev()
            .find(|&x| ra[x * 4..x * 4 + 4] != rb[x * 4..x * 4 + 4]);
        if let (Some(f), Some(l)) = (first, last) {
            x0 = x0.min(f);
            x1 = x1.max(l + 1);
        }
    }
    (y1 > y0).then_some((x0, y0, x1, y1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 4]) -> Frame {
        let mut pm = Frame::new(w, h).unwrap();
        for y in 0..h {
            for x in 0..w {
                let [r, g, b, a] = f(x, y);
                let i = ((y * w + x) * 4) as usize;
                pm.data_mut()[i..i + 4].copy_from_slice(&[r, g, b, a]);
            }
        }
        pm
    }

    #[test]
    fn indexes_few_colours_and_refuses_many() {
        let f = frame(8, 8, |x, _| {
            if x < 4 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 255]
            }
        });
        let ix = index(&f, false).unwrap();
        assert_eq!(ix.palette.len(), 2);
        assert_eq!(ix.rgba()[..4], [255, 0, 0, 255]);
        let many = frame(32, 32, |x, y| [(x * 8) as u8, (y * 8) as u8, 0, 255]);
        assert!(index(&many, false).is_none());
        let half = frame(2, 2, |_, _| [10, 10, 10, 128]);
        assert!(index(&half, true).is_none());
        assert!(index(&half, false).is_some());
    }

    fn decode(bytes: &[u8]) -> Vec<(Vec<u8>, u16)> {
        let mut opts = gif::DecodeOptions::new();
        opts.set_color_output(gif::ColorOutput::RGBA);
        let mut dec = opts.read_info(bytes).unwrap();
        let (w, h) = (dec.width() as usize, dec.height() as usize);
        let mut canvas = vec![0u8; w * h * 4];
        let mut out = Vec::new();
        while let Some(f) = dec.read_next_frame().unwrap() {
            for y in 0..f.height as usize {
                for x in 0..f.width as usize {
                    let s = (y * f.width as usize + x) * 4;
                    if f.buffer[s + 3] > 0 {
                        let d = ((y + f.top as usize) * w + x + f.left as usize) * 4;
                        canvas[d..d + 4].copy_from_slice(&f.buffer[s..s + 4]);
                    }
                }
            }
            out.push((canvas.clone(), f.delay));
        }
        out
    }

    #[test]
    fn round_trip_is_exact_with_merged_frames_and_right_delays() {
        let a = frame(6, 4, |x, y| {
            if x + y < 4 {
                [255, 255, 255, 255]
            } else {
                [31, 119, 180, 255]
            }
        });
        let b = frame(6, 4, |x, _| {
            if x == 2 {
                [0, 0, 0, 255]
            } else {
                [255, 255, 255, 255]
            }
        });
        let mut w = Writer::new(Vec::new(), 6, 4, 30.0, false, 90, gif::Repeat::Infinite).unwrap();
        for (i, f) in [&a, &a, &b, &b, &b, &a].iter().enumerate() {
            w.push(i as u64, Picture::Exact(index(f, false).unwrap()))
                .unwrap();
        }
        let frames = decode(&w.finish(6).unwrap());
        assert_eq!(frames.len(), 3);
        // 2/30 s, 3/30 s, 1/30 s, rounded on the running total: 7, 10, 3 (at least 2)
        assert_eq!(
            frames.iter().map(|f| f.1).collect::<Vec<_>>(),
            vec![7, 10, 3]
        );
        let want = |f: &Frame| f.data().to_vec();
        assert_eq!(frames[0].0, want(&a));
        assert_eq!(frames[1].0, want(&b));
        assert_eq!(frames[2].0, want(&a));
    }

    #[test]
    fn frames_of_many_colours_are_quantised_closely() {
        // 32 × 16 pixels, every one a different colour
        let g = frame(32, 16, |x, y| [(x * 8) as u8, (y * 16) as u8, 128, 255]);
        let rgba: Vec<u8> = g.data().to_vec();
        assert!(index(&g, false).is_none());
        let mut w =
            Writer::new(Vec::new(), 32, 16, 10.0, false, 90, gif::Repeat::Infinite).unwrap();
        w.push(0, Picture::Rgba(rgba.clone())).unwrap();
        let frames = decode(&w.finish(1).unwrap());
        assert_eq!(frames.len(), 1);
        let worst = frames[0]
            .0
            .iter()
            .zip(&rgba)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(worst <= 24, "largest channel error {worst}");
    }
}
