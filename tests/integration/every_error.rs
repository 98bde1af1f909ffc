//! Every independent error of a scene at once, in file order: one run, not one run
//! per error.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// Four titles in a font that does not exist and two typos: six errors, none of which
/// follows from another, and a grid that uses the titles (not reported again).
const SIX_ERRORS: &str = r#"[output]
fps = 2000
root = "main"

[clip.t1]
kind = "text"
text = "one"
font = "No Such Family"

[clip.t2]
kind = "text"
text = "two"
font = "No Such Family"

[clip.t3]
kind = "text"
text = "three"
font = "No Such Family"

[clip.t4]
kind = "text"
text = "four"
font = "No Such Family"

[clip.blurred]
from = "t1"
effects = [{ opacity = 0.5 }]

[clip.main]
kind = "grid"
rows = [["t1", "t2"], ["t3", "blurred"]]

[clip.spare]
kind = "color"
color = "rde"
size = [4, 4]
"#;

/// Checks `scene`, expecting a scene error.
fn bad(scene: &str) -> crate::util::Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    r
}

/// The line numbers of the `-->` places in stderr, in the order shown.
fn places(stderr: &str) -> Vec<usize> {
    stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> scene.toml:"))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn check_render_frame_and_deps_show_every_independent_error_in_file_order() {
    let s = Sandbox::new();
    s.write("scene.toml", SIX_ERRORS);
    for args in [
        &["check", "scene.toml"][..],
        &["render", "scene.toml", "-o", "out.gif"],
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"],
        &["deps", "scene.toml"],
    ] {
        let r = s.run(args);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "fps 2000 is too high",
            "unknown font family `No Such Family`",
            "unknown colour `rde`"
        );
        assert_eq!(
            r.stderr.matches("error: ").count(),
            6,
            "{args:?}: one report per error:\n{}",
            r.stderr
        );
        // The fps, the four fonts, the colour: the clips that use a failed clip
        // (`blurred`, `main`) add nothing.
        assert_eq!(places(&r.stderr), [2, 8, 13, 18, 23, 35], "{}", r.stderr);
        assert!(!r.stderr.contains("more error"), "{}", r.stderr);
    }
    assert!(!s.path("out.gif").exists() && !s.path("f.png").exists());
}

#[test]
fn errors_found_out_of_order_are_shown_in_file_order() {
    // `main` is resolved first and reaches the bad clip declared after it; the error
    // in `a`, found later, comes first in the file.
    let r = bad(r#"[clip.a]
kind = "color"
color = "bleu"
size = [2, 2]

[clip.main]
kind = "grid"
rows = [["late"]]

[clip.late]
kind = "color"
color = "red"
size = [2, 0]
"#);
    assert_stderr!(r, "unknown colour `bleu`", "the height must be at least 1");
    assert_eq!(places(&r.stderr), [3, 13], "{}", r.stderr);
}

#[test]
fn a_cycle_is_reported_once() {
    let r = bad(r#"[clip.main]
kind = "grid"
rows = [["b"]]

[clip.b]
from = "main"

[clip.c]
kind = "color"
color = "nope"
size = [2, 2]
"#);
    assert_stderr!(r, "cycle: main → b → main", "unknown colour `nope`");
    assert_eq!(r.stderr.matches("error: ").count(), 2, "{}", r.stderr);
}

#[test]
fn at_most_twenty_errors_then_one_line_for_the_rest() {
    let mut scene = String::new();
    for i in 0..27 {
        scene += &format!(
            "[clip.c{i:02}]\nkind = \"color\"\ncolor = \"nocolour{i}\"\nsize = [2, 2]\n\n"
        );
    }
    scene += "[clip.main]\nkind = \"grid\"\nrows = [[\"c00\"]]\n";
    let r = bad(&scene);
    assert_eq!(r.stderr.matches("error: ").count(), 20, "{}", r.stderr);
    assert_stderr!(
        r,
        "unknown colour `nocolour0`",
        "unknown colour `nocolour19`"
    );
    assert!(!r.stderr.contains("nocolour20`"), "{}", r.stderr);
    assert!(
        r.stderr.trim_end().ends_with("… and 7 more errors"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_error_in_vars_stops_there() {
    // Every expression may use `[vars]`: errors after a wrong one would be guesses.
    let r = bad(
        "[vars]\nw = \"nope + 1\"\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [\"w\", 2]\n",
    );
    assert_stderr!(r, "unknown name `nope`", "scene.toml:2:6");
    assert_eq!(r.stderr.matches("error: ").count(), 1, "{}", r.stderr);
}

#[test]
fn a_wrong_output_table_does_not_make_the_root_unknown_too() {
    // `[output]` is not read (a typo in it), so its `root` is not known: only the typo
    // and the clip's own error are reported, not "which clip is rendered?".
    let r = bad(
        "[output]\nfsp = 10\nroot = \"a\"\n\n[clip.a]\nkind = \"color\"\ncolor = \"gren\"\nsize = [2, 2]\n\n[clip.b]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    assert_stderr!(
        r,
        "unknown key `fsp`",
        "did you mean `fps`?",
        "unknown colour `gren`"
    );
    assert!(!r.stderr.contains("which clip is rendered"), "{}", r.stderr);
    assert_eq!(places(&r.stderr), [2, 7], "{}", r.stderr);
}

#[test]
fn a_clip_its_effects_and_its_mask_are_checked_apart() {
    // Three errors in one clip, none following from another.
    let r = bad(
        "[clip.main]\nkind = \"color\"\ncolor = \"gren\"\nsize = [2, 2]\neffects = [{ opacity = 0.5 }, { blurr = 2 }]\nmask = 3\n",
    );
    assert_stderr!(r, "unknown colour `gren`", "unknown effect `blurr`");
    assert_eq!(places(&r.stderr), [3, 5, 6], "{}", r.stderr);
}

#[test]
fn misspelt_clip_names_are_reported_beside_clips_in_error() {
    // The grid uses a clip in error (reported once, there) and names two clips that do
    // not exist: both are its own errors. The sequence names one more.
    let r = bad(r#"[clip.a]
kind = "color"
color = "gren"
size = [2, 2]

[clip.b]
kind = "color"
color = "red"
size = [2, 2]
duration = 1

[clip.main]
kind = "grid"
rows = [["a", "bb"], ["b", "cc"]]

[clip.seq]
kind = "sequence"
clips = ["b", "dd"]
"#);
    assert_stderr!(
        r,
        "unknown colour `gren`",
        "unknown clip `bb`",
        "did you mean `b`?",
        "unknown clip `cc`",
        "unknown clip `dd`"
    );
    assert_eq!(places(&r.stderr), [3, 14, 14, 18], "{}", r.stderr);
}

#[test]
fn two_misspelt_keys_in_one_clip_are_both_reported() {
    // The kind's reader stops at its first unknown key; every one is told, in place.
    let r = bad(r#"[clip.main]
kind = "text"
txt = "Title"
colr = "white"
size = 24
"#);
    assert_stderr!(
        r,
        "unknown key `txt`",
        "did you mean `text`?",
        "unknown key `colr`",
        "did you mean `color`?"
    );
    assert_eq!(places(&r.stderr), [3, 4], "{}", r.stderr);
}
