//! One palette for a whole GIF, chosen by libimagequant from a sample of frames spread
//! over the clip (as ffmpeg's `palettegen` does from all of them). Every frame is then
//! remapped to it on its own, on any thread (`gif_remap`, our own: the palette never
//! changes, so its nearest-colour search is prepared once), which is what lets GIF
//! encoding run on the render workers.

use std::sync::{Mutex, OnceLock};

use imagequant::{Attributes, RGBA};

use super::gif_remap::Remapper;

/// The shared palette, ready to remap frames.
pub struct Palette {
    /// The palette's colours, which every remapped frame uses unchanged.
    colors: Vec<RGBA>,
    remapper: Remapper,
}

/// libimagequant's speed for choosing the palette (1 is its slowest and best, its
/// default 4): more k-means passes. One palette serves the whole clip, so a better one
/// is worth its time. Against speed 6, at quality 90 (docs/gif-measurements.md): DSSIM 0.000462 →
/// 0.000433 on sinc_surface and 0.000320 → 0.000303 on sinc_composite, at the same
/// bytes (±0.2 %) and SSIM (+0.0001–0.0002), for about 0.04 s more CPU a GIF of
/// sinc_surface (8 % of it); speed 1 gave 0.000429 and 0.000301 for about 0.06 s.
const CHOOSE_SPEED: i32 = 2;

/// libimagequant's speed for the sample's histogram: from 8 up it skips the contrast
/// maps (which weigh noisy areas down). See docs/gif-measurements.md for what it was measured to do.
const HISTOGRAM_SPEED: i32 = 8;

/// The gamma libimagequant is told the pictures have. Its default (sRGB's 0.45) spends
/// the palette where the eye is most sensitive, green; higher values spread it more
/// evenly over red, green and blue. 0.55 gave +0.014 SSIM over 0.45 at slightly fewer
/// bytes, for a small loss in DSSIM; with our own remapping (`gif_remap`), 0.6 gave a
/// better SSIM and DSSIM than 0.55 on both shaded example scenes (docs/gif-measurements.md).
const GAMMA: f64 = 0.6;

/// What `--quality` (1–100) sets: the most colours in the palette (255 at 90 and above,
/// halved every 20 below: 128 at 70, 64 at 50) and how much of the error is dithered
/// (all of it at 95 and above: smoothest gradients, more bytes). Below 95, 0.3: with
/// plain Floyd–Steinberg that gave fewer bytes and a higher SSIM than libimagequant's
/// dither map at 0.5 did (docs/gif.md, "Quality levels").
pub fn settings(quality: u8) -> (u32, f32) {
    let q = f64::from(quality.clamp(1, 100));
    let colors = if q >= 90.0 {
        255
    } else {
        (255.0 * ((q - 90.0) / 20.0).exp2()).round().max(2.0) as u32
    };
    let dither = if q >= 95.0 { 1.0 } else { 0.3 };
    (colors, dither)
}

fn quant_error(e: imagequant::Error) -> String {
    format!("colour quantisation failed: {e}")
}

/// Straight RGBA bytes as libimagequant's pixels.
fn pixels(rgba: &[u8]) -> Vec<RGBA> {
    rgba.chunks_exact(4)
        .map(|c| RGBA::new(c[0], c[1], c[2], c[3]))
        .collect()
}

fn attributes(colors: u32, speed: i32) -> Result<Attributes, String> {
    let mut attr = imagequant::new();
    attr.set_max_colors(colors).map_err(quant_error)?;
    attr.set_speed(speed).map_err(quant_error)?;
    Ok(attr)
}

impl Palette {
    /// The palette for `frames` (straight RGBA, `w` × `h` each) at `quality` (see
    /// [`settings`]). At most 255 colours, so that a frame always has an index free
    /// for "unchanged".
    pub fn from_sample(
        frames: &[&[u8]],
        w: usize,
        h: usize,
        quality: u8,
    ) -> Result<Palette, String> {
        Palette::chosen_at(frames, w, h, quality, CHOOSE_SPEED)
    }

    /// [`Palette::from_sample`] with the palette chosen at libimagequant speed `speed`.
    fn chosen_at(
        frames: &[&[u8]],
        w: usize,
        h: usize,
        quality: u8,
        speed: i32,
    ) -> Result<Palette, String> {
        let (colors, dither) = settings(quality);
        let sampling = attributes(colors, HISTOGRAM_SPEED)?;
        let mut hist = imagequant::Histogram::new(&sampling);
        for f in frames {
            let mut image = sampling
                .new_image(pixels(f), w, h, GAMMA)
                .map_err(quant_error)?;
            hist.add_image(&sampling, &mut image).map_err(quant_error)?;
        }
        let choosing = attributes(colors, speed)?;
        let colors = hist.quantize(&choosing).map_err(quant_error)?.palette_vec();
        if colors.is_empty() || colors.len() > 255 {
            return Err(format!(
                "{} colours chosen, expected 1 to 255",
                colors.len()
            ));
        }
        let rgb: Vec<[u8; 3]> = colors.iter().map(|c| [c.r, c.g, c.b]).collect();
        Ok(Palette {
            remapper: Remapper::new(&rgb, dither),
            colors,
        })
    }

    /// The colours every remapped frame uses, in order: the GIF's global colour table
    /// when no frame is exact.
    pub fn colors(&self) -> &[RGBA] {
        &self.colors
    }

    /// The box `x0..x1` × `y0..y1` of a picture (straight RGBA, `w` pixels a row) as
    /// indices into [`Palette::colors`], dithered; see [`Remapper::remap`] for `prev`
    /// and `clear`. The result depends only on the inputs and the shared palette.
    pub fn remap(
        &self,
        rgba: &[u8],
        w: usize,
        rect: (usize, usize, usize, usize),
        prev: Option<&[u8]>,
        clear: u8,
    ) -> Vec<u8> {
        self.remapper.remap(rgba, w, rect, prev, clear)
    }
}

/// The palette of a clip's sample, chosen once, when first asked for (by the GIF's
/// preparation, on one worker while the others render ahead). It depends on the sample
/// alone, so the output does not depend on which thread chose it or when.
pub struct SamplePalette {
    /// The sample's pictures (straight RGBA), until the palette is chosen.
    sample: Mutex<Vec<Vec<u8>>>,
    w: usize,
    h: usize,
    quality: u8,
    chosen: OnceLock<Result<Palette, String>>,
}

impl SamplePalette {
    pub fn new(sample: Vec<Vec<u8>>, w: usize, h: usize, quality: u8) -> SamplePalette {
        SamplePalette {
            sample: Mutex::new(sample),
            w,
            h,
            quality,
            chosen: OnceLock::new(),
        }
    }

    /// The palette, chosen now if it was not yet (other callers wait for it).
    pub fn get(&self) -> Result<&Palette, String> {
        self.chosen
            .get_or_init(|| {
                let sample =
                    std::mem::take(&mut *self.sample.lock().unwrap_or_else(|p| p.into_inner()));
                let pictures: Vec<&[u8]> = sample.iter().map(Vec::as_slice).collect();
                Palette::from_sample(&pictures, self.w, self.h, self.quality)
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quality_sets_colours_and_dithering() {
        assert_eq!(settings(100), (255, 1.0));
        assert_eq!(settings(90), (255, 0.3));
        assert_eq!(settings(70), (128, 0.3));
        assert_eq!(settings(50), (64, 0.3));
        assert_eq!(settings(1), (12, 0.3));
    }

    #[test]
    fn remaps_a_gradient_closely_and_the_same_way_twice() {
        let (w, h) = (32, 16);
        let g: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % w * 8) as u8, (i / w * 16) as u8, 128, 255])
            .collect();
        let p = Palette::from_sample(&[&g], w, h, 90).unwrap();
        let ix = p.remap(&g, w, (0, 0, w, h), None, 255);
        let pal = p.colors();
        assert!(pal.len() <= 255);
        let worst = ix
            .iter()
            .zip(g.chunks_exact(4))
            .map(|(&i, c)| {
                let q = pal[i as usize];
                q.r.abs_diff(c[0])
                    .max(q.g.abs_diff(c[1]))
                    .max(q.b.abs_diff(c[2]))
            })
            .max()
            .unwrap();
        assert!(worst <= 24, "largest channel error {worst}");
        assert_eq!(p.remap(&g, w, (0, 0, w, h), None, 255), ix, "deterministic");
    }

    /// Mean squared RGB distance from each pixel of `pic` to its nearest colour of `p`.
    fn palette_error(p: &Palette, pic: &[u8]) -> f64 {
        let total: u64 = pic
            .chunks_exact(4)
            .map(|c| {
                p.colors()
                    .iter()
                    .map(|q| {
                        let d = [q.r.abs_diff(c[0]), q.g.abs_diff(c[1]), q.b.abs_diff(c[2])];
                        d.iter().map(|&v| u64::from(v) * u64::from(v)).sum::<u64>()
                    })
                    .min()
                    .unwrap()
            })
            .sum();
        total as f64 / (pic.len() / 4) as f64
    }

    #[test]
    fn the_palette_is_chosen_closer_than_at_a_faster_speed() {
        // Shaded frames as a surface makes them: a colour map (blue to red) by height,
        // darkened by the light, the heights moving from frame to frame. One palette for
        // all of them must be spread well, which more k-means passes do.
        let (w, h) = (96, 64);
        let frames: Vec<Vec<u8>> = (0..4)
            .map(|t| {
                (0..w * h)
                    .flat_map(|i| {
                        let (x, y) = ((i % w) as f64, (i / w) as f64);
                        let height = 0.5 + 0.5 * (x / 11.0 + y / 17.0 + t as f64).sin();
                        let light = 0.35 + 0.65 * (0.5 + 0.5 * (y / 9.0 - x / 29.0).cos());
                        let c = [height, 1.0 - (2.0 * height - 1.0).abs(), 1.0 - height];
                        let [r, g, b] = c.map(|v| (255.0 * v * light) as u8);
                        [r, g, b, 255]
                    })
                    .collect()
            })
            .collect();
        let pictures: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
        let error = |speed| {
            let p = Palette::chosen_at(&pictures, w, h, 90, speed).unwrap();
            frames.iter().map(|f| palette_error(&p, f)).sum::<f64>()
        };
        let (chosen, fast) = (error(CHOOSE_SPEED), error(6));
        assert!(
            chosen < 0.98 * fast,
            "speed {CHOOSE_SPEED}: {chosen:.2}, speed 6: {fast:.2}"
        );
    }
}
