//! The video encoder: premultiplied RGBA frames in, an MP4/MOV/MKV/WebM file out,
//! written under a temporary name beside the target and renamed in `finish`.
//!
//! Frame i has timestamp i and lasts one tick of a 1/fps time base, so the file's
//! duration is exactly frames / fps and the last frame keeps its length. A part of a
//! render (`--segment`) starts at timestamp 0 too, with a keyframe (every encode's
//! first frame is one); its place in the render is in the `comment` tag.

use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::audio::{AudioTrack, Coding};
use super::convert;
use super::settings::{fps_fraction, Container, EncoderPlan, Layout};
use super::yuv_work::{Yuv420, YuvWork};
use crate::audio::Sound;
use crate::av::{self, ff, ff::ffi, ScaleKey, Scaler};
use crate::base::error::RenderError;
use crate::base::frame::{Frame, Size};
use crate::encode::SinkSpec;
use crate::render::sink::{FrameSink, FrameWork, Worked};

/// A video file being written. Dropping it before `finish` removes the temporary
/// file and leaves an existing target alone.
pub struct VideoSink {
    // Field order is drop order: the muxer closes its file before the file is removed.
    output: ff::format::context::Output,
    encoder: ff::encoder::Video,
    picture: ff::frame::Video,
    scaler: Scaler,
    /// Straight-alpha and/or padded copy of a frame, when the frame itself won't do.
    staging: Vec<u8>,
    /// The conversion to 4:2:0 on the render workers, for opaque frames of the
    /// encoded size.
    yuv: Option<Arc<YuvWork>>,
    tmp: Option<crate::encode::commit::TempOutput>,
    target: PathBuf,
    plan: EncoderPlan,
    frame_size: Size,
    encoder_tb: ff::Rational,
    stream_tb: ff::Rational,
    pushed: u64,
    /// The sound stream, when the scene has sound and it is kept.
    audio: Option<AudioTrack>,
    fps: f64,
    first: u64,
}

/// Encoder threads for a part of a render (`--frames`, `--segment`).
pub const PART_ENCODER_THREADS: usize = 4;

fn fail(target: &Path, what: &str, e: ff::Error) -> RenderError {
    RenderError(format!(
        "cannot write {}: {what}: {}",
        target.display(),
        av::reason(e)
    ))
}

impl VideoSink {
    pub fn create(
        target: &Path,
        container: Container,
        plan: EncoderPlan,
        spec: &SinkSpec,
        sound: Option<Arc<dyn Sound>>,
    ) -> Result<VideoSink, RenderError> {
        av::init().map_err(RenderError)?;
        let dir = crate::encode::output::parent_dir(target)?;
        let tmp = crate::encode::output::temp_file_beside(target, &dir)?;
        let codec = ff::encoder::find_by_name(plan.encoder).ok_or_else(|| {
            RenderError(format!(
                "cannot write {}: this FFmpeg has no {} encoder (install an FFmpeg built with it)",
                target.display(),
                plan.encoder
            ))
        })?;
        let mut output = ff::format::output_as(&tmp.path(), container.muxer())
            .map_err(|e| fail(target, "cannot create the file", e))?;
        // No random identifiers (Matroska's segment UID) or library versions in the
        // file: the same frames and settings give the same bytes.
        unsafe { (*output.as_mut_ptr()).flags |= ffi::AVFMT_FLAG_BITEXACT };
        let global_header = output
            .format()
            .flags()
            .contains(ff::format::Flags::GLOBAL_HEADER);

        let (num, den) = fps_fraction(spec.fps);
        let encoder_tb = ff::Rational::new(den, num);
        let mut ctx = ff::codec::Context::new_with_codec(codec);
        // The encoders' automatic thread count follows the machine's cores, and their
        // output follows their thread count: parts of a render get a fixed count so a
        // segment is the same whichever node renders it.
        ctx.set_threading(ff::threading::Config {
            kind: ff::threading::Type::Frame,
            count: if spec.is_whole() {
                0
            } else {
                PART_ENCODER_THREADS
            },
            ..Default::default()
        });
        let mut enc = ctx
            .encoder()
            .video()
            .map_err(|e| fail(target, "cannot set up the encoder", e))?;
        enc.set_width(plan.size.w);
        enc.set_height(plan.size.h);
        enc.set_format(pixel(plan.layout));
        enc.set_time_base(encoder_tb);
        enc.set_frame_rate(Some(ff::Rational::new(num, den)));
        enc.set_colorspace(ff::color::Space::BT709);
        enc.set_color_range(ff::color::Range::MPEG);
        unsafe {
            let raw = enc.as_mut_ptr();
            (*raw).color_primaries = ffi::AVColorPrimaries::AVCOL_PRI_BT709;
            (*raw).color_trc = ffi::AVColorTransferCharacteristic::AVCOL_TRC_BT709;
        }
        if let Some(b) = plan.bit_rate {
            enc.set_bit_rate(b as usize);
        }
        if global_header {
            enc.set_flags(ff::codec::Flags::GLOBAL_HEADER);
        }
        let mut options = ff::Dictionary::new();
        for (k, v) in &plan.options {
            options.set(k, v);
        }
        let encoder = enc
            .open_with(options)
            .map_err(|e| fail(target, &format!("cannot start {}", plan.encoder), e))?;

        {
            let mut stream = output
                .add_stream(codec)
                .map_err(|e| fail(target, "cannot add the video stream", e))?;
            stream.set_parameters(&encoder);
            stream.set_time_base(encoder_tb);
            stream.set_avg_frame_rate(ff::Rational::new(num, den));
            stream.set_rate(ff::Rational::new(num, den));
        }
        let start = spec.first as f64 / spec.fps;
        // A part's sound is for `join`, which encodes the whole render's sound once.
        let coding = if spec.is_whole() {
            Coding::Final
        } else {
            Coding::Part
        };
        let mut audio = sound
            .map(|s| AudioTrack::add(&mut output, container, s, start, coding, target))
            .transpose()?;
        // Where this file sits in its render, for `animate join` (all four muxers keep
        // the `comment` tag).
        let mut tags = ff::Dictionary::new();
        tags.set(
            "comment",
            &spec.stamp().with_options(&plan.flags).to_string(),
        );
        output.set_metadata(tags);
        let mut header = ff::Dictionary::new();
        if container.faststart() {
            header.set("movflags", "+faststart");
        }
        output
            .write_header_with(header)
            .map_err(|e| fail(target, "cannot write the header", e))?;
        let stream_tb = output.stream(0).expect("stream added").time_base();
        if let Some(a) = &mut audio {
            a.header_written(&output);
        }
        let mut picture = ff::frame::Video::new(pixel(plan.layout), plan.size.w, plan.size.h);
        // Some encoders (ProRes) take the colour description from each frame.
        unsafe {
            let raw = picture.as_mut_ptr();
            (*raw).colorspace = ffi::AVColorSpace::AVCOL_SPC_BT709;
            (*raw).color_primaries = ffi::AVColorPrimaries::AVCOL_PRI_BT709;
            (*raw).color_trc = ffi::AVColorTransferCharacteristic::AVCOL_TRC_BT709;
            (*raw).color_range = ffi::AVColorRange::AVCOL_RANGE_MPEG;
        }
        let yuv = (plan.layout == Layout::Yuv420 && plan.size == spec.size)
            .then(|| Arc::new(YuvWork::new(plan.size)));
        Ok(VideoSink {
            output,
            encoder,
            picture,
            scaler: Scaler::new(),
            staging: Vec::new(),
            yuv,
            tmp: Some(tmp),
            target: target.to_path_buf(),
            plan,
            frame_size: spec.size,
            encoder_tb,
            stream_tb,
            pushed: 0,
            audio,
            fps: spec.fps,
            first: spec.first,
        })
    }

    /// Fills the encoder's picture from a frame: straight alpha where kept, padding to
    /// the encoded size, then one libswscale pass to the encoder's layout.
    fn fill(&mut self, frame: &Frame) -> Result<(), RenderError> {
        let (fw, fh) = (self.frame_size.w as usize, self.frame_size.h as usize);
        let out = self.plan.size;
        let alpha = self.plan.layout.has_alpha();
        let padded = out != self.frame_size;
        let src: &[u8] = if alpha || padded {
            let (ow, oh) = (out.w as usize, out.h as usize);
            self.staging.resize(ow * oh * 4, 0);
            let data = frame.data();
            for y in 0..oh {
                let sy = y.min(fh - 1);
                let row = &data[sy * fw * 4..(sy + 1) * fw * 4];
                let dst = &mut self.staging[y * ow * 4..(y + 1) * ow * 4];
                dst[..fw * 4].copy_from_slice(row);
                for x in fw..ow {
                    dst.copy_within((fw - 1) * 4..fw * 4, x * 4);
                }
            }
            if alpha {
                crate::base::frame::unpremultiply(&mut self.staging);
            }
            &self.staging
        } else {
            frame.data()
        };
        unsafe {
            if ffi::av_frame_make_writable(self.picture.as_mut_ptr()) < 0 {
                return Err(RenderError("out of memory for a video frame".into()));
            }
        }
        if self.plan.layout == Layout::Yuv420 {
            let (w, h) = (out.w as usize, out.h as usize);
            let raw = unsafe { &*self.picture.as_ptr() };
            // SAFETY: the picture is writable (made so above) and owns three separate
            // planes of at least `rows * linesize` bytes; the slices live only here.
            let plane = |i: usize, rows: usize| convert::Plane {
                data: unsafe {
                    std::slice::from_raw_parts_mut(raw.data[i], raw.linesize[i] as usize * rows)
                },
                stride: raw.linesize[i] as usize,
            };
            convert::rgba_to_yuv420(src, w, h, plane(0, h), plane(1, h / 2), plane(2, h / 2));
            return Ok(());
        }
        self.scaler
            .prepare(
                ScaleKey {
                    src: (out.w, out.h, ffi::AVPixelFormat::AV_PIX_FMT_RGBA),
                    dst: (out.w, out.h, pixel(self.plan.layout).into()),
                    matrix: ffi::AVColorSpace::AVCOL_SPC_BT709 as i32,
                    full_range: false,
                },
                false,
            )
            .map_err(RenderError)?;
        let raw = unsafe { &*self.picture.as_ptr() };
        let dst = [0, 1, 2, 3].map(|i| raw.data[i]);
        let dst_stride = [0, 1, 2, 3].map(|i| raw.linesize[i]);
        let planes = [
            src.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
        ];
        let stride = [out.w as i32 * 4, 0, 0, 0];
        unsafe { self.scaler.run(&planes, &stride, &dst, &dst_stride) };
        Ok(())
    }

    /// Fills the encoder's picture with planes converted on a render worker.
    fn fill_yuv(&mut self, yuv: &Yuv420) -> Result<(), RenderError> {
        unsafe {
            if ffi::av_frame_make_writable(self.picture.as_mut_ptr()) < 0 {
                return Err(RenderError("out of memory for a video frame".into()));
            }
        }
        let raw = unsafe { &*self.picture.as_ptr() };
        for (i, (plane, width)) in yuv.planes(self.plan.size).into_iter().enumerate() {
            let (rows, stride) = (plane.len() / width, raw.linesize[i] as usize);
            // SAFETY: the picture is writable (made so above) and owns three separate
            // YUV 4:2:0 planes of the encoded size, of at least `rows * linesize` bytes.
            let dst = unsafe { std::slice::from_raw_parts_mut(raw.data[i], stride * rows) };
            for (src, dst) in plane.chunks_exact(width).zip(dst.chunks_mut(stride)) {
                dst[..width].copy_from_slice(src);
            }
        }
        Ok(())
    }

    /// Sends the picture, as frame `index`, to the encoder and writes what comes out.
    fn send(&mut self, index: u64) -> Result<(), RenderError> {
        self.picture.set_pts(Some(index as i64));
        self.encoder
            .send_frame(&self.picture)
            .map_err(|e| fail(&self.target, "encoding failed", e))?;
        self.pushed += 1;
        self.drain()?;
        let until = (self.first + self.pushed) as f64 / self.fps;
        if let Some(a) = &mut self.audio {
            a.encode_until(until, &mut self.output)?;
        }
        Ok(())
    }

    /// Moves every packet the encoder has ready into the file.
    fn drain(&mut self) -> Result<(), RenderError> {
        let mut packet = ff::Packet::empty();
        loop {
            match self.encoder.receive_packet(&mut packet) {
                Ok(()) => {}
                Err(ff::Error::Eof) => return Ok(()),
                Err(ff::Error::Other { errno }) if errno == ff::util::error::EAGAIN => {
                    return Ok(())
                }
                Err(e) => return Err(fail(&self.target, "encoding failed", e)),
            }
            // Constant frame rate: every frame lasts one tick, the last one included.
            packet.set_duration(1);
            packet.set_stream(0);
            packet.rescale_ts(self.encoder_tb, self.stream_tb);
            packet
                .write_interleaved(&mut self.output)
                .map_err(|e| fail(&self.target, "writing failed", e))?;
        }
    }
}

fn pixel(layout: Layout) -> ff::format::Pixel {
    match layout {
        Layout::Yuv420 => ff::format::Pixel::YUV420P,
        Layout::Yuva420 => ff::format::Pixel::YUVA420P,
        Layout::Yuv444P10 => ff::format::Pixel::YUV444P10LE,
        Layout::Yuva444P10 => ff::format::Pixel::YUVA444P10LE,
    }
}

impl FrameSink for VideoSink {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError> {
        let expected = self.frame_size;
        if (frame.width(), frame.height()) != (expected.w, expected.h) {
            return Err(RenderError(format!(
                "internal error: frame {index} is {}x{}, expected {expected}",
                frame.width(),
                frame.height()
            )));
        }
        self.fill(&frame)?;
        drop(frame);
        self.send(index)
    }

    fn work(&self) -> Option<Arc<dyn FrameWork>> {
        self.yuv.clone().map(|w| w as Arc<dyn FrameWork>)
    }

    fn push_worked(&mut self, index: u64, worked: Worked) -> Result<(), RenderError> {
        let yuv = worked.downcast::<Yuv420>().map_err(|_| {
            RenderError(format!(
                "internal error: frame {index} was not worked into 4:2:0"
            ))
        })?;
        self.fill_yuv(&yuv)?;
        if let Some(w) = &self.yuv {
            w.recycle(*yuv);
        }
        self.send(index)
    }

    fn finish(mut self: Box<Self>) -> Result<(), RenderError> {
        self.encoder
            .send_eof()
            .map_err(|e| fail(&self.target, "encoding failed", e))?;
        self.drain()?;
        let end = (self.first + self.pushed) as f64 / self.fps;
        if let Some(a) = &mut self.audio {
            a.finish(end, &mut self.output)?;
        }
        self.output
            .write_trailer()
            .map_err(|e| fail(&self.target, "cannot finish the file", e))?;
        // A signal during the flush or the sound's end stops the render here: the
        // frame loop saw none, and nothing is in place yet.
        crate::base::stop::check()?;
        let tmp = self
            .tmp
            .take()
            .expect("temporary file present until finish");
        let target = self.target.clone();
        // Closes the muxer's file before the rename.
        drop(self);
        tmp.persist(&target)
            .map_err(|e| RenderError(format!("cannot write {}: {e}", target.display())))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_sink_keeps_existing_target_and_leaves_nothing() {
        use super::super::settings::VideoSettings;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keep.webm");
        std::fs::write(&path, b"previous").unwrap();
        let size = Size::new(16, 16);
        let spec = SinkSpec {
            size,
            fps: 10.0,
            frames: 3,
            first: 0,
            total: 3,
            quality: 90,
            transparent: false,
            render_id: None,
            options: Vec::new(),
        };
        let plan =
            EncoderPlan::new(Container::Webm, &VideoSettings::default(), size, false).unwrap();
        let mut sink =
            Box::new(VideoSink::create(&path, Container::Webm, plan, &spec, None).unwrap());
        let frame = crate::base::frame::filled(size, tiny_skia::Color::from_rgba8(9, 9, 9, 255));
        sink.push(0, frame).unwrap();
        // The temporary file has no name on Linux (O_TMPFILE), one elsewhere.
        assert!(
            std::fs::read_dir(dir.path()).unwrap().count() <= 2,
            "at most a temporary file beside it"
        );
        drop(sink);
        assert_eq!(std::fs::read(&path).unwrap(), b"previous");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file removed"
        );
    }
}
