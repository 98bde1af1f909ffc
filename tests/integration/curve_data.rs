//! `curve3d` with `csv`: a trajectory from data (the rows of a CSV file are the
//! curve's points, x, y and z expressions of its columns), through the real binary.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A helix of 7 points seen from the side; `points` gives x, y, z.
fn curve(points: &str) -> String {
    format!(
        "[clip.main]\nkind = \"curve3d\"\nsize = [120, 120]\nduration = 1\n{points}\n\
         line = {{ width = 2 }}\nbackground = \"white\"\ncamera = {{ azimuth = 30, elevation = 20 }}\n"
    )
}

#[test]
fn a_curve_from_csv_rows_is_the_curve_of_the_same_points_from_formulas() {
    let s = Sandbox::new();
    // u = 0, 1, …, 6 both ways: the row's number, and linspace(0, 6, 7).
    let rows: String = (0..7)
        .map(|i| format!("{},{}\n", i as f64 * 0.5, i * 10))
        .collect();
    s.write("helix.csv", format!("h,unused\n{rows}"));
    let formulas = s.frame(
        &curve("u = [0, 6]\nsamples = 7\nx = \"cos(u)\"\ny = \"sin(u)\"\nz = \"u / 2\""),
        0.0,
    );
    let data = s.frame(
        &curve("csv = \"helix.csv\"\nx = \"cos(u)\"\ny = \"sin(u)\"\nz = \"h\""),
        0.0,
    );
    assert!(
        formulas.pixels().any(|p| p.0 != [255, 255, 255, 255]),
        "a curve is drawn"
    );
    assert!(formulas == data, "the same points give the same picture");
    // The file is an input of the render.
    s.write(
        "scene.toml",
        curve("csv = \"helix.csv\"\nx = \"cos(u)\"\ny = \"sin(u)\"\nz = \"h\""),
    );
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("helix.csv"), "{}", r.stdout);
}

#[test]
fn a_csv_curve_draws_itself_where_its_formula_is_nan_past_the_pen() {
    let s = Sandbox::new();
    let rows: String = (0..50)
        .map(|i| format!("{},{}\n", (i as f64 * 0.3).cos(), i))
        .collect();
    s.write("track.csv", format!("px,pz\n{rows}"));
    let scene = curve("csv = \"track.csv\"\nx = \"if(u <= 49*t, px, 0/0)\"\ny = \"0\"\nz = \"pz\"");
    let inked = |t: f64| {
        s.frame(&scene, t)
            .pixels()
            .filter(|p| p.0 != [255, 255, 255, 255])
            .count()
    };
    let (early, late) = (inked(0.2), inked(0.96));
    assert!(early > 0 && late > 2 * early, "{early} {late}");
}

#[test]
fn csv_curve_errors_name_the_key_and_the_columns() {
    let s = Sandbox::new();
    s.write("p.csv", "a,b,t\n1,2,3\n4,5,6\n");
    let check = |points: &str| {
        s.write("scene.toml", curve(points));
        s.run(&["check", "scene.toml"])
    };
    let r = check("csv = \"p.csv\"\nu = [0, 1]\nx = \"a\"\ny = \"b\"\nz = \"0\"");
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "with `csv`, the curve's points are the file's rows: `u` is not given",
        "scene.toml:6:5"
    );
    let r = check("x = \"a\"\ny = \"b\"\nz = \"0\"");
    assert_stderr!(r, "a curve needs `u`", "or `csv`");
    // `t` is the time, not the column: only a and b can be named.
    let r = check("csv = \"p.csv\"\nx = \"u\"\ny = \"t\"\nz = \"0\"");
    assert_stderr!(
        r,
        "x, y and z name none of p.csv's columns",
        "its columns: a, b"
    );
    let r = check("csv = \"p.csv\"\nx = \"a\"\ny = \"bb\"\nz = \"0\"");
    assert_stderr!(r, "unknown name `bb`", "scene.toml:7:6");
    s.write("q.csv", "a\n1\noops\n");
    let r = check("csv = \"q.csv\"\nx = \"a\"\ny = \"0\"\nz = \"0\"");
    assert_exit!(r, 2);
    assert_stderr!(r, "oops", "line 3", "scene.toml:5:7");
    // Two columns named alike: refused, at the `csv` key.
    s.write("d.csv", "a,b,a\n1,2,3\n4,5,6\n");
    let r = check("csv = \"d.csv\"\nx = \"a\"\ny = \"b\"\nz = \"a\"");
    assert_exit!(r, 2);
    assert_stderr!(r, "two columns named `a`", "scene.toml:5:7");
    s.write("r.csv", "a\n1\n");
    let r = check("csv = \"r.csv\"\nx = \"a\"\ny = \"0\"\nz = \"0\"");
    assert_stderr!(r, "r.csv has 1 data row: a curve needs at least 2 points");
}

#[test]
fn the_lorenz_scene_traces_the_attractor_from_its_solver_rows() {
    // scenes/lorenz.toml reads the rows scenes/generators/lorenz.pl writes.
    let s = Sandbox::with_example_scenes();
    let inked = |t: &str| {
        let r = s.run(&["frame", "scenes/lorenz.toml", "-t", t, "-o", "l.png"]);
        assert_exit!(r, 0);
        let img = crate::util::read_png(&s.path("l.png"));
        assert_eq!(img.dimensions(), (480, 480));
        img.pixels().filter(|p| p.0 != [255, 255, 255, 255]).count()
    };
    let (early, late) = (inked("0.5"), inked("5"));
    assert!(early > 50 && late > 3 * early, "{early} {late}");
}

/// A column named like a built-in (`t`, `u`, `pi`) is hidden by it: the formula reads
/// the built-in, and a warning at the formula says so (hostile7 F-AF: `x = "t"` drew
/// the time, silently). Columns of other names are read.
#[test]
fn regression_a_column_named_like_a_built_in_was_silently_hidden() {
    let s = Sandbox::new();
    let rows: String = (0..7)
        .map(|i| {
            format!(
                "{i},{},{},{i},{},{},{}\n",
                i + 5,
                i + 7,
                i + 5,
                i + 7,
                i * 2
            )
        })
        .collect();
    s.write("amb.csv", format!("u,t,pi,uu,tt,pp,c\n{rows}"));
    let cases = [
        (
            "x = \"u\"",
            "`u` in `x` is the row's number, not column `u` of amb.csv",
        ),
        (
            "x = \"2 * t\"",
            "`t` in `x` is the time, not column `t` of amb.csv",
        ),
        (
            "x = \"pi + c\"",
            "`pi` in `x` is a constant, not column `pi` of amb.csv",
        ),
    ];
    for (x, warning) in cases {
        s.write(
            "scene.toml",
            curve(&format!("csv = \"amb.csv\"\n{x}\ny = \"c\"\nz = \"0\"")),
        );
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 0);
        assert_stderr!(
            r,
            warning,
            "a column named like a built-in cannot be read",
            "scene.toml:6:",
            "rename the column in the file",
        );
    }
    // columns of their own names are read without a word
    s.write(
        "scene.toml",
        curve("csv = \"amb.csv\"\nx = \"uu + tt\"\ny = \"pp\"\nz = \"c\""),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}
