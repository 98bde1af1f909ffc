//! What a sixth newcomer met in its messages: a list of entries written as one TOML
//! table (`[clip.main.layers]`), matplotlib's mathtext drawn as written without a word, a
//! missing file one typo from the one meant, `kind = "npy"` not pointed at a field.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

fn check(s: &Sandbox, scene: &str) -> crate::util::Run {
    s.write("scene.toml", scene);
    s.run(&["check", "scene.toml"])
}

#[test]
fn regression_a_list_written_as_one_table_got_serdes_words() {
    let s = Sandbox::new();
    let bg = "[clip.bg]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n";
    let r = check(
        &s,
        &format!("{bg}[clip.main]\nkind = \"composite\"\n[clip.main.layers]\nclip = \"bg\"\n"),
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`layers` is a list of tables, not one table",
        "scene.toml:8:1",
        "or a [[clip.main.layers]] header before each entry"
    );
    assert!(!r.stderr.contains("invalid type"), "{}", r.stderr);
    let r = check(
        &s,
        "[clip.p]\nkind = \"plot\"\nsize = [80, 60]\nx = [0, 1]\nseries = { y = \"x\" }\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`series` is a list of tables",
        "scene.toml:5:10",
        "series = [{ y ="
    );
    // Written as the hint says, both are fine.
    let r = check(
        &s,
        &format!("{bg}[clip.main]\nkind = \"composite\"\n[[clip.main.layers]]\nclip = \"bg\"\n"),
    );
    assert_exit!(r, 0);
}

#[test]
fn regression_mathtext_in_a_chart_was_drawn_as_written_without_a_word() {
    let s = Sandbox::new();
    let r = check(
        &s,
        "[clip.main]\nkind = \"plot\"\nsize = [300, 150]\nx = [0, 1]\n\
         title = '$\\sigma^2$ over time'\nseries = [{ y = \"x\", label = \"$x_0$\" }]\n",
    );
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: `title` is written in matplotlib's mathtext",
        "scene.toml:5:9",
        "warning: `label` is written in matplotlib's mathtext",
        "scene.toml:6:30",
        "in Unicode"
    );
    // A price is not mathtext.
    let r = check(
        &s,
        "[clip.main]\nkind = \"plot\"\nsize = [300, 150]\nx = [0, 1]\n\
         title = \"cost in $, from $5\"\nseries = [{ y = \"x\" }]\n",
    );
    assert!(!r.stderr.contains("mathtext"), "{}", r.stderr);
    // hostile7 F-AG: a colour bar's label was not looked at, on a field or a plot's field.
    for clip in [
        "kind = \"field\"\nsize = [300, 150]\nx = [0, 1]\ny = [0, 1]\nf = \"x\"\n",
        "kind = \"plot\"\nsize = [300, 150]\nx = [0, 1]\nfield = { f = \"x\", x = [0, 1], y = [0, 1], \
         colorbar = true, colorbar_label = '$\\sigma$' }\n",
    ] {
        let extra = if clip.contains("field = {") {
            ""
        } else {
            "colorbar = true\ncolorbar_label = '$\\sigma$'\n"
        };
        let r = check(&s, &format!("[clip.main]\n{clip}{extra}"));
        assert_exit!(r, 0);
        assert_stderr!(r, "warning: `colorbar_label` is written in matplotlib's mathtext");
    }
}

#[test]
fn regression_a_missing_file_one_typo_from_another_had_no_suggestion() {
    let s = Sandbox::new();
    s.write("data/stack.png", "");
    let r = check(
        &s,
        "[clip.main]\nkind = \"file\"\npath = \"data/stak.png\"\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read `data/stak.png`",
        "scene.toml:3:8",
        "hint: did you mean `data/stack.png`? (paths are relative to the scene file's folder)"
    );
    // Nothing near: the folder hint alone.
    let r = check(
        &s,
        "[clip.main]\nkind = \"file\"\npath = \"data/other.png\"\n",
    );
    assert_stderr!(r, "hint: paths are relative to the scene file's folder");
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}

#[test]
fn regression_kind_npy_did_not_point_at_a_field() {
    let s = Sandbox::new();
    let r = check(&s, "[clip.main]\nkind = \"npy\"\n");
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown clip kind `npy`",
        "hint: did you mean `field`? (a NumPy file is shown by `kind = \"field\"` with `npy = \"data.npy\"` (or as heights by `kind = \"surface\"`))"
    );
    let r = check(&s, "[clip.main]\nkind = \"csv\"\n");
    assert_stderr!(r, "did you mean `plot`?", "series = [{ csv = ");
}
