//! The one check every command makes before it writes anything: no output — `-o`,
//! `--depfile`, `join -o`, `frame -o` — may be, write into or clear a file or folder
//! the command reads. `-o in.gif` over the scene's own `in.gif`, or `-o seq/` over the
//! image sequence it shows, would otherwise destroy the input once the render commits.
//!
//! Paths are compared by identity (device and inode after following links) as well as
//! by their absolute, normalised form, so `./in.gif`, `/abs/in.gif`, a symbolic link
//! and a hard link to the input are all the input.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::base::diag::Diagnostic;
use crate::base::error::Error;
use crate::base::input::kind;
use crate::base::pattern::NamePattern;
use crate::encode::output::Output;
use crate::scene::Scene;

/// What an output writes.
pub(super) enum Writes<'a> {
    /// One file, replaced as a whole.
    File(&'a Path),
    /// PNG frames named by `names`, written into `dir`; a whole render also removes
    /// older frames of the same names there.
    Frames {
        dir: &'a Path,
        names: &'a NamePattern,
    },
}

impl<'a> Writes<'a> {
    /// What `output` writes; nothing for standard output.
    pub fn of(output: &'a Output) -> Option<Writes<'a>> {
        match output {
            Output::Gif { path, .. } | Output::Video { path, .. } => Some(Writes::File(path)),
            Output::PngSequence { dir, names } => Some(Writes::Frames { dir, names }),
            Output::Stdout { .. } => None,
        }
    }
}

/// What a command reads: the scene's inputs (with their places in the scene file),
/// or the parts `join` was given.
pub(super) enum Reads<'a> {
    Scene(&'a Scene),
    Parts(&'a [PathBuf]),
}

/// Refuses (exit 2) `out` — named `what` in the message, e.g. "the output out.gif" —
/// when it is, or would write into or clear, something `reads` reads.
pub(super) fn refuse_overwrite(what: &str, out: &Writes, reads: &Reads) -> Result<(), Error> {
    refuse_unwritable(what, out)?;
    let (inputs, places): (&[PathBuf], &[Option<Range<usize>>]) = match reads {
        Reads::Scene(s) => (&s.inputs, &s.input_places),
        Reads::Parts(p) => (p, &[]),
    };
    let reader = match reads {
        Reads::Scene(_) => "the scene",
        Reads::Parts(_) => "join",
    };
    for (i, input) in inputs.iter().enumerate() {
        let Some(harm) = harm(out, input) else {
            continue;
        };
        let shown = input.display();
        let message = match (harm, reads) {
            (Harm::Overwrite, Reads::Scene(s)) if i == 0 => {
                return Err(Error::Usage(format!(
                    "{what} would overwrite {}, the scene file",
                    s.path.display()
                )))
            }
            (Harm::Overwrite, Reads::Parts(_)) => {
                format!("{what} is one of the parts join reads ({shown})")
            }
            (Harm::Overwrite, _) => format!("{what} would overwrite {shown}, which {reader} reads"),
            (Harm::Clear, _) => {
                format!("{what} would overwrite or remove {shown}, which {reader} reads")
            }
            (Harm::Into, _) => {
                format!("{what} would be written into the folder {shown}, which {reader} reads")
            }
        };
        let hint = "write the output somewhere else";
        return Err(match (reads, places.get(i).cloned().flatten()) {
            (Reads::Scene(s), Some(span)) => s.error(Diagnostic::at(message, span).with_hint(hint)),
            _ => Error::Usage(format!("{message}: {hint}")),
        });
    }
    Ok(())
}

/// Refuses (exit 2) an output that names something other than a file to replace or a
/// folder to write into: a device (`/dev/null`), a named pipe, a socket, a folder where
/// a file goes, or a file where a folder goes. Outputs are written as new files renamed
/// over their targets, which would replace a device or a pipe with a plain file (and
/// as root, `--depfile /dev/null` would remove `/dev/null`). Symbolic links are followed
/// before this check (see [`crate::encode::output::through_link`]).
fn refuse_unwritable(what: &str, out: &Writes) -> Result<(), Error> {
    let refuse = |shown: &Path, is: &str, hint: &str| {
        Err(Error::Usage(format!(
            "{what}: {} is {is}: {hint}",
            shown.display()
        )))
    };
    // What writes the same to standard output, by the output's kind: a PNG is one
    // frame (`frame -o -`), a GIF a render's (`-o - --format gif`); a depfile or a
    // video has no such form.
    let to_stdout = match out {
        // The name as written (`what`): a link's target, such as /dev/full, has none.
        Writes::File(_) if what.starts_with("the output") => {
            match Path::new(what).extension().and_then(|e| e.to_str()) {
                Some(e) if e.eq_ignore_ascii_case("gif") => {
                    " (or write to standard output: -o - --format gif)"
                }
                Some(e) if e.eq_ignore_ascii_case("png") => " (or write to standard output: -o -)",
                _ => "",
            }
        }
        _ => "",
    };
    let replaced = format!(
        "outputs are written as a new file renamed over the old one, which would \
         replace it; name a regular file{to_stdout}"
    );
    // A file where a folder of the path should be (`-o in.png/x.gif`).
    let path = match *out {
        Writes::File(path) => path,
        Writes::Frames { dir, .. } => dir,
    };
    if let Some(file) = path
        .ancestors()
        .skip(1)
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
    {
        return refuse(
            file,
            "not a folder",
            "the output's path goes through it; name another",
        );
    }
    match *out {
        Writes::File(path) => match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => refuse(path, "a folder", "name a file inside it"),
            Ok(m) if !m.is_file() => refuse(
                path,
                &format!("{}, not a regular file", kind(&m.file_type())),
                &replaced,
            ),
            _ => Ok(()),
        },
        Writes::Frames { dir, names } => {
            // `file/` is refused by the system as "not a folder" before it is looked at.
            let dir = dir.components().as_path();
            match std::fs::metadata(dir) {
                Ok(m) if !m.is_dir() => {
                    return refuse(
                        dir,
                        "not a folder",
                        "PNG frames go into a folder; name another",
                    );
                }
                Err(_) => return Ok(()),
                Ok(_) => {}
            }
            let Ok(entries) = std::fs::read_dir(dir) else {
                return Ok(());
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                if !name.to_str().is_some_and(|n| matches_any_width(names, n)) {
                    continue;
                }
                // A link among the frames is replaced, its file left alone: no harm.
                match entry.path().symlink_metadata() {
                    Ok(m) if m.is_file() || m.file_type().is_symlink() => {}
                    Ok(m) => {
                        return refuse(
                            &entry.path(),
                            &format!("{} with a frame's name", kind(&m.file_type())),
                            "frames are written as new files renamed into place, which would \
                             replace it; move it, or write the frames into another folder",
                        );
                    }
                    Err(_) => {}
                }
            }
            Ok(())
        }
    }
}

/// How an output would damage an input.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Harm {
    /// The output is the input.
    Overwrite,
    /// The input is one of the frames the output writes or removes.
    Clear,
    /// The output goes into a folder that is an input (an image sequence's).
    Into,
}

fn harm(out: &Writes, input: &Path) -> Option<Harm> {
    let input_is_dir = input.is_dir();
    match *out {
        Writes::File(file) => {
            if same(file, input) {
                Some(Harm::Overwrite)
            } else if input_is_dir && inside(file, input) {
                Some(Harm::Into)
            } else {
                None
            }
        }
        Writes::Frames { dir, names } => {
            if input_is_dir {
                (same(dir, input) || inside(dir, input)).then_some(Harm::Into)
            } else if same(dir, input) {
                Some(Harm::Overwrite)
            } else {
                let in_dir = input.parent().is_some_and(|p| {
                    same(
                        if p.as_os_str().is_empty() {
                            Path::new(".")
                        } else {
                            p
                        },
                        dir,
                    )
                });
                let framed = input
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| matches_any_width(names, n));
                (in_dir && framed).then_some(Harm::Clear)
            }
        }
    }
}

/// Whether `name` is a frame name of `names` at some zero-padding width.
fn matches_any_width(names: &NamePattern, name: &str) -> bool {
    (1..=name.len()).any(|w| names.index_of(name, w).is_some())
}

/// Whether two paths name one file or folder.
fn same(a: &Path, b: &Path) -> bool {
    if let (Some(x), Some(y)) = (identity(a), identity(b)) {
        if x == y {
            return true;
        }
    }
    resolved(a) == resolved(b)
}

/// Whether `path` lies (at any depth) inside the folder `dir`.
fn inside(path: &Path, dir: &Path) -> bool {
    let dir_id = identity(dir);
    let dir_path = resolved(dir);
    resolved(path)
        .ancestors()
        .skip(1)
        .any(|a| a == dir_path || (dir_id.is_some() && identity(a) == dir_id))
}

/// Device and inode of what `p` names, after following links.
#[cfg(unix)]
fn identity(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<(u64, u64)> {
    None
}

/// The absolute path of `p` with links resolved in the part that exists, and `.` and
/// `..` resolved in the part that does not yet.
fn resolved(p: &Path) -> PathBuf {
    let Ok(abs) = std::path::absolute(p) else {
        return p.to_path_buf();
    };
    let mut base = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(mut out) = base.canonicalize() {
            for c in rest.iter().rev() {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        let mut comps = base.components();
        match comps.next_back() {
            Some(last) if !matches!(last, Component::RootDir | Component::Prefix(_)) => {
                rest.push(last);
                base = comps.as_path();
            }
            _ => return abs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_compared_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.gif");
        std::fs::write(&a, b"x").unwrap();
        assert!(same(&a, &dir.path().join("sub/../a.gif")));
        assert!(same(&a, &dir.path().join("./a.gif")));
        assert!(!same(&a, &dir.path().join("b.gif")));
        assert!(inside(&dir.path().join("new/deeper/x.gif"), dir.path()));
        assert!(!inside(dir.path(), &a));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.gif");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert!(same(&link, &a));
            let hard = dir.path().join("hard.gif");
            std::fs::hard_link(&a, &hard).unwrap();
            assert!(same(&hard, &a));
        }
    }

    #[test]
    fn frames_clear_only_their_own_names() {
        let names = NamePattern::numbered();
        assert!(matches_any_width(&names, "0001.png"));
        assert!(matches_any_width(&names, "7.png"));
        assert!(!matches_any_width(&names, "logo.png"));
    }
}
