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
    for scene in scenes {
        let r = s.run(&["check", scene.to_str().unwrap()]);
        assert_exit!(r, 0);
    }
}
