//! hostile10: outputs, programs, the preview server, depfiles and scene-file bombs.

use std::process::Command;

use crate::util::Sandbox;
use crate::{assert_exit, assert_stderr};

/// F-CA: many program streams at once ran out of descriptors while the render ran; the
/// error named the clip but not its place in the scene file (the known open report:
/// "exit 1 and no place"). It shows the clip's `run` as a scene error does now.
#[cfg(unix)]
#[test]
fn regression_a_program_out_of_descriptors_had_no_place_in_the_scene() {
    let s = Sandbox::new();
    s.write("px.raw", [9u8; 16]);
    let scene = crate::open_files::program_streams(40);
    s.write("scene.toml", &scene);
    let r = crate::open_files::run_with_open_files(
        &s,
        32,
        &[
            "render",
            "scene.toml",
            "-o",
            "out.gif",
            "-q",
            "--allow-programs",
        ],
    );
    assert_exit!(r, 1);
    assert_stderr!(r, "`ulimit -n` is 32", "--> scene.toml:");
    // The place is the failing clip's own `run`, with carets under it.
    let clip: usize = r.stderr.split("clip `p").nth(1).unwrap()[..3]
        .trim_end_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap();
    let line = scene
        .lines()
        .position(|l| l == format!("[clip.p{clip}]"))
        .unwrap()
        + 3;
    assert_stderr!(
        r,
        &format!("--> scene.toml:{line}:7"),
        "run = [\"sh\", \"-c\", \"cat px.raw; sleep 1\"]",
        "^^^^"
    );
    assert!(!s.path("out.gif").exists());
}

/// F-CA: every failure of a program while rendering (here a frame cut short, and a
/// stream without a `duration` that failed while the scene loaded) said nothing of
/// where the clip is in the scene file.
#[test]
fn regression_a_failing_program_was_told_without_its_place() {
    let s = Sandbox::new();
    s.write(
        "cut.toml",
        "[output]\nfps = 4\n\n[clip.p]\nkind = \"program\"\nrun = [\"sh\", \"-c\", \"head -c 13 /dev/zero\"]\n\
         format = \"rgb\"\nsize = [2, 2]\nduration = 1\n",
    );
    let r = s.run(&["render", "cut.toml", "-o", "cut.gif", "--allow-programs"]);
    assert_exit!(r, 1);
    assert_stderr!(r, "cut frame 1", "--> cut.toml:6:7", "6 | run = [");
    s.write(
        "open.toml",
        "[output]\nfps = 4\n\n[clip.p]\nkind = \"program\"\nrun = [\"sh\", \"-c\", \"exit 3\"]\n\
         format = \"rgb\"\nsize = [2, 2]\n",
    );
    let r = s.run(&["render", "open.toml", "-o", "open.gif", "--allow-programs"]);
    assert_exit!(r, 1);
    assert_stderr!(r, "exit status 3", "--> open.toml:6:7");
    assert!(!s.path("cut.gif").exists() && !s.path("open.gif").exists());
}

/// F-CD: after answering, the preview read what the client still sent (up to 64 KiB,
/// each read waiting 200 ms) before closing. A client without the token that sent a
/// byte every 0.1 s after its `403` kept the thread answering it for about two hours;
/// a few such clients held every such thread, and the page's own requests went
/// unanswered. The wait is bounded in all now.
#[test]
fn regression_clients_trickling_bytes_after_their_answer_held_the_preview() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    let s = Sandbox::new();
    s.write("s.toml", crate::preview::TWO);
    let p = crate::preview::Preview::start(&s, &["s.toml"]);
    let stop = Arc::new(AtomicBool::new(false));
    // More than the threads that answer (one a core, and one), fewer than the 64
    // connections the preview keeps.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let clients: Vec<_> = (0..(cores + 4).min(48))
        .map(|_| {
            let (port, stop) = (p.port, stop.clone());
            std::thread::spawn(move || {
                let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
                c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
                while !stop.load(Ordering::SeqCst) && c.write_all(b"x").is_ok() {
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let mut c = TcpStream::connect(("127.0.0.1", p.port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(c, "GET /state?token={} HTTP/1.0\r\n\r\n", p.token).unwrap();
    let mut answer = Vec::new();
    let read = c.read_to_end(&mut answer);
    stop.store(true, Ordering::SeqCst);
    for client in clients {
        let _ = client.join();
    }
    assert!(read.is_ok(), "no answer: {read:?}");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

/// F-CB: past a file size limit (`ulimit -f`) SIGXFSZ killed animate in the middle of
/// writing its output, without a word (exit 153 from a shell). The write fails with
/// "file too large" now, said as any failed write, naming the output; the file that
/// was there is kept, and nothing is left beside it.
#[cfg(unix)]
#[test]
fn regression_a_file_size_limit_killed_the_render_without_a_word() {
    let s = Sandbox::new();
    // Noise in every frame: a GIF far larger than the limit's 8 KiB.
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n\n[clip.main]\nkind = \"field\"\nsize = [96, 96]\nduration = 1\n\
         x = [0, 1]\ny = [0, 1]\nvmin = -1\nvmax = 1\nf = \"sin(9999 * x * y + t * 50) * cos(7777 * x + 333 * y * t)\"\n",
    );
    s.write("out.gif", "the user's file");
    let limited = |args: &[&str]| s.run_under_ulimit("-f 8", args);
    let r = limited(&["render", "scene.toml", "-o", "out.gif", "-q"]);
    assert_exit!(r, 1);
    assert_stderr!(r, "out.gif", "File too large");
    assert_eq!(
        std::fs::read_to_string(s.path("out.gif")).unwrap(),
        "the user's file"
    );
    let r = limited(&["render", "scene.toml", "-o", "frames/", "-q"]);
    assert_exit!(r, 1);
    // Named as in the target folder, not the hidden one the frames are written to first.
    assert_stderr!(r, "cannot write frames/0", ".png: File too large");
    assert!(!r.stderr.contains(".frames."), "{}", r.stderr);
    assert_eq!(s.files(), ["out.gif", "scene.toml"], "left behind");
}

/// A colour clip of `w`×`h` pixels lasting a second, at 10 fps.
fn plain(w: u32, h: u32) -> String {
    format!(
        "[output]\nfps = 10\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [{w}, {h}]\nduration = 1\n"
    )
}

/// F-CE: a PNG was encoded from a straight-alpha copy of the whole frame, and an RGB
/// copy of that copy: 1.75 times the frame beside it. A 16384×16384 `frame` peaked at
/// 2.9 GB, and PNG frames of such a scene rendered two at a time aborted under a 4 GB
/// `ulimit -v` ("memory allocation of 1073741824 bytes failed"). Rows are written one
/// at a time now.
#[cfg(target_os = "linux")]
#[test]
fn regression_a_png_took_almost_twice_its_frame_again_to_encode() {
    let s = Sandbox::new();
    s.write("small.toml", plain(16, 16));
    s.write("large.toml", plain(4096, 4096));
    let (code, base, err) = s.code_and_peak(&["frame", "small.toml", "-t", "0", "-o", "s.png"]);
    assert_eq!(code, 0, "{err}");
    let (code, peak, err) = s.code_and_peak(&["frame", "large.toml", "-t", "0", "-o", "l.png"]);
    assert_eq!(code, 0, "{err}");
    let frame = 4096 * 4096 * 4;
    // The frame itself, and a little: the copies took 1.75 times it more.
    assert!(
        peak.saturating_sub(base) < frame * 3 / 2,
        "{} MiB for a frame of {} MiB",
        (peak - base) >> 20,
        frame >> 20
    );
}

/// F-CE: the preview rendered the frames asked for on several threads at once, each
/// with no regard to the others' memory: full-size frames of a 16384×16384 scene
/// asked for together aborted it under a `ulimit -v`. Large frames take turns now.
#[cfg(unix)]
#[test]
fn regression_large_frames_asked_for_at_once_aborted_the_preview() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let s = Sandbox::new();
    s.write("s.toml", plain(16384, 16384));
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2500000 && exec \"$0\" preview s.toml")
        .arg(env!("CARGO_BIN_EXE_animate"))
        .current_dir(s.path(""))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(s.path("preview.stderr")).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let rest = line
        .trim()
        .strip_prefix("http://127.0.0.1:")
        .unwrap()
        .to_string();
    let (port, token) = rest.split_once("/?token=").unwrap();
    let port: u16 = port.parse().unwrap();
    let asks: Vec<_> = ["0", "0.1", "0.2"]
        .into_iter()
        .map(|t| {
            let path = format!("/frame?t={t}&full=1&token={token}");
            std::thread::spawn(move || crate::preview::request(port, "GET", &path).0)
        })
        .collect();
    let statuses: Vec<u16> = asks.into_iter().map(|a| a.join().unwrap()).collect();
    let alive = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    let stderr = std::fs::read_to_string(s.path("preview.stderr")).unwrap();
    assert!(alive, "the preview ended: {stderr}");
    assert_eq!(statuses, [200, 200, 200], "{stderr}");
}

/// F-CF: `join` kept every part open at once — its descriptor and FFmpeg's buffers,
/// about 250 KiB a part — from the first look at the parts to the end: parts past
/// `ulimit -n` (often 1024) were refused as unreadable, and 12 000 parts held 3.1 GB.
/// Each pass over the parts opens one at a time now.
#[cfg(all(unix, feature = "video"))]
#[test]
fn regression_join_kept_every_part_open_at_once() {
    let s = Sandbox::new();
    s.write(
        "s.toml",
        "[output]\nfps = 40\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n",
    );
    let parts = 40;
    let mut names = Vec::new();
    for k in 1..=parts {
        let name = format!("p{k:02}.mp4");
        let segment = format!("{k}/{parts}");
        let r = s.run(&["render", "s.toml", "--segment", &segment, "-o", &name, "-q"]);
        assert_exit!(r, 0);
        names.push(name);
    }
    let mut args = vec!["join"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["-o", "whole.mp4", "-q"]);
    let r = crate::open_files::run_with_open_files(&s, 32, &args);
    assert_exit!(r, 0);
    assert!(s.path("whole.mp4").exists());
}

/// F-CG: a name of a megabyte — a key, a table, a clip, a kind — was quoted whole in
/// its error: a megabyte of message. Names past 1000 characters are cut there now (the
/// line shown under it was cut already).
#[test]
fn regression_a_megabyte_name_made_a_megabyte_message() {
    let s = Sandbox::new();
    let name = "a".repeat(1 << 20);
    let base = "[output]\nfps = 4\n\n[clip.main]\nkind = \"color\"\ncolor = \"red\"\nsize = [8, 8]\nduration = 1\n";
    for (file, text) in [
        ("key.toml", format!("{base}{name} = 1\n")),
        ("table.toml", format!("{base}[{name}]\nx = 1\n")),
        (
            "root.toml",
            base.replace("[output]\n", &format!("[output]\nroot = \"{name}\"\n")),
        ),
    ] {
        s.write(file, text);
        let r = s.run(&["check", file]);
        assert_exit!(r, 2);
        assert_stderr!(r, &format!("`{}…`", "a".repeat(200)));
        assert!(r.stderr.len() < 10_000, "{file}: {} bytes", r.stderr.len());
    }
}

/// F-CH: a clip defined as `café` (é one character) and asked for as `café` (e and a
/// combining accent) was "unknown clip `café`", with "clips defined: café" as its hint.
#[test]
fn regression_names_that_differ_only_in_how_an_accent_is_written_looked_the_same() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[output]\nfps = 10\n[clip.\"caf\u{e9}\"]\nkind = \"color\"\ncolor = \"red\"\n\
         size = [20, 20]\nduration = 1\n[clip.main]\nkind = \"sequence\"\n\
         clips = [\"cafe\u{301}\"]\n",
    );
    let r = s.run(&["check", "scene.toml"]);
    assert_exit!(r, 2);
    assert_stderr!(
        r,
        "unknown clip",
        "scene.toml:10:10",
        "`cafe U+0301` here, `caf U+00E9` there",
        "write both the same way"
    );
}
