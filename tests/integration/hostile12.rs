//! Found by the hostile-input round 12 (findings F-EA to F-EE): plots of finite values
//! whose range is wider than the largest double, names that look alike or cannot be
//! seen, a `join` of a part cut short, `[[output]]`. Each test makes its own inputs.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// Pixels of the first colour of the cycle (C0, #1f77b4) in rows `y0..y1`.
fn c0_pixels(img: &image::RgbaImage, y0: u32, y1: u32) -> usize {
    (y0..y1.min(img.height()))
        .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = img.get_pixel(x, y).0;
            (p[0] as i32 - 31).abs() < 30
                && (p[1] as i32 - 119).abs() < 30
                && (p[2] as i32 - 180).abs() < 30
        })
        .count()
}

fn plot(keys: &str, series: &str) -> String {
    format!(
        "[output]\nfps = 10\n[clip.main]\nkind = \"plot\"\nsize = [160, 160]\nduration = 1\n\
         {keys}\nseries = [{series}]\n"
    )
}

/// y limits from -1e308 to 1e308, two finite numbers whose difference is past the
/// largest double: the axis's scale came out 0, and a line from -3e307 to 3e307 (across
/// the middle fifth of the axes) was drawn flat along the bottom edge, with no tick
/// label, without a word.
#[test]
fn regression_limits_wider_apart_than_the_largest_double_drew_a_flat_line_at_the_bottom() {
    let sb = Sandbox::new();
    let img = sb.frame(
        &plot(
            "x = [0, 6]\nylim = [-1e308, 1e308]",
            "{ y = \"x*1e307 - 3e307\" }",
        ),
        0.0,
    );
    // The line crosses the middle of the figure, and nothing of it lies along the bottom.
    assert!(c0_pixels(&img, 60, 100) > 20, "no line across the middle");
    assert_eq!(c0_pixels(&img, 130, 160), 0, "a line along the bottom");
}

/// Values of 1e308 and -1e308 with automatic limits: the margin of 5 % of an infinite
/// range made the limits infinite, then ±0.055, and the axes were drawn empty.
#[test]
fn regression_automatic_limits_of_values_near_both_ends_of_the_doubles_drew_empty_axes() {
    let sb = Sandbox::new();
    let img = sb.frame(
        &plot(
            "x = [0, 6]",
            "{ y = \"if(x < 3, 1e308, -1e308)\", width = 3 }",
        ),
        0.0,
    );
    assert!(c0_pixels(&img, 0, 160) > 100, "the line was not drawn");
}

/// The same on polar axes: `rlim = [-1e308, 1e308]` put every r on the centre, and
/// automatic r limits over r of ±1e308 drew empty axes.
#[test]
fn regression_polar_r_wider_apart_than_the_largest_double_was_not_drawn() {
    let sb = Sandbox::new();
    let img = sb.frame(
        &plot(
            "projection = \"polar\"\nrlim = [-1e308, 1e308]",
            "{ y = \"x*1e307\", width = 2 }",
        ),
        0.0,
    );
    assert!(c0_pixels(&img, 0, 160) > 100, "the spiral was not drawn");
    let img = sb.frame(
        &plot(
            "projection = \"polar\"",
            "{ y = \"if(x < 3, 1e308, -1e308)\", width = 2 }",
        ),
        0.0,
    );
    assert!(c0_pixels(&img, 0, 160) > 100, "the curve was not drawn");
}

/// A clip named with a Cyrillic `а` (U+0430) and asked for with a Latin `a`: the
/// hint read "did you mean `bаr`?", the very name typed, to the eye.
#[test]
fn regression_a_name_in_cyrillic_look_alike_letters_was_suggested_as_if_the_same() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.\"b\u{430}r\"]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [8, 8]\nduration = 0.2\n[clip.main]\nkind = \"composite\"\n\
         layers = [{ clip = \"bar\" }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown clip `bar`",
        "scene.toml:10:20",
        "`bar` here, `b U+0430 r` there"
    );
}

/// A clip named `""` (or `" "`) was accepted: `check` listed `root: ` and a clip of no
/// name; and `"main "` beside `"main"` were two clips that every listing showed alike.
#[test]
fn regression_a_clip_of_an_empty_name_or_one_ending_in_a_space_was_accepted() {
    let sb = Sandbox::new();
    let scene = |name: &str| {
        format!(
            "[output]\nfps = 10\n[clip.\"{name}\"]\nkind = \"color\"\ncolor = \"red\"\n\
             size = [8, 8]\nduration = 0.2\n"
        )
    };
    sb.write("scene.toml", scene(""));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cannot be empty", "scene.toml:3:7");
    sb.write("scene.toml", scene(" "));
    let r = sb.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cannot be empty", "scene.toml:3:7");
    assert!(!sb.path("out.gif").exists());
    sb.write("scene.toml", scene("main "));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "begins or ends with a space", "write `main`");
}

/// A part cut short by a few bytes (a copy that stopped early): its index, written
/// before the data, still counted every frame, and `join` copied the last one's
/// missing bytes as a frame no player decodes, exit code 0.
#[cfg(feature = "video")]
#[test]
fn regression_join_took_a_part_cut_short_within_its_last_frame() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"plot\"\nsize = [96, 64]\nduration = 1\n\
         x = [0, 10]\nseries = [{ y = \"sin(x + 6*t)\" }]\n",
    );
    for k in ["1", "2"] {
        let seg = format!("{k}/2");
        let out = format!("part{k}.mp4");
        assert_exit!(
            sb.run(&["render", "scene.toml", "--segment", &seg, "-o", &out]),
            0
        );
    }
    // The whole parts join.
    assert_exit!(
        sb.run(&["join", "part1.mp4", "part2.mp4", "-o", "whole.mp4"]),
        0
    );
    let whole = std::fs::read(sb.path("part2.mp4")).unwrap();
    sb.write("part2.mp4", &whole[..whole.len() - 20]);
    sb.write("joined.mp4", "the user's file");
    let r = sb.run(&["join", "part1.mp4", "part2.mp4", "-o", "joined.mp4"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "part2.mp4 should hold frames 5..10", "past its end");
    assert_eq!(
        std::fs::read_to_string(sb.path("joined.mp4")).unwrap(),
        "the user's file"
    );
}

/// `[[output]]`, a list of output tables, was told as "invalid type: a table, expected
/// a string", which names neither the mistake nor the way out.
#[test]
fn regression_a_list_of_output_tables_was_told_as_a_table_where_a_string_goes() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[[output]]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [8, 8]\nduration = 0.2\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`output` must be one table",
        "scene.toml:1:1",
        "not `[[output]]`"
    );
    assert!(!r.stderr.contains("expected a string"), "{}", r.stderr);
}

/// hostile12 F-EG: two clips named `café`, one with é as one character and one as e
/// and a combining accent, were both accepted without a word (and `check` listed two
/// "café" lines): a reference to either picks one unseen.
#[test]
fn regression_two_clip_names_that_look_the_same_were_both_accepted() {
    let sb = Sandbox::new();
    let clip = |name: &str| {
        format!(
            "[clip.\"{name}\"]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n\n"
        )
    };
    let scene = format!(
        "{}{}[clip.main]\nkind = \"grid\"\nrows = [[\"caf\u{e9}\"]]\n",
        clip("caf\u{e9}"),
        clip("cafe\u{301}")
    );
    sb.write("scene.toml", &scene);
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "look the same but are other characters",
        "cafe U+0301",
        "caf U+00E9"
    );
    // Two names that differ in a letter are two clips, as always.
    sb.write(
        "scene.toml",
        format!(
            "{}{}[clip.main]\nkind = \"grid\"\nrows = [[\"caf\u{e9}\"]]\n",
            clip("caf\u{e9}"),
            clip("caf\u{e8}")
        ),
    );
    assert_exit!(sb.run(&["check", "scene.toml"]), 0);
}
