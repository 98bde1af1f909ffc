//! Lines for the user on stderr and stdout that cannot crash the program: a reader that
//! went away (`animate deps s.toml | head -1`) must not turn finished work into a panic.

use std::fmt::Display;
use std::io::{ErrorKind, Write};

use crate::base::error::Error;

thread_local! {
    /// Lines held back by [`held`] on this thread.
    static HELD: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// A line on stderr, with what would act on the terminal named
/// ([`printable`](crate::base::listing::printable)): messages quote the scene. If stderr
/// is closed there is nowhere left to say anything, so a failed write is dropped.
pub fn line(text: impl Display) {
    let text = text.to_string();
    let text = crate::base::listing::printable(&text);
    let kept = HELD.with(|h| match h.borrow_mut().as_mut() {
        Some(lines) => {
            lines.push(text.to_string());
            true
        }
        None => false,
    });
    if !kept {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }
}

/// Runs `f` with the lines it says on this thread held back and returned, for work
/// that may be done again (a scene built a second time at its content's frame rate)
/// and should say things once.
pub fn held<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let before = HELD.with(|h| h.borrow_mut().replace(Vec::new()));
    let out = f();
    let lines = HELD.with(|h| std::mem::replace(&mut *h.borrow_mut(), before));
    (out, lines.unwrap_or_default())
}

/// `warning: …` on stderr.
pub fn warn(text: impl Display) {
    line(format_args!("warning: {text}"));
}

/// Data (a picture) written to stdout, where a reader that closed the pipe did not get
/// it: that is an error, as it is for `render -o -`.
pub fn stdout_data(bytes: &[u8], what: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::Render(format!("cannot write {what} to stdout: {e}")))
}

/// Text on stdout. A closed pipe means the reader has all it wanted (`check | head`):
/// not an error.
pub fn stdout(bytes: impl AsRef<[u8]>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes.as_ref()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(Error::Render(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
