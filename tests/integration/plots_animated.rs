//! Animated parameters of `plot` and `field`: limits and ranges that are numbers,
//! expressions or keyframes, series styles that change over time, and the places of
//! errors in them.

use image::RgbaImage;

use crate::plots::unit_box;
use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

/// Rows of column `x` where the first series' blue (at any opacity over white) shows.
fn blue_rows(img: &RgbaImage, x: u32) -> Vec<u32> {
    (0..img.height())
        .filter(|&y| {
            let p = img.get_pixel(x, y);
            p[2] as i32 - p[0] as i32 > 40
        })
        .collect()
}

/// The middle of the rows where the line crosses column `x`.
fn line_row(img: &RgbaImage, x: u32) -> f64 {
    let rows = blue_rows(img, x);
    assert!(!rows.is_empty(), "no line in column {x}");
    (rows[0] + rows[rows.len() - 1]) as f64 / 2.0
}

/// The pixel row of the value `v` on a y axis showing `lo..hi` in the box `b`.
fn row_of(b: (f64, f64, f64, f64), v: f64, lo: f64, hi: f64) -> f64 {
    b.3 - (v - lo) / (hi - lo) * (b.3 - b.1)
}

/// The y tick labels: the picture left of the axes.
fn left_of_axes(img: &RgbaImage) -> Vec<u8> {
    let x0 = unit_box(img).0 as u32 - 3;
    (0..x0)
        .flat_map(|x| (0..img.height()).map(move |y| (x, y)))
        .map(|(x, y)| img.get_pixel(x, y)[0])
        .collect()
}

const ZOOM: &str = r#"
[output]
fps = 10
[clip.main]
kind = "plot"
size = [240, 200]
duration = 1
x = [0, 1]
xlim = [0, 1]
ylim = [0, { keys = [[0, 1], [1, 2]] }]
series = [{ y = "0.5", width = 2 }]
"#;

#[test]
fn keyframed_ylim_moves_the_curve_and_the_ticks() {
    let s = Sandbox::new();
    let (start, mid, end) = (s.frame(ZOOM, 0.0), s.frame(ZOOM, 0.5), s.frame(ZOOM, 1.0));
    for (img, hi) in [(&start, 1.0), (&mid, 1.5), (&end, 2.0)] {
        let b = unit_box(img);
        let want = row_of(b, 0.5, 0.0, hi);
        let got = line_row(img, ((b.0 + b.2) / 2.0) as u32);
        assert!(
            (got - want).abs() <= 1.5,
            "ylim [0, {hi}]: line at {got}, expected {want}"
        );
    }
    assert_ne!(
        left_of_axes(&start),
        left_of_axes(&end),
        "tick labels did not move"
    );
}

#[test]
fn ylim_takes_expressions_of_t_and_survives_nan() {
    let s = Sandbox::new();
    // [-1 - t, 2]: at t = 1 the axis runs from -2 to 2 and y = 0 is at its middle
    let scene = ZOOM.replace(
        r#"ylim = [0, { keys = [[0, 1], [1, 2]] }]"#,
        r#"ylim = ["-1 - t", "2 + 0/(t - 0.5)"]"#,
    );
    let scene = scene.replace(r#"y = "0.5""#, r#"y = "0""#);
    let img = s.frame(&scene, 1.0);
    let b = unit_box(&img);
    let got = line_row(&img, ((b.0 + b.2) / 2.0) as u32);
    assert!((got - (b.1 + b.3) / 2.0).abs() <= 1.5, "{got} in {b:?}");
    // at t = 0.5 the top is 0/0, NaN: the axis takes automatic limits for that frame
    let img = s.frame(&scene, 0.5);
    assert!(!blue_rows(&img, 120).is_empty());
}

#[test]
fn a_moving_x_range_and_xlim_scroll_the_plot() {
    let scene = r#"
[clip.main]
kind = "plot"
size = [240, 200]
duration = 2
x = ["t", "t + 1"]
xlim = ["t", "t + 1"]
ylim = [0, 3]
series = [{ y = "x", width = 2 }]
"#;
    let s = Sandbox::new();
    for t in [0.0, 1.0, 2.0] {
        let img = s.frame(scene, t);
        let b = unit_box(&img);
        // the window shows x = t … t + 1, so the line enters at y = t
        let got = line_row(&img, b.0 as u32 + 4);
        let want = row_of(b, t + 4.0 / (b.2 - b.0), 0.0, 3.0);
        assert!((got - want).abs() <= 2.0, "t = {t}: {got}, expected {want}");
    }
}

#[test]
fn series_width_and_opacity_follow_keyframes_and_expressions() {
    let scene = r#"
[clip.main]
kind = "plot"
size = [200, 160]
duration = 1
xlim = [0, 1]
ylim = [0, 1]
x = [0, 1]
series = [{ y = "0.5", width = { keys = [[0, 1], [1, 8]] }, opacity = "1 - 0.5*t" }]
"#;
    let s = Sandbox::new();
    let (thin, thick) = (s.frame(scene, 0.0), s.frame(scene, 1.0));
    let (n0, n1) = (blue_rows(&thin, 100).len(), blue_rows(&thick, 100).len());
    // 1 pt = 1.4 px, 8 pt = 11.1 px
    assert!(n0 <= 3, "{n0} rows at width 1");
    assert!((10..=13).contains(&n1), "{n1} rows at width 8");
    let mid = blue_rows(&thick, 100)[n1 / 2];
    // half the series' blue over white
    assert_px(&thick, 100, mid, [0x8f, 0xbb, 0xda, 255], 3);
    let mid = blue_rows(&thin, 100)[0];
    assert!(thin.get_pixel(100, mid)[0] < 0x8f, "opaque at t = 0");
}

#[test]
fn marker_size_and_fill_level_take_keyframes() {
    let scene = r#"
[clip.main]
kind = "plot"
size = [200, 160]
duration = 1
xlim = [0, 1]
ylim = [0, 1]
x = [0.5, 1]
samples = 2
series = [
  { y = "0.8", line = false, marker = "o", size = { keys = [[0, 0], [1, 20]] } },
  { y = "0.5", line = false, color = "red", fill = { keys = [[0, 0.45], [1, 0.1]] }, fill_opacity = 1 },
]
"#;
    let s = Sandbox::new();
    let (a, b) = (s.frame(scene, 0.0), s.frame(scene, 1.0));
    let bx = unit_box(&a);
    let px = |x: f64, y: f64| {
        (
            (bx.0 + x * (bx.2 - bx.0)) as u32,
            row_of(bx, y, 0.0, 1.0) as u32,
        )
    };
    let (mx, my) = px(0.5, 0.8);
    assert!(blue_rows(&a, mx).is_empty(), "a marker of size 0");
    assert!(blue_rows(&b, mx).contains(&my), "a marker of 20 pt");
    // the fill spans y = 0.45 … 0.5 at first, 0.1 … 0.5 at the end
    let (fx, fy) = px(0.75, 0.3);
    assert_px(&a, fx, fy, [255, 255, 255, 255], 0);
    assert_px(&b, fx, fy, [255, 0, 0, 255], 0);
}

#[test]
fn field_ranges_and_colour_scale_take_expressions_and_keyframes() {
    let scene = |x: &str| {
        format!(
            r#"
[vars]
k = 2
[clip.main]
kind = "field"
size = [64, 8]
duration = 1
f = "x"
x = {x}
y = [0, 1]
resolution = [64, 2]
vmin = 0
vmax = {{ keys = [[0, "k"], [0.5, "2*k"]] }}
interpolation = "nearest"
"#
        )
    };
    let s = Sandbox::new();
    // x over 0 … k: the right end is the top of the map, then the middle as vmax doubles
    let (a, b) = (
        s.frame(&scene("[0, \"k\"]"), 0.0),
        s.frame(&scene("[0, \"k\"]"), 0.5),
    );
    assert_px(&a, 0, 4, [0x44, 0x01, 0x54, 255], 0);
    assert_px(&a, 63, 4, [0xfd, 0xe7, 0x25, 255], 0);
    assert_px(&b, 63, 4, [0x21, 0x91, 0x8c, 255], 0);
    // an extent that moves: x from 4t, so at t = 0.5 the left edge is 2 = vmax / 2
    let b = s.frame(&scene("[\"4*t\", \"4*t + 1\"]"), 0.5);
    assert_px(&b, 0, 4, [0x21, 0x91, 0x8c, 255], 0);
}

#[test]
fn field_colorbar_follows_an_animated_vmax() {
    let scene = r#"
[clip.main]
kind = "field"
size = [240, 120]
duration = 1
f = "x"
x = [0, 1]
y = [0, 1]
vmax = "1 + 9*t"
colorbar = true
"#;
    let s = Sandbox::new();
    let (a, b) = (s.frame(scene, 0.0), s.frame(scene, 1.0));
    // the bar's labels (right of the picture) change from 0 … 1 to 0 … 10
    let labels = |img: &RgbaImage| -> Vec<u8> {
        (200..240)
            .flat_map(|x| (0..120).map(move |y| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y)[0])
            .collect()
    };
    assert_ne!(labels(&a), labels(&b));
}

/// Writes `scene` and runs `check` on it.
fn check(s: &Sandbox, scene: &str) -> crate::util::Run {
    s.write("scene.toml", scene);
    s.run(&["check", "scene.toml"])
}

#[test]
fn arrays_of_other_lengths_are_errors_at_their_place() {
    let s = Sandbox::new();
    let plot =
        "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\nx = [0, 1]\nseries = [{ y = \"x\" }]\n";
    for (from, to, place) in [
        ("x = [0, 1]", "x = [0, 1, 9]", "scene.toml:4:5"),
        (
            "x = [0, 1]\n",
            "x = [0, 1]\nylim = [0, 1, 3]\n",
            "scene.toml:5:8",
        ),
        ("x = [0, 1]\n", "x = [0, 1]\nxlim = [0]\n", "scene.toml:5:8"),
        (
            "size = [100, 100]",
            "size = [100, 100, 3]",
            "scene.toml:3:8",
        ),
        (
            "{ y = \"x\" }",
            "{ x = \"u\", y = \"u\", u = [0, 1, 2] }",
            "scene.toml:5:35",
        ),
    ] {
        let r = check(&s, &plot.replace(from, to));
        assert_exit!(r, 2);
        assert_stderr!(r, "expected two values [a, b]", place);
    }
    let field =
        "[clip.main]\nkind = \"field\"\nsize = [10, 10]\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\n";
    for (from, to, place) in [
        ("x = [0, 1]", "x = [0, 1, 2]", "scene.toml:5:5"),
        (
            "y = [0, 1]\n",
            "y = [0, 1]\nresolution = [2, 2, 2]\n",
            "scene.toml:7:14",
        ),
    ] {
        let r = check(&s, &field.replace(from, to));
        assert_exit!(r, 2);
        assert_stderr!(r, "expected two values [a, b]", place);
    }
}

#[test]
fn errors_in_animated_parameters_point_at_them() {
    let s = Sandbox::new();
    let plot = |keys: &str, series: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\nduration = 1\nx = [0, 1]\n{keys}\nseries = [{{ y = \"x\"{series} }}]\n"
        )
    };
    for (scene, text, place) in [
        (
            plot("ylim = [\"-1 - tt\", 2]", ""),
            "unknown name `tt`",
            "scene.toml:6:15",
        ),
        (
            plot("ylim = [0, true]", ""),
            "invalid type",
            "scene.toml:6:12",
        ),
        (
            plot("xlim = [1, \"2 - 1\"]", ""),
            "xlim must be two different numbers",
            "scene.toml:6:8",
        ),
        (
            plot("yscale = \"log\"\nylim = [\"t + 1\", -1]", ""),
            "ylim must be positive on a log axis, not -1",
            "scene.toml:7:18",
        ),
        (
            plot("", ", width = \"sinn(t)\""),
            "unknown function `sinn`",
            "scene.toml:7:31",
        ),
        (
            plot("", ", opacity = 2"),
            "opacity must be 0 to 1, not 2",
            "scene.toml:7:32",
        ),
        (
            plot("", ", width = { keys = [[0, 1], [1]] }"),
            "a key is [time, value]",
            "scene.toml:7:48",
        ),
    ] {
        let r = check(&s, &scene);
        assert_exit!(r, 2);
        assert_stderr!(r, text, place);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

#[test]
fn vmin_not_below_vmax_points_at_vmin() {
    let s = Sandbox::new();
    let r = check(
        &s,
        "[clip.main]\nkind = \"field\"\nsize = [10, 10]\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\nvmin = \"3\"\nvmax = 1\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "vmin must be less than vmax (not 3 and 1)",
        "scene.toml:7:8"
    );
}

#[test]
fn regression_i_in_a_point_opacity_was_the_place_among_rows_revealed_not_the_row() {
    // scenes/pendulum_bob.toml's fading trail: `reveal` keeps rows 5–9 and the opacity
    // reads `i`; `i` was 0–4 there (the place among the points shown), so the trail
    // was transparent. It is the row number, as in `reveal`.
    let s = Sandbox::new();
    let rows: String = (0..10).map(|i| format!("{i},{}\n", i % 3)).collect();
    s.write("r.csv", format!("x,y\n{rows}"));
    let scene = |keys: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [200, 120]\nxlim = [-1, 10]\nylim = [-1, 3]\n\
             series = [{{ csv = \"r.csv\", x = \"x\", y = \"y\", line = false, marker = \"o\", {keys} }}]\n"
        )
    };
    let faded = s.frame(&scene("reveal = \"i >= 5\", opacity = \"i >= 7\""), 0.0);
    let shown = s.frame(&scene("reveal = \"i >= 7\""), 0.0);
    assert!(faded == shown, "the opacity did not read the rows' numbers");
    let sized = s.frame(&scene("reveal = \"i >= 5\", size = \"6 * (i >= 7)\""), 0.0);
    assert!(sized == shown, "the size did not read the rows' numbers");
}
