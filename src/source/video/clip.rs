//! The video file as a clip: frame lookup by time, decoding by a small pool of
//! decoders, conversion to RGBA on the calling worker.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::decoder::{Decoder, Source};
use super::index::FrameIndex;
use super::picture::{self, Look, Orientation};
use super::pool::Pool;
use super::stream;
use crate::audio::decode::FileSound;
use crate::audio::Sound;
use crate::av::{self, ff, Scaler};
use crate::base::error::RenderError;
use crate::base::frame::{RenderResult, Size};
use crate::clip::{Clip, RenderCx};

/// A decoded video file. Each use of it at a different time streams on a decoder of
/// its own (one for a clip used once); colour conversion runs on whichever worker
/// asked, with a pool of converters.
pub struct VideoClip {
    path: PathBuf,
    index: Arc<FrameIndex>,
    look: Look,
    alpha: bool,
    codec: ff::codec::Id,
    decoders: Pool,
    scalers: Mutex<Vec<Scaler>>,
    /// The file's first audio stream, unless the scene turned it off.
    sound: Option<Arc<FileSound>>,
}

impl VideoClip {
    /// Opens `path`, reads its timeline and decodes the first frame, so that a file
    /// that cannot be played fails here rather than in the middle of a render. The
    /// error is a sentence about the file.
    pub fn open(path: &Path) -> Result<VideoClip, String> {
        VideoClip::open_with(path, true, true)
    }

    /// [`VideoClip::open`], keeping the file's sound only when `audio`, and the
    /// decoder that read the first frame only when `drawn`: a decoder holds FFmpeg's
    /// buffers and a thread a core (≈5.7 MB for a small H.264 file), so a clip that
    /// is only checked, or that nothing draws, closes it and opens one when first
    /// asked for a frame.
    pub fn open_with(path: &Path, audio: bool, drawn: bool) -> Result<VideoClip, String> {
        av::init()?;
        let name = path.display();
        let fail = |why: String| format!("cannot play {name} as a video: {why}");
        // FFmpeg opens the file itself, and would block on a pipe: check its type first.
        crate::base::input::check_media_file(path)?;
        let mut input = ff::format::input(&path).map_err(|e| fail(av::unreadable(e, "video")))?;
        let info = stream::probe(&input).map_err(fail)?;
        let has_audio = audio && input.streams().best(ff::media::Type::Audio).is_some();
        let (coded, sar, orientation) = {
            let stream = input.stream(info.stream).expect("probed stream");
            let par = unsafe { &*stream.parameters().as_ptr() };
            let sar = unsafe { ffi_sar(input.as_ptr() as *mut _, stream.as_ptr() as *mut _) };
            let orientation = stream
                .side_data()
                .find(|d| d.kind() == ff::codec::packet::side_data::Type::DisplayMatrix)
                .and_then(|d| {
                    let bytes = d.data();
                    (bytes.len() >= 36).then(|| {
                        let mut m = [0i32; 9];
                        for (i, v) in m.iter_mut().enumerate() {
                            *v = i32::from_ne_bytes(bytes[i * 4..i * 4 + 4].try_into().unwrap());
                        }
                        Orientation::from_display_matrix(&m)
                    })
                })
                .unwrap_or_default();
            ((par.width, par.height), sar, orientation)
        };
        // Refuse absurd sizes before a decoder allocates anything for them.
        if coded.0 > 0 && coded.1 > 0 {
            let w = picture::display_width(coded.0 as u32, sar);
            let size = orientation.apply_to(Size::new(w, coded.1 as u32));
            crate::base::limits::check_size(size.w, size.h).map_err(fail)?;
        }
        let mut index = Arc::new(stream::scan(&mut input, &info).map_err(fail)?);
        drop(input);
        let codec = info.codec;
        let mut source = Arc::new(Source::new(path, info, index.clone()));
        let mut decoder = Decoder::open(source.clone()).map_err(fail)?;
        let mut first = decoder.get(0).map_err(|e| fail(strip_prefix(&e, path)))?;
        // A stream cut from a longer one may start between keyframes: what comes
        // before its first keyframe cannot be decoded, and the clip starts there.
        if let Some(skip) = decoder.first_decoded().filter(|&f| f > 0) {
            let start = index.time_of(skip);
            // Frames that share the first one's timestamp (all at 0, as a muxer fed no
            // times writes them) are not frames before a keyframe: the file cannot say
            // when each is shown.
            if start <= index.time_of(0) {
                return Err(fail(format!(
                    "its first {} frames all have the same timestamp, so when each is shown is \
                     unknown; give its frames timestamps (ffmpeg's `setpts=N/FRAME_RATE/TB` \
                     filter does)",
                    skip + 1
                )));
            }
            crate::base::report::warn(format_args!(
                "{name} starts without a keyframe: its first {start:.2} s (frames 0..{skip}) cannot be \
                 decoded and are left out; the clip starts at its first keyframe"
            ));
            index = Arc::new(index.starting_at(skip));
            source = Arc::new(Source::new(path, info, index.clone()));
            decoder = Decoder::open(source.clone()).map_err(fail)?;
            first = decoder.get(0).map_err(|e| fail(strip_prefix(&e, path)))?;
        }
        // Containers may not know the size before decoding: the picture does.
        let (w, h) = if coded.0 > 0 && coded.1 > 0 {
            (coded.0 as u32, coded.1 as u32)
        } else {
            (first.width(), first.height())
        };
        let stretched = Size::new(picture::display_width(w, sar), h);
        let look = Look {
            stretched,
            orientation,
        };
        let size = look.size();
        crate::base::limits::check_size(size.w, size.h).map_err(fail)?;
        let alpha = av::has_alpha(first.format().into());
        // The sound keeps its place relative to the first frame shown.
        let tick = f64::from(info.time_base.numerator()) / f64::from(info.time_base.denominator());
        let origin = index.pts(0) as f64 * tick;
        let sound = has_audio.then(|| FileSound::new(path, Some(origin)));
        Ok(VideoClip {
            sound,
            path: path.to_path_buf(),
            index,
            look,
            alpha,
            codec,
            decoders: Pool::new(source, drawn.then_some(decoder)),
            scalers: Mutex::new(Vec::new()),
        })
    }

    /// Number of frames in the stream.
    pub fn frame_count(&self) -> usize {
        self.index.len()
    }

    /// When frame `n` starts, in seconds from the first frame.
    pub fn frame_time(&self, n: usize) -> f64 {
        self.index.time_of(n)
    }

    /// Whether the decoded pictures carry alpha.
    pub fn has_alpha(&self) -> bool {
        self.alpha
    }

    #[cfg(test)]
    pub(super) fn window_capacity(&self) -> usize {
        self.decoders.window_capacity()
    }

    /// Decoders opened and seeks made so far.
    #[cfg(test)]
    pub(super) fn decoding_counts(&self) -> (usize, usize) {
        self.decoders.counts()
    }

    /// The codec's short name ("h264", "vp9", "prores"…).
    pub fn codec_name(&self) -> &'static str {
        self.codec.name()
    }
}

/// The stream's sample aspect ratio as (num, den), (0, 1) when unknown.
unsafe fn ffi_sar(fmt: *mut ff::ffi::AVFormatContext, st: *mut ff::ffi::AVStream) -> (i32, i32) {
    let r = ff::ffi::av_guess_sample_aspect_ratio(fmt, st, std::ptr::null_mut());
    (r.num, r.den)
}

/// The decoder's messages name the file; inside `fail` it is named already.
fn strip_prefix(e: &str, path: &Path) -> String {
    let prefix = format!("cannot decode {}: ", path.display());
    e.strip_prefix(&prefix).unwrap_or(e).to_string()
}

impl Clip for VideoClip {
    fn kind(&self) -> &'static str {
        "video"
    }
    fn size(&self) -> Size {
        self.look.size()
    }
    fn duration(&self) -> Option<f64> {
        Some(self.index.duration())
    }
    fn rate(&self) -> Option<f64> {
        let d = self.index.duration();
        (self.index.len() > 1 && d > 0.0).then(|| self.index.len() as f64 / d)
    }
    fn sound(&self) -> Option<Arc<dyn Sound>> {
        self.sound.clone().map(|s| s as Arc<dyn Sound>)
    }
    fn render(&self, t: f64, _cx: &RenderCx) -> RenderResult {
        let n = self.index.at(t);
        let picture = self.decoders.get(n).map_err(RenderError)?;
        let mut scaler = self
            .scalers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_default();
        let frame = picture::to_frame(&picture, &self.look, &mut scaler)
            .map_err(|e| RenderError(format!("{}: {e}", self.path.display())));
        self.scalers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(scaler);
        frame
    }
}
