//! Dates on a plot's x axis: ISO 8601 CSV cells, matplotlib's date ticks (against a
//! golden image), a reveal date by date, and the error for a cell that is not a date.

use crate::plots::assert_golden;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// Ten days of readings, two a day, times with and without seconds and zones.
fn readings() -> String {
    let mut csv = String::from("when,reading\n");
    for d in 1..=10 {
        csv += &format!("2024-01-{d:02},{}\n", 10 + (d * 7) % 5);
        csv += &format!("2024-01-{d:02}T12:00:00Z,{}\n", 12 + (d * 3) % 4);
    }
    csv
}

fn scene(series: &str) -> String {
    format!(
        "[output]\nfps = 10\n[clip.main]\nkind = \"plot\"\nsize = [400, 240]\nduration = 2\n\
         title = \"Readings\"\ngrid = true\nseries = [{series}]\n"
    )
}

const SERIES: &str = r#"{ csv = "data.csv", x = "when", y = "reading", marker = "o", size = 3 }"#;

#[test]
fn a_date_axis_matches_golden_image() {
    let s = Sandbox::new();
    s.write("data.csv", readings());
    let img = s.frame(&scene(SERIES), 0.0);
    assert_golden("dates_days.png", &img, 24);
}

#[test]
fn a_cell_that_is_not_a_date_names_file_line_and_column() {
    let s = Sandbox::new();
    s.write(
        "data.csv",
        "when,reading\n2024-01-01,1\n2024-01-02,2\n2024-02-30,3\n",
    );
    s.write("scene.toml", scene(SERIES));
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "data.csv, line 4, column `when`: `2024-02-30` is not a date",
        "scene.toml:"
    );
    assert!(!s.path("out.gif").exists());
}

#[test]
fn a_sweep_reveals_the_series_date_by_date() {
    let s = Sandbox::new();
    s.write("data.csv", readings());
    let sweep = r#"{ csv = "data.csv", x = "when", y = "reading", sweep = true, width = 3 }"#;
    // the rightmost column holding the series' blue, per frame
    let frames = s.render_frames(&scene(sweep), &[]);
    assert_eq!(frames.len(), 20);
    let reach: Vec<u32> = frames
        .iter()
        .map(|f| {
            (0..f.width())
                .rev()
                .find(|&x| {
                    (30..200).any(|y| {
                        let p = f.get_pixel(x, y);
                        p[2] > 150 && p[0] < 80 && p[1] < 160
                    })
                })
                .unwrap_or(0)
        })
        .collect();
    for w in reach.windows(2) {
        assert!(w[1] >= w[0], "the line went back: {reach:?}");
    }
    // a steady sweep: halfway through the frames, halfway across the data
    let (first, last) = (reach[1], reach[19]);
    let mid = reach[10];
    assert!(last > first + 200, "{reach:?}");
    let expect = first as f64 + (last - first) as f64 * 9.0 / 18.0;
    assert!((mid as f64 - expect).abs() < 15.0, "{reach:?}");
}

#[test]
fn a_sweep_needs_the_plots_duration() {
    let s = Sandbox::new();
    s.write("data.csv", readings());
    let text = scene(r#"{ csv = "data.csv", x = "when", y = "reading", sweep = true }"#)
        .replace("duration = 2\n", "");
    s.write("scene.toml", text);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`sweep` reveals the rows over the plot's `duration`");
}
