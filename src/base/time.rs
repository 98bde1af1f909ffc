//! Time arithmetic shared by every clip: frame counts, the one tolerance for comparing
//! computed times, and "the last instant" of a clip.
//!
//! Times are seconds as `f64`, computed from integer frame indices (t = i / fps), never
//! accumulated. Times computed by adding durations (0.1 + 0.1 + 0.1) still differ from
//! frame times (3 / 10) in the last bits: [`TIME_EPSILON`] absorbs that, and only that.

/// Frames per second when neither the scene nor the command line says.
pub const DEFAULT_FPS: f64 = 25.0;

/// Tolerance when comparing times: starts computed by adding durations (0.1 + 0.1 +
/// 0.1 = 0.30000000000000004) must still match frame times (3 / 10 = 0.3).
pub const TIME_EPSILON: f64 = 1e-9;

/// How far "just before" an instant is: larger than [`TIME_EPSILON`] and the slack
/// sources allow when they snap a time onto a frame boundary, far smaller than a frame
/// (1 ms at 1000 fps).
const BEFORE: f64 = 1e-6;

/// Number of frames of a `duration`-second render at `fps`: round(duration · fps),
/// at least one.
pub fn frame_count(duration: f64, fps: f64) -> u64 {
    ((duration * fps).round() as u64).max(1)
}

/// The warning for a render shorter than one of its frames: its one frame lasts
/// 1/`fps`, longer than what the scene asked for.
pub fn shorter_than_a_frame(duration: f64, fps: f64) -> Option<String> {
    (duration * fps < 1.0 - BEFORE).then(|| {
        let needed = 1.0 / duration;
        // Past the highest rate no fps makes a frame that short (hostile9: a duration
        // of 1e-300 was told to raise the fps to 1e300).
        let what = match needed <= crate::base::limits::MAX_FPS {
            true => format!(
                "raise the fps to at least {}",
                crate::base::limits::shown_seconds(needed)
            ),
            false => format!(
                "no fps up to {} makes a frame that short: give a longer duration",
                crate::base::limits::shown(crate::base::limits::MAX_FPS)
            ),
        };
        format!(
            "the render lasts {} s, less than one frame at {} fps: its one frame lasts {} s ({what})",
            crate::base::limits::shown_seconds(duration),
            crate::base::limits::shown(fps),
            crate::base::limits::shown_seconds(1.0 / fps),
        )
    })
}

/// `k` indices of `0..n` (at most `n`, at least one) evenly spread, the first and the
/// last included.
pub fn spread(n: usize, k: usize) -> impl Iterator<Item = usize> {
    let k = k.min(n).max(1);
    (0..k).map(move |j| if k == 1 { 0 } else { j * (n - 1) / (k - 1) })
}

/// Up to `max` frame times of a `duration`-second clip at `fps`, evenly spread over its
/// frames, the last included: where sources measure animated content at load time
/// (automatic axis limits, colour ranges, z ranges).
pub fn spread_instants(duration: f64, fps: f64, max: usize) -> Vec<f64> {
    let frames = frame_count(duration, fps) as usize;
    spread(frames, max).map(|i| i as f64 / fps).collect()
}

/// The instant just before `t`: inside the frame that ends at `t`, whatever the
/// rounding of the source that shows it.
pub fn just_before(t: f64) -> f64 {
    t - BEFORE
}

/// The latest time sampled inside a clip of length `duration`, so that sampling at the
/// very end shows the last frame rather than nothing.
pub fn last_instant(duration: f64) -> f64 {
    just_before(duration).max(0.0)
}

/// Whether `t` falls in `[start, end)`, with [`TIME_EPSILON`] of slack at both edges.
pub fn within(t: f64, start: f64, end: Option<f64>) -> bool {
    t >= start - TIME_EPSILON && end.is_none_or(|e| t < e - TIME_EPSILON)
}

/// Clamps a time into a clip's life: `[0, duration)`, or `[0, ∞)` for clips without end.
pub fn clamp_time(t: f64, duration: Option<f64>) -> f64 {
    let t = t.max(0.0);
    match duration {
        Some(d) if t >= d => last_instant(d),
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_instant_is_inside_the_last_frame() {
        for fps in [1.0, 24.0, 30.0, 1000.0] {
            for d in [0.04, 1.0, 2.5, 86400.0] {
                let last = last_instant(d);
                assert!(last < d && last > d - 1.0 / fps, "{d} at {fps}");
                assert_eq!(clamp_time(d + 5.0, Some(d)), last);
            }
        }
        assert_eq!(last_instant(0.0), 0.0);
        assert_eq!(clamp_time(-1.0, None), 0.0);
    }

    #[test]
    fn within_forgives_sums_of_durations() {
        assert!(within(0.3, 0.1 + 0.1 + 0.1, None));
        assert!(!within(0.3, 0.0, Some(0.1 + 0.1 + 0.1)));
    }

    #[test]
    fn frame_count_rounds() {
        assert_eq!(frame_count(2.0, 20.0), 40);
        assert_eq!(frame_count(1.0 / 3.0, 10.0), 3);
        assert_eq!(frame_count(0.01, 10.0), 1);
        assert_eq!(frame_count(2.26, 10.0), 23);
        assert_eq!(
            shorter_than_a_frame(0.4, 0.01).as_deref(),
            Some("the render lasts 0.4 s, less than one frame at 0.01 fps: its one frame lasts 100 s (raise the fps to at least 2.5)")
        );
        assert!(shorter_than_a_frame(0.4, 2.0).is_some());
        let tiny = shorter_than_a_frame(1e-300, 25.0).unwrap();
        assert!(
            tiny.ends_with("(no fps up to 1000 makes a frame that short: give a longer duration)"),
            "{tiny}"
        );
        assert_eq!(shorter_than_a_frame(0.1, 10.0), None);
        assert_eq!(shorter_than_a_frame(1.0 / 3.0, 3.0), None);
    }

    #[test]
    fn spread_takes_first_and_last() {
        assert_eq!(spread(10, 4).collect::<Vec<_>>(), [0, 3, 6, 9]);
        assert_eq!(spread(3, 10).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(spread(5, 1).collect::<Vec<_>>(), [0]);
        assert_eq!(spread_instants(2.0, 10.0, 3), [0.0, 0.9, 1.9]);
    }

    #[test]
    fn clamping_keeps_times_inside() {
        assert_eq!(clamp_time(-1.0, Some(2.0)), 0.0);
        assert!(clamp_time(2.0, Some(2.0)) < 2.0);
        assert!(clamp_time(2.0, Some(2.0)) > 1.999);
        assert_eq!(clamp_time(5.0, None), 5.0);
    }
}

/// A frame rate for a line the user reads: `20`, `29.97`, at most three decimals.
pub fn fps_text(fps: f64) -> String {
    let s = format!("{fps:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod fps_text_tests {
    #[test]
    fn whole_rates_have_no_decimals() {
        assert_eq!(super::fps_text(20.0), "20");
        assert_eq!(super::fps_text(30000.0 / 1001.0), "29.97");
        assert_eq!(super::fps_text(12.5), "12.5");
    }
}
