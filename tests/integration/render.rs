//! `animate render` end to end: GIF and PNG outputs, timing, atomic output.

use crate::util::{assert_px, read_gif, read_png, Sandbox};
use crate::{assert_exit, assert_stderr};

/// Red for the first second, then blue for half a second.
const TWO_COLOURS: &str = r#"
[output]
fps = 10
[clip.red]
kind = "color"
color = "red"
size = [6, 4]
duration = 1
[clip.blue]
kind = "color"
color = "blue"
size = [6, 4]
duration = 0.5
[clip.main]
kind = "sequence"
clips = ["red", "blue"]
"#;

/// Five 0.1 s colours in a row: every frame differs from the one before.
const FIVE: &str = r#"
[output]
fps = 10
[clip.c0]
kind = "color"
color = "red"
size = [6, 4]
duration = 0.1
[clip.c1]
from = "c0"
[clip.c2]
kind = "color"
color = "blue"
size = [6, 4]
duration = 0.1
[clip.c3]
kind = "color"
color = "white"
size = [6, 4]
duration = 0.1
[clip.c4]
kind = "color"
color = "lime"
size = [6, 4]
duration = 0.1
[clip.main]
kind = "sequence"
clips = ["c0", "c2", "c3", "c4", "c2"]
"#;

#[test]
fn gif_round_trip_has_every_frame_with_its_delay_and_colour() {
    let s = Sandbox::new();
    s.write("scene.toml", FIVE);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "wrote out.gif: 5 frames, 6x4");
    let frames = read_gif(&s.path("out.gif"));
    assert_eq!(frames.len(), 5);
    assert!(
        frames.iter().all(|(_, delay)| *delay == 10),
        "{:?}",
        frames.iter().map(|f| f.1).collect::<Vec<_>>()
    );
    assert_eq!(frames[0].0.dimensions(), (6, 4));
    let want = [
        [255, 0, 0, 255],
        [0, 0, 255, 255],
        [255, 255, 255, 255],
        [0, 255, 0, 255],
        [0, 0, 255, 255],
    ];
    for (k, w) in want.into_iter().enumerate() {
        assert_px(&frames[k].0, 2, 2, w, 8);
    }
}

#[test]
fn identical_frames_merge_into_longer_gif_delays() {
    let s = Sandbox::new();
    s.write("scene.toml", TWO_COLOURS);
    assert_exit!(s.run(&["render", "scene.toml", "-o", "out.gif"]), 0);
    let frames = read_gif(&s.path("out.gif"));
    let delays: Vec<u16> = frames.iter().map(|f| f.1).collect();
    assert_eq!(delays.iter().sum::<u16>(), 150, "{delays:?}");
    assert_px(&frames[0].0, 0, 0, [255, 0, 0, 255], 8);
    assert_px(&frames.last().unwrap().0, 0, 0, [0, 0, 255, 255], 8);
}

#[test]
fn png_sequence_has_round_duration_times_fps_files() {
    let s = Sandbox::new();
    s.write("scene.toml", TWO_COLOURS);
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "frames/%03d.png",
        "--fps",
        "4",
        "-q",
    ]);
    assert_exit!(r, 0);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    // 1.5 s at 4 fps = 6 frames: t = 0, .25, .5, .75 red; 1.0, 1.25 blue
    let mut names: Vec<String> = std::fs::read_dir(s.path("frames"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["000.png", "001.png", "002.png", "003.png", "004.png", "005.png"]
    );
    assert_px(
        &read_png(&s.path("frames/003.png")),
        0,
        0,
        [255, 0, 0, 255],
        0,
    );
    assert_px(
        &read_png(&s.path("frames/004.png")),
        0,
        0,
        [0, 0, 255, 255],
        0,
    );
}

#[test]
fn duration_flag_and_scene_output_file() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        TWO_COLOURS.replace("fps = 10", "fps = 10\nfile = \"result.gif\""),
    );
    let r = s.run(&["render", "scene.toml", "--duration", "0.5"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "5 frames, 6x4, 0.50 s");
    let delays: u16 = read_gif(&s.path("result.gif")).iter().map(|f| f.1).sum();
    assert_eq!(delays, 50);
}

#[test]
fn transparent_background_survives_into_png() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        r#"
[output]
background = "transparent"
duration = 0.2
fps = 10
[clip.dot]
kind = "color"
color = "red"
size = [2, 2]
[clip.main]
kind = "composite"
size = [4, 4]
layers = [{ clip = "dot", opacity = 0.5 }]
"#,
    );
    let r = s.run(&["render", "scene.toml", "-o", "f/"]);
    assert_exit!(r, 0);
    let img = read_png(&s.path("f/0000.png"));
    assert_px(&img, 3, 3, [0, 0, 0, 0], 0);
    assert_px(&img, 0, 0, [255, 0, 0, 128], 1);
}

#[test]
fn no_output_anywhere_is_a_usage_error() {
    let s = Sandbox::new();
    s.write("scene.toml", TWO_COLOURS);
    let r = s.run(&["render", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "no output given");
    let r = s.run(&["render", "scene.toml", "-o", "out.xyz"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cannot tell the output format");
}

#[test]
fn scene_error_leaves_existing_output_untouched() {
    let s = Sandbox::new();
    s.write("out.gif", b"previous");
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"nope\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_eq!(std::fs::read(s.path("out.gif")).unwrap(), b"previous");
    assert_eq!(s.files(), ["out.gif", "scene.toml"]);
}

#[test]
fn same_scene_gives_identical_gifs_on_one_or_many_threads() {
    let s = Sandbox::new();
    s.write("scene.toml", TWO_COLOURS);
    assert_exit!(
        s.run(&["render", "scene.toml", "-o", "one.gif", "--threads", "1"]),
        0
    );
    assert_exit!(
        s.run(&["render", "scene.toml", "-o", "many.gif", "--threads", "4"]),
        0
    );
    assert_eq!(
        std::fs::read(s.path("one.gif")).unwrap(),
        std::fs::read(s.path("many.gif")).unwrap()
    );
}

/// A sequence of `n` 4×4 PNG frames in seq/, the frame at `bad` truncated after its
/// header: the scene loads, and rendering fails when it reaches that frame.
fn sequence_failing_at(s: &Sandbox, n: usize, bad: usize) {
    for i in 0..n {
        let p = s.path(&format!("seq/{i:03}.png"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        image::RgbaImage::from_pixel(4, 4, image::Rgba([9, 9, 9, 255]))
            .save(&p)
            .unwrap();
        if i == bad {
            let bytes = std::fs::read(&p).unwrap();
            // keep the header and the start of the pixel data: the picture loads, its
            // pixels cannot be decoded
            std::fs::write(&p, &bytes[..bytes.len() - 16]).unwrap();
        }
    }
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"images\"\nfiles = \"seq/%03d.png\"\nfps = 10\n",
    );
}

#[test]
fn render_failing_half_way_keeps_the_existing_output_and_leaves_no_temporary() {
    for target in ["out.gif", "frames/"] {
        let s = Sandbox::new();
        sequence_failing_at(&s, 30, 20);
        s.write("out.gif", b"previous");
        s.write("frames/0000.png", b"previous");
        let r = s.run(&["render", "scene.toml", "-o", target, "--threads", "2"]);
        assert_exit!(r, 1);
        assert_stderr!(r, "020.png");
        assert_eq!(std::fs::read(s.path("out.gif")).unwrap(), b"previous");
        assert_eq!(
            std::fs::read(s.path("frames/0000.png")).unwrap(),
            b"previous"
        );
        assert_eq!(s.files(), ["frames", "out.gif", "scene.toml", "seq"]);
        assert_eq!(
            std::fs::read_dir(s.path("frames")).unwrap().count(),
            1,
            "no frame of the failed render is left"
        );
    }
}

/// Regression: a render failing into `new/sub/x.gif` left the folders it had made.
#[test]
fn a_failed_render_removes_the_folders_it_made() {
    for target in ["new/sub/out.gif", "new/sub/frames/", "new/sub/%03d.png"] {
        let s = Sandbox::new();
        sequence_failing_at(&s, 30, 20);
        s.write("kept/note.txt", "mine");
        let r = s.run(&["render", "scene.toml", "-o", target]);
        assert_exit!(r, 1);
        assert!(!s.path("new").exists(), "{target}: {:?}", s.files());
        let r = s.run(&["render", "scene.toml", "-o", "kept/out.gif"]);
        assert_exit!(r, 1);
        assert_eq!(
            std::fs::read_to_string(s.path("kept/note.txt")).unwrap(),
            "mine"
        );
    }
}

#[cfg(unix)]
#[test]
fn interrupted_render_leaves_no_output() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 50\nduration = 3600\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [64, 64]\n",
    );
    let out = s.interrupt(&["render", "scene.toml", "-o", "out.gif"]);
    // 128 + SIGINT, as the shell reports a command stopped by Ctrl-C.
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(s.files(), ["scene.toml"]);
}

#[test]
fn gif_frames_above_4096_squared_are_refused_before_rendering() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4]\nduration = 1\n",
    );
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "big.gif",
        "--size",
        "4097x4096",
    ]);
    assert_exit!(r, 2);
    assert_stderr!(r, "too large", "-o frames/");
    assert_eq!(s.files(), ["scene.toml"]);
}

#[test]
fn regression_a_gif_picture_held_over_655_seconds_was_cut_short() {
    // 1000 identical frames at 1 fps merge into one picture of 1000 s; a GIF delay
    // holds at most 655.35 s, and the rest was lost.
    let s = Sandbox::new();
    for (name, background) in [("opaque", "black"), ("clear", "transparent")] {
        s.write(
            "scene.toml",
            format!(
                "[output]\nfps = 1\nbackground = \"{background}\"\n[clip.main]\nkind = \"color\"\n\
                 color = \"red\"\nsize = [2, 2]\nduration = 1000\n"
            ),
        );
        let out = format!("{name}.gif");
        let r = s.run(&["render", "scene.toml", "-o", &out, "-q"]);
        assert_exit!(r, 0);
        let frames = crate::util::read_gif(&s.path(&out));
        let total: u64 = frames.iter().map(|(_, d)| u64::from(*d)).sum();
        assert_eq!(total, 100_000, "{name}: hundredths of a second in all");
        assert_eq!(frames.len(), 2, "{name}: 1000 s in two delays of 500 s");
        for (img, _) in &frames {
            crate::util::assert_px(img, 1, 1, [255, 0, 0, 255], 0);
        }
    }
}

/// Regression: SIGTERM or SIGHUP while the scene loaded (before the render caught
/// signals) killed animate outright: exit 143 or 129 and no message.
#[cfg(unix)]
#[test]
fn a_signal_while_the_scene_loads_says_interrupted_with_130() {
    let s = Sandbox::new();
    // A million-point surface measured over 40 instants: seconds of loading.
    s.write(
        "scene.toml",
        "[output]\nfps = 20\n[clip.main]\nkind = \"surface\"\nsize = [64, 64]\nduration = 2\n\
         z = \"sin(x + 2*pi*t) * cos(y)\"\nx = [-2, 2]\ny = [-2, 2]\nresolution = [1000, 1000]\n",
    );
    for signal in ["-TERM", "-HUP", "-INT"] {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_animate"))
            .args(["render", "scene.toml", "-o", "out.gif"])
            .current_dir(s.path(""))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150));
        let pid = child.id().to_string();
        std::process::Command::new("kill")
            .args([signal, &pid])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{signal}: {stderr}");
        assert!(stderr.contains("error: interrupted"), "{signal}: {stderr}");
        assert_eq!(s.files(), ["scene.toml"], "{signal}");
    }
}

/// Regression: a single large frame was not stopped part-way by a signal. `animate
/// frame` of three 8000² layers with nine effects each went on for 155 s after SIGTERM
/// (the frame's work never looked at the stop flag; the render's loop only did between
/// frames). Here one frame is four Gaussian blurs of σ 250 over 3000² pixels, minutes
/// of work in any build: SIGTERM one second in must end it within the harness's
/// deadline, with "interrupted", exit 130 and the old output kept, for `frame` and
/// for `render` alike.
#[cfg(unix)]
#[test]
fn regression_a_signal_stops_a_huge_frame_part_way() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"teal\"\n\
         size = [3000, 3000]\nduration = 0.1\neffects = [{ gaussian_blur = 250 }, \
         { gaussian_blur = 250 }, { gaussian_blur = 250 }, { gaussian_blur = 250 }]\n",
    );
    let frame: &[&str] = &["frame", "scene.toml", "-t", "0", "-o", "out.png"];
    let render: &[&str] = &["render", "scene.toml", "-o", "out.gif"];
    for (args, out) in [(frame, "out.png"), (render, "out.gif")] {
        s.write(out, "the previous output");
        let r = s
            .run_signalled(args, Some(2 << 30), std::time::Duration::from_secs(1))
            .unwrap_or_else(|e| panic!("{}: {e}", args[0]));
        assert_exit!(r, 130);
        assert_stderr!(r, "error: interrupted");
        assert_eq!(
            std::fs::read_to_string(s.path(out)).unwrap(),
            "the previous output"
        );
    }
}

/// Regression (harden6): a generated source computed and drew its whole frame without
/// looking at the stop flag, so SIGTERM during `frame` of a huge `field` waited for all
/// of it. Here the grid is 2048² points (the most `resolution` allows) of an expression
/// of 450 terms of two functions each, about 22 s of CPU in a release build (measured
/// at 512²: 1.38 s; the build before the fix, sent SIGTERM at 1 s into such a frame,
/// used 19 s of CPU in all before it ended): SIGTERM one second in must end it within
/// the harness's deadline, with "interrupted", exit 130 and the old output kept.
#[cfg(unix)]
#[test]
fn regression_a_signal_did_not_stop_a_huge_field_part_way() {
    let s = Sandbox::new();
    // Groups of 15 terms keep the expression shallow (at most 200 levels deep).
    let groups: Vec<String> = (0..30)
        .map(|g| {
            let terms: Vec<String> = (1..=15)
                .map(|k| format!("exp(sin(x*y*{}))", g * 15 + k))
                .collect();
            format!("({})", terms.join("+"))
        })
        .collect();
    s.write(
        "scene.toml",
        format!(
            "[output]\nfps = 10\n[clip.main]\nkind = \"field\"\nsize = [2048, 2048]\n\
             duration = 0.1\nx = [-1, 1]\ny = [-1, 1]\nvmin = -600\nvmax = 600\nf = \"{}\"\n",
            groups.join("+")
        ),
    );
    s.write("out.png", "the previous output");
    let r = s
        .run_signalled(
            &["frame", "scene.toml", "-t", "0", "-o", "out.png"],
            Some(2 << 30),
            std::time::Duration::from_secs(1),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit!(r, 130);
    assert_stderr!(r, "error: interrupted");
    assert_eq!(
        std::fs::read_to_string(s.path("out.png")).unwrap(),
        "the previous output"
    );
}
