//! Answers requests: the page, the state, frames, the render button. Nothing else is
//! served; every request needs the token.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::cache::Cache;
use super::http::Request;
use super::job::Renders;
use super::query::{self, Query};
use super::state::State;
use crate::base::frame::Size;
use crate::cli::SceneArgs;

/// The page: HTML, CSS and script in one file, compiled in.
const PAGE: &str = include_str!("page.html");

/// How long a state request waits for a new revision before answering anyway.
const LONG_POLL: Duration = Duration::from_secs(20);

/// Waiting state requests at most; more are answered at once.
const MAX_WAITING: usize = 32;

pub struct App {
    state: Arc<State>,
    cache: Cache,
    token: String,
    /// Frames in the page fit within this (`--size`).
    bound: Size,
    waiting: AtomicUsize,
    /// The memory of the frames being rendered for requests.
    frames: Budget,
    renders: Arc<Renders>,
    /// The scene as the command line named it, for the render button.
    scene: SceneArgs,
    /// `--allow-programs`, for the render button as for the frames.
    allow_programs: bool,
}

impl App {
    pub fn new(
        state: Arc<State>,
        token: String,
        bound: Size,
        scene: SceneArgs,
        allow_programs: bool,
    ) -> App {
        App {
            state,
            cache: Cache::default(),
            token,
            bound,
            waiting: AtomicUsize::new(0),
            frames: Budget::default(),
            renders: Arc::default(),
            scene,
            allow_programs,
        }
    }
}

impl App {
    /// Waits, at most `limit`, for a render the button started: after Ctrl-C it stops
    /// and removes its unfinished output, which must happen before the process ends.
    pub fn finish_render(&self, limit: Duration) {
        let end = std::time::Instant::now() + limit;
        while self.renders.status().phase == "running" && std::time::Instant::now() < end {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Bytes of frames being rendered at once, within
/// [`IN_FLIGHT_BYTES`](crate::base::parallel::IN_FLIGHT_BYTES); one frame may always
/// render, however large.
#[derive(Default)]
struct Budget {
    used: std::sync::Mutex<u64>,
    freed: std::sync::Condvar,
}

/// Bytes taken from a [`Budget`], given back when dropped.
struct Taken<'a>(&'a Budget, u64);

impl Budget {
    /// Waits until `bytes` fit beside what is taken (or nothing is), and takes them.
    fn take(&self, bytes: u64) -> Taken<'_> {
        let limit = crate::base::parallel::IN_FLIGHT_BYTES;
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && used.saturating_add(bytes) > limit {
            used = self.freed.wait(used).unwrap_or_else(|e| e.into_inner());
        }
        *used += bytes;
        Taken(self, bytes)
    }
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        let mut used = self.0.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.1;
        self.0.freed.notify_all();
    }
}

/// A status, a content type and a body.
type Reply = (u16, &'static str, Vec<u8>);

fn text(status: u16, message: impl Into<String>) -> Reply {
    let mut body = message.into();
    body.push('\n');
    (status, "text/plain; charset=utf-8", body.into_bytes())
}

pub fn handle(app: &Arc<App>, request: Request) {
    let query = Query::parse(request.url());
    if !query
        .get("token")
        .is_some_and(|t| super::token::matches(t, &app.token))
    {
        return respond(
            request,
            text(
                403,
                "forbidden: open the address with the token that `animate preview` printed",
            ),
        );
    }
    if query.path == "/render" {
        let reply = match request.method() {
            "POST" => render(app),
            _ => text(405, "a render starts with POST /render"),
        };
        return respond(request, reply);
    }
    if !matches!(request.method(), "GET" | "HEAD") {
        return respond(request, text(405, "only GET is served here"));
    }
    match query.path.as_str() {
        "/" | "/index.html" => respond(
            request,
            (200, "text/html; charset=utf-8", PAGE.as_bytes().to_vec()),
        ),
        "/state" => state(app, request, &query),
        "/frame" => {
            let reply = frame(app, &query);
            respond(request, reply)
        }
        _ => respond(
            request,
            text(404, "not found: the preview serves /, /state and /frame"),
        ),
    }
}

/// The state as JSON; with `since=N`, once the revision is past N (or after a while),
/// on a thread of its own so that waiting holds no worker.
fn state(app: &Arc<App>, request: Request, query: &Query) {
    let since = match query.get("since").map(str::parse::<u64>) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return respond(request, text(400, "since= takes a revision number")),
    };
    let answer = |app: &App, request: Request, since: Option<u64>| {
        let snapshot = match since {
            Some(n) => app.state.wait_past(n, LONG_POLL),
            None => app.state.snapshot(),
        };
        let body = super::json::state(&snapshot, app.bound, &app.renders.status()).into_bytes();
        respond(request, (200, "application/json", body));
    };
    if since.is_none() || app.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        if since.is_some() {
            app.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        return answer(app, request, None);
    }
    let app = app.clone();
    std::thread::spawn(move || {
        answer(&app, request, since);
        app.waiting.fetch_sub(1, Ordering::SeqCst);
    });
}

/// A frame of the last scene that loaded as PNG: at preview size, within `size=WxH`,
/// or with `full=1` at the output's size (the bytes `animate frame` writes).
fn frame(app: &App, query: &Query) -> Reply {
    let snapshot = app.state.snapshot();
    let Some(good) = snapshot.good else {
        let why = snapshot.error.unwrap_or_default();
        return text(409, format!("the scene has not loaded yet:\n{why}"));
    };
    let t = match query::time(query.get("t"), good.duration) {
        Ok(t) => t,
        Err(e) => return text(400, e),
    };
    let size = if query.get("full").is_some_and(|v| v == "1") {
        None
    } else {
        let bound = match query.get("size").map(query::size) {
            None => app.bound,
            Some(Ok(s)) => s,
            Some(Err(e)) => return text(400, e),
        };
        Some(query::fit(good.size, bound))
    };
    let shown = size.unwrap_or(good.size);
    let key = (t.to_bits(), shown.w, shown.h);
    if let Some(png) = app.cache.get(snapshot.good_revision, key) {
        return (200, "image/png", png.to_vec());
    }
    let rendered = {
        // Frames render on several threads at once: large ones one after another,
        // within the memory a render's frames in flight may take (a 16384×16384
        // scene's full frames, asked for at once, aborted the preview under 4 GiB).
        let _turn = app.frames.take(2 * shown.w as u64 * shown.h as u64 * 4);
        crate::cli::frame_at(&good.scene, t, size).and_then(|frame| crate::cli::png_bytes(&frame))
    };
    match rendered {
        Ok(png) => {
            let png = Arc::new(png);
            app.cache.put(snapshot.good_revision, key, png.clone());
            (200, "image/png", png.to_vec())
        }
        Err(e) => text(500, e.to_string()),
    }
}

/// Starts the whole render into the scene's `[output] file`.
fn render(app: &App) -> Reply {
    let Some(good) = app.state.snapshot().good else {
        return text(409, "the scene has not loaded yet: fix it first");
    };
    let Some(file) = &good.scene.output.file else {
        return text(
            409,
            "the scene names no output: set [output] file = \"out.gif\" to render from here",
        );
    };
    match app
        .renders
        .start(&app.scene, file.display().to_string(), app.allow_programs)
    {
        Ok(()) => text(202, "rendering"),
        Err(e) => text(409, e),
    }
}

fn respond(request: Request, (status, kind, body): Reply) {
    let headers = [
        ("Content-Type", kind),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' blob:",
        ),
    ];
    request.respond(status, &headers, &body);
}
