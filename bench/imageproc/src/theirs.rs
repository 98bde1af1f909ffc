//! The same effects written with imageproc 0.27: the closest function it has, called
//! the way its documentation shows, with only what is needed to fit animate's frame
//! (splitting channels for functions that take one grey plane, scaling Sobel's
//! magnitude to scikit-image's).

use image::{GrayImage, ImageBuffer, Luma, Pixel, RgbImage, RgbaImage};
use imageproc::contrast::{
    equalize_histogram, otsu_level, stretch_contrast, threshold, ThresholdType,
};
use imageproc::filter::{
    filter_clamped, gaussian_blur_f32, separable_filter_equal, sharpen_gaussian,
};
use imageproc::geometric_transformations::{
    rotate, rotate270, warp_into, Border, Interpolation, Projection,
};
use imageproc::gradients::{sobel_gradient_map, sobel_gradients};
use imageproc::kernel::{SOBEL_HORIZONTAL_3X3, SOBEL_VERTICAL_3X3};
use toml::Value;

use crate::fixtures::Img;

/// An effect entry of the scene language, parsed: `"name"` or `{ name = argument }`.
pub struct Effect {
    pub name: String,
    arg: Option<Value>,
}

fn number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

impl Effect {
    pub fn parse(text: &str) -> Effect {
        let t: toml::Table = toml::from_str(&format!("e = {text}")).expect("an effect entry");
        match &t["e"] {
            Value::String(s) => Effect {
                name: s.clone(),
                arg: None,
            },
            Value::Table(t) => {
                let (k, v) = t.iter().next().expect("one key");
                Effect {
                    name: k.clone(),
                    arg: Some(v.clone()),
                }
            }
            other => panic!("unexpected effect {other}"),
        }
    }

    /// The number of the short form (`{ gaussian_blur = 4 }`), or the table's `key`.
    fn param(&self, key: &str) -> Option<f64> {
        match &self.arg {
            Some(Value::Table(t)) => t.get(key).and_then(number),
            Some(v) => number(v),
            None => None,
        }
    }

    /// A table's `[low, high]` pair.
    fn pair(&self, key: &str) -> Option<(f64, f64)> {
        let Some(Value::Table(t)) = &self.arg else {
            return None;
        };
        let a = t.get(key)?.as_array()?;
        Some((number(&a[0])?, number(&a[1])?))
    }

    fn over_clip(&self) -> bool {
        matches!(&self.arg, Some(Value::Table(t))
            if t.get("over").and_then(Value::as_str) == Some("clip"))
    }
}

// ---------------------------------------------------------------------------------
// Between the fixtures' images and image's buffers.

fn gray(img: &Img) -> GrayImage {
    assert_eq!((img.frames, img.channels), (1, 1));
    GrayImage::from_raw(img.w as u32, img.h as u32, img.data.clone()).expect("size")
}

fn rgb(img: &Img) -> RgbImage {
    assert_eq!((img.frames, img.channels), (1, 3));
    RgbImage::from_raw(img.w as u32, img.h as u32, img.data.clone()).expect("size")
}

fn from_buffer<P: Pixel<Subpixel = u8>>(b: &ImageBuffer<P, Vec<u8>>) -> Img {
    Img {
        frames: 1,
        w: b.width() as usize,
        h: b.height() as usize,
        channels: P::CHANNEL_COUNT as usize,
        data: b.as_raw().clone(),
    }
}

/// Each channel of a one-frame image as a grey plane.
fn planes(img: &Img) -> Vec<GrayImage> {
    (0..img.channels)
        .map(|c| {
            let data = img.data.iter().skip(c).step_by(img.channels).copied();
            GrayImage::from_raw(img.w as u32, img.h as u32, data.collect()).expect("size")
        })
        .collect()
}

fn merge(planes: &[GrayImage]) -> Img {
    let (w, h) = planes[0].dimensions();
    let mut out = Img::new(1, w as usize, h as usize, planes.len());
    for (c, p) in planes.iter().enumerate() {
        for (i, v) in p.as_raw().iter().enumerate() {
            out.data[i * planes.len() + c] = *v;
        }
    }
    out
}

/// `f` on every grey plane of a one-frame image: what a one-channel imageproc function
/// takes to run on a colour frame.
fn per_channel(img: &Img, f: impl Fn(&GrayImage) -> GrayImage) -> Img {
    let out: Vec<GrayImage> = planes(img).iter().map(f).collect();
    merge(&out)
}

/// `f` on each frame, or on all frames stacked into one picture when the statistics are
/// over the clip (the stacked picture has the clip's histogram).
fn frames(img: &Img, over_clip: bool, f: impl Fn(&Img) -> Img) -> Img {
    if img.frames == 1 {
        f(img)
    } else if over_clip {
        f(&img.stacked()).unstacked(img.frames)
    } else {
        Img::join((0..img.frames).map(|k| f(&img.single(k))).collect())
    }
}

/// NumPy's `percentile` (linear interpolation) of all values.
fn percentile(values: &[u8], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_unstable();
    let idx = p / 100.0 * (v.len() - 1) as f64;
    let lo = idx.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] as f64 + (v[hi] as f64 - v[lo] as f64) * (idx - lo as f64)
}

/// SciPy's Gaussian kernel (`ndimage.gaussian_filter`, truncated at 4σ): what
/// scikit-image uses, where imageproc's own `gaussian_blur_f32` stops at 2σ.
pub fn scipy_kernel(sigma: f64) -> Vec<f32> {
    let r = (4.0 * sigma + 0.5) as i64;
    let w: Vec<f64> = (-r..=r)
        .map(|x| (-0.5 * (x * x) as f64 / (sigma * sigma)).exp())
        .collect();
    let sum: f64 = w.iter().sum();
    w.iter().map(|v| (v / sum) as f32).collect()
}

/// Blurs each channel plane in f32 with a given kernel through imageproc's separable
/// filter, rounding once at the end (`gaussian_blur_f32` on 8-bit pixels truncates
/// between the passes and at the end).
pub fn blur_with_kernel(img: &Img, kernel: &[f32]) -> Img {
    let out: Vec<GrayImage> = planes(img)
        .iter()
        .map(|p| {
            let fp = ImageBuffer::<Luma<f32>, Vec<f32>>::from_raw(
                p.width(),
                p.height(),
                p.as_raw().iter().map(|&v| v as f32).collect(),
            )
            .expect("size");
            let b = separable_filter_equal(&fp, kernel);
            GrayImage::from_raw(
                p.width(),
                p.height(),
                b.as_raw()
                    .iter()
                    .map(|v| (v + 0.5).clamp(0.0, 255.0) as u8)
                    .collect(),
            )
            .expect("size")
        })
        .collect();
    merge(&out)
}

/// Which imageproc route an effect takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The function made for it, as documented (`gaussian_blur_f32`, `sobel_gradients`).
    Plain,
    /// imageproc's filtering loop with scikit-image's arithmetic around it: SciPy's
    /// kernel through `separable_filter_equal` on f32 planes for the blur; the exact i16
    /// Sobel responses of `filter_clamped` and our magnitude for edges; scikit-image's
    /// grey for Otsu's threshold on colour.
    Alt,
}

/// The effect on `input` with imageproc, or why imageproc cannot express it.
pub fn apply(e: &Effect, input: &Img, route: Route) -> Result<Img, &'static str> {
    let over = e.over_clip();
    Ok(match e.name.as_str() {
        // One histogram for R, G and B together (scikit-image on an RGB array) is not
        // something equalize_histogram can do: it takes grey images only, so a colour
        // picture is equalized channel by channel.
        "equalize" => frames(input, over, |f| per_channel(f, equalize_histogram)),
        "rescale_intensity" => frames(input, over, |f| {
            let (lo, hi) = match (e.pair("in_range"), e.pair("percentiles")) {
                (Some(r), _) => r,
                (_, Some((a, b))) => (percentile(&f.data, a), percentile(&f.data, b)),
                _ => (
                    *f.data.iter().min().unwrap() as f64,
                    *f.data.iter().max().unwrap() as f64,
                ),
            };
            // stretch_contrast takes whole 8-bit bounds and panics unless lo < hi.
            let (lo, hi) = (lo.round() as u8, hi.round() as u8);
            if lo >= hi {
                return f.clone();
            }
            if f.channels == 1 {
                from_buffer(&stretch_contrast(&gray(f), lo, hi, 0, 255))
            } else {
                from_buffer(&stretch_contrast(&rgb(f), lo, hi, 0, 255))
            }
        }),
        "adjust_log" | "adjust_gamma" => return Err("no such function"),
        "gaussian_blur" => {
            let sigma = e.param("sigma").expect("sigma");
            match route {
                Route::Plain if input.channels == 1 => {
                    from_buffer(&gaussian_blur_f32(&gray(input), sigma as f32))
                }
                Route::Plain => from_buffer(&gaussian_blur_f32(&rgb(input), sigma as f32)),
                Route::Alt => blur_with_kernel(input, &scipy_kernel(sigma)),
            }
        }
        "sharpen" => {
            let radius = match &e.arg {
                Some(Value::Table(t)) => t.get("radius").and_then(number).unwrap_or(1.0),
                _ => 1.0,
            };
            let amount = e.param("amount").unwrap_or(1.0);
            per_channel(input, |p| sharpen_gaussian(p, radius as f32, amount as f32))
        }
        "edges" if route == Route::Alt => edges_exact(input),
        "edges" => {
            if input.channels == 1 {
                sobel_to_u8(&[sobel_gradients(&gray(input))])
            } else {
                let m = sobel_gradient_map(&rgb(input), |p| p);
                let split: Vec<_> = (0..3)
                    .map(|c| {
                        ImageBuffer::from_fn(m.width(), m.height(), |x, y| {
                            Luma([m.get_pixel(x, y)[c]])
                        })
                    })
                    .collect();
                sobel_to_u8(&split)
            }
        }
        "threshold" => frames(input, over, |f| {
            let g = if f.channels == 1 {
                gray(f)
            } else if route == Route::Alt {
                skimage_grey(&rgb(f))
            } else {
                // image's grey conversion: Rec. 709 weights like rgb2gray's, but
                // 0.2126/0.7152/0.0722 and truncated.
                image::imageops::grayscale(&rgb(f))
            };
            let level = match e.param("value") {
                Some(v) => v.floor().clamp(0.0, 255.0) as u8,
                None => otsu_level(&g),
            };
            from_buffer(&threshold(&g, level, ThresholdType::Binary))
        }),
        _ => return Err("not compared"),
    })
}

/// scikit-image's `rgb2gray` (0.2125, 0.7154, 0.0721) rounded to 8 bits, as our
/// threshold measures colour: half of all colours get another grey from image's
/// `grayscale`, one level apart.
pub fn skimage_grey(img: &RgbImage) -> GrayImage {
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        let [r, g, b] = img.get_pixel(x, y).0.map(f64::from);
        Luma([(0.2125 * r + 0.7154 * g + 0.0721 * b)
            .round()
            .clamp(0.0, 255.0) as u8])
    })
}

/// imageproc's Sobel magnitude `sqrt(gx² + gy²)` (unnormalised kernels, truncated to
/// u16) scaled to scikit-image's `sqrt((gx² + gy²) / 2)` with kernels divided by 4.
fn sobel_to_u8(planes: &[ImageBuffer<Luma<u16>, Vec<u16>>]) -> Img {
    let scale = 1.0 / (4.0 * std::f32::consts::SQRT_2);
    let out: Vec<GrayImage> = planes
        .iter()
        .map(|p| {
            GrayImage::from_raw(
                p.width(),
                p.height(),
                p.as_raw()
                    .iter()
                    .map(|&v| (v as f32 * scale + 0.5).min(255.0) as u8)
                    .collect(),
            )
            .expect("size")
        })
        .collect();
    merge(&out)
}

/// scikit-image's Sobel magnitude from exact gradients: `filter_clamped` with imageproc's
/// 3×3 Sobel kernels into i16 (edge pixels repeat, which for a 3×3 kernel is
/// scikit-image's `mode='reflect'`), then `sqrt((gx² + gy²) / 2) / 4` in f32, rounded.
pub fn edges_exact(img: &Img) -> Img {
    let (h, v): (Vec<i16>, Vec<i16>) = if img.channels == 1 {
        let g = gray(img);
        (
            filter_clamped::<_, i32, i16>(&g, SOBEL_HORIZONTAL_3X3).into_raw(),
            filter_clamped::<_, i32, i16>(&g, SOBEL_VERTICAL_3X3).into_raw(),
        )
    } else {
        edges_i16(&rgb(img))
    };
    Img {
        data: sobel_magnitude(&h, &v),
        ..img.clone()
    }
}

/// The exact horizontal and vertical Sobel responses of each channel.
pub fn edges_i16(img: &RgbImage) -> (Vec<i16>, Vec<i16>) {
    (
        filter_clamped::<_, i32, i16>(img, SOBEL_HORIZONTAL_3X3).into_raw(),
        filter_clamped::<_, i32, i16>(img, SOBEL_VERTICAL_3X3).into_raw(),
    )
}

/// `sqrt((gx² + gy²) / 2)` of the responses divided by 4, rounded to 8 bits.
pub fn sobel_magnitude(h: &[i16], v: &[i16]) -> Vec<u8> {
    h.iter()
        .zip(v)
        .map(|(&x, &y)| {
            let (x, y) = (x as f32 / 4.0, y as f32 / 4.0);
            (((x * x + y * y) / 2.0).sqrt() + 0.5).min(255.0) as u8
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Geometry, on straight RGBA.

/// Resizes by warping with pixel centres aligned (imageproc has no resize; `warp`
/// samples the source once per output pixel, without averaging when it shrinks).
pub fn resize(src: &RgbaImage, w: u32, h: u32, interpolation: Interpolation) -> RgbaImage {
    let (sx, sy) = (
        w as f32 / src.width() as f32,
        h as f32 / src.height() as f32,
    );
    let p =
        Projection::scale(sx, sy).and_then(Projection::translate(0.5 * sx - 0.5, 0.5 * sy - 0.5));
    let mut out = RgbaImage::new(w, h);
    warp_into(src, p, interpolation, Border::Replicate, &mut out);
    out
}

/// Turns counter-clockwise by `degrees` about the picture's centre, same size,
/// transparent corners.
pub fn rotate_ccw(src: &RgbaImage, degrees: f32) -> RgbaImage {
    let c = (
        (src.width() as f32 - 1.0) / 2.0,
        (src.height() as f32 - 1.0) / 2.0,
    );
    // imageproc turns clockwise for a positive angle (y down).
    rotate(
        src,
        c,
        -degrees.to_radians(),
        Interpolation::Bicubic,
        Border::Constant(image::Rgba([0, 0, 0, 0])),
    )
}

/// A quarter turn counter-clockwise.
pub fn quarter_ccw(src: &RgbaImage) -> RgbaImage {
    rotate270(src)
}

/// A 3-channel Sobel through `sobel_gradient_map`, for timing.
pub fn edges_rgb(src: &RgbImage) -> Img {
    let m = sobel_gradient_map(src, |p| p);
    let scale = 1.0 / (4.0 * std::f32::consts::SQRT_2);
    let mut out = Img::new(1, src.width() as usize, src.height() as usize, 3);
    for (o, v) in out.data.iter_mut().zip(m.as_raw()) {
        *o = (*v as f32 * scale + 0.5).min(255.0) as u8;
    }
    out
}
