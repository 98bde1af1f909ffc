//! Test harness: a temporary folder, scene files written into it, and the real
//! `animate` binary run inside it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How long one bounded run may take in the debug build on a busy machine before it
/// counts as a hang; a regression blocks for ever, so the margin costs nothing.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A generated field of many colours: 64×48, 20 frames at 10 fps, every frame different.
pub const FIELD: &str = r#"
[output]
fps = 10
[clip.main]
kind = "field"
size = [64, 48]
duration = 2
f = "sin(3*x + 2*pi*t/2) * cos(2*y - pi*t)"
x = [-2, 2]
y = [-1.5, 1.5]
colormap = "viridis"
"#;

/// A temporary working folder for one test.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What a run of the binary produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Runs `animate` with `args` inside the sandbox.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = Command::new(env!("CARGO_BIN_EXE_animate"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run animate");
        Run::from(out)
    }

    /// Runs `animate` with a deadline (a run that does not answer within it counts as
    /// a hang) and, when `memory` is given, its address space capped at that many
    /// bytes, so that a regression fails instead of hanging or swallowing the machine's
    /// memory. Output goes to files so that a huge message cannot block the child on a
    /// full pipe. A hang or a death by signal is an `Err` saying so.
    /// `animate args…`'s exit code, peak resident memory in bytes and stderr. Started
    /// by a small Python process: a process started from this one (large, from other
    /// tests running in it) counts this one's peak as its own, since Linux carries the
    /// memory a process had before `exec` into its peak.
    #[cfg(target_os = "linux")]
    pub fn code_and_peak(&self, args: &[&str]) -> (i32, u64, String) {
        self.code_and_peak_with(args, &[])
    }

    /// [`code_and_peak`](Self::code_and_peak) with environment variables set.
    #[cfg(target_os = "linux")]
    pub fn code_and_peak_with(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, u64, String) {
        const PEAK: &str = "import resource, subprocess, sys\n\
            r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open('peak.stderr', 'wb'))\n\
            print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
        let out = Command::new("python3")
            .arg("-c")
            .arg(PEAK)
            .arg(env!("CARGO_BIN_EXE_animate"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.path(""))
            .output()
            .expect("python3");
        let text = String::from_utf8_lossy(&out.stdout);
        let (code, kib) = text.trim().split_once(' ').expect("code and peak");
        let stderr = std::fs::read_to_string(self.path("peak.stderr")).unwrap();
        (
            code.parse().unwrap(),
            kib.parse::<u64>().unwrap() * 1024,
            stderr,
        )
    }

    pub fn run_bounded(&self, args: &[&str], memory: Option<u64>) -> Result<Run, String> {
        self.run_limited(args, memory, None)
    }

    /// Like [`run_bounded`](Self::run_bounded), sending SIGTERM `after` the start: the
    /// deadline then runs from the signal, so a run that does not stop part-way fails.
    #[cfg(unix)]
    pub fn run_signalled(
        &self,
        args: &[&str],
        memory: Option<u64>,
        after: Duration,
    ) -> Result<Run, String> {
        self.run_limited(args, memory, Some(after))
    }

    fn run_limited(
        &self,
        args: &[&str],
        memory: Option<u64>,
        signal_after: Option<Duration>,
    ) -> Result<Run, String> {
        let out = std::fs::File::create(self.path("stdout.txt")).unwrap();
        let err = std::fs::File::create(self.path("stderr.txt")).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_animate"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        #[cfg(unix)]
        if let Some(bytes) = memory {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit is async-signal-safe; nothing else runs in the child.
            unsafe {
                cmd.pre_exec(move || {
                    let limit = libc::rlimit {
                        rlim_cur: bytes as libc::rlim_t,
                        rlim_max: bytes as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        #[cfg(not(unix))]
        let _ = memory;
        let mut started = Instant::now();
        let mut child = cmd.spawn().expect("run animate");
        let mut signal_at = signal_after.map(|d| started + d);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            #[cfg(unix)]
            if signal_at.is_some_and(|at| Instant::now() >= at) {
                // SAFETY: kill has no memory effects; the child is ours and not reaped.
                unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
                signal_at = None;
                started = Instant::now();
            }
            if started.elapsed() > DEADLINE {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`animate {}` did not answer within {DEADLINE:?}",
                    args.join(" ")
                ));
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let read = |name: &str| {
            String::from_utf8_lossy(&std::fs::read(self.path(name)).unwrap()).into_owned()
        };
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

    /// Writes `scene` as scene.toml and renders the frame at `t` to a PNG it returns.
    pub fn frame(&self, scene: &str, t: f64) -> image::RgbaImage {
        self.write("scene.toml", scene);
        let r = self.run(&[
            "frame",
            "scene.toml",
            "-t",
            &t.to_string(),
            "-o",
            "frame.png",
        ]);
        assert_eq!(r.code, 0, "animate frame failed:\n{}", r.stderr);
        read_png(&self.path("frame.png"))
    }

    /// Names of the files in the sandbox's top folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

pub fn read_png(path: &Path) -> image::RgbaImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
        .to_rgba8()
}

/// Every frame of a GIF with its delay in centiseconds, as decoded by the `gif` crate.
pub fn read_gif(path: &Path) -> Vec<(image::RgbaImage, u16)> {
    let file = std::fs::File::open(path).unwrap();
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(file).unwrap();
    let (w, h) = (dec.width() as u32, dec.height() as u32);
    let mut canvas = image::RgbaImage::new(w, h);
    let mut out = Vec::new();
    while let Some(frame) = dec.read_next_frame().unwrap() {
        let sub = image::RgbaImage::from_raw(
            frame.width as u32,
            frame.height as u32,
            frame.buffer.to_vec(),
        )
        .unwrap();
        for (x, y, p) in sub.enumerate_pixels() {
            if p[3] > 0 {
                canvas.put_pixel(x + frame.left as u32, y + frame.top as u32, *p);
            }
        }
        out.push((canvas.clone(), frame.delay));
    }
    out
}

/// Asserts a pixel equals `want` within `tol` per channel.
#[track_caller]
pub fn assert_px(img: &image::RgbaImage, x: u32, y: u32, want: [u8; 4], tol: u8) {
    let got = img.get_pixel(x, y).0;
    let ok = got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= tol);
    assert!(ok, "pixel ({x}, {y}) is {got:?}, expected {want:?} ± {tol}");
}

/// Asserts the run exited with `code`, showing its output otherwise.
#[macro_export]
macro_rules! assert_exit {
    ($run:expr, $code:expr) => {{
        let r = &$run;
        assert_eq!(
            r.code, $code,
            "exit code {} (expected {})\nstdout:\n{}\nstderr:\n{}",
            r.code, $code, r.stdout, r.stderr
        );
    }};
}

/// Asserts stderr contains every one of the given texts.
#[macro_export]
macro_rules! assert_stderr {
    ($run:expr, $($text:expr),+ $(,)?) => {{
        let r = &$run;
        $( assert!(r.stderr.contains($text), "stderr lacks {:?}:\n{}", $text, r.stderr); )+
    }};
}

impl Sandbox {
    /// Renders scene.toml into a PNG sequence and returns its frames in order.
    pub fn render_frames(&self, scene: &str, extra: &[&str]) -> Vec<image::RgbaImage> {
        self.write("scene.toml", scene);
        let mut args = vec!["render", "scene.toml", "-o", "frames/", "-q"];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert_eq!(r.code, 0, "animate render failed:\n{}", r.stderr);
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.path("frames"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        names.iter().map(|p| read_png(p)).collect()
    }

    /// Writes a solid-colour picture in the format its extension names.
    pub fn write_picture(&self, name: &str, w: u32, h: u32, rgba: [u8; 4]) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba(rgba));
        if name.ends_with(".jpg") {
            image::DynamicImage::ImageRgba8(img)
                .to_rgb8()
                .save(&p)
                .unwrap();
        } else {
            img.save(&p).unwrap();
        }
        p
    }

    /// Writes an animated GIF of solid-colour frames, each `(rgba, delay in
    /// hundredths of a second)`; alpha 0 makes a frame transparent.
    pub fn write_gif(&self, name: &str, w: u16, h: u16, frames: &[([u8; 4], u16)]) -> PathBuf {
        let p = self.path(name);
        let file = std::fs::File::create(&p).unwrap();
        let mut enc = gif::Encoder::new(file, w, h, &[]).unwrap();
        enc.set_repeat(gif::Repeat::Infinite).unwrap();
        for &(c, delay) in frames {
            let mut px: Vec<u8> = (0..w as usize * h as usize).flat_map(|_| c).collect();
            let mut f = gif::Frame::from_rgba_speed(w, h, &mut px, 10);
            f.delay = delay;
            f.dispose = gif::DisposalMethod::Background;
            enc.write_frame(&f).unwrap();
        }
        p
    }

    /// Writes an animated WebP of solid-colour frames, each `(rgba, delay in
    /// milliseconds)`, covering the whole canvas and replacing what was there: each
    /// frame a lossless still from `image-webp`, wrapped in the animation's chunks.
    pub fn write_webp_animation(
        &self,
        name: &str,
        w: u32,
        h: u32,
        frames: &[([u8; 4], u32)],
    ) -> PathBuf {
        fn chunk(out: &mut Vec<u8>, tag: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(tag);
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
            if data.len() % 2 == 1 {
                out.push(0);
            }
        }
        let u24 = |v: u32| v.to_le_bytes()[..3].to_vec();
        let mut body = b"WEBP".to_vec();
        // VP8X: animation and alpha flags, then the canvas size less one.
        let mut vp8x = vec![0x02 | 0x10, 0, 0, 0];
        vp8x.extend(u24(w - 1));
        vp8x.extend(u24(h - 1));
        chunk(&mut body, b"VP8X", &vp8x);
        // ANIM: a background colour hint (BGRA) and a loop count of 0 (for ever).
        chunk(&mut body, b"ANIM", &[255, 255, 255, 255, 0, 0]);
        for &(c, ms) in frames {
            let px: Vec<u8> = (0..w * h).flat_map(|_| c).collect();
            let mut still = Vec::new();
            image_webp::WebPEncoder::new(&mut still)
                .encode(&px, w, h, image_webp::ColorType::Rgba8)
                .unwrap();
            // The still is RIFF, size, WEBP, then its VP8L chunk.
            assert_eq!(&still[12..16], b"VP8L", "a lossless still");
            let mut anmf = [u24(0), u24(0), u24(w - 1), u24(h - 1), u24(ms)].concat();
            // No blending (the frame replaces the canvas), no disposal.
            anmf.push(0x02);
            anmf.extend_from_slice(&still[12..]);
            chunk(&mut body, b"ANMF", &anmf);
        }
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend(body);
        let p = self.path(name);
        std::fs::write(&p, out).unwrap();
        p
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Sandbox {
    /// A sandbox holding a copy of the repository's scenes/ with their inputs rendered
    /// by the Makefile's own `asset-files` rules, run with the binary under test.
    pub fn with_example_scenes() -> Sandbox {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let s = Sandbox::new();
        copy_dir(&repo.join("scenes"), &s.path("scenes"));
        // Inputs generated in a developer's checkout must not hide a broken rule.
        for f in std::fs::read_dir(s.path("scenes/assets")).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e != "toml") {
                std::fs::remove_file(p).unwrap();
            }
        }
        let make = Command::new("make")
            .arg("-f")
            .arg(repo.join("Makefile"))
            .arg("asset-files")
            .arg(format!("ANIMATE={}", env!("CARGO_BIN_EXE_animate")))
            .current_dir(s.path(""))
            .output()
            .expect("run make");
        assert!(
            make.status.success(),
            "make asset-files failed:\n{}",
            String::from_utf8_lossy(&make.stderr)
        );
        s
    }
}

/// Where `small` sits inside `big` pixel for pixel, with only transparency around it.
pub fn find_inside(big: &image::RgbaImage, small: &image::RgbaImage) -> Option<(u32, u32)> {
    let (bw, bh) = big.dimensions();
    let (sw, sh) = small.dimensions();
    for dy in 0..=bh.checked_sub(sh)? {
        for dx in 0..=bw.checked_sub(sw)? {
            let hit = big.enumerate_pixels().all(|(x, y, p)| {
                let inside = (dx..dx + sw).contains(&x) && (dy..dy + sh).contains(&y);
                if inside {
                    p == small.get_pixel(x - dx, y - dy)
                } else {
                    p[3] == 0
                }
            });
            if hit {
                return Some((dx, dy));
            }
        }
    }
    None
}

impl Sandbox {
    /// Starts `animate args…`, waits until its temporary output exists (the render is
    /// under way), sends it SIGINT as Ctrl-C would, and returns how it ended.
    pub fn interrupt(&self, args: &[&str]) -> Output {
        let child = Command::new(env!("CARGO_BIN_EXE_animate"))
            .args(args)
            .current_dir(self.path(""))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run animate");
        let started = std::time::Instant::now();
        while !self.files().iter().any(|f| f.ends_with(".tmp")) && !self.writes_here(child.id()) {
            assert!(started.elapsed().as_secs() < 20, "render never started");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill");
        child.wait_with_output().expect("wait for animate")
    }

    /// Whether process `pid` has a file open in the sandbox: on Linux an output is
    /// written through an unnamed file (O_TMPFILE), which no listing shows.
    pub fn writes_here(&self, pid: u32) -> bool {
        let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
            return false;
        };
        let here = self.dir.path().canonicalize().unwrap();
        fds.flatten().any(|fd| {
            std::fs::read_link(fd.path())
                .is_ok_and(|t| t.starts_with(&here) && t.to_string_lossy().ends_with("(deleted)"))
        })
    }
}

impl Sandbox {
    /// `animate args…` here under a shell's `ulimit` (`"-n 64"`, `"-f 8"`): the limits
    /// tests of running out of descriptors or of file size need.
    #[cfg(unix)]
    pub fn run_under_ulimit(&self, limit: &str, args: &[&str]) -> Run {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit {limit} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_animate"))
            .args(args)
            .current_dir(self.path(""))
            .output()
            .expect("sh")
            .into()
    }
}
