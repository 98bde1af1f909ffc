//! `animate deps` and `render --depfile`: the files a scene reads, for build tools.

use std::path::{Path, PathBuf};

use super::args::DepsArgs;
use crate::base::error::Error;

pub fn run(a: DepsArgs) -> Result<(), Error> {
    let scene = super::load(&a.common, crate::clip::build::ProgramMode::List, None)?;
    let mut text = String::new();
    // A name that would act on the terminal, or break the one-per-line list (a line
    // break, a tab), is shown named (`<U+000A>`), as in messages; `--depfile` refuses
    // such names outright.
    for input in &scene.inputs {
        let name = input.display().to_string();
        text += &format!("{}\n", crate::base::listing::one_line(&name));
    }
    crate::base::report::stdout(text.as_bytes())
}

/// Where a name stands in a Make rule: GNU Make reads `%` differently in the two.
#[derive(Clone, Copy, PartialEq)]
enum Word {
    Target,
    Prerequisite,
}

/// Writes a path so that GNU Make reads exactly that name back, or says why it cannot:
/// a line break, a `;` (a recipe follows it, escaped or not), a tab or a `|` (no escape
/// reads back the same as a prerequisite and as a target), any other control character
/// (Make takes a vertical tab or a form feed for a blank), a trailing `\`, a leading
/// `~` (Make's home folder), bytes that are not UTF-8, a special target's name
/// ([`special_target`]) or an archive member's form ([`archive_member`]). Measured
/// with GNU Make 4.3, a name counting as changed, unchanged and deleted: spaces, `#`,
/// `:` and wildcards take a `\`; `%` only in a target (in a prerequisite `\%` is two
/// characters); `$` is doubled; `=`, which can make the line a variable assignment, is
/// written as a function giving it; a `\` is doubled only before a character that
/// takes one.
fn make_word(p: &Path, word: Word) -> Result<String, &'static str> {
    let text = p.to_str().ok_or("is not UTF-8")?;
    if text.starts_with('~') {
        return Err("starts with `~`, which Make reads as a home folder");
    }
    let escaped = |c: char| {
        matches!(c, ' ' | '#' | ':' | '*' | '?' | '[' | ']') || (c == '%' && word == Word::Target)
    };
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' => return Err("holds a line break"),
            ';' => return Err("holds a `;`, which starts a recipe in a Make rule"),
            '\t' => return Err("holds a tab"),
            '|' => return Err("holds a `|`"),
            c if c.is_control() => return Err("holds a control character"),
            '$' => out.push_str("$$"),
            '=' => out.push_str("$(firstword =)"),
            '\\' => match chars.peek() {
                None => return Err("ends in `\\`, which Make reads as a line continuing"),
                Some(&next) if escaped(next) => out.push_str("\\\\"),
                Some(_) => out.push('\\'),
            },
            c if escaped(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if special_target(text) {
        return Err(
            "is a special target of GNU Make (`.IGNORE:` or `.SECONDEXPANSION:` \
             changes how Make reads every rule)",
        );
    }
    if archive_member(text) {
        return Err("has the form `lib(member)`, which Make reads as a member of an archive");
    }
    Ok(out)
}

/// Whether Make reads `name` as one of its special targets (`.IGNORE`, `.SILENT`,
/// `.SECONDEXPANSION`, …: a dot and capitals), which an empty rule in a depfile would
/// switch on for the whole Makefile. Make drops a leading `./` (and the slashes after
/// it) before it compares; a name in a sub-folder (`data/.IGNORE`) is an ordinary file.
fn special_target(name: &str) -> bool {
    let mut bare = name;
    while let Some(rest) = bare.strip_prefix("./") {
        bare = rest.trim_start_matches('/');
    }
    bare.strip_prefix('.').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}

/// Whether Make reads `name` as `archive(member)`: a `(` after the first character and
/// a `)` at the end with something between (GNU Make's `ar_name`). Such a prerequisite
/// is looked for inside an archive that does not exist, so the target is rebuilt on
/// every run.
fn archive_member(name: &str) -> bool {
    match name.find('(') {
        Some(open) if open > 0 => name.ends_with(')') && name.len() > open + 2,
        _ => false,
    }
}

/// Refuses (exit 2, before rendering) a dependency file whose target or inputs have
/// names Make cannot read back: written anyway, they would break every later `make`, or
/// run what follows a `;` or a line break as a command.
pub fn check_names(target: &Path, scene: &crate::scene::Scene) -> Result<(), Error> {
    let words = std::iter::once((target, Word::Target, None)).chain(
        scene
            .inputs
            .iter()
            .zip(scene.input_places.iter().chain(std::iter::repeat(&None)))
            .map(|(p, place)| (p.as_path(), Word::Prerequisite, place.clone())),
    );
    for (path, word, place) in words {
        let Err(why) = make_word(path, word) else {
            continue;
        };
        let message = format!(
            "--depfile: the name {} {why}, so no Make rule can hold it",
            crate::base::listing::visible(&path.to_string_lossy())
        );
        let hint = "rename the file, or render without --depfile";
        return Err(match place {
            Some(span) => {
                scene.error(crate::base::diag::Diagnostic::at(message, span).with_hint(hint))
            }
            None => Error::Usage(format!("{message}: {hint}")),
        });
    }
    Ok(())
}

/// The text of a Make dependency file: `target: inputs…`, then an empty rule per
/// input so that deleting an input does not break the build (like `gcc -MP`). Names
/// were checked by [`check_names`]; one that cannot be written is left out.
pub fn depfile_text(target: &Path, inputs: &[PathBuf]) -> String {
    let word = |p: &Path, w| make_word(p, w).ok();
    let mut text = format!("{}:", word(target, Word::Target).unwrap_or_default());
    let inputs: Vec<&PathBuf> = inputs
        .iter()
        .filter(|p| word(p, Word::Prerequisite).is_some())
        .collect();
    for input in &inputs {
        text += &format!(
            " \\\n  {}",
            word(input, Word::Prerequisite).unwrap_or_default()
        );
    }
    text += "\n";
    for input in &inputs {
        text += &format!("\n{}:\n", word(input, Word::Target).unwrap_or_default());
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
    if let super::overwrite::Reads::Scene(scene) = reads {
        check_names(target, scene)?;
    }
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
    fn names_are_written_as_make_reads_them_back() {
        let w = |s: &str, word| make_word(Path::new(s), word);
        let pre = Word::Prerequisite;
        assert_eq!(w("a b#c:d.png", pre).unwrap(), "a\\ b\\#c\\:d.png");
        assert_eq!(w("s*?[1].png", pre).unwrap(), "s\\*\\?\\[1\\].png");
        assert_eq!(w("pc%t.png", pre).unwrap(), "pc%t.png");
        assert_eq!(w("pc%t.png", Word::Target).unwrap(), "pc\\%t.png");
        assert_eq!(w("a=b$c.png", pre).unwrap(), "a$(firstword =)b$$c.png");
        assert_eq!(w("back\\slash.png", pre).unwrap(), "back\\slash.png");
        assert_eq!(w("back\\ space.png", pre).unwrap(), "back\\\\\\ space.png");
        assert_eq!(w("a~b.png", pre).unwrap(), "a~b.png");
        for bad in [
            "a\nb.png", "a\rb.png", "a;b.png", "a\tb", "a|b", "end\\", "~/x.png",
        ] {
            assert!(w(bad, pre).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_make_reads_as_something_else_are_refused() {
        let w = |s: &str| make_word(Path::new(s), Word::Prerequisite);
        for bad in [
            ".IGNORE",
            ".SECONDEXPANSION",
            "./.SILENT",
            ".//.POSIX",
            "$(shell\u{b}touch\u{b}x)",
            "a\u{c}b.png",
            "a\u{1b}b.png",
            "d(e)",
            "sub/lib(x.o)",
        ] {
            assert!(w(bad).is_err(), "{bad:?}");
        }
        for good in [
            "data/.IGNORE",
            ".hidden.png",
            ".Ignore",
            ".",
            "(a)",
            "a(b).png",
            "x()",
            "p[1] (copy).png",
        ] {
            assert!(w(good).is_ok(), "{good:?}");
        }
    }

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
