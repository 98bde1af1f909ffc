//! A sound made louder or quieter over time: `volume`, and the fades on sound.

use std::sync::Arc;

use super::{Sound, RATE};

/// The gain at a clip-local time in seconds.
pub type GainFn = dyn Fn(f64) -> f64 + Send + Sync;

/// `inner` multiplied by a gain: a constant, or a function of time evaluated at each
/// sample frame (ramps are smooth, with no steps at video frame boundaries).
pub struct Gain {
    inner: Arc<dyn Sound>,
    gain: Level,
}

enum Level {
    Constant(f32),
    Varying(Box<GainFn>),
}

impl Gain {
    /// `inner` at a constant gain.
    pub fn constant(inner: Arc<dyn Sound>, gain: f64) -> Arc<dyn Sound> {
        Arc::new(Gain {
            inner,
            gain: Level::Constant(gain as f32),
        })
    }

    /// `inner` at a gain that changes with time.
    pub fn varying(
        inner: Arc<dyn Sound>,
        gain: impl Fn(f64) -> f64 + Send + Sync + 'static,
    ) -> Arc<dyn Sound> {
        Arc::new(Gain {
            inner,
            gain: Level::Varying(Box::new(gain)),
        })
    }
}

impl Sound for Gain {
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
        self.inner.fill(start, out)?;
        match &self.gain {
            Level::Constant(g) => out.iter_mut().for_each(|s| *s *= g),
            Level::Varying(f) => {
                for (k, pair) in out.chunks_exact_mut(2).enumerate() {
                    let g = f((start + k as i64) as f64 / RATE as f64);
                    let g = if g.is_finite() {
                        g.max(0.0) as f32
                    } else {
                        0.0
                    };
                    pair[0] *= g;
                    pair[1] *= g;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::retime::tests::Ramp;

    #[test]
    fn constant_and_varying_gains() {
        let s = Gain::constant(Arc::new(Ramp), 0.5);
        let mut out = [0.0; 4];
        s.fill(10, &mut out).unwrap();
        assert_eq!(out, [5.0, 5.0, 5.5, 5.5]);
        let s = Gain::varying(Arc::new(Ramp), |t| t * RATE as f64);
        s.fill(3, &mut out).unwrap();
        assert_eq!(out, [9.0, 9.0, 16.0, 16.0]);
    }
}
