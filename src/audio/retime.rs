//! A sound played at other times: the sound side of the time effects (subclip, speed,
//! loop, reverse, freeze), mapping output sample frames to the input's as those
//! effects map a frame's time.

use std::sync::Arc;

use super::Sound;

/// How output sample frames map to the input's. Lengths and offsets are in sample
/// frames at [`super::RATE`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TimeMap {
    /// Input frame `i + shift` (subclip).
    Shift(i64),
    /// Input position `i · factor`, read between samples (speed: pitch follows speed).
    Scale(f64),
    /// Input frame `i` modulo a period that may fall between samples: repetition `k`
    /// starts at output frame `round(k · period)`, so loops never drift.
    Loop(f64),
    /// Input frame `len − 1 − i` (reverse).
    Reverse(i64),
    /// Input frame `i` before `at`, silence for `hold`, then input frame `i − hold`.
    Freeze { at: i64, hold: i64 },
}

/// `inner` through a [`TimeMap`], silent outside `0..len` (its output's life).
pub struct Retimed {
    inner: Arc<dyn Sound>,
    map: TimeMap,
    len: Option<i64>,
}

impl Retimed {
    pub fn wrap(inner: Arc<dyn Sound>, map: TimeMap, len: Option<i64>) -> Arc<dyn Sound> {
        Arc::new(Retimed { inner, map, len })
    }
}

/// The frames `lo..hi` of `out`, whose first frame is `start`.
fn span(start: i64, lo: i64, hi: i64, out: &mut [f32]) -> &mut [f32] {
    let off = ((lo - start) * 2) as usize;
    &mut out[off..off + ((hi - lo) * 2) as usize]
}

/// Output frames per read of the input when reading between samples: bounds the
/// input buffer at speed `f` to about `f` times this.
const CHUNK: usize = 4096;

/// Reads input positions `at + k · step` for the frames of `out`, linearly
/// interpolated between sample frames (exact copies for steps of ±1).
fn read_linear(inner: &dyn Sound, at: f64, step: f64, out: &mut [f32]) -> Result<(), String> {
    let n = out.len() / 2;
    if step == 1.0 {
        return inner.fill(at.round() as i64, out);
    }
    if step == -1.0 {
        let first = at.round() as i64 - n as i64 + 1;
        inner.fill(first, out)?;
        let mut frames: Vec<[f32; 2]> = out.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
        frames.reverse();
        for (d, s) in out.chunks_exact_mut(2).zip(frames) {
            d.copy_from_slice(&s);
        }
        return Ok(());
    }
    let mut buf = Vec::new();
    for c in (0..n).step_by(CHUNK) {
        let m = CHUNK.min(n - c);
        let p0 = at + c as f64 * step;
        let p1 = at + (c + m - 1) as f64 * step;
        let lo = p0.min(p1).floor() as i64;
        let hi = p0.max(p1).floor() as i64 + 2;
        buf.resize(((hi - lo) * 2) as usize, 0.0);
        inner.fill(lo, &mut buf)?;
        for k in 0..m {
            let p = at + (c + k) as f64 * step - lo as f64;
            let i = (p.floor() as usize).min((hi - lo - 2) as usize);
            let f = (p - i as f64) as f32;
            for ch in 0..2 {
                let a = buf[i * 2 + ch];
                let b = buf[i * 2 + 2 + ch];
                out[(c + k) * 2 + ch] = a + (b - a) * f;
            }
        }
    }
    Ok(())
}

impl Sound for Retimed {
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
        out.fill(0.0);
        let end = start + (out.len() / 2) as i64;
        let (a, b) = (start.max(0), self.len.map_or(end, |l| end.min(l)));
        if a >= b {
            return Ok(());
        }
        let inner = &*self.inner;
        match self.map {
            TimeMap::Shift(s) => inner.fill(a + s, span(start, a, b, out)),
            TimeMap::Scale(f) => read_linear(inner, a as f64 * f, f, span(start, a, b, out)),
            TimeMap::Reverse(len) => {
                read_linear(inner, (len - 1 - a) as f64, -1.0, span(start, a, b, out))
            }
            TimeMap::Loop(period) => {
                let first = |k: i64| (k as f64 * period).round() as i64;
                let mut k = (a as f64 / period).floor() as i64;
                while first(k + 1) <= a {
                    k += 1;
                }
                while first(k) > a {
                    k -= 1;
                }
                let mut lo = a;
                while lo < b {
                    let hi = first(k + 1).min(b);
                    if hi > lo {
                        inner.fill(lo - first(k), span(start, lo, hi, out))?;
                    }
                    lo = hi.max(lo);
                    k += 1;
                }
                Ok(())
            }
            TimeMap::Freeze { at, hold } => {
                if a < at {
                    let hi = b.min(at);
                    inner.fill(a, span(start, a, hi, out))?;
                }
                let lo = a.max(at + hold);
                if lo < b {
                    inner.fill(lo - hold, span(start, lo, b, out))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Sample frame `i` is `i` on both channels, for ever.
    pub struct Ramp;

    impl Sound for Ramp {
        fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
            for (k, c) in out.chunks_exact_mut(2).enumerate() {
                c.fill((start + k as i64) as f32);
            }
            Ok(())
        }
    }

    fn left(map: TimeMap, len: Option<i64>, start: i64, n: usize) -> Vec<f32> {
        let s = Retimed::wrap(Arc::new(Ramp), map, len);
        let mut out = vec![7.0; n * 2];
        s.fill(start, &mut out).unwrap();
        out.iter().step_by(2).copied().collect()
    }

    #[test]
    fn shift_and_output_life() {
        assert_eq!(
            left(TimeMap::Shift(10), Some(3), -1, 5),
            vec![0.0, 10.0, 11.0, 12.0, 0.0]
        );
    }

    #[test]
    fn scale_reads_between_samples() {
        assert_eq!(left(TimeMap::Scale(2.0), None, 1, 3), vec![2.0, 4.0, 6.0]);
        assert_eq!(
            left(TimeMap::Scale(0.5), None, 0, 4),
            vec![0.0, 0.5, 1.0, 1.5]
        );
    }

    #[test]
    fn loop_restarts_without_drift() {
        assert_eq!(
            left(TimeMap::Loop(2.5), None, 0, 8),
            vec![0.0, 1.0, 2.0, 0.0, 1.0, 0.0, 1.0, 2.0]
        );
        assert_eq!(left(TimeMap::Loop(3.0), None, 4, 3), vec![1.0, 2.0, 0.0]);
    }

    #[test]
    fn reverse_and_freeze() {
        assert_eq!(
            left(TimeMap::Reverse(5), Some(5), 0, 6),
            vec![4.0, 3.0, 2.0, 1.0, 0.0, 0.0]
        );
        assert_eq!(
            left(TimeMap::Freeze { at: 2, hold: 3 }, None, 0, 7),
            vec![0.0, 1.0, 0.0, 0.0, 0.0, 2.0, 3.0]
        );
    }
}
