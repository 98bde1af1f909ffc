//! Gaps a matplotlib user meets, closed: filled contours on a log colour scale
//! (`contourf(…, norm=LogNorm())`), checked against matplotlib's levels and colours
//! (tests/fixtures/contour/log_levels.txt), with their errors at their places.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const LOG_LEVELS: &str = include_str!("../fixtures/contour/log_levels.txt");

/// The band colours matplotlib gave the fixture's `colors` case for `levels`.
fn mpl_colors(cmap: &str, levels: &str) -> Vec<[u8; 3]> {
    let line = LOG_LEVELS
        .lines()
        .find(|l| l.starts_with(&format!("colors {cmap} auto auto | {levels} |")))
        .expect("the fixture has the case");
    line.rsplit(" | ")
        .next()
        .unwrap()
        .split_whitespace()
        .map(|c| {
            let v: Vec<u8> = c.split(',').map(|x| x.parse().unwrap()).collect();
            [v[0], v[1], v[2]]
        })
        .collect()
}

/// A field of `f` over x in 0 … 1 filling 300×60 pixels, as filled contours.
fn log_field(f: &str, keys: &str) -> String {
    format!(
        "[clip.main]\nkind = \"field\"\nsize = [300, 60]\nf = \"{f}\"\nx = [0, 1]\n\
         y = [0, 1]\nresolution = [61, 5]\n{keys}\n"
    )
}

/// Three decades side by side: each band takes matplotlib's colour, the colour of
/// its geometric middle on the log scale (a linear norm would give other colours).
#[test]
fn filled_levels_on_a_log_scale_have_matplotlibs_colours() {
    let s = Sandbox::new();
    let want = mpl_colors("viridis", "1.0 10.0 100.0 1000.0");
    let img = s.frame(
        &log_field(
            "10^(3*x)",
            "levels = [1, 10, 100, 1000]\nnorm = \"log\"\ncolormap = \"viridis\"",
        ),
        0.0,
    );
    for (k, x) in [50, 150, 250].into_iter().enumerate() {
        let got = img.get_pixel(x, 30).0;
        for c in 0..3 {
            assert!(
                got[c].abs_diff(want[k][c]) <= 1,
                "band {k} at x = {x}: {got:?}, matplotlib {:?}",
                want[k]
            );
        }
        assert_eq!(got[3], 255);
    }
    // on a linear scale the same levels give other colours
    let linear = s.frame(
        &log_field(
            "10^(3*x)",
            "levels = [1, 10, 100, 1000]\ncolormap = \"viridis\"",
        ),
        0.0,
    );
    assert_ne!(linear.get_pixel(150, 30), img.get_pixel(150, 30));
}

/// A count of levels is matplotlib's `LogLocator(numticks=N)`: on 1 … 10⁴ with
/// `levels = 7`, the decades 0.1 … 10⁵, as if written out.
#[test]
fn a_count_of_log_levels_is_decades() {
    let s = Sandbox::new();
    let line = LOG_LEVELS
        .lines()
        .find(|l| l.starts_with("levels 1 10000.0 7 |"))
        .unwrap();
    let written = line.rsplit(" | ").next().unwrap().replace(' ', ", ");
    let counted = s.frame(
        &log_field("10^(4*x)", "levels = 7\nnorm = \"log\"\ncolorbar = true"),
        0.0,
    );
    let given = s.frame(
        &log_field(
            "10^(4*x)",
            &format!("levels = [{written}]\nnorm = \"log\"\ncolorbar = true"),
        ),
        0.0,
    );
    assert!(counted == given, "levels = 7 are not matplotlib's decades");
    // a linear count chooses other levels: another picture
    let linear = s.frame(&log_field("10^(4*x)", "levels = 7\ncolorbar = true"), 0.0);
    assert!(counted != linear);
}

/// Values ≤ 0 have no place on a log scale: the cells they are corners of are left
/// out, as matplotlib masks them, exactly as NaN cells are.
#[test]
fn values_not_positive_are_left_out_of_log_bands() {
    let s = Sandbox::new();
    let keys = "levels = [0.01, 0.1, 1]\nnorm = \"log\"\nbackground = \"white\"";
    let masked = s.frame(&log_field("2*x - 1", keys), 0.0);
    let nan = s.frame(&log_field("if(2*x - 1 > 0, 2*x - 1, sqrt(-1))", keys), 0.0);
    assert!(masked == nan, "values ≤ 0 are not left out as NaN is");
    // the left half is not filled (the background shows), the right half is
    assert_eq!(masked.get_pixel(60, 30).0, [255, 255, 255, 255]);
    assert_ne!(masked.get_pixel(280, 30).0, [255, 255, 255, 255]);
}

/// The colorbar of log bands gives each decade the same height (its axis is a log
/// axis, as matplotlib's colorbar of contours on a `LogNorm`).
#[test]
fn a_log_bands_colorbar_gives_each_decade_the_same_height() {
    let s = Sandbox::new();
    let colors = mpl_colors("viridis", "1.0 10.0 100.0 1000.0");
    let img = s.frame(
        &format!(
            "[clip.main]\nkind = \"field\"\nsize = [300, 200]\nf = \"10^(3*x)\"\nx = [0, 1]\n\
             y = [0, 1]\nlevels = [1, 10, 100, 1000]\nnorm = \"log\"\ncolorbar = true\n"
        ),
        0.0,
    );
    let near = |p: [u8; 4], c: [u8; 3]| (0..3).all(|i| p[i].abs_diff(c[i]) <= 1);
    // the bar: the column right of the field holding every band's colour
    let mut found = false;
    for x in (img.width() / 2..img.width()).rev() {
        let rows: Vec<usize> = colors
            .iter()
            .map(|c| {
                (0..img.height())
                    .filter(|&y| near(img.get_pixel(x, y).0, *c))
                    .count()
            })
            .collect();
        if rows.iter().all(|&n| n > 10) {
            let (lo, hi) = (rows.iter().min().unwrap(), rows.iter().max().unwrap());
            assert!(hi - lo <= 2, "bands of the colorbar: {rows:?} rows");
            found = true;
            break;
        }
    }
    assert!(found, "no colorbar column with the three bands");
}

/// A level ≤ 0 given on a log scale is an error at `levels` (or `contours`), exit 2.
#[test]
fn a_level_not_positive_on_a_log_scale_is_an_error_at_its_place() {
    let s = Sandbox::new();
    s.write(
        "l.toml",
        "[clip.main]\nkind = \"field\"\nf = \"x\"\nx = [1, 2]\ny = [0, 1]\nsize = [200, 150]\n\
         levels = [0, 1, 10]\nnorm = \"log\"\n",
    );
    let r = s.run(&["check", "l.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`levels` has the level 0, and a log colour scale (`norm = \"log\"`) places positive \
         values only",
        "l.toml:7:10",
        "give positive levels"
    );
    s.write(
        "c.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\n\
         field = { f = \"x\", x = [1, 2], y = [0, 1], norm = \"log\", contours = [-1, 1] }\n",
    );
    let r = s.run(&["check", "c.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`contours` has the level -1", "c.toml:4:");
}

/// Log bands render the same bytes on one thread and on three.
#[test]
fn log_bands_are_the_same_on_one_and_three_threads() {
    let s = Sandbox::new();
    let scene = "[output]\nfps = 4\n\n[clip.main]\nkind = \"plot\"\nsize = [160, 120]\n\
                 duration = 1\nfield = { f = \"10^(3*x + t)\", x = [0, 1], y = [0, 1], \
                 levels = 5, norm = \"log\", colorbar = true, contours = true }\n";
    let one = s.render_frames(scene, &["--threads", "1"]);
    let three = s.render_frames(scene, &["--threads", "3"]);
    assert_eq!(one.len(), 4);
    assert!(one == three, "frames differ between 1 and 3 threads");
}
