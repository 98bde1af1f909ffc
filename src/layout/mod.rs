//! Layouts: clips made of other clips — grid, composite (layers), sequence.

pub mod composite;
pub mod grid;
pub mod legible;
pub mod position;
pub mod schema;
pub mod sequence;

use std::sync::Arc;

use crate::audio::mix::{Mix, Part};
use crate::audio::{frame_at, Sound};
use crate::clip::Placement;

/// The sound of a layout: its children's, each heard from its placement's start to
/// its end, added. With `crossfade` seconds (a sequence's), each child but the first
/// fades in over the first `crossfade` seconds and each but the last fades out over
/// its last: linear ramps that add up to 1 where neighbours overlap.
pub fn mixed_sound(children: Vec<Placement>, crossfade: f64) -> Option<Arc<dyn Sound>> {
    let last = children.len().saturating_sub(1);
    let parts: Vec<Part> = children
        .into_iter()
        .enumerate()
        .filter_map(|(k, p)| {
            let sound = p.clip.sound()?;
            let start = frame_at(p.start);
            let len = p.end.map(|e| frame_at(e) - start);
            let gain: Option<Arc<dyn Fn(f64) -> f64 + Send + Sync>> = if crossfade > 0.0 {
                let d = p.end.map_or(f64::INFINITY, |e| e - p.start);
                let (fade_in, fade_out) = (k > 0, k < last);
                Some(Arc::new(move |t: f64| {
                    let mut g: f64 = 1.0;
                    if fade_in {
                        g = g.min(t / crossfade);
                    }
                    if fade_out {
                        g = g.min((d - t) / crossfade);
                    }
                    g.clamp(0.0, 1.0)
                }))
            } else {
                None
            };
            Some(Part {
                sound,
                start,
                len,
                gain,
            })
        })
        .collect();
    Mix::of(parts)
}
