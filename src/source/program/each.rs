//! `each = "frame"`: the program runs once for every frame the render needs, with the
//! frame's time and number in its arguments, and writes one PNG (to `{out}` or to
//! stdout). Runs are independent, so frames render in parallel like any other.

use std::collections::VecDeque;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::process::{Launch, Process};
use super::spec::Settings;
use super::template::{env_name, Template};
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::clip::{Clip, RenderCx};

/// Frames kept for a clip used twice at once (a comparison, a grid of itself).
pub const RECENT: usize = 4;

pub struct EachFrameClip {
    settings: Settings,
    run: Vec<Template>,
    dir: PathBuf,
    /// The command line as written, for messages.
    shown: String,
    may_start: bool,
    recent: Mutex<VecDeque<(u64, Frame)>>,
}

impl EachFrameClip {
    pub fn new(
        settings: Settings,
        run: Vec<Template>,
        dir: PathBuf,
        shown: String,
        may_start: bool,
    ) -> EachFrameClip {
        EachFrameClip {
            settings,
            run,
            dir,
            shown,
            may_start,
            recent: Mutex::new(VecDeque::new()),
        }
    }

    fn to_file(&self) -> bool {
        self.run.iter().any(|t| t.uses("out"))
    }

    fn run_once(&self, i: u64, cx: &RenderCx) -> RenderResult {
        let s = &self.settings;
        let t = i as f64 / s.fps;
        let at = format!("frame {i} (t = {t:.3} s)");
        let fail = |what: String| RenderError(format!("clip `{}`: {what}{}", s.name, s.place));
        if !self.may_start {
            return Err(fail("programs are not started here".into()));
        }
        let temp = tempfile::Builder::new()
            .prefix("animate-frame-")
            .tempdir()
            .map_err(|e| {
                fail(format!(
                    "cannot make a temporary folder for {at}: {}",
                    crate::base::input::describe(&e)
                ))
            })?;
        let out = temp.path().join(format!("frame-{i}.png"));
        let mut values = s.values();
        values.push(("t", t.to_string()));
        values.push(("frame", i.to_string()));
        values.push(("out", out.to_string_lossy().into_owned()));
        let mut args: Vec<String> = self.run.iter().map(|a| a.fill(&values)).collect();
        args[0] = super::program_path(&args[0], &self.dir);
        let env: Vec<(String, String)> = values
            .iter()
            .map(|(k, v)| (env_name(k), v.clone()))
            .collect();
        let to_file = self.to_file();
        let mut process = Process::start(&Launch {
            args: &args,
            env: &env,
            dir: &self.dir,
            label: &s.name,
            stdout: !to_file,
        })
        .map_err(|e| {
            fail(format!(
                "cannot start `{}` for {at}: {}",
                self.shown,
                super::start_error(&e)
            ))
        })?;
        // A PNG larger than the clip's size can need is refused once one byte more
        // than that has come ([`super::picture::max_png_bytes`]).
        let limit = super::picture::max_png_bytes(s.size);
        let mut stdout = process.take_stdout().map(|out| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let read = out.take(limit + 1).read_to_end(&mut bytes);
                read.map(|_| bytes)
            })
        });
        let too_large = || {
            fail(format!(
                "`{}` wrote more than {} to stdout for {at}, the most {} may have",
                self.shown,
                crate::base::input::bytes_shown(limit),
                super::picture::max_png_what(s.size)
            ))
        };
        let mut printed = None;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = process.try_status() {
                break status;
            }
            // Stdout read to its end or to the limit while the program still runs: one
            // over the limit stops it now (it would wait on a full pipe until `timeout`).
            if stdout.as_ref().is_some_and(|h| h.is_finished()) {
                let read = stdout.take().expect("checked").join();
                let read = read.map_err(|_| fail(format!("reading the PNG for {at} failed")))?;
                let bytes = read.map_err(|e| fail(format!("cannot read the PNG for {at}: {e}")))?;
                if bytes.len() as u64 > limit {
                    return Err(too_large());
                }
                printed = Some(bytes);
            }
            if cx.aborted() {
                return Err(RenderError::interrupted());
            }
            if started.elapsed() >= s.timeout {
                let tail = process.stderr_tail();
                return Err(fail(format!(
                    "`{}` ran for {} s on {at} without ending (a clip's `timeout` sets how long to wait){tail}",
                    self.shown,
                    s.timeout.as_secs_f64()
                )));
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        if !status.success() {
            // Its stdout closed once past the bound (SIGPIPE): that is why it ended. The
            // reader may not be through yet when the program's end is seen (it was told
            // as "ended with exit status 141" now and then): a moment's grace for it,
            // bounded, as a child the program left may hold the pipe open.
            let grace = Instant::now();
            while stdout.as_ref().is_some_and(|h| !h.is_finished())
                && grace.elapsed() < Duration::from_millis(500)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            if stdout.as_ref().is_some_and(|h| h.is_finished()) {
                let read = stdout.take().expect("checked").join();
                if read
                    .ok()
                    .and_then(|r| r.ok())
                    .is_some_and(|b| b.len() as u64 > limit)
                {
                    return Err(too_large());
                }
            }
            let tail = process.stderr_tail();
            return Err(fail(format!(
                "`{}` ended with {} on {at}{tail}",
                self.shown,
                super::exit_words(status)
            )));
        }
        // Whatever it left running in the background goes now: its stdout closes.
        process.stop();
        let bytes = if to_file {
            match crate::base::input::read(&out, limit, &super::picture::max_png_what(s.size)) {
                Ok(b) => b,
                Err(e) => {
                    let tail = process.stderr_tail();
                    return Err(fail(format!(
                        "`{}` did not write its PNG for {at} to {{out}}: {}{tail}",
                        self.shown, e.reason
                    )));
                }
            }
        } else if let Some(bytes) = printed {
            bytes
        } else {
            let read = stdout
                .expect("stdout is piped")
                .join()
                .map_err(|_| fail(format!("reading the PNG for {at} failed")))?;
            let bytes = read.map_err(|e| fail(format!("cannot read the PNG for {at}: {e}")))?;
            if bytes.len() as u64 > limit {
                return Err(too_large());
            }
            bytes
        };
        if bytes.is_empty() {
            let tail = process.stderr_tail();
            let place = if to_file { "{out}" } else { "stdout" };
            return Err(fail(format!(
                "`{}` wrote nothing to {place} for {at}{tail}",
                self.shown
            )));
        }
        super::picture::decode_png(&bytes, s.size).map_err(|why| {
            let tail = process.stderr_tail();
            fail(format!(
                "the picture `{}` made for {at} is wrong: {why}{tail}",
                self.shown
            ))
        })
    }
}

impl Clip for EachFrameClip {
    fn kind(&self) -> &'static str {
        "program"
    }
    fn size(&self) -> Size {
        self.settings.size
    }
    fn duration(&self) -> Option<f64> {
        self.settings.duration
    }
    fn rate(&self) -> Option<f64> {
        self.settings.declared.then_some(self.settings.fps)
    }
    fn render(&self, t: f64, cx: &RenderCx) -> RenderResult {
        let i = self.settings.index(t);
        let lock = || self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, f)) = lock().iter().find(|(k, _)| *k == i) {
            return Ok(f.clone());
        }
        let frame = self.run_once(i, cx)?;
        let mut recent = lock();
        if recent.len() == RECENT {
            recent.pop_front();
        }
        recent.push_back((i, frame.clone()));
        Ok(frame)
    }
}
