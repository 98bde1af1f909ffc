//! What the tenth newcomer (a MoviePy + matplotlib user, ten tasks from the docs alone)
//! met: TOML's pitfalls answered in the reader's words — a key under the wrong `[table]`
//! header was only "unknown", a table given twice a "duplicate key", `[[clip]]` gave
//! no way out and `[[clips]]` a second error that followed from the first — and an
//! interrupted render that said "interrupted" and nothing of its output.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

#[test]
fn regression_a_plot_key_written_after_the_output_header_was_only_unknown() {
    // Every key after `[output]` is `[output]`'s: the title meant for the plot above.
    let s = Sandbox::new();
    s.write(
        "w.toml",
        "[clip.plot]\nkind = \"plot\"\nsize = [120, 90]\nduration = 1\nx = [0, 6]\n\
         series = [{ y = \"sin(x + t)\" }]\n\n[output]\nfps = 10\n\ntitle = \"A wave\"\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: unknown key `title`",
        "--> w.toml:11:1",
        "hint: `title` is a key of `[clip.plot]` (line 1), not of `[output]`: in TOML every \
         key after a `[table]` header belongs to that header's table",
        "move this line up, under `[clip.plot]`"
    );
}

#[test]
fn regression_a_clip_key_after_the_next_clips_header_was_only_unknown() {
    // `color` meant for `b` (made from a colour clip), written after `[clip.main]`.
    let s = Sandbox::new();
    s.write(
        "w.toml",
        "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\nduration = 1\n\
         [clip.b]\nfrom = \"a\"\n\n[clip.main]\nkind = \"composite\"\n\
         layers = [{ clip = \"b\" }]\ncolor = \"blue\"\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "--> w.toml:12:1",
        "`color` is a key of `[clip.b]` (line 6), not of `[clip.main]`"
    );
    // a key no table above takes keeps the list of the keys of its own
    s.write(
        "w.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\n\
         [output]\nfps = 10\ncolour = \"blue\"\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "unknown key `colour`",
        "hint: known keys here: root, fps"
    );
    assert!(!out.stderr.contains("in TOML every key"), "{}", out.stderr);
}

#[test]
fn regression_a_key_above_every_header_was_an_unknown_table() {
    let s = Sandbox::new();
    s.write(
        "w.toml",
        "fps = 20\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\nduration = 1\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: unknown table `fps`",
        "--> w.toml:1:1",
        "hint: `fps` is a key of `[output]`: a key above every `[table]` header belongs to \
         no table, so write it below an `[output]` header"
    );
}

#[test]
fn regression_a_table_or_a_key_given_twice_was_a_duplicate_key() {
    let s = Sandbox::new();
    s.write(
        "w.toml",
        "[vars]\nspeed = 2\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [20, 20]\nduration = 1\n\n[vars]\nk = 3\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: the table `[vars]` is given twice",
        "--> w.toml:10:2",
        "hint: its first header is at line 1: TOML gives a table one header"
    );
    assert!(!out.stderr.contains("duplicate key"), "{}", out.stderr);

    s.write(
        "w.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\nduration = 1\n\
         color = \"blue\"\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: `color` is given twice in one table",
        "--> w.toml:6:1",
        "hint: line 3 gives it already: keep one of the two"
    );
}

#[test]
fn regression_clips_as_an_array_of_tables_gave_no_way_out() {
    let s = Sandbox::new();
    let body =
        "name = \"intro\"\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\nduration = 1\n";
    s.write("w.toml", format!("[[clip]]\n{body}"));
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "`clip` must be a table of named clips: [clip.NAME]",
        "hint: each clip is a table of its own with its name in the header, `[clip.intro]`, \
         not an entry of `[[clip]]`"
    );
    // `[[clips]]`: the misspelt table is the error; "no clips" follows from it
    s.write("w.toml", format!("[[clips]]\n{body}"));
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "unknown table `clips`", "did you mean `clip`?");
    assert!(!out.stderr.contains("defines no clips"), "{}", out.stderr);
    // a scene with no clips at all is still told so
    s.write("w.toml", "[output]\nfps = 10\n");
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "the scene defines no clips");
}

#[cfg(unix)]
#[test]
fn regression_an_interrupted_render_said_only_interrupted() {
    let s = Sandbox::new();
    s.write(
        "long.toml",
        "[output]\nfps = 50\nduration = 3600\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [64, 64]\n",
    );
    let out = s.interrupt(&["render", "long.toml", "-o", "out.gif"]);
    assert_eq!(out.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: interrupted: nothing was written; `out.gif` was not made"),
        "{stderr}"
    );
    assert_eq!(s.files(), ["long.toml"]);

    // an earlier output is kept, and the message says so
    s.write("out.gif", "an earlier render");
    let out = s.interrupt(&["render", "long.toml", "-o", "out.gif"]);
    assert_eq!(out.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: interrupted: nothing was written; `out.gif` is as it was before this render"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(s.path("out.gif")).unwrap(),
        "an earlier render"
    );
}

#[test]
fn regression_white_captions_over_white_plots_were_warned_of_only_when_no_curve_crossed_them() {
    // A generated grid of small plots, each with a caption left in the default colour
    // (white, on the default black background): all four unreadable, and the captions
    // the curve crossed (more of it, the larger k) passed as seen.
    let s = Sandbox::new();
    let mut scene = String::from("[output]\nfps = 10\n");
    for k in 1..=4 {
        scene += &format!(
            "[clip.p{k}]\nkind = \"plot\"\nsize = [160, 120]\nduration = 1\nx = [0, 6.28]\n\
             ylim = [-1.1, 1.1]\nseries = [{{ y = \"sin({k}*x + t)\" }}]\n\
             effects = [{{ caption = \"k = {k}\" }}]\n"
        );
    }
    scene += "[clip.main]\nkind = \"grid\"\nrows = [[\"p1\", \"p2\"], [\"p3\", \"p4\"]]\n";
    s.write("grid.toml", &scene);
    let out = s.run(&["frame", "grid.toml", "-t", "0.5", "-o", "f.png"]);
    assert_exit!(out, 0);
    assert_eq!(
        out.stderr.matches("cannot be seen").count(),
        4,
        "{}",
        out.stderr
    );
    // in black they are read, and nothing is said
    s.write(
        "grid.toml",
        scene
            .replace(
                "caption = \"k = ",
                "caption = { color = \"black\", text = \"k = ",
            )
            .replace("\" }]\n[clip", "\" } }]\n[clip"),
    );
    let out = s.run(&["frame", "grid.toml", "-t", "0.5", "-o", "f.png"]);
    assert_exit!(out, 0);
    assert!(!out.stderr.contains("cannot be seen"), "{}", out.stderr);
}

/// hostile11: `[[clip]]` after `[clip.main]` was "the table `[[clip]]` is given twice".
#[test]
fn regression_an_array_of_clips_after_a_named_clip_was_a_table_given_twice() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [20, 20]\nduration = 1\n[[clip]]\nname = \"b\"\nkind = \"color\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`[[clip]]` does not add a clip",
        "scene.toml:8:3",
        "`[clip.NAME]`"
    );
}
