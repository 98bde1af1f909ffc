//! `animate preview` in a real headless Chromium, driven through the DevTools protocol
//! on a pipe (`--remote-debugging-pipe`: fd 3 in, fd 4 out, messages ended by NUL):
//! the page draws a frame, after an edit of the scene it draws the new picture without
//! a reload, a broken edit shows its error, and the render button writes the output. A screenshot is written on failure (and, with ANIMATE_SCREENSHOT
//! set to a path, on success: the one in docs/preview.md).

use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use super::preview::{request, Preview};
use crate::util::{Sandbox, FIELD};

/// Chromium from Debian's package (scripts/deps.sh installs it).
fn chromium() -> Option<String> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser"] {
        if std::env::split_paths(&path).any(|d| d.join(name).is_file()) {
            return Some(name.to_string());
        }
    }
    None
}

/// A headless Chromium and the two ends of its DevTools pipe.
struct Browser {
    child: Child,
    to: std::fs::File,
    from: Receiver<String>,
    next_id: u64,
    session: Option<String>,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(program: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let (mut to_chrome, mut from_chrome) = ([0; 2], [0; 2]);
        // SAFETY: plain pipe creation; the descriptors are owned below.
        unsafe {
            assert_eq!(libc::pipe2(to_chrome.as_mut_ptr(), libc::O_CLOEXEC), 0);
            assert_eq!(libc::pipe2(from_chrome.as_mut_ptr(), libc::O_CLOEXEC), 0);
        }
        let (read_end, write_end) = (to_chrome[0], from_chrome[1]);
        let mut command = Command::new(program);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--remote-debugging-pipe",
                "--window-size=900,640",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec; the copies made
        // first keep dup2 from overwriting one end with the other.
        unsafe {
            command.pre_exec(move || {
                let r = libc::fcntl(read_end, libc::F_DUPFD, 10);
                let w = libc::fcntl(write_end, libc::F_DUPFD, 10);
                if r < 0 || w < 0 || libc::dup2(r, 3) < 0 || libc::dup2(w, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("start chromium");
        // SAFETY: these ends are ours alone from here.
        let (to, mut from_file) = unsafe {
            libc::close(read_end);
            libc::close(write_end);
            (
                std::fs::File::from_raw_fd(to_chrome[1]),
                std::fs::File::from_raw_fd(from_chrome[0]),
            )
        };
        let (tx, from) = channel();
        std::thread::spawn(move || {
            let mut pending = Vec::new();
            let mut buf = [0u8; 65536];
            while let Ok(n) = from_file.read(&mut buf) {
                if n == 0 {
                    break;
                }
                pending.extend_from_slice(&buf[..n]);
                while let Some(end) = pending.iter().position(|&b| b == 0) {
                    let message: Vec<u8> = pending.drain(..=end).collect();
                    let text = String::from_utf8_lossy(&message[..end]).into_owned();
                    if tx.send(text).is_err() {
                        return;
                    }
                }
            }
        });
        Browser {
            child,
            to,
            from,
            next_id: 0,
            session: None,
            _profile: profile,
        }
    }

    /// Sends a command and returns its answer (events in between are skipped).
    fn call(&mut self, method: &str, params: &str) -> String {
        self.next_id += 1;
        let id = self.next_id;
        let session = self
            .session
            .as_ref()
            .map_or(String::new(), |s| format!(",\"sessionId\":\"{s}\""));
        let message =
            format!("{{\"id\":{id},\"method\":\"{method}\",\"params\":{params}{session}}}\0");
        self.to.write_all(message.as_bytes()).unwrap();
        let end = Instant::now() + Duration::from_secs(60);
        let tag = format!("{{\"id\":{id},");
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let answer = self
                .from
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("chromium did not answer {method}"));
            if answer.starts_with(&tag) {
                assert!(!answer.contains("\"error\":{"), "{method}: {answer}");
                return answer;
            }
        }
    }

    /// Opens `url` in a new tab and talks to that tab from then on.
    fn open(&mut self, url: &str) {
        let created = self.call("Target.createTarget", &format!("{{\"url\":\"{url}\"}}"));
        let target = string_after(&created, "\"targetId\":\"");
        let attached = self.call(
            "Target.attachToTarget",
            &format!("{{\"targetId\":\"{target}\",\"flatten\":true}}"),
        );
        self.session = Some(string_after(&attached, "\"sessionId\":\""));
    }

    /// A script's string result (the script holds no double quotes or backslashes).
    fn eval(&mut self, script: &str) -> String {
        let answer = self.call(
            "Runtime.evaluate",
            &format!("{{\"expression\":\"{script}\",\"returnByValue\":true}}"),
        );
        string_after(&answer, "\"value\":\"")
    }

    fn screenshot(&mut self) -> Vec<u8> {
        let answer = self.call("Page.captureScreenshot", "{\"format\":\"png\"}");
        base64(&string_after(&answer, "\"data\":\""))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn string_after(text: &str, key: &str) -> String {
    let start = text
        .find(key)
        .unwrap_or_else(|| panic!("no {key} in {text}"))
        + key.len();
    let len = text[start..].find('"').unwrap();
    text[start..start + len].to_string()
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (d as u32) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// What the page drew: revision, frame, centre pixel, opaque pixels, pixel sum.
const DRAWN: &str = "(() => { const e = document.getElementById('view'); if (!e) return '-'; \
     const v = e.dataset; return [v.revision, v.frame, v.center, v.opaque, v.sum].join('|'); })()";

/// Waits until the page's canvas satisfies `done`, or fails with a screenshot.
fn wait_for(b: &mut Browser, what: &str, done: impl Fn(&[&str]) -> bool) -> String {
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let drawn = b.eval(DRAWN);
        let parts: Vec<&str> = drawn.split('|').collect();
        if parts.len() == 5 && done(&parts) {
            return drawn;
        }
        if Instant::now() > end {
            let shot =
                std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("preview-failure.png");
            std::fs::write(&shot, b.screenshot()).unwrap();
            panic!(
                "the page never showed {what}: last drawn {drawn}; screenshot in {}",
                shot.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_page_draws_the_scene_and_follows_an_edit() {
    let Some(program) = chromium() else {
        assert!(
            std::env::var_os("ANIMATE_REQUIRE_BROWSER").is_none(),
            "ANIMATE_REQUIRE_BROWSER is set but chromium is not installed (scripts/deps.sh installs it)"
        );
        eprintln!("skipped: chromium is not installed (scripts/deps.sh installs it)");
        return;
    };
    let s = Sandbox::new();
    let scene = FIELD
        .replace("size = [64, 48]", "size = [320, 180]")
        .replace("fps = 10", "fps = 10\nfile = \"field.gif\"");
    s.write("field.toml", &scene);
    let p = Preview::start(&s, &["field.toml"]);
    let mut b = Browser::start(&program);
    b.open(&p.url);

    // Frame 0 drawn, whole (every pixel opaque), and the pixels of /frame?t=0.
    let first = wait_for(&mut b, "frame 0", |d| {
        d[1] == "0" && d[3] == (320 * 180).to_string()
    });
    let (code, png) = request(p.port, "GET", &format!("/frame?t=0&token={}", p.token));
    assert_eq!(code, 200);
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    let c = img.get_pixel(160, 90).0;
    assert_eq!(
        first.split('|').nth(2).unwrap(),
        format!("{},{},{},{}", c[0], c[1], c[2], c[3])
    );
    let texts = b.eval("document.getElementById('timeline').textContent + '#' + document.getElementById('clock').textContent");
    assert!(
        texts.contains("main  field  320x180  0.00..2.00 s"),
        "{texts}"
    );
    assert!(texts.contains("frame 0 / 20"), "{texts}");

    // An edit: the page picks up the new revision by itself and draws other pixels.
    let before: Vec<String> = first.split('|').map(String::from).collect();
    s.write("field.toml", scene.replace("viridis", "magma"));
    let after = wait_for(&mut b, "the edited scene", |d| d[0] != before[0]);
    let after: Vec<&str> = after.split('|').collect();
    assert_eq!(after[3], before[3], "still whole");
    assert_ne!(
        after[4], before[4],
        "the picture changed: {after:?} vs {before:?}"
    );

    // A broken edit: the error with its place shows, the picture stays.
    s.write("field.toml", scene.replace("colormap =", "colourmap ="));
    let line = scene
        .lines()
        .position(|l| l.starts_with("colormap"))
        .unwrap()
        + 1;
    let place = format!("field.toml:{line}:1");
    let error = Instant::now() + Duration::from_secs(30);
    let shown = loop {
        let shown = b.eval("(document.getElementById('error') || {hidden: true}).hidden ? '-' : document.getElementById('error').textContent");
        if shown != "-" || Instant::now() > error {
            break shown;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        shown.contains("unknown key `colourmap`") && shown.contains(&place),
        "{shown:?}"
    );
    assert_eq!(b.eval(DRAWN).split('|').nth(4), Some(after[4]));
    s.write("field.toml", scene.replace("viridis", "magma"));
    wait_for(&mut b, "the fixed scene", |d| d[0] != after[0]);

    // The render button: the whole output, its end shown in the page.
    b.eval("(() => { document.getElementById('render').click(); return ''; })()");
    let end = Instant::now() + Duration::from_secs(60);
    let rendered = loop {
        let shown = b.eval("document.getElementById('rendered').textContent");
        if shown.starts_with("wrote") || Instant::now() > end {
            break shown;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(rendered, "wrote ./field.gif");
    assert_eq!(crate::util::read_gif(&s.path("field.gif")).len(), 20);
    if let Some(path) = std::env::var_os("ANIMATE_SCREENSHOT") {
        std::fs::write(path, b.screenshot()).unwrap();
    }
}
