//! A file's first audio stream, decoded once (when first heard) to 48 kHz stereo in a
//! [`PcmStore`]: converted from any sample format, mixed down to stereo, resampled
//! by linear interpolation, and placed at its timestamp relative to the clip's start.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::pcm::{PcmStore, PcmWriter};
use super::{Sound, RATE};
use crate::av::{self, ff, ff::ffi};

/// Whether `path` has an audio stream (`None` when it cannot be opened).
pub fn has_audio(path: &Path) -> Option<bool> {
    av::init().ok()?;
    let input = ff::format::input(&path).ok()?;
    let found = input.streams().best(ff::media::Type::Audio).is_some();
    Some(found)
}

/// The first audio stream of a file, decoded on first use; clip time 0 is the
/// file's time `origin` seconds (its first video frame), or for a sound file (`None`)
/// the first sound.
pub struct FileSound {
    path: PathBuf,
    origin: Option<f64>,
    /// Seconds of sound (from the store's start) decoded at most, when less than
    /// [`MAX_SECONDS`] is needed.
    until: Option<f64>,
    store: OnceLock<Result<PcmStore, String>>,
}

impl FileSound {
    pub fn new(path: &Path, origin: Option<f64>) -> Arc<FileSound> {
        Arc::new(FileSound {
            path: path.to_path_buf(),
            origin,
            until: None,
            store: OnceLock::new(),
        })
    }

    /// A sound file of which only the first `until` seconds are needed (decoding stops
    /// soon after, silently: the rest is silence).
    pub fn first_seconds(path: &Path, until: f64) -> Arc<FileSound> {
        Arc::new(FileSound {
            path: path.to_path_buf(),
            origin: None,
            until: Some(until.max(0.0)),
            store: OnceLock::new(),
        })
    }

    /// Decodes now (a sound file must be decoded to know its length).
    pub fn store(&self) -> Result<&PcmStore, String> {
        self.store
            .get_or_init(|| decode(&self.path, self.origin, self.until))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Sound for FileSound {
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
        self.store()?.fill(start, out)
    }
}

/// The longest sound decoded from one file: 4 hours (5.5 GB of temporary file). A
/// longer stream is cut there, with a warning, rather than filling the disk.
pub const MAX_SECONDS: f64 = 4.0 * 3600.0;

/// Packets that fail to decode in a row before the stream is given up on.
const MAX_BAD: u32 = 100;

/// Decodes the first audio stream of `path` into a store; with `until`, stops once that
/// many seconds are stored.
pub fn decode(path: &Path, origin: Option<f64>, until: Option<f64>) -> Result<PcmStore, String> {
    av::init()?;
    let name = path.display();
    let fail = |why: String| format!("cannot decode the sound of {name}: {why}");
    crate::base::input::check_media_file(path).map_err(|e| e.to_string())?;
    let mut input = ff::format::input(&path).map_err(|e| fail(av::unreadable(e, "sound")))?;
    let stream = input
        .streams()
        .best(ff::media::Type::Audio)
        .ok_or_else(|| fail("it has no audio stream".into()))?;
    let index = stream.index();
    let tb = stream.time_base();
    let tick = f64::from(tb.numerator()) / f64::from(tb.denominator()).max(1.0);
    let ctx = ff::codec::context::Context::from_parameters(stream.parameters())
        .map_err(|e| fail(av::reason(e)))?;
    let mut decoder = ctx.decoder().audio().map_err(|e| {
        fail(format!(
            "its audio codec cannot be decoded by this FFmpeg ({})",
            av::reason(e)
        ))
    })?;
    // The decoder moves timestamps past the priming samples it drops (Opus's pre-skip,
    // AAC's edit list) only when it knows the packets' time base.
    unsafe { (*decoder.as_mut_ptr()).pkt_timebase = tb.into() };
    let mut out = Placed {
        writer: PcmWriter::new()?,
        first: None,
        start: 0.0,
        rate: f64::from(RATE),
        taken: 0,
        resampler: None,
        buf: Vec::new(),
        origin,
        tick,
    };
    let mut frame = ff::frame::Audio::empty();
    let mut bad = 0u32;
    let mut damaged_at: Option<f64> = None;
    for (s, packet) in input.packets() {
        if s.index() != index {
            continue;
        }
        let at = packet
            .pts()
            .map(|p| p as f64 * tick - origin.unwrap_or(out.start));
        match decoder.send_packet(&packet) {
            Ok(()) => bad = 0,
            Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => {}
            Err(_) => {
                bad += 1;
                damaged_at.get_or_insert(at.unwrap_or(0.0));
                if bad > MAX_BAD {
                    break;
                }
                continue;
            }
        }
        while decoder.receive_frame(&mut frame).is_ok() {
            out.frame(&frame).map_err(fail)?;
        }
        let stored = out.writer.frames() as f64 / f64::from(RATE);
        if until.is_some_and(|u| stored > u && u < MAX_SECONDS) {
            return out.finish();
        }
        if stored > MAX_SECONDS {
            crate::base::report::warn(format_args!(
                "the sound of {name} is longer than {} hours: the rest is left out",
                MAX_SECONDS / 3600.0
            ));
            return out.finish();
        }
    }
    let _ = decoder.send_eof();
    while decoder.receive_frame(&mut frame).is_ok() {
        out.frame(&frame).map_err(fail)?;
    }
    if let Some(t) = damaged_at {
        crate::base::report::warn(format_args!(
            "the sound of {name} is damaged from {t:.2} s: what cannot be decoded is silent"
        ));
    }
    out.finish()
}

/// Decoded frames on their way into the store.
struct Placed {
    writer: PcmWriter,
    /// The clip frame of the store's first frame, once the first frame is placed.
    first: Option<i64>,
    /// The first frame's time (file seconds) and the stream's rate, for gaps.
    start: f64,
    rate: f64,
    /// Input frames taken so far (silence for gaps included).
    taken: i64,
    resampler: Option<Resampler>,
    buf: Vec<f32>,
    origin: Option<f64>,
    tick: f64,
}

/// The lowest sample rate taken: telephone sound has 8 000 samples a second, and below
/// 1 000 nothing is left to hear. A file claiming one sample a second would otherwise
/// be resampled to 48 000 frames for each of its samples.
const LOWEST_RATE: i32 = 1000;

/// At most about this many output frames are resampled at once, so that memory stays
/// small whatever the rates.
const CHUNK_FRAMES: f64 = 65536.0;

/// A gap between a frame's timestamp and where the frames before it end that is left
/// silent (a lost packet) rather than closed up, in seconds.
const GAP: f64 = 0.002;

impl Placed {
    fn frame(&mut self, frame: &ff::frame::Audio) -> Result<(), String> {
        let raw = unsafe { &*frame.as_ptr() };
        if raw.sample_rate <= 0 || raw.nb_samples <= 0 {
            return Ok(());
        }
        let ts = frame
            .pts()
            .or(frame.timestamp())
            .map(|p| p as f64 * self.tick);
        if self.first.is_none() {
            if raw.sample_rate < LOWEST_RATE {
                return Err(format!(
                    "it is sampled at {} Hz, too slowly to be sound (animate plays {LOWEST_RATE} Hz \
                     and more)",
                    raw.sample_rate
                ));
            }
            let origin = self.origin.or(ts).unwrap_or(0.0);
            self.start = ts.unwrap_or(origin);
            self.rate = f64::from(raw.sample_rate);
            self.first = Some(super::frame_at(self.start - origin));
            if self.rate != f64::from(RATE) {
                self.resampler = Some(Resampler::new(self.rate / f64::from(RATE)));
            }
        } else if let Some(ts) = ts {
            let gap = ts - (self.start + self.taken as f64 / self.rate);
            if gap > GAP {
                let n = (gap * self.rate).round() as usize;
                self.take(&vec![0.0; n * 2])?;
            }
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        to_stereo(raw, &mut buf);
        let done = self.take(&buf);
        self.buf = buf;
        done
    }

    /// Takes input frames (at the stream's rate) towards the store.
    fn take(&mut self, samples: &[f32]) -> Result<(), String> {
        self.taken += (samples.len() / 2) as i64;
        match &mut self.resampler {
            None => self.writer.write(samples),
            Some(r) => {
                let piece = ((CHUNK_FRAMES * r.ratio).ceil() as usize).max(1) * 2;
                let mut out = Vec::new();
                for input in samples.chunks(piece) {
                    out.clear();
                    r.push(input, &mut out);
                    self.writer.write(&out)?;
                }
                Ok(())
            }
        }
    }

    fn finish(mut self) -> Result<PcmStore, String> {
        if let Some(mut r) = self.resampler.take() {
            let mut tail = Vec::new();
            r.finish(&mut tail);
            self.writer.write(&tail)?;
        }
        self.writer.finish(self.first.unwrap_or(0))
    }
}

/// A decoded frame's samples as interleaved stereo `f32`: mono is heard on both
/// sides; more than two channels keep the front left and right with the centre (the
/// third channel) mixed in at −3 dB.
fn to_stereo(raw: &ffi::AVFrame, out: &mut Vec<f32>) {
    use ffi::AVSampleFormat::*;
    let n = raw.nb_samples as usize;
    let channels = raw.ch_layout.nb_channels.max(1) as usize;
    let format: ffi::AVSampleFormat = unsafe { std::mem::transmute(raw.format) };
    let planar = unsafe { ffi::av_sample_fmt_is_planar(format) } != 0;
    let read = |ch: usize, i: usize| -> f32 {
        unsafe {
            let (base, idx) = if planar {
                (*raw.extended_data.add(ch), i)
            } else {
                (*raw.extended_data, i * channels + ch)
            };
            match format {
                AV_SAMPLE_FMT_U8 | AV_SAMPLE_FMT_U8P => (*base.add(idx) as f32 - 128.0) / 128.0,
                AV_SAMPLE_FMT_S16 | AV_SAMPLE_FMT_S16P => {
                    (base as *const i16).add(idx).read_unaligned() as f32 / 32768.0
                }
                AV_SAMPLE_FMT_S32 | AV_SAMPLE_FMT_S32P => {
                    ((base as *const i32).add(idx).read_unaligned() as f64 / 2147483648.0) as f32
                }
                AV_SAMPLE_FMT_S64 | AV_SAMPLE_FMT_S64P => {
                    ((base as *const i64).add(idx).read_unaligned() as f64 / 9.223372036854776e18)
                        as f32
                }
                AV_SAMPLE_FMT_FLT | AV_SAMPLE_FMT_FLTP => {
                    (base as *const f32).add(idx).read_unaligned()
                }
                AV_SAMPLE_FMT_DBL | AV_SAMPLE_FMT_DBLP => {
                    (base as *const f64).add(idx).read_unaligned() as f32
                }
                _ => 0.0,
            }
        }
    };
    out.reserve(n * 2);
    for i in 0..n {
        let (l, r) = match channels {
            1 => {
                let v = read(0, i);
                (v, v)
            }
            2 => (read(0, i), read(1, i)),
            _ => {
                let c = read(2, i) * std::f32::consts::FRAC_1_SQRT_2;
                (read(0, i) + c, read(1, i) + c)
            }
        };
        let fix = |v: f32| if v.is_finite() { v } else { 0.0 };
        out.push(fix(l));
        out.push(fix(r));
    }
}

/// Streaming linear-interpolation resampler of interleaved stereo: output frame `j`
/// is the input at position `j · ratio`.
pub struct Resampler {
    ratio: f64,
    /// The next output frame.
    next: u64,
    /// The input index of `buf`'s first frame.
    base: u64,
    buf: Vec<f32>,
}

impl Resampler {
    pub fn new(ratio: f64) -> Resampler {
        Resampler {
            ratio,
            next: 0,
            base: 0,
            buf: Vec::new(),
        }
    }

    fn emit(&mut self, out: &mut Vec<f32>, last: bool) {
        let n = self.buf.len() / 2;
        loop {
            let p = self.next as f64 * self.ratio - self.base as f64;
            let i = p.floor() as usize;
            if i + 1 >= n && !(last && i < n) {
                break;
            }
            let f = (p - i as f64) as f32;
            for ch in 0..2 {
                let a = self.buf[i * 2 + ch];
                let b = self.buf.get((i + 1) * 2 + ch).copied().unwrap_or(a);
                out.push(a + (b - a) * f);
            }
            self.next += 1;
        }
        let keep = ((self.next as f64 * self.ratio - self.base as f64)
            .floor()
            .max(0.0) as usize)
            .min(n);
        self.buf.drain(..keep * 2);
        self.base += keep as u64;
    }

    /// Takes input frames, gives the output frames they complete.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) {
        self.buf.extend_from_slice(input);
        self.emit(out, false);
    }

    /// The frames left at the end of the input.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        self.emit(out, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_stops_after_the_seconds_needed() {
        // 10 s of 8 kHz 16-bit mono silence.
        let (rate, n) = (8000u32, 80_000u32);
        let mut wav = b"RIFF".to_vec();
        wav.extend((36 + 2 * n).to_le_bytes());
        wav.extend(b"WAVEfmt ");
        for v in [16u32, 1 | (1 << 16), rate, 2 * rate, 2 | (16 << 16)] {
            wav.extend(v.to_le_bytes());
        }
        wav.extend(b"data");
        wav.extend((2 * n).to_le_bytes());
        wav.resize(wav.len() + 2 * n as usize, 0);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ten.wav");
        std::fs::write(&path, wav).unwrap();
        let whole = decode(&path, None, None).unwrap().frames();
        assert_eq!(whole, 10 * i64::from(RATE));
        let part = FileSound::first_seconds(&path, 1.5);
        let got = part.store().unwrap().frames() as f64 / f64::from(RATE);
        assert!((1.5..2.0).contains(&got), "{got} s decoded");
    }

    #[test]
    fn resampling_keeps_length_and_interpolates() {
        // 24 kHz to 48 kHz: twice the frames, halfway values between.
        let mut r = Resampler::new(0.5);
        let mut out = Vec::new();
        r.push(&[0.0, 0.0, 1.0, 1.0], &mut out);
        r.push(&[2.0, 2.0], &mut out);
        r.finish(&mut out);
        let left: Vec<f32> = out.iter().step_by(2).copied().collect();
        assert_eq!(left, vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.0]);
    }
}
