//! A plot's `annotations`: lines of text at places in the data, moving, changing and
//! fading, with an optional arrow to the point.

use image::RgbaImage;

use crate::plots::unit_box;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// The box (left, top, right, bottom) of the pixels that differ between `a` and `b`.
pub fn changed(a: &RgbaImage, b: &RgbaImage) -> Option<(u32, u32, u32, u32)> {
    let mut bx: Option<(u32, u32, u32, u32)> = None;
    for (x, y, p) in a.enumerate_pixels() {
        if p != b.get_pixel(x, y) {
            bx = Some(match bx {
                None => (x, y, x, y),
                Some((l, t, r, d)) => (l.min(x), t.min(y), r.max(x), d.max(y)),
            });
        }
    }
    bx
}

/// A plot of y = x/2 on 0..10 by 0..5, with `annotations` if given.
fn plot(annotations: &str) -> String {
    let mut s = "[clip.main]\nkind = \"plot\"\nsize = [320, 240]\nduration = 4\nx = [0, 10]\n\
                 xlim = [0, 10]\nylim = [0, 5]\nseries = [{ y = \"x / 2\" }]\n"
        .to_string();
    if !annotations.is_empty() {
        s.push_str(&format!("annotations = [{annotations}]\n"));
    }
    s
}

/// The pixel of data point (x, y) on the axes of `img` (0..10 by 0..5).
fn pixel(img: &RgbaImage, x: f64, y: f64) -> (f64, f64) {
    let b = unit_box(img);
    (b.0 + x / 10.0 * (b.2 - b.0), b.3 - y / 5.0 * (b.3 - b.1))
}

#[test]
fn an_annotation_is_written_at_its_point_as_aligned() {
    let s = Sandbox::new();
    let plain = s.frame(&plot(""), 0.0);
    let (px, py) = pixel(&plain, 6.0, 1.0);
    let left = s.frame(&plot("{ text = \"label\", x = 6, y = 1 }"), 0.0);
    let (l, top, r, bottom) = changed(&plain, &left).expect("drawn");
    assert!(
        (l as f64 - px).abs() <= 2.0,
        "left end at {l}, point at {px}"
    );
    // the baseline is at the point: the letters are above it ("label" has no descender)
    assert!(
        (bottom as f64 - py).abs() <= 2.0 && (top as f64) < py - 5.0,
        "{top}..{bottom} vs {py}"
    );
    let right = s.frame(
        &plot("{ text = \"label\", x = 6, y = 1, align = \"right\" }"),
        0.0,
    );
    let (_, _, r2, _) = changed(&plain, &right).unwrap();
    // (the advance ends a letter's side bearing after its ink)
    assert!(
        (r2 as f64 - px).abs() <= 3.0,
        "right end at {r2}, point at {px}"
    );
    assert!(r > r2 + 15);
    // an offset in points: 20 right and 10 up at 100 dpi (1 point = 100/72 pixels)
    let moved = s.frame(
        &plot("{ text = \"label\", x = 6, y = 1, offset = [20, 10] }"),
        0.0,
    );
    let (l3, _, _, b3) = changed(&plain, &moved).unwrap();
    assert!(
        (l3 as f64 - (px + 20.0 * 100.0 / 72.0)).abs() <= 2.0,
        "{l3}"
    );
    assert!(
        (b3 as f64 - (py - 10.0 * 100.0 / 72.0)).abs() <= 2.0,
        "{b3}"
    );
}

#[test]
fn an_annotation_moves_changes_and_fades_in() {
    let s = Sandbox::new();
    let plain = s.frame(&plot(""), 0.0);
    let scene = plot(
        "{ text = \"x = {x:.1f}\", x = \"2 * t\", y = \"t\", opacity = { keys = [[1, 0], [2, 1]] } }",
    );
    // hidden before its fade starts, there after it
    assert_eq!(s.frame(&scene, 0.5), plain);
    let a = s.frame(&scene, 2.0);
    let b = s.frame(&scene, 3.0);
    let (la, ..) = changed(&plain, &a).expect("shown at t = 2");
    let (lb, ..) = changed(&plain, &b).expect("shown at t = 3");
    let (pa, _) = pixel(&plain, 4.0, 2.0);
    let (pb, _) = pixel(&plain, 6.0, 3.0);
    assert!(
        (la as f64 - pa).abs() <= 2.0 && (lb as f64 - pb).abs() <= 2.0,
        "{la} {lb}"
    );
    // half faded: lighter than at full opacity
    let half = s.frame(&scene, 1.5);
    let darkest = |img: &RgbaImage| {
        img.pixels()
            .map(|p| p[0] as u32 + p[1] as u32 + p[2] as u32)
            .min()
            .unwrap()
    };
    let no_line = |img: &RgbaImage| {
        let mut img = img.clone();
        for (x, y, p) in img.enumerate_pixels_mut() {
            if plain.get_pixel(x, y) != p {
                continue;
            }
            *p = image::Rgba([255, 255, 255, 255]);
        }
        img
    };
    assert!(darkest(&no_line(&half)) > darkest(&no_line(&a)) + 100);
}

#[test]
fn an_arrow_points_from_the_text_to_the_point() {
    let s = Sandbox::new();
    let plain = s.frame(&plot(""), 0.0);
    let text = "{ text = \"here\", x = 4, y = 2, offset = [40, 30] }";
    let without = s.frame(&plot(text), 0.0);
    let with = s.frame(&plot(&text.replace(" }", ", arrow = true }")), 0.0);
    let (l, _, _, bottom) = changed(&without, &with).expect("an arrow");
    let (px, py) = pixel(&plain, 4.0, 2.0);
    // the arrow reaches the point and no further
    assert!(
        (l as f64 - px).abs() <= 2.0 && (bottom as f64 - py).abs() <= 2.0,
        "{l} {bottom} vs {px} {py}"
    );
}

#[test]
fn annotations_take_dates_on_a_date_axis_and_only_there() {
    let s = Sandbox::new();
    let rows: String = (1..=20).map(|d| format!("2024-02-{d:02},{d}\n")).collect();
    s.write("d.csv", format!("day,v\n{rows}"));
    let scene = |x: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [320, 200]\nseries = [{{ csv = \"d.csv\", \
             x = \"day\", y = \"v\" }}]\nannotations = [{{ text = \"{{x:%d %b}}\", x = \"{x}\", y = 10 }}]\n"
        )
    };
    assert_eq!(
        s.frame(&scene("2024-02-10"), 0.0),
        s.frame(&scene("2024-02-09 + 1"), 0.0)
    );
    s.write(
        "numbers.toml",
        plot("{ text = \"a\", x = \"2024-02-10\", y = 1 }"),
    );
    let out = s.run(&["check", "numbers.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "`2024-02-10` in `x` is a date");
}

#[test]
fn bad_annotations_are_errors_at_their_place() {
    let s = Sandbox::new();
    let cases = [
        (
            "{ text = \"a\\nb\", x = 1, y = 1 }",
            "an annotation is one line of text",
        ),
        (
            "{ text = \"a\", x = 1, y = 1, font_size = 0 }",
            "a font size is more than 0",
        ),
        (
            "{ text = \"a\", x = 1, y = 1, offset = [1e9, 0] }",
            "an offset is at most",
        ),
        ("{ text = \"{z}\", x = 1, y = 1 }", "unknown name `z`"),
        ("{ text = \"a\", x = \"q\", y = 1 }", "unknown name `q`"),
        ("{ text = \"a\", x = 1 }", "missing key `y`"),
        (
            "{ text = \"a\", x = 1, y = 1, ha = \"left\" }",
            "did you mean `align`?",
        ),
        (
            "{ text = \"a\", x = 1, y = 1, xytext = [1, 2] }",
            "`offset = [right, up]` here",
        ),
    ];
    for (i, (a, want)) in cases.iter().enumerate() {
        let name = format!("bad{i}.toml");
        s.write(&name, plot(a));
        let out = s.run(&["check", &name]);
        assert_exit!(out, 2);
        assert_stderr!(out, want);
        assert_stderr!(out, &format!("{name}:9:"));
    }
    let many = vec!["{ text = \"a\", x = 1, y = 1 }"; 1001].join(", ");
    s.write("many.toml", plot(&many));
    let out = s.run(&["check", "many.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "1001 annotations: a plot has at most 1000");
}

#[test]
fn an_annotation_without_a_place_draws_nothing() {
    let s = Sandbox::new();
    let plain = s.frame(&plot(""), 0.0);
    for (x, y) in [
        ("ln(t - 5)", "1"),
        ("1", "1 / (t - t)"),
        ("1e308 * 10 + t", "1"),
    ] {
        let scene = plot(&format!(
            "{{ text = \"a\", x = \"{x}\", y = \"{y}\", arrow = true }}"
        ));
        assert_eq!(s.frame(&scene, 0.0), plain, "x = {x}, y = {y}");
    }
}
