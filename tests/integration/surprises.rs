//! Output that would look wrong is said (issue 17): scaled-up grid cells, invisible
//! text, GIF transparency, the frame rate taken from the content, the progress rate,
//! and the small untruths (grid sizes of 0, legend places, clips used through `from`).

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const LABEL_GRID: &str = r#"
[clip.label]
kind = "text"
text = "Before"
font_size = 16

[clip.panel]
kind = "color"
color = "red"
size = [120, 90]

[clip.main]
kind = "grid"
rows = [["label", "panel"]]
height = HEIGHT
"#;

#[test]
fn a_grid_that_scales_a_cell_up_more_than_twice_says_so() {
    let sb = Sandbox::new();
    sb.write("grid.toml", LABEL_GRID.replace("HEIGHT", "90"));
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 0);
    // The label is about 51×14: 90 px high is more than 6×.
    assert_stderr!(
        r,
        "warning: the grid scales `label` up ",
        "it will look blurred and the grid grows",
        "--> grid.toml:15:10",
        "hint: `height`/`width` sets every cell's size"
    );
    // The timeline shows what the grid made of the cell: its size and the original's.
    assert!(r.stdout.contains("  label  resize  "), "{}", r.stdout);
    assert!(r.stdout.contains("    input  text  "), "{}", r.stdout);
    // The panel is scaled by 1: nothing said about it.
    assert!(!r.stderr.contains("`panel`"), "{}", r.stderr);

    // Twice the size at most: quiet.
    let label_height = {
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains("input  text"))
            .unwrap();
        let size = line.split_whitespace().nth(2).unwrap();
        size.split('x').nth(1).unwrap().parse::<u32>().unwrap()
    };
    sb.write(
        "grid.toml",
        LABEL_GRID.replace("HEIGHT", &(label_height * 2).to_string()),
    );
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn a_grid_height_or_width_of_zero_is_refused() {
    let sb = Sandbox::new();
    sb.write("grid.toml", LABEL_GRID.replace("HEIGHT", "0"));
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: a grid's cells are at least 1 pixel: give `height` or `width` of 1 or more",
        "--> grid.toml:15:10"
    );
    sb.write(
        "grid.toml",
        LABEL_GRID.replace("height = HEIGHT", "width = 0"),
    );
    let r = sb.run(&["check", "grid.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "at least 1 pixel", "--> grid.toml:15:9");
}

#[test]
fn a_wrong_legend_lists_the_places() {
    let sb = Sandbox::new();
    let plot = |legend: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [200, 100]\nseries = [{{ y = \"x\", label = \"a\" }}]\nlegend = {legend}\n"
        )
    };
    sb.write("plot.toml", plot("\"top\""));
    let r = sb.run(&["check", "plot.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: unknown legend place `top`: places are \"upper right\", \"upper left\"",
        "\"center\"",
        "--> plot.toml:5:10"
    );
    sb.write("plot.toml", plot("3"));
    let r = sb.run(&["check", "plot.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: a legend is true, false or a place: \"upper right\"",
        "--> plot.toml:5:10"
    );
    assert!(!r.stderr.contains("untagged"), "{}", r.stderr);
    assert!(!r.stderr.contains("LegendSpec"), "{}", r.stderr);
}

#[test]
fn a_clip_the_root_is_made_from_is_not_unused() {
    let sb = Sandbox::new();
    sb.write(
        "from.toml",
        "[clip.base]\nkind = \"color\"\ncolor = \"red\"\nsize = [32, 32]\nduration = 1\n\n\
         [clip.spare]\nkind = \"color\"\ncolor = \"blue\"\nsize = [8, 8]\n\n\
         [clip.main]\nfrom = \"base\"\n",
    );
    let r = sb.run(&["check", "from.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stdout.contains("unused: base"), "{}", r.stdout);
    // A clip nothing uses still is.
    assert!(
        r.stdout.contains("unused: spare (color, 8x8)"),
        "{}",
        r.stdout
    );
}

/// Runs `animate` with stderr on a pseudo-terminal (through util-linux's `script`), so
/// that the progress bar draws; `None` where `script` is missing.
fn on_terminal(sb: &Sandbox, args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_animate");
    let out = std::process::Command::new("script")
        .args(["-qfec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(sb.path(""))
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_progress_rate_has_one_decimal() {
    let sb = Sandbox::new();
    sb.write("field.toml", crate::util::FIELD);
    let Some(shown) = on_terminal(&sb, "render field.toml -o out.gif") else {
        eprintln!("no `script` to give the render a terminal: not checked");
        return;
    };
    let rates: Vec<&str> = shown
        .split(" frames/s")
        .map(|before| before.rsplit(' ').next().unwrap_or(""))
        .take(shown.matches(" frames/s").count())
        .collect();
    assert!(!rates.is_empty(), "no rate drawn:\n{shown:?}");
    for rate in rates {
        let (whole, frac) = rate.split_once('.').unwrap_or((rate, ""));
        assert!(
            !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) && frac.len() == 1,
            "rate {rate:?} is not like 12.3:\n{shown:?}"
        );
    }
}

#[test]
fn a_number_where_a_name_belongs_is_said_in_words() {
    let sb = Sandbox::new();
    sb.write(
        "text.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"a\"\nalign = 3\n",
    );
    let r = sb.run(&["check", "text.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: expected one of this key's names, in quotes",
        "--> text.toml:4:9"
    );
}
