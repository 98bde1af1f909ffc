//! Found by the hostile-input round 9 (findings F-BA to F-BF): simulations, chart texts
//! and classes of `color_by` given absurd sizes. Each test makes its own inputs; a run
//! that does not answer within the sandbox's deadline fails as a hang.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A simulation clip `main` with the lines given (`init`, `step`, `show`, …).
fn simulation(keys: &str) -> String {
    format!("[output]\nfps = 10\n\n[clip.main]\nkind = \"simulation\"\ngrid = [8, 6]\nduration = 1\nvmin = 0\nvmax = 1\n{keys}\n")
}

#[test]
fn regression_a_neighbour_function_of_x_or_y_panicked() {
    // `x` and `y` are read as grids in a line, but are no grid of the simulation: a
    // neighbour function of them looked for their slot and panicked ("a grid").
    let cases = [
        (
            "init = { u = \"0\" }\nstep = [\"u = lap(x)\"]\nshow = \"u\"",
            "lap(x)",
            "`x` is each cell's column",
        ),
        (
            "init = { u = \"nsum8(y)\" }\nshow = \"u\"",
            "nsum8(y)",
            "`y` is each cell's row",
        ),
        (
            "init = { u = \"0\" }\nshow = \"u + shift(x, 1, 0)\"",
            "shift(x, 1, 0)",
            "`x` is each cell's column",
        ),
    ];
    for (keys, call, says) in cases {
        let sb = Sandbox::new();
        sb.write("scene.toml", simulation(keys));
        let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
        assert_exit!(r, 2);
        assert_stderr!(r, says, "scene.toml:", call);
    }
}

#[test]
fn regression_a_simulation_of_thousands_of_grids_loaded_for_a_minute() {
    // Ordering `init` and finding each name cost the square of the grids' number:
    // 100 000 grids of one cell each loaded in 36 s. `init` names at most 256.
    let sb = Sandbox::new();
    let many: Vec<String> = (0..300).map(|i| format!("g{i} = {i}")).collect();
    let keys = format!("init = {{ {} }}\nshow = \"g0\"", many.join(", "));
    sb.write("scene.toml", simulation(&keys));
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(r, "`init` names 300 grids: at most 256", "scene.toml:10:8");
    let fine: Vec<String> = (0..256).map(|i| format!("g{i} = {i}")).collect();
    let keys = format!("init = {{ {} }}\nshow = \"g0\"", fine.join(", "));
    sb.write("scene.toml", simulation(&keys));
    assert_exit!(sb.run_bounded(&["check", "scene.toml"], None).unwrap(), 0);
}

#[test]
fn regression_the_range_of_a_day_of_a_one_cell_simulation_loaded_for_minutes() {
    // The automatic range steps every frame while the scene loads, bounded by cell
    // evaluations; a frame of one cell counted one, though a frame costs microseconds
    // whatever its grid: 86.4 million frames passed the bound (and their times took
    // 690 MB). A frame now counts at least 1024 evaluations.
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nfps = 10\n\n[clip.main]\nkind = \"simulation\"\ngrid = [1, 1]\nfps = 1000\nduration = 86400\ninit = { u = \"0\" }\nstep = [\"u = u + rand()\"]\nshow = \"u\"\n",
    );
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert_stderr!(r, "86400000 frames", "give `vmin` and `vmax`");
}

#[test]
fn regression_a_simulation_asked_for_a_far_time_stepped_for_hours() {
    // `frame --time 1e9` of a simulation without end stepped ten billion frames, writing
    // each to a temporary file (320 MB/s here) until the disk was nearly full. A
    // simulation runs at most a day of its own time.
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        "[output]\nfps = 10\n\n[clip.main]\nkind = \"simulation\"\ngrid = [20, 20]\ninit = { u = \"rand()\" }\nstep = [\"u = u + 0.1 * lap(u)\"]\nshow = \"u\"\nvmin = 0\nvmax = 1\n",
    );
    let r = sb
        .run_bounded(&["frame", "scene.toml", "-t", "1e9", "-o", "f.png"], None)
        .unwrap();
    assert_exit!(r, 1);
    assert_stderr!(r, "at most a day of its own time (864000 frames at 10 fps)");
    assert!(!sb.path("f.png").exists());
    // Within the day, a frame far on is still drawn.
    let r = sb
        .run_bounded(&["frame", "scene.toml", "-t", "20", "-o", "f.png"], None)
        .unwrap();
    assert_exit!(r, 0);
}

#[test]
fn regression_chart_texts_had_no_length_bound() {
    // A text clip takes at most 20 000 bytes, but a chart's texts took any length: a
    // 15 MB title or annotation took 3 GB to lay out and aborted, and a 1 MB annotation
    // took 2.4 s a frame (each frame shapes it again).
    let long = "w".repeat(20_001);
    let plot = |keys: &str| {
        format!("[output]\nfps = 10\n\n[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 1\nx = [0, 1]\n{keys}\n")
    };
    let cases = [
        format!("title = \"{long}\"\nseries = [{{ y = \"x\" }}]"),
        format!(
            "series = [{{ y = \"x\" }}]\nannotations = [{{ text = \"{long}\", x = 0.5, y = 0.5 }}]"
        ),
        format!("series = [{{ y = \"x\", head_label = \"{long}\" }}]"),
        format!("series = [{{ y = \"x\", label = \"{long}\" }}]\nlegend = \"upper left\""),
    ];
    for keys in &cases {
        let sb = Sandbox::new();
        sb.write("scene.toml", plot(keys));
        let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "the text is 20001 bytes long; at most 20000",
            "scene.toml:"
        );
    }
    let sb = Sandbox::new();
    sb.write(
        "scene.toml",
        format!("[output]\nfps = 10\n\n[clip.main]\nkind = \"field\"\nsize = [160, 120]\nf = \"x\"\nx = [0, 1]\ny = [0, 1]\ncolorbar = true\ncolorbar_label = \"{long}\"\n"),
    );
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(r, "`colorbar_label` is 20001 bytes long; at most 20000");
}

#[test]
fn regression_many_classes_took_the_square_of_their_number() {
    // Each row's class was looked for among the classes seen so far, and each name of
    // `classes` among the column's classes and the names before it (parsing both as
    // numbers in a column of numbers): 100 000 classes did not load in 5 minutes.
    let n = 40_000;
    let sb = Sandbox::new();
    let mut csv = String::from("x,y,c\n");
    for i in 0..n {
        csv.push_str(&format!("{},{},{i}\n", i % 7, i % 11));
    }
    sb.write("points.csv", csv);
    let listed: Vec<String> = (0..n).rev().map(|i| i.to_string()).collect();
    let colors: Vec<String> = (0..n)
        .map(|i| format!("\"{i}\" = \"C{}\"", i % 10))
        .collect();
    sb.write(
        "scene.toml",
        format!(
            "[output]\nfps = 10\n\n[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 0.1\nseries = [{{ csv = \"points.csv\", x = \"x\", y = \"y\", color_by = \"c\", classes = [{}, 1e9, 2e9], class_colors = {{ {}, \"1e9\" = \"red\" }} }}]\n",
            listed.join(", "),
            colors.join(", ")
        ),
    );
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 0);
    // Names the column does not hold are warned of, one warning each.
    assert_stderr!(
        r,
        "`classes` lists `1000000000`",
        "`classes` lists `2000000000`"
    );
    // Text classes, as the rows first show them.
    let mut csv = String::from("x,y,c\n");
    for i in 0..n {
        csv.push_str(&format!("{},{},k{i}\n", i % 7, i % 11));
    }
    sb.write("points.csv", csv);
    sb.write(
        "scene.toml",
        "[output]\nfps = 10\n\n[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 0.1\nseries = [{ csv = \"points.csv\", x = \"x\", y = \"y\", color_by = \"c\" }]\n",
    );
    assert_exit!(sb.run_bounded(&["check", "scene.toml"], None).unwrap(), 0);
}

#[test]
fn regression_a_class_coloured_twice_in_class_colors_was_not_warned_of() {
    // `1` and `1.0` name the same class of a column of numbers: one of the two colours
    // was used and nothing said which.
    let sb = Sandbox::new();
    sb.write("points.csv", "x,y,c\n0,0,1\n1,1,2\n");
    sb.write(
        "scene.toml",
        "[output]\nfps = 10\n\n[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 0.1\nseries = [{ csv = \"points.csv\", x = \"x\", y = \"y\", color_by = \"c\", class_colors = { 1 = \"red\", \"1.0\" = \"blue\", 2 = \"green\" } }]\n",
    );
    let r = sb.run_bounded(&["check", "scene.toml"], None).unwrap();
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "`class_colors` names class `1` twice, as `1` and `1.0`: the colour of `1` is used"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn regression_a_simulation_beyond_the_memory_allowed_aborted() {
    // The scene's budget for what clips hold is 4 GiB; where a process may use less
    // (`ulimit -v`), a simulation's grids that passed it failed to allocate and aborted
    // the process (signal 6, exit 134). They are an error now.
    let sb = Sandbox::new();
    let grids: Vec<String> = (0..10).map(|i| format!("g{i} = \"0\"")).collect();
    sb.write(
        "scene.toml",
        format!("[output]\nfps = 10\n\n[clip.main]\nkind = \"simulation\"\nsize = [32, 32]\ngrid = [2048, 2048]\nduration = 0.2\ninit = {{ {} }}\nshow = \"g0\"\nvmin = 0\nvmax = 1\n", grids.join(", ")),
    );
    let r = sb
        .run_bounded(
            &["render", "scene.toml", "-o", "out.gif", "-q"],
            Some(300 << 20),
        )
        .unwrap();
    assert_exit!(r, 1);
    assert_stderr!(r, "a simulation's grids (416 MiB) do not fit in the memory");
    assert!(!sb.path("out.gif").exists());
}

#[test]
fn regression_a_legend_of_many_classes_was_cut_at_the_axes_without_a_word() {
    // 100 000 classes made a legend far taller than the axes: its rows ran off them and
    // nothing said so. Now a warning names the clip and the number of rows, once.
    let sb = Sandbox::new();
    let mut csv = String::from("x,y,c\n");
    for i in 0..60 {
        csv.push_str(&format!("{},{},k{i}\n", i % 7, i % 11));
    }
    sb.write("points.csv", csv);
    let scene = |legend: &str, classes: &str| {
        format!(
            "[output]\nfps = 10\n\n[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 0.2\nlegend = \"{legend}\"\nseries = [{{ csv = \"points.csv\", x = \"x\", y = \"y\", color_by = \"c\"{classes} }}]\n"
        )
    };
    for legend in ["upper right", "lower left", "center"] {
        sb.write("scene.toml", scene(legend, ""));
        let r = sb
            .run_bounded(&["render", "scene.toml", "-o", "out.gif", "-q"], None)
            .unwrap();
        assert_exit!(r, 0);
        assert_stderr!(
            r,
            "warning: the legend of `main` (60 rows) is larger than the axes, which cut it"
        );
        assert_eq!(r.stderr.matches("the legend of").count(), 1, "{}", r.stderr);
    }
    // Two classes fit: nothing is said.
    sb.write(
        "scene.toml",
        scene("upper right", ", classes = [\"k1\", \"k2\"]"),
    );
    let r = sb
        .run_bounded(&["render", "scene.toml", "-o", "out.gif", "-q"], None)
        .unwrap();
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("legend"), "{}", r.stderr);
}
