//! A plot's `dpi`: fonts, line widths, ticks and pads in points of dpi/72 pixels, as
//! matplotlib's `figure.dpi` — golden images at two dpis, and sizes measured.

use image::RgbaImage;

use crate::plots::assert_golden;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

fn scene(dpi: &str) -> String {
    format!(
        r#"
[clip.main]
kind = "plot"
size = [480, 270]
title = "Elevation"
xlabel = "x"
x = [-2, 2]
samples = 100
{dpi}
series = [{{ y = "sinc(x^2)" }}]
"#
    )
}

/// The rows, from the top, that hold dark ink in the columns `x0..x1` above `y1`.
fn dark_rows(img: &RgbaImage, x0: u32, x1: u32, y1: u32) -> Vec<u32> {
    (0..y1)
        .filter(|&y| (x0..x1).any(|x| img.get_pixel(x, y)[0] < 100))
        .collect()
}

#[test]
fn a_plot_at_100_and_200_dpi_matches_its_golden() {
    let s = Sandbox::new();
    // 480×270 at 100 dpi is matplotlib's figsize=(4.8, 2.7), dpi=100; at 200 dpi,
    // figsize=(2.4, 1.35), dpi=200: the same pixels, everything drawn twice as large.
    assert_golden("plot_dpi100.png", &s.frame(&scene(""), 0.0), 24);
    assert_golden("plot_dpi200.png", &s.frame(&scene("dpi = 200"), 0.0), 24);
}

#[test]
fn text_and_lines_scale_with_dpi() {
    let s = Sandbox::new();
    let at100 = s.frame(&scene(""), 0.0);
    let at200 = s.frame(&scene("dpi = 200"), 0.0);
    // The title (12 pt) is the ink above the axes in the middle of the figure.
    let title = |img: &RgbaImage| {
        let rows = dark_rows(img, 200, 280, 40);
        // Up to the first blank row after the first ink: the title, not the frame.
        let mut end = rows[0];
        while rows.contains(&(end + 1)) {
            end += 1;
        }
        (end - rows[0] + 1) as f64
    };
    let (h100, h200) = (title(&at100), title(&at200));
    assert!(
        (h200 / h100 - 2.0).abs() < 0.25,
        "title {h100} px, then {h200} px"
    );
    // 12 pt capitals at 100 dpi: about 12 px of ink (cap height 0.73 em of 16.7 px).
    assert!((10.0..=15.0).contains(&h100), "{h100}");
    // The line: 1.5 pt is 2.1 px at 100 dpi, 4.2 px at 200 dpi; measured across it
    // where it is flat (x = 0, the top of the curve).
    let thickness = |img: &RgbaImage| {
        (0..270)
            .filter(|&y| {
                let p = img.get_pixel(240, y);
                p[2] as i32 - p[0] as i32 > 60
            })
            .count() as f64
    };
    let (w100, w200) = (thickness(&at100), thickness(&at200));
    assert!((2.0..=4.0).contains(&w100), "{w100}");
    assert!((4.0..=6.5).contains(&w200), "{w200}");
}

#[test]
fn a_wrong_dpi_is_an_error_at_its_place() {
    let s = Sandbox::new();
    s.write("scene.toml", scene("dpi = 0"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "dpi must be 1 to 1000, not 0", "scene.toml:9:7");
}

#[test]
fn a_field_colorbar_scales_with_dpi() {
    let s = Sandbox::new();
    let field = |dpi: &str| {
        format!(
            "[clip.main]\nkind = \"field\"\nsize = [480, 270]\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\ncolorbar = true\n{dpi}\n"
        )
    };
    // Where the picture ends: the first white column on the middle row.
    let picture_width = |img: &RgbaImage| {
        (0..img.width())
            .find(|&x| img.get_pixel(x, 135).0 == [255, 255, 255, 255])
            .unwrap()
    };
    let w100 = picture_width(&s.frame(&field(""), 0.0));
    let w200 = picture_width(&s.frame(&field("dpi = 200"), 0.0));
    // The colorbar's labels, ticks and pads double: it takes about 40 px more.
    assert!(
        w100 > w200 + 25,
        "picture {w100} px at 100 dpi, {w200} px at 200 dpi"
    );
}
