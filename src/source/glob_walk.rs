//! The files an image sequence's glob names. A scene's folder may hold symbolic links
//! that loop (`a/up -> ..`) or lead to the whole file system, so `**` does not follow
//! links to folders (as bash's globstar does not), and the walk stops with an error
//! after [`MAX_DIRS`] folder reads or [`MAX_ENTRIES`] entries rather than running for ever.
//! A folder below the first wildcard that cannot be read (another user's, `lost+found`)
//! is skipped, as bash's globstar skips it, and counted for one warning; the folder the
//! pattern names before its first wildcard must be readable.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use glob::{MatchOptions, Pattern};

/// The most times one glob may open a folder (`**/*.png` opens each twice)…
pub const MAX_DIRS: usize = 100_000;
/// …and the most folder entries it may read (matching or not).
pub const MAX_ENTRIES: usize = 2_000_000;

/// One path component of the pattern after its first wildcard.
enum Part {
    /// A plain name: joined without reading the folder.
    Name(String),
    /// A component with `*`, `?` or `[…]`: matched against each entry of the folder.
    Wild(Pattern),
    /// `**`: this folder and every folder below it, symbolic links not followed.
    Deep,
}

/// Opens a folder for listing (`std::fs::read_dir`; tests put failures in).
type Opener = fn(&Path) -> std::io::Result<std::fs::ReadDir>;

/// What the walk has read so far, against its bounds.
struct Walk<'a> {
    written: &'a str,
    dirs: usize,
    entries: usize,
    max_dirs: usize,
    max_entries: usize,
    open: Opener,
    /// The folder the walk starts in: one that cannot be read is an error.
    root: PathBuf,
    skipped: Skipped,
}

/// Folders below the first wildcard that could not be read and were left out.
#[derive(Debug, Default)]
pub struct Skipped {
    /// Each once (`**/*.png` tries each folder twice).
    folders: BTreeSet<PathBuf>,
    /// Why the first in path order could not be read.
    why: String,
}

impl Skipped {
    fn add(&mut self, dir: &Path, why: std::io::Error) {
        if self.folders.first().is_none_or(|f| dir < f.as_path()) {
            self.why = why.to_string();
        }
        self.folders.insert(dir.to_path_buf());
    }

    /// The warning for the glob `written`, if anything was skipped.
    pub fn warning(&self, written: &str) -> Option<String> {
        let first = self.folders.first()?.display();
        let why = &self.why;
        Some(match self.folders.len() {
            1 => format!("the glob `{written}` left out a folder it cannot read: {first} ({why})"),
            n => format!(
                "the glob `{written}` left out {n} folders it cannot read, the first {first} ({why})"
            ),
        })
    }
}

/// Every path under `base` that `written` (relative to `base`, or absolute) matches,
/// unsorted, and the folders left out. Folders are listed too (the caller skips them);
/// a folder that does not exist matches nothing; one below the first wildcard that
/// cannot be read is skipped; the one before it that cannot be read is an error.
pub fn matches(base: &Path, written: &str) -> Result<(Vec<PathBuf>, Skipped), String> {
    matches_within(base, written, MAX_DIRS, MAX_ENTRIES, |d| {
        std::fs::read_dir(d)
    })
}

/// [`matches`] with the bounds and the folder opener given.
fn matches_within(
    base: &Path,
    written: &str,
    max_dirs: usize,
    max_entries: usize,
    open: Opener,
) -> Result<(Vec<PathBuf>, Skipped), String> {
    let bad = |e: glob::PatternError| format!("bad glob pattern `{written}`: {}", e.msg);
    let mut root = base.to_path_buf();
    let mut parts = Vec::new();
    for c in Path::new(written).components() {
        let text = c.as_os_str().to_string_lossy();
        let wild = matches!(c, Component::Normal(_)) && text.contains(['*', '?', '[']);
        if text == "**" {
            parts.push(Part::Deep);
        } else if wild {
            parts.push(Part::Wild(Pattern::new(&text).map_err(bad)?));
        } else if parts.is_empty() {
            root.push(c);
        } else {
            parts.push(Part::Name(text.into_owned()));
        }
    }
    // `a**b` is refused by the pattern's own parser, as the whole path would be.
    Pattern::new(written).map_err(bad)?;
    let mut walk = Walk {
        written,
        dirs: 0,
        entries: 0,
        max_dirs,
        max_entries,
        open,
        root: root.clone(),
        skipped: Skipped::default(),
    };
    let mut found = Vec::new();
    let mut todo = vec![(root, 0)];
    while let Some((path, i)) = todo.pop() {
        let Some(part) = parts.get(i) else {
            found.push(path);
            continue;
        };
        let last = i + 1 == parts.len();
        match part {
            Part::Name(name) => {
                let next = path.join(name);
                if last || next.is_dir() {
                    todo.push((next, i + 1));
                }
            }
            Part::Wild(pattern) => {
                for (name, entry, _) in walk.list(&path)? {
                    if pattern.matches_with(&name, OPTIONS) && (last || entry.is_dir()) {
                        todo.push((entry, i + 1));
                    }
                }
            }
            Part::Deep => {
                todo.push((path.clone(), i + 1));
                for (_, entry, folder) in walk.list(&path)? {
                    if folder {
                        todo.push((entry, i));
                    }
                }
            }
        }
    }
    found.sort();
    found.dedup();
    Ok((found, walk.skipped))
}

/// As the `glob` crate matches by default: `*` also matches names that start with a dot.
const OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

impl Walk<'_> {
    /// The entries of folder `dir` (name, path, whether the entry itself is a folder and
    /// not a link to one), counted against the bounds. A missing folder, or a file where
    /// a folder was expected, has none; so has one below the root that cannot be read
    /// (noted in `skipped`).
    /// A folder that cannot be read: an error when it is the root, written before
    /// the first wildcard; below it, left out (noted in `skipped`) with no entries.
    fn unreadable(
        &mut self,
        dir: &Path,
        e: std::io::Error,
    ) -> Result<Vec<(String, PathBuf, bool)>, String> {
        if dir == self.root {
            return Err(format!("cannot read {}: {e}", dir.display()));
        }
        self.skipped.add(dir, e);
        Ok(Vec::new())
    }

    fn list(&mut self, dir: &Path) -> Result<Vec<(String, PathBuf, bool)>, String> {
        let read = match (self.open)(dir) {
            Ok(r) => r,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound) => return Ok(Vec::new()),
            Err(_) if !dir.is_dir() => return Ok(Vec::new()),
            Err(e) => return self.unreadable(dir, e),
        };
        self.dirs += 1;
        if self.dirs > self.max_dirs {
            let n = self.max_dirs;
            return Err(self.too_much(format!("opens folders more than {n} times")));
        }
        let mut out = Vec::new();
        for entry in read {
            let entry = match entry {
                Ok(entry) => entry,
                // Failing part-way is failing: none of it is used.
                Err(e) => return self.unreadable(dir, e),
            };
            self.entries += 1;
            if self.entries > self.max_entries {
                let n = self.max_entries;
                return Err(self.too_much(format!("reads more than {n} folder entries")));
            }
            let folder = entry.file_type().is_ok_and(|t| t.is_dir());
            out.push((
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
                folder,
            ));
        }
        Ok(out)
    }

    fn too_much(&self, what: String) -> String {
        format!(
            "the glob `{}` {what}: narrow it (`**` does not follow symbolic links to folders, but a large tree is still walked whole)",
            self.written
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(base: &Path, pattern: &str) -> Vec<String> {
        matches(base, pattern)
            .unwrap()
            .0
            .iter()
            .filter(|p| p.is_file())
            .map(|p| p.strip_prefix(base).unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn deep_globs_match_files_at_every_level_but_do_not_follow_folder_links() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("ld/a/b")).unwrap();
        for f in ["ld/x.png", "ld/a/y.png", "ld/a/b/z.png", "ld/a/b/z.jpg"] {
            std::fs::write(d.join(f), b"").unwrap();
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("..", d.join("ld/a/up")).unwrap();
            std::os::unix::fs::symlink("b/z.png", d.join("ld/a/link.png")).unwrap();
        }
        let mut want = vec!["ld/a/b/z.png", "ld/a/y.png", "ld/x.png"];
        if cfg!(unix) {
            want.insert(1, "ld/a/link.png");
        }
        assert_eq!(names(d, "ld/**/*.png"), want);
        assert_eq!(names(d, "ld/*/b/z.*"), ["ld/a/b/z.jpg", "ld/a/b/z.png"]);
        assert_eq!(names(d, "l?/[a-c]/y.png"), ["ld/a/y.png"]);
        assert!(names(d, "nothing/*.png").is_empty());
        assert!(matches(d, "ld/a**/*.png").unwrap_err().contains("bad glob"));
    }

    fn walk(
        base: &Path,
        pattern: &str,
        dirs: usize,
        entries: usize,
    ) -> Result<Vec<PathBuf>, String> {
        matches_within(base, pattern, dirs, entries, |d| std::fs::read_dir(d))
            .map(|(found, _)| found)
    }

    /// Folders named `locked…` fail to open as an unreadable folder does (a test run
    /// as root reads a folder whatever its mode says).
    fn locked_out(dir: &Path) -> std::io::Result<std::fs::ReadDir> {
        if dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("locked"))
        {
            return Err(std::io::ErrorKind::PermissionDenied.into());
        }
        std::fs::read_dir(dir)
    }

    #[test]
    fn unreadable_folders_below_a_wildcard_are_left_out_and_counted_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "s/a.png",
            "s/locked2/b.png",
            "s/x/locked1/c.png",
            "s/x/d.png",
            "s/locked3/e/f.png",
        ] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), b"").unwrap();
        }
        let walk = |pattern| matches_within(d, pattern, 100, 100, locked_out);
        let (found, skipped) = walk("s/**/*.png").unwrap();
        let found: Vec<_> = found.iter().filter(|p| p.is_file()).collect();
        assert_eq!(found, [&d.join("s/a.png"), &d.join("s/x/d.png")]);
        let w = skipped.warning("s/**/*.png").unwrap();
        let first = d.join("s/locked2");
        assert!(
            w.contains(&format!(
                "left out 3 folders it cannot read, the first {} (",
                first.display()
            )),
            "{w}"
        );
        assert!(w.contains("ermission denied"), "{w}");
        // One level of `*` skips the same way; one folder is said as one.
        let (found, skipped) = walk("s/*/b*.png").unwrap();
        assert!(found.is_empty());
        assert!(skipped
            .warning("s/*/b*.png")
            .unwrap()
            .contains("left out 2 folders"));
        let (_, skipped) = walk("s/x/*/*.png").unwrap();
        let w = skipped.warning("s/x/*/*.png").unwrap();
        let locked = d.join("s/x/locked1");
        assert!(
            w.contains(&format!(
                "left out a folder it cannot read: {} (",
                locked.display()
            )),
            "{w}"
        );
        // Nothing left out, nothing to say.
        assert!(walk("s/x/*.png").unwrap().1.warning("s/x/*.png").is_none());
        // The folder named before the first wildcard must be readable.
        let e = walk("s/locked2/*.png").unwrap_err();
        assert!(
            e.starts_with(&format!("cannot read {}", first.display())),
            "{e}"
        );
        // The limits still hold.
        let e = matches_within(d, "s/**/*.png", 3, 100, locked_out).unwrap_err();
        assert!(e.contains("opens folders more than 3 times"), "{e}");
    }

    #[test]
    fn large_trees_stop_at_the_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..6 {
            std::fs::create_dir_all(d.join(format!("t/{i}"))).unwrap();
            std::fs::write(d.join(format!("t/{i}/f.png")), b"").unwrap();
        }
        assert_eq!(walk(d, "t/**/*.png", 14, 100).unwrap().len(), 6);
        let e = walk(d, "t/**/*.png", 13, 100).unwrap_err();
        assert!(
            e.contains("the glob `t/**/*.png` opens folders more than 13 times"),
            "{e}"
        );
        let e = walk(d, "t/*/*.png", 100, 11).unwrap_err();
        assert!(e.contains("reads more than 11 folder entries"), "{e}");
        assert_eq!(walk(d, "t/*/*.png", 100, 12).unwrap().len(), 6);
    }
}
