//! Sound as data: a waveform's min/max envelope, a level (RMS or peak) per block and the
//! spectrum of a window, read from a [`Sound`]'s samples (48 kHz, as heard), for plots
//! that draw what is heard.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::{Sound, RATE};

/// Which samples are read: both sides averaged, or one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Mix,
    Left,
    Right,
}

/// The lowest level drawn, in dB: silence would be −∞.
pub const FLOOR_DB: f64 = -120.0;

/// Sample frames read at once while a whole sound is measured (a second and a bit).
const READ_FRAMES: usize = 65536;

/// A level as decibels (20·log10), not below [`FLOOR_DB`].
pub fn db(v: f64) -> f64 {
    if v > 0.0 {
        (20.0 * v.log10()).max(FLOOR_DB)
    } else {
        FLOOR_DB
    }
}

/// Reads the sample frames `start..start + out.len()` of `sound`'s `channel` into `out`;
/// `stereo` is scratch space.
fn read(
    sound: &dyn Sound,
    channel: Channel,
    start: i64,
    out: &mut [f64],
    stereo: &mut Vec<f32>,
) -> Result<(), String> {
    stereo.resize(out.len() * 2, 0.0);
    sound.fill(start, stereo)?;
    for (o, lr) in out.iter_mut().zip(stereo.chunks_exact(2)) {
        *o = match channel {
            Channel::Mix => (f64::from(lr[0]) + f64::from(lr[1])) * 0.5,
            Channel::Left => f64::from(lr[0]),
            Channel::Right => f64::from(lr[1]),
        };
    }
    Ok(())
}

/// What is measured in each block of a sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocks {
    /// The largest and smallest sample: two points a block, at its start and its middle.
    Envelope,
    /// The root mean square of the samples: one point a block, at its start.
    Rms,
    /// The largest absolute sample: one point a block, at its start.
    Peak,
}

impl Blocks {
    /// Points made for `blocks` blocks.
    pub fn points(self, blocks: usize) -> usize {
        match self {
            Blocks::Envelope => blocks.saturating_mul(2),
            Blocks::Rms | Blocks::Peak => blocks,
        }
    }
}

/// Blocks of `block` sample frames in a sound of `frames` frames (the last may be short).
pub fn block_count(frames: i64, block: usize) -> usize {
    (frames.max(0) as usize).div_ceil(block.max(1))
}

/// `what` in each block of `block` frames of the sound's frames `0..frames`: the points'
/// times (seconds) and values, read a piece at a time (memory stays small however long
/// the sound is). Levels are in dB (see [`db`]) when `decibels`.
pub fn blocks(
    sound: &dyn Sound,
    channel: Channel,
    frames: i64,
    block: usize,
    what: Blocks,
    decibels: bool,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let block = block.max(1);
    let n = block_count(frames, block);
    let (mut xs, mut ys) = (
        Vec::with_capacity(what.points(n)),
        Vec::with_capacity(what.points(n)),
    );
    // Reads of a fixed length, blocks summed across them: a block of an hour takes no
    // more memory than one of 10 ms.
    let mut buf = vec![0.0; READ_FRAMES.max(1)];
    let mut stereo = Vec::new();
    let rate = f64::from(RATE);
    let mut sum = BlockSum::default();
    let mut emit = |start: i64, sum: &BlockSum| match what {
        Blocks::Envelope => {
            xs.push(start as f64 / rate);
            ys.push(sum.hi);
            xs.push((start as f64 + sum.count as f64 / 2.0) / rate);
            ys.push(sum.lo);
        }
        Blocks::Rms | Blocks::Peak => {
            let v = if what == Blocks::Rms {
                (sum.squares / sum.count as f64).sqrt()
            } else {
                sum.peak
            };
            xs.push(start as f64 / rate);
            ys.push(if decibels { db(v) } else { v });
        }
    };
    let (mut at, mut start) = (0i64, 0i64);
    while at < frames {
        let len = ((frames - at) as usize).min(buf.len());
        read(sound, channel, at, &mut buf[..len], &mut stereo)?;
        for &v in &buf[..len] {
            sum.add(v);
            if sum.count == block {
                emit(start, &sum);
                start += block as i64;
                sum = BlockSum::default();
            }
        }
        at += len as i64;
    }
    if sum.count > 0 {
        emit(start, &sum);
    }
    Ok((xs, ys))
}

/// What a block's samples add up to so far.
struct BlockSum {
    lo: f64,
    hi: f64,
    squares: f64,
    peak: f64,
    count: usize,
}

impl Default for BlockSum {
    fn default() -> BlockSum {
        BlockSum {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            squares: 0.0,
            peak: 0.0,
            count: 0,
        }
    }
}

impl BlockSum {
    fn add(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
        self.squares += v * v;
        self.peak = self.peak.max(v.abs());
        self.count += 1;
    }
}

/// The smallest and largest spectrum windows, in samples.
pub const WINDOW_RANGE: (usize, usize) = (16, 65536);

/// The magnitude spectrum of a Hann window of a sound centred on an instant.
pub struct Spectrum {
    sound: Arc<dyn Sound>,
    channel: Channel,
    window: Vec<f64>,
    /// Scales a bin's magnitude so that a full-scale sine on a bin reads 1 (0 dB).
    norm: f64,
    fft: Arc<dyn RealToComplex<f64>>,
    decibels: bool,
}

impl Spectrum {
    /// The spectrum of `size` samples (within [`WINDOW_RANGE`]) of `sound`.
    pub fn new(sound: Arc<dyn Sound>, channel: Channel, size: usize, decibels: bool) -> Spectrum {
        let size = size.clamp(WINDOW_RANGE.0, WINDOW_RANGE.1);
        // The periodic Hann window (numpy's `hanning(n + 1)[:-1]`, scipy's `hann(n,
        // sym=False)`), the one spectrum analysers use.
        let window: Vec<f64> = (0..size)
            .map(|i| 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / size as f64).cos())
            .collect();
        let norm = 2.0 / window.iter().sum::<f64>();
        let fft = RealFftPlanner::<f64>::new().plan_fft_forward(size);
        Spectrum {
            sound,
            channel,
            window,
            norm,
            fft,
            decibels,
        }
    }

    /// Samples in the window.
    pub fn size(&self) -> usize {
        self.window.len()
    }

    /// The frequencies drawn (Hz): every bin above 0 Hz up to half the sample rate.
    pub fn frequencies(&self) -> Vec<f64> {
        let n = self.size();
        (1..=n / 2)
            .map(|k| k as f64 * f64::from(RATE) / n as f64)
            .collect()
    }

    /// The magnitudes at [`Spectrum::frequencies`] of the window centred on `t` seconds
    /// of the sound (silence outside it).
    pub fn at(&self, t: f64) -> Result<Vec<f64>, String> {
        let n = self.size();
        let centre = super::frame_at(t);
        let mut samples = vec![0.0; n];
        read(
            &*self.sound,
            self.channel,
            centre - (n / 2) as i64,
            &mut samples,
            &mut Vec::new(),
        )?;
        for (s, w) in samples.iter_mut().zip(&self.window) {
            *s *= w;
        }
        let mut bins = self.fft.make_output_vec();
        self.fft
            .process(&mut samples, &mut bins)
            .map_err(|e| format!("the spectrum could not be computed: {e}"))?;
        Ok(bins[1..=n / 2]
            .iter()
            .map(|c| {
                let m = c.norm() * self.norm;
                if self.decibels {
                    db(m)
                } else {
                    m
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sound made by a function of the sample frame, the same on both sides.
    struct Made(fn(i64) -> f32);

    impl Sound for Made {
        fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
            for (k, lr) in out.chunks_exact_mut(2).enumerate() {
                let v = (self.0)(start + k as i64);
                lr[0] = v;
                lr[1] = v;
            }
            Ok(())
        }
    }

    fn sine(i: i64) -> f32 {
        // 1 500 Hz: bin 64 of 2048 at 48 kHz.
        (0.5 * (std::f64::consts::TAU * 1500.0 * i as f64 / 48000.0).sin()) as f32
    }

    #[test]
    fn a_sine_on_a_bin_reads_its_amplitude() {
        let s = Spectrum::new(Arc::new(Made(sine)), Channel::Mix, 2048, true);
        let m = s.at(1.0).unwrap();
        let f = s.frequencies();
        let top = (0..m.len()).max_by(|&a, &b| m[a].total_cmp(&m[b])).unwrap();
        assert_eq!(f[top], 1500.0);
        assert!((m[top] - db(0.5)).abs() < 0.01, "{}", m[top]);
    }

    #[test]
    fn levels_of_a_half_scale_sine() {
        let frames = 48000;
        let (xs, peak) =
            blocks(&Made(sine), Channel::Left, frames, 4800, Blocks::Peak, true).unwrap();
        assert_eq!(xs.len(), 10);
        assert_eq!(xs[1], 0.1);
        assert!(peak.iter().all(|p| (p + 6.02).abs() < 0.01), "{peak:?}");
        let (_, rms) = blocks(&Made(sine), Channel::Mix, frames, 4800, Blocks::Rms, true).unwrap();
        assert!(rms.iter().all(|p| (p + 9.03).abs() < 0.01), "{rms:?}");
        let (xs, env) = blocks(
            &Made(sine),
            Channel::Mix,
            1000,
            300,
            Blocks::Envelope,
            false,
        )
        .unwrap();
        // 4 blocks, the last of 100 frames: its middle is 50 frames in.
        assert_eq!(xs.len(), 8);
        assert_eq!(xs[7], 950.0 / 48000.0);
        assert!(env[0] > 0.49 && env[1] < -0.49);
    }
}
