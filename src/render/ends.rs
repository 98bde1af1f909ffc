//! Clips that end before the render does (a `--duration` or `[output] duration` longer
//! than the scene): the render goes on holding the last frame, and the user is told so
//! and which clips end by then, instead of finding the picture silently frozen.

use std::sync::Arc;

use crate::clip::Clip;

/// The most clips a note names.
const MAX_NAMED: usize = 5;

/// Visits after which the walk stops: a scene reusing clips in many places is named
/// in part.
const MAX_VISITS: usize = 10_000;

/// The note for a render of `length` seconds at `fps` of `root` (called `name`), or
/// `None` when nothing ends before a frame of the render would show it.
pub fn note(root: &Arc<dyn Clip>, name: &str, length: f64, fps: f64) -> Option<String> {
    // Ends within half a frame of the render's end change no frame.
    let before = length - 0.5 / fps;
    // A layout that has an end lasts until its last part with an end: nothing inside a
    // clip without an end can end before the render, so only the root's end matters.
    let end = root.duration().filter(|end| *end < before)?;
    let mut ended = Vec::new();
    let mut visits = 0;
    walk(root, 0.0, before, &mut ended, &mut visits);
    let mut text = format!(
        "the render lasts {} but the root clip `{name}` ends at {}: its last frame is held \
         still from there to the end",
        seconds(length),
        seconds(end)
    );
    if !ended.is_empty() {
        let mut list: Vec<String> = ended
            .iter()
            .take(MAX_NAMED)
            .map(|(label, end)| format!("`{label}` at {}", seconds(*end)))
            .collect();
        if ended.len() > MAX_NAMED {
            list.push(format!("and {} more", ended.len() - MAX_NAMED));
        }
        text += &format!(" (clips that end by then: {})", list.join(", "));
    }
    text += "; give what should go on a longer `duration`, or render no longer than the scene";
    Some(text)
}

/// Adds the clips under `clip` (placed at `offset` seconds of the render) that end
/// before `before`, not looking inside one that ends (its content ends with it).
fn walk(
    clip: &Arc<dyn Clip>,
    offset: f64,
    before: f64,
    ended: &mut Vec<(String, f64)>,
    visits: &mut usize,
) {
    // Below a clip that maps time otherwise (speed, loop), child times are not the
    // render's.
    if !clip.passes_time() {
        return;
    }
    for child in clip.children() {
        *visits += 1;
        if *visits > MAX_VISITS {
            return;
        }
        let own = child.clip.duration().map(|d| child.start + d);
        let end = match (child.end, own) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match end {
            Some(e) if offset + e < before => {
                if !ended.iter().any(|(l, _)| *l == child.label) {
                    ended.push((child.label.clone(), offset + e));
                }
            }
            _ => walk(&child.clip, offset + child.start, before, ended, visits),
        }
    }
}

/// `2 s`, `1.5 s`.
fn seconds(v: f64) -> String {
    format!(
        "{} s",
        crate::base::limits::shown((v * 1000.0).round() / 1000.0)
    )
}
