//! Temporary frame folders (`.NAME.XXXXXX.tmp` beside a frames target) that a killed
//! render left behind. Single-file outputs are unnamed until committed, so nothing of
//! theirs survives a SIGKILL or a power cut; a frames render needs a named folder. Each
//! folder is locked (`flock`) by the render writing it, and the next render into the
//! same target removes the ones nobody holds. A lock dies with its process, so a
//! living render's folder (another segment, on this machine or over NFS) is never
//! taken; where locks are not supported, nothing is removed.

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

#[cfg(not(unix))]
pub(crate) fn hold(_dir: &Path) -> Option<File> {
    None
}

/// Removes the temporary folders in `parent` named `{prefix}XXXXXX.tmp` that no render
/// holds, and that hold nothing but frames.
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
        if !is_ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        if is_abandoned(&path) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Old enough, unlocked, and holding only PNG files.
fn is_abandoned(dir: &Path) -> bool {
    let old = std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() > GRACE);
    if !old {
        return false;
    }
    let only_frames = std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            e.file_type().is_ok_and(|t| t.is_file())
                && e.file_name().to_str().is_some_and(|n| n.ends_with(".png"))
        })
    });
    // Taking the lock proves no process holds it; it is released when `file` closes.
    only_frames && File::open(dir).is_ok_and(|file| lock(&file))
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
}
