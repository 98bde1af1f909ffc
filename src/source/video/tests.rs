//! Decoder tests on videos written by animate's own encoder: each frame carries its
//! number as a row of black and white bands, so any frame can be identified after
//! lossy compression.

use std::path::Path;
use std::sync::Arc;

use super::VideoClip;
use crate::av::ff;
use crate::base::frame::{Frame, Size};
use crate::clip::{Clip, RenderCx};
use crate::encode::video::settings::{Container, EncoderPlan, VideoSettings};
use crate::encode::video::VideoSink;
use crate::encode::SinkSpec;
use crate::render::sink::FrameSink;

const BITS: u32 = 8;
const BAND: u32 = 8;
const SIZE: Size = Size {
    w: BITS * BAND,
    h: 16,
};
const CX: RenderCx<'static> = RenderCx::new(25.0);

fn marked(n: u32) -> Frame {
    let mut f = crate::base::frame::blank(SIZE);
    let data = f.data_mut();
    for y in 0..SIZE.h {
        for x in 0..SIZE.w {
            let on = (n >> (x / BAND)) & 1 == 1;
            let v = if on { 255 } else { 0 };
            let i = ((y * SIZE.w + x) * 4) as usize;
            data[i..i + 4].copy_from_slice(&[v, v, v, 255]);
        }
    }
    f
}

fn mark(f: &Frame) -> u32 {
    (0..BITS)
        .filter(|b| f.pixel(b * BAND + BAND / 2, SIZE.h / 2).unwrap().red() > 128)
        .map(|b| 1 << b)
        .sum()
}

/// Writes `frames` marked frames at 25 fps with a keyframe at least every `gop`.
fn write(path: &Path, container: Container, frames: u32, gop: u32, b_frames: bool) {
    let mut plan = EncoderPlan::new(container, &VideoSettings::default(), SIZE, false).unwrap();
    plan.options.push(("g", gop.to_string()));
    plan.options
        .push(("bf", if b_frames { "3" } else { "0" }.to_string()));
    let spec = SinkSpec {
        size: SIZE,
        fps: 25.0,
        frames: frames as u64,
        first: 0,
        total: frames as u64,
        quality: 90,
        transparent: false,
        render_id: None,
        options: Vec::new(),
    };
    let mut sink = Box::new(VideoSink::create(path, container, plan, &spec, None).unwrap());
    for n in 0..frames {
        sink.push(n as u64, marked(n)).unwrap();
    }
    sink.finish().unwrap();
}

/// A small deterministic shuffle (no dependency for one test).
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        v.swap(i, (seed >> 33) as usize % (i + 1));
    }
    v
}

#[test]
fn every_frame_is_found_by_seeking() {
    // x264 marks some I-frames as keyframes that later frames see past (not IDR
    // frames): a seek there must still find every frame, the last ones included.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mkv");
    write(&path, Container::Mkv, 100, 10, true);
    for n in 0..100 {
        let clip = VideoClip::open(&path).unwrap();
        check(&clip, n);
        check(&clip, (n + 1).min(99));
    }
}

#[test]
fn frames_at_random_times_equal_sequential_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mp4");
    write(&path, Container::Mp4, 120, 12, true);
    let clip = VideoClip::open(&path).unwrap();
    assert_eq!(clip.frame_count(), 120);
    let sequential: Vec<Frame> = (0..120)
        .map(|n| clip.render(n as f64 / 25.0, &CX).unwrap())
        .collect();
    for (n, f) in sequential.iter().enumerate() {
        assert_eq!(mark(f), n as u32, "sequential frame {n}");
    }
    let fresh = VideoClip::open(&path).unwrap();
    for n in shuffled(120, 7) {
        // Anywhere inside the frame's interval.
        let t = (n as f64 + 0.7) / 25.0;
        let f = fresh.render(t, &CX).unwrap();
        assert!(f.data() == sequential[n].data(), "frame {n} at t = {t}");
    }
    let backwards = VideoClip::open(&path).unwrap();
    for n in (0..120).rev() {
        let f = backwards.render(n as f64 / 25.0, &CX).unwrap();
        assert!(f.data() == sequential[n].data(), "backwards frame {n}");
    }
}

#[test]
fn only_backwards_playback_keeps_a_larger_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mp4");
    write(&path, Container::Mp4, 60, 30, true);
    // A loop: forwards to the end, then from the start again.
    let looped = VideoClip::open(&path).unwrap();
    let base = looped.window_capacity();
    for n in (0..60).chain(0..10) {
        assert_eq!(
            mark(&looped.render(n as f64 / 25.0, &CX).unwrap()),
            n as u32
        );
    }
    assert_eq!(looped.window_capacity(), base);
    // Backwards: the group of pictures is kept to serve the next requests.
    let reversed = VideoClip::open(&path).unwrap();
    for n in (0..60).rev() {
        assert_eq!(
            mark(&reversed.render(n as f64 / 25.0, &CX).unwrap()),
            n as u32
        );
    }
    assert!(reversed.window_capacity() > base);
}

#[test]
fn parallel_workers_get_the_frames_they_ask_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mkv");
    write(&path, Container::Mkv, 90, 15, true);
    let clip = Arc::new(VideoClip::open(&path).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|w| {
            let clip = clip.clone();
            std::thread::spawn(move || {
                // Worker w takes frames w, w + 4, …: requests arrive slightly out of order.
                (w..90)
                    .step_by(4)
                    .map(|n| (n, mark(&clip.render(n as f64 / 25.0, &CX).unwrap())))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        for (n, m) in t.join().unwrap() {
            assert_eq!(m, n as u32);
        }
    }
}

/// Copies `src` into `dst` with frame `n` starting at `start(n)` milliseconds.
fn retime(src: &Path, dst: &Path, start: impl Fn(i64) -> i64) {
    crate::av::init().unwrap();
    let mut input = ff::format::input(&src).unwrap();
    let stream = input.streams().best(ff::media::Type::Video).unwrap();
    let (index, tb, params) = (stream.index(), stream.time_base(), stream.parameters());
    let mut output = ff::format::output_as(&dst, "matroska").unwrap();
    {
        let mut out = output
            .add_stream(ff::encoder::find(ff::codec::Id::None))
            .unwrap();
        out.set_parameters(params);
        out.set_time_base(ff::Rational::new(1, 1000));
        // No nominal rate: the container then keeps each block's own duration.
        out.set_avg_frame_rate(ff::Rational::new(0, 1));
        out.set_rate(ff::Rational::new(0, 1));
        unsafe { (*out.parameters().as_mut_ptr()).codec_tag = 0 };
    }
    output.write_header().unwrap();
    let out_tb = output.stream(0).unwrap().time_base();
    let frame_of = |ts: i64| {
        (ts as f64 * tb.numerator() as f64 / tb.denominator() as f64 * 25.0).round() as i64
    };
    for (s, mut packet) in input.packets() {
        if s.index() != index {
            continue;
        }
        let n = frame_of(packet.pts().unwrap());
        packet.set_pts(Some(start(n)));
        packet.set_dts(Some(start(frame_of(packet.dts().unwrap()))));
        packet.set_duration(start(n + 1) - start(n));
        packet.set_stream(0);
        packet.rescale_ts(ff::Rational::new(1, 1000), out_tb);
        packet.set_position(-1);
        packet.write_interleaved(&mut output).unwrap();
    }
    output.write_trailer().unwrap();
}

#[test]
fn variable_frame_rate_shows_the_frame_whose_interval_contains_t() {
    let dir = tempfile::tempdir().unwrap();
    let cfr = dir.path().join("cfr.mkv");
    write(&cfr, Container::Mkv, 30, 10, false);
    // Frames 0-9 last 40 ms, 10-19 100 ms, 20-29 20 ms.
    let start = |n: i64| match n {
        ..=10 => n * 40,
        11..=20 => 400 + (n - 10) * 100,
        _ => 1400 + (n - 20) * 20,
    };
    let vfr = dir.path().join("vfr.mkv");
    retime(&cfr, &vfr, start);
    let clip = VideoClip::open(&vfr).unwrap();
    assert_eq!(clip.frame_count(), 30);
    // Matroska stores no duration for the last block: FFmpeg estimates it from the
    // stream's average rate (40 ms here) instead of the true 20 ms.
    let d = clip.duration().unwrap();
    assert!((1.6 - 1e-9..=1.62 + 1e-9).contains(&d), "duration {d}");
    for n in 0..30 {
        let (a, b) = (start(n) as f64 / 1000.0, start(n + 1) as f64 / 1000.0);
        assert!((clip.frame_time(n as usize) - a).abs() < 1e-9);
        for t in [a, (a + b) / 2.0, b - 0.001] {
            assert_eq!(mark(&clip.render(t, &CX).unwrap()), n as u32, "t = {t}");
        }
    }
}

/// Writes 3 frames of a half-transparent picture (left half opaque red, right half
/// clear) with `encoder` in `format` pixels into a MOV file, straight through FFmpeg.
fn write_rgba_mov(path: &Path, encoder: &str, format: ff::format::Pixel) {
    crate::av::init().unwrap();
    let codec = ff::encoder::find_by_name(encoder).unwrap();
    let mut output = ff::format::output_as(&path, "mov").unwrap();
    let mut enc = ff::codec::Context::new_with_codec(codec)
        .encoder()
        .video()
        .unwrap();
    let tb = ff::Rational::new(1, 10);
    enc.set_width(8);
    enc.set_height(4);
    enc.set_format(format);
    enc.set_time_base(tb);
    enc.set_flags(ff::codec::Flags::GLOBAL_HEADER);
    let mut enc = enc.open().unwrap();
    output.add_stream(codec).unwrap().set_parameters(&enc);
    output.write_header().unwrap();
    let out_tb = output.stream(0).unwrap().time_base();
    let argb = format == ff::format::Pixel::ARGB;
    let drain = |enc: &mut ff::encoder::Video, output: &mut ff::format::context::Output| {
        let mut packet = ff::Packet::empty();
        while enc.receive_packet(&mut packet).is_ok() {
            packet.set_stream(0);
            packet.set_duration(1);
            packet.rescale_ts(tb, out_tb);
            packet.write_interleaved(output).unwrap();
        }
    };
    for n in 0..3 {
        let mut frame = ff::frame::Video::new(format, 8, 4);
        let stride = frame.stride(0);
        let data = frame.data_mut(0);
        for y in 0..4 {
            for x in 0..8 {
                let px = if x < 4 {
                    [255, 0, 0, 255]
                } else {
                    [0, 0, 0, 0]
                };
                let px = if argb {
                    [px[3], px[0], px[1], px[2]]
                } else {
                    px
                };
                data[y * stride + x * 4..][..4].copy_from_slice(&px);
            }
        }
        frame.set_pts(Some(n));
        enc.send_frame(&frame).unwrap();
        drain(&mut enc, &mut output);
    }
    enc.send_eof().unwrap();
    drain(&mut enc, &mut output);
    output.write_trailer().unwrap();
}

#[test]
fn rgba_codecs_in_mov_keep_alpha() {
    let dir = tempfile::tempdir().unwrap();
    for (encoder, format) in [
        ("png", ff::format::Pixel::RGBA),
        ("qtrle", ff::format::Pixel::ARGB),
    ] {
        let path = dir.path().join(format!("{encoder}.mov"));
        write_rgba_mov(&path, encoder, format);
        let clip = VideoClip::open(&path).unwrap();
        assert!(clip.has_alpha(), "{encoder}");
        assert_eq!(clip.frame_count(), 3);
        let f = clip.render(0.15, &CX).unwrap();
        let (a, b) = (f.pixel(1, 1).unwrap(), f.pixel(6, 1).unwrap());
        assert_eq!(
            (a.red(), a.green(), a.alpha()),
            (255, 0, 255),
            "{encoder} opaque half"
        );
        assert_eq!(b.alpha(), 0, "{encoder} clear half");
    }
}

/// Renders frame `n` of `clip` and checks it is that frame.
#[track_caller]
fn check(clip: &VideoClip, n: usize) {
    let m = mark(&clip.render(n as f64 / 25.0, &CX).unwrap());
    assert_eq!(m, n as u32, "frame {n}");
}

#[test]
fn one_clip_at_two_times_streams_each_use_on_its_own_decoder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mp4");
    write(&path, Container::Mp4, 120, 12, true);
    // A clip that plays whole and, beside it, a subclip 60 frames later: with one
    // decoder, every request would seek back or forth over 60 frames.
    let clip = VideoClip::open(&path).unwrap();
    for i in 0..60 {
        check(&clip, i);
        check(&clip, i + 60);
    }
    let (opens, seeks) = clip.decoding_counts();
    assert_eq!(opens, 2, "one decoder per use");
    assert!(seeks <= 1, "{seeks} seeks: only the second use's start");

    // One keyframe in all: no seek, but decoding 60 frames forward for every other
    // request would be as slow.
    let long = dir.path().join("long.mp4");
    write(&long, Container::Mp4, 120, 250, true);
    let clip = VideoClip::open(&long).unwrap();
    for i in 0..60 {
        check(&clip, i);
        check(&clip, i + 60);
    }
    assert_eq!(clip.decoding_counts(), (2, 0));

    // Forwards and reversed side by side.
    let clip = VideoClip::open(&path).unwrap();
    for i in 0..120 {
        check(&clip, i);
        check(&clip, 119 - i);
    }
    let (opens, seeks) = clip.decoding_counts();
    assert_eq!(opens, 2);
    // Backwards, a seek per group of pictures (x264 puts keyframes at most 12 frames
    // apart, more often at its scene cuts); one decoder would seek on nearly every one
    // of the 240 requests.
    assert!(seeks <= 40, "{seeks} seeks");
}

#[test]
fn a_clip_used_once_keeps_its_decoder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mp4");
    write(&path, Container::Mp4, 120, 12, true);
    // Fast forward: every request seeks ahead, on the one decoder.
    let fast = VideoClip::open(&path).unwrap();
    for n in (0..120).step_by(24) {
        check(&fast, n);
    }
    assert_eq!(fast.decoding_counts(), (1, 4));
    // Reversed at high speed: seeks back, on one decoder after the first jump.
    let back = VideoClip::open(&path).unwrap();
    for n in (0..120).rev().step_by(24) {
        check(&back, n);
    }
    assert!(back.decoding_counts().0 <= 2);
    // Forwards, backwards, then looped twice: plain streaming, a jump back may open
    // a second decoder and the next jump reuses the idle one.
    let once = VideoClip::open(&path).unwrap();
    for n in (0..120).chain((0..120).rev()) {
        check(&once, n);
    }
    assert_eq!(once.decoding_counts().0, 1);
    for n in (0..120).chain(0..120).chain(0..120) {
        check(&once, n);
    }
    assert!(
        once.decoding_counts().0 <= 2,
        "{:?}",
        once.decoding_counts()
    );
}

#[test]
fn parallel_workers_on_two_uses_of_one_clip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marks.mkv");
    write(&path, Container::Mkv, 100, 10, true);
    let clip = Arc::new(VideoClip::open(&path).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|w| {
            let clip = clip.clone();
            std::thread::spawn(move || {
                // Each output frame shows the clip at k and, in another layer, at k + 50.
                for k in (w..50).step_by(4) {
                    check(&clip, k);
                    check(&clip, k + 50);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let (opens, seeks) = clip.decoding_counts();
    // Workers running late make a few seeks; one decoder for both uses would seek on
    // nearly every one of the 100 requests.
    assert!(opens <= 4, "{opens} decoders");
    assert!(seeks <= 20, "{seeks} seeks for 100 requests");
}

/// The integration tests' remuxer (one copy for both kinds of test).
#[path = "../../../tests/integration/remux.rs"]
mod remux;

/// Copies the video of `src` into an MPEG-TS file `dst`, packets unchanged.
fn to_ts(src: &Path, dst: &Path) {
    crate::av::init().unwrap();
    remux::remux_video(src, dst, "mpegts", 0);
}

#[test]
fn an_mpeg_ts_with_one_keyframe_finds_every_frame_in_any_order() {
    // MPEG-TS seeks by decoding time: a seek to the keyframe's presentation time lands
    // past it, where nothing decodes cleanly.
    let dir = tempfile::tempdir().unwrap();
    let (mkv, ts) = (dir.path().join("marks.mkv"), dir.path().join("marks.ts"));
    write(&mkv, Container::Mkv, 60, 250, true);
    to_ts(&mkv, &ts);
    let clip = VideoClip::open(&ts).unwrap();
    assert_eq!(clip.frame_count(), 60);
    for n in shuffled(60, 11) {
        check(&clip, n);
    }
    for n in (0..60).rev().step_by(7) {
        check(&clip, n);
    }
    let clip = Arc::new(VideoClip::open(&ts).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|w| {
            let clip = clip.clone();
            std::thread::spawn(move || {
                for n in (w..60).step_by(4) {
                    check(&clip, (n * 7) % 60);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
