//! `animate render`: the whole animation, or a part of it (`--frames`, `--segment`),
//! into a GIF, a video, PNG frames or stdout.

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::args::{EncodeArgs, RenderArgs};
use super::overwrite::{refuse_overwrite, Reads, Writes};
use crate::base::error::Error;
use crate::base::frame::Size;
use crate::encode::output::Output;
use crate::encode::SinkSpec;
use crate::render::plan::{Overrides, Plan};
use crate::render::range::Selection;
use crate::render::{Bar, Progress, Silent};

/// For `-o -` when there is no standard output to write to.
pub const STDOUT_CLOSED: &str =
    "-o - writes to standard output, but it is closed; give a file name, or a pipe or file to write to";

pub fn run(a: RenderArgs) -> Result<(), Error> {
    run_watched(a, None)
}

/// `render`, with each frame done told to `watch` instead of a terminal bar (the
/// preview's render button shows it in the page).
pub(crate) fn run_watched(a: RenderArgs, watch: Option<&dyn Progress>) -> Result<(), Error> {
    let started = Instant::now();
    if watch.is_none() {
        catch_signals();
    }
    // Passes over a clip made while the scene loads show on a bar of their own.
    let passes = match watch {
        None => crate::render::pass_bar::PassBar::for_terminal(a.encode.quiet)
            .map(|b| crate::clip::pass::watch_outside_renders(Arc::new(b))),
        Some(_) => None,
    };
    let mut scene = super::load(
        &a.common,
        super::programs_when(a.allow_programs),
        Some(a.encode.threads()),
    )?;
    drop(passes);
    if let Some(bg) = a.background {
        scene.output.background = bg;
    }
    let target = match (&a.output, &scene.output.file) {
        (Some(o), _) => o.clone(),
        (None, Some(f)) => f.to_string_lossy().into_owned(),
        (None, None) => {
            return Err(Error::Usage(
                "no output given: pass -o out.gif (or frames/%04d.png), or set [output] file = \"...\" in the scene".into(),
            ))
        }
    };
    // An output the scene names is wrong at its place in the scene.
    let wrong = |message: String| match (&a.output, &scene.output.file_at) {
        (None, Some(span)) => scene.error(crate::base::diag::Diagnostic::at(message, span.clone())),
        _ => Error::Usage(message),
    };
    let output = Output::parse_with_format(&target, a.encode.format)
        .map_err(wrong)?
        .with_repeat(scene.output.repeat)
        .with_video_settings(a.encode.video_settings())
        .and_then(Output::through_links)
        .map_err(Error::Usage)?;
    if output.is_stdout() && crate::base::stdio::stdout_was_closed() {
        return Err(Error::Usage(STDOUT_CLOSED.into()));
    }
    if output.is_stdout() && a.depfile.is_some() {
        return Err(Error::Usage(
            "--depfile needs a named output for Make's rule, not -o -".into(),
        ));
    }
    let reads = Reads::Scene(&scene);
    if let Some(out) = Writes::of(&output) {
        refuse_overwrite(&format!("the output {target}"), &out, &reads)?;
    }
    let depfile = match &a.depfile {
        Some(d) => Some(super::deps::check_depfile(
            d,
            std::path::Path::new(&target),
            &reads,
        )?),
        None => None,
    };
    let mut plan = Plan::for_scene(
        &scene,
        Overrides {
            fps: a.fps,
            size: a.size,
            duration: a.duration,
        },
    )?;
    // A size the output cannot take is wrong at `[output] size` when the scene gives it.
    if let (None, Some(span)) = (&a.size, &scene.output.size_at) {
        if let Err(message) = output.check_size(plan.size) {
            // The way out the message names for the command line is this key here.
            let message = message.replace("a smaller --size", "a smaller `size`");
            return Err(scene.error(crate::base::diag::Diagnostic::at(message, span.clone())));
        }
    }
    let duration = a
        .duration
        .or(scene.output.duration)
        .or(scene.root.duration());
    if let Some(short) = duration.and_then(|d| crate::base::time::shorter_than_a_frame(d, plan.fps))
    {
        crate::base::report::warn(short);
    }
    if let Some(selection) = a.frames.or(a.segment) {
        plan.select(selection.resolve(plan.total).map_err(Error::Usage)?);
    }
    plan.announce_needs();
    let mut notes: Vec<String> = plan.fit_note().into_iter().collect();
    let length = (a.duration)
        .or(scene.output.duration)
        .unwrap_or(plan.total as f64 / plan.fps);
    notes.extend(crate::render::ends::note(
        &scene.root,
        &scene.root_name,
        length,
        plan.fps,
    ));
    if matches!(a.segment, Some(Selection::Segment { .. })) && matches!(output, Output::Gif { .. })
    {
        notes.push(
            "GIF segments cannot be joined without re-encoding: render the segments as PNG frames \
             (-o frames/) and join them into one GIF with `animate join frames/ -o out.gif`"
                .to_string(),
        );
    }
    // A part of a render carries its sound losslessly for `join`, which WebM cannot hold.
    let webm_part = !plan.range().is_whole()
        && matches!(&output, Output::Video { path, .. }
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("webm")));
    let sound = match (a.no_audio, scene.sound()) {
        (false, Some(_)) if webm_part => {
            notes.push(
                "the scene has sound, which WebM parts of a render cannot carry losslessly for \
                 `animate join`, so it is left out: render the parts as .mkv (or .mp4, .mov) to keep it"
                    .to_string(),
            );
            None
        }
        (false, Some(s)) if matches!(output, Output::Video { .. }) => Some(s),
        (false, Some(_)) => {
            notes.push(
                "the scene has sound, which GIF and PNG outputs do not keep: render a video \
                 (.mp4, .webm, .mov, .mkv) to hear it"
                    .to_string(),
            );
            None
        }
        _ => None,
    };
    let job = Job {
        plan: &plan,
        output: &output,
        quality: a.encode.quality.unwrap_or(scene.output.quality),
        transparent: !scene.output.background.is_opaque(),
        notes,
        render_id: Some(crate::encode::stamp::render_id(
            scene.source.as_bytes(),
            &a.common.set,
            plan.size,
        )),
        options: vec![look_option(scene.output.background)],
        sound,
    };
    job.run_watched(&a.encode, watch)?;
    if let Some(d) = depfile {
        d.write(std::path::Path::new(&target), &scene.inputs)?;
    }
    if !a.encode.quiet {
        let from = match a.fps {
            Some(_) => "",
            None => scene.output.fps_from.note(),
        };
        let written = output.written_size(plan.size, !scene.output.background.is_opaque());
        summary(&target, &plan, written, started, from);
    }
    Ok(())
}

/// The background a render was made on, as its stamp records it: `--background`
/// overrides the scene's, so the scene's text alone does not say what shows.
pub(super) fn look_option(background: crate::base::color::Rgba) -> (String, String) {
    let [r, g, b, a] = background.0;
    (
        "background".to_string(),
        format!("#{r:02x}{g:02x}{b:02x}{a:02x}"),
    )
}

/// Frames planned, where they go and how: what `render` and `join` (of PNG frames)
/// share once their plan is made.
pub(super) struct Job<'a> {
    pub plan: &'a Plan,
    pub output: &'a Output,
    pub quality: u8,
    pub transparent: bool,
    /// Warnings of the caller's own, printed with the output's.
    pub notes: Vec<String>,
    /// What is rendered, for the output's stamp (see [`crate::encode::stamp::render_id`]).
    pub render_id: Option<u64>,
    /// Settings outside the scene that change the pixels, for the output's stamp
    /// ([`crate::encode::SinkSpec::options`]).
    pub options: Vec<(String, String)>,
    /// The sound a video output keeps.
    pub sound: Option<std::sync::Arc<dyn crate::audio::Sound>>,
}

impl Job<'_> {
    /// Renders the plan into the output; nothing appears at the target unless it all
    /// succeeds.
    pub fn run(self, flags: &EncodeArgs) -> Result<(), Error> {
        self.run_watched(flags, None)
    }

    /// [`Job::run`] with its progress told to `watch`, when given.
    pub fn run_watched(
        self,
        flags: &EncodeArgs,
        watch: Option<&dyn Progress>,
    ) -> Result<(), Error> {
        let plan = self.plan;
        let spec = SinkSpec {
            size: plan.size,
            fps: plan.fps,
            frames: plan.count,
            first: plan.first,
            total: plan.total,
            quality: self.quality,
            transparent: self.transparent,
            render_id: self.render_id,
            options: self.options.clone(),
        };
        self.output.check(&spec).map_err(Error::Usage)?;
        // Warnings stay on with --quiet: they say the output differs from what was asked.
        for w in self.output.warnings(&spec).iter().chain(&self.notes) {
            crate::base::report::warn(w);
        }
        // Installed before the temporary output exists: a Ctrl-C from then on stops the
        // render cleanly instead of killing the process with the temporary file left.
        let abort = interrupt_flag();
        let mut sink = self.output.open_with_sound(&spec, self.sound.clone())?;
        if spec.transparent && self.output.is_gif() {
            sink = Box::new(crate::encode::gif_alpha::OnOff::new(sink, flags.gif_alpha));
        }
        let bar = Bar::for_terminal(plan.count, flags.quiet || watch.is_some());
        let progress: &dyn Progress = match (&bar, watch) {
            (_, Some(w)) => w,
            (Some(b), None) => b,
            (None, None) => &Silent,
        };
        let result = crate::render::run(plan, sink.as_mut(), flags.threads(), progress, &abort);
        if let Some(b) = &bar {
            b.finish();
        }
        let done: Result<(), Error> = (|| {
            result?;
            sink.finish()?;
            Ok(())
        })();
        done.map_err(|e| match e {
            Error::Render(m) if m == "interrupted" && was_interrupted() => {
                Error::Render(interrupted(self.output))
            }
            e => e,
        })
    }
}

/// What a render stopped by Ctrl-C, SIGTERM or SIGHUP says: that nothing was written,
/// and what became of an earlier output at the target (newcomer10: a bare
/// "interrupted" left them to look whether a half-written file was there).
fn interrupted(output: &Output) -> String {
    if output.is_stdout() {
        return "interrupted".into();
    }
    let path = output.path();
    let shown = crate::base::listing::visible(&path.to_string_lossy());
    let earlier = match output {
        Output::PngSequence { .. } => path.is_dir(),
        _ => path.exists(),
    };
    if earlier {
        format!("interrupted: nothing was written; {shown} is as it was before this render")
    } else {
        format!("interrupted: nothing was written; {shown} was not made")
    }
}

/// The line on stderr after a render: what was written, how much, of what size (the
/// file's, `written`: a video may pad the frames), at what rate (and where the rate came
/// from, `fps_from`), how fast.
pub(super) fn summary(target: &str, plan: &Plan, written: Size, started: Instant, fps_from: &str) {
    let shown = if target == "-" { "stdout" } else { target };
    let frames = if plan.first == 0 && plan.count == plan.total {
        crate::base::listing::count(plan.count, "frame")
    } else {
        format!(
            "frames {}..{} of {}",
            plan.first,
            plan.first + plan.count,
            plan.total
        )
    };
    crate::base::report::line(format_args!(
        "wrote {shown}: {frames}, {}, {:.2} s of animation at {} fps{fps_from} in {:.2} s",
        written,
        plan.seconds(),
        crate::base::time::fps_text(plan.fps),
        started.elapsed().as_secs_f64()
    ));
}

/// Set by Ctrl-C, SIGTERM or SIGHUP once [`interrupt_flag`] installed the handler.
static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();

/// Whether Ctrl-C (or SIGTERM, SIGHUP) stopped the command.
pub(crate) fn was_interrupted() -> bool {
    crate::base::stop::signalled()
}

/// Whether something watches the stop flag: until then (while a scene loads) a signal
/// ends the process at once, with the same message and exit code as a stopped render.
/// One word moves from [`LOADING`] to [`WATCHED`] or to [`ENDING`], whichever comes
/// first: the handler runs on a thread of its own, so with two flags it could decide to
/// end the process while the render, a moment later, made its temporary output, and
/// the exit left that behind (an empty `.frames.XXXXXX.tmp/` after a Ctrl-C).
static STATE: AtomicU8 = AtomicU8::new(LOADING);
/// A signal ends the process at once.
const LOADING: u8 = 0;
/// The render watches the stop flag and cleans up after itself.
const WATCHED: u8 = 1;
/// The handler is ending the process: the render must not start.
const ENDING: u8 = 2;

/// Catches Ctrl-C, SIGTERM and SIGHUP from now on: before [`interrupt_flag`] is asked
/// for, they end the process with "interrupted" and exit code 130 (nothing has been
/// written yet); after, they raise the flag.
pub(crate) fn catch_signals() {
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        let _ = ctrlc::set_handler(move || {
            crate::base::stop::signal();
            f.store(true, Ordering::SeqCst);
            if STATE
                .compare_exchange(LOADING, ENDING, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                crate::encode::output::remove_created_dirs();
                crate::base::report::line(format_args!(
                    "error: {}",
                    crate::base::error::RenderError::interrupted().0
                ));
                std::process::exit(super::INTERRUPTED);
            }
        });
        flag
    });
}

/// The stop flag, its handler installed on first use, without taking over what a
/// signal does: until [`interrupt_flag`] is asked, it still ends the process at once.
pub(crate) fn stop_flag() -> Arc<AtomicBool> {
    catch_signals();
    FLAG.get().expect("installed just above").clone()
}

/// The stop flag, its handler installed on first use: the render stops and the
/// partial output is removed.
pub(crate) fn interrupt_flag() -> Arc<AtomicBool> {
    catch_signals();
    let was = STATE.compare_exchange(LOADING, WATCHED, Ordering::SeqCst, Ordering::SeqCst);
    if was == Err(ENDING) {
        // The handler is ending the process: make nothing it would leave behind.
        loop {
            std::thread::park();
        }
    }
    FLAG.get().expect("installed just above").clone()
}
