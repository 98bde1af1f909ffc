//! The user's files are never lost and never hang a run (issue 20, parts 1–3): an
//! output may not overwrite, write into or clear what the command reads; only regular
//! files are read, within their limits; messages stay placed and bounded; a killed
//! render leaves nothing behind.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Run, Sandbox, DEADLINE};
use crate::{assert_exit, assert_stderr};

/// A fingerprint of a file's bytes.
fn hash(path: &Path) -> u64 {
    let mut h = DefaultHasher::new();
    std::fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .hash(&mut h);
    h.finish()
}

/// Fingerprints of every file under `dir`, by name.
fn hash_tree(dir: &Path) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                hash(&e.path()),
            )
        })
        .collect();
    v.sort();
    v
}

/// Runs the binary in `s` with a deadline and, when `memory` is given, its address
/// space capped: a hang or a death by signal fails the test.
fn run_capped(s: &Sandbox, args: &[&str], memory: Option<u64>) -> Run {
    s.run_bounded(args, memory)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Sandbox, args: &[&str]) -> Run {
    run_capped(s, args, None)
}

/// A 4x4 red clip of 0.2 s.
const RED: &str = "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 0.2\n";

#[test]
fn regression_render_overwrote_its_input_gif() {
    let s = Sandbox::new();
    s.write_gif(
        "in.gif",
        3,
        2,
        &[([255, 0, 0, 255], 5), ([0, 0, 255, 255], 5)],
    );
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"in.gif\"\n",
    );
    let before = hash(&s.path("in.gif"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("in.gif", s.path("link.gif")).unwrap();
        std::fs::hard_link(s.path("in.gif"), s.path("hard.gif")).unwrap();
    }
    let absolute = s.path("in.gif").to_string_lossy().into_owned();
    let mut outputs = vec!["in.gif", "./in.gif", "sub/../in.gif", absolute.as_str()];
    if cfg!(unix) {
        outputs.extend(["link.gif", "hard.gif"]);
    }
    for out in outputs {
        for command in [
            vec!["render", "scene.toml", "-o", out],
            vec!["render", "scene.toml", "-o", "ok.gif", "--depfile", out],
        ] {
            let r = run(&s, &command);
            assert_exit!(r, 2);
            assert_stderr!(r, "would overwrite in.gif, which the scene reads");
            // The place where the scene reads it.
            assert_stderr!(r, "--> scene.toml:3:8", "path = \"in.gif\"");
            assert_eq!(
                hash(&s.path("in.gif")),
                before,
                "{command:?} changed the input"
            );
        }
    }
    assert!(!s.path("ok.gif").exists());
    // A picture read by the scene, and `frame -o`.
    s.write_picture("in.png", 2, 2, [1, 2, 3, 255]);
    s.write(
        "still.toml",
        "[clip.main]\nkind = \"file\"\npath = \"in.png\"\n",
    );
    let before = hash(&s.path("in.png"));
    let r = run(&s, &["frame", "still.toml", "-t", "0", "-o", "./in.png"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "would overwrite in.png", "--> still.toml:3:8");
    assert_eq!(hash(&s.path("in.png")), before);
    // Another output is fine.
    let r = run(&s, &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
}

#[cfg(feature = "video")]
#[test]
fn regression_render_and_join_overwrote_their_input_videos() {
    let s = Sandbox::new();
    s.write("red.toml", RED);
    for part in ["a.mp4", "b.mp4"] {
        assert_exit!(run(&s, &["render", "red.toml", "-o", part, "-q"]), 0);
    }
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"video\"\npath = \"a.mp4\"\n",
    );
    let (a, b) = (hash(&s.path("a.mp4")), hash(&s.path("b.mp4")));
    let r = run(&s, &["render", "scene.toml", "-o", "a.mp4"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "would overwrite a.mp4", "--> scene.toml:3:8");
    let r = run(&s, &["join", "a.mp4", "b.mp4", "-o", "./b.mp4"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the output ./b.mp4 is one of the parts join reads (b.mp4)"
    );
    assert_eq!((hash(&s.path("a.mp4")), hash(&s.path("b.mp4"))), (a, b));
}

#[test]
fn regression_render_over_an_image_sequence_deleted_its_frames() {
    let s = Sandbox::new();
    for i in 0..20u8 {
        s.write_picture(&format!("seq/{i:04}.png"), 2, 2, [i * 10, 0, 0, 255]);
    }
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"images\"\nfiles = \"seq/%04d.png\"\n",
    );
    let before = hash_tree(&s.path("seq"));
    for (out, says) in [
        (
            "seq/",
            "would overwrite or remove seq/0000.png, which the scene reads",
        ),
        ("seq/%04d.png", "would overwrite or remove seq/0000.png"),
        (
            "seq/x_%02d.png",
            "would be written into the folder seq, which the scene reads",
        ),
        ("seq/out.gif", "would be written into the folder seq"),
    ] {
        let r = run(&s, &["render", "scene.toml", "-o", out]);
        assert_exit!(r, 2);
        assert_stderr!(r, says, "--> scene.toml:3:9");
        assert_eq!(
            hash_tree(&s.path("seq")),
            before,
            "-o {out} changed the frames"
        );
    }
    // join reads the frames: it may not write among them either.
    for out in ["seq/", "seq/all.gif"] {
        let r = run(&s, &["join", "seq/", "-o", out, "--fps", "10"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "which join reads");
        assert_eq!(hash_tree(&s.path("seq")), before, "join -o {out}");
    }
    let r = run(&s, &["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
}

#[test]
fn regression_render_replaced_the_scene_file() {
    let s = Sandbox::new();
    s.write("scene.gif", RED);
    let r = run(&s, &["render", "scene.gif", "-o", "scene.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the output scene.gif would overwrite scene.gif, the scene file"
    );
    assert_eq!(std::fs::read_to_string(s.path("scene.gif")).unwrap(), RED);
    // Through the scene's own `[output] file` too.
    let own = RED.replacen("[output]\n", "[output]\nfile = \"own.gif\"\n", 1);
    s.write("own.gif", &own);
    let r = run(&s, &["render", "own.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "the scene file");
    assert_eq!(std::fs::read_to_string(s.path("own.gif")).unwrap(), own);
}

/// Scenes reading `name(extension)` as each kind of input, with the place of the path
/// in each.
fn readers(name: impl Fn(&str) -> String) -> Vec<(&'static str, String, &'static str)> {
    let (png, csv, npy, ttf, mp4) = (
        name("png"),
        name("csv"),
        name("npy"),
        name("ttf"),
        name("mp4"),
    );
    vec![
        ("picture", format!("[clip.main]\nkind = \"file\"\npath = \"{png}\"\n"), "3:8"),
        (
            "CSV",
            format!(
                "[clip.main]\nkind = \"plot\"\nsize = [40, 30]\nseries = [{{ csv = \"{csv}\", x = \"a\", y = \"b\" }}]\n"
            ),
            "4:19",
        ),
        (
            "NPY",
            format!("[clip.main]\nkind = \"field\"\nnpy = \"{npy}\"\n"),
            "3:7",
        ),
        (
            "font",
            format!(
                "[clip.main]\nkind = \"text\"\ntext = \"hi\"\nfont = \"{ttf}\"\n"
            ),
            "4:8",
        ),
        (
            "video",
            format!("[clip.main]\nkind = \"video\"\npath = \"{mp4}\"\n"),
            "3:8",
        ),
    ]
}

#[cfg(unix)]
#[test]
fn regression_fifos_blocked_every_command() {
    let s = Sandbox::new();
    let mkfifo = |name: &str| {
        let c = std::ffi::CString::new(s.path(name).to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    };
    for ext in ["png", "csv", "npy", "ttf", "mp4"] {
        mkfifo(&format!("pipe.{ext}"));
    }
    mkfifo("pipe");
    for (what, scene, place) in readers(|ext| format!("pipe.{ext}")) {
        s.write("scene.toml", &scene);
        let r = run(&s, &["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "is a named pipe (FIFO), not a regular file");
        assert!(
            r.stderr.contains(&format!("--> scene.toml:{place}")),
            "{what}: {}",
            r.stderr
        );
    }
    // The scene itself.
    let r = run(&s, &["check", "pipe"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read scene file pipe: it is a named pipe (FIFO), not a regular file"
    );
    let r = run(&s, &["render", "pipe", "-o", "x.gif"]);
    assert_exit!(r, 2);
    // A join part.
    s.write("red.toml", RED);
    if cfg!(feature = "video") {
        assert_exit!(run(&s, &["render", "red.toml", "-o", "a.mp4", "-q"]), 0);
        let r = run(&s, &["join", "a.mp4", "pipe.mp4", "-o", "j.mp4"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "cannot read pipe.mp4: it is a named pipe (FIFO)");
    }
    // A picture of an image sequence.
    s.write_picture("seq/0000.png", 2, 2, [0, 0, 0, 255]);
    std::fs::rename(s.path("pipe.csv"), s.path("seq/0001.png")).unwrap();
    for files in ["seq/%04d.png", "seq/*.png"] {
        s.write(
            "scene.toml",
            format!("[clip.main]\nkind = \"images\"\nfiles = \"{files}\"\n"),
        );
        let r = run(&s, &["check", "scene.toml"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "seq/0001.png: it is a named pipe (FIFO)",
            "--> scene.toml:3:9"
        );
    }
    // A frame of a folder `join` encodes.
    assert_exit!(run(&s, &["render", "red.toml", "-o", "frames/", "-q"]), 0);
    std::fs::rename(s.path("pipe.png"), s.path("frames/0002.png")).unwrap();
    let r = run(&s, &["join", "frames/", "-o", "j.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read frames/0002.png: it is a named pipe (FIFO), not a regular file"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn regression_dev_zero_as_csv_or_font_ate_the_memory() {
    // 8 GB resident before; now refused before anything is read. The child may not
    // map more than 2 GiB.
    let s = Sandbox::new();
    for (what, scene, place) in readers(|_| "/dev/zero".to_string()) {
        s.write("scene.toml", &scene);
        let r = run_capped(&s, &["check", "scene.toml"], Some(2 << 30));
        assert_exit!(r, 2);
        assert_stderr!(r, "is a character device, not a regular file");
        assert!(
            r.stderr.contains(&format!("--> scene.toml:{place}")),
            "{what}: {}",
            r.stderr
        );
    }
    let r = run_capped(&s, &["check", "/dev/zero"], Some(2 << 30));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read scene file /dev/zero: it is a character device"
    );
}

#[test]
fn regression_from_chain_of_200000_clips_passed_the_nesting_limit() {
    // Each clip `from` the one before, in file order: resolved without recursing, and
    // accepted although docs/scene.md counts `from` toward the limit of 256.
    let s = Sandbox::new();
    let mut scene = String::from(
        "[output]\nroot = \"c199999\"\n[clip.c0]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1\n",
    );
    for i in 1..200_000 {
        scene += &format!("[clip.c{i}]\nfrom = \"c{}\"\n", i - 1);
    }
    s.write("scene.toml", &scene);
    let r = run(&s, &["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "clip `c256` is nested more than 256 deep (through `from`, layouts and masks)",
        "--> scene.toml:518:1"
    );
}

#[test]
fn regression_a_cycle_through_100000_vars_gave_a_megabyte_message() {
    let s = Sandbox::new();
    let n = 100_000;
    let mut scene = String::from("[vars]\n");
    for i in 0..n {
        scene += &format!("v{i} = \"v{} + 1\"\n", (i + 1) % n);
    }
    scene += "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n";
    s.write("scene.toml", &scene);
    let r = run(&s, &["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "vars refer to each other in a cycle: v0 → v1 → v2 → v3 → v4 → … 99993 more … → v99998 → v99999 → v0",
        "--> scene.toml:2:1"
    );
    assert!(r.stderr.len() < 2000, "{} bytes", r.stderr.len());
}

#[test]
fn regression_output_names_of_244_to_255_bytes_failed() {
    // The temporary name beside the output was 12 bytes longer than the output's.
    let s = Sandbox::new();
    s.write("scene.toml", RED);
    for len in [244, 251, 255] {
        let name = format!("{}.gif", "a".repeat(len - 4));
        let r = run(&s, &["render", "scene.toml", "-o", &name, "-q"]);
        assert_exit!(r, 0);
        assert!(s.path(&name).is_file(), "{len} bytes");
        let frame = format!("{}.png", "f".repeat(len - 4));
        let r = run(&s, &["frame", "scene.toml", "-t", "0", "-o", &frame]);
        assert_exit!(r, 0);
    }
    assert_eq!(s.files().iter().filter(|f| f.ends_with(".tmp")).count(), 0);
}

#[cfg(target_os = "linux")]
#[test]
fn regression_sigkill_left_the_temporary_output_beside_the_target() {
    // SIGKILL cannot be caught: the output is written through an unnamed file, so a
    // killed render leaves the old target as it was and nothing else.
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 30\n[clip.main]\nkind = \"plot\"\nsize = [300, 200]\nduration = 30\nx = [-3, 3]\nseries = [{ y = \"sin(x + t)\" }]\n",
    );
    s.write("out.gif", b"previous");
    for out in ["out.gif", "out.mp4"] {
        if out.ends_with(".mp4") && !cfg!(feature = "video") {
            continue;
        }
        let before = s.files();
        let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
            .args(["render", "scene.toml", "-o", out, "-q"])
            .current_dir(s.path(""))
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while !s.writes_here(child.id()) {
            assert!(
                started.elapsed() < DEADLINE,
                "the render never started writing"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "the render ended early"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(s.files(), before, "-o {out}");
    }
    assert_eq!(std::fs::read(s.path("out.gif")).unwrap(), b"previous");
}

#[cfg(unix)]
#[test]
fn regression_an_output_on_a_pipe_or_device_was_replaced_by_a_file() {
    use std::os::unix::fs::FileTypeExt;
    let s = Sandbox::new();
    s.write("scene.toml", RED);
    let fifo = s.path("out.gif");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // A device through a link in the sandbox: were the check missing, the rename would
    // replace the link, never the device itself.
    std::os::unix::fs::symlink("/dev/null", s.path("null.d")).unwrap();
    std::fs::create_dir(s.path("rules")).unwrap();
    for (args, says) in [
        (
            vec!["-o", "out.gif"],
            "out.gif is a named pipe (FIFO), not a regular file: outputs are written as a new file",
        ),
        (
            vec!["-o", "ok.gif", "--depfile", "out.gif"],
            "out.gif is a named pipe (FIFO)",
        ),
        (
            vec!["-o", "ok.gif", "--depfile", "null.d"],
            "/dev/null is a character device",
        ),
        (
            vec!["-o", "ok.gif", "--depfile", "rules"],
            "rules is a folder",
        ),
    ] {
        let mut command = vec!["render", "scene.toml"];
        command.extend(&args);
        let r = run(&s, &command);
        assert_exit!(r, 2);
        assert_stderr!(r, says);
    }
    let r = run(&s, &["frame", "scene.toml", "-t", "0", "-o", "null.png"]);
    assert_exit!(r, 0);
    std::os::unix::fs::symlink("/dev/null", s.path("dev.png")).unwrap();
    let r = run(&s, &["frame", "scene.toml", "-t", "0", "-o", "dev.png"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "character device");
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(std::fs::symlink_metadata(s.path("null.d"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!s.path("ok.gif").exists(), "refused before rendering");
    // PNG frames: a target that is a file, and a frame's name taken by a pipe.
    s.write("file", b"x");
    let r = run(&s, &["render", "scene.toml", "-o", "file/"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "file is not a folder");
    std::fs::create_dir(s.path("frames")).unwrap();
    let made = Command::new("mkfifo")
        .arg(s.path("frames/0001.png"))
        .status()
        .unwrap();
    assert!(made.success());
    let r = run(&s, &["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "0001.png is a named pipe (FIFO) with a frame's name");
}

#[cfg(unix)]
#[test]
fn regression_an_output_link_was_replaced_instead_of_followed() {
    let s = Sandbox::new();
    s.write("scene.toml", RED);
    s.write("real.gif", b"old");
    std::fs::create_dir(s.path("sub")).unwrap();
    std::os::unix::fs::symlink("../real.gif", s.path("sub/link.gif")).unwrap();
    let r = run(&s, &["render", "scene.toml", "-o", "sub/link.gif", "-q"]);
    assert_exit!(r, 0);
    let link = std::fs::symlink_metadata(s.path("sub/link.gif")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays");
    assert_eq!(
        crate::util::read_gif(&s.path("real.gif")).len(),
        1,
        "its file is the GIF"
    );
    // A depfile through a link, and a link to nothing.
    s.write("rules.d", b"old");
    std::os::unix::fs::symlink("rules.d", s.path("link.d")).unwrap();
    let r = run(
        &s,
        &[
            "render",
            "scene.toml",
            "-o",
            "a.gif",
            "-q",
            "--depfile",
            "link.d",
        ],
    );
    assert_exit!(r, 0);
    assert!(std::fs::read_to_string(s.path("rules.d"))
        .unwrap()
        .starts_with("a.gif:"));
    std::os::unix::fs::symlink("missing/nothing.gif", s.path("dangling.gif")).unwrap();
    let r = run(&s, &["render", "scene.toml", "-o", "dangling.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "dangling.gif is a symbolic link to missing/nothing.gif");
}

#[test]
fn regression_a_frames_render_deleted_numbered_pngs_animate_never_wrote() {
    let s = Sandbox::new();
    // Five frames of an earlier render, then another program's numbered PNGs.
    s.write("long.toml", RED.replace("duration = 0.2", "duration = 0.5"));
    let r = run(&s, &["render", "long.toml", "-o", "frames/", "-q"]);
    assert_exit!(r, 0);
    s.write_picture("frames/0099.png", 4, 4, [0, 0, 255, 255]);
    s.write_picture("frames/0007.png", 4, 4, [0, 0, 255, 255]);
    s.write_picture("frames/photo.png", 4, 4, [0, 0, 255, 255]);
    s.write("scene.toml", RED);
    let r = run(&s, &["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "frames/0007.png and 1 more left in place",
        "not written by animate"
    );
    let mut left: Vec<String> = std::fs::read_dir(s.path("frames"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // The earlier render's 0002–0004 are gone; the others' files stay.
    assert_eq!(
        left,
        ["0000.png", "0001.png", "0007.png", "0099.png", "photo.png"]
    );
}

#[test]
fn regression_an_unwritable_depfile_folder_failed_after_the_render() {
    let s = Sandbox::new();
    s.write("scene.toml", RED);
    // No file can be made in /proc, even by root.
    let r = run(
        &s,
        &[
            "render",
            "scene.toml",
            "-o",
            "out.gif",
            "--depfile",
            "/proc/x.d",
        ],
    );
    assert_exit!(r, 1);
    assert_stderr!(
        r,
        "--depfile /proc/x.d",
        "cannot create a temporary file in /proc"
    );
    assert!(!s.path("out.gif").exists(), "nothing was rendered");
}

/// The `.frames.XXXXXX.tmp` folders in the sandbox.
fn frame_temps(s: &Sandbox) -> Vec<String> {
    let mut temps: Vec<String> = std::fs::read_dir(s.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".frames.") && n.ends_with(".tmp"))
        .collect();
    temps.sort();
    temps
}

#[cfg(unix)]
#[test]
fn regression_a_killed_frames_render_left_its_temporary_folder_for_ever() {
    // Single-file outputs are unnamed until committed; a frames render writes into a
    // named folder beside the target, which SIGKILL left behind with its frames, and no
    // later render removed.
    let s = Sandbox::new();
    s.write(
        "slow.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [800, 800]\n\
         duration = 60\neffects = [{ gaussian_blur = 40 }]\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args([
            "render",
            "slow.toml",
            "-o",
            "frames/",
            "--threads",
            "1",
            "-q",
        ])
        .current_dir(s.path(""))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let has_frame = |s: &Sandbox| {
        frame_temps(s)
            .iter()
            .any(|t| std::fs::read_dir(s.path(t)).is_ok_and(|mut entries| entries.next().is_some()))
    };
    while !has_frame(&s) {
        assert!(started.elapsed() < DEADLINE, "no frame was written");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = frame_temps(&s);
    assert_eq!(left.len(), 1, "{left:?}");
    // A folder younger than a minute may belong to a render that has not locked it yet:
    // it stays. An hour old, with no render holding it, it is removed.
    s.write("scene.toml", RED);
    let r = run(&s, &["render", "scene.toml", "-o", "frames/", "-q"]);
    assert_exit!(r, 0);
    assert_eq!(frame_temps(&s), left);
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::open(s.path(&left[0]))
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let r = run(&s, &["render", "scene.toml", "-o", "frames/", "-q"]);
    assert_exit!(r, 0);
    assert_eq!(frame_temps(&s), Vec::<String>::new());
    assert!(s.path("frames/0000.png").exists());
}

/// Regression (hostile F-L): re-rendering PNG frames into a folder moved them in one
/// by one, so a SIGKILL part-way left frames of both renders. A folder holding only an
/// earlier render's frames is now exchanged whole in one step (Linux): the folder seen at
/// the target is the new one (another inode, the old one's permissions), the earlier
/// frames past the new end are gone with it, and no temporary folder stays. A folder
/// with a file of the user's is still filled frame by frame, the file kept.
#[test]
fn regression_a_killed_move_of_frames_into_a_folder_mixed_two_renders() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let s = Sandbox::new();
    let scene = "[vars]\nc = 0\n[output]\nfps = 10\n[clip.main]\nkind = \"field\"\nsize = [8, 8]\nduration = 2\nf = \"x + c\"\nx = [0, 1]\ny = [0, 1]\nvmin = 0\nvmax = 2\n";
    s.write("scene.toml", scene);
    assert_exit!(run(&s, &["render", "scene.toml", "-o", "fr/", "-q"]), 0);
    let dir = s.path("fr");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o750)).unwrap();
    let before = std::fs::metadata(&dir).unwrap().ino();
    let old = hash(&dir.join("0005.png"));
    let r = run(
        &s,
        &[
            "render",
            "scene.toml",
            "-o",
            "fr/",
            "-q",
            "--set",
            "c=1",
            "--duration",
            "1",
        ],
    );
    assert_exit!(r, 0);
    let meta = std::fs::metadata(&dir).unwrap();
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        assert_ne!(meta.ino(), before, "the folder was not exchanged whole");
    }
    assert_eq!(meta.permissions().mode() & 0o777, 0o750);
    assert_ne!(hash(&dir.join("0005.png")), old);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 10);
    assert!(
        !s.files().iter().any(|f| f.ends_with(".tmp")),
        "a temporary folder stayed: {:?}",
        s.files()
    );

    // A file of the user's in the folder: frames moved in one by one, the file kept.
    s.write("fr/notes.txt", "mine");
    let before = std::fs::metadata(&dir).unwrap().ino();
    assert_exit!(run(&s, &["render", "scene.toml", "-o", "fr/", "-q"]), 0);
    assert_eq!(std::fs::metadata(&dir).unwrap().ino(), before);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 21);
}
