//! Sound for the audio tests: WAV files written by the test (tones, clicks, chirps)
//! and outputs decoded with FFmpeg's libraries, independently of animate's own
//! decoding, to measure where and how loud the sound is.

#![allow(dead_code)]

use std::path::Path;

use animate::av::ff;

/// Writes a 16-bit PCM WAV file of `channels` interleaved channels.
pub fn write_wav(path: &Path, rate: u32, channels: u16, samples: &[f32]) {
    let data: Vec<u8> = samples
        .iter()
        .flat_map(|s| ((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes())
        .collect();
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * channels as u32 * 2).to_le_bytes());
    out.extend_from_slice(&(channels * 2).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    std::fs::write(path, out).unwrap();
}

/// `seconds` of mono sound at `rate`, sample `i` = `f(i / rate)`.
pub fn mono(rate: u32, seconds: f64, f: impl Fn(f64) -> f64) -> Vec<f32> {
    let n = (seconds * rate as f64).round() as usize;
    (0..n).map(|i| f(i as f64 / rate as f64) as f32).collect()
}

/// A sine tone.
pub fn tone(freq: f64, amp: f64) -> impl Fn(f64) -> f64 {
    move |t| amp * (2.0 * std::f64::consts::PI * freq * t).sin()
}

/// Silence with a 10 ms burst of a 1 kHz tone at 0.9 starting at each of `at`.
pub fn clicks(at: Vec<f64>) -> impl Fn(f64) -> f64 {
    move |t| {
        if at.iter().any(|&c| t >= c && t < c + 0.010) {
            0.9 * (2.0 * std::f64::consts::PI * 1000.0 * t).sin()
        } else {
            0.0
        }
    }
}

/// An output's sound, decoded: the left channel, its rate, and when its first sample
/// plays relative to the first video frame.
pub struct Heard {
    pub rate: u32,
    pub left: Vec<f32>,
    pub right: Vec<f32>,
    /// Seconds from the first video frame to the first sample.
    pub start: f64,
    /// The video stream's duration, when the file has one.
    pub video: Option<f64>,
}

impl Heard {
    /// Seconds of sound.
    pub fn duration(&self) -> f64 {
        self.left.len() as f64 / self.rate as f64
    }

    /// Output times (relative to the first video frame) where the level first rises
    /// above 0.3 after at least 50 ms of quiet: the clicks' onsets.
    pub fn onsets(&self) -> Vec<f64> {
        let mut found = Vec::new();
        let mut quiet = self.rate as usize;
        for (i, s) in self.left.iter().enumerate() {
            if s.abs() > 0.3 {
                if quiet >= self.rate as usize / 20 {
                    found.push(self.start + i as f64 / self.rate as f64);
                }
                quiet = 0;
            } else {
                quiet += 1;
            }
        }
        found
    }

    /// Root mean square of the left channel between two output times.
    pub fn rms(&self, from: f64, to: f64) -> f64 {
        let w = self.window(from, to);
        (w.iter().map(|s| (*s as f64).powi(2)).sum::<f64>() / w.len().max(1) as f64).sqrt()
    }

    /// The left channel between two output times.
    pub fn window(&self, from: f64, to: f64) -> &[f32] {
        let at = |t: f64| {
            (((t - self.start) * self.rate as f64).round().max(0.0) as usize).min(self.left.len())
        };
        &self.left[at(from)..at(to)]
    }

    /// The amplitude of the `freq` component between two output times (Goertzel).
    pub fn level_at(&self, freq: f64, from: f64, to: f64) -> f64 {
        let w = self.window(from, to);
        let k = 2.0 * (2.0 * std::f64::consts::PI * freq / self.rate as f64).cos();
        let (mut a, mut b) = (0.0f64, 0.0f64);
        for s in w {
            let c = *s as f64 + k * a - b;
            b = a;
            a = c;
        }
        let power = a * a + b * b - k * a * b;
        2.0 * power.max(0.0).sqrt() / w.len().max(1) as f64
    }

    /// The dominant frequency between two output times, from zero crossings.
    pub fn pitch(&self, from: f64, to: f64) -> f64 {
        let w = self.window(from, to);
        let crossings = w
            .windows(2)
            .filter(|p| (p[0] < 0.0) != (p[1] < 0.0))
            .count();
        crossings as f64 / 2.0 / (w.len() as f64 / self.rate as f64)
    }
}

/// Decodes the first audio stream of `path`; `None` when it has none.
pub fn hear(path: &Path) -> Option<Heard> {
    animate::av::init().unwrap();
    let mut input = ff::format::input(&path).unwrap();
    let video = input.streams().best(ff::media::Type::Video).map(|s| {
        let tb = f64::from(s.time_base());
        let start = if s.start_time() == i64::MIN {
            0
        } else {
            s.start_time()
        };
        (s.index(), start as f64 * tb, s.duration() as f64 * tb)
    });
    let audio = input.streams().best(ff::media::Type::Audio)?;
    let (index, tb) = (audio.index(), f64::from(audio.time_base()));
    let ctx = ff::codec::context::Context::from_parameters(audio.parameters()).unwrap();
    let mut decoder = ctx.decoder().audio().unwrap();
    // As players do: the decoder then moves timestamps past the priming it drops.
    unsafe { (*decoder.as_mut_ptr()).pkt_timebase = audio.time_base().into() };
    let mut heard = Heard {
        rate: 0,
        left: Vec::new(),
        right: Vec::new(),
        start: f64::NAN,
        video: video.map(|v| v.2).filter(|d| *d > 0.0),
    };
    let mut frame = ff::frame::Audio::empty();
    let take = |frame: &ff::frame::Audio, heard: &mut Heard| {
        if heard.start.is_nan() {
            let pts = frame.pts().or(frame.timestamp()).unwrap_or(0);
            heard.start = pts as f64 * tb - video.map_or(0.0, |v| v.1);
            heard.rate = frame.rate();
        }
        let n = frame.samples();
        let planar = frame.is_planar();
        for i in 0..n {
            let (l, r) = match frame.format() {
                ff::format::Sample::F32(_) if planar => {
                    (frame.plane::<f32>(0)[i], frame.plane::<f32>(1)[i])
                }
                ff::format::Sample::F32(_) => {
                    let d: &[f32] = unsafe {
                        std::slice::from_raw_parts(frame.data(0).as_ptr() as *const f32, n * 2)
                    };
                    (d[i * 2], d[i * 2 + 1])
                }
                // FLAC (the lossless sound of a render's parts in MP4).
                ff::format::Sample::I32(ff::format::sample::Type::Packed) => {
                    let d: &[i32] = unsafe {
                        std::slice::from_raw_parts(frame.data(0).as_ptr() as *const i32, n * 2)
                    };
                    let f = |x: i32| (f64::from(x) / 2f64.powi(31)) as f32;
                    (f(d[i * 2]), f(d[i * 2 + 1]))
                }
                f => panic!("unexpected sample format {f:?}"),
            };
            heard.left.push(l);
            heard.right.push(r);
        }
    };
    for (s, packet) in input.packets() {
        if s.index() != index {
            continue;
        }
        decoder.send_packet(&packet).unwrap();
        while decoder.receive_frame(&mut frame).is_ok() {
            take(&frame, &mut heard);
        }
    }
    decoder.send_eof().unwrap();
    while decoder.receive_frame(&mut frame).is_ok() {
        take(&frame, &mut heard);
    }
    Some(heard)
}

/// Copies `src` to `dst` (metadata too), passing each audio packet, with its stream's
/// time base, to `edit`, which may change it or return false to drop it.
fn remux_audio(
    src: &Path,
    dst: &Path,
    mut edit: impl FnMut(&mut ff::Packet, ff::Rational) -> bool,
) {
    animate::av::init().unwrap();
    let mut input = ff::format::input(&src).unwrap();
    let mut output = ff::format::output(&dst).unwrap();
    output.set_metadata(input.metadata().to_owned());
    let mut bases = Vec::new();
    for s in input.streams() {
        let mut o = output.add_stream(None::<ff::Codec>).unwrap();
        o.set_parameters(s.parameters());
        unsafe { (*(*o.as_mut_ptr()).codecpar).codec_tag = 0 };
        bases.push((
            s.time_base(),
            s.parameters().medium() == ff::media::Type::Audio,
        ));
    }
    output.write_header().unwrap();
    for (s, mut packet) in input.packets() {
        let i = s.index();
        let (tb, audio) = bases[i];
        if audio && !edit(&mut packet, tb) {
            continue;
        }
        let out_tb = output.stream(i).unwrap().time_base();
        packet.rescale_ts(tb, out_tb);
        packet.set_position(-1);
        packet.write_interleaved(&mut output).unwrap();
    }
    output.write_trailer().unwrap();
}

/// Copies `src` to `dst` with every audio packet `seconds` later: a file whose sound
/// starts after its pictures.
pub fn remux_delaying_audio(src: &Path, dst: &Path, seconds: f64) {
    remux_audio(src, dst, |packet, tb| {
        let shift = (seconds / f64::from(tb)).round() as i64;
        packet.set_pts(packet.pts().map(|p| p + shift));
        packet.set_dts(packet.dts().map(|p| p + shift));
        true
    });
}

/// Byte ranges of the audio packets of `path`, in file order.
pub fn audio_packets(path: &Path) -> Vec<(usize, usize)> {
    animate::av::init().unwrap();
    let mut input = ff::format::input(&path).unwrap();
    let index = input
        .streams()
        .best(ff::media::Type::Audio)
        .unwrap()
        .index();
    input
        .packets()
        .filter(|(s, p)| s.index() == index && p.position() >= 0)
        .map(|(_, p)| (p.position() as usize, p.size()))
        .collect()
}

/// Copies `src` to `dst` without the audio packets from `seconds` on: a part whose
/// sound was cut short.
pub fn remux_cutting_audio(src: &Path, dst: &Path, seconds: f64) {
    remux_audio(src, dst, |packet, tb| {
        (packet.pts().unwrap_or(0) as f64 * f64::from(tb)) < seconds
    });
}
