//! `[measure.NAME]`: a statistic of a clip's frames, read by expressions, text and
//! plot series, and the errors in such tables.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A 10×1 strip whose columns turn white one by one: the column at x = k/9 is white
/// once t > k/9. Measured, its count of white pixels drives a white square's opacity.
const COUNTED: &str = r#"
[output]
fps = 10

[measure.lit]
clip = "strip"
stat = "count_above"

[clip.strip]
kind = "field"
size = [10, 1]
duration = 1
x = [0, 1]
y = [0, 1]
resolution = [10, 1]
interpolation = "nearest"
colormap = "gray"
vmin = 0
vmax = 1
f = "x < t"

[clip.main]
kind = "color"
color = "white"
size = [4, 4]
duration = 1
effects = [{ opacity = "lit / 10" }]
"#;

#[test]
fn a_count_of_white_pixels_drives_an_expression_in_every_frame() {
    let s = Sandbox::new();
    let frames = s.render_frames(COUNTED, &[]);
    assert_eq!(frames.len(), 10);
    for (i, f) in frames.iter().enumerate() {
        let t = i as f64 / 10.0;
        let lit = (0..10).filter(|k| (*k as f64 / 9.0) < t).count();
        let want = 255.0 * lit as f64 / 10.0;
        let got = f.get_pixel(1, 1)[0] as f64;
        assert!(
            (got - want).abs() <= 1.5,
            "frame {i}: {got}, want {want} ({lit} lit)"
        );
    }
    // One frame alone measures too.
    let one = s.frame(COUNTED, 0.5);
    assert!((one.get_pixel(1, 1)[0] as f64 - 127.5).abs() <= 1.5);
}

#[test]
fn each_statistic_and_channel() {
    // A 2×1 picture: one pixel rgb(200, 100, 50), one transparent.
    let s = Sandbox::new();
    let cases: [(&str, f64); 6] = [
        (r#"stat = "mean", channel = "red""#, 100.0),
        (r#"stat = "max", channel = "green""#, 100.0),
        (r#"stat = "min", channel = "alpha""#, 0.0),
        (r#"stat = "sum_alpha""#, 1.0),
        (
            r#"stat = "fraction_above", channel = "blue", threshold = 10"#,
            0.5,
        ),
        // Rec. 709 luma of (200, 100, 50): 42.5 + 71.5 + 3.6 = 118.
        (r#"stat = "count_above", threshold = 117"#, 1.0),
    ];
    for (keys, want) in cases {
        let keys = keys.replace(", ", "\n");
        let scene = format!(
            r#"
[output]
fps = 10
[measure.m]
clip = "pair"
{keys}
[clip.dot]
kind = "color"
color = [200, 100, 50]
size = [1, 1]
duration = 1
[clip.pair]
kind = "composite"
size = [2, 1]
layers = [{{ clip = "dot" }}]
[clip.main]
kind = "color"
color = "white"
size = [2, 2]
duration = 1
effects = [{{ opacity = "m / 255 * 255 / {scale}" }}]
"#,
            scale = if want > 1.0 { 255.0 } else { 1.0 }
        );
        let f = s.frame(&scene, 0.0);
        let got = f.get_pixel(0, 0)[0] as f64;
        let expect = if want > 1.0 { want } else { 255.0 * want };
        assert!((got - expect).abs() <= 1.5, "{keys}: {got}, want {expect}");
    }
}

/// A grey clip measured (mean 100) and plotted against time.
const PLOTTED: &str = r#"
[output]
fps = 10

[measure.grey]
clip = "g"

[clip.g]
kind = "color"
color = [100, 100, 100]
size = [2, 2]
duration = 2

[clip.main]
kind = "plot"
size = [300, 200]
duration = 2
xlim = [0, 2]
ylim = [0, 200]
series = [{ measure = "grey", width = 3 }]
"#;

/// Columns where the plot's blue line shows.
fn blue_columns(img: &image::RgbaImage) -> Vec<u32> {
    (0..img.width())
        .filter(|&x| {
            (0..img.height()).any(|y| {
                let p = img.get_pixel(x, y);
                p[2] as i32 - p[0] as i32 > 60
            })
        })
        .collect()
}

#[test]
fn a_plot_series_of_a_measurement_is_revealed_up_to_t() {
    let s = Sandbox::new();
    // The axes span x = 37.5..270 px for t = 0..2 s (matplotlib's subplot fractions).
    let half = blue_columns(&s.frame(PLOTTED, 1.0));
    let full = blue_columns(&s.frame(PLOTTED, 1.95));
    assert!(!half.is_empty() && !full.is_empty());
    let (h0, h1) = (half[0], *half.last().unwrap());
    let f1 = *full.last().unwrap();
    assert!(h0 < 45, "starts at t = 0: {h0}");
    assert!((145..=162).contains(&h1), "ends at t = 1: {h1}");
    assert!(f1 > 255, "ends near t = 1.9: {f1}");
    // The value: y = 100 of 0..200 is the middle row of the axes.
    let img = s.frame(PLOTTED, 1.0);
    let rows: Vec<u32> = (0..200)
        .filter(|&y| {
            let p = img.get_pixel(100, y);
            p[2] as i32 - p[0] as i32 > 60
        })
        .collect();
    let mid = (rows[0] + rows[rows.len() - 1]) as f64 / 2.0;
    // Halfway between the axes' top and bottom spines (black rows in that column).
    // (Column 180 has no tick label under it.)
    let spines: Vec<u32> = (0..200)
        .filter(|&y| img.get_pixel(180, y)[0] < 60)
        .collect();
    let middle = (spines[0] + spines[spines.len() - 1]) as f64 / 2.0;
    assert!((mid - middle).abs() <= 1.5, "{mid} vs {middle}");
}

#[test]
fn text_shows_a_measurement_and_check_lists_it() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        format!(
            "{COUNTED}\n[clip.label]\nkind = \"text\"\ntext = \"{{lit:.0f}} lit\"\nfont_size = 12\n"
        ),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("measure: lit (of `strip`"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("unused: strip"), "{}", r.stdout);
    assert!(!r.stdout.contains("unused: main"), "{}", r.stdout);
}

fn fails(scene: &str, texts: &[&str]) {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    for t in texts {
        assert_stderr!(r, *t);
    }
}

const BASE: &str = r#"
[clip.a]
kind = "color"
color = "red"
size = [2, 2]
duration = 1
"#;

#[test]
fn errors_point_at_their_place() {
    fails(
        &format!("[measure.m]\nclip = \"b\"\n{BASE}"),
        &["unknown clip `b`", "scene.toml:2:8", "clips defined: a"],
    );
    fails(
        &format!("[measure.m]\nclip = \"a\"\nstat = \"median\"\n{BASE}"),
        &["median", "scene.toml:3:8", "count_above"],
    );
    fails(
        &format!("[measure.m]\nclip = \"a\"\nstats = \"mean\"\n{BASE}"),
        &["stats", "scene.toml:3:1"],
    );
    fails(
        &format!("[measure.t]\nclip = \"a\"\n{BASE}"),
        &["`t` is a built-in name", "scene.toml:1:10"],
    );
    fails(
        &format!("[vars]\nm = 1\n[measure.m]\nclip = \"a\"\n{BASE}"),
        &["`m` is both a var and a measurement", "scene.toml:3:10"],
    );
    // A clip cannot use a measurement of itself: its pass would wait for itself.
    fails(
        &format!("[measure.m]\nclip = \"a\"\n{BASE}effects = [{{ opacity = \"m / 255\" }}]\n"),
        &[
            "measurement `m` cannot be used here",
            "scene.toml:9:25",
            "`m` measures clip `a`",
        ],
    );
    fails(
        "[measure.m]\nclip = \"a\"\n[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
        &["clip `a` lasts for ever", "scene.toml:2:8", "duration"],
    );
    fails(
        &format!(
            "[measure.m]\nclip = \"a\"\n{BASE}[clip.p]\nkind = \"plot\"\nsize = [100, 100]\nseries = [{{ measure = \"n\" }}]\n"
        ),
        &["unknown measurement `n`", "scene.toml:12:23", "measurements: m"],
    );
    fails(
        &format!(
            "[measure.m]\nclip = \"a\"\n{BASE}[clip.p]\nkind = \"plot\"\nsize = [100, 100]\nseries = [{{ measure = \"m\", csv = \"d.csv\" }}]\n"
        ),
        &["`csv` is not for a measurement series"],
    );
}

/// Found when the measurement and sound branches met: the wrapper that runs the
/// measurement pass before the first frame dropped the root's sound.
#[cfg(feature = "video")]
#[test]
fn regression_a_scene_with_a_measurement_keeps_its_sound() {
    use crate::sound_util::{clicks, hear, mono, write_wav};
    let s = Sandbox::new();
    write_wav(
        &s.path("beep.wav"),
        48000,
        1,
        &mono(48000, 1.0, clicks(vec![0.5])),
    );
    s.write(
        "scene.toml",
        r#"
[output]
fps = 10

[measure.lit]
clip = "grey"
stat = "mean"

[clip.grey]
kind = "color"
color = "grey"
size = [16, 16]
duration = 1

[clip.sound]
kind = "audio"
path = "beep.wav"

[clip.main]
kind = "composite"
layers = [{ clip = "grey", opacity = "lit / 255" }, { clip = "sound" }]
"#,
    );
    assert_exit!(s.run(&["render", "scene.toml", "-o", "out.mp4", "-q"]), 0);
    let heard = hear(&s.path("out.mp4")).expect("the output has a sound stream");
    let onsets = heard.onsets();
    assert_eq!(onsets.len(), 1, "onsets {onsets:?}");
    assert!((onsets[0] - 0.5).abs() <= 0.001, "onsets {onsets:?}");
}

/// Found by a tester writing from the docs: a measured clip without `duration` was
/// reported, and then every reader of the measurement added "measurement `m` has no
/// values: clip `cells` has errors" — which blamed a clip that had none. The
/// measurement's own error is the one to read; its readers (an expression, a text, a
/// plot series) fail with it silently.
#[test]
fn regression_a_measurement_without_duration_blamed_its_clip_in_a_second_error() {
    let forever = "[output]\nfps = 10\nduration = 2\n[measure.population]\nclip = \"cells\"\n\
                   [clip.cells]\nkind = \"color\"\ncolor = \"white\"\nsize = [20, 20]\n";
    let readers = [
        "[clip.main]\nkind = \"text\"\ntext = \"{population}\"\n",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\neffects = [{ opacity = \"population / 400\" }]\n",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nseries = [{ measure = \"population\" }]\n",
    ];
    for reader in readers {
        let s = Sandbox::new();
        s.write("scene.toml", format!("{forever}{reader}"));
        for args in [
            &["check", "scene.toml"][..],
            &["render", "scene.toml", "-o", "out.gif"],
        ] {
            let r = s.run(args);
            assert_exit!(r, 2);
            assert_stderr!(
                r,
                "error: measurement `population`: clip `cells` lasts for ever, so it has no last frame to measure up to",
                "scene.toml:5:8",
                "give the measured clip a `duration`"
            );
            assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
            assert!(!r.stderr.contains("has no values"), "{}", r.stderr);
        }
    }
    // A measured clip with errors of its own: those are the errors, once.
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[measure.m]\nclip = \"a\"\n[clip.a]\nkind = \"color\"\ncolor = \"rde\"\nsize = [2, 2]\nduration = 1\n\
         [clip.main]\nkind = \"text\"\ntext = \"{m}\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "scene.toml:5:9");
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
    assert!(!r.stderr.contains("has no values"), "{}", r.stderr);
}

/// Regression (harden6, item 5): a clip that reads a failed measurement failed silently
/// beside the measurement's error, so nothing said which clips were left out. The
/// measurement's error (its table's, or its clip's own) now also shows, as a note, where
/// a clip reads it; still one error, blaming no one else.
#[test]
fn regression_a_clip_reading_a_failed_measurement_was_not_shown() {
    let forever = "[output]\nfps = 10\nduration = 2\n[measure.population]\nclip = \"cells\"\n\
                   [clip.cells]\nkind = \"color\"\ncolor = \"white\"\nsize = [20, 20]\n";
    let readers = [
        ("[clip.main]\nkind = \"text\"\ntext = \"{population}\"\n", "scene.toml:12:"),
        (
            "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\neffects = [{ opacity = \"population / 400\" }]\n",
            "scene.toml:14:",
        ),
        (
            "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nseries = [{ measure = \"population\" }]\n",
            "scene.toml:13:",
        ),
    ];
    for (reader, place) in readers {
        let s = Sandbox::new();
        s.write("scene.toml", format!("{forever}{reader}"));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "error: measurement `population`: clip `cells` lasts for ever",
            "scene.toml:5:8",
            "note: clip `main` reads measurement `population` here, and cannot be made without it",
            place
        );
        assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
    }
    // A measured clip with errors of its own: the first of them names the readers.
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[measure.m]\nclip = \"a\"\n[clip.a]\nkind = \"color\"\ncolor = \"rde\"\nsize = [2, 2]\nduration = 1\n\
         [clip.main]\nkind = \"grid\"\nrows = [[\"b\", \"c\"]]\n\
         [clip.b]\nkind = \"text\"\ntext = \"{m}\"\n[clip.c]\nkind = \"text\"\ntext = \"{m + 1}\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "scene.toml:5:9",
        "note: clip `b` reads measurement `m` here",
        "scene.toml:13:",
        "note: clip `c` reads measurement `m` here",
        "scene.toml:16:"
    );
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
}

/// A simulation whose frame k holds u = x + k on a 10×4 grid (x = 0…9), drawn large
/// with a colour bar and a title: its pixels say little of its numbers.
fn counted_cells(measures: &str, opacity: &str) -> String {
    format!(
        r#"
[output]
fps = 10

{measures}

[clip.sim]
kind = "simulation"
size = [200, 80]
grid = [10, 4]
duration = 1
init = {{ u = "x" }}
step = ["u = u + 1"]
show = "u"
colorbar = true
title = "u"

[clip.main]
kind = "color"
color = "white"
size = [4, 4]
duration = 1
effects = [{{ opacity = "{opacity}" }}]
"#
    )
}

#[test]
fn a_measurement_of_values_reads_a_simulations_numbers_not_its_pixels() {
    let s = Sandbox::new();
    // At t = 0.5, frame 5: u = x + 5, from 5 to 14, 40 cells.
    for (stat, threshold, opacity, want) in [
        ("mean", "", "m / 20", 9.5 / 20.0),
        ("sum", "", "m / 1000", 380.0 / 1000.0),
        ("min", "", "m / 20", 5.0 / 20.0),
        ("max", "", "m / 20", 14.0 / 20.0),
        ("count_above", "threshold = 7", "m / 40", 28.0 / 40.0),
        ("fraction_above", "threshold = 7", "m", 0.7),
    ] {
        let measures = format!(
            "[measure.m]\nclip = \"sim\"\nchannel = \"value\"\nstat = \"{stat}\"\n{threshold}\n"
        );
        let img = s.frame(&counted_cells(&measures, opacity), 0.5);
        let got = img.get_pixel(1, 1)[0] as f64;
        assert!(
            (got - 255.0 * want).abs() <= 1.5,
            "{stat}: {got}, want {}",
            255.0 * want
        );
    }
    // Every frame of a render, and a pixel measurement of the same clip beside it.
    let measures =
        "[measure.m]\nclip = \"sim\"\nchannel = \"value\"\n\n[measure.lum]\nclip = \"sim\"\n";
    let frames = s.render_frames(
        &counted_cells(measures, "if(lum > 0 and lum < 255, m / 20, 0)"),
        &[],
    );
    assert_eq!(frames.len(), 10);
    for (k, f) in frames.iter().enumerate() {
        let want = 255.0 * (4.5 + k as f64) / 20.0;
        let got = f.get_pixel(1, 1)[0] as f64;
        assert!((got - want).abs() <= 1.5, "frame {k}: {got}, want {want}");
    }
}

#[test]
fn a_measurement_of_values_reads_a_fields_numbers_and_leaves_nan_out() {
    // f = x on 10 columns from 0 to 9, NaN where x > 5.5: the mean of 0…5 is 2.5.
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10

[measure.m]
clip = "f"
channel = "value"

[clip.f]
kind = "field"
size = [40, 20]
duration = 1
x = [0, 9]
y = [0, 1]
resolution = [10, 2]
f = "if(x > 5.5, sqrt(-1), x)"

[clip.main]
kind = "color"
color = "white"
size = [4, 4]
duration = 1
effects = [{ opacity = "m / 10" }]
"#;
    let img = s.frame(scene, 0.0);
    let got = img.get_pixel(1, 1)[0] as f64;
    assert!((got - 255.0 * 0.25).abs() <= 1.5, "{got}");
}

#[test]
fn a_measurement_of_values_of_a_picture_or_without_its_threshold_is_refused() {
    let with = |measure: &str, extra: &str| {
        format!(
            "{}\n[clip.framed]\nfrom = \"sim\"\neffects = [\"mirror_x\"]\n{extra}",
            counted_cells(measure, "1")
        )
    };
    fails(
        &with("[measure.m]\nclip = \"framed\"\nchannel = \"value\"\n", ""),
        &[
            "measurement `m`: clip `framed`",
            "draws a picture, not numbers",
            "scene.toml:7:11",
            "measure the field or simulation clip itself",
        ],
    );
    fails(
        &with(
            "[measure.m]\nclip = \"sim\"\nchannel = \"value\"\nstat = \"count_above\"\n",
            "",
        ),
        &[
            "`count_above` of values needs a `threshold`",
            "scene.toml:8:8",
        ],
    );
    fails(
        &with(
            "[measure.m]\nclip = \"sim\"\nchannel = \"value\"\nstat = \"sum_alpha\"\n",
            "",
        ),
        &["`sum_alpha` adds up pixels' coverage", "`stat = \"sum\"`"],
    );
}
