//! Which clip-local times a part of a render needs from each clip, followed down the
//! tree through clips that only shift time ([`Clip::passes_time`]); below any other
//! clip (a time effect, an unknown mapping) every time may be needed.

use std::sync::Arc;

use super::Clip;
use crate::base::time::clamp_time;

/// Visits allowed before the walk gives up following spans: a scene that reuses one
/// clip in many nested places is then told "any time" everywhere, which stays correct.
const MAX_VISITS: usize = 100_000;

/// Tells every clip under `root` which of its times the render will ask for, given that
/// the root is asked for times in `[lo, hi]`.
pub fn announce(root: &Arc<dyn Clip>, lo: f64, hi: f64) {
    let mut visits = 0;
    if !walk(root, Some((lo, hi)), &mut visits) {
        walk_all(root);
    }
}

/// Follows `span` down from `clip`; false when the visit budget ran out.
fn walk(clip: &Arc<dyn Clip>, span: Option<(f64, f64)>, visits: &mut usize) -> bool {
    *visits += 1;
    if *visits > MAX_VISITS {
        return false;
    }
    clip.will_need(span);
    let follows = clip.passes_time();
    for child in clip.children() {
        let child_span = match span {
            Some((lo, hi)) if follows => {
                let length = child.end.map(|e| e - child.start);
                let local = |t: f64| clamp_time((t - child.start).max(0.0), length);
                Some((local(lo), local(hi)))
            }
            _ => None,
        };
        if !walk(&child.clip, child_span, visits) {
            return false;
        }
    }
    true
}

/// Tells every clip, each once, that any of its times may be needed.
fn walk_all(root: &Arc<dyn Clip>) {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![root.clone()];
    while let Some(clip) = todo.pop() {
        if seen.insert(Arc::as_ptr(&clip) as *const ()) {
            clip.will_need(None);
            todo.extend(clip.children().into_iter().map(|p| p.clip));
        }
    }
}
