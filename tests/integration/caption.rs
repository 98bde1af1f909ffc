//! The `caption` effect: a text over the clip, the same picture as a text layer in a
//! composite, for as long as the clip lasts.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A 1-second 160×90 grey clip at 10 fps.
const GREY: &str = r#"
[output]
fps = 10
[clip.grey]
kind = "color"
color = [90, 120, 150]
size = [160, 90]
duration = 1
"#;

/// The grey clip, then `main` made from it with `effects`.
fn grey_with(effects: &str) -> String {
    format!("{GREY}[clip.main]\nfrom = \"grey\"\neffects = {effects}\n")
}

/// The same picture written the long way: a text clip with `keys` in a composite over
/// the grey clip, at `position`.
fn composite_of(keys: &str, position: &str) -> String {
    format!(
        "{GREY}[clip.label]\nkind = \"text\"\n{keys}\n[clip.main]\nkind = \"composite\"\n\
         layers = [{{ clip = \"grey\" }}, {{ clip = \"label\", position = {position} }}]\n"
    )
}

#[test]
fn a_caption_draws_what_a_text_layer_in_a_composite_draws() {
    let s = Sandbox::new();
    // The default place (centred at the top), a given one, and a live text whose
    // picture changes every frame.
    let cases = [
        (
            r#"[{ caption = { text = "Blurred", font_size = 15, weight = "bold", color = "black" } }]"#,
            "text = \"Blurred\"\nfont_size = 15\nweight = \"bold\"\ncolor = \"black\"",
            r#"["center", "top"]"#,
        ),
        (
            r#"[{ caption = { text = "t = {t:.1f}", color = "yellow", position = ["right", "bottom"] } }]"#,
            "text = \"t = {t:.1f}\"\ncolor = \"yellow\"",
            r#"["right", "bottom"]"#,
        ),
    ];
    for (effects, keys, position) in cases {
        let short = s.render_frames(&grey_with(effects), &[]);
        let long = s.render_frames(&composite_of(keys, position), &[]);
        assert_eq!(short.len(), 10, "{effects}");
        assert!(short == long, "{effects}: not the composite's frames");
        // Something was drawn: the frames are not all the grey clip.
        assert!(
            short[3].pixels().any(|p| p.0 != [90, 120, 150, 255]),
            "{effects}"
        );
    }
    // The live text changes from frame to frame.
    let frames = s.render_frames(&grey_with(r#"[{ caption = "t = {t:.1f}" }]"#), &[]);
    assert!(frames[0] != frames[5]);
}

#[test]
fn a_caption_lasts_as_long_as_its_clip_and_effects_after_it_apply_to_both() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        grey_with(r#"[{ caption = "Title" }, { resize = 0.5 }]"#),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("output: 80x45, 10 fps, 1.00 s (10 frames)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("input  caption  160x90  0.00..1.00 s"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_caption_that_cannot_be_seen_is_warned_of_at_its_place() {
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10
background = "black"
[clip.main]
kind = "color"
color = "white"
size = [120, 60]
duration = 0.2
effects = [{ caption = "Equalized" }]
"#;
    s.write("scene.toml", scene);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "the caption of `main` (line 10, column 24) cannot be seen"
    );
}

#[test]
fn a_wrong_caption_is_refused_at_its_place_with_every_other_error() {
    let s = Sandbox::new();
    let cases = [
        (
            "[{ caption = 3 }]",
            "`caption` is a text, or a table of a text clip's keys and a position",
        ),
        (r#"["caption"]"#, "`caption` needs its text"),
        (
            r#"[{ caption = { text = "x", kind = "text" } }]"#,
            "unknown key `kind`",
        ),
        (
            r#"[{ caption = { text = "x", position = "nowhere" } }]"#,
            "unknown position `nowhere`",
        ),
        (r#"[{ caption = { font_size = 12 } }]"#, "`text`"),
    ];
    for (effects, message) in cases {
        s.write("scene.toml", grey_with(effects));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, "scene.toml:11:");
    }
    // A misspelt effect's hint names the caption among the effects, and a wrong
    // caption is reported beside the list's other errors.
    s.write(
        "scene.toml",
        grey_with(r#"[{ captoin = "x" }, { caption = 3 }]"#),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown effect `captoin`",
        "volume, audio_fade_in, audio_fade_out, caption"
    );
    assert_stderr!(r, "`caption` is a text");
}

#[test]
fn regression_a_key_beside_caption_called_caption_an_unknown_name() {
    // `{ caption = "x", color = "red" }` went to the effects' reader, which said
    // "unknown name `caption`" and listed every effect but caption.
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        grey_with(r#"[{ caption = "Blurred", color = "red" }]"#),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "one effect per table, and `color` is a second key: a caption's keys go in its table, \
         { caption = { text = \"…\", color = … } }",
        "scene.toml:11:12"
    );
    assert!(!r.stderr.contains("unknown name"), "{}", r.stderr);
    s.write(
        "scene.toml",
        grey_with(r#"[{ caption = "Blurred", mirror_x = true }]"#),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "one effect per table, and `mirror_x` is a second effect");
}
