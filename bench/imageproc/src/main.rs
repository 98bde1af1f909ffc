//! imageproc 0.27 against animate's own filter and geometry effects.
//!
//! 1. Accuracy: every case of the scikit-image fixtures (tests/fixtures/filters/) run
//!    through imageproc's closest function and through our effect, each compared with
//!    scikit-image: the largest and the mean absolute difference, and whether every
//!    value is within the project's tolerance (±1 per channel, as
//!    src/effect/reference.rs checks).
//! 2. Geometry has no scikit-image fixture (our resize and rotate follow their own
//!    documented rules): imageproc is compared with our output, and shrinking by ½ and
//!    ¼ with the exact block averages.
//! 3. Speed on one thread: a 500×500 frame, ours and imageproc's alternately in each
//!    round, thread CPU time, the median of the rounds. Ours is timed through the scene
//!    (an image source, the effect), minus the same scene without the effect.
//! 4. What animate has no effect for: the cost of imageproc's morphology, labelling,
//!    distance transforms, contours, median and Canny on the same picture.
//!
//!   cargo run --release -- [--runs N] [--size N]

mod fixtures;
mod ours;
mod theirs;

use std::path::{Path, PathBuf};

use image::{ImageBuffer, Pixel, Rgba, RgbaImage};
use imageproc::geometric_transformations::Interpolation;

use fixtures::{diff, Img};
use ours::Ours;
use theirs::{Effect, Route};

/// The project's tolerance on the scikit-image fixtures, per channel.
const TOL: u8 = 1;

/// CPU time consumed by this thread, in seconds (other processes on a shared machine do
/// not inflate it).
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let p = std::env::temp_dir().join(format!("animate-imageproc-{}", std::process::id()));
        std::fs::create_dir_all(&p).expect("scratch folder");
        Scratch(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the frames of `img` as `dir/name/0.png`, `1.png`, … (grey as R = G = B).
fn write_frames(dir: &Path, name: &str, img: &Img) {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).expect("folder");
    for k in 0..img.frames {
        let rgb = image::RgbImage::from_fn(img.w as u32, img.h as u32, |x, y| {
            image::Rgb([0, 1, 2].map(|c| img.value(k, x as usize, y as usize, c)))
        });
        rgb.save(folder.join(format!("{k}.png"))).expect("png");
    }
}

/// A scene showing the pictures of `folder` at 10 fps through `effects`.
fn scene(folder: &str, effects: &str) -> String {
    format!(
        "[output]\nfps = 10\n[clip.src]\nkind = \"images\"\nfiles = \"{folder}/%d.png\"\nfps = 10\n\
         [clip.main]\nfrom = \"src\"\neffects = [{effects}]\n"
    )
}

/// Largest and mean difference over a group of cases, and whether all pass.
#[derive(Default, Clone, Copy)]
struct Score {
    max: u8,
    sum: f64,
    cases: usize,
    over: usize,
}

impl Score {
    fn add(&mut self, (max, mean, over): (u8, f64, usize)) {
        self.max = self.max.max(max);
        self.sum += mean;
        self.cases += 1;
        self.over += over;
    }
    fn show(&self) -> String {
        format!(
            "{} / {:.2}, {}",
            self.max,
            self.sum / self.cases.max(1) as f64,
            if self.over == 0 {
                "passes".to_string()
            } else {
                format!("fails ({} values off by > {TOL})", self.over)
            }
        )
    }
}

/// The fixture files, with the imageproc function compared.
const FIXTURES: &[(&str, &str)] = &[
    ("gaussian_blur", "filter::gaussian_blur_f32"),
    ("sharpen", "filter::sharpen_gaussian"),
    ("edges", "gradients::sobel_gradients (÷ 4√2)"),
    ("equalize", "contrast::equalize_histogram"),
    ("rescale_intensity", "contrast::stretch_contrast"),
    ("threshold", "contrast::otsu_level + threshold"),
    ("adjust_log", "—"),
    ("adjust_gamma", "—"),
];

/// Accuracy rows: (operation, imageproc function, imageproc's score, ours).
fn accuracy(dir: &Path) -> Vec<(String, String, Option<Score>, Score)> {
    println!("## Accuracy on the scikit-image fixtures (max / mean abs difference)\n");
    let mut rows = Vec::new();
    for &(file, function) in FIXTURES {
        let mut theirs_score = Score::default();
        let mut alt_score = Score::default();
        let mut ours_score = Score::default();
        // equalize_histogram takes grey images only: a colour picture (one histogram for
        // R, G and B in scikit-image and ours) can only be equalized channel by channel,
        // which is another operation; it is scored apart.
        let mut colour_score = Score::default();
        let mut missing = false;
        for c in fixtures::cases(file) {
            if !dir.join(&c.name).exists() {
                write_frames(dir, &c.name, &c.input);
            }
            let got = Ours::new(&scene(&c.name, &c.effect), dir).frames(c.want.frames);
            let o = diff(&got, &c.want, TOL);
            ours_score.add(o);
            let e = Effect::parse(&c.effect);
            match theirs::apply(&e, &c.input, Route::Plain) {
                Ok(t) => {
                    let d = diff(&t, &c.want, TOL);
                    if file == "equalize" && c.name == "rgb" {
                        colour_score.add(d);
                    } else {
                        theirs_score.add(d);
                    }
                    print!(
                        "{:<70} ours {:>3} / {:.2}   imageproc {:>3} / {:.2}",
                        c.call, o.0, o.1, d.0, d.1
                    );
                    if ["gaussian_blur", "edges", "threshold"].contains(&file) {
                        let s = theirs::apply(&e, &c.input, Route::Alt).unwrap();
                        let d = diff(&s, &c.want, TOL);
                        alt_score.add(d);
                        let v = diff(&s, &got, 0);
                        print!(
                            "   alternative route {:>3} / {:.2} ({} / {:.2} from ours)",
                            d.0, d.1, v.0, v.1
                        );
                    }
                    println!();
                }
                Err(why) => {
                    missing = true;
                    println!(
                        "{:<70} ours {:>3} / {:.2}   imageproc: {why}",
                        c.call, o.0, o.1
                    );
                }
            }
        }
        rows.push((
            file.to_string(),
            function.to_string(),
            (!missing).then_some(theirs_score),
            ours_score,
        ));
        if file == "equalize" {
            rows.push((
                "equalize, colour".to_string(),
                "contrast::equalize_histogram, per channel".to_string(),
                Some(colour_score),
                ours_score,
            ));
        }
        if file == "gaussian_blur" {
            rows.push((
                "gaussian_blur".to_string(),
                "filter::separable_filter_equal, f32 planes, SciPy's 4σ kernel".to_string(),
                Some(alt_score),
                ours_score,
            ));
        }
        if file == "threshold" {
            rows.push((
                "threshold".to_string(),
                "contrast::otsu_level + threshold on scikit-image's grey".to_string(),
                Some(alt_score),
                ours_score,
            ));
        }
        if file == "edges" {
            rows.push((
                "edges".to_string(),
                "filter::filter_clamped with kernel::SOBEL_*_3X3 into i16, our magnitude"
                    .to_string(),
                Some(alt_score),
                ours_score,
            ));
        }
    }
    println!();
    rows
}

/// A test picture: the pattern of benches/filters.rs, opaque.
fn pattern(w: u32, h: u32, grey: bool) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| {
        let v = ((x * 7 + y * 13) ^ (x * y)) as u8;
        if grey {
            Rgba([v, v, v, 255])
        } else {
            Rgba([v, v / 2, 255 - v, 255])
        }
    })
}

/// A smooth picture with some detail, for geometry (a noisy pattern would only measure
/// aliasing).
fn smooth(w: u32, h: u32) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let r = 127.5 + 127.5 * (6.0 * fx + 2.0 * fy).sin();
        let g = 255.0 * fy;
        let b = if (x / 8 + y / 8) % 2 == 0 {
            40.0
        } else {
            210.0
        };
        Rgba([r as u8, g as u8, b as u8, 255])
    })
}

/// Ours as a straight RGBA image (opaque pixels are straight already; others are only
/// compared by their alpha).
fn ours_image(o: &Ours) -> RgbaImage {
    let (w, h, data) = o.rgba(0.0);
    RgbaImage::from_raw(w as u32, h as u32, data).expect("size")
}

/// Largest and mean difference of R, G, B over the pixels opaque in both.
fn diff_opaque(a: &RgbaImage, b: &RgbaImage) -> (u8, f64) {
    assert_eq!(a.dimensions(), b.dimensions());
    let (mut max, mut sum, mut n) = (0u8, 0u64, 0u64);
    for (p, q) in a.pixels().zip(b.pixels()) {
        if p[3] == 255 && q[3] == 255 {
            for c in 0..3 {
                let d = p[c].abs_diff(q[c]);
                max = max.max(d);
                sum += d as u64;
                n += 1;
            }
        }
    }
    (max, sum as f64 / n.max(1) as f64)
}

/// Geometry rows: (operation, imageproc function, comparison).
fn geometry(dir: &Path) -> Vec<(String, String, String)> {
    println!("## Geometry (no scikit-image fixture): max / mean abs difference\n");
    let src = smooth(64, 48);
    src.save(dir.join("smooth.png")).expect("png");
    let ours = |effect: &str| {
        ours_image(&Ours::new(
            &format!("[clip.main]\nkind = \"file\"\npath = \"smooth.png\"\neffects = [{effect}]\n"),
            dir,
        ))
    };
    let mut rows = Vec::new();
    let mut row = |op: &str, f: &str, text: String| {
        println!("{op:<28} {f:<52} {text}");
        rows.push((op.to_string(), f.to_string(), text));
    };

    // Shrinking by ½: the exact answer is the average of each 2×2 block.
    let exact = RgbaImage::from_fn(32, 24, |x, y| {
        let mut p = [0u32; 4];
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let q = src.get_pixel(2 * x + dx, 2 * y + dy);
            (0..4).for_each(|c| p[c] += q[c] as u32);
        }
        Rgba(p.map(|v| ((v + 2) / 4) as u8))
    });
    let o = ours("{ resize = 0.5 }");
    let d = diff_opaque(&o, &exact);
    row(
        "resize ½ (ours)",
        "",
        format!("{} / {:.2} vs exact 2×2 averages", d.0, d.1),
    );
    for (name, interp) in [
        ("Bilinear", Interpolation::Bilinear),
        ("Bicubic", Interpolation::Bicubic),
    ] {
        let t = theirs::resize(&src, 32, 24, interp);
        let d = diff_opaque(&t, &exact);
        let v = diff_opaque(&t, &o);
        row(
            "resize ½",
            &format!("warp_into, Projection::scale, {name}"),
            format!(
                "{} / {:.2} vs exact 2×2 averages; {} / {:.2} vs ours",
                d.0, d.1, v.0, v.1
            ),
        );
    }
    let i = image::imageops::resize(&src, 32, 24, image::imageops::FilterType::Triangle);
    let d = diff_opaque(&i, &exact);
    row(
        "resize ½",
        "(image crate) imageops::resize, Triangle",
        format!("{} / {:.2} vs exact 2×2 averages", d.0, d.1),
    );

    // Shrinking by ¼: bilinear sampling reads 2×2 of each 4×4 block and skips the rest,
    // which shows on a picture with fine detail (the speed pattern).
    let fine = pattern(64, 48, false);
    fine.save(dir.join("fine.png")).expect("png");
    let exact = RgbaImage::from_fn(16, 12, |x, y| {
        let mut p = [0u32; 4];
        for dy in 0..4 {
            for dx in 0..4 {
                let q = fine.get_pixel(4 * x + dx, 4 * y + dy);
                (0..4).for_each(|c| p[c] += q[c] as u32);
            }
        }
        Rgba(p.map(|v| ((v + 8) / 16) as u8))
    });
    let o = ours_image(&Ours::new(
        "[clip.main]\nkind = \"file\"\npath = \"fine.png\"\neffects = [{ resize = 0.25 }]\n",
        dir,
    ));
    let d = diff_opaque(&o, &exact);
    row(
        "resize ¼ (ours)",
        "",
        format!("{} / {:.2} vs exact 4×4 averages", d.0, d.1),
    );
    let t = theirs::resize(&fine, 16, 12, Interpolation::Bilinear);
    let d = diff_opaque(&t, &exact);
    row(
        "resize ¼",
        "warp_into, Projection::scale, Bilinear",
        format!("{} / {:.2} vs exact 4×4 averages", d.0, d.1),
    );

    let o = ours("{ resize = 2 }");
    let t = theirs::resize(&src, 128, 96, Interpolation::Bicubic);
    let d = diff_opaque(&t, &o);
    row(
        "resize ×2",
        "warp_into, Projection::scale, Bicubic",
        format!("{} / {:.2} vs ours (Catmull-Rom)", d.0, d.1),
    );
    let i = image::imageops::resize(&src, 128, 96, image::imageops::FilterType::CatmullRom);
    let d = diff_opaque(&i, &o);
    row(
        "resize ×2",
        "(image crate) imageops::resize, CatmullRom",
        format!("{} / {:.2} vs ours", d.0, d.1),
    );

    let o = ours("{ rotate = { angle = 30, expand = false } }");
    let t = theirs::rotate_ccw(&src, 30.0);
    let d = diff_opaque(&t, &o);
    row(
        "rotate 30°",
        "geometric_transformations::rotate, Bicubic",
        format!(
            "{} / {:.2} vs ours (tiny-skia bicubic), opaque pixels",
            d.0, d.1
        ),
    );

    let o = ours("{ rotate = 90 }");
    let t = theirs::quarter_ccw(&src);
    let d = diff_opaque(&t, &o);
    row(
        "rotate 90°",
        "geometric_transformations::rotate270",
        format!("{} / {:.2} vs ours (both exact permutations)", d.0, d.1),
    );
    println!();
    rows
}

/// One timed operation: our effect on an input picture, and imageproc's version, which
/// takes the frame's RGBA bytes and returns the CPU seconds of the imageproc call alone
/// (the rest of the closure is fitting it to the frame).
struct Timed {
    op: &'static str,
    input: &'static str,
    effect: &'static str,
    theirs: Vec<(&'static str, Theirs)>,
}

/// imageproc's version of an operation: the frame in, CPU seconds of the call out.
type Theirs = Box<dyn Fn(&RgbaImage) -> f64>;

/// The speed of one operation: ours, and each imageproc route (name, ms with the
/// conversions, ms of the call alone).
struct Speed {
    op: String,
    ours_ms: f64,
    theirs: Vec<(String, f64, f64)>,
}

/// Times `f` (already warm) and returns what it reports.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = thread_cpu();
    let out = f();
    (thread_cpu() - start, out)
}

fn timings(dir: &Path, size: u32, runs: usize) -> Vec<Speed> {
    use imageproc::contrast::{
        equalize_histogram, otsu_level, stretch_contrast, threshold, ThresholdType,
    };
    use imageproc::filter::{gaussian_blur_f32, separable_filter_equal, sharpen_gaussian};

    pattern(size, size, false)
        .save(dir.join("colour.png"))
        .unwrap();
    pattern(size, size, true)
        .save(dir.join("grey.png"))
        .unwrap();
    pattern(size / 2, size / 2, false)
        .save(dir.join("half.png"))
        .unwrap();
    let inputs = [
        ("colour", pattern(size, size, false)),
        ("grey", pattern(size, size, true)),
        ("half", pattern(size / 2, size / 2, false)),
    ];
    let file_scene = |input: &str, effects: &str| {
        format!("[clip.main]\nkind = \"file\"\npath = \"{input}.png\"\neffects = [{effects}]\n")
    };
    let n = size;

    let ops: Vec<Timed> = vec![
        Timed {
            op: "gaussian_blur σ = 4",
            input: "colour",
            effect: "{ gaussian_blur = 4 }",
            theirs: vec![
                (
                    "gaussian_blur_f32 (2σ kernel)",
                    Box::new(move |img| timed(|| gaussian_blur_f32(img, 4.0)).0),
                ),
                (
                    "separable_filter_equal, SciPy's 4σ kernel, f32",
                    Box::new(move |img| {
                        let k = theirs::scipy_kernel(4.0);
                        let f: ImageBuffer<Rgba<f32>, Vec<f32>> = ImageBuffer::from_raw(
                            img.width(),
                            img.height(),
                            img.as_raw().iter().map(|&v| v as f32).collect(),
                        )
                        .unwrap();
                        let (t, out) = timed(|| separable_filter_equal(&f, &k));
                        let bytes: Vec<u8> = out
                            .as_raw()
                            .iter()
                            .map(|v| (v + 0.5).clamp(0.0, 255.0) as u8)
                            .collect();
                        std::hint::black_box(bytes);
                        t
                    }),
                ),
            ],
        },
        Timed {
            op: "sharpen (radius 1, amount 1)",
            input: "colour",
            effect: "\"sharpen\"",
            theirs: vec![(
                "sharpen_gaussian, per channel",
                Box::new(move |img| {
                    let planes: Vec<image::GrayImage> = (0..3)
                        .map(|c| {
                            image::GrayImage::from_fn(n, n, |x, y| {
                                image::Luma([img.get_pixel(x, y)[c]])
                            })
                        })
                        .collect();
                    let (t, out) = timed(|| {
                        planes
                            .iter()
                            .map(|p| sharpen_gaussian(p, 1.0, 1.0))
                            .collect::<Vec<_>>()
                    });
                    let back = RgbaImage::from_fn(n, n, |x, y| {
                        Rgba([
                            out[0].get_pixel(x, y)[0],
                            out[1].get_pixel(x, y)[0],
                            out[2].get_pixel(x, y)[0],
                            255,
                        ])
                    });
                    std::hint::black_box(back);
                    t
                }),
            )],
        },
        Timed {
            op: "edges (Sobel)",
            input: "colour",
            effect: "\"edges\"",
            theirs: vec![
                (
                    "sobel_gradient_map on RGB, scaled",
                    Box::new(move |img| {
                        let rgb =
                            image::RgbImage::from_fn(n, n, |x, y| img.get_pixel(x, y).to_rgb());
                        let (t, out) = timed(|| theirs::edges_rgb(&rgb));
                        std::hint::black_box(out);
                        t
                    }),
                ),
                (
                    "filter_clamped i16 Sobel on RGB, our magnitude",
                    Box::new(move |img| {
                        let rgb =
                            image::RgbImage::from_fn(n, n, |x, y| img.get_pixel(x, y).to_rgb());
                        let (t, out) = timed(|| {
                            let (h, v) = theirs::edges_i16(&rgb);
                            theirs::sobel_magnitude(&h, &v)
                        });
                        std::hint::black_box(out);
                        t
                    }),
                ),
            ],
        },
        Timed {
            op: "equalize",
            input: "grey",
            effect: "\"equalize\"",
            theirs: vec![(
                "equalize_histogram on the grey plane",
                Box::new(move |img| {
                    let g = image::GrayImage::from_fn(n, n, |x, y| {
                        image::Luma([img.get_pixel(x, y)[0]])
                    });
                    let (t, out) = timed(|| equalize_histogram(&g));
                    let back = RgbaImage::from_fn(n, n, |x, y| {
                        let v = out.get_pixel(x, y)[0];
                        Rgba([v, v, v, 255])
                    });
                    std::hint::black_box(back);
                    t
                }),
            )],
        },
        Timed {
            op: "rescale_intensity (min–max)",
            input: "colour",
            effect: "\"rescale_intensity\"",
            theirs: vec![(
                "stretch_contrast on RGBA",
                Box::new(move |img| {
                    let (t, out) = timed(|| {
                        let mut lo = 255u8;
                        let mut hi = 0u8;
                        for p in img.pixels() {
                            for &v in &p.0[..3] {
                                lo = lo.min(v);
                                hi = hi.max(v);
                            }
                        }
                        // As our pattern spans 0..255 the table is the identity: the
                        // pass is timed all the same.
                        stretch_contrast(img, lo, hi.max(lo + 1), 0, 255)
                    });
                    std::hint::black_box(out);
                    t
                }),
            )],
        },
        Timed {
            op: "threshold (Otsu)",
            input: "colour",
            effect: "\"threshold\"",
            theirs: vec![
                (
                    "grayscale + otsu_level + threshold",
                    Box::new(move |img| {
                        let (t, out) = timed(|| {
                            let g = image::imageops::grayscale(img);
                            let level = otsu_level(&g);
                            threshold(&g, level, ThresholdType::Binary)
                        });
                        let back = RgbaImage::from_fn(n, n, |x, y| {
                            let v = out.get_pixel(x, y)[0];
                            Rgba([v, v, v, 255])
                        });
                        std::hint::black_box(back);
                        t
                    }),
                ),
                (
                    "rgb2gray (f64) + otsu_level + threshold",
                    Box::new(move |img| {
                        let (t, out) = timed(|| {
                            let g = image::GrayImage::from_fn(n, n, |x, y| {
                                let [r, g, b, _] = img.get_pixel(x, y).0.map(f64::from);
                                image::Luma([(0.2125 * r + 0.7154 * g + 0.0721 * b).round() as u8])
                            });
                            let level = otsu_level(&g);
                            threshold(&g, level, ThresholdType::Binary)
                        });
                        let back = RgbaImage::from_fn(n, n, |x, y| {
                            let v = out.get_pixel(x, y)[0];
                            Rgba([v, v, v, 255])
                        });
                        std::hint::black_box(back);
                        t
                    }),
                ),
            ],
        },
        Timed {
            op: "resize ½",
            input: "colour",
            effect: "{ resize = 0.5 }",
            theirs: vec![
                (
                    "warp_into, scale, Bilinear",
                    Box::new(move |img| {
                        timed(|| theirs::resize(img, n / 2, n / 2, Interpolation::Bilinear)).0
                    }),
                ),
                (
                    "(image crate) imageops::resize, Triangle",
                    Box::new(move |img| {
                        timed(|| {
                            image::imageops::resize(
                                img,
                                n / 2,
                                n / 2,
                                image::imageops::FilterType::Triangle,
                            )
                        })
                        .0
                    }),
                ),
            ],
        },
        Timed {
            op: "resize ×2",
            input: "half",
            effect: "{ resize = 2 }",
            theirs: vec![
                (
                    "warp_into, scale, Bicubic",
                    Box::new(move |img| {
                        timed(|| {
                            theirs::resize(
                                img,
                                2 * img.width(),
                                2 * img.height(),
                                Interpolation::Bicubic,
                            )
                        })
                        .0
                    }),
                ),
                (
                    "(image crate) imageops::resize, CatmullRom",
                    Box::new(move |img| {
                        timed(|| {
                            image::imageops::resize(
                                img,
                                2 * img.width(),
                                2 * img.height(),
                                image::imageops::FilterType::CatmullRom,
                            )
                        })
                        .0
                    }),
                ),
            ],
        },
        Timed {
            op: "rotate 30°, same size",
            input: "colour",
            effect: "{ rotate = { angle = 30, expand = false } }",
            theirs: vec![(
                "rotate, Bicubic",
                Box::new(move |img| timed(|| theirs::rotate_ccw(img, 30.0)).0),
            )],
        },
        Timed {
            op: "rotate 90°",
            input: "colour",
            effect: "{ rotate = 90 }",
            theirs: vec![(
                "rotate270",
                Box::new(move |img| timed(|| theirs::quarter_ccw(img)).0),
            )],
        },
    ];

    println!(
        "## Speed: {size}×{size} (resize ×2: from {}×{}), one thread, CPU ms, median of {runs} rounds\n",
        size / 2,
        size / 2
    );
    let mut rows = Vec::new();
    for t in &ops {
        let img = &inputs.iter().find(|(n, _)| *n == t.input).unwrap().1;
        let with = Ours::new(&file_scene(t.input, t.effect), dir);
        let plain = Ours::new(&file_scene(t.input, ""), dir);
        // Warm up: caches, lazy tables, page faults.
        for _ in 0..3 {
            with.render(0.0);
            plain.render(0.0);
            t.theirs.iter().for_each(|(_, f)| {
                f(img);
            });
        }
        let mut ours_t = Vec::new();
        let mut plain_t = Vec::new();
        let mut theirs_t: Vec<(Vec<f64>, Vec<f64>)> =
            vec![(Vec::new(), Vec::new()); t.theirs.len()];
        for round in 0..runs {
            // Alternate who goes first, so that a burst of load on the shared machine
            // does not always fall on the same side.
            let ours_first = round % 2 == 0;
            if ours_first {
                ours_t.push(timed(|| with.render(0.0)).0);
                plain_t.push(timed(|| plain.render(0.0)).0);
            }
            for (i, (_, f)) in t.theirs.iter().enumerate() {
                let (total, call) = timed(|| f(img));
                theirs_t[i].0.push(total);
                theirs_t[i].1.push(call);
            }
            if !ours_first {
                ours_t.push(timed(|| with.render(0.0)).0);
                plain_t.push(timed(|| plain.render(0.0)).0);
            }
        }
        let ours_ms = (median(ours_t) - median(plain_t)) * 1e3;
        println!("{:<30} ours {:>8.2}", t.op, ours_ms);
        let mut theirs_rows = Vec::new();
        for ((name, _), (total, call)) in t.theirs.iter().zip(theirs_t) {
            let (total, call) = (median(total) * 1e3, median(call) * 1e3);
            println!(
                "{:<30} {:<48} {:>8.2} (the call alone {:.2})",
                "", name, total, call
            );
            theirs_rows.push((name.to_string(), total, call));
        }
        rows.push(Speed {
            op: t.op.to_string(),
            ours_ms,
            theirs: theirs_rows,
        });
    }
    println!();
    rows
}

/// What animate has no effect for: imageproc's cost on a {size}² grey picture and on it
/// thresholded at 128, one thread, median CPU ms.
fn extras(size: u32, runs: usize) -> Vec<(&'static str, f64)> {
    use image::{GrayImage, Luma};
    use imageproc::distance_transform::{
        distance_transform, euclidean_squared_distance_transform, Norm,
    };
    use imageproc::morphology::{dilate, grayscale_dilate, open, Mask};
    use imageproc::region_labelling::{connected_components, Connectivity};

    let rgba = pattern(size, size, true);
    let grey = GrayImage::from_fn(size, size, |x, y| Luma([rgba.get_pixel(x, y)[0]]));
    let bin = GrayImage::from_fn(size, size, |x, y| {
        Luma([if grey.get_pixel(x, y)[0] > 127 {
            255
        } else {
            0
        }])
    });
    let disk = Mask::disk(2);
    type Op<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let ops: Vec<Op> = vec![
        (
            "morphology::dilate (binary, Norm::LInf, k = 2)",
            Box::new(|| {
                std::hint::black_box(dilate(&bin, Norm::LInf, 2));
            }),
        ),
        (
            "morphology::open (binary, Norm::L1, k = 2)",
            Box::new(|| {
                std::hint::black_box(open(&bin, Norm::L1, 2));
            }),
        ),
        (
            "morphology::grayscale_dilate (Mask::disk(2))",
            Box::new(|| {
                std::hint::black_box(grayscale_dilate(&grey, &disk));
            }),
        ),
        (
            "region_labelling::connected_components (Eight)",
            Box::new(|| {
                std::hint::black_box(connected_components(&bin, Connectivity::Eight, Luma([0u8])));
            }),
        ),
        (
            "distance_transform::distance_transform (Norm::L2)",
            Box::new(|| {
                std::hint::black_box(distance_transform(&bin, Norm::L2));
            }),
        ),
        (
            "distance_transform::euclidean_squared_distance_transform",
            Box::new(|| {
                std::hint::black_box(euclidean_squared_distance_transform(&bin));
            }),
        ),
        (
            "contours::find_contours",
            Box::new(|| {
                std::hint::black_box(imageproc::contours::find_contours::<u32>(&bin));
            }),
        ),
        (
            "filter::median_filter (radius 2)",
            Box::new(|| {
                std::hint::black_box(imageproc::filter::median_filter(&grey, 2, 2));
            }),
        ),
        (
            "edges::canny (50, 100)",
            Box::new(|| {
                std::hint::black_box(imageproc::edges::canny(&grey, 50.0, 100.0));
            }),
        ),
    ];
    println!("## What animate lacks: imageproc on a {size}×{size} grey picture (binary: > 127), one thread, CPU ms, median of {runs}\n");
    let mut rows = Vec::new();
    for (name, f) in &ops {
        f();
        let ms = median((0..runs).map(|_| timed(f).0).collect()) * 1e3;
        println!("{name:<60} {ms:>8.2}");
        rows.push((*name, ms));
    }
    println!();
    rows
}

fn main() {
    let mut runs = 31;
    let mut size = 500;
    let usage = || -> ! {
        eprintln!("usage: imageproc-vs-ours [--runs N] [--size N] (N a whole number)");
        std::process::exit(2)
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value: usize = args
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| usage());
        match a.as_str() {
            "--runs" => runs = value.clamp(1, 10_000),
            // Even sides from 8 to 4096: resize ×2 starts from half the side.
            "--size" => size = (value.clamp(8, 4096) & !1) as u32,
            _ => usage(),
        }
    }
    let scratch = Scratch::new();
    let acc = accuracy(&scratch.0);
    let geo = geometry(&scratch.0);
    let speed = timings(&scratch.0, size, runs);
    let more = extras(size, runs);

    println!("## Summary\n");
    println!("| operation | imageproc | imageproc vs scikit-image: max / mean abs diff, within ±{TOL}? | ours vs scikit-image |");
    println!("| --- | --- | --- | --- |");
    for (file, function, theirs_score, ours_score) in &acc {
        println!(
            "| {file} | {function} | {} | {} |",
            theirs_score
                .map(|s| s.show())
                .unwrap_or_else(|| "no equivalent".into()),
            ours_score.show(),
        );
    }
    for (op, function, text) in &geo {
        println!("| {op} | {function} | {text} | |");
    }
    println!();
    println!("| operation ({size}×{size}, one thread) | imageproc | ms ours | ms imageproc (the call alone) |");
    println!("| --- | --- | --- | --- |");
    for s in &speed {
        for (name, total, call) in &s.theirs {
            println!(
                "| {} | {name} | {:.2} | {total:.2} ({call:.2}) |",
                s.op, s.ours_ms
            );
        }
    }
    println!();
    println!("| imageproc, not in animate ({size}×{size}) | ms |");
    println!("| --- | --- |");
    for (name, ms) in &more {
        println!("| {name} | {ms:.2} |");
    }
}
