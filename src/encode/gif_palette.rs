//! One palette for a whole GIF, chosen by libimagequant from a sample of frames spread
//! over the clip (as ffmpeg's `palettegen` does from all of them). Every frame is then
//! remapped to it on its own, on any thread, which is what lets GIF encoding run
//! on the render workers.

use std::sync::{Mutex, OnceLock};

use imagequant::{Attributes, QuantizationResult, RGBA};

/// The shared palette, ready to remap frames.
pub struct Palette {
    /// Attributes for remapping: no dither map (see [`REMAP_SPEED`]).
    attr: Attributes,
    result: QuantizationResult,
    /// The palette's colours, which every remapped frame uses unchanged.
    colors: Vec<RGBA>,
}

/// libimagequant's speed for remapping. At its default (4) every frame is remapped
/// twice: once to find where dithering shows (the "dither map", which also nudges the
/// palette towards the frame, so each frame needs its own colour table), then dithered.
/// From 8 up it dithers once with plain Floyd–Steinberg against the fixed palette:
/// about a third of the remapping's cost, and one colour table serves every frame.
const REMAP_SPEED: i32 = 8;

/// libimagequant's speed for choosing the palette (its default is 4): fewer k-means
/// passes. Measured on sinc_surface and sinc_composite at quality 90 (docs/gif.md):
/// 5–9 % less CPU for the whole GIF on one thread, +0.1–0.2 % bytes, SSIM within
/// ±0.0004, DSSIM +0.00001–0.00002; 8 saved 12 % but DSSIM rose by up to 0.00007.
const CHOOSE_SPEED: i32 = 6;

/// The gamma libimagequant is told the pictures have. Its default (sRGB's 0.45) spends
/// the palette where the eye is most sensitive, green; 0.55 spreads it more evenly over
/// red, green and blue. Measured on the example scenes (docs/gif.md): +0.014 SSIM at
/// slightly fewer bytes, for a small loss in DSSIM.
const GAMMA: f64 = 0.55;

/// What `--quality` (1–100) sets: the most colours in the palette (255 at 90 and above,
/// halved every 20 below: 128 at 70, 64 at 50) and how much of the error is dithered
/// (all of it at 95 and above: smoothest gradients, more bytes). Below 95, 0.3: with
/// plain Floyd–Steinberg (no dither map, see [`REMAP_SPEED`]) that gave fewer bytes
/// and a higher SSIM than the dither map at 0.5 did (docs/gif.md).
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
        let (colors, dither) = settings(quality);
        let mut attr = imagequant::new();
        attr.set_max_colors(colors).map_err(quant_error)?;
        attr.set_speed(CHOOSE_SPEED).map_err(quant_error)?;
        let mut hist = imagequant::Histogram::new(&attr);
        for f in frames {
            let mut image = attr
                .new_image(pixels(f), w, h, GAMMA)
                .map_err(quant_error)?;
            hist.add_image(&attr, &mut image).map_err(quant_error)?;
        }
        let mut chosen = hist.quantize(&attr).map_err(quant_error)?;
        let colors = chosen.palette_vec();
        let mut remap = imagequant::new();
        remap
            .set_max_colors(colors.len().max(2) as u32)
            .map_err(quant_error)?;
        remap.set_speed(REMAP_SPEED).map_err(quant_error)?;
        let mut result =
            QuantizationResult::from_palette(&remap, &colors, GAMMA).map_err(quant_error)?;
        result.set_dithering_level(dither).map_err(quant_error)?;
        let colors = result.palette_vec();
        Ok(Palette {
            attr: remap,
            result,
            colors,
        })
    }

    /// The colours every remapped frame uses, in order: the GIF's global colour table
    /// when no frame is exact.
    pub fn colors(&self) -> &[RGBA] {
        &self.colors
    }

    /// A picture (straight RGBA, `w` × `h`) as the palette's colours and one index a
    /// pixel, dithered. The palette may shift slightly towards the picture's colours;
    /// the result depends only on the picture and the shared palette.
    pub fn remap(&self, rgba: &[u8], w: usize, h: usize) -> Result<(Vec<RGBA>, Vec<u8>), String> {
        let mut image = self
            .attr
            .new_image(pixels(rgba), w, h, GAMMA)
            .map_err(quant_error)?;
        self.result
            .clone()
            .remapped(&mut image)
            .map_err(quant_error)
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
        let (pal, ix) = p.remap(&g, w, h).unwrap();
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
        assert_eq!(p.remap(&g, w, h).unwrap(), (pal, ix), "deterministic");
    }
}
