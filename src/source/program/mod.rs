//! `kind = "program"` and `kind = "stdin"`: frames drawn by any program — a stream on
//! its stdout, or one run per frame — or piped into animate. See docs/programs.md.
//!
//! A scene that runs programs is code: `clip::build::Programs` (from the command line) decides
//! whether they may start; `check` and `deps` only list them.

mod clip;
mod each;
mod guard;
mod picture;
mod process;
mod spec;
mod stream;
mod template;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::diag::Diagnostic;
use crate::clip::build::{ProgramMode, ProgramUse, ResolveCx};
use crate::clip::Clip;

pub use crate::base::held::MEMORY_BUDGET;
pub use guard::serve_if_asked as serve_as_watchdog_if_asked;
pub use spec::{ProgramSpec, StdinSpec, DEFAULT_TIMEOUT};

pub fn build_program(
    spec: ProgramSpec,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    let program = spec::program(spec, span, cx)?;
    let s = &program.settings;
    let shown = program.shown();
    let mode = if program.each_frame {
        "run once per frame, PNG".to_string()
    } else {
        format!("a stream of {} frames", s.format.name())
    };
    cx.program_uses.push(ProgramUse {
        clip: s.name.clone(),
        what: format!(
            "{shown}  ({mode}, {} at {} fps, {})",
            s.size,
            s.fps,
            s.duration
                .map_or("until the program ends".to_string(), |d| format!("{d} s"))
        ),
        open_ended: s.duration.is_none(),
    });
    record_scripts(&program, cx);
    cx.hold(held_bytes(s.size, program.each_frame), s.size_span.clone())?;
    if cx.programs.mode == ProgramMode::Refuse {
        return Err(Diagnostic::at(
            format!(
                "clip `{}` runs a program, `{shown}`, and programs run only with --allow-programs",
                s.name
            ),
            program.run_span.clone(),
        )
        .with_hint(
            "a scene that runs programs is code: read it (`animate check` lists its programs), then render \
             with --allow-programs",
        ));
    }
    let may_start = cx.programs.mode == ProgramMode::Run;
    let dir = folder(cx.base_dir());
    if program.each_frame {
        return Ok(Arc::new(each::EachFrameClip::new(
            program.settings,
            program.run,
            dir,
            shown,
            may_start,
        )));
    }
    let origin = clip::Origin::Program {
        run: program.run,
        dir,
        shown,
        from_first: program.from_first,
    };
    let run_span = program.run_span.clone();
    stream_clip(
        clip::StreamClip::new(program.settings, origin, may_start),
        may_start,
        run_span,
        cx,
    )
}

/// The clip of a stream; one without a `duration` is read to its end now, when it may
/// start and the scene draws it (see [`StreamReads`](crate::clip::build::StreamReads)),
/// so that its length is known (a failure is then a failed render: see
/// [`crate::clip::build::Live`]). One not drawn is left unread: nothing runs for it.
fn stream_clip(
    clip: clip::StreamClip,
    may_start: bool,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    if clip.duration().is_some() || !may_start {
        return Ok(Arc::new(clip));
    }
    if !cx.reads_stream() {
        return Ok(Arc::new(clip));
    }
    let live = cx.programs.live.clone();
    match clip.read_to_end(live.stop.as_deref()) {
        Ok(clip) => Ok(Arc::new(clip)),
        Err(e) => {
            *live.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.0.clone());
            Err(Diagnostic::at(e.0, span))
        }
    }
}

pub fn build_stdin(
    spec: StdinSpec,
    span: Range<usize>,
    cx: &mut ResolveCx,
) -> Result<Arc<dyn Clip>, Diagnostic> {
    if cx.reads_stdin {
        return Err(Diagnostic::at(
            "a second clip reads standard input: at most one clip of a scene may",
            span,
        )
        .with_hint("use the one `kind = \"stdin\"` clip in several places by its name"));
    }
    cx.reads_stdin = true;
    let settings = spec::stdin(spec, span, cx)?;
    cx.hold(held_bytes(settings.size, false), settings.size_span.clone())?;
    let may_start = cx.programs.mode != ProgramMode::List;
    let span = settings.size_span.clone();
    let clip = clip::StreamClip::new(settings, clip::Origin::Stdin, may_start);
    stream_clip(clip, may_start, span, cx)
}

/// The most memory a clip of this module holds at once: a stream's cache (its budget,
/// or its two-frame minimum) and the frames its reader decodes ahead; a per-frame
/// program's recent frames and the one being decoded.
fn held_bytes(size: crate::base::frame::Size, each_frame: bool) -> u64 {
    let frame = size.w as u64 * size.h as u64 * 4;
    if each_frame {
        frame * (each::RECENT as u64 + 1)
    } else {
        MEMORY_BUDGET.max(frame * crate::base::held::MIN_FRAMES as u64)
            + frame * (stream::AHEAD as u64 + 1)
    }
}

/// The scene's folder as an absolute path: programs run there.
fn folder(base: &Path) -> PathBuf {
    base.canonicalize().unwrap_or_else(|_| base.to_path_buf())
}

/// A program named by a relative path with a slash (`./sim.sh`) is the scene folder's;
/// a bare name is looked up on PATH.
pub(super) fn program_path(arg: &str, dir: &Path) -> String {
    let p = Path::new(arg);
    if p.is_relative() && arg.contains('/') {
        dir.join(p).to_string_lossy().into_owned()
    } else {
        arg.to_string()
    }
}

/// Arguments naming files inside the scene's folder (the script, its data) are inputs
/// of the render, so that `deps` lists them and Make re-renders when they change.
fn record_scripts(program: &spec::Program, cx: &mut ResolveCx) {
    let base = folder(cx.base_dir());
    for arg in &program.run {
        if arg.text().contains(['{', '}']) || arg.text().starts_with('-') {
            continue;
        }
        // `./draw.sh` is `draw.sh` to Make, which compares the text.
        let rel: PathBuf = Path::new(arg.text())
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        let path = cx.base_dir().join(rel);
        let inside = path
            .canonicalize()
            .is_ok_and(|p| p.starts_with(&base) && p.is_file());
        if inside {
            cx.record_input(&path);
        }
    }
}

/// Why a program could not start, in words for the user.
fn start_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "no such program (give a path, or install it on PATH)".to_string()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied (is it executable?)".to_string(),
        _ => crate::base::input::describe(e),
    }
}

/// "status 3" or "signal 9 (killed)".
fn exit_words(status: std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    #[cfg(unix)]
    if let Some(sig) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return format!("signal {sig}");
    }
    status.to_string()
}
