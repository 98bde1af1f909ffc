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
    let live = sb.frame(&plot_texts("phase = {t:.1f} s", "frame {frame}", "{t:.0f}"), 1.5);
    // The same picture as the texts written out by hand for t = 1.5.
    let want = sb.frame(&plot_texts("phase = 1.5 s", "frame 15", "2"), 1.5);
    assert!(live == want, "the live texts differ from their values at t = 1.5");
    // ... and not the picture of the braces drawn literally, nor that of another time.
    let literal = sb.frame(&plot_texts("phase = {{t:.1f}} s", "frame 15", "2"), 1.5);
    assert!(live != literal, "the title was drawn literally");
    let other = sb.frame(&plot_texts("phase = 0.5 s", "frame 5", "0"), 0.5);
    assert!(sb.frame(&plot_texts("phase = {t:.1f} s", "frame {frame}", "{t:.0f}"), 0.5) == other);
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
