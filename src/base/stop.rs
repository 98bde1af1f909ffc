//! Whether Ctrl-C, SIGTERM or SIGHUP asked the command to stop. The CLI's signal
//! handler sets it; encoders ask it just before an output is put in place, and while
//! encoding a video's sound, so that a signal during the last steps of a render (the
//! encoder's flush, the sound after the last frame) is not lost: the render frame loop
//! alone sees only signals that arrive between frames.
//!
//! Work inside one frame asks it too, so that a huge frame stops part-way (three
//! 8000² layers with nine effects each went on for minutes after SIGTERM): layouts
//! between layers and effects after their operation give up with
//! [`RenderError::interrupted`] (`RenderCx::check`), and the long loops below them
//! (blur, resampling, rotation, Sobel, painting, drawing over) ask [`signalled`]
//! every band of rows and return early. What such a loop leaves is unfinished, so a
//! caller of one must not hand its frame on without asking this flag after it: the
//! effect wrappers and layouts do, and a signal always ends the command.

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
