//! Finding a file's video stream and reading its timeline once, without decoding;
//! a file that is cut short is refused here, before anything is rendered.

use ff::codec::packet::{Mut as _, Ref as _};

use super::index::{self, FrameIndex};
use super::keys;
use crate::av::{self, ff, ff::ffi};

/// Damaged packets in a row after which the file is given up on.
pub const MAX_BAD_PACKETS: u32 = 1000;

/// Facts about the file's video stream, found when it is opened.
#[derive(Clone, Copy)]
pub struct StreamInfo {
    pub stream: usize,
    pub codec: ff::codec::Id,
    /// The decoder to use (a libvpx one for VP8/VP9 with alpha: FFmpeg's own ignore it).
    pub decoder: ff::Codec,
    pub time_base: ff::Rational,
}

/// Finds the video stream and a decoder for it.
pub fn probe(input: &ff::format::context::Input) -> Result<StreamInfo, String> {
    let is_video = |s: &ff::format::stream::Stream| {
        s.parameters().medium() == ff::media::Type::Video
            && !s
                .disposition()
                .contains(ff::format::stream::Disposition::ATTACHED_PIC)
    };
    let stream = input
        .streams()
        .best(ff::media::Type::Video)
        .filter(is_video)
        .or_else(|| input.streams().find(is_video))
        .ok_or_else(|| {
            let sound = input
                .streams()
                .any(|s| s.parameters().medium() == ff::media::Type::Audio);
            if sound {
                "it has no video stream, only sound: to hear it, use `kind = \"audio\"` (or \
                 `[output] audio`)"
            } else {
                "it has no video stream"
            }
        })?;
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

/// Reads every packet of the file (without decoding) into the video stream's
/// timeline, and refuses a file that holds less than its header declares.
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
    let header_end = declared_end(input);
    // Seconds per tick of every stream, to find where the other streams end.
    let ticks: Vec<f64> = input
        .streams()
        .map(|s| {
            let r = s.time_base();
            if r.numerator() > 0 && r.denominator() > 0 {
                r.numerator() as f64 / r.denominator() as f64
            } else {
                0.0
            }
        })
        .collect();
    let mut others_end = f64::NEG_INFINITY;
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
            if let Some(ts) = packet.pts().or(packet.dts()) {
                let t = ticks.get(packet.stream()).copied().unwrap_or(0.0);
                others_end = others_end.max((ts + packet.duration().max(0)) as f64 * t);
            }
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
        packets.push(index::Packet {
            pts,
            duration: packet.duration(),
            key: keys::starts_clean(&packet, info.codec),
        });
    }
    // MP4 and MOV say how many frames they hold: fewer means the file was cut short.
    if declared > 0 && seen < declared {
        return Err(format!(
            "it is truncated or damaged: only {seen} of its {declared} frames can be read"
        ));
    }
    let index = FrameIndex::new(packets, tick, rate)
        .ok_or_else(|| String::from("its video stream has no frames"))?;
    // Matroska and WebM say how long they last: ending sooner means they were cut short.
    if let Some(header) = header_end {
        let frame = rate.map_or(index.duration() / index.len() as f64, |(n, d)| {
            d as f64 / n as f64
        });
        let video_end = index.pts(0) as f64 * tick + index.duration();
        let end = video_end.max(others_end);
        // One frame of slack, and Matroska's millisecond rounding.
        if end + frame + 0.001 < header {
            return Err(format!(
                "it is truncated or damaged: it ends at {end:.2} s of the {header:.2} s its header declares"
            ));
        }
    }
    Ok(index)
}

/// When a Matroska or WebM file ends by its header (in seconds), if it says. Other
/// containers either count their frames (checked above) or have their duration
/// estimated from the data that is there, which cannot tell a file was cut.
fn declared_end(input: &ff::format::context::Input) -> Option<f64> {
    if !input.format().name().contains("matroska") {
        return None;
    }
    let ctx = unsafe { &*input.as_ptr() };
    let from_header = ctx.duration_estimation_method
        == ffi::AVDurationEstimationMethod::AVFMT_DURATION_FROM_STREAM;
    // Compared with the end as an absolute time, not counted from the start time: the
    // lenient reading of the two FFmpeg might mean.
    (from_header && ctx.duration > 0).then(|| ctx.duration as f64 / ffi::AV_TIME_BASE as f64)
}

/// Reads the next packet into `packet`, releasing the one it held: FFmpeg's reader
/// (and `ffmpeg-next`'s `Packet::read`) would otherwise leak it.
pub fn read_packet(
    packet: &mut ff::Packet,
    input: &mut ff::format::context::Input,
) -> Result<(), ff::Error> {
    unsafe { ffi::av_packet_unref(packet.as_mut_ptr()) };
    packet.read(input)
}
