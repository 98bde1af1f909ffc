//! Progress reporting: a bar on a terminal, nothing in pipes and Makefiles.

use std::io::IsTerminal;

/// Told about each frame handed to the encoder; returning `false` cancels the render.
pub trait Progress: Sync {
    fn frame_done(&self, done: u64, total: u64) -> bool;
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn frame_done(&self, _done: u64, _total: u64) -> bool {
        true
    }
}

/// An indicatif bar on stderr: frames done / total, rate, ETA.
pub struct Bar(indicatif::ProgressBar);

impl Bar {
    /// A bar when stderr is a terminal and not `quiet`, otherwise `None`.
    pub fn for_terminal(total: u64, quiet: bool) -> Option<Bar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(total);
        let style = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} frames  {per_sec}  ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        Some(Bar(bar))
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn frame_done(&self, done: u64, _total: u64) -> bool {
        self.0.set_position(done);
        true
    }
}
