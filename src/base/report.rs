//! Lines for the user on stderr and stdout that cannot crash the program: a reader that
//! went away (`animate deps s.toml | head -1`) must not turn finished work into a panic.

use std::fmt::Display;
use std::io::{ErrorKind, Write};

use crate::base::error::Error;

/// A line on stderr. If stderr is closed there is nowhere left to say anything, so a
/// failed write is dropped.
pub fn line(text: impl Display) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// `warning: …` on stderr.
pub fn warn(text: impl Display) {
    line(format_args!("warning: {text}"));
}

/// Text or bytes on stdout. A closed pipe means the reader has all it wanted: not an
/// error.
pub fn stdout(bytes: impl AsRef<[u8]>) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes.as_ref()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(Error::Render(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
