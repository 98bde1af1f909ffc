//! Frames read from a byte stream (a program's stdout, animate's stdin), back to back:
//! raw RGBA, raw RGB or PNG files. A thread reads and decodes ahead by a frame or two,
//! so that waiting for a silent program can be bounded and interrupted.

use std::io::{ErrorKind, Read};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};

use super::spec::Format;
use crate::base::frame::{premultiply, Frame, Size};

/// Frames decoded ahead of the one asked for.
pub const AHEAD: usize = 2;
/// How often a wait looks at the render's stop flag.
const POLL: Duration = Duration::from_millis(50);

/// Why a stream gave no frame.
#[derive(Debug)]
pub enum Gap {
    /// The stream ended cleanly before this frame.
    End,
    /// It ended inside the frame, after this many of its bytes.
    Truncated { got: usize, want: usize },
    /// What came is not a PNG, or a PNG that cannot be decoded, or of the wrong size.
    Bad(String),
    /// Reading failed.
    Io(String),
    /// Nothing came for the timeout.
    Silent(Duration),
    /// The program ended with a failure while a frame was awaited (something it
    /// started may still hold the stream open).
    Failed(std::process::ExitStatus),
    /// The render is being stopped.
    Stopped,
}

/// The reading side of a stream of frames.
pub struct FrameStream {
    frames: Receiver<Result<Frame, Gap>>,
    done: bool,
}

impl FrameStream {
    /// Starts reading `input` on a thread of its own.
    pub fn new(input: impl Read + Send + 'static, size: Size, format: Format) -> FrameStream {
        let (tx, frames) = crossbeam_channel::bounded(AHEAD);
        std::thread::spawn(move || {
            let mut input = input;
            loop {
                let item = read_frame(&mut input, size, format);
                let last = item.is_err();
                if tx.send(item).is_err() || last {
                    return;
                }
            }
        });
        FrameStream {
            frames,
            done: false,
        }
    }

    /// The next frame, waiting at most `timeout` for it and giving up with the gap
    /// `stop` gives (the render is stopped, the program failed). After a gap, every
    /// call gives [`Gap::End`].
    pub fn next(
        &mut self,
        timeout: Duration,
        stop: &mut dyn FnMut() -> Option<Gap>,
    ) -> Result<Frame, Gap> {
        if self.done {
            return Err(Gap::End);
        }
        let start = Instant::now();
        loop {
            // Frames already sent come first: a program that wrote what was needed
            // and then failed has still given them.
            let left = timeout.saturating_sub(start.elapsed());
            match self.frames.recv_timeout(left.min(POLL)) {
                Ok(item) => {
                    self.done = item.is_err();
                    return item;
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    self.done = true;
                    return Err(Gap::End);
                }
            }
            if let Some(gap) = stop() {
                self.done = !matches!(gap, Gap::Stopped);
                return Err(gap);
            }
            if start.elapsed() >= timeout {
                self.done = true;
                return Err(Gap::Silent(timeout));
            }
        }
    }
}

fn read_frame(input: &mut impl Read, size: Size, format: Format) -> Result<Frame, Gap> {
    match format {
        Format::Rgba => {
            // Read straight into the frame: no buffer of its own, no copy.
            let mut frame = crate::base::frame::blank(size);
            read_exact(input, frame.data_mut())?;
            premultiply(frame.data_mut());
            Ok(frame)
        }
        Format::Rgb => {
            let mut buf = vec![0u8; size.w as usize * size.h as usize * 3];
            read_exact(input, &mut buf)?;
            let mut frame = crate::base::frame::blank(size);
            for (d, s) in frame
                .data_mut()
                .chunks_exact_mut(4)
                .zip(buf.chunks_exact(3))
            {
                d.copy_from_slice(&[s[0], s[1], s[2], 255]);
            }
            Ok(frame)
        }
        Format::Png => {
            let bytes = read_png_bytes(input, size)?;
            super::picture::decode_png(&bytes, size).map_err(Gap::Bad)
        }
    }
}

/// Fills `buf`; a clean end before its first byte is [`Gap::End`].
fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> Result<(), Gap> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) if got == 0 => return Err(Gap::End),
            Ok(0) => {
                return Err(Gap::Truncated {
                    got,
                    want: buf.len(),
                })
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(Gap::Io(e.to_string())),
        }
    }
    Ok(())
}

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// One PNG file's bytes: the signature, then chunks up to `IEND`, refused as soon as
/// they would pass what a PNG of `size` may have
/// ([`super::picture::max_png_bytes`]).
fn read_png_bytes(input: &mut impl Read, size: Size) -> Result<Vec<u8>, Gap> {
    let limit = super::picture::max_png_bytes(size);
    let mut bytes = vec![0u8; 8];
    read_exact(input, &mut bytes)?;
    if bytes != SIGNATURE {
        return Err(Gap::Bad(format!(
            "it is not a PNG (it starts with {})",
            shown_bytes(&bytes)
        )));
    }
    loop {
        let at = bytes.len();
        bytes.resize(at + 8, 0);
        read_more(input, &mut bytes[at..])?;
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = [bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]];
        let total = bytes.len() as u64 + len as u64 + 4;
        if total > limit {
            return Err(Gap::Bad(format!(
                "its PNG would have {total} bytes or more ({} read, then a chunk of {len}): \
                 more than {}, the most {} may have",
                bytes.len(),
                crate::base::input::bytes_shown(limit),
                super::picture::max_png_what(size)
            )));
        }
        let at = bytes.len();
        bytes.resize(at + len + 4, 0);
        read_more(input, &mut bytes[at..])?;
        if &kind == b"IEND" {
            return Ok(bytes);
        }
    }
}

/// Like [`read_exact`] inside a PNG, where any end is a truncation.
fn read_more(input: &mut impl Read, buf: &mut [u8]) -> Result<(), Gap> {
    match read_exact(input, buf) {
        Err(Gap::End) => Err(Gap::Truncated {
            got: 0,
            want: buf.len(),
        }),
        other => other,
    }
}

fn shown_bytes(b: &[u8]) -> String {
    let hex: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("bytes {}", hex.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> Option<Gap> {
        None
    }

    #[test]
    fn reads_raw_frames_back_to_back_then_ends() {
        let size = Size::new(2, 1);
        let bytes: Vec<u8> = [[255, 0, 0, 255], [0, 0, 255, 128]].repeat(2).concat();
        let mut s = FrameStream::new(std::io::Cursor::new(bytes), size, Format::Rgba);
        let t = Duration::from_secs(5);
        let f = s.next(t, &mut never).unwrap();
        assert_eq!(&f.data()[..4], &[255, 0, 0, 255]);
        assert_eq!(&f.data()[4..], &[0, 0, 128, 128]);
        s.next(t, &mut never).unwrap();
        assert!(matches!(s.next(t, &mut never), Err(Gap::End)));
    }

    #[test]
    fn a_cut_frame_is_truncated() {
        let mut s = FrameStream::new(
            std::io::Cursor::new(vec![1u8; 7]),
            Size::new(2, 2),
            Format::Rgb,
        );
        let got = s.next(Duration::from_secs(5), &mut never);
        assert!(
            matches!(got, Err(Gap::Truncated { got: 7, want: 12 })),
            "{got:?}"
        );
    }

    #[test]
    fn something_else_is_not_a_png() {
        let mut s = FrameStream::new(
            std::io::Cursor::new(b"hello world".to_vec()),
            Size::new(2, 2),
            Format::Png,
        );
        match s.next(Duration::from_secs(5), &mut never) {
            Err(Gap::Bad(m)) => assert!(m.contains("not a PNG"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
