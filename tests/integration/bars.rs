//! `kind = "bars"`: bars from expressions and CSV tables, value labels, and the ranked
//! bar chart race (order by value, sliding swaps, top N), against golden images and
//! by the pixels; and their errors.

use image::RgbaImage;

use crate::plots::assert_golden;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// matplotlib's first three cycle colours.
const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];
const ORANGE: [u8; 3] = [0xff, 0x7f, 0x0e];
const GREEN: [u8; 3] = [0x2c, 0xa0, 0x2c];

fn is(p: &image::Rgba<u8>, c: [u8; 3]) -> bool {
    (0..3).all(|i| p[i].abs_diff(c[i]) <= 6)
}

/// The rows (top, bottom) where column `x` has colour `c`.
fn rows_of(img: &RgbaImage, x: u32, c: [u8; 3]) -> Option<(u32, u32)> {
    let ys: Vec<u32> = (0..img.height())
        .filter(|&y| is(img.get_pixel(x, y), c))
        .collect();
    Some((*ys.first()?, *ys.last()?))
}

/// The columns (left, right) where row `y` has colour `c`.
fn cols_of(img: &RgbaImage, y: u32, c: [u8; 3]) -> Option<(u32, u32)> {
    let xs: Vec<u32> = (0..img.width())
        .filter(|&x| is(img.get_pixel(x, y), c))
        .collect();
    Some((*xs.first()?, *xs.last()?))
}

/// The rows where any pixel has colour `c`.
fn band_of(img: &RgbaImage, c: [u8; 3]) -> Option<(u32, u32)> {
    let ys: Vec<u32> = (0..img.height())
        .filter(|&y| (0..img.width()).any(|x| is(img.get_pixel(x, y), c)))
        .collect();
    Some((*ys.first()?, *ys.last()?))
}

const VERTICAL: &str = r#"
[output]
fps = 10
[clip.main]
kind = "bars"
size = [400, 260]
duration = 1
title = "Votes"
value_labels = "{value:,.0f}"
bars = [
  { label = "north", value = 1000 },
  { label = "south", value = 2000 },
  { label = "east", value = "500 + 1000*t" },
]
"#;

#[test]
fn vertical_bars_match_golden_image() {
    let s = Sandbox::new();
    let img = s.frame(VERTICAL, 0.5);
    assert_golden("bars_vertical_t0.5.png", &img, 24);
}

#[test]
fn bar_heights_follow_their_values() {
    let s = Sandbox::new();
    let img = s.frame(VERTICAL, 0.5);
    let (_, x1) = cols_of(&img, 200, BLUE).expect("the first bar");
    let (x2, _) = cols_of(&img, 200, ORANGE).expect("the second bar");
    let blue = rows_of(&img, x1 - 3, BLUE).unwrap();
    let orange = rows_of(&img, x2 + 3, ORANGE).unwrap();
    let green = band_of(&img, GREEN).unwrap();
    // all bars stand on the same base line
    assert!(blue.1.abs_diff(orange.1) <= 1 && green.1.abs_diff(blue.1) <= 1);
    let h = |(a, b): (u32, u32)| (b - a + 1) as f64;
    // 2000 is twice 1000; "500 + 1000*t" at t = 0.5 is 1000
    assert!(
        (h(orange) / h(blue) - 2.0).abs() < 0.03,
        "{blue:?} {orange:?}"
    );
    assert!(
        (h(green) / h(blue) - 1.0).abs() < 0.03,
        "{blue:?} {green:?}"
    );
    // the axis is chosen over the clip: the tallest value, 2000, has 5 % above it,
    // and the axis is raised by the value labels' line (10 pt text, 16 px, and its
    // 3 pt pad) so that the tallest bar's label stays inside the axes
    let frame_top = (0..260)
        .find(|&y| img.get_pixel(x2 + 3, y)[0] < 60)
        .unwrap();
    let line = (orange.0 - frame_top) as f64 - 0.05 * h(orange);
    assert!((16.0..=24.0).contains(&line), "{line}");
}

#[test]
fn value_labels_sit_past_the_bars_ends() {
    let scene = |labels: &str| {
        format!(
            "[output]\nfps = 10\n[clip.main]\nkind = \"bars\"\nsize = [300, 160]\n\
             orientation = \"horizontal\"\nvlim = [0, 100]\n{labels}\n\
             bars = [{{ label = \"a\", value = 40 }}]\n"
        )
    };
    let s = Sandbox::new();
    let with = s.frame(&scene("value_labels = \"{value:,.0f} units\""), 0.0);
    let without = s.frame(&scene(""), 0.0);
    // the middle of the bar, where its label is centred
    let (top, bottom) = band_of(&with, BLUE).unwrap();
    let y = (top + bottom) / 2;
    let (_, end) = cols_of(&with, y, BLUE).unwrap();
    let ink = |img: &RgbaImage| {
        (end + 2..end + 60)
            .flat_map(|x| (y - 8..y + 8).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y)[0] < 100)
            .count()
    };
    assert!(ink(&with) > 20, "{}", ink(&with));
    assert_eq!(ink(&without), 0);
}

/// Three bars whose order changes: A falls from first to last, C enters from nothing.
const TABLE: &str = "name,y1,y2,y3\nA,30,20,5\nB,20,22,24\nC,,10,40\n";

fn race(extra: &str) -> String {
    format!(
        "[output]\nfps = 10\n[clip.main]\nkind = \"bars\"\nsize = [320, 200]\nduration = 3\n\
         orientation = \"horizontal\"\ncsv = \"t.csv\"\nnames = \"name\"\nrank = true\n{extra}\n"
    )
}

#[test]
fn a_race_orders_bars_by_value_at_each_instant() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    let frames = s.render_frames(&race("swap = 0.3"), &[]);
    assert_eq!(frames.len(), 30);
    let top = |img: &RgbaImage, c| band_of(img, c).map(|b| b.0);
    // first frame: A (30) above B (20); C is 0 and last
    let f = &frames[0];
    assert!(top(f, BLUE).unwrap() < top(f, ORANGE).unwrap());
    // last frame: C (40) first, B (24), A (5) last
    let f = &frames[29];
    let (a, b, c) = (
        top(f, BLUE).unwrap(),
        top(f, ORANGE).unwrap(),
        top(f, GREEN).unwrap(),
    );
    assert!(c < b && b < a, "C {c}, B {b}, A {a}");
}

#[test]
fn an_overtaking_bar_slides_to_its_new_rank() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    let frames = s.render_frames(&race("swap = 0.5"), &[]);
    // B passes A between y1 and y2 (frames 0–14): B's top row moves up gradually
    let tops: Vec<u32> = frames[..16]
        .iter()
        .map(|f| band_of(f, ORANGE).unwrap().0)
        .collect();
    for w in tops.windows(2) {
        assert!(w[1] <= w[0], "B went down: {tops:?}");
        assert!(w[0] - w[1] < 25, "B jumped: {tops:?}");
    }
    let distinct = {
        let mut v = tops.clone();
        v.dedup();
        v.len()
    };
    assert!(distinct >= 4, "B moved in too few steps: {tops:?}");
}

/// A newcomer's race never showed its end settled: the last column was reached at the
/// last frame only, bars still sliding. `hold` shows the last column for its seconds.
#[test]
fn hold_shows_the_last_column_settled_at_the_end() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    let frames = s.render_frames(&race("swap = 0.5\nhold = 1"), &[]);
    assert_eq!(frames.len(), 30);
    // The columns are walked in 2 s (frames 0-19); from 0.5 s after, nothing moves.
    for f in &frames[25..] {
        assert!(f == &frames[29], "the held end changed");
    }
    let top = |img: &RgbaImage, c| band_of(img, c).unwrap().0;
    let f = &frames[29];
    assert!(top(f, GREEN) < top(f, ORANGE) && top(f, ORANGE) < top(f, BLUE));
    // Without `hold` the last frames still move.
    let moving = s.render_frames(&race("swap = 0.5"), &[]);
    assert!(moving[27] != moving[29]);
    // Errors: as long as the clip, and on bars without columns.
    s.write("long.toml", race("hold = 3"));
    let r = s.run(&["check", "long.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "hold must be shorter than the clip's 3 s");
    s.write(
        "one.toml",
        "[clip.main]\nkind = \"bars\"\nsize = [100, 100]\nduration = 1\nhold = 0.5\n\
         bars = [{ label = \"a\", value = 1 }]\n",
    );
    let r = s.run(&["check", "one.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "these bars have no columns to walk through");
}

#[test]
fn top_n_shows_only_the_leaders() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    let frames = s.render_frames(&race("top = 2\nswap = 0"), &[]);
    // at the start C is third: not shown; at the end A is third: not shown
    assert!(band_of(&frames[0], GREEN).is_none());
    assert!(band_of(&frames[0], BLUE).is_some());
    assert!(band_of(&frames[29], BLUE).is_none());
    assert!(band_of(&frames[29], GREEN).is_some());
}

#[test]
fn the_example_race_matches_golden_image() {
    let s = Sandbox::with_example_scenes();
    let r = s.run(&["frame", "scenes/bar_race.toml", "-t", "5", "-o", "race.png"]);
    assert_exit!(r, 0);
    let img = crate::util::read_png(&s.path("race.png"));
    assert_golden("bar_race_t5.png", &img, 24);
}

#[test]
fn errors_name_their_place() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    s.write("bad.csv", "name,y1\nA,12\nB,lots\n");
    let cases: &[(&str, &[&str])] = &[
        (
            "csv = \"bad.csv\"\nnames = \"name\"",
            &["bad.csv, line 3, column `y1`: `lots` is not a number"],
        ),
        (
            "csv = \"t.csv\"\nnames = \"nme\"",
            &["t.csv has no column `nme`", "did you mean `name`?"],
        ),
        ("csv = \"t.csv\"", &["need `names`"]),
        (
            "csv = \"t.csv\"\nnames = \"name\"\ntop = 2",
            &["`top` shows the first bars by rank"],
        ),
        (
            "bars = [{ label = \"a\", value = 1 }]\nvalue_labels = \"{value:,.0q}\"",
            &["unexpected `q`"],
        ),
        (
            "bars = [{ label = \"a\", value = \"2 * nope\" }]",
            &["nope"],
        ),
        ("", &["bars need `bars`"]),
        (
            "bars = [{ label = \"a\", value = 1 }]\ndpi = 0",
            &["dpi must be 1 to 1000"],
        ),
    ];
    for (keys, wants) in cases {
        let scene =
            format!("[clip.main]\nkind = \"bars\"\nsize = [100, 80]\nduration = 1\n{keys}\n");
        s.write("scene.toml", &scene);
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        for w in *wants {
            assert_stderr!(r, w);
        }
        assert_stderr!(r, "scene.toml:");
    }
    // several columns need a duration
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"bars\"\nsize = [100, 80]\ncsv = \"t.csv\"\nnames = \"name\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "3 columns of values", "scene.toml:4:");
}

#[test]
fn a_race_keeps_its_value_axis_with_limits_clip() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    // the value axis's tick labels, under the axes: the same in every frame with
    // "clip", changing as the leader grows with the race's default "frame"
    let labels = |img: &RgbaImage| -> Vec<u8> {
        (175..200)
            .flat_map(|y| (0..320).map(move |x| (x, y)))
            .map(|(x, y)| img.get_pixel(x, y)[0])
            .collect()
    };
    let still = s.render_frames(&race("limits = \"clip\""), &[]);
    assert_eq!(labels(&still[0]), labels(&still[29]));
    let moving = s.render_frames(&race(""), &[]);
    assert_ne!(labels(&moving[0]), labels(&moving[29]));
}

/// Dark grey to black pixels (text, ticks, the frame) in `img`; no bar colour is one.
fn ink(img: &RgbaImage) -> usize {
    img.pixels()
        .filter(|p| p[0] < 100 && p[1] < 100 && p[2] < 100)
        .count()
}

#[test]
fn text_and_ticks_scale_with_dpi() {
    let s = Sandbox::new();
    let at100 = s.frame(VERTICAL, 0.5);
    let at200 = s.frame(
        &VERTICAL.replace("kind = \"bars\"", "kind = \"bars\"\ndpi = 200"),
        0.5,
    );
    let (a, b) = (ink(&at100), ink(&at200));
    assert!(
        b as f64 > 2.0 * a as f64,
        "dark pixels at 200 dpi {b}, at 100 dpi {a}: text twice as large has about 4× the ink"
    );
}

#[test]
fn a_see_through_figure_shows_the_output_background() {
    // Bars on an opaque figure tell the output so (it then skips reading each frame);
    // a figure that is not opaque must still show the output's background.
    let scene = |figure: &str| {
        format!(
            "[output]\nfps = 10\nbackground = \"red\"\n[clip.main]\nkind = \"bars\"\n\
             size = [200, 120]\n{figure}\nbars = [{{ label = \"a\", value = 40 }}]\n"
        )
    };
    let s = Sandbox::new();
    let opaque = s.frame(&scene(""), 0.0);
    assert_eq!(opaque.get_pixel(2, 2).0, [255, 255, 255, 255]);
    let clear = s.frame(&scene("background = \"transparent\""), 0.0);
    assert_eq!(clear.get_pixel(2, 2).0, [255, 0, 0, 255]);
    let half = s.frame(&scene("background = \"#0000ff80\""), 0.0);
    let p = half.get_pixel(2, 2).0;
    assert!(
        p[0] > 100 && p[2] > 100 && p[1] < 10,
        "blue half over red: {p:?}"
    );
}

/// The bottom edge of the axes: the row, in the lower half, with the most dark pixels
/// (the bottom spine).
fn bottom_spine(img: &RgbaImage) -> u32 {
    (img.height() / 2..img.height())
        .max_by_key(|&y| {
            (0..img.width())
                .filter(|&x| img.get_pixel(x, y)[0] < 60)
                .count()
        })
        .unwrap()
}

#[test]
fn bars_sliding_out_of_the_top_n_are_cut_at_the_axes() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    // A slides from first to third (out of the top 2) and C in from third, through the
    // bottom of the axes, over a second. Without the period, whose strip under the
    // last slot would cut them higher (see the close race's test below).
    let frames = s.render_frames(&race("top = 2\nswap = \"1s\"\nperiod = false"), &[]);
    let mut cut = 0;
    for (k, img) in frames.iter().enumerate() {
        let spine = bottom_spine(img);
        let below = (spine + 1..img.height())
            .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y);
                is(p, BLUE) || is(p, ORANGE) || is(p, GREEN)
            })
            .count();
        assert_eq!(
            below, 0,
            "frame {k}: bar colour under the axes (spine at {spine})"
        );
        // a bar reaching the spine: one sliding through the axes' edge
        if (0..img.width()).any(|x| {
            is(img.get_pixel(x, spine - 1), BLUE) || is(img.get_pixel(x, spine - 1), GREEN)
        }) {
            cut += 1;
        }
    }
    assert!(
        cut >= 3,
        "bars seen crossing the bottom of the axes in {cut} frames"
    );
}

/// The period label's grey.
const PERIOD: [u8; 3] = [0x70, 0x70, 0x70];
/// matplotlib's fourth cycle colour.
const RED: [u8; 3] = [0xd6, 0x27, 0x28];

/// The rows of the period label: its strokes are flat grey, at least 5 pixels of it
/// in a row of the right half (text's anti-aliased edges are a few grey pixels at most).
fn period_rows(img: &RgbaImage) -> Option<(u32, u32)> {
    let ys: Vec<u32> = (0..img.height())
        .filter(|&y| {
            (img.width() / 2..img.width())
                .filter(|&x| (0..3).all(|i| img.get_pixel(x, y)[i].abs_diff(PERIOD[i]) <= 4))
                .count()
                >= 5
        })
        .collect();
    Some((*ys.first()?, *ys.last()?))
}

/// Pixels of colour `c` in the box `x0..x1` × `y0..y1`.
fn count(img: &RgbaImage, (x0, x1): (u32, u32), (y0, y1): (u32, u32), c: [u8; 3]) -> usize {
    (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .filter(|&(x, y)| is(img.get_pixel(x, y), c))
        .count()
}

/// A newcomer's close race (values 85–100): the period's big `W3`, in the lower right
/// corner of the axes, was drawn over the bottom bar and hid its value label `97`.
const CLOSE: &str = "team,W1,W2,W3\nA,90,95,99\nB,88,94,100\nC,85,96,98\nD,87,93,97\n";

fn close_race(orientation: &str) -> String {
    format!(
        "[clip.main]\nkind = \"bars\"\nsize = [480, 300]\nduration = 3\n\
         orientation = \"{orientation}\"\ncsv = \"close.csv\"\nnames = \"team\"\nrank = true\n\
         value_labels = \"{{value:.0f}}\"\n"
    )
}

#[test]
fn regression_the_period_label_covered_the_bottom_bars_value_label() {
    let s = Sandbox::new();
    s.write("close.csv", CLOSE);
    let img = s.frame(&close_race("horizontal"), 2.96);
    // D (97), red, is the bottom bar; its label sits past its end, readable: black ink
    // and no period grey in it
    let (top, bottom) = band_of(&img, RED).expect("the bottom bar");
    let (_, end) = cols_of(&img, (top + bottom) / 2, RED).unwrap();
    let label = (end + 1, end + 40);
    let dark = (top..=bottom)
        .flat_map(|y| (label.0..label.1).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0[..3].iter().all(|&v| v < 60))
        .count();
    assert!(dark > 15, "the value label `97` has {dark} dark pixels");
    // the period is there, below every bar (and so every value label)
    let (p_top, _) = period_rows(&img).expect("the period label");
    assert!(count(&img, (0, 480), (0, 300), PERIOD) > 150);
    for c in [BLUE, ORANGE, GREEN, RED] {
        let (_, b) = band_of(&img, c).unwrap();
        assert!(
            b < p_top,
            "a bar reaches row {b}, the period starts at {p_top}"
        );
    }

    // Vertical bars: the period is above every bar and value label.
    let img = s.frame(&close_race("vertical"), 2.96);
    let (_, p_bottom) = period_rows(&img).expect("the period label");
    assert!(count(&img, (0, 480), (0, 300), PERIOD) > 150);
    for c in [BLUE, ORANGE, GREEN, RED] {
        let (t, _) = band_of(&img, c).unwrap();
        // the value label's line above the bar: 10 pt is about 16 px with its pad
        assert!(
            p_bottom + 18 < t,
            "the period ends at row {p_bottom}, a bar starts at {t}"
        );
    }
}

#[test]
fn bars_leaving_the_top_n_stay_out_of_the_periods_strip() {
    let s = Sandbox::new();
    s.write("t.csv", TABLE);
    // 300 pixels high: a strip of 66 pixels fits in a third of the axes (at 200 it
    // does not, and the period is drawn over the bars as before)
    let scene = race("top = 2\nswap = \"1s\"").replace("[320, 200]", "[320, 300]");
    let frames = s.render_frames(&scene, &[]);
    let mut seen = 0;
    for (k, img) in frames.iter().enumerate() {
        let spine = bottom_spine(img);
        let (p_top, _) = period_rows(img).expect("the period label");
        // the strip starts a pad (6 pt, 8 px) above the text
        let strip = (p_top - 7, spine);
        let bars = count(img, (0, 320), strip, BLUE)
            + count(img, (0, 320), strip, ORANGE)
            + count(img, (0, 320), strip, GREEN);
        assert_eq!(bars, 0, "frame {k}: bar colour in the period's strip");
        // a bar cut at the strip's top edge: one sliding out
        if (0..320).any(|x| {
            let p = img.get_pixel(x, p_top - 14);
            is(p, BLUE) || is(p, GREEN)
        }) {
            seen += 1;
        }
    }
    assert!(seen >= 1, "no frame showed a bar sliding out");
}

/// A newcomer's twelve vertical bars on a 480-pixel chart: names ran into each other
/// (`MATLABC++Zig`) and so did the value labels, without a word.
#[test]
fn regression_crowded_bar_names_and_value_labels_ran_together_silently() {
    let names = [
        "Python",
        "JavaScript",
        "Rust",
        "MATLAB",
        "C++",
        "Zig",
        "Go",
        "Java",
        "C",
        "Kotlin",
        "Swift",
        "TypeScript",
    ];
    let scene = |n: usize, orientation: &str| {
        let bars: Vec<String> = names[..n]
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{{ label = \"{name}\", value = {} }}", 205_000 + i * 700))
            .collect();
        format!(
            "[clip.langs]\nkind = \"bars\"\nsize = [480, 300]\norientation = \"{orientation}\"\n\
             value_labels = \"{{value:,.0f}}\"\nbars = [{}]\n",
            bars.join(", ")
        )
    };
    let s = Sandbox::new();
    s.write("scene.toml", scene(12, "vertical"));
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "the bar names of `langs` run together: `",
        "the value labels of `langs` run together: `205,",
        "orientation = \"horizontal\""
    );
    assert_eq!(r.stderr.matches("run together").count(), 2, "{}", r.stderr);
    // the same bars lying down, or four of them, have room
    for scene in [scene(12, "horizontal"), scene(4, "vertical")] {
        s.write("scene.toml", scene);
        let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("run together"), "{}", r.stderr);
    }
}
