//! Sound: what clips offer to hear, pulled by the encoder span by span.
//!
//! A [`Sound`] fills a buffer of output-rate samples for a span of its own time, as a
//! pure function of the span (like a clip's frame of its time), so that the effects
//! and layouts above wrap their children's sound with the same time map they use for
//! pictures and picture and sound stay in sync by construction. Samples are 48 kHz
//! stereo, interleaved `f32`; a sample frame index `i` is at `i / RATE` seconds.

pub mod analysis;
pub mod gain;
pub mod mix;
pub mod pcm;
pub mod retime;

#[cfg(feature = "video")]
pub mod decode;

/// Output sample rate: every sound is read at it, every output written at it.
pub const RATE: u32 = 48_000;
/// Output channels (left, right), interleaved.
pub const CHANNELS: usize = 2;

/// Something to hear, in the clip's own time.
pub trait Sound: Send + Sync {
    /// Writes the sample frames `start..start + out.len() / 2` (indices at [`RATE`] of
    /// clip-local time, `start` may be negative) into `out`, stereo interleaved,
    /// overwriting it: silence where the sound has nothing (before its start, after
    /// its end). The error is a sentence naming the file that failed.
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String>;
}

/// The sample frame at time `t` (seconds): the nearest one.
pub fn frame_at(t: f64) -> i64 {
    (t * RATE as f64).round() as i64
}

/// Sample frames in `seconds`, rounded.
pub fn frames_in(seconds: f64) -> i64 {
    frame_at(seconds)
}

/// A sound that is silent everywhere (a clip whose sound was turned off stays silent
/// without a special case in the mixers).
pub struct Silence;

impl Sound for Silence {
    fn fill(&self, _start: i64, out: &mut [f32]) -> Result<(), String> {
        out.fill(0.0);
        Ok(())
    }
}
