//! Video in and out: render scenes to MP4/WebM/MOV with the real binary, decode them
//! back with animate's own decoder, and play video files as clips.

#![cfg(feature = "video")]

use std::path::Path;

use animate::clip::{Clip, RenderCx};
use animate::source::video::VideoClip;

use crate::util::{assert_px, Sandbox};
use crate::{assert_exit, assert_stderr};

/// The colour of frame `k`: every frame differs clearly from its neighbours.
fn colour(k: u32) -> [u8; 3] {
    [(k * 5) as u8, ((k * 97) % 256) as u8, ((k % 5) * 60) as u8]
}

/// A `frames`-frame scene at 25 fps whose frame k is filled with `colour(k)`.
fn counting_scene(frames: u32, size: [u32; 2]) -> String {
    let mut s = String::from("[output]\nfps = 25\n\n");
    for k in 0..frames {
        let [r, g, b] = colour(k);
        s += &format!(
            "[clip.f{k}]\nkind = \"color\"\ncolor = [{r}, {g}, {b}]\nsize = [{}, {}]\nduration = 0.04\n\n",
            size[0], size[1]
        );
    }
    let names: Vec<String> = (0..frames).map(|k| format!("\"f{k}\"")).collect();
    s += &format!(
        "[clip.main]\nkind = \"sequence\"\nclips = [{}]\n",
        names.join(", ")
    );
    s
}

fn open(path: &Path) -> VideoClip {
    VideoClip::open(path).unwrap_or_else(|e| panic!("{e}"))
}

fn pixel(clip: &VideoClip, t: f64, x: u32, y: u32) -> [u8; 4] {
    let f = clip.render(t, &RenderCx::new(25.0)).unwrap();
    let p = f.pixel(x, y).unwrap();
    [p.red(), p.green(), p.blue(), p.alpha()]
}

#[track_caller]
fn assert_close(got: [u8; 4], want: [u8; 4], tol: u8, what: &str) {
    let ok = got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= tol);
    assert!(ok, "{what}: {got:?}, expected {want:?} ± {tol}");
}

#[test]
fn round_trip_keeps_every_frame_its_colour_and_the_duration() {
    let s = Sandbox::new();
    s.write("scene.toml", counting_scene(50, [320, 240]));
    for (out, extra) in [
        ("out.mp4", &[][..]),
        ("out.webm", &[][..]),
        ("out.mov", &[][..]),
        ("prores.mov", &["--codec", "prores"][..]),
    ] {
        let mut args = vec!["render", "scene.toml", "-o", out];
        args.extend_from_slice(extra);
        let r = s.run(&args);
        assert_exit!(r, 0);
        assert_stderr!(r, &format!("wrote {out}: 50 frames, 320x240"));
        let clip = open(&s.path(out));
        assert_eq!(clip.frame_count(), 50, "{out}");
        assert_eq!((clip.size().w, clip.size().h), (320, 240), "{out}");
        let d = clip.duration().unwrap();
        assert!((d - 2.0).abs() < 1e-6, "{out}: duration {d}");
        for k in 0..50 {
            let [r, g, b] = colour(k);
            let t = k as f64 / 25.0;
            assert_close(
                pixel(&clip, t, 160, 120),
                [r, g, b, 255],
                10,
                &format!("{out} frame {k}"),
            );
        }
    }
}

#[test]
fn odd_sizes_are_padded_to_even_with_a_notice() {
    let s = Sandbox::new();
    s.write("scene.toml", counting_scene(3, [321, 241]));
    let r = s.run(&["render", "scene.toml", "-o", "odd.mp4"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "321x241", "padded to 322x242");
    assert_eq!(
        r.stderr.matches("padded").count(),
        1,
        "said once:\n{}",
        r.stderr
    );
    let clip = open(&s.path("odd.mp4"));
    assert_eq!((clip.size().w, clip.size().h), (322, 242));
    let [r0, g0, b0] = colour(0);
    // The padding repeats the last column and row.
    assert_close(pixel(&clip, 0.0, 321, 241), [r0, g0, b0, 255], 10, "corner");
}

/// A red square in the middle of a transparent 64×48 background.
const HOLE: &str = r#"
[output]
fps = 10
background = "transparent"
duration = 0.5
[clip.square]
kind = "color"
color = "red"
size = [32, 24]
[clip.main]
kind = "composite"
size = [64, 48]
layers = [{ clip = "square", position = "center" }]
"#;

#[test]
fn transparent_background_keeps_alpha_in_webm_and_prores() {
    let s = Sandbox::new();
    s.write("scene.toml", HOLE);
    for (out, extra) in [("a.webm", &[][..]), ("a.mov", &["--codec", "prores"][..])] {
        let mut args = vec!["render", "scene.toml", "-o", out];
        args.extend_from_slice(extra);
        assert_exit!(s.run(&args), 0);
        let clip = open(&s.path(out));
        assert!(clip.has_alpha(), "{out} decodes with alpha");
        assert_close(pixel(&clip, 0.2, 2, 2), [0, 0, 0, 0], 4, out);
        assert_close(pixel(&clip, 0.2, 32, 24), [255, 0, 0, 255], 8, out);
    }
    // H.264 has no alpha: said, and the background is black.
    let r = s.run(&["render", "scene.toml", "-o", "a.mp4"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "no alpha channel");
    assert_close(
        pixel(&open(&s.path("a.mp4")), 0.2, 2, 2),
        [0, 0, 0, 255],
        6,
        "mp4",
    );
}

#[test]
fn video_file_is_a_clip_with_effects_and_layouts() {
    let s = Sandbox::new();
    s.write("gen.toml", counting_scene(10, [32, 24]));
    assert_exit!(s.run(&["render", "gen.toml", "-o", "in.mp4", "-q"]), 0);
    s.write(
        "scene.toml",
        r#"
[clip.v]
kind = "video"
path = "in.mp4"
[clip.back]
from = "v"
effects = ["reverse", { speed = 2 }]
[clip.main]
kind = "grid"
rows = [["v", "back"]]
"#,
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr_or_out(&r, "0.40 s");
    // At t = 0.12: the plain video shows frame 3; reversed at double speed, frame 9 - 6.
    let img = s.frame(
        &std::fs::read_to_string(s.path("scene.toml")).unwrap(),
        0.12,
    );
    let [r3, g3, b3] = colour(3);
    assert_px(&img, 16, 12, [r3, g3, b3, 255], 10);
    assert_px(&img, 48, 12, [r3, g3, b3, 255], 10);
    let img = s.frame(&std::fs::read_to_string(s.path("scene.toml")).unwrap(), 0.0);
    let [r9, g9, b9] = colour(9);
    assert_px(&img, 48, 12, [r9, g9, b9, 255], 10);
}

fn assert_stderr_or_out(r: &crate::util::Run, text: &str) {
    assert!(
        r.stdout.contains(text) || r.stderr.contains(text),
        "output lacks {text:?}:\n{}{}",
        r.stdout,
        r.stderr
    );
}

fn video_scene(path: &str) -> String {
    format!("[clip.main]\nkind = \"video\"\npath = \"{path}\"\n")
}

#[test]
fn damaged_files_are_refused_before_rendering() {
    let s = Sandbox::new();
    s.write("bad.mp4", b"this is not a video at all".repeat(20));
    s.write("scene.toml", video_scene("bad.mp4"));
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "bad.mp4", "damaged", "scene.toml:3");
    assert!(!s.path("out.gif").exists());

    // Cut short: the MP4 says 50 frames and holds far fewer.
    s.write("gen.toml", counting_scene(50, [64, 48]));
    assert_exit!(s.run(&["render", "gen.toml", "-o", "whole.mp4", "-q"]), 0);
    let whole = std::fs::read(s.path("whole.mp4")).unwrap();
    s.write("cut.mp4", &whole[..whole.len() / 2]);
    s.write("scene.toml", video_scene("cut.mp4"));
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cut.mp4", "truncated");

    // Matroska and WebM count no frames; their header says how long they last.
    for ext in ["webm", "mkv"] {
        let (whole, cut) = (format!("whole.{ext}"), format!("cut.{ext}"));
        assert_exit!(s.run(&["render", "gen.toml", "-o", &whole, "-q"]), 0);
        s.write("scene.toml", video_scene(&whole));
        assert_exit!(s.run(&["check", "scene.toml"]), 0);
        let bytes = std::fs::read(s.path(&whole)).unwrap();
        s.write(&cut, &bytes[..bytes.len() / 2]);
        s.write("scene.toml", video_scene(&cut));
        let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            &cut,
            "truncated or damaged",
            "of the 2.00 s",
            "scene.toml:3"
        );
        assert!(!s.path("out.gif").exists());
    }
}

#[test]
fn damaged_frames_are_shown_as_a_neighbour_with_one_notice() {
    let s = Sandbox::new();
    s.write("gen.toml", counting_scene(20, [64, 48]));
    assert_exit!(
        s.run(&[
            "render",
            "gen.toml",
            "-o",
            "whole.mov",
            "--codec",
            "prores",
            "-q"
        ]),
        0
    );
    // Every ProRes frame starts with an `icpf` atom: break those of frames 10 and 11.
    let mut bytes = std::fs::read(s.path("whole.mov")).unwrap();
    let starts: Vec<usize> = (0..bytes.len() - 4)
        .filter(|&i| &bytes[i..i + 4] == b"icpf")
        .collect();
    assert_eq!(starts.len(), 20);
    for &i in &starts[10..12] {
        bytes[i..i + 4].copy_from_slice(b"xxxx");
    }
    s.write("hurt.mov", &bytes);
    s.write("scene.toml", video_scene("hurt.mov"));
    let r = s.run(&["render", "scene.toml", "-o", "frames/", "-q"]);
    assert_exit!(r, 0);
    assert_eq!(
        r.stderr.matches("warning:").count(),
        1,
        "one notice:\n{}",
        r.stderr
    );
    assert_stderr!(r, "hurt.mov is damaged");
    let frames = s.render_frames(&video_scene("hurt.mov"), &[]);
    assert_eq!(frames.len(), 20);
    for (k, f) in frames.iter().enumerate() {
        let shown = if k == 10 || k == 11 { 9 } else { k as u32 };
        let [r, g, b] = colour(shown);
        assert_px(f, 32, 24, [r, g, b, 255], 10);
    }
}

#[test]
fn one_video_at_several_times_at_once() {
    let s = Sandbox::new();
    s.write("gen.toml", counting_scene(40, [32, 24]));
    assert_exit!(s.run(&["render", "gen.toml", "-o", "in.mp4", "-q"]), 0);
    // The same clip plainly, 0.8 s later through a subclip, as a layer starting
    // 0.4 s in, and reversed: four uses of one file, each needing its own frame.
    let scene = r#"
[output]
fps = 25
duration = 0.8
[clip.v]
kind = "video"
path = "in.mp4"
[clip.late]
from = "v"
effects = [{ subclip = [0.8, 1.6] }]
[clip.back]
from = "v"
effects = ["reverse"]
[clip.layered]
kind = "composite"
size = [32, 24]
layers = [{ clip = "v" }, { clip = "v", start = 0.4 }]
[clip.main]
kind = "grid"
rows = [["v", "late"], ["layered", "back"]]
"#;
    let frames = s.render_frames(scene, &[]);
    assert_eq!(frames.len(), 20);
    for (k, f) in frames.iter().enumerate() {
        let k = k as u32;
        let cell = |x: u32, y: u32, shown: u32, what: &str| {
            let [r, g, b] = colour(shown);
            let p = f.get_pixel(x, y).0;
            let ok = p
                .iter()
                .zip([r, g, b, 255])
                .all(|(a, b)| a.abs_diff(b) <= 10);
            assert!(ok, "frame {k}, {what}: {p:?}, expected frame {shown}");
        };
        cell(16, 12, k, "plain");
        cell(48, 12, k + 20, "subclip");
        cell(16, 36, if k < 10 { k } else { k - 10 }, "layers");
        cell(48, 36, 39 - k, "reversed");
    }
}

#[test]
fn unknown_codec_and_missing_video_are_refused() {
    let s = Sandbox::new();
    s.write("gen.toml", counting_scene(3, [16, 16]));
    assert_exit!(s.run(&["render", "gen.toml", "-o", "a.mkv", "-q"]), 0);
    // Rename the codec in the Matroska header to one nobody knows (same length).
    let mut bytes = std::fs::read(s.path("a.mkv")).unwrap();
    let id = b"V_MPEG4/ISO/AVC";
    let at = bytes
        .windows(id.len())
        .position(|w| w == id)
        .expect("codec id in the header");
    bytes[at..at + id.len()].copy_from_slice(b"V_ANIMATE/NONE!");
    s.write("odd.mkv", &bytes);
    s.write("scene.toml", video_scene("odd.mkv"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "odd.mkv", "codec");

    // A WAV file: audio only.
    let mut wav = Vec::new();
    let samples = 800u32;
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples * 2).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&8000u32.to_le_bytes());
    wav.extend_from_slice(&16000u32.to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples * 2).to_le_bytes());
    wav.extend(std::iter::repeat_n(0u8, samples as usize * 2));
    s.write("sound.mov", &wav);
    s.write("scene.toml", video_scene("sound.mov"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "sound.mov", "no video stream");
}

#[test]
fn encoder_flags_are_checked_before_rendering() {
    let s = Sandbox::new();
    s.write("scene.toml", counting_scene(2, [16, 16]));
    let r = s.run(&["render", "scene.toml", "-o", "a.mp4", "--codec", "prores"]);
    assert_exit!(r, 2);
    assert_stderr!(r, ".mov");
    let r = s.run(&["render", "scene.toml", "-o", "a.mp4", "--codec", "hevc"]);
    assert_exit!(r, 2);
    let r = s.run(&["render", "scene.toml", "-o", "a.gif", "--crf", "20"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "video outputs");
    let r = s.run(&["render", "scene.toml", "-o", "a.mp4", "--preset", "quick"]);
    assert_exit!(r, 2);
    assert!(!s.path("a.mp4").exists());
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "b.mp4",
        "--crf",
        "30",
        "--preset",
        "ultrafast",
    ]);
    assert_exit!(r, 0);
    let r = s.run(&["render", "scene.toml", "-o", "c.mkv", "--bitrate", "500k"]);
    assert_exit!(r, 0);
    assert_eq!(open(&s.path("c.mkv")).frame_count(), 2);
}

#[test]
fn finished_video_replaces_the_target_whole() {
    let s = Sandbox::new();
    s.write("keep.mp4", b"previous");
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n",
    );
    let r = s.run(&["render", "scene.toml", "-o", "keep.mp4", "--fps", "4"]);
    assert_exit!(r, 0);
    assert_eq!(open(&s.path("keep.mp4")).frame_count(), 4);
    assert_eq!(
        s.files(),
        ["keep.mp4", "scene.toml"],
        "no temporary file left"
    );
}

#[test]
fn example_video_grid_scene_plays_two_rendered_videos() {
    let s = Sandbox::with_example_scenes();
    let r = s.run(&["render", "scenes/video_grid.toml", "-o", "grid.mp4"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "75 frames, 590x200");
    let clip = open(&s.path("grid.mp4"));
    assert_eq!(clip.frame_count(), 75);
    // The left video's sky, and the grid's white spacing between the two.
    assert_close(pixel(&clip, 0.2, 10, 10), [135, 206, 235, 255], 10, "sky");
    assert_close(
        pixel(&clip, 0.2, 324, 100),
        [255, 255, 255, 255],
        10,
        "spacing",
    );
}

#[test]
fn file_clips_read_videos_by_extension_and_loop_them() {
    let s = Sandbox::new();
    s.write("make.toml", counting_scene(5, [64, 48]));
    assert_exit!(s.run(&["render", "make.toml", "-o", "five.mp4", "-q"]), 0);
    // 5 frames of 0.04 s looped to 0.4 s: frames 0-4, then 0-4 again
    let frames = s.render_frames(
        "[output]\nfps = 25\n[clip.main]\nkind = \"file\"\npath = \"five.mp4\"\nloop = true\nduration = 0.4\n",
        &[],
    );
    assert_eq!(frames.len(), 10);
    for (i, f) in frames.iter().enumerate() {
        let [r, g, b] = colour(i as u32 % 5);
        assert_px(f, 32, 24, [r, g, b, 255], 10);
    }
}
