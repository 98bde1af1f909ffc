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
            "{bar:40} {pos}/{len} frames  {rate}  ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate_text(state.per_sec()));
            },
        );
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

/// The bar's rate with one decimal, so that the line does not jitter between
/// `6.6301/s` and `13.0769/s` as the estimate moves.
pub fn rate_text(per_sec: f64) -> String {
    if per_sec.is_finite() && per_sec >= 0.0 {
        format!("{per_sec:.1} frames/s")
    } else {
        "- frames/s".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::rate_text;

    #[test]
    fn rate_has_one_decimal() {
        assert_eq!(rate_text(6.6301), "6.6 frames/s");
        assert_eq!(rate_text(13.0769), "13.1 frames/s");
        assert_eq!(rate_text(120.0), "120.0 frames/s");
        assert_eq!(rate_text(f64::INFINITY), "- frames/s");
    }
}
