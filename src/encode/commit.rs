//! The temporary file an output is written into before it is committed over its
//! target.
//!
//! On Linux it is an unnamed file (`O_TMPFILE`) in the target's folder: until the
//! commit links it into place it has no name, so even a render killed by SIGKILL,
//! which no handler sees, leaves nothing behind. Where the file system does not
//! support that (or `/proc` is missing), and on other systems, it is today's named
//! `.NAME.XXXXXX.tmp` beside the target, removed on failure and interruption; one a
//! kill left is removed by the next render to the same target (`leftovers.rs`).

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::base::error::RenderError;

/// A temporary output file; dropped without [`TempOutput::persist`], it disappears.
pub struct TempOutput {
    inner: Inner,
}

enum Inner {
    /// An `O_TMPFILE` file, its folder, and the name prefix for an indirect commit.
    #[cfg(target_os = "linux")]
    Unnamed {
        file: File,
        dir: PathBuf,
        prefix: String,
    },
    Named(tempfile::NamedTempFile),
}

impl From<tempfile::NamedTempFile> for TempOutput {
    fn from(f: tempfile::NamedTempFile) -> TempOutput {
        TempOutput {
            inner: Inner::Named(f),
        }
    }
}

impl TempOutput {
    /// A temporary file in `dir` (the folder of `target`), unnamed where possible.
    pub fn beside(target: &Path, dir: &Path) -> Result<TempOutput, RenderError> {
        super::leftovers::remove_abandoned(dir, &super::output::temp_prefix(target));
        #[cfg(target_os = "linux")]
        if let Some(file) = unnamed_in(dir) {
            // Held through the instant it is linked under a temporary name.
            super::leftovers::hold_file(&file);
            return Ok(TempOutput {
                inner: Inner::Unnamed {
                    file,
                    dir: dir.to_path_buf(),
                    prefix: super::output::temp_prefix(target),
                },
            });
        }
        let named = super::output::named_temp_file_beside(target, dir)?;
        super::leftovers::hold_file(named.as_file());
        Ok(TempOutput::from(named))
    }

    pub fn as_file(&self) -> &File {
        match &self.inner {
            #[cfg(target_os = "linux")]
            Inner::Unnamed { file, .. } => file,
            Inner::Named(f) => f.as_file(),
        }
    }

    pub fn as_file_mut(&mut self) -> &mut File {
        match &mut self.inner {
            #[cfg(target_os = "linux")]
            Inner::Unnamed { file, .. } => file,
            Inner::Named(f) => f.as_file_mut(),
        }
    }

    /// A path that opens this file, for libraries that open files themselves (FFmpeg):
    /// `/proc/self/fd/N` for an unnamed one.
    pub fn path(&self) -> PathBuf {
        match &self.inner {
            #[cfg(target_os = "linux")]
            Inner::Unnamed { file, .. } => proc_path(file),
            Inner::Named(f) => f.path().to_path_buf(),
        }
    }

    /// Puts the file at `target` in one step: a reader sees the old target or the
    /// whole new one, never a part.
    pub fn persist(self, target: &Path) -> std::io::Result<()> {
        match self.inner {
            #[cfg(target_os = "linux")]
            Inner::Unnamed { file, dir, prefix } => link_unnamed(&file, &dir, &prefix, target),
            Inner::Named(f) => f.persist(target).map(drop).map_err(|e| e.error),
        }
    }
}

#[cfg(target_os = "linux")]
fn proc_path(file: &File) -> PathBuf {
    use std::os::fd::AsRawFd;
    PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()))
}

/// An `O_TMPFILE` file in `dir` with the usual permissions (0666 less the umask), or
/// `None` where the file system cannot make one or `/proc` (needed to link it) is not
/// there.
#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .mode(0o666)
        .custom_flags(libc::O_TMPFILE)
        .open(dir)
        .ok()?;
    std::fs::metadata(proc_path(&file)).ok()?;
    Some(file)
}

/// `linkat` of the file's `/proc/self/fd` entry to `to`, following that link.
#[cfg(target_os = "linux")]
fn link(file: &File, to: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let cstr = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL in the path"))
    };
    let from = cstr(&proc_path(file))?;
    let to = cstr(to)?;
    // SAFETY: both are valid NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Links the unnamed file at `target`. A new target is linked directly; an existing
/// one cannot be replaced by `linkat`, so the file is linked under a temporary name
/// beside it and renamed over it (a kill between the two leaves that name behind).
#[cfg(target_os = "linux")]
fn link_unnamed(file: &File, dir: &Path, prefix: &str, target: &Path) -> std::io::Result<()> {
    match link(file, target) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        other => return other,
    }
    let named = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .make_in(dir, |p| link(file, p))?;
    named.persist(target).map(drop).map_err(|e| e.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commits_new_and_existing_targets_and_leaves_nothing_else() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.gif");
        let mut t = TempOutput::beside(&target, dir.path()).unwrap();
        t.as_file_mut().write_all(b"first").unwrap();
        #[cfg(target_os = "linux")]
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        t.persist(&target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
        let mut t = TempOutput::beside(&target, dir.path()).unwrap();
        t.as_file_mut().write_all(b"second").unwrap();
        t.persist(&target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let t = TempOutput::beside(&target, dir.path()).unwrap();
        drop(t);
        assert_eq!(names(dir.path()), ["out.gif"]);
        // The named fallback (file systems without O_TMPFILE, other systems).
        let mut t = TempOutput::from(
            super::super::output::named_temp_file_beside(&target, dir.path()).unwrap(),
        );
        t.as_file_mut().write_all(b"third").unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        t.persist(&target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"third");
        assert_eq!(names(dir.path()), ["out.gif"]);
    }
}
