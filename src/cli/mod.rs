//! The command line: `animate render | check | deps | join | frame | preview`.

mod args;
mod check;
mod deps;
mod frame;
mod join;
mod overwrite;
mod render;

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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Render(a) => render::run(a),
        Command::Check(a) => check::run(a),
        Command::Deps(a) => deps::run(a),
        Command::Join(a) => join::run(a),
        Command::Frame(a) => frame::run(a),
        Command::Preview(a) => preview(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            crate::encode::output::remove_created_dirs();
            crate::base::report::line(&e);
            e.exit_code()
        }
    }
}

/// The scene as loaded with the command line's `--set` overrides.
pub(crate) fn load(common: &args::SceneArgs) -> Result<crate::scene::Scene, Error> {
    crate::scene::load(&common.scene, &common.set)
}
