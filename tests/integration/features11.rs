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
        "[clip.main]\nkind = \"field\"\nsize = [300, 200]\nf = \"10^(3*x)\"\nx = [0, 1]\n\
         y = [0, 1]\nlevels = [1, 10, 100, 1000]\nnorm = \"log\"\ncolorbar = true\n",
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

// ---------------------------------------------------------------------------------
// 2. a log colour scale on a 3-D surface

/// A surface of `z` over x, y in -1 … 1 seen from straight above by an orthographic
/// camera (the square fills the 64×64 frame), lit by ambient light only: each pixel
/// shows the colormap's colour of its height.
fn surface_from_above(z: &str, keys: &str) -> String {
    format!(
        "[clip.main]\nkind = \"surface\"\nsize = [64, 64]\nz = \"{z}\"\nx = [-1, 1]\n\
         y = [-1, 1]\nresolution = [65, 65]\nbackground = \"black\"\n\
         light = {{ ambient = 1, diffuse = 0, specular = 0 }}\n\
         camera = {{ azimuth = -90, elevation = 90, fov = 0, distance = {} }}\n{keys}\n",
        1.0 / 15f64.to_radians().tan()
    )
}

/// Heights 10^(2x) on a log scale take the colours heights x take on a linear one:
/// each decade the same share of the colormap (matplotlib's `LogNorm`).
#[test]
fn a_log_surface_is_coloured_by_the_logarithm_of_its_heights() {
    let s = Sandbox::new();
    let log = s.frame(&surface_from_above("10^(2*x)", "norm = \"log\""), 0.0);
    let linear = s.frame(&surface_from_above("x", ""), 0.0);
    for x in (2..62).step_by(4) {
        let (a, b) = (log.get_pixel(x, 32).0, linear.get_pixel(x, 32).0);
        assert!(
            (0..4).all(|c| a[c].abs_diff(b[c]) <= 3),
            "column {x}: log {a:?}, linear of the exponent {b:?}"
        );
    }
    // on a linear scale the middle (height 1 of 0.01 … 100) is near the low end
    let plain = s.frame(&surface_from_above("10^(2*x)", ""), 0.0);
    let (a, b) = (plain.get_pixel(32, 32).0, log.get_pixel(32, 32).0);
    assert!(a[1] + 40 < b[1], "linear {a:?} against log {b:?}");
}

/// Heights ≤ 0 have no colour on a log scale: the triangles touching them are holes,
/// exactly as where the height is NaN; automatic `zlim` is the positive heights'.
#[test]
fn heights_not_positive_are_holes_on_a_log_surface() {
    let s = Sandbox::new();
    let masked = s.frame(&surface_from_above("x", "norm = \"log\""), 0.0);
    let nan = s.frame(
        &surface_from_above("if(x > 0, x, sqrt(-1))", "norm = \"log\""),
        0.0,
    );
    assert!(masked == nan, "heights ≤ 0 are not holes as NaN ones are");
    assert_eq!(masked.get_pixel(10, 32).0, [0, 0, 0, 255]);
    // the right end is the top of the colormap (viridis #fde725): zlim ends at 1
    let right = masked.get_pixel(62, 32).0;
    assert!(right[0] > 240 && right[1] > 220, "{right:?}");
    // an animated zlim whose low end is ≤ 0 at this instant: the frame's own range
    let moving = s.frame(
        &surface_from_above("x", "norm = \"log\"\nduration = 1\nzlim = [\"t - 0.5\", 2]"),
        0.0,
    );
    let own = s.frame(
        &surface_from_above("x", "norm = \"log\"\nzlim = \"frame\""),
        0.0,
    );
    assert!(
        moving == own,
        "a zlim ≤ 0 at a frame is not the frame's own range"
    );
}

/// A log surface renders the same bytes on one thread and on three.
#[test]
fn a_log_surface_is_the_same_on_one_and_three_threads() {
    let s = Sandbox::new();
    let scene = "[output]\nfps = 4\n\n[clip.main]\nkind = \"surface\"\nsize = [96, 72]\n\
                 duration = 1\nz = \"10^(2*exp(-(x^2 + y^2)) - 1 + t) - 0.2\"\nx = [-2, 2]\n\
                 y = [-2, 2]\nresolution = [30, 30]\nnorm = \"log\"\nzlim = \"frame\"\n";
    let one = s.render_frames(scene, &["--threads", "1"]);
    let three = s.render_frames(scene, &["--threads", "3"]);
    assert_eq!(one.len(), 4);
    assert!(one == three, "frames differ between 1 and 3 threads");
}

/// A `zlim` starting at 0 or below on a log scale, and `norm` beside one `color`,
/// are errors at their places, exit 2.
#[test]
fn a_log_surfaces_errors_are_at_their_places() {
    let s = Sandbox::new();
    let base = "[clip.main]\nkind = \"surface\"\nsize = [64, 64]\nz = \"x\"\nx = [1, 2]\n\
                y = [1, 2]\nnorm = \"log\"\n";
    s.write("z.toml", format!("{base}zlim = [0, 2]\n"));
    let r = s.run(&["check", "z.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`zlim` starts at 0, and a log colour scale (`norm = \"log\"`) shows positive heights",
        "z.toml:8:8",
        "leave `zlim` out"
    );
    s.write("c.toml", format!("{base}color = \"red\"\n"));
    let r = s.run(&["check", "c.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`norm` is how heights lie on the colormap, and this surface has one `color`",
        "c.toml:7:8"
    );
    s.write("m.toml", base.replace("\"log\"", "\"logarithmic\""));
    let r = s.run(&["check", "m.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "m.toml:7:8");
    // an animated zlim may start anywhere: found where it is not positive
    s.write(
        "a.toml",
        format!("{base}duration = 1\nzlim = [\"t - 0.5\", 2]\n"),
    );
    assert_exit!(s.run(&["check", "a.toml"]), 0);
}

// ---------------------------------------------------------------------------------
// 3. chart text weight and style

/// A plot with every kind of text: title, axis labels, tick labels, legend and an
/// annotation, with `keys` added.
fn worded_plot(keys: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [360, 240]\ntitle = \"Damped wave\"\n\
         xlabel = \"time (s)\"\nylabel = \"height\"\nx = [0, 10]\nlegend = true\n\
         series = [{{ y = \"exp(-x/4)*cos(2*x)\", label = \"wave\" }}]\n\
         annotations = [{{ text = \"peak\", x = 0.5, y = 0.8 }}]\n{keys}\n"
    )
}

/// Dark pixels (text and frame ink) in rows `rows` of `img`.
fn ink(img: &image::RgbaImage, rows: std::ops::Range<u32>) -> usize {
    rows.flat_map(|y| (0..img.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0[..3].iter().all(|&c| c < 110))
        .count()
}

/// `weight = "bold"` thickens every text of the chart; `title_weight` the title only;
/// `style = "italic"` slants them (matplotlib's `fontweight`, `fontstyle`).
#[test]
fn weight_and_style_set_the_charts_text() {
    let s = Sandbox::new();
    let plain = s.frame(&worded_plot(""), 0.0);
    let bold = s.frame(&worded_plot("weight = \"bold\""), 0.0);
    let title = s.frame(&worded_plot("title_weight = \"bold\""), 0.0);
    let italic = s.frame(&worded_plot("style = \"italic\""), 0.0);
    let (top, bottom) = (0..22, 215..240);
    // the title and the tick labels and xlabel at the bottom
    assert!(ink(&bold, top.clone()) > ink(&plain, top.clone()) * 5 / 4);
    assert!(ink(&bold, bottom.clone()) > ink(&plain, bottom.clone()) * 5 / 4);
    // the title alone
    assert!(ink(&title, top.clone()) > ink(&plain, top.clone()) * 5 / 4);
    assert_eq!(ink(&title, bottom.clone()), ink(&plain, bottom.clone()));
    // a slant is not a weight: about as much ink, in other places
    assert!(italic != plain);
    let (a, b) = (ink(&italic, bottom.clone()), ink(&plain, bottom));
    assert!(a.abs_diff(b) * 5 < b, "italic {a} against upright {b}");
    // the legend's and the annotation's words (upper part of the axes) thicken too
    let (a, b) = (ink(&bold, 22..70), ink(&plain, 22..70));
    assert!(
        a > b * 11 / 10,
        "bold {a} against regular {b} in the legend's rows"
    );
    // and `title_style` slants the title alone
    let slanted = s.frame(&worded_plot("title_style = \"italic\""), 0.0);
    assert!(slanted != plain);
    assert_eq!(ink(&slanted, 215..240), ink(&plain, 215..240));
}

/// Bar charts, fields (their colorbar) and simulations take the same keys.
#[test]
fn bars_fields_and_simulations_take_weight_and_style() {
    let s = Sandbox::new();
    let bars = |k: &str| {
        format!(
            "[clip.main]\nkind = \"bars\"\nsize = [300, 200]\ntitle = \"Sales\"\n\
             bars = [{{ label = \"apples\", value = 3 }}, {{ label = \"pears\", value = 5 }}]\n{k}\n"
        )
    };
    assert!(s.frame(&bars("weight = \"bold\""), 0.0) != s.frame(&bars(""), 0.0));
    let field = |k: &str| {
        format!(
            "[clip.main]\nkind = \"field\"\nsize = [240, 120]\nf = \"x\"\nx = [0, 1]\n\
             y = [0, 1]\ncolorbar = true\n{k}\n"
        )
    };
    assert!(s.frame(&field("style = \"italic\""), 0.0) != s.frame(&field(""), 0.0));
    let sim = |k: &str| {
        format!(
            "[clip.main]\nkind = \"simulation\"\nsize = [240, 120]\nduration = 1\n\
             grid = [8, 8]\ninit = {{ u = \"x\" }}\nshow = \"u\"\ncolorbar = true\n{k}\n"
        )
    };
    assert!(s.frame(&sim("weight = 700"), 0.0) != s.frame(&sim(""), 0.0));
}

/// A font with no bold face draws its regular one, with a warning at the key.
#[test]
fn a_weight_the_font_lacks_is_a_warning_at_the_key() {
    let s = Sandbox::new();
    let system = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    s.write("serif.ttf", std::fs::read(system).unwrap());
    s.write(
        "scene.toml",
        worded_plot("font = \"serif.ttf\"\nweight = \"bold\"\ntitle_weight = 900"),
    );
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "has no face of weight 700: its nearest, of weight 400, is drawn instead",
        "scene.toml:12:10",
        "has no face of weight 900",
        "scene.toml:13:16",
        "the bundled DejaVu Sans has a bold face"
    );
    // the bundled font has one: no warning
    s.write("scene.toml", worded_plot("weight = \"bold\""));
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("no face of weight"), "{}", r.stderr);
}

/// A weight or style that is none is an error at its place, exit 2.
#[test]
fn bad_weights_and_styles_are_errors_at_their_places() {
    let s = Sandbox::new();
    for (keys, said, at) in [
        (
            "weight = \"heavy\"",
            "unknown weight `heavy`",
            "scene.toml:11:10",
        ),
        (
            "weight = 1200",
            "weight 1200 is outside 1..1000",
            "scene.toml:11:10",
        ),
        ("style = \"slanted\"", "slanted", "scene.toml:11:9"),
        ("title_weight = \"bld\"", "did you mean", "scene.toml:11:16"),
        ("title_style = 3", "title_style", "scene.toml:11:15"),
    ] {
        s.write("scene.toml", worded_plot(keys));
        let r = s.run(&["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, said, at);
    }
}
