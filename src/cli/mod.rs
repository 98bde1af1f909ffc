//! The command line: `animate render | check | deps | join | frame | preview`, and for
//! editors and shells `schema | completions | man`.

mod args;
mod check;
mod deps;
mod frame;
mod join;
mod overwrite;
mod render;
mod shell;
mod usage_hints;

use clap::Parser;

use args::Command;
pub use args::{Cli, PreviewArgs, SceneArgs};
pub use args::{EncodeArgs, RenderArgs};
pub(crate) use check::timeline;
pub(crate) use frame::{frame_at, png_bytes};
pub(crate) use render::{interrupt_flag, run_watched as render_watched};

use crate::base::error::Error;

/// `animate preview`, handed in by `main.rs`: the preview lives a layer above the
/// command line (it reuses `load`, `check` and `frame` from here).
pub type PreviewCommand = fn(PreviewArgs) -> Result<(), Error>;

/// Runs the program and returns its exit code.
pub fn main(preview: PreviewCommand) -> i32 {
    crate::base::malloc::tune();
    // Past a file size limit (`ulimit -f`) a write fails with EFBIG, said as any failed
    // write (naming the output, nothing left behind), instead of SIGXFSZ killing the
    // process mid-write without a word. Programs get the default back (program/guard.rs).
    #[cfg(unix)]
    // SAFETY: ignoring a signal is always sound.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap quotes the command line as it is, escape sequences and all, to a
            // terminal: with such an argument the message is printed plain, what is
            // left of them named, like every other message.
            let risky = std::env::args_os().any(|a| {
                a.to_string_lossy()
                    .chars()
                    .any(crate::base::listing::acts_on_terminal)
            });
            match e.use_stderr() && risky {
                true => crate::base::report::line(e.render().to_string().trim_end()),
                false => drop(e.print()),
            }
            // `args()` would panic on an argument that is not UTF-8.
            let args: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            if let Some(hint) = usage_hints::hint(&args, e.kind()) {
                crate::base::report::line(format_args!("hint: {hint}"));
            }
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Render(a) => render::run(a),
        Command::Check(a) => check::run(a),
        Command::Deps(a) => deps::run(a),
        Command::Join(a) => join::run(a),
        Command::Frame(a) => frame::run(a),
        Command::Schema => shell::schema(),
        Command::Completions(a) => shell::completions(a),
        Command::Man(a) => shell::man(a),
        Command::Preview(a) => preview(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::encode::output::remove_created_dirs();
            crate::base::report::line(&e);
            // The shell's code for a command stopped by Ctrl-C, which batch tools
            // (make, xargs, GNU parallel) tell apart from a failure.
            if render::was_interrupted() {
                return INTERRUPTED;
            }
            e.exit_code()
        }
    }
}

/// The scene as loaded with the command line's `--set` overrides; `mode` says whether
/// its program clips may run (`--allow-programs`) or are only listed.
/// The exit code of a command stopped by Ctrl-C, SIGTERM or SIGHUP: 128 + SIGINT.
pub const INTERRUPTED: i32 = 130;

pub(crate) fn load(
    common: &args::SceneArgs,
    mode: crate::clip::build::ProgramMode,
    threads: Option<usize>,
) -> Result<crate::scene::Scene, Error> {
    use crate::clip::build::{Live, ProgramMode, Programs};
    // A stream without a duration is read while the scene loads: Ctrl-C must stop it.
    // Programs are stopped through the flag; a `stdin` clip needs no permission, and
    // where a signal does not end the process at once (the preview), the flag is what
    // stops its reading.
    let stop = match mode {
        ProgramMode::Run => Some(render::interrupt_flag()),
        ProgramMode::Refuse => Some(render::stop_flag()),
        ProgramMode::List => None,
    };
    let live = std::sync::Arc::new(Live {
        stop,
        failure: Default::default(),
        threads,
    });
    let programs = Programs {
        mode,
        live: live.clone(),
        scene_path: common.scene.clone(),
    };
    let scene = crate::scene::load_with(&common.scene, &common.set, programs).map_err(|e| {
        let failed = live
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        failed.map_or(e, Error::Render)
    })?;
    if scene.reads_stdin && common.scene.as_os_str() == "-" {
        return Err(Error::Usage(
            "the scene is read from standard input (`-`), so a `kind = \"stdin\"` clip cannot read frames \
             from it too: save the scene to a file"
                .into(),
        ));
    }
    Ok(scene)
}

/// What `--allow-programs` means for loading a scene that renders.
pub(crate) fn programs_when(allowed: bool) -> crate::clip::build::ProgramMode {
    if allowed {
        crate::clip::build::ProgramMode::Run
    } else {
        crate::clip::build::ProgramMode::Refuse
    }
}
