//! What a seventh newcomer met in its messages: other tools' colour forms without a
//! hint, a duration counted in frames answered with the wrong seconds, a constant using
//! `fps` said to "change over time" without why, a plot's `samples` refusing a `[vars]`
//! name that a 3-D `samples` takes.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

fn check(s: &Sandbox, scene: &str) -> crate::util::Run {
    s.write("scene.toml", scene);
    s.run(&["check", "scene.toml"])
}

fn color_clip(color: &str, duration: &str) -> String {
    format!(
        "[output]\nfps = 25\n[clip.main]\nkind = \"color\"\ncolor = {color}\nsize = [8, 8]\nduration = {duration}\n"
    )
}

#[test]
fn regression_css_and_matplotlib_colours_had_no_hint() {
    let s = Sandbox::new();
    for (written, hint) in [
        (
            r#""rgb(255, 0, 0)""#,
            "CSS's rgb() is written [255, 0, 0] here",
        ),
        (
            r#""rgba(0, 0, 255, 0.5)""#,
            "is written [0, 0, 255, 128] here",
        ),
        (
            r#""0.5""#,
            "grey level \"0.5\" is written [128, 128, 128] here",
        ),
        (r#""(1, 0.5, 0)""#, "[255, 128, 0]"),
    ] {
        let r = check(&s, &color_clip(written, "1"));
        assert_exit!(r, 2);
        assert_stderr!(r, "unknown colour", hint, "scene.toml:5:9");
    }
    // Written as the hints say, they are fine.
    let r = check(&s, &color_clip("[0, 0, 255, 128]", "1"));
    assert_exit!(r, 0);
}

#[test]
fn regression_a_duration_in_frames_was_answered_with_the_count_as_seconds() {
    let s = Sandbox::new();
    let r = check(&s, &color_clip("\"red\"", "\"100 frames\""));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "not in frames",
        "scene.toml:7:12",
        "at the scene's 25 fps, 100 frames last 4 s: write 4"
    );
    assert!(
        !r.stderr.contains("write plain seconds: 100"),
        "{}",
        r.stderr
    );
}

#[test]
fn regression_a_constant_using_fps_was_said_to_change_over_time_without_why() {
    let s = Sandbox::new();
    let r = check(&s, &color_clip("\"red\"", "\"100 / fps\""));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "duration cannot change over time",
        "`fps` is known only as frames are drawn",
        "here write numbers, [vars] and pi, tau, e"
    );
}

#[test]
fn regression_a_plots_samples_refused_a_var() {
    let s = Sandbox::new();
    let plot = |samples: &str| {
        format!(
            "[vars]\nn = 50\n[clip.main]\nkind = \"plot\"\nsize = [80, 60]\nx = [0, 1]\n\
             samples = {samples}\nseries = [{{ y = \"x\", samples = \"n / 2\" }}]\n"
        )
    };
    let r = check(&s, &plot("\"2 * n\""));
    assert_exit!(r, 0);
    let r = check(&s, &plot("\"n / 100\""));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "samples must be a whole number, not 0.5",
        "scene.toml:7:11"
    );
    let r = check(&s, &plot("1"));
    assert_exit!(r, 2);
    assert_stderr!(r, "samples must be 2 to 1000000, not 1");
    let r = check(&s, &plot("\"t\""));
    assert_exit!(r, 2);
    assert_stderr!(r, "samples cannot change over time", "`t` is known only");
}

#[test]
fn regression_a_tables_bars_could_not_be_one_colour() {
    let s = Sandbox::new();
    let mut csv = String::from("bin,count\n");
    for b in 0..24 {
        csv += &format!("b{b},{}\n", 1 + b % 5);
    }
    s.write("hist.csv", csv);
    let scene = |color: &str| {
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [360, 120]\ncsv = \"hist.csv\"\nnames = \"bin\"\n{color}"
        )
    };
    // 24 rows: the bar cycle's 20 colours come round again, and a warning says so.
    let r = check(&s, &scene(""));
    assert_exit!(r, 0);
    assert_stderr!(r, "have the same colour", "`color` gives them all one");
    let r = check(&s, &scene("color = \"C0\"\n"));
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("same colour"), "{}", r.stderr);
    let frame = s.frame(&scene("color = \"#ff0000\"\n"), 0.0);
    let red = frame.pixels().filter(|p| p.0 == [255, 0, 0, 255]).count();
    let other_colours = frame
        .pixels()
        .filter(|p| p.0[0] < 100 && (p.0[1] > 100 || p.0[2] > 100) && p.0[1] != p.0[2])
        .count();
    assert!(red > 500, "{red} red pixels");
    assert_eq!(other_colours, 0, "no bar of another colour");
}

#[test]
fn regression_a_histogram_kind_had_no_hint() {
    let s = Sandbox::new();
    let r = check(&s, "[clip.main]\nkind = \"histogram\"\n");
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown clip kind `histogram`",
        "did you mean `plot`?",
        "\"A histogram\""
    );
}

/// hostile7 F-AH: a side past the largest whole number a pixel count holds was shown
/// as 4294967295.
#[test]
fn regression_a_huge_side_was_shown_as_4294967295() {
    let s = Sandbox::new();
    let r = check(
        &s,
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [1e308, 48]\nduration = 1\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the width of 1e308 pixels is too large: at most 16384 pixels",
        "scene.toml:4:9"
    );
    assert!(!r.stderr.contains("4294967295"), "{}", r.stderr);
    // Within u32 the size's own message stands, with both sides.
    let r = check(
        &s,
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [20000, 48]\nduration = 1\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "size 20000x48 is too large");
}
