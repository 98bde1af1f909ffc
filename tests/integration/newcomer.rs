//! What a newcomer met writing scenes from the docs alone: live values in chart texts,
//! dates as axis limits, every error of a scene in one run, and the hints that turn a
//! MoviePy or matplotlib habit into the animate way of writing it.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A plot whose texts are `TITLE`, `XLABEL` and `LABEL`.
const PLOT_TEXTS: &str = r#"
[output]
fps = 10
[clip.main]
kind = "plot"
size = [240, 160]
duration = 2
title = "TITLE"
xlabel = "XLABEL"
x = [0, 6]
ylim = [-1, 1]
legend = true
series = [{ y = "sin(x + t)", label = "LABEL" }]
"#;

fn plot_texts(title: &str, xlabel: &str, label: &str) -> String {
    PLOT_TEXTS
        .replace("TITLE", title)
        .replace("XLABEL", xlabel)
        .replace("LABEL", label)
}

#[test]
fn live_values_in_plot_texts_are_filled_in_per_frame() {
    let sb = Sandbox::new();
    let live = sb.frame(
        &plot_texts("phase = {t:.1f} s", "frame {frame}", "{t:.0f}"),
        1.5,
    );
    // The same picture as the texts written out by hand for t = 1.5.
    let want = sb.frame(&plot_texts("phase = 1.5 s", "frame 15", "2"), 1.5);
    assert!(
        live == want,
        "the live texts differ from their values at t = 1.5"
    );
    // ... and not the picture of the braces drawn literally, nor that of another time.
    let literal = sb.frame(&plot_texts("phase = {{t:.1f}} s", "frame 15", "2"), 1.5);
    assert!(live != literal, "the title was drawn literally");
    let other = sb.frame(&plot_texts("phase = 0.5 s", "frame 5", "0"), 0.5);
    assert!(
        sb.frame(
            &plot_texts("phase = {t:.1f} s", "frame {frame}", "{t:.0f}"),
            0.5
        ) == other
    );
}

const BARS_TITLE: &str = r#"
[output]
fps = 10
[clip.main]
kind = "bars"
size = [240, 160]
duration = 2
title = "TITLE"
bars = [{ label = "a", value = "1 + t" }, { label = "b", value = 2 }]
"#;

#[test]
fn live_values_in_a_bar_chart_title_are_filled_in() {
    let sb = Sandbox::new();
    let live = sb.frame(&BARS_TITLE.replace("TITLE", "Votes at {t:.1f} s"), 1.0);
    let want = sb.frame(&BARS_TITLE.replace("TITLE", "Votes at 1.0 s"), 1.0);
    let literal = sb.frame(&BARS_TITLE.replace("TITLE", "Votes at {{t:.1f}} s"), 1.0);
    assert!(live == want && live != literal);
}

#[test]
fn a_wrong_placeholder_in_a_chart_text_is_an_error_at_its_place() {
    let sb = Sandbox::new();
    sb.write("scene.toml", plot_texts("phase = {tt:.1f}", "x", "a"));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown name `tt`", "scene.toml:8:19");
    sb.write("scene.toml", BARS_TITLE.replace("TITLE", "v {t:.1q}"));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "scene.toml:8:17");
}

const DATE_PLOT: &str = r#"
[clip.main]
kind = "plot"
size = [240, 140]
xlim = XLIM
series = [{ csv = "d.csv", x = "date", y = "v", reveal = "REVEAL" }]
"#;

fn date_csv(sb: &Sandbox) {
    let mut csv = String::from("date,v\n");
    for day in 1..=31 {
        csv += &format!("2024-01-{day:02},{}\n", day % 5);
    }
    sb.write("d.csv", csv);
}

#[test]
fn dates_as_limits_on_a_date_axis_are_days() {
    let sb = Sandbox::new();
    date_csv(&sb);
    let scene =
        |xlim: &str, reveal: &str| DATE_PLOT.replace("XLIM", xlim).replace("REVEAL", reveal);
    // 2024-01-10 is day 19732 since 1970, 2024-01-25 day 19747.
    let dates = sb.frame(
        &scene(r#"["2024-01-10", "2024-01-25"]"#, "x <= 2024-01-20"),
        0.0,
    );
    let days = sb.frame(&scene("[19732, 19747]", "x <= 19742"), 0.0);
    assert!(dates == days, "dates are not read as their day numbers");
    // Not the picture of the reveal ignored (the subtraction 2024 - 1 - 20 hides every row).
    let all = sb.frame(&scene("[19732, 19747]", "x <= 19755"), 0.0);
    assert!(dates != all);
}

#[test]
fn a_date_where_numbers_are_is_an_error_not_a_subtraction() {
    let sb = Sandbox::new();
    date_csv(&sb);
    // A function plot has a number axis: the date is refused at its place.
    sb.write(
        "f.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [200, 100]\nx = [0, 1]\nxlim = [\"2024-01-15\", 2]\nseries = [{ y = \"x\" }]\n",
    );
    let r = sb.run(&["check", "f.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: `2024-01-15` in `xlim` is a date, but the x axis holds numbers",
        "f.toml:5:9",
        "to subtract, write spaces: `2024 - 1 - 15`"
    );
    // y is never a date axis.
    sb.write(
        "scene.toml",
        DATE_PLOT
            .replace("XLIM", "[19732, 19747]")
            .replace("REVEAL", "i < 4")
            .replace(
                "size = [240, 140]",
                "size = [240, 140]\nylim = [0, \"2024-1-5\"]",
            ),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`2024-1-5` in `ylim` is a date, but the y axis holds numbers",
        "scene.toml:5:13"
    );
    // A time inside an expression is refused with the way to write it.
    sb.write(
        "scene.toml",
        DATE_PLOT
            .replace("XLIM", "[19732, 19747]")
            .replace("REVEAL", "x < 2024-01-20T12:00"),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "its time cannot be written here",
        "`2024-01-20 + 12/24`",
        "scene.toml:6:63"
    );
}

const EFFECTS: &str = r#"
[clip.c]
kind = "color"
color = [200, 100, 50]
size = [8, 8]
duration = 1
[clip.main]
from = "c"
effects = EFFECTS
"#;

#[test]
fn every_wrong_entry_of_an_effects_list_is_reported_in_one_run() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        EFFECTS.replace(
            "EFFECTS",
            r#"[{ gausian_blur = 2 }, { opacity = 1.5 }, "fadein"]"#,
        ),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown effect `gausian_blur`",
        "scene.toml:9:14",
        "opacity must be between 0 and 1, not 1.5",
        "unknown effect `fadein`",
        "did you mean `fade_in`?",
        "scene.toml:9:53"
    );
    // In file order.
    let (a, b, c) = (
        r.stderr.find("gausian").unwrap(),
        r.stderr.find("1.5").unwrap(),
        r.stderr.find("`fadein`").unwrap(),
    );
    assert!(a < b && b < c, "{}", r.stderr);
}

#[test]
fn effects_whose_arguments_are_all_optional_may_be_bare() {
    let sb = Sandbox::new();
    // Left at their defaults both change nothing: the colour comes through.
    let img = sb.frame(
        &EFFECTS.replace("EFFECTS", r#"["adjust_gamma", "lum_contrast"]"#),
        0.0,
    );
    crate::util::assert_px(&img, 4, 4, [200, 100, 50, 255], 1);
}

#[test]
fn a_layout_with_a_wrong_key_still_reports_every_clip_it_cannot_find() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\", positon = \"center\" }, { clip = \"b\" }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown clip `a`",
        "scene.toml:3:20",
        "unknown key `positon`",
        "did you mean `position`?",
        "unknown clip `b`",
        "scene.toml:3:56"
    );
}

#[test]
fn matplotlib_keys_in_a_series_are_each_told_their_animate_name() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        r#"[clip.main]
kind = "plot"
size = [200, 100]
titel = "x"
x = [0, 1]
series = [{ y = "x", lw = 2, linestyle = "--", alpha = 0.5 }]
"#,
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown key `titel`",
        "did you mean `title`?",
        "did you mean `width`? (matplotlib's `lw` is `width` here)",
        "did you mean `dash`? (matplotlib's `linestyle` is `dash` here)",
        "did you mean `opacity`? (matplotlib's `alpha` is `opacity` here)",
        "scene.toml:6:48"
    );
}

#[test]
fn every_broken_series_is_reported_with_the_python_habit_it_shows() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        r#"[clip.main]
kind = "plot"
size = [200, 100]
x = [0, 1]
series = [{ y = "np.sinc(x**2)" }, { y = "x ** 2 if x > 0 else 0" }, { y = "sin(x" }]
"#,
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unexpected character `.`",
        "names have no module prefix here: write `sinc`, not `np.sinc`",
        "expected an operator, found `if`",
        "Python's `a if c else b` is written `if(c, a, b)` here",
        "this `(` is never closed",
        "scene.toml:5:80"
    );
}

#[test]
fn a_percentage_is_told_that_percent_is_the_remainder() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.c]\nkind = \"color\"\ncolor = \"red\"\nsize = [10, 10]\n[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"c\", opacity = \"40%\" }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`%` is the remainder here, not percent: write 40 % as 0.4"
    );
}

#[test]
fn matplotlib_cycle_colours_are_accepted() {
    let sb = Sandbox::new();
    let scene = |color: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [120, 80]\nx = [0, 1]\nylim = [-1, 1]\nseries = [{{ y = \"0\", width = 8, color = \"{color}\" }}]\n"
        )
    };
    let want = sb.frame(&scene("#ff7f0e"), 0.0);
    assert!(sb.frame(&scene("C1"), 0.0) == want);
    assert!(sb.frame(&scene("tab:orange"), 0.0) == want);
    assert!(sb.frame(&scene("tab:green"), 0.0) != want);
    // the legend's automatic place is not guessed: the message says what to write
    sb.write("scene.toml", scene("C1") + "legend = \"best\"\n");
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`best` (matplotlib's automatic place) is not chosen here",
        "\"upper right\""
    );
}

#[test]
fn a_layer_opacity_out_of_range_is_an_error_like_the_effects() {
    let sb = Sandbox::new();
    let scene = |opacity: &str| {
        format!("[clip.c]\nkind = \"color\"\ncolor = \"red\"\nsize = [10, 10]\nduration = 1\n[clip.main]\nkind = \"composite\"\nlayers = [{{ clip = \"c\", opacity = {opacity} }}]\n")
    };
    sb.write("scene.toml", scene("40"));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "a layer's opacity is from 0 to 1, not 40",
        "scene.toml:8:35",
        "0.4 for 40 %"
    );
    // Animated values may pass 1: they are clamped at each frame, as documented.
    sb.write("scene.toml", scene("\"2*t\""));
    assert_exit!(sb.run(&["check", "scene.toml"]), 0);
}

#[test]
fn reveal_on_a_function_says_to_animate_its_range() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nx = [0, 3]\nseries = [{ y = \"sin(x)\", reveal = \"x <= pi*t\" }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`reveal` is for CSV series",
        "for a function, animate the range it is drawn over: `x = [0, \"pi*t\"]`"
    );
}

#[test]
fn mask_color_takes_a_colour_alone_as_the_article_writes_it() {
    let sb = Sandbox::new();
    let scene = |arg: &str| {
        format!("[output]\nbackground = \"transparent\"\n[clip.c]\nkind = \"color\"\ncolor = \"white\"\nsize = [8, 8]\nduration = 1\n[clip.main]\nfrom = \"c\"\neffects = [{{ mask_color = {arg} }}]\n")
    };
    let table = sb.frame(&scene("{ color = [255, 255, 255] }"), 0.0);
    crate::util::assert_px(&table, 3, 3, [0, 0, 0, 0], 0);
    assert!(sb.frame(&scene("[255, 255, 255]"), 0.0) == table);
    assert!(sb.frame(&scene("\"white\""), 0.0) == table);
    // A wrong component is still said where it is.
    sb.write("scene.toml", scene("[255, 255, 300]"));
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "colour component 300 is outside 0..255");
}

#[test]
fn a_clip_table_without_a_name_is_told_once() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip]\nkind = \"color\"\ncolor = \"red\"\nsize = [10, 10]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`kind` is under `[clip]`, which holds named clips: name the clip",
        "scene.toml:2:1",
        "write `[clip.main]` (any name), not `[clip]`"
    );
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
}

#[test]
fn sizes_with_a_unit_and_flat_grid_rows_say_what_to_write() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [\"500px\", 300]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the width is in pixels, without a unit: write 500",
        "scene.toml:4:9"
    );

    sb.write(
        "scene.toml",
        "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [10, 10]\n[clip.main]\nkind = \"grid\"\nrows = [\"a\", \"a\"]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`rows` is a list of rows, each a list of clip names",
        "scene.toml:7:9",
        "one row: rows = [[\"a\", \"a\"]]; one column: rows = [[\"a\"], [\"a\"]]"
    );
}

#[test]
fn matplotlibs_point_marker_is_told_to_be_a_small_circle() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nx = [0, 1]\nseries = [{ y = \"x\", marker = \".\" }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "scene.toml:5:31",
        "matplotlib's `.` (a point) is a small circle here: marker = \"circle\" with a small `size`"
    );
}
