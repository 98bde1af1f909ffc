//! Times and durations with units (`"2s"`, `"500ms"`, `"1.5min"`, `"1h"`) or as clocks
//! (`"1:30"`, `"0:01:30.5"`) wherever a time is written, and words where numbers
//! belong answered with what to write.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A scene using every key that holds a time; `{name}` places are filled with the
/// same times written with units, or in plain seconds.
const TIMES: &str = r#"[output]
fps = 10
duration = {out}

[clip.red]
kind = "color"
color = "red"
size = [4, 4]
duration = {red}
effects = [{ fade_in = {fade} }, { subclip = [{sub_a}, {sub_b}] }]

[clip.blue]
kind = "color"
color = "blue"
size = [4, 4]
duration = {blue}
effects = [
  { loop = { duration = {looped} } },
  { freeze = { t = {freeze_t}, duration = {freeze_d} } },
  { fade_out = { duration = {fade_out} } },
]

[clip.seq]
kind = "sequence"
clips = ["red", "blue"]
crossfade = {crossfade}

[clip.gap]
kind = "sequence"
clips = ["red", "red"]
padding = {padding}

[clip.main]
kind = "composite"
size = [8, 8]
layers = [
  { clip = "seq" },
  { clip = "gap", position = [4, 0] },
  { clip = "red", start = {start}, end = {end}, opacity = { keys = [[{k0}, 0], [{k1}, 1]] } },
  { clip = "blue", start = {start2}, duration = {layer_d}, position = [4, 4] },
]
"#;

/// (place, with units, plain seconds)
const FORMS: &[(&str, &str, &str)] = &[
    ("out", "\"0:00:03\"", "3"),
    ("red", "\"1500ms\"", "1.5"),
    ("fade", "\"0.5s\"", "0.5"),
    ("sub_a", "\"100ms\"", "0.1"),
    ("sub_b", "\"-0.1s\"", "-0.1"),
    ("blue", "\"0.02min\"", "1.2"),
    ("looped", "\"2.4s\"", "2.4"),
    ("freeze_t", "\"1s\"", "1"),
    ("freeze_d", "\"500ms\"", "0.5"),
    ("fade_out", "\"0.3 s\"", "0.3"),
    ("crossfade", "\"200ms\"", "0.2"),
    ("padding", "\"0:00.1\"", "0.1"),
    ("start", "\"0:00.5\"", "0.5"),
    ("end", "\"0:02\"", "2"),
    ("k0", "\"0s\"", "0"),
    ("k1", "\"1000ms\"", "1"),
    ("start2", "\"1h\"", "3600"),
    ("layer_d", "\"1s\"", "1"),
];

fn scene(units: bool) -> String {
    let mut s = TIMES.to_string();
    for (place, with_units, plain) in FORMS {
        let value = if units { with_units } else { plain };
        s = s.replace(&format!("{{{place}}}"), value);
    }
    for (place, _, _) in FORMS {
        assert!(!s.contains(&format!("{{{place}}}")), "{s}");
    }
    s
}

#[test]
fn every_time_key_reads_units_and_clocks_as_its_plain_seconds() {
    let s = Sandbox::new();
    s.write("scene.toml", scene(false));
    let plain = s.run(&["check", "scene.toml"]);
    assert_exit!(plain, 0);
    s.write("scene.toml", scene(true));
    let units = s.run(&["check", "scene.toml"]);
    assert_exit!(units, 0);
    // The same timeline: every clip's span, size and kind.
    assert_eq!(units.stdout, plain.stdout);
    assert!(
        units.stdout.contains("3.00 s (30 frames)"),
        "{}",
        units.stdout
    );
    // And the same pixels (fades and keyframes do not show in the timeline).
    let with_units = s.render_frames(&scene(true), &[]);
    let in_seconds = s.render_frames(&scene(false), &[]);
    assert_eq!(with_units.len(), 30);
    assert!(with_units == in_seconds, "frames differ");
}

#[test]
fn the_command_line_reads_the_same_forms() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{ fade_in = 2 }]\n",
    );
    for (t, plain) in [("0:01.5", "1.5"), ("500ms", "0.5")] {
        assert_exit!(s.run(&["frame", "scene.toml", "-t", t, "-o", "a.png"]), 0);
        assert_exit!(
            s.run(&["frame", "scene.toml", "-t", plain, "-o", "b.png"]),
            0
        );
        let (a, b) = (
            crate::util::read_png(&s.path("a.png")),
            crate::util::read_png(&s.path("b.png")),
        );
        assert!(a == b, "-t {t} and -t {plain} differ");
    }
    let r = s.run(&[
        "render",
        "scene.toml",
        "--duration",
        "0.02min",
        "-o",
        "out/",
        "-q",
    ]);
    assert_exit!(r, 0);
    // 1.2 s at the default 25 fps.
    assert_eq!(std::fs::read_dir(s.path("out")).unwrap().count(), 30);

    let r = s.run(&["frame", "scene.toml", "-t", "soon", "-o", "a.png"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`soon` is not a time", "\"1:30\"");
    let r = s.run(&["render", "scene.toml", "--duration", "2 sec", "-o", "x.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown unit `sec` in `2 sec`", "plain seconds: 2");
}

fn bad(scene: &str) -> crate::util::Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    r
}

const RED: &str = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n";

#[test]
fn a_word_for_fps_says_fps_is_a_number() {
    let r = bad(&format!("[output]\nfps = \"twenty\"\n\n{RED}"));
    assert_stderr!(
        r,
        "error: fps must be a number: `twenty` is not one, nor a name known here",
        "scene.toml:2:8",
        "hint: write a number, e.g. 20; an expression here may use pi, tau, e and [vars] (none defined)"
    );
    // Not the names of animated expressions, which fps cannot use.
    assert!(!r.stderr.contains("frame"), "{}", r.stderr);
    // With [vars], they are listed, and a near one suggested.
    let r = bad(&format!(
        "[vars]\nrate = 12\n\n[output]\nfps = \"rat * 2\"\n\n{RED}"
    ));
    assert_stderr!(
        r,
        "fps must be a number: `rat` is not one, nor a name known here",
        "scene.toml:5:8",
        "did you mean `rate`?; an expression here may use pi, tau, e and [vars]: rate"
    );
}

#[test]
fn a_word_for_a_duration_lists_the_forms_of_a_time() {
    let r = bad(&format!("{RED}duration = \"two\"\n"));
    assert_stderr!(
        r,
        "duration must be a time: `two` is not one, nor a name known here",
        "scene.toml:5:13",
        "a time is plain seconds (2, 1.5) or a string with a unit (\"2s\", \"500ms\", \"1.5min\", \"1h\") or a clock (\"1:30\", \"0:01:30.5\")"
    );
}

#[test]
fn wrong_units_and_clocks_are_refused_with_the_seconds_meant() {
    let r = bad(&format!("{RED}duration = \"3 minutes\"\n"));
    assert_stderr!(
        r,
        "duration: unknown unit `minutes` in `3 minutes`: the units are s, ms, min and h (or write plain seconds: 180)",
        "scene.toml:5:12"
    );
    let r = bad(&format!("{RED}duration = \"1:75\"\n"));
    assert_stderr!(r, "duration: `1:75`: the seconds must be below 60");
    let r = bad(&format!(
        "{RED}effects = [{{ freeze = {{ t = \"1 sec\", duration = 1 }} }}]\n"
    ));
    assert_stderr!(r, "unknown unit `sec` in `1 sec`", "scene.toml:5:29");
    let r = bad(&format!(
        "{RED}duration = 2\neffects = [{{ opacity = {{ keys = [[\"0:0:75\", 0], [2, 1]] }} }}]\n"
    ));
    assert_stderr!(r, "a key's time: `0:0:75`: the seconds must be below 60");
}

#[test]
fn where_a_number_is_not_a_time_units_say_plain_seconds() {
    // An opacity is no time: `2s` is read as an expression and refused, with the
    // number it would be in plain seconds.
    let r = bad(&format!("{RED}effects = [{{ opacity = \"500ms\" }}]\n"));
    assert_stderr!(
        r,
        "a unit is read only where a time or duration is written; here write plain seconds: 0.5"
    );
    // [vars] are numbers for any use.
    let r = bad(&format!("[vars]\nlength = \"2s\"\n\n{RED}"));
    assert_stderr!(
        r,
        "scene.toml:2:",
        "a unit is read only where a time or duration is written; here write plain seconds: 2"
    );
}

#[test]
fn a_time_left_unquoted_is_told_to_be_a_string() {
    let r = bad(&format!("{RED}duration = 2s\n"));
    assert_stderr!(
        r,
        "TOML syntax",
        "scene.toml:5:12",
        "hint: a time with a unit or a clock is a string in TOML: write \"2s\""
    );
    let r = bad(&format!("{RED}duration = 1:30\n"));
    assert_stderr!(r, "write \"1:30\"");
    // A full time of day is valid TOML, read as a time of day: no internal names.
    let r = bad(&format!("{RED}duration = 00:01:30\n"));
    assert_stderr!(
        r,
        "TOML reads this as a date or a time of day, which animate does not use",
        "scene.toml:5:12",
        "write a time or duration in quotes"
    );
    assert!(!r.stderr.contains("$__toml"), "{}", r.stderr);
}
