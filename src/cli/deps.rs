//! `animate deps` and `render --depfile`: the files a scene reads, for build tools.

use std::path::{Path, PathBuf};

use super::args::DepsArgs;
use crate::base::error::Error;

pub fn run(a: DepsArgs) -> Result<(), Error> {
    let scene = super::load(&a.common, crate::clip::build::ProgramMode::List)?;
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

/// Refuses, before rendering, a dependency file that would replace the output or a
/// file the scene reads (`--depfile $<` in a Makefile would overwrite the scene), and
/// makes its folder like `-o` does, so that a render never ends without its rule.
pub fn check_depfile(
    path: &Path,
    target: &Path,
    reads: &super::overwrite::Reads,
) -> Result<(), Error> {
    let shown = path.display();
    if crate::encode::output::same_file(path, target) {
        return Err(Error::Usage(format!(
            "--depfile {shown} is the output itself: name the rule file differently, e.g. {shown}.d"
        )));
    }
    super::overwrite::refuse_overwrite(
        &format!("--depfile {shown}"),
        &super::overwrite::Writes::File(path),
        reads,
    )?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::encode::output::create_dirs(dir).map_err(|e| {
            Error::Usage(format!(
                "--depfile {shown}: cannot create the folder {}: {e}",
                dir.display()
            ))
        })?;
    }
    Ok(())
}

/// Writes the dependency file atomically.
pub fn write_depfile(path: &Path, target: &Path, inputs: &[PathBuf]) -> Result<(), Error> {
    let fail =
        |e: &dyn std::fmt::Display| Error::Render(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = crate::encode::output::temp_file_beside(path, dir)?;
    std::io::Write::write_all(tmp.as_file_mut(), depfile_text(target, inputs).as_bytes())
        .map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e))?;
    Ok(())
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
