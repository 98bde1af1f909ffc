//! `animate deps` and `render --depfile`: the files a scene reads, for build tools.

use std::path::{Path, PathBuf};

use super::args::DepsArgs;
use crate::base::error::Error;

pub fn run(a: DepsArgs) -> Result<(), Error> {
    let scene = super::load(&a.common, crate::clip::build::ProgramMode::List, None)?;
    let mut text = String::new();
    for input in &scene.inputs {
        text += &format!("{}\n", input.display());
    }
    crate::base::report::stdout(&text)
}

/// Escapes a path for a Make rule (spaces, `#`, `$`, `:`).
fn make_escape(p: &Path) -> String {
    let mut out = String::new();
    for c in p.to_string_lossy().chars() {
        match c {
            ' ' | '#' | ':' | '%' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '$' => out.push_str("$$"),
            _ => out.push(c),
        }
    }
    out
}

/// The text of a Make dependency file: `target: inputs…`, then an empty rule per
/// input so that deleting an input does not break the build (like `gcc -MP`).
pub fn depfile_text(target: &Path, inputs: &[PathBuf]) -> String {
    let mut text = format!("{}:", make_escape(target));
    for input in inputs {
        text += &format!(" \\\n  {}", make_escape(input));
    }
    text += "\n";
    for input in inputs {
        text += &format!("\n{}:\n", make_escape(input));
    }
    text
}

/// A dependency file to write once the render succeeds. Its temporary file is made
/// before the render, so an unwritable place fails the command before any work, not
/// after the output was written without its rule.
pub struct Depfile {
    path: PathBuf,
    tmp: crate::encode::commit::TempOutput,
}

/// Refuses, before rendering, a dependency file that would replace the output or a
/// file the scene reads (`--depfile $<` in a Makefile would overwrite the scene), or
/// something that is not a file; makes its folder like `-o` does and its temporary
/// file, so that a render never ends without its rule.
pub fn check_depfile(
    path: &Path,
    target: &Path,
    reads: &super::overwrite::Reads,
) -> Result<Depfile, Error> {
    let shown = path.display();
    if crate::encode::output::same_file(path, target) {
        return Err(Error::Usage(format!(
            "--depfile {shown} is the output itself: name the rule file differently, e.g. {shown}.d"
        )));
    }
    let real = crate::encode::output::through_link(path)
        .map_err(|e| Error::Usage(format!("--depfile {e}")))?;
    super::overwrite::refuse_overwrite(
        &format!("--depfile {shown}"),
        &super::overwrite::Writes::File(&real),
        reads,
    )?;
    let dir = match real.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => {
            crate::encode::output::create_dirs(dir).map_err(|e| {
                Error::Usage(format!(
                    "--depfile {shown}: cannot create the folder {}: {e}",
                    dir.display()
                ))
            })?;
            dir
        }
        None => Path::new("."),
    };
    let tmp = crate::encode::output::temp_file_beside(&real, dir)
        .map_err(|e| Error::Render(format!("--depfile {shown}: {}", e.0)))?;
    Ok(Depfile { path: real, tmp })
}

impl Depfile {
    /// Writes the rule and commits the file over its target.
    pub fn write(mut self, target: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
        let path = &self.path;
        let fail = |e: &dyn std::fmt::Display| {
            Error::Render(format!("cannot write {}: {e}", path.display()))
        };
        std::io::Write::write_all(
            self.tmp.as_file_mut(),
            depfile_text(target, inputs).as_bytes(),
        )
        .map_err(|e| fail(&e))?;
        self.tmp.persist(path).map_err(|e| fail(&e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depfile_lists_inputs_with_phony_rules() {
        let text = depfile_text(
            Path::new("out.gif"),
            &[PathBuf::from("s.toml"), PathBuf::from("my pic.png")],
        );
        assert_eq!(
            text,
            "out.gif: \\\n  s.toml \\\n  my\\ pic.png\n\ns.toml:\n\nmy\\ pic.png:\n"
        );
    }
}
