//! `animate preview` over HTTP on 127.0.0.1: the page, the token, frames equal to
//! `animate frame`, edits that break and fix the scene, files the scene reads, and
//! absurd requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Sandbox, FIELD};

/// A running `animate preview` (killed when dropped) and its address.
pub struct Preview {
    child: Child,
    pub port: u16,
    pub token: String,
    pub url: String,
    stderr: std::path::PathBuf,
}

impl Preview {
    /// Starts `animate preview ARGS` in the sandbox and reads the address it prints.
    pub fn start(s: &Sandbox, args: &[&str]) -> Preview {
        let stderr = s.path("preview.stderr");
        let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
            .arg("preview")
            .args(args)
            .current_dir(s.path("."))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("start animate preview");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().to_string();
        let rest = url
            .strip_prefix("http://127.0.0.1:")
            .unwrap_or_else(|| panic!("no address on stdout: {url:?}; stderr: {}", read(&stderr)));
        let (port, token) = rest.split_once("/?token=").expect("a token in the address");
        Preview {
            port: port.parse().unwrap(),
            token: token.to_string(),
            url: url.clone(),
            child,
            stderr,
        }
    }

    /// `GET path` with the token added.
    pub fn get(&self, path: &str) -> (u16, Vec<u8>) {
        let join = if path.contains('?') { '&' } else { '?' };
        request(
            self.port,
            "GET",
            &format!("{path}{join}token={}", self.token),
        )
    }

    pub fn state(&self) -> String {
        let (code, body) = self.get("/state");
        assert_eq!(code, 200);
        String::from_utf8(body).unwrap()
    }

    /// The state once its revision is past `since` (a save was seen), or a failure
    /// after a deadline far beyond the second the page promises.
    pub fn state_past(&self, since: u64) -> String {
        let end = Instant::now() + Duration::from_secs(30);
        loop {
            let (code, body) = self.get(&format!("/state?since={since}"));
            assert_eq!(code, 200);
            let body = String::from_utf8(body).unwrap();
            if revision(&body) > since {
                return body;
            }
            assert!(
                Instant::now() < end,
                "no new revision after the edit: {body}\nstderr: {}",
                read(&self.stderr)
            );
        }
    }

    /// The frame at `t` (query `extra` added), decoded.
    pub fn frame(&self, t: &str, extra: &str) -> (Vec<u8>, image::RgbaImage) {
        let (code, png) = self.get(&format!("/frame?t={t}{extra}"));
        assert_eq!(code, 200, "{}", String::from_utf8_lossy(&png));
        let img = image::load_from_memory(&png).unwrap().to_rgba8();
        (png, img)
    }
}

impl Preview {
    /// Sends SIGINT, as Ctrl-C does, and returns the exit code (`None`: still running
    /// after 20 s, or killed by the signal).
    pub fn interrupt(&mut self) -> Option<i32> {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        let end = Instant::now() + Duration::from_secs(20);
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read(p: &std::path::Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// The state's `revision`.
pub fn revision(state: &str) -> u64 {
    let rest = state
        .strip_prefix("{\"revision\":")
        .unwrap_or_else(|| panic!("not a state: {state}"));
    rest[..rest.find(',').unwrap()].parse().unwrap()
}

/// One HTTP/1.0 request, the whole answer read: (status, body).
pub fn request(port: u16, method: &str, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let head_end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP answer");
    let status = String::from_utf8_lossy(&answer[9..12]).parse().unwrap();
    (status, answer[head_end + 4..].to_vec())
}

/// A JSON string literal, to find a text in the state.
fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out + "\""
}

/// What `animate ARGS` writes on stdout, as bytes.
fn stdout_of(s: &Sandbox, args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(args)
        .current_dir(s.path("."))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Red for a second, then blue for a second: 64×40 at 10 fps.
pub const TWO: &str = r#"
[output]
fps = 10
[clip.a]
kind = "color"
color = "red"
size = [64, 40]
duration = 1
[clip.b]
kind = "color"
color = "blue"
size = [64, 40]
duration = 1
[clip.main]
kind = "sequence"
clips = ["a", "b"]
"#;

#[test]
fn the_page_needs_the_token() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let p = Preview::start(&s, &["s.toml"]);
    let (code, page) = p.get("/");
    assert_eq!(code, 200);
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<canvas") && page.contains("/state?since="));
    // Self-contained: nothing is fetched from elsewhere.
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("src="));
    for path in [
        "/",
        "/state",
        "/frame?t=0",
        "/frame?t=0&token=0123",
        "/render",
        "/nothing",
    ] {
        let (code, body) = request(p.port, "GET", path);
        assert_eq!(code, 403, "{path}");
        assert!(String::from_utf8_lossy(&body).contains("token"), "{path}");
    }
    let wrong = format!("/?token={}x", p.token);
    assert_eq!(request(p.port, "GET", &wrong).0, 403);
}

#[test]
fn the_state_holds_what_check_prints() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let p = Preview::start(&s, &["s.toml", "--size", "32x32"]);
    let state = p.state();
    let check = String::from_utf8(stdout_of(&s, &["check", "s.toml"])).unwrap();
    assert!(
        state.contains(&format!("\"timeline\":{}", json(&check))),
        "{state}"
    );
    for part in [
        "\"error\":null",
        "\"fps\":10,",
        "\"frames\":20,",
        "\"duration\":2,",
        "\"size\":[64,40]",
        "\"preview\":[32,20]",
    ] {
        assert!(state.contains(part), "{part} in {state}");
    }
}

#[test]
fn frames_are_the_bytes_of_animate_frame() {
    let s = Sandbox::new();
    s.write("f.toml", FIELD);
    let p = Preview::start(&s, &["f.toml", "--size", "32x32"]);
    for t in ["0", "0.3", "1.7"] {
        let (full, img) = p.frame(t, "&full=1");
        assert_eq!((img.width(), img.height()), (64, 48));
        assert_eq!(
            full,
            stdout_of(&s, &["frame", "f.toml", "-t", t, "-o", "-"]),
            "t={t}"
        );
        // At preview size: the scene fit within 32x32, as `frame --size` draws it.
        let (small, img) = p.frame(t, "");
        assert_eq!((img.width(), img.height()), (32, 24));
        let want = stdout_of(
            &s,
            &["frame", "f.toml", "-t", t, "--size", "32x24", "-o", "-"],
        );
        assert_eq!(small, want, "t={t}");
        // Asked again: the cached frame, the same bytes.
        assert_eq!(p.frame(t, "").0, want);
    }
    let (_, a) = p.frame("0", "");
    let (_, b) = p.frame("0.3", "");
    assert_ne!(a, b, "the field moves");
    let (_, img) = p.frame("0.1", "&size=16x16");
    assert_eq!((img.width(), img.height()), (16, 12));
}

#[test]
fn a_broken_edit_shows_the_error_and_keeps_the_frames_and_a_fix_brings_new_ones() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let p = Preview::start(&s, &["s.toml"]);
    let first = revision(&p.state());
    crate::util::assert_px(&p.frame("0.5", "").1, 10, 10, [255, 0, 0, 255], 0);

    s.write(
        "s.toml",
        TWO.replacen("color = \"red\"", "colour = \"red\"", 1),
    );
    let broken = p.state_past(first);
    let check = s.run(&["check", "s.toml"]);
    assert_eq!(check.code, 2);
    assert!(check.stderr.contains("s.toml:6:1"), "{}", check.stderr);
    let shown = json(check.stderr.trim_end());
    assert!(
        broken.contains(&format!("\"error\":{shown}")),
        "{broken}\nwant {shown}"
    );
    // The last good scene stays, with its frames.
    assert!(
        broken.contains(&format!("\"scene\":{{\"revision\":{first},")),
        "{broken}"
    );
    crate::util::assert_px(&p.frame("0.5", "").1, 10, 10, [255, 0, 0, 255], 0);

    s.write("s.toml", TWO.replacen("\"red\"", "\"lime\"", 1));
    let fixed = p.state_past(revision(&broken));
    assert!(fixed.contains("\"error\":null"), "{fixed}");
    assert!(fixed.contains(&format!("\"scene\":{{\"revision\":{},", revision(&fixed))));
    crate::util::assert_px(&p.frame("0.5", "").1, 10, 10, [0, 255, 0, 255], 0);
    crate::util::assert_px(&p.frame("1.5", "").1, 10, 10, [0, 0, 255, 255], 0);
}

#[test]
fn files_the_scene_reads_are_watched_too() {
    let s = Sandbox::new();
    s.write_picture("pic.png", 8, 6, [255, 0, 0, 255]);
    s.write(
        "s.toml",
        "[output]\nfps = 10\nduration = 1\n[clip.main]\nkind = \"file\"\npath = \"pic.png\"\n",
    );
    let p = Preview::start(&s, &["s.toml"]);
    let first = revision(&p.state());
    crate::util::assert_px(&p.frame("0", "").1, 4, 3, [255, 0, 0, 255], 0);
    // Replaced by a rename, as editors save.
    s.write_picture("new.png", 8, 6, [0, 0, 255, 255]);
    std::fs::rename(s.path("new.png"), s.path("pic.png")).unwrap();
    p.state_past(first);
    crate::util::assert_px(&p.frame("0", "").1, 4, 3, [0, 0, 255, 255], 0);
}

#[test]
fn absurd_requests_are_refused_and_the_server_lives_on() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let p = Preview::start(&s, &["s.toml"]);
    let refused = [
        ("/frame", "give the frame's time"),
        ("/frame?t=-1", "outside the scene"),
        ("/frame?t=NaN", "outside the scene"),
        ("/frame?t=inf", "outside the scene"),
        ("/frame?t=1e308", "outside the scene"),
        ("/frame?t=2.5", "outside the scene: 0 to 2 s"),
        ("/frame?t=abc", "not a number"),
        ("/frame?t=1&size=100000x100000", "size=100000x100000"),
        ("/frame?t=1&size=0x0", "size=0x0"),
        ("/frame?t=1&size=big", "not WxH"),
        ("/state?since=x", "revision number"),
    ];
    for (path, why) in refused {
        let (code, body) = p.get(path);
        let body = String::from_utf8_lossy(&body);
        assert_eq!(code, 400, "{path}: {body}");
        assert!(body.contains(why), "{path}: {body}");
    }
    assert_eq!(p.get("/../s.toml").0, 404);
    assert_eq!(p.get("/s.toml").0, 404);
    let post = format!("/frame?t=0&token={}", p.token);
    assert_eq!(request(p.port, "POST", &post).0, 405);
    assert_eq!(p.get("/").0, 200, "still serving");
}

#[test]
fn a_missing_scene_is_a_usage_error() {
    let s = Sandbox::new();
    let run = s.run(&["preview", "none.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read the scene none.toml"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

/// The state's render `phase` and `message`.
fn render_status(state: &str) -> (String, String) {
    let start = state
        .find("\"render\":{\"phase\":\"")
        .expect("a render status")
        + 19;
    let phase = state[start..start + state[start..].find('"').unwrap()].to_string();
    let m = state.find("\"message\":\"").unwrap() + 11;
    let message = state[m..m + state[m..].find('"').unwrap()].to_string();
    (phase, message)
}

#[test]
fn the_render_button_writes_what_render_writes() {
    let s = Sandbox::new();
    s.write(
        "s.toml",
        TWO.replace("fps = 10", "fps = 10\nfile = \"out.gif\""),
    );
    let p = Preview::start(&s, &["s.toml"]);
    assert_eq!(render_status(&p.state()).0, "idle");
    assert_eq!(p.get("/render").0, 405, "GET does not start a render");
    let start = format!("/render?token={}", p.token);
    assert_eq!(request(p.port, "POST", "/render").0, 403);
    let (code, body) = request(p.port, "POST", &start);
    assert_eq!(code, 202, "{}", String::from_utf8_lossy(&body));
    let end = Instant::now() + Duration::from_secs(60);
    let (phase, message) = loop {
        let (phase, message) = render_status(&p.state());
        if phase != "running" || Instant::now() > end {
            break (phase, message);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        (phase.as_str(), message.as_str()),
        ("done", "wrote ./out.gif")
    );
    assert!(p.state().contains("\"done\":20,\"total\":20"));
    let frames = crate::util::read_gif(&s.path("out.gif"));
    // Equal frames in a row are one GIF frame: a second of red, a second of blue.
    let delays: Vec<u16> = frames.iter().map(|f| f.1).collect();
    assert_eq!(delays, [100, 100]);
    crate::util::assert_px(&frames[0].0, 3, 3, [255, 0, 0, 255], 0);
    crate::util::assert_px(&frames[1].0, 3, 3, [0, 0, 255, 255], 0);

    // A scene without an output file says what to add.
    let t = Sandbox::new();
    t.write("s.toml", TWO);
    let q = Preview::start(&t, &["s.toml"]);
    let (code, body) = request(q.port, "POST", &format!("/render?token={}", q.token));
    assert_eq!(code, 409);
    assert!(String::from_utf8_lossy(&body).contains("[output] file"));
}

#[test]
fn warnings_show_as_check_prints_them_and_go_when_fixed() {
    let s = Sandbox::new();
    let tall = "[output]\nfps = 10\nduration = 1\n[clip.t]\nkind = \"text\"\n\
                text = \"one two three four five six\"\nfont_size = 40\nsize = [120, 60]\n";
    s.write("s.toml", tall);
    let check = s.run(&["check", "s.toml"]);
    assert_eq!(check.code, 0);
    let warning = check.stderr.trim_end().strip_prefix("warning: ").unwrap();
    assert!(
        warning.contains("lines that do not fit are cut"),
        "{warning}"
    );
    let p = Preview::start(&s, &["s.toml"]);
    let state = p.state();
    assert!(
        state.contains(&format!("\"warnings\":[{}]", json(warning))),
        "{state}"
    );
    assert!(state.contains("\"error\":null"));
    s.write(
        "s.toml",
        tall.replace("size = [120, 60]", "size = [400, 300]"),
    );
    let fixed = p.state_past(revision(&state));
    assert!(fixed.contains("\"warnings\":[]"), "{fixed}");
}

#[test]
fn ctrl_c_stops_the_preview_cleanly() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let mut p = Preview::start(&s, &["s.toml"]);
    assert_eq!(p.get("/").0, 200);
    assert_eq!(p.interrupt(), Some(0));
}

#[test]
fn the_port_is_the_one_asked_for_and_a_taken_one_is_refused() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let r = s.run(&["preview", "s.toml", "--port", &port]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{}",
        r.stderr
    );
    drop(taken);
    let p = Preview::start(&s, &["s.toml", "--port", &port]);
    assert_eq!(p.port.to_string(), port);
    assert_eq!(p.get("/").0, 200);
}

#[test]
fn ctrl_c_during_a_render_leaves_no_output() {
    let s = Sandbox::new();
    let long = FIELD
        .replace("fps = 10", "fps = 10\nfile = \"out.gif\"")
        .replace("duration = 2", "duration = 60")
        .replace("size = [64, 48]", "size = [320, 240]");
    s.write("f.toml", long);
    let mut p = Preview::start(&s, &["f.toml"]);
    let (code, _) = request(p.port, "POST", &format!("/render?token={}", p.token));
    assert_eq!(code, 202);
    let end = Instant::now() + Duration::from_secs(30);
    // Stopped part-way: some frames done, the render still running.
    loop {
        let state = p.state();
        assert_eq!(render_status(&state).0, "running", "{state}");
        if !state.contains("\"done\":0,") {
            break;
        }
        assert!(Instant::now() < end, "the render never started: {state}");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(p.interrupt(), Some(0));
    let left: Vec<String> = s
        .files()
        .into_iter()
        .filter(|f| f != "f.toml" && f != "preview.stderr")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    let stderr = read(&p.stderr);
    assert!(stderr.contains("interrupted"), "{stderr}");
}

/// Sends raw bytes and reads the answer until the server closes: its status (0 when
/// the connection was closed unanswered).
fn raw_request(port: u16, bytes: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // The server may answer and close before all of a long request is sent.
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    std::str::from_utf8(answer.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Regression: tiny_http drained an unread request body by allocating the length the
/// client declared, so one `Content-Length: 99999999999` (no token needed) aborted the
/// preview ("memory allocation of 99999999999 bytes failed"). Bodies are refused now,
/// and so are endless heads.
#[test]
fn regression_a_huge_declared_body_does_not_kill_the_preview() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let mut p = Preview::start(&s, &["s.toml"]);
    let huge = "Content-Length: 99999999999\r\n\r\nabc";
    let with_token = format!("POST /render?token={} HTTP/1.1\r\n{huge}", p.token);
    assert_eq!(raw_request(p.port, with_token.as_bytes()), 413);
    let without = format!("POST /render HTTP/1.1\r\n{huge}");
    assert_eq!(raw_request(p.port, without.as_bytes()), 413);
    let chunked = "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\n";
    assert_eq!(raw_request(p.port, chunked.as_bytes()), 413);
    let mut endless = b"GET / HTTP/1.1\r\nX: ".to_vec();
    endless.resize(1 << 20, b'a');
    assert_eq!(raw_request(p.port, &endless), 431);
    assert_eq!(raw_request(p.port, b"\x16\x03\x01garbage\r\n\r\n"), 400);
    assert_eq!(p.get("/").0, 200, "still serving");
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "the preview ended: {}",
        read(&p.stderr)
    );
    assert_eq!(p.interrupt(), Some(0));
}

/// Regression: every connection had a thread of its own for as long as the client
/// kept it open, so idle connections piled up threads without limit. They are bounded
/// and dropped after a while, and the page is served again once they go.
#[test]
#[cfg(target_os = "linux")] // counts the threads in /proc
fn regression_idle_connections_are_bounded() {
    let s = Sandbox::new();
    s.write("s.toml", TWO);
    let p = Preview::start(&s, &["s.toml"]);
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut c = TcpStream::connect(("127.0.0.1", p.port)).unwrap();
            let _ = c.write_all(b"GET /sta");
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let status = std::fs::read_to_string(format!("/proc/{}/status", p.child.id())).unwrap();
    let threads: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(threads < 100, "{threads} threads for 300 idle connections");
    drop(idle);
    let start = Instant::now();
    let page = format!("GET /?token={} HTTP/1.1\r\n\r\n", p.token);
    while raw_request(p.port, page.as_bytes()) != 200 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "not served again"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Regression (findings5, F-O notes): a drawn `stdin` clip without a `duration` is read
/// to its end while the scene loads, and the preview ignored Ctrl-C until stdin ended
/// (its stop flag was looked at only once the page was served). Ctrl-C while stdin is
/// open and silent now ends it promptly, exit 130, before any address is printed.
#[cfg(unix)]
#[test]
fn regression_preview_ignored_ctrl_c_while_a_stdin_clip_was_read() {
    let s = Sandbox::new();
    s.write(
        "scene.toml",
        "[clip.main]\nkind = \"stdin\"\nformat = \"rgb\"\nsize = [16, 16]\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_animate"))
        .args(["preview", "scene.toml"])
        .current_dir(s.path("."))
        .stdin(Stdio::piped()) // held open, never written: the stream neither ends nor gives
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "it should be reading stdin"
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let end = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("still running 20 s after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("error: interrupted"), "{stderr}");
    assert_eq!(
        stdout, "",
        "no address is printed for a preview that never served"
    );
}
