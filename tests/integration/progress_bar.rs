//! The progress bar on a terminal: passes over a clip (a measurement, statistics over a
//! whole clip) show on it, named, with their own frame counts. Run under a
//! pseudo-terminal made by util-linux's `script`, since the bar is drawn only there.

use std::process::Command;

use crate::util::Sandbox;

/// A measurement of a 12-frame strip; the strip's table is last, so a test may add
/// keys to it.
const STRIP: &str = r#"
[output]
fps = 10

[measure.population]
clip = "strip"
stat = "count_above"

[clip.strip]
kind = "field"
size = [10, 1]
duration = 1.2
x = [0, 1]
y = [0, 1]
resolution = [10, 1]
colormap = "gray"
vmin = 0
vmax = 1
f = "x < t"
"#;

/// `animate ARGS` run in the sandbox under a pseudo-terminal: its exit code and what
/// it wrote to the terminal, escape sequences and carriage returns turned into line
/// breaks. `None` (with the reason printed) when `script` is missing.
fn on_terminal(s: &Sandbox, args: &str) -> Option<(i32, String)> {
    let probe = Command::new("script").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: util-linux `script` is not installed, so there is no pseudo-terminal");
        return None;
    }
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_animate"));
    let out = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .current_dir(s.path(""))
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI: ESC [ parameters, then one letter.
                if chars.peek() == Some(&'[') {
                    for c in chars.by_ref() {
                        if c.is_ascii_alphabetic() {
                            break;
                        }
                    }
                }
                plain.push('\n');
            }
            '\r' => plain.push('\n'),
            c => plain.push(c),
        }
    }
    Some((out.status.code().unwrap_or(-1), plain))
}

#[test]
fn a_measurement_pass_shows_on_the_bar_with_its_frames() {
    let s = Sandbox::new();
    // The strip's frames are equalized over the whole strip: the statistics pass runs
    // inside the measurement's pass.
    s.write(
        "scene.toml",
        format!(
            "{STRIP}effects = [{{ equalize = {{ over = \"clip\" }} }}]\n\n[clip.main]\nkind = \"color\"\n\
             color = \"white\"\nsize = [4, 4]\nduration = 1\neffects = [{{ opacity = \"population / 10\" }}]\n"
        ),
    );
    let Some((code, shown)) = on_terminal(&s, "render scene.toml -o out.gif") else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    let lines: Vec<&str> = shown.lines().map(str::trim).collect();
    let has = |start: &str, end: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(start) && l.contains(end))
    };
    // Each pass is drawn at least when it begins, with its own length: the strip's 12
    // frames, not the render's 10.
    assert!(has("measuring population ", " 0/12 frames"), "{shown}");
    assert!(has("statistics of field ", "/12 frames"), "{shown}");
    // Then the render's own frames, unnamed, to the end.
    let last_bar = lines
        .iter()
        .rev()
        .find(|l| l.contains(" frames  "))
        .expect("a bar");
    assert!(
        last_bar.contains("/10 frames") && !last_bar.contains("measuring"),
        "{shown}"
    );
    assert!(shown.contains("wrote out.gif: 10 frames"), "{shown}");
    assert_eq!(crate::util::read_gif(&s.path("out.gif")).len(), 10);
}

#[test]
fn without_passes_the_bar_names_nothing() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n",
    );
    let Some((code, shown)) = on_terminal(&s, "render scene.toml -o out.gif --fps 10") else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("/10 frames"), "{shown}");
    assert!(
        !shown.contains("measuring") && !shown.contains("statistics of"),
        "{shown}"
    );
}

#[test]
fn a_pass_made_while_the_scene_loads_shows_too() {
    // A plot's automatic limits over a measurement need its values while the scene
    // loads, before the render's bar exists (as in scenes/bacteria.toml).
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        format!(
            "{STRIP}\n[clip.main]\nkind = \"plot\"\nsize = [80, 60]\nduration = 1\n\
             series = [{{ measure = \"population\" }}]\n"
        ),
    );
    let Some((code, shown)) = on_terminal(&s, "render scene.toml -o out.gif") else {
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown
            .lines()
            .any(|l| l.trim().starts_with("measuring population ") && l.contains(" 0/12 frames")),
        "{shown}"
    );
    assert!(shown.contains("/10 frames"), "{shown}");
    // --quiet: no bar at all.
    let (code, shown) = on_terminal(&s, "render scene.toml -o quiet.gif --quiet").unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(!shown.contains("measuring"), "{shown}");
}
