//! Sound through `--segment` and `join`: each part carries exactly its span of the
//! render's sound, losslessly, and the joined file's sound is in sync and gapless at
//! every join. At 7 fps a frame is 6857.14… sample frames, so joins fall between
//! samples and the rounding of each part's span is exercised.

use crate::sound_util::{clicks, hear, mono, tone, write_wav, Heard};
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

const FPS: f64 = 7.0;
/// One AAC frame: how far the joined sound may run past its pictures.
const AAC_FRAME: f64 = 1024.0 / 48000.0;

/// Writes `sound.wav` (48 kHz mono from `f`) and `scene.toml`: a grey picture with
/// that sound, `seconds` long at 7 fps.
fn scene_with_sound(s: &Sandbox, seconds: f64, f: impl Fn(f64) -> f64) {
    write_wav(&s.path("sound.wav"), 48000, 1, &mono(48000, seconds, f));
    s.write(
        "scene.toml",
        format!(
            r#"
[output]
fps = {FPS}
[clip.grey]
kind = "color"
color = "grey"
size = [32, 32]
duration = {seconds}
[clip.sound]
kind = "audio"
path = "sound.wav"
[clip.main]
kind = "composite"
layers = [{{ clip = "grey" }}, {{ clip = "sound" }}]
"#
        ),
    );
}

/// Renders the scene in `n` segments `seg-K.ext` (with `extra` flags) and returns
/// their names.
fn segments(s: &Sandbox, n: usize, ext: &str, extra: &[&str]) -> Vec<String> {
    (1..=n)
        .map(|k| {
            let out = format!("seg-{k}.{ext}");
            let part = format!("{k}/{n}");
            let mut args = vec!["render", "scene.toml", "--segment", &part, "-o", &out];
            args.extend_from_slice(extra);
            assert_exit!(s.run(&args), 0);
            out
        })
        .collect()
}

/// Joins `parts` into `out` and decodes its sound.
fn join_and_hear(s: &Sandbox, parts: &[String], out: &str) -> Heard {
    let mut args = vec!["join"];
    args.extend(parts.iter().map(String::as_str));
    args.extend(["-o", out]);
    let r = s.run(&args);
    assert_exit!(r, 0);
    assert_stderr!(r, "s of animation with sound in ");
    hear(&s.path(out)).expect("the joined file has a sound stream")
}

/// The frames `first..end` a part says it holds (its `comment` tag).
fn frames_of(s: &Sandbox, part: &str) -> (u64, u64) {
    animate::av::init().unwrap();
    let input = animate::av::ff::format::input(&s.path(part)).unwrap();
    let comment = input.metadata().get("comment").unwrap().to_string();
    let range = comment
        .strip_prefix("animate frames ")
        .and_then(|r| r.split(' ').next())
        .and_then(|r| r.split_once(".."))
        .unwrap_or_else(|| panic!("{part}: comment {comment:?}"));
    (range.0.parse().unwrap(), range.1.parse().unwrap())
}

fn sample_at(t: f64) -> usize {
    (t * 48000.0).round() as usize
}

#[test]
fn each_part_holds_exactly_its_span_of_the_sound_losslessly() {
    let s = Sandbox::new();
    let sine = tone(440.0, 0.5);
    scene_with_sound(&s, 3.0, &sine);
    for ext in ["mkv", "mp4", "mov"] {
        let mut next = 0u64;
        for part in segments(&s, 4, ext, &["-q"]) {
            let heard = hear(&s.path(&part)).expect("a part carries its sound");
            let (first, end) = frames_of(&s, &part);
            assert_eq!(first, next, "{part} follows the part before");
            let from = sample_at(first as f64 / FPS);
            let to = sample_at(end as f64 / FPS);
            assert_eq!(
                heard.left.len(),
                to - from,
                "{part} (frames {first}..{end}): sample frames {from}..{to}"
            );
            assert!(heard.start.abs() < 1e-9, "{part} starts at {}", heard.start);
            // Lossless: every sample is the source's (16-bit WAV), none moved.
            for (i, got) in heard.left.iter().enumerate() {
                let want = sine((from + i) as f64 / 48000.0);
                assert!(
                    (f64::from(*got) - want).abs() < 1e-4,
                    "{part}: sample {} is {got}, the source's is {want}",
                    from + i
                );
            }
            next = end;
        }
        assert_eq!(next, 21, "{ext}: the parts tile the render's 21 frames");
    }
}

#[test]
fn joined_sound_keeps_clicks_in_place_and_lasts_as_long_as_the_video() {
    let s = Sandbox::new();
    // Joins at 9/7 s and 18/7 s (1.2857 and 2.5714 s); a click just after the first.
    let at = [0.5, 1.3, 3.0];
    scene_with_sound(&s, 4.0, clicks(at.to_vec()));
    for ext in ["mp4", "mov", "mkv"] {
        let parts = segments(&s, 3, ext, &["-q"]);
        let heard = join_and_hear(&s, &parts, &format!("all.{ext}"));
        let (want, ends) = (at.to_vec(), 4.0);
        let onsets = heard.onsets();
        assert_eq!(onsets.len(), at.len(), "{ext}: onsets {onsets:?}");
        for (got, want) in onsets.iter().zip(&want) {
            assert!(
                (got - want).abs() <= 0.001,
                "{ext}: click at {got:.5} s, expected {want} s ± 1 ms"
            );
        }
        if let Some(video) = heard.video {
            assert!((video - 4.0).abs() < 1e-6, "{ext}: video lasts {video}");
        }
        let sound = heard.start + heard.duration();
        assert!(
            (sound - ends).abs() <= AAC_FRAME,
            "{ext}: the sound ends at {sound:.5} s, the video at {ends} s"
        );
    }
}

/// The largest step from one sample to the next in `w`.
fn largest_jump(w: &[f32]) -> f64 {
    w.windows(2)
        .map(|p| f64::from((p[1] - p[0]).abs()))
        .fold(0.0, f64::max)
}

#[test]
fn a_sine_across_the_joins_has_no_gap_or_click() {
    let s = Sandbox::new();
    scene_with_sound(&s, 3.0, tone(440.0, 0.5));
    // A sine's own largest step from sample to sample.
    let own = 0.5 * 2.0 * std::f64::consts::PI * 440.0 / 48000.0;
    for ext in ["mp4", "mkv"] {
        let parts = segments(&s, 4, ext, &["-q"]);
        let heard = join_and_hear(&s, &parts, &format!("all.{ext}"));
        let far = largest_jump(heard.window(0.1, 0.6));
        assert!(
            far < own * 1.2,
            "{ext}: away from the joins the largest step is {far}, the sine's {own}"
        );
        // 21 frames in 4 parts: joins after frames 5, 10 and 15 (or as the split puts
        // them: every frame boundary from 4 to 17 is checked).
        for frame in 4..=17 {
            let t = frame as f64 / FPS;
            let near = largest_jump(heard.window(t - 0.005, t + 0.005));
            assert!(
                near < own * 1.2,
                "{ext}: around {t:.4} s the largest step is {near}, the sine's own {own}"
            );
            let level = heard.rms(t - 0.005, t + 0.005);
            assert!(
                (level - 0.5 / 2f64.sqrt()).abs() < 0.03,
                "{ext}: around {t:.4} s the level is {level}"
            );
        }
    }
}

#[test]
fn no_audio_segments_join_without_sound() {
    let s = Sandbox::new();
    scene_with_sound(&s, 1.0, tone(440.0, 0.5));
    let parts = segments(&s, 2, "mp4", &["--no-audio", "-q"]);
    for p in &parts {
        assert!(hear(&s.path(p)).is_none(), "{p} has no sound");
    }
    let r = s.run(&["join", &parts[0], &parts[1], "-o", "all.mp4", "-q"]);
    assert_exit!(r, 0);
    assert!(hear(&s.path("all.mp4")).is_none());
}

#[test]
fn webm_segments_leave_the_sound_out_with_a_warning() {
    let s = Sandbox::new();
    scene_with_sound(&s, 1.0, tone(440.0, 0.5));
    let r = s.run(&["render", "scene.toml", "--segment", "1/2", "-o", "seg.webm"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "WebM parts of a render cannot carry",
        "render the parts as .mkv"
    );
    assert!(hear(&s.path("seg.webm")).is_none());
}

#[test]
fn join_refuses_parts_that_differ_in_sound_or_carry_lossy_sound() {
    let s = Sandbox::new();
    scene_with_sound(&s, 1.0, tone(440.0, 0.5));
    assert_exit!(
        s.run(&[
            "render",
            "scene.toml",
            "--segment",
            "1/2",
            "-o",
            "a.mkv",
            "-q"
        ]),
        0
    );
    assert_exit!(
        s.run(&[
            "render",
            "scene.toml",
            "--segment",
            "2/2",
            "-o",
            "b.mkv",
            "--no-audio",
            "-q"
        ]),
        0
    );
    let r = s.run(&["join", "b.mkv", "a.mkv", "-o", "all.mkv"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "a.mkv carries sound and b.mkv does not", "--no-audio");
    assert!(!s.path("all.mkv").exists());

    // A whole render's sound is AAC: copying it would click, so join says what it takes.
    assert_exit!(s.run(&["render", "scene.toml", "-o", "whole.mkv", "-q"]), 0);
    let r = s.run(&["join", "whole.mkv", "-o", "again.mkv"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "whole.mkv carries its sound as opus", "--segment");
}

#[test]
fn a_part_whose_sound_is_cut_short_fails_the_join_and_leaves_nothing() {
    let s = Sandbox::new();
    scene_with_sound(&s, 2.0, tone(440.0, 0.5));
    let parts = segments(&s, 2, "mkv", &["-q"]);
    crate::sound_util::remux_cutting_audio(&s.path(&parts[1]), &s.path("short.mkv"), 0.5);
    let r = s.run(&["join", &parts[0], "short.mkv", "-o", "all.mkv"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "short.mkv should carry 1.000 s of sound but has 0.5",
        "truncated or damaged"
    );
    assert!(!s.path("all.mkv").exists());
}

/// Regression: a part cut in half failed the join with exit 1, where every other bad
/// part is refused with 2.
#[test]
fn a_truncated_part_is_refused_with_2_naming_the_frames_to_render_again() {
    let s = Sandbox::new();
    scene_with_sound(&s, 2.0, tone(440.0, 0.5));
    let parts = segments(&s, 2, "mkv", &["-q"]);
    let bytes = std::fs::read(s.path(&parts[1])).unwrap();
    s.write("cut.mkv", &bytes[..bytes.len() / 2]);
    let r = s.run(&["join", &parts[0], "cut.mkv", "-o", "all.mkv"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cut.mkv", "truncated or damaged");
    assert!(!s.path("all.mkv").exists());
}

/// Found while joining MKV parts: a whole render to MKV carried AAC, whose 1024 samples
/// of encoder priming FFmpeg 5.1's Matroska muxer does not mark, so its sound played
/// 21 ms late. MKV now takes Opus, whose priming the muxer marks.
#[test]
fn regression_a_whole_mkv_render_plays_its_sound_on_time() {
    let s = Sandbox::new();
    scene_with_sound(&s, 4.0, clicks(vec![0.5, 3.0]));
    assert_exit!(s.run(&["render", "scene.toml", "-o", "whole.mkv", "-q"]), 0);
    let heard = hear(&s.path("whole.mkv")).expect("the output has a sound stream");
    let onsets = heard.onsets();
    assert_eq!(onsets.len(), 2, "onsets {onsets:?}");
    for (got, want) in onsets.iter().zip([0.5, 3.0]) {
        assert!(
            (got - want).abs() <= 0.001,
            "click at {got:.5} s, expected {want} s ± 1 ms"
        );
    }
}

/// Regression (hostile F-N): the parts of a slow render with sound (a frame every 20 s)
/// hold more than FFmpeg's 5 MB first look of lossless sound before their first
/// picture, and `join` called them "truncated or damaged" (no picture format yet).
#[test]
fn regression_join_called_the_parts_of_a_slow_render_with_sound_damaged() {
    let s = Sandbox::new();
    write_wav(
        &s.path("beep.wav"),
        48000,
        1,
        &mono(48000, 0.05, tone(440.0, 0.3)),
    );
    s.write(
        "scene.toml",
        "[output]\nfps = 0.05\naudio = \"beep.wav\"\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [16, 16]\nduration = 80\n",
    );
    for k in 1..=2 {
        let seg = format!("{k}/2");
        let out = format!("p{k}.mkv");
        let r = s.run(&["render", "scene.toml", "-o", &out, "--segment", &seg, "-q"]);
        assert_exit!(r, 0);
    }
    assert!(std::fs::metadata(s.path("p1.mkv")).unwrap().len() > 5 << 20);
    let r = s.run(&["join", "p1.mkv", "p2.mkv", "-o", "joined.mkv"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "2 parts joined, 4 frames, 16x16, 80.00 s");
}
