//! MoviePy's `Painting` (`vfx.painting`): brighter colours with dark lines on the edges.
//!
//! MoviePy 2 sharpens the picture with Pillow's `EDGE_ENHANCE_MORE` 3×3 kernel, finds
//! the edges of its grey version (`convert("L")`) with Pillow's `FIND_EDGES` kernel, and
//! returns `saturation · sharpened − black · 255 · edges`, clamped and truncated. Pillow
//! leaves the outermost pixels of a picture unfiltered: here too the sharpened picture
//! keeps its border as it was, and the border has no edges (MoviePy's edge image keeps
//! the grey level there). MoviePy multiplies the 8-bit edge image by 255 in 8-bit
//! arithmetic, which wraps around (an edge of 2 darkens by `black · 254`, one of 255 by
//! `black`); this module uses the product the formula means.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::args::Short;
use super::bounds::{Bounded, NON_NEGATIVE};
use super::filtered::Filtered;
use super::pixel::Plane;
use super::wrap::env;
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::RawParam;

/// `"painting"`, `{ painting = 1.6 }` (the saturation), or
/// `{ painting = { saturation = 1.4, black = 0.006 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaintingTable {
    saturation: Option<Spanned<RawParam>>,
    black: Option<Spanned<RawParam>>,
}

pub type PaintingSpec = Short<PaintingTable>;

/// MoviePy's defaults.
const SATURATION: f64 = 1.4;
const BLACK: f64 = 0.006;

/// The painting effect on straight R, G, B (alpha kept; transparent pixels count as
/// black), or on a mask's value as a grey picture.
pub fn painting(
    spec: Option<Spanned<PaintingSpec>>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (saturation, black) = match spec.map(Short::split) {
        None => (None, None),
        Some((_, Ok(s))) => (Some(s), None),
        Some((_, Err(t))) => (t.saturation, t.black),
    };
    let saturation = Bounded::or(
        saturation.as_ref(),
        SATURATION,
        "the saturation",
        NON_NEGATIVE,
        cx,
    )?;
    let black = Bounded::or(black.as_ref(), BLACK, "black", NON_NEGATIVE, cx)?;
    let mask = input.is_mask();
    let source = input.clone();
    Ok(Filtered::wrap("painting", input, move |frame, t, rcx| {
        let e = env(&*source, t, rcx);
        let (Some(s), Some(b)) = (saturation.at(&e), black.at(&e)) else {
            return Ok(());
        };
        let mut plane = Plane::read(frame, mask);
        paint(&mut plane, s, b);
        plane.write(frame);
        Ok(())
    }))
}

/// Replaces the plane's values with the painting of them.
fn paint(plane: &mut Plane, saturation: f64, black: f64) {
    let (w, h, ch) = (plane.w, plane.h, plane.channels);
    let mut sharp = plane.data.clone();
    for c in 0..ch {
        filter3x3(&plane.data[c..], &mut sharp[c..], w, h, ch, 9);
    }
    let grey: Vec<u8> = sharp.chunks_exact(ch).map(grey).collect();
    let mut edges = vec![0u8; w * h];
    filter3x3(&grey, &mut edges, w, h, 1, 8);
    // Pillow copies the border of the grey picture; here the border has no edges.
    for y in 0..h {
        for x in 0..w {
            if x == 0 || y == 0 || x + 1 == w || y + 1 == h {
                edges[y * w + x] = 0;
            }
        }
    }
    for ((out, &v), &e) in plane
        .data
        .iter_mut()
        .zip(&sharp)
        .zip(edges.iter().flat_map(|e| std::iter::repeat_n(e, ch)))
    {
        let y = saturation * v as f64 - black * 255.0 * e as f64;
        *out = if y.is_nan() {
            0
        } else {
            (y + 1e-6).clamp(0.0, 255.0).floor() as u8
        };
    }
}

/// Pillow's `convert("L")`: ITU-R 601-2 luma in 16-bit fixed point, rounded; the value
/// itself for a one-channel plane.
fn grey(p: &[u8]) -> u8 {
    match p {
        [r, g, b] => {
            ((*r as u32 * 19595 + *g as u32 * 38470 + *b as u32 * 7471 + 0x8000) >> 16) as u8
        }
        _ => p[0],
    }
}

/// Pillow's 3×3 filter with the kernel `centre` in the middle and −1 around it (scale
/// 1, offset 0), on one channel of `ch` interleaved: `centre·v − Σ neighbours`,
/// clamped to 0..255, written into `out` at the same positions. The outermost pixels,
/// and pictures less than 3 pixels wide or high, are left as `out` holds them.
fn filter3x3(src: &[u8], out: &mut [u8], w: usize, h: usize, ch: usize, centre: i32) {
    if w < 3 || h < 3 {
        return;
    }
    let at = |x: usize, y: usize| src[(y * w + x) * ch] as i32;
    for y in 1..h - 1 {
        // A signal stops a large frame part-way; the caller drops it.
        if crate::base::stop::signalled() {
            return;
        }
        for x in 1..w - 1 {
            let mut around = 0;
            for (dx, dy) in [
                (0, 0),
                (1, 0),
                (2, 0),
                (0, 1),
                (2, 1),
                (0, 2),
                (1, 2),
                (2, 2),
            ] {
                around += at(x + dx - 1, y + dy - 1);
            }
            out[(y * w + x) * ch] = (centre * at(x, y) - around).clamp(0, 255) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    fn grey_px(v: u8) -> [u8; 4] {
        [v, v, v, 255]
    }

    #[test]
    fn flat_colour_is_only_brightened() {
        // No edges: 1.4 · (100, 50, 20) = (140, 70, 28).
        let f = render(
            &ok("\"painting\"", solid(4, 4, [100, 50, 20, 255], None)),
            0.0,
        );
        assert!(pixels(&f).iter().all(|p| *p == [140, 70, 28, 255]));
        // 1.4 · 200 = 280: clamped.
        let f = render(
            &ok("{ painting = 2 }", solid(3, 3, [200, 10, 0, 255], None)),
            0.0,
        );
        assert_eq!(px(&f, 1, 1), [255, 20, 0, 255]);
    }

    #[test]
    fn a_bright_dot_by_hand() {
        // 5×5 grey 10 with 60 in the middle.
        let mut rows = vec![vec![grey_px(10); 5]; 5];
        rows[2][2] = grey_px(60);
        let rows: Vec<&[[u8; 4]]> = rows.iter().map(|r| r.as_slice()).collect();
        let clip = still(&rows);
        // Sharpened (9·v − Σ8, inner pixels): centre 9·60 − 80 = 460 → 255; its 8
        // neighbours 9·10 − (7·10 + 60) = −40 → 0; the border stays 10. Grey levels
        // are the same (R = G = B). Edges (8·g − Σ8, inner pixels): centre
        // 8·255 − 0 = 2040 → 255; every neighbour 8·0 − (…) < 0 → 0.
        let f = render(
            &ok("{ painting = { saturation = 1, black = 0.001 } }", clip),
            0.0,
        );
        // Centre: 255 − 0.001·255·255 = 189.975 → 189.
        assert_eq!(px(&f, 2, 2), grey_px(189));
        // (1, 1): sharpened 0; edges 8·0 − (5·10 + 255 + 2·0) < 0 → 0: stays 0.
        assert_eq!(px(&f, 1, 1), grey_px(0));
        // Border (0, 0): sharpened 10 (unfiltered), no edges: 10.
        assert_eq!(px(&f, 0, 0), grey_px(10));
        // (2, 1) is a neighbour of the dot: sharpened 0, edges of the grey picture at
        // (2, 1): 8·0 − (10 + 10 + 10 + 0 + 0 + 0 + 255 + 0) < 0 → 0.
        assert_eq!(px(&f, 2, 1), grey_px(0));
    }

    #[test]
    fn dark_lines_on_a_step() {
        // 4 columns: 0 0 | 100 100, 3 rows. Inner pixels (1, 1) and (2, 1).
        let row: &[[u8; 4]] = &[grey_px(0), grey_px(0), grey_px(100), grey_px(100)];
        let clip = still(&[row, row, row]);
        // Sharpened: (1, 1): 9·0 − 3·100 → 0; (2, 1): 9·100 − 5·100 = 400 → 255.
        // Grey: row 1 is 0 0 255 100 (the border keeps 0 and 100).
        // Edges: (1, 1): 8·0 − (0 + 0 + 100 + 0 + 255 + 0 + 0 + 100) → 0;
        //        (2, 1): 8·255 − (0 + 100 + 100 + 0 + 100 + 0 + 100 + 100) = 1540 → 255.
        // Painting (1.4, 0.006): (2, 1): 1.4·255 − 0.006·255·255 = 357 − 390.15 → 0.
        let f = render(&ok("\"painting\"", clip), 0.0);
        assert_eq!(px(&f, 2, 1), grey_px(0));
        assert_eq!(px(&f, 1, 1), grey_px(0));
        // The border: 1.4 · 100 = 140.
        assert_eq!(px(&f, 3, 1), grey_px(140));
        assert_eq!(px(&f, 2, 0), grey_px(140));
    }

    #[test]
    fn pillow_grey_levels() {
        assert_eq!(grey(&[255, 0, 0]), 76);
        assert_eq!(grey(&[0, 255, 0]), 150);
        assert_eq!(grey(&[0, 0, 255]), 29);
        assert_eq!(grey(&[77, 77, 77]), 77);
    }

    #[test]
    fn on_a_mask_and_limits() {
        let m = ok("\"to_mask\"", solid(3, 3, [100, 100, 100, 255], None));
        let f = render(&ok("\"painting\"", m), 0.0);
        assert_eq!(px(&f, 1, 1), [140, 140, 140, 140]);
        let (msg, at) = err(
            "{ painting = { black = -1 } }",
            solid(1, 1, [0, 0, 0, 255], None),
        );
        assert_eq!(
            (msg.as_str(), at.as_str()),
            ("black must be at least 0, not -1", "-1")
        );
    }
}
