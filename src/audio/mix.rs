//! Sounds placed in a parent's time and added: composites, grids, sequences.

use std::sync::Arc;

use super::Sound;

/// A child's sound in its parent's time.
pub struct Part {
    pub sound: Arc<dyn Sound>,
    /// Where the child's time 0 is in the parent's, in sample frames.
    pub start: i64,
    /// How long it is heard from `start` (`None`: to the end).
    pub len: Option<i64>,
    /// A gain over the part's own time in seconds (a sequence's crossfades).
    pub gain: Option<Arc<dyn Fn(f64) -> f64 + Send + Sync>>,
}

/// The sum of its parts, each heard in its window only. Sums are not clamped here:
/// the encoder clamps the final mix to ±1, so a mix turned down later keeps its shape.
pub struct Mix {
    parts: Vec<Part>,
}

impl Mix {
    /// The mix of `parts`; `None` when there is nothing to hear.
    pub fn of(parts: Vec<Part>) -> Option<Arc<dyn Sound>> {
        match parts.len() {
            0 => None,
            _ => Some(Arc::new(Mix { parts })),
        }
    }
}

impl Sound for Mix {
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
        out.fill(0.0);
        let end = start + (out.len() / 2) as i64;
        let mut buf = Vec::new();
        for p in &self.parts {
            let lo = start.max(p.start);
            let hi = p.len.map_or(end, |l| end.min(p.start + l));
            if lo >= hi {
                continue;
            }
            buf.resize(((hi - lo) * 2) as usize, 0.0);
            p.sound.fill(lo - p.start, &mut buf)?;
            let at = ((lo - start) * 2) as usize;
            let dst = &mut out[at..at + buf.len()];
            match &p.gain {
                None => dst.iter_mut().zip(&buf).for_each(|(d, s)| *d += s),
                Some(g) => {
                    for (k, (d, s)) in dst.chunks_exact_mut(2).zip(buf.chunks_exact(2)).enumerate()
                    {
                        let local = (lo - p.start + k as i64) as f64 / super::RATE as f64;
                        let g = g(local) as f32;
                        d[0] += s[0] * g;
                        d[1] += s[1] * g;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Clamps samples to ±1 (louder than full scale saturates rather than wraps).
pub fn clamp(samples: &mut [f32]) {
    for s in samples {
        *s = if s.is_nan() { 0.0 } else { s.clamp(-1.0, 1.0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::retime::tests::Ramp;

    #[test]
    fn parts_add_in_their_windows() {
        let m = Mix::of(vec![
            Part {
                sound: Arc::new(Ramp),
                start: 2,
                len: Some(2),
                gain: None,
            },
            Part {
                sound: Arc::new(Ramp),
                start: 0,
                len: None,
                gain: None,
            },
        ])
        .unwrap();
        let mut out = [9.0; 12];
        m.fill(0, &mut out).unwrap();
        let left: Vec<f32> = out.iter().step_by(2).copied().collect();
        assert_eq!(left, vec![0.0, 1.0, 2.0, 4.0, 4.0, 5.0]);
    }

    #[test]
    fn clamping_saturates() {
        let mut s = [2.0, -3.0, 0.5, f32::NAN];
        clamp(&mut s);
        assert_eq!(s, [1.0, -1.0, 0.5, 0.0]);
    }
}
