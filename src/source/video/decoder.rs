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
//!
//! Every picture handed out is the one decoding the file from its start gives, so
//! that frames do not depend on which worker asked first or how many there are:
//! - decoding starts at the start of the file or exactly at a keyframe's packet (a
//!   demuxer's seek may land elsewhere: MPEG-TS seeks by decoding time, past it);
//! - a run that started at a keyframe counts only once that keyframe came out as a
//!   keyframe picture; one that does not (an I-frame that is not a clean start, a
//!   damaged one) is not trusted again, and decoding starts at the one before;
//! - a frame that does not come out (damaged data) is shown as the frame before it
//!   in decoding from the start, never as whatever the window happens to hold.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use super::index::FrameIndex;
use super::stream::{read_packet, StreamInfo, MAX_BAD_PACKETS};
use super::window::Window;
use crate::av::{self, ff, ff::ffi};

/// A decoded picture, shared between the window and the workers converting it.
pub type Picture = ff::frame::Video;

/// How far ahead (in frames) decoding forward is preferred to seeking, even past a
/// keyframe: seeking flushes the decoder's pipeline.
pub const FORWARD_SLACK: usize = 16;
/// Runs that start at a keyframe tried for one frame before decoding from the start.
const KEY_ATTEMPTS: usize = 4;

/// How decoding towards a frame ended.
enum Outcome {
    /// The frame (or, where it does not decode, its stand-in) is in the window.
    Reached,
    /// The run is no use: it started at a keyframe that did not come out as one (not
    /// a clean start), or it met damaged data where that matters.
    Unclean,
    /// Nothing decoded.
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
    /// Keyframes that turned out not to be clean starts: never seeked to again.
    unclean: Mutex<BTreeSet<usize>>,
    /// Cleared once damaged data is found: a damaged picture is patched up from the
    /// ones decoded before it, so what comes after depends on where decoding started
    /// (and on the decoder's threads). From then on, decoding starts at the start.
    keys_trusted: AtomicBool,
    /// Set with `keys_trusted` cleared: FFmpeg's frame threads patch up damaged
    /// pictures differently from run to run, a single thread always the same way.
    one_thread: AtomicBool,
    /// Seeks made, by all decoders (tests count them).
    pub seeks: AtomicUsize,
}

impl Source {
    pub fn new(path: &Path, info: StreamInfo, index: Arc<FrameIndex>) -> Source {
        let threads = crate::base::parallel::cores();
        Source {
            path: path.to_path_buf(),
            info,
            index,
            // The render engine keeps at most 2 × threads frames in flight: the
            // pictures decoded for one worker and not yet taken by another fit in that.
            base_capacity: 2 * threads + 1,
            budget: AtomicUsize::new(BACKWARD_BUDGET),
            warned: AtomicBool::new(false),
            unclean: Mutex::new(BTreeSet::new()),
            keys_trusted: AtomicBool::new(true),
            one_thread: AtomicBool::new(false),
            seeks: AtomicUsize::new(0),
        }
    }

    /// The last keyframe at or before frame `n` that decoding can start from.
    fn clean_key(&self, n: usize) -> usize {
        if !self.keys_trusted.load(Relaxed) {
            return 0;
        }
        let unclean = self.unclean.lock().unwrap_or_else(|p| p.into_inner());
        let mut key = self.index.key_at_or_before(n);
        while key > 0 && unclean.contains(&key) {
            key = self.index.key_before(key).unwrap_or(0);
        }
        key
    }

    fn mark_unclean(&self, key: usize) {
        if key > 0 {
            let mut unclean = self.unclean.lock().unwrap_or_else(|p| p.into_inner());
            unclean.insert(key);
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

/// Opens the file for decoding: demuxer plus decoder on the probed stream, on as
/// many threads as cores unless `one_thread`.
fn open_decoding(
    path: &Path,
    info: &StreamInfo,
    one_thread: bool,
) -> Result<(ff::format::context::Input, ff::decoder::Video), String> {
    let input = ff::format::input(&path).map_err(av::reason)?;
    let stream = input
        .stream(info.stream)
        .ok_or("its video stream went away")?;
    let mut ctx = ff::codec::Context::from_parameters(stream.parameters()).map_err(av::reason)?;
    // As the ffmpeg command line does: as many threads as cores.
    ctx.set_threading(ff::threading::Config {
        kind: ff::threading::Type::Frame,
        count: if one_thread { 1 } else { 0 },
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

/// Whether decoding from `picture` on gives what decoding from the start does: a
/// keyframe decoded without errors. A damaged keyframe is patched up from the
/// pictures before it (error concealment), which a decoder that started there lacks.
fn starts_clean(picture: &Picture) -> bool {
    picture.is_key() && decoded_whole(picture)
}

/// Whether the decoder met no error in the picture (none of it was patched up).
fn decoded_whole(picture: &Picture) -> bool {
    let errors = unsafe { (*picture.as_ptr()).decode_error_flags };
    !picture.is_corrupt() && errors == 0
}

/// One decoder of a file and its window of pictures.
pub struct Decoder {
    source: Arc<Source>,
    input: ff::format::context::Input,
    decoder: ff::decoder::Video,
    packet: ff::Packet,
    window: Window,
    /// The last frame this run put in the window (itself or a stand-in).
    position: Option<usize>,
    /// The first frame this run decoded.
    run_start: Option<usize>,
    /// The keyframe this run started at (`None` or `Some(0)`: the start of the file).
    run_key: Option<usize>,
    /// The run's keyframe came out as a keyframe picture: its pictures count.
    clean: bool,
    /// The last picture this run decoded, the stand-in for frames that do not come out.
    last: Option<Arc<Picture>>,
    /// This run met damaged data.
    damaged: bool,
    /// Decoding on several threads.
    threaded: bool,
    /// After a seek: the timestamp of the keyframe's packet, which decoding starts at;
    /// packets before it are dropped.
    skip_to: Option<i64>,
    /// Times the demuxer landed past that packet since the seek.
    landed_late: u32,
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
        let one_thread = source.one_thread.load(Relaxed);
        let (input, decoder) = open_decoding(&source.path, &source.info, one_thread)?;
        Ok(Decoder {
            input,
            decoder,
            packet: ff::Packet::empty(),
            window: Window::new(source.base_capacity),
            source,
            position: None,
            run_start: None,
            run_key: None,
            clean: false,
            last: None,
            damaged: false,
            threaded: !one_thread,
            skip_to: None,
            landed_late: 0,
            fresh: true,
            eof_sent: false,
            drained: false,
            picture_bytes: 0,
            claimed: 0,
        })
    }

    /// The first frame decoding from the start gives (a stream may start with frames
    /// that cannot be decoded: they come before it).
    pub fn first_decoded(&self) -> Option<usize> {
        self.run_start
    }

    /// The picture of frame `n` (or, in a damaged file where it cannot be decoded,
    /// the frame before it that can).
    pub fn get(&mut self, n: usize) -> Result<Arc<Picture>, String> {
        if let Some(p) = self.window.get(n) {
            return Ok(p);
        }
        let mut seek = self.plan(n);
        for attempt in 1.. {
            if let Some(key) = seek {
                self.seek(key)?;
            }
            seek = match self.decode_to(n)? {
                Outcome::Reached => break,
                // From the start, there is nothing earlier to try.
                Outcome::Missed if self.run_key.is_none_or(|k| k == 0) => break,
                Outcome::Unclean | Outcome::Missed => match self.run_key.filter(|&k| k > 0) {
                    Some(key) if attempt < KEY_ATTEMPTS => {
                        self.source.mark_unclean(key);
                        Some(self.source.clean_key(key - 1))
                    }
                    _ if attempt <= KEY_ATTEMPTS + 1 => Some(0),
                    _ => break,
                },
            };
        }
        self.window.get(n).ok_or_else(|| {
            format!(
                "cannot decode frame {n} of {}: the file may be damaged",
                self.source.path.display()
            )
        })
    }

    /// Decodes on until frame `n` (or its stand-in) is in the window.
    fn decode_to(&mut self, n: usize) -> Result<Outcome, String> {
        while let Some(picture) = self.next_picture()? {
            let number = match picture.timestamp() {
                Some(ts) => match self.source.index.number_of(ts) {
                    Some(number) => number,
                    // Before the clip's first frame.
                    None => continue,
                },
                None => self.position.map_or(0, |p| p + 1),
            };
            if !self.clean {
                match self.run_key {
                    // From the start: the first keyframe picture begins the run.
                    None | Some(0) if !picture.is_key() => continue,
                    None | Some(0) => {}
                    // Pictures shown before the keyframe (an open GOP's) need frames
                    // from before it.
                    Some(key) if number < key => continue,
                    Some(key) if number > key || !starts_clean(&picture) => {
                        return Ok(Outcome::Unclean)
                    }
                    Some(_) => {}
                }
                self.clean = true;
                self.run_start = Some(number);
            } else if self.position.is_some_and(|p| number <= p) {
                // Out of order or repeated (damaged timestamps): the first one stands.
                continue;
            }
            // Frames skipped between the last picture and this one did not decode.
            let from = self.position.map_or(self.run_key.unwrap_or(0), |p| p + 1);
            let gap = from < number;
            if gap && self.started_at_key() {
                // They may need pictures from before the keyframe (an I-frame that
                // FFmpeg takes for a keyframe although later frames look past it).
                self.drop_run();
                return Ok(Outcome::Unclean);
            }
            // Frames before the first one decoded are no damage: the clip starts later.
            if !decoded_whole(&picture) || (gap && self.position.is_some()) {
                self.notice_damage();
            }
            if self.damaged_after_key() {
                return Ok(Outcome::Unclean);
            }
            if self.picture_bytes == 0 {
                self.size_window(&picture);
            }
            let picture = Arc::new(picture);
            if gap {
                let stand_in = self.last.clone().unwrap_or_else(|| picture.clone());
                self.fill(from..number, n, stand_in);
            }
            self.window.insert(number, picture.clone());
            self.last = Some(picture);
            self.position = Some(number);
            if number >= n {
                return Ok(Outcome::Reached);
            }
        }
        if self.damaged_after_key() {
            return Ok(Outcome::Unclean);
        }
        // At the end of the stream: the frames still to come did not decode.
        let Some(last) = self.last.clone() else {
            return Ok(if self.run_key.is_some_and(|k| k > 0) {
                Outcome::Unclean
            } else {
                Outcome::Missed
            });
        };
        let from = self.position.map_or(0, |p| p + 1);
        if from <= n && self.started_at_key() {
            self.drop_run();
            return Ok(Outcome::Unclean);
        }
        if from <= n {
            self.notice_damage();
            if self.damaged_after_key() {
                return Ok(Outcome::Unclean);
            }
            self.fill(from..n + 1, n, last);
            self.position = Some(n);
        }
        Ok(Outcome::Reached)
    }

    /// Whether this run met damaged data after a keyframe, or on several threads:
    /// what it decoded may differ from decoding from the start on one thread, so it is
    /// dropped, and decoding starts there.
    fn damaged_after_key(&mut self) -> bool {
        if !self.damaged || (!self.started_at_key() && !self.threaded) {
            return false;
        }
        self.drop_run();
        true
    }

    /// Whether this run started at a keyframe rather than at the start of the file.
    fn started_at_key(&self) -> bool {
        self.run_key.is_some_and(|k| k > 0)
    }

    /// Forgets what this run decoded: it is not what decoding from the start gives.
    fn drop_run(&mut self) {
        self.window.clear();
        self.position = None;
        self.run_start = None;
    }

    /// Shows the frames `range`, which did not decode, as `stand_in`. Only as many as
    /// the window keeps, and `n` (the frame asked for) among them.
    fn fill(&mut self, range: std::ops::Range<usize>, n: usize, stand_in: Arc<Picture>) {
        let kept = range
            .start
            .max(range.end.saturating_sub(self.window.capacity));
        for f in kept..range.end {
            self.window.insert(f, stand_in.clone());
        }
        if range.contains(&n) && n < kept {
            self.window.insert(n, stand_in);
        }
    }

    /// Where to start decoding for frame `n`: `None` to go on from here, or the
    /// keyframe to seek to.
    fn plan(&mut self, n: usize) -> Option<usize> {
        let base = self.source.base_capacity;
        let plan = self.stand().plan(&self.source.index, n, base);
        let key = match plan {
            Plan::Forward => return None,
            Plan::Behind(key) => {
                self.grow_for_backward();
                key
            }
            Plan::Seek(key) => key,
        };
        Some(self.source.clean_key(key))
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

    /// Starts decoding at keyframe `key`'s packet (a demuxer seek, or the file opened
    /// again where it cannot seek or the decoder must change to one thread).
    fn seek(&mut self, key: usize) -> Result<(), String> {
        let ts = self.source.index.pts(key);
        let reopen = self.threaded && self.source.one_thread.load(Relaxed);
        if !reopen && self.seek_before(ts) {
            self.decoder.flush();
        } else {
            self.restart()?;
        }
        self.skip_to = Some(ts);
        self.source.seeks.fetch_add(1, Relaxed);
        self.fresh = false;
        self.position = None;
        self.run_start = None;
        self.run_key = Some(key);
        self.clean = false;
        self.last = None;
        self.damaged = false;
        self.landed_late = 0;
        self.eof_sent = false;
        self.drained = false;
        Ok(())
    }

    /// Asks the demuxer for the last seek point at or before `ts`; false if it cannot.
    fn seek_before(&mut self, ts: i64) -> bool {
        let ret = unsafe {
            ffi::av_seek_frame(
                self.input.as_mut_ptr(),
                self.source.info.stream as i32,
                ts,
                ffi::AVSEEK_FLAG_BACKWARD,
            )
        };
        ret >= 0
    }

    /// Opens the file again: decoding starts at its first packet.
    fn restart(&mut self) -> Result<(), String> {
        let one_thread = self.source.one_thread.load(Relaxed);
        let (input, decoder) = open_decoding(&self.source.path, &self.source.info, one_thread)
            .map_err(|e| format!("cannot seek in {}: {e}", self.source.path.display()))?;
        self.input = input;
        self.decoder = decoder;
        self.threaded = !one_thread;
        Ok(())
    }

    /// After a seek, whether `packet` (of the video stream) is dropped because it comes
    /// before the keyframe's packet. A packet shown after the keyframe before it came
    /// means the demuxer landed past it: then from a seek point further back, then
    /// from the start of the file.
    fn skips(&mut self) -> Result<bool, String> {
        let Some(target) = self.skip_to else {
            return Ok(false);
        };
        match self.packet.pts().or(self.packet.dts()) {
            Some(ts) if ts == target => {
                self.skip_to = None;
                Ok(false)
            }
            Some(ts) if ts > target => {
                self.landed_late += 1;
                let earlier = self.source.index.number_of(target).and_then(|k| {
                    let key = self.source.index.key_before(k)?;
                    (key > 0).then(|| self.source.index.pts(key))
                });
                match (self.landed_late, earlier) {
                    (1, Some(ts)) if self.seek_before(ts) => {}
                    (1 | 2, _) => self.restart()?,
                    // Not found from the start either: decode, and let the pictures tell.
                    _ => self.skip_to = None,
                }
                Ok(true)
            }
            Some(_) => Ok(true),
            // Packets without timestamps cannot be told apart: the pictures will tell.
            None => {
                self.skip_to = None;
                Ok(false)
            }
        }
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
                    return match self.decoder.send_eof() {
                        Ok(()) => Ok(()),
                        // The end is taken even so: the error is about packets before it
                        // (decoder threads hold errors back, draining can report one), so
                        // it is damage like any other, not the end of the render.
                        Err(ff::Error::InvalidData) => {
                            self.notice_damage();
                            Ok(())
                        }
                        Err(e) => Err(self.failed(e)),
                    };
                }
                Err(ff::Error::InvalidData) if *bad < MAX_BAD_PACKETS => {
                    *bad += 1;
                    self.notice_damage();
                    continue;
                }
                Err(e) => return Err(self.failed(e)),
            }
            if self.packet.stream() != self.source.info.stream || self.skips()? {
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

    /// Notes damaged data in this run and in the file (whose keyframes are then not
    /// trusted), and says once per file that it was found: the render goes on, but
    /// the user should know.
    fn notice_damage(&mut self) {
        self.damaged = true;
        self.source.keys_trusted.store(false, Relaxed);
        self.source.one_thread.store(true, Relaxed);
        if !self.source.warned.swap(true, Relaxed) {
            crate::base::report::warn(format_args!(
                "{} is damaged: frames that cannot be decoded are shown as the one before, and it is \
                 decoded from its start",
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
