//! The keys of `kind = "program"` and `kind = "stdin"` clips, checked into settings.

use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::{At, Diagnostic};
use crate::base::frame::Size;
use crate::clip::build::{RawSize, ResolveCx};
use crate::expr::RawParam;

use super::template::{Template, EACH_NAMES, STREAM_NAMES};

/// How long a program may stay silent (no frame, or no exit in per-frame mode) unless
/// the clip says otherwise: generous, since a program may set up for a while.
pub const DEFAULT_TIMEOUT: f64 = 60.0;

/// How frames are laid out in a stream.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// W×H×4 bytes a frame, straight alpha.
    Rgba,
    /// W×H×3 bytes a frame, opaque.
    Rgb,
    /// PNG files back to back.
    Png,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Rgba => "rgba",
            Format::Rgb => "rgb",
            Format::Png => "png",
        }
    }
}

/// `each = "frame"`: the only value of `each`.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Each {
    Frame,
}

/// `starts_at`: where a stream program's output begins.
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum StartsAt {
    /// At the clip's frame 0, whatever the render needs (the default).
    Zero,
    /// At frame `{first}`, the first frame the render needs.
    First,
}

/// `kind = "program"` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSpec {
    run: Spanned<Vec<Spanned<String>>>,
    each: Option<Spanned<Each>>,
    size: Option<RawSize>,
    format: Option<Spanned<Format>>,
    fps: Option<Spanned<RawParam>>,
    duration: Option<Spanned<RawParam>>,
    timeout: Option<Spanned<RawParam>>,
    starts_at: Option<Spanned<StartsAt>>,
}

/// `kind = "stdin"` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StdinSpec {
    size: Option<RawSize>,
    format: Option<Spanned<Format>>,
    fps: Option<Spanned<RawParam>>,
    duration: Option<Spanned<RawParam>>,
    timeout: Option<Spanned<RawParam>>,
}

/// Keys both kinds share.
struct StreamKeys {
    size: Option<RawSize>,
    format: Option<Spanned<Format>>,
    fps: Option<Spanned<RawParam>>,
    duration: Option<Spanned<RawParam>>,
    timeout: Option<Spanned<RawParam>>,
}

/// What every frame source of this module knows once the scene is resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The clip's name, which prefixes the program's messages.
    pub name: String,
    pub size: Size,
    pub fps: f64,
    /// Whether `fps` was written on the clip: then it is the clip's own rate, which
    /// sets a scene's rate (see [`crate::clip::Clip::rate`]).
    pub declared: bool,
    /// `None` for a stream without a `duration`: it lasts until the program ends.
    pub duration: Option<f64>,
    /// Frames the clip has: round(duration · fps), at least 1; `None` with `duration`.
    pub frames: Option<u64>,
    pub format: Format,
    pub timeout: Duration,
    /// Where the scene gives the size, for the memory check.
    pub size_span: Range<usize>,
    /// Where the clip is in the scene file (its `run`), as the messages of failures
    /// while rendering show it: a line break, `--> scene.toml:8:7`, the line, carets.
    pub place: String,
}

impl Settings {
    /// The frame shown at clip-local time `t`: frame i covers [i/fps, (i+1)/fps).
    pub fn index(&self, t: f64) -> u64 {
        let i = (t * self.fps + crate::base::time::TIME_EPSILON).floor();
        let i = i.clamp(0.0, u64::MAX as f64) as u64;
        self.frames.map_or(i, |n| i.min(n - 1))
    }

    /// The clip's length once a stream without a `duration` has ended after `frames`.
    pub fn ended_after(&mut self, frames: u64) {
        self.frames = Some(frames);
        self.duration = Some(frames as f64 / self.fps);
    }

    /// The placeholders and `ANIMATE_*` variables every run gets.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        let mut values = vec![
            ("width", self.size.w.to_string()),
            ("height", self.size.h.to_string()),
            ("fps", self.fps.to_string()),
        ];
        if let (Some(d), Some(n)) = (self.duration, self.frames) {
            values.push(("duration", d.to_string()));
            values.push(("frames", n.to_string()));
        }
        values
    }
}

/// A program clip once checked: its command line and how it is run.
pub struct Program {
    pub settings: Settings,
    pub run: Vec<Template>,
    pub each_frame: bool,
    /// `starts_at = "first"`: the stream begins at the first frame the render needs.
    pub from_first: bool,
    /// Where the scene names the program, for the refusal without `--allow-programs`.
    pub run_span: Range<usize>,
}

impl Program {
    /// The command line as the user wrote it, for messages and `check`.
    pub fn shown(&self) -> String {
        self.run
            .iter()
            .map(|t| super::template::shell_word(t.text()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub fn program(
    spec: ProgramSpec,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Program, Diagnostic> {
    let each_frame = spec.each.is_some();
    let keys = StreamKeys {
        size: spec.size,
        format: spec.format,
        fps: spec.fps,
        duration: spec.duration,
        timeout: spec.timeout,
    };
    let run_span = spec.run.span();
    let args = spec.run.into_inner();
    if args.is_empty() {
        return Err(Diagnostic::at(
            "`run` is empty: name the program and its arguments",
            run_span,
        )
        .with_hint("run = [\"python3\", \"sim.py\"]"));
    }
    let names = if each_frame { EACH_NAMES } else { STREAM_NAMES };
    let run = args
        .iter()
        .map(|a| Template::parse(a.get_ref(), names).at(a.span()))
        .collect::<Result<Vec<_>, _>>()?;
    if let (Some(each), Some(format)) = (&spec.each, &keys.format) {
        if *format.get_ref() != Format::Png {
            return Err(Diagnostic::at(
                format!(
                    "a program run once per frame writes one PNG, not `{}` frames",
                    format.get_ref().name()
                ),
                format.span(),
            )
            .with_hint(format!(
                "drop `format`: with each = \"{}\" the program writes a PNG to {{out}} or to stdout",
                match each.get_ref() {
                    Each::Frame => "frame",
                }
            )));
        }
    }
    let mut settings = settings(keys, span, cx, each_frame)?;
    settings.place = cx.place_lines(run_span.clone());
    let from_first = spec.starts_at.as_ref().map(|s| (*s.get_ref(), s.span()));
    if let Some((StartsAt::First, at)) = &from_first {
        if each_frame {
            return Err(Diagnostic::at(
                "`starts_at` is for a stream: a program run once per frame runs only for the frames needed",
                at.clone(),
            )
            .with_hint("drop `starts_at`"));
        }
        if settings.duration.is_none() {
            return Err(Diagnostic::at(
                "`starts_at = \"first\"` needs a `duration`: a stream without one is read whole while the scene loads",
                at.clone(),
            )
            .with_hint("give the clip a duration = SECONDS"));
        }
    }
    if settings.duration.is_none() {
        for (t, arg) in run.iter().zip(&args) {
            if let Some(name) = ["duration", "frames", "first", "last"]
                .into_iter()
                .find(|n| t.uses(n))
            {
                return Err(Diagnostic::at(
                    format!(
                        "`{{{name}}}` is not known for a stream without a `duration`: it lasts until the program ends"
                    ),
                    arg.span(),
                )
                .with_hint("give the clip a duration, or let the program decide when to stop"));
            }
        }
    }
    Ok(Program {
        settings,
        run,
        each_frame,
        from_first: matches!(from_first, Some((StartsAt::First, _))),
        run_span,
    })
}

pub fn stdin(
    spec: StdinSpec,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Settings, Diagnostic> {
    let keys = StreamKeys {
        size: spec.size,
        format: spec.format,
        fps: spec.fps,
        duration: spec.duration,
        timeout: spec.timeout,
    };
    let mut settings = settings(keys, span.clone(), cx, false)?;
    settings.place = cx.place_lines(span);
    Ok(settings)
}

fn settings(
    keys: StreamKeys,
    span: Range<usize>,
    cx: &mut ResolveCx,
    each_frame: bool,
) -> Result<Settings, Diagnostic> {
    let name = cx.current_clip().unwrap_or("program").to_string();
    let format = keys.format.as_ref().map_or(Format::Png, |f| *f.get_ref());
    let size_span = keys.size.as_ref().map_or(span.clone(), |s| s.span());
    let size =
        match &keys.size {
            Some(s) => cx.size(s)?,
            None => {
                let what = if each_frame {
                    "the size of the program's pictures".to_string()
                } else {
                    format!("the size of the `{}` frames", format.name())
                };
                return Err(Diagnostic::at(format!("missing key `size`: {what}"), span).with_hint(
                "add size = [width, height]: a scene's layout is known before any program runs",
            ));
            }
        };
    let fps = match &keys.fps {
        Some(p) => cx.rate(p)?,
        None => cx.fps,
    };
    let duration = cx.duration(keys.duration.as_ref())?;
    if duration.is_none() && each_frame {
        return Err(Diagnostic::at("missing key `duration`", span).with_hint(
            "a program run once per frame has no end of its own: add duration = SECONDS",
        ));
    }
    let timeout = match &keys.timeout {
        Some(p) => cx.constant(p, "timeout", 0.0, false)?,
        None => DEFAULT_TIMEOUT,
    };
    let frames = duration.map(|d| crate::base::time::frame_count(d, fps).max(1));
    Ok(Settings {
        name,
        size,
        fps,
        declared: keys.fps.is_some(),
        duration,
        frames,
        format,
        timeout: Duration::from_secs_f64(timeout.min(1e6)),
        size_span,
        place: String::new(),
    })
}
