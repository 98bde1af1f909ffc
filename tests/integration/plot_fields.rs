//! Fields in plots and plots of fields: filled contours at exact level boundaries with
//! matplotlib's levels and colours, images in data coordinates, contour lines, a picture
//! under a semi-transparent field, `axis = false`, fields with axes, the example scenes,
//! and the errors of the new keys.

use image::RgbaImage;

use crate::plots::{assert_golden, npy};
use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A 200×150 plot without axes showing `field` (a TOML inline table's inside) over
/// x, y in 0 … 1: data x = 1 is pixel 200.
fn bare(field: &str) -> String {
    format!(
        r#"
[clip.main]
kind = "plot"
size = [200, 150]
axis = false
field = {{ f = "x", x = [0, 1], y = [0, 1], colormap = "gray", {field} }}
"#
    )
}

fn grey(img: &RgbaImage, x: u32, y: u32) -> u8 {
    img.get_pixel(x, y)[0]
}

#[test]
fn filled_contours_are_exact_and_anti_aliased_at_the_levels() {
    let s = Sandbox::new();
    // f = x between levels 0, 0.5125, 1: the boundary is at pixel 102.5, the middle
    // of column 102. Band colours: gray at the bands' middles (0.25…, 0.75…).
    let img = s.frame(&bare("levels = [0, 0.5125, 1]"), 0.0);
    let low = (0.25625f64 * 256.0).floor() as u8;
    let high = (0.75625f64 * 256.0).floor() as u8;
    for y in [10, 75, 140] {
        assert_px(&img, 50, y, [low, low, low, 255], 1);
        assert_px(&img, 101, y, [low, low, low, 255], 1);
        assert_px(&img, 103, y, [high, high, high, 255], 1);
        assert_px(&img, 190, y, [high, high, high, 255], 1);
        // the column the level halves is half of each band, no seam of background
        let mid = grey(&img, 102, y) as i32;
        let want = (low as i32 + high as i32) / 2;
        assert!(
            (mid - want).abs() <= 8,
            "column 102 is {mid}, not about {want}"
        );
    }
}

#[test]
fn a_count_of_levels_is_placed_as_matplotlib_places_it() {
    let s = Sandbox::new();
    // matplotlib: contourf(levels=7) on 0 … 1 gives 0, 0.15, …, 1.05 (7 bands), each
    // coloured at its middle normalised over 0 … 1.05 (tests/fixtures/contour).
    let img = s.frame(&bare("levels = 7"), 0.0);
    for k in 0..7 {
        let mid = 0.15 * k as f64 + 0.075;
        let x = (mid.min(0.97) * 200.0) as u32;
        let want = ((mid / 1.05) * 256.0).floor() as u8;
        assert_px(&img, x, 75, [want, want, want, 255], 1);
    }
}

#[test]
fn an_image_in_data_coordinates_with_contour_lines() {
    let s = Sandbox::new();
    let img = s.frame(
        &bare(r##"vmin = 0, vmax = 1, contours = [0.5], contour_color = "#ff0000", contour_width = 3"##),
        0.0,
    );
    // the image: gray of x at each pixel (bilinear between grid points)
    for x in [20u32, 60, 150] {
        let v = grey(&img, x, 20) as f64;
        let want = (x as f64 + 0.5) / 200.0 * 255.0;
        assert!((v - want).abs() <= 3.0, "pixel {x}: {v}, not about {want}");
    }
    // the red line at x = 0.5, 3 points (≈ 4 px) wide
    assert_px(&img, 100, 75, [255, 0, 0, 255], 40);
    assert!(grey(&img, 95, 75) < 140, "no red away from the line");
}

#[test]
fn a_picture_shows_under_a_semi_transparent_field_and_axes_frame_a_field() {
    let s = Sandbox::new();
    let scene = r##"
[clip.map]
kind = "color"
color = "#ff0000"
size = [10, 10]

[clip.main]
kind = "field"
size = [200, 150]
f = "0 * x"
x = [0, 1]
y = [0, 1]
colormap = "gray"
vmin = 0
vmax = 1
opacity = 0.5
under = "map"
"##;
    let img = s.frame(scene, 0.0);
    // black at half opacity over red, everywhere: no axes unless asked
    assert_px(&img, 2, 2, [128, 0, 0, 255], 2);
    assert_px(&img, 100, 75, [128, 0, 0, 255], 2);
    // with axes: the figure around them is white, the frame black, the field inside
    let img = s.frame(
        &scene.replace("opacity = 0.5", "opacity = 0.5\naxis = true\ntitle = \"T\""),
        0.0,
    );
    assert_px(&img, 2, 2, [255, 255, 255, 255], 0);
    assert_px(&img, 100, 75, [128, 0, 0, 255], 2);
    // the left spine: a black column from top to bottom of the axes, left of the field
    let spine = (0..100).find(|&x| (40..110).all(|y| img.get_pixel(x, y)[1] < 60));
    assert!(
        spine.is_some_and(|x| x > 20),
        "no frame left of the field: {spine:?}"
    );
    assert_px(&img, spine.unwrap() - 2, 82, [255, 255, 255, 255], 0);
}

#[test]
fn axis_false_lets_the_data_fill_the_figure_under_the_title() {
    let s = Sandbox::new();
    let scene = |axis: &str| {
        format!(
            r#"
[clip.main]
kind = "plot"
size = [200, 150]
title = "Title"
{axis}
field = {{ f = "1", x = [0, 1], y = [0, 1], colormap = "gray", vmin = 0, vmax = 2 }}
"#
        )
    };
    let with = s.frame(&scene(""), 0.0);
    let without = s.frame(&scene("axis = false"), 0.0);
    // the field's grey (value 1 of 0 … 2) reaches the corners only without axes
    assert_px(&with, 2, 148, [255, 255, 255, 255], 0);
    assert_px(&without, 2, 148, [128, 128, 128, 255], 1);
    assert_px(&without, 198, 148, [128, 128, 128, 255], 1);
    // the title keeps its room above
    assert_px(&without, 100, 2, [255, 255, 255, 255], 0);
}

const CONTOURS_AND_POINTS: &str = r#"
[output]
fps = 10
[clip.main]
kind = "plot"
size = [240, 180]
duration = 1
title = "Decision"
xlim = [-1, 1]
ylim = [-1, 1]
field = { f = "sin(2*x + t) * cos(3*y)", x = [-1, 1], y = [-1, 1], levels = 8, colormap = "bone", contours = true, contour_width = 0.5, colorbar = true }
series = [
  { csv = "points.csv", x = "x", y = "y", line = false, marker = "o", color = "white", size = "4 + 4 * t" },
]
"#;

#[test]
fn contours_under_a_scatter_match_golden_image_and_points_grow() {
    let s = Sandbox::new();
    s.write("points.csv", "x,y\n-0.5,0.5\n0.5,-0.5\n0,0\n");
    let img = s.frame(CONTOURS_AND_POINTS, 0.5);
    assert_golden("plot_contourf_scatter_t0.5.png", &img, 24);
    // the marker at (0, 0) is white at its centre and bigger at t = 1 than at t = 0
    let white = |img: &RgbaImage| {
        img.pixels()
            .filter(|p| p[0] > 250 && p[1] > 250 && p[2] > 250)
            .count()
    };
    let (a, b) = (
        s.frame(CONTOURS_AND_POINTS, 0.0),
        s.frame(CONTOURS_AND_POINTS, 0.9),
    );
    assert!(white(&b) > white(&a), "{} !> {}", white(&b), white(&a));
}

#[test]
fn field_with_axes_matches_golden_image() {
    let s = Sandbox::new();
    let scene = r#"
[clip.main]
kind = "field"
size = [300, 220]
f = "exp(-((x - 2)^2 + (y - 46)^2) / 4)"
x = [-5, 9]
y = [41, 51.5]
axis = true
title = "Outbreak"
xlabel = "longitude"
ylabel = "latitude"
colormap = "hot"
colorbar = true
"#;
    let img = s.frame(scene, 0.0);
    assert_golden("field_axes.png", &img, 24);
}

#[test]
fn the_classifier_scene_shows_growing_points_over_bone_contours() {
    let s = Sandbox::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes");
    s.write(
        "data/moons.csv",
        std::fs::read(root.join("data/moons.csv")).unwrap(),
    );
    let scene = std::fs::read_to_string(root.join("classifier.toml")).unwrap();
    let frames = |t: f64| s.frame(&scene, t);
    let (early, late) = (frames(0.0), frames(6.9));
    assert_eq!(late.dimensions(), (400, 400));
    let count = |img: &RgbaImage, f: &dyn Fn(&image::Rgba<u8>) -> bool| {
        img.pixels().filter(|p| f(p)).count()
    };
    let black = |p: &image::Rgba<u8>| p[0] < 10 && p[1] < 10 && p[2] < 10;
    // 10 points at t = 0, all 50 by t = 6.9: many more black marker pixels
    assert!(count(&late, &black) > 3 * count(&early, &black));
    // every pixel under the title is a bone band at opacity 0.8 over white: bluish grey,
    // never the pure white of a value outside the levels, except the white markers
    let bands = count(&late, &|p: &image::Rgba<u8>| p[2] > p[0]);
    assert!(bands > 100_000, "{bands} pixels in bone");
}

#[test]
fn errors_in_the_field_keys_point_at_them() {
    let s = Sandbox::new();
    let cases = [
        (
            "levels = [1, 0]",
            "levels must increase: 1 is followed by 0",
        ),
        ("levels = 0", "levels must be a count from 1 to 1000, not 0"),
        (
            "levels = \"many\"",
            "a count of levels or a list of increasing numbers",
        ),
        (
            "contour_width = -1",
            "contour_width must be 0 to 100 points",
        ),
        ("opacity = 2", "opacity must be 0 to 1, not 2"),
        ("under = \"nope\"", "nope"),
        ("colour = \"red\"", "unknown key `colour`"),
        (
            "levels = 3, interpolation = \"nearest\"",
            "`interpolation` is for a field drawn as an image",
        ),
    ];
    for (keys, message) in cases {
        s.write("scene.toml", bare(keys));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, "scene.toml:6:");
    }
    s.write("scene.toml", bare("").replace("f = \"x\"", "f = \"x + t\""));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "which needs the clip's `duration`", "range = \"frame\"");
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 100]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "a plot needs `series`, a `field`, or both",
        "scene.toml:"
    );
}

#[test]
fn an_array_in_a_plot_has_its_first_row_at_the_top_of_its_extent() {
    let s = Sandbox::new();
    // one 2×2 frame: 0 1 / 2 3, first row on top
    let data: Vec<u8> = [0.0f32, 1.0, 2.0, 3.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    s.write("a.npy", npy("<f4", "(1, 2, 2)", &data));
    let scene = |keys: &str| {
        format!(
            r#"
[clip.main]
kind = "plot"
size = [200, 200]
axis = false
field = {{ npy = "a.npy", colormap = "gray", vmin = 0, vmax = 3, interpolation = "nearest"{keys} }}
"#
        )
    };
    // the automatic axes show the default extent 0 … 2 × 0 … 2 edge to edge
    let img = s.frame(&scene(""), 0.0);
    assert_px(&img, 50, 50, [0, 0, 0, 255], 0);
    assert_px(&img, 150, 50, [85, 85, 85, 255], 1);
    assert_px(&img, 50, 150, [170, 170, 170, 255], 1);
    assert_px(&img, 150, 150, [255, 255, 255, 255], 0);
    // given limits twice as wide: the extent fills the lower left quarter
    let img = s.frame(
        &scene("").replace("axis = false", "axis = false\nxlim = [0, 4]\nylim = [0, 4]"),
        0.0,
    );
    assert_px(&img, 25, 125, [0, 0, 0, 255], 0);
    assert_px(&img, 75, 175, [255, 255, 255, 255], 0);
    assert_px(&img, 150, 50, [255, 255, 255, 255], 0);
    // an extent needs both ends; RGB pictures go `under` a field, not in it
    s.write("scene.toml", scene(", x = [0, 1]"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "an array's extent needs both `x = [min, max]` and `y = [min, max]`",
        "scene.toml:6:"
    );
    s.write("rgb.npy", npy("|u1", "(1, 1, 1, 3)", &[1, 2, 3]));
    s.write("scene.toml", scene("").replace("a.npy", "rgb.npy"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "a plot's field shows values, not RGB pictures");
}

#[test]
fn the_outbreak_map_scene_shows_the_map_under_the_outbreak() {
    let s = Sandbox::with_example_scenes();
    let r = s.run(&[
        "frame",
        "scenes/outbreak_map.toml",
        "-t",
        "2.5",
        "-o",
        "map.png",
    ]);
    assert_exit!(r, 0);
    let img = crate::util::read_png(&s.path("map.png"));
    assert_eq!(img.dimensions(), (480, 360));
    // the sea (NaN in the outbreak) is the map's: cividis' dark blue, fully
    let sea = img
        .pixels()
        .filter(|p| p[2] > 60 && p[0] < 10 && p[1] < 60)
        .count();
    assert!(sea > 10_000, "{sea} pixels of sea");
    // on land the half-transparent outbreak mixes with the map's yellow-grey bands:
    // neither the map alone nor inferno alone has these
    let land = img
        .pixels()
        .filter(|p| p[0] > 60 && p[0] < 140 && p[2] < 60 && p[1] > 50)
        .count();
    assert!(land > 5_000, "{land} pixels of mixed land");
}

/// z = sin 2x · sin 2y + 0.1 on a 7 × 7 grid: the cells between two peaks are saddles
/// whose middle (the mean of their corners, about 0.1) is below the peaks' levels, so
/// matplotlib keeps the peaks apart and the cells' middles in the 0 … 0.3 band
/// (tests/fixtures/contour/make_saddles.py has the rule from matplotlib itself).
#[test]
fn saddles_between_peaks_keep_them_apart_as_matplotlib_does() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.main]
kind = "plot"
size = [120, 120]
axis = false
field = { f = "sin(2*x) * sin(2*y) + 0.1", x = [-3, 3], y = [-3, 3], resolution = [7, 7], levels = [-1, -0.5, 0, 0.3, 0.6, 1.2], colormap = "gray", vmin = -1, vmax = 1.2 }
"#,
        0.0,
    );
    // The band 0 … 0.3 is grey at its middle, (0.15 + 1) / 2.2 of white; the joined
    // peaks (0.6 … 1.2) would be (0.9 + 1) / 2.2.
    let band = [133, 133, 133, 255];
    // the middle of the field, and the middles of the four saddle cells at (±1.5, ±1.5)
    for (x, y) in [(60, 60), (30, 30), (90, 30), (30, 90), (90, 90)] {
        assert_px(&img, x, y, band, 1);
    }
}

/// Regression: a small grid's default size with `colorbar = true` (the grid plus the
/// bar) was refused by the colorbar's own check, and the refusal did not say what
/// width would do.
#[test]
fn regression_a_small_fields_default_size_was_too_narrow_for_its_colorbar() {
    let s = Sandbox::new();
    let field = "[clip.main]\nkind = \"field\"\nf = \"x*y\"\nx = [0, 1]\ny = [0, 1]\n\
                 resolution = [60, 40]\ncolorbar = true\nduration = 0.1\n";
    s.write("scene.toml", field);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("output: 159x40,"), "{}", r.stdout);
    s.write("narrow.toml", format!("{field}size = [158, 40]\n"));
    let r = s.run(&["check", "narrow.toml"]);
    assert_exit!(r, 2);
    // At the size given (it was the clip's header).
    assert_stderr!(
        r,
        "a field 158 pixels wide is too narrow for a colorbar",
        "narrow.toml:9:8"
    );
    assert_stderr!(
        r,
        "hint: make it at least 159 pixels wide: size = [159, 40]"
    );
    s.write("wide.toml", format!("{field}size = [159, 40]\n"));
    assert_exit!(s.run(&["check", "wide.toml"]), 0);
}

/// The rightmost column of `img` with a dark grey pixel (text, ticks), if any.
fn last_ink_column(img: &RgbaImage) -> Option<u32> {
    (0..img.width()).rev().find(|&x| {
        (0..img.height()).any(|y| {
            let p = img.get_pixel(x, y);
            p[0] < 100 && p[0] == p[1] && p[1] == p[2]
        })
    })
}

#[test]
fn a_colorbar_label_reads_upwards_beyond_the_ticks_and_takes_its_room() {
    let s = Sandbox::new();
    let scene = |label: &str| {
        format!(
            r#"
[output]
fps = 1
duration = 1
[clip.main]
kind = "plot"
size = [400, 300]
field = {{ f = "x", x = [0, 1], y = [0, 1], colorbar = true{label} }}
"#
        )
    };
    let plain = &s.render_frames(&scene(""), &[])[0];
    let labelled = &s.render_frames(&scene(", colorbar_label = \"Temperature (K)\""), &[])[0];
    // A label of a space keeps the label's room and draws nothing: what differs from it
    // is the label's glyphs, one upright line of text right of everything else.
    let empty = &s.render_frames(&scene(", colorbar_label = \" \""), &[])[0];
    let differ: Vec<(u32, u32)> = (0..400)
        .flat_map(|x| (0..300).map(move |y| (x, y)))
        .filter(|&(x, y)| labelled.get_pixel(x, y) != empty.get_pixel(x, y))
        .collect();
    let xs = differ.iter().map(|p| p.0);
    let ys = differ.iter().map(|p| p.1);
    let (x0, x1) = (xs.clone().min().unwrap(), xs.max().unwrap());
    let (y0, y1) = (ys.clone().min().unwrap(), ys.max().unwrap());
    assert!(x1 - x0 < 16 && y1 - y0 > 80, "{x0}..{x1} × {y0}..{y1}");
    assert!(x0 > last_ink_column(empty).unwrap(), "{x0}");
    // Centred on the bar, which spans the axes' height.
    assert!(((y0 + y1) as i32 / 2 - 150).abs() < 12, "{y0}..{y1}");
    // The label's line is taken from the axes: the bar moves left.
    let last_bar_column = |img: &RgbaImage| {
        (0..400)
            .rev()
            .find(|&x| {
                let p = img.get_pixel(x, 150);
                p[0] != p[1] || p[1] != p[2]
            })
            .unwrap()
    };
    assert!(last_bar_column(labelled) < last_bar_column(plain));
    // A series' colorbar takes a label too.
    s.write("pts.csv", "x,y,v\n0,0,1\n1,1,2\n2,0,3\n");
    s.write(
        "series.toml",
        r#"
[output]
fps = 1
duration = 1
[clip.main]
kind = "plot"
size = [400, 300]
series = [{ csv = "pts.csv", x = "x", y = "y", color_by = "v", colorbar = true, colorbar_label = "Speed (m/s)" }]
"#,
    );
    let r = s.run(&["render", "series.toml", "-o", "series/", "-q"]);
    assert_exit!(r, 0);
    let img = image::open(s.path("series/0000.png")).unwrap().to_rgba8();
    s.write(
        "series.toml",
        std::fs::read_to_string(s.path("series.toml"))
            .unwrap()
            .replace("Speed (m/s)", " "),
    );
    let r = s.run(&["render", "series.toml", "-o", "empty/", "-q"]);
    assert_exit!(r, 0);
    let without = image::open(s.path("empty/0000.png")).unwrap().to_rgba8();
    assert!(last_ink_column(&img).unwrap() > last_ink_column(&without).unwrap() + 8);
}

#[test]
fn a_colorbar_label_without_its_colorbar_is_refused_and_a_long_one_is_warned_of() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.f]\nkind = \"field\"\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\nresolution = [100, 60]\ncolorbar_label = \"K\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`colorbar_label` labels the colorbar, which is not shown"
    );
    assert_stderr!(r, "scene.toml:7:");
    assert_stderr!(r, "add `colorbar = true`");
    s.write(
        "scene.toml",
        "[clip.f]\nkind = \"field\"\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\nresolution = [100, 60]\ncolorbar = true\ncolorbar_label = \"A label far too long for this\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "the colorbar's label is");
    assert_stderr!(r, "the clip 60 pixels tall: it is cut at both ends");
}

#[test]
fn jet_turbo_and_blues_are_matplotlibs() {
    let s = Sandbox::new();
    for (map, left, right) in [
        ("turbo", [0x30, 0x12, 0x3b], [0x7a, 0x04, 0x03]),
        ("Blues", [0xf7, 0xfb, 0xff], [0x08, 0x30, 0x6b]),
        ("jet_r", [0x80, 0x00, 0x00], [0x00, 0x00, 0x80]),
    ] {
        let scene = format!(
            "[output]\nfps = 1\nduration = 1\n[clip.f]\nkind = \"field\"\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\nresolution = [64, 4]\ncolormap = \"{map}\"\n"
        );
        let f = &s.render_frames(&scene, &[])[0];
        let [r, g, b] = left;
        assert_px(f, 0, 2, [r, g, b, 255], 0);
        let [r, g, b] = right;
        assert_px(f, 63, 2, [r, g, b, 255], 0);
    }
}

/// newcomer6: a field with a `title` and a `colorbar` (drawn on hidden axes) ran its
/// bar to the bottom edge, cutting the lowest tick label, and glued the bar to the data.
#[test]
fn regression_a_titled_fields_colorbar_was_cut_at_the_bottom_and_touched_the_data() {
    let s = Sandbox::new();
    let img = s.frame(
        "[clip.main]\nkind = \"field\"\nf = \"x*y\"\nx = [-1, 1]\ny = [-1, 1]\n\
         size = [300, 240]\nduration = 1\ncolorbar = true\ntitle = \"A title\"\n",
        0.0,
    );
    let white = |x: u32, y: u32| img.get_pixel(x, y).0 == [255, 255, 255, 255];
    // The data reach the bottom edge; right of them the last rows are empty: the bar
    // and its lowest label end above.
    assert!(!white(10, 239));
    let right = (0..300).rev().find(|&x| !white(x, 120)).unwrap();
    let data_end = (0..300)
        .find(|&x| white(x, 120))
        .expect("a gap after the data");
    assert!(data_end > 150 && data_end < right, "{data_end} {right}");
    for y in 236..240 {
        assert!((data_end..300).all(|x| white(x, y)), "ink in row {y}");
    }
    // Between the data and the bar, a white gap as without the title.
    let bar_start = (data_end..300).find(|&x| !white(x, 120)).unwrap();
    assert!(bar_start - data_end >= 5, "gap {}", bar_start - data_end);
}

/// `contour_labels`: the vertical line x = 0.5 is broken under its label, which is
/// drawn there in the lines' colour; a line too short for its label is left whole; the
/// key without `contours` is refused at its place.
#[test]
fn contour_labels_break_their_line_and_need_contours() {
    let s = Sandbox::new();
    let scene = |extra: &str| {
        format!(
            "[clip.main]\nkind = \"field\"\nsize = [200, 200]\nx = [0, 1]\ny = [0, 1]\n\
             f = \"x\"\ncolormap = \"gray\"\ncontours = [0.5]\ncontour_color = \"red\"\n{extra}"
        )
    };
    let red = |img: &RgbaImage, x: u32, y: u32| {
        let p = img.get_pixel(x, y).0;
        p[0] > 150 && p[1] < 100 && p[2] < 100
    };
    // Rows where the column of the line is red.
    let rows_red = |img: &RgbaImage| {
        (0..200)
            .filter(|&y| (99..=100).any(|x| red(img, x, y)))
            .count()
    };
    let whole = s.frame(&scene(""), 0.0);
    let labelled = s.frame(&scene("contour_labels = true\n"), 0.0);
    assert!(rows_red(&whole) >= 195, "{}", rows_red(&whole));
    // At least the 5 pixels free on each side of the label are gone.
    assert!(
        rows_red(&labelled) <= rows_red(&whole) - 10,
        "{}",
        rows_red(&labelled)
    );
    // The label's own red is beside the line's column, in the middle.
    let beside = (85..115)
        .flat_map(|y| (90..110).map(move |x| (x, y)))
        .filter(|&(x, y)| !(98..=101).contains(&x) && red(&labelled, x, y))
        .count();
    assert!(beside > 5, "no label drawn: {beside}");
    assert!((0..20).all(|y| red(&labelled, 100, y) || red(&labelled, 99, y)));
    // A frame too small for the label: the line stays whole.
    let small = scene("contour_labels = true\n").replace("[200, 200]", "[40, 12]");
    let tiny = s.frame(&small, 0.0);
    assert!((0..12).all(|y| (18..=21).any(|x| red(&tiny, x, y))));
    s.write("bare.toml", "[clip.main]\nkind = \"field\"\nsize = [200, 200]\nx = [0, 1]\ny = [0, 1]\nf = \"x\"\ncontour_labels = true\n");
    let r = s.run(&["check", "bare.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "give `contours` too", "bare.toml:7:18");
}
