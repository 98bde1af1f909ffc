//! The files an image sequence's glob names. A scene's folder may hold symbolic links
//! that loop (`a/up -> ..`) or lead to the whole file system, so `**` does not follow
//! links to folders (as bash's globstar does not), and the walk stops with an error
//! after [`MAX_DIRS`] folder reads or [`MAX_ENTRIES`] entries rather than running for ever.

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

/// What the walk has read so far, against its bounds.
struct Walk<'a> {
    written: &'a str,
    dirs: usize,
    entries: usize,
    max_dirs: usize,
    max_entries: usize,
}

/// Every path under `base` that `written` (relative to `base`, or absolute) matches,
/// unsorted. Folders are listed too (the caller skips them); a folder that does not
/// exist matches nothing; one that cannot be read is an error.
pub fn matches(base: &Path, written: &str) -> Result<Vec<PathBuf>, String> {
    matches_within(base, written, MAX_DIRS, MAX_ENTRIES)
}

/// [`matches`] with the bounds given.
fn matches_within(
    base: &Path,
    written: &str,
    max_dirs: usize,
    max_entries: usize,
) -> Result<Vec<PathBuf>, String> {
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
    Ok(found)
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
    /// a folder was expected, has none.
    fn list(&mut self, dir: &Path) -> Result<Vec<(String, PathBuf, bool)>, String> {
        let read = match std::fs::read_dir(dir) {
            Ok(r) => r,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound) => return Ok(Vec::new()),
            Err(_) if !dir.is_dir() => return Ok(Vec::new()),
            Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
        };
        self.dirs += 1;
        if self.dirs > self.max_dirs {
            let n = self.max_dirs;
            return Err(self.too_much(format!("opens folders more than {n} times")));
        }
        let mut out = Vec::new();
        for entry in read {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
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

    #[test]
    fn large_trees_stop_at_the_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for i in 0..6 {
            std::fs::create_dir_all(d.join(format!("t/{i}"))).unwrap();
            std::fs::write(d.join(format!("t/{i}/f.png")), b"").unwrap();
        }
        assert_eq!(matches_within(d, "t/**/*.png", 14, 100).unwrap().len(), 6);
        let e = matches_within(d, "t/**/*.png", 13, 100).unwrap_err();
        assert!(
            e.contains("the glob `t/**/*.png` opens folders more than 13 times"),
            "{e}"
        );
        let e = matches_within(d, "t/*/*.png", 100, 11).unwrap_err();
        assert!(e.contains("reads more than 11 folder entries"), "{e}");
        assert_eq!(matches_within(d, "t/*/*.png", 100, 12).unwrap().len(), 6);
    }
}
