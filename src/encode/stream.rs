//! Output to standard output (`-o - --format gif|png`), for pipes: a GIF once it is
//! complete, or PNG files one after another as frames are rendered (what
//! `ffmpeg -f image2pipe` reads). Nothing else is ever written to stdout.

use std::io::{Read, Seek, Write};

use super::stamp::Stamp;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, Size};
use crate::encode::SinkSpec;
use crate::render::sink::FrameSink;

/// What `-o -` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFormat {
    Gif,
    Png,
}

impl StreamFormat {
    pub fn parse(s: &str) -> Result<StreamFormat, String> {
        match s.to_ascii_lowercase().as_str() {
            "gif" => Ok(StreamFormat::Gif),
            "png" => Ok(StreamFormat::Png),
            v if super::output::VIDEO_EXTENSIONS.contains(&v) => Err(format!(
                "video cannot be written to stdout (`{s}`: the container needs a seekable file): \
                 write it to a file, e.g. -o out.{v}"
            )),
            _ => Err(format!("unknown format `{s}`: stdout takes gif or png")),
        }
    }
}

fn stdout_error(e: std::io::Error) -> RenderError {
    RenderError(format!("cannot write to stdout: {e}"))
}

/// Copies a finished file to stdout from its start.
pub(crate) fn copy_to_stdout(file: &std::fs::File) -> Result<(), RenderError> {
    let mut file = file;
    file.rewind().map_err(stdout_error)?;
    let mut out = std::io::stdout().lock();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(stdout_error)?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n]).map_err(stdout_error)?;
    }
    out.flush().map_err(stdout_error)
}

/// PNG files written to stdout back to back, each as soon as its frame is rendered.
pub struct PngStreamSink {
    out: std::io::BufWriter<std::io::Stdout>,
    size: Size,
    stamp: Stamp,
}

impl PngStreamSink {
    pub fn new(spec: &SinkSpec) -> PngStreamSink {
        PngStreamSink {
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            size: spec.size,
            stamp: spec.stamp(),
        }
    }
}

impl FrameSink for PngStreamSink {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError> {
        let absolute = self.stamp.first + index;
        super::png::check_size(absolute, &frame, self.size)?;
        super::png::encode_png(&frame, &mut self.out, Some(&self.stamp.frame(absolute)))
            .map_err(|e| RenderError(format!("cannot write frame {absolute} to stdout: {e}")))
    }

    fn finish(mut self: Box<Self>) -> Result<(), RenderError> {
        self.out.flush().map_err(stdout_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(StreamFormat::parse("GIF"), Ok(StreamFormat::Gif));
        assert_eq!(StreamFormat::parse("png"), Ok(StreamFormat::Png));
        assert!(StreamFormat::parse("mp4").unwrap_err().contains("seekable"));
        assert!(StreamFormat::parse("bmp")
            .unwrap_err()
            .contains("gif or png"));
    }
}
