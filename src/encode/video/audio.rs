//! The sound of a video output: the root clip's sound pulled in encoder frames and
//! interleaved with the pictures by time, AAC in MP4/MOV and Opus in WebM/MKV, at
//! 48 kHz stereo. A part of a render (`--segment`) carries its sound losslessly
//! instead ([`Coding::Part`]), so that `join` can put the parts' sound together
//! sample-exactly and encode it once.
//!
//! Sound is encoded up to the end of each picture as the picture arrives, so nothing
//! holds more than one encoder frame of samples, and it ends with the last picture
//! (± one encoder frame: the last frame is short where the encoder takes that, else
//! padded with silence).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::settings::Container;
use crate::audio::{mix::clamp, Sound, CHANNELS, RATE};
use crate::av::{self, ff, ff::ffi};
use crate::base::error::RenderError;
use ff::codec::packet::{Mut as _, Ref as _};

/// How a track's sound is coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// For listening: AAC, or Opus in WebM.
    Final,
    /// For `join`: lossless and without encoder priming, so that a part holds exactly
    /// its span of samples (32-bit float PCM in MKV/MOV, 24-bit FLAC in MP4).
    Part,
}

/// The layout of the samples handed to the encoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    PlanarF32,
    PackedF32,
    /// 24-bit samples in the high bits of 32 (FLAC).
    PackedS32,
}

/// A sound stream being written beside the pictures.
pub struct AudioTrack {
    sound: Arc<dyn Sound>,
    encoder: ff::encoder::Audio,
    frame: ff::frame::Audio,
    layout: Layout,
    /// Sample frames per encoder frame.
    frame_size: usize,
    /// Whether the encoder takes a shorter last frame.
    small_last: bool,
    stream: usize,
    stream_tb: ff::Rational,
    /// The sound's frame where this output starts (a part of a render starts later).
    origin: i64,
    /// Sample frames encoded so far.
    done: i64,
    /// Added to every frame's timestamp (see [`AudioTrack::add`]).
    delay: i64,
    buf: Vec<f32>,
    target: PathBuf,
}

fn fail(target: &Path, what: &str, e: ff::Error) -> RenderError {
    RenderError(format!(
        "cannot write {}: {what}: {}",
        target.display(),
        av::reason(e)
    ))
}

/// The sound encoder a container gets; `None` where the container holds no lossless
/// sound (WebM takes only Opus and Vorbis).
pub fn encoder_name(container: Container, coding: Coding) -> Option<&'static str> {
    match (coding, container) {
        // Opus in MKV too: FFmpeg 5.1's Matroska muxer marks the encoder priming of Opus
        // (CodecDelay) but not of AAC, whose sound would play 1024 samples (21 ms) late.
        (Coding::Final, Container::Webm | Container::Mkv) => Some("libopus"),
        (Coding::Final, _) => Some("aac"),
        (Coding::Part, Container::Webm) => None,
        // FFmpeg 5.1's MP4 muxer takes no PCM, and FLAC only as "experimental".
        (Coding::Part, Container::Mp4) => Some("flac"),
        (Coding::Part, _) => Some("pcm_f32le"),
    }
}

impl AudioTrack {
    /// Adds a sound stream to `output` (before its header is written), starting at
    /// render time `start` seconds (times given later are render times too, so that
    /// parts of a render cut the sound at the same sample frames).
    pub fn add(
        output: &mut ff::format::context::Output,
        container: Container,
        sound: Arc<dyn Sound>,
        start: f64,
        coding: Coding,
        target: &Path,
    ) -> Result<AudioTrack, RenderError> {
        let name = encoder_name(container, coding).ok_or_else(|| {
            RenderError(format!(
                "cannot write {}: a {} file holds no lossless sound for a part of a render",
                target.display(),
                container.ext()
            ))
        })?;
        let codec = ff::encoder::find_by_name(name).ok_or_else(|| {
            RenderError(format!(
                "cannot write {}: this FFmpeg has no {name} encoder for the sound (install one built with it, or render with --no-audio)",
                target.display()
            ))
        })?;
        let formats: Vec<ff::format::Sample> = codec
            .audio()
            .ok()
            .and_then(|a| a.formats().map(|f| f.collect()))
            .unwrap_or_default();
        let planar_f32 = ff::format::Sample::F32(ff::format::sample::Type::Planar);
        let packed_f32 = ff::format::Sample::F32(ff::format::sample::Type::Packed);
        let packed_s32 = ff::format::Sample::I32(ff::format::sample::Type::Packed);
        let (format, layout) = if formats.contains(&planar_f32) || formats.is_empty() {
            (planar_f32, Layout::PlanarF32)
        } else if formats.contains(&packed_f32) {
            (packed_f32, Layout::PackedF32)
        } else if formats.contains(&packed_s32) {
            (packed_s32, Layout::PackedS32)
        } else {
            return Err(RenderError(format!(
                "cannot write {}: the {name} encoder takes no 32-bit float samples",
                target.display()
            )));
        };
        let global_header = output
            .format()
            .flags()
            .contains(ff::format::Flags::GLOBAL_HEADER);
        let mut enc = ff::codec::Context::new_with_codec(codec)
            .encoder()
            .audio()
            .map_err(|e| fail(target, "cannot set up the sound encoder", e))?;
        let tb = ff::Rational::new(1, RATE as i32);
        enc.set_format(format);
        enc.set_time_base(tb);
        if coding == Coding::Final {
            enc.set_bit_rate(if name == "aac" { 192_000 } else { 128_000 });
        }
        unsafe {
            let raw = enc.as_mut_ptr();
            (*raw).sample_rate = RATE as i32;
            if layout == Layout::PackedS32 {
                (*raw).bits_per_raw_sample = 24;
            }
            ffi::av_channel_layout_default(&mut (*raw).ch_layout, CHANNELS as i32);
        }
        if global_header {
            enc.set_flags(ff::codec::Flags::GLOBAL_HEADER);
        }
        let encoder = enc
            .open_with(ff::Dictionary::new())
            .map_err(|e| fail(target, &format!("cannot start {name}"), e))?;
        let (frame_size, small_last) = unsafe {
            let raw = encoder.as_ptr();
            let caps = (*(*raw).codec).capabilities as u32;
            let size = if (*raw).frame_size > 0 {
                (*raw).frame_size as usize
            } else {
                1024
            };
            let any_last =
                ffi::AV_CODEC_CAP_SMALL_LAST_FRAME | ffi::AV_CODEC_CAP_VARIABLE_FRAME_SIZE;
            (size, caps & any_last != 0)
        };
        if name == "flac" && container == Container::Mp4 {
            unsafe {
                (*output.as_mut_ptr()).strict_std_compliance = ffi::FF_COMPLIANCE_EXPERIMENTAL
            };
        }
        // Matroska takes the encoder's priming (Opus's pre-skip) off the sound's
        // timestamps when it is read back: timestamps that start at the priming keep the
        // first sample at the first picture (measured: without, WebM's sound was 14 ms
        // early). MP4 marks the priming in an edit list instead.
        let delay = match container {
            Container::Webm | Container::Mkv => unsafe {
                (*encoder.as_ptr()).initial_padding as i64
            },
            _ => 0,
        };
        let stream = {
            let mut s = output
                .add_stream(codec)
                .map_err(|e| fail(target, "cannot add the sound stream", e))?;
            s.set_parameters(&encoder);
            s.set_time_base(tb);
            s.index()
        };
        let mut frame = ff::frame::Audio::empty();
        unsafe {
            let raw = frame.as_mut_ptr();
            (*raw).nb_samples = frame_size as i32;
            (*raw).format = ffi::AVSampleFormat::from(format) as i32;
            (*raw).sample_rate = RATE as i32;
            ffi::av_channel_layout_default(&mut (*raw).ch_layout, CHANNELS as i32);
            if ffi::av_frame_get_buffer(raw, 0) < 0 {
                return Err(RenderError("out of memory for a sound frame".into()));
            }
        }
        Ok(AudioTrack {
            sound,
            encoder,
            frame,
            layout,
            frame_size,
            small_last,
            stream,
            stream_tb: tb,
            origin: crate::audio::frame_at(start),
            done: 0,
            delay,
            buf: Vec::new(),
            target: target.to_path_buf(),
        })
    }

    /// The stream's time base, once the header is written (muxers may change it).
    pub fn header_written(&mut self, output: &ff::format::context::Output) {
        if let Some(s) = output.stream(self.stream) {
            self.stream_tb = s.time_base();
        }
    }

    /// Encodes whole encoder frames up to render time `until` seconds.
    pub fn encode_until(
        &mut self,
        until: f64,
        output: &mut ff::format::context::Output,
    ) -> Result<(), RenderError> {
        let end = crate::audio::frame_at(until) - self.origin;
        while self.done + self.frame_size as i64 <= end {
            // Minutes of sound may come in one call (a frame every 500 s, or the sound
            // after the last frame): a signal stops it here, not at the next frame.
            crate::base::stop::check()?;
            self.encode_frame(self.frame_size, output)?;
        }
        Ok(())
    }

    /// Encodes the sound up to render time `end` seconds and flushes the encoder.
    pub fn finish(
        &mut self,
        end: f64,
        output: &mut ff::format::context::Output,
    ) -> Result<(), RenderError> {
        self.encode_until(end, output)?;
        let left = crate::audio::frame_at(end) - self.origin - self.done;
        if left > 0 {
            let n = if self.small_last {
                left as usize
            } else {
                self.frame_size
            };
            self.encode_frame(n, output)?;
        }
        self.encoder
            .send_eof()
            .map_err(|e| fail(&self.target, "encoding the sound failed", e))?;
        self.drain(output)
    }

    fn encode_frame(
        &mut self,
        n: usize,
        output: &mut ff::format::context::Output,
    ) -> Result<(), RenderError> {
        self.buf.resize(n * CHANNELS, 0.0);
        self.sound
            .fill(self.origin + self.done, &mut self.buf)
            .map_err(RenderError)?;
        clamp(&mut self.buf);
        unsafe {
            let raw = self.frame.as_mut_ptr();
            if ffi::av_frame_make_writable(raw) < 0 {
                return Err(RenderError("out of memory for a sound frame".into()));
            }
            (*raw).nb_samples = n as i32;
            match self.layout {
                Layout::PlanarF32 => {
                    for ch in 0..CHANNELS {
                        let plane = std::slice::from_raw_parts_mut((*raw).data[ch] as *mut f32, n);
                        for (i, s) in plane.iter_mut().enumerate() {
                            *s = self.buf[i * CHANNELS + ch];
                        }
                    }
                }
                Layout::PackedF32 => {
                    let data =
                        std::slice::from_raw_parts_mut((*raw).data[0] as *mut f32, n * CHANNELS);
                    data.copy_from_slice(&self.buf);
                }
                Layout::PackedS32 => {
                    let data =
                        std::slice::from_raw_parts_mut((*raw).data[0] as *mut i32, n * CHANNELS);
                    for (d, s) in data.iter_mut().zip(&self.buf) {
                        *d = to_s24(*s) << 8;
                    }
                }
            }
        }
        self.frame.set_pts(Some(self.done + self.delay));
        self.encoder
            .send_frame(&self.frame)
            .map_err(|e| fail(&self.target, "encoding the sound failed", e))?;
        self.done += n as i64;
        self.drain(output)
    }

    fn drain(&mut self, output: &mut ff::format::context::Output) -> Result<(), RenderError> {
        let mut packet = ff::Packet::empty();
        loop {
            match self.encoder.receive_packet(&mut packet) {
                Ok(()) => {}
                Err(ff::Error::Eof) => return Ok(()),
                Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => {
                    return Ok(())
                }
                Err(e) => return Err(fail(&self.target, "encoding the sound failed", e)),
            }
            packet.set_stream(self.stream);
            packet.rescale_ts(ff::Rational::new(1, RATE as i32), self.stream_tb);
            if packet.size() == 0 {
                // FLAC's last packet is empty and carries the finished stream header
                // (length, checksum) as side data, which the muxer takes; the safe
                // wrapper refuses empty packets.
                let raw = unsafe { &*packet.as_ptr() };
                if raw.side_data_elems > 0 {
                    let r = unsafe {
                        ffi::av_interleaved_write_frame(output.as_mut_ptr(), packet.as_mut_ptr())
                    };
                    if r < 0 {
                        return Err(fail(&self.target, "writing failed", ff::Error::from(r)));
                    }
                }
                continue;
            }
            packet
                .write_interleaved(output)
                .map_err(|e| fail(&self.target, "writing failed", e))?;
        }
    }
}

/// A clamped sample as a 24-bit integer (full scale is 2^23 − 1).
fn to_s24(s: f32) -> i32 {
    (f64::from(s) * 8_388_607.0).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_get_lossless_sound_where_the_container_holds_it() {
        assert_eq!(encoder_name(Container::Mp4, Coding::Part), Some("flac"));
        assert_eq!(
            encoder_name(Container::Mkv, Coding::Part),
            Some("pcm_f32le")
        );
        assert_eq!(
            encoder_name(Container::Mov, Coding::Part),
            Some("pcm_f32le")
        );
        assert_eq!(encoder_name(Container::Webm, Coding::Part), None);
        assert_eq!(
            encoder_name(Container::Webm, Coding::Final),
            Some("libopus")
        );
        assert_eq!(encoder_name(Container::Mp4, Coding::Final), Some("aac"));
        assert_eq!(encoder_name(Container::Mkv, Coding::Final), Some("libopus"));
    }

    #[test]
    fn full_scale_fits_24_bits() {
        assert_eq!(to_s24(1.0), 8_388_607);
        assert_eq!(to_s24(-1.0), -8_388_607);
        assert_eq!(to_s24(0.0), 0);
    }
}
