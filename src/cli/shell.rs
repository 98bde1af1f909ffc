//! What editors and shells read about animate: the scene files' JSON Schema, completion
//! scripts (clap_complete) and the manual page (clap_mangen), all printed to stdout.

use clap::CommandFactory;

use super::args::{Cli, CompletionsArgs, ManArgs};
use crate::base::error::Error;
use crate::base::report;

/// `animate schema`: the JSON Schema of scene files.
pub fn schema() -> Result<(), Error> {
    let doc = crate::scene::schema::document();
    let text = serde_json::to_string_pretty(&doc)
        .map_err(|e| Error::Render(format!("cannot write the schema: {e}")))?;
    report::stdout(text + "\n")
}

/// `animate completions SHELL`.
pub fn completions(a: CompletionsArgs) -> Result<(), Error> {
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "animate", &mut script);
    report::stdout(script)
}

/// `animate man [COMMAND]`: animate(1), or animate-COMMAND(1).
pub fn man(a: ManArgs) -> Result<(), Error> {
    let cli = Cli::command();
    let page = match &a.command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name) else {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                let mut msg = format!("no command `{name}`: commands are {}", names.join(", "));
                if let Some(hint) = crate::base::diag::did_you_mean(name, names.iter().copied()) {
                    msg = format!("{msg} ({hint})");
                }
                return Err(Error::Usage(msg));
            };
            // The page of `animate render` is animate-render(1), as git's are. The name
            // lives until the process ends (clap takes `'static` names without its
            // `string` feature).
            let full: &'static str = Box::leak(format!("animate-{}", sub.get_name()).into());
            sub.clone().name(full).version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|e| Error::Render(format!("cannot write the manual page: {e}")))?;
    report::stdout(roff)
}
