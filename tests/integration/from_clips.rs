//! Clips made `from` another with keys of their own: the other clip's table with those
//! keys changed, its effects first, then this clip's.

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

fn check(scene: &str) -> crate::util::Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    s.run(&["check", "scene.toml"])
}

const HALF_RED: &str = r#"[clip.red]
kind = "color"
color = "red"
size = [4, 4]
effects = [{ opacity = 0.5 }]
"#;

#[test]
fn keys_change_the_other_clip_and_effects_come_after_its_own() {
    // `blue` is `red` with another colour: its half opacity, then its own half.
    // `wide` is `blue` with another size: the changes add up along the chain.
    let scene = format!(
        r#"{HALF_RED}
[clip.blue]
from = "red"
color = "blue"
effects = [{{ opacity = 0.5 }}]

[clip.wide]
from = "blue"
size = [6, 2]

[clip.main]
kind = "grid"
rows = [["red", "blue", "wide"]]
"#
    );
    let img = Sandbox::new().frame(&scene, 0.0);
    assert_eq!(img.dimensions(), (14, 4));
    assert_px(&img, 1, 1, [128, 0, 0, 255], 1);
    assert_px(&img, 5, 1, [0, 0, 64, 255], 1);
    assert_px(&img, 9, 1, [0, 0, 64, 255], 1);
    // `wide` is 6×2, centred in its 4-pixel-high cell: black above and below.
    assert_px(&img, 9, 0, [0, 0, 0, 255], 0);
}

#[test]
fn text_titles_differ_only_in_their_text() {
    let s = Sandbox::new();
    let scene = r#"[clip.a]
kind = "text"
text = "A"
font_size = 20
color = "white"
background = "black"
size = [40, 30]

[clip.b]
from = "a"
text = "BB"

[clip.main]
kind = "grid"
rows = [["a", "b"]]
"#;
    let img = s.frame(scene, 0.0);
    // Both cells keep a's box; their ink differs.
    assert_eq!(img.dimensions(), (80, 30));
    let ink = |x0: u32| {
        (x0..x0 + 40)
            .flat_map(|x| (0..30).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0[0] > 128)
            .count()
    };
    let (a, b) = (ink(0), ink(40));
    assert!(a > 10 && b > a, "ink of A {a}, of BB {b}");
}

#[test]
fn kind_with_from_is_refused_at_kind() {
    let r = check(&format!(
        "{HALF_RED}\n[clip.main]\nfrom = \"red\"\nkind = \"color\"\ncolor = \"blue\"\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "a clip made `from` another keeps that clip's kind: `kind` cannot be given too",
        "scene.toml:9:8",
        "hint: to make a clip of another kind"
    );
}

#[test]
fn a_key_the_other_kind_lacks_is_refused_at_this_clip() {
    let r = check(&format!(
        "{HALF_RED}\n[clip.main]\nfrom = \"red\"\ncolr = \"blue\"\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown key `colr`",
        "scene.toml:9:1",
        "did you mean `color`?"
    );
}

#[test]
fn a_wrong_value_is_shown_where_it_is_written() {
    let r = check(&format!(
        "{HALF_RED}\n[clip.main]\nfrom = \"red\"\ncolor = \"bleu\"\n"
    ));
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown colour `bleu`", "scene.toml:9:9");
}

#[test]
fn an_error_in_the_other_clip_is_reported_once() {
    let r = check(
        r#"[clip.a]
kind = "text"
text = "A"
font = "No Such Family"

[clip.b]
from = "a"
text = "B"

[clip.main]
kind = "grid"
rows = [["a", "b"]]
"#,
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown font family `No Such Family`", "scene.toml:4:8");
    assert_eq!(r.stderr.matches("error: ").count(), 1, "{}", r.stderr);
}

#[test]
fn unknown_clips_and_cycles_are_refused() {
    let r = check("[clip.main]\nfrom = \"nothere\"\ncolor = \"red\"\n");
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown clip `nothere`", "scene.toml:2:8");

    let r = check(
        "[clip.main]\nfrom = \"b\"\ncolor = \"red\"\n\n[clip.b]\nfrom = \"main\"\ncolor = \"blue\"\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "clips refer to each other in a cycle: main → b → main");
}

#[test]
fn a_long_chain_of_changed_clips_is_refused_not_overflowed() {
    // Each clip is built again inside the next: 300 of them would recurse 300 deep.
    let mut scene = String::from("[clip.c0]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n");
    for i in 1..300 {
        scene += &format!("\n[clip.c{i}]\nfrom = \"c{}\"\ncolor = \"blue\"\n", i - 1);
    }
    scene += "\n[output]\nroot = \"c299\"\n";
    let r = check(&scene);
    assert_exit!(r, 2);
    assert_stderr!(r, "nested more than 256 deep");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}
