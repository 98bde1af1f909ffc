//! Remapping a frame to the GIF's one palette: each pixel's nearest palette colour in a
//! perceptual working space, with Floyd–Steinberg error diffusion. The palette is fixed
//! for the whole GIF, so everything that depends on it alone (the working-space palette,
//! the nearest-colour grid of `gif_nearest`) is built once and shared by every worker.
//!
//! The dithering is tuned for small files and no visible noise: errors too small to see
//! are not passed on (flat areas stay one index, which LZW compresses well), large errors
//! are damped (no isolated bright pixels in the middle of a smooth area), and a dithered
//! colour may overshoot the colour range only a little.

use super::gif_nearest::{dist, Color, Nearest};

/// Each channel of the working space is `(v / 255)^EXPONENT`, weighted. Measured at
/// quality 90 on sinc_surface and sinc_composite (docs/gif-measurements.md): 1.04 (the space
/// libimagequant chooses the palette in) gave the best SSIM, larger exponents spend the
/// search's precision on light colours and give a better DSSIM (perceptual) for a lower
/// SSIM; 1.425 improved both against libimagequant's own remapping.
const EXPONENT: f32 = 1.425;

/// Channel weights: the eye tells greens apart best and blues least.
const WEIGHTS: Color = [0.5, 1.0, 0.45];

/// How far a dithered colour may go beyond the colour range, as a share of each channel's
/// range. Some overshoot keeps dithering going near black and white (clamping there
/// would leave undithered bands); more makes speckles.
const OVERSHOOT: f32 = 0.1;

/// Squared errors below this are not diffused (0.0055 of green's range).
const NEGLIGIBLE: f32 = 2.0 / 65536.0;

/// Squared errors above this are damped (0.032 of green's range): a large error
/// passed on whole makes a pixel of a far colour where the picture has none.
const LARGE: f32 = 0.001;

/// The palette in the working space, with its nearest-colour grid.
pub struct Remapper {
    lut: [[f32; 256]; 3],
    palette: Vec<Color>,
    nearest: Nearest,
    /// Share of a pixel's accumulated error added to its colour.
    level: f32,
    lo: Color,
    hi: Color,
}

impl Remapper {
    /// `palette` (RGB, 1 to 256 colours), dithered at `dither` (0 none, 1 full; see
    /// `gif_palette::settings`).
    pub fn new(palette: &[[u8; 3]], dither: f32) -> Remapper {
        let lut = [0, 1, 2].map(|c| {
            let mut t = [0f32; 256];
            for (v, out) in t.iter_mut().enumerate() {
                *out = (v as f32 / 255.0).powf(EXPONENT) * WEIGHTS[c];
            }
            t
        });
        let lo = WEIGHTS.map(|w| -OVERSHOOT * w);
        let hi = WEIGHTS.map(|w| (1.0 + OVERSHOOT) * w);
        let palette: Vec<Color> = palette
            .iter()
            .map(|p| [0, 1, 2].map(|c| lut[c][p[c] as usize]))
            .collect();
        let nearest = Nearest::new(&palette, lo, hi);
        // The level is bent upwards as libimagequant bends it, so that a `--quality`
        // dithers as much as it did with libimagequant's remapping, and kept below 1 so
        // that no error circulates for ever.
        let d = dither.clamp(0.0, 1.0);
        let level = d * (2.0 - d) * (15.0 / 16.0);
        Remapper {
            lut,
            palette,
            nearest,
            level,
            lo,
            hi,
        }
    }

    fn color(&self, px: &[u8]) -> Color {
        [
            self.lut[0][px[0] as usize],
            self.lut[1][px[1] as usize],
            self.lut[2][px[2] as usize],
        ]
    }

    /// The box `x0..x1` × `y0..y1` of a picture (straight RGBA, `w` pixels a row) as
    /// palette indices, row after row. Pixels with alpha below half and, if `prev` (the
    /// previous picture, same shape) is given, pixels equal to it get `clear`: they are
    /// not searched and pass no error on. The result depends on these inputs alone.
    pub fn remap(
        &self,
        rgba: &[u8],
        w: usize,
        (x0, y0, x1, y1): (usize, usize, usize, usize),
        prev: Option<&[u8]>,
        clear: u8,
    ) -> Vec<u8> {
        let bw = x1 - x0;
        let mut out = vec![0u8; bw * (y1 - y0)];
        // Error arriving at each pixel of this row and the next, with a pixel of
        // padding at both ends so that no diffusion needs a bounds check.
        let mut this = vec![[0f32; 3]; bw + 2];
        let mut next = vec![[0f32; 3]; bw + 2];
        let add = |a: Color, e: Color, k: f32| [a[0] + e[0] * k, a[1] + e[1] * k, a[2] + e[2] * k];
        for (row, y) in (y0..y1).enumerate() {
            let span = (y * w + x0) * 4..(y * w + x1) * 4;
            let cur = &rgba[span.clone()];
            let old = prev.map(|p| &p[span]);
            let out = &mut out[row * bw..(row + 1) * bw];
            // Serpentine: even rows left to right, odd rows back, so that errors do not
            // all drift one way.
            let forward = row % 2 == 0;
            // Floyd–Steinberg: 7/16 of a pixel's error to the next pixel, 3/16, 5/16 and
            // 1/16 to the pixels below behind, below and below ahead. What goes along
            // the row, and what is still to come to the two pixels below that are not
            // complete, stay in registers: each pixel waits on the one before, and a
            // round trip through memory would be on that path.
            let mut ahead = [0f32; 3];
            // What the pixels below-behind and below the coming pixel have received.
            let (mut below_behind, mut below) = ([0f32; 3], [0f32; 3]);
            for k in 0..bw {
                let x = if forward { k } else { bw - 1 - k };
                let behind = if forward { x } else { x + 2 };
                let px = &cur[x * 4..x * 4 + 4];
                let err = if px[3] < 128 || old.is_some_and(|o| o[x * 4..x * 4 + 4] == *px) {
                    out[x] = clear;
                    [0.0; 3]
                } else {
                    let t = this[x + 1];
                    let arrived = [t[0] + ahead[0], t[1] + ahead[1], t[2] + ahead[2]];
                    let target = self.dithered(self.color(px), arrived);
                    let (index, d2) = self.nearest.find(&target);
                    out[x] = index;
                    let q = &self.palette[index as usize];
                    let err = [target[0] - q[0], target[1] - q[1], target[2] - q[2]];
                    if d2 > LARGE {
                        err.map(|e| e * 0.75)
                    } else {
                        err
                    }
                };
                ahead = err.map(|e| e * (7.0 / 16.0));
                next[behind] = add(below_behind, err, 3.0 / 16.0);
                below_behind = add(below, err, 5.0 / 16.0);
                below = err.map(|e| e * (1.0 / 16.0));
            }
            // The last pixel's below and below ahead (padding on the far side).
            let (end, pad) = if forward { (bw, bw + 1) } else { (1, 0) };
            next[end] = below_behind;
            next[pad] = below;
            std::mem::swap(&mut this, &mut next);
        }
        out
    }

    /// `color` with its share of the accumulated `error`, if that is worth showing.
    #[inline(always)]
    fn dithered(&self, color: Color, error: Color) -> Color {
        let s = error.map(|e| e * self.level);
        let size = dist(&s, &[0.0; 3]);
        if size < NEGLIGIBLE {
            return color;
        }
        let k = if size > LARGE { 0.8 } else { 1.0 };
        [0, 1, 2].map(|c| (color[c] + s[c] * k).clamp(self.lo[c], self.hi[c]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greys(n: usize) -> Vec<[u8; 3]> {
        (0..n)
            .map(|i| {
                let v = (i * 255 / (n - 1)) as u8;
                [v, v, v]
            })
            .collect()
    }

    #[test]
    fn a_flat_colour_of_the_palette_maps_to_it_everywhere() {
        let palette = [[10, 200, 30], [200, 20, 40], [0, 0, 0], [255, 255, 255]];
        for dither in [0.3, 1.0] {
            let r = Remapper::new(&palette, dither);
            let (w, h) = (9, 7);
            let pic: Vec<u8> = (0..w * h).flat_map(|_| [200, 20, 40, 255]).collect();
            assert!(r
                .remap(&pic, w, (0, 0, w, h), None, 4)
                .iter()
                .all(|&i| i == 1));
        }
    }

    #[test]
    fn a_grey_ramp_dithered_averages_to_its_grey() {
        // 33 greys, a ramp between them: full dithering mixes the neighbours so that each
        // column's mean (in the working space, where the error is measured) is close to
        // the ramp, and nothing is far from it.
        let palette = greys(33);
        let r = Remapper::new(&palette, 1.0);
        let (w, h) = (64, 32);
        let pic: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let v = (i % w * 4) as u8;
                [v, v, v, 255]
            })
            .collect();
        let green = |v: u8| r.lut[1][v as usize];
        // The mean distance of the columns' means from the ramp.
        let off = |ix: &[u8]| {
            (0..w)
                .map(|x| {
                    let mean = (0..h)
                        .map(|y| green(palette[ix[y * w + x] as usize][1]))
                        .sum::<f32>()
                        / h as f32;
                    (mean - green((x * 4) as u8)).abs()
                })
                .sum::<f32>()
                / w as f32
        };
        let ix = r.remap(&pic, w, (0, 0, w, h), None, 255);
        for (i, c) in ix.iter().enumerate() {
            let (got, want) = (palette[*c as usize][0] as f64, (i % w * 4) as f64);
            assert!((got - want).abs() <= 24.0, "pixel {i}: {got} for {want}");
        }
        let plain = Remapper::new(&palette, 0.0).remap(&pic, w, (0, 0, w, h), None, 255);
        let (dithered, undithered) = (off(&ix), off(&plain));
        assert!(
            dithered < 0.006 && undithered > 1.4 * dithered,
            "{dithered} dithered, {undithered} not"
        );
        // And without dithering, columns between two greys get no noise at all.
        for x in 0..w {
            assert!((0..h).all(|y| plain[y * w + x] == plain[x]), "column {x}");
        }
    }

    #[test]
    fn the_same_picture_gives_the_same_indices_and_a_box_is_its_own_picture() {
        let palette = greys(16);
        let r = Remapper::new(&palette, 0.3);
        let (w, h) = (20, 10);
        let pic: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                [
                    (i * 7 % 256) as u8,
                    (i * 13 % 256) as u8,
                    (i % 256) as u8,
                    255,
                ]
            })
            .collect();
        let whole = r.remap(&pic, w, (0, 0, w, h), None, 16);
        assert_eq!(r.remap(&pic, w, (0, 0, w, h), None, 16), whole);
        // A box of the picture is remapped as that picture cut out would be.
        let cut: Vec<u8> = (2..7)
            .flat_map(|y| pic[(y * w + 3) * 4..(y * w + 15) * 4].to_vec())
            .collect();
        assert_eq!(
            r.remap(&pic, w, (3, 2, 15, 7), None, 16),
            r.remap(&cut, 12, (0, 0, 12, 5), None, 16)
        );
    }

    #[test]
    fn unchanged_and_transparent_pixels_get_the_clear_index() {
        let palette = greys(4);
        let r = Remapper::new(&palette, 1.0);
        let (w, h) = (4, 2);
        let prev: Vec<u8> = (0..w * h).flat_map(|_| [90, 90, 90, 255]).collect();
        let mut cur = prev.clone();
        cur[4..8].copy_from_slice(&[255, 255, 255, 255]);
        cur[8..12].copy_from_slice(&[255, 255, 255, 10]);
        let ix = r.remap(&cur, w, (0, 0, w, h), Some(&prev), 4);
        assert_eq!(ix, [4, 3, 4, 4, 4, 4, 4, 4]);
    }
}
