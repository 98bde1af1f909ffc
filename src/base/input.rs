//! Opening the user's files so that none of them can hang or exhaust the process.
//!
//! Every file a scene or a command names goes through here. A named pipe would block
//! `open` until a writer comes (for ever, usually) and a device such as `/dev/zero`
//! has no length to check against a limit, so only regular files are read: the type is
//! checked on a handle opened without blocking, and every read that has a size limit
//! reads at most one byte more than the limit, whatever the metadata says.

use std::fs::{File, FileType, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Why a file could not be read: its path and the reason ("no such file", "it is a
/// named pipe (FIFO), not a regular file…"). Shown as `cannot read PATH: REASON`;
/// callers with their own wording (the scene file) use the parts.
#[derive(Debug)]
pub struct InputError {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.reason)
    }
}

impl From<InputError> for String {
    fn from(e: InputError) -> String {
        e.to_string()
    }
}

fn fail(path: &Path, reason: String) -> InputError {
    InputError {
        path: path.to_path_buf(),
        reason,
    }
}

fn io(path: &Path, e: &std::io::Error) -> InputError {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => describe(e),
    };
    fail(path, reason)
}

/// The soft limit on files a process may have open at once (`ulimit -n`), if known.
#[allow(clippy::unnecessary_cast)] // `rlim_t` is 32 bits on some systems
pub fn open_files_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut r = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct it is given and nothing else.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) } == 0
            && r.rlim_cur != libc::RLIM_INFINITY
        {
            return Some(r.rlim_cur as u64);
        }
    }
    None
}

/// What running out of file descriptors means, in plain words with what to do:
/// `None` for any other error. Every open, pipe, temporary file and decoder of the
/// process counts against the limit (docs/sources.md, "Open files").
pub fn too_many_open(e: &std::io::Error) -> Option<String> {
    #[cfg(unix)]
    match e.raw_os_error() {
        Some(libc::EMFILE) => {
            let limit = match open_files_limit() {
                Some(n) => format!(" (`ulimit -n` is {n})"),
                None => String::new(),
            };
            return Some(format!(
                "animate has as many files open as the system lets one process have{limit}: \
                 raise the limit before running it, e.g. `ulimit -n 4096`"
            ));
        }
        Some(libc::ENFILE) => {
            return Some(
                "the system has as many files open as it allows (all processes together): \
                 close some programs, or raise the system's limit (fs.file-max)"
                    .to_string(),
            )
        }
        _ => {}
    }
    None
}

/// An I/O error as a user reads it: [`too_many_open`]'s words when descriptors ran
/// out, else the system's.
pub fn describe(e: &std::io::Error) -> String {
    too_many_open(e).unwrap_or_else(|| e.to_string())
}

/// Fills `buf` from `file` at `offset`, without moving (or sharing) a file position.
pub fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, SeekFrom};
        let mut f = file;
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }
}

/// The name of a file beside where `path` points that is likely what was meant (one
/// typo from its name, as keys and clip names are suggested), when `path` is missing:
/// the nearest of all the folder's names ([`similar_name::in_folder`](super::similar_name::in_folder)).
pub fn similar_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    super::similar_name::in_folder(dir, name)
}

/// Refuses `meta` unless it describes a regular file.
fn regular(path: &Path, meta: &Metadata) -> Result<(), InputError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(fail(
            path,
            format!(
                "it is {}, not a regular file: animate reads only regular files",
                kind(&meta.file_type())
            ),
        ))
    }
}

/// Checks, without opening it, that `path` (after following links) is a regular file,
/// and returns its length. For files handed to a library that opens them itself
/// (FFmpeg).
pub fn check_file(path: &Path) -> Result<u64, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, &e))?;
    regular(path, &meta)?;
    Ok(meta.len())
}

/// Like [`check_file`], for a media file handed to FFmpeg, which also refuses an empty
/// one: nothing can be decoded from it, and a file of the kernel's (`/proc/kmsg`) says
/// it is empty, regular and may block FFmpeg's read for ever.
pub fn check_media_file(path: &Path) -> Result<u64, InputError> {
    match check_file(path)? {
        0 => Err(fail(path, "it is empty (0 bytes)".to_string())),
        len => Ok(len),
    }
}

/// Opens a regular file for reading. The open itself cannot block (`O_NONBLOCK`, which
/// does nothing to regular files), and the type is checked on the open handle, so a
/// file swapped for a pipe in between is caught too.
pub fn open(path: &Path) -> Result<File, InputError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| io(path, &e))?;
    let meta = file.metadata().map_err(|e| io(path, &e))?;
    regular(path, &meta)?;
    Ok(file)
}

/// The whole of a regular file of at most `limit` bytes; `what` names the limit in the
/// message ("a scene file", "a font file"). At most `limit + 1` bytes are read.
pub fn read(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>, InputError> {
    let file = open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(fail(
            path,
            format!(
                "it is larger than {}, the most {what} may have",
                bytes_shown(limit)
            ),
        ));
    }
    Ok(bytes)
}

/// A reader of at most `limit` bytes that fails, rather than ends, when its source has
/// more: for files read as a stream (CSV) whose length was checked on opening but may
/// have grown since.
pub struct Bounded<R> {
    inner: std::io::Take<R>,
    limit: u64,
    read: u64,
    what: &'static str,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, limit: u64, what: &'static str) -> Bounded<R> {
        Bounded {
            inner: inner.take(limit.saturating_add(1)),
            limit,
            read: 0,
            what,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(format!(
                "it is larger than {}, the most {} may have",
                bytes_shown(self.limit),
                self.what
            )));
        }
        Ok(n)
    }
}

/// A regular file read (and sought) like an open one, whose descriptor is opened when
/// it is first read and closed again by [`Reopening::close`]: for a decoder that keeps
/// what it learnt of a file (a TIFF stack's page directories) through a render, without
/// keeping one descriptor per file the scene names. Reads are positioned (`pread`), so
/// closing and opening again loses nothing.
pub struct Reopening {
    path: PathBuf,
    /// Its length when it was first opened; a file that changed since is refused.
    len: u64,
    pos: u64,
    file: Option<File>,
}

impl Reopening {
    /// Opens `path` (a regular file, as [`open`] checks) and keeps it open until
    /// [`close`](Self::close).
    pub fn open(path: &Path) -> Result<Reopening, InputError> {
        let file = open(path)?;
        let len = file.metadata().map_err(|e| io(path, &e))?.len();
        Ok(Reopening {
            path: path.to_path_buf(),
            len,
            pos: 0,
            file: Some(file),
        })
    }

    /// Lets the descriptor go; the next read opens the file again.
    pub fn close(&mut self) {
        self.file = None;
    }

    fn file(&mut self) -> std::io::Result<&File> {
        if self.file.is_none() {
            let file = open(&self.path).map_err(|e| std::io::Error::other(e.reason))?;
            let len = file.metadata()?.len();
            if len != self.len {
                return Err(std::io::Error::other(format!(
                    "it changed while rendering (now {len} bytes, {} when it was opened)",
                    self.len
                )));
            }
            self.file = Some(file);
        }
        Ok(self.file.as_ref().expect("opened above"))
    }
}

impl Read for Reopening {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let pos = self.pos;
        let file = self.file()?;
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(file, buf, pos)?;
        #[cfg(not(unix))]
        let n = {
            use std::io::{Seek, SeekFrom};
            let mut f = file;
            f.seek(SeekFrom::Start(pos))?;
            f.read(buf)?
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl std::io::Seek for Reopening {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let (base, delta) = match to {
            std::io::SeekFrom::Start(n) => (n, 0),
            std::io::SeekFrom::End(d) => (self.len, d),
            std::io::SeekFrom::Current(d) => (self.pos, d),
        };
        self.pos = base.checked_add_signed(delta).ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

/// `16 MiB`, `512 MiB`, or bytes for small limits.
pub fn bytes_shown(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reopening_file_reads_and_seeks_across_closes_and_refuses_a_change() {
        use std::io::{Seek, SeekFrom};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.bin");
        std::fs::write(&p, b"0123456789").unwrap();
        let mut f = Reopening::open(&p).unwrap();
        let mut b = [0u8; 3];
        f.read_exact(&mut b).unwrap();
        assert_eq!(&b, b"012");
        f.close();
        f.read_exact(&mut b).unwrap();
        assert_eq!(&b, b"345");
        assert_eq!(f.seek(SeekFrom::End(-2)).unwrap(), 8);
        f.close();
        let mut rest = Vec::new();
        f.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"89");
        assert!(f.seek(SeekFrom::Current(-11)).is_err());
        f.close();
        std::fs::write(&p, b"01234").unwrap();
        let e = f.read(&mut b).unwrap_err().to_string();
        assert!(
            e.contains("changed while rendering (now 5 bytes, 10"),
            "{e}"
        );
    }

    #[test]
    fn running_out_of_descriptors_is_said_plainly() {
        let e = std::io::Error::from_raw_os_error(libc::EMFILE);
        let text = describe(&e);
        assert!(text.contains("ulimit -n"), "{text}");
        assert!(!text.contains("os error"), "{text}");
        let other = std::io::Error::from_raw_os_error(libc::EIO);
        assert_eq!(describe(&other), other.to_string());
    }

    #[test]
    fn reads_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read(&p, 5, "a test file").unwrap(), b"12345");
        let e = read(&p, 4, "a test file").unwrap_err();
        assert_eq!(
            e.reason,
            "it is larger than 4 bytes, the most a test file may have"
        );
        let e = open(dir.path()).unwrap_err().to_string();
        assert!(e.contains(": it is a folder, not a regular file"), "{e}");
        let mut out = Vec::new();
        let e = Bounded::new(&b"12345"[..], 4, "x")
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "it is larger than 4 bytes, the most x may have"
        );
        out.clear();
        Bounded::new(&b"1234"[..], 4, "x")
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"1234");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let e = read(Path::new("/dev/zero"), 10, "x")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("cannot read /dev/zero: it is a character device"),
            "{e}"
        );
        assert!(check_file(Path::new("/dev/null")).is_err());
    }
}
