//! One GIF frame, encoded from its picture and the previous one alone, so that any
//! thread can do it: exact indices when the frame has few colours, else the shared
//! palette with dithering; pixels unchanged since the previous frame become
//! transparent (the previous frame stays under them) and only the box of changes is
//! stored; then LZW compression. What is left for the ordered writer is timing.

use std::borrow::Cow;

use super::gif_exact::{self, Global, Indexed};
use super::gif_lzw;
use super::gif_palette::Palette;
use crate::base::frame::Frame;

/// A frame's picture as the GIF encoder sees it.
pub struct Input {
    /// Straight RGBA. An opaque output is flattened over black (alpha 255).
    pub rgba: Vec<u8>,
    /// The frame's exact palette, if it has one.
    pub exact: Option<Indexed>,
}

impl Input {
    pub fn new(frame: &Frame, transparent: bool) -> Input {
        let rgba = if transparent {
            let mut rgba = Vec::with_capacity(frame.data().len());
            for px in frame.pixels() {
                if px.alpha() == 0 {
                    rgba.extend_from_slice(&[0; 4]);
                } else {
                    let c = px.demultiply();
                    rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
                }
            }
            rgba
        } else {
            // Premultiplied colour is the colour over black: the bytes as they are.
            let mut rgba = frame.data().to_vec();
            for px in rgba.chunks_exact_mut(4) {
                px[3] = 255;
            }
            rgba
        };
        let exact = gif_exact::index(&rgba);
        Input { rgba, exact }
    }
}

/// What a frame adds to the GIF.
pub enum Encoded {
    /// Nothing: the picture is the previous one, which lasts longer.
    Same,
    /// A frame with LZW-compressed pixels; its delay and disposal are left to the writer.
    Frame(gif::Frame<'static>),
}

/// The output's shape.
#[derive(Clone, Copy)]
pub struct Layout {
    pub w: usize,
    pub h: usize,
    /// Transparent output: every frame replaces the previous one whole (GIF cannot
    /// both keep the previous frame under a pixel and clear it).
    pub transparent: bool,
    /// The shared palette is the GIF's global colour table: remapped frames need no
    /// table of their own (768 bytes a frame).
    pub palette_global: bool,
}

/// Encodes `cur`, shown after `prev` (none for the first frame).
pub fn encode(
    layout: &Layout,
    palette: Option<&Palette>,
    global: Option<&Global>,
    cur: &Input,
    prev: Option<&Input>,
) -> Result<Encoded, String> {
    let (w, h) = (layout.w, layout.h);
    if prev.is_some_and(|p| p.rgba == cur.rgba) {
        return Ok(Encoded::Same);
    }
    // Keeping unchanged pixels from the previous frame shows them as that frame showed
    // them: exact only if it was exact.
    let keep = prev.filter(|p| !layout.transparent && (cur.exact.is_none() || p.exact.is_some()));
    let (x0, y0, x1, y1) = keep
        .and_then(|p| gif_exact::changed_box(&p.rgba, &cur.rgba, w, h))
        .unwrap_or((0, 0, w, h));
    let (bw, bh) = (x1 - x0, y1 - y0);
    let in_global = cur
        .exact
        .as_ref()
        .and_then(|ix| Some((global?, global?.lookup(ix)?)));
    // (local colour table or none for the global one, transparent index, indices,
    // whether unchanged and transparent pixels are the transparent index already)
    let (table, clear, mut indices, cleared) = match (&cur.exact, in_global) {
        (Some(ix), Some((g, lut))) => {
            let mut indices = Vec::with_capacity(bw * bh);
            for y in y0..y1 {
                let row = &ix.pixels[y * w + x0..y * w + x1];
                indices.extend(row.iter().map(|&i| lut[i as usize]));
            }
            (None, g.clear(&lut), indices, false)
        }
        (Some(ix), None) => {
            let mut indices = Vec::with_capacity(bw * bh);
            for y in y0..y1 {
                indices.extend_from_slice(&ix.pixels[y * w + x0..y * w + x1]);
            }
            let colors: Vec<[u8; 3]> = ix.palette.iter().map(|c| [c[0], c[1], c[2]]).collect();
            (Some(colors), ix.palette.len() as u8, indices, false)
        }
        (None, _) => {
            let palette =
                palette.ok_or("internal error: no palette for a frame of many colours")?;
            let clear = palette.colors().len() as u8;
            // Pixels unchanged since the previous frame become the transparent index
            // anyway: they are not searched and pass no error on (measured: a few
            // bytes fewer at the same SSIM and DSSIM than remapping them, docs/gif-measurements.md).
            let unchanged = keep.map(|p| p.rgba.as_slice());
            let indices = palette.remap(&cur.rgba, w, (x0, y0, x1, y1), unchanged, clear);
            let table = (!layout.palette_global)
                .then(|| palette.colors().iter().map(|c| [c.r, c.g, c.b]).collect());
            (table, clear, indices, true)
        }
    };
    // The index after the colours (at most 255 of them) is transparent: unchanged
    // pixels, and transparent ones (alpha below half: GIF has no partial alpha).
    let table = table.map(|mut colors| {
        colors.push([0, 0, 0]);
        colors.concat()
    });
    // The remapper gave unchanged and transparent pixels the transparent index itself.
    if !cleared {
        for (y, out) in (y0..y1).zip(indices.chunks_exact_mut(bw.max(1))) {
            let row = (y * w + x0) * 4..(y * w + x1) * 4;
            let now = cur.rgba[row.clone()].chunks_exact(4);
            match keep {
                Some(p) => {
                    for ((o, c), q) in out.iter_mut().zip(now).zip(p.rgba[row].chunks_exact(4)) {
                        if c[3] < 128 || c == q {
                            *o = clear;
                        }
                    }
                }
                None => {
                    for (o, c) in out.iter_mut().zip(now) {
                        if c[3] < 128 {
                            *o = clear;
                        }
                    }
                }
            }
        }
    }
    let frame = gif::Frame {
        left: x0 as u16,
        top: y0 as u16,
        width: bw as u16,
        height: bh as u16,
        buffer: Cow::Owned(gif_lzw::compress(&indices)),
        palette: table,
        transparent: Some(clear),
        ..gif::Frame::default()
    };
    Ok(Encoded::Frame(frame))
}
