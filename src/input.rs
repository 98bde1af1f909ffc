//! Opening the user's files so that none of them can hang or exhaust the process.
//!
//! Every file a scene or a command names goes through here. A named pipe would block
//! `open` until a writer comes (for ever, usually) and a device such as `/dev/zero`
//! has no length to check against a limit, so only regular files are read: the type is
//! checked on a handle opened without blocking, and every read that has a size limit
//! reads at most one byte more than the limit, whatever the metadata says.

use std::fs::{File, FileType, Metadata};
use std::io::Read;
use std::path::Path;

/// What a non-regular file is, in words, for messages ("a named pipe (FIFO)").
pub fn kind(t: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// The sentence for a file that is not a regular file.
fn not_regular(path: &Path, t: &FileType) -> String {
    format!(
        "{} is {}, not a regular file: animate reads only regular files",
        path.display(),
        kind(t)
    )
}

/// Refuses `meta` unless it describes a regular file.
fn regular(path: &Path, meta: &Metadata) -> Result<(), String> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(not_regular(path, &meta.file_type()))
    }
}

/// Checks, without opening it, that `path` (after following links) is a regular file,
/// and returns its length. For files handed to a library that opens them itself
/// (FFmpeg), and for early checks with the scene's place.
pub fn check_file(path: &Path) -> Result<u64, String> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    regular(path, &meta)?;
    Ok(meta.len())
}

/// Checks that `path` (after following links) is a folder.
pub fn check_dir(path: &Path) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    if meta.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "{} is {}, not a folder",
            path.display(),
            if meta.is_file() {
                "a file"
            } else {
                kind(&meta.file_type())
            }
        ))
    }
}

fn cannot_read(path: &Path, e: &std::io::Error) -> String {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    format!("cannot read {}: {reason}", path.display())
}

/// Opens a regular file for reading. The open itself cannot block (`O_NONBLOCK`, which
/// does nothing to regular files), and the type is checked on the open handle, so a
/// file swapped for a pipe in between is caught too.
pub fn open(path: &Path) -> Result<File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| cannot_read(path, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    regular(path, &meta)?;
    Ok(file)
}

/// The whole of a regular file of at most `limit` bytes; `what` names the limit in the
/// message ("a scene file", "a font file"). At most `limit + 1` bytes are read.
pub fn read(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, String> {
    let file = open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit, what));
    }
    Ok(bytes)
}

/// A regular file opened for reading at most `limit` bytes, refused at once when its
/// length already says it is larger. A reader that reaches the limit stops there (the
/// caller sees the end of its data), so a file that grows while read stays bounded.
pub fn open_limited(path: &Path, limit: u64, what: &str) -> Result<std::io::Take<File>, String> {
    let file = open(path)?;
    let len = file.metadata().map_err(|e| cannot_read(path, &e))?.len();
    if len > limit {
        return Err(too_large(path, limit, what));
    }
    Ok(file.take(limit))
}

fn too_large(path: &Path, limit: u64, what: &str) -> String {
    format!(
        "{} is too large: {what} may be at most {}",
        path.display(),
        bytes_shown(limit)
    )
}

/// `16 MiB`, `512 MiB`, or bytes for small limits.
fn bytes_shown(n: u64) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read(&p, 5, "a test file").unwrap(), b"12345");
        let e = read(&p, 4, "a test file").unwrap_err();
        assert!(
            e.ends_with("is too large: a test file may be at most 4 bytes"),
            "{e}"
        );
        assert!(open_limited(&p, 4, "x").is_err());
        let e = open(dir.path()).unwrap_err();
        assert!(e.contains("is a folder, not a regular file"), "{e}");
        assert!(check_dir(dir.path()).is_ok());
        assert!(check_dir(&p)
            .unwrap_err()
            .contains("is a file, not a folder"));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let e = read(Path::new("/dev/zero"), 10, "x").unwrap_err();
        assert!(e.contains("is a character device"), "{e}");
        assert!(check_file(Path::new("/dev/null")).is_err());
    }
}
