//! Geometry effects: resize, crop, margin, rotate, mirror_x, mirror_y.
//!
//! All work on premultiplied frames, so filtering never bleeds the colour of
//! transparent pixels into visible ones.

mod crop;
pub(crate) mod margin;
mod mirror;
pub(crate) mod resize;
pub(crate) mod rotate;
#[cfg(test)]
mod tests;

pub use crop::{crop, CropSpec};
pub use margin::{margin, MarginSpec};
pub use mirror::{mirror_x, mirror_y};
pub use resize::{fixed_resize, resize, ResizeSpec};
pub use rotate::{quarter_turn, rotate, rotate_smooth, RotateSpec};

use crate::base::frame::Size;
use crate::base::limits;
use crate::clip::Clip;
use crate::expr::{Env, Param};

/// How many instants an animated size parameter is sampled at, to find the largest frame.
const SAMPLES: u32 = 100;
/// The span sampled for clips without an end.
const UNBOUNDED_SPAN: f64 = 60.0;
/// The frame rate animated parameters see while they are sampled at resolve time.
const NOMINAL_FPS: f64 = 30.0;

/// The times the animated parameters of a clip on `input` are sampled at: evenly, and
/// at their keyframes (where a keyframed value peaks).
fn sample_times(input: &dyn Clip, params: &[&Param]) -> Vec<Env> {
    let bounded = input.duration();
    let span = bounded.unwrap_or(UNBOUNDED_SPAN);
    let duration = bounded.unwrap_or(0.0);
    let last = crate::base::time::last_instant(span);
    (0..=SAMPLES)
        .map(|k| span * k as f64 / SAMPLES as f64)
        .chain(std::iter::once(last))
        .chain(params.iter().flat_map(|p| p.key_times().iter().copied()))
        .map(|t| Env {
            t: t.clamp(0.0, last),
            duration,
            fps: NOMINAL_FPS,
        })
        .collect()
}

/// Checks a computed size against the limits; `w`, `h` are unrounded pixel counts.
fn checked_size(w: f64, h: f64) -> Result<Size, String> {
    let max = limits::MAX_SIDE as f64;
    if !(w.is_finite() && h.is_finite()) || w.round() > max || h.round() > max {
        return Err(format!(
            "the result would be {:.0}x{:.0} pixels: a side may be at most {max} pixels",
            w.round(),
            h.round()
        ));
    }
    limits::check_size(w.round().max(1.0) as u32, h.round().max(1.0) as u32)
}

/// The offset that centres `inner` pixels in `outer` (negative when larger).
fn centred(outer: u32, inner: u32) -> i64 {
    (outer as i64 - inner as i64).div_euclid(2)
}
