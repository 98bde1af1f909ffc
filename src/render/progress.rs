//! Progress reporting: a bar on a terminal, nothing in pipes and Makefiles.

use std::io::IsTerminal;
use std::sync::Mutex;

use super::passes::{Passes, ShowsPasses, View};
use crate::clip::pass::PassWatch;

/// Told about each frame handed to the encoder; returning `false` cancels the render.
pub trait Progress: Sync {
    fn frame_done(&self, done: u64, total: u64) -> bool;
    /// Who is told of the passes over a clip the frames make (measurements, statistics
    /// over a clip); none by default.
    fn passes(&self) -> Option<&dyn PassWatch> {
        None
    }
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn frame_done(&self, _done: u64, _total: u64) -> bool {
        true
    }
}

/// An indicatif bar on stderr: frames done / total, rate, ETA; while a pass over a
/// clip runs, that pass's frames, named before the bar.
pub struct Bar {
    bar: indicatif::ProgressBar,
    shown: Mutex<Passes>,
}

impl Bar {
    /// A bar when stderr is a terminal and not `quiet`, otherwise `None`.
    pub fn for_terminal(total: u64, quiet: bool) -> Option<Bar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(style(RENDER_STYLE));
        Some(Bar {
            bar,
            shown: Mutex::new(Passes::new(total)),
        })
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Applies `change` and shows the result. A switch between a pass and the render
    /// starts the rate afresh and is drawn at once: a short pass would otherwise fall
    /// between two of the bar's rate-limited draws.
    fn apply(&self, change: impl FnOnce(&mut Passes)) {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        let before = shown.view();
        change(&mut shown);
        show(&self.bar, &before, &shown.view());
    }
}

/// Moves `bar` from showing `before` to showing `now`.
pub(super) fn show(bar: &indicatif::ProgressBar, before: &View, now: &View) {
    if now.prefix != before.prefix || now.len != before.len {
        let template = if now.prefix.is_empty() {
            RENDER_STYLE
        } else {
            PASS_STYLE
        };
        // The style last: each setter may draw, and the new text with the old counts
        // would flash a wrong line.
        bar.set_length(now.len);
        bar.set_position(now.pos);
        bar.set_prefix(now.prefix.clone());
        bar.set_style(style(template));
        bar.reset_eta();
        bar.force_draw();
    } else if now.pos != before.pos {
        bar.set_position(now.pos);
    }
}

/// The render's frames.
const RENDER_STYLE: &str = "{bar:40} {pos}/{len} frames  {rate}  ETA {eta}";
/// A pass: its name, then a bar as wide as the rest of the line allows.
pub(super) const PASS_STYLE: &str = "{prefix}{wide_bar} {pos}/{len} frames  {rate}";

pub(super) fn style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&rate_text(state.per_sec()));
            },
        )
}

impl Progress for Bar {
    fn frame_done(&self, done: u64, total: u64) -> bool {
        self.apply(|p| p.render_done(done, total));
        true
    }

    fn passes(&self) -> Option<&dyn PassWatch> {
        Some(self)
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

impl ShowsPasses for Bar {
    fn update(&self, change: &mut dyn FnMut(&mut Passes)) {
        self.apply(change);
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
