//! What the twelfth newcomer (a physicist and data scientist from MoviePy + matplotlib,
//! ten tasks from the docs alone) met: TOML slips told in TOML's words and not the
//! cause (typographic quotes pasted from a page, a Windows path in a `"…"` string, a
//! header written after its keys), numbers with a unit told to multiply (`"14px"`:
//! "`14*px`"), and the things a series or an annotation cannot do (`yerr`, an
//! expression in `offset`, a column `reveal` cannot read, one measurement plotted
//! against another) answered with a list of names instead of the way to do them.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const PLOT: &str = "[clip.main]\nkind = \"plot\"\nsize = [160, 100]\nduration = 1\n";

#[test]
fn regression_typographic_quotes_said_only_that_strings_must_be_quoted() {
    let s = Sandbox::new();
    s.write(
        "q.toml",
        "[clip.main]\nkind = “plot”\nsize = [160, 100]\nx = [0, 6]\n\
         series = [{ y = \"sin(x)\" }]\n",
    );
    let out = s.run(&["check", "q.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "--> q.toml:2:8",
        "hint: “plot” is in typographic quotes",
        "TOML's strings are in straight quotes, \"plot\""
    );
    // A curly quote inside a straight-quoted string is text, not the error's cause.
    s.write(
        "q.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"“hi”\" x\nduration = 1\n",
    );
    let out = s.run(&["check", "q.toml"]);
    assert_exit!(out, 2);
    assert!(!out.stderr.contains("typographic"), "{}", out.stderr);
}

#[test]
fn regression_a_windows_path_was_an_error_about_unicode_digits() {
    let s = Sandbox::new();
    s.write(
        "w.toml",
        "[clip.main]\nkind = \"file\"\npath = \"C:\\Users\\anna\\Pictures\\sample.png\"\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "--> w.toml:3:",
        "hint: a backslash starts an escape in a \"…\" string",
        "\"C:/Users/anna/Pictures/sample.png\"",
        "'C:\\Users\\anna\\Pictures\\sample.png' (TOML's literal string"
    );
    // `\p` is an invalid escape of its own: the same way out.
    s.write(
        "w.toml",
        "[clip.main]\nkind = \"file\"\npath = \"data\\pic.png\"\n",
    );
    let out = s.run(&["check", "w.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "\"data/pic.png\"");
}

#[test]
fn regression_a_header_after_its_keys_was_told_to_be_written_below_a_header() {
    // The keys first, then `[clip.main]` alone at the end: the header was meant above.
    let s = Sandbox::new();
    s.write(
        "h.toml",
        "kind = \"plot\"\nsize = [160, 100]\nx = [0, 6]\nseries = [{ y = \"sin(x)\" }]\n\n\
         [clip.main]\n# the end\n",
    );
    let out = s.run(&["check", "h.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "--> h.toml:1:1",
        "hint: the header `[clip.main]` (line 6) comes after its keys and holds none",
        "so move `[clip.main]` above `kind`",
        // `size` is a clip's key too: it is not sent to `[output]`
        "so move `[clip.main]` above `size`"
    );
    assert!(
        !out.stderr.contains("`size` is a key of `[output]`"),
        "{}",
        out.stderr
    );
    // A header with keys of its own below: the keys above it belong to no table still.
    s.write(
        "h.toml",
        "fps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\n",
    );
    let out = s.run(&["check", "h.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "write it below an `[output]` header");
}

#[test]
fn regression_a_number_with_px_or_pt_was_told_to_multiply_by_it() {
    let s = Sandbox::new();
    s.write(
        "u.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"hi\"\nfont_size = \"14px\"\nduration = 1\n",
    );
    let out = s.run(&["check", "u.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "--> u.toml:4:",
        "hint: numbers are written without a unit here: write 14 "
    );
    assert!(!out.stderr.contains("14*px"), "{}", out.stderr);
    s.write(
        "u.toml",
        format!("{PLOT}x = [0, 6]\nseries = [{{ y = \"sin(x)\", width = \"2 pt\" }}]\n"),
    );
    let out = s.run(&["check", "u.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "write 2 (each key has one unit");
}

#[test]
fn regression_reveal_naming_another_column_listed_only_the_names_it_knows() {
    let s = Sandbox::new();
    s.write(
        "a.csv",
        "year,mass,rate\n2000,1,2\n2000,10,12\n2001,2,3\n2001,20,21\n",
    );
    s.write(
        "r.toml",
        format!(
            "{PLOT}series = [{{ csv = \"a.csv\", x = \"mass\", y = \"rate\", \
             reveal = \"year <= 2000 + t\" }}]\n"
        ),
    );
    let out = s.run(&["check", "r.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: unknown name `year`",
        "hint: `year` is a column of a.csv, but `reveal` reads only the series' `x` and `y`",
        "`floor(i / k) <= …`"
    );
    // A name that is no column keeps the list of names known.
    s.write(
        "r.toml",
        format!(
            "{PLOT}series = [{{ csv = \"a.csv\", x = \"mass\", y = \"rate\", reveal = \"yeer < t\" }}]\n"
        ),
    );
    let out = s.run(&["check", "r.toml"]);
    assert_exit!(out, 2);
    assert!(!out.stderr.contains("is a column of"), "{}", out.stderr);
}

#[test]
fn regression_yerr_listed_every_series_key() {
    let s = Sandbox::new();
    s.write("m.csv", "x,y,err\n1,0.5,0.1\n2,0.7,0.2\n");
    s.write(
        "e.toml",
        format!("{PLOT}series = [{{ csv = \"m.csv\", x = \"x\", y = \"y\", yerr = \"err\" }}]\n"),
    );
    let out = s.run(&["check", "e.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: unknown key `yerr`",
        "hint: a series has no error bars (matplotlib's `errorbar(x, y, yerr=e)`)",
        "docs/plots.md#error-bars"
    );
}

#[test]
fn error_bars_drawn_as_the_docs_say_are_vertical_stretches_broken_between_points() {
    // The recipe of docs/plots.md: (x, y - e), (x, y + e), an empty y; nothing joins
    // one bar's top to the next bar's bottom.
    let s = Sandbox::new();
    s.write("bars.csv", "x,y\n1,1\n1,3\n1,\n3,1\n3,3\n3,\n");
    let scene = "[clip.main]\nkind = \"plot\"\nsize = [200, 200]\naxis = false\n\
                 xlim = [0, 4]\nylim = [0, 4]\n\
                 series = [{ csv = \"bars.csv\", x = \"x\", y = \"y\", color = \"black\", width = 3 }]\n";
    let img = s.frame(scene, 0.0);
    let dark = |x: u32, y: u32| img.get_pixel(x, y).0[0] < 100;
    // axis = false: the data fill the figure, x = 1 at 50 px, x = 3 at 150, y = 2 at 100
    assert!(dark(50, 100) && dark(150, 100), "the bars are drawn");
    assert!(!dark(100, 100), "no line from one bar to the next");
}

#[test]
fn regression_an_expression_in_an_annotation_offset_was_an_invalid_type() {
    let s = Sandbox::new();
    s.write(
        "o.toml",
        format!(
            "{PLOT}x = [0, 6]\nseries = [{{ y = \"sin(x)\" }}]\n\
             annotations = [{{ text = \"\", x = 1, y = 0.5, offset = [\"14*cos(t)\", 10], arrow = true }}]\n"
        ),
    );
    let out = s.run(&["check", "o.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: an annotation's `offset` is two fixed numbers of points, not an expression \
         (`14*cos(t)`)",
        "what moves is its point, `x` and `y`"
    );
    assert!(!out.stderr.contains("invalid type"), "{}", out.stderr);
    // Numbers, whole or not, are still an offset.
    s.write(
        "o.toml",
        format!(
            "{PLOT}x = [0, 6]\nseries = [{{ y = \"sin(x)\" }}]\n\
             annotations = [{{ text = \"a\", x = 1, y = 0.5, offset = [14, 10.5], arrow = true }}]\n"
        ),
    );
    let out = s.run(&["check", "o.toml"]);
    assert_exit!(out, 0);
}

#[test]
fn regression_one_measurement_against_another_could_not_be_drawn() {
    // A phase portrait from a simulation's measurements: `x` of a measurement series was
    // refused ("its x is time"); it now names the measurement drawn across.
    let s = Sandbox::new();
    let sim = "[output]\nfps = 10\n\n[clip.sim]\nkind = \"simulation\"\ngrid = [1, 1]\n\
               duration = 2\nsteps_per_frame = 10\ninit = { th = 1.0, om = 0 }\n\
               step = [\"om = om - sin(th) * 0.01\", \"th = th + om * 0.01\"]\nshow = \"th\"\n\n\
               [clip.omsim]\nfrom = \"sim\"\nshow = \"om\"\n\n\
               [measure.theta]\nclip = \"sim\"\nchannel = \"value\"\n\n\
               [measure.omega]\nclip = \"omsim\"\nchannel = \"value\"\n\n\
               [clip.main]\nkind = \"plot\"\nsize = [200, 200]\nduration = 2\naxis = false\n\
               xlim = [-1.1, 1.1]\nylim = [-1.1, 1.1]\n";
    let scene = format!(
        "{sim}series = [{{ measure = \"omega\", x = \"theta\", color = \"black\", width = 3 }}]\n"
    );
    // ω against θ swings from (1, 0) down through (0, −0.96) (energy: ω² = 2(cos θ − cos 1)):
    // at 0.2 s only the start of the arc, by 1.9 s past the bottom.
    let ink = |t: f64| {
        let img = s.frame(&scene, t);
        img.pixels().filter(|p| p.0[0] < 128).count()
    };
    let (early, late) = (ink(0.2), ink(1.9));
    assert!(
        late > 3 * early.max(1),
        "the orbit grows: {early} then {late} dark pixels"
    );
    let img = s.frame(&scene, 1.9);
    // (0, −0.96): pixel (100, 187) at 200 px for −1.1 … 1.1
    let near_bottom = (183..192).any(|y| (97..104).any(|x| img.get_pixel(x, y).0[0] < 128));
    assert!(near_bottom, "the orbit passes θ = 0 at ω ≈ −0.96");

    // `y` on a measurement series: the hint gives `x`.
    s.write(
        "p.toml",
        format!("{sim}series = [{{ measure = \"theta\", y = \"omega\" }}]\n"),
    );
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "`y` is not for a measurement series",
        "hint: one measurement against another is `{ measure = \"…\", x = \"theta\" }`"
    );
    // `x` naming no measurement says what `x` is there.
    s.write(
        "p.toml",
        format!("{sim}series = [{{ measure = \"omega\", x = \"thta\" }}]\n"),
    );
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "unknown measurement `thta`: `x` of a measurement series names another measurement",
        "did you mean `theta`?"
    );
}

#[test]
fn a_pendulum_stepped_in_one_cell_swings_where_its_measurement_says() {
    // docs/simulations.md's ODE of one cell: the bob, drawn at the measured angle, is
    // where the angle written in the title puts it.
    let s = Sandbox::new();
    let scene =
        "[output]\nfps = 10\n\n[clip.sim]\nkind = \"simulation\"\ngrid = [1, 1]\nduration = 2\n\
         steps_per_frame = 10\ninit = { th = 1.2, om = 0 }\n\
         step = [\"om = om - sin(th) * 0.01\", \"th = th + om * 0.01\"]\nshow = \"th\"\n\n\
         [measure.theta]\nclip = \"sim\"\nchannel = \"value\"\n\n\
         [clip.main]\nkind = \"plot\"\nsize = [200, 200]\nduration = 2\naxis = false\n\
         xlim = [-1, 1]\nylim = [-1, 1]\n\
         series = [{ x = \"sin(theta)\", y = \"-cos(theta)\", samples = 2, line = false, \
         marker = \"o\", size = 10, color = \"black\" }]\n";
    // At t = 0 the bob is at (sin 1.2, -cos 1.2) = (0.93, -0.36): pixel (193, 136).
    let img = s.frame(scene, 0.0);
    assert!(
        img.get_pixel(193, 136).0[0] < 100,
        "the bob at its starting angle"
    );
    // Near a quarter of its period later it hangs near the bottom, far from there.
    let img = s.frame(scene, 1.9);
    assert!(img.get_pixel(193, 136).0[0] > 200, "the bob has moved");
}

#[test]
fn a_bom_and_crlf_line_endings_are_read_as_a_scene() {
    let s = Sandbox::new();
    s.write(
        "b.toml",
        b"\xef\xbb\xbf[clip.main]\r\nkind = \"color\"\r\ncolor = \"navy\"\r\nsize = [16, 8]\r\n\
          duration = 1\r\n"
            .as_slice(),
    );
    let out = s.run(&["render", "b.toml", "-o", "b.gif"]);
    assert_exit!(out, 0);
}

#[test]
fn the_vector_field_scene_turns_its_wind() {
    // scenes/vector_field.toml: at the grid's centre the vortex is still and only the
    // wind blows, towards 0° at the start and 180° half-way: the arrow there (its head a
    // marker at its tip) leans right, then left.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let scene = std::fs::read_to_string(repo.join("scenes/vector_field.toml")).unwrap();
    let s = Sandbox::new();
    let lean = |t: f64| {
        let img = s.frame(&scene, t);
        // the ink (darker than the white axes) around the centre of the axes, x in
        // data 0 at about pixel 215
        let (mut sum, mut n) = (0.0, 0.0);
        for y in 197..229 {
            for x in 200..231 {
                let p = img.get_pixel(x, y).0;
                let ink = 255.0 - f64::from(p[0]);
                sum += ink * f64::from(x);
                n += ink;
            }
        }
        assert!(n > 0.0, "an arrow at the centre at t = {t}");
        sum / n
    };
    let (start, half) = (lean(0.0), lean(3.0));
    assert!(
        start > half + 3.0,
        "right at the start ({start}), left half-way ({half})"
    );
}

#[test]
fn regression_nan_in_the_docs_formula_of_columns_was_an_unknown_name() {
    // docs/plots.md wrote `if(volume > 0, price, nan)`; `nan` is no name: NaN is `0/0`.
    let s = Sandbox::new();
    s.write("p.csv", "day,price,volume\n0,1,1\n1,2,0\n2,3,1\n");
    s.write(
        "n.toml",
        format!("{PLOT}series = [{{ csv = \"p.csv\", x = \"day\", y = \"if(volume > 0, price, nan)\" }}]\n"),
    );
    let out = s.run(&["check", "n.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "error: unknown name `nan`",
        "hint: there is no `nan` name: NaN is written `0/0` (numpy's `np.nan`)",
        "a formula of p.csv's columns (day, price, volume)"
    );
    // as the docs now write it
    s.write(
        "n.toml",
        format!("{PLOT}series = [{{ csv = \"p.csv\", x = \"day\", y = \"if(volume > 0, price, 0/0)\" }}]\n"),
    );
    assert_exit!(s.run(&["check", "n.toml"]), 0);
}
