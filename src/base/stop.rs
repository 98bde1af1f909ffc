//! Whether Ctrl-C, SIGTERM or SIGHUP asked the command to stop. The CLI's signal
//! handler sets it; encoders ask it just before an output is put in place, and while
//! encoding a video's sound, so that a signal during the last steps of a render (the
//! encoder's flush, the sound after the last frame) is not lost: the render frame loop
//! alone sees only signals that arrive between frames.

use std::sync::atomic::{AtomicBool, Ordering};

use super::error::RenderError;

static SIGNALLED: AtomicBool = AtomicBool::new(false);

/// Records that a signal asked the command to stop.
pub fn signal() {
    SIGNALLED.store(true, Ordering::SeqCst);
}

/// Whether a signal asked the command to stop.
pub fn signalled() -> bool {
    SIGNALLED.load(Ordering::SeqCst)
}

/// `Err(interrupted)` once a signal asked the command to stop.
pub fn check() -> Result<(), RenderError> {
    match signalled() {
        true => Err(RenderError::interrupted()),
        false => Ok(()),
    }
}
