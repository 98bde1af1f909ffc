//! The stateful half of a video source: one demuxer and one decoder on a file, and a
//! small window of recently decoded pictures. A file has a few of these when it is
//! used at several times at once ([`super::pool`]).
//!
//! Requests arrive roughly in time order from parallel workers. A request just ahead
//! of the decoder decodes forward; one behind it, or far ahead past a keyframe, seeks
//! to the keyframe before the frame and decodes forward from there. Every picture
//! decoded on the way is kept in the window, so the neighbours other workers ask for
//! next are already there, and playing backwards decodes a group of pictures once and
//! serves it from the window (which grows, within a memory budget shared by the
//! file's decoders, the first time a request goes backwards).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;

use super::index::FrameIndex;
use super::stream::{read_packet, StreamInfo, MAX_BAD_PACKETS};
use super::window::Window;
use crate::av::{self, ff, ff::ffi};

/// A decoded picture, shared between the window and the workers converting it.
pub type Picture = ff::frame::Video;

/// How far ahead (in frames) decoding forward is preferred to seeking, even past a
/// keyframe: seeking flushes the decoder's pipeline.
pub const FORWARD_SLACK: usize = 16;
/// Pictures decoded past a frame that has not come out yet before giving up on it.
const REORDER_SLACK: usize = 3;

/// How decoding towards a frame ended.
enum Outcome {
    Reached,
    /// The first picture after a seek was already past the frame.
    Late,
    /// Decoding went past the frame, or reached the end, without it.
    Missed,
}
/// Memory the windows of one file may use once it is played backwards.
const BACKWARD_BUDGET: usize = 192 << 20;

/// What the decoders of one file share.
pub struct Source {
    pub path: PathBuf,
    pub info: StreamInfo,
    pub index: Arc<FrameIndex>,
    /// Pictures a window keeps when nothing plays backwards.
    pub base_capacity: usize,
    /// Bytes the windows may still take for playing backwards.
    budget: AtomicUsize,
    /// Whether the notice about damaged data was given.
    warned: AtomicBool,
    /// Seeks made, by all decoders (tests count them).
    pub seeks: AtomicUsize,
}

impl Source {
    pub fn new(path: &Path, info: StreamInfo, index: Arc<FrameIndex>) -> Source {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        Source {
            path: path.to_path_buf(),
            info,
            index,
            // The render engine keeps at most 2 × threads frames in flight: the
            // pictures decoded for one worker and not yet taken by another fit in that.
            base_capacity: 2 * threads + 1,
            budget: AtomicUsize::new(BACKWARD_BUDGET),
            warned: AtomicBool::new(false),
            seeks: AtomicUsize::new(0),
        }
    }
}

/// Where a decoder stands: what decides whether it reaches a frame by decoding on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stand {
    /// The last frame it produced since it was opened or seeked.
    pub position: Option<usize>,
    /// Opened and never seeked: decoding starts at the first frame.
    pub fresh: bool,
    /// At the end of the stream.
    pub drained: bool,
    /// The earliest frame in its window decoded since it last seeked.
    pub oldest: Option<usize>,
}

/// How a decoder gets to a frame that is not in its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// Decoding on from where it stands.
    Forward,
    /// Seeking to this keyframe, just behind its window: playing backwards.
    Behind(usize),
    /// Seeking to this keyframe.
    Seek(usize),
}

impl Stand {
    /// How to reach frame `n`; `base` is a window's size when not playing backwards.
    pub fn plan(&self, index: &FrameIndex, n: usize, base: usize) -> Plan {
        let key = index.key_at_or_before(n);
        if self.drained {
            return Plan::Seek(key);
        }
        match self.position {
            None if self.fresh => {
                if key > 0 && n >= FORWARD_SLACK {
                    Plan::Seek(key)
                } else {
                    Plan::Forward
                }
            }
            None => Plan::Seek(key),
            // Just behind what is kept: playing backwards. A jump further back (as a
            // loop makes) needs no more memory than playing forwards.
            Some(p) if n <= p => match self.oldest {
                Some(o) if n + base >= o => Plan::Behind(key),
                _ => Plan::Seek(key),
            },
            Some(p) if key > p + 1 && n - p > FORWARD_SLACK => Plan::Seek(key),
            Some(_) => Plan::Forward,
        }
    }
}

/// A decoder as the pool sees it between requests.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    pub stand: Stand,
    /// The frames in its window, ascending.
    pub held: Vec<usize>,
    /// How many pictures its window may hold (tests look).
    #[cfg(test)]
    pub capacity: usize,
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

/// One decoder of a file and its window of pictures.
pub struct Decoder {
    source: Arc<Source>,
    input: ff::format::context::Input,
    decoder: ff::decoder::Video,
    packet: ff::Packet,
    window: Window,
    position: Option<usize>,
    /// The first frame it produced since it was opened or seeked.
    run_start: Option<usize>,
    /// The keyframe it last seeked to (`None`: it decodes from the start).
    run_key: Option<usize>,
    fresh: bool,
    eof_sent: bool,
    drained: bool,
    /// Bytes of one decoded picture, known after the first.
    picture_bytes: usize,
    /// Bytes taken from the source's budget for playing backwards.
    claimed: usize,
}

impl Decoder {
    pub fn open(source: Arc<Source>) -> Result<Decoder, String> {
        let (input, decoder) = open_decoding(&source.path, &source.info)?;
        Ok(Decoder {
            input,
            decoder,
            packet: ff::Packet::empty(),
            window: Window::new(source.base_capacity),
            source,
            position: None,
            run_start: None,
            run_key: None,
            fresh: true,
            eof_sent: false,
            drained: false,
            picture_bytes: 0,
            claimed: 0,
        })
    }

    /// The picture of frame `n` (or, in a damaged file where it cannot be decoded,
    /// the nearest one that can).
    pub fn get(&mut self, n: usize) -> Result<Arc<Picture>, String> {
        if let Some(p) = self.window.get(n) {
            return Ok(p);
        }
        let mut seek = self.plan(n);
        for attempt in 0..8 {
            if let Some(key) = seek {
                self.seek(key)?;
            }
            let index = self.source.index.clone();
            let earlier = self.run_key.and_then(|k| index.key_before(k));
            // Decoding started at the frame's own keyframe.
            let from_its_key = self.run_key == Some(index.key_at_or_before(n));
            seek = match self.decode_to(n)? {
                Outcome::Reached => None,
                // The demuxer's seek point was later than the keyframe asked for.
                Outcome::Late => earlier,
                // The frame did not come out after a seek to its keyframe: that may not
                // be a clean start (an H.264 I-frame that is not an IDR, whose
                // followers refer to frames before it). Once from the keyframe before;
                // otherwise the frame is damaged.
                Outcome::Missed if attempt == 0 && from_its_key => earlier,
                Outcome::Missed => None,
            };
            if seek.is_none() {
                break;
            }
        }
        let picture = self.window.nearest(n).ok_or_else(|| {
            format!(
                "cannot decode frame {n} of {}: the file may be damaged",
                self.source.path.display()
            )
        })?;
        // A frame that does not decode is shown as its neighbour, now and next time.
        if self.window.get(n).is_none() {
            self.window.insert(n, picture.clone());
        }
        Ok(picture)
    }

    /// Decodes on until frame `n` comes out.
    fn decode_to(&mut self, n: usize) -> Result<Outcome, String> {
        let mut first = self.position.is_none();
        let mut past = 0;
        while let Some(picture) = self.next_picture()? {
            let number = match picture.timestamp() {
                Some(ts) => self.source.index.number_of(ts),
                None => self.position.map_or(0, |p| p + 1),
            };
            if first && number > n && self.run_key.is_some() {
                return Ok(Outcome::Late);
            }
            first = false;
            self.position = Some(self.position.map_or(number, |p| p.max(number)));
            self.run_start = Some(self.run_start.map_or(number, |s| s.min(number)));
            if self.picture_bytes == 0 {
                self.size_window(&picture);
            }
            self.window.insert(number, Arc::new(picture));
            if number == n {
                return Ok(Outcome::Reached);
            }
            // Past the frame: it may come out a little late, or never.
            if number > n {
                if past == REORDER_SLACK {
                    break;
                }
                past += 1;
            }
        }
        Ok(Outcome::Missed)
    }

    /// Where to start decoding for frame `n`: `None` to go on from here, or the
    /// keyframe to seek to.
    fn plan(&mut self, n: usize) -> Option<usize> {
        let base = self.source.base_capacity;
        match self.stand().plan(&self.source.index, n, base) {
            Plan::Forward => None,
            Plan::Behind(key) => {
                self.grow_for_backward();
                Some(key)
            }
            Plan::Seek(key) => Some(key),
        }
    }

    fn stand(&self) -> Stand {
        Stand {
            position: self.position,
            fresh: self.fresh,
            drained: self.drained,
            oldest: self.run_start.and_then(|s| self.window.oldest_from(s)),
        }
    }

    /// Where it stands and what it holds, for the pool.
    pub fn reach(&self) -> Reach {
        Reach {
            stand: self.stand(),
            held: self.window.held(),
            #[cfg(test)]
            capacity: self.window.capacity,
        }
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
    /// that one decoding pass serves many requests. The file's decoders share the
    /// budget: a second one played backwards gets what the first left.
    fn grow_for_backward(&mut self) {
        let per = self.picture_bytes.max(1);
        let want = (BACKWARD_BUDGET / per).clamp(self.source.base_capacity, 600);
        let Some(need) = want.checked_sub(self.window.capacity).map(|p| p * per) else {
            return;
        };
        // Whole pictures only, so that what is given back on drop is what was taken.
        let take = |free: usize| free.min(need) / per * per;
        let free = self
            .source
            .budget
            .fetch_update(Relaxed, Relaxed, |free| Some(free - take(free)))
            .unwrap_or(0);
        let got = take(free);
        self.claimed += got;
        self.window.capacity += got / per;
    }

    fn seek(&mut self, key: usize) -> Result<(), String> {
        let ts = self.source.index.pts(key);
        let ret = unsafe {
            ffi::av_seek_frame(
                self.input.as_mut_ptr(),
                self.source.info.stream as i32,
                ts,
                ffi::AVSEEK_FLAG_BACKWARD,
            )
        };
        if ret < 0 {
            // Not seekable this way: start over from the beginning.
            let (input, decoder) = open_decoding(&self.source.path, &self.source.info)
                .map_err(|e| format!("cannot seek in {}: {e}", self.source.path.display()))?;
            self.input = input;
            self.decoder = decoder;
        } else {
            self.decoder.flush();
        }
        self.source.seeks.fetch_add(1, Relaxed);
        self.fresh = false;
        self.position = None;
        self.run_start = None;
        self.run_key = Some(key);
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
                    self.notice_damage();
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
                    self.notice_damage();
                    continue;
                }
                Err(e) => return Err(self.failed(e)),
            }
            if self.packet.stream() != self.source.info.stream {
                continue;
            }
            return match self.decoder.send_packet(&self.packet) {
                Ok(()) => Ok(()),
                // A damaged packet: skip it, as players do.
                Err(ff::Error::InvalidData) if *bad < MAX_BAD_PACKETS => {
                    *bad += 1;
                    self.notice_damage();
                    Ok(())
                }
                Err(e) => Err(self.failed(e)),
            };
        }
    }

    fn failed(&self, e: ff::Error) -> String {
        format!(
            "cannot decode {}: {}",
            self.source.path.display(),
            av::reason(e)
        )
    }

    /// Says once per file that damaged data was skipped: the render goes on, showing
    /// the nearest frame that decodes, but the user should know.
    fn notice_damage(&self) {
        if !self.source.warned.swap(true, Relaxed) {
            crate::base::report::warn(format_args!(
                "{} is damaged: frames that cannot be decoded are shown as the nearest one that can",
                self.source.path.display()
            ));
        }
    }
}

impl Drop for Decoder {
    /// Gives back what its window took for playing backwards.
    fn drop(&mut self) {
        self.source.budget.fetch_add(self.claimed, Relaxed);
    }
}
