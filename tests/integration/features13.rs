//! features13: polar axes (`projection = "polar"`, matplotlib's
//! `subplot(projection="polar")`): a series' x is θ in radians, its y is r. Where a
//! circle of r = 1 lands, which way θ turns (`theta_zero`, `theta_direction`), where
//! the spoke labels are, clipping to the circle, r below the centre's left out, the
//! same bytes on any threads, and each refusal at its place.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A 400×400 polar plot without its grid, r from 0 to 2 unless `keys` say otherwise;
/// `series` inside `series = [ … ]`. Its circle is matplotlib's for figsize (4, 4):
/// centre (205, 202), radius 154, so r = 1 is 77 pixels from the centre.
fn polar(series: &str, keys: &str) -> String {
    format!(
        r#"[clip.main]
kind = "plot"
size = [400, 400]
projection = "polar"
grid = false
{keys}
series = [{series}]
"#
    )
}

const CX: i64 = 205;
const CY: i64 = 202;

fn px(img: &image::RgbaImage, x: i64, y: i64) -> [u8; 4] {
    img.get_pixel(x as u32, y as u32).0
}

fn is_red(p: [u8; 4]) -> bool {
    p[0] > 200 && p[1] < 80 && p[2] < 80
}

fn is_blue(p: [u8; 4]) -> bool {
    p[2] > 200 && p[0] < 80 && p[1] < 80
}

fn is_white(p: [u8; 4]) -> bool {
    p[0] > 245 && p[1] > 245 && p[2] > 245
}

#[test]
fn a_circle_of_r_1_lands_on_its_pixels_and_nothing_else_is_red() {
    let s = Sandbox::new();
    let f = s.frame(
        &polar(r#"{ y = "1", color = "red", width = 3 }"#, "rlim = [0, 2]"),
        0.0,
    );
    assert_eq!(f.dimensions(), (400, 400));
    // On the circle at every eighth of a turn (the line is 4 px wide, anti-aliased).
    for k in 0..8 {
        let a = k as f64 * std::f64::consts::FRAC_PI_4;
        let x = CX as f64 + 77.0 * a.cos();
        let y = CY as f64 - 77.0 * a.sin();
        let p = px(&f, x.round() as i64, y.round() as i64);
        assert!(is_red(p), "at {k}/8 of a turn ({x:.0}, {y:.0}): {p:?}");
    }
    // Inside and outside it, white (no grid).
    for (x, y) in [(CX, CY - 60), (CX + 60, CY), (CX, CY + 95), (CX - 95, CY)] {
        assert!(is_white(px(&f, x, y)), "({x}, {y}): {:?}", px(&f, x, y));
    }
    // The frame: a dark circle of radius 154.
    for (x, y) in [
        (CX + 154, CY),
        (CX, CY - 154),
        (CX - 154, CY),
        (CX, CY + 154),
    ] {
        let p = px(&f, x, y);
        assert!(p[0] < 140, "the frame at ({x}, {y}): {p:?}");
    }
}

/// Two markers, red at θ = 0 and blue at θ = π/2, both at r = 1.
const MARKERS: &str = r#"{ x = "0", y = "1", u = [0, 1], samples = 2, line = false, marker = "o", size = 10, color = "red" },
  { x = "pi/2", y = "1", u = [0, 1], samples = 2, line = false, marker = "o", size = 10, color = "blue" }"#;

#[test]
fn theta_0_points_right_and_pi_over_2_up_unless_turned() {
    let s = Sandbox::new();
    let f = s.frame(&polar(MARKERS, "rlim = [0, 2]"), 0.0);
    assert!(is_red(px(&f, CX + 77, CY)), "{:?}", px(&f, CX + 77, CY));
    assert!(is_blue(px(&f, CX, CY - 77)), "{:?}", px(&f, CX, CY - 77));
    // Clockwise: π/2 is down.
    let f = s.frame(&polar(MARKERS, "rlim = [0, 2]\ntheta_direction = -1"), 0.0);
    assert!(is_red(px(&f, CX + 77, CY)));
    assert!(is_blue(px(&f, CX, CY + 77)), "{:?}", px(&f, CX, CY + 77));
    assert!(is_white(px(&f, CX, CY - 77)));
    // North, clockwise (a compass): 0 up, π/2 right.
    let f = s.frame(
        &polar(
            MARKERS,
            "rlim = [0, 2]\ntheta_zero = \"N\"\ntheta_direction = -1",
        ),
        0.0,
    );
    assert!(is_red(px(&f, CX, CY - 77)), "{:?}", px(&f, CX, CY - 77));
    assert!(is_blue(px(&f, CX + 77, CY)), "{:?}", px(&f, CX + 77, CY));
    // West: 0 left, π/2 down (counter-clockwise from the left).
    let f = s.frame(&polar(MARKERS, "rlim = [0, 2]\ntheta_zero = \"W\""), 0.0);
    assert!(is_red(px(&f, CX - 77, CY)));
    assert!(is_blue(px(&f, CX, CY + 77)));
}

/// The columns holding dark text pixels in the rows `y0..y1` near the centre's column:
/// the width of the label drawn there.
fn ink_width(img: &image::RgbaImage, y0: i64, y1: i64) -> i64 {
    let cols: Vec<i64> = (CX - 40..CX + 40)
        .filter(|&x| (y0..y1).any(|y| px(img, x, y)[0] < 128))
        .collect();
    match (cols.first(), cols.last()) {
        (Some(a), Some(b)) => b - a + 1,
        _ => 0,
    }
}

#[test]
fn the_spoke_label_of_90_degrees_is_above_the_centre() {
    let s = Sandbox::new();
    let one = r#"{ y = "1" }"#;
    // Labels sit 14 pt (19.4 px) outside the circle, centred on their spoke: "90°"
    // above, "270°" (wider) below.
    let top = (CY - 154 - 30, CY - 154 - 8);
    let bottom = (CY + 154 + 8, CY + 154 + 30);
    let f = s.frame(&polar(one, ""), 0.0);
    let (up, down) = (
        ink_width(&f, top.0, top.1),
        ink_width(&f, bottom.0, bottom.1),
    );
    assert!(
        up > 10 && down > up + 5,
        "90° {up} px wide above, 270° {down} below"
    );
    // "0°" right of the circle, level with the centre.
    let dark = (CX + 154 + 8..CX + 154 + 32)
        .flat_map(|x| (CY - 8..CY + 8).map(move |y| (x, y)))
        .filter(|&(x, y)| px(&f, x, y)[0] < 128)
        .count();
    assert!(dark > 10, "{dark}");
    let f = s.frame(&polar(one, "theta_direction = -1"), 0.0);
    let (up, down) = (
        ink_width(&f, top.0, top.1),
        ink_width(&f, bottom.0, bottom.1),
    );
    assert!(
        down > 10 && up > down + 5,
        "clockwise: 270° {up} above, 90° {down} below"
    );
}

#[test]
fn fills_and_lines_are_clipped_to_the_circle_and_r_below_the_centre_is_left_out() {
    let s = Sandbox::new();
    // r = 3 with r's limits 0 … 2: the fill covers the whole circle and stops there.
    let f = s.frame(
        &polar(
            r#"{ y = "3", color = "blue", fill = "under", fill_opacity = 1 }"#,
            "rlim = [0, 2]",
        ),
        0.0,
    );
    for (x, y) in [(CX, CY), (CX + 100, CY - 100), (CX - 150, CY)] {
        assert!(
            is_blue(px(&f, x, y)),
            "inside at ({x}, {y}): {:?}",
            px(&f, x, y)
        );
    }
    // just outside the circle, on its diagonal (154/√2 = 108.9)
    for (x, y) in [(CX + 112, CY - 112), (CX - 112, CY + 112)] {
        assert!(
            !is_blue(px(&f, x, y)),
            "outside at ({x}, {y}): {:?}",
            px(&f, x, y)
        );
    }
    // A radar chart: five spokes, closed, filled from the centre.
    let f = s.frame(
        &polar(
            r#"{ x = "2*pi*u/5", y = "if(u < 0.5 or u > 4.5, 1.5, 1)", u = [0, 5], samples = 6, color = "red", fill = "under", fill_opacity = 1 }"#,
            "rlim = [0, 2]",
        ),
        0.0,
    );
    assert!(
        is_red(px(&f, CX + 100, CY)),
        "r = 1.5 at θ = 0: filled to 115 px"
    );
    assert!(is_white(px(&f, CX + 125, CY)), "past the point at θ = 0");
    // r = -0.5 with r from 0: matplotlib gives such points no place; not mirrored.
    let f = s.frame(
        &polar(
            r#"{ x = "0", y = "-0.5", u = [0, 1], samples = 2, line = false, marker = "o", size = 10, color = "red" }"#,
            "rlim = [0, 2]",
        ),
        0.0,
    );
    let reds = f.pixels().filter(|p| is_red(p.0)).count();
    assert_eq!(reds, 0, "a point below the centre's r is not drawn");
    // With r from -1, r = -0.5 is 38.5 px right of the centre.
    let f = s.frame(
        &polar(
            r#"{ x = "0", y = "-0.5", u = [0, 1], samples = 2, line = false, marker = "o", size = 10, color = "red" }"#,
            "rlim = [-1, 1]",
        ),
        0.0,
    );
    assert!(is_red(px(&f, CX + 38, CY)), "{:?}", px(&f, CX + 38, CY));
}

#[test]
fn automatic_r_limits_run_from_0_to_the_largest_r_plus_5_percent() {
    let s = Sandbox::new();
    // r = 1 everywhere: matplotlib's limits 0 … 1.055, so the line at 154 / 1.055 = 146 px.
    let f = s.frame(&polar(r#"{ y = "1", color = "red", width = 3 }"#, ""), 0.0);
    assert!(is_red(px(&f, CX + 146, CY)), "{:?}", px(&f, CX + 146, CY));
    assert!(is_red(px(&f, CX, CY - 146)));
    assert!(!is_red(px(&f, CX + 77, CY)));
}

/// A rose turning over 0.4 s, a filled radar chart, a legend, the grid: every part
/// of the drawing, animated.
const MOVING: &str = r#"[output]
fps = 10

[clip.main]
kind = "plot"
size = [240, 200]
projection = "polar"
duration = 0.4
title = "rose"
legend = "lower left"
theta_zero = "N"
series = [
  { y = "abs(cos(3*(x - t)))", label = "rose", width = 2 },
  { x = "2*pi*u/5", y = "0.5 + 0.3*cos(u + 4*t)", u = [0, 5], samples = 6, fill = "under", marker = "o", label = "radar" },
]
"#;

#[test]
fn the_same_bytes_on_one_and_three_threads() {
    let s = Sandbox::new();
    let one = s.render_frames(MOVING, &["--threads", "1"]);
    assert_eq!(one.len(), 4);
    assert_ne!(one[0], one[2], "the rose turns");
    let three = s.render_frames(MOVING, &["--threads", "3"]);
    assert!(one == three, "frames differ between 1 and 3 threads");
    // Per-frame limits and an animated rlim draw too, the same on any threads.
    let per_frame = MOVING.replace("legend = ", "limits = \"frame\"\nlegend = ");
    let a = s.render_frames(&per_frame, &["--threads", "1"]);
    let b = s.render_frames(&per_frame, &["--threads", "3"]);
    assert!(a == b);
    let moving_rlim = MOVING.replace("legend = ", "rlim = [0, \"1 + t\"]\nlegend = ");
    let a = s.render_frames(&moving_rlim, &["--threads", "1"]);
    let b = s.render_frames(&moving_rlim, &["--threads", "3"]);
    assert!(a == b);
    assert_ne!(a[0], one[0]);
}

/// `check` of a polar plot with `line` as its 6th line.
fn refused(s: &Sandbox, line: &str, projection: &str) -> crate::util::Run {
    let scene = format!(
        "[clip.main]\nkind = \"plot\"\nsize = [200, 200]\n{projection}\nseries = [{{ y = \"1\" }}]\n{line}\n"
    );
    s.write("scene.toml", &scene);
    s.run(&["check", "scene.toml"])
}

#[test]
fn keys_of_cartesian_axes_are_refused_at_their_place_with_the_polar_key() {
    let s = Sandbox::new();
    let polar = "projection = \"polar\"";
    for (line, says, hint) in [
        (
            "xlim = [0, 1]",
            "`xlim` means nothing on polar axes",
            "rlim = [min, max]",
        ),
        (
            "ylim = [0, 1]",
            "`ylim` means nothing on polar axes",
            "rlim = [min, max]",
        ),
        (
            "yscale = \"log\"",
            "`yscale` means nothing on polar axes",
            "leave it out",
        ),
        (
            "xlabel = \"θ\"",
            "`xlabel` means nothing on polar axes",
            "title",
        ),
        (
            "theta_direction = 2",
            "theta_direction is 1 (counter-clockwise) or -1",
            "scene.toml:6:19",
        ),
        ("rlim = [2, 1]", "rlim is [centre, circle]", "rlim = [1, 2]"),
    ] {
        let r = refused(&s, line, polar);
        assert_exit!(r, 2);
        assert_stderr!(r, says, hint, "scene.toml:6:");
    }
    // A series' head_label, at its place.
    let scene = "[clip.main]\nkind = \"plot\"\nsize = [200, 200]\nprojection = \"polar\"\nseries = [{ y = \"1\", head_label = \"{y}\" }]\n";
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`head_label` is not drawn on polar axes",
        "scene.toml:5:"
    );
    // The polar keys on cartesian axes, with the key that makes them polar.
    for (line, key) in [
        ("rlim = [0, 1]", "rlim"),
        ("theta_zero = \"N\"", "theta_zero"),
        ("theta_direction = -1", "theta_direction"),
    ] {
        let r = refused(&s, line, "");
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            &format!("`{key}` is a key of polar axes"),
            "projection = \"polar\"",
            "scene.toml:6:"
        );
    }
    // matplotlib's other spellings of it.
    for (line, hint) in [
        ("axes = \"polar\"", "did you mean `projection`?"),
        ("polar = true", "did you mean `projection`?"),
    ] {
        let r = refused(&s, line, "");
        assert_exit!(r, 2);
        assert_stderr!(r, hint, "projection = \"polar\"", "scene.toml:6:1");
    }
    let r = refused(&s, "", "projection = \"3d\"");
    assert_exit!(r, 2);
    assert_stderr!(r, "rectilinear", "polar", "scene.toml:4:");
    // Without them it loads.
    assert_exit!(refused(&s, "theta_zero = \"S\"", polar), 0);
}

#[test]
fn a_csv_of_degrees_is_read_through_a_formula_and_revealed_over_time() {
    let s = Sandbox::new();
    s.write("wind.csv", "deg,speed\n0,1\n90,1\n180,1\n270,1\n");
    let scene = polar(
        r#"{ csv = "wind.csv", x = "deg * pi / 180", y = "speed", reveal = "i < 1 + 10*t", line = false, marker = "o", size = 10, color = "red" }"#,
        "rlim = [0, 2]\nduration = 1",
    );
    let f = s.frame(&scene, 0.0);
    assert!(is_red(px(&f, CX + 77, CY)), "row 0 at θ = 0");
    assert!(!is_red(px(&f, CX, CY - 77)), "row 1 not yet shown");
    let f = s.frame(&scene, 0.05);
    assert!(is_red(px(&f, CX, CY - 77)), "row 1 at 90°, up");
    assert!(!is_red(px(&f, CX - 77, CY)), "row 2 not yet shown");
}
