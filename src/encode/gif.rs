//! GIF output through gifski: frames go to gifski's collector, its writer runs on a
//! thread and writes into a temporary file beside the target, renamed on success.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use imgref::ImgVec;
use rgb::RGBA8;

use super::gif_exact::{self, Indexed, Picture};
use crate::base::error::RenderError;
use crate::base::frame::{Frame, Size};
use crate::encode::SinkSpec;
use crate::render::sink::FrameSink;

/// How often the GIF plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GifRepeat {
    /// Loops forever (the default).
    #[default]
    Forever,
    /// Plays this many times in total (at least 1), then stops on the last frame.
    Times(u16),
}

impl GifRepeat {
    fn to_gifski(self) -> gifski::Repeat {
        match self {
            GifRepeat::Forever => gifski::Repeat::Infinite,
            // The NETSCAPE loop count is the number of extra plays; 0 (no extension)
            // plays once.
            GifRepeat::Times(n) => gifski::Repeat::Finite(n.saturating_sub(1)),
        }
    }
}

/// GIF delays are whole hundredths of a second and gifski never writes less than
/// 0.02 s (browsers slow shorter delays to 0.1 s): above 50 fps playback is slower
/// than real time. Returns what the user should be told, if anything.
pub fn fps_warning(fps: f64) -> Option<String> {
    (fps > 50.0).then(|| {
        format!(
            "GIF frame delays are whole hundredths of a second, at least 0.02 s: at {fps} fps the GIF will play at \
             50 fps, {:.2}x slower than real time; use --fps 50 or less (a divisor of 100 such as 10, 20, 25 or 50 \
             gives even timing)",
            fps / 50.0
        )
    })
}

/// The largest GIF frame, in pixels (4096 × 4096): gifski needs 13 to 17 times a
/// frame's size in memory (a 16384² GIF took 13.4 GB), and no GIF viewer shows more.
pub const MAX_GIF_PIXELS: u64 = 4096 * 4096;

/// Refuses GIF frames too large to encode within reason, with the ways out.
pub fn check_size(size: Size) -> Result<(), String> {
    if size.w as u64 * size.h as u64 > MAX_GIF_PIXELS {
        return Err(format!(
            "a {size} GIF is too large: GIF frames may have at most 4096×4096 pixels (16.8 million); \
             render PNG frames (-o frames/) or a video (-o out.mp4) instead, or a smaller --size"
        ));
    }
    Ok(())
}

/// Tells gifski's writer to stop early when the sink is dropped unfinished.
struct AbortFlag(Arc<AtomicBool>);

impl gifski::progress::ProgressReporter for AbortFlag {
    fn increase(&mut self) -> bool {
        !self.0.load(Ordering::Relaxed)
    }
}

/// An animated GIF being encoded. Dropping it before [`FrameSink::finish`] stops the
/// encoder and removes the temporary file; an existing target is untouched.
pub struct GifSink {
    collector: Option<gifski::Collector>,
    writer: Option<JoinHandle<Result<(), String>>>,
    abort: Arc<AtomicBool>,
    tmp: Option<super::commit::TempOutput>,
    target: PathBuf,
    /// The GIF goes to standard output once complete, not to `target`.
    to_stdout: bool,
    spec: SinkSpec,
    repeat: GifRepeat,
    /// Frames so far, while every one has had at most 255 colours: they may still be
    /// written losslessly without gifski (see `gif_exact`).
    probe: Option<Vec<Indexed>>,
    probe_bytes: usize,
    /// The lossless writer, once chosen.
    exact: Option<gif_exact::Writer<std::io::BufWriter<std::fs::File>>>,
}

/// How much indexed picture the probe holds before it settles on the lossless writer.
const PROBE_LIMIT: usize = 64 << 20;

impl GifSink {
    /// A GIF written beside `target` and renamed over it in `finish`.
    pub fn create(
        target: &Path,
        repeat: GifRepeat,
        spec: &SinkSpec,
    ) -> Result<GifSink, RenderError> {
        let dir = super::output::parent_dir(target)?;
        let tmp = super::output::temp_file_beside(target, &dir)?;
        GifSink::start(tmp, target, false, repeat, spec)
    }

    /// A GIF for standard output: encoded into an anonymous temporary file (the encoder
    /// may start over, so it needs a seekable file), copied to stdout in `finish`.
    pub fn to_stdout(repeat: GifRepeat, spec: &SinkSpec) -> Result<GifSink, RenderError> {
        // Unnamed where possible, so that a killed render leaves nothing in /tmp either.
        let tmp = super::commit::TempOutput::beside(Path::new("stdout"), &std::env::temp_dir())?;
        GifSink::start(tmp, Path::new("stdout"), true, repeat, spec)
    }

    /// Starts gifski with explicit width and height (it would otherwise shrink large
    /// frames) and the quality of `spec`, writing into `tmp`.
    fn start(
        tmp: super::commit::TempOutput,
        target: &Path,
        to_stdout: bool,
        repeat: GifRepeat,
        spec: &SinkSpec,
    ) -> Result<GifSink, RenderError> {
        let settings = gifski::Settings {
            width: Some(spec.size.w),
            height: Some(spec.size.h),
            quality: spec.quality.clamp(1, 100),
            fast: false,
            repeat: repeat.to_gifski(),
        };
        let (collector, writer) = gifski::new(settings)
            .map_err(|e| RenderError(format!("cannot start the GIF encoder: {e}")))?;
        let file = tmp
            .as_file()
            .try_clone()
            .map_err(|e| RenderError(format!("cannot write {}: {e}", target.display())))?;
        let abort = Arc::new(AtomicBool::new(false));
        let mut reporter = AbortFlag(abort.clone());
        let shown = target.display().to_string();
        let handle = std::thread::Builder::new()
            .name("gif-writer".into())
            .spawn(move || {
                use std::io::Write;
                let mut out = std::io::BufWriter::new(file);
                writer
                    .write(&mut out, &mut reporter)
                    .map_err(|e| format!("GIF encoding failed: {e}"))?;
                out.flush()
                    .map_err(|e| format!("cannot write {shown}: {e}"))
            })
            .map_err(|e| RenderError(format!("cannot start the GIF encoder: {e}")))?;
        Ok(GifSink {
            collector: Some(collector),
            writer: Some(handle),
            abort,
            tmp: Some(tmp),
            target: target.to_path_buf(),
            to_stdout,
            spec: spec.clone(),
            repeat,
            probe: Some(Vec::new()),
            probe_bytes: 0,
            exact: None,
        })
    }

    /// Waits for the writer thread; its error explains a failed `add_frame`.
    fn join_writer(&mut self) -> Result<(), RenderError> {
        self.collector = None;
        match self.writer.take().map(JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(RenderError(e)),
            Some(Err(_)) => Err(RenderError("the GIF encoder crashed".into())),
        }
    }
}

/// Straight-alpha pixels for gifski. Without a transparent background the frame is
/// flattened over black, which is what its premultiplied colour already is.
fn gifski_pixels(frame: &Frame, transparent: bool) -> Vec<RGBA8> {
    frame
        .pixels()
        .iter()
        .map(|px| {
            if transparent {
                let c = px.demultiply();
                RGBA8::new(c.red(), c.green(), c.blue(), c.alpha())
            } else {
                RGBA8::new(px.red(), px.green(), px.blue(), 255)
            }
        })
        .collect()
}

impl GifSink {
    /// Stops gifski, empties the temporary file and writes the probed frames with the
    /// lossless writer, which takes every later frame too.
    fn start_exact(&mut self) -> Result<(), RenderError> {
        use std::io::Seek;
        self.abort.store(true, Ordering::Relaxed);
        let _ = self.join_writer();
        let tmp = self
            .tmp
            .as_ref()
            .expect("temporary file present until finish");
        let io =
            |e: std::io::Error| RenderError(format!("cannot write {}: {e}", self.target.display()));
        let mut file = tmp.as_file().try_clone().map_err(io)?;
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        let repeat = match self.repeat {
            GifRepeat::Forever => ::gif::Repeat::Infinite,
            GifRepeat::Times(n) => ::gif::Repeat::Finite(n.saturating_sub(1)),
        };
        let mut w = gif_exact::Writer::new(
            std::io::BufWriter::new(file),
            self.spec.size.w,
            self.spec.size.h,
            self.spec.fps,
            self.spec.transparent,
            self.spec.quality,
            repeat,
        )
        .map_err(|e| RenderError(format!("GIF encoding failed: {e}")))?;
        for (i, ix) in self
            .probe
            .take()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            w.push(i as u64, Picture::Exact(ix))
                .map_err(|e| RenderError(format!("GIF encoding failed: {e}")))?;
        }
        self.exact = Some(w);
        Ok(())
    }

    fn push_gifski(&mut self, index: u64, pixels: Vec<RGBA8>) -> Result<(), RenderError> {
        let size = self.spec.size;
        let image = ImgVec::new(pixels, size.w as usize, size.h as usize);
        let pts = index as f64 / self.spec.fps;
        let Some(collector) = self.collector.as_ref() else {
            return Err(RenderError(
                "internal error: frame pushed after the GIF encoder stopped".into(),
            ));
        };
        if collector
            .add_frame_rgba(index as usize, image, pts)
            .is_err()
        {
            self.join_writer()?;
            return Err(RenderError("the GIF encoder stopped early".into()));
        }
        Ok(())
    }
}

impl FrameSink for GifSink {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError> {
        let size = self.spec.size;
        if (frame.width(), frame.height()) != (size.w, size.h) {
            return Err(RenderError(format!(
                "internal error: frame {index} is {}x{}, expected {size}",
                frame.width(),
                frame.height()
            )));
        }
        let transparent = self.spec.transparent;
        if let Some(w) = self.exact.as_mut() {
            let picture = match gif_exact::index(&frame, transparent) {
                Some(ix) => Picture::Exact(ix),
                None => Picture::Rgba(
                    gifski_pixels(&frame, transparent)
                        .iter()
                        .flat_map(|p| [p.r, p.g, p.b, p.a])
                        .collect(),
                ),
            };
            return w
                .push(index, picture)
                .map_err(|e| RenderError(format!("GIF encoding failed: {e}")));
        }
        if self.probe.is_some() {
            if let Some(ix) = gif_exact::index(&frame, transparent) {
                self.probe_bytes += ix.bytes();
                self.probe.as_mut().expect("probing").push(ix);
                if self.probe_bytes > PROBE_LIMIT {
                    self.start_exact()?;
                }
                return Ok(());
            }
            // A frame of many colours: gifski encodes everything, the probed frames first.
            let probed = self.probe.take().unwrap_or_default();
            for (i, ix) in probed.into_iter().enumerate() {
                let pixels = ix
                    .rgba()
                    .chunks_exact(4)
                    .map(|c| RGBA8::new(c[0], c[1], c[2], c[3]))
                    .collect();
                self.push_gifski(i as u64, pixels)?;
            }
        }
        let pixels = gifski_pixels(&frame, transparent);
        drop(frame);
        self.push_gifski(index, pixels)
    }

    fn finish(mut self: Box<Self>) -> Result<(), RenderError> {
        if self.probe.is_some() {
            self.start_exact()?;
        }
        if let Some(w) = self.exact.take() {
            use std::io::Write;
            let mut out = w
                .finish(self.spec.frames)
                .map_err(|e| RenderError(format!("GIF encoding failed: {e}")))?;
            out.flush()
                .map_err(|e| RenderError(format!("cannot write {}: {e}", self.target.display())))?;
        } else {
            self.join_writer()?;
        }
        let tmp = self
            .tmp
            .take()
            .expect("temporary file present until finish");
        if self.to_stdout {
            return super::stream::copy_to_stdout(tmp.as_file());
        }
        tmp.persist(&self.target)
            .map_err(|e| RenderError(format!("cannot write {}: {e}", self.target.display())))?;
        Ok(())
    }
}

impl Drop for GifSink {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.abort.store(true, Ordering::Relaxed);
            let _ = self.join_writer();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::filled;

    fn spec(fps: f64, transparent: bool) -> SinkSpec {
        SinkSpec {
            size: Size::new(6, 4),
            fps,
            frames: 3,
            first: 0,
            total: 3,
            quality: 100,
            transparent,
            render_id: None,
        }
    }

    fn frame(c: [u8; 4]) -> Frame {
        filled(
            Size::new(6, 4),
            tiny_skia::Color::from_rgba8(c[0], c[1], c[2], c[3]),
        )
    }

    /// Decodes every frame: (delay in centiseconds, RGBA of pixel (0, 0) after compositing).
    fn decode(path: &Path) -> (u16, u16, Vec<(u16, [u8; 4])>, gif::Repeat) {
        let mut opts = gif::DecodeOptions::new();
        opts.set_color_output(gif::ColorOutput::RGBA);
        let mut d = opts.read_info(std::fs::File::open(path).unwrap()).unwrap();
        let (w, h) = (d.width(), d.height());
        let mut frames = Vec::new();
        while let Some(f) = d.read_next_frame().unwrap() {
            let px = if f.left == 0 && f.top == 0 {
                [f.buffer[0], f.buffer[1], f.buffer[2], f.buffer[3]]
            } else {
                [0; 4]
            };
            frames.push((f.delay, px));
        }
        let repeat = d.repeat();
        (w, h, frames, repeat)
    }

    #[test]
    fn encodes_size_timing_and_colours() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.gif");
        let mut sink =
            Box::new(GifSink::create(&path, GifRepeat::Forever, &spec(20.0, false)).unwrap());
        for (i, c) in [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]]
            .into_iter()
            .enumerate()
        {
            sink.push(i as u64, frame(c)).unwrap();
        }
        assert!(!path.exists(), "nothing at the target before finish");
        sink.finish().unwrap();
        let (w, h, frames, repeat) = decode(&path);
        assert_eq!((w, h), (6, 4));
        assert_eq!(repeat, gif::Repeat::Infinite);
        assert_eq!(frames.iter().map(|f| f.0).collect::<Vec<_>>(), [5, 5, 5]);
        assert_eq!(
            frames.iter().map(|f| f.1).collect::<Vec<_>>(),
            [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]]
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn transparent_background_becomes_gif_transparency() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.gif");
        let mut sink =
            Box::new(GifSink::create(&path, GifRepeat::Times(1), &spec(10.0, true)).unwrap());
        sink.push(0, frame([0, 0, 0, 0])).unwrap();
        sink.push(1, frame([255, 255, 0, 255])).unwrap();
        sink.finish().unwrap();
        let (_, _, frames, repeat) = decode(&path);
        assert_eq!(repeat, gif::Repeat::Finite(0));
        assert_eq!(frames[0].1[3], 0, "first frame transparent");
        assert_eq!(frames[1].1, [255, 255, 0, 255]);
    }

    #[test]
    fn dropped_sink_keeps_existing_target() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keep.gif");
        std::fs::write(&path, b"previous").unwrap();
        let mut sink =
            Box::new(GifSink::create(&path, GifRepeat::Forever, &spec(10.0, false)).unwrap());
        sink.push(0, frame([1, 2, 3, 255])).unwrap();
        drop(sink);
        assert_eq!(std::fs::read(&path).unwrap(), b"previous");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file removed"
        );
    }

    #[test]
    fn warns_above_50_fps() {
        assert!(fps_warning(50.0).is_none());
        let w = fps_warning(100.0).unwrap();
        assert!(w.contains("2.00x slower"), "{w}");
    }

    /// A frame of 24 × 16 pixels, each its own colour: more than a palette holds.
    fn gradient() -> Frame {
        let mut f = crate::base::frame::blank(Size::new(24, 16));
        for (i, px) in f.data_mut().chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&[(i % 24 * 10) as u8, (i / 24 * 15) as u8, 128, 255]);
        }
        f
    }

    #[test]
    fn many_colours_go_to_gifski_with_the_frames_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.gif");
        let mut s = spec(10.0, false);
        s.size = Size::new(24, 16);
        let mut sink = Box::new(GifSink::create(&path, GifRepeat::Forever, &s).unwrap());
        sink.push(0, filled(s.size, tiny_skia::Color::WHITE))
            .unwrap();
        assert!(sink.probe.is_some(), "a flat frame is probed");
        sink.push(1, gradient()).unwrap();
        assert!(
            sink.probe.is_none() && sink.exact.is_none(),
            "gifski took over"
        );
        sink.push(2, filled(s.size, tiny_skia::Color::BLACK))
            .unwrap();
        sink.finish().unwrap();
        let (_, _, frames, _) = decode(&path);
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].1, [255, 255, 255, 255]);
        let [r, g, b, _] = frames[1].1;
        assert!(
            r < 12 && g < 12 && (b as i32 - 128).abs() < 12,
            "{:?}",
            frames[1].1
        );
    }

    #[test]
    fn flat_frames_are_written_losslessly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.gif");
        let mut sink =
            Box::new(GifSink::create(&path, GifRepeat::Forever, &spec(10.0, false)).unwrap());
        // a colour gifski would round: exact here
        sink.push(0, frame([31, 119, 180, 255])).unwrap();
        sink.push(1, frame([31, 119, 181, 255])).unwrap();
        sink.push(2, frame([31, 119, 181, 255])).unwrap();
        sink.finish().unwrap();
        let (_, _, frames, _) = decode(&path);
        assert_eq!(frames.len(), 2, "the identical last frames merge");
        assert_eq!(frames[0], (10, [31, 119, 180, 255]));
        assert_eq!(frames[1], (20, [31, 119, 181, 255]));
    }
}
