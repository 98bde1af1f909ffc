//! Geometry, alpha and time effects, checked pixel for pixel on solid-colour scenes.

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

const R: [u8; 4] = [255, 0, 0, 255];
const G: [u8; 4] = [0, 255, 0, 255];
const B: [u8; 4] = [0, 0, 255, 255];
const W: [u8; 4] = [255, 255, 255, 255];

/// A 4×2 clip `pair`: red on the left half, blue on the right; then `main` is `pair`
/// with `effects`.
fn pair_with(effects: &str) -> String {
    format!(
        r#"
[output]
fps = 10
duration = 0.1
background = "transparent"
[clip.r]
kind = "color"
color = "red"
size = [2, 2]
[clip.b]
kind = "color"
color = "blue"
size = [2, 2]
[clip.pair]
kind = "grid"
rows = [["r", "b"]]
[clip.main]
from = "pair"
effects = {effects}
"#
    )
}

fn one_frame(effects: &str) -> image::RgbaImage {
    let s = Sandbox::new();
    let mut frames = s.render_frames(&pair_with(effects), &[]);
    assert_eq!(frames.len(), 1);
    frames.remove(0)
}

fn row(img: &image::RgbaImage, y: u32) -> Vec<[u8; 4]> {
    (0..img.width()).map(|x| img.get_pixel(x, y).0).collect()
}

fn column(img: &image::RgbaImage, x: u32) -> Vec<[u8; 4]> {
    (0..img.height()).map(|y| img.get_pixel(x, y).0).collect()
}

#[test]
fn mirror_x_and_mirror_y() {
    let f = one_frame(r#"["mirror_x"]"#);
    assert_eq!(row(&f, 0), [B, B, R, R]);
    let f = one_frame(r#"["mirror_y"]"#);
    assert_eq!(row(&f, 1), [R, R, B, B]);
}

#[test]
fn rotate_90_is_an_exact_quarter_turn_counter_clockwise() {
    let f = one_frame("[{ rotate = 90 }]");
    assert_eq!(f.dimensions(), (2, 4));
    // the right (blue) half goes to the top
    assert_eq!(column(&f, 0), [B, B, R, R]);
    let f = one_frame("[{ rotate = -90 }]");
    assert_eq!(column(&f, 1), [R, R, B, B]);
}

#[test]
fn crop_by_box_and_by_centre() {
    let f = one_frame("[{ crop = { x1 = 1, x2 = 3 } }]");
    assert_eq!(f.dimensions(), (2, 2));
    assert_eq!(row(&f, 0), [R, B]);
    let f = one_frame("[{ crop = { width = 2, height = 1, x_center = 3, y_center = 1 } }]");
    assert_eq!(f.dimensions(), (2, 1));
    assert_eq!(row(&f, 0), [B, B]);
}

#[test]
fn margin_on_every_side_and_one_side() {
    let f = one_frame(r#"[{ margin = { all = 1, color = "white" } }]"#);
    assert_eq!(f.dimensions(), (6, 4));
    assert_eq!(row(&f, 0), [W; 6]);
    assert_eq!(row(&f, 1), [W, R, R, B, B, W]);
    let f = one_frame(r#"[{ margin = { left = 2, color = "lime" } }]"#);
    assert_eq!(f.dimensions(), (6, 2));
    assert_eq!(row(&f, 1), [G, G, R, R, B, B]);
}

#[test]
fn mask_color_keys_out_near_colours_with_moviepy_formula() {
    // threshold 0: exactly the key colour becomes transparent
    let f = one_frame(r#"[{ mask_color = { color = "red" } }]"#);
    assert_eq!(row(&f, 0), [[0, 0, 0, 0], [0, 0, 0, 0], B, B]);
    // blue is at distance 255·√2 ≈ 360.6 from red: alpha = d² / (thr² + d²) with
    // thr = 360.6 and stiffness 2 gives one half.
    let f = one_frame(r#"[{ mask_color = { color = "red", threshold = 360.62, stiffness = 2 } }]"#);
    assert_px(&f, 3, 0, [0, 0, 255, 128], 1);
}

#[test]
fn resize_by_scale_and_by_height() {
    let f = one_frame("[{ resize = 2 }]");
    assert_eq!(f.dimensions(), (8, 4));
    // enlarging interpolates (Catmull-Rom): flat areas stay exact, the edge is smoothed
    let r = row(&f, 2);
    assert_eq!(r[..3], [R, R, R]);
    assert_eq!(r[5..], [B, B, B]);
    assert!(r[3][0] > r[3][2] && r[4][2] > r[4][0], "{r:?}");
    let f = one_frame("[{ resize = { height = 1 } }]");
    assert_eq!(f.dimensions(), (2, 1));
    assert_eq!(row(&f, 0), [R, B]);
}

/// Red, green, blue for 0.1 s each; `main` is that with `effects`, at 10 fps.
fn rgb_with(effects: &str) -> Vec<[u8; 4]> {
    let scene = format!(
        r#"
[output]
fps = 10
[clip.r]
kind = "color"
color = "red"
size = [2, 2]
duration = 0.1
[clip.g]
kind = "color"
color = "lime"
size = [2, 2]
duration = 0.1
[clip.b]
kind = "color"
color = "blue"
size = [2, 2]
duration = 0.1
[clip.rgb]
kind = "sequence"
clips = ["r", "g", "b"]
[clip.main]
from = "rgb"
effects = {effects}
"#
    );
    Sandbox::new()
        .render_frames(&scene, &[])
        .iter()
        .map(|f| f.get_pixel(0, 0).0)
        .collect()
}

/// newcomer7: under `[{ speed = 2 }, "reverse"]` a `{t}` text read a time a frame
/// ahead of the picture, and the picture was a frame the sped-up clip never shows.
#[test]
fn regression_a_reversed_speed_up_was_a_frame_off() {
    let s = Sandbox::new();
    let scene = |effects: &str| {
        format!(
            "[output]\nfps = 10\n[clip.main]\nkind = \"field\"\nsize = [2, 2]\nduration = 1\n\
             x = [0, 1]\ny = [0, 1]\nf = \"t\"\nvmin = 0\nvmax = 1\ncolormap = \"gray\"\neffects = {effects}\n"
        )
    };
    let grey = |frames: Vec<image::RgbaImage>| -> Vec<u8> {
        frames.iter().map(|f| f.get_pixel(0, 0).0[0]).collect()
    };
    let forwards = grey(s.render_frames(&scene(r#"[{ speed = 2 }]"#), &[]));
    // t = 0, 0.2, 0.4, 0.6, 0.8 of the field, as grey levels.
    assert_eq!(forwards, [0, 51, 102, 153, 204]);
    let backwards = grey(s.render_frames(&scene(r#"[{ speed = 2 }, "reverse"]"#), &[]));
    assert_eq!(backwards, [204, 153, 102, 51, 0]);
}

#[test]
fn time_effects_map_frames_exactly() {
    assert_eq!(rgb_with("[]"), [R, G, B]);
    assert_eq!(rgb_with(r#"["reverse"]"#), [B, G, R]);
    assert_eq!(rgb_with("[{ loop = 2 }]"), [R, G, B, R, G, B]);
    assert_eq!(rgb_with("[{ loop = { duration = 0.4 } }]"), [R, G, B, R]);
    // speed 1.5: 0.2 s, frames at input times 0 and 0.15
    assert_eq!(rgb_with("[{ speed = 1.5 }]"), [R, G]);
    assert_eq!(rgb_with("[{ speed = 0.5 }]"), [R, R, G, G, B, B]);
    assert_eq!(rgb_with("[{ subclip = [0.1] }]"), [G, B]);
    assert_eq!(rgb_with("[{ subclip = [-0.1] }]"), [B]);
    assert_eq!(
        rgb_with("[{ freeze = { t = 0.1, duration = 0.2 } }]"),
        [R, G, G, G, B]
    );
}

#[test]
fn fades_blend_towards_a_colour_over_their_duration() {
    let scene = r#"
[output]
fps = 10
[clip.w]
kind = "color"
color = "white"
size = [2, 2]
duration = 0.5
[clip.main]
from = "w"
effects = [{ fade_in = 0.2 }, { fade_out = { duration = 0.2, color = "blue" } }]
"#;
    let frames = Sandbox::new().render_frames(scene, &[]);
    let px: Vec<[u8; 4]> = frames.iter().map(|f| f.get_pixel(1, 1).0).collect();
    // fade in: t = 0 black, t = 0.1 half; fade out: (0.5 - t) / 0.2 at t = 0.4 is one half
    assert_eq!(px[0], [0, 0, 0, 255]);
    assert_px(&frames[1], 0, 0, [128, 128, 128, 255], 1);
    assert_eq!(px[2], W);
    assert_eq!(px[3], W);
    assert_px(&frames[4], 0, 0, [128, 128, 255, 255], 1);
}

#[test]
fn effect_errors_point_at_the_argument() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1\neffects = [{ speed = -2 }]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "speed must be greater than 0", "scene.toml:6:22");
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{ rotat = 90 }]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "rotat", "did you mean `rotate`?", "scene.toml:5:14");
}

/// Every one-line `effects = [...]` example in docs/effects.md passes `animate check`
/// on a 4-second 320×240 clip (others, such as `right`, are there to be named).
#[test]
fn every_one_line_example_in_the_effects_docs_checks() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/effects.md"),
    )
    .unwrap();
    let mut in_toml = false;
    let mut examples = Vec::new();
    for line in docs.lines() {
        if line.starts_with("```") {
            in_toml = line == "```toml";
            continue;
        }
        let code = line.split(" #").next().unwrap_or(line).trim_end();
        if in_toml && code.starts_with("effects = [") && code.ends_with(']') {
            examples.push(line.to_string());
        }
    }
    assert!(examples.len() >= 40, "{}", examples.len());
    let s = Sandbox::new();
    for example in examples {
        s.write(
            "scene.toml",
            format!(
                "[clip.photo]\nkind = \"color\"\ncolor = \"orange\"\nsize = [320, 240]\nduration = 4\n\
                 [clip.right]\nkind = \"color\"\ncolor = \"gray\"\nsize = [320, 240]\n\
                 [clip.main]\nfrom = \"photo\"\n{example}\n"
            ),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_eq!(r.code, 0, "{example}\n{}", r.stderr);
    }
}

/// Colours can be keyframed everywhere a colour animates: a margin's too.
#[test]
fn margin_colour_keyframes() {
    let s = Sandbox::new();
    let scene = "[output]\nfps = 10\nduration = 1\n\
        [clip.main]\nkind = \"color\"\ncolor = \"black\"\nsize = [2, 2]\n\
        effects = [{ margin = { all = 1, color = { keys = [[0, \"red\"], [1, \"blue\"]] } } }]\n";
    assert_eq!(s.frame(scene, 0.0).get_pixel(0, 0).0, [255, 0, 0, 255]);
    assert_eq!(s.frame(scene, 1.0).get_pixel(0, 0).0, [0, 0, 255, 255]);
    let mid = s.frame(scene, 0.5).get_pixel(0, 0).0;
    assert!(mid[0] > 60 && mid[2] > 60, "between red and blue: {mid:?}");
    assert_eq!(s.frame(scene, 0.5).get_pixel(1, 1).0, [0, 0, 0, 255]);
}
