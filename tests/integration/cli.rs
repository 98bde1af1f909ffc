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
    assert_stderr!(
        r,
        "the root clip's 4x2 frames are scaled to 8x4 and centred in the 8x8 output"
    );
}

#[test]
fn a_size_of_another_shape_is_said_and_one_of_the_same_shape_is_not() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"blue\"\nsize = [40, 20]\nduration = 0.2\n",
    );
    let r = s.run(&["render", "scene.toml", "-o", "a/", "--size", "20x20"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "scaled to 20x10 and centred in the 20x20 output");
    assert_stderr!(r, "--size 20x10");
    let r = s.run(&["render", "scene.toml", "-o", "b/", "--size", "20x10"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("centred in"), "{}", r.stderr);
}

#[test]
fn a_frame_after_the_end_is_said() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"blue\"\nsize = [4, 4]\nduration = 2\n",
    );
    let r = s.run(&["frame", "scene.toml", "-t", "5", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "-t 5 is after the scene's end (2.00 s)");
    let r = s.run(&["frame", "scene.toml", "-t", "1.5", "-o", "g.png"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("after the scene's end"), "{}", r.stderr);
    // A negative time is a time error, not "unexpected argument '-5'".
    for t in ["-5", "-0.5s"] {
        let r = s.run(&["frame", "scene.toml", "-t", t, "-o", "h.png"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "time must be 0 or more seconds");
    }
}

#[test]
fn paths_in_scenes_are_relative_to_the_scene_file() {
    let s = Sandbox::new();
    s.write(
        "sub/scene.toml",
        "[output]\nfile = \"out.gif\"\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["check", "sub/scene.toml"]);
    assert_exit!(r, 0);
    // `check` refuses an output `render` would refuse (a single PNG file), naming it
    // as resolved from the scene's folder.
    s.write(
        "sub/scene.toml",
        "[output]\nfile = \"out.png\"\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["check", "sub/scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`sub/out.png` is a single PNG file",
        "--> sub/scene.toml:2:8"
    );
}

#[test]
fn sizes_take_vars_so_set_resizes_a_scene() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[vars]\nw = 8\n[output]\nsize = [\"w\", \"w / 2\"]\n\
         [clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [\"w\", \"w * 0.75\"]\n",
    );
    let r = s.run(&["check", "scene.toml", "--set", "w=20"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("output: 20x10"), "{}", r.stdout);
    assert!(r.stdout.contains("color  20x15"), "{}", r.stdout);
}

#[test]
fn frame_refuses_a_name_that_is_not_png() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["frame", "scene.toml", "-t", "0", "-o", "f.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "ending in .png");
    assert!(!s.path("f.gif").exists());
    let r = s.run(&["frame", "scene.toml", "--time", "0", "-o", "f.PNG"]);
    assert_exit!(r, 0);
}

/// Regression: `animate deps scene.toml | head -0` panicked on the closed pipe.
#[test]
fn a_closed_stdout_is_not_a_crash() {
    use std::process::{Command, Stdio};
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    for cmd in ["deps", "check"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
            .args([cmd, "scene.toml"])
            .current_dir(s.path("."))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{cmd}: {stderr}");
        assert!(!stderr.contains("panicked"), "{cmd}: {stderr}");
    }
}

/// Regression: `animate frame -o - | head -c 10` exited 0 though the reader never got
/// the picture (`render -o -` said so and exited 1). Text commands (above) still treat a
/// closed pipe as a reader that has read enough.
#[cfg(unix)]
#[test]
fn regression_a_frame_into_a_closed_pipe_was_reported_written() {
    use std::os::fd::FromRawFd;
    use std::process::{Command, Stdio};
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    // A pipe whose reading end is closed before animate starts: every write fails.
    let mut fds = [0; 2];
    // SAFETY: two descriptors written by pipe(2), each then owned once.
    let write_end = unsafe {
        assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
        libc::close(fds[0]);
        std::fs::File::from_raw_fd(fds[1])
    };
    let out = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(["frame", "scene.toml", "-t", "0", "-o", "-"])
        .current_dir(s.path("."))
        .stdout(Stdio::from(write_end))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write the frame to stdout"),
        "{stderr}"
    );
}

/// Regression: `render -o - >&-` wrote the GIF into the `/dev/null` Rust's runtime puts
/// in place of a closed stdout, and exited 0. `> /dev/null` is still a place to write.
#[cfg(target_os = "linux")]
#[test]
fn regression_a_render_to_a_closed_stdout_was_reported_written() {
    use std::process::Command;
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 0.1\n",
    );
    let shell = |redirect: &str, args: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {args} {redirect}"))
            .arg(env!("CARGO_BIN_EXE_animate"))
            .current_dir(s.path("."))
            .output()
            .unwrap()
    };
    for args in [
        "render scene.toml -o - --format gif",
        "render scene.toml -o - --format png",
        "frame scene.toml -t 0 -o -",
    ] {
        let out = shell(">&-", args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args}: {stderr}");
        assert!(
            stderr.contains("standard output, but it is closed"),
            "{args}: {stderr}"
        );
        let out = shell(">/dev/null", args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args} > /dev/null: {stderr}");
    }
}

#[test]
fn quiet_keeps_warnings() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nduration = 0.1\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n",
    );
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "a.gif",
        "--fps",
        "60",
        "--quiet",
    ]);
    assert_exit!(r, 0);
    assert_stderr!(r, "warning:");
    assert!(!r.stderr.contains("wrote"), "{}", r.stderr);
}

/// Regression: the usage hints read the command line with `std::env::args`, which
/// panics on an argument that is not UTF-8.
#[cfg(unix)]
#[test]
fn regression_a_refused_non_utf8_argument_panicked_the_usage_hint() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let s = Sandbox::new();
    for args in [
        vec![
            OsStr::from_bytes(b"\xff.toml"),
            OsStr::new("-o"),
            OsStr::new("x.gif"),
        ],
        vec![
            OsStr::new("render"),
            OsStr::new("s.toml"),
            OsStr::from_bytes(b"\xffout.gif"),
        ],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_animate"))
            .args(&args)
            .current_dir(s.path("."))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("hint:"), "{stderr}");
    }
}

/// Runs animate in the sandbox with `input` on its stdin.
fn piped(s: &crate::util::Sandbox, args: &[&str], input: &str) -> crate::util::Run {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(args)
        .current_dir(s.path(""))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A command refused at once may close its stdin before reading it.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    crate::util::Run::from(child.wait_with_output().unwrap())
}

/// Regression: programs.md spoke of a scene named `-`, but `render -` said "cannot read
/// scene file -: no such file".
#[test]
fn a_scene_can_be_piped_in_as_dash() {
    let s = crate::util::Sandbox::new();
    let scene = "[output]\nfps = 4\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 6]\nduration = 1\n";
    let r = piped(
        &s,
        &["render", "-", "-o", "out.gif", "-q", "--depfile", "out.d"],
        scene,
    );
    assert_exit!(r, 0);
    let frames = crate::util::read_gif(&s.path("out.gif"));
    assert_eq!(frames[0].0.dimensions(), (8, 6));
    crate::util::assert_px(&frames[0].0, 4, 3, [255, 0, 0, 255], 0);
    // No file to depend on.
    assert_eq!(
        std::fs::read_to_string(s.path("out.d")).unwrap().trim(),
        "out.gif:"
    );
    // Errors point into `-`.
    let r = piped(&s, &["check", "-"], "[clip.main]\nkind = \"colr\"\n");
    assert_exit!(r, 2);
    assert_stderr!(r, "unknown clip kind `colr`", "--> -:2:8");
    // stdin cannot carry the scene and a stdin clip's frames; the preview needs a file.
    let r = piped(
        &s,
        &["render", "-", "-o", "x.gif"],
        "[clip.main]\nkind = \"stdin\"\nsize = [8, 8]\nduration = 1\n",
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "a `kind = \"stdin\"` clip cannot read frames from it too"
    );
    // Bounded like a scene file.
    let r = piped(&s, &["check", "-"], &"#".repeat((16 << 20) + 1));
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "standard input: it is larger than 16 MiB, the most a scene file may have"
    );
    let r = piped(&s, &["preview", "-"], scene);
    assert_exit!(r, 2);
    assert_stderr!(r, "cannot read one from standard input");
}

/// A tester's `[output] size = [5000, 5000]` with a GIF output was refused without a
/// place in the scene, where the other `[output]` errors point at their key.
#[test]
fn regression_a_gif_too_large_for_output_size_was_refused_without_its_place() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 5\nsize = [5000, 5000]\nfile = \"x.gif\"\n\
         [clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [50, 50]\nduration = 1\n",
    );
    for args in [
        &["render", "scene.toml"][..],
        &["render", "scene.toml", "-o", "y.gif"],
    ] {
        let r = s.run(args);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "a 5000x5000 GIF is too large",
            "scene.toml:3:8",
            "a smaller `size`"
        );
        assert!(!r.stderr.contains("--size"), "{}", r.stderr);
    }
    // a --size of the command line has no place in the scene
    let r = s.run(&["render", "scene.toml", "--size", "5000x5000", "-o", "y.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "a 5000x5000 GIF is too large", "a smaller --size");
    assert!(!r.stderr.contains("scene.toml:"), "{}", r.stderr);
    // other outputs take it
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(s.files().iter().all(|f| !f.ends_with(".gif")));
}

/// `check` decoded a whole still picture to learn its size (1 GB for a 16384² PNG):
/// it reads the header only now, so damage inside the pixel data passes `check` and is
/// found by the render, which decodes it (at load: exit 2, with the place).
#[test]
fn regression_check_decoded_whole_pictures_to_learn_their_size() {
    let s = Sandbox::new();
    let good = std::fs::read(s.write_picture("good.png", 64, 48, [255, 0, 0, 255])).unwrap();
    // cut inside the pixel data: the header is whole, the picture is not
    let at = good.windows(4).position(|w| w == b"IDAT").unwrap();
    s.write("cut.png", &good[..at + 10]);
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"cut.png\"\nduration = 1\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("main  image  64x48"), "{}", r.stdout);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cut.png", "scene.toml:3:8");
}

/// `--size 300x` and `--size x200` (the lead's list, fix7): one side given, the other
/// following the root clip's aspect, rounded to the nearest even number; no warning
/// about bands for the pixel that rounding leaves; a malformed size refused (exit 2).
#[test]
fn regression_a_size_with_one_side_was_refused() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"blue\"\nsize = [640, 360]\nduration = 0.1\n",
    );
    for (size, want) in [
        ("300x", (300, 168)),
        ("x200", (356, 200)),
        ("x101", (180, 101)),
    ] {
        let out = format!("{}/", size.replace('x', "_"));
        let r = s.run(&["render", "scene.toml", "-o", &out, "--size", size]);
        assert_exit!(r, 0);
        assert!(!r.stderr.contains("centred in"), "{size}: {}", r.stderr);
        let img = crate::util::read_png(&s.path(&format!("{out}0000.png")));
        assert_eq!(img.dimensions(), want, "{size}");
    }
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "f.png",
        "--size",
        "x100",
    ]);
    assert_exit!(r, 0);
    assert_eq!(
        crate::util::read_png(&s.path("f.png")).dimensions(),
        (178, 100)
    );
    for bad in ["300", "x", "0x", "3.5x", "x-2", "99999x"] {
        let r = s.run(&["render", "scene.toml", "-o", "bad/", "--size", bad]);
        assert_exit!(r, 2);
        assert_stderr!(r, "--size");
    }
    let r = s.run(&["render", "scene.toml", "-o", "big/", "--size", "x16384"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "its other side would be 29128 pixels, more than the 16384"
    );
}
