//! What a fifth newcomer met: output silently not what the files hold (a swept CSV not
//! sorted by x, numbered frames saved every 10th step), a sliver of the bar just out of
//! a race's top N, and hints that did not say what to write (`fill = "below"`, a bar
//! table's column shortened, a file name given to `--set`, C's `&&`/`||`).

use image::RgbaImage;

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// 40 days of revenue, rows in day order.
fn days() -> Vec<String> {
    (1..=40)
        .map(|d| format!("{d},{}", 100 + (d * 7) % 23 + d))
        .collect()
}

fn table(rows: &[String]) -> String {
    format!("day,revenue\n{}\n", rows.join("\n"))
}

const SWEPT: &str = "[output]\nfps = 10\n[clip.main]\nkind = \"plot\"\nsize = [200, 120]\n\
     duration = 2\nseries = [{ csv = \"FILE\", x = \"day\", y = \"revenue\", sweep = true }]\n";

#[test]
fn regression_a_sweep_of_a_shuffled_csv_drew_only_the_files_first_rows() {
    let s = Sandbox::new();
    let sorted = days();
    // the same rows shuffled (17 is prime to 40: every row once), day 1 first
    let shuffled: Vec<String> = (0..40).map(|i| sorted[(i * 17) % 40].clone()).collect();
    assert_ne!(shuffled, sorted);
    s.write("sorted.csv", table(&sorted));
    s.write("shuffled.csv", table(&shuffled));
    for t in [0.5, 1.0, 1.9] {
        let want = s.frame(&SWEPT.replace("FILE", "sorted.csv"), t);
        let got = s.frame(&SWEPT.replace("FILE", "shuffled.csv"), t);
        assert!(got == want, "t = {t}: the shuffled file is drawn otherwise");
    }
    // said once, naming the clip, the file and the column
    s.write("scene.toml", SWEPT.replace("FILE", "shuffled.csv"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: clip `main`: shuffled.csv is not sorted by `day`",
        "data row 4 (12 after 35)",
        "drawn in the order of `day`",
        "scene.toml:7:"
    );
    s.write("scene.toml", SWEPT.replace("FILE", "sorted.csv"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn regression_numbered_frames_saved_every_tenth_step_gave_one_picture_silently() {
    let s = Sandbox::new();
    for n in [0, 10, 20, 30] {
        s.write_picture(&format!("out/step_{n:04}.png"), 8, 6, [200, 0, 0, 255]);
    }
    let scene =
        "[output]\nfps = 10\n[clip.main]\nkind = \"images\"\nfiles = \"out/step_%04d.png\"\n";
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: clip `main`: `out/step_%04d.png` stops at step_0000.png (1 picture): \
         step_0001.png is missing, but step_0010.png and 2 more come after it",
        "the glob `out/step_*.png` takes every file",
        "scene.toml:5:"
    );
    // one frame, said in the singular
    assert!(r.stdout.contains("(1 frame)\n"), "{}", r.stdout);
    // the glob takes them all, without a warning
    s.write("scene.toml", scene.replace("%04d", "*"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("(4 frames)"), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // numbers from 10 on: nothing from 0 to 4, and the error names the first file
    std::fs::remove_file(s.path("out/step_0000.png")).unwrap();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "its first file is step_0010.png",
        "`out/step_*.png`",
        "scene.toml:5:"
    );
}

#[test]
fn a_sequence_without_gaps_says_nothing() {
    let s = Sandbox::new();
    for n in 0..3 {
        s.write_picture(&format!("f_{n:03}.png"), 8, 6, [0, 0, 200, 255]);
    }
    // another sequence in the same folder, of another pattern
    s.write_picture("g_010.png", 8, 6, [0, 0, 200, 255]);
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"images\"\nfiles = \"f_%03d.png\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("(3 frames)"), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

/// matplotlib's 6th and 7th cycle colours: the last place shown (`top = 6`) and the
/// bar past it (the 8th, grey, is too like anti-aliased text to look for).
const BROWN: [u8; 3] = [0x8c, 0x56, 0x4b];
const PINK: [u8; 3] = [0xe3, 0x77, 0xc2];

fn is(p: &image::Rgba<u8>, c: [u8; 3]) -> bool {
    (0..3).all(|i| p[i].abs_diff(c[i]) <= 6)
}

/// The (first, last) rows, or columns with `columns`, holding colour `c`.
fn extent(img: &RgbaImage, c: [u8; 3], columns: bool) -> Option<(u32, u32)> {
    let (along, across) = if columns {
        (img.width(), img.height())
    } else {
        (img.height(), img.width())
    };
    let hit: Vec<u32> = (0..along)
        .filter(|&a| {
            (0..across).any(|b| {
                let (x, y) = if columns { (a, b) } else { (b, a) };
                is(img.get_pixel(x, y), c)
            })
        })
        .collect();
    Some((*hit.first()?, *hit.last()?))
}

#[test]
fn regression_a_sliver_of_the_bar_past_the_top_n_showed_under_the_last_place() {
    let s = Sandbox::new();
    // seven bars in value order, one column: no motion, every bar at rest in its place
    // (values close together: every bar reaches across the middle of the axes)
    let rows: Vec<String> = (0..7).map(|i| format!("b{i},{}", 100 - i)).collect();
    s.write("t.csv", format!("name,v\n{}\n", rows.join("\n")));
    for orientation in ["horizontal", "vertical"] {
        let img = s.frame(
            &format!(
                "[clip.main]\nkind = \"bars\"\nsize = [640, 400]\nduration = 1\norientation = \"{orientation}\"\n\
                 csv = \"t.csv\"\nnames = \"name\"\nrank = true\ntop = 6\n"
            ),
            0.0,
        );
        let columns = orientation == "vertical";
        let (_, last) = extent(&img, BROWN, columns).expect("the 6th bar");
        assert_eq!(
            extent(&img, PINK, columns),
            None,
            "{orientation}: the 7th shows"
        );
        // Past the last bar, up to the axes' edge: the axes' white only, then the
        // bottom spine (or the right one), black, grey where it is anti-aliased (and
        // white between the ticks' anti-aliased ends): no colour.
        let white = |p: &image::Rgba<u8>| p.0[..3].iter().all(|&v| v > 250);
        let grey = |p: &image::Rgba<u8>| p[0] == p[1] && p[1] == p[2];
        let mut seen = 0;
        // (the bar's anti-aliased edge row left out)
        let mut k = last + 2;
        loop {
            // one row (horizontal bars) or column (vertical) across the middle of the axes
            let line: Vec<&image::Rgba<u8>> = if columns {
                (150..250).map(|y| img.get_pixel(k, y)).collect()
            } else {
                (250..450).map(|x| img.get_pixel(x, k)).collect()
            };
            if !line.iter().all(|p| white(p)) {
                assert!(
                    line.iter().all(|p| grey(p)),
                    "{orientation}: colour {} pixels past the last bar",
                    k - last
                );
                break;
            }
            seen += 1;
            k += 1;
        }
        assert!(seen >= 5, "{orientation}: the margin is {seen} pixels");
    }
}

#[test]
fn the_example_race_shows_nothing_under_its_last_place() {
    let s = Sandbox::new();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    s.write(
        "scenes/bar_race.toml",
        std::fs::read(repo.join("scenes/bar_race.toml")).unwrap(),
    );
    s.write(
        "scenes/data/cities.csv",
        std::fs::read(repo.join("scenes/data/cities.csv")).unwrap(),
    );
    let r = s.run(&["frame", "scenes/bar_race.toml", "-t", "4", "-o", "f.png"]);
    assert_exit!(r, 0);
    let img = crate::util::read_png(&s.path("f.png"));
    // Bands of rows holding a bar's colour (a saturated pixel: names, labels, grid
    // and the period are grey or black): the eight places, at rest, and nothing else.
    let coloured = |y: u32| {
        (0..img.width()).any(|x| {
            let p = img.get_pixel(x, y).0;
            let (hi, lo) = (p[..3].iter().max().unwrap(), p[..3].iter().min().unwrap());
            hi - lo > 40
        })
    };
    let mut bands: Vec<(u32, u32)> = Vec::new();
    for y in 0..img.height() {
        if !coloured(y) {
            continue;
        }
        match bands.last_mut() {
            Some(b) if b.1 + 1 == y => b.1 = y,
            _ => bands.push((y, y)),
        }
    }
    let tall = bands.iter().map(|b| b.1 - b.0 + 1).max().unwrap();
    // (a grey bar, #7f7f7f, is not saturated: 7 bands when one of the 8 is grey)
    assert!(
        (7..=8).contains(&bands.len()),
        "bands of bar colour: {bands:?}"
    );
    for b in &bands {
        assert!(
            b.1 - b.0 + 1 > tall / 2,
            "a thin band of bar colour: {bands:?}"
        );
    }
}

fn check(s: &Sandbox, scene: &str, extra: &[&str]) -> crate::util::Run {
    s.write("scene.toml", scene);
    let mut args = vec!["check", "scene.toml"];
    args.extend_from_slice(extra);
    s.run(&args)
}

#[test]
fn regression_fill_below_had_no_hint_to_write_under() {
    let s = Sandbox::new();
    let r = check(
        &s,
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nx = [0, 1]\n\
         series = [{ y = \"x\", fill = \"below\" }]\n",
        &[],
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown name `below`",
        "write `fill = \"under\"`",
        "scene.toml:5:"
    );
    // a CSV series reads a plain word as a column first: the hint comes with that error
    s.write("d.csv", "day,revenue\n1,2\n2,3\n");
    let r = check(
        &s,
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\n\
         series = [{ csv = \"d.csv\", x = \"day\", y = \"revenue\", fill = \"below\" }]\n",
        &[],
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "has no column `below`", "write `fill = \"under\"`");
}

#[test]
fn regression_a_bar_tables_shortened_column_was_reported_at_csv_without_a_suggestion() {
    let s = Sandbox::new();
    s.write("langs.csv", "language,2020,2021\nRust,3,5\nGo,4,4\n");
    let r = check(
        &s,
        "[clip.main]\nkind = \"bars\"\nsize = [300, 200]\nduration = 2\ncsv = \"langs.csv\"\n\
         names = \"lang\"\n",
        &[],
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "langs.csv has no column `lang`",
        "did you mean `language`?",
        "scene.toml:6:9"
    );
    // a value column named wrongly: at `columns`
    let r = check(
        &s,
        "[clip.main]\nkind = \"bars\"\nsize = [300, 200]\nduration = 2\ncsv = \"langs.csv\"\n\
         names = \"language\"\ncolumns = [\"2020\", \"2022\"]\n",
        &[],
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "has no column `2022`", "scene.toml:7:11");
}

#[test]
fn regression_a_file_name_given_to_set_got_a_module_prefix_hint() {
    let s = Sandbox::new();
    let scene = "[vars]\nsecs = 2\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\n\
                 size = [8, 8]\nduration = \"secs\"\n";
    let r = check(&s, scene, &["--set", "secs=data/other.csv"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "--set secs=data/other.csv", "not a file name");
    assert!(!r.stderr.contains("module prefix"), "{}", r.stderr);
    // a number is still fine
    let r = check(&s, scene, &["--set", "secs=3"]);
    assert_exit!(r, 0);
}

#[test]
fn regression_c_style_logic_in_an_expression_had_no_hint() {
    let s = Sandbox::new();
    let cases = [
        ("(x > 0) && (x < 1)", "write `and`"),
        ("(x < 0) || (x > 1)", "write `or`"),
        ("!(x > 1)", "write `not`"),
    ];
    for (y, want) in cases {
        let r = check(
            &s,
            &format!(
                "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nx = [0, 1]\n\
                 series = [{{ y = \"{y}\" }}]\n"
            ),
            &[],
        );
        assert_exit!(r, 2);
        assert_stderr!(r, want, "scene.toml:5:");
    }
}

/// Long country names and populations on a 480×300 chart.
const COUNTRIES: &str = "country,2010,2020\n\
    Democratic Republic of the Congo,66236364,92084848\nGermany,82036364,83160871\n\
    Chad,11952136,16644701\n";

#[test]
fn regression_long_bar_names_and_value_labels_were_cut_silently() {
    let s = Sandbox::new();
    s.write("pop.csv", COUNTRIES);
    let scene = |orientation: &str, names: &str| {
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [480, 300]\nduration = 2\n\
             orientation = \"{orientation}\"\ncsv = \"{names}\"\nnames = \"country\"\n\
             value_labels = \"{{value:,.0f}}\"\n"
        )
    };
    s.write("scene.toml", scene("horizontal", "pop.csv"));
    // the last frame: the largest value, 92,084,848, at the axis's end
    let r = s.run(&["frame", "scene.toml", "-t", "1.96", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the bar name `Democratic Republic of the Congo` of `main`",
        "is cut at the figure's left edge",
        "warning: the value label `",
        "is cut at the figure's right edge",
        "{value / 1e6:.1f} M"
    );
    // once each, though the render draws many frames
    s.write("scene.toml", scene("horizontal", "pop.csv"));
    let r = s.run(&["render", "scene.toml", "-o", "out.gif", "--fps", "5"]);
    assert_exit!(r, 0);
    assert_eq!(r.stderr.matches("is cut at").count(), 2, "{}", r.stderr);
    // short names and small values fit: nothing said
    s.write("short.csv", "country,2010,2020\nChad,11,16\nPeru,29,33\n");
    s.write("scene.toml", scene("horizontal", "short.csv"));
    let r = s.run(&["frame", "scene.toml", "-t", "1", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn regression_the_top_value_label_of_vertical_bars_ran_into_the_axis_offset() {
    let s = Sandbox::new();
    // the tallest bar first, at the left, under the value axis's `1e7`
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"bars\"\nsize = [480, 300]\nvalue_labels = \"{value:,.0f}\"\n\
         bars = [{ label = \"a\", value = 92084848 }, { label = \"b\", value = 50000000 }, \
         { label = \"c\", value = 30000000 }]\n",
    );
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    let img = crate::util::read_png(&s.path("f.png"));
    const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];
    let (top, _) = extent(&img, BLUE, false).expect("the first bar");
    let (left, right) = extent(&img, BLUE, true).unwrap();
    let mid = (left + right) / 2;
    let dark = |y: u32| {
        (mid - 15..mid + 15)
            .filter(|&x| img.get_pixel(x, y).0[..3].iter().all(|&v| v < 100))
            .count()
    };
    // the top spine: the lowest dark row above the bar across its middle
    let spine = (0..top)
        .rev()
        .find(|&y| dark(y) == 30)
        .expect("the top spine");
    let inside: usize = (spine + 2..top).map(dark).sum();
    let above: usize = (spine.saturating_sub(12)..spine).map(dark).sum();
    assert!(
        inside > 20,
        "the value label inside the axes: {inside} dark pixels"
    );
    assert_eq!(above, 0, "dark pixels above the axes, over the first bar");
}
