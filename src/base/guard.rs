//! Other people's decoders under a guard. A damaged file that trips a bug in a picture
//! decoder (a panic inside `image`, `gif`, `png`, `tiff` or `image-webp`) becomes an
//! error naming the file, exit code 2, like any other damage the decoder reports,
//! instead of a crash that leaves the user with a Rust backtrace and no file name.
//!
//! The default panic message is kept quiet while a guarded decoder runs (the error says
//! it instead); everywhere else a panic is still reported as the bug in animate it is.

use std::any::Any;
use std::cell::Cell;
use std::fmt::Display;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Guarded decoders running on this thread.
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

/// Installs the panic hook that stays quiet inside a guarded decoder; once per process
/// (`decoding` calls it, so a library user gets it too).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) == 0 {
                default(info);
            }
        }));
    });
}

/// Runs `decode`, which reads `what` (a file's path as displayed); a panic inside it
/// becomes the error "`what` is corrupt or unreadable: its decoder failed (…)". Its own
/// errors pass through unchanged.
pub fn decoding<T>(
    what: impl Display,
    decode: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    // Under the fuzzers a decoder's panic is the finding: it is not caught.
    if cfg!(fuzzing) {
        return decode();
    }
    install();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(decode));
    GUARDED.with(|g| g.set(g.get() - 1));
    result.unwrap_or_else(|payload| {
        Err(format!(
            "{what} is corrupt or unreadable: its decoder failed ({})",
            message(payload.as_ref())
        ))
    })
}

/// A panic's message, when it has one.
fn message(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no reason given".into());
    // One line, and not a page of it: the message is the library's, not written for users.
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_panic_inside_a_decoder_is_an_error_naming_the_file() {
        let r: Result<(), String> = decoding(Path::new("in.webp").display(), || {
            panic!("index out\nof range")
        });
        assert_eq!(
            r.unwrap_err(),
            "in.webp is corrupt or unreadable: its decoder failed (index out of range)"
        );
        let r: Result<u8, String> = decoding("x", || Err("short read".into()));
        assert_eq!(r.unwrap_err(), "short read");
        assert_eq!(decoding("x", || Ok(3)), Ok(3));
        // The guard is left: nothing is counted as guarded afterwards.
        assert_eq!(GUARDED.with(Cell::get), 0);
    }

    #[test]
    fn a_long_panic_message_is_cut() {
        let long = "x".repeat(500);
        let r: Result<(), String> = decoding("f", || panic!("{long}"));
        let e = r.unwrap_err();
        assert!(e.ends_with("…)") && e.len() < 300, "{e}");
    }
}
