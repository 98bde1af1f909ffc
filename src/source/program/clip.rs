//! A clip whose frames come from a stream, read once and in order by whichever render
//! worker needs a frame first; frames needed again or out of order come from the
//! cache.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use super::process::{Launch, Process};
use super::spec::Settings;
use super::stream::{FrameStream, Gap};
use super::template::{env_name, Template};
use crate::base::error::RenderError;
use crate::base::frame::{RenderResult, Size};
use crate::base::held::FrameCache;
use crate::clip::{Clip, RenderCx};

/// Where a stream's bytes come from.
pub enum Origin {
    /// A program's stdout: its arguments (placeholders filled when it starts, once the
    /// frames the render needs are known) and folder.
    Program {
        run: Vec<Template>,
        dir: PathBuf,
        /// The command line as written, for messages.
        shown: String,
        /// `starts_at = "first"`: its first frame is the clip's frame `{first}`.
        from_first: bool,
    },
    /// animate's own standard input.
    Stdin,
}

pub struct StreamClip {
    settings: Settings,
    origin: Origin,
    /// False while listing a scene (`check`, `deps`): nothing is started.
    may_start: bool,
    state: Mutex<State>,
    /// The clip's frames the render said it needs (see [`Clip::will_need`]).
    needed: Mutex<Needed>,
}

/// What the render announced it needs from a clip, over every place it is used.
#[derive(Clone, Copy, Debug)]
enum Needed {
    /// Nothing announced (`animate frame`, a stream read while the scene loads): any frame.
    Unknown,
    /// Frames `first..=last` cover every frame needed.
    Span(u64, u64),
    /// Some use needs frames that cannot be bounded (a time effect): any frame.
    Any,
}

struct State {
    stream: Option<FrameStream>,
    process: Option<Process>,
    /// Index of the next frame the stream gives.
    next: u64,
    /// Index of the stream's first frame: 0, or `{first}` with `starts_at = "first"`.
    first: u64,
    cache: FrameCache,
    /// The failure every later request reports too.
    failed: Option<RenderError>,
}

impl StreamClip {
    pub fn new(settings: Settings, origin: Origin, may_start: bool) -> StreamClip {
        let cache = FrameCache::new(settings.size);
        StreamClip {
            settings,
            origin,
            may_start,
            state: Mutex::new(State {
                stream: None,
                process: None,
                next: 0,
                first: 0,
                cache,
                failed: None,
            }),
            needed: Mutex::new(Needed::Unknown),
        }
    }

    /// The first and last frame the render needs from this clip: the span announced,
    /// or the whole clip. `None` for a stream whose length is not known yet.
    fn needed_span(&self) -> Option<(u64, u64)> {
        let whole = (0, self.settings.frames? - 1);
        match *self.needed.lock().unwrap_or_else(|e| e.into_inner()) {
            Needed::Span(a, b) => Some((a, b)),
            Needed::Unknown | Needed::Any => Some(whole),
        }
    }

    /// What the frames come from, in messages.
    fn source(&self) -> String {
        match &self.origin {
            Origin::Program { shown, .. } => format!("the program `{shown}`"),
            Origin::Stdin => "standard input".to_string(),
        }
    }

    fn start(&self, state: &mut State) -> Result<(), RenderError> {
        if !self.may_start {
            return Err(RenderError(format!(
                "clip `{}`: programs are not started here",
                self.settings.name
            )));
        }
        let input: Box<dyn Read + Send> = match &self.origin {
            Origin::Program {
                run,
                dir,
                from_first,
                ..
            } => {
                let mut values = self.settings.values();
                if let Some((first, last)) = self.needed_span() {
                    values.push(("first", first.to_string()));
                    values.push(("last", last.to_string()));
                    if *from_first {
                        state.first = first;
                        state.next = first;
                    }
                }
                let mut args: Vec<String> = run.iter().map(|a| a.fill(&values)).collect();
                args[0] = super::program_path(&args[0], dir);
                let env: Vec<(String, String)> = values
                    .iter()
                    .map(|(k, v)| (env_name(k), v.clone()))
                    .collect();
                let launch = Launch {
                    args: &args,
                    env: &env,
                    dir,
                    label: &self.settings.name,
                    stdout: true,
                };
                let mut process = Process::start(&launch).map_err(|e| {
                    RenderError(format!(
                        "clip `{}`: cannot start {} (needed for frame {}): {}{}",
                        self.settings.name,
                        self.source(),
                        state.next,
                        super::start_error(&e),
                        self.settings.place
                    ))
                })?;
                let out = process.take_stdout().expect("stdout is piped");
                state.process = Some(process);
                Box::new(out)
            }
            Origin::Stdin => Box::new(std::io::stdin()),
        };
        state.stream = Some(FrameStream::new(
            input,
            self.settings.size,
            self.settings.format,
        ));
        Ok(())
    }

    /// Reads frames up to and including `i`.
    fn read_to(&self, state: &mut State, i: u64, cx: &RenderCx) -> Result<(), RenderError> {
        while state.next <= i {
            if !self.pull(state, cx)? {
                let e = self.failure(state, Gap::End);
                state.failed = Some(e.clone());
                return Err(e);
            }
        }
        Ok(())
    }

    /// Reads the next frame into the cache (starting the stream if needed); `false` when
    /// the stream ended cleanly before it.
    fn pull(&self, state: &mut State, cx: &RenderCx) -> Result<bool, RenderError> {
        if state.stream.is_none() {
            self.start(state)?;
        }
        if cx.aborted() {
            return Err(RenderError::interrupted());
        }
        let State {
            stream, process, ..
        } = &mut *state;
        let mut stop = || {
            if cx.aborted() {
                return Some(Gap::Stopped);
            }
            let status = process.as_mut()?.try_status()?;
            (!status.success()).then_some(Gap::Failed(status))
        };
        let next = stream
            .as_mut()
            .expect("started")
            .next(self.settings.timeout, &mut stop);
        match next {
            Ok(frame) => {
                let n = state.next;
                state.cache.insert(n, frame).map_err(|e| {
                    RenderError(format!(
                        "clip `{}`: cannot keep frame {n} in a temporary file: {}{}",
                        self.settings.name,
                        crate::base::input::describe(&e),
                        self.settings.place
                    ))
                })?;
                state.next += 1;
                Ok(true)
            }
            Err(Gap::End) => Ok(false),
            Err(Gap::Stopped) => Err(RenderError::interrupted()),
            Err(gap) => {
                let e = self.failure(state, gap);
                state.failed = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Reads a stream without a `duration` to its end, while the scene loads, so that
    /// its length is known; `stop` (Ctrl-C) stops it. Its frames stay in the cache (which
    /// spills to its file) for the render.
    pub fn read_to_end(mut self, stop: Option<&AtomicBool>) -> Result<StreamClip, RenderError> {
        let cx = RenderCx::new(self.settings.fps).with_threads(1, stop);
        let most =
            crate::base::time::frame_count(crate::base::limits::MAX_DURATION, self.settings.fps);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while self.pull(&mut state, &cx)? {
            if state.next > most {
                let tail = state
                    .process
                    .as_mut()
                    .map(|p| p.stderr_tail())
                    .unwrap_or_default();
                return Err(RenderError(format!(
                    "clip `{}`: {} gave more than {most} frames ({} s at {} fps) and has no `duration`{tail}",
                    self.settings.name,
                    self.source(),
                    crate::base::limits::MAX_DURATION,
                    self.settings.fps
                )));
            }
        }
        // It ended: a failure now is a failure, and no frame at all is nothing to show.
        let status = state
            .process
            .as_mut()
            .and_then(|p| p.wait_for(std::time::Duration::from_secs(2)));
        if state.next == 0 || status.is_some_and(|st| !st.success()) {
            return Err(self.failure(&mut state, Gap::End));
        }
        let frames = state.next;
        drop(state);
        self.settings.ended_after(frames);
        Ok(self)
    }

    /// The message for a stream that stopped giving frames at `state.next`.
    fn failure(&self, state: &mut State, gap: Gap) -> RenderError {
        let s = &self.settings;
        let n = state.next;
        let at = format!("frame {n} (t = {:.3} s)", n as f64 / s.fps);
        let source = self.source();
        let status = match (&gap, state.process.as_mut()) {
            (Gap::End, Some(p)) => p.wait_for(std::time::Duration::from_secs(2)),
            _ => None,
        };
        let what = match gap {
            Gap::End => match status.filter(|st| !st.success()) {
                Some(st) => format!(
                    "{source} ended with {} before {at}",
                    super::exit_words(st)
                ),
                None => match (s.frames, s.duration) {
                    (Some(frames), Some(d)) if state.first > 0 => format!(
                        "{source} gave {} frames starting at frame {} (starts_at = \"first\"), but the clip has {frames} ({d} s at {} fps): {at} is missing",
                        n - state.first,
                        state.first,
                        s.fps
                    ),
                    (Some(frames), Some(d)) => format!(
                        "{source} gave {n} frames, but the clip needs {frames} ({d} s at {} fps): {at} is missing",
                        s.fps
                    ),
                    _ => format!("{source} ended without giving a frame"),
                },
            },
            Gap::Truncated { got, want } => format!(
                "{source} cut {at} short: {got} of its {want} bytes came (a {} {} frame is {want} bytes; \
                 anything else written on stdout, as a print(), is read as pixels: print to stderr)",
                s.size,
                s.format.name()
            ),
            Gap::Bad(why) => format!("{at} from {source} is wrong: {why}"),
            Gap::Io(why) => format!("cannot read {at} from {source}: {why}"),
            Gap::Silent(d) => format!(
                "{source} sent nothing for {} s while {at} was awaited (a clip's `timeout` sets how long to wait)",
                d.as_secs_f64()
            ),
            Gap::Failed(st) => format!(
                "{source} ended with {} before {at}",
                super::exit_words(st)
            ),
            Gap::Stopped => return RenderError::interrupted(),
        };
        let tail = state
            .process
            .as_mut()
            .map(|p| p.stderr_tail())
            .unwrap_or_default();
        RenderError(format!("clip `{}`: {what}{tail}{}", s.name, s.place))
    }
}

impl Clip for StreamClip {
    fn kind(&self) -> &'static str {
        match self.origin {
            Origin::Program { .. } => "program",
            Origin::Stdin => "stdin",
        }
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
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = &state.failed {
            return Err(e.clone());
        }
        let keep_err = |e: std::io::Error| {
            RenderError(format!(
                "clip `{}`: cannot read frame {i} back from its temporary file: {}{}",
                self.settings.name,
                crate::base::input::describe(&e),
                self.settings.place
            ))
        };
        if let Some(frame) = state.cache.get(i).map_err(keep_err)? {
            return Ok(frame);
        }
        self.read_to(&mut state, i, cx)?;
        match state.cache.get(i).map_err(keep_err)? {
            Some(frame) => Ok(frame),
            None if i < state.first => Err(RenderError(format!(
                "clip `{}`: frame {i} is needed, but {} starts at frame {} (starts_at = \"first\")",
                self.settings.name,
                self.source(),
                state.first
            ))),
            None => Err(RenderError(format!(
                "clip `{}`: frame {i} was read but not kept",
                self.settings.name
            ))),
        }
    }
    fn will_need(&self, span: Option<(f64, f64)>) {
        let mut needed = self.needed.lock().unwrap_or_else(|e| e.into_inner());
        *needed = match (span, *needed) {
            (None, _) | (_, Needed::Any) => Needed::Any,
            (Some((lo, hi)), Needed::Unknown) => {
                Needed::Span(self.settings.index(lo), self.settings.index(hi))
            }
            (Some((lo, hi)), Needed::Span(a, b)) => Needed::Span(
                a.min(self.settings.index(lo)),
                b.max(self.settings.index(hi)),
            ),
        };
    }
}
