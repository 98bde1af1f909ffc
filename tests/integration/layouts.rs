//! Grid, composite and sequence semantics, checked on solid colours.

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

const RED: [u8; 4] = [255, 0, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];

#[test]
fn half_opaque_green_over_red_blends_evenly() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.red]
kind = "color"
color = "red"
size = [4, 4]
[clip.green]
kind = "color"
color = "lime"
size = [4, 4]
[clip.main]
kind = "composite"
layers = [{ clip = "red" }, { clip = "green", opacity = 0.5 }]
"#,
        0.0,
    );
    let p = img.get_pixel(1, 1).0;
    assert!(
        (127..=128).contains(&p[0]) && (127..=128).contains(&p[1]) && p[2] == 0 && p[3] == 255,
        "{p:?}"
    );
}

#[test]
fn later_layers_are_on_top_and_positions_are_exact() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.red]
kind = "color"
color = "red"
size = [10, 10]
[clip.blue]
kind = "color"
color = "blue"
size = [4, 2]
[clip.main]
kind = "composite"
layers = [
  { clip = "red" },
  { clip = "blue", position = "center" },
  { clip = "blue", position = [0, "bottom"] },
  { clip = "blue", position = ["50%", 1] },
]
"#,
        0.0,
    );
    assert_px(&img, 0, 0, RED, 0);
    // centred: x 3..7, y 4..6
    assert_px(&img, 3, 4, BLUE, 0);
    assert_px(&img, 6, 5, BLUE, 0);
    assert_px(&img, 2, 4, RED, 0);
    assert_px(&img, 7, 5, RED, 0);
    // bottom-left: y 8..10
    assert_px(&img, 0, 9, BLUE, 0);
    assert_px(&img, 0, 7, RED, 0);
    // 50% across, 1 px down
    assert_px(&img, 5, 1, BLUE, 0);
    assert_px(&img, 4, 1, RED, 0);
}

#[test]
fn layer_is_visible_from_start_until_before_end() {
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10
[clip.red]
kind = "color"
color = "red"
size = [2, 2]
duration = 3
[clip.blue]
kind = "color"
color = "blue"
size = [2, 2]
[clip.main]
kind = "composite"
layers = [{ clip = "red" }, { clip = "blue", start = 1, end = 2 }]
"#;
    assert_px(&s.frame(scene, 0.9), 0, 0, RED, 0);
    assert_px(&s.frame(scene, 1.0), 0, 0, BLUE, 0);
    assert_px(&s.frame(scene, 1.9), 0, 0, BLUE, 0);
    assert_px(&s.frame(scene, 2.0), 0, 0, RED, 0);
}

#[test]
fn partly_off_canvas_layers_are_clipped() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.red]
kind = "color"
color = "red"
size = [6, 6]
[clip.blue]
kind = "color"
color = "blue"
size = [4, 4]
[clip.main]
kind = "composite"
layers = [{ clip = "red" }, { clip = "blue", position = [-2, 4] }]
"#,
        0.0,
    );
    assert_eq!(img.dimensions(), (6, 6));
    assert_px(&img, 0, 5, BLUE, 0);
    assert_px(&img, 1, 4, BLUE, 0);
    assert_px(&img, 2, 4, RED, 0);
}

#[test]
fn grid_cells_are_centred_in_rows_and_columns() {
    // a 4×2 and a 2×4 clip side by side → 6×4, each centred in its cell
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[output]
background = "white"
[clip.wide]
kind = "color"
color = "red"
size = [4, 2]
[clip.tall]
kind = "color"
color = "blue"
size = [2, 4]
[clip.main]
kind = "grid"
rows = [["wide", "tall"]]
"#,
        0.0,
    );
    assert_eq!(img.dimensions(), (6, 4));
    assert_px(&img, 0, 0, [255, 255, 255, 255], 0);
    assert_px(&img, 0, 1, RED, 0);
    assert_px(&img, 3, 2, RED, 0);
    assert_px(&img, 3, 3, [255, 255, 255, 255], 0);
    assert_px(&img, 4, 0, BLUE, 0);
    assert_px(&img, 5, 3, BLUE, 0);
}

#[test]
fn grid_gaps_are_opaque_scene_background_by_default() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.a]
kind = "color"
color = "red"
size = [2, 2]
[clip.b]
kind = "color"
color = "red"
size = [2, 4]
[clip.main]
kind = "grid"
rows = [["a"], ["b"]]
spacing = 1
"#,
        0.0,
    );
    assert_eq!(img.dimensions(), (2, 7));
    assert_px(&img, 0, 2, [0, 0, 0, 255], 0);
}

fn check_output(scene: &str) -> String {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    r.stdout
}

const THREE: &str = r#"
[clip.a]
kind = "color"
color = "red"
size = [2, 2]
duration = 1
[clip.b]
kind = "color"
color = "blue"
size = [2, 2]
duration = 2
[clip.c]
kind = "color"
color = "lime"
size = [2, 2]
duration = 3
"#;

#[test]
fn sequence_durations_add_up() {
    let out = check_output(&format!(
        "{THREE}\n[clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"b\", \"c\"]\n"
    ));
    assert!(out.contains("6.00 s (150 frames)"), "{out}");
    assert!(out.contains("b  color  2x2  1.00..3.00 s"), "{out}");
}

#[test]
fn crossfades_overlap_neighbours() {
    let scene = format!("{THREE}\n[clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"b\", \"c\"]\ncrossfade = 0.5\n");
    let out = check_output(&scene);
    assert!(out.contains("5.00 s (125 frames)"), "{out}");
    // half-way through the a→b crossfade, blue is half over red
    let s = Sandbox::new();
    let img = s.frame(&scene, 0.75);
    let p = img.get_pixel(0, 0).0;
    assert!(
        (127..=128).contains(&p[0]) && (127..=128).contains(&p[2]),
        "{p:?}"
    );
}

#[test]
fn sequence_centres_smaller_clips_on_the_largest_canvas() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[output]
background = "white"
[clip.small]
kind = "color"
color = "red"
size = [2, 2]
duration = 1
[clip.big]
kind = "color"
color = "blue"
size = [4, 6]
duration = 1
[clip.main]
kind = "sequence"
clips = ["small", "big"]
"#,
        0.5,
    );
    assert_eq!(img.dimensions(), (4, 6));
    assert_px(&img, 1, 2, RED, 0);
    assert_px(&img, 0, 0, [255, 255, 255, 255], 0);
}

#[test]
fn sequence_refuses_clips_without_end() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n[clip.main]\nkind = \"sequence\"\nclips = [\"a\"]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "clip `a` has no end", "scene.toml:7:10");
}

#[test]
fn grid_height_scales_every_cell_keeping_aspect() {
    let s = Sandbox::new();
    let img = s.frame(
        r#"
[clip.wide]
kind = "color"
color = "red"
size = [4, 2]
[clip.tall]
kind = "color"
color = "blue"
size = [2, 4]
[clip.main]
kind = "grid"
rows = [["wide", "tall"]]
height = 4
"#,
        0.0,
    );
    assert_eq!(img.dimensions(), (10, 4));
    assert_px(&img, 0, 0, RED, 0);
    assert_px(&img, 7, 3, RED, 0);
    assert_px(&img, 8, 0, BLUE, 0);
}

/// Regression: a sequence of three clips without an end took three runs of `check` to
/// find: the first clip's own error stopped the sequence before it looked at the others.
#[test]
fn regression_a_sequences_clips_without_an_end_were_said_one_run_at_a_time() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.a]\nkind = \"text\"\ntext = \"A\"\n\
         [clip.b]\nkind = \"color\"\ncolor = \"red\"\nsize = [50, 50]\n\
         [clip.c]\nkind = \"plot\"\nsize = [100, 100]\nx = [0, 1]\nseries = [{ y = \"x*t\" }]\n\
         [clip.d]\nkind = \"color\"\ncolor = \"blue\"\nsize = [50, 50]\nduration = 0.5\n\
         [clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"b\", \"c\", \"d\"]\ncrossfade = 1\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "this plot changes over time");
    assert_stderr!(r, "clip `a` has no end, so nothing can follow it");
    assert_stderr!(r, "clip `b` has no end, so nothing can follow it");
    assert_stderr!(r, "`duration = 2` in [clip.b]");
    // `d` is last: shorter than the crossfade is no error for it.
    assert!(!r.stderr.contains("clip `d`"), "{}", r.stderr);
    assert_eq!(r.stderr.matches("error:").count(), 3, "{}", r.stderr);
}

/// A `size` written as another clip's: a title card and a composite's canvas as large
/// as the plot they go with (the newcomers' "refer to another clip's size").
#[test]
fn a_size_may_be_another_clips_size() {
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10
[clip.plot]
kind = "color"
color = "navy"
size = [64, 36]
duration = 1
[clip.card]
kind = "text"
text = "Hi"
font_size = 12
size = { clip = "plot" }
background = "white"
color = "black"
duration = 0.5
[clip.framed]
kind = "composite"
size = { clip = "card" }
background = "red"
layers = [{ clip = "plot", position = "center" }]
[clip.main]
kind = "sequence"
clips = ["card", "framed"]
"#;
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("output: 64x36, 10 fps, 1.50 s"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("card  text  64x36"), "{}", r.stdout);
    assert!(
        r.stdout.contains("framed  composite  64x36"),
        "{}",
        r.stdout
    );
    let frames = s.render_frames(scene, &[]);
    assert_eq!(frames.len(), 15);
    assert_eq!(frames[0].dimensions(), (64, 36));
    assert_eq!(frames[0].get_pixel(1, 1).0, [255, 255, 255, 255]);
    assert_eq!(frames[10].get_pixel(1, 1).0, [0, 0, 128, 255]);

    // A name that is not a clip, a clip made of this one, and `[output] size`.
    let cases = [
        (
            "size = { clip = \"plto\" }",
            "unknown clip `plto`",
            "scene.toml:13:17",
        ),
        (
            "size = { clip = \"main\" }",
            "clips refer to each other in a cycle: card → main",
            "scene.toml:",
        ),
        (
            "size = { clp = \"plot\" }",
            "unknown key `clp`",
            "scene.toml:13:10",
        ),
    ];
    for (line, message, place) in cases {
        s.write(
            "scene.toml",
            scene.replace("size = { clip = \"plot\" }", line),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, place);
    }
    s.write(
        "scene.toml",
        scene.replace("fps = 10\n", "fps = 10\nsize = { clip = \"plot\" }\n"),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "[output] size is [width, height] in pixels, not another clip's size"
    );
}

/// A newcomer wrote the title layer first: the composite took the title's 148×21 and
/// the video layered after it was cut to that strip without a word.
#[test]
fn regression_a_composite_sized_by_a_small_first_layer_cut_later_layers_silently() {
    let scene = |size: &str, position: &str| {
        format!(
            "[clip.title]\nkind = \"color\"\ncolor = \"white\"\nsize = [148, 21]\n\
             [clip.vid]\nkind = \"color\"\ncolor = \"red\"\nsize = [320, 240]\nduration = 1\n\
             [clip.dot]\nkind = \"color\"\ncolor = \"blue\"\nsize = [10, 10]\n\
             [clip.main]\nkind = \"composite\"\n{size}\n\
             layers = [{{ clip = \"title\" }},\n  {{ clip = \"vid\" }},\n  \
             {{ clip = \"dot\", position = {position} }}]\n"
        )
    };
    let s = Sandbox::new();
    s.write("scene.toml", scene("", "[\"200 - 100*t\", 5]"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "layer `vid` (320x240) is mostly outside the composite `main`'s 148x21 canvas, \
         which takes the size of its first layer `title`: at most 4 % of it can be seen",
        "scene.toml:18:12",
        "give the composite `size = [320, 240]`"
    );
    // one warning: the small layer sliding in from outside is no slip
    assert_eq!(
        r.stderr.matches("mostly outside").count(),
        1,
        "{}",
        r.stderr
    );
    // with its size, the composite warns of nothing
    s.write("scene.toml", scene("size = [320, 240]", "[0, 0]"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("mostly outside"), "{}", r.stderr);
}

#[test]
fn a_layout_lasts_as_long_as_its_duration_says() {
    let s = Sandbox::new();
    let scene = |grid: &str, comp: &str| {
        format!(
            "[output]\nfps = 10\n[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\nduration = 3\n\
             [clip.b]\nkind = \"color\"\ncolor = \"blue\"\nsize = [20, 20]\nduration = 1.5\n\
             [clip.title]\nkind = \"text\"\ntext = \"x\"\n\
             [clip.g]\nkind = \"grid\"\nrows = [[\"a\", \"b\", \"title\"]]\n{grid}\n\
             [clip.c]\nkind = \"composite\"\nlayers = [{{ clip = \"a\" }}, {{ clip = \"b\" }}, {{ clip = \"title\" }}]\n{comp}\n\
             [clip.main]\nkind = \"grid\"\nrows = [[\"g\"], [\"c\"]]\n"
        )
    };
    let lengths = |grid: &str, comp: &str| {
        s.write("s.toml", scene(grid, comp));
        let out = s.run(&["check", "s.toml"]);
        assert_exit!(out, 0);
        let of = |name: &str| {
            out.stdout
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{name}  ")))
                .unwrap_or_else(|| panic!("no {name} in {}", out.stdout))
                .rsplit("  ")
                .next()
                .unwrap()
                .to_string()
        };
        (of("g"), of("c"))
    };
    // the default: the longest part with an end; the text does not count
    let longest = ("0.00..3.00 s".to_string(), "0.00..3.00 s".to_string());
    assert_eq!(lengths("", ""), longest);
    assert_eq!(
        lengths("duration = \"longest\"", "duration = \"longest\""),
        longest
    );
    assert_eq!(
        lengths("duration = \"shortest\"", "duration = \"shortest\""),
        ("0.00..1.50 s".to_string(), "0.00..1.50 s".to_string())
    );
    assert_eq!(
        lengths("duration = 5", "duration = \"2s\""),
        ("0.00..5.00 s".to_string(), "0.00..2.00 s".to_string())
    );
    // the render is as long: 15 frames at 10 fps when both end at 1.5 s
    s.write(
        "s.toml",
        scene("duration = \"shortest\"", "duration = \"shortest\""),
    );
    assert_eq!(
        s.render_frames(&std::fs::read_to_string(s.path("s.toml")).unwrap(), &[])
            .len(),
        15
    );
    // a wrong word or a negative number is an error at the key, with the choices
    for (bad, said) in [
        ("\"shortst\"", "`shortst` is not one"),
        ("-1", "greater than 0"),
    ] {
        s.write("bad.toml", scene(&format!("duration = {bad}"), ""));
        let out = s.run(&["check", "bad.toml"]);
        assert_exit!(out, 2);
        assert_stderr!(out, said);
        assert_stderr!(out, "a layout's `duration` is seconds, \"longest\"");
        assert_stderr!(out, "bad.toml:19:");
    }
}
