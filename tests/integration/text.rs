//! Text clips: tight boxes, the bundled font's exact look, CJK and right-to-left
//! scripts through system fonts, compositing, and font errors.

use std::path::PathBuf;

use image::RgbaImage;

use crate::util::{assert_px, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// A scene with a transparent canvas and one text clip made of `keys`.
fn scene(keys: &str) -> String {
    format!("[output]\nbackground = \"transparent\"\n[clip.t]\nkind = \"text\"\n{keys}\n")
}

fn ink(p: &image::Rgba<u8>) -> bool {
    p[3] > 0
}

/// Rows (or columns) that hold any ink.
fn inked_rows(img: &RgbaImage) -> Vec<u32> {
    (0..img.height())
        .filter(|&y| (0..img.width()).any(|x| ink(img.get_pixel(x, y))))
        .collect()
}

fn inked_cols(img: &RgbaImage) -> Vec<u32> {
    (0..img.width())
        .filter(|&x| (0..img.height()).any(|y| ink(img.get_pixel(x, y))))
        .collect()
}

#[test]
fn fitted_text_touches_every_edge_and_nothing_is_cut() {
    let s = Sandbox::new();
    let text = "text = \"Agjpqy ÅÉ\"\nfont_size = 40";
    let tight = s.frame(&scene(text), 0.0);
    let (w, h) = tight.dimensions();
    assert!(w > 100 && h > 40, "{w}x{h}");
    let rows = inked_rows(&tight);
    let cols = inked_cols(&tight);
    assert!(
        rows[0] <= 1 && *rows.last().unwrap() >= h - 2,
        "rows {rows:?} of {h}"
    );
    assert!(
        cols[0] <= 1 && *cols.last().unwrap() >= w - 2,
        "cols of {w}"
    );

    // With padding the same ink sits inside an empty border: it was not cut before.
    let padded = s.frame(&scene(&format!("{text}\npadding = 6")), 0.0);
    assert_eq!(padded.dimensions(), (w + 12, h + 12));
    for (x, y, p) in padded.enumerate_pixels() {
        let inside = (6..w + 6).contains(&x) && (6..h + 6).contains(&y);
        if inside {
            assert_eq!(p, tight.get_pixel(x - 6, y - 6), "at ({x}, {y})");
        } else {
            assert_eq!(p[3], 0, "ink in the padding at ({x}, {y})");
        }
    }
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/integration/golden")
}

/// Compares with a golden PNG: every channel within `tol`, and on average within 1.
/// `ANIMATE_BLESS=1` rewrites the golden; a failure writes a diff image.
fn assert_golden(name: &str, got: &RgbaImage, tol: u8) {
    let path = golden_dir().join(name);
    if std::env::var_os("ANIMATE_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        got.save(&path).unwrap();
        return;
    }
    let want = read_png(&path);
    assert_eq!(
        got.dimensions(),
        want.dimensions(),
        "{name}: size differs from the golden image (ANIMATE_BLESS=1 regenerates it)"
    );
    let mut diff = RgbaImage::new(got.width(), got.height());
    let (mut worst, mut total) = (0u8, 0u64);
    for (x, y, g) in got.enumerate_pixels() {
        let w = want.get_pixel(x, y);
        let d = (0..4).map(|i| g[i].abs_diff(w[i])).max().unwrap();
        worst = worst.max(d);
        total += d as u64;
        let v = if d > tol { 255 } else { d.saturating_mul(8) };
        diff.put_pixel(x, y, image::Rgba([v, 0, 0, 255]));
    }
    let mean = total as f64 / (got.width() * got.height()) as f64;
    if worst > tol || mean > 1.0 {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
        diff.save(&out).unwrap();
        got.save(out.with_extension("got.png")).unwrap();
        panic!(
            "{name}: differs from the golden image (worst channel {worst}, mean {mean:.2}); \
             diff written to {}",
            out.display()
        );
    }
}

#[test]
fn default_font_renders_the_golden_pixels() {
    let s = Sandbox::new();
    let img = s.frame(
        &scene(
            r##"text = "Ag Éy 0.5\nBold ƒ → ∑"
font_size = 20
color = "#1f77b4"
background = "white"
padding = [2, 4]
align = "left""##,
        ),
        0.0,
    );
    assert_golden("text-default.png", &img, 16);
    let s = Sandbox::new();
    let img = s.frame(
        &scene(
            r#"text = "Outline"
font_size = 22
weight = "bold"
style = "italic"
color = "gold"
stroke = { color = "black", width = 2 }"#,
        ),
        0.0,
    );
    assert_golden("text-outline.png", &img, 16);
}

/// The columns of `img` cut into `n` equal cells; each must hold ink, and no two may
/// look the same (missing-glyph boxes all do).
fn assert_distinct_glyph_cells(img: &RgbaImage, n: u32) {
    let cell = img.width() / n;
    let cells: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let mut a = Vec::new();
            for y in 0..img.height() {
                for x in i * cell..(i + 1) * cell {
                    a.push(img.get_pixel(x, y)[3]);
                }
            }
            a
        })
        .collect();
    for (i, c) in cells.iter().enumerate() {
        let inked = c.iter().filter(|&&a| a > 128).count();
        assert!(inked > c.len() / 20, "cell {i} has little ink ({inked} px)");
        for (j, d) in cells.iter().enumerate().skip(i + 1) {
            let differ = c
                .iter()
                .zip(d)
                .filter(|(a, b)| a.abs_diff(**b) > 64)
                .count();
            assert!(
                differ > c.len() / 10,
                "cells {i} and {j} look alike: boxes?"
            );
        }
    }
}

#[test]
fn chinese_falls_back_to_an_installed_cjk_font() {
    let s = Sandbox::new();
    s.write("scene.toml", scene("text = \"中文字\"\nfont_size = 40"));
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "frame.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("no installed font"), "{}", r.stderr);
    let img = read_png(&s.path("frame.png"));
    // CJK glyphs are square and about one em wide: 3 of them
    assert!((100..=126).contains(&img.width()), "width {}", img.width());
    assert_distinct_glyph_cells(&img, 3);
}

#[test]
fn named_cjk_family_is_used() {
    let s = Sandbox::new();
    let img = s.frame(
        &scene("text = \"한국어\"\nfont = \"WenQuanYi Micro Hei\"\nfont_size = 40"),
        0.0,
    );
    assert_distinct_glyph_cells(&img, 3);
}

/// Width of the ink of `text` in the given font.
fn ink_width(s: &Sandbox, text: &str, font: &str) -> u32 {
    let img = s.frame(
        &scene(&format!(
            "text = \"{text}\"\nfont = \"{font}\"\nfont_size = 40"
        )),
        0.0,
    );
    img.width()
}

#[test]
fn arabic_letters_join() {
    let s = Sandbox::new();
    for font in ["Noto Sans Arabic", "DejaVu Sans"] {
        // three behs: joined (initial, medial, final forms) vs kept apart by ZWNJ
        let joined = ink_width(&s, "ببب", font);
        let apart = ink_width(&s, "ب\u{200C}ب\u{200C}ب", font);
        assert!(
            (joined as f64) < 0.8 * apart as f64,
            "{font}: joined {joined} px, isolated {apart} px"
        );
        // joined, the letters' bodies are one connected stroke across the word
        let img = s.frame(
            &scene(&format!(
                "text = \"ببب\"\nfont = \"{font}\"\nfont_size = 40"
            )),
            0.0,
        );
        let span = widest_component(&img);
        assert!(
            span as f64 > 0.8 * img.width() as f64,
            "{font}: widest connected stroke {span} px of {}",
            img.width()
        );
        let img = s.frame(
            &scene(&format!(
                "text = \"ب\u{200C}ب\u{200C}ب\"\nfont = \"{font}\"\nfont_size = 40"
            )),
            0.0,
        );
        let span = widest_component(&img);
        assert!(
            span * 2 < img.width(),
            "{font}: isolated letters touch ({span} px)"
        );
    }
}

/// The horizontal extent of the widest 4-connected group of inked pixels.
fn widest_component(img: &RgbaImage) -> u32 {
    let (w, h) = img.dimensions();
    let inked = |x: u32, y: u32| img.get_pixel(x, y)[3] > 64;
    let mut seen = vec![false; (w * h) as usize];
    let mut widest = 0;
    for start in 0..w * h {
        let (sx, sy) = (start % w, start / w);
        if seen[start as usize] || !inked(sx, sy) {
            continue;
        }
        seen[start as usize] = true;
        let (mut lo, mut hi) = (sx, sx);
        let mut stack = vec![(sx, sy)];
        while let Some((x, y)) = stack.pop() {
            lo = lo.min(x);
            hi = hi.max(x);
            let around = [
                (x.wrapping_sub(1), y),
                (x + 1, y),
                (x, y.wrapping_sub(1)),
                (x, y + 1),
            ];
            for (nx, ny) in around {
                if nx < w && ny < h && !seen[(ny * w + nx) as usize] && inked(nx, ny) {
                    seen[(ny * w + nx) as usize] = true;
                    stack.push((nx, ny));
                }
            }
        }
        widest = widest.max(hi - lo + 1);
    }
    widest
}

/// `logical` (right-to-left text) looks like `reversed` forced left-to-right with an
/// override: its first letter is drawn rightmost.
fn assert_right_to_left(s: &Sandbox, font: &str, logical: &str, reversed: &str) {
    let keys = |t: &str| {
        scene(&format!(
            "text = \"{t}\"\nfont = \"{font}\"\nfont_size = 40"
        ))
    };
    let natural = s.frame(&keys(logical), 0.0);
    let forced = s.frame(&keys(&format!("\u{202D}{reversed}\u{202C}")), 0.0);
    let plain_ltr = s.frame(&keys(&format!("\u{202D}{logical}\u{202C}")), 0.0);
    assert_eq!(natural.dimensions(), forced.dimensions(), "{font}");
    let close = |a: &RgbaImage, b: &RgbaImage| {
        a.dimensions() == b.dimensions()
            && a.pixels()
                .zip(b.pixels())
                .all(|(p, q)| p[3].abs_diff(q[3]) <= 8)
    };
    assert!(
        close(&natural, &forced),
        "{font}: {logical:?} is not drawn right to left"
    );
    assert!(
        !close(&natural, &plain_ltr),
        "{font}: the test cannot tell the orders apart"
    );
}

#[test]
fn arabic_and_hebrew_run_right_to_left() {
    let s = Sandbox::new();
    // alef and dal join no following letter, so both orders use the same shapes
    assert_right_to_left(&s, "Noto Sans Arabic", "اد", "دا");
    assert_right_to_left(&s, "Noto Sans Hebrew", "לנ", "נל");
    assert_right_to_left(&s, "DejaVu Sans", "לנ", "נל");
    // alef, the tall letter, comes first: it is on the right
    let img = s.frame(
        &scene("text = \"اب\"\nfont = \"Noto Sans Arabic\"\nfont_size = 40"),
        0.0,
    );
    let top = img.height() / 5;
    let tall: Vec<u32> = (0..img.width())
        .filter(|&x| (0..top).any(|y| img.get_pixel(x, y)[3] > 128))
        .collect();
    assert!(
        !tall.is_empty() && tall[0] > img.width() / 2,
        "{tall:?} of {}",
        img.width()
    );
}

#[test]
fn antialiased_edges_have_no_dark_fringe() {
    // red text on white: every pixel keeps full red, whatever its coverage
    let s = Sandbox::new();
    let img = s.frame(
        &scene("text = \"fringe\"\ncolor = \"red\"\nbackground = \"white\"\nfont_size = 24"),
        0.0,
    );
    let partial = img.pixels().filter(|p| p[1] > 10 && p[1] < 245).count();
    assert!(partial > 20, "no anti-aliased pixels?");
    for p in img.pixels() {
        assert_eq!(p[0], 255, "{p:?}");
        assert_eq!(p[3], 255, "{p:?}");
        assert!(p[1].abs_diff(p[2]) <= 1, "{p:?}");
    }

    // transparent text composited over a colour equals text drawn on that colour
    let s = Sandbox::new();
    let direct = s.frame(
        &scene("text = \"over\"\ncolor = \"white\"\nbackground = \"navy\"\nfont_size = 24"),
        0.0,
    );
    let s2 = Sandbox::new();
    let (w, h) = direct.dimensions();
    let layered = s2.frame(
        &format!(
            r#"
[clip.bg]
kind = "color"
color = "navy"
size = [{w}, {h}]
[clip.t]
kind = "text"
text = "over"
color = "white"
font_size = 24
[clip.main]
kind = "composite"
layers = [{{ clip = "bg" }}, {{ clip = "t" }}]
"#
        ),
        0.0,
    );
    for (x, y, p) in direct.enumerate_pixels() {
        let q = layered.get_pixel(x, y);
        assert!(
            (0..4).all(|i| p[i].abs_diff(q[i]) <= 1),
            "({x}, {y}): {p:?} vs {q:?}"
        );
    }
}

/// Rows and columns of a box render that hold white ink.
fn white_extent(img: &RgbaImage) -> (Vec<u32>, Vec<u32>) {
    let white = |p: &image::Rgba<u8>| p[0] > 128;
    let (w, h) = img.dimensions();
    let rows = (0..h)
        .filter(|&y| (0..w).any(|x| white(img.get_pixel(x, y))))
        .collect();
    let cols = (0..w)
        .filter(|&x| (0..h).any(|y| white(img.get_pixel(x, y))))
        .collect();
    (rows, cols)
}

#[test]
fn a_box_has_its_size_wraps_and_aligns() {
    let s = Sandbox::new();
    let boxed = |align: &str, valign: &str| {
        scene(&format!(
            "text = \"one two three four five six\"\nfont_size = 20\nsize = [120, 160]\n\
             background = \"black\"\ncolor = \"white\"\npadding = 8\n\
             align = \"{align}\"\nvalign = \"{valign}\""
        ))
    };
    let img = s.frame(&boxed("left", "top"), 0.0);
    assert_eq!(img.dimensions(), (120, 160));
    assert_px(&img, 0, 0, [0, 0, 0, 255], 0);
    assert_px(&img, 119, 159, [0, 0, 0, 255], 0);
    let (rows, cols) = white_extent(&img);
    // top-left inside the padding, several lines, nothing in the right padding
    assert!((8..=16).contains(&rows[0]), "{rows:?}");
    assert!((8..=10).contains(&cols[0]), "{cols:?}");
    assert!(*cols.last().unwrap() < 112, "{cols:?}");
    assert!(
        rows.last().unwrap() - rows[0] > 40,
        "one line only? {rows:?}"
    );
    let lines_top = rows.last().unwrap() - rows[0];

    // bottom-right: the same block moves to the other corner
    let img = s.frame(&boxed("right", "bottom"), 0.0);
    let (rows, cols) = white_extent(&img);
    assert!((140..152).contains(rows.last().unwrap()), "{rows:?}");
    assert!((106..112).contains(cols.last().unwrap()), "{cols:?}");
    assert!(cols[0] >= 8, "{cols:?}");
    assert_eq!(rows.last().unwrap() - rows[0], lines_top);

    // centred both ways: equal margins within a pixel or two
    let img = s.frame(&boxed("center", "center"), 0.0);
    let (rows, _) = white_extent(&img);
    let (above, below) = (rows[0], 159 - rows.last().unwrap());
    assert!(above.abs_diff(below) <= 6, "{above} above, {below} below");
}

#[test]
fn text_too_tall_for_its_box_warns() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        scene("text = \"one two three four five six\"\nfont_size = 40\nsize = [120, 60]"),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "warning:", "lines that do not fit are cut");
}

#[test]
fn outline_surrounds_the_fill() {
    let s = Sandbox::new();
    let plain = s.frame(
        &scene("text = \"I\"\nfont_size = 40\ncolor = \"white\""),
        0.0,
    );
    let outlined = s.frame(
        &scene(
            "text = \"I\"\nfont_size = 40\ncolor = \"white\"\nstroke = { color = \"red\", width = 3 }",
        ),
        0.0,
    );
    // 3 px more ink on every side
    assert_eq!(outlined.width(), plain.width() + 6);
    assert_eq!(outlined.height(), plain.height() + 6);
    let mid = outlined.height() / 2;
    assert_px(&outlined, 1, mid, [255, 0, 0, 255], 0);
    assert_px(
        &outlined,
        outlined.width() / 2,
        mid,
        [255, 255, 255, 255],
        0,
    );
}

#[test]
fn unknown_family_is_named_with_installed_suggestions() {
    let s = Sandbox::new();
    s.write("scene.toml", scene("text = \"x\"\nfont = \"DejaVu Snas\""));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown font family `DejaVu Snas`",
        "scene.toml:6:8",
        "closest installed families: `DejaVu Sans`"
    );

    // ImageMagick-style names, as in MoviePy scripts, point at the family
    s.write(
        "scene.toml",
        scene("text = \"x\"\nfont = \"DejaVu Serif-Bold\""),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "the family is `DejaVu Serif`", "weight");
}

#[test]
fn well_known_families_point_at_generic_names_not_at_unlike_spellings() {
    let s = Sandbox::new();
    for (font, says) in [
        ("Helvetica", "write font = \"sans-serif\""),
        ("Arial-Bold", "with weight = \"bold\""),
        ("Times New Roman", "write font = \"serif\""),
        ("Courier New", "write font = \"monospace\""),
    ] {
        s.write(
            "scene.toml",
            scene(&format!("text = \"x\"\nfont = \"{font}\"")),
        );
        let r = s.run(&["check", "scene.toml"]);
        if r.code == 0 {
            continue; // installed here
        }
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "unknown font family",
            "is not installed",
            says,
            "scene.toml:6:8"
        );
        // no list of families that merely share a few letters
        assert!(!r.stderr.contains("closest installed"), "{}", r.stderr);
        assert!(!r.stderr.contains("Urdu"), "{}", r.stderr);
    }
    // a name like nothing installed gets no list either
    s.write(
        "scene.toml",
        scene("text = \"x\"\nfont = \"Qwxyz Grotesk\""),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "no installed family has a name like it", "fc-list");
}

#[test]
fn font_file_is_used_and_listed_as_an_input() {
    let system = PathBuf::from("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf");
    let s = Sandbox::new();
    // the test makes its input from the system's copy (fonts-dejavu-core)
    s.write("fonts/serif.ttf", std::fs::read(&system).unwrap());
    let keys = "text = \"Serif\"\nfont_size = 30";
    let serif = s.frame(&scene(&format!("{keys}\nfont = \"fonts/serif.ttf\"")), 0.0);
    let named = s.frame(&scene(&format!("{keys}\nfont = \"DejaVu Serif\"")), 0.0);
    let sans = s.frame(&scene(keys), 0.0);
    assert_eq!(serif, named, "the file and the installed family differ");
    assert_ne!(serif.dimensions(), sans.dimensions());

    s.write(
        "scene.toml",
        scene(&format!("{keys}\nfont = \"fonts/serif.ttf\"")),
    );
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("fonts/serif.ttf"), "{}", r.stdout);
}

#[test]
fn missing_or_bad_font_file_is_a_scene_error() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        scene("text = \"x\"\nfont = \"fonts/none.ttf\""),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read `fonts/none.ttf`",
        "no such file",
        "scene.toml:6:8"
    );

    s.write("fonts/fake.ttf", "not a font");
    s.write(
        "scene.toml",
        scene("text = \"x\"\nfont = \"fonts/fake.ttf\""),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot use font file `fonts/fake.ttf`",
        "not a font file"
    );
}

#[test]
fn bad_values_are_refused_at_their_place() {
    let s = Sandbox::new();
    let cases = [
        ("font_size = 0", "font_size must be at least 1, not 0"),
        ("font_size = 100000", "font_size 100000 is too large"),
        ("padding = [1, 2, 3]", "padding has 1, 2 or 4 numbers"),
        ("weight = \"heavyy\"", "unknown weight `heavyy`"),
        ("weight = 0", "weight 0 is outside 1..1000"),
        ("style = \"slanted\"", "unknown name `slanted`"),
        ("align = \"middle\"", "unknown name `middle`"),
        ("valign = \"top\"", "`valign` places text in a box"),
        ("size = [10, 10]\npadding = 5", "leaves no room"),
        ("stroke = { width = -1 }", "stroke width must be at least 0"),
        ("colour = \"red\"", "did you mean `color`?"),
    ];
    for (keys, msg) in cases {
        s.write("scene.toml", scene(&format!("text = \"x\"\n{keys}")));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, msg, "scene.toml:");
    }
    // too much text for one frame
    s.write(
        "scene.toml",
        scene(&format!("text = \"{}\"\nfont_size = 400", "W".repeat(200))),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "over the limit of 16384", "scene.toml:5:8");
}

#[test]
fn default_colour_contrasts_with_the_background() {
    let s = Sandbox::new();
    let on_white = s.frame(&scene("text = \"I\"\nbackground = \"white\""), 0.0);
    let mid = (on_white.width() / 2, on_white.height() / 2);
    assert_px(&on_white, mid.0, mid.1, [0, 0, 0, 255], 0);
    let on_none = s.frame(&scene("text = \"I\""), 0.0);
    assert_px(&on_none, mid.0, mid.1, [255, 255, 255, 255], 0);
}

#[test]
fn characters_no_font_has_are_named_in_a_warning() {
    let s = Sandbox::new();
    // U+0378 is unassigned: no font can have it
    s.write("scene.toml", scene("text = \"a\u{378}b\""));
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "frame.png"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "warning:", "no installed font can draw", "U+0378");
    // drawn as a replacement character between the two letters, not as nothing
    let with = read_png(&s.path("frame.png"));
    let without = s.frame(&scene("text = \"ab\""), 0.0);
    assert!(
        with.width() > without.width() + 10,
        "{} vs {}",
        with.width(),
        without.width()
    );
}

/// Regression (newcomer): the article's `font = "Purisa-Bold"` on a machine without
/// Purisa got the generic "no installed family has a name like it", though its `-Bold`
/// says which key to write.
#[test]
fn regression_an_uninstalled_imagemagick_font_name_did_not_say_its_style_keys() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"x\"\nfont = \"Qwxzvq-BoldItalic\"\nduration = 1\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown font family `Qwxzvq-BoldItalic`",
        "the family is `Qwxzvq`, not installed either",
        "with weight = \"bold\" and style = \"italic\"",
        "scene.toml:4:8"
    );
}
