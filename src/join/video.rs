//! `animate join seg-*.mp4 -o full.mp4`: video segments put back together by stream
//! copy. Each part says in its `comment` tag which frames of which render it holds;
//! the parts must come from the same render with the same encoder settings (same
//! codec, size, pixel format and codec headers — SPS/PPS for H.264) and tile it from
//! frame 0 to the end. Packets are copied unchanged, their presentation times moved by
//! the part's first frame, into a temporary file beside the target renamed on success.
//!
//! Parts with sound carry it losslessly; their sound is decoded, laid end to end
//! ([`super::sound`]) and encoded once, interleaved with the copied pictures.
//!
//! Decoding times are given anew: parts differ in how many frames their encoder held
//! back for B-frames (a 2-frame part none, a longer one two), so each part's own
//! decoding times, shifted, could go backwards where parts meet. Every packet gets
//! the next frame tick in decoding order, all of them held back by the largest
//! delay of any part: increasing, and never after the packet's presentation.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::parts::{order, Part};
use super::sound::{JoinedSound, LOSSLESS};
use crate::av::{self, ff, ff::ffi};
use crate::base::error::Error;
use crate::encode::stamp::Stamp;
use crate::encode::video::audio::{AudioTrack, Coding};
use crate::encode::video::settings::Container;
use ff::codec::packet::Mut as _;
use ff::Rescale as _;

/// What a join produced, for the summary line.
pub struct Joined {
    pub parts: usize,
    pub frames: u64,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    /// Whether the parts' sound was joined too.
    pub sound: bool,
}

/// A part looked at and the facts that must match across parts. Its file is not kept
/// open: each pass over the parts opens one at a time ([`reopen`]), so that thousands of
/// parts need neither thousands of descriptors (`ulimit -n`) nor FFmpeg's buffers for
/// each (about 250 KiB a part: 12 000 parts held 3.1 GB).
struct Opened {
    path: PathBuf,
    stream: usize,
    /// Whether the part carries sound (in a lossless codec: checked when opened).
    sound: bool,
    time_base: ff::Rational,
    codec: ffi::AVCodecID,
    width: i32,
    height: i32,
    format: i32,
    extradata: Vec<u8>,
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

/// Whether the best video stream's pixel format or size is not known yet.
fn picture_unknown(input: &ff::format::context::Input) -> bool {
    input
        .streams()
        .best(ff::media::Type::Video)
        .is_some_and(|s| {
            // SAFETY: the parameters live as long as the stream, borrowed here.
            let par = unsafe { &*s.parameters().as_ptr() };
            par.format < 0 || par.width <= 0 || par.height <= 0
        })
}

fn open(path: &Path, container: Container) -> Result<Part<Opened>, Error> {
    let shown = name(path);
    match Container::from_path(path) {
        Some(c) if c == container => {}
        Some(_) | None => {
            return Err(Error::Usage(format!(
                "{shown} is not a {} file like the output: join writes the parts' own format, without re-encoding",
                container.ext()
            )))
        }
    }
    // Nothing is written yet: a part that cannot be read is a wrong argument (exit 2).
    // FFmpeg opens it itself and would block on a pipe: its type is checked first.
    crate::base::input::check_media_file(path).map_err(|e| Error::Usage(e.into()))?;
    let mut input = ff::format::input(&path)
        .map_err(|e| Error::Usage(format!("cannot read {shown}: {}", av::reason(e))))?;
    // FFmpeg learns the picture's format from the first frames it reads, within 5 MB:
    // a slow render's part holds more sound than that before its first picture (20 s
    // a frame with lossless stereo sound). Read further before calling it damaged.
    if picture_unknown(&input) {
        let mut far = ff::Dictionary::new();
        far.set("probesize", &i32::MAX.to_string());
        far.set("analyzeduration", &i64::MAX.to_string());
        input = ff::format::input_with_dictionary(&path, far)
            .map_err(|e| Error::Usage(format!("cannot read {shown}: {}", av::reason(e))))?;
    }
    let streams = input.streams().count();
    let sounds: Vec<_> = input
        .streams()
        .filter(|s| s.parameters().medium() == ff::media::Type::Audio)
        .collect();
    let stream = input
        .streams()
        .best(ff::media::Type::Video)
        .filter(|_| streams == 1 + sounds.len() && sounds.len() <= 1)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{shown} has {streams} streams: join takes the files `animate render` writes \
                 (one video stream, and one sound stream where the scene has sound)"
            ))
        })?;
    if let Some(s) = sounds.first() {
        let codec = s.parameters().id().name().to_string();
        if !LOSSLESS.contains(&codec.as_str()) {
            return Err(Error::Usage(format!(
                "{shown} carries its sound as {codec}: join takes the parts of a render \
                 (--segment K/N or --frames A..B), whose sound is lossless so that it joins without gaps"
            )));
        }
    }
    let sound = !sounds.is_empty();
    drop(sounds);
    let stamp = input
        .metadata()
        .get("comment")
        .and_then(Stamp::parse)
        .ok_or_else(|| {
            Error::Usage(format!(
                "{shown} does not say which frames it holds: join takes parts written by `animate render` \
                 (with --segment K/N or --frames A..B)"
            ))
        })?;
    let par = unsafe { &*stream.parameters().as_ptr() };
    if par.format < 0 || par.width <= 0 || par.height <= 0 {
        return Err(Error::Usage(format!(
            "{shown} is truncated or damaged: its video stream has no picture size or format"
        )));
    }
    let extradata = if par.extradata.is_null() || par.extradata_size <= 0 {
        Vec::new()
    } else {
        unsafe { std::slice::from_raw_parts(par.extradata, par.extradata_size as usize).to_vec() }
    };
    let opened = Opened {
        path: path.to_path_buf(),
        stream: stream.index(),
        sound,
        time_base: stream.time_base(),
        codec: par.codec_id,
        width: par.width,
        height: par.height,
        format: par.format,
        extradata,
    };
    Ok(Part {
        name: shown,
        stamp,
        item: opened,
    })
}

fn codec_name(id: ffi::AVCodecID) -> String {
    ff::codec::Id::from(id).name().to_string()
}

/// Refuses a part that was not encoded like the first.
fn check_alike(first: &Part<Opened>, p: &Part<Opened>) -> Result<(), Error> {
    let (a, b) = (&first.item, &p.item);
    let differ = |what: String| {
        Err(Error::Usage(format!(
            "{} and {} do not fit together: {what}; render every segment with the same flags",
            first.name, p.name
        )))
    };
    if a.codec != b.codec {
        return differ(format!(
            "{} against {}",
            codec_name(a.codec),
            codec_name(b.codec)
        ));
    }
    if (a.width, a.height) != (b.width, b.height) {
        return differ(format!(
            "{}x{} against {}x{}",
            a.width, a.height, b.width, b.height
        ));
    }
    if a.sound != b.sound {
        let (with, without) = if a.sound {
            (&first.name, &p.name)
        } else {
            (&p.name, &first.name)
        };
        return Err(Error::Usage(format!(
            "{with} carries sound and {without} does not: render every segment with the same flags \
             (--no-audio on all of them, or on none)"
        )));
    }
    if a.format != b.format {
        return differ("different pixel formats".into());
    }
    if a.extradata != b.extradata {
        return differ(format!(
            "their {} codec headers differ (other encoder settings)",
            codec_name(a.codec)
        ));
    }
    Ok(())
}

/// Reads the next packet of `stream` into `packet`, releasing what it held before (the
/// reader would otherwise leak it). `Ok(false)` at the end of the file; a raised
/// `abort` stops the join.
fn next_packet(
    packet: &mut ff::Packet,
    input: &mut ff::format::context::Input,
    stream: usize,
    name: &str,
    abort: &AtomicBool,
) -> Result<bool, Error> {
    loop {
        unsafe { ffi::av_packet_unref(packet.as_mut_ptr()) };
        match packet.read(input) {
            Ok(()) => {}
            Err(ff::Error::Eof) => return Ok(false),
            Err(e) => {
                return Err(Error::Render(format!(
                    "cannot read {name}: {}",
                    av::reason(e)
                )))
            }
        }
        if abort.load(Ordering::Relaxed) {
            return Err(Error::Render("interrupted".into()));
        }
        if packet.stream() == stream {
            return Ok(true);
        }
    }
}

/// How many frames the part's encoder held back for B-frames: the most that any
/// packet's presentation (in frames) comes before its place in decoding order. Reads
/// the part's packets once, without decoding, checks it holds the frames its stamp
/// says, and opens it again for copying.
fn reorder_delay(
    part: &mut Part<Opened>,
    frame_tb: ff::Rational,
    abort: &AtomicBool,
) -> Result<i64, Error> {
    let Part { name, stamp, item } = part;
    // A bad part, like the others refused (exit 2): render that segment again.
    let damaged = |what: String| {
        Error::Usage(format!(
            "{name} should hold frames {}..{} ({} frames) but {what}: it is truncated or \
             damaged; render those frames again (`--frames {}..{}`)",
            stamp.first,
            stamp.end,
            stamp.count(),
            stamp.first,
            stamp.end
        ))
    };
    let mut packet = ff::Packet::empty();
    let mut delay = 0;
    let mut read = 0i64;
    let mut input = reopen(item, name)?;
    while next_packet(&mut packet, &mut input, item.stream, name, abort)? {
        let Some(pts) = packet.pts() else {
            return Err(damaged(format!("packet {read} has no timestamp")));
        };
        delay = delay.max(read - pts.rescale(item.time_base, frame_tb));
        read += 1;
    }
    if read as u64 != stamp.count() {
        return Err(damaged(format!("has {read}")));
    }
    if let Some(end) = indexed_past_the_end(&mut input) {
        return Err(damaged(format!(
            "its index places data up to byte {end}, past its end"
        )));
    }
    Ok(delay)
}

/// Where the stream index of `input` places data beyond the end of the file, if it
/// does: a part cut short whose index survived (an MP4 or MOV writes it before the
/// data) reads its last packets short without an error, and they would be copied as
/// frames that no player can decode.
fn indexed_past_the_end(input: &mut ff::format::context::Input) -> Option<i64> {
    let ctx = unsafe { input.as_mut_ptr() };
    if unsafe { (*ctx).pb.is_null() } {
        return None;
    }
    let size = unsafe { ffi::avio_size((*ctx).pb) };
    if size <= 0 {
        return None;
    }
    let streams = unsafe { (*ctx).nb_streams } as usize;
    let mut end = 0i64;
    for k in 0..streams {
        let st = unsafe { *(*ctx).streams.add(k) };
        let n = unsafe { ffi::avformat_index_get_entries_count(st) };
        for i in 0..n {
            let e = unsafe { ffi::avformat_index_get_entry(st, i) };
            if let Some(e) = unsafe { e.as_ref() } {
                end = end.max(e.pos.saturating_add(i64::from(e.size())));
            }
        }
    }
    (end > size).then_some(end)
}

/// The part's file opened again, to read its packets from the start.
fn reopen(item: &Opened, name: &str) -> Result<ff::format::context::Input, Error> {
    ff::format::input(&item.path)
        .map_err(|e| Error::Render(format!("cannot read {name}: {}", av::reason(e))))
}

/// Joins `parts` into `target` (same container as the parts). `abort` (Ctrl-C) stops
/// it, leaving nothing behind.
pub fn join(paths: &[PathBuf], target: &Path, abort: &AtomicBool) -> Result<Joined, Error> {
    av::init().map_err(Error::Render)?;
    let container = Container::from_path(target).ok_or_else(|| {
        Error::Usage(format!(
            "cannot tell the video format of {}: join writes the parts' own format (.mp4, .mkv, .webm, .mov)",
            target.display()
        ))
    })?;
    // An output that is one of the parts was refused before (cli::overwrite).
    let mut opened = Vec::new();
    for p in paths {
        opened.push(open(p, container)?);
    }
    let mut parts = order(opened).map_err(Error::Usage)?;
    for p in &parts[1..] {
        check_alike(&parts[0], p)?;
    }
    for p in &parts[1..] {
        let first = &parts[0];
        if let Some(m) = first.stamp.scene_differs(&first.name, &p.stamp, &p.name) {
            return Err(Error::Usage(m));
        }
        if let Some(m) = first.stamp.options_differ(&first.name, &p.stamp, &p.name) {
            return Err(Error::Usage(m));
        }
    }
    let render = Stamp {
        first: 0,
        end: parts[0].stamp.total,
        ..parts[0].stamp.clone()
    };
    let frame_tb = ff::Rational::new(render.fps_den as i32, render.fps_num as i32);
    // Read every part once before writing anything: a damaged part fails here.
    let mut delay = 0;
    for part in &mut parts {
        delay = delay.max(reorder_delay(part, frame_tb, abort)?);
    }
    let fps = render.fps();
    let with_sound = parts[0].item.sound;
    let sound = if with_sound {
        let mut joined = JoinedSound::default();
        for p in &parts {
            if abort.load(Ordering::Relaxed) {
                return Err(Error::Render("interrupted".into()));
            }
            let from = p.stamp.first as f64 / fps;
            let to = p.stamp.end as f64 / fps;
            joined
                .push(&p.item.path, &p.name, from, to)
                .map_err(Error::Usage)?;
        }
        Some(joined)
    } else {
        None
    };
    let fail = |what: &str, e: ff::Error| {
        Error::Render(format!(
            "cannot write {}: {what}: {}",
            target.display(),
            av::reason(e)
        ))
    };

    let dir = crate::encode::output::parent_dir(target)?;
    let tmp = crate::encode::output::temp_file_beside(target, &dir)?;
    let mut output = ff::format::output_as(&tmp.path(), container.muxer())
        .map_err(|e| fail("cannot create the file", e))?;
    // As the render's own files: no random identifiers, the same parts give the same bytes.
    unsafe { (*output.as_mut_ptr()).flags |= ffi::AVFMT_FLAG_BITEXACT };
    {
        let first = &parts[0].item;
        let first_input = reopen(first, &parts[0].name)?;
        let source = first_input
            .stream(first.stream)
            .expect("stream found when opened");
        let mut stream = output
            .add_stream(None::<ff::Codec>)
            .map_err(|e| fail("cannot add the video stream", e))?;
        stream.set_parameters(source.parameters());
        // The tag of the source container may not be valid in the output's.
        unsafe { (*(*stream.as_mut_ptr()).codecpar).codec_tag = 0 };
        stream.set_time_base(first.time_base);
        // WebM's alpha lives in a side channel the stream's `alpha_mode` tag announces;
        // without it players (and decoders) show the picture opaque.
        if let Some(mode) = source.metadata().get("alpha_mode") {
            let mut tags = ff::Dictionary::new();
            tags.set("alpha_mode", mode);
            stream.set_metadata(tags);
        }
        let rate = ff::Rational::new(render.fps_num as i32, render.fps_den as i32);
        stream.set_avg_frame_rate(rate);
        stream.set_rate(rate);
    }
    let mut track = sound
        .map(|s| {
            AudioTrack::add(
                &mut output,
                container,
                std::sync::Arc::new(s),
                0.0,
                Coding::Final,
                target,
            )
        })
        .transpose()?;
    let mut tags = ff::Dictionary::new();
    tags.set("comment", &render.to_string());
    output.set_metadata(tags);
    let mut header = ff::Dictionary::new();
    if container.faststart() {
        header.set("movflags", "+faststart");
    }
    output
        .write_header_with(header)
        .map_err(|e| fail("cannot write the header", e))?;
    let out_tb = output.stream(0).expect("stream added").time_base();
    if let Some(t) = &mut track {
        t.header_written(&output);
    }
    let seconds = f64::from(out_tb.numerator()) / f64::from(out_tb.denominator());

    let (width, height) = (parts[0].item.width as u32, parts[0].item.height as u32);
    let count = parts.len();
    let mut packet = ff::Packet::empty();
    for part in parts {
        let Part { name, stamp, item } = part;
        let mut input = reopen(&item, &name)?;
        let Opened {
            stream, time_base, ..
        } = item;
        let shift = (stamp.first as i64).rescale(frame_tb, out_tb);
        // Decoding order within the whole render: this part's packets follow the
        // earlier parts' ones, one frame tick each.
        let mut place = stamp.first as i64 - delay;
        while next_packet(&mut packet, &mut input, stream, &name, abort)? {
            packet.rescale_ts(time_base, out_tb);
            let pts = packet.pts().map(|t| t + shift);
            packet.set_pts(pts);
            // Never after the presentation time (rounding cannot push it there either).
            let dts = place.rescale(frame_tb, out_tb);
            packet.set_dts(Some(pts.map_or(dts, |p| dts.min(p))));
            place += 1;
            packet.set_position(-1);
            packet.set_stream(0);
            packet
                .write_interleaved(&mut output)
                .map_err(|e| fail("writing failed", e))?;
            // The sound up to this picture, so the muxer holds few packets back.
            if let (Some(t), Some(p)) = (&mut track, pts) {
                t.encode_until(p as f64 * seconds, &mut output)?;
            }
        }
    }
    if let Some(t) = &mut track {
        t.finish(render.total as f64 / fps, &mut output)?;
    }
    output
        .write_trailer()
        .map_err(|e| fail("cannot finish the file", e))?;
    drop(output);
    // A signal while the sound was encoded: nothing goes in place (see `base::stop`).
    crate::base::stop::check()?;
    tmp.persist(target)
        .map_err(|e| Error::Render(format!("cannot write {}: {e}", target.display())))?;
    Ok(Joined {
        parts: count,
        frames: render.total,
        width,
        height,
        fps: render.fps(),
        sound: with_sound,
    })
}
