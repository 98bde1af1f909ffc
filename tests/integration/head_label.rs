//! A series' `head_label`: text beside the last point shown, reading its `x` and `y`.

use crate::annotations::changed;
use crate::plots::unit_box;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A line y = x over x = 0..10 revealed up to x = 2t, on axes 0..12 by 0..10, with
/// `extra` keys on its series.
fn scene(extra: &str) -> String {
    revealed("x <= 2*t", extra)
}

/// The same line with the rows where `reveal` holds.
fn revealed(reveal: &str, extra: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [320, 240]\nduration = 5\nxlim = [0, 12]\n\
         ylim = [0, 10]\nseries = [{{ csv = \"line.csv\", x = \"x\", y = \"y\", \
         reveal = \"{reveal}\"{extra} }}]\n"
    )
}

fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    let rows: String = (0..=10).map(|i| format!("{i},{i}\n")).collect();
    s.write("line.csv", format!("x,y\n{rows}"));
    s
}

#[test]
fn a_head_label_sits_right_of_the_point_the_line_has_reached() {
    let s = sandbox();
    let plain = scene("");
    let labelled = scene(", head_label = \"{y:.0f} units\"");
    let mut lefts = Vec::new();
    for t in [1.0, 3.0] {
        let without = s.frame(&plain, t);
        let with = s.frame(&labelled, t);
        let (l, top, _, bottom) = changed(&without, &with).expect("the label is drawn");
        let b = unit_box(&with);
        // the head is at x = y = 2t: the label starts a little right of it and is
        // centred on its height
        let head_x = b.0 + 2.0 * t / 12.0 * (b.2 - b.0);
        let head_y = b.3 - 2.0 * t / 10.0 * (b.3 - b.1);
        assert!(
            (l as f64) > head_x && (l as f64) < head_x + 15.0,
            "t = {t}: label from x = {l}, head at {head_x:.1}"
        );
        let middle = (top + bottom) as f64 / 2.0;
        assert!(
            (middle - head_y).abs() < 6.0,
            "t = {t}: label around y = {middle}, head at {head_y:.1}"
        );
        // drawn in the series' colour (C0, #1f77b4): its darkest pixel is blue
        let ink = (l..=l + 40)
            .flat_map(|x| (top..=bottom).map(move |y| (x, y)))
            .map(|(x, y)| with.get_pixel(x.min(with.width() - 1), y))
            .min_by_key(|p| p[0] as u32 + p[1] as u32 + p[2] as u32)
            .unwrap();
        assert!(
            ink[2] > ink[0] + 60,
            "t = {t}: ink {ink:?} is not the series' blue"
        );
        lefts.push(l);
    }
    assert!(
        lefts[1] > lefts[0] + 40,
        "the label follows the head: {lefts:?}"
    );
}

#[test]
fn a_head_label_reads_the_values_and_an_empty_one_draws_nothing() {
    let s = sandbox();
    // the same point, other values: other pictures
    let a = s.frame(&scene(", head_label = \"{y:.0f}\""), 2.0);
    let b = s.frame(&scene(", head_label = \"{y + 1:.0f}\""), 2.0);
    assert_ne!(a, b);
    // `{x}` is the same number as `{y}` on this line
    assert_eq!(a, s.frame(&scene(", head_label = \"{x:.0f}\""), 2.0));
    // a label that writes nothing, and one before any point is shown, draw nothing
    let plain = s.frame(&scene(""), 2.0);
    assert_eq!(plain, s.frame(&scene(", head_label = \"\""), 2.0));
    assert_eq!(
        s.frame(&revealed("x < 0", ""), 1.0),
        s.frame(&revealed("x < 0", ", head_label = \"{y}\""), 1.0)
    );
}

#[test]
fn a_head_label_on_a_date_axis_writes_dates() {
    let s = Sandbox::new();
    let rows: String = (1..=20).map(|d| format!("2024-02-{d:02},{d}\n")).collect();
    s.write("d.csv", format!("day,v\n{rows}"));
    let scene = |label: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [320, 200]\nduration = 4\n\
             xlim = [\"2024-02-01\", \"2024-02-29\"]\nseries = [{{ csv = \"d.csv\", x = \"day\", \
             y = \"v\", sweep = true, head_label = \"{label}\" }}]\n"
        )
    };
    let dated = scene("{x:%d %b}");
    assert_ne!(s.frame(&dated, 1.0), s.frame(&dated, 2.0));
    // a date drawn from the label's format is the one the day number names
    assert_eq!(
        s.frame(&scene("{x:%d %b}"), 0.0),
        s.frame(&scene("01 Feb"), 0.0)
    );
}

#[test]
fn head_label_errors_are_placed_in_the_string() {
    let s = sandbox();
    s.write("a.toml", scene(", head_label = \"{z:.1f}\""));
    let out = s.run(&["check", "a.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "unknown name `z`");
    assert_stderr!(out, "a.toml:7:");
    s.write("b.toml", scene(", head_label = \"{y:%q}\""));
    let out = s.run(&["check", "b.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "`%q` is not a date directive here");
}
