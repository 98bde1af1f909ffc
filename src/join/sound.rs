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
        let store = decode(path, Some(0.0))?;
        let want = frame_at(to) - frame_at(from);
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
