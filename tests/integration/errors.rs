//! Every scene error: exit code 2, a clear message, and the line:col of the problem.

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// Checks `scene` and returns the run, expecting a scene error.
fn bad(scene: &str) -> crate::util::Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    r
}

const RED: &str = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n";

#[test]
fn toml_syntax_error_has_position() {
    let r = bad("[clip.main\nkind = \"color\"\n");
    assert_stderr!(r, "TOML syntax", "scene.toml:1:");
}

#[test]
fn unknown_key_suggests_the_closest() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduraton = 1\n");
    assert_stderr!(
        r,
        "unknown key `duraton`",
        "scene.toml:5:1",
        "did you mean `duration`?"
    );
}

#[test]
fn unknown_top_level_table() {
    let r = bad(&format!("[ouput]\nfps = 2\n{RED}"));
    assert_stderr!(
        r,
        "unknown table `ouput`",
        "scene.toml:1:2",
        "did you mean `output`?"
    );
}

#[test]
fn wrong_type_points_at_value() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = \"big\"\n");
    assert_stderr!(r, "invalid type", "scene.toml:4:8");
}

#[test]
fn unknown_clip_name() {
    let r = bad(&format!(
        "{RED}[clip.top]\nkind = \"grid\"\nrows = [[\"mian\"]]\n"
    ));
    assert_stderr!(
        r,
        "unknown clip `mian`",
        "scene.toml:7:10",
        "did you mean `main`?"
    );
}

#[test]
fn unknown_kind() {
    let r = bad("[clip.main]\nkind = \"colour\"\n");
    assert_stderr!(
        r,
        "unknown clip kind `colour`",
        "scene.toml:2:8",
        "did you mean `color`?"
    );
}

#[test]
fn cycle_is_named() {
    let r = bad("[clip.a]\nkind = \"grid\"\nrows = [[\"b\"]]\n[clip.b]\nkind = \"sequence\"\nclips = [\"a\"]\n");
    assert_stderr!(r, "cycle: a → b → a", "scene.toml:6:");
}

#[test]
fn negative_duration() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = -1\n");
    assert_stderr!(r, "duration must be greater than 0", "scene.toml:5:12");
}

#[test]
fn zero_size() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [0, 2]\n");
    assert_stderr!(r, "the width must be at least 1, not 0", "scene.toml:4:9");
}

/// Regression: serde's `[u32; 2]` read two values and ignored the rest.
#[test]
fn a_pair_with_three_values() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 4, 4]\n");
    assert_stderr!(
        r,
        "expected two values [a, b], not 3 values",
        "scene.toml:4:8"
    );
}

/// Regression: errors said `expected u32` and `expected struct LayerSpec`.
#[test]
fn wrong_types_are_named_in_scene_words() {
    let r = bad(&format!("{RED}[output]\nrepeat = -1\n"));
    assert_stderr!(
        r,
        "expected a whole number from 0 to 65535",
        "scene.toml:6:10"
    );
    assert!(!r.stderr.contains("u16"), "{}", r.stderr);
    let r = bad(&format!(
        "{RED}[clip.top]\nkind = \"composite\"\nlayers = [\"main\"]\n"
    ));
    assert_stderr!(r, "expected a table", "scene.toml:7:");
    assert!(!r.stderr.contains("LayerSpec"), "{}", r.stderr);
}

#[test]
fn a_size_in_fractions_of_a_pixel() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4.5, 4]\n");
    assert_stderr!(r, "whole number of pixels", "scene.toml:4:9");
}

#[test]
fn absurd_size_is_refused_before_rendering() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [100000, 2]\n");
    assert_stderr!(r, "too large", "16384", "scene.toml:4:8");
}

#[test]
fn fps_must_be_positive_and_bounded() {
    let r = bad(&format!("[output]\nfps = 0\n{RED}"));
    assert_stderr!(r, "fps must be greater than 0", "scene.toml:2:7");
    let r = bad(&format!("[output]\nfps = 5000\n{RED}"));
    assert_stderr!(r, "too high", "scene.toml:2:7");
}

#[test]
fn unknown_colour() {
    let r = bad("[clip.main]\nkind = \"color\"\ncolor = \"gren\"\nsize = [2, 2]\n");
    assert_stderr!(
        r,
        "unknown colour `gren`",
        "did you mean `green`?",
        "scene.toml:3:9"
    );
}

#[test]
fn several_clips_without_main_need_a_root() {
    let r = bad(
        &format!("{RED}[clip.other]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n")
            .replace("clip.main", "clip.one"),
    );
    assert_stderr!(r, "none is called `main`", "root =");
}

#[test]
fn unbounded_root_needs_a_duration_to_render() {
    let s = Sandbox::new();
    s.write("scene.toml", RED);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "has no end", "--duration");
    assert!(!s.path("out.gif").exists());
}

#[test]
fn missing_scene_file() {
    let s = Sandbox::new();
    let r = s.run(&["check", "nope.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "cannot read scene file nope.toml");
}

/// Regression: `loop` on a still image pointed at `path`.
#[test]
fn loop_on_a_still_points_at_loop() {
    let s = Sandbox::new();
    s.write_picture("a.png", 2, 2, [0, 0, 0, 255]);
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"a.png\"\nloop = true\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "`loop` is for animations", "scene.toml:4:8");
}

/// Regression: a folder given as a file said only "Is a directory".
#[test]
fn a_folder_where_a_file_is_expected() {
    let s = Sandbox::new();
    std::fs::create_dir(s.path("shots.png")).unwrap();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"shots.png\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "is a folder, not a file",
        "kind = \"images\"",
        "scene.toml:3:8"
    );
}

#[test]
fn regression_an_argument_beside_its_effect_said_only_one_effect_per_table() {
    let r = bad(&format!(
        "{RED}effects = [{{ mask_color = \"green\", thr = 3 }}]\n"
    ));
    assert_stderr!(
        r,
        "`thr` is a second key: an effect's arguments go in a table of their own",
        "scene.toml:5:12"
    );
    let r = bad(&format!(
        "{RED}effects = [{{ mask_color = \"green\", gaussian_blur = 3 }}]\n"
    ));
    assert_stderr!(
        r,
        "`gaussian_blur` is a second effect: write each effect as its own entry"
    );
}

#[test]
fn moviepy_names_are_answered_with_the_animate_name() {
    let r = bad("[clip.main]\nkind = \"clips_array\"\n");
    assert_stderr!(
        r,
        "unknown clip kind `clips_array`",
        "did you mean `grid`? (MoviePy's `clips_array` is `grid` here)"
    );
    let r = bad(&format!("{RED}effects = [\"blur\"]\n"));
    assert_stderr!(
        r,
        "unknown effect `blur`",
        "(MoviePy's `blur` is `gaussian_blur` here)"
    );
    let r = bad("[clip.main]\nkind = \"text\"\ntext = \"hi\"\npos = \"center\"\n");
    assert_stderr!(r, "unknown key `pos`", "`position` of a composite's layer");
    let r = bad(&format!(
        "{RED}effects = [{{ resize = {{ newsize = 2 }} }}]\n"
    ));
    assert_stderr!(r, "(MoviePy's `newsize` is `width` and `height` here)");
}

#[test]
fn regression_a_tiny_fps_made_a_render_1e300_seconds_long() {
    // `fps = 1e-300` passed every check: one frame "lasting" 1e300 s, a GIF delay
    // silently cut to 655.35 s, libx264 failing late with exit code 1.
    let r = bad(&format!("[output]\nfps = 1e-300\n{RED}"));
    assert_stderr!(
        r,
        "fps 1e-300 is too low: one frame would last 1e300 s, and a frame may last at most 655.35 s (fps at least 1/655.35, about 0.001526)",
        "scene.toml:2:7"
    );
    let r = bad("[clip.main]\nkind = \"images\"\nfiles = \"f*.png\"\nfps = 0.001\n");
    assert_stderr!(r, "fps 0.001 is too low", "scene.toml:4:7");

    let s = Sandbox::new();
    s.write("scene.toml", format!("[output]\nduration = 0.4\n{RED}"));
    for out in ["q.gif", "q.mp4"] {
        let r = s.run(&["render", "scene.toml", "-o", out, "--fps", "1e-300"]);
        assert_exit!(r, 2);
        assert_stderr!(r, "fps 1e-300 is too low", "--fps");
        assert!(!s.path(out).exists());
    }
    // The slowest rate allowed renders; a scene shorter than a frame says so.
    let r = s.run(&["render", "scene.toml", "-o", "q.gif", "--fps", "0.0016667"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the render lasts 0.4 s, less than one frame at 0.0016667 fps: its one frame lasts 599.988 s",
        "raise the fps to at least 2.5"
    );
    let frames = crate::util::read_gif(&s.path("q.gif"));
    assert_eq!(frames.len(), 1);
    // 599.988 s, in hundredths.
    assert_eq!(frames[0].1, 59999);
    s.write(
        "scene.toml",
        format!("[output]\nduration = 0.4\nfps = 2\n{RED}"),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(
        r,
        "warning: the render lasts 0.4 s, less than one frame at 2 fps: its one frame lasts 0.5 s"
    );
    s.write(
        "scene.toml",
        format!("[output]\nduration = 0.5\nfps = 2\n{RED}"),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn the_slowest_gif_plays_at_its_own_rate() {
    // Two GIF frames of 655.35 s each, the longest a GIF delay can be: a content rate
    // of 1/655.35 fps, the slowest allowed, so no warning. 2700 s at 1/655.35 fps are
    // round(4.12) = 4 frames (at the old floor of 1/600 fps, 5).
    let s = Sandbox::new();
    s.write_gif(
        "slow.gif",
        2,
        2,
        &[([255, 0, 0, 255], 65535), ([0, 0, 255, 255], 65535)],
    );
    s.write(
        "scene.toml",
        "[output]\nduration = 2700\n[clip.main]\nkind = \"file\"\npath = \"slow.gif\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("output: 2x2, 0.002 fps (the content's rate), 2700.00 s (4 frames)"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

/// An APNG of `delays.len()` 2x2 frames of different colours, each shown
/// `delays[i]` seconds (whole seconds: delay_num / 1).
fn write_slow_apng(s: &Sandbox, name: &str, delays: &[u16]) {
    let file = std::fs::File::create(s.path(name)).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 2, 2);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_animated(delays.len() as u32, 0).unwrap();
    let mut w = enc.write_header().unwrap();
    for (k, &secs) in delays.iter().enumerate() {
        w.set_frame_delay(secs, 1).unwrap();
        let c = [(k * 50) as u8, 255 - (k * 50) as u8, 0, 255];
        let px: Vec<u8> = (0..4).flat_map(|_| c).collect();
        w.write_image_data(&px).unwrap();
    }
    w.finish().unwrap();
}

/// Found by a tester: an APNG of five frames of 655 s each was 3275 s to `check`, but
/// its render lasted 3000 s: the content's rate (1/655 fps) was taken as the floor of
/// 1/600 fps, so five frames of 600 s were sampled from it (the first frame shown
/// twice, the last never). The floor is now a GIF's longest delay, 655.35 s.
#[test]
fn regression_a_slow_apng_was_3275_s_to_check_and_3000_s_rendered() {
    let s = Sandbox::new();
    write_slow_apng(&s, "slow.apng", &[655; 5]);
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"slow.apng\"\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.contains("3275.00 s (5 frames)"), "{}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let frames = crate::util::read_gif(&s.path("out.gif"));
    let delays: Vec<u16> = frames.iter().map(|f| f.1).collect();
    assert_eq!(delays, [65500; 5]);
    // Every frame of the file is shown once, in order.
    let greens: Vec<u8> = frames.iter().map(|f| f.0.get_pixel(0, 0)[1]).collect();
    assert_eq!(greens, [255, 205, 155, 105, 55]);
}

/// An APNG's frames may last longer than an output frame can (65535 s against
/// 655.35 s): both commands say so, naming the clip and the limit.
#[test]
fn an_apng_slower_than_the_slowest_rate_is_sampled_with_a_warning() {
    let s = Sandbox::new();
    write_slow_apng(&s, "slower.apng", &[1000; 3]);
    s.write(
        "scene.toml",
        "[clip.slow]\nkind = \"file\"\npath = \"slower.apng\"\n[clip.main]\nfrom = \"slow\"\n",
    );
    let warning = "warning: clip `slow` shows a frame every 1000 s on average, longer than an output \
                   frame may last (655.35 s, a GIF's longest delay): it is rendered at one frame every \
                   655.35 s, so its frames are sampled at that rate instead of keeping their own lengths";
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert_stderr!(r, warning);
    // 3000 s at 1/655.35 fps: round(4.58) = 5 frames.
    assert!(r.stdout.contains("3000.00 s (5 frames)"), "{}", r.stdout);
    let r = s.run(&["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert_stderr!(r, warning);
    assert_eq!(r.stderr.matches("warning").count(), 1, "{}", r.stderr);
    // Five frames of 655.35 s (a picture repeated may be written as one frame).
    let lasts: u32 = crate::util::read_gif(&s.path("out.gif"))
        .iter()
        .map(|f| u32::from(f.1))
        .sum();
    assert_eq!(lasts, 5 * 65535);
}

/// Regression (findings5 F-T): a huge number in a message was written out in full,
/// `subclip = [-1e308]` on a 2 s clip printing 309 digits. Numbers in messages are
/// compact (`base::limits::shown`, `shown_seconds`).
#[test]
fn regression_a_huge_number_in_a_message_was_written_out_in_full() {
    let clip = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 2\n";
    for (effect, said) in [
        (
            "{ subclip = [-1e308] }",
            "subclip start -1e308 s is outside the clip, which is 2 s long",
        ),
        (
            "{ subclip = [0.5, 1e300] }",
            "subclip end 1e300 s is outside the clip",
        ),
        (
            "{ freeze = { t = 1e300, duration = 1 } }",
            "freeze time 1e300 s is outside the clip 0..2",
        ),
    ] {
        let r = bad(&format!("{clip}effects = [{effect}]\n"));
        assert_stderr!(r, said);
        let digits = r
            .stderr
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max();
        assert!(digits < Some(20), "{}", r.stderr);
    }
}

/// Regression (findings5, smaller observations): `subclip = ["-0"]` was taken as 0, the
/// whole clip, where it reads as "0 s from the end". It is refused, with the ways to
/// write either meaning.
#[test]
fn regression_a_subclip_time_of_minus_zero_was_taken_as_the_start() {
    let clip = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 2\n";
    for (times, col) in [("[\"-0\"]", 25), ("[-0.0]", 25), ("[1, \"-0\"]", 28)] {
        let r = bad(&format!("{clip}effects = [{{ subclip = {times} }}]\n"));
        assert_stderr!(
            r,
            "a subclip time of -0 is 0, the clip's start, not its end",
            &format!("scene.toml:6:{col}"),
            "leave the end out: subclip = [start]"
        );
    }
}
