//! What a sixth newcomer met in its messages: a list of entries written as one TOML
//! table (`[clip.main.layers]`).

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
