//! Decoded sound kept in an unnamed temporary file and read back with positioned
//! reads: random access for reverse, loops and speed, and memory that stays flat
//! however long the sound is.

use std::fs::File;
use std::io::Write;

use super::Sound;

/// Stereo `f32` sample frames on disk; frame 0 of the file is clip frame `first`.
pub struct PcmStore {
    file: File,
    first: i64,
    frames: i64,
}

/// Bytes of one stereo `f32` sample frame.
const FRAME_BYTES: usize = 8;

/// Appends sample frames to a new store.
pub struct PcmWriter {
    file: std::io::BufWriter<File>,
    frames: i64,
}

impl PcmWriter {
    pub fn new() -> Result<PcmWriter, String> {
        let file = tempfile::tempfile()
            .map_err(|e| format!("cannot create a temporary file for decoded sound: {e}"))?;
        Ok(PcmWriter {
            file: std::io::BufWriter::with_capacity(1 << 16, file),
            frames: 0,
        })
    }

    /// Frames written so far.
    pub fn frames(&self) -> i64 {
        self.frames
    }

    /// Appends interleaved stereo samples.
    pub fn write(&mut self, samples: &[f32]) -> Result<(), String> {
        let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        self.file
            .write_all(&bytes)
            .map_err(|e| format!("cannot write decoded sound to a temporary file: {e}"))?;
        self.frames += (samples.len() / 2) as i64;
        Ok(())
    }

    /// Appends `n` frames of silence.
    pub fn silence(&mut self, n: i64) -> Result<(), String> {
        let zeros = [0.0f32; 2048];
        let mut left = n.max(0) as usize * 2;
        while left > 0 {
            let k = left.min(zeros.len());
            self.write(&zeros[..k])?;
            left -= k;
        }
        Ok(())
    }

    /// The store, its frame 0 at clip frame `first`.
    pub fn finish(self, first: i64) -> Result<PcmStore, String> {
        let frames = self.frames;
        let file = self
            .file
            .into_inner()
            .map_err(|e| format!("cannot write decoded sound to a temporary file: {e}"))?;
        Ok(PcmStore {
            file,
            first,
            frames,
        })
    }
}

impl PcmStore {
    /// Frames stored.
    pub fn frames(&self) -> i64 {
        self.frames
    }

    /// The clip frame just after the last stored one.
    pub fn end(&self) -> i64 {
        self.first + self.frames
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

impl Sound for PcmStore {
    fn fill(&self, start: i64, out: &mut [f32]) -> Result<(), String> {
        out.fill(0.0);
        let end = start + (out.len() / 2) as i64;
        let lo = start.max(self.first);
        let hi = end.min(self.end());
        if lo >= hi {
            return Ok(());
        }
        let mut bytes = vec![0u8; (hi - lo) as usize * FRAME_BYTES];
        read_at(
            &self.file,
            &mut bytes,
            ((lo - self.first) as usize * FRAME_BYTES) as u64,
        )
        .map_err(|e| format!("cannot read decoded sound back from its temporary file: {e}"))?;
        let at = ((lo - start) * 2) as usize;
        for (d, b) in out[at..].iter_mut().zip(bytes.chunks_exact(4)) {
            *d = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_reads_back_any_span() {
        let mut w = PcmWriter::new().unwrap();
        w.silence(1).unwrap();
        w.write(&[1.0, -1.0, 2.0, -2.0]).unwrap();
        let s = w.finish(-1).unwrap();
        assert_eq!((s.frames(), s.end()), (3, 2));
        let mut out = [9.0; 8];
        s.fill(-2, &mut out).unwrap();
        assert_eq!(out, [0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 2.0, -2.0]);
        s.fill(1, &mut out).unwrap();
        assert_eq!(out, [2.0, -2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }
}
