//! Text whose look changes over time: keyframed or expression font sizes, colours,
//! outlines and line spacing; the box that holds the largest of them; padding from
//! `[vars]`; and errors in all of these.

use image::RgbaImage;

use crate::util::{assert_px, find_inside, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A scene with a transparent canvas and one text clip made of `keys`.
fn scene(keys: &str) -> String {
    format!("[output]\nbackground = \"transparent\"\n[clip.t]\nkind = \"text\"\n{keys}\n")
}

/// The inked rows and columns of a frame: (top, bottom, left, right), inclusive.
fn ink_box(img: &RgbaImage) -> Option<(u32, u32, u32, u32)> {
    let inked = |x: u32, y: u32| img.get_pixel(x, y)[3] > 0;
    let rows: Vec<u32> = (0..img.height())
        .filter(|&y| (0..img.width()).any(|x| inked(x, y)))
        .collect();
    let cols: Vec<u32> = (0..img.width())
        .filter(|&x| (0..img.height()).any(|y| inked(x, y)))
        .collect();
    Some((*rows.first()?, *rows.last()?, *cols.first()?, *cols.last()?))
}

#[test]
fn a_keyframed_font_size_grows_the_text_in_a_box_as_large_as_the_largest() {
    let s = Sandbox::new();
    // 20 px at the start, 40 px from half a second on
    let keys = "text = \"Hg\"\nduration = 1\n\
                font_size = { keys = [[0, 20], [0.5, 40]], ease = \"in-out-cubic\" }";
    let live = scene(keys);
    let small = s.frame(&live, 0.0);
    let mid = s.frame(&live, 0.25);
    let large = s.frame(&live, 1.0);
    assert_eq!(small.dimensions(), large.dimensions());
    assert_eq!(small.dimensions(), mid.dimensions());
    let height = |f: &RgbaImage| {
        let (top, bottom, _, _) = ink_box(f).unwrap();
        bottom - top + 1
    };
    let ratio = height(&large) as f64 / height(&small) as f64;
    assert!((1.85..=2.15).contains(&ratio), "ink heights {ratio}");
    assert!(height(&mid) > height(&small) && height(&mid) < height(&large));

    // Each frame is the text drawn at that size, placed in the box: the box is exactly
    // the largest text, and the smaller one sits at its middle.
    let static_at = |size: u32| s.frame(&scene(&format!("text = \"Hg\"\nfont_size = {size}")), 0.0);
    let at_40 = static_at(40);
    assert_eq!(large.dimensions(), at_40.dimensions());
    assert_eq!(large, at_40);
    let at_20 = static_at(20);
    let (x, y) = find_inside(&small, &at_20).expect("the 20 px text, as drawn alone");
    let (w, h) = small.dimensions();
    let centre_x = 2 * x + at_20.width();
    let centre_y = 2 * y + at_20.height();
    assert!(centre_x.abs_diff(w) <= 3, "{x} in {w}");
    assert!(centre_y.abs_diff(h) <= 6, "{y} in {h}");
}

#[test]
fn an_expression_font_size_renders_every_frame_at_one_size() {
    let s = Sandbox::new();
    let frames = s.render_frames(
        "[output]\nfps = 10\nbackground = \"transparent\"\n[clip.t]\nkind = \"text\"\n\
         text = \"Grow\"\nfont_size = \"16 + 16 * t\"\nduration = 1\n",
        &[],
    );
    assert_eq!(frames.len(), 10);
    let mut last = 0;
    for f in &frames {
        assert_eq!(f.dimensions(), frames[0].dimensions());
        let (top, bottom, _, _) = ink_box(f).unwrap();
        assert!(bottom - top >= last, "the text shrank");
        last = bottom - top;
    }
    // The box holds the size at the clip's last instant (just under 32 px), which the
    // last frame (30.4 px at t = 0.9) does not quite reach.
    let at_32 = s.frame(
        &scene("text = \"Grow\"\nfont_size = 32").replace("[output]\n", "[output]\nfps = 10\n"),
        0.0,
    );
    let (w, h) = frames[9].dimensions();
    assert!(w.abs_diff(at_32.width()) <= 1 && h.abs_diff(at_32.height()) <= 1);
    let (top, bottom, left, right) = ink_box(&frames[9]).unwrap();
    assert!(right - left + 1 < w && bottom - top + 1 < h);
}

#[test]
fn keyframed_colours_change_the_glyphs_and_the_background() {
    let s = Sandbox::new();
    let live = scene(
        "text = \"I\"\nfont_size = 60\nduration = 1\n\
         color = { keys = [[0, \"red\"], [0.5, \"blue\"]] }",
    );
    let (start, end) = (s.frame(&live, 0.0), s.frame(&live, 1.0));
    let (w, h) = start.dimensions();
    assert_px(&start, w / 2, h / 2, [255, 0, 0, 255], 0);
    assert_px(&end, w / 2, h / 2, [0, 0, 255, 255], 0);
    // halfway through the blend: neither
    let between = s.frame(&live, 0.25);
    let p = between.get_pixel(w / 2, h / 2).0;
    assert!(p[0] > 40 && p[2] > 40 && p[3] == 255, "{p:?}");

    // Without `color`, the glyphs contrast with the background at each instant.
    let live = scene(
        "text = \"I\"\nfont_size = 60\nduration = 1\npadding = 4\n\
         background = { keys = [[0, \"white\"], [0.5, \"black\"]] }",
    );
    let (start, end) = (s.frame(&live, 0.0), s.frame(&live, 1.0));
    let (w, h) = start.dimensions();
    assert_px(&start, 0, 0, [255, 255, 255, 255], 0);
    assert_px(&start, w / 2, h / 2, [0, 0, 0, 255], 0);
    assert_px(&end, 0, 0, [0, 0, 0, 255], 0);
    assert_px(&end, w / 2, h / 2, [255, 255, 255, 255], 0);
}

#[test]
fn the_outline_and_line_spacing_can_change() {
    let s = Sandbox::new();
    let live = scene(
        "text = \"I\"\nfont_size = 40\ncolor = \"white\"\nduration = 1\n\
         stroke = { color = { keys = [[0, \"red\"], [0.5, \"lime\"]] }, width = { keys = [[0, 0], [0.5, 3]] } }",
    );
    let (start, end) = (s.frame(&live, 0.0), s.frame(&live, 1.0));
    let outlined = s.frame(
        &scene(
            "text = \"I\"\nfont_size = 40\ncolor = \"white\"\n\
             stroke = { color = \"lime\", width = 3 }",
        ),
        0.0,
    );
    assert_eq!(end, outlined, "the box is the widest outline's");
    let plain = s.frame(
        &scene("text = \"I\"\nfont_size = 40\ncolor = \"white\""),
        0.0,
    );
    assert!(find_inside(&start, &plain).is_some(), "no outline at first");

    let spaced = |t: f64| {
        let f = s.frame(
            &scene(
                "text = \"A\\nB\"\nfont_size = 20\nduration = 1\n\
                 line_spacing = { keys = [[0, 1], [0.5, 2]] }",
            ),
            t,
        );
        let (top, bottom, _, _) = ink_box(&f).unwrap();
        (f.height(), bottom - top)
    };
    let ((h0, tall0), (h1, tall1)) = (spaced(0.0), spaced(1.0));
    assert_eq!(h0, h1);
    // one more line height of 20 px between the lines
    assert!((tall1 - tall0).abs_diff(20) <= 1, "{tall0} {tall1}");
}

#[test]
fn a_given_box_stays_fixed_while_the_text_grows_in_it() {
    let s = Sandbox::new();
    let live = scene(
        "text = \"Zoom\"\nsize = [200, 100]\nvalign = \"top\"\nduration = 1\n\
         font_size = { keys = [[0, 10], [1, 50]] }",
    );
    let (start, end) = (s.frame(&live, 0.0), s.frame(&live, 1.0));
    assert_eq!(start.dimensions(), (200, 100));
    assert_eq!(end.dimensions(), (200, 100));
    let (top0, bottom0, left0, right0) = ink_box(&start).unwrap();
    let (top1, bottom1, left1, right1) = ink_box(&end).unwrap();
    assert!(bottom1 - top1 > 3 * (bottom0 - top0));
    assert!(right1 - left1 > 3 * (right0 - left0));
    assert!(top0 < 10 && top1 < 20, "valign top: {top0} {top1}");
}

#[test]
fn a_font_size_that_is_not_a_number_hides_the_text_for_that_frame() {
    let s = Sandbox::new();
    // 0/0 at t = 0.5 only; a size under a pixel at the end
    let live = scene(
        "text = \"x\"\nduration = 1\ncolor = \"white\"\n\
         font_size = \"if(t > 0.9, 0.5, 30 + 0 / (t - 0.5))\"",
    );
    assert!(ink_box(&s.frame(&live, 0.25)).is_some());
    assert!(ink_box(&s.frame(&live, 0.5)).is_none());
    assert!(ink_box(&s.frame(&live, 0.95)).is_none());
    s.write("scene.toml", &live);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif", "--fps", "10"]);
    assert_exit!(r, 0);
}

#[test]
fn padding_takes_vars_but_does_not_change_over_time() {
    let s = Sandbox::new();
    let with_vars = format!(
        "[vars]\npad = 3\n{}",
        scene("text = \"x\"\npadding = [\"2 * pad\", 1]")
    );
    let fixed = scene("text = \"x\"\npadding = [6, 1]");
    assert_eq!(s.frame(&with_vars, 0.0), s.frame(&fixed, 0.0));
    s.write("scene.toml", &with_vars);
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "big.png",
        "--set",
        "pad=10",
    ]);
    assert_exit!(r, 0);
    let big = read_png(&s.path("big.png"));
    assert_eq!(big.height(), s.frame(&fixed, 0.0).height() + 28);

    for (keys, msg, place) in [
        (
            "padding = \"1 + t\"",
            "padding cannot change over time",
            "scene.toml:6:11",
        ),
        (
            "padding = [2, { keys = [[0, 1], [1, 5]] }]",
            "padding cannot change over time",
            "scene.toml:6:15",
        ),
        (
            "padding = 1.5",
            "padding must be a whole number of pixels",
            "scene.toml:6:11",
        ),
        (
            "padding = -1",
            "padding must be at least 0",
            "scene.toml:6:11",
        ),
        (
            "padding = 16385",
            "padding 16385 is outside",
            "scene.toml:6:11",
        ),
    ] {
        s.write("scene.toml", scene(&format!("text = \"x\"\n{keys}")));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, msg, place);
    }
}

#[test]
fn mistakes_in_animated_values_are_errors_at_their_place() {
    let s = Sandbox::new();
    for (keys, msg, place) in [
        (
            "font_size = \"20 + nope * t\"",
            "unknown name `nope`",
            "scene.toml:6:19",
        ),
        (
            "color = { keys = [[0, \"red\"], [1, \"blu\"]] }",
            "did you mean `blue`?",
            "scene.toml:6:35",
        ),
        (
            "background = { keys = [[0, 1], [1, 2]] }",
            "colour",
            "scene.toml:6:",
        ),
        (
            "stroke = { width = { keys = [[0, 1]], ease = \"bouncy\" } }",
            "bouncy",
            "scene.toml:6:",
        ),
        ("line_spacing = { keys = [] }", "keys", "scene.toml:6:"),
        (
            "font_size = \"0/0\"",
            "not a finite number",
            "scene.toml:6:13",
        ),
    ] {
        s.write("scene.toml", scene(&format!("text = \"x\"\n{keys}")));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, msg, place);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}
