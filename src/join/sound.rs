//! The sound of joined parts. Each part of a render carries exactly its span of the
//! render's sound, losslessly and without encoder priming (see
//! `encode::video::audio::Coding::Part`); decoded and laid end to end, the spans give
//! the render's sound sample for sample, which the joined file encodes once. Stream
//! copying the parts' sound instead would click or drift at every join (AAC priming).

use std::path::Path;

use crate::audio::decode::decode;
use crate::audio::pcm::PcmStore;
use crate::audio::{frame_at, Sound, RATE};

/// The sound codecs `animate render` writes in parts, which join takes.
pub const LOSSLESS: [&str; 2] = ["pcm_f32le", "flac"];

/// How far a part's sound may fall short of its pictures before it counts as damaged
/// (a rounding of the frame rate moves a span by a sample or two, no more).
const SLACK: i64 = (RATE / 1000) as i64;

/// One part's decoded sound and where it starts in the render (sample frames).
struct Span {
    start: i64,
    len: i64,
    store: PcmStore,
}

/// The parts' sound, end to end.
#[derive(Default)]
pub struct JoinedSound {
    spans: Vec<Span>,
    end: i64,
}

impl JoinedSound {
    /// Decodes the sound of the next part, `name` at `path`, which holds the render's
    /// seconds `from..to`. A part whose sound is shorter than its pictures (by more
    /// than a millisecond) is damaged.
    pub fn push(&mut self, path: &Path, name: &str, from: f64, to: f64) -> Result<(), String> {
        let store = decode(path, Some(0.0), None)?;
        self.add(store, name, frame_at(to) - frame_at(from))
    }

    /// Adds a part's decoded sound, which should be `want` sample frames long.
    fn add(&mut self, store: PcmStore, name: &str, want: i64) -> Result<(), String> {
        let len = store.frames();
        if len < want - SLACK {
            return Err(format!(
                "{name} should carry {:.3} s of sound but has {:.3} s: it is truncated or damaged",
                want as f64 / f64::from(RATE),
                len as f64 / f64::from(RATE)
            ));
        }
        // The span's own length keeps the next part where its encoder put it; a
        // longer one (it never is) is cut to what its pictures cover.
        let len = len.min(want + SLACK);
        self.spans.push(Span {
            start: self.end,
            len,
            store,
        });
        self.end += len;
        Ok(())
    }
}

impl Sound for JoinedSound {
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
        out.fill(0.0);
        let end = start + (out.len() / 2) as i64;
        for span in &self.spans {
            let lo = start.max(span.start);
            let hi = end.min(span.start + span.len);
            if lo >= hi {
                continue;
            }
            let first = span.store.end() - span.store.frames();
            let at = ((lo - start) * 2) as usize..((hi - start) * 2) as usize;
            span.store.fill(first + lo - span.start, &mut out[at])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::pcm::PcmWriter;

    /// A store of `n` frames whose left and right samples are `base + i`.
    fn ramp(base: f32, n: usize, first: i64) -> PcmStore {
        let mut w = PcmWriter::new().unwrap();
        let samples: Vec<f32> = (0..n).flat_map(|i| [base + i as f32; 2]).collect();
        w.write(&samples).unwrap();
        w.finish(first).unwrap()
    }

    #[test]
    fn parts_are_laid_end_to_end_by_their_own_lengths() {
        let mut joined = JoinedSound::default();
        joined.add(ramp(0.0, 3, 0), "a", 3).unwrap();
        // A store placed later in its own time is read from its first frame.
        joined.add(ramp(100.0, 2, 5), "b", 2).unwrap();
        let mut out = vec![9.0; 14];
        joined.fill(-1, &mut out).unwrap();
        let left: Vec<f32> = out.iter().step_by(2).copied().collect();
        assert_eq!(left, [0.0, 0.0, 1.0, 2.0, 100.0, 101.0, 0.0]);
    }

    #[test]
    fn a_part_short_of_sound_is_damaged() {
        let mut joined = JoinedSound::default();
        let e = joined
            .add(ramp(0.0, 100, 0), "seg-2.mp4", 48_000)
            .unwrap_err();
        assert!(
            e.starts_with("seg-2.mp4 should carry 1.000 s of sound but has 0.002 s"),
            "{e}"
        );
        // A sample or two of rounding is not.
        joined.add(ramp(0.0, 99, 0), "seg-1.mp4", 100).unwrap();
    }
}
