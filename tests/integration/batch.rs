//! Batch use: parts of a render in separate processes joined back (`--segment`,
//! `--frames`, `animate join`), stdout for pipes, dependency files driving `make`,
//! and reproducible output whatever the thread count.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{read_gif, read_png, Sandbox, FIELD};
use crate::{assert_exit, assert_stderr};

const FRAMES: u64 = 20;

fn animate() -> Command {
    Command::new(env!("CARGO_BIN_EXE_animate"))
}

/// Runs the 4 segments of a render at the same time, each as its own process.
fn render_segments(s: &Sandbox, out: impl Fn(u64) -> String, extra: &[&str]) {
    let children: Vec<_> = (1..=4)
        .map(|k| {
            animate()
                .args(["render", "scene.toml", "-q", "-o", &out(k)])
                .args(["--segment", &format!("{k}/4")])
                .args(extra)
                .current_dir(s.path(""))
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (k, c) in children.into_iter().enumerate() {
        let o = c.wait_with_output().unwrap();
        assert!(
            o.status.success(),
            "segment {}/4 failed:\n{}",
            k + 1,
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// The PNG files of a folder, sorted by name.
fn pngs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    v.sort();
    v
}

fn names(dir: &Path) -> Vec<String> {
    pngs(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn png_segments_from_separate_processes_join_into_the_gif_of_a_single_render() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", "single/"]), 0);
    assert_exit!(
        s.run(&["render", "scene.toml", "-q", "-o", "single.gif"]),
        0
    );
    render_segments(&s, |_| "frames/".into(), &[]);

    let single = pngs(&s.path("single"));
    let parts = pngs(&s.path("frames"));
    assert_eq!(parts.len() as u64, FRAMES);
    assert_eq!(names(&s.path("frames")), names(&s.path("single")));
    for (a, b) in single.iter().zip(&parts) {
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{} differs from the single render",
            b.display()
        );
    }
    // no temporary folder of any segment is left
    assert_eq!(s.files(), ["frames", "scene.toml", "single", "single.gif"]);

    let r = s.run(&["join", "frames/", "-o", "joined.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "wrote joined.gif: 20 frames, 64x48");
    assert_eq!(read_gif(&s.path("joined.gif")).len() as u64, FRAMES);
    assert_eq!(
        std::fs::read(s.path("joined.gif")).unwrap(),
        std::fs::read(s.path("single.gif")).unwrap(),
        "joined GIF differs from the single render's"
    );
    // a pattern names the same frames
    let r = s.run(&["join", "frames/%04d.png", "-o", "pattern.gif", "-q"]);
    assert_exit!(r, 0);
    assert_eq!(
        std::fs::read(s.path("pattern.gif")).unwrap(),
        std::fs::read(s.path("single.gif")).unwrap()
    );
}

#[test]
fn a_frame_range_writes_its_frames_by_absolute_index_and_removes_no_other() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    s.write("frames/0004.png", b"not mine");
    s.write("frames/0019.png", b"not mine either");
    let r = s.run(&["render", "scene.toml", "-o", "frames/", "--frames", "2..4"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "wrote frames/: frames 2..4 of 20, 64x48, 0.20 s");
    assert_eq!(
        names(&s.path("frames")),
        ["0002.png", "0003.png", "0004.png", "0019.png"]
    );
    assert_eq!(
        std::fs::read(s.path("frames/0019.png")).unwrap(),
        b"not mine either"
    );
    // frame 3 is the frame at t = 0.3 s, as in the whole render
    let part = read_png(&s.path("frames/0003.png"));
    let whole = s.render_frames(FIELD, &[]);
    assert_eq!(part, whole[3]);
    assert_ne!(part, whole[2]);
    // a whole render replaces the folder's frames and removes those past its end
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "frames/",
        "-q",
        "--duration",
        "1",
    ]);
    assert_exit!(r, 0);
    assert_eq!(names(&s.path("frames")).len(), 10);
}

/// Every packet's presentation time and duration in ticks of 1/fps, sorted.
#[cfg(feature = "video")]
fn packet_ticks(path: &Path, fps: i32) -> Vec<(i64, i64)> {
    use animate::av::ff;
    use ff::Rescale as _;
    animate::av::init().unwrap();
    let mut input = ff::format::input(&path).unwrap();
    let stream = input.streams().best(ff::media::Type::Video).unwrap();
    let (index, tb) = (stream.index(), stream.time_base());
    let tick = ff::Rational::new(1, fps);
    let mut v: Vec<(i64, i64)> = input
        .packets()
        .filter(|(s, _)| s.index() == index)
        .map(|(_, p)| {
            (
                p.pts().unwrap().rescale(tb, tick),
                p.duration().rescale(tb, tick),
            )
        })
        .collect();
    v.sort();
    v
}

/// Peak signal-to-noise ratio of two RGB pictures, in dB.
#[cfg(feature = "video")]
fn psnr(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    let mut se = 0.0;
    let mut n = 0.0;
    for (p, q) in a.pixels().zip(b.pixels()) {
        for c in 0..3 {
            let d = p[c] as f64 - q[c] as f64;
            se += d * d;
            n += 1.0;
        }
    }
    let mse = se / n;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0 * 255.0 / mse).log10()
    }
}

#[cfg(feature = "video")]
#[test]
fn video_segments_from_separate_processes_join_without_reencoding() {
    use animate::clip::{Clip, RenderCx};
    use animate::source::video::VideoClip;

    let s = Sandbox::new();
    let source = s.render_frames(FIELD, &[]);
    let decode = |path: &Path| -> Vec<image::RgbaImage> {
        let clip = VideoClip::open(path).unwrap();
        assert_eq!(clip.frame_count() as u64, FRAMES, "{}", path.display());
        assert!((clip.duration().unwrap() - 2.0).abs() < 1e-6);
        (0..FRAMES)
            .map(|k| {
                let f = clip.render(k as f64 / 10.0, &RenderCx::new(10.0)).unwrap();
                image::RgbaImage::from_raw(64, 48, f.data().to_vec()).unwrap()
            })
            .collect()
    };
    for ext in ["mp4", "mkv", "webm", "mov"] {
        let single = format!("single.{ext}");
        assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", &single]), 0);
        render_segments(&s, |k| format!("seg-{k}.{ext}"), &[]);
        // any order on the command line
        let parts: Vec<String> = [3, 1, 4, 2]
            .iter()
            .map(|k| format!("seg-{k}.{ext}"))
            .collect();
        let out = format!("joined.{ext}");
        let mut args = vec!["join"];
        args.extend(parts.iter().map(String::as_str));
        args.extend(["-o", &out]);
        let r = s.run(&args);
        assert_exit!(r, 0);
        assert_stderr!(r, &format!("wrote {out}: 4 parts joined, 20 frames, 64x48"));

        let ticks = packet_ticks(&s.path(&out), 10);
        let want: Vec<(i64, i64)> = (0..FRAMES as i64).map(|i| (i, 1)).collect();
        assert_eq!(ticks, want, "{out}: timestamps and durations");
        // Every frame as close to the source as the single render's (small frames of
        // fine colour detail lose most in 4:2:0 chroma, the same in both).
        let joined = decode(&s.path(&out));
        let whole = decode(&s.path(&single));
        for k in 0..FRAMES as usize {
            let (j, w) = (psnr(&joined[k], &source[k]), psnr(&whole[k], &source[k]));
            assert!(
                j > w - 1.0 && j > 28.0,
                "{out} frame {k}: {j:.2} dB from the source, the single render {w:.2} dB"
            );
        }
    }
}

/// Regression: `join` of the 8 segments of a 20-frame render failed ("writing failed:
/// invalid argument"): a 2-frame part has no B-frames, a 3-frame part starts its
/// decoding times two frames early, and shifted they went backwards. Every segment
/// count `--segment` accepts joins, up to one frame per part, in every container.
#[cfg(feature = "video")]
#[test]
fn join_of_short_segments_with_and_without_b_frames() {
    use animate::clip::{Clip, RenderCx};
    use animate::source::video::VideoClip;

    let s = Sandbox::new();
    let source = s.render_frames(FIELD, &[]);
    for ext in ["mp4", "mov", "mkv", "webm"] {
        for n in [8, FRAMES] {
            let dir = format!("{ext}-{n}");
            std::fs::create_dir_all(s.path(&dir)).unwrap();
            let children: Vec<_> = (1..=n)
                .map(|k| {
                    animate()
                        .args([
                            "render",
                            "scene.toml",
                            "-q",
                            "--segment",
                            &format!("{k}/{n}"),
                        ])
                        .args(["-o", &format!("{dir}/seg-{k:02}.{ext}")])
                        .current_dir(s.path(""))
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            for c in children {
                let o = c.wait_with_output().unwrap();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            }
            let parts: Vec<String> = (1..=n).map(|k| format!("{dir}/seg-{k:02}.{ext}")).collect();
            let out = format!("{dir}.{ext}");
            let mut args = vec!["join"];
            args.extend(parts.iter().map(String::as_str));
            args.extend(["-o", &out]);
            let r = s.run(&args);
            assert_exit!(r, 0);
            assert_stderr!(r, &format!("wrote {out}: {n} parts joined, 20 frames"));
            let ticks = packet_ticks(&s.path(&out), 10);
            let want: Vec<(i64, i64)> = (0..FRAMES as i64).map(|i| (i, 1)).collect();
            assert_eq!(ticks, want, "{out}: timestamps and durations");
            let clip = VideoClip::open(&s.path(&out)).unwrap();
            assert_eq!(clip.frame_count() as u64, FRAMES, "{out}");
            assert!((clip.duration().unwrap() - 2.0).abs() < 1e-6, "{out}");
            for (k, want) in source.iter().enumerate() {
                let f = clip.render(k as f64 / 10.0, &RenderCx::new(10.0)).unwrap();
                let got = image::RgbaImage::from_raw(64, 48, f.data().to_vec()).unwrap();
                let db = psnr(&got, want);
                assert!(db > 28.0, "{out} frame {k}: {db:.2} dB from the source");
            }
        }
    }
}

#[cfg(feature = "video")]
#[test]
fn join_refuses_parts_that_do_not_fit_together() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    render_segments(&s, |k| format!("seg-{k}.mp4"), &[]);
    let join = |parts: &[&str]| {
        let mut args = vec!["join"];
        args.extend_from_slice(parts);
        args.extend(["-o", "out.mp4"]);
        let r = s.run(&args);
        assert_exit!(r, 2);
        assert!(!s.path("out.mp4").exists());
        r
    };
    let r = join(&["seg-1.mp4", "seg-2.mp4", "seg-4.mp4"]);
    assert_stderr!(
        r,
        "frames 10..15 are missing: seg-2.mp4 ends at frame 10 and seg-4.mp4 starts at frame 15"
    );
    let r = join(&["seg-2.mp4", "seg-3.mp4", "seg-4.mp4"]);
    assert_stderr!(r, "frames 0..5 are missing: the first part, seg-2.mp4");
    let r = join(&["seg-1.mp4", "seg-2.mp4", "seg-3.mp4"]);
    assert_stderr!(
        r,
        "frames 15..20 are missing: the last part, seg-3.mp4, ends at frame 15 of 20"
    );

    let ok = |args: &[&str]| {
        let mut all = vec!["render", "scene.toml", "-q"];
        all.extend_from_slice(args);
        assert_exit!(s.run(&all), 0);
    };
    ok(&["-o", "mid.mp4", "--frames", "8..15"]);
    let r = join(&["seg-1.mp4", "seg-2.mp4", "mid.mp4", "seg-4.mp4"]);
    assert_stderr!(
        r,
        "seg-2.mp4 (frames 5..10) and mid.mp4 (frames 8..15) overlap in frames 8..10"
    );
    ok(&[
        "-o",
        "fast.mp4",
        "--segment",
        "2/4",
        "--preset",
        "ultrafast",
    ]);
    let r = join(&["seg-1.mp4", "fast.mp4", "seg-3.mp4", "seg-4.mp4"]);
    assert_stderr!(
        r,
        "seg-1.mp4 and fast.mp4 do not fit together",
        "codec headers differ"
    );
    ok(&["-o", "big.mp4", "--segment", "2/4", "--size", "128x96"]);
    let r = join(&["seg-1.mp4", "big.mp4", "seg-3.mp4", "seg-4.mp4"]);
    assert_stderr!(r, "64x48 against 128x96");
    ok(&["-o", "other.mp4", "--segment", "2/4", "--fps", "20"]);
    let r = join(&["seg-1.mp4", "other.mp4", "seg-3.mp4", "seg-4.mp4"]);
    assert_stderr!(
        r,
        "different renders",
        "20 frames at 10/1 fps",
        "40 frames at 20/1 fps"
    );
    ok(&["-o", "seg-2.mov", "--segment", "2/4"]);
    let r = join(&["seg-1.mp4", "seg-2.mov", "seg-3.mp4", "seg-4.mp4"]);
    assert_stderr!(r, "seg-2.mov is not a .mp4 file");
    ok(&["-o", "seg.gif", "--frames", "0..5"]);
    let r = join(&["seg.gif"]);
    assert_stderr!(r, "render the segments as PNG frames");
    let r = s.run(&[
        "join",
        "seg-1.mp4",
        "seg-2.mp4",
        "seg-3.mp4",
        "seg-4.mp4",
        "-o",
        "out.mp4",
        "--crf",
        "10",
    ]);
    assert_exit!(r, 2);
    assert_stderr!(r, "stream copy");
    // a damaged part fails the join and leaves nothing behind
    let bytes = std::fs::read(s.path("seg-3.mp4")).unwrap();
    s.write("cut.mp4", &bytes[..bytes.len() / 2]);
    let r = s.run(&[
        "join",
        "seg-1.mp4",
        "seg-2.mp4",
        "cut.mp4",
        "seg-4.mp4",
        "-o",
        "out.mp4",
    ]);
    assert_ne!(r.code, 0);
    assert!(!s
        .files()
        .iter()
        .any(|f| f.starts_with("out.mp4") || f.ends_with(".tmp")));
    // Regression: a part cut short was said to have "different pixel formats".
    s.write("stub.mp4", &bytes[..bytes.len().min(3000) * 2 / 3]);
    let r = join(&["seg-1.mp4", "seg-2.mp4", "stub.mp4", "seg-4.mp4"]);
    assert!(!r.stderr.contains("pixel formats"), "{}", r.stderr);
    assert_stderr!(r, "stub.mp4");
    // Regression: a missing part exited with 1, and -o naming a part overwrote it.
    let r = join(&["seg-1.mp4", "nope.mp4"]);
    assert_stderr!(r, "cannot read nope.mp4");
    let before = std::fs::read(s.path("seg-4.mp4")).unwrap();
    let r = s.run(&[
        "join",
        "seg-1.mp4",
        "seg-2.mp4",
        "seg-3.mp4",
        "seg-4.mp4",
        "-o",
        "./seg-4.mp4",
    ]);
    assert_exit!(r, 2);
    assert_stderr!(r, "is one of the parts");
    assert_eq!(std::fs::read(s.path("seg-4.mp4")).unwrap(), before);
}

/// Regression: the joined WebM lost the `alpha_mode` tag, so it decoded opaque.
#[cfg(feature = "video")]
#[test]
fn joined_webm_keeps_its_alpha() {
    use animate::clip::{Clip, RenderCx};
    use animate::source::video::VideoClip;
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\nduration = 0.4\nbackground = \"transparent\"\n\
         [clip.square]\nkind = \"color\"\ncolor = \"red\"\nsize = [16, 16]\n\
         [clip.main]\nkind = \"composite\"\nsize = [32, 32]\n\
         layers = [{ clip = \"square\", position = \"center\" }]\n",
    );
    for k in 1..=2 {
        let seg = format!("{k}/2");
        let out = format!("seg-{k}.webm");
        let r = s.run(&["render", "scene.toml", "-q", "--segment", &seg, "-o", &out]);
        assert_exit!(r, 0);
    }
    assert_exit!(
        s.run(&["join", "seg-1.webm", "seg-2.webm", "-o", "all.webm"]),
        0
    );
    let clip = VideoClip::open(&s.path("all.webm")).unwrap();
    assert!(clip.has_alpha());
    for t in [0.0, 0.3] {
        let f = clip.render(t, &RenderCx::new(10.0)).unwrap();
        assert!(
            f.data()[3] < 8,
            "corner transparent at {t}: {:?}",
            &f.data()[..4]
        );
        let centre = (16 * 32 + 16) * 4;
        assert!(f.data()[centre + 3] > 240, "square opaque at {t}");
    }
}

#[test]
fn joining_frames_checks_they_are_one_whole_render() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    render_segments(&s, |_| "frames/".into(), &[]);
    std::fs::rename(s.path("frames/0007.png"), s.path("aside.png")).unwrap();
    let r = s.run(&["join", "frames/", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "frames 7..8 are missing: after 0006.png comes 0008.png");
    std::fs::rename(s.path("aside.png"), s.path("frames/0007.png")).unwrap();
    for i in 15..20 {
        std::fs::remove_file(s.path(&format!("frames/{i:04}.png"))).unwrap();
    }
    let r = s.run(&["join", "frames/", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "frames 15..20 of the 20-frame render are missing");
    // frames left from a longer render in the same folder
    let r = s.run(&[
        "render",
        "scene.toml",
        "-q",
        "-o",
        "frames/",
        "--duration",
        "3",
        "--frames",
        "15..30",
    ]);
    assert_exit!(r, 0);
    let r = s.run(&["join", "frames/", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "come from different renders", "20 frames", "30 frames");
    assert!(!s.path("out.gif").exists());

    // Regression: a part of an edited scene (same length and rate) was joined.
    let r = s.run(&[
        "render",
        "scene.toml",
        "-q",
        "-o",
        "frames/",
        "--frames",
        "15..",
    ]);
    assert_exit!(r, 0);
    for i in 20..30 {
        std::fs::remove_file(s.path(&format!("frames/{i:04}.png"))).unwrap();
    }
    assert_exit!(s.run(&["join", "frames/", "-o", "out.gif"]), 0);
    s.write("scene.toml", FIELD.replace("viridis", "magma"));
    let r = s.run(&[
        "render",
        "scene.toml",
        "-q",
        "-o",
        "frames/",
        "--frames",
        "15..",
    ]);
    assert_exit!(r, 0);
    let r = s.run(&["join", "frames/", "-o", "edited.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "come from different renders", "another scene file");
    s.write("scene.toml", FIELD);

    // frames another program wrote say nothing about their rate
    for i in 0..3u8 {
        s.write_picture(&format!("plain/{i:03}.png"), 8, 6, [i * 80, 0, 0, 255]);
    }
    let r = s.run(&["join", "plain/", "-o", "plain.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "give --fps");
    let r = s.run(&["join", "plain/", "-o", "plain.gif", "--fps", "5"]);
    assert_exit!(r, 0);
    let frames = read_gif(&s.path("plain.gif"));
    assert_eq!(frames.len(), 3);
    assert!(frames.iter().all(|f| f.1 == 20), "5 fps is 20 cs a frame");
}

#[cfg(feature = "video")]
#[test]
fn frames_join_into_a_video_too() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    render_segments(&s, |_| "frames/".into(), &[]);
    let r = s.run(&["join", "frames/", "-o", "full.mp4"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "wrote full.mp4: 20 frames, 64x48, 2.00 s");
    assert_eq!(
        animate::source::video::VideoClip::open(&s.path("full.mp4"))
            .unwrap()
            .frame_count(),
        20
    );
}

#[test]
fn ranges_and_segments_are_checked_against_the_frame_count() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    let usage = |args: &[&str], texts: &[&str]| {
        let mut all = vec!["render", "scene.toml", "-o", "out/"];
        all.extend_from_slice(args);
        let r = s.run(&all);
        assert_exit!(r, 2);
        for t in texts {
            assert_stderr!(r, t);
        }
        assert!(!s.path("out").exists());
    };
    usage(
        &["--segment", "0/4"],
        &["numbered from 1", "$((JOB_COMPLETION_INDEX + 1))/4"],
    );
    usage(&["--segment", "5/4"], &["no segment 5 of 4"]);
    usage(
        &["--segment", "2/40"],
        &["cannot be cut into 40 segments", "at most 20 segments"],
    );
    usage(
        &["--frames", "10..21"],
        &["the render has 20 frames (0..20)"],
    );
    usage(&["--frames", "5..5"], &["empty", "20 frames"]);
    usage(&["--frames", "5-9"], &["not a frame range"]);
    usage(
        &["--frames", "0..5", "--segment", "1/4"],
        &["cannot be used with"],
    );
}

/// Runs `animate` and returns its exit code, raw stdout and stderr.
fn run_raw(s: &Sandbox, args: &[&str]) -> (i32, Vec<u8>, String) {
    let o = animate()
        .args(args)
        .current_dir(s.path(""))
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        o.stdout,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Splits concatenated PNG files at their signatures.
fn split_pngs(bytes: &[u8]) -> Vec<&[u8]> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    let starts: Vec<usize> = (0..bytes.len().saturating_sub(7))
        .filter(|&i| &bytes[i..i + 8] == SIG)
        .collect();
    assert_eq!(starts.first(), Some(&0), "stdout starts with a PNG");
    starts
        .iter()
        .enumerate()
        .map(|(k, &a)| &bytes[a..starts.get(k + 1).copied().unwrap_or(bytes.len())])
        .collect()
}

#[test]
fn stdout_carries_the_gif_or_png_stream_and_nothing_else() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", "file.gif"]), 0);
    assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", "frames/"]), 0);

    let (code, gif, err) = run_raw(&s, &["render", "scene.toml", "-o", "-", "--format", "gif"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("wrote stdout: 20 frames"),
        "summary on stderr: {err}"
    );
    assert_eq!(gif, std::fs::read(s.path("file.gif")).unwrap());

    let (code, stream, err) = run_raw(&s, &["render", "scene.toml", "-o", "-", "--format", "png"]);
    assert_eq!(code, 0, "{err}");
    let files = split_pngs(&stream);
    let on_disk = pngs(&s.path("frames"));
    assert_eq!(files.len(), on_disk.len());
    for (f, p) in files.iter().zip(&on_disk) {
        assert_eq!(*f, std::fs::read(p).unwrap().as_slice(), "{}", p.display());
    }
    // a part of the render streams its own frames
    let (code, part, _) = run_raw(
        &s,
        &[
            "render",
            "scene.toml",
            "-o",
            "-",
            "--format",
            "png",
            "--segment",
            "4/4",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(split_pngs(&part).len(), 5);
    assert_eq!(
        split_pngs(&part)[0],
        std::fs::read(&on_disk[15]).unwrap().as_slice()
    );

    let (code, out, err) = run_raw(&s, &["render", "scene.toml", "-o", "-"]);
    assert_eq!((code, out.is_empty()), (2, true));
    assert!(err.contains("--format gif"), "{err}");
    let (code, _, err) = run_raw(
        &s,
        &["render", "scene.toml", "-o", "x.gif", "--format", "gif"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--format is for -o -"), "{err}");
    let (code, _, err) = run_raw(&s, &["render", "scene.toml", "-o", "-", "--format", "mp4"]);
    assert_eq!(code, 2);
    assert!(err.contains("seekable"), "{err}");
    // a failed render exits non-zero
    s.write(
        "bad.toml",
        "[clip.main]\nkind = \"images\"\nfiles = \"none/%03d.png\"\n",
    );
    let (code, out, _) = run_raw(&s, &["render", "bad.toml", "-o", "-", "--format", "gif"]);
    assert_eq!((code, out.is_empty()), (2, true));
}

/// A scene reading a picture and a CSV file, and a folder with files it does not read.
fn scene_with_inputs(s: &Sandbox, with_data: bool) {
    s.write_picture("assets/logo.png", 8, 8, [200, 0, 0, 255]);
    s.write_picture("assets/unused.png", 8, 8, [0, 200, 0, 255]);
    s.write("data/points.csv", "x,y\n0,1\n1,3\n2,2\n");
    let mut scene = String::from(
        "[output]\nfps = 5\nduration = 0.4\n[clip.logo]\nkind = \"file\"\npath = \"assets/logo.png\"\n",
    );
    let root = if with_data {
        scene += "[clip.chart]\nkind = \"plot\"\nsize = [64, 48]\nseries = [{ csv = \"data/points.csv\", x = \"x\", y = \"y\" }]\n";
        scene += "[clip.main]\nkind = \"composite\"\nsize = [64, 48]\nlayers = [{ clip = \"chart\" }, { clip = \"logo\" }]\n";
        "main"
    } else {
        "logo"
    };
    scene = scene.replace("[output]\n", &format!("[output]\nroot = \"{root}\"\n"));
    s.write("scene.toml", scene);
}

#[test]
fn deps_and_depfile_list_exactly_the_files_read() {
    let s = Sandbox::new();
    scene_with_inputs(&s, false);
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert_eq!(r.stdout, "scene.toml\nassets/logo.png\n");
    scene_with_inputs(&s, true);
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert_eq!(r.stdout, "scene.toml\nassets/logo.png\ndata/points.csv\n");
    let r = s.run(&[
        "render",
        "scene.toml",
        "-q",
        "-o",
        "out.gif",
        "--depfile",
        "out.d",
    ]);
    assert_exit!(r, 0);
    let d = std::fs::read_to_string(s.path("out.d")).unwrap();
    assert!(
        d.starts_with("out.gif: \\\n  scene.toml \\\n  assets/logo.png \\\n  data/points.csv\n"),
        "{d}"
    );
    assert!(!d.contains("unused"), "{d}");
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "-",
        "--format",
        "gif",
        "--depfile",
        "x.d",
    ]);
    assert_exit!(r, 2);
    assert_stderr!(r, "--depfile needs a named output");
}

#[test]
fn frame_writes_a_depfile_of_what_the_scene_reads_too() {
    // newcomer9: a contact sheet drawn by `frame` could not be tracked by Make.
    let s = Sandbox::new();
    scene_with_inputs(&s, true);
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "thumb.png",
        "--depfile",
        "thumb.d",
    ]);
    assert_exit!(r, 0);
    let d = std::fs::read_to_string(s.path("thumb.d")).unwrap();
    assert!(
        d.starts_with("thumb.png: \\\n  scene.toml \\\n  assets/logo.png \\\n  data/points.csv\n"),
        "{d}"
    );
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "-",
        "--depfile",
        "x.d",
    ]);
    assert_exit!(r, 2);
    assert_stderr!(r, "--depfile needs a named output");
    // the depfile is checked before the frame is drawn: it may not be the scene
    let r = s.run(&[
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "t2.png",
        "--depfile",
        "scene.toml",
    ]);
    assert_exit!(r, 2);
    assert!(!s.path("t2.png").exists());
}

/// Regression: input names were written into the depfile with only spaces, `#`, `:`,
/// `%`, `\\` and `$` escaped. A name with a line break and a tab put a recipe of its
/// own into the Makefile (`make` ran it); a `;` or a line break stopped every later
/// `make`; a tab made it render again on every run, and an input named with `=` or `%`
/// broke `make` once deleted. Each name GNU Make can hold is now read back as itself
/// (changed, unchanged and deleted, checked with `make -q`); the others are refused
/// before rendering.
#[test]
fn regression_a_crafted_input_name_made_make_run_a_command_from_the_depfile() {
    let s = Sandbox::new();
    let names = [
        "sp ace.png",
        "a=b.png",
        "pc%t.png",
        "st*r.png",
        "h#sh:c.png",
        "back\\slash.png",
        "d$llar.png",
        "p[1] (copy).png",
        "q?.png",
    ];
    let mut scene = String::from("[output]\nfps = 5\nduration = 0.2\n");
    let mut layers = Vec::new();
    for (i, name) in names.iter().enumerate() {
        s.write_picture(name, 4, 4, [200, 0, 0, 255]);
        let quoted = name.replace('\\', "\\\\").replace('\t', "\\t");
        scene += &format!("[clip.c{i}]\nkind = \"file\"\npath = \"{quoted}\"\n");
        layers.push(format!("{{ clip = \"c{i}\" }}"));
    }
    scene += &format!(
        "[clip.main]\nkind = \"composite\"\nsize = [4, 4]\nlayers = [{}]\n",
        layers.join(", ")
    );
    s.write("scene.toml", &scene);
    s.write(
        "Makefile",
        "out.gif: scene.toml\n\tanimate render $< -o $@ --depfile $@.d -q\n-include out.gif.d\n",
    );
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "out.gif",
        "--depfile",
        "out.gif.d",
        "-q",
    ]);
    assert_exit!(r, 0);
    let make = |args: &[&str]| match Command::new("make")
        .args(args)
        .current_dir(s.path("."))
        .output()
    {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("make: {e}"),
    };
    // Up to date now; out of date after any input changes (Make read its name back).
    match make(&["-q", "out.gif"]) {
        None => eprintln!("make is not installed: the depfile was not read back"),
        Some(out) => {
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{err}");
            let touch = |name: &str, seconds: u64| {
                let at = std::time::SystemTime::now() + std::time::Duration::from_secs(seconds);
                let f = std::fs::File::options()
                    .append(true)
                    .open(s.path(name))
                    .unwrap();
                f.set_modified(at).unwrap();
            };
            for (i, name) in names.iter().enumerate() {
                let base = 100 * (i as u64 + 1);
                touch(name, base);
                let out = make(&["-q", "out.gif"]).unwrap();
                assert_eq!(out.status.code(), Some(1), "{name:?} did not count");
                touch("out.gif", base + 50);
                let out = make(&["-q", "out.gif"]).unwrap();
                assert_eq!(out.status.code(), Some(0), "{name:?} counted twice");
            }
            // An input deleted has a rule of its own (no "No rule to make target").
            for name in names {
                std::fs::remove_file(s.path(name)).unwrap();
            }
            let out = make(&["-q", "out.gif"]).unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{err}");
        }
    }
    // Names no Make rule can hold: refused with the place, before rendering.
    for (bad, says) in [
        ("x\n\ttouch PWNED\nV=1.png", "holds a line break"),
        ("semi;colon.png", "holds a `;`"),
        ("t\tab.png", "holds a tab"),
        ("p|pe.png", "holds a `|`"),
    ] {
        s.write_picture(bad, 4, 4, [0, 0, 200, 255]);
        let quoted = bad.replace('\n', "\\n").replace('\t', "\\t");
        s.write(
            "bad.toml",
            format!("[output]\nfps = 5\nduration = 0.2\n[clip.main]\nkind = \"file\"\npath = \"{quoted}\"\n"),
        );
        let r = s.run(&["render", "bad.toml", "-o", "bad.gif", "--depfile", "bad.d"]);
        assert_exit!(r, 2);
        assert_stderr!(r, says);
        assert_stderr!(r, "bad.toml:6:8");
        assert!(!s.path("bad.gif").exists() && !s.path("bad.d").exists());
    }
    assert!(!s.path("PWNED").exists());
}

/// Regression: `--depfile` wrote a file named like a GNU Make special target
/// (`.SECONDEXPANSION`, `.IGNORE`) bare, and a name holding a vertical tab or a form
/// feed as it was. The empty rule `.SECONDEXPANSION:` made Make expand the `$$` of the
/// next depfile a second time, and Make takes U+000B for the blank after a function's
/// name: a CSV named `$(shell<VT>touch$${IFS}PWNED)` made the second `make` run
/// `touch PWNED`. `.IGNORE:` alone made Make ignore every failing recipe, and a name of
/// the form `d(e)`, an archive's member to Make, rendered again on every `make`. All are
/// refused before rendering now; in a sub-folder such a name is an ordinary file.
#[test]
fn regression_a_special_target_and_a_vertical_tab_made_make_run_a_command_from_the_depfile() {
    let s = Sandbox::new();
    let scene = |csv: &str| {
        format!(
            "[clip.main]\nkind = \"plot\"\nsize = [40, 30]\nduration = 0.2\n\
             series = [{{ csv = \"{csv}\", x = \"a\", y = \"b\" }}]\n"
        )
    };
    for (name, written, says) in [
        (
            ".SECONDEXPANSION",
            ".SECONDEXPANSION",
            "is a special target of GNU Make",
        ),
        (".IGNORE", ".IGNORE", "is a special target of GNU Make"),
        (
            "$(shell\u{b}touch$${IFS}PWNED)",
            "$(shell\\u000Btouch$${IFS}PWNED)",
            "holds a control character",
        ),
        (
            "$(file\u{c}>PWNED,owned)",
            "$(file\\u000C>PWNED,owned)",
            "holds a control character",
        ),
        ("d(e)", "d(e)", "has the form `lib(member)`"),
    ] {
        s.write(name, "a,b\n0,0\n1,2\n");
        s.write("scene.toml", scene(written));
        let r = s.run(&[
            "render",
            "scene.toml",
            "-o",
            "out.gif",
            "--depfile",
            "out.gif.d",
            "-q",
        ]);
        assert_exit!(r, 2);
        assert_stderr!(r, says, "scene.toml:5:");
        assert!(
            !s.path("out.gif").exists() && !s.path("out.gif.d").exists(),
            "{name:?}: nothing written"
        );
        std::fs::remove_file(s.path(name)).unwrap();
    }
    s.write("data/.IGNORE", "a,b\n0,0\n1,2\n");
    s.write("scene.toml", scene("data/.IGNORE"));
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "out.gif",
        "--depfile",
        "out.gif.d",
        "-q",
    ]);
    assert_exit!(r, 0);
    let rule = std::fs::read_to_string(s.path("out.gif.d")).unwrap();
    assert!(rule.contains("  data/.IGNORE\n"), "{rule}");
    assert!(!s.path("PWNED").exists());
}

/// Regression: `--depfile $<` overwrote the scene, `--depfile out.gif` the output, and
/// a depfile in a missing folder failed only after the whole render.
#[test]
fn a_depfile_is_checked_before_rendering() {
    let s = Sandbox::new();
    scene_with_inputs(&s, false);
    let scene = std::fs::read_to_string(s.path("scene.toml")).unwrap();
    for (depfile, says) in [
        ("scene.toml", "would overwrite scene.toml"),
        ("./assets/logo.png", "which the scene reads"),
        ("out.gif", "is the output itself"),
    ] {
        let r = s.run(&[
            "render",
            "scene.toml",
            "-o",
            "out.gif",
            "--depfile",
            depfile,
        ]);
        assert_exit!(r, 2);
        assert_stderr!(r, says);
        assert!(!s.path("out.gif").exists(), "{depfile}: nothing rendered");
    }
    assert_eq!(
        std::fs::read_to_string(s.path("scene.toml")).unwrap(),
        scene
    );
    let r = s.run(&[
        "render",
        "scene.toml",
        "-q",
        "-o",
        "out.gif",
        "--depfile",
        "deps/out.d",
    ]);
    assert_exit!(r, 0);
    assert!(s.path("deps/out.d").is_file());
}

#[test]
fn an_image_sequence_depends_on_its_folder() {
    let s = Sandbox::new();
    for i in 0..3u8 {
        s.write_picture(&format!("seq/{i:02}.png"), 4, 4, [i * 60, 0, 0, 255]);
    }
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"images\"\nfiles = \"seq/*.png\"\nfps = 10\n",
    );
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    assert_eq!(
        r.stdout,
        "scene.toml\nseq/00.png\nseq/01.png\nseq/02.png\nseq\n"
    );
}

#[test]
fn make_renders_again_when_an_input_changes_and_only_then() {
    let s = Sandbox::new();
    scene_with_inputs(&s, true);
    s.write(
        "Makefile",
        format!(
            "out.gif: scene.toml\n\t{} render scene.toml -q -o $@ --depfile out.d\n\n-include out.d\n",
            env!("CARGO_BIN_EXE_animate")
        ),
    );
    let make = || {
        let o = Command::new("make")
            .current_dir(s.path(""))
            .output()
            .expect("run make");
        assert!(
            o.status.success(),
            "make failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(make().contains("render scene.toml"), "first make renders");
    let again = make();
    assert!(
        !again.contains("render"),
        "nothing changed, nothing rendered:\n{again}"
    );
    // Times set explicitly rather than waited for: inputs older than the GIF...
    let now = std::time::SystemTime::now();
    let ago = |secs| now - std::time::Duration::from_secs(secs);
    for input in [
        "scene.toml",
        "assets/logo.png",
        "data/points.csv",
        "assets/unused.png",
    ] {
        set_mtime(&s.path(input), ago(30));
    }
    set_mtime(&s.path("out.gif"), ago(20));
    assert!(
        !make().contains("render"),
        "the GIF is newer than every input"
    );
    // ...then one input read through the scene (not named in the Makefile) is newer
    set_mtime(&s.path("data/points.csv"), ago(10));
    assert!(
        make().contains("render scene.toml"),
        "a newer CSV renders again"
    );
    assert!(!make().contains("render"), "and once is enough");
    // a file the scene does not read changes nothing
    set_mtime(
        &s.path("assets/unused.png"),
        now + std::time::Duration::from_secs(60),
    );
    assert!(!make().contains("render"));
}

fn set_mtime(path: &Path, t: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

#[test]
fn gif_of_many_colours_is_identical_on_one_thread_and_on_all() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    assert_exit!(
        s.run(&[
            "render",
            "scene.toml",
            "-q",
            "-o",
            "one.gif",
            "--threads",
            "1"
        ]),
        0
    );
    assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", "all.gif"]), 0);
    assert_exit!(
        s.run(&["render", "scene.toml", "-q", "-o", "one/", "--threads", "1"]),
        0
    );
    assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", "all/"]), 0);
    assert_eq!(
        std::fs::read(s.path("one.gif")).unwrap(),
        std::fs::read(s.path("all.gif")).unwrap()
    );
    for (a, b) in pngs(&s.path("one")).iter().zip(pngs(&s.path("all"))) {
        assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    }
}

#[cfg(feature = "video")]
#[test]
fn video_is_identical_on_one_thread_and_on_all() {
    let s = Sandbox::new();
    s.write("scene.toml", FIELD);
    for ext in ["mp4", "webm"] {
        let one = format!("one.{ext}");
        let all = format!("all.{ext}");
        assert_exit!(
            s.run(&["render", "scene.toml", "-q", "-o", &one, "--threads", "1"]),
            0
        );
        assert_exit!(s.run(&["render", "scene.toml", "-q", "-o", &all]), 0);
        assert_eq!(
            std::fs::read(s.path(&one)).unwrap(),
            std::fs::read(s.path(&all)).unwrap(),
            "{ext}"
        );
    }
}

/// Parts rendered with another `--background` (or, for videos, other encoder flags)
/// joined without a word, the picture changing half-way (findings5 F-S): the stamp
/// recorded the scene, `--set` and the size only.
#[test]
fn regression_join_took_parts_rendered_with_different_backgrounds() {
    let s = Sandbox::new();
    s.write(
        "tr.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"color\"\ncolor = \"#ff000080\"\n\
         size = [16, 16]\nduration = 0.4\n",
    );
    let part = |out: &str, k: &str, extra: &[&str]| {
        let mut args = vec!["render", "tr.toml", "-q", "-o", out, "--segment", k];
        args.extend_from_slice(extra);
        assert_exit!(s.run(&args), 0);
    };
    part("frames/", "1/2", &["--background", "red"]);
    part("frames/", "2/2", &["--background", "blue"]);
    let r = s.run(&["join", "frames/", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "0000.png",
        "0002.png",
        "different --background: #ff0000ff against #0000ffff"
    );
    assert!(!s.path("out.gif").exists());
    // the same background given two ways is the same render
    part("same/", "1/2", &["--background", "red"]);
    part("same/", "2/2", &["--background", "#ff0000"]);
    assert_exit!(s.run(&["join", "same/", "-o", "same.gif"]), 0);

    #[cfg(feature = "video")]
    {
        part("p1.mp4", "1/2", &["--background", "red"]);
        part("p2.mp4", "2/2", &["--background", "blue"]);
        let r = s.run(&["join", "p1.mp4", "p2.mp4", "-o", "j.mp4"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "p1.mp4 and p2.mp4", "different --background");
        assert!(!s.path("j.mp4").exists());
        part("q1.webm", "1/2", &["--crf", "20"]);
        part("q2.webm", "2/2", &["--crf", "40"]);
        let r = s.run(&["join", "q1.webm", "q2.webm", "-o", "q.webm"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "q1.webm and q2.webm", "different --crf: 20 against 40");
        part("q3.webm", "2/2", &["--crf", "20"]);
        assert_exit!(s.run(&["join", "q1.webm", "q3.webm", "-o", "q.webm"]), 0);
    }
}
