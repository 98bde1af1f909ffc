//! 3-D sources (`surface`, `curve3d`) on the real binary: geometry a user can check by
//! eye, camera animation, determinism across threads, errors, and small golden images.

use std::path::{Path, PathBuf};

use crate::util::{assert_px, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A scene whose root clip `main` has `keys`.
fn scene(fps: u32, keys: &str) -> String {
    format!("[output]\nfps = {fps}\n\n[clip.main]\n{keys}\n")
}

/// The distance at which an orthographic camera shows `half` units above the centre.
fn ortho_distance(half: f64) -> f64 {
    half / 15f64.to_radians().tan()
}

#[test]
fn flat_surface_from_straight_above_fills_the_expected_rectangle_in_one_shade() {
    let s = Sandbox::new();
    let img = s.frame(
        &scene(
            10,
            &format!(
                r##"kind = "surface"
size = [64, 64]
z = "0"
x = [-1, 1]
y = [-1, 1]
resolution = [5, 5]
color = "#3399ff"
background = "black"
camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {} }}
"##,
                ortho_distance(2.0)
            ),
        ),
        0.0,
    );
    let shade = img.get_pixel(32, 32).0;
    assert_eq!(shade[3], 255);
    assert!(shade[2] > shade[0], "blue-ish fill: {shade:?}");
    for y in 0..64 {
        for x in 0..64 {
            let inside = (16..48).contains(&x) && (16..48).contains(&y);
            let want = if inside { shade } else { [0, 0, 0, 255] };
            assert_px(&img, x, y, want, 0);
        }
    }
}

#[test]
fn heights_take_viridis_colours_by_default() {
    // z = x seen from above, lit by ambient light only: each column shows the
    // colormap's colour for its height, low on the left, high on the right.
    let s = Sandbox::new();
    let keys = |colormap: &str| {
        scene(
            10,
            &format!(
                r#"kind = "surface"
size = [64, 64]
z = "x"
x = [-1, 1]
y = [-1, 1]
resolution = [65, 65]
{colormap}
light = {{ ambient = 1, diffuse = 0, specular = 0 }}
camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {} }}
"#,
                ortho_distance(1.0)
            ),
        )
    };
    let img = s.frame(&keys(""), 0.0);
    assert_px(&img, 0, 32, [68, 1, 84, 255], 3);
    assert_px(&img, 63, 32, [253, 231, 37, 255], 3);
    let img = s.frame(&keys("colormap = \"blue-red_r\""), 0.0);
    assert_px(&img, 0, 32, [255, 0, 0, 255], 12);
    assert_px(&img, 63, 32, [0, 0, 255, 255], 12);
}

#[test]
fn the_camera_turns_with_an_azimuth_expression() {
    let s = Sandbox::new();
    let keys = |azimuth: &str| {
        scene(
            4,
            &format!(
                r#"kind = "surface"
size = [48, 48]
duration = 1
z = "x * y"
x = [-1, 1]
y = [-1, 1]
resolution = [20, 20]
camera = {{ azimuth = "{azimuth}" }}
"#
            ),
        )
    };
    let frames = s.render_frames(&keys("360*t/duration"), &[]);
    assert_eq!(frames.len(), 4);
    assert_ne!(frames[0], frames[1], "the view changes from frame to frame");
    // A turn of 360 degrees is no turn at all.
    let full = s.frame(&keys("360"), 0.0);
    let none = s.frame(&keys("0"), 0.0);
    let diff = full
        .pixels()
        .zip(none.pixels())
        .map(|(a, b)| {
            a.0.iter()
                .zip(b.0)
                .map(|(x, y)| x.abs_diff(y))
                .max()
                .unwrap()
        })
        .max()
        .unwrap();
    assert!(diff <= 2, "azimuth 360 vs 0 differ by {diff}");
    // Half a turn about the z axis mirrors the saddle z = x·y onto itself.
    let half = s.frame(&keys("180"), 0.0);
    assert_eq!(half.dimensions(), none.dimensions());
}

#[test]
fn frames_are_identical_on_one_thread_and_on_many() {
    let s = Sandbox::new();
    let text = scene(
        10,
        r#"kind = "surface"
size = [60, 40]
duration = 0.6
z = "sinc(x^2 + y^2) + sin(x + 2*pi*t/duration)"
x = [-2, 2]
y = [-2, 2]
resolution = [40, 40]
outline = true
mesh_lines = { every = 5 }
camera = { azimuth = "30 + 60*t" }
"#,
    );
    let one = s.render_frames(&text, &["--threads", "1"]);
    let many = s.render_frames(&text, &["--threads", "4"]);
    assert_eq!(one.len(), 6);
    assert!(one == many, "frames differ between 1 and 4 threads");
}

#[test]
fn transparent_background_stays_transparent() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"[output]
background = "transparent"

[clip.main]
kind = "surface"
size = [40, 40]
z = "0.3*sin(3*x)"
x = [-1, 1]
y = [-1, 1]
background = "transparent"
"#,
        0.0,
    );
    assert_eq!(img.get_pixel(0, 0).0[3], 0);
    assert_eq!(img.get_pixel(20, 20).0[3], 255);
}

#[test]
fn a_line_curve_seen_from_above_is_a_horizontal_stroke() {
    let s = Sandbox::new();
    let img = s.frame(
        &scene(
            10,
            &format!(
                r#"kind = "curve3d"
size = [64, 64]
u = [-1, 1]
samples = 20
x = "u"
y = 0
z = 0
line = {{ width = 4 }}
color = "red"
background = "white"
camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {}, target = [0, 0, 0] }}
"#,
                ortho_distance(2.0)
            ),
        ),
        0.0,
    );
    // x from -1 to 1 is pixels 16..48 (plus the square caps), rows 30..34.
    assert_px(&img, 32, 31, [255, 0, 0, 255], 0);
    assert_px(&img, 20, 32, [255, 0, 0, 255], 0);
    assert_px(&img, 32, 26, [255, 255, 255, 255], 0);
    assert_px(&img, 5, 32, [255, 255, 255, 255], 0);
}

#[test]
fn a_closed_tube_renders_every_frame() {
    let s = Sandbox::new();
    let frames = s.render_frames(
        &scene(
            10,
            r#"kind = "curve3d"
size = [50, 50]
duration = 0.3
u = [0, "2*pi"]
samples = 60
x = "cos(u)"
y = "sin(3*u) * (0.2 + 0.5*cos(2*pi*t/duration))"
z = "sin(u)"
tube = { radius = 0.2, sides = 5 }
camera = { azimuth = "360*t/duration", distance = 9 }
background = "white"
"#,
        ),
        &[],
    );
    assert_eq!(frames.len(), 3);
    for f in &frames {
        let lit = f.pixels().filter(|p| p.0 != [255, 255, 255, 255]).count();
        assert!(lit > 100, "the tube is visible ({lit} pixels)");
    }
}

#[test]
fn hostile_values_render_without_crashing() {
    let s = Sandbox::new();
    for (z, x) in [
        ("1e300 * x", "[-1, 1]"),
        ("if(x > 0, 1/0, sqrt(-1))", "[-1, 1]"),
        ("x * y", "[-1e300, 1e300]"),
        ("1/x", "[-1, 1]"),
    ] {
        let img = s.frame(
            &scene(
                10,
                &format!(
                    "kind = \"surface\"\nsize = [32, 32]\nz = \"{z}\"\nx = {x}\ny = [-1, 1]\nresolution = [9, 9]\noutline = true\ncamera = {{ fov = \"if(t > 0, 0, 30)\" }}"
                ),
            ),
            0.0,
        );
        assert_eq!(img.dimensions(), (32, 32), "z = {z}");
    }
    let frames = s.render_frames(
        &scene(
            10,
            r#"kind = "curve3d"
size = [32, 32]
duration = 0.2
u = [0, 1]
x = "1/u"
y = "1e300*u"
z = "sqrt(u - 0.5)"
camera = { distance = "1/t", elevation = "1/(t - t)" }
tube = { radius = "1e300 * t - 1/(t - 0.1)" }
zlim = ["1/t", "-1/t"]
outline = { width = "1/(t - t)", color = { keys = [[0, "red"], [0, "blue"]] } }
"#,
        ),
        &[],
    );
    assert_eq!(frames.len(), 2);
}

// ---------------------------------------------------------------------------------
// animated colours, widths, radii and zlim

/// A flat square (x, y in -1..1) seen from straight above by an orthographic camera
/// that shows 4 units across 64 pixels: the square is pixels 16..48. Lit by ambient
/// light only, so a fill shows its colour exactly.
fn flat_from_above(keys: &str) -> String {
    scene(
        10,
        &format!(
            r#"kind = "surface"
size = [64, 64]
duration = 1
z = "0"
x = [-1, 1]
y = [-1, 1]
resolution = [5, 5]
light = {{ ambient = 1, diffuse = 0, specular = 0 }}
camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {} }}
{keys}
"#,
            ortho_distance(2.0)
        ),
    )
}

/// Pixels of `img` within `tol` of `rgb`.
fn count_near(img: &image::RgbaImage, rgb: [u8; 3], tol: u8) -> usize {
    img.pixels()
        .filter(|p| (0..3).all(|k| p.0[k].abs_diff(rgb[k]) <= tol))
        .count()
}

/// Pixels of `img` where channel `k` (0 red, 1 green, 2 blue) stands out over the
/// other two: lines of that colour on white or black, anti-aliased edges included.
fn count_tinted(img: &image::RgbaImage, k: usize) -> usize {
    img.pixels()
        .filter(|p| (0..3).all(|j| j == k || p.0[k] as i32 > p.0[j] as i32 + 48))
        .count()
}

#[test]
fn keyframed_fill_and_background_colours_follow_their_keys() {
    let s = Sandbox::new();
    let text = flat_from_above(
        r#"color = { keys = [[0, "red"], [0.5, "blue"]] }
background = { keys = [[0, "white"], [0.5, [0, 128, 0]]], ease = "in-out-cubic" }"#,
    );
    let start = s.frame(&text, 0.0);
    assert_px(&start, 32, 32, [255, 0, 0, 255], 0);
    assert_px(&start, 2, 2, [255, 255, 255, 255], 0);
    let end = s.frame(&text, 0.75);
    assert_px(&end, 32, 32, [0, 0, 255, 255], 0);
    assert_px(&end, 2, 2, [0, 128, 0, 255], 0);
    // Halfway, the fill is Oklab's blend of red and blue (as the `color` source's
    // keyframes give), not sRGB's dark purple [128, 0, 128].
    let mid = s.frame(&text, 0.25);
    let blend = s.frame(
        "[clip.main]\nkind = \"color\"\nsize = [2, 2]\nduration = 1\n\
         color = { keys = [[0, \"red\"], [0.5, \"blue\"]] }\n",
        0.25,
    );
    let want = blend.get_pixel(0, 0).0;
    assert_px(&mid, 32, 32, want, 0);
    assert!(want[0] > 128 && want[1] > 40, "{want:?}");
}

#[test]
fn mesh_line_and_outline_colours_and_widths_change_with_time() {
    let s = Sandbox::new();
    // The outline box of a flat surface seen from above is the square's border.
    let text = flat_from_above(
        r#"color = "white"
background = "white"
outline = { color = { keys = [[0, "red"], [0.5, [0, 255, 0]]] }, width = "1 + 8*t" }"#,
    );
    let start = s.frame(&text, 0.0);
    let end = s.frame(&text, 0.75);
    let (red, green) = (count_tinted(&start, 0), count_tinted(&end, 1));
    assert!(red > 100, "a thin red box at t = 0 ({red} pixels)");
    assert_eq!(count_tinted(&start, 1), 0);
    assert_eq!(count_tinted(&end, 0), 0);
    // 7 pixels wide instead of 1.
    assert!(green > 4 * red, "the box widens: {red} → {green} pixels");
    // Grid lines: black and thin, then blue and thick; a width of 0 hides them.
    let lines = |t: f64| {
        s.frame(
            &flat_from_above(
                r#"color = "white"
background = "white"
mesh_lines = { color = { keys = [[0, "black"], [0.5, "blue"]] }, width = { keys = [[0, 1], [0.5, 4, "hold"], [0.6, 0]] } }"#,
            ),
            t,
        )
    };
    // Lines on white, anti-aliased: every pixel that is not white is a grey for black
    // lines, a pale to full blue for blue ones.
    let ink = |img: &image::RgbaImage| 64 * 64 - count_near(img, [255, 255, 255], 8);
    let count = |img: &image::RgbaImage, f: fn([u8; 4]) -> bool| {
        img.pixels().filter(|p| p.0[0] < 247 && f(p.0)).count()
    };
    let grey = |p: [u8; 4]| p[0].abs_diff(p[1]) <= 8 && p[0].abs_diff(p[2]) <= 8;
    let blue = |p: [u8; 4]| p[2] > p[0] + 4 && p[2] > p[1] + 4;
    let (start, mid) = (lines(0.0), lines(0.5));
    assert_eq!(count(&start, grey), ink(&start), "black lines at first");
    assert_eq!(count(&mid, blue), ink(&mid), "blue lines at t = 0.5");
    let (thin, thick) = (ink(&start), ink(&mid));
    // Four pixels wide instead of one (the crossings overlap more when wider).
    assert!(
        thin > 300 && 2 * thick > 3 * thin,
        "{thin} → {thick} pixels"
    );
    let hidden = lines(0.8);
    assert_eq!(count_near(&hidden, [255, 255, 255], 0), 64 * 64);
}

#[test]
fn tube_radius_and_line_width_animate() {
    let s = Sandbox::new();
    // A straight tube along x seen from above: its width on screen is its diameter.
    let tube = |radius: &str| {
        scene(
            10,
            &format!(
                r#"kind = "curve3d"
size = [64, 64]
duration = 1
u = [-1, 1]
samples = 10
x = "u"
y = 0
z = 0
tube = {{ radius = {radius}, sides = 8 }}
color = "red"
light = {{ ambient = 1, diffuse = 0, specular = 0 }}
background = "white"
camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {}, target = [0, 0, 0] }}
"#,
                ortho_distance(2.0)
            ),
        )
    };
    let keyed = tube("{ keys = [[0, 0.05], [1, 0.3]] }");
    let thin = count_tinted(&s.frame(&keyed, 0.0), 0);
    let thick = count_tinted(&s.frame(&keyed, 0.9), 0);
    // 16 pixels a unit: 1.6 pixels across at first, 8.8 at t = 0.9.
    assert!(thin > 20 && thick > 4 * thin, "{thin} → {thick} pixels");
    // The same radius as a constant draws the same frame.
    let constant = s.frame(&tube("0.275"), 0.0);
    assert_eq!(s.frame(&keyed, 0.9), constant);
    // A radius of 0 or NaN draws no tube that frame, and never fails the render.
    let frames = s.render_frames(&tube("\"if(t < 0.5, 0, 0.2) + 0/(t - 0.6)\""), &[]);
    assert_eq!(frames.len(), 10);
    assert_eq!(count_tinted(&frames[2], 0), 0);
    assert_eq!(count_tinted(&frames[6], 0), 0);
    assert!(count_tinted(&frames[8], 0) > 100);

    let line = tube("0.1").replace(
        "tube = { radius = 0.1, sides = 8 }",
        "line = { width = \"2 + 6*t\" }",
    );
    let thin = count_tinted(&s.frame(&line, 0.0), 0);
    let thick = count_tinted(&s.frame(&line, 0.9), 0);
    assert!(thin > 40 && thick > 3 * thin, "{thin} → {thick} pixels");
}

#[test]
fn a_zlim_of_t_recolours_the_same_heights() {
    // z = x from above through the gray colormap: the right edge (z = 1) is white while
    // zlim is [-1, 1], and three quarters of the way up once it is [-2, 2].
    let s = Sandbox::new();
    let text = scene(
        10,
        &format!(
            r#"kind = "surface"
size = [64, 64]
duration = 1
z = "x"
x = [-1, 1]
y = [-1, 1]
resolution = [65, 65]
colormap = "gray"
zlim = ["-1 - t", {{ keys = [[0, 1], [1, 2]] }}]
light = {{ ambient = 1, diffuse = 0, specular = 0 }}
camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {}, target = [0, 0, 0] }}
"#,
            ortho_distance(1.0)
        ),
    );
    let start = s.frame(&text, 0.0);
    assert_px(&start, 63, 32, [255, 255, 255, 255], 6);
    assert_px(&start, 32, 32, [128, 128, 128, 255], 6);
    let later = s.frame(&text, 0.9);
    // zlim [-1.9, 1.9]: z = 1 sits at 0.763 of the range.
    let v = (0.763f64 * 255.0).round() as u8;
    assert_px(&later, 63, 32, [v, v, v, 255], 6);
    assert_px(&later, 32, 32, [128, 128, 128, 255], 6);
}

// ---------------------------------------------------------------------------------
// errors

fn error_of(keys: &str) -> crate::util::Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene(10, keys));
    s.run(&["check", "scene.toml"])
}

const BASE: &str = "kind = \"surface\"\nsize = [40, 40]\nx = [-1, 1]\ny = [-1, 1]\n";

#[test]
fn errors_point_into_the_scene() {
    let r = error_of(&format!("{BASE}z = \"x\"\ncamera = {{ azimuht = 30 }}"));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown key `azimuht`",
        "did you mean `azimuth`?",
        "scene.toml:10:"
    );

    let r = error_of(&format!("{BASE}z = \"sin(x\""));
    assert_exit!(r, 2);
    assert_stderr!(r, "scene.toml:9:");

    let r = error_of(&format!("{BASE}z = \"u + 1\""));
    assert_exit!(r, 2);
    assert_stderr!(r, "`u`");

    let r = error_of(&format!("{BASE}z = \"x\"\nresolution = [2000, 2000]"));
    assert_exit!(r, 2);
    assert_stderr!(r, "resolution", "1000000", "scene.toml:10:14");

    let r = error_of(&format!("{BASE}z = \"x\"\ncolormap = \"blue-rad\""));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown colormap `blue-rad`", "did you mean `blue-red`?");

    let r = error_of(&format!(
        "{BASE}z = \"x\"\ncolor = \"red\"\ncolormap = \"blue-red\""
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "either `color`", "scene.toml:11:");

    let r = error_of(&format!("{BASE}z = \"x\"\nantialias = 9"));
    assert_exit!(r, 2);
    assert_stderr!(r, "antialias must be 1 to 4");

    let r = error_of(
        "kind = \"surface\"\nsize = [8000, 8000]\nx = [0, 1]\ny = [0, 1]\nz = \"0\"\nantialias = 2",
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "samples", "lower `antialias` or the size");

    let r = error_of(&format!("{BASE}z = \"x\"\nzlim = [1, 0]"));
    assert_exit!(r, 2);
    assert_stderr!(r, "low < high");

    let r = error_of("kind = \"surface\"\nsize = [40, 40]\nx = [1, 1]\ny = [-1, 1]\nz = \"0\"");
    assert_exit!(r, 2);
    assert_stderr!(r, "two different numbers", "scene.toml:7:5");

    let r = error_of(&format!("{BASE}z = \"x\"\ncamera = {{ fov = 200 }}"));
    assert_exit!(r, 2);
    assert_stderr!(r, "fov must be 0 (orthographic) to 170");

    let r = error_of(&format!("{BASE}z = \"x\"\ncamera = {{ target = [0, 0] }}"));
    assert_exit!(r, 2);
    assert_stderr!(r, "target is a point [x, y, z]");
}

#[test]
fn unknown_keys_in_nested_tables_get_no_far_fetched_hint() {
    let r = error_of(&format!("{BASE}z = \"x\"\ncamera = {{ zoom = 2 }}"));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown key `zoom`",
        "scene.toml:10:12",
        "known keys here: azimuth, elevation, distance, fov, target"
    );
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
    // The clip's own keys still get theirs.
    let r = error_of(&format!("{BASE}z = \"x\"\ncolour = \"red\""));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown key `colour`", "did you mean `color`?");
}

#[test]
fn a_range_whose_span_overflows_says_so_in_short_numbers() {
    let r = error_of(
        "kind = \"surface\"\nsize = [40, 40]\nx = [-1e308, 1e308]\ny = [-1, 1]\nz = \"0\"",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "x = [-1e308, 1e308] is too wide",
        "overflows to infinity",
        "scene.toml:7:5"
    );
    assert!(!r.stderr.contains("00000000"), "{}", r.stderr);
    let r = error_of(
        "kind = \"curve3d\"\nsize = [40, 40]\nu = [\"-1.5e308\", 1e308]\nx = \"u\"\ny = 0\nz = 0",
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "u = [-1.5e308, 1e308] is too wide", "scene.toml:7:5");
}

#[test]
fn animated_values_are_checked_where_they_cannot_change() {
    // Counts fix array sizes: vars are fine, `t` is not.
    let base = "[vars]\nn = 12\n\n[clip.main]\nkind = \"curve3d\"\nsize = [40, 40]\nu = [0, 1]\nx = \"u\"\ny = 0\nz = 0\n";
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        format!("{base}samples = \"2 * n\"\ntube = {{ sides = \"n / 2\" }}\nantialias = \"n / 6\""),
    );
    assert_exit!(s.run(&["check", "scene.toml"]), 0);
    for (keys, message) in [
        ("samples = \"n * t\"", "samples cannot change over time"),
        (
            "tube = { sides = 2.5 }",
            "sides must be a whole number, not 2.5",
        ),
        ("antialias = \"t\"", "antialias cannot change over time"),
        ("tube = { radius = 0 }", "radius must be more than 0, not 0"),
        (
            "line = { width = 101 }",
            "width must be more than 0 and at most 100 pixels, not 101",
        ),
        ("outline = { width = -1 }", "width must be more than 0"),
        (
            "color = { keys = [[0, \"red\"], [1, \"gren\"]] }",
            "did you mean `green`?",
        ),
        ("background = { keys = [[0, \"red\"], [1, 5]] }", "colour"),
    ] {
        s.write("scene.toml", format!("{base}{keys}"));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, "scene.toml:11:");
    }
    let r = error_of(&format!("{BASE}z = \"x\"\nresolution = [10, \"10 + t\"]"));
    assert_exit!(r, 2);
    assert_stderr!(r, "resolution cannot change over time", "scene.toml:10:19");
    let r = error_of(&format!("{BASE}z = \"x\"\nzlim = [1, \"2*0.5\"]"));
    assert_exit!(r, 2);
    assert_stderr!(r, "low < high, not [1, 1]");
}

#[test]
fn curve_errors_point_into_the_scene() {
    let base = "kind = \"curve3d\"\nsize = [40, 40]\nu = [0, 1]\nx = \"u\"\ny = 0\nz = 0\n";
    let r = error_of(&format!(
        "{base}tube = {{ radius = 0.1 }}\nline = {{ width = 2 }}"
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "either as a `tube` or as a `line`", "scene.toml:12:");

    let r = error_of(&format!("{base}samples = 1"));
    assert_exit!(r, 2);
    assert_stderr!(r, "samples must be 2 to 100000");

    let r = error_of(&format!("{base}tube = {{ sides = 2 }}"));
    assert_exit!(r, 2);
    assert_stderr!(r, "sides must be 3 to 64");

    let r =
        error_of("kind = \"curve3d\"\nsize = [40, 40]\nu = [0, 1]\nx = \"u + v\"\ny = 0\nz = 0");
    assert_exit!(r, 2);
    assert_stderr!(r, "`v`", "scene.toml:8:");
}

// ---------------------------------------------------------------------------------
// golden images

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/3d")
        .join(format!("{name}.png"))
}

/// Compares a rendered frame with `tests/fixtures/3d/NAME.png`, allowing for
/// floating-point differences between machines: a mean difference under 1 level and
/// at most 1 % of pixels off by more than 32 (an edge sample flipping). With
/// `ANIMATE_BLESS=1` the fixture is rewritten instead; on failure the frame and a diff
/// image are written beside the test binary's temporary folder.
fn golden(name: &str, keys: &str, t: f64) {
    let s = Sandbox::new();
    let got = s.frame(&scene(20, keys), t);
    let path = fixture(name);
    if std::env::var_os("ANIMATE_BLESS").is_some() {
        got.save(&path).expect("write fixture");
        return;
    }
    let want = read_png(&path);
    assert_eq!(got.dimensions(), want.dimensions(), "{name}: size differs");
    let mut diff = image::RgbaImage::new(got.width(), got.height());
    let (mut total, mut far) = (0u64, 0usize);
    for ((g, w), d) in got.pixels().zip(want.pixels()).zip(diff.pixels_mut()) {
        let m =
            g.0.iter()
                .zip(w.0)
                .map(|(a, b)| a.abs_diff(b))
                .max()
                .unwrap();
        total += m as u64;
        far += (m > 32) as usize;
        let v = (m as u32 * 4).min(255) as u8;
        *d = image::Rgba([v, v, v, 255]);
    }
    let n = (got.width() * got.height()) as usize;
    let mean = total as f64 / n as f64;
    if mean >= 1.0 || far * 100 > n {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-3d");
        std::fs::create_dir_all(&dir).unwrap();
        got.save(dir.join(format!("{name}.png"))).unwrap();
        diff.save(dir.join(format!("{name}.diff.png"))).unwrap();
        panic!(
            "{name}: mean difference {mean:.2}, {far} pixels off by more than 32; see {} (ANIMATE_BLESS=1 regenerates the fixture)",
            dir.display()
        );
    }
}

#[test]
fn golden_sinc_surface() {
    golden(
        "sinc",
        r#"kind = "surface"
size = [80, 80]
duration = 2
z = "sinc(x^2 + y^2) + sin(y + 2*pi*t/duration)"
x = [-2, 2]
y = [-2, 2]
resolution = [60, 60]
colormap = "blue-red"
zlim = "frame"
background = "white"
outline = true
"#,
        0.5,
    );
}

#[test]
fn golden_ripple_smooth_single_colour() {
    golden(
        "ripple",
        r#"kind = "surface"
size = [96, 72]
duration = 1
z = "0.1*sin(10*sqrt(x^2 + y^2) - 2*pi*t)"
x = [-1, 0.98]
y = [-1, 0.98]
resolution = [100, 100]
color = [128, 128, 255]
camera = { azimuth = -60, elevation = 65, distance = 2, fov = 45, target = [0.1, -0.2, 0] }
background = "black"
"#,
        0.25,
    );
}

#[test]
fn golden_flat_shading_with_mesh_lines() {
    golden(
        "flat_mesh",
        r#"kind = "surface"
size = [72, 72]
z = "exp(-(x^2 + y^2))"
x = [-2, 2]
y = [-2, 2]
resolution = [12, 12]
shading = "flat"
colormap = "blue-red_r"
mesh_lines = { color = "black", width = 1 }
camera = { azimuth = 30, elevation = 40, fov = 0 }
background = "white"
"#,
        0.0,
    );
}

#[test]
fn golden_wireframe_tube() {
    golden(
        "wireframe",
        r#"kind = "curve3d"
size = [80, 80]
duration = 2
u = [0, "2*pi"]
samples = 100
x = "cos(u)"
y = "sin(3*u) * (0.2 + 0.5*cos(2*pi*t/duration))"
z = "sin(u)"
tube = { radius = 0.2, sides = 5 }
wireframe = true
color = [40, 90, 200]
camera = { azimuth = "360*t/duration", distance = 9 }
background = "white"
"#,
        0.3,
    );
}

#[test]
fn golden_line_curve_coloured_by_height() {
    golden(
        "helix",
        r#"kind = "curve3d"
size = [64, 64]
u = [0, "6*pi"]
samples = 300
x = "cos(u)"
y = "sin(u)"
z = "u/(6*pi)"
line = { width = 2 }
colormap = "blue-red"
outline = { color = "gray" }
background = "black"
"#,
        0.0,
    );
}

// ---------------------------------------------------------------------------------
// heights from a NumPy file

/// `T×H×W` float64 heights as `np.save` writes them.
fn heights_npy(frames: &[Vec<f64>], h: usize, w: usize) -> Vec<u8> {
    let data: Vec<u8> = frames
        .iter()
        .flatten()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    crate::plots::npy("<f8", &format!("({}, {h}, {w})", frames.len()), &data)
}

/// numpy's `linspace`.
fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The largest difference of any channel between two pictures of one size.
fn largest_difference(a: &image::RgbaImage, b: &image::RgbaImage) -> u8 {
    assert_eq!(a.dimensions(), b.dimensions());
    a.as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(p, q)| p.abs_diff(*q))
        .max()
        .unwrap_or(0)
}

/// newcomer7: a simulation's heights (a T×H×W array) could not be a surface; the
/// same heights as an array and as a formula draw the same picture.
#[test]
fn a_surface_from_an_array_matches_the_same_heights_as_a_formula() {
    let s = Sandbox::new();
    let (w, h) = (24, 16);
    let (xs, ys) = (linspace(-3.0, 3.0, w), linspace(-2.0, 2.0, h));
    let frames: Vec<Vec<f64>> = (0..3)
        .map(|k| {
            let t = k as f64 / 10.0;
            ys.iter()
                .flat_map(|y| xs.iter().map(move |x| (x + 5.0 * t).sin() * y.cos()))
                .collect()
        })
        .collect();
    s.write("z.npy", heights_npy(&frames, h, w));
    let common = "kind = \"surface\"\nsize = [96, 72]\nx = [-3, 3]\ny = [-2, 2]\nzlim = [-1, 1]\n";
    let formula = s.render_frames(
        &scene(
            10,
            &format!(
                "{common}duration = 0.3\nresolution = [{w}, {h}]\nz = \"sin(x + 5*t)*cos(y)\""
            ),
        ),
        &[],
    );
    let array = s.render_frames(&scene(10, &format!("{common}npy = \"z.npy\"")), &[]);
    assert_eq!(
        array.len(),
        3,
        "one frame per array frame at the output's rate"
    );
    for (k, (a, f)) in array.iter().zip(&formula).enumerate() {
        assert!(largest_difference(a, f) <= 1, "frame {k}");
    }
    // `z` of the value `v` (and x, y, t): heights scaled or turned over.
    let flipped = s.render_frames(
        &scene(10, &format!("{common}npy = \"z.npy\"\nz = \"-v\"")),
        &[],
    );
    let formula_flipped = s.render_frames(
        &scene(
            10,
            &format!(
                "{common}duration = 0.3\nresolution = [{w}, {h}]\nz = \"-sin(x + 5*t)*cos(y)\""
            ),
        ),
        &[],
    );
    assert!(largest_difference(&flipped[1], &formula_flipped[1]) <= 1);
    assert!(
        largest_difference(&flipped[1], &array[1]) > 20,
        "-v is another picture"
    );
}

#[test]
fn an_arrays_surface_keeps_its_own_rate_and_refuses_what_does_not_fit() {
    let s = Sandbox::new();
    let flat = |v: f64| vec![v; 6];
    s.write("z.npy", heights_npy(&[flat(0.0), flat(1.0)], 2, 3));
    s.write(
        "scene.toml",
        scene(
            10,
            "kind = \"surface\"\nsize = [40, 40]\nnpy = \"z.npy\"\nfps = 4",
        ),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    // Two array frames at 4 fps: 0.5 s, drawn at the output's 10 fps.
    assert!(
        r.stdout.contains("10 fps, 0.50 s (5 frames)"),
        "{}",
        r.stdout
    );
    for (keys, text, place) in [
        (
            "npy = \"z.npy\"\nresolution = [4, 4]",
            "`resolution` is for surfaces given by a formula",
            "scene.toml:8:14",
        ),
        (
            "z = \"x\"\nx = [0, 1]\ny = [0, 1]\nfps = 4",
            "`fps` is for surfaces given by `npy`",
            "scene.toml:10:7",
        ),
        ("x = [0, 1]\ny = [0, 1]", "a surface needs `z`", ""),
        ("npy = \"z.npy\"\nz = \"u\"", "`u`", "scene.toml:8:"),
        ("npy = \"rgb.npy\"", "holds pictures", "scene.toml:7:7"),
        (
            "npy = \"thin.npy\"",
            "at least 2 a side; its frames are 3×1",
            "scene.toml:7:7",
        ),
    ] {
        s.write(
            "rgb.npy",
            crate::plots::npy("|u1", "(1, 2, 2, 3)", &[0; 12]),
        );
        s.write("thin.npy", heights_npy(&[vec![0.0; 3]], 1, 3));
        s.write(
            "scene.toml",
            scene(10, &format!("kind = \"surface\"\nsize = [40, 40]\n{keys}")),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, text, place);
    }
}

#[test]
fn the_heat_scene_shows_one_array_from_above_and_as_a_surface() {
    // scenes/heat_surface.toml reads the frames scenes/generators/heat.pl writes: a heater
    // at column 14, row 16 of 48, kept hot. With `origin = "lower"` the field puts row 16
    // in its lower half, where the surface (row i at the i-th y) has it too.
    let s = Sandbox::with_example_scenes();
    let frame = |t: &str| {
        let r = s.run(&["frame", "scenes/heat_surface.toml", "-t", t, "-o", "h.png"]);
        assert_exit!(r, 0);
        let img = read_png(&s.path("h.png"));
        assert_eq!(img.dimensions(), (640, 300));
        img
    };
    let late = frame("2.9");
    // The field's image is its left part (the colour bar to its right).
    let hottest = (0..200u32)
        .flat_map(|x| (0..300u32).map(move |y| (x, y)))
        .max_by_key(|&(x, y)| {
            let p = late.get_pixel(x, y).0;
            u32::from(p[0]) + u32::from(p[1])
        })
        .unwrap();
    assert!(
        hottest.0 < 100 && hottest.1 > 150,
        "the heater at {hottest:?}"
    );
    let surface_ink = |img: &image::RgbaImage| -> Vec<[u8; 4]> {
        (320..640u32)
            .flat_map(|x| (0..300u32).map(move |y| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y).0)
            .collect()
    };
    let (early, late_surface) = (surface_ink(&frame("0")), surface_ink(&late));
    assert!(
        late_surface
            .iter()
            .filter(|p| **p != [255, 255, 255, 255])
            .count()
            > 10_000
    );
    assert_ne!(early, late_surface, "the heights change over the frames");
}

#[test]
fn a_lone_hole_in_a_surface_formula_is_warned_of_at_z() {
    // sin(r)/r is 0/0 at r = 0, a grid point when the resolution is odd over [-2, 2]:
    // one hole in the middle of the surface, drawn without a word before.
    let s = Sandbox::new();
    let keys = |z: &str, n: u32| {
        scene(
            10,
            &format!(
                "kind = \"surface\"\nsize = [48, 48]\nduration = 0.1\nx = [-2, 2]\ny = [-2, 2]\nresolution = [{n}, {n}]\nz = \"{z}\"\n"
            ),
        )
    };
    s.write("scene.toml", keys("sin(hypot(x, y)) / hypot(x, y)", 21));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: `z` is not a number at the grid point x = 0, y = 0 at t = 0, where its neighbours are",
        "scene.toml:11:",
        "write `sinc(r/pi)`"
    );
    // Off the point (an even resolution), the normalised sinc, and a region of NaN
    // (a hemisphere's outside, a shape): nothing is said.
    for (z, n) in [
        ("sin(hypot(x, y)) / hypot(x, y)", 20),
        ("sinc(hypot(x, y) / pi)", 21),
        ("sqrt(1 - x^2 - y^2)", 21),
    ] {
        s.write("scene.toml", keys(z, n));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("not a number"), "{z}: {}", r.stderr);
    }
    // Two lone holes: the first is named and the other counted.
    s.write(
        "scene.toml",
        keys("0 / (x^2 + y^2) + 0 / ((x - 1)^2 + y^2)", 21),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "at the grid point x = 0, y = 0 (and 1 other) at t = 0");
}
