//! Hostile input: scenes wrong in some absurd way must get a clear error with its place
//! in the file (exit code 2), never a panic, a hang or exhausted memory. One regression
//! test per bug found, named after it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{assert_px, read_png, Run, Sandbox};
use crate::{assert_exit, assert_stderr};

/// How long one run may take in the debug build before it counts as a hang.
const DEADLINE: Duration = Duration::from_secs(20);

/// Runs the binary with a deadline; output goes to files so that a huge message
/// cannot block the child on a full pipe.
pub fn run_bounded(s: &Sandbox, args: &[&str]) -> Result<Run, String> {
    let out = std::fs::File::create(s.path("stdout.txt")).unwrap();
    let err = std::fs::File::create(s.path("stderr.txt")).unwrap();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(args)
        .current_dir(s.path(""))
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err))
        .spawn()
        .expect("run animate");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no answer after {:?}", DEADLINE));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let read =
        |name: &str| String::from_utf8_lossy(&std::fs::read(s.path(name)).unwrap()).into_owned();
    #[cfg(unix)]
    if let Some(sig) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return Err(format!("killed by signal {sig}\n{}", read("stderr.txt")));
    }
    Ok(Run {
        code: status.code().unwrap_or(-1),
        stdout: read("stdout.txt"),
        stderr: read("stderr.txt"),
    })
}

/// The start of a long text, for failure messages.
pub fn short(text: &str) -> String {
    if text.len() <= 3000 {
        return text.to_string();
    }
    let mut end = 3000;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// Runs `args` on `scene` and returns the run, failing on a crash or a hang.
fn run_scene(scene: &str, args: &[&str]) -> Run {
    let s = Sandbox::new();
    s.write("scene.toml", scene);
    run_bounded(&s, args).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn regression_grid_spacing_overflow() {
    // A one-cell grid ignores its spacing; adding it after the last cell overflowed.
    let one = "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\n\
               [clip.main]\nkind = \"grid\"\nrows = [[\"a\"]]\nspacing = 4294967295\n";
    assert_exit!(
        run_scene(one, &["frame", "scene.toml", "-t", "0", "-o", "f.png"]),
        0
    );
    let two = one.replace("[[\"a\"]]", "[[\"a\", \"a\"]]");
    let r = run_scene(&two, &["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "the grid is too large", "--> scene.toml:7:8");
}

/// A 2x2 red clip called `a` lasting `duration`, then `rest`.
fn red(duration: &str, rest: &str) -> String {
    format!(
        "[clip.a]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = {duration}\n{rest}"
    )
}

#[test]
fn regression_endless_durations_are_refused() {
    // Each of these asked for more than u64::MAX frames: the render never ended.
    let cases = [
        (red("1e300", ""), "duration 1e300 s is too long", "scene.toml:5:12"),
        (
            red("1", "[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\", start = 1e300 }]\n"),
            "start: 1e300 s is outside 0..86400 s",
            "scene.toml:8:33",
        ),
        (
            red("1", "[clip.main]\nkind = \"composite\"\nlayers = [{ clip = \"a\", duration = 1e300 }]\n"),
            "the layer's end: 1e300 s is outside",
            "scene.toml:8:36",
        ),
        (
            red("86400", "[clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"a\"]\n"),
            "the sequence is too long: duration 172800 s is too long",
            "scene.toml:8:9",
        ),
        (
            red("1", "[clip.main]\nkind = \"sequence\"\nclips = [\"a\", \"a\"]\npadding = 1e300\n"),
            "padding: 1e300 s is outside",
            "scene.toml:9:11",
        ),
        (
            "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{ subclip = [0, 1e300] }]\n".to_string(),
            "the result is too long",
            "scene.toml:5:24",
        ),
    ];
    for (scene, message, place) in cases {
        let r = run_scene(&scene, &["render", "scene.toml", "-o", "out.gif"]);
        assert_exit!(r, 2);
        assert_stderr!(r, message, place);
    }
}

/// `n` clips, each made `from` the next one with `effects`, declared so that resolving
/// the first recurses through all of them; the last is a colour.
fn from_chain(n: usize, effects: &str) -> String {
    let mut s = String::from("[output]\nroot = \"k0\"\n");
    for i in 0..n {
        s += &format!(
            "[clip.k{i}]\nfrom = \"k{}\"\neffects = [{effects}]\n",
            i + 1
        );
    }
    s + &format!("[clip.k{n}]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 1\n")
}

#[test]
fn regression_deep_from_chain_overflowed_the_stack() {
    // 10 000 links aborted with a stack overflow (signal 6) while resolving.
    let r = run_scene(&from_chain(10_000, ""), &["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "clips are nested more than 256 deep", "--> scene.toml:");
    // At the limit the chain resolves and renders.
    let r = run_scene(
        &from_chain(255, "\"invert\""),
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"],
    );
    assert_exit!(r, 0);
}

#[test]
fn regression_long_effect_list_overflowed_render_threads() {
    // 20 000 effects on one clip overflowed a render thread's stack; 100 000 took
    // minutes first (every effect asked the whole chain below it whether it is a mask).
    let effects = vec!["\"invert\""; 20_000].join(", ");
    let scene = format!(
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\neffects = [{effects}]\n"
    );
    let r = run_scene(&scene, &["frame", "scene.toml", "-t", "0", "-o", "f.png"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "effects and clips are nested more than 256 deep here",
        "--> scene.toml:5:"
    );
}

/// Grids `fan1`…`fanN` each showing the one below twice, at a fixed small size.
fn fan_out(n: usize) -> String {
    let mut s = format!("[output]\nroot = \"fan{n}\"\n[clip.fan0]\nkind = \"color\"\ncolor = \"red\"\nsize = [2, 2]\nduration = 0.1\n");
    for i in 1..=n {
        s += &format!(
            "[clip.fan{i}]\nkind = \"grid\"\nrows = [[\"fan{0}\", \"fan{0}\"]]\nwidth = 2\n",
            i - 1
        );
    }
    s
}

#[test]
fn regression_shared_clips_fanning_out_hung() {
    // 40 levels draw 2^40 clips a frame: the render (and `animate check`) never ended.
    let r = run_scene(&fan_out(40), &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "would draw 131070 clips or more",
        "at most 100000",
        "--> scene.toml:"
    );
    // Below the limit `check` lists a shared clip's inside once.
    let r = run_scene(&fan_out(15), &["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(r.stdout.lines().count() < 100, "{}", r.stdout);
    assert!(r.stdout.contains("(as above)"), "{}", r.stdout);
}

#[test]
fn regression_tiny_font_size_or_line_spacing_panicked_the_shaper() {
    // A line height or font size that is 0 in f32 tripped an assertion in cosmic-text.
    let text = |keys: &str| format!("[clip.main]\nkind = \"text\"\ntext = \"汉字\"\n{keys}\n");
    let r = run_scene(
        &text("line_spacing = 5e-324"),
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"],
    );
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "line_spacing must be at least 0.01, not 5e-324",
        "--> scene.toml:4:16"
    );
    let r = run_scene(
        &text("font_size = 1e-300"),
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"],
    );
    assert_exit!(r, 2);
    assert_stderr!(r, "font_size must be at least 1", "--> scene.toml:4:13");
}

#[test]
fn regression_animated_resize_and_margin_beyond_their_samples_took_gigabytes() {
    // The canvas is sized from values sampled at 30 fps; rendered at 1000 fps these
    // expressions of `fps` went far beyond it and each frame allocated up to 16384 px
    // a side (resize: 27 s and 2.5 GB for two 1000x1000 frames in the debug build).
    let s = Sandbox::new();
    let scene =
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [1000, 1000]\nduration = 1\n\
                 effects = [{ resize = \"fps / 30\" }]\n";
    s.write("scene.toml", scene);
    let args = [
        "render",
        "scene.toml",
        "-o",
        "out/",
        "--fps",
        "1000",
        "--duration",
        "0.002",
    ];
    assert_exit!(run_bounded(&s, &args).unwrap(), 0);
    let f = read_png(&s.path("out/0001.png"));
    assert_eq!(f.dimensions(), (1000, 1000));
    assert_px(&f, 0, 0, [255, 0, 0, 255], 0);
    assert_px(&f, 999, 999, [255, 0, 0, 255], 0);

    // A margin growing with fps: at 1000 fps the framing is 16004 px wide and its
    // middle (all margin) shows in the 484 px canvas.
    let scene = "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [4, 40]\nduration = 1\n\
                 effects = [{ margin = { left = \"fps * 16\", color = \"white\" } }]\n";
    s.write("scene.toml", scene);
    let _ = std::fs::remove_dir_all(s.path("out"));
    assert_exit!(run_bounded(&s, &args).unwrap(), 0);
    let f = read_png(&s.path("out/0001.png"));
    assert_eq!(f.dimensions(), (484, 40));
    assert!(f.pixels().all(|p| p.0 == [255, 255, 255, 255]));
    // At 25 fps the same scene frames the clip 400 px from the left, centred.
    s.write("scene.toml", scene);
    let r = run_bounded(&s, &["frame", "scene.toml", "-t", "0", "-o", "f.png"]).unwrap();
    assert_exit!(r, 0);
    let f = read_png(&s.path("f.png"));
    assert_px(&f, 440, 20, [255, 0, 0, 255], 0);
    assert_px(&f, 439, 20, [255, 255, 255, 255], 0);
    assert_px(&f, 39, 20, [0, 0, 0, 255], 0);
}

/// A GIF with a `w`x`h` screen and `n` frames of one pixel each, 20 ms apart: a few
/// bytes per frame, each composited onto the whole screen when decoded.
fn gif_of_tiny_frames(w: u16, h: u16, n: usize) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&w.to_le_bytes());
    g.extend_from_slice(&h.to_le_bytes());
    g.extend_from_slice(&[0xF0, 0, 0, 0, 0, 0, 255, 255, 255]);
    for _ in 0..n {
        g.extend_from_slice(&[0x21, 0xF9, 4, 0, 2, 0, 0, 0]);
        g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
        g.extend_from_slice(&[2, 2, 0x44, 0x01, 0]);
    }
    g.push(0x3B);
    g
}

#[test]
fn regression_gif_of_many_tiny_frames_on_a_large_screen_took_hours() {
    // 2 KB: 100 frames of 1 pixel on a 4000x4000 screen, each decoded to 64 MB; a
    // 46 KB file of 2000 such frames on 8000x8000 took 23 minutes to load.
    let s = Sandbox::new();
    s.write("bomb.gif", gif_of_tiny_frames(4000, 4000, 100));
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"file\"\npath = \"bomb.gif\"\n",
    );
    let r = run_bounded(&s, &["check", "scene.toml"]).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "bomb.gif has too many frames for its 4000x4000 screen",
        "more than 4 GiB (frame 68)",
        "--> scene.toml:3:8"
    );
    // The same frames on a small screen are an ordinary animation.
    s.write("bomb.gif", gif_of_tiny_frames(40, 40, 100));
    let r = run_bounded(&s, &["check", "scene.toml"]).unwrap();
    assert_exit!(r, 0);
    assert!(
        r.stdout.contains("gif  40x40  0.00..2.00 s"),
        "{}",
        r.stdout
    );
}

#[test]
#[cfg(unix)]
fn regression_endless_scene_file_filled_the_memory() {
    // `animate check /dev/zero` read until the memory was gone.
    let s = Sandbox::new();
    let r = run_bounded(&s, &["check", "/dev/zero"]).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read scene file /dev/zero: it is larger than 16 MiB"
    );
    s.write("latin1.toml", b"[clip.main] # caf\xe9\n");
    let r = run_bounded(&s, &["check", "latin1.toml"]).unwrap();
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "cannot read scene file latin1.toml: it is not UTF-8 text"
    );
}
