//! `plot` and `field` sources: the article's curve against a golden image, data files
//! (CSV, .npy) and their errors, colormaps, reveals, limits.

use std::path::PathBuf;

use image::RgbaImage;

use crate::util::{assert_px, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// Compares with tests/fixtures/golden/NAME: no channel off by more than `tol` on more
/// than 0.2 % of the pixels, and a mean difference under 0.5. `ANIMATE_BLESS=1`
/// rewrites the golden; a failure writes the frame and a diff image beside the tests'
/// temporary files.
pub(crate) fn assert_golden(name: &str, got: &RgbaImage, tol: u8) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden")
        .join(name);
    if std::env::var_os("ANIMATE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        // opaque frames: RGB, best compression, to keep the file small
        use image::ImageEncoder;
        let rgb = image::DynamicImage::ImageRgba8(got.clone()).to_rgb8();
        let file = std::fs::File::create(&path).unwrap();
        image::codecs::png::PngEncoder::new_with_quality(
            file,
            image::codecs::png::CompressionType::Best,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(
            &rgb,
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
        return;
    }
    let want = read_png(&path);
    assert_eq!(got.dimensions(), want.dimensions(), "{name}: size differs");
    let mut diff = RgbaImage::new(got.width(), got.height());
    let (mut over, mut total) = (0u64, 0u64);
    for (x, y, g) in got.enumerate_pixels() {
        let w = want.get_pixel(x, y);
        let d = (0..4).map(|i| g[i].abs_diff(w[i])).max().unwrap();
        total += d as u64;
        if d > tol {
            over += 1;
        }
        diff.put_pixel(x, y, image::Rgba([d.saturating_mul(4), 0, 0, 255]));
    }
    let n = (got.width() * got.height()) as f64;
    let mean = total as f64 / n;
    if over as f64 > 0.002 * n || mean > 0.5 {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
        diff.save(&out).unwrap();
        got.save(out.with_extension("got.png")).unwrap();
        panic!(
            "{name}: {over} pixels differ by more than {tol}, mean {mean:.2}; diff written to {} \
             (ANIMATE_BLESS=1 regenerates the golden)",
            out.display()
        );
    }
}

const SINC: &str = r#"
[output]
fps = 20
[clip.main]
kind = "plot"
size = [500, 300]
duration = 2
title = "Elevation in y=0"
x = [-2, 2]
samples = 200
ylim = [-1.5, 2.5]
series = [{ y = "sinc(x^2) + sin(x + 2*pi*t/duration)", width = 3 }]
"#;

#[test]
fn sinc_plot_matches_golden_image() {
    let s = Sandbox::new();
    let img = s.frame(SINC, 0.25);
    assert_golden("sinc_plot_t0.25.png", &img, 24);
}

#[test]
fn sinc_plot_has_matplotlib_geometry() {
    let s = Sandbox::new();
    let img = s.frame(SINC, 0.0);
    assert_eq!(img.dimensions(), (500, 300));
    // white figure; black frame at matplotlib's subplot fractions (x 62.5..450, y 36..267)
    assert_px(&img, 10, 10, [255, 255, 255, 255], 0);
    assert_px(&img, 62, 150, [0, 0, 0, 255], 60);
    assert_px(&img, 450, 150, [0, 0, 0, 255], 60);
    assert_px(&img, 250, 36, [0, 0, 0, 255], 60);
    assert_px(&img, 250, 267, [0, 0, 0, 255], 60);
    // the curve at x = 0: sinc(0) + sin(0) = 1 → y pixel 267 - (1 + 1.5) / 4 · 231 ≈ 122.6,
    // drawn 4.17 px wide in matplotlib's first colour
    assert_px(&img, 256, 122, [0x1f, 0x77, 0xb4, 255], 12);
    assert_px(&img, 256, 128, [255, 255, 255, 255], 0);
    // the title's ink sits above the frame
    let ink = (150..350)
        .flat_map(|x| (5..30).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 100)
        .count();
    assert!(ink > 100, "title ink {ink}");
}

#[test]
fn automatic_limits_hold_still_over_the_clip_unless_per_frame() {
    let scene = |limits: &str| {
        format!(
            r#"
[output]
fps = 4
[clip.main]
kind = "plot"
size = [200, 150]
duration = 1
x = [0, 1]
{limits}
series = [{{ y = "x * (1 + 4*t)" }}]
"#
        )
    };
    let outside = |img: &RgbaImage| -> Vec<u8> {
        // the tick labels left of the axes
        (0..24)
            .flat_map(|x| (0..150).map(move |y| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y)[0])
            .collect()
    };
    let s = Sandbox::new();
    let frames = s.render_frames(&scene(""), &[]);
    assert_eq!(frames.len(), 4);
    assert_eq!(outside(&frames[0]), outside(&frames[3]), "axes moved");
    let frames = s.render_frames(&scene("limits = \"frame\""), &[]);
    assert_ne!(outside(&frames[0]), outside(&frames[3]), "per-frame limits");
}

const CSV: &str = "time,value\n0,0\n1,1\n2,0\n3,1\n4,0\n5,1\n6,0\n7,1\n8,0\n9,1\n";

fn reveal_scene(series: &str) -> String {
    format!(
        r#"
[output]
fps = 2
[clip.main]
kind = "plot"
size = [200, 150]
duration = 5
xlim = [0, 9]
ylim = [0, 1]
series = [{series}]
"#
    )
}

/// Columns (of the axes' inside) where the line's blue shows.
fn blue_columns(img: &RgbaImage) -> Vec<u32> {
    (30..175)
        .filter(|&x| {
            (20..130).any(|y| {
                let p = img.get_pixel(x, y);
                p[2] > 150 && p[0] < 100
            })
        })
        .collect()
}

#[test]
fn csv_series_is_revealed_over_time() {
    let s = Sandbox::new();
    s.write("data.csv", CSV);
    let frames = s.render_frames(
        &reveal_scene(r#"{ csv = "data.csv", x = "time", y = "value", reveal = "x <= 2*t" }"#),
        &[],
    );
    assert_eq!(frames.len(), 10);
    let first = blue_columns(&frames[1]); // t = 0.5: x ≤ 1
    let last = blue_columns(&frames[9]); // t = 4.5: x ≤ 9, all
    assert!(
        !first.is_empty() && *first.last().unwrap() < 60,
        "{first:?}"
    );
    assert!(*last.last().unwrap() > 160, "{last:?}");
    // the first n(t) rows
    let frames = s.render_frames(
        &reveal_scene(r#"{ csv = "data.csv", x = "time", y = "value", rows = "2*t" }"#),
        &[],
    );
    assert!(blue_columns(&frames[0]).is_empty(), "no rows at t = 0");
    assert!(*blue_columns(&frames[9]).last().unwrap() > 140);
}

#[test]
fn csv_missing_column_is_a_scene_error() {
    let s = Sandbox::new();
    s.write("data.csv", CSV);
    s.write(
        "scene.toml",
        reveal_scene(r#"{ csv = "data.csv", x = "time", y = "valeu" }"#),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "data.csv has no column `valeu`",
        "did you mean `value`?",
        "scene.toml:"
    );
}

#[test]
fn csv_non_numeric_cell_names_line_and_column() {
    let s = Sandbox::new();
    s.write("data.csv", "time,value\n0,1\n1,oops\n");
    s.write(
        "scene.toml",
        reveal_scene(r#"{ csv = "data.csv", x = "time", y = "value" }"#),
    );
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "data.csv, line 3, column `value`: `oops` is not a number"
    );
    assert!(!s.path("out.gif").exists());
}

#[test]
fn scatter_markers_grow_with_index_and_time() {
    let s = Sandbox::new();
    s.write("data.csv", "x,y\n2,0.5\n7,0.5\n");
    // the point i appears once t ≥ i: at t = 0.5 only the first shows
    let scene = reveal_scene(
        r#"{ csv = "data.csv", x = "x", y = "y", line = false, marker = "o", size = "12 * clamp(2*t - i, 0, 1)" }"#,
    );
    let frames = s.render_frames(&scene, &[]);
    // blue pixels left (x = 2) and right (x = 7) of the middle
    let blue = |img: &RgbaImage, right: bool| {
        let xs = if right { 110..200 } else { 0..110 };
        xs.flat_map(|x| (0..150).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y);
                p[2] > 150 && p[0] < 100
            })
            .count()
            > 20
    };
    assert!(!blue(&frames[0], false) && !blue(&frames[0], true));
    assert!(blue(&frames[1], false) && !blue(&frames[1], true));
    assert!(blue(&frames[3], false) && blue(&frames[3], true));
}

#[test]
fn field_colours_are_matplotlibs_viridis() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.main]
kind = "field"
size = [64, 8]
f = "x"
x = [0, 1]
y = [0, 1]
resolution = [64, 2]
vmin = 0
vmax = 1
interpolation = "nearest"
"#,
        0.0,
    );
    assert_px(&img, 0, 4, [0x44, 0x01, 0x54, 255], 0);
    assert_px(&img, 63, 4, [0xfd, 0xe7, 0x25, 255], 0);
    // x = 32/63 ≈ 0.508 → matplotlib's entry floor(0.508 · 256) = 130: #20928c
    assert_px(&img, 32, 4, [0x20, 0x92, 0x8c, 255], 0);
}

#[test]
fn field_unknown_colormap_suggests() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"field\"\nsize = [8, 8]\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\ncolormap = \"virdis_r\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown colormap `virdis_r`",
        "did you mean `viridis_r`?"
    );
}

/// A .npy file (version 1.0) with the given header fields and data.
pub(crate) fn npy(descr: &str, shape: &str, data: &[u8]) -> Vec<u8> {
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    while (10 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend((dict.len() as u16).to_le_bytes());
    out.extend(dict.as_bytes());
    out.extend(data);
    out
}

#[test]
fn npy_float_frames_one_per_output_frame() {
    let s = Sandbox::new();
    // 3 frames of 2×2, values 0, 0.5, 1 everywhere
    let data: Vec<u8> = [0.0f32, 0.5, 1.0]
        .iter()
        .flat_map(|v| std::iter::repeat_n(*v, 4))
        .flat_map(|v| v.to_le_bytes())
        .collect();
    s.write("a.npy", npy("<f4", "(3, 2, 2)", &data));
    let frames = s.render_frames(
        "[output]\nfps = 3\n[clip.main]\nkind = \"field\"\nnpy = \"a.npy\"\ncolormap = \"gray\"\n",
        &[],
    );
    assert_eq!(frames.len(), 3, "3 array frames at 3 fps");
    assert_eq!(frames[0].dimensions(), (2, 2));
    assert_px(&frames[0], 0, 0, [0, 0, 0, 255], 0);
    assert_px(&frames[1], 1, 1, [0x80, 0x80, 0x80, 255], 1);
    assert_px(&frames[2], 1, 0, [255, 255, 255, 255], 0);
    // rendered at another rate, the array keeps the scene's: each frame shows twice
    let frames = s.render_frames(
        "[output]\nfps = 3\n[clip.main]\nkind = \"field\"\nnpy = \"a.npy\"\ncolormap = \"gray\"\n",
        &["--fps", "6"],
    );
    assert_eq!(frames.len(), 6);
    assert_px(&frames[3], 0, 0, [0x80, 0x80, 0x80, 255], 1);
    assert_px(&frames[4], 0, 0, [255, 255, 255, 255], 0);
}

#[test]
fn npy_rgb_frames_at_their_own_fps() {
    let s = Sandbox::new();
    let mut data = Vec::new();
    for c in [[255u8, 0, 0], [0, 0, 255]] {
        for _ in 0..4 {
            data.extend(c);
        }
    }
    s.write("rgb.npy", npy("|u1", "(2, 2, 2, 3)", &data));
    let frames = s.render_frames(
        "[output]\nfps = 4\n[clip.main]\nkind = \"field\"\nnpy = \"rgb.npy\"\nfps = 2\nsize = [6, 6]\n",
        &[],
    );
    assert_eq!(frames.len(), 4, "2 array frames at 2 fps last 1 s");
    assert_px(&frames[1], 3, 3, [255, 0, 0, 255], 0);
    assert_px(&frames[2], 5, 5, [0, 0, 255, 255], 0);
}

/// `np.save` of a simulation's grid writes int64 (or bool, or int32 on Windows)
/// unless told otherwise: such arrays were refused until they were converted to float32.
#[test]
fn regression_an_integer_or_bool_array_was_refused() {
    let s = Sandbox::new();
    let cells = [0i64, 3, 1, 2];
    let floats: Vec<u8> = cells
        .iter()
        .flat_map(|v| (*v as f32).to_le_bytes())
        .collect();
    s.write("f.npy", npy("<f4", "(1, 2, 2)", &floats));
    let int64: Vec<u8> = cells.iter().flat_map(|v| v.to_le_bytes()).collect();
    s.write("i.npy", npy("<i8", "(1, 2, 2)", &int64));
    let uint16: Vec<u8> = cells
        .iter()
        .flat_map(|v| (*v as u16).to_be_bytes())
        .collect();
    s.write("u.npy", npy(">u2", "(1, 2, 2)", &uint16));
    let field = |file: &str| {
        s.render_frames(
            &format!("[clip.main]\nkind = \"field\"\nnpy = \"{file}\"\ncolormap = \"viridis\"\n"),
            &[],
        )
    };
    let want = field("f.npy");
    assert_eq!(want.len(), 1);
    assert_eq!(want[0].dimensions(), (2, 2));
    for file in ["i.npy", "u.npy"] {
        let got = field(file);
        assert_eq!(got.len(), 1, "{file}");
        assert_eq!(
            got[0].as_raw(),
            want[0].as_raw(),
            "{file}: the same picture as float32"
        );
    }
    // A bool mask: False the colormap's bottom, True its top.
    s.write("b.npy", npy("|b1", "(2, 2)", &[1, 0, 0, 1]));
    let got = field("b.npy");
    assert_px(&got[0], 0, 0, [0xfd, 0xe7, 0x25, 255], 1);
    assert_px(&got[0], 1, 0, [0x44, 0x01, 0x54, 255], 1);
}

/// Pictures as matplotlib's `imshow` takes them: RGB floats from 0 to 1 or integers
/// from 0 to 255, and RGBA whose alpha shows what is under the field.
#[test]
fn npy_pictures_of_floats_and_with_alpha() {
    let s = Sandbox::new();
    let bytes: [[u8; 3]; 4] = [[255, 0, 0], [0, 128, 255], [10, 20, 30], [255, 255, 255]];
    let u8s: Vec<u8> = bytes.iter().flatten().copied().collect();
    let f64s: Vec<u8> = bytes
        .iter()
        .flatten()
        .flat_map(|&b| (f64::from(b) / 255.0).to_le_bytes())
        .collect();
    s.write("b.npy", npy("|u1", "(1, 2, 2, 3)", &u8s));
    s.write("f.npy", npy("<f8", "(1, 2, 2, 3)", &f64s));
    let field = |file: &str| {
        s.render_frames(
            &format!("[clip.main]\nkind = \"field\"\nnpy = \"{file}\"\n"),
            &[],
        )
    };
    let want = field("b.npy");
    assert_px(&want[0], 1, 0, [0, 128, 255, 255], 0);
    assert_eq!(
        field("f.npy")[0].as_raw(),
        want[0].as_raw(),
        "floats 0–1 as bytes"
    );
    // RGBA: the left column transparent, the right one opaque green, over red.
    let rgba: Vec<u8> = [[0u8, 0, 255, 0], [0, 255, 0, 255]].repeat(2).concat();
    s.write("a.npy", npy("|u1", "(1, 2, 2, 4)", &rgba));
    let frames = s.render_frames(
        "[output]\nsize = [2, 2]\n[clip.pic]\nkind = \"field\"\nnpy = \"a.npy\"\nsize = [2, 2]\n\
         [clip.main]\nkind = \"composite\"\nbackground = \"red\"\nlayers = [{ clip = \"pic\" }]\n",
        &[],
    );
    assert_px(&frames[0], 0, 1, [255, 0, 0, 255], 0);
    assert_px(&frames[0], 1, 1, [0, 255, 0, 255], 0);
}

/// matplotlib's `imshow(a, origin="lower")`: row 0 at the bottom, for arrays laid out
/// as `np.meshgrid` lays out values (and as a `surface` reads them).
#[test]
fn npy_origin_lower_puts_row_zero_at_the_bottom() {
    let s = Sandbox::new();
    // Row 0 is 0, row 1 is 1: black over white by default, white over black lower.
    let values: Vec<u8> = [0.0f32, 0.0, 1.0, 1.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    s.write("a.npy", npy("<f4", "(1, 2, 2)", &values));
    let rgb: Vec<u8> = [[255u8, 0, 0], [255, 0, 0], [0, 0, 255], [0, 0, 255]].concat();
    s.write("rgb.npy", npy("|u1", "(1, 2, 2, 3)", &rgb));
    let field = |file: &str, origin: &str| {
        s.render_frames(
            &format!(
                "[clip.main]\nkind = \"field\"\nnpy = \"{file}\"\ncolormap = \"gray\"\n\
                 interpolation = \"nearest\"\n{origin}"
            ),
            &[],
        )
    };
    let upper = field("a.npy", "");
    assert_px(&upper[0], 0, 0, [0, 0, 0, 255], 0);
    assert_px(&upper[0], 0, 1, [255, 255, 255, 255], 0);
    let lower = field("a.npy", "origin = \"lower\"\n");
    assert_px(&lower[0], 0, 0, [255, 255, 255, 255], 0);
    assert_px(&lower[0], 0, 1, [0, 0, 0, 255], 0);
    let pictures = field("rgb.npy", "origin = \"lower\"\n");
    assert_px(&pictures[0], 1, 0, [0, 0, 255, 255], 0);
    assert_px(&pictures[0], 1, 1, [255, 0, 0, 255], 0);
    // Not for a formula, nor another word.
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"field\"\nsize = [8, 8]\nx = [0, 1]\ny = [0, 1]\nf = \"x\"\norigin = \"lower\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`origin` is for `npy` fields", "scene.toml:7:10");
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"field\"\nnpy = \"a.npy\"\norigin = \"bottom\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown name `bottom`",
        "expected one of: upper, lower",
        "scene.toml:4:10"
    );
}

#[test]
fn npy_wrong_dtype_or_shape_says_what_was_expected() {
    let s = Sandbox::new();
    s.write("c.npy", npy("<c16", "(1, 2, 2)", &[0; 64]));
    s.write("s.npy", npy("<f4", "(4,)", &[0; 16]));
    s.write("r.npy", npy("|b1", "(1, 2, 2, 3)", &[0; 12]));
    for (file, text) in [
        ("c.npy", "dtype `<c16` is not supported"),
        ("s.npy", "its shape is (4)"),
        ("r.npy", "of bool cannot be shown as colours"),
    ] {
        s.write(
            "scene.toml",
            format!("[clip.main]\nkind = \"field\"\nnpy = \"{file}\"\n"),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, file, text, "expected a C-order array of shape T×H×W");
    }
}

#[test]
fn plot_errors_point_into_the_scene() {
    let s = Sandbox::new();
    for (series, text) in [
        (r#"{ y = "sinn(x)" }"#, "unknown function `sinn`"),
        (r#"{ y = "x", dash = "wavy" }"#, "unknown dash `wavy`"),
        (r#"{ y = "x", size = 3 }"#, "`size` is the size of markers"),
        (r#"{ csv = "nope.csv", y = "v" }"#, "cannot read `nope.csv`"),
    ] {
        s.write(
            "scene.toml",
            format!(
                "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\nx = [0, 1]\nseries = [{series}]\n"
            ),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, text, "scene.toml:5:");
    }
}

#[test]
fn log_axes_and_legend_render() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.main]
kind = "plot"
size = [300, 200]
x = [0.001, 1000]
xscale = "log"
yscale = "log"
grid = true
legend = true
series = [{ y = "x^2", label = "x²" }, { y = "sqrt(x)", label = "√x", dash = "--" }]
"#,
        0.0,
    );
    assert_eq!(img.dimensions(), (300, 200));
    // both colours appear
    let has = |c: [u8; 3]| {
        img.pixels()
            .any(|p| (0..3).all(|i| p[i].abs_diff(c[i]) < 10))
    };
    assert!(has([0x1f, 0x77, 0xb4]) && has([0xff, 0x7f, 0x0e]));
}

#[test]
fn regression_log_axis_ticks_outside_limits() {
    // y = x² over 0.001 … 1000 on a log y axis: the automatic limits are 10^-6.6 …
    // 10^6.6, yet a "10⁻⁸" tick, its label and its grid line were drawn below the axes.
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.main]
kind = "plot"
size = [300, 200]
x = [0.001, 1000]
yscale = "log"
grid = true
series = [{ y = "x^2" }]
"#,
        0.0,
    );
    let (x0, _, x1, y1) = unit_box(&img);
    let (w, h) = img.dimensions();
    // below the axes and left of them, where the y tick labels are, nothing is drawn
    let ink: Vec<(u32, u32)> = (0..x0 as u32 - 4)
        .flat_map(|x| (y1 as u32 + 8..h).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 200)
        .collect();
    assert!(ink.is_empty(), "ink below the y axis at {:?}", ink.first());
    // and no grid line runs across the figure below the axes
    for y in y1 as u32 + 2..h {
        let grey = (x0 as u32 + 2..(x1 as u32).min(w) - 2)
            .filter(|&x| img.get_pixel(x, y)[0] < 230)
            .count();
        assert!(grey < (x1 - x0) as usize / 2, "a line across row {y}");
    }
}

/// The axes' frame in pixels (left, top, right, bottom), found in the picture.
pub fn unit_box(img: &RgbaImage) -> (f64, f64, f64, f64) {
    let (w, h) = img.dimensions();
    let dark = |x: u32, y: u32| img.get_pixel(x, y)[0] < 60;
    // its sides are the columns and rows that are dark over half their length
    let cols: Vec<u32> = (0..w)
        .filter(|&x| (0..h).filter(|&y| dark(x, y)).count() > h as usize / 2)
        .collect();
    let rows: Vec<u32> = (0..h)
        .filter(|&y| (0..w).filter(|&x| dark(x, y)).count() > w as usize / 2)
        .collect();
    let c = |v: u32| v as f64 + 0.5;
    (
        c(cols[0]),
        c(rows[0]),
        c(*cols.last().unwrap()),
        c(*rows.last().unwrap()),
    )
}

#[test]
fn parametric_curve_and_fill_between() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.main]
kind = "plot"
size = [240, 240]
x = [0, 1]
xlim = [0, 1]
ylim = [0, 1]
series = [
  { x = "0.5 + 0.3*cos(u)", y = "0.5 + 0.3*sin(u)", u = [0, 6.2832], width = 3 },
  { y = "0.15", fill = 0.05, line = false, color = "red", fill_opacity = 0.5 },
]
"#,
        0.0,
    );
    let (x0, y0, x1, y1) = unit_box(&img);
    let at = |x: f64, y: f64| {
        let p = img.get_pixel((x0 + x * (x1 - x0)) as u32, (y1 - y * (y1 - y0)) as u32);
        [p[0], p[1], p[2], p[3]]
    };
    let blue = [0x1f, 0x77, 0xb4, 255];
    let near = |a: [u8; 4], b: [u8; 4]| (0..4).all(|i| a[i].abs_diff(b[i]) < 20);
    // the curve passes within a pixel of (0.8, 0.5) and (0.5, 0.8)
    let on_curve = |x: f64, y: f64| {
        let (px, py) = (x0 + x * (x1 - x0), y1 - y * (y1 - y0));
        (-2..=2).any(|dx| {
            (-2..=2).any(|dy| {
                let p = img.get_pixel((px as i32 + dx) as u32, (py as i32 + dy) as u32);
                near([p[0], p[1], p[2], p[3]], blue)
            })
        })
    };
    assert!(on_curve(0.8, 0.5) && on_curve(0.5, 0.8) && on_curve(0.2, 0.5));
    assert!(
        near(at(0.5, 0.5), [255; 4]),
        "inside the circle: {:?}",
        at(0.5, 0.5)
    );
    // half-transparent red between y = 0.05 and 0.15, white above
    assert!(
        near(at(0.5, 0.1), [255, 128, 128, 255]),
        "{:?}",
        at(0.5, 0.1)
    );
    assert!(near(at(0.5, 0.25), [255; 4]), "{:?}", at(0.5, 0.25));
}

#[test]
fn field_value_range_over_the_clip_or_per_frame() {
    let scene = |range: &str| {
        format!(
            "[output]\nfps = 2\n[clip.main]\nkind = \"field\"\nsize = [16, 4]\nduration = 1\n\
             f = \"x + 10*t\"\nx = [0, 1]\ny = [0, 1]\ninterpolation = \"nearest\"\n{range}\n"
        )
    };
    let s = Sandbox::new();
    // over the clip: 0 … 6 (t = 0 and 0.5); the first frame's left pixel is the low end,
    // the second frame's left pixel (value 5) is high up the map
    let frames = s.render_frames(&scene(""), &[]);
    assert_px(&frames[0], 0, 1, [0x44, 0x01, 0x54, 255], 0);
    assert!(
        frames[1].get_pixel(0, 1)[1] > 150,
        "{:?}",
        frames[1].get_pixel(0, 1)
    );
    // per frame: every frame spans the whole map
    let frames = s.render_frames(&scene("range = \"frame\""), &[]);
    for f in &frames {
        assert_px(f, 0, 1, [0x44, 0x01, 0x54, 255], 0);
        assert_px(f, 15, 1, [0xfd, 0xe7, 0x25, 255], 0);
    }
}

#[test]
fn example_scenes_render_their_first_frame() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Sandbox::new();
    for scene in ["sinc_plot", "heatmap", "timeseries", "plot_zoom"] {
        let path = repo.join(format!("scenes/{scene}.toml"));
        let out = s.path(&format!("{scene}.png"));
        let r = s.run(&[
            "frame",
            path.to_str().unwrap(),
            "-t",
            "1",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_exit!(r, 0);
        let img = read_png(&out);
        let colours: std::collections::HashSet<[u8; 4]> = img.pixels().map(|p| p.0).collect();
        assert!(colours.len() > 20, "{scene}: {} colours", colours.len());
    }
}

/// Regression: the automatic value range of a field read 200 frames of its array,
/// whatever their size: `check` of 64 frames of 4096² float32 values (4 GB, no `vmin`
/// or `vmax`) went on for over a minute. It now reads at most 64 Mi values (a single
/// frame here); the array itself is read a frame at a time. The file is sparse: 200
/// frames of 8192² (54 GB), of which the old reading took every one.
#[cfg(unix)]
#[test]
fn regression_an_automatic_range_read_every_frame_of_a_huge_npy() {
    let s = Sandbox::new();
    let header = npy("<f4", "(200, 8192, 8192)", &(-1.0f32).to_le_bytes());
    let file = s.write("big.npy", &header);
    let data = 200u64 * 8192 * 8192 * 4;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(header.len() as u64 - 4 + data)
        .unwrap();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"field\"\nnpy = \"big.npy\"\nsize = [64, 64]\n",
    );
    let r = s
        .run_bounded(&["check", "scene.toml"], Some(2 << 30))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit!(r, 0);
    // with vmin and vmax, only the header is read
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"field\"\nnpy = \"big.npy\"\nsize = [64, 64]\n\
         vmin = 0\nvmax = 1\n",
    );
    let r = s
        .run_bounded(&["check", "scene.toml"], Some(256 << 20))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit!(r, 0);
}

/// Regression: a CSV file over a plot's 4 000 000 points was read whole before its
/// rows were counted (a 100 MB file: 58 s and 404 MB). Reading now stops at the first
/// row past the limit: here a bad cell after it is never reached, and the error says
/// where reading stopped.
#[test]
fn regression_a_csv_over_the_points_limit_was_read_whole() {
    let s = Sandbox::new();
    let mut csv = String::with_capacity(8_000_100);
    csv.push_str("y\n");
    for _ in 0..4_000_001 {
        csv.push_str("1\n");
    }
    csv.push_str("not a number\n");
    s.write("data.csv", csv);
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\nduration = 1\n\
         series = [{ csv = \"data.csv\", y = \"y\" }]\n",
    );
    let r = s
        .run_bounded(&["check", "scene.toml"], Some(1 << 30))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "data.csv has more than 4000000 data rows, more than the plot can take (reading \
         stopped at line 4000002)",
        "scene.toml:",
        "at most 4000000 points in all: use a smaller CSV file"
    );
}

/// newcomer6: a series given its `color` still used up a colour of the cycle, so the
/// next series was orange (C1) where matplotlib draws it blue (C0).
#[test]
fn regression_a_series_with_its_own_color_took_a_colour_of_the_cycle() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.main]
kind = "plot"
size = [200, 100]
axis = false
x = [0, 1]
ylim = [0, 1]
series = [
  { y = "0.2", color = "lightgray", width = 8 },
  { y = "0.5", width = 8 },
  { y = "0.8", width = 8 },
]
"#,
        0.0,
    );
    assert_px(&img, 100, 80, [211, 211, 211, 255], 2);
    assert_px(&img, 100, 50, [0x1f, 0x77, 0xb4, 255], 2);
    assert_px(&img, 100, 20, [0xff, 0x7f, 0x0e, 255], 2);
}

/// Regression (findings5, F-O notes): a `field` nothing draws still made its automatic
/// value range's pass over its frames while the scene loaded — one named only for
/// another clip's `size`, or unused — although scene.md says such a clip costs nothing.
/// The sparse array's one frame of 8192² read for that pass takes 512 MiB as numbers;
/// without the pass the header is all that is read.
#[cfg(unix)]
#[test]
fn regression_a_field_only_named_for_its_size_made_its_automatic_range_pass() {
    let s = Sandbox::new();
    let header = npy("<f4", "(200, 8192, 8192)", &(-1.0f32).to_le_bytes());
    let file = s.write("big.npy", &header);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .unwrap()
        .set_len(header.len() as u64 - 4 + 200u64 * 8192 * 8192 * 4)
        .unwrap();
    let field = "[clip.data]\nkind = \"field\"\nnpy = \"big.npy\"\n";
    for user in [
        // named for its size
        "[clip.main]\nkind = \"color\"\ncolor = \"white\"\nsize = { clip = \"data\" }\nduration = 1\n",
        // unused
        "[clip.main]\nkind = \"color\"\ncolor = \"white\"\nsize = [8, 8]\nduration = 1\n",
    ] {
        s.write("scene.toml", format!("[output]\nfps = 10\n{field}{user}"));
        let r = s
            .run_bounded(&["check", "scene.toml"], Some(256 << 20))
            .unwrap_or_else(|e| panic!("{user}: {e}"));
        assert_exit!(r, 0);
    }
    // drawn, it makes the pass (and needs the memory for it)
    s.write(
        "scene.toml",
        format!("[output]\nfps = 10\n{field}[clip.main]\nfrom = \"data\"\n"),
    );
    let r = s.run_bounded(&["check", "scene.toml"], Some(256 << 20));
    assert!(
        r.as_ref().map_or(true, |r| r.code != 0),
        "{:?}",
        r.map(|r| r.stderr)
    );
}
