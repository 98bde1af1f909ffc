//! Checks that keep absurd requests from reaching the allocator.

use crate::base::frame::Size;

/// The largest scene file, in bytes. A generated scene of 100 000 clips takes 6 to
/// 11 MB.
pub const MAX_SCENE_BYTES: u64 = 16 << 20;
/// The most keys, values, tables and lists a scene may have, counted before it is
/// parsed (`scene::items`): loading keeps a few hundred bytes to a few kilobytes for
/// each (a 16 MiB scene of 1.5 million inline tables took 3.2 GB). A composite of the
/// 100 000 layers a frame may draw, each with a `position`, has 700 000; no scene of
/// up to 2 MB has more: an item and the comma or bracket after it take at least two
/// bytes (TOML's parser refuses nesting over 80 deep).
pub const MAX_SCENE_ITEMS: usize = 1_000_000;
/// The largest side of any frame, in pixels.
pub const MAX_SIDE: u32 = 16384;
/// The highest output frame rate.
pub const MAX_FPS: f64 = 1000.0;
/// The longest one frame may last, in seconds: a GIF's longest delay (65535
/// hundredths), so that no output frame's time is cut and every GIF read plays at its
/// own rate.
pub const MAX_FRAME_SECONDS: f64 = 655.35;
/// The lowest frame rate: one frame every [`MAX_FRAME_SECONDS`].
pub const MIN_FPS: f64 = 1.0 / MAX_FRAME_SECONDS;
/// The longest render, in seconds (a day).
pub const MAX_DURATION: f64 = 86_400.0;
/// The deepest clips may nest: `from` chains, layouts in layouts, masks and effects
/// each add a level. Resolving and rendering recurse this deep.
pub const MAX_NESTING: usize = 256;
/// The most memory the pictures clips keep for a whole render (decoded files, drawn
/// text) may take together: four 16384x16384 frames.
pub const MAX_HELD_BYTES: u64 = 4 << 30;
/// The most frames one `[measure.NAME]` renders: each becomes a value kept for the
/// whole render, and a measurement runs while the scene loads (`check`, `deps` too).
pub const MAX_MEASURED_FRAMES: u64 = 1_000_000;
/// The most clips one frame may draw, a clip shown several times counting each time:
/// shared clips fanning out at every level multiply the work per frame.
pub const MAX_DRAWS: u64 = 100_000;

/// A number for a message: plain when it reads well, in scientific notation when it
/// would have hundreds of digits (`1e300`, not 1 followed by 300 zeros).
pub fn shown(v: f64) -> String {
    if v != 0.0 && v.is_finite() && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Seconds for a message: at most three decimals, and a huge number as `1e300`.
pub fn shown_seconds(v: f64) -> String {
    if !v.is_finite() {
        return shown(v);
    }
    if v.abs() >= 1e15 {
        return format!("{v:.0e}");
    }
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Refuses zero and over-large sides; shared with the command line's `--size`.
pub fn check_size(w: u32, h: u32) -> Result<Size, String> {
    if w == 0 || h == 0 {
        return Err(format!("size {w}x{h} has a zero side"));
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!(
            "size {w}x{h} is too large: a side may be at most {MAX_SIDE} pixels"
        ));
    }
    Ok(Size::new(w, h))
}

/// A duration in seconds: positive, finite, at most [`MAX_DURATION`].
pub fn check_duration(d: f64) -> Result<f64, String> {
    if !d.is_finite() || d <= 0.0 {
        return Err(format!(
            "duration must be a positive number of seconds, not {}",
            shown(d)
        ));
    }
    if d > MAX_DURATION {
        return Err(format!(
            "duration {} s is too long: at most {MAX_DURATION} s",
            shown(d)
        ));
    }
    Ok(d)
}

/// A point in time in seconds (a start, an end, a padding): finite, 0 to [`MAX_DURATION`].
pub fn check_time(t: f64) -> Result<f64, String> {
    if !(0.0..=MAX_DURATION).contains(&t) {
        return Err(format!(
            "{} s is outside 0..{MAX_DURATION} s (a render lasts at most a day)",
            shown(t)
        ));
    }
    Ok(t)
}

/// Frames per second: from [`MIN_FPS`] to [`MAX_FPS`].
pub fn check_fps(fps: f64) -> Result<f64, String> {
    if !fps.is_finite() || fps <= 0.0 {
        return Err(format!("fps must be positive, not {}", shown(fps)));
    }
    if fps < MIN_FPS {
        return Err(format!(
            "fps {} is too low: one frame would last {} s, and a frame may last at most {MAX_FRAME_SECONDS} s (fps at least 1/{MAX_FRAME_SECONDS}, about 0.001526)",
            shown(fps),
            shown_seconds((1.0 / fps).min(f64::MAX))
        ));
    }
    if fps > MAX_FPS {
        return Err(format!("fps {} is too high: at most {MAX_FPS}", shown(fps)));
    }
    Ok(fps)
}
