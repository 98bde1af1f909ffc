//! What a newcomer met writing scenes from the docs alone (part 2): crowded tick
//! labels on small charts, `--duration` past the end of the scene, and the hints for
//! CSV files and positions written another tool's way.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// The tick marks under the x axis of `img`: runs of dark pixels in the row a few
/// pixels below the axes' bottom edge (the lowest row that is dark across most of it).
fn x_ticks(img: &image::RgbaImage) -> usize {
    let dark = |x: u32, y: u32| img.get_pixel(x, y)[0] < 60;
    let (w, h) = img.dimensions();
    let bottom = (0..h)
        .rev()
        .find(|&y| (0..w).filter(|&x| dark(x, y)).count() > w as usize / 2)
        .expect("the axes' bottom edge");
    let row = bottom + 3;
    (0..w)
        .filter(|&x| dark(x, row) && (x == 0 || !dark(x - 1, row)))
        .count()
}

#[test]
fn a_small_bars_clip_has_tick_labels_that_do_not_run_together() {
    let sb = Sandbox::new();
    let scene = |w: u32| {
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [{w}, 200]\norientation = \"horizontal\"\n\
             bars = [{{ label = \"LA\", value = 25000 }}, {{ label = \"NY\", value = 12000 }}]\n"
        )
    };
    // 330 pixels wide: 0, 10000, 20000 (matplotlib's guess of room put a tick every 5000,
    // five-digit labels 3 pixels apart)
    let small = sb.frame(&scene(330), 0.0);
    assert_eq!(x_ticks(&small), 3);
    // wide enough, matplotlib's six ticks stay
    let wide = sb.frame(&scene(560), 0.0);
    assert_eq!(x_ticks(&wide), 6);
    // a small plot up to 1e6 writes 0.0, 0.5, 1.0 and the offset 1e6: matplotlib's three
    // ticks, short labels that needed no thinning
    let plot = sb.frame(
        "[clip.main]\nkind = \"plot\"\nsize = [240, 160]\nx = [0, 1000000]\n\
         series = [{ y = \"x\" }]\n",
        0.0,
    );
    assert_eq!(plot.dimensions(), (240, 160));
    assert_eq!(x_ticks(&plot), 3);
}

/// A 2-second plot beside a clock text that never ends: the composite lasts 2 s.
const PLOT_AND_CLOCK: &str = r#"
[output]
fps = 5
[clip.plot]
kind = "plot"
size = [160, 100]
duration = 2
x = [0, 6]
ylim = [-1, 1]
series = [{ y = "sin(x + 3*t)" }]
[clip.clock]
kind = "text"
text = "{t:.1f} s"
font_size = 14
color = "black"
[clip.main]
kind = "composite"
layers = [{ clip = "plot" }, { clip = "clock", position = ["right", "top"] }]
"#;

#[test]
fn a_duration_past_the_scene_says_what_stands_still() {
    let sb = Sandbox::new();
    sb.write("scene.toml", PLOT_AND_CLOCK);
    let r = sb.run(&[
        "render",
        "scene.toml",
        "--duration",
        "4",
        "-o",
        "long/",
        "-q",
    ]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the render lasts 4 s but the root clip `main` ends at 2 s: its last frame \
         is held still from there to the end (clips that end by then: `plot` at 2 s)"
    );
    assert_eq!(r.stderr.matches("warning:").count(), 1, "{}", r.stderr);
    assert_eq!(std::fs::read_dir(sb.path("long")).unwrap().count(), 20);
    // the frames after the end all show the root at its end
    let frame = |i: u32| crate::util::read_png(&sb.path(&format!("long/{i:04}.png")));
    assert!(frame(10) == frame(19) && frame(9) != frame(10));
    // [output] duration longer than the root says the same; a render within it nothing
    sb.write(
        "scene.toml",
        PLOT_AND_CLOCK.replace("fps = 5", "fps = 5\nduration = 3"),
    );
    let r = sb.run(&["render", "scene.toml", "-o", "out/", "-q"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "the render lasts 3 s but the root clip `main` ends at 2 s"
    );
    for d in ["2", "1"] {
        let r = sb.run(&[
            "render",
            "scene.toml",
            "--duration",
            d,
            "-o",
            "short/",
            "-q",
        ]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    }
}

#[test]
fn a_plot_that_needs_its_duration_points_at_what_moves() {
    let sb = Sandbox::new();
    let plot = |keys: &str| {
        format!("[clip.main]\nkind = \"plot\"\nsize = [160, 100]\nx = [0, 6]\n{keys}\n")
    };
    let cases = [
        // the moving series, on its own line
        (
            "series = [\n  { y = \"x\" },\n  { y = \"sin(x + t)\" },\n]",
            "scene.toml:7:3",
        ),
        // a moving limit
        (
            "xlim = [0, \"1 + t\"]\nseries = [{ y = \"x\" }]",
            "scene.toml:5:8",
        ),
    ];
    for (keys, place) in cases {
        sb.write("scene.toml", plot(keys));
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "this plot changes over time, so its automatic axis limits are chosen over the \
             whole clip, which needs its `duration`",
            place,
            "hint: give `duration`"
        );
        assert!(!r.stderr.contains("size = [160, 100]"), "{}", r.stderr);
    }
}

#[test]
fn csv_files_written_another_way_say_how_animate_reads_them() {
    let sb = Sandbox::new();
    let scene = |file: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [160, 100]\n\
             series = [{{ csv = \"{file}\", x = \"t\", y = \"v\" }}]\n"
        )
    };
    for word in ["n/a", "NA", "-", "null"] {
        sb.write("na.csv", format!("t,v\n0,1\n1,{word}\n"));
        sb.write("scene.toml", scene("na.csv"));
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            &format!(
                "na.csv, line 3, column `v`: `{word}` is not a number (leave the cell empty for \
                 a missing value)"
            ),
            "scene.toml:4:"
        );
    }
    // `nan` and an empty cell are read as missing values
    sb.write("gap.csv", "t,v\n0,1\n1,nan\n2,\n3,2\n");
    sb.write("scene.toml", scene("gap.csv"));
    assert_exit!(sb.run(&["check", "scene.toml"]), 0);
    // semicolons and tabs
    for (text, which) in [("t;v\n0;1\n", "semicolons"), ("t\tv\n0\t1\n", "tabs")] {
        sb.write("semi.csv", text);
        sb.write("scene.toml", scene("semi.csv"));
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "semi.csv has no column `v`",
            &format!(
                "the file looks separated by {which}, but animate reads comma-separated values"
            ),
        );
    }
    // a bar chart's table says the same
    sb.write("wide.csv", "city;2000;2001\nA;1;2\n");
    sb.write(
        "scene.toml",
        "[clip.main]\nkind = \"bars\"\nsize = [160, 100]\nduration = 1\ncsv = \"wide.csv\"\n\
         names = \"city\"\n",
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "the file looks separated by semicolons");
}

#[test]
fn a_corner_written_as_one_word_gives_the_pair_to_write() {
    let sb = Sandbox::new();
    let cases = [
        ("top-right", r#"["right", "top"]"#),
        ("top_left", r#"["left", "top"]"#),
        ("bottom right", r#"["right", "bottom"]"#),
        ("upper-left", r#"["left", "top"]"#),
    ];
    for (written, pair) in cases {
        sb.write(
            "scene.toml",
            format!(
                "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [10, 10]\n[clip.main]\n\
                 kind = \"composite\"\nsize = [40, 40]\n\
                 layers = [{{ clip = \"a\", position = \"{written}\" }}]\n"
            ),
        );
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            &format!("unknown position `{written}`: a corner is two keywords, x then y: {pair}"),
            "scene.toml:8:"
        );
        // and the pair it gives is a position
        sb.write(
            "scene.toml",
            std::fs::read_to_string(sb.path("scene.toml"))
                .unwrap()
                .replace(&format!("\"{written}\""), pair),
        );
        assert_exit!(sb.run(&["check", "scene.toml"]), 0);
    }
}

#[test]
fn a_composite_lasts_until_the_latest_end_of_its_layers_that_end() {
    let sb = Sandbox::new();
    let scene = |layers: &str| {
        format!(
            "[clip.short]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 20]\nduration = 2\n\
             [clip.title]\nkind = \"text\"\ntext = \"hi\"\n\
             [clip.main]\nkind = \"composite\"\nsize = [40, 40]\nlayers = [{layers}]\n"
        )
    };
    // whatever the order, the never-ending text does not count; a layer `end` does
    for (layers, length) in [
        (r#"{ clip = "short" }, { clip = "title" }"#, "2.00 s"),
        (r#"{ clip = "title" }, { clip = "short" }"#, "2.00 s"),
        (
            r#"{ clip = "title", end = 3 }, { clip = "short" }"#,
            "3.00 s",
        ),
        (
            r#"{ clip = "short", start = 0.5 }, { clip = "title" }"#,
            "2.50 s",
        ),
    ] {
        sb.write("scene.toml", scene(layers));
        let r = sb.run(&["check", "scene.toml"]);
        assert_exit!(r, 0);
        assert!(
            r.stdout
                .contains(&format!("main  composite  40x40  0.00..{length}")),
            "{layers}:\n{}",
            r.stdout
        );
    }
    // with no layer that ends, it has no end
    sb.write("scene.toml", scene(r#"{ clip = "title" }"#));
    let r = sb.run(&["check", "scene.toml"]);
    assert!(r.stdout.contains("no end"), "{}", r.stdout);
}
