//! Live values in text: placeholders re-evaluated per frame, the box fixed at load,
//! constant placeholders drawn once, and errors placed inside the text.

use crate::util::{find_inside, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A scene with a transparent canvas and one text clip made of `keys`.
fn scene(keys: &str) -> String {
    format!("[output]\nbackground = \"transparent\"\n[clip.t]\nkind = \"text\"\n{keys}\n")
}

#[test]
fn a_live_frame_is_the_static_text_of_its_values() {
    let s = Sandbox::new();
    let keys = "font_size = 20\nsize = [160, 32]\nbackground = \"black\"\nduration = 2";
    let live = scene(&format!("text = \"t = {{t:.2f}} s\"\n{keys}"));
    let a = s.frame(&live, 0.5);
    let b = s.frame(&live, 1.25);
    assert_ne!(a, b);
    assert_eq!(
        a,
        s.frame(&scene(&format!("text = \"t = 0.50 s\"\n{keys}")), 0.0)
    );
    assert_eq!(
        b,
        s.frame(&scene(&format!("text = \"t = 1.25 s\"\n{keys}")), 0.0)
    );
}

#[test]
fn without_a_size_the_box_holds_every_value_and_the_text_stays_put() {
    let s = Sandbox::new();
    let keys = "font_size = 20\nduration = 12";
    let live = scene(&format!("text = \"t = {{t:.1f}} s\"\n{keys}"));
    let early = s.frame(&live, 0.5);
    let late = s.frame(&live, 11.5);
    assert_eq!(early.dimensions(), late.dimensions());
    let at = |t: &str| {
        let fixed = s.frame(&scene(&format!("text = \"t = {t} s\"\n{keys}")), 0.0);
        assert!(fixed.width() <= early.width(), "{t}: wider than the box");
        fixed
    };
    let place_early = find_inside(&early, &at("0.5")).expect("0.5 drawn as static text");
    let place_late = find_inside(&late, &at("11.5")).expect("11.5 drawn as static text");
    // centred: the longer text reaches further left, the baseline does not move
    assert!(
        place_late.0 < place_early.0,
        "{place_early:?} {place_late:?}"
    );
    assert_eq!(place_early.1, place_late.1);
}

#[test]
fn a_counter_renders_every_frame_at_one_size() {
    let s = Sandbox::new();
    let frames = s.render_frames(
        &format!(
            "[output]\nfps = 10\n{}",
            scene("text = \"frame {frame:03d}\"\nduration = 1\nfont_size = 16")
                .replace("[output]\n", "")
        ),
        &[],
    );
    assert_eq!(frames.len(), 10);
    assert!(frames
        .iter()
        .all(|f| f.dimensions() == frames[0].dimensions()));
    for (i, f) in frames.iter().enumerate().skip(1) {
        assert_ne!(f, &frames[i - 1], "frames {} and {i} are the same", i - 1);
    }
}

#[test]
fn constant_placeholders_follow_vars_and_set() {
    let s = Sandbox::new();
    let live = format!(
        "[vars]\nspeed = 2\n{}",
        scene("text = \"v = {speed:.1f} m/s, {{braces}}\"")
    );
    s.write("scene.toml", &live);
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "two.png"]);
    assert_exit!(r, 0);
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "three.png",
        "--set",
        "speed=3",
    ]);
    assert_exit!(r, 0);
    let fixed = |v: &str| {
        s.frame(
            &scene(&format!("text = \"v = {v} m/s, {{{{braces}}}}\"")),
            0.0,
        )
    };
    assert_eq!(read_png(&s.path("two.png")), fixed("2.0"));
    assert_eq!(read_png(&s.path("three.png")), fixed("3.0"));
}

#[test]
fn nan_and_infinity_print_as_python_does() {
    let s = Sandbox::new();
    let keys = "size = [200, 40]\nduration = 1";
    // constant (1/0 is NaN in expressions) and live
    let constant = s.frame(
        &scene(&format!("text = \"{{1/0}} {{ln(0)}}\"\n{keys}")),
        0.0,
    );
    let live = s.frame(
        &scene(&format!(
            "text = \"{{sqrt(-1 - t)}} {{ln(0 * t)}}\"\n{keys}"
        )),
        0.5,
    );
    let want = s.frame(&scene(&format!("text = \"nan -inf\"\n{keys}")), 0.0);
    assert_eq!(constant, want);
    assert_eq!(live, want);
}

#[test]
fn bad_placeholders_are_errors_at_their_place() {
    let s = Sandbox::new();
    // the text is on line 5 of the scene, after `text = "` (8 columns)
    let cases = [
        (
            "v = {sped * t:.1f}",
            "unknown name `sped`",
            "scene.toml:5:14",
        ),
        ("t = {t:.2f", "this `{` is never closed", "scene.toml:5:13"),
        ("{t:.2q}", "unexpected `q` in the format", "scene.toml:5:14"),
        (
            "{t:.2g}",
            "the format type `g` is not supported",
            "scene.toml:5:14",
        ),
        (
            "a } b",
            "a `}` that closes no placeholder",
            "scene.toml:5:11",
        ),
        ("a {} b", "an empty placeholder", "scene.toml:5:11"),
        // after an escape, the position still counts the file's characters
        (
            r"line\n{t:.2q}",
            "unexpected `q` in the format",
            "scene.toml:5:20",
        ),
    ];
    for (text, msg, place) in cases {
        s.write(
            "scene.toml",
            format!("[vars]\nspeed = 1\n[clip.t]\nkind = \"text\"\ntext = \"{text}\"\n"),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, msg, place);
    }
}

#[test]
fn text_outside_the_measured_box_warns() {
    let s = Sandbox::new();
    // a clip without an end is measured over its first minute: 123456789 comes later
    s.write(
        "scene.toml",
        scene("text = \"{if(t > 100, 123456789, 1)}\""),
    );
    let r = s.run(&["frame", "scene.toml", "-t", "200", "-o", "frame.png"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "warning:", "123456789", "reaches outside the box");
}

#[test]
fn a_date_placeholder_draws_the_date_it_reaches() {
    let s = Sandbox::new();
    let keys = "font_size = 20\nsize = [260, 32]\nbackground = \"black\"\nduration = 2";
    let live = scene(&format!(
        "text = \"{{2024-02-01 + 29*t/duration:%a %d %b %Y}}\"\n{keys}"
    ));
    let fixed = |text: &str| s.frame(&scene(&format!("text = \"{text}\"\n{keys}")), 0.0);
    assert_eq!(s.frame(&live, 0.0), fixed("Thu 01 Feb 2024"));
    // 29 · 1.5 / 2 = 21.75 days on: the 22nd, at 18:00
    assert_eq!(s.frame(&live, 1.5), fixed("Thu 22 Feb 2024"));
    let plain = scene(&format!(
        "text = \"{{2024-02-01 + 29*t/duration}}\"\n{keys}"
    ));
    assert_eq!(s.frame(&plain, 1.0), fixed("2024-02-15"));
}

#[test]
fn regression_a_date_in_a_text_was_a_subtraction() {
    // `{2024-01-15}` showed 2008 (2024 − 1 − 15); a date that does not exist is an error.
    let s = Sandbox::new();
    let keys = "font_size = 20\nsize = [160, 32]\nbackground = \"black\"";
    let text = |t: &str| scene(&format!("text = \"{t}\"\n{keys}"));
    assert_eq!(
        s.frame(&text("{2024-01-15}"), 0.0),
        s.frame(&text("2024-01-15"), 0.0)
    );
    s.write("bad.toml", text("on {2024-02-30:%d %b}"));
    let out = s.run(&["check", "bad.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "`2024-02-30` is not a date");
    assert_stderr!(out, "bad.toml:5:13");
}
