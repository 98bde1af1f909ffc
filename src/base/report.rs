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

/// `warning: …` on stderr, or into the list of [`capture`] when one runs on this thread.
pub fn warn(text: impl Display) {
    let kept = CAPTURED.with(|c| match c.borrow_mut().as_mut() {
        Some(list) => {
            list.push(text.to_string());
            true
        }
        None => false,
    });
    if !kept {
        line(format_args!("warning: {text}"));
    }
}

thread_local! {
    static CAPTURED: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` and returns the warnings it gave on this thread instead of printing them:
/// `animate preview` shows a scene's warnings in its page.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let outer = CAPTURED.with(|c| c.borrow_mut().replace(Vec::new()));
    let value = f();
    let warnings = CAPTURED.with(|c| std::mem::replace(&mut *c.borrow_mut(), outer));
    (value, warnings.unwrap_or_default())
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

#[cfg(test)]
mod tests {
    #[test]
    fn captured_warnings_are_returned_not_printed() {
        let ((), outer) = super::capture(|| {
            super::warn("one");
            let ((), inner) = super::capture(|| super::warn("two"));
            assert_eq!(inner, ["two"]);
            super::warn(format_args!("three {}", 3));
        });
        assert_eq!(outer, ["one", "three 3"]);
    }
}
