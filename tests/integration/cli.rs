//! The command line itself: help, version, usage errors, `check` and `frame`.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

#[test]
fn help_shows_examples_for_every_command() {
    let s = Sandbox::new();
    for cmd in ["render", "check", "frame"] {
        let r = s.run(&[cmd, "--help"]);
        assert_exit!(r, 0);
        assert!(r.stdout.contains("Example"), "{cmd} --help:\n{}", r.stdout);
    }
    let r = s.run(&["--version"]);
    assert_exit!(r, 0);
    assert!(r.stdout.starts_with("animate "), "{}", r.stdout);
}

#[test]
fn usage_errors_exit_2() {
    let s = Sandbox::new();
    assert_exit!(s.run(&["render"]), 2);
    let r = s.run(&["render", "x.toml", "--size", "12by4"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "is not WxH");
    let r = s.run(&["render", "x.toml", "--fps", "-3"]);
    assert_exit!(r, 2);
}

#[test]
fn check_prints_the_timeline() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        r#"
[output]
fps = 10
[clip.a]
kind = "color"
color = "red"
size = [4, 4]
duration = 1.5
[clip.main]
kind = "composite"
layers = [{ clip = "a", start = 0.5 }]
"#,
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("output: 4x4, 10 fps, 2.00 s (20 frames)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("main  composite  4x4  0.00..2.00 s"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("  a  color  4x4  0.50..2.00 s"),
        "{}",
        r.stdout
    );
}

#[test]
fn frame_scales_to_the_requested_size() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"blue\"\nsize = [4, 2]\n",
    );
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "f.png",
        "--size",
        "8x8",
    ]);
    assert_exit!(r, 0);
    let img = crate::util::read_png(&s.path("f.png"));
    assert_eq!(img.dimensions(), (8, 8));
    // fitted 8×4 in the middle, black bars above and below
    assert_eq!(img.get_pixel(4, 4).0, [0, 0, 255, 255]);
    assert_eq!(img.get_pixel(4, 0).0, [0, 0, 0, 255]);
}

#[test]
fn paths_in_scenes_are_relative_to_the_scene_file() {
    let s = Sandbox::new();
    s.write(
        "sub/scene.toml",
        "[output]\nfile = \"out.png\"\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["check", "sub/scene.toml"]);
    assert_exit!(r, 0);
}
