//! Temporaries (`.NAME.XXXXXX.tmp` beside a target) that a killed render left behind: a
//! frames render's folder, and a single file's where it could not be unnamed (a file
//! system without `O_TMPFILE`, or the instant between linking and renaming over an
//! existing target; see `commit.rs`). Each is locked (`flock`) by the render writing
//! it, and the next render to the same target removes the ones nobody holds. A lock
//! dies with its process, so a living render's temporary (another segment, on this
//! machine or over NFS) is never taken; where locks are not supported, nothing is
//! removed.

use std::fs::File;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A folder younger than this is left alone: its render may not have locked it yet.
const GRACE: Duration = Duration::from_secs(60);

/// Marks `dir` as in use for as long as the returned file is open.
#[cfg(unix)]
pub(crate) fn hold(dir: &Path) -> Option<File> {
    let file = File::open(dir).ok()?;
    lock(&file).then_some(file)
}

/// Marks an open temporary file as in use for as long as it stays open.
pub(crate) fn hold_file(file: &File) {
    lock(file);
}

#[cfg(not(unix))]
pub(crate) fn hold(_dir: &Path) -> Option<File> {
    None
}

/// Removes the temporaries in `parent` named `{prefix}XXXXXX.tmp` that no render holds:
/// regular files, and folders that hold nothing but frames.
pub(crate) fn remove_abandoned(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let is_ours = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|random| random.len() == 6);
        // `file_type` does not follow a link: a link named like ours is not ours.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !is_ours || !(kind.is_dir() || kind.is_file()) {
            continue;
        }
        let path = entry.path();
        if is_abandoned(&path, kind.is_dir()) {
            let _ = match kind.is_dir() {
                true => std::fs::remove_dir_all(&path),
                false => std::fs::remove_file(&path),
            };
        }
    }
}

/// Old enough, unlocked, and (a folder) holding only PNG files.
fn is_abandoned(path: &Path, is_dir: bool) -> bool {
    let old = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() > GRACE);
    if !old {
        return false;
    }
    let only_frames = !is_dir
        || std::fs::read_dir(path).is_ok_and(|entries| {
            entries.flatten().all(|e| {
                e.file_type().is_ok_and(|t| t.is_file())
                    && e.file_name().to_str().is_some_and(|n| n.ends_with(".png"))
            })
        });
    // Taking the lock proves no process holds it; it is released when `file` closes.
    only_frames && File::open(path).is_ok_and(|file| lock(&file))
}

#[cfg(unix)]
fn lock(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid open descriptor; flock does not touch memory.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn lock(_file: &File) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn age(dir: &Path, secs: u64) {
        let t = SystemTime::now() - Duration::from_secs(secs);
        File::open(dir).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn removes_only_old_unheld_folders_of_frames_named_for_the_target() {
        let parent = tempfile::tempdir().unwrap();
        let p = |n: &str| parent.path().join(n);
        for n in [
            ".fr.aaaaaa.tmp",
            ".fr.bbbbbb.tmp",
            ".fr.cccccc.tmp",
            ".fr.dddddd.tmp",
        ] {
            std::fs::create_dir(p(n)).unwrap();
            std::fs::write(p(n).join("0001.png"), b"x").unwrap();
        }
        // one with something else in it, one of another target, one held, one young
        std::fs::write(p(".fr.bbbbbb.tmp").join("notes.txt"), b"x").unwrap();
        std::fs::create_dir(p(".other.eeeeee.tmp")).unwrap();
        let held = hold(&p(".fr.cccccc.tmp")).unwrap();
        for n in [
            ".fr.aaaaaa.tmp",
            ".fr.bbbbbb.tmp",
            ".fr.cccccc.tmp",
            ".other.eeeeee.tmp",
        ] {
            age(&p(n), 3600);
        }
        remove_abandoned(parent.path(), ".fr.");
        assert!(!p(".fr.aaaaaa.tmp").exists());
        assert!(p(".fr.bbbbbb.tmp").exists());
        assert!(p(".fr.cccccc.tmp").exists());
        assert!(p(".fr.dddddd.tmp").exists());
        assert!(p(".other.eeeeee.tmp").exists());
        drop(held);
        remove_abandoned(parent.path(), ".fr.");
        assert!(!p(".fr.cccccc.tmp").exists());
    }

    #[test]
    fn removes_old_unheld_temporary_files_too() {
        let parent = tempfile::tempdir().unwrap();
        let p = |n: &str| parent.path().join(n);
        for n in [
            ".out.gif.aaaaaa.tmp",
            ".out.gif.bbbbbb.tmp",
            ".out.gif.cccccc.tmp",
        ] {
            std::fs::write(p(n), b"GIF89a").unwrap();
        }
        let held = File::open(p(".out.gif.bbbbbb.tmp")).unwrap();
        hold_file(&held);
        for n in [".out.gif.aaaaaa.tmp", ".out.gif.bbbbbb.tmp"] {
            age(&p(n), 3600);
        }
        remove_abandoned(parent.path(), ".out.gif.");
        assert!(!p(".out.gif.aaaaaa.tmp").exists());
        assert!(p(".out.gif.bbbbbb.tmp").exists());
        assert!(p(".out.gif.cccccc.tmp").exists());
    }
}
