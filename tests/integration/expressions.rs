//! Expressions, keyframes, `[vars]` and `--set`, through the real binary.

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A 4×2 white backdrop for 2 s with a black layer on top whose opacity is `opacity`.
fn over_white(opacity: &str, vars: &str) -> String {
    format!(
        "[vars]\n{vars}\n\
         [clip.white]\nkind = \"color\"\ncolor = \"white\"\nsize = [4, 2]\nduration = 2\n\
         [clip.black]\nkind = \"color\"\ncolor = \"black\"\nsize = [4, 2]\n\
         [clip.main]\nkind = \"composite\"\n\
         layers = [{{ clip = \"white\" }}, {{ clip = \"black\", duration = 2, opacity = {opacity} }}]\n"
    )
}

/// The grey level of the frame at `t` (black at `opacity` over white).
fn grey(s: &Sandbox, scene: &str, t: f64) -> u8 {
    let img = s.frame(scene, t);
    img.get_pixel(1, 1).0[0]
}

#[test]
fn keyframed_opacity_gives_the_eased_pixel_values() {
    let s = Sandbox::new();
    let scene = over_white(
        "{ keys = [[0, 0], [1, 1], [2, 0.2]], ease = \"in-out-cubic\" }",
        "",
    );
    // in-out-cubic at a quarter of the first segment: 0.0625 → 255 · (1 − 0.0625).
    assert_eq!(grey(&s, &scene, 0.25), 239);
    assert_eq!(grey(&s, &scene, 0.5), 128);
    assert_eq!(grey(&s, &scene, 1.0), 0);
    // Second segment at its middle: 1 + (0.2 − 1) · 0.5 = 0.6 → 102.
    assert_eq!(grey(&s, &scene, 1.5), 102);
}

#[test]
fn expression_opacity_follows_t_and_nan_hides_the_layer() {
    let s = Sandbox::new();
    let scene = over_white("\"0.5 + 0.5 * sin(2 * pi * t / duration)\"", "");
    assert_eq!(grey(&s, &scene, 0.0), 128);
    assert_eq!(grey(&s, &scene, 0.5), 0);
    assert_eq!(grey(&s, &scene, 1.5), 255);
    // Division by zero at t = 1 gives NaN: the layer is not drawn in that frame.
    let scene = over_white("\"0.5 / (t - 1)\"", "");
    assert_eq!(grey(&s, &scene, 1.0), 255);
    assert_eq!(grey(&s, &scene, 1.5), 0);
}

#[test]
fn and_or_not_combine_conditions_as_in_python() {
    let s = Sandbox::new();
    // Black between 0.4 and 1.1 s, or from 1.9 s: `and` binds tighter than `or`, and
    // `not` covers the comparison.
    let scene = over_white("\"t > 0.4 and t < 1.1 or not t < 1.9\"", "");
    for (t, want) in [(0.2, 255), (0.5, 0), (1.0, 0), (1.5, 255), (1.95, 0)] {
        assert_eq!(grey(&s, &scene, t), want, "at {t} s");
    }
    // 0 is false, anything else true (NaN too); the result is 1 or 0, not a side.
    let scene = over_white("\"if(t and 0/0, 0.5 or 0, 0.2)\"", "");
    assert_eq!(grey(&s, &scene, 0.0), 204);
    assert_eq!(grey(&s, &scene, 1.0), 0);
    // The words are not names a var may take.
    let r = check_fails(&over_white("1", "and = 2"));
    assert_stderr!(r, "`and` is a built-in name", "scene.toml:2:1");
}

#[test]
fn erf_and_erfc_give_their_values() {
    let s = Sandbox::new();
    // erf(0.5) = 0.5205: black at that opacity over white is 255 · 0.4795 = 122.3
    let g = grey(&s, &over_white("\"erf(t)\"", ""), 0.5);
    assert!(g.abs_diff(122) <= 1, "{g}");
    // erfc(1) = 0.1573 → 255 · 0.8427 = 214.9
    let g = grey(&s, &over_white("\"erfc(t)\"", ""), 1.0);
    assert!(g.abs_diff(215) <= 1, "{g}");
    // the heat equation's step, 0.5 · erfc(x / (2·sqrt(k·t))), at x = 0 is 1/2
    let g = grey(
        &s,
        &over_white("\"0.5 * erfc(0 / (2 * sqrt(k * t)))\"", "k = 0.1"),
        1.0,
    );
    assert!(g.abs_diff(128) <= 1, "{g}");
}

#[test]
fn positions_fly_in_with_keyframes() {
    let s = Sandbox::new();
    let scene = "[vars]\nland = 1\n\
        [clip.bg]\nkind = \"color\"\ncolor = \"black\"\nsize = [10, 2]\nduration = 1\n\
        [clip.block]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n\
        [clip.main]\nkind = \"composite\"\n\
        layers = [{ clip = \"bg\" }, { clip = \"block\", position = [{ keys = [[0, 0], [\"land\", 8]] }, 0] }]\n";
    let img = s.frame(scene, 0.5);
    assert_px(&img, 3, 0, [0, 0, 0, 255], 0);
    assert_px(&img, 4, 0, [255, 0, 0, 255], 0);
    assert_px(&img, 5, 1, [255, 0, 0, 255], 0);
    assert_px(&img, 6, 0, [0, 0, 0, 255], 0);
}

#[test]
fn colour_keyframes_blend_in_oklab() {
    let s = Sandbox::new();
    let scene = "[clip.main]\nkind = \"color\"\nsize = [2, 2]\nduration = 1\n\
        color = { keys = [[0, \"black\"], [1, \"white\"]] }\n";
    // Oklab's perceptual middle grey, not sRGB's 128.
    assert_px(&s.frame(scene, 0.5), 0, 0, [99, 99, 99, 255], 0);
    assert_px(&s.frame(scene, 0.0), 0, 0, [0, 0, 0, 255], 0);
}

#[test]
fn set_overrides_a_var_and_the_vars_that_use_it() {
    let s = Sandbox::new();
    let scene = over_white("\"level\"", "base = 0.5\nlevel = \"base / 2\"");
    assert_eq!(grey(&s, &scene, 0.5), 191);
    s.write("scene.toml", &scene);
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0.5",
        "-o",
        "set.png",
        "--set",
        "base=2 * 0.5",
    ]);
    assert_exit!(r, 0);
    let img = crate::util::read_png(&s.path("set.png"));
    assert_px(&img, 1, 1, [128, 128, 128, 255], 0);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif", "--set", "levle=1"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "no variable `levle`", "did you mean `level`?");
    assert!(!s.path("out.gif").exists());
    let r = s.run(&["check", "scene.toml", "--set", "level=2 * bse"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown name `bse`", "column 5", "did you mean `base`?");
}

/// The line:column where `needle` starts in `scene`.
fn place(scene: &str, needle: &str) -> String {
    let at = scene.find(needle).expect("needle in scene");
    let line = scene[..at].matches('\n').count() + 1;
    let col = at - scene[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("scene.toml:{line}:{col}")
}

fn check_fails(scene: &str) -> crate::util::Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    r
}

#[test]
fn expression_errors_point_inside_the_string() {
    let scene = over_white("\"0.5 + 0.5 * sinn(t)\"", "");
    let r = check_fails(&scene);
    assert_stderr!(
        r,
        "unknown function `sinn`",
        &place(&scene, "sinn"),
        "did you mean `sin`?"
    );
    let scene = over_white("\"0.5 * (1 + t\"", "");
    let r = check_fails(&scene);
    assert_stderr!(r, "never closed", &place(&scene, "(1 + t"));
    let scene = over_white("\"tt / 2\"", "");
    let r = check_fails(&scene);
    assert_stderr!(r, "unknown name `tt`", &place(&scene, "tt /"));
    // Position coordinates point at their own string.
    let scene = "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n\
        [clip.main]\nkind = \"composite\"\nsize = [4, 4]\n\
        layers = [{ clip = \"a\", position = [0, \"2 * pie\"] }]\n";
    let r = check_fails(scene);
    assert_stderr!(
        r,
        "unknown name `pie`",
        &place(scene, "pie"),
        "did you mean `pi`?"
    );
}

#[test]
fn var_errors_are_named() {
    let r = check_fails(&over_white("1", "a = \"b + 1\"\nb = \"2 * a\""));
    assert_stderr!(r, "cycle: a → b → a");
    let r = check_fails(&over_white("1", "a = \"sin(t)\""));
    assert_stderr!(r, "`t` cannot be used in [vars]");
    let r = check_fails(&over_white(
        "{ keys = [[0, 0], [1, 1]], ease = \"in-out-cubc\" }",
        "",
    ));
    assert_stderr!(
        r,
        "unknown easing `in-out-cubc`",
        "did you mean `in-out-cubic`?"
    );
    // Keyframes written where an effect takes a table: the hint names the key to use.
    let scene = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1\n\
        effects = [{ rotate = { keys = [[0, 0], [1, 90]] } }]\n";
    let r = check_fails(scene);
    assert_stderr!(r, "unknown key `keys`", "`angle = { keys = ");
}

#[test]
fn hostile_expressions_are_errors_not_crashes() {
    let deep = format!("\"{}t{}\"", "(".repeat(3000), ")".repeat(3000));
    let r = check_fails(&over_white(&deep, ""));
    assert_stderr!(r, "nested too deeply");
    let r = check_fails(&over_white("\"1e999 * t\"", ""));
    assert_stderr!(r, "too large");
    let long = format!("\"{}\"", "t+".repeat(20_000) + "t");
    let r = check_fails(&over_white(&long, ""));
    assert_stderr!(r, "too long");
    // A constant that is not a number is caught when the scene loads.
    let r = check_fails(&over_white("\"0/0\"", ""));
    assert_stderr!(r, "not a finite number");
}

#[test]
fn time_dependent_values_are_refused_where_they_cannot_change() {
    let scene =
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = \"2 * t\"\n";
    let r = check_fails(scene);
    assert_stderr!(r, "duration cannot change over time");
    // Vars are fine there.
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[vars]\nd = 0.5\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = \"4 * d\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("2.00 s"), "{}", r.stdout);
}

#[test]
fn the_keyframes_scene_renders() {
    let s = Sandbox::new();
    let scene = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenes/keyframes.toml"
    ))
    .expect("scenes/keyframes.toml");
    s.write("keyframes.toml", &scene);
    let r = s.run(&[
        "render",
        "keyframes.toml",
        "-o",
        "k.gif",
        "--fps",
        "4",
        "--set",
        "pulses=1",
    ]);
    assert_exit!(r, 0);
    let frames = crate::util::read_gif(&s.path("k.gif"));
    assert_eq!(frames.len(), 12);
    // The title is off-screen at first and in place once it has landed.
    let orange = |img: &image::RgbaImage| {
        let p = img.get_pixel(100, 85).0;
        p[0] > 200 && p[1] > 120 && p[1] < 200 && p[2] < 60
    };
    assert!(!orange(&frames[0].0));
    assert!(orange(&frames[8].0));
}

/// Renders `scene` as PNG frames; returns them and stderr.
fn frames_and_stderr(s: &Sandbox, scene: &str) -> (Vec<image::RgbaImage>, String) {
    s.write("scene.toml", scene);
    let r = s.run(&["render", "scene.toml", "-o", "frames/", "-q"]);
    assert_exit!(r, 0);
    let mut names: Vec<_> = std::fs::read_dir(s.path("frames"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let frames = names.iter().map(|p| crate::util::read_png(p)).collect();
    (frames, r.stderr)
}

#[test]
fn regression_nan_or_infinity_at_render_time_was_silent() {
    // From t = 0.4 the position is infinite or not a number and the layer vanished;
    // an angle of 1e308*t*1e308 made the clip transparent; neither said a word.
    let s = Sandbox::new();
    let (frames, stderr) = frames_and_stderr(
        &s,
        r#"[output]
fps = 10
[clip.dot]
kind = "color"
color = "red"
size = [2, 2]
duration = 1
[clip.main]
kind = "composite"
size = [8, 8]
layers = [{ clip = "dot", position = ["1/(0.4-t)", "log(0.4-t) + 3"] }]
"#,
    );
    assert_eq!(frames.len(), 10);
    assert_px(&frames[0], 3, 3, [255, 0, 0, 255], 0);
    assert!(frames[4].pixels().all(|p| p.0 == [0, 0, 0, 255]));
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: position"))
        .collect();
    // Once per coordinate at most, whichever frame a thread met first.
    assert!(!warnings.is_empty() && warnings.len() <= 2, "{stderr}");
    for w in &warnings {
        assert!(
            (w.starts_with("warning: position (line 11, column 39) is ")
                || w.starts_with("warning: position (line 11, column 52) is "))
                && w.ends_with(" s: the layer is not drawn in that frame and any other such frame"),
            "{w}"
        );
    }

    let (frames, stderr) = frames_and_stderr(
        &s,
        "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 0.5\n\
         effects = [{ rotate = \"1e308*t*1e308\" }]\n",
    );
    assert_px(&frames[0], 0, 0, [255, 0, 0, 255], 0);
    assert_px(&frames[1], 0, 0, [0, 0, 0, 255], 0);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("warning: rotate (line 8, column 23) is inf at t = ")
            && stderr
                .contains(" s: the clip is transparent in that frame and any other such frame"),
        "{stderr}"
    );
}

#[test]
fn regression_nan_or_infinity_in_resize_crop_margin_opacity_was_silent() {
    // From t = 0.5 each key is not a number (or infinite): the clip vanished (or, for
    // an infinite opacity, showed whole) without a word. Now it is transparent in
    // those frames and each key says so once, with its place.
    let s = Sandbox::new();
    let cases = [
        (
            "{ resize = \"if(t < 0.5, 1, 0/0)\" }",
            "resize (line 8, column 23) is not a number",
        ),
        (
            "{ crop = { x1 = \"if(t < 0.5, 0, 0/0)\", width = 4 } }",
            "x1 (line 8, column 28) is not a number",
        ),
        (
            "{ margin = { all = \"if(t < 0.5, 1, 0/0)\", color = \"red\" } }",
            "margin (line 8, column 31) is not a number",
        ),
        (
            "{ opacity = \"if(t < 0.5, 1, 1e308*t*1e308)\" }",
            "opacity (line 8, column 24) is inf",
        ),
    ];
    for (effect, warning) in cases {
        let scene = format!(
            "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n\
             effects = [{effect}]\n"
        );
        let (frames, stderr) = frames_and_stderr(&s, &scene);
        assert_eq!(frames.len(), 10, "{effect}");
        assert_px(&frames[0], 0, 0, [255, 0, 0, 255], 0);
        assert!(
            frames[7].pixels().all(|p| p.0 == [0, 0, 0, 255]),
            "{effect}: frame 7 is not empty"
        );
        assert_eq!(stderr.matches("warning:").count(), 1, "{effect}: {stderr}");
        assert!(
            stderr.contains(&format!("warning: {warning} at t = "))
                && stderr
                    .contains(" s: the clip is transparent in that frame and any other such frame"),
            "{effect}: {stderr}"
        );
    }
    // A layer's opacity too: the layer is not drawn, as for a position.
    let (frames, stderr) = frames_and_stderr(
        &s,
        "[output]\nfps = 10\n[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n\
         [clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\", opacity = \"if(t < 0.5, 1, 0/0)\" }]\n",
    );
    assert_px(&frames[0], 0, 0, [255, 0, 0, 255], 0);
    assert!(frames[7].pixels().all(|p| p.0 == [0, 0, 0, 255]));
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(
        stderr.contains("warning: opacity (line 10, column 35) is not a number at t = ")
            && stderr.contains(" s: the layer is not drawn in that frame and any other such frame"),
        "{stderr}"
    );
}

/// newcomer6: `rotate = "90deg"` said "expected an operator, found `deg`" with no hint,
/// where `"20fps"` and `"320px"` are told to drop their unit.
#[test]
fn regression_an_angle_with_a_unit_had_no_hint() {
    let scene = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n\
                 effects = [{ rotate = \"90deg\" }]\n";
    let r = check_fails(scene);
    assert_stderr!(
        r,
        "scene.toml:6:26",
        "hint: angles are degrees, written without a unit: write 90"
    );
}
