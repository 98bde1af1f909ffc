//! `kind = "program"` and `kind = "stdin"`: frames from programs written in sh, Perl and
//! Python's standard library, and what happens when they fail.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{assert_px, read_gif, read_png, Sandbox, DEADLINE};
use crate::{assert_exit, assert_stderr};

/// A stdlib-only PNG writer for the test programs: `png(w, h, [r, g, b, a])`.
const PNGW: &str = r#"
import struct, zlib
def png(w, h, rgba):
    row = b"\x00" + bytes(rgba) * w
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    head = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(row * h))
            + chunk(b"IEND", b""))
"#;

fn allowed(s: &Sandbox, args: &[&str]) -> crate::util::Run {
    let mut all = args.to_vec();
    all.push("--allow-programs");
    s.run_bounded(&all, None).unwrap_or_else(|e| panic!("{e}"))
}

/// Whether process `pid` still exists (a zombie counts: it is still in the table).
fn exists(pid: &str) -> bool {
    Path::new(&format!("/proc/{}", pid.trim())).exists()
}

fn read_pid(s: &Sandbox, name: &str) -> String {
    let started = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(s.path(name)) {
            if text.ends_with('\n') {
                return text.trim().to_string();
            }
        }
        assert!(started.elapsed() < DEADLINE, "{name} was never written");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Waits a little for a process that was just killed to leave the table.
fn gone(pid: &str) -> bool {
    let started = Instant::now();
    while exists(pid) {
        if started.elapsed() > Duration::from_secs(2) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

#[test]
fn raw_rgba_frames_arrive_at_their_times_and_stderr_is_forwarded() {
    let s = Sandbox::new();
    // Seven frames for a clip of five: the extra ones are ignored.
    s.write(
        "gen.py",
        r#"
import sys
w, h = int(sys.argv[1]), int(sys.argv[2])
for i in range(7):
    print(f"drawing {i}", file=sys.stderr, flush=True)
    sys.stdout.buffer.write(bytes([i * 40, 200 - i * 40, 9, 255]) * (w * h))
"#,
    );
    let scene = r#"
[output]
fps = 10
[clip.sim]
kind = "program"
run = ["python3", "gen.py", "{width}", "{height}"]
format = "rgba"
size = [4, 2]
fps = 5
duration = 1
"#;
    s.write("scene.toml", scene);
    let r = allowed(&s, &["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
    assert_stderr!(r, "sim: drawing 0", "sim: drawing 4");
    for j in 0..10u8 {
        let img = read_png(&s.path(&format!("frames/{j:04}.png")));
        let i = j / 2;
        assert_px(&img, 3, 1, [i * 40, 200 - i * 40, 9, 255], 0);
    }
    assert!(!s.path("frames/0010.png").exists());
}

#[test]
fn straight_alpha_survives_into_a_transparent_output() {
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 2
background = "transparent"
[clip.main]
kind = "program"
run = ["perl", "-e", "print pack('C*', (200, 100, 50, 128) x 4) for 1..2"]
format = "rgba"
size = [2, 2]
duration = 1
"#;
    s.write("scene.toml", scene);
    let r = allowed(&s, &["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
    assert_px(
        &read_png(&s.path("frames/0001.png")),
        1,
        1,
        [200, 100, 50, 128],
        1,
    );
}

#[test]
fn rgb_streams_from_perl_and_png_streams_from_python() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write(
        "pngs.py",
        "import sys\nfrom pngw import png\nfor i in range(3):\n    sys.stdout.buffer.write(png(3, 2, [10 + i, 20, 30, 255 - i]))\n",
    );
    let scene = r#"
[output]
fps = 3
background = "transparent"
[clip.rgb]
kind = "program"
run = ["perl", "-e", "for $i (0..2) { print pack('C*', ($i * 100, 50, 25) x 6) }"]
format = "rgb"
size = [3, 2]
duration = 1
[clip.png]
kind = "program"
run = ["python3", "pngs.py"]
size = [3, 2]
duration = 1
[clip.main]
kind = "grid"
rows = [["rgb", "png"]]
"#;
    s.write("scene.toml", scene);
    let r = allowed(&s, &["render", "scene.toml", "-o", "frames/"]);
    assert_exit!(r, 0);
    for i in 0..3u8 {
        let img = read_png(&s.path(&format!("frames/{i:04}.png")));
        assert_px(&img, 1, 1, [i * 100, 50, 25, 255], 0);
        assert_px(&img, 4, 1, [10 + i, 20, 30, 255 - i], 1);
    }
}

/// The per-frame program: a PNG whose red is the frame, green 100·t, blue the frame
/// count from the environment; every run is logged.
const FRAME_PY: &str = r#"
import os, sys
from pngw import png
t, frame, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open("runs.log", "a") as log:
    log.write(f"{frame} {sys.argv[1]}\n")
data = png(4, 4, [frame * 20, round(t * 100), int(os.environ["ANIMATE_FRAMES"]), 255])
if out == "-":
    sys.stdout.buffer.write(data)
else:
    open(out, "wb").write(data)
"#;

const EACH_SCENE: &str = r#"
[output]
fps = 10
[clip.main]
kind = "program"
each = "frame"
run = ["python3", "frame.py", "{t}", "{frame}", "{out}"]
size = [4, 4]
duration = 0.6
"#;

fn logged(s: &Sandbox) -> Vec<String> {
    let mut runs: Vec<String> = std::fs::read_to_string(s.path("runs.log"))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    runs.sort();
    runs
}

#[test]
fn per_frame_programs_get_the_time_of_every_frame() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write("frame.py", FRAME_PY);
    s.write("scene.toml", EACH_SCENE);
    let r = allowed(
        &s,
        &["render", "scene.toml", "-o", "frames/", "--threads", "2"],
    );
    assert_exit!(r, 0);
    for i in 0..6u8 {
        let img = read_png(&s.path(&format!("frames/{i:04}.png")));
        assert_px(&img, 2, 2, [i * 20, i * 10, 6, 255], 0);
    }
    let want: Vec<String> = ["0 0", "1 0.1", "2 0.2", "3 0.3", "4 0.4", "5 0.5"]
        .iter()
        .map(|x| x.to_string())
        .collect();
    assert_eq!(logged(&s), want);
}

#[test]
fn a_segment_runs_only_its_own_frames() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write("frame.py", FRAME_PY);
    s.write("scene.toml", EACH_SCENE);
    let r = allowed(
        &s,
        &["render", "scene.toml", "-o", "part/", "--segment", "2/2"],
    );
    assert_exit!(r, 0);
    assert_eq!(logged(&s), vec!["3 0.3", "4 0.4", "5 0.5"]);
}

#[test]
fn a_per_frame_program_may_write_its_png_on_stdout() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write("frame.py", FRAME_PY);
    s.write("scene.toml", EACH_SCENE.replace("\"{out}\"", "\"-\""));
    let r = allowed(&s, &["frame", "scene.toml", "-t", "0.35", "-o", "f.png"]);
    assert_exit!(r, 0);
    assert_px(&read_png(&s.path("f.png")), 0, 0, [60, 30, 6, 255], 0);
}

#[test]
fn programs_run_only_with_allow_programs_and_check_lists_them() {
    let s = Sandbox::new();
    s.write("gen.sh", "touch ran.txt\nprintf 'xxxx'\n");
    s.write(
        "scene.toml",
        r#"[clip.main]
kind = "program"
run = ["sh", "gen.sh"]
format = "rgba"
size = [1, 1]
duration = 0.04
"#,
    );
    for args in [
        &["render", "scene.toml", "-o", "out.gif"][..],
        &["frame", "scene.toml", "-t", "0", "-o", "f.png"][..],
    ] {
        let r = s.run(args);
        assert_exit!(r, 2);
        assert_stderr!(
            r,
            "clip `main` runs a program, `sh gen.sh`",
            "--allow-programs",
            "scene.toml:3:7"
        );
    }
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("main: sh gen.sh  (a stream of rgba frames, 1x1 at 25 fps, 0.04 s)"),
        "{}",
        r.stdout
    );
    let r = s.run(&["deps", "scene.toml"]);
    assert_exit!(r, 0);
    let deps: Vec<&str> = r.stdout.lines().collect();
    assert!(deps.len() == 2 && deps[1].ends_with("gen.sh"), "{deps:?}");
    assert!(
        !s.path("ran.txt").exists(),
        "a program ran without the flag"
    );
    assert!(!s.path("out.gif").exists() && !s.path("f.png").exists());
    // With the flag it runs.
    assert_exit!(allowed(&s, &["render", "scene.toml", "-o", "out.gif"]), 0);
    assert!(s.path("ran.txt").exists());
}

#[test]
fn placeholders_are_checked_where_they_are_written() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"program\"\nrun = [\"sh\", \"{t}\"]\nsize = [1, 1]\nduration = 1\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "the placeholder `{t}` is given only to a program run once per frame",
        "scene.toml:3:14"
    );
}

/// Renders a one-clip scene running `run` (a TOML array) for five 2x2 frames and
/// checks that it fails with exit 1 and no output, returning stderr.
fn fails(s: &Sandbox, run: &str, format: &str) -> String {
    s.write(
        "scene.toml",
        format!(
            "[output]\nfps = 10\n[clip.sim]\nkind = \"program\"\nrun = {run}\nformat = \"{format}\"\nsize = [2, 2]\nduration = 0.5\n"
        ),
    );
    let r = allowed(s, &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 1);
    assert!(
        !s.path("out.gif").exists(),
        "a failed render left its output"
    );
    r.stderr
}

#[test]
fn each_failure_names_the_clip_the_frame_and_the_last_lines_of_stderr() {
    let s = Sandbox::new();
    let e = fails(&s, r#"["no-such-program-here"]"#, "rgba");
    assert!(
        e.contains(
            "clip `sim`: cannot start the program `no-such-program-here` (needed for frame 0)"
        ),
        "{e}"
    );

    let e = fails(
        &s,
        r#"["sh", "-c", "echo oops, the model diverged >&2; exit 3"]"#,
        "rgba",
    );
    assert!(
        e.contains("clip `sim`: the program `sh -c 'echo oops, the model diverged >&2; exit 3'` ended with exit status 3 before frame 0 (t = 0.000 s)"),
        "{e}"
    );
    assert!(e.contains("  | oops, the model diverged"), "{e}");

    let e = fails(
        &s,
        r#"["perl", "-e", "print 'x' x 21; print STDERR qq(cut\n)"]"#,
        "rgba",
    );
    assert!(
        e.contains("cut frame 1 (t = 0.100 s) short: 5 of its 16 bytes came"),
        "{e}"
    );
    // The usual cause (a newcomer's progress print()) is named.
    assert!(
        e.contains("as a print(), is read as pixels: print to stderr"),
        "{e}"
    );
    assert!(e.contains("  | cut"), "{e}");

    let e = fails(&s, r#"["perl", "-e", "print 'x' x 32"]"#, "rgba");
    assert!(
        e.contains("gave 2 frames, but the clip needs 5 (0.5 s at 10 fps): frame 2 (t = 0.200 s) is missing"),
        "{e}"
    );
    assert!(e.contains("(it wrote nothing on stderr)"), "{e}");

    let e = fails(&s, r#"["sh", "-c", "echo hello, world"]"#, "png");
    assert!(
        e.contains("clip `sim`: frame 0 (t = 0.000 s) from the program"),
        "{e}"
    );
    assert!(e.contains("is wrong: it is not a PNG"), "{e}");
}

#[test]
fn a_silent_program_is_an_error_not_a_hang() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"program\"\nrun = [\"sleep\", \"300\"]\nformat = \"rgb\"\nsize = [2, 2]\nduration = 1\ntimeout = 0.5\n",
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 1);
    assert_stderr!(
        r,
        "the program `sleep 300` sent nothing for 0.5 s while frame 0"
    );
    assert!(!s.path("out.gif").exists());
}

/// A program that starts a helper in the background (which keeps the stream open),
/// then fails or waits.
const BACKGROUND: &str = "sleep 300 &\necho $! > bg.pid\necho $$ > sh.pid\n";

#[test]
fn after_an_error_no_process_is_left_behind() {
    let s = Sandbox::new();
    s.write(
        "fail.sh",
        format!("{BACKGROUND}echo giving up >&2\nexit 4\n"),
    );
    let e = fails(&s, r#"["sh", "fail.sh"]"#, "rgba");
    assert!(e.contains("ended with exit status 4 before frame 0"), "{e}");
    assert!(e.contains("  | giving up"), "{e}");
    for pid in ["bg.pid", "sh.pid"] {
        let pid = read_pid(&s, pid);
        assert!(gone(&pid), "process {pid} is still in the process table");
    }
}

#[test]
fn after_ctrl_c_no_process_is_left_behind() {
    for (args, output) in [
        (&["render", "scene.toml", "-o", "out.gif"][..], "out.gif"),
        (
            &["frame", "scene.toml", "-t", "0.5", "-o", "f.png"][..],
            "f.png",
        ),
    ] {
        let s = Sandbox::new();
        s.write("wait.sh", format!("{BACKGROUND}wait\n"));
        s.write(
            "scene.toml",
            "[clip.main]\nkind = \"program\"\nrun = [\"sh\", \"wait.sh\"]\nformat = \"rgb\"\nsize = [2, 2]\nduration = 1\n",
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
            .args(args)
            .arg("--allow-programs")
            .current_dir(s.path(""))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let bg = read_pid(&s, "bg.pid");
        let sh = read_pid(&s, "sh.pid");
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            assert!(
                started.elapsed() < DEADLINE,
                "{args:?} did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
        assert!(!s.path(output).exists());
        assert!(
            gone(&bg),
            "{args:?}: the program's helper {bg} outlived the render"
        );
        assert!(gone(&sh), "{args:?}: the program {sh} outlived the render");
    }
}

#[test]
fn a_stream_reversed_and_used_twice_shows_the_right_frames() {
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10
[clip.sim]
kind = "program"
run = ["perl", "-e", "for $i (0..9) { print pack('C*', ($i * 20, 7, 9) x 64) }"]
format = "rgb"
size = [8, 8]
duration = 1
[clip.back]
from = "sim"
effects = ["reverse"]
[clip.main]
kind = "sequence"
clips = ["back", "sim"]
"#;
    let frames = s.render_frames(scene, &["--allow-programs"]);
    assert_eq!(frames.len(), 20);
    for (j, img) in frames.iter().enumerate() {
        let i = if j < 10 { 9 - j } else { j - 10 } as u8;
        assert_px(img, 4, 4, [i * 20, 7, 9, 255], 0);
    }
}

/// Peak resident memory of `animate args…` (and its program) in bytes.
fn peak_rss(s: &Sandbox, args: &[&str]) -> u64 {
    // glibc raises its mmap threshold after the first large free, so later frames come
    // from per-thread heaps, which keep freed frames resident in amounts that depend on
    // thread timing (106–121 MB peaks on a quiet machine; one loaded full test run went
    // over the bound below). A fixed threshold returns every freed frame, so the figure
    // is what the render holds, not the allocator's leftovers.
    let (code, peak, stderr) = s.code_and_peak_with(args, &[("MALLOC_MMAP_THRESHOLD_", "131072")]);
    assert_eq!(code, 0, "render failed:\n{stderr}");
    peak
}

#[test]
fn a_long_stream_reversed_stays_within_the_memory_budget() {
    let s = Sandbox::new();
    // 160 frames of 640x480: 197 MB decoded, three times the 64 MiB the clip may hold.
    let scene = r#"
[output]
fps = 20
[clip.sim]
kind = "program"
run = ["python3", "-c", "import sys\nfor i in range(160): sys.stdout.buffer.write(bytes([i, 255 - i, 3]) * (640 * 480))"]
format = "rgb"
size = [640, 480]
duration = 8
[clip.main]
from = "sim"
effects = ["reverse"]
"#;
    s.write("scene.toml", scene);
    let args = [
        "render",
        "scene.toml",
        "-o",
        "small/",
        "--size",
        "32x24",
        "--allow-programs",
        "--threads",
        "2",
    ];
    let peak = peak_rss(&s, &args);
    let first = read_png(&s.path("small/0000.png"));
    let last = read_png(&s.path("small/0159.png"));
    assert_px(&first, 16, 12, [159, 96, 3, 255], 1);
    assert_px(&last, 16, 12, [0, 255, 3, 255], 1);
    assert!(
        peak < 150 << 20,
        "peak RSS {} MiB: the stream is not bounded by its cache",
        peak >> 20
    );
}

/// Runs `animate args…` with `input` on its standard input.
fn with_stdin(s: &Sandbox, args: &[&str], input: &[u8]) -> crate::util::Run {
    s.write("input.bin", input);
    let out = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(args)
        .current_dir(s.path(""))
        .stdin(std::fs::File::open(s.path("input.bin")).unwrap())
        .output()
        .unwrap();
    crate::util::Run::from(out)
}

#[test]
fn stdin_frames_render_end_to_end() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        r#"
[output]
fps = 4
[clip.piped]
kind = "stdin"
format = "rgb"
size = [2, 2]
duration = 1
[clip.main]
kind = "composite"
size = [4, 2]
layers = [{ clip = "piped" }, { clip = "piped", position = [2, 0] }]
"#,
    );
    let input: Vec<u8> = (0..4u8).flat_map(|i| [i * 60, 1, 2].repeat(4)).collect();
    let r = with_stdin(&s, &["render", "scene.toml", "-o", "out.gif"], &input);
    assert_exit!(r, 0);
    let frames = read_gif(&s.path("out.gif"));
    assert_eq!(frames.len(), 4);
    for (i, (img, _)) in frames.iter().enumerate() {
        assert_px(img, 3, 1, [i as u8 * 60, 1, 2, 255], 2);
    }
    // Too little on stdin fails like a program that wrote too little.
    let r = with_stdin(
        &s,
        &["render", "scene.toml", "-o", "short.gif"],
        &input[..24],
    );
    assert_exit!(r, 1);
    assert_stderr!(r, "clip `piped`: standard input gave 2 frames, but the clip needs 4 (1 s at 4 fps): frame 2 (t = 0.500 s) is missing");
    assert!(!s.path("short.gif").exists());
}

#[test]
fn only_one_clip_reads_stdin_and_not_when_the_scene_comes_from_it() {
    let s = Sandbox::new();
    let one = "[clip.a]\nkind = \"stdin\"\nformat = \"rgb\"\nsize = [2, 2]\nduration = 1\n";
    s.write(
        "scene.toml",
        format!("{one}{}", one.replace("clip.a", "clip.b")),
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(r, "a second clip reads standard input", "scene.toml:6:1");
    // A scene on stdin (`-`) with a stdin clip is refused: stdin cannot carry both.
    let r = with_stdin(&s, &["render", "-", "-o", "out.gif"], one.as_bytes());
    assert_exit!(r, 2);
    assert_stderr!(r, "the scene is read from standard input (`-`)");
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The share of a frame's pixels where red leads green: the zombies.
fn red_share(img: &image::RgbaImage) -> f64 {
    let red = img.pixels().filter(|p| p[0] > p[1]).count();
    red as f64 / img.pixels().len() as f64
}

// svm.toml needs scikit-learn and matplotlib (`make svm-demo`): it is not rendered here,
// only checked with the other example scenes (scenes.rs), which runs no program.
#[test]
fn the_outbreak_example_renders_with_python_alone() {
    let s = Sandbox::new();
    let r = allowed(
        &s,
        &["render", &example("outbreak.toml"), "-o", "frames/", "-q"],
    );
    assert_exit!(r, 0);
    let first = read_png(&s.path("frames/0000.png"));
    let last = read_png(&s.path("frames/0079.png"));
    assert!(!s.path("frames/0080.png").exists());
    let (before, after) = (red_share(&first), red_share(&last));
    assert!(before < 0.01, "day 1 shows zombies everywhere: {before}");
    assert!(
        after > 0.2,
        "the outbreak did not spread: {before} → {after}"
    );
}

#[test]
fn the_per_frame_example_draws_the_mandelbrot_set() {
    let s = Sandbox::new();
    let r = allowed(
        &s,
        &[
            "frame",
            &example("mandelbrot.toml"),
            "-t",
            "0",
            "-o",
            "m.png",
        ],
    );
    assert_exit!(r, 0);
    let img = read_png(&s.path("m.png"));
    assert_px(&img, 109, 54, [0, 0, 0, 255], 0); // inside the main cardioid
    assert_ne!(img.get_pixel(2, 118).0, [0, 0, 0, 255]); // far outside
}

#[test]
fn huge_stream_frames_are_refused_before_anything_runs() {
    let s = Sandbox::new();
    // 1 GiB frames: two kept, three read ahead, past the 4 GiB every clip shares.
    s.write(
        "scene.toml",
        "[clip.a]\nkind = \"program\"\nrun = [\"touch\", \"ran\"]\nformat = \"rgba\"\nsize = [16384, 16384]\nduration = 1\n",
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "would take",
        "MiB of memory with this one",
        "scene.toml:5:8"
    );
    assert!(!s.path("ran").exists());
}

#[test]
fn a_stream_without_a_duration_lasts_until_its_program_ends() {
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10
[clip.sim]
kind = "program"
run = ["perl", "-e", "for $i (0..6) { print pack('C*', ($i * 30, 7, 9) x 4) }"]
format = "rgb"
size = [2, 2]
[clip.main]
kind = "sequence"
clips = ["sim", "back"]
[clip.back]
from = "sim"
effects = [{ subclip = [0, 0.7] }, "reverse"]
"#;
    // `check` runs nothing, so it cannot know the length: shown alone, the clip has none.
    s.write(
        "alone.toml",
        "[clip.sim]\nkind = \"program\"\nrun = [\"perl\", \"x.pl\"]\nformat = \"rgb\"\nsize = [2, 2]\nfps = 10\n",
    );
    let r = s.run(&["check", "alone.toml"]);
    assert_exit!(r, 0);
    assert!(
        r.stdout
            .contains("length known when the program of `sim` ends (render with --allow-programs)")
            && r.stdout.contains("2x2 at 10 fps, until the program ends)"),
        "{}",
        r.stdout
    );
    let frames = s.render_frames(scene, &["--allow-programs"]);
    assert_eq!(frames.len(), 14);
    for (j, img) in frames.iter().enumerate() {
        let i = if j < 7 { j } else { 13 - j } as u8;
        assert_px(img, 1, 1, [i * 30, 7, 9, 255], 0);
    }
    // Read while the scene loads, a failure is still a failed render.
    s.write(
        "scene.toml",
        scene.replace(
            "(0..6) {",
            "(0..6) { print STDERR qq(no more\\n); exit 5 } for (1) {",
        ),
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 1);
    assert_stderr!(
        r,
        "clip `sim`: the program",
        "ended with exit status 5 before frame 0",
        "  | no more"
    );
    assert!(!s.path("out.gif").exists());
    // Duration and frame count are not known to such a program.
    s.write("scene.toml", scene.replace("(0..6)", "(1..{frames})"));
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "`{frames}` is not known for a stream without a `duration`",
        "scene.toml:6:"
    );
}

#[test]
fn a_script_named_with_a_slash_is_the_scene_folders_and_make_sees_it() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write("frame.py", FRAME_PY);
    // The scene sits in scenes/ with its script; animate runs from the sandbox's top.
    s.write(
        "scenes/draw.sh",
        "#!/bin/sh\ncd ..\nexec python3 frame.py \"$@\"\n",
    );
    std::fs::set_permissions(
        s.path("scenes/draw.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    s.write(
        "scenes/scene.toml",
        EACH_SCENE.replace("\"python3\", \"frame.py\"", "\"./draw.sh\""),
    );
    let r = s.run(&["deps", "scenes/scene.toml"]);
    assert_exit!(r, 0);
    assert_eq!(r.stdout, "scenes/scene.toml\nscenes/draw.sh\n");
    let r = allowed(
        &s,
        &["frame", "scenes/scene.toml", "-t", "0.2", "-o", "f.png"],
    );
    assert_exit!(r, 0);
    assert_px(&read_png(&s.path("f.png")), 0, 0, [40, 20, 6, 255], 0);
}

#[test]
fn per_frame_runs_go_at_once_on_two_threads() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write("frame.py", FRAME_PY);
    // Each run waits (up to 10 s) until another run has started: the first runs meet
    // only if they run at the same time; a run that waited in vain says so.
    s.write(
        "meet.sh",
        "touch running.$ANIMATE_FRAME\nn=0\nwhile [ $(ls running.* | wc -l) -lt 2 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done\n\
         [ $n -lt 200 ] || touch alone.$ANIMATE_FRAME\nexec python3 frame.py \"$@\"\n",
    );
    s.write(
        "scene.toml",
        EACH_SCENE.replace("\"python3\", \"frame.py\"", "\"sh\", \"meet.sh\""),
    );
    let r = allowed(
        &s,
        &["render", "scene.toml", "-o", "frames/", "--threads", "2"],
    );
    assert_exit!(r, 0);
    assert_eq!(logged(&s).len(), 6);
    let alone: Vec<String> = s
        .files()
        .into_iter()
        .filter(|f| f.starts_with("alone"))
        .collect();
    assert!(alone.is_empty(), "runs that never met another: {alone:?}");
}

#[test]
fn an_error_elsewhere_stops_a_running_program() {
    let s = Sandbox::new();
    s.write("pngw.py", PNGW);
    s.write("frame.py", FRAME_PY);
    // `a` gives its first frame, then waits; `b` fails on the second frame.
    s.write(
        "first.sh",
        format!("{BACKGROUND}printf 'abcdefghijkl'\nwait\n"),
    );
    s.write(
        "scene.toml",
        r#"
[output]
fps = 10
[clip.a]
kind = "program"
run = ["sh", "first.sh"]
format = "rgb"
size = [2, 2]
duration = 1
[clip.b]
kind = "program"
each = "frame"
run = ["sh", "-c", "test {frame} = 0 && exec python3 frame.py {t} {frame} {out}; echo b gives up >&2; exit 9"]
size = [4, 4]
duration = 1
[clip.main]
kind = "composite"
size = [4, 4]
layers = [{ clip = "b" }, { clip = "a" }]
"#,
    );
    let r = allowed(
        &s,
        &["render", "scene.toml", "-o", "out.gif", "--threads", "1"],
    );
    assert_exit!(r, 1);
    assert_stderr!(
        r,
        "clip `b`:",
        "ended with exit status 9 on frame 1",
        "  | b gives up"
    );
    assert!(!s.path("out.gif").exists());
    for pid in ["bg.pid", "sh.pid"] {
        let pid = read_pid(&s, pid);
        assert!(
            gone(&pid),
            "clip a's process {pid} outlived the failed render"
        );
    }
}

/// A stream program that writes only frames `first..=last` (its arguments), each a
/// colour of its index, and logs what it was told in arguments and environment.
const SKIPPING_PY: &str = r#"
import os, sys
w, h, first, last = (int(a) for a in sys.argv[1:5])
with open("told.log", "a") as log:
    log.write(f"{first} {last} {os.environ['ANIMATE_FIRST']} {os.environ['ANIMATE_LAST']}\n")
for i in range(first, last + 1):
    sys.stdout.buffer.write(bytes([i * 10, 255 - i * 10, 7]) * (w * h))
"#;

/// A red second, then the program's 2 s clip (20 frames at 10 fps), maybe reversed.
fn skipping_scene(effects: &str) -> String {
    format!(
        r#"
[output]
fps = 10
[clip.lead]
kind = "color"
color = "red"
size = [6, 4]
duration = 1
[clip.sim]
kind = "program"
run = ["python3", "skip.py", "{{width}}", "{{height}}", "{{first}}", "{{last}}"]
format = "rgb"
size = [6, 4]
duration = 2
starts_at = "first"
effects = [{effects}]
[clip.main]
kind = "sequence"
clips = ["lead", "sim"]
"#
    )
}

fn told(s: &Sandbox) -> Vec<String> {
    let log = std::fs::read_to_string(s.path("told.log")).unwrap_or_default();
    std::fs::remove_file(s.path("told.log")).ok();
    log.lines().map(String::from).collect()
}

/// Renders `scene` whole and as `--segment 2/2`; the part's frames must equal the whole
/// render's last frames pixel for pixel. Returns what the program was told each time.
fn whole_and_part(s: &Sandbox, scene: &str) -> (Vec<String>, Vec<String>) {
    s.write("skip.py", SKIPPING_PY);
    s.write("scene.toml", scene);
    let r = allowed(s, &["render", "scene.toml", "-o", "whole/", "-q"]);
    assert_exit!(r, 0);
    let whole_told = told(s);
    let r = allowed(
        s,
        &[
            "render",
            "scene.toml",
            "-o",
            "part/",
            "-q",
            "--segment",
            "2/2",
        ],
    );
    assert_exit!(r, 0);
    let part_told = told(s);
    // 30 frames: segment 2/2 is frames 15..30, named by their number in the whole.
    for j in 15..30 {
        let whole = read_png(&s.path(&format!("whole/{j:04}.png")));
        let part = read_png(&s.path(&format!("part/{j:04}.png")));
        assert!(
            whole == part,
            "frame {j} of the part differs from the whole render's"
        );
    }
    assert!(!s.path("part/0014.png").exists() && !s.path("part/0030.png").exists());
    (whole_told, part_told)
}

#[test]
fn a_segment_tells_a_stream_program_its_frames_and_it_may_start_there() {
    let s = Sandbox::new();
    let (whole, part) = whole_and_part(&s, &skipping_scene(""));
    assert_eq!(whole, vec!["0 19 0 19"]);
    // Output frame 15 is t = 1.5 s: the clip's frame 5, after the red second.
    assert_eq!(part, vec!["5 19 5 19"]);
    for j in 0..15u8 {
        let img = read_png(&s.path(&format!("part/{:04}.png", j + 15)));
        let i = j + 5;
        assert_px(&img, 3, 2, [i * 10, 255 - i * 10, 7, 255], 0);
    }
}

#[test]
fn under_a_time_effect_a_stream_program_is_told_the_whole_clip() {
    let s = Sandbox::new();
    let (whole, part) = whole_and_part(&s, &skipping_scene("\"reverse\""));
    assert_eq!(whole, vec!["0 19 0 19"]);
    assert_eq!(part, vec!["0 19 0 19"]);
    for j in 0..15u8 {
        let img = read_png(&s.path(&format!("part/{:04}.png", j + 15)));
        let i = 14 - j;
        assert_px(&img, 3, 2, [i * 10, 255 - i * 10, 7, 255], 0);
    }
}

#[test]
fn starts_at_needs_a_stream_with_a_duration() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        r#"
[clip.main]
kind = "program"
run = ["sh", "-c", "exit 0"]
format = "rgb"
size = [2, 2]
starts_at = "first"
"#,
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "out/"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "scene.toml:7:13",
        "`starts_at = \"first\"` needs a `duration`"
    );
    s.write(
        "scene.toml",
        r#"
[clip.main]
kind = "program"
each = "frame"
run = ["sh", "-c", "exit 0", "{first}"]
size = [2, 2]
duration = 1
"#,
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "out/"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "scene.toml:5:",
        "`{first}` is given only to a stream program"
    );
}

/// Whether process `pid` has ended (gone, or a zombie waiting for its reaper) within
/// a bounded wait.
#[cfg(target_os = "linux")]
fn ended(pid: &str) -> bool {
    let started = Instant::now();
    loop {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| s.rsplit_once(") ").map(|(_, rest)| rest.chars().next()));
        if matches!(state, None | Some(Some('Z' | 'X'))) {
            return true;
        }
        if started.elapsed() > Duration::from_secs(10) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn regression_a_killed_render_left_its_program_running() {
    // SIGKILL gives animate no chance to stop its programs: the program itself (which
    // `exec`s into a sleeper after one frame) and the helper it forked must still die.
    let s = Sandbox::new();
    s.write(
        "run.sh",
        format!("{BACKGROUND}head -c 12 /dev/zero\nexec sleep 301\n"),
    );
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"program\"\nrun = [\"sh\", \"run.sh\"]\nformat = \"rgb\"\nsize = [2, 2]\nduration = 2\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(["render", "scene.toml", "-o", "out.gif", "--allow-programs"])
        .current_dir(s.path(""))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let bg = read_pid(&s, "bg.pid");
    let sh = read_pid(&s, "sh.pid");
    // The program has become the sleeper (it waits for animate to ask for frame 1).
    let started = Instant::now();
    while !std::fs::read(format!("/proc/{sh}/cmdline"))
        .is_ok_and(|c| c.starts_with(b"sleep\x00301"))
    {
        assert!(
            started.elapsed() < DEADLINE,
            "the program never exec'd sleep"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    // The watchdog (animate started again) is up: on a loaded machine its start may
    // take a while, and only what it does once running is tested here.
    let watchdog = |pid: &str| {
        std::fs::read(format!("/proc/{pid}/cmdline"))
            .is_ok_and(|c| c.ends_with(b"--internal-program-watchdog\x00"))
    };
    let animate = child.id().to_string();
    let started = Instant::now();
    while !std::fs::read_dir("/proc").unwrap().flatten().any(|e| {
        let pid = e.file_name().to_string_lossy().into_owned();
        watchdog(&pid)
            && std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|st| {
                st.rsplit_once(") ")
                    .and_then(|(_, rest)| rest.split(' ').nth(1).map(|pp| pp == animate))
                    .unwrap_or(false)
            })
    }) {
        assert!(started.elapsed() < DEADLINE, "the watchdog never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ended(&sh), "the program {sh} outlived the killed render");
    assert!(
        ended(&bg),
        "the program's helper {bg} outlived the killed render: {:?}",
        std::fs::read_to_string(format!("/proc/{bg}/stat"))
    );
    assert!(!s.path("out.gif").exists());
}

#[test]
fn a_program_measured_in_a_pass_then_looped_renders_every_frame() {
    // The measurement pass runs on threads that end before the render: the program
    // must not die with the thread that started it.
    let s = Sandbox::new();
    let scene = r#"
[output]
fps = 10
[measure.level]
clip = "sim"
channel = "red"
[clip.sim]
kind = "program"
run = ["perl", "-e", "for $i (0..9) { print pack('C*', ($i * 20, 7, 9) x 64) }"]
format = "rgb"
size = [8, 8]
duration = 1
[clip.looped]
from = "sim"
effects = [{ loop = 2 }]
[clip.dot]
kind = "color"
color = "white"
size = [8, 8]
duration = 2
effects = [{ opacity = "level / 255" }]
[clip.main]
kind = "grid"
rows = [["looped", "dot"]]
"#;
    let frames = s.render_frames(scene, &["--allow-programs"]);
    assert_eq!(frames.len(), 20);
    for (j, img) in frames.iter().enumerate() {
        let i = (j % 10) as u8;
        assert_px(img, 4, 4, [i * 20, 7, 9, 255], 0);
        let v = (j.min(9) * 20) as u8;
        assert_px(img, 12, 4, [v, v, v, 255], 1);
    }
}

#[test]
fn regression_a_slow_failing_per_frame_program_was_reported_as_interrupted() {
    // Frames of the GIF's sample ran on four threads; the first to fail stopped the
    // others, and the sample's first frame in order (stopped, "interrupted") was
    // reported instead of the failure.
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.main]\nkind = \"program\"\neach = \"frame\"\n\
         run = [\"sh\", \"-c\", \"sleep 0.2; echo slow failure >&2; exit 3\"]\n\
         size = [4, 4]\nduration = 1\n",
    );
    // The old code said "interrupted" in about a third of the runs.
    for _ in 0..8 {
        let r = allowed(
            &s,
            &["render", "scene.toml", "-o", "out.gif", "--threads", "4"],
        );
        assert_exit!(r, 1);
        assert_stderr!(r, "ended with exit status 3 on frame", "  | slow failure");
        assert!(!r.stderr.contains("interrupted"), "{}", r.stderr);
        assert!(!s.path("out.gif").exists());
    }
}

#[test]
fn regression_an_open_ended_stream_nothing_draws_was_read_while_the_scene_loaded() {
    // A stream without a `duration` was read to its end while the scene loaded even
    // when unused or named only for its size: an empty stdin failed the render, a
    // terminal's made it wait, a program ran (here it would leave `ran`).
    let s = Sandbox::new();
    let card =
        "[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = { clip = \"p\" }\nduration = 0.2\n";
    s.write(
        "scene.toml",
        format!("[clip.p]\nkind = \"stdin\"\nformat = \"rgb\"\nsize = [2, 2]\n{card}"),
    );
    let r = with_stdin(&s, &["render", "scene.toml", "-o", "out.gif"], b"");
    assert_exit!(r, 0);
    assert_eq!(read_gif(&s.path("out.gif"))[0].0.dimensions(), (2, 2));
    s.write(
        "scene.toml",
        format!(
            "[clip.p]\nkind = \"program\"\nrun = [\"sh\", \"-c\", \"touch ran; exit 3\"]\nformat = \"rgb\"\n\
             size = [2, 2]\n[clip.unused]\nkind = \"program\"\nrun = [\"sh\", \"-c\", \"touch ran\"]\n\
             format = \"rgb\"\nsize = [2, 2]\n{card}"
        ),
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "out.gif"]);
    assert_exit!(r, 0);
    assert!(!s.path("ran").exists(), "a program nothing draws ran");
    // Drawn, the same stream is still read to its end, also under an effect that
    // needs that end, and beside an unused one that stays unread.
    s.write(
        "scene.toml",
        "[clip.p]\nkind = \"program\"\nrun = [\"perl\", \"-e\", \"print pack('C*', (9, 8, 7) x 4) for 1..3\"]\n\
         format = \"rgb\"\nsize = [2, 2]\n[clip.unused]\nkind = \"program\"\nrun = [\"sh\", \"-c\", \"touch ran\"]\n\
         format = \"rgb\"\nsize = [2, 2]\n[clip.main]\nkind = \"sequence\"\nclips = [\"p\", \"p\"]\n",
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "six/"]);
    assert_exit!(r, 0);
    assert_eq!(std::fs::read_dir(s.path("six")).unwrap().count(), 6);
    assert!(!s.path("ran").exists(), "an unused program ran");
    s.write(
        "scene.toml",
        "[clip.p]\nkind = \"program\"\nrun = [\"perl\", \"-e\", \"print pack('C*', (9, 8, 7) x 4) for 1..3\"]\n\
         format = \"rgb\"\nsize = [2, 2]\neffects = [\"reverse\"]\n",
    );
    let r = allowed(&s, &["render", "scene.toml", "-o", "three/"]);
    assert_exit!(r, 0);
    assert_eq!(std::fs::read_dir(s.path("three")).unwrap().count(), 3);
}

/// newcomer6: a per-frame program's error gave the frame's time to 16 digits
/// (`t = 0.3333333333333333 s`).
#[test]
fn regression_a_per_frame_programs_error_gave_the_time_unrounded() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 3\n[clip.main]\nkind = \"program\"\neach = \"frame\"\n\
         run = [\"sh\", \"-c\", \"exit 3\"]\nsize = [4, 4]\nduration = 1\n",
    );
    let r = s.run(&[
        "render",
        "scene.toml",
        "-o",
        "f/",
        "--frames",
        "1..2",
        "--allow-programs",
        "-q",
    ]);
    assert_exit!(r, 1);
    assert_stderr!(r, "ended with exit status 3 on frame 1 (t = 0.333 s)");
}

#[test]
fn regression_a_programs_png_could_take_a_gibibyte_whatever_the_clips_size() {
    // A per-frame program's PNG ({out} or stdout) and a PNG in a stream were read up
    // to 1 GiB each, on every thread, for a 16×16 clip; the stream's message named the
    // last chunk, not the total. The bound now follows the clip's size.
    let s = Sandbox::new();
    let scene = |name: &str, run: &str, each: bool| {
        let each = if each { "each = \"frame\"\n" } else { "" };
        s.write(
            name,
            format!(
                "[output]\nfps = 10\n[clip.main]\nkind = \"program\"\n{each}run = {run}\n\
                 format = \"png\"\nsize = [16, 16]\nduration = 0.2\n"
            ),
        );
    };
    let bounded = |scene: &str| {
        let args = [
            "render",
            scene,
            "-o",
            "out.gif",
            "--threads",
            "2",
            "--allow-programs",
        ];
        // Two threads each holding 1 GiB do not fit; 16 MiB and a bit each do.
        s.run_bounded(&args, Some(3 << 29))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let limit = "more than 16781312 bytes";
    let what = "a program's PNG for a 16x16 clip (twice 8 bytes a pixel, plus 16 MiB for metadata)";
    // a sparse 2 GB file at {out}
    scene(
        "out.toml",
        r#"["sh", "-c", "truncate -s 2G \"$0\"", "{out}"]"#,
        true,
    );
    let r = bounded("out.toml");
    assert_exit!(r, 1);
    assert_stderr!(r, "it is larger than 16781312 bytes, the most", what);
    // 2 GB on stdout: stopped once past the bound, not after the program's timeout
    scene(
        "stdout.toml",
        r#"["sh", "-c", "head -c 2000000000 /dev/zero"]"#,
        true,
    );
    let r = bounded("stdout.toml");
    assert_exit!(r, 1);
    assert_stderr!(r, "wrote", limit, "to stdout for frame", what);
    // a stream's PNG of endless 1 MiB text chunks
    let endless = "import sys\no = sys.stdout.buffer\no.write(b'\\x89PNG\\r\\n\\x1a\\n')\n\
                   while True:\n    o.write((1 << 20).to_bytes(4, 'big') + b'tEXt' + bytes((1 << 20) + 4))\n";
    s.write("endless.py", endless);
    scene("stream.toml", r#"["python3", "endless.py"]"#, false);
    let r = bounded("stream.toml");
    assert_exit!(r, 1);
    assert_stderr!(
        r,
        "its PNG would have",
        "then a chunk of 1048576",
        limit,
        what
    );
    assert!(!s.path("out.gif").exists());
}

/// A program's PNG whose header claims 16384×16384 in a 4×4 clip is named as the wrong
/// size from its header, before any pixel is decoded (hostile7 F-AI: it said "its PNG
/// cannot be decoded: Memory limit exceeded").
#[test]
fn regression_a_png_header_of_a_huge_size_is_the_wrong_size() {
    let s = Sandbox::new();
    s.write(
        "frame.py",
        r#"
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
head = struct.pack(">IIBBBBB", 16384, 16384, 8, 6, 0, 0, 0)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head)
    + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
"#,
    );
    s.write(
        "scene.toml",
        EACH_SCENE.replace(
            r#"["python3", "frame.py", "{t}", "{frame}", "{out}"]"#,
            r#"["python3", "frame.py", "{out}"]"#,
        ),
    );
    let args = [
        "frame",
        "scene.toml",
        "-t",
        "0",
        "-o",
        "f.png",
        "--allow-programs",
    ];
    let r = s
        .run_bounded(&args, Some(1 << 30))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_exit!(r, 1);
    assert_stderr!(r, "its PNG is 16384x16384, but the clip's size is 4x4");
    assert!(!r.stderr.contains("Memory limit"), "{}", r.stderr);
}
