//! Copying a video's packets into another container unchanged: how tests make files
//! that animate does not write itself (MPEG-TS, a stream missing its first packets).
//! Shared by the integration tests and, through `#[path]`, the video source's unit
//! tests, so it names FFmpeg's crate directly. Callers initialise FFmpeg first.

#![cfg(feature = "video")]

use std::path::Path;

use ffmpeg_next as ff;

/// Copies the video stream of `src` into `dst` as `format` (an FFmpeg muxer name such
/// as "mpegts"), packet by packet in decoding order, leaving out the first `drop`.
pub fn remux_video(src: &Path, dst: &Path, format: &str, drop: usize) {
    copy_video(src, dst, format, drop, |packet, from, to| {
        packet.rescale_ts(from, to)
    });
}

/// Like [`remux_video`], each packet's times set by `retime(packet, src time base, dst
/// time base)`: how a test makes a file with the timestamps it needs.
pub fn copy_video(
    src: &Path,
    dst: &Path,
    format: &str,
    drop: usize,
    mut retime: impl FnMut(&mut ff::Packet, ff::Rational, ff::Rational),
) {
    let mut input = ff::format::input(&src).unwrap();
    let stream = input.streams().best(ff::media::Type::Video).unwrap();
    let (index, tb, params) = (stream.index(), stream.time_base(), stream.parameters());
    let mut output = ff::format::output_as(&dst, format).unwrap();
    {
        let mut out = output
            .add_stream(ff::encoder::find(ff::codec::Id::None))
            .unwrap();
        out.set_parameters(params);
        unsafe { (*out.parameters().as_mut_ptr()).codec_tag = 0 };
    }
    output.write_header().unwrap();
    let out_tb = output.stream(0).unwrap().time_base();
    let packets = input.packets().filter(|(s, _)| s.index() == index);
    for (_, mut packet) in packets.skip(drop) {
        packet.set_stream(0);
        retime(&mut packet, tb, out_tb);
        packet.set_position(-1);
        packet.write_interleaved(&mut output).unwrap();
    }
    output.write_trailer().unwrap();
}
