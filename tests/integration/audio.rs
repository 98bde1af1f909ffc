//! Sound: a video's own audio kept through edits, sound files as clips, volume, fades
//! and mixing. Inputs are WAV files the tests write; outputs are decoded with FFmpeg's
//! libraries and measured (times against the first video frame, levels, pitch).

use crate::sound_util::{clicks, hear, mono, tone, write_wav, Heard};
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// One AAC frame: how far an output's sound may run past its pictures.
const AAC_FRAME: f64 = 1024.0 / 48000.0;

/// Writes `name.wav` (48 kHz mono from `f`, `seconds` long) and renders `name.mp4`: a
/// 32×32 grey video of the same length carrying that sound.
fn video_with_sound(s: &Sandbox, name: &str, seconds: f64, f: impl Fn(f64) -> f64) {
    write_wav(
        &s.path(&format!("{name}.wav")),
        48000,
        1,
        &mono(48000, seconds, f),
    );
    s.write(
        "make.toml",
        format!(
            r#"
[output]
fps = 25
[clip.grey]
kind = "color"
color = "grey"
size = [32, 32]
duration = {seconds}
[clip.sound]
kind = "audio"
path = "{name}.wav"
[clip.main]
kind = "composite"
layers = [{{ clip = "grey" }}, {{ clip = "sound" }}]
"#
        ),
    );
    assert_exit!(
        s.run(&["render", "make.toml", "-o", &format!("{name}.mp4"), "-q"]),
        0
    );
}

/// Renders `scene` to `out` and decodes its sound.
fn render_and_hear(s: &Sandbox, scene: &str, out: &str) -> Heard {
    s.write("scene.toml", scene);
    assert_exit!(s.run(&["render", "scene.toml", "-o", out, "-q"]), 0);
    hear(&s.path(out)).expect("the output has a sound stream")
}

fn assert_times(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: onsets {got:?}, expected {want:?}"
    );
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 0.001,
            "{what}: onset at {g:.5} s, expected {w} s ± 1 ms ({got:?})"
        );
    }
}

fn video_scene(effects: &str) -> String {
    format!(
        r#"
[output]
fps = 25
[clip.v]
kind = "video"
path = "src.mp4"
effects = [{effects}]
"#
    )
}

#[test]
fn a_videos_sound_is_kept_in_sync_and_as_long_as_the_pictures() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 5.0, clicks(vec![1.0, 3.0]));
    let whole = render_and_hear(&s, &video_scene(""), "whole.mp4");
    assert_eq!(whole.rate, 48000);
    assert_times(&whole.onsets(), &[1.0, 3.0], "the video as it is");
    let cut = render_and_hear(&s, &video_scene("{ subclip = [2, 5] }"), "cut.mp4");
    assert_times(&cut.onsets(), &[1.0], "subclip [2, 5]");
    let video = cut.video.expect("video duration");
    assert!((video - 3.0).abs() < 1e-6, "video lasts {video}");
    assert!(
        (cut.start + cut.duration() - video).abs() <= AAC_FRAME,
        "sound lasts {} s from {}, video {video} s",
        cut.duration(),
        cut.start
    );
    // WebM: Opus at 48 kHz.
    let webm = render_and_hear(&s, &video_scene("{ subclip = [2, 5] }"), "cut.webm");
    assert_eq!(webm.rate, 48000);
    assert_eq!(webm.onsets().len(), 1, "{:?}", webm.onsets());
    assert_times(&webm.onsets(), &[1.0], "WebM");
}

#[test]
fn loops_sequences_and_crossfades_keep_clicks_in_place() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 4.0, clicks(vec![3.0]));
    let scene = |sequence_keys: &str| {
        format!(
            r#"
[output]
fps = 25
[clip.v]
kind = "video"
path = "src.mp4"
[clip.a]
from = "v"
effects = [{{ subclip = [2.5, 3.5] }}]
[clip.b]
from = "a"
effects = [{{ loop = 2 }}]
[clip.main]
kind = "sequence"
clips = ["a", "b"]
{sequence_keys}
"#
        )
    };
    let plain = render_and_hear(&s, &scene(""), "seq.mp4");
    assert_times(
        &plain.onsets(),
        &[0.5, 1.5, 2.5],
        "sequence of a cut and its loop",
    );
    let faded = render_and_hear(&s, &scene("crossfade = 0.2"), "fade.mp4");
    assert_times(&faded.onsets(), &[0.5, 1.3, 2.3], "with a 0.2 s crossfade");
}

#[test]
fn freeze_is_silent_and_reverse_plays_a_chirp_backwards() {
    let s = Sandbox::new();
    // A chirp rising from 300 Hz to 1500 Hz over 2 s.
    let chirp = |t: f64| 0.5 * (2.0 * std::f64::consts::PI * (300.0 * t + 300.0 * t * t)).sin();
    video_with_sound(&s, "src", 2.0, chirp);
    let forward = render_and_hear(&s, &video_scene(""), "fwd.mp4");
    let (lo, hi) = (forward.pitch(0.1, 0.3), forward.pitch(1.7, 1.9));
    assert!(
        (lo - 420.0).abs() < 30.0 && (hi - 1380.0).abs() < 60.0,
        "forward: {lo} Hz, {hi} Hz"
    );
    let back = render_and_hear(&s, &video_scene(r#""reverse""#), "back.mp4");
    let (lo, hi) = (back.pitch(0.1, 0.3), back.pitch(1.7, 1.9));
    assert!(
        (lo - 1380.0).abs() < 60.0 && (hi - 420.0).abs() < 30.0,
        "reversed: {lo} Hz, {hi} Hz"
    );
    let frozen = render_and_hear(
        &s,
        &video_scene("{ freeze = { t = 1, duration = 1 } }"),
        "frz.mp4",
    );
    assert!(
        frozen.rms(1.05, 1.95) < 0.001,
        "silent while frozen: {}",
        frozen.rms(1.05, 1.95)
    );
    assert!(frozen.rms(0.2, 0.9) > 0.3 && frozen.rms(2.1, 2.9) > 0.3);
    // Output 2.1..2.3 s is the source's 1.1..1.3 s, where the chirp is at 960..1080 Hz.
    let pitch = frozen.pitch(2.1, 2.3);
    assert!(
        (pitch - 1020.0).abs() < 40.0,
        "goes on where it stopped: {pitch} Hz"
    );
}

#[test]
fn speed_two_halves_the_length_and_doubles_the_pitch() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 2.0, tone(500.0, 0.5));
    let fast = render_and_hear(&s, &video_scene("{ speed = 2 }"), "fast.mp4");
    assert!((fast.video.unwrap() - 1.0).abs() < 1e-6);
    assert!((fast.start + fast.duration() - 1.0).abs() <= AAC_FRAME);
    let pitch = fast.pitch(0.2, 0.8);
    assert!(
        (pitch - 1000.0).abs() < 10.0,
        "pitch follows speed: {pitch} Hz"
    );
}

#[test]
fn volume_is_a_level_in_decibels_and_fades_are_ramps() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 3.0, tone(440.0, 0.5));
    let full = render_and_hear(&s, &video_scene(""), "full.mp4");
    let half = render_and_hear(&s, &video_scene("{ volume = 0.5 }"), "half.mp4");
    let db = 20.0 * (half.rms(0.5, 2.5) / full.rms(0.5, 2.5)).log10();
    assert!((db + 6.0).abs() <= 0.2, "volume 0.5 is {db:.2} dB");
    let muted = render_and_hear(&s, &video_scene("{ volume = 0 }"), "mute.mp4");
    assert!(muted.rms(0.0, 3.0) < 1e-4);
    // Louder than full scale saturates: a sine at 0.5 × 4 is clipped at 1, not wrapped.
    let loud = render_and_hear(&s, &video_scene("{ volume = 4 }"), "loud.mp4");
    let peak = loud
        .window(0.5, 2.5)
        .iter()
        .fold(0.0f32, |m, s| m.max(s.abs()));
    assert!(peak > 0.95 && peak < 1.1, "peak {peak}");
    assert!(loud.rms(0.5, 2.5) > full.rms(0.5, 2.5) * 2.0);
    // A fade in over 2 s: the level grows in proportion to time.
    let fade = render_and_hear(&s, &video_scene("{ audio_fade_in = 2 }"), "fade.mp4");
    let reference = full.rms(0.5, 2.5);
    for (t, want) in [(0.5, 0.25), (1.0, 0.5), (1.5, 0.75), (2.5, 1.0)] {
        let got = fade.rms(t - 0.05, t + 0.05) / reference;
        assert!(
            (got - want).abs() < 0.03,
            "at {t} s the level is {got:.3} of full, expected {want}"
        );
    }
    let out = render_and_hear(&s, &video_scene("{ audio_fade_out = 1 }"), "out.mp4");
    assert!((out.rms(2.45, 2.55) / reference - 0.5).abs() < 0.03);
    // An expression of t.
    let expr = render_and_hear(
        &s,
        &video_scene(r#"{ volume = "if(t < 1.5, 1, 0.5)" }"#),
        "expr.mp4",
    );
    let db = 20.0 * (expr.rms(2.0, 2.8) / expr.rms(0.2, 1.2)).log10();
    assert!((db + 6.0).abs() <= 0.2, "{db}");
}

#[test]
fn composites_mix_their_layers_sound_and_sound_files_are_clips() {
    let s = Sandbox::new();
    write_wav(
        &s.path("low.wav"),
        44100,
        1,
        &mono(44100, 2.0, tone(440.0, 0.3)),
    );
    let stereo: Vec<f32> = mono(22050, 1.0, tone(1000.0, 0.3))
        .into_iter()
        .flat_map(|v| [v, v])
        .collect();
    write_wav(&s.path("high.wav"), 22050, 2, &stereo);
    let scene = r#"
[output]
fps = 10
[clip.bg]
kind = "color"
color = "black"
size = [32, 32]
duration = 2
[clip.low]
kind = "audio"
path = "low.wav"
[clip.high]
kind = "audio"
path = "high.wav"
[clip.main]
kind = "composite"
layers = [{ clip = "bg" }, { clip = "low" }, { clip = "high", start = 0.5 }]
"#;
    let mix = render_and_hear(&s, scene, "mix.mp4");
    let at = |f: f64, a: f64, b: f64| mix.level_at(f, a, b);
    assert!(
        (at(440.0, 0.1, 0.4) - 0.3).abs() < 0.03,
        "{}",
        at(440.0, 0.1, 0.4)
    );
    assert!(at(1000.0, 0.1, 0.4) < 0.01, "the high tone starts at 0.5 s");
    assert!((at(440.0, 0.7, 1.3) - 0.3).abs() < 0.03);
    assert!(
        (at(1000.0, 0.7, 1.3) - 0.3).abs() < 0.03,
        "{}",
        at(1000.0, 0.7, 1.3)
    );
    assert!(at(700.0, 0.7, 1.3) < 0.01);
    assert!(at(1000.0, 1.6, 1.9) < 0.01, "the high tone lasts 1 s");
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("low  audio  2x2  0.00..2.00 s  sound"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("main  composite  32x32  0.00..2.00 s  sound"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("bg  color  32x32  0.00..2.00 s\n"),
        "{}",
        r.stdout
    );
    // A grid adds its cells' sound too, all from its start.
    let grid = render_and_hear(
        &s,
        &scene.replace(
            r#"kind = "composite"
layers = [{ clip = "bg" }, { clip = "low" }, { clip = "high", start = 0.5 }]"#,
            r#"kind = "grid"
rows = [["bg", "low", "high"]]"#,
        ),
        "grid.mp4",
    );
    assert!((grid.level_at(440.0, 0.1, 0.4) - 0.3).abs() < 0.03);
    assert!((grid.level_at(1000.0, 0.1, 0.4) - 0.3).abs() < 0.03);
    assert!(grid.level_at(1000.0, 1.2, 1.5) < 0.01);
}

#[test]
fn sound_can_be_left_out_and_gif_says_it_is_not_kept() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 1.0, tone(440.0, 0.5));
    s.write("scene.toml", video_scene(""));
    assert_exit!(
        s.run(&["render", "scene.toml", "-o", "none.mp4", "-q", "--no-audio"]),
        0
    );
    assert!(hear(&s.path("none.mp4")).is_none(), "--no-audio");
    s.write(
        "off.toml",
        "[output]\nfps = 25\n[clip.v]\nkind = \"video\"\npath = \"src.mp4\"\naudio = false\n",
    );
    assert_exit!(s.run(&["render", "off.toml", "-o", "off.mp4", "-q"]), 0);
    assert!(hear(&s.path("off.mp4")).is_none(), "audio = false");
    s.write(
        "file.toml",
        "[output]\nfps = 25\n[clip.v]\nkind = \"file\"\npath = \"src.mp4\"\n",
    );
    assert_exit!(s.run(&["render", "file.toml", "-o", "file.mp4", "-q"]), 0);
    assert!(
        hear(&s.path("file.mp4")).is_some(),
        "a file clip that is a video keeps it"
    );
    let r = s.run(&["render", "scene.toml", "-o", "out.gif", "-q"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the scene has sound, which GIF and PNG outputs do not keep"
    );
    assert_eq!(
        r.stderr.matches("has sound").count(),
        1,
        "said once: {}",
        r.stderr
    );
    let r = s.run(&["render", "scene.toml", "-o", "frames/", "-q"]);
    assert_stderr!(r, "which GIF and PNG outputs do not keep");
    let r = s.run(&["render", "off.toml", "-o", "quiet.gif", "-q"]);
    assert!(!r.stderr.contains("sound"), "{}", r.stderr);
}

#[test]
fn sound_files_where_pictures_are_needed_and_silent_sound_files_are_refused() {
    let s = Sandbox::new();
    write_wav(
        &s.path("tone.wav"),
        48000,
        1,
        &mono(48000, 0.5, tone(440.0, 0.5)),
    );
    write_wav(&s.path("empty.wav"), 48000, 1, &[]);
    s.write_picture("pic.png", 4, 4, [255, 0, 0, 255]);
    s.write("a.toml", "[clip.a]\nkind = \"file\"\npath = \"tone.wav\"\n");
    let r = s.run(&["check", "a.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`tone.wav` is a sound file, and a file clip needs a picture",
        "a.toml:3:8",
        "kind = \"audio\""
    );
    s.write(
        "b.toml",
        "[clip.b]\nkind = \"audio\"\npath = \"empty.wav\"\n",
    );
    let r = s.run(&["check", "b.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`empty.wav` has nothing to hear", "b.toml:3:8");
    s.write("c.toml", "[clip.c]\nkind = \"audio\"\npath = \"pic.png\"\n");
    let r = s.run(&["check", "c.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "pic.png", "b.toml".replace('b', "c").as_str());
    s.write(
        "d.toml",
        "[clip.d]\nkind = \"video\"\npath = \"tone.wav\"\n",
    );
    let r = s.run(&["check", "d.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "tone.wav",
        "no video stream, only sound: to hear it, use `kind = \"audio\"`",
        "d.toml:3:8"
    );
    s.write(
        "e.toml",
        "[clip.e]\nkind = \"file\"\npath = \"pic.png\"\naudio = true\n",
    );
    let r = s.run(&["check", "e.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`audio` is for video files", "e.toml:4:9");
}

#[test]
fn a_sound_that_starts_after_the_pictures_keeps_its_offset() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 3.0, clicks(vec![1.0]));
    crate::sound_util::remux_delaying_audio(&s.path("src.mp4"), &s.path("late.mkv"), 0.5);
    let late = hear(&s.path("late.mkv")).unwrap();
    assert_times(&late.onsets(), &[1.5], "the remuxed input itself");
    s.write("scene.toml", video_scene("").replace("src.mp4", "late.mkv"));
    let out = render_and_hear(
        &s,
        &video_scene("{ subclip = [0.2, 3] }").replace("src.mp4", "late.mkv"),
        "out.mp4",
    );
    assert_times(
        &out.onsets(),
        &[1.3],
        "cut from a file whose sound starts 0.5 s late",
    );
}

#[test]
fn damaged_sound_is_silent_with_one_warning_naming_the_file_and_time() {
    let s = Sandbox::new();
    video_with_sound(&s, "src", 3.0, tone(440.0, 0.5));
    s.write(
        "make.toml",
        std::fs::read_to_string(s.path("make.toml")).unwrap(),
    );
    assert_exit!(s.run(&["render", "make.toml", "-o", "src.mov", "-q"]), 0);
    let mut bytes = std::fs::read(s.path("src.mov")).unwrap();
    let packets = crate::sound_util::audio_packets(&s.path("src.mov"));
    // Garbage in ten AAC packets from the middle on (about 1.5 s), past their first 16
    // bytes: the file's structure (MOV keeps its index apart from the sound's bytes)
    // stays whole. MOV, not MKV: MKV's sound is Opus, and the same garbage in
    // Opus packets raised no decoding error.
    for &(pos, size) in &packets[packets.len() / 2..packets.len() / 2 + 10] {
        for b in &mut bytes[pos + 16..pos + size] {
            *b = 0xff;
        }
    }
    s.write("bad.mov", &bytes);
    s.write("scene.toml", video_scene("").replace("src.mp4", "bad.mov"));
    let r = s.run(&["render", "scene.toml", "-o", "out.mp4", "-q"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "the sound of ", "bad.mov is damaged from 1.");
    assert_eq!(r.stderr.matches("damaged").count(), 1, "{}", r.stderr);
    let out = hear(&s.path("out.mp4")).unwrap();
    assert!(out.rms(0.2, 1.2) > 0.3, "sound before the damage");
    assert!(out.rms(2.5, 2.9) > 0.3, "and after it");
}

#[test]
fn output_audio_is_a_soundtrack_looped_to_the_renders_length() {
    let s = Sandbox::new();
    write_wav(
        &s.path("beat.wav"),
        48000,
        1,
        &mono(48000, 0.5, clicks(vec![0.1])),
    );
    let scene = |audio: &str| {
        format!(
            r#"
[output]
fps = 10
audio = "{audio}"
[clip.main]
kind = "color"
color = "navy"
size = [32, 32]
duration = 1.8
[clip.beat]
kind = "audio"
path = "beat.wav"
"#
        )
    };
    let file = render_and_hear(&s, &scene("beat.wav"), "file.mp4");
    assert_times(&file.onsets(), &[0.1, 0.6, 1.1, 1.6], "a sound file looped");
    assert!(
        (file.start + file.duration() - 1.8).abs() <= AAC_FRAME,
        "cut at the end"
    );
    let clip = render_and_hear(&s, &scene("beat"), "clip.mp4");
    assert_times(
        &clip.onsets(),
        &[0.1, 0.6, 1.1, 1.6],
        "a clip's sound looped",
    );
    s.write("scene.toml", scene("beat"));
    let r = s.run(&["check", "scene.toml"]);
    assert!(
        r.stdout.contains(
            "soundtrack: beat, repeated from the start if shorter than the render, cut at its end"
        ),
        "{}",
        r.stdout
    );
    s.write("scene.toml", scene("main"));
    let r = s.run(&["render", "scene.toml", "-o", "x.mp4"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the soundtrack `main` has nothing to hear",
        "scene.toml:4:9"
    );
    assert!(!s.path("x.mp4").exists());
    s.write("scene.toml", scene("missing.wav"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "missing.wav", "scene.toml:4:9");
}

/// Regression: a sound file cut short in its header said only FFmpeg's
/// "end of file", and a video header declaring a 60000×60000 picture "device or
/// resource busy": neither says the file is at fault.
#[test]
fn regression_cut_or_absurd_media_headers_say_the_file_is_at_fault() {
    let s = Sandbox::new();
    // FLAC: the signature, a STREAMINFO block (44.1 kHz mono), then a last PADDING
    // block declaring 8192 bytes of which 100 are there.
    let mut flac = b"fLaC\x00\x00\x00\x22".to_vec();
    flac.extend_from_slice(&[
        0x12, 0x00, 0x12, 0x00, 0x00, 0x01, 0x31, 0x00, 0x04, 0xf5, 0x0a, 0xc4, 0x40, 0xf0, 0x00,
        0x01, 0x58, 0x88,
    ]);
    flac.extend_from_slice(&[0; 16]);
    flac.extend_from_slice(&[0x81, 0x00, 0x20, 0x00]);
    flac.extend_from_slice(&[0; 100]);
    s.write("cut.flac", &flac);
    s.write(
        "sound.toml",
        "[clip.main]\nkind = \"audio\"\npath = \"cut.flac\"\n",
    );
    let r = s.run(&["check", "sound.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: cannot decode the sound of ./cut.flac: it is empty or cut short\n --> sound.toml:3:8"
    );
    let mut y4m = b"YUV4MPEG2 W60000 H60000 F10:1 C420jpeg\nFRAME\n".to_vec();
    y4m.extend_from_slice(&[0x80; 1000]);
    s.write("huge.y4m", &y4m);
    s.write(
        "video.toml",
        "[clip.main]\nkind = \"video\"\npath = \"huge.y4m\"\n",
    );
    let r = s.run(&["check", "video.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "error: cannot play ./huge.y4m as a video: it is damaged or not a video file (FFmpeg says: "
    );
}

#[test]
fn check_counts_the_soundtrack_clip_as_used() {
    let s = Sandbox::new();
    write_wav(
        &s.path("music.wav"),
        48000,
        1,
        &mono(48000, 1.0, tone(440.0, 0.3)),
    );
    s.write(
        "scene.toml",
        "[output]\naudio = \"music\"\n[clip.music]\nkind = \"audio\"\npath = \"music.wav\"\n\
         effects = [{ volume = 0.2 }]\n[clip.card]\nkind = \"color\"\ncolor = \"grey\"\n\
         size = [32, 32]\nduration = 1\n[clip.spare]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [8, 8]\n[clip.main]\nkind = \"sequence\"\nclips = [\"card\"]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("soundtrack: music, "), "{}", r.stdout);
    // The clip that is not used is still said; the soundtrack is not.
    assert!(r.stdout.contains("unused: spare "), "{}", r.stdout);
    assert!(!r.stdout.contains("unused: music"), "{}", r.stdout);
}

/// Regression: a signal while a video's sound was encoded was not looked at. With one
/// frame every 500 s, the sound after the last frame is encoded in the render's finish,
/// which put the output in place however long it took: SIGTERM a few seconds into it
/// gave "wrote a.mp4" and exit 0, the old file replaced (and during a frame, the render
/// stopped minutes after the signal). Now the sound's encoding and the step that puts
/// the output in place both ask whether a signal came.
#[cfg(unix)]
#[test]
fn regression_a_signal_while_the_sound_was_encoded_still_wrote_the_video() {
    let s = Sandbox::new();
    write_wav(
        &s.path("beep.wav"),
        48000,
        1,
        &mono(48000, 0.05, tone(440.0, 0.5)),
    );
    // One frame, then 500 s of the repeated soundtrack: seconds of AAC encoding.
    s.write(
        "scene.toml",
        "[output]\nfps = 0.002\naudio = \"beep.wav\"\n[clip.main]\nkind = \"color\"\n\
         color = \"red\"\nsize = [16, 16]\nduration = 600\n",
    );
    s.write("out.mp4", "the previous video");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(["render", "scene.toml", "-o", "out.mp4", "-q"])
        .current_dir(s.path(""))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !s.writes_here(child.id()) {
        assert!(started.elapsed().as_secs() < 20, "render never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The one 16x16 frame takes far less: the signal comes while the sound is encoded.
    std::thread::sleep(std::time::Duration::from_millis(500));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(s.path("out.mp4")).unwrap(),
        "the previous video"
    );
    assert_eq!(s.files(), ["beep.wav", "out.mp4", "scene.toml"]);
}
