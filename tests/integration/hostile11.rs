//! Found by the hostile-input round 11 (findings F-DA to F-DJ, and its leftovers): measurements of values,
//! log colour scales at the ends of the doubles, long sequences and messages with
//! numbers of hundreds of digits. Each test makes its own inputs.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A sequence of 150 uses of a composite of 1000 layers: 150 150 draws, past the
/// budget of 100 000. The budget was charged clip by clip, and the sequence dropped
/// each clip whose charge failed without a word: it lasted 9.9 s, not 15 s, and showed
/// 99 of its 150 clips.
#[test]
fn regression_a_sequence_past_the_draws_budget_left_out_its_last_clips_silently() {
    let sb = Sandbox::new();
    // A sequence of `n` composites of 1000 layers each.
    let write = |n: usize| {
        let layers = vec!["{ clip = \"a\" }"; 1000].join(", ");
        let clips = vec!["\"b\""; n].join(", ");
        sb.write(
            "scene.toml",
            format!(
                "[output]\nfps = 10\n\n[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\n\
                 duration = 0.1\n\n[clip.b]\nkind = \"composite\"\nlayers = [{layers}]\n\n\
                 [clip.main]\nkind = \"sequence\"\nclips = [{clips}]\n"
            ),
        );
    };
    write(150);
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(r, "at most 100000", "scene.toml:16:");
    assert!(!r.stdout.contains("9.90 s"), "{}", r.stdout);
    // Within the budget the sequence is whole.
    write(99);
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 0);
    assert!(r.stdout.contains("9.90 s (99 frames)"), "{}", r.stdout);
}

/// Filled contours on a log scale of values below the smallest normal double (1e-310):
/// the decades were computed as `10^-311 = 1 / 10^311`, 0, so the levels were 0, 0,
/// … and the field was one flat colour, the colormap's lowest. Values over two decades
/// are drawn in bands, as the same values 1e10 times larger are.
#[test]
fn regression_log_contours_of_values_below_1e_308_drew_one_flat_colour() {
    let sb = Sandbox::new();
    let scene = |scale: &str| {
        format!(
            "[clip.main]\nkind = \"field\"\nsize = [64, 48]\nx = [0, 1]\ny = [0, 1]\n\
             f = \"{scale} * (1 + 99 * x)\"\nnorm = \"log\"\nlevels = 5\n"
        )
    };
    for scale in ["1e-300", "1e-310"] {
        let frame = sb.frame(&scene(scale), 0.0);
        let (left, right) = (frame.get_pixel(2, 24), frame.get_pixel(61, 24));
        assert_ne!(left, right, "{scale} × (1 + 99x) is drawn in one colour");
    }
}

/// The mean of a grid of values near the largest double (`channel = "value"`) was
/// their sum, infinite, divided by their count: infinite, though every value is 1e308.
#[test]
fn regression_the_mean_of_values_near_the_largest_double_was_infinite() {
    let sb = Sandbox::new();
    let frame = sb.frame(
        "[output]\nfps = 5\n\n[clip.grid]\nkind = \"field\"\nsize = [8, 8]\nduration = 1\n\
         x = [0, 1]\ny = [0, 1]\nf = \"1e308\"\n\n[measure.m]\nclip = \"grid\"\n\
         channel = \"value\"\n\n[clip.main]\nkind = \"color\"\ncolor = \"white\"\n\
         size = [4, 4]\nduration = 1\neffects = [{ opacity = \"if(m > 1.5e308, 0, 1)\" }]\n",
        0.0,
    );
    // White when the mean is 1e308; black (the background) when it is infinite.
    assert_eq!(frame.get_pixel(2, 2).0, [255, 255, 255, 255]);
}

/// Numbers of hundreds of digits in messages: a `frame --time 1e300` after the
/// scene's end was told as `-t 1000…000` (301 digits), and a float a key does not take
/// (`weight = 1e308`) as serde writes it, 309 digits.
#[test]
fn regression_a_far_frame_time_and_an_unwanted_huge_float_were_told_in_hundreds_of_digits() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n",
    );
    let r = sb.run(&["frame", "scene.toml", "-t", "1e300", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "-t 1e300 is after the scene's end");
    assert!(r.stderr.len() < 300, "{}", r.stderr);
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 1\nx = [0, 1]\n\
         weight = 1e308\nseries = [{ y = \"x\" }]\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "floating point `1e308`", "scene.toml:6:10");
    assert!(r.stderr.len() < 400, "{}", r.stderr);
}

/// A header nested past the TOML reader's depth (`[clip.main.a0.a1. … .a129]`) was
/// refused as "recursion limit" at the scene's first character: the reader gives no
/// place. The deepest key is pointed at.
#[test]
fn regression_a_header_nested_too_deep_was_placed_at_the_first_character() {
    let sb = Sandbox::new();
    let deep: Vec<String> = (0..130).map(|i| format!("a{i}")).collect();
    sb.write(
        "scene.toml",
        format!(
            "[output]\nfps = 10\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\n\
             duration = 1\n[clip.main.{}]\nfps = 3\n",
            deep.join(".")
        ),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "recursion", "scene.toml:9:1", "nested this deep");
}

/// `[measure]` with `clip = "grid"` under it (one measurement without a name) read
/// `clip` as a measurement's name and said only "invalid type: string, expected a
/// table": the key is named, and the form of a measurement given.
#[test]
fn regression_an_unnamed_measurement_was_told_as_a_type_error() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nfps = 5\n\n[measure]\nclip = \"main\"\n\n[clip.main]\nkind = \"color\"\n\
         color = \"red\"\nsize = [4, 4]\nduration = 1\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`clip` under `[measure]` is not a measurement",
        "scene.toml:5:1",
        "[measure.population]"
    );
}

/// Round 11's leftover: filled contours of values from 5e-324 to 5e-322 (below 1e-288,
/// which the round numbers take as all one value, as matplotlib does) had no level
/// between them, and the field was one flat colour.
#[test]
fn regression_levels_of_values_below_1e_288_drew_one_flat_colour() {
    let sb = Sandbox::new();
    let frame = sb.frame(
        "[clip.main]\nkind = \"field\"\nsize = [64, 48]\nx = [0, 1]\ny = [0, 1]\n\
         f = \"5e-324 * (1 + 99 * x)\"\nlevels = 5\n",
        0.0,
    );
    let colours: std::collections::HashSet<[u8; 4]> =
        (0..64).map(|x| frame.get_pixel(x, 24).0).collect();
    assert!(colours.len() >= 4, "{colours:?}");
}

/// Round 11's leftover: on a field 100 pixels high the colour bar's offset (`+1e6`,
/// above the bar) stood half outside the picture; the bar is lowered to make room.
#[test]
fn regression_a_colour_bar_offset_was_cut_at_the_top_of_a_short_field() {
    let sb = Sandbox::new();
    let frame = sb.frame(
        "[clip.main]\nkind = \"field\"\nsize = [160, 100]\nx = [0, 1]\ny = [0, 1]\n\
         f = \"1000000 + 0.001 * x\"\ncolorbar = true\n",
        0.0,
    );
    // Ink (dark pixels) right of the field, in a row.
    let ink = |y: u32| {
        (80..160).any(|x| {
            frame.get_pixel(x, y).0[..3]
                .iter()
                .map(|&c| c as u32)
                .sum::<u32>()
                < 300
        })
    };
    assert!(!ink(0) && !ink(1), "the offset touches the top edge");
    assert!((2..12).any(ink), "no offset drawn above the bar");
}

/// Round 11's leftover: a plot of a measurement that is infinite at every frame, or of
/// a CSV whose column holds no number, showed empty axes without a word.
#[test]
fn regression_a_series_with_nothing_to_draw_was_silent() {
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nfps = 5\n\n[measure.m]\nclip = \"grid\"\nchannel = \"value\"\nstat = \"max\"\n\n\
         [clip.grid]\nkind = \"field\"\nsize = [8, 8]\nduration = 1\nx = [0, 1]\ny = [0, 1]\n\
         f = \"1e308 * 10\"\n\n[clip.main]\nkind = \"plot\"\nsize = [120, 90]\nduration = 1\n\
         series = [{ measure = \"m\" }]\n",
    );
    let r = sb.run(&["frame", "scene.toml", "-t", "0.8", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "measurement series `m` (line 21, column 23) draws nothing"
    );
    sb.write("n.csv", "x,y\n0,nan\n1,\n");
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [120, 90]\nduration = 1\n\
         series = [{ csv = \"n.csv\", x = \"x\", y = \"y\" }]\n",
    );
    let r = sb.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "no row of `n.csv` has a finite number",
        "scene.toml:5:41"
    );
}
