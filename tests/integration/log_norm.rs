//! A log colour scale (`norm = "log"`, matplotlib's `LogNorm`) on a field, a plot's
//! field and a `color_by` column: colours against matplotlib's
//! (tests/fixtures/colormaps/lognorm.txt), values ≤ 0 in the "bad" colour, automatic
//! limits over the positive values, and the errors at their places.

use crate::plots::npy;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const FIXTURE: &str = include_str!("../fixtures/colormaps/lognorm.txt");

/// A map, its limits, and values with the colour matplotlib gives each.
type Case = (String, f64, f64, Vec<(f64, Option<[u8; 3]>)>);

/// The fixture's colour cases, grouped by map and limits: (map, vmin, vmax, values
/// with their colours, `None` for matplotlib's masked "bad").
fn cases() -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for line in FIXTURE.lines().filter(|l| l.starts_with("color ")) {
        let p: Vec<&str> = line.split_whitespace().collect();
        let (name, lo, hi) = (
            p[1].to_string(),
            p[2].parse().unwrap(),
            p[3].parse().unwrap(),
        );
        let v: f64 = p[4].parse().unwrap();
        let c = (p[5] != "bad").then(|| {
            let x = u32::from_str_radix(&p[5][1..], 16).unwrap().to_be_bytes();
            [x[1], x[2], x[3]]
        });
        match out.last_mut() {
            Some(last) if last.0 == name && last.1 == lo && last.2 == hi => last.3.push((v, c)),
            _ => out.push((name, lo, hi, vec![(v, c)])),
        }
    }
    out
}

/// Each group of values as a one-row field, one pixel a value: the first group
/// without `vmin` and `vmax` (matplotlib found 1 and 6 over its positive values), the
/// others with matplotlib's limits.
#[test]
fn a_log_field_has_matplotlibs_colours() {
    let s = Sandbox::new();
    let all = cases();
    assert!(all.len() >= 5);
    for (k, (name, lo, hi, values)) in all.iter().enumerate() {
        let data: Vec<u8> = values.iter().flat_map(|(v, _)| v.to_le_bytes()).collect();
        let file = format!("v{k}.npy");
        s.write(
            &file,
            npy("<f8", &format!("(1, 1, {})", values.len()), &data),
        );
        let ends = match k {
            0 => {
                assert_eq!((*lo, *hi), (1.0, 6.0));
                String::new()
            }
            _ => format!("vmin = {lo:?}\nvmax = {hi:?}\n"),
        };
        let img = s.frame(
            &format!(
                "[clip.main]\nkind = \"field\"\nnpy = \"{file}\"\ncolormap = \"{name}\"\n\
                 norm = \"log\"\ninterpolation = \"nearest\"\nnan_color = \"#ff00ff\"\n{ends}"
            ),
            0.0,
        );
        assert_eq!(img.dimensions(), (values.len() as u32, 1));
        for (i, (v, want)) in values.iter().enumerate() {
            let got = img.get_pixel(i as u32, 0).0;
            match want {
                Some([r, g, b]) => {
                    assert_eq!(got, [*r, *g, *b, 255], "{name} {lo}..{hi} at {v}")
                }
                // nan_color (here magenta), matplotlib's "bad" colour
                None => assert_eq!(got, [255, 0, 255, 255], "{name} at {v}"),
            }
        }
    }
}

/// A plot's field of 10^(3x) on a log scale is the field of x on a linear one: the
/// same picture, column by column.
#[test]
fn a_plots_log_field_is_the_linear_field_of_the_exponent() {
    let s = Sandbox::new();
    let plot = |f: &str, norm: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\naxis = false\n\
             field = {{ f = \"{f}\", x = [0, 1], y = [0, 1], colormap = \"gray\", {norm} }}\n"
        )
    };
    let log = s.frame(&plot("10^(3*x)", "norm = \"log\""), 0.0);
    let linear = s.frame(&plot("3*x", "norm = \"linear\""), 0.0);
    let mut worst = 0;
    for (a, b) in log.pixels().zip(linear.pixels()) {
        worst = worst.max((0..4).map(|c| a[c].abs_diff(b[c])).max().unwrap());
    }
    assert!(worst <= 1, "log and linear pictures differ by {worst}");
    // and a linear scale over 10^(3x) is another picture (most of it dark)
    let plain = s.frame(&plot("10^(3*x)", ""), 0.0);
    assert!(plain.get_pixel(100, 75)[0] < 40 && log.get_pixel(100, 75)[0] > 100);
}

/// A `color_by` column on a log scale: the points as the same column's log10 on a
/// linear scale, the row ≤ 0 not drawn.
#[test]
fn a_color_by_column_on_a_log_scale() {
    let s = Sandbox::new();
    s.write("p.csv", "x,y,c,lc\n1,1,1,0\n2,2,10,1\n3,3,100,2\n4,4,-5,\n");
    let plot = |series: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\nxlim = [0, 5]\nylim = [0, 5]\n\
             series = [{{ csv = \"p.csv\", x = \"x\", y = \"y\", line = false, marker = \"o\", \
             size = 12, colormap = \"plasma\", {series} }}]\n"
        )
    };
    let log = s.frame(&plot("color_by = \"c\", norm = \"log\""), 0.0);
    let long = s.frame(&plot("color_by = \"lc\""), 0.0);
    assert!(
        log == long,
        "norm = \"log\" differs from log10 of the column"
    );
    let linear = s.frame(&plot("color_by = \"c\""), 0.0);
    assert!(log != linear);
}

#[test]
fn an_end_not_positive_on_a_log_scale_is_an_error_at_its_place() {
    let s = Sandbox::new();
    s.write(
        "f.toml",
        "[clip.main]\nkind = \"field\"\nf = \"x\"\nx = [1, 2]\ny = [0, 1]\nsize = [20, 10]\n\
         norm = \"log\"\nvmin = 0\n",
    );
    let r = s.run(&["check", "f.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`vmin` is 0, and a log colour scale (`norm = \"log\"`) shows positive values only",
        "f.toml:8:8",
        "leave it out to take the positive values' smallest"
    );
    s.write(
        "p.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\n\
         field = { f = \"x\", x = [1, 2], y = [0, 1], norm = \"log\", vmax = -1 }\n",
    );
    let r = s.run(&["check", "p.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`vmax` is -1", "p.toml:4:");
    // a norm of a color_by column of classes, or of no column
    s.write("c.csv", "x,y,k\n1,1,a\n2,2,b\n");
    s.write(
        "s.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\n\
         series = [{ csv = \"c.csv\", x = \"x\", y = \"y\", norm = \"log\" }]\n",
    );
    let r = s.run(&["check", "s.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`norm` colours the points by a column of numbers: give `color_by` too"
    );
    // a misspelt scale
    s.write(
        "m.toml",
        "[clip.main]\nkind = \"field\"\nf = \"x\"\nsize = [20, 10]\nnorm = \"logarithmic\"\n",
    );
    let r = s.run(&["check", "m.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "m.toml:5:8");
}
