//! Animated GIF files: every frame composited (disposal and transparency honoured)
//! and shown for its own delay, so a GIF with uneven delays plays at its true timing.
//!
//! Frames are decoded once at load (and let go again by a clip nothing draws,
//! [`Gif::unloaded`]). Decoding is bounded: a picture side of at most
//! 16384 pixels, at most [`MAX_FRAMES`] frames and [`MAX_DECODED_BYTES`] of decoded
//! frames, so a GIF bomb fails with a clear error before it exhausts memory; and a
//! first pass that reads no pixels counts the frames, so that a small file of many
//! tiny frames on a large screen (each composited onto the whole screen) is refused
//! before hours of decoding ([`MAX_DECODE_WORK`]).

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Cursor, Seek};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use image::AnimationDecoder;
use image::ImageDecoder;

use crate::base::error::RenderError;
use crate::base::frame::{frame_from_straight, Frame, RenderResult, Size};
use crate::base::time::TIME_EPSILON;
use crate::clip::{Clip, RenderCx};

/// The most frames a GIF source may have.
pub const MAX_FRAMES: usize = 100_000;
/// The most memory the decoded frames of one GIF may take (1 GiB).
pub const MAX_DECODED_BYTES: u64 = 1 << 30;
/// The most pixel bytes decoding one GIF may composite, repeated frames included
/// (4 GiB: a thousand 1024x1024 frames).
pub const MAX_DECODE_WORK: u64 = 4 << 30;
/// Delays of 0 or 1 hundredth of a second play as this many milliseconds, as in
/// web browsers (such GIFs were made for them).
pub const SHORT_DELAY_MS: u64 = 100;

/// Decodes an animation again: how a clip that let its frames go gets them back.
pub type Reload = Arc<dyn Fn() -> Result<Gif, String> + Send + Sync>;

pub struct Gif {
    /// "gif" or "apng".
    kind: &'static str,
    size: Size,
    /// Frames in order; identical neighbours are merged into one longer frame. Empty
    /// for a clip nothing draws ([`Gif::unloaded`]) until a frame is asked for.
    frames: OnceLock<Result<Vec<Frame>, String>>,
    /// How many there are, kept or not.
    count: usize,
    /// Set when the frames were let go.
    reload: Option<Reload>,
    /// When each frame starts, in seconds from the start of the GIF.
    starts: Vec<f64>,
    duration: f64,
    /// Frames per second on average, counting merged frames; `None` for one frame.
    rate: Option<f64>,
}

impl Gif {
    /// Reads the GIF at `path`; one that browsers show but the decoder refuses (see
    /// [`super::gif_repair`]) is repaired in memory first.
    ///
    /// Its distinct frames may take at most `room` bytes (what the scene's memory
    /// budget has left): a GIF past it is refused while it is decoded, not after.
    pub fn open(path: &Path, room: u64) -> Result<Gif, String> {
        crate::base::guard::decoding(path.display(), || Gif::open_unguarded(path, room))
    }

    fn open_unguarded(path: &Path, room: u64) -> Result<Gif, String> {
        let repair = super::gif_repair::inspect(path)?;
        if repair.is_none() {
            return Gif::decode(path, room, || {
                let file = crate::base::input::open(path)?;
                Ok(BufReader::new(file))
            });
        }
        let data = super::gif_repair::apply(path, &repair)?;
        let gif = Gif::decode(path, room, || Ok(Cursor::new(&data[..])))?;
        for w in &repair.warnings {
            crate::base::report::warn(w);
        }
        Ok(gif)
    }

    /// Decodes the GIF that `open` reads (twice: a scan, then the frames).
    fn decode<R: BufRead + Seek>(
        path: &Path,
        room: u64,
        open: impl Fn() -> Result<R, String>,
    ) -> Result<Gif, String> {
        let mut decoder = image::codecs::gif::GifDecoder::new(open()?)
            .map_err(|e| super::decode::reason(path, &e))?;
        decoder
            .set_limits(super::decode::limits())
            .map_err(|e| super::decode::reason(path, &e))?;
        let (w, h) = decoder.dimensions();
        let size = crate::base::limits::check_size(w, h)
            .map_err(|m| format!("{}: {m}", path.display()))?;
        let frame_bytes = frame_budget(path, size, "GIF")?;

        scan(path, open()?, frame_bytes, (w, h))?;

        let mut timeline = Timeline::new(path, size, room);
        let mut elapsed_ms: u64 = 0;
        for (n, frame) in decoder.into_frames().enumerate() {
            let frame = frame.map_err(|e| super::decode::reason(path, &e))?;
            let (num, den) = frame.delay().numer_denom_ms();
            let ms = shown_ms(num.checked_div(den).unwrap_or(0) as u64);
            timeline.push(
                n,
                frame.into_buffer().into_raw(),
                elapsed_ms as f64 / 1000.0,
            )?;
            elapsed_ms += ms;
        }
        timeline.finish("gif", elapsed_ms as f64 / 1000.0)
    }

    /// The memory its decoded frames take.
    pub fn bytes(&self) -> u64 {
        self.count as u64 * super::file::frame_bytes(self.size)
    }

    /// The same clip without its frames, for a clip nothing draws: loading decoded
    /// them to check the file and learn its timing, and keeping them cost 7.6 MB for
    /// each unused copy of the examples' `sinc.gif` (220x220, 39 distinct frames).
    /// Should a frame be asked for after all, `reload` decodes the file again.
    pub fn unloaded(self, reload: Reload) -> Gif {
        Gif {
            frames: OnceLock::new(),
            reload: Some(reload),
            ..self
        }
    }

    /// The frames, decoded again if they were let go.
    fn frames(&self) -> Result<&[Frame], RenderError> {
        let frames = self.frames.get_or_init(|| {
            let reload = self.reload.as_ref().ok_or("frames let go")?;
            let again = reload()?;
            match again.frames.into_inner() {
                Some(Ok(f)) if f.len() == self.count => Ok(f),
                _ => Err("the file changed while the scene was rendered".to_string()),
            }
        });
        frames.as_deref().map_err(|e| RenderError(e.clone()))
    }

    /// The index of the frame showing at `t`.
    fn index_at(&self, t: f64) -> usize {
        self.starts
            .partition_point(|&s| s <= t + TIME_EPSILON)
            .saturating_sub(1)
    }
}

/// The frames of an animation as they are shown: identical neighbours merged into one
/// longer frame, the frame and memory limits checked as frames arrive.
pub(super) struct Timeline<'a> {
    path: &'a Path,
    size: Size,
    frames: Vec<Frame>,
    starts: Vec<f64>,
    last: Option<Vec<u8>>,
    /// Frames pushed, identical neighbours included: the animation's own frame count.
    pushed: usize,
    /// The most bytes the distinct frames may take: what the scene's budget has left.
    room: u64,
}

impl<'a> Timeline<'a> {
    pub(super) fn new(path: &'a Path, size: Size, room: u64) -> Timeline<'a> {
        Timeline {
            path,
            size,
            frames: Vec::new(),
            starts: Vec::new(),
            last: None,
            pushed: 0,
            room,
        }
    }

    /// Adds frame `n` (straight RGBA of the whole screen), shown from `start` seconds.
    pub(super) fn push(&mut self, n: usize, pixels: Vec<u8>, start: f64) -> Result<(), String> {
        self.pushed += 1;
        if self.last.as_ref() == Some(&pixels) {
            return Ok(());
        }
        let path = self.path.display();
        let (w, h) = (self.size.w, self.size.h);
        if self.frames.len() >= MAX_FRAMES {
            return Err(format!(
                "{path} has more than {MAX_FRAMES} frames: convert it to a video (kind = \"video\")"
            ));
        }
        let bytes = (self.frames.len() as u64 + 1) * super::file::frame_bytes(self.size);
        if bytes > MAX_DECODED_BYTES {
            return Err(format!(
                "{path} is too large: its {w}x{h} frames would take more than {} MiB decoded \
                 (frame {}); convert it to a video (kind = \"video\") or make it smaller",
                MAX_DECODED_BYTES >> 20,
                n + 1
            ));
        }
        if bytes > self.room {
            return Err(format!(
                "{path}: the scene's pictures and texts would take more than {} MiB of memory \
                 with its frames (refused while decoding frame {})",
                crate::base::limits::MAX_HELD_BYTES >> 20,
                n + 1
            ));
        }
        self.frames.push(frame_from_straight(self.size, &pixels));
        self.starts.push(start);
        self.last = Some(pixels);
        Ok(())
    }

    /// The animation, `duration` seconds long.
    pub(super) fn finish(self, kind: &'static str, duration: f64) -> Result<Gif, String> {
        if self.frames.is_empty() {
            return Err(format!("{} has no frames", self.path.display()));
        }
        crate::base::limits::check_duration(duration)
            .map_err(|m| format!("{}: {m}", self.path.display()))?;
        Ok(Gif {
            kind,
            size: self.size,
            count: self.frames.len(),
            frames: OnceLock::from(Ok(self.frames)),
            reload: None,
            starts: self.starts,
            duration,
            rate: (self.pushed > 1 && duration > 0.0).then(|| self.pushed as f64 / duration),
        })
    }
}

/// How long a frame with a delay of `ms` milliseconds is shown.
pub(super) fn shown_ms(ms: u64) -> u64 {
    if ms <= 10 {
        SHORT_DELAY_MS
    } else {
        ms
    }
}

/// The bytes of one decoded frame of an animation of `size` (a GIF or an APNG, `what`),
/// refused when two do not fit in [`MAX_DECODED_BYTES`]: the decoder keeps a canvas
/// besides the frames.
pub(super) fn frame_budget(path: &Path, size: Size, what: &str) -> Result<u64, String> {
    let frame_bytes = super::file::frame_bytes(size);
    if 2 * frame_bytes > MAX_DECODED_BYTES {
        return Err(format!(
            "{} is too large: its {}x{} frames would take {} MiB each decoded (at most {} MiB \
             for a whole {what}); convert it to a video (kind = \"video\") or make it smaller",
            path.display(),
            size.w,
            size.h,
            frame_bytes >> 20,
            MAX_DECODED_BYTES >> 20
        ));
    }
    Ok(frame_bytes)
}

/// Refuses an animation of `count` frames on a `w`x`h` canvas whose compositing would
/// write more than [`MAX_DECODE_WORK`] bytes, before any frame is decoded.
pub(super) fn check_decode_work(
    path: &Path,
    count: u64,
    frame_bytes: u64,
    (w, h): (u32, u32),
) -> Result<(), String> {
    if count.saturating_mul(frame_bytes) > MAX_DECODE_WORK {
        return Err(format!(
            "{} has too many frames for its {w}x{h} canvas: decoding would composite more than \
             {} GiB ({count} frames); convert it to a video (kind = \"video\") or make it smaller",
            path.display(),
            MAX_DECODE_WORK >> 30
        ));
    }
    Ok(())
}

/// Reads every frame's header and delay without decoding pixels, and refuses a GIF
/// whose decoding would composite more than [`MAX_DECODE_WORK`] bytes or last longer
/// than a render may.
fn scan(
    path: &Path,
    reader: impl BufRead,
    frame_bytes: u64,
    (w, h): (u32, u32),
) -> Result<(), String> {
    let corrupt = |e: &dyn std::fmt::Display| {
        format!(
            "{} is corrupt or unreadable: {}",
            path.display(),
            super::decode_text::plain(&e.to_string())
        )
    };
    let mut options = gif::DecodeOptions::new();
    options.skip_frame_decoding(true);
    let mut decoder = options.read_info(reader).map_err(|e| corrupt(&e))?;
    let (mut count, mut ms) = (0u64, 0u64);
    while let Some(frame) = decoder.read_next_frame().map_err(|e| corrupt(&e))? {
        count += 1;
        ms += shown_ms(frame.delay as u64 * 10);
        if count.saturating_mul(frame_bytes) > MAX_DECODE_WORK {
            return Err(format!(
                "{} has too many frames for its {w}x{h} screen: decoding would composite more \
                 than {} GiB (frame {count}); convert it to a video (kind = \"video\") or make \
                 it smaller",
                path.display(),
                MAX_DECODE_WORK >> 30
            ));
        }
        crate::base::limits::check_duration(ms as f64 / 1000.0)
            .map_err(|m| format!("{}: {m}", path.display()))?;
    }
    Ok(())
}

impl Clip for Gif {
    fn kind(&self) -> &'static str {
        self.kind
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        Some(self.duration)
    }
    fn render(&self, t: f64, _cx: &RenderCx) -> RenderResult {
        Ok(self.frames()?[self.index_at(t)].clone())
    }
    fn render_ref(&self, t: f64, _cx: &RenderCx) -> Result<Cow<'_, Frame>, RenderError> {
        Ok(Cow::Borrowed(&self.frames()?[self.index_at(t)]))
    }
    fn rate(&self) -> Option<f64> {
        self.rate
    }
}
