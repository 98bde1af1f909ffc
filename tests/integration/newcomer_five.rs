//! What a fifth newcomer met: output silently not what the files hold (a swept CSV not
//! sorted by x, numbered frames saved every 10th step), a sliver of the bar just out of
//! a race's top N, and hints that did not say what to write (`fill = "below"`, a bar
//! table's column shortened, a file name given to `--set`, Python's `and`/`or`).

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// 40 days of revenue, rows in day order.
fn days() -> Vec<String> {
    (1..=40)
        .map(|d| format!("{d},{}", 100 + (d * 7) % 23 + d))
        .collect()
}

fn table(rows: &[String]) -> String {
    format!("day,revenue\n{}\n", rows.join("\n"))
}

const SWEPT: &str = "[output]\nfps = 10\n[clip.main]\nkind = \"plot\"\nsize = [200, 120]\n\
     duration = 2\nseries = [{ csv = \"FILE\", x = \"day\", y = \"revenue\", sweep = true }]\n";

#[test]
fn regression_a_sweep_of_a_shuffled_csv_drew_only_the_files_first_rows() {
    let s = Sandbox::new();
    let sorted = days();
    // the same rows shuffled (17 is prime to 40: every row once), day 1 first
    let shuffled: Vec<String> = (0..40).map(|i| sorted[(i * 17) % 40].clone()).collect();
    assert_ne!(shuffled, sorted);
    s.write("sorted.csv", table(&sorted));
    s.write("shuffled.csv", table(&shuffled));
    for t in [0.5, 1.0, 1.9] {
        let want = s.frame(&SWEPT.replace("FILE", "sorted.csv"), t);
        let got = s.frame(&SWEPT.replace("FILE", "shuffled.csv"), t);
        assert!(got == want, "t = {t}: the shuffled file is drawn otherwise");
    }
    // said once, naming the clip, the file and the column
    s.write("scene.toml", SWEPT.replace("FILE", "shuffled.csv"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: clip `main`: shuffled.csv is not sorted by `day`",
        "data row 4 (12 after 35)",
        "drawn in the order of `day`",
        "scene.toml:7:"
    );
    s.write("scene.toml", SWEPT.replace("FILE", "sorted.csv"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn regression_numbered_frames_saved_every_tenth_step_gave_one_picture_silently() {
    let s = Sandbox::new();
    for n in [0, 10, 20, 30] {
        s.write_picture(&format!("out/step_{n:04}.png"), 8, 6, [200, 0, 0, 255]);
    }
    let scene =
        "[output]\nfps = 10\n[clip.main]\nkind = \"images\"\nfiles = \"out/step_%04d.png\"\n";
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: clip `main`: `out/step_%04d.png` stops at step_0000.png (1 picture): \
         step_0001.png is missing, but step_0010.png and 2 more come after it",
        "the glob `out/step_*.png` takes every file",
        "scene.toml:5:"
    );
    // one frame, said in the singular
    assert!(r.stdout.contains("(1 frame)\n"), "{}", r.stdout);
    // the glob takes them all, without a warning
    s.write("scene.toml", scene.replace("%04d", "*"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("(4 frames)"), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // numbers from 10 on: nothing from 0 to 4, and the error names the first file
    std::fs::remove_file(s.path("out/step_0000.png")).unwrap();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "its first file is step_0010.png",
        "`out/step_*.png`",
        "scene.toml:5:"
    );
}

#[test]
fn a_sequence_without_gaps_says_nothing() {
    let s = Sandbox::new();
    for n in 0..3 {
        s.write_picture(&format!("f_{n:03}.png"), 8, 6, [0, 0, 200, 255]);
    }
    // another sequence in the same folder, of another pattern
    s.write_picture("g_010.png", 8, 6, [0, 0, 200, 255]);
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"images\"\nfiles = \"f_%03d.png\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("(3 frames)"), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}
