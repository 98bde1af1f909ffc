//! features12: a simulation's `show` as three expressions, red, green and blue, drawn
//! as an RGB picture (each read from 0 to 1 as matplotlib's `imshow` reads float RGB:
//! clipped, NaN as 0). Pixels of known states, clipping, NaN, the same bytes on any
//! threads, kept frames read backwards and by `frame -t`, each refusal at `show`.

use crate::util::{assert_px, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A simulation of `grid` cells drawn one pixel a cell, `show` as given; `extra` keys
/// after it.
fn rgb(grid: [u32; 2], init: &str, step: &str, show: &str, extra: &str) -> String {
    format!(
        r#"[output]
fps = 10

[clip.main]
kind = "simulation"
size = [{w}, {h}]
grid = [{w}, {h}]
duration = 0.5
interpolation = "nearest"
init = {{ {init} }}
step = [{step}]
show = {show}
{extra}
"#,
        w = grid[0],
        h = grid[1],
    )
}

#[test]
fn three_grids_are_red_green_and_blue() {
    let s = Sandbox::new();
    let scene = rgb(
        [4, 2],
        "u = \"1\", v = \"0\", w = \"0.5\"",
        "",
        "[\"u\", \"v\", \"w\"]",
        "",
    );
    let frames = s.render_frames(&scene, &[]);
    assert_eq!(frames.len(), 5);
    assert_eq!(frames[0].dimensions(), (4, 2));
    for (x, y) in [(0, 0), (3, 0), (1, 1), (3, 1)] {
        assert_px(&frames[0], x, y, [255, 0, 128, 255], 1);
        assert_px(&frames[4], x, y, [255, 0, 128, 255], 1);
    }
    // Expressions of the grids, x and y: a ramp of red along x, green along y.
    let scene = rgb([5, 2], "u = \"x / 4\"", "", "[\"u\", \"y\", \"0.2\"]", "");
    let f = s.frame(&scene, 0.0);
    assert_px(&f, 0, 0, [0, 0, 51, 255], 1);
    assert_px(&f, 2, 0, [128, 0, 51, 255], 1);
    assert_px(&f, 4, 1, [255, 255, 51, 255], 1);
}

#[test]
fn values_outside_0_to_1_are_clipped_and_nan_is_0() {
    let s = Sandbox::new();
    // u = x. Red 2 − 3u: 2, −1, −4 → 255, 0, 0. Green (u − 0.5) · exp(1000): −inf, +inf, +inf →
    // 0, 255, 255. Blue 0.25 u / u: NaN (a division by 0), 0.25, 0.25 → 0, 64, 64.
    let scene = rgb(
        [3, 1],
        "u = \"x\"",
        "",
        "[\"2 - 3 * u\", \"(u - 0.5) * exp(1000)\", \"0.25 * u / u\"]",
        "",
    );
    let f = s.frame(&scene, 0.0);
    assert_px(&f, 0, 0, [255, 0, 0, 255], 0);
    assert_px(&f, 1, 0, [0, 255, 64, 255], 1);
    assert_px(&f, 2, 0, [0, 255, 64, 255], 1);
    // All three NaN: black, opaque (nan_color is for values drawn through a colormap).
    let scene = rgb(
        [1, 1],
        "u = \"0\"",
        "",
        "[\"u / u\", \"u / u\", \"u / u\"]",
        "",
    );
    assert_px(&s.frame(&scene, 0.0), 0, 0, [0, 0, 0, 255], 0);
}

/// An RGB simulation that moves: a random walk of colour on a torus.
const MOVING: &str = r#"[output]
fps = 10

[clip.walk]
kind = "simulation"
size = [24, 16]
grid = [12, 8]
duration = 1.5
boundary = "wrap"
steps_per_frame = 2
seed = 4
init = { r = "rand()", g = "x / 12", b = "y / 8" }
step = ["r = 0.5 * r + 0.5 * shift(r, 1, 0)", "g = if(rand() < 0.2, 1 - g, g)", "b = shift(b, 0, 1)"]
show = ["r", "g", "b"]
"#;

#[test]
fn the_same_bytes_on_one_and_three_threads_reversed_and_by_frame() {
    let s = Sandbox::new();
    let one = s.render_frames(MOVING, &["--threads", "1"]);
    std::fs::remove_dir_all(s.path("frames")).unwrap();
    let three = s.render_frames(MOVING, &["--threads", "3"]);
    assert_eq!(one.len(), 15);
    assert!(one == three, "frames differ between 1 and 3 threads");
    assert!(one[0] != one[14], "the simulation does not move");
    // Reversed: the very frames, backwards, read from the RGB frames the simulation kept.
    std::fs::remove_dir_all(s.path("frames")).unwrap();
    let reversed = s.render_frames(
        &format!("{MOVING}\n[clip.main]\nfrom = \"walk\"\neffects = [\"reverse\"]\n"),
        &["--threads", "3"],
    );
    assert_eq!(reversed.len(), 15);
    for k in 0..15 {
        assert!(reversed[k] == one[14 - k], "reversed frame {k}");
    }
    // `animate frame` at 1.2 s steps from the start to frame 12.
    let late = s.frame(MOVING, 1.2);
    assert!(late == one[12], "frame --time 1.2 is not frame 12");
}

#[test]
fn an_rgb_show_needs_no_duration_since_no_range_is_found() {
    // A value `show` without vmin/vmax needs a duration for its automatic range over the
    // clip; three channels have a fixed range (0 to 1) and load without one.
    let s = Sandbox::new();
    let scene =
        rgb([2, 2], "u = \"1\"", "", "[\"u\", \"0\", \"0\"]", "").replace("duration = 0.5\n", "");
    s.write("scene.toml", &scene);
    assert_exit!(s.run(&["check", "scene.toml"]), 0);
    let f = s.frame(&scene, 3.0);
    assert_px(&f, 1, 1, [255, 0, 0, 255], 0);
    let values = rgb([2, 2], "u = \"1\"", "", "\"u\"", "").replace("duration = 0.5\n", "");
    s.write("scene.toml", &values);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "needs its `duration`");
}

/// `check` of a scene whose `show` is on line 12, column 8.
fn refused(s: &Sandbox, show: &str, extra: &str) -> crate::util::Run {
    let scene = rgb([4, 2], "u = \"1\", v = \"0\"", "\"tmp = u\"", show, extra);
    assert!(
        scene.lines().nth(11).unwrap().starts_with("show = "),
        "{scene}"
    );
    s.write("scene.toml", &scene);
    s.run(&["check", "scene.toml"])
}

#[test]
fn keys_of_values_or_axes_are_refused_at_show() {
    let s = Sandbox::new();
    let three = "[\"u\", \"v\", \"0.5\"]";
    for (key, line) in [
        ("colormap", "colormap = \"gray\""),
        ("norm", "norm = \"log\""),
        ("vmin", "vmin = 0"),
        ("vmax", "vmax = 1"),
        ("range", "range = \"frame\""),
        ("colorbar", "colorbar = true"),
        ("colorbar_label", "colorbar_label = \"u\""),
        ("nan_color", "nan_color = \"red\""),
        ("levels", "levels = 4"),
        ("contours", "contours = 4"),
    ] {
        let r = refused(&s, three, line);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "`show` of three expressions draws an RGB picture",
            &format!("`{key}` does nothing with it"),
            "scene.toml:12:8"
        );
    }
    for (key, line) in [
        ("axis", "axis = true"),
        ("title", "title = \"RGB\""),
        ("xlabel", "xlabel = \"x\""),
        ("ylabel", "ylabel = \"y\""),
        ("opacity", "opacity = 0.5"),
        ("under", "under = \"other\""),
    ] {
        let r = refused(&s, three, line);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "not drawn on axes",
            &format!("`{key}` puts the simulation on a plot's axes"),
            "scene.toml:12:8"
        );
    }
    // Without them it loads.
    assert_exit!(refused(&s, three, ""), 0);
}

#[test]
fn show_is_one_expression_or_exactly_three() {
    let s = Sandbox::new();
    for (show, count) in [
        ("[\"u\", \"v\"]", "not 2"),
        ("[\"u\"]", "not 1"),
        ("[]", "not 0"),
    ] {
        let r = refused(&s, show, "");
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "a list of exactly three (red, green, blue)",
            count,
            "scene.toml:12:8"
        );
    }
    let r = refused(&s, "[\"u\", \"v\", \"u\", \"v\"]", "");
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "a list of three (red, green, blue), not more",
        "scene.toml:12"
    );
    let r = refused(&s, "[\"u\", 2, \"v\"]", "");
    assert_exit!(r, 2);
    assert_stderr!(r, "scene.toml:12");
    // An error inside one of the three points into it.
    let r = refused(&s, "[\"u\", \"v\", \"u + tmp\"]", "");
    assert_exit!(r, 2);
    assert_stderr!(r, "`tmp` is a temporary of the step", "scene.toml:12:24");
    let r = refused(&s, "[\"u\", \"q\", \"v\"]", "");
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown name `q`", "scene.toml:12:15");
}

#[test]
fn a_value_measurement_of_an_rgb_simulation_is_refused_at_channel() {
    let s = Sandbox::new();
    let scene = rgb([4, 2], "u = \"1\"", "", "[\"u\", \"u\", \"u\"]", "")
        + "\n[measure.m]\nclip = \"main\"\nchannel = \"value\"\nstat = \"mean\"\n\n\
           [clip.plot]\nkind = \"plot\"\nsize = [80, 60]\nduration = 0.5\n\
           series = [{ measure = \"m\" }]\n";
    let scene = scene.replace("[output]\n", "[output]\nroot = \"plot\"\n");
    s.write("scene.toml", &scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "draws a picture, not numbers", "channel = \"value\"");
    // Its pixels are measured as any picture's.
    s.write(
        "scene.toml",
        scene.replace("channel = \"value\"", "channel = \"red\""),
    );
    assert_exit!(s.run(&["check", "scene.toml"]), 0);
}

#[test]
fn the_gray_scott_rgb_scene_shows_u_and_v_as_colours() {
    let s = Sandbox::with_example_scenes();
    let scene = s.path("scenes/gray_scott_rgb.toml");
    let r = s.run(&["frame", scene.to_str().unwrap(), "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    let f = read_png(&s.path("f.png"));
    assert_eq!(f.dimensions(), (320, 320));
    // Outside the seed: u = 1, v = 0 → (0, 0.6, 0).
    assert_px(&f, 2, 2, [0, 153, 0, 255], 1);
    // In the seed square: u = 0.5, v = 0.25…0.30 → red 0.62…0.75, green 0.3, blue 0.75.
    let c = f.get_pixel(160, 160).0;
    assert!((158..=192).contains(&c[0]), "{c:?}");
    assert_px(&f, 160, 160, [c[0], 77, 191, 255], 1);
}
