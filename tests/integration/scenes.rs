//! The example scenes in scenes/: their inputs render with the Makefile's own rules,
//! and every scene then resolves without error.

use std::path::{Path, PathBuf};

use crate::assert_exit;
use crate::util::Sandbox;

fn scene_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_example_scene_checks_after_make_renders_its_inputs() {
    let s = Sandbox::with_example_scenes();
    let scenes = scene_files(&s.path("scenes"));
    assert!(scenes.len() >= 3, "{scenes:?}");
    // Scenes with `kind = "program"` clips are checked too: `check` lists their programs
    // without running them, so svm.toml passes without scikit-learn. outbreak.toml and
    // mandelbrot.toml render in programs.rs; svm.toml needs `make svm-demo`'s packages
    // and renders nowhere in the tests.
    for scene in scenes {
        let r = s.run(&["check", scene.to_str().unwrap()]);
        assert_exit!(r, 0);
    }
}

#[test]
fn readme_example_renders_and_its_error_is_as_shown() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("# wave.toml\n").expect("README example");
    let end = start + readme[start..].find("```").unwrap();
    let scene = &readme[start..end];
    let s = Sandbox::new();
    s.write("wave.toml", scene);
    assert_exit!(s.run(&["render", "wave.toml", "-o", "wave.gif"]), 0);
    // The error shown in the README, from the same scene with a typo.
    s.write(
        "wave.toml",
        scene.replace("clip = \"clock\"", "clip = \"clok\""),
    );
    let r = s.run(&["check", "wave.toml"]);
    assert_exit!(r, 2);
    let shown = readme
        .lines()
        .skip_while(|l| !l.starts_with("error: unknown clip `clok`"))
        .take(6)
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(r.stderr.trim_end(), shown.trim_end());
}
