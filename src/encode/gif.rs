//! GIF output. One palette is chosen from a sample of the clip before the render
//! starts; then each frame is remapped, diffed against the previous one and compressed
//! on the render workers (`gif_work`, `gif_frame`), and only timing and writing are
//! left in order (`gif_writer`). Frames of at most 255 colours are written exactly.
//! The file is written into a temporary file beside the target, renamed on success.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::gif_exact::Global;
use super::gif_frame::{self, Encoded, Input, Layout};
use super::gif_palette::{Palette, SamplePalette};
use super::gif_work::{GifWork, Pending};
use super::gif_writer::Writer;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, Size};
use crate::encode::SinkSpec;
use crate::render::sink::{FrameSink, FrameWork, Worked};

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
    fn to_gif(self) -> gif::Repeat {
        match self {
            GifRepeat::Forever => gif::Repeat::Infinite,
            // The NETSCAPE loop count is the number of extra plays; 0 (no extension)
            // plays once.
            GifRepeat::Times(n) => gif::Repeat::Finite(n.saturating_sub(1)),
        }
    }
}

/// GIF delays are whole hundredths of a second and we never write less than
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

/// The largest GIF frame, in pixels (4096 × 4096): no GIF viewer shows more, and
/// encoding holds several copies of a frame per worker.
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

/// How many frames the palette is chosen from, at most, and how much memory they
/// may take (they are kept for the render, not rendered twice).
const SAMPLE_FRAMES: u64 = 12;
const SAMPLE_BYTES: u64 = 96 << 20;

/// An animated GIF being encoded. Dropping it before [`FrameSink::finish`] removes the
/// temporary file; an existing target is untouched.
pub struct GifSink {
    writer: Option<Writer<std::io::BufWriter<std::fs::File>>>,
    tmp: Option<super::commit::TempOutput>,
    target: PathBuf,
    /// The GIF goes to standard output once complete, not to `target`.
    to_stdout: bool,
    spec: SinkSpec,
    layout: Layout,
    /// The palette of frames pushed one by one (chosen by the first that needs one).
    palette: Option<Arc<Palette>>,
    /// The palette of the sample, for frames worked on the render workers, if the
    /// sample had frames of many colours.
    sampled: Option<Arc<SamplePalette>>,
    /// The sample was seen: frames are worked on the render workers.
    sampled_done: bool,
    /// The shared palette is the global colour table, not written yet.
    palette_table_due: bool,
    /// The global colour table for exact frames, from the sample.
    global: Option<Arc<Global>>,
    /// The previous frame's picture, for frames that come through `push`.
    prev: Option<Input>,
}

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

    /// A GIF for standard output: encoded into an anonymous temporary file, copied to
    /// stdout in `finish` (nothing is written if the render fails).
    pub fn to_stdout(repeat: GifRepeat, spec: &SinkSpec) -> Result<GifSink, RenderError> {
        // Unnamed where possible, so that a killed render leaves nothing in /tmp either.
        let tmp = super::commit::TempOutput::beside(Path::new("stdout"), &std::env::temp_dir())?;
        GifSink::start(tmp, Path::new("stdout"), true, repeat, spec)
    }

    fn start(
        tmp: super::commit::TempOutput,
        target: &Path,
        to_stdout: bool,
        repeat: GifRepeat,
        spec: &SinkSpec,
    ) -> Result<GifSink, RenderError> {
        let file = tmp
            .as_file()
            .try_clone()
            .map_err(|e| RenderError(format!("cannot write {}: {e}", target.display())))?;
        let writer = Writer::new(
            std::io::BufWriter::new(file),
            spec.size.w,
            spec.size.h,
            spec.fps,
            spec.transparent,
            repeat.to_gif(),
        )
        .map_err(encoding_failed)?;
        Ok(GifSink {
            writer: Some(writer),
            tmp: Some(tmp),
            target: target.to_path_buf(),
            to_stdout,
            spec: spec.clone(),
            layout: Layout {
                w: spec.size.w as usize,
                h: spec.size.h as usize,
                transparent: spec.transparent,
                palette_global: false,
            },
            palette: None,
            sampled: None,
            sampled_done: false,
            palette_table_due: false,
            global: None,
            prev: None,
        })
    }

    fn write(&mut self, index: u64, encoded: Encoded) -> Result<(), RenderError> {
        let Some(w) = self.writer.as_mut() else {
            return Err(RenderError(
                "internal error: GIF frame after the end".into(),
            ));
        };
        // What fails here is writing (a full disk, `ulimit -f`): the message names the file.
        let target = &self.target;
        w.push(index, encoded)
            .map_err(|e| RenderError(format!("cannot write {}: {e}", target.display())))
    }

    /// The shared palette as the global colour table, with the transparent index after
    /// its colours.
    fn write_palette_table(&mut self) -> Result<(), RenderError> {
        let Some(sampled) = self.sampled.clone() else {
            return Ok(());
        };
        let palette = sampled.get().map_err(encoding_failed)?;
        let mut table: Vec<u8> = palette
            .colors()
            .iter()
            .flat_map(|c| [c.r, c.g, c.b])
            .collect();
        table.extend([0, 0, 0]);
        if let Some(w) = self.writer.as_mut() {
            w.set_global(table);
        }
        Ok(())
    }

    fn palette_from(&mut self, pictures: &[&[u8]]) -> Result<Arc<Palette>, RenderError> {
        let l = self.layout;
        let p = Arc::new(
            Palette::from_sample(pictures, l.w, l.h, self.spec.quality).map_err(encoding_failed)?,
        );
        self.palette = Some(p.clone());
        Ok(p)
    }
}

fn encoding_failed(e: String) -> RenderError {
    RenderError(format!("GIF encoding failed: {e}"))
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
        let input = Input::new(&frame, self.layout.transparent);
        drop(frame);
        // Without a sample (frames pushed one by one) the first frame that needs a
        // palette chooses it.
        if self.palette.is_none() && input.exact.is_none() {
            self.palette_from(&[&input.rgba])?;
        }
        let (palette, global) = (self.palette.as_deref(), self.global.as_deref());
        let encoded = gif_frame::encode(&self.layout, palette, global, &input, self.prev.as_ref())
            .map_err(encoding_failed)?;
        self.prev = Some(input);
        self.write(index, encoded)
    }

    fn sample_size(&self) -> usize {
        let bytes = self.spec.size.w as u64 * self.spec.size.h as u64 * 4;
        (SAMPLE_BYTES / bytes.max(1)).clamp(1, SAMPLE_FRAMES) as usize
    }

    fn sample(&mut self, frames: &[(u64, &Frame)]) -> Result<(), RenderError> {
        let l = self.layout;
        let inputs: Vec<Input> = frames
            .iter()
            .map(|(_, f)| Input::new(f, l.transparent))
            .collect();
        let needs_palette = inputs.iter().any(|i| i.exact.is_none());
        if let Some(g) = Global::from_frames(inputs.iter().filter_map(|i| i.exact.as_ref())) {
            if let Some(w) = self.writer.as_mut() {
                w.set_global(g.table());
            }
            self.global = Some(Arc::new(g));
        } else if needs_palette {
            // No exact frame in the sample: the global table is the shared palette,
            // written with the first frame (the palette is chosen while frames render).
            self.layout.palette_global = true;
            self.palette_table_due = true;
        }
        if needs_palette {
            let pictures = inputs.into_iter().map(|i| i.rgba).collect();
            let p = SamplePalette::new(pictures, l.w, l.h, self.spec.quality);
            self.sampled = Some(Arc::new(p));
        }
        self.sampled_done = true;
        Ok(())
    }

    fn work(&self) -> Option<Arc<dyn FrameWork>> {
        if !self.sampled_done {
            return None;
        }
        Some(Arc::new(GifWork::new(
            self.layout,
            self.sampled.clone(),
            self.spec.quality,
            self.global.clone(),
        )))
    }

    fn push_worked(&mut self, index: u64, worked: Worked) -> Result<(), RenderError> {
        if std::mem::take(&mut self.palette_table_due) {
            self.write_palette_table()?;
        }
        let worked = match worked.downcast::<Encoded>() {
            Ok(e) => return self.write(index, *e),
            Err(other) => other,
        };
        match worked.downcast::<Arc<Pending>>() {
            Ok(pending) => {
                let encoded = pending.wait()?;
                self.write(index, encoded)
            }
            Err(_) => Err(RenderError(format!(
                "internal error: GIF frame {index} was not encoded for GIF"
            ))),
        }
    }

    fn finish(mut self: Box<Self>) -> Result<(), RenderError> {
        let w = self
            .writer
            .take()
            .ok_or_else(|| RenderError("internal error: GIF finished twice".into()))?;
        let target = &self.target;
        let mut out = w
            .finish(self.spec.frames)
            .map_err(|e| RenderError(format!("cannot write {}: {e}", target.display())))?;
        out.flush()
            .map_err(|e| RenderError(format!("cannot write {}: {e}", self.target.display())))?;
        drop(out);
        let tmp = self
            .tmp
            .take()
            .expect("temporary file present until finish");
        if self.to_stdout {
            return super::stream::copy_to_stdout(tmp.as_file());
        }
        // A signal since the last frame: nothing goes in place (see `base::stop`).
        crate::base::stop::check()?;
        tmp.persist(&self.target)
            .map_err(|e| RenderError(format!("cannot write {}: {e}", self.target.display())))?;
        Ok(())
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
            options: Vec::new(),
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

    /// The GIF of three frames (white, a gradient, black) whose encodings the workers
    /// do in `order`; and whether frame 1 was left pending.
    fn worked_in(order: [u64; 3]) -> (Vec<u8>, bool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.gif");
        let mut s = spec(10.0, false);
        s.size = Size::new(24, 16);
        let frames = [
            filled(s.size, tiny_skia::Color::WHITE),
            gradient(),
            filled(s.size, tiny_skia::Color::BLACK),
        ];
        let mut sink = Box::new(GifSink::create(&path, GifRepeat::Forever, &s).unwrap());
        let sample: Vec<(u64, &Frame)> = frames
            .iter()
            .enumerate()
            .map(|(i, f)| (i as u64, f))
            .collect();
        sink.sample(&sample).unwrap();
        let work = sink.work().unwrap();
        let mut worked: Vec<Option<Worked>> = vec![None, None, None];
        for i in order {
            worked[i as usize] = Some(work.work(i, frames[i as usize].clone()).unwrap());
        }
        let pending = worked[1].as_ref().unwrap().is::<Arc<Pending>>();
        for (i, w) in worked.into_iter().enumerate() {
            sink.push_worked(i as u64, w.unwrap()).unwrap();
        }
        sink.finish().unwrap();
        (std::fs::read(&path).unwrap(), pending)
    }

    #[test]
    fn a_frame_worked_before_the_one_it_follows_is_encoded_by_that_one() {
        let (in_order, pending) = worked_in([0, 1, 2]);
        assert!(!pending);
        // Frame 1 rendered before frame 0: its encoding waits, and frame 0's worker
        // does it; the GIF is the same bytes.
        let (out_of_order, pending) = worked_in([1, 2, 0]);
        assert!(pending);
        assert_eq!(in_order, out_of_order);
        let (last_first, _) = worked_in([2, 1, 0]);
        assert_eq!(in_order, last_first);
    }

    #[test]
    fn a_pending_frame_is_interrupted_when_the_render_stops() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = spec(10.0, false);
        s.size = Size::new(24, 16);
        let mut sink = GifSink::create(&dir.path().join("s.gif"), GifRepeat::Forever, &s).unwrap();
        let f = gradient();
        sink.sample(&[(0, &f)]).unwrap();
        let work = sink.work().unwrap();
        let worked = work.work(2, f.clone()).unwrap();
        let pending = worked.downcast::<Arc<Pending>>().unwrap();
        work.stop();
        assert!(pending.wait().is_err());
        assert!(work.work(1, f).is_err());
    }

    #[test]
    fn many_colours_are_quantised_between_exact_frames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.gif");
        let mut s = spec(10.0, false);
        s.size = Size::new(24, 16);
        let mut sink = Box::new(GifSink::create(&path, GifRepeat::Forever, &s).unwrap());
        sink.push(0, filled(s.size, tiny_skia::Color::WHITE))
            .unwrap();
        sink.push(1, gradient()).unwrap();
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
