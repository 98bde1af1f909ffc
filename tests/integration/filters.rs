//! Colour effects, the article's scikit-image filters and masks, rendered by the real
//! binary on colour clips and layouts.

use crate::util::{assert_px, read_gif, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A `w`×1 strip of greys, one pixel each, named `strip`.
fn strip(greys: &[u8]) -> String {
    let mut s = String::new();
    let mut layers = Vec::new();
    for (i, v) in greys.iter().enumerate() {
        s += &format!("[clip.g{i}]\nkind = \"color\"\ncolor = [{v}, {v}, {v}]\nsize = [1, 1]\n");
        layers.push(format!("{{ clip = \"g{i}\", position = [{i}, 0] }}"));
    }
    s += &format!(
        "[clip.strip]\nkind = \"composite\"\nsize = [{}, 1]\nbackground = \"black\"\nlayers = [{}]\n",
        greys.len(),
        layers.join(", ")
    );
    s
}

/// The grey levels of the first row.
fn row(img: &image::RgbaImage) -> Vec<u8> {
    (0..img.width()).map(|x| img.get_pixel(x, 0)[0]).collect()
}

#[test]
fn moviepy_colour_numbers() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.red]
kind = "color"
color = "red"
size = [2, 2]
effects = ["blackwhite"]
[clip.gamma]
kind = "color"
color = [64, 128, 255]
size = [2, 2]
effects = [{ gamma = 0.5 }]
[clip.lc]
kind = "color"
color = [100, 127, 200]
size = [2, 2]
effects = [{ lum_contrast = { lum = 10, contrast = 0.5 } }]
[clip.inv]
kind = "color"
color = [50, 100, 150]
size = [2, 2]
effects = ["invert"]
[clip.main]
kind = "grid"
rows = [["red", "gamma", "lc", "inv"]]
"#,
        0.0,
    );
    assert_px(&img, 1, 1, [85, 85, 85, 255], 0);
    let g = img.get_pixel(2, 0).0;
    assert!(
        (127..=128).contains(&g[0]) && (180..=181).contains(&g[1]) && g[2] == 255,
        "{g:?}"
    );
    let l = img.get_pixel(4, 0).0;
    assert!(
        (96..=97).contains(&l[0]) && l[1] == 137 && (246..=247).contains(&l[2]),
        "{l:?}"
    );
    assert_px(&img, 6, 1, [205, 155, 105, 255], 0);
}

#[test]
fn article_filters_on_a_grey_strip() {
    // Reference values: scikit-image 0.26 on [[60, 80, 100, 120]] (uint8).
    let s = Sandbox::new();
    let scene = |effect: &str| {
        format!(
            "{}[clip.main]\nfrom = \"strip\"\neffects = [{effect}]\n",
            strip(&[60, 80, 100, 120])
        )
    };
    // round(255 · equalize_hist)
    assert_eq!(
        row(&s.frame(&scene("\"equalize\""), 0.0)),
        [64, 128, 191, 255]
    );
    assert_eq!(
        row(&s.frame(&scene("\"rescale_intensity\""), 0.0)),
        [0, 85, 170, 255]
    );
    assert_eq!(
        row(&s.frame(&scene("\"adjust_log\""), 0.0)),
        [77, 100, 121, 141]
    );
    // A grey picture made from colour goes through blackwhite unchanged.
    assert_eq!(
        row(&s.frame(
            &scene("\"blackwhite\", \"to_mask\", \"equalize\", \"to_rgb\""),
            0.0
        )),
        [64, 128, 191, 255]
    );
}

#[test]
fn gaussian_blur_of_a_step_matches_scikit_image() {
    // filters.gaussian(step, 1, preserve_range=True) on 0 × 4, 200 × 5, rounded.
    let s = Sandbox::new();
    let scene = format!(
        "{}[clip.main]\nfrom = \"strip\"\neffects = [{{ gaussian_blur = 1 }}]\n",
        strip(&[0, 0, 0, 0, 200, 200, 200, 200, 200])
    );
    let got = row(&s.frame(&scene, 0.0));
    let want = [0u8, 1, 12, 60, 140, 188, 199, 200, 200];
    assert!(
        got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 1),
        "{got:?} vs {want:?}"
    );
}

/// Two 1-second scenes of a [100, x] strip: x = 150, then 200.
const TWO_SCENES: &str = r#"
[output]
fps = 10
[clip.grey]
kind = "color"
color = [100, 100, 100]
size = [1, 1]
duration = 1
[clip.mid]
kind = "color"
color = [150, 150, 150]
size = [1, 1]
[clip.high]
kind = "color"
color = [200, 200, 200]
size = [1, 1]
[clip.a]
kind = "composite"
size = [2, 1]
layers = [{ clip = "grey" }, { clip = "mid", position = [1, 0], end = 1 }]
[clip.b]
kind = "composite"
size = [2, 1]
layers = [{ clip = "grey" }, { clip = "high", position = [1, 0], end = 1 }]
[clip.seq]
kind = "sequence"
clips = ["a", "b"]
"#;

#[test]
fn statistics_per_frame_or_over_the_clip() {
    let s = Sandbox::new();
    let per_frame =
        format!("{TWO_SCENES}[clip.main]\nfrom = \"seq\"\neffects = [\"rescale_intensity\"]\n");
    assert_eq!(row(&s.frame(&per_frame, 0.5)), [0, 255]);
    assert_eq!(row(&s.frame(&per_frame, 1.5)), [0, 255]);
    // Over the clip the range is 100..200 in both scenes: 150 → 127.
    let clip_wide = format!(
        "{TWO_SCENES}[clip.main]\nfrom = \"seq\"\neffects = [{{ rescale_intensity = {{ over = \"clip\" }} }}]\n"
    );
    assert_eq!(row(&s.frame(&clip_wide, 0.5)), [0, 127]);
    assert_eq!(row(&s.frame(&clip_wide, 1.5)), [0, 255]);
}

#[test]
fn clip_statistics_inside_the_parallel_engine() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        format!(
            "{TWO_SCENES}[clip.main]\nfrom = \"seq\"\neffects = [{{ equalize = {{ over = \"clip\" }} }}]\n"
        ),
    );
    let r = s.run(&["render", "scene.toml", "-o", "out.gif", "--threads", "2"]);
    assert_exit!(r, 0);
    // Twenty frames; gifski merges the identical ones of each second.
    let frames = read_gif(&s.path("out.gif"));
    let delays: Vec<u16> = frames.iter().map(|f| f.1).collect();
    assert_eq!(delays, [100, 100]);
    // Over the clip: 100 is half the values, 150 a quarter, 200 a quarter.
    let at = |i: usize, x: u32| frames[i].0.get_pixel(x, 0).0;
    for (i, right) in [(0, 191u8), (1, 255)] {
        let (l, r) = (at(i, 0), at(i, 1));
        assert!(l[0].abs_diff(128) <= 2, "frame {i}: {l:?}");
        assert!(r[0].abs_diff(right) <= 2, "frame {i}: {r:?}");
    }
}

const RED_AND_MASKS: &str = r#"
[output]
background = "white"
[clip.red]
kind = "color"
color = "red"
size = [4, 2]
[clip.white]
kind = "color"
color = "white"
size = [2, 2]
[clip.black]
kind = "color"
color = "black"
size = [4, 2]
# Opaque: white on the left half, black on the right.
[clip.halves]
kind = "composite"
layers = [{ clip = "black" }, { clip = "white" }]
# Transparent except a half-opaque block on the right.
[clip.ghost]
kind = "composite"
size = [4, 2]
layers = [{ clip = "white", position = [2, 0], opacity = 0.5 }]
"#;

#[test]
fn mask_key_uses_luminance_or_alpha() {
    let s = Sandbox::new();
    let img = s.frame(
        &format!("{RED_AND_MASKS}[clip.main]\nfrom = \"red\"\nmask = \"halves\"\n"),
        0.0,
    );
    assert_px(&img, 0, 0, [255, 0, 0, 255], 0);
    assert_px(&img, 3, 1, [255, 255, 255, 255], 0);
    let img = s.frame(
        &format!(
            "{RED_AND_MASKS}[clip.main]\nfrom = \"red\"\nmask = {{ clip = \"ghost\", channel = \"alpha\" }}\n"
        ),
        0.0,
    );
    assert_px(&img, 0, 0, [255, 255, 255, 255], 0);
    // Half-transparent red over white.
    assert_px(&img, 3, 0, [255, 127, 127, 255], 1);
}

#[test]
fn to_mask_then_filters_then_mask_key() {
    let s = Sandbox::new();
    // The halves inverted as a mask: the red shows on the right.
    let img = s.frame(
        &format!(
            "{RED_AND_MASKS}[clip.m]\nfrom = \"halves\"\neffects = [\"to_mask\", \"invert\"]\n[clip.main]\nfrom = \"red\"\nmask = \"m\"\n"
        ),
        0.0,
    );
    assert_px(&img, 0, 0, [255, 255, 255, 255], 0);
    assert_px(&img, 3, 0, [255, 0, 0, 255], 0);
    // A mask drawn on its own is white with the mask in alpha; to_rgb makes it grey.
    let img = s.frame(
        &format!(
            "{RED_AND_MASKS}[clip.main]\nfrom = \"halves\"\neffects = [\"to_mask\", {{ multiply_color = 0.5 }}, \"to_rgb\"]\n"
        ),
        0.0,
    );
    assert_px(&img, 0, 0, [127, 127, 127, 255], 0);
    assert_px(&img, 3, 0, [0, 0, 0, 255], 0);
}

#[test]
fn filter_errors_point_at_the_scene() {
    let s = Sandbox::new();
    let check = |scene: &str| {
        s.write("scene.toml", scene);
        s.run(&["check", "scene.toml"])
    };
    let base = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n";
    let r = check(&format!("{base}effects = [{{ gaussian_blur = -1 }}]\n"));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "sigma must be between 0 and 250 pixels, not -1",
        "scene.toml:5:30"
    );
    let r = check(&format!(
        "{base}effects = [{{ equalize = {{ over = \"clipp\" }} }}]\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown name `clipp`", "did you mean `clip`?");
    let r = check(&format!(
        "{base}effects = [{{ equalize = {{ over = \"clip\" }} }}]\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "need a clip with an end", "scene.toml:5:");
    let r = check(&format!("{base}effects = [\"equalise\"]\n"));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown effect `equalise`", "did you mean `equalize`?");
    let r = check(&format!("{base}mask = \"nope\"\n"));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown clip `nope`", "scene.toml:5:8");
    let r = check(&format!(
        "{base}mask = \"big\"\n[clip.big]\nkind = \"color\"\ncolor = \"white\"\nsize = [3, 3]\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "the mask `big` is 3x3 but this clip is 2x2");
    let r = check(&format!("{base}mask = \"main\"\n"));
    assert_exit!(r, 2);
    assert_stderr!(r, "cycle");
}

/// Ctrl-C while `over = "clip"` measures a long clip (before any frame is delivered)
/// stops the render: exit code 1, no temporary file left.
#[cfg(unix)]
#[test]
fn interrupt_during_clip_statistics_leaves_no_output() {
    let s = Sandbox::new();
    // A day of a blurred 1280x720 field: the statistics pass renders 1000 of its
    // frames, far longer than the test waits.
    s.write(
        "scene.toml",
        r#"
[output]
fps = 10
[clip.main]
kind = "field"
size = [1280, 720]
duration = 86400
f = "sin(3*x + 2*pi*t/2) * cos(2*y - pi*t)"
x = [-2, 2]
y = [-1.5, 1.5]
effects = [{ gaussian_blur = 8 }, { equalize = { over = "clip" } }]
"#,
    );
    let out = s.interrupt(&["render", "scene.toml", "-o", "out.gif", "--frames", "0..1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(s.files(), ["scene.toml"]);
}

/// Animated values out of range: clamped (or, when not a number, the frame is left as
/// it is), with one warning naming the parameter and its place; the render succeeds.
#[test]
fn animated_values_out_of_range_are_clamped_with_a_warning() {
    let s = Sandbox::new();
    let scene = |effects: &str| {
        format!(
            "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = [64, 128, 200]\nsize = [2, 1]\nduration = 1\neffects = [{effects}]\n"
        )
    };
    let render = |effects: &str| {
        s.write("scene.toml", scene(effects));
        // One thread: frames in order, so the warning is about the first one.
        let r = s.run(&[
            "render",
            "scene.toml",
            "-o",
            "frames/",
            "-q",
            "--threads",
            "1",
        ]);
        assert_exit!(r, 0);
        let mut names: Vec<_> = std::fs::read_dir(s.path("frames"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        assert_eq!(names.len(), 10);
        let frame = |i: usize| read_png(&names[i]).get_pixel(0, 0).0;
        (r, frame(2), frame(8))
    };
    // gamma = -t is below 0 from the first frame after 0: clamped to 0, v^0 = 1 → 255.
    let (r, _, late) = render("{ gamma = \"-t\" }");
    assert_eq!(late, [255, 255, 255, 255]);
    assert_stderr!(
        r,
        "warning: gamma (line 8, column 22) is -0.1 at t = 0.100 s, out of range (at least 0): clamped to 0"
    );
    assert_eq!(r.stderr.matches("warning").count(), 1, "{}", r.stderr);
    // Not a number before t = 0.5: those frames unchanged; after, gamma √0.3 ≈ 0.548.
    let (r, early, late) = render("{ gamma = \"sqrt(t - 0.5)\" }");
    assert_eq!(early, [64, 128, 200, 255]);
    // 255·(64/255)^0.5477 = 119.6, 255·(128/255)^0.5477 = 174.8, 255·(200/255)^0.5477 = 223.2
    assert_eq!(late, [119, 174, 223, 255]);
    assert_stderr!(
        r,
        "gamma (line 8, column 22) is not a number at t = 0.000 s"
    );
    // A blur growing past 250 pixels stops there; a flat colour stays flat.
    let (r, _, late) = render("{ gaussian_blur = \"2 + t*1000\" }");
    assert_eq!(late, [64, 128, 200, 255]);
    assert_stderr!(
        r,
        "sigma (line 8, column 30) is 302 at t = 0.300 s",
        "clamped to 250"
    );
}

#[test]
fn table_arguments_name_their_keys() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{ lum_contrast = 5 }]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "expected a table of lum, contrast, threshold, e.g. { lum = 10, contrast = 0.5 }",
        "scene.toml:5:29"
    );
}

#[test]
fn painting_brightens_and_draws_dark_edges() {
    let s = Sandbox::new();
    // 4×3: black on the left half, grey 100 on the right.
    let img = s.frame(
        r#"
[clip.grey]
kind = "color"
color = [100, 100, 100]
size = [2, 3]
[clip.step]
kind = "composite"
size = [4, 3]
background = "black"
layers = [{ clip = "grey", position = [2, 0] }]
[clip.flat]
kind = "color"
color = [100, 50, 20]
size = [4, 3]
effects = ["painting"]
[clip.main]
kind = "grid"
rows = [["painted", "flat"]]
[clip.painted]
from = "step"
effects = [{ painting = { saturation = 1.4, black = 0.006 } }]
"#,
        0.0,
    );
    // The edge pixel: sharpened 9·100 − 5·100 → 255, edges 255:
    // 1.4·255 − 0.006·255·255 < 0 → black. The border: 1.4·100 = 140.
    assert_px(&img, 2, 1, [0, 0, 0, 255], 0);
    assert_px(&img, 3, 1, [140, 140, 140, 255], 0);
    assert_px(&img, 1, 1, [0, 0, 0, 255], 0);
    // A flat colour has no edges: only the saturation.
    assert_px(&img, 5, 1, [140, 70, 28, 255], 0);
}

#[test]
fn masks_and_or_combine_by_min_and_max() {
    let s = Sandbox::new();
    let scene = |effects: &str| {
        format!(
            r#"
[clip.red]
kind = "color"
color = "red"
size = [2, 1]
[clip.green]
kind = "color"
color = "lime"
size = [2, 1]
[clip.main]
from = "red"
effects = [{effects}]
"#
        )
    };
    // MoviePy's docs: red AND green is black, red OR green is yellow.
    assert_px(
        &s.frame(&scene("{ masks_and = \"green\" }"), 0.0),
        0,
        0,
        [0, 0, 0, 255],
        0,
    );
    assert_px(
        &s.frame(&scene("{ masks_or = \"green\" }"), 0.0),
        1,
        0,
        [255, 255, 0, 255],
        0,
    );
    // Two masks (the left or the right half): AND shows nothing, OR everything.
    let masks = format!(
        "{RED_AND_MASKS}[clip.left]\nfrom = \"halves\"\neffects = [\"to_mask\"]\n[clip.right]\nfrom = \"halves\"\neffects = [\"to_mask\", \"invert\"]\n"
    );
    let img = s.frame(
        &format!("{masks}[clip.both]\nfrom = \"left\"\neffects = [{{ masks_and = \"right\" }}]\n[clip.main]\nfrom = \"red\"\nmask = \"both\"\n"),
        0.0,
    );
    assert_px(&img, 0, 0, [255, 255, 255, 255], 0);
    assert_px(&img, 3, 0, [255, 255, 255, 255], 0);
    let img = s.frame(
        &format!("{masks}[clip.any]\nfrom = \"left\"\neffects = [{{ masks_or = \"right\" }}]\n[clip.main]\nfrom = \"red\"\nmask = \"any\"\n"),
        0.0,
    );
    assert_px(&img, 0, 0, [255, 0, 0, 255], 0);
    assert_px(&img, 3, 0, [255, 0, 0, 255], 0);

    // Errors: unknown clip, other size, other kind; exit code 2 with the place.
    let check = |scene: &str| {
        s.write("scene.toml", scene);
        s.run(&["check", "scene.toml"])
    };
    let r = check(&scene("{ masks_and = \"gren\" }"));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown clip `gren`", "scene.toml:12:26");
    let r = check(&format!(
        "{masks}[clip.main]\nfrom = \"left\"\neffects = [{{ masks_or = \"red\" }}]\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`red` is a colour clip but this clip is a mask",
        "to_mask"
    );
    let r = check(&format!(
        "{masks}[clip.main]\nfrom = \"red\"\neffects = [{{ masks_or = \"white\" }}]\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "`white` is 2x2 but this clip is 4x2");
    let r = check(&scene("{ masks_or = 5 }"));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "expected the name of another clip, e.g. \"mask\"",
        "scene.toml:12:25"
    );
}
