//! Spatial filters with scikit-image's semantics: gaussian_blur (`filters.gaussian`),
//! sharpen (`filters.unsharp_mask`), edges (`filters.sobel`).

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::args::Short;
use super::blur::{blur_frame, convolve, Edge, Kernel, MAX_SIGMA};
use super::bounds::{Bounded, Range, ANY};
use super::filtered::Filtered;
use super::pixel::Plane;
use super::wrap::env;
use crate::base::diag::Diagnostic;
use crate::clip::build::ResolveCx;
use crate::clip::Clip;
use crate::expr::RawParam;

/// σ-like parameters: 0 to [`MAX_SIGMA`] pixels.
const SIGMA: Range = Range {
    lo: 0.0,
    hi: MAX_SIGMA,
    unit: " pixels",
};

// ---------------------------------------------------------------------------------
// gaussian_blur

/// `{ gaussian_blur = 4 }` or `{ gaussian_blur = { sigma = 4 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GaussianTable {
    sigma: Spanned<RawParam>,
}

pub type GaussianSpec = Short<GaussianTable>;

/// `filters.gaussian(image, sigma, mode='nearest', truncate=4.0, preserve_range=True)`,
/// rounded, on the premultiplied frame: colour, alpha and a mask's value all blur.
pub fn gaussian_blur(
    spec: Spanned<GaussianSpec>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let raw = Short::split(spec).1.unwrap_or_else(|t| t.sigma);
    let sigma = Bounded::new(&raw, "sigma", SIGMA, cx)?;
    if sigma.as_constant() == Some(0.0) {
        return Ok(input);
    }
    let source = input.clone();
    Ok(Filtered::wrap(
        "gaussian_blur",
        input,
        move |frame, t, rcx| {
            if let Some(s) = sigma.at(&env(&*source, t, rcx)) {
                blur_frame(frame, s);
            }
            Ok(())
        },
    ))
}

// ---------------------------------------------------------------------------------
// sharpen

/// `"sharpen"`, `{ sharpen = 2 }` (the amount), or `{ sharpen = { radius = 1, amount = 1 } }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharpenTable {
    radius: Option<Spanned<RawParam>>,
    amount: Option<Spanned<RawParam>>,
}

pub type SharpenSpec = Short<SharpenTable>;

/// `filters.unsharp_mask(image, radius, amount)`: `v + amount · (v − blurred)` with a
/// Gaussian of σ = radius (mirrored edges), clamped and rounded. Changes straight
/// R, G, B of a colour clip (alpha kept), or a mask's value.
pub fn sharpen(
    spec: Option<Spanned<SharpenSpec>>,
    input: Arc<dyn Clip>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let (radius, amount) = match spec.map(Short::split) {
        None => (None, None),
        Some((_, Ok(a))) => (None, Some(a)),
        Some((_, Err(t))) => (t.radius, t.amount),
    };
    let radius = Bounded::or(radius.as_ref(), 1.0, "the radius", SIGMA, cx)?;
    let amount = Bounded::or(amount.as_ref(), 1.0, "the amount", ANY, cx)?;
    let mask = input.is_mask();
    let source = input.clone();
    Ok(Filtered::wrap("sharpen", input, move |frame, t, rcx| {
        let e = env(&*source, t, rcx);
        let (Some(r), Some(a)) = (radius.at(&e), amount.at(&e)) else {
            return Ok(());
        };
        if r == 0.0 {
            return Ok(());
        }
        let a = a as f32;
        let mut plane = Plane::read(frame, mask);
        let kernel = Kernel::gaussian(r);
        let line = plane.w * plane.channels;
        let src = plane.data.clone();
        convolve(
            &src,
            plane.w,
            plane.h,
            plane.channels,
            &kernel,
            Edge::Reflect,
            |y, blurred| {
                let orig = &src[y * line..(y + 1) * line];
                let out = &mut plane.data[y * line..(y + 1) * line];
                for ((o, &v), b) in out.iter_mut().zip(orig).zip(blurred) {
                    let v = v as f32;
                    *o = (v + (v - b) * a).round().clamp(0.0, 255.0) as u8;
                }
            },
        );
        plane.write(frame);
        Ok(())
    }))
}

// ---------------------------------------------------------------------------------
// edges

/// `filters.sobel`: the gradient magnitude `sqrt((gx² + gy²) / 2)` of each channel,
/// with the kernels [1, 2, 1]/4 ⊗ [1, 0, −1] and mirrored edges, on 0..255 values,
/// rounded. Changes straight R, G, B separately (alpha kept), or a mask's value.
pub fn edges(input: Arc<dyn Clip>) -> Arc<dyn Clip> {
    let mask = input.is_mask();
    Filtered::wrap("edges", input, move |frame, _, _| {
        let mut plane = Plane::read(frame, mask);
        sobel(&mut plane);
        plane.write(frame);
        Ok(())
    })
}

/// Replaces every value of the plane with its Sobel gradient magnitude. imageproc's
/// integer responses are exact, and its edge rule (the edge pixel repeated) is what
/// mirroring gives one pixel beyond the edge.
fn sobel(plane: &mut Plane) {
    let rows = crate::base::pixel::band_rows(plane.w as u32) as usize;
    sobel_in_bands(plane, rows);
}

/// [`sobel`] a band of `rows` rows at a time, each filtered with the row above and
/// below it, so that the values are the same as one pass over the plane: a signal
/// stops it between bands (see `base::stop`; the plane is then unfinished), and
/// the gradients held are a band's, not the frame's.
fn sobel_in_bands(plane: &mut Plane, rows: usize) {
    let (w, h, ch) = (plane.w, plane.h, plane.channels);
    let line = w * ch;
    let mut out = vec![0u8; plane.data.len()];
    let mut y0 = 0;
    while y0 < h {
        if crate::base::stop::signalled() {
            return;
        }
        let y1 = (y0 + rows.max(1)).min(h);
        let (lo, hi) = (y0.saturating_sub(1), (y1 + 1).min(h));
        let band = plane.data[lo * line..hi * line].to_vec();
        let (gx, gy) = sobel_pass(band, w as u32, (hi - lo) as u32, ch);
        let skip = (y0 - lo) * line;
        let n = (y1 - y0) * line;
        for ((o, &x), &y) in out[y0 * line..y1 * line]
            .iter_mut()
            .zip(&gx[skip..skip + n])
            .zip(&gy[skip..skip + n])
        {
            let (x, y) = (x as f32 / 4.0, y as f32 / 4.0);
            *o = (((x * x + y * y) / 2.0).sqrt() + 0.5).min(255.0) as u8;
        }
        y0 = y1;
    }
    plane.data = out;
}

/// imageproc's horizontal and vertical Sobel responses of `w × h` values of `ch`
/// channels (1 or 3), the edge pixel repeated.
fn sobel_pass(data: Vec<u8>, w: u32, h: u32, ch: usize) -> (Vec<i16>, Vec<i16>) {
    use imageproc::filter::filter_clamped;
    use imageproc::kernel::{SOBEL_HORIZONTAL_3X3 as GX, SOBEL_VERTICAL_3X3 as GY};
    if ch == 1 {
        let img = image::GrayImage::from_raw(w, h, data).expect("a plane holds w x h values");
        (
            filter_clamped::<_, i32, i16>(&img, GX).into_raw(),
            filter_clamped::<_, i32, i16>(&img, GY).into_raw(),
        )
    } else {
        let img = image::RgbImage::from_raw(w, h, data).expect("a plane holds w x h x 3 values");
        (
            filter_clamped::<_, i32, i16>(&img, GX).into_raw(),
            filter_clamped::<_, i32, i16>(&img, GY).into_raw(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effect::testing::*;

    #[test]
    fn blur_of_a_flat_frame_is_the_frame() {
        let clip = ok(
            "{ gaussian_blur = 3 }",
            solid(7, 5, [10, 20, 30, 255], None),
        );
        assert!(pixels(&render(&clip, 0.0))
            .iter()
            .all(|p| *p == [10, 20, 30, 255]));
        let p = solid(2, 2, [1, 2, 3, 255], None);
        assert!(Arc::ptr_eq(&ok("{ gaussian_blur = 0 }", p.clone()), &p));
    }

    #[test]
    fn blur_softens_transparency_without_colour_bleeding() {
        // Opaque red next to transparent: the blurred edge is red, half transparent.
        let clip = ok(
            "{ gaussian_blur = { sigma = 1 } }",
            still(&[&[
                [255, 0, 0, 255],
                [255, 0, 0, 255],
                [0, 0, 0, 0],
                [0, 0, 0, 0],
            ]]),
        );
        let f = render(&clip, 0.0);
        let (l, r) = (px(&f, 1, 0), px(&f, 2, 0));
        assert!(l[3] > 128 && r[3] < 128 && r[3] > 0, "{l:?} {r:?}");
        assert_eq!([l[1], l[2], r[1], r[2]], [0, 0, 0, 0]);
        assert_eq!(l[0], l[3]);
    }

    #[test]
    fn sigma_limits() {
        let p = solid(1, 1, [0, 0, 0, 255], None);
        let (m, at) = err("{ gaussian_blur = -1 }", p.clone());
        assert_eq!(
            (m.as_str(), at.as_str()),
            ("sigma must be between 0 and 250 pixels, not -1", "-1")
        );
        let (m, _) = err("{ sharpen = { radius = 1000 } }", p);
        assert!(m.contains("the radius must be between 0 and 250"), "{m}");
    }

    #[test]
    fn edges_of_a_step() {
        // A vertical step 0 | 255: gx = 255 · 4/4 on both sides, gy = 0.
        let row: &[[u8; 4]] = &[
            [0, 0, 0, 255],
            [0, 0, 0, 255],
            [255, 255, 255, 255],
            [255, 255, 255, 255],
        ];
        let f = render(&ok("\"edges\"", still(&[row, row, row])), 0.0);
        let m = (255.0f64 / 2f64.sqrt()).round() as u8;
        assert_eq!(px(&f, 0, 1), [0, 0, 0, 255]);
        assert_eq!(px(&f, 1, 1), [m, m, m, 255]);
        assert_eq!(px(&f, 2, 1), [m, m, m, 255]);
        assert_eq!(px(&f, 3, 1), [0, 0, 0, 255]);
    }

    /// Bands of any height give the values of one pass over the plane.
    #[test]
    fn sobel_bands_match_one_pass() {
        for ch in [1, 3] {
            let (w, h) = (13, 11);
            let data: Vec<u8> = (0..w * h * ch).map(|i| (i * 37 % 256) as u8).collect();
            let mut whole = Plane {
                w,
                h,
                channels: ch,
                data: data.clone(),
            };
            sobel_in_bands(&mut whole, h);
            for rows in [1, 2, 3, 5, 10] {
                let mut banded = Plane {
                    w,
                    h,
                    channels: ch,
                    data: data.clone(),
                };
                sobel_in_bands(&mut banded, rows);
                assert!(banded.data == whole.data, "{rows} rows, {ch} channels");
            }
            assert!(whole.data != data);
        }
    }
}
