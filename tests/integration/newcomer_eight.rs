//! What the eighth newcomer stumbled on: messages that now name the rule and the fix.

use crate::plots::npy;
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

#[test]
fn regression_a_threshold_in_camera_counts_rendered_all_black() {
    // `threshold = 1500` on a 16-bit stack: no 8-bit grey level passes it.
    let s = Sandbox::new();
    s.write(
        "t.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [8, 8]\neffects = [{ threshold = 1500 }]\n",
    );
    let out = s.run(&["check", "t.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "the threshold must be between 0 and 255, not 1500");
    assert_stderr!(out, "t.toml:5:26");
    assert_stderr!(out, "255·(c − low)/(high − low)");
}

#[test]
fn a_command_line_written_as_one_string_gets_the_list_to_write() {
    let s = Sandbox::new();
    s.write(
        "p.toml",
        "[clip.main]\nkind = \"program\"\nrun = \"python3 sim.py --steps 10\"\nsize = [8, 8]\nduration = 1\n",
    );
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "`run` is a list: the program, then each of its arguments"
    );
    assert_stderr!(out, "p.toml:3:7");
    assert_stderr!(
        out,
        "write run = [\"python3\", \"sim.py\", \"--steps\", \"10\"]"
    );
}

#[test]
fn a_position_that_divides_by_the_duration_of_an_endless_clip_says_so() {
    let s = Sandbox::new();
    let scene = "[clip.bar]\nkind = \"color\"\ncolor = \"red\"\nsize = [20, 4]\n\
                 [clip.bg]\nkind = \"color\"\ncolor = \"white\"\nsize = [20, 10]\nduration = 1\n\
                 [clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"bg\" }, \
                 { clip = \"bar\", position = [\"-20 + 20*t/duration\", \"bottom\"] }]\n";
    s.write("s.toml", scene);
    let out = s.run(&["frame", "s.toml", "--time", "0.5", "-o", "f.png"]);
    assert_exit!(out, 0);
    assert_stderr!(out, "is not a number at t = 0.500 s");
    assert_stderr!(out, "`duration` is 0 in a clip without an end");
    // a value that is NaN for another reason gets no such hint
    s.write("n.toml", scene.replace("-20 + 20*t/duration", "ln(t - 5)"));
    let out = s.run(&["frame", "n.toml", "--time", "0.5", "-o", "g.png"]);
    assert_stderr!(out, "is not a number at t = 0.500 s");
    assert!(!out.stderr.contains("without an end"), "{}", out.stderr);
}

#[test]
fn latex_in_a_text_gets_a_hint_about_braces_and_unicode() {
    let s = Sandbox::new();
    s.write(
        "l.toml",
        "[clip.main]\nkind = \"text\"\ntext = \"$\\\\frac{a}{b}$\"\n",
    );
    let out = s.run(&["check", "l.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "unknown name `a`");
    assert_stderr!(out, "LaTeX is not typeset: write the maths in Unicode");
}

#[test]
fn a_column_of_names_as_x_says_names_are_no_axis() {
    let s = Sandbox::new();
    s.write("gap.csv", "country,gdp\nFrance,1\nItaly,2\n");
    s.write(
        "g.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nseries = [{ csv = \"gap.csv\", x = \"country\", y = \"gdp\" }]\n",
    );
    let out = s.run(&["check", "g.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "gap.csv, line 2, column `country`: `France` is not a number (the column holds names"
    );
}

#[test]
fn a_vector_field_array_gets_a_hint() {
    let s = Sandbox::new();
    s.write("uv.npy", npy("<f4", "(1, 2, 2, 2)", &[0; 32]));
    s.write(
        "v.toml",
        "[clip.main]\nkind = \"field\"\nsize = [8, 8]\nnpy = \"uv.npy\"\n",
    );
    let out = s.run(&["check", "v.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "np.hypot(u, v)");
}

#[test]
fn a_formula_of_columns_on_a_plot_series_is_computed_not_refused() {
    // newcomer8 wrote the pendulum's bob as formulas of its angle column; then they were
    // refused (columns were only named), now they are computed row by row.
    let s = Sandbox::new();
    s.write("p.csv", "t,theta\n0,0.1\n1,0.2\n");
    s.write(
        "b.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nseries = [{ csv = \"p.csv\", x = \"sin(theta)\", y = \"-cos(theta)\" }]\n",
    );
    let out = s.run(&["check", "b.toml"]);
    assert_exit!(out, 0);
}
