//! The example scenes in scenes/: their inputs render with the Makefile's own rules,
//! and every scene then resolves without error.

use std::path::{Path, PathBuf};

use crate::assert_exit;
use crate::util::Sandbox;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

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
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Sandbox::new();
    copy_dir(&repo.join("scenes"), &s.path("scenes"));
    // Generated inputs from a developer's checkout must not hide a broken rule.
    for f in std::fs::read_dir(s.path("scenes/assets")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e != "toml") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let make = std::process::Command::new("make")
        .arg("-f")
        .arg(repo.join("Makefile"))
        .arg("asset-files")
        .arg(format!("ANIMATE={}", env!("CARGO_BIN_EXE_animate")))
        .current_dir(s.path(""))
        .output()
        .expect("run make");
    assert!(
        make.status.success(),
        "make asset-files failed:\n{}",
        String::from_utf8_lossy(&make.stderr)
    );
    let scenes = scene_files(&s.path("scenes"));
    assert!(scenes.len() >= 3, "{scenes:?}");
    for scene in scenes {
        let r = s.run(&["check", scene.to_str().unwrap()]);
        assert_exit!(r, 0);
    }
}
