//! The stateful half of a video source: one demuxer and one decoder per file, and a
//! small window of recently decoded pictures.
//!
//! Requests arrive roughly in time order from parallel workers. A request just ahead
//! of the decoder decodes forward; one behind it, or far ahead past a keyframe, seeks
//! to the keyframe before the frame and decodes forward from there. Every picture
//! decoded on the way is kept in the window, so the neighbours other workers ask for
//! next are already there, and playing backwards decodes a group of pictures once and
//! serves it from the window (which grows, within a memory budget, the first time a
//! request goes backwards).

use std::collections::VecDeque;

use ff::codec::packet::{Mut as _, Ref as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::index::FrameIndex;
use crate::av::{self, ff, ff::ffi};

/// A decoded picture, shared between the window and the workers converting it.
pub type Picture = ff::frame::Video;

/// How far ahead (in frames) decoding forward is preferred to seeking, even past a
/// keyframe: seeking flushes the decoder's pipeline.
const FORWARD_SLACK: usize = 16;
/// Memory the window may use once a clip is played backwards.
const BACKWARD_BUDGET: usize = 192 << 20;
/// Damaged packets in a row after which the file is given up on.
const MAX_BAD_PACKETS: u32 = 1000;

/// Recently decoded pictures by frame number, oldest evicted first.
struct Window {
    pictures: VecDeque<(usize, Arc<Picture>)>,
    capacity: usize,
}

impl Window {
    fn get(&self, n: usize) -> Option<Arc<Picture>> {
        self.pictures
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, p)| p.clone())
    }

    /// Frame `n`, or the closest earlier one, or the closest later one (a frame the
    /// decoder never produced, in a damaged file).
    fn nearest(&self, n: usize) -> Option<Arc<Picture>> {
        let below = self
            .pictures
            .iter()
            .filter(|(k, _)| *k <= n)
            .max_by_key(|(k, _)| *k);
        let above = || {
            self.pictures
                .iter()
                .filter(|(k, _)| *k > n)
                .min_by_key(|(k, _)| *k)
        };
        below.or_else(above).map(|(_, p)| p.clone())
    }

    fn insert(&mut self, n: usize, picture: Arc<Picture>) {
        self.pictures.retain(|(k, _)| *k != n);
        self.pictures.push_back((n, picture));
        while self.pictures.len() > self.capacity {
            self.pictures.pop_front();
        }
    }
}

/// Facts about the file's video stream, found when it is opened.
pub struct StreamInfo {
    pub stream: usize,
    pub codec: ff::codec::Id,
    /// The decoder to use (a libvpx one for VP8/VP9 with alpha: FFmpeg's own ignore it).
    pub decoder: ff::Codec,
    pub time_base: ff::Rational,
}

/// Finds the video stream and a decoder for it.
pub fn probe(input: &ff::format::context::Input) -> Result<StreamInfo, String> {
    let stream = input
        .streams()
        .best(ff::media::Type::Video)
        .filter(|s| {
            !s.disposition()
                .contains(ff::format::stream::Disposition::ATTACHED_PIC)
        })
        .or_else(|| {
            input.streams().find(|s| {
                s.parameters().medium() == ff::media::Type::Video
                    && !s
                        .disposition()
                        .contains(ff::format::stream::Disposition::ATTACHED_PIC)
            })
        })
        .ok_or("it has no video stream")?;
    let codec = stream.parameters().id();
    let metadata = stream.metadata();
    let alpha = metadata
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("alpha_mode") && v == "1");
    let by_name = match codec {
        ff::codec::Id::VP9 if alpha => ff::decoder::find_by_name("libvpx-vp9"),
        ff::codec::Id::VP8 if alpha => ff::decoder::find_by_name("libvpx"),
        _ => None,
    };
    let decoder = by_name
        .or_else(|| ff::decoder::find(codec))
        .ok_or_else(|| {
            let name = if codec == ff::codec::Id::None {
                "an unknown codec".to_string()
            } else {
                format!("the {} codec", codec.name())
            };
            format!("its video uses {name}, which this FFmpeg cannot decode")
        })?;
    Ok(StreamInfo {
        stream: stream.index(),
        codec,
        decoder,
        time_base: stream.time_base(),
    })
}

/// Reads every packet of the stream (without decoding) into its timeline.
pub fn scan(
    input: &mut ff::format::context::Input,
    info: &StreamInfo,
) -> Result<FrameIndex, String> {
    let tb = info.time_base;
    if tb.numerator() <= 0 || tb.denominator() <= 0 {
        return Err("its video stream has no valid time base".into());
    }
    let tick = tb.numerator() as f64 / tb.denominator() as f64;
    let rate = {
        let s = input.stream(info.stream).expect("probed stream");
        let r = s.avg_frame_rate();
        let r = if r.numerator() > 0 && r.denominator() > 0 {
            r
        } else {
            s.rate()
        };
        (r.numerator() > 0 && r.denominator() > 0).then(|| (r.numerator(), r.denominator()))
    };
    // One nominal frame in ticks, for packets without timestamps.
    let nominal = rate
        .map(|(n, d)| (d as f64 / n as f64 / tick).round() as i64)
        .filter(|d| *d > 0);
    let declared = input.stream(info.stream).map_or(0, |s| s.frames());
    let mut seen: i64 = 0;
    let mut packets = Vec::new();
    let mut packet = ff::Packet::empty();
    let mut bad = 0;
    let mut last: Option<i64> = None;
    loop {
        match read_packet(&mut packet, input) {
            Ok(()) => bad = 0,
            Err(ff::Error::Eof) => break,
            Err(ff::Error::InvalidData) if bad < MAX_BAD_PACKETS => {
                bad += 1;
                continue;
            }
            Err(e) => return Err(format!("reading it failed: {}", av::reason(e))),
        }
        if packet.stream() != info.stream {
            continue;
        }
        seen += 1;
        let discard = unsafe { (*packet.as_ptr()).flags & ffi::AV_PKT_FLAG_DISCARD } != 0;
        if discard {
            continue;
        }
        // Timestamps missing altogether (raw streams): one nominal frame after the last.
        let pts = packet
            .pts()
            .or(packet.dts())
            .or_else(|| last.map(|l| l + nominal.unwrap_or(1)))
            .unwrap_or(0);
        last = Some(pts);
        packets.push(super::index::Packet {
            pts,
            duration: packet.duration(),
            key: packet.is_key(),
        });
    }
    // MP4 and MOV say how many frames they hold: fewer means the file was cut short.
    if declared > 0 && seen < declared {
        return Err(format!(
            "it is truncated or damaged: only {seen} of its {declared} frames can be read"
        ));
    }
    FrameIndex::new(packets, tick, rate).ok_or_else(|| "its video stream has no frames".into())
}

/// Reads the next packet into `packet`, releasing the one it held: FFmpeg's reader
/// (and `ffmpeg-next`'s `Packet::read`) would otherwise leak it.
fn read_packet(
    packet: &mut ff::Packet,
    input: &mut ff::format::context::Input,
) -> Result<(), ff::Error> {
    unsafe { ffi::av_packet_unref(packet.as_mut_ptr()) };
    packet.read(input)
}

/// Opens the file for decoding: demuxer plus decoder on the probed stream.
fn open_decoding(
    path: &Path,
    info: &StreamInfo,
) -> Result<(ff::format::context::Input, ff::decoder::Video), String> {
    let input = ff::format::input(&path).map_err(av::reason)?;
    let stream = input
        .stream(info.stream)
        .ok_or("its video stream went away")?;
    let mut ctx = ff::codec::Context::from_parameters(stream.parameters()).map_err(av::reason)?;
    // As the ffmpeg command line does: as many threads as cores.
    ctx.set_threading(ff::threading::Config {
        kind: ff::threading::Type::Frame,
        count: 0,
        ..Default::default()
    });
    let mut dec = ctx.decoder();
    dec.set_packet_time_base(info.time_base);
    let opened = dec
        .open_as(info.decoder)
        .map_err(|e| format!("cannot start its decoder: {}", av::reason(e)))?;
    let video = opened.video().map_err(av::reason)?;
    Ok((input, video))
}

/// The decoder of one file and its window of pictures.
pub struct Decoder {
    path: PathBuf,
    info: StreamInfo,
    input: ff::format::context::Input,
    decoder: ff::decoder::Video,
    index: Arc<FrameIndex>,
    packet: ff::Packet,
    window: Window,
    /// The last frame the decoder produced since it was opened or seeked.
    position: Option<usize>,
    /// Opened and never seeked: decoding starts at the first frame.
    fresh: bool,
    eof_sent: bool,
    drained: bool,
    /// Bytes of one decoded picture, known after the first.
    picture_bytes: usize,
    base_capacity: usize,
}

impl Decoder {
    pub fn open(path: &Path, info: StreamInfo, index: Arc<FrameIndex>) -> Result<Decoder, String> {
        let (input, decoder) = open_decoding(path, &info)?;
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        // The render engine keeps at most 2 × threads frames in flight: the pictures
        // decoded for one worker and not yet taken by another fit in that.
        let base_capacity = 2 * threads + 1;
        Ok(Decoder {
            path: path.to_path_buf(),
            info,
            input,
            decoder,
            index,
            packet: ff::Packet::empty(),
            window: Window {
                pictures: VecDeque::new(),
                capacity: base_capacity,
            },
            position: None,
            fresh: true,
            eof_sent: false,
            drained: false,
            picture_bytes: 0,
            base_capacity,
        })
    }

    /// The picture of frame `n` (or, in a damaged file where it cannot be decoded,
    /// the nearest one that can).
    pub fn get(&mut self, n: usize) -> Result<Arc<Picture>, String> {
        if let Some(p) = self.window.get(n) {
            return Ok(p);
        }
        let mut seek = self.plan(n);
        for _ in 0..8 {
            if let Some(key) = seek {
                self.seek(key)?;
            }
            let mut first = true;
            let mut retry = None;
            while let Some(picture) = self.next_picture()? {
                let number = match picture.timestamp() {
                    Some(ts) => self.index.number_of(ts),
                    None => self.position.map_or(0, |p| p + 1),
                };
                // Landed after the frame: the demuxer's seek point was later than
                // the keyframe asked for. Start one keyframe earlier.
                if first && number > n {
                    if let Some(earlier) = seek.and_then(|k| self.index.key_before(k)) {
                        retry = Some(earlier);
                        break;
                    }
                }
                first = false;
                self.position = Some(number);
                if self.picture_bytes == 0 {
                    self.size_window(&picture);
                }
                self.window.insert(number, Arc::new(picture));
                if number >= n {
                    break;
                }
            }
            match retry {
                Some(k) => seek = Some(k),
                None => break,
            }
        }
        self.window.nearest(n).ok_or_else(|| {
            format!(
                "cannot decode frame {n} of {}: the file may be damaged",
                self.path.display()
            )
        })
    }

    /// Where to start decoding for frame `n`: `None` to go on from here, or the
    /// keyframe to seek to.
    fn plan(&mut self, n: usize) -> Option<usize> {
        let key = self.index.key_at_or_before(n);
        if self.drained {
            return Some(key);
        }
        match self.position {
            None if self.fresh => (key > 0 && n >= FORWARD_SLACK).then_some(key),
            None => Some(key),
            Some(p) if n <= p => {
                // Just behind what is kept: playing backwards (a jump back, as a loop
                // makes, needs no more memory than playing forwards).
                let oldest = self.window.pictures.iter().map(|(k, _)| *k).min();
                if oldest.is_some_and(|o| n + self.base_capacity >= o) {
                    self.grow_for_backward();
                }
                Some(key)
            }
            Some(p) if key > p + 1 && n - p > FORWARD_SLACK => Some(key),
            Some(_) => None,
        }
    }

    /// How many pictures the window may hold now.
    #[cfg(test)]
    pub fn window_capacity(&self) -> usize {
        self.window.capacity
    }

    fn size_window(&mut self, picture: &Picture) {
        let bytes = unsafe {
            ffi::av_image_get_buffer_size(
                picture.format().into(),
                picture.width() as i32,
                picture.height() as i32,
                1,
            )
        };
        self.picture_bytes = (bytes.max(1)) as usize;
    }

    /// Backwards playback: keep as much of a group of pictures as the budget allows, so
    /// that one decoding pass serves many requests.
    fn grow_for_backward(&mut self) {
        let per = self.picture_bytes.max(1);
        self.window.capacity = (BACKWARD_BUDGET / per).clamp(self.base_capacity, 600);
    }

    fn seek(&mut self, key: usize) -> Result<(), String> {
        let ts = self.index.pts(key);
        let ret = unsafe {
            ffi::av_seek_frame(
                self.input.as_mut_ptr(),
                self.info.stream as i32,
                ts,
                ffi::AVSEEK_FLAG_BACKWARD,
            )
        };
        if ret < 0 {
            // Not seekable this way: start over from the beginning.
            let (input, decoder) = open_decoding(&self.path, &self.info)
                .map_err(|e| format!("cannot seek in {}: {e}", self.path.display()))?;
            self.input = input;
            self.decoder = decoder;
        } else {
            self.decoder.flush();
        }
        self.fresh = false;
        self.position = None;
        self.eof_sent = false;
        self.drained = false;
        Ok(())
    }

    /// The next picture in presentation order, `None` at the end of the stream.
    fn next_picture(&mut self) -> Result<Option<Picture>, String> {
        let mut bad = 0;
        loop {
            let mut picture = Picture::empty();
            match self.decoder.receive_frame(&mut picture) {
                Ok(()) => return Ok(Some(picture)),
                Err(ff::Error::Eof) => {
                    self.drained = true;
                    return Ok(None);
                }
                Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => {}
                Err(ff::Error::InvalidData) if bad < MAX_BAD_PACKETS => {
                    bad += 1;
                    continue;
                }
                Err(e) => return Err(self.failed(e)),
            }
            if self.eof_sent {
                self.drained = true;
                return Ok(None);
            }
            self.feed(&mut bad)?;
        }
    }

    /// Sends the next packet of the stream to the decoder (or the end of stream).
    fn feed(&mut self, bad: &mut u32) -> Result<(), String> {
        loop {
            match read_packet(&mut self.packet, &mut self.input) {
                Ok(()) => {}
                Err(ff::Error::Eof) => {
                    self.eof_sent = true;
                    return self.decoder.send_eof().map_err(|e| self.failed(e));
                }
                Err(ff::Error::InvalidData) if *bad < MAX_BAD_PACKETS => {
                    *bad += 1;
                    continue;
                }
                Err(e) => return Err(self.failed(e)),
            }
            if self.packet.stream() != self.info.stream {
                continue;
            }
            return match self.decoder.send_packet(&self.packet) {
                Ok(()) => Ok(()),
                // A damaged packet: skip it, as players do.
                Err(ff::Error::InvalidData) if *bad < MAX_BAD_PACKETS => {
                    *bad += 1;
                    Ok(())
                }
                Err(e) => Err(self.failed(e)),
            };
        }
    }

    fn failed(&self, e: ff::Error) -> String {
        format!("cannot decode {}: {}", self.path.display(), av::reason(e))
    }
}
