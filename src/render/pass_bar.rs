//! A bar for the passes made before a render starts (while the scene loads, a plot's
//! automatic limits or a text's box may need a measurement's values): it appears when
//! a pass begins and is cleared when the last one ends, so that nothing is left on the
//! line for the warnings and the render's own bar that follow.

use std::io::IsTerminal;
use std::sync::Mutex;

use super::passes::{Passes, ShowsPasses};
use super::progress::{show, style, PASS_STYLE};

pub struct PassBar {
    shown: Mutex<(Passes, Option<indicatif::ProgressBar>)>,
}

impl PassBar {
    /// A bar when stderr is a terminal and not `quiet`, otherwise `None`.
    pub fn for_terminal(quiet: bool) -> Option<PassBar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        Some(PassBar {
            shown: Mutex::new((Passes::default(), None)),
        })
    }

    fn apply(&self, change: impl FnOnce(&mut Passes)) {
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        let (passes, bar) = &mut *shown;
        let before = passes.view();
        change(passes);
        let now = passes.view();
        if now.prefix.is_empty() {
            if let Some(b) = bar.take() {
                b.finish_and_clear();
            }
            return;
        }
        match bar {
            Some(b) => show(b, &before, &now),
            None => {
                // Set up hidden, then drawn at once: a short pass would otherwise fall
                // between two of the bar's rate-limited draws.
                let b = indicatif::ProgressBar::hidden();
                b.set_length(now.len);
                b.set_position(now.pos);
                b.set_prefix(now.prefix);
                b.set_style(style(PASS_STYLE));
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                b.force_draw();
                *bar = Some(b);
            }
        }
    }
}

impl Drop for PassBar {
    fn drop(&mut self) {
        let shown = self.shown.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some(b) = shown.1.take() {
            b.finish_and_clear();
        }
    }
}

impl ShowsPasses for PassBar {
    fn update(&self, change: &mut dyn FnMut(&mut Passes)) {
        self.apply(change);
    }
}
