//! features14: sound as data. A plot series drawn from a sound file (`sound = …`): its
//! waveform's envelope, its level (RMS or peak, in dBFS) and its spectrum at the
//! instant drawn. WAV files are written by the tests; plots have `axis = false`, so
//! that the data fill the figure and a value's pixel is known.

use crate::sound_util::{mono, tone, write_wav};
use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// A plot of `w`×`h` pixels without axes, lasting `duration` seconds, with `keys` and
/// `series` inside `series = [ … ]`.
fn plot(w: u32, h: u32, duration: f64, keys: &str, series: &str) -> String {
    format!(
        "[clip.main]\nkind = \"plot\"\nsize = [{w}, {h}]\naxis = false\nduration = {duration}\n\
         {keys}\nseries = [{series}]\n"
    )
}

/// Whether a pixel is drawn (not the white background).
fn drawn(p: [u8; 4]) -> bool {
    p[0] < 200 || p[1] < 200 || p[2] < 200
}

/// The rows drawn in column `x`.
fn rows_in(img: &image::RgbaImage, x: u32) -> Vec<u32> {
    (0..img.height())
        .filter(|&y| drawn(img.get_pixel(x, y).0))
        .collect()
}

/// The column of the highest pixel drawn (the leftmost of a tie).
fn top_column(img: &image::RgbaImage) -> u32 {
    for y in 0..img.height() {
        if let Some(x) = (0..img.width()).find(|&x| drawn(img.get_pixel(x, y).0)) {
            return x;
        }
    }
    panic!("nothing drawn");
}

/// The darkest row of column `x`: where a thin horizontal line is.
fn line_row(img: &image::RgbaImage, x: u32) -> u32 {
    (0..img.height())
        .min_by_key(|&y| {
            img.get_pixel(x, y).0[..3]
                .iter()
                .map(|&c| c as u32)
                .sum::<u32>()
        })
        .unwrap()
}

fn sine_wav(sb: &Sandbox, name: &str, freq: f64, amp: f64, seconds: f64) {
    write_wav(
        &sb.path(name),
        48000,
        1,
        &mono(48000, seconds, tone(freq, amp)),
    );
}

#[test]
fn features14_spectrum_peak_lands_on_440_hz() {
    let sb = Sandbox::new();
    sine_wav(&sb, "a.wav", 440.0, 0.5, 1.0);
    // A window of 4800 samples: 10 Hz a bin, 440 Hz is bin 44. 0 to 960 Hz on 480
    // pixels: 440 Hz is column 220.
    let linear = sb.frame(
        &plot(
            480,
            100,
            1.0,
            "xlim = [0, 960]\nylim = [-100, 0]",
            "{ sound = \"a.wav\", draw = \"spectrum\", window = 4800, color = \"black\", width = 1 }",
        ),
        0.5,
    );
    let col = top_column(&linear);
    assert!(
        (219..=221).contains(&col),
        "the peak is at column {col}, not 220"
    );
    // Its height: a sine of amplitude 0.5 reads −6.02 dB; 1 pixel a dB.
    let row = rows_in(&linear, col)[0];
    assert!(
        (5..=7).contains(&row),
        "the peak is at row {row}, not 6 (−6 dB)"
    );
    // The default window (2048) on a log axis, 100 Hz to 10 kHz on 400 pixels: 440 Hz
    // is column 128.7; the nearest bin, 445.3 Hz, column 130.5. The file is at 44.1 kHz:
    // its sound is read at 48 kHz, as heard, and its frequencies stay where they are.
    write_wav(
        &sb.path("a.wav"),
        44100,
        1,
        &mono(44100, 1.0, tone(440.0, 0.5)),
    );
    let log = sb.frame(
        &plot(
            400,
            100,
            1.0,
            "xscale = \"log\"\nxlim = [100, 10000]\nylim = [-100, 0]",
            "{ sound = \"a.wav\", draw = \"spectrum\", color = \"black\", width = 1 }",
        ),
        0.5,
    );
    let col = top_column(&log);
    assert!(
        (128..=131).contains(&col),
        "the peak is at column {col} on the log axis"
    );
    // Before the sound starts (t = -1 is not drawn, so at 0: half the window is
    // silence) and the spectrum moves with t: past the sound's end it is the floor.
    let after = sb.frame(
        &plot(
            480,
            100,
            3.0,
            "xlim = [0, 960]\nylim = [-100, 0]",
            "{ sound = \"a.wav\", draw = \"spectrum\", window = 4800, color = \"black\", width = 1 }",
        ),
        2.5,
    );
    assert!(
        (0..480).all(|x| rows_in(&after, x).is_empty()),
        "silence (−120 dB) is below the axes"
    );
}

#[test]
fn features14_waveform_flat_before_the_sound_full_after() {
    let sb = Sandbox::new();
    // Silence for a second, then a sine of amplitude 0.8.
    let s = mono(
        48000,
        2.0,
        |t| if t < 1.0 { 0.0 } else { tone(440.0, 0.8)(t) },
    );
    write_wav(&sb.path("late.wav"), 48000, 1, &s);
    // 0 to 2 s on 200 pixels, −1 to 1 on 100 pixels (0.8 is rows 10 and 90).
    let scene = |reveal: &str| {
        plot(
            200,
            100,
            2.0,
            "xlim = [0, 2]\nylim = [-1, 1]",
            &format!("{{ sound = \"late.wav\", color = \"black\", width = 1{reveal} }}"),
        )
    };
    let whole = sb.frame(&scene(""), 0.0);
    for x in [20, 50, 90] {
        let rows = rows_in(&whole, x);
        assert!(
            !rows.is_empty() && rows.iter().all(|&y| (48..=52).contains(&y)),
            "column {x} (silence) should be flat at row 50: {rows:?}"
        );
    }
    for x in [110, 150, 190] {
        let rows = rows_in(&whole, x);
        let (top, bottom) = (rows[0], *rows.last().unwrap());
        assert!(
            (9..=12).contains(&top) && (88..=91).contains(&bottom),
            "column {x} should span rows 10 to 90 (±0.8): {top} to {bottom}"
        );
    }
    // A stereo file: the sine on the left, silence on the right. `channel` picks a side;
    // the mix is their mean (±0.4).
    let stereo: Vec<f32> = s.iter().flat_map(|&v| [v, 0.0]).collect();
    write_wav(&sb.path("left.wav"), 48000, 2, &stereo);
    let side = |channel: &str| {
        let keys = "xlim = [0, 2]\nylim = [-1, 1]";
        let series = format!(
            "{{ sound = \"left.wav\", channel = \"{channel}\", color = \"black\", width = 1 }}"
        );
        let img = sb.frame(&plot(200, 100, 2.0, keys, &series), 0.0);
        let rows = rows_in(&img, 150);
        (rows[0], *rows.last().unwrap())
    };
    let (lt, lb) = side("left");
    assert!(
        (9..=12).contains(&lt) && (88..=91).contains(&lb),
        "left: {lt} to {lb}"
    );
    let (rt, rb) = side("right");
    assert!(rt >= 48 && rb <= 52, "right (silent): {rt} to {rb}");
    let (mt, mb) = side("mix");
    assert!(
        (29..=32).contains(&mt) && (68..=71).contains(&mb),
        "mix: {mt} to {mb}"
    );
    // Revealed as it plays: at 1.5 s, nothing beyond column 150.
    let half = sb.frame(&scene(", reveal = \"x <= t\""), 1.5);
    assert!(!rows_in(&half, 140).is_empty());
    assert!(rows_in(&half, 160).is_empty() && rows_in(&half, 190).is_empty());
}

#[test]
fn features14_level_of_a_minus_6_dbfs_sine() {
    let sb = Sandbox::new();
    // −6.02 dBFS: amplitude 0.5.
    sine_wav(&sb, "half.wav", 1000.0, 0.5, 1.0);
    // −12 to 0 dB on 120 pixels: 10 pixels a dB, so −6.02 is row 60 and −9.03 row 90.
    let level = |draw: &str| {
        sb.frame(
            &plot(
                200,
                120,
                1.0,
                "xlim = [0, 1]\nylim = [-12, 0]",
                &format!(
                    "{{ sound = \"half.wav\", draw = \"{draw}\", block = 0.05, color = \"black\", width = 1 }}"
                ),
            ),
            0.0,
        )
    };
    let peak = level("peak");
    let rms = level("rms");
    for x in [30, 100, 170] {
        let (p, r) = (line_row(&peak, x), line_row(&rms, x));
        assert!((59..=61).contains(&p), "peak at row {p}, not 60 (−6.02 dB)");
        assert!((89..=91).contains(&r), "RMS at row {r}, not 90 (−9.03 dB)");
    }
    // As amplitudes (db = false): the peak is 0.5, row 60 of 0 to 1 on 120 pixels.
    let linear = sb.frame(
        &plot(
            200,
            120,
            1.0,
            "xlim = [0, 1]\nylim = [0, 1]",
            "{ sound = \"half.wav\", draw = \"peak\", db = false, color = \"black\", width = 1 }",
        ),
        0.0,
    );
    let p = line_row(&linear, 100);
    assert!(
        (59..=61).contains(&p),
        "peak amplitude at row {p}, not 60 (0.5)"
    );
}

/// The series of `sound_scope`-like scenes: a waveform revealed as it plays, a level and
/// a spectrum, for the tests of determinism.
fn three_plots() -> String {
    r#"[output]
fps = 10

[clip.wave]
kind = "plot"
size = [160, 60]
duration = 1
xlim = [0, 1]
ylim = [-1, 1]
series = [{ sound = "a.wav", reveal = "x <= t", width = 0.8 }]

[clip.level]
kind = "plot"
size = [160, 60]
duration = 1
xlim = [0, 1]
ylim = [-60, 0]
series = [{ sound = "a.wav", draw = "rms", rows = "t * 100 + 1", head_label = "{y:.1f} dB" }]

[clip.spectrum]
kind = "plot"
size = [160, 60]
duration = 1
xscale = "log"
xlim = [50, 20000]
ylim = [-100, 0]
series = [{ sound = "a.wav", draw = "spectrum", window = 1024, fill = -100 }]

[clip.main]
kind = "grid"
rows = [["wave"], ["level"], ["spectrum"]]
"#
    .to_string()
}

/// A sound whose spectrum changes: a chirp from 200 Hz up, with a beat.
fn chirp(sb: &Sandbox) {
    let s = mono(48000, 1.0, |t| {
        0.6 * (std::f64::consts::TAU * (200.0 * t + 2000.0 * t * t)).sin()
            * (0.5 + 0.5 * (6.0 * t).cos())
    });
    write_wav(&sb.path("a.wav"), 48000, 1, &s);
}

#[test]
fn features14_same_bytes_on_any_threads_and_frame_equals_render() {
    let sb = Sandbox::new();
    chirp(&sb);
    sb.write("scene.toml", three_plots());
    let one = sb.run(&[
        "render",
        "scene.toml",
        "-o",
        "one.gif",
        "--threads",
        "1",
        "-q",
    ]);
    assert_exit!(one, 0);
    let three = sb.run(&[
        "render",
        "scene.toml",
        "-o",
        "three.gif",
        "--threads",
        "3",
        "-q",
    ]);
    assert_exit!(three, 0);
    assert!(
        std::fs::read(sb.path("one.gif")).unwrap() == std::fs::read(sb.path("three.gif")).unwrap(),
        "--threads 1 and 3 wrote different GIFs"
    );
    let frames = sb.render_frames(&three_plots(), &[]);
    assert_eq!(frames.len(), 10);
    // Frames change as the sound plays.
    assert!(frames[2] != frames[7]);
    for i in [0usize, 3, 7] {
        let t = i as f64 / 10.0;
        let r = sb.run(&["frame", "scene.toml", "-t", &t.to_string(), "-o", "f.png"]);
        assert_exit!(r, 0);
        let f = crate::util::read_png(&sb.path("f.png"));
        assert!(
            f == frames[i],
            "frame --time {t} differs from frame {i} of the render"
        );
    }
}

#[test]
fn features14_time_follows_the_clip_in_a_sequence() {
    let sb = Sandbox::new();
    chirp(&sb);
    // The plot (and its sound, heard beside it) start at 2 s of the sequence: at 2.5 s
    // it draws the sound's 0.5 s, as the plot alone does at 0.5 s.
    let alone = three_plots();
    let in_sequence = alone.replace(
        "[clip.main]\nkind = \"grid\"",
        "[clip.gap]\nkind = \"color\"\ncolor = \"black\"\nsize = [160, 180]\nduration = 2\n\n\
         [clip.music]\nkind = \"audio\"\npath = \"a.wav\"\n\n\
         [clip.scope]\nkind = \"composite\"\nlayers = [{ clip = \"shown\" }, { clip = \"music\" }]\n\n\
         [clip.main]\nkind = \"sequence\"\nclips = [\"gap\", \"scope\"]\n\n[clip.shown]\nkind = \"grid\"",
    );
    let want = sb.frame(&alone, 0.5);
    let got = sb.frame(&in_sequence, 2.5);
    assert!(
        got == want,
        "the plot at 2.5 s of the sequence is not the plot at 0.5 s"
    );
    let start = sb.frame(&in_sequence, 2.0);
    assert!(start == sb.frame(&alone, 0.0));
}

#[test]
fn features14_refusals_at_their_place() {
    let sb = Sandbox::new();
    sine_wav(&sb, "a.wav", 440.0, 0.5, 0.2);
    write_wav(&sb.path("empty.wav"), 48000, 1, &[]);
    sb.write(
        "corrupt.wav",
        b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk not a sound at all".repeat(3),
    );
    // A video without sound, made by the binary.
    sb.write(
        "stub.toml",
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [16, 16]\nduration = 0.2\n",
    );
    assert_exit!(
        sb.run(&["render", "stub.toml", "-o", "silent.mp4", "-q"]),
        0
    );
    let scene = |series: &str| plot(100, 50, 1.0, "xlim = [0, 1]\nylim = [-1, 1]", series);
    let cases: &[(&str, &[&str])] = &[
        (
            "{ sound = \"missing.wav\" }",
            &["missing.wav", "scene.toml:8:21"],
        ),
        (
            "{ sound = \"empty.wav\" }",
            &["empty.wav", "scene.toml:8:21"],
        ),
        (
            "{ sound = \"corrupt.wav\" }",
            &["corrupt.wav", "scene.toml:8:21"],
        ),
        (
            "{ sound = \"silent.mp4\" }",
            &["no audio stream", "scene.toml:8:21"],
        ),
        (
            "{ sound = \"a.wav\", draw = \"spectrum\", window = 8 }",
            &["`window` is 8 samples", "scene.toml:8:"],
        ),
        (
            "{ sound = \"a.wav\", block = 0 }",
            &["`block` is 0 seconds", "scene.toml:8:"],
        ),
        (
            "{ sound = \"a.wav\", draw = \"spectrum\", reveal = \"x <= t\" }",
            &["`reveal` is not for a spectrum", "scene.toml:8:"],
        ),
        (
            "{ sound = \"a.wav\", y = \"amp\" }",
            &["`y` is not for a sound series", "scene.toml:8:"],
        ),
        (
            "{ sound = \"a.wav\", db = false }",
            &["`db` is not for a sound series", "scene.toml:8:"],
        ),
        (
            "{ sound = \"a.wav\", draw = \"loudness\" }",
            &["loudness", "scene.toml:8:"],
        ),
        (
            "{ y = \"sin(x)\", draw = \"rms\" }",
            &["give `sound` too", "scene.toml:8:"],
        ),
        ("{ sound = \"a.wav\", block = 0.0000001 }", &[]),
    ];
    for (series, says) in cases {
        sb.write("scene.toml", scene(series));
        let r = sb.run(&["check", "scene.toml"]);
        if says.is_empty() {
            // A block shorter than a sample is one sample.
            assert_exit!(r, 0);
            continue;
        }
        assert_exit!(r, 2);
        for s in *says {
            assert_stderr!(r, s);
        }
    }
    // A waveform with more points than a plot may hold is refused, not drawn: 45 s of
    // silence in blocks of one sample are 4.32 million points.
    write_wav(&sb.path("long.wav"), 48000, 1, &vec![0.0; 45 * 48000]);
    sb.write(
        "scene.toml",
        scene("{ sound = \"long.wav\", block = 0.00002 }"),
    );
    let r = sb.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "4320000 points", "larger `block`", "scene.toml:8:");
}
