//! The command line: `animate render | check | deps | join | frame`, and for editors and
//! shells `schema | completions | man`.

mod args;
mod check;
mod deps;
mod frame;
mod join;
mod overwrite;
mod render;
mod shell;

use clap::Parser;

pub use args::Cli;
use args::Command;

use crate::base::error::Error;

/// Runs the program and returns its exit code.
pub fn main() -> i32 {
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
        Command::Schema => shell::schema(),
        Command::Completions(a) => shell::completions(a),
        Command::Man(a) => shell::man(a),
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
fn load(common: &args::SceneArgs) -> Result<crate::scene::Scene, Error> {
    crate::scene::load(&common.scene, &common.set)
}
