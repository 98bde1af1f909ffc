//! What a third newcomer met writing scenes from the docs alone, the smaller things:
//! `check`'s timeline naming crossfades and resize factors truly, hints that speak of
//! the thing asked about (`bitrate`, an unknown function, `{x}` in a title), chart text
//! cut at the figure's edge said once, and bars that share a colour.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

fn check(scene: &str) -> crate::util::Run {
    let sb = Sandbox::new();
    sb.write("scene.toml", scene);
    sb.run(&["check", "scene.toml"])
}

#[test]
fn check_names_crossfades_as_written() {
    let r = check(
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [32, 24]\nduration = 2\n\
         effects = [{ crossfade_in = 0.5 }, { crossfade_out = 0.5 }, { fade_in = 0.2 }]\n",
    );
    assert_exit!(r, 0);
    // The outermost effect first, each by its own name.
    let kinds: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    for want in ["crossfade_in", "crossfade_out", "fade_in"] {
        assert_eq!(
            kinds.iter().filter(|k| **k == want).count(),
            1,
            "{want}:\n{}",
            r.stdout
        );
    }
    assert!(!kinds.contains(&"fade_out"), "{}", r.stdout);
}

#[test]
fn check_shows_a_resize_factor_with_its_digits() {
    let r = check(
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [320, 240]\nduration = 1\n\
         effects = [{ resize = 0.75 }]\n",
    );
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("main  resize  240x180 (0.75× its input)"),
        "{}",
        r.stdout
    );
    let r = check(
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [300, 300]\nduration = 1\n\
         effects = [{ resize = 2 }]\n",
    );
    assert!(r.stdout.contains("600x600 (2× its input)"), "{}", r.stdout);
}

#[test]
fn a_bitrate_in_output_gets_a_hint_about_bitrate() {
    let r = check(
        "[output]\nbitrate = \"2M\"\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [8, 8]\nduration = 1\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "scene.toml:2:1",
        "`bitrate` is a flag of `animate render`, not a scene key: `--bitrate …`",
        "a target bit rate such as `800k` or `2M`, instead of `--crf`"
    );
    assert!(!r.stderr.contains("codec"), "{}", r.stderr);
}

const PLOT: &str = "[clip.main]\nkind = \"plot\"\nsize = [260, 180]\nduration = 1\n\
                    x = [0, 1]\n";

#[test]
fn an_unknown_function_lists_the_functions() {
    let r = check(&format!("{PLOT}series = [{{ y = \"gamma(x)\" }}]\n"));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown function `gamma`",
        "scene.toml:6:",
        "hint: the functions are sin, cos, tan,",
        "smoothstep",
        "erf, erfc",
        "(docs/expressions.md#functions)"
    );
    // A near miss still gets the closest name alone.
    let r = check(&format!("{PLOT}series = [{{ y = \"sinn(x)\" }}]\n"));
    assert_stderr!(r, "did you mean `sin`?");
    assert!(!r.stderr.contains("the functions are"), "{}", r.stderr);
}

#[test]
fn a_title_reading_x_is_told_what_a_title_can_read() {
    let r = check(&format!(
        "[vars]\nk = 2\n{PLOT}title = \"at {{x:.1f}}\"\nseries = [{{ y = \"k*x\" }}]\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown name `x`",
        "not here: this expression has one value per frame",
        "names known here: t, duration, fps, frame, pi, tau, e, k"
    );
    // The old hint sent a plot's user to "a plot".
    assert!(!r.stderr.contains("exists only in sources"), "{}", r.stderr);
}

#[test]
fn chart_text_cut_at_the_figure_edge_is_said_once_per_key() {
    let sb = Sandbox::new();
    let long = "a title much too long to fit across a figure this small";
    sb.write(
        "scene.toml",
        format!(
            "[output]\nfps = 4\n{PLOT}title = \"{long} {{t:.1f}}\"\nxlabel = \"{long}\"\n\
             ylabel = \"y\"\nseries = [{{ y = \"x\" }}]\n"
        ),
    );
    let r = sb.run(&["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the `title` of `main` is ",
        "is cut at the figure's edges; a shorter text or a larger `size` shows all of it"
    );
    // Four frames, one warning per key; the short ylabel fits.
    assert_eq!(r.stderr.matches("the `title`").count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("the `xlabel`").count(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains("`ylabel`"), "{}", r.stderr);
    // A bar chart's title too; short texts say nothing.
    sb.write(
        "bars.toml",
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [260, 180]\ntitle = \"{long}\"\n\
             bars = [{{ label = \"a\", value = 1 }}]\n"
        ),
    );
    let r = sb.run(&["frame", "bars.toml", "-t", "0", "-o", "b.png"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "warning: the `title` of `main` is ");
    sb.write(
        "short.toml",
        format!("{PLOT}title = \"Short\"\nseries = [{{ y = \"x\" }}]\n"),
    );
    let r = sb.run(&["frame", "short.toml", "-t", "0", "-o", "s.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

/// A wide table of `rows` bars named r0, r1, … with one column of values.
fn bars_table(sb: &Sandbox, rows: usize) -> String {
    let mut csv = "name,v\n".to_string();
    for i in 0..rows {
        csv.push_str(&format!("r{i},{}\n", 10 + i));
    }
    sb.write("t.csv", csv);
    "[clip.main]\nkind = \"bars\"\nsize = [480, 200]\ncsv = \"t.csv\"\nnames = \"name\"\n"
        .to_string()
}

#[test]
fn more_than_ten_bars_take_new_colours_and_a_shared_one_is_said() {
    let sb = Sandbox::new();
    // 12 bars: the 11th is tab20's light blue, not C0 again.
    let img = sb.frame(&bars_table(&sb, 12), 0.0);
    let has = |c: [u8; 3]| img.pixels().any(|p| p.0 == [c[0], c[1], c[2], 255]);
    assert!(has([0x1f, 0x77, 0xb4]), "C0");
    assert!(has([0xae, 0xc7, 0xe8]), "the 11th bar's light blue");
    assert!(has([0xff, 0xbb, 0x78]), "the 12th bar's light orange");
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("same colour"), "{}", r.stderr);
    // 22 bars: r0 and r20 share one, said with the place of `csv`.
    sb.write("scene.toml", bars_table(&sb, 22));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: bars `r0` and `r20` have the same colour: the colour cycle for bars has 20",
        "scene.toml:4:7",
        "a table of 20 rows or fewer gives each its own"
    );
    // Bars given one by one: only those left to the cycle count.
    let list: Vec<String> = (0..21)
        .map(|i| {
            let color = if i == 0 { ", color = \"black\"" } else { "" };
            format!("{{ label = \"b{i}\", value = 1{color} }}")
        })
        .collect();
    let scene = format!(
        "[clip.main]\nkind = \"bars\"\nsize = [480, 200]\nbars = [{}]\n",
        list.join(", ")
    );
    sb.write("scene.toml", &scene);
    let r = sb.run(&["check", "scene.toml"]);
    assert!(!r.stderr.contains("same colour"), "{}", r.stderr);
    sb.write("scene.toml", scene.replace(", color = \"black\"", ""));
    let r = sb.run(&["check", "scene.toml"]);
    assert_stderr!(
        r,
        "bars `b0` and `b20` have the same colour",
        "hint: give one of them a `color`"
    );
}
