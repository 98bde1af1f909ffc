//! What the ninth newcomer (a MoviePy + matplotlib user, ten tasks from the docs alone)
//! met: a hint about `-o` when `-o` was given, an empty title that kept its strip, a
//! caption cut at its clip's edges without a word, and values written the way other
//! tools write them.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const WAVE: &str =
    "[clip.main]\nkind = \"plot\"\nsize = [120, 90]\nx = [0, 6]\nseries = [{ y = \"sin(x)\" }]\n";

#[test]
fn regression_a_misspelt_flag_after_o_was_told_to_give_the_output_with_o() {
    let s = Sandbox::new();
    s.write("w.toml", WAVE);
    let out = s.run(&["render", "w.toml", "-o", "w.gif", "--depfle", "w.d"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "a similar argument exists: '--depfile'");
    assert!(
        !out.stderr.contains("the output is given with -o"),
        "{}",
        out.stderr
    );
    let out = s.run(&[
        "frame", "w.toml", "-t", "0", "--output", "w.png", "--depfle", "w.d",
    ]);
    assert_exit!(out, 2);
    assert!(
        !out.stderr.contains("the output is given with -o"),
        "{}",
        out.stderr
    );
    // the habit the hint is for still gets it
    let out = s.run(&["render", "w.toml", "w.gif"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "the output is given with -o: `-o w.gif`");
}

#[test]
fn regression_an_empty_title_kept_the_room_of_a_title() {
    // `title = ""` is how a copy `from` a titled clip leaves the title out
    let s = Sandbox::new();
    let plain = s.frame(WAVE, 0.0);
    let empty = s.frame(&WAVE.replace("x = [0, 6]", "x = [0, 6]\ntitle = \"\""), 0.0);
    assert!(plain == empty, "an empty title moved the axes");

    // a simulation copied without its title: no white strip over the grid
    let sim = "[clip.heat]\nkind = \"simulation\"\nsize = [40, 30]\ngrid = [40, 30]\n\
               duration = 1\ninit = { u = \"0\" }\nshow = \"u\"\ncolormap = \"gray\"\n\
               vmin = 0\nvmax = 1\ntitle = \"Heat\"\n\
               [clip.main]\nfrom = \"heat\"\ntitle = \"\"\n";
    let f = s.frame(sim, 0.0);
    assert_eq!(f.dimensions(), (40, 30));
    for (x, y) in [(0, 0), (20, 1), (39, 29)] {
        let p = f.get_pixel(x, y).0;
        assert!(
            p[0] < 10 && p[3] == 255,
            "pixel ({x}, {y}) is {p:?}, not the grid's black"
        );
    }
}

#[test]
fn regression_a_caption_wider_than_its_clip_was_cut_without_a_word() {
    let s = Sandbox::new();
    let scene = |caption: &str| {
        format!(
            "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [160, 120]\nduration = 1\n\
             effects = [{{ caption = {caption} }}]\n"
        )
    };
    s.write(
        "c.toml",
        scene("{ text = \"Thresholded\", color = \"red\" }"),
    );
    let out = s.run(&["check", "c.toml"]);
    assert_exit!(out, 0);
    assert_stderr!(
        out,
        "warning: the caption `Thresholded` is ",
        "larger than the 160x120 clip it is on: it is cut at the clip's edges",
        "c.toml:6:24",
        "a `font_size` of at most ",
        "(it is 32)"
    );
    // render says it too
    let out = s.run(&["render", "c.toml", "-o", "c.gif"]);
    assert_exit!(out, 0);
    assert_stderr!(out, "it is cut at the clip's edges");
    // the font size the hint gives fits
    let fit: String = out
        .stderr
        .split("a `font_size` of at most ")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    s.write(
        "f.toml",
        scene(&format!(
            "{{ text = \"Thresholded\", color = \"red\", font_size = {fit} }}"
        )),
    );
    let out = s.run(&["check", "f.toml"]);
    assert_exit!(out, 0);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
}

#[test]
fn regression_a_size_written_as_a_string_got_no_brackets_to_write() {
    let s = Sandbox::new();
    s.write(
        "s.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"white\"\nsize = \"320x200\"\nduration = 1\n",
    );
    let out = s.run(&["check", "s.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "not the string `320x200`: write [320, 200] (`--size 320x200` is the command line's form)",
        "s.toml:4:8"
    );
    s.write(
        "x.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nx = \"0, 6\"\nseries = [{ y = \"x\" }]\n",
    );
    let out = s.run(&["check", "x.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "write [0, 6]");
    assert!(!out.stderr.contains("--size"), "{}", out.stderr);
}

#[test]
fn regression_a_duration_in_words_said_only_expected_an_operator() {
    let s = Sandbox::new();
    s.write(
        "d.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"white\"\nsize = [32, 20]\nduration = \"two seconds\"\n",
    );
    let out = s.run(&["check", "d.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "duration must be a time: `two seconds` is not one",
        "d.toml:5:12",
        "a time is plain seconds (2, 1.5) or a string with a unit (\"2s\""
    );
    assert!(
        !out.stderr.contains("expected an operator"),
        "{}",
        out.stderr
    );
}

#[test]
fn regression_a_line_width_on_the_plot_listed_every_plot_key() {
    let s = Sandbox::new();
    s.write(
        "p.toml",
        "[clip.main]\nkind = \"plot\"\nsize = [100, 80]\nx = [0, 6]\nlinewidth = 2\nseries = [{ y = \"x\" }]\n",
    );
    let out = s.run(&["check", "p.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "unknown key `linewidth`",
        "p.toml:5:1",
        "a line's look is set on each series (`linewidth` is `width` here): series = [{ y = \"…\", width = … }]"
    );
}

#[test]
fn regression_an_annotation_outside_the_figure_was_left_out_without_a_word() {
    // a `y` above every value of the data: the text lands above the figure
    let s = Sandbox::new();
    let scene = |y: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [200, 150]\nx = [0, 6]\nylim = [-1, 1]\n\
             series = [{{ y = \"sin(x)\" }}]\n\
             annotations = [{{ text = \"peak\", x = 1.6, y = {y}, offset = [5, 5] }}]\n"
        )
    };
    s.write("a.toml", scene("100"));
    let out = s.run(&["frame", "a.toml", "-t", "0", "-o", "a.png"]);
    assert_exit!(out, 0);
    assert_stderr!(
        out,
        "the annotation `peak` (line 7, column 25) is outside the figure: nothing of it shows; \
         its point is outside the axes: `x` and `y` are in the data's units"
    );
    // one that fits says nothing
    s.write("b.toml", scene("0.9"));
    let out = s.run(&["frame", "b.toml", "-t", "0", "-o", "b.png"]);
    assert_exit!(out, 0);
    assert!(!out.stderr.contains("annotation"), "{}", out.stderr);
    // a point inside the axes whose offset takes the text past the top is cut
    s.write(
        "c.toml",
        scene("0.9").replace("offset = [5, 5]", "offset = [5, 15]"),
    );
    let out = s.run(&["frame", "c.toml", "-t", "0", "-o", "c.png"]);
    assert_exit!(out, 0);
    assert_stderr!(
        out,
        "is cut at the figure's edge; its `offset` takes it there"
    );
}

#[test]
fn regression_an_argument_beside_its_effect_got_a_pattern_not_the_entry_to_write() {
    let s = Sandbox::new();
    s.write(
        "r.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [16, 16]\nduration = 1\n\
         effects = [{ rotate = \"20*t\", expand = false }]\n",
    );
    let out = s.run(&["check", "r.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(
        out,
        "one effect per table, and `expand` is a second key: it is an argument of `rotate`",
        "r.toml:6:12",
        "write { rotate = { angle = \"20*t\", expand = false } }"
    );
    // a second effect beside the first keeps its own message
    s.write(
        "e.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"gray\"\nsize = [16, 16]\nduration = 1\n\
         effects = [{ rotate = 20, invert = {} }]\n",
    );
    let out = s.run(&["check", "e.toml"]);
    assert_exit!(out, 2);
    assert_stderr!(out, "`invert` is a second effect");
}
