//! What the eleventh newcomer (a MoviePy + matplotlib user, ten tasks from the docs
//! alone) met: outputs of formats animate does not write were "cannot tell the output
//! format" (it can: it does not write them), and `check` passed an `[output] file` the
//! render then refused; `clabel` was answered with `xlabel`, `fx` with the list of
//! effects; `2x`, `sin x` and `log(x, 10)` got no hint; `--speed 2` for a var was
//! pointed at `--preset`, and `--set speed 2` at a second scene.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const RED: &str = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 0.2\n";

#[test]
fn regression_an_avi_or_apng_output_was_a_format_animate_could_not_tell() {
    let s = Sandbox::new();
    s.write("s.toml", RED);
    let out = s.run(&["render", "s.toml", "-o", "out.avi"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "cannot write `out.avi`: animate does not write AVI files; write .mp4 or .mkv (H.264)"
    );
    assert!(!out.stderr.contains("cannot tell"), "{}", out.stderr);
    let out = s.run(&["render", "s.toml", "-o", "out.apng"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "animate does not write animated PNG (APNG); write .gif",
        "PNG frames into a folder (`-o frames/`)"
    );
    let out = s.run(&["render", "s.toml", "-o", "still.jpg"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "does not write JPG pictures", "animate frame");
    // An extension nobody knows is still one animate cannot tell.
    let out = s.run(&["render", "s.toml", "-o", "out.xyz"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "cannot tell the output format of `out.xyz`");
    assert!(!s.path("out.avi").exists() && !s.path("out.apng").exists());
}

#[test]
fn regression_check_passed_an_output_file_the_render_refused() {
    let s = Sandbox::new();
    s.write("s.toml", format!("[output]\nfile = \"out.avi\"\n\n{RED}"));
    let out = s.run(&["check", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "animate does not write AVI files",
        "--> s.toml:2:8",
        "file = \"out.avi\""
    );
    // The render says the same, at the same place.
    let out = s.run(&["render", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "animate does not write AVI files", "--> s.toml:2:8");
    // A file it writes still checks.
    s.write("s.toml", format!("[output]\nfile = \"out.gif\"\n\n{RED}"));
    assert_exit!(s.run(&["check", "s.toml"]), 0);
}

#[test]
fn regression_clabel_was_taken_for_a_misspelt_xlabel() {
    let s = Sandbox::new();
    s.write(
        "s.toml",
        "[clip.main]\nkind = \"field\"\nsize = [160, 120]\nf = \"x*y\"\nx = [0, 1]\n\
         y = [0, 1]\ncontours = true\nclabel = true\n",
    );
    let out = s.run(&["check", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "unknown key `clabel`",
        "--> s.toml:8:1",
        "contour lines are labelled with `contour_labels = true` (matplotlib's `clabel`)"
    );
    assert!(
        !out.stderr.contains("did you mean `xlabel`"),
        "{}",
        out.stderr
    );
}

#[test]
fn regression_moviepys_fx_got_the_list_of_every_effect() {
    let s = Sandbox::new();
    s.write(
        "s.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"white\"\nsize = [8, 8]\nduration = 0.2\n\
         effects = [{ fx = \"mask_color\" }]\n",
    );
    let out = s.run(&["check", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "unknown effect `fx`",
        "--> s.toml:6:14",
        "MoviePy's `.fx(vfx.NAME, …)` is the effect itself here"
    );
    assert!(!out.stderr.contains("expected one of"), "{}", out.stderr);
}

/// A plot whose one series is `y`.
fn plot(y: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [160, 120]\nduration = 0.2\nx = [1, 3]\n\
         series = [{{ y = \"{y}\" }}]\n"
    )
}

#[test]
fn regression_maths_products_and_python_logs_got_no_hint() {
    let s = Sandbox::new();
    for (y, col, hint) in [
        (
            "2x + 1",
            19,
            "a product needs `*` between its factors: `2*x`",
        ),
        (
            "sin(3x)",
            23,
            "a product needs `*` between its factors: `3*x`",
        ),
        ("(x + 1)(x - 1)", 25, "`(…)*(…)`"),
        (
            "sin x",
            22,
            "a function's argument goes in brackets: `sin(x)`",
        ),
        (
            "log(x, 10)",
            18,
            "write `log10(x)`, `log2(x)`, or `log(x) / log(base)`",
        ),
        ("round(x, 2)", 18, "`round(x * 100) / 100`"),
    ] {
        s.write("s.toml", plot(y));
        let out = s.run(&["check", "s.toml"]);
        assert_exit!(out, 2);
        assert_stderr!(out, &format!("--> s.toml:6:{col}"), hint);
    }
    // A number with a unit where a number is read keeps the unit's own hint.
    s.write(
        "s.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 0.2\n\
         effects = [{ opacity = \"2s\" }]\n",
    );
    let out = s.run(&["check", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "here write plain seconds: 2");
    assert!(!out.stderr.contains("product"), "{}", out.stderr);
}

#[test]
fn regression_a_var_given_as_a_flag_was_pointed_at_another_flag() {
    let s = Sandbox::new();
    s.write(
        "s.toml",
        format!("[vars]\nspeed = 1\nline_width = 2\n\n{RED}"),
    );
    let out = s.run(&["render", "s.toml", "--speed", "2", "-o", "a.gif"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "hint: `speed` is a variable of s.toml: set it with `--set speed=2`"
    );
    let out = s.run(&["render", "s.toml", "-o", "a.gif", "--line-width=3"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "hint: `line_width` is a variable of s.toml: set it with `--set line_width=3`"
    );
    // A flag that is no var of the scene is left to clap's own tip.
    let out = s.run(&["render", "s.toml", "--sped", "2", "-o", "a.gif"]);
    assert_exit!(out, 2);
    assert!(!out.stderr.contains("is a variable"), "{}", out.stderr);
    // `--set` with the value apart
    let out = s.run(&["render", "s.toml", "--set", "speed", "2", "-o", "a.gif"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "hint: `--set` takes the name and the value as one word: `--set speed=2`"
    );
    assert!(!s.path("a.gif").exists());
}

#[test]
fn regression_fps_zero_did_not_say_how_to_take_the_contents_rate() {
    let s = Sandbox::new();
    s.write("s.toml", format!("[output]\nfps = 0\n\n{RED}"));
    let out = s.run(&["check", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "fps must be greater than 0, not 0",
        "--> s.toml:2:7",
        "hint: leave `fps` out to render at the content's own rate"
    );
}

#[test]
fn regression_trails_and_heads_coloured_by_one_column_listed_each_class_twice() {
    // The heads (a second series of the same table, coloured by the same column) added
    // every class to the legend again: the legend of both equals that of the trails.
    let s = Sandbox::new();
    s.write(
        "w.csv",
        "x,y,label\n0.1,0.2,ant\n0.2,0.3,bee\n0.3,0.1,ant\n0.4,0.2,bee\n",
    );
    let scene = |heads: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [240, 180]\nxlim = [0, 1]\nylim = [0, 1]\n\
             legend = \"lower right\"\nseries = [\n\
             {{ csv = \"w.csv\", x = \"x\", y = \"y\", color_by = \"label\" }},\n{heads}]\n"
        )
    };
    let heads = "{ csv = \"w.csv\", x = \"x\", y = \"y\", color_by = \"label\", size = 10, reveal = \"i >= 9\" },\n";
    s.write("both.toml", scene(heads));
    s.write("one.toml", scene(""));
    let frame = |name: &str| {
        let out = s.run(&["frame", name, "-t", "0", "-o", &format!("{name}.png")]);
        assert_exit!(out, 0);
        image::open(s.path(&format!("{name}.png")))
            .unwrap()
            .to_rgba8()
    };
    let (both, one) = (frame("both.toml"), frame("one.toml"));
    assert!(both == one, "the heads' classes were listed again");
    // Classes in other colours are listed: they are other rows.
    let other = "{ csv = \"w.csv\", x = \"x\", y = \"y\", color_by = \"label\", class_colors = { ant = \"C4\", bee = \"C5\" }, reveal = \"i >= 9\" },\n";
    s.write("other.toml", scene(other));
    assert!(frame("other.toml") != one);
}
