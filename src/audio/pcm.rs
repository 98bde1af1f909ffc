//! Decoded sound kept in an unnamed temporary file and read back with positioned
//! reads: random access for reverse, loops and speed, and memory that stays flat
//! however long the sound is.

use std::fs::File;
use std::sync::{Arc, Mutex, Weak};

use super::Sound;

/// Bytes of one stereo `f32` sample frame.
const FRAME_BYTES: usize = 8;

/// Bytes of sound written to the shared file at once: 1 MiB, 5.5 s at 48 kHz.
const CHUNK: usize = 1 << 20;

/// The one unnamed temporary file every store of the process keeps its sound in, each
/// in chunks of its own: a scene of a thousand sounds holds one descriptor, not a
/// thousand (`ulimit -n`). It goes away with the last store.
struct Shared {
    file: File,
    /// Where the next chunk goes.
    end: Mutex<u64>,
}

static SHARED: Mutex<Weak<Shared>> = Mutex::new(Weak::new());

fn shared() -> Result<Arc<Shared>, String> {
    let mut slot = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = slot.upgrade() {
        return Ok(s);
    }
    let file = tempfile::tempfile().map_err(|e| {
        format!(
            "cannot create a temporary file for decoded sound: {}",
            crate::base::input::describe(&e)
        )
    })?;
    let s = Arc::new(Shared {
        file,
        end: Mutex::new(0),
    });
    *slot = Arc::downgrade(&s);
    Ok(s)
}

impl Shared {
    /// Writes one chunk (at most [`CHUNK`] bytes) and returns where it went.
    fn put(&self, bytes: &[u8]) -> Result<u64, String> {
        let at = {
            let mut end = self.end.lock().unwrap_or_else(|p| p.into_inner());
            let at = *end;
            *end += CHUNK as u64;
            at
        };
        write_at(&self.file, bytes, at)
            .map_err(|e| format!("cannot write decoded sound to a temporary file: {e}"))?;
        Ok(at)
    }
}

/// Stereo `f32` sample frames on disk; frame 0 of the store is clip frame `first`.
pub struct PcmStore {
    shared: Arc<Shared>,
    /// Where each chunk of the sound is in the shared file, in order.
    chunks: Vec<u64>,
    first: i64,
    frames: i64,
}

/// Appends sample frames to a new store.
pub struct PcmWriter {
    shared: Arc<Shared>,
    chunks: Vec<u64>,
    /// Bytes not written yet (less than a chunk).
    pending: Vec<u8>,
    frames: i64,
}

impl PcmWriter {
    pub fn new() -> Result<PcmWriter, String> {
        Ok(PcmWriter {
            shared: shared()?,
            chunks: Vec::new(),
            pending: Vec::with_capacity(CHUNK),
            frames: 0,
        })
    }

    /// Frames written so far.
    pub fn frames(&self) -> i64 {
        self.frames
    }

    /// Appends interleaved stereo samples.
    pub fn write(&mut self, samples: &[f32]) -> Result<(), String> {
        for s in samples {
            self.pending.extend_from_slice(&s.to_le_bytes());
            if self.pending.len() == CHUNK {
                self.flush()?;
            }
        }
        self.frames += (samples.len() / 2) as i64;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        if !self.pending.is_empty() {
            let at = self.shared.put(&self.pending)?;
            self.chunks.push(at);
            self.pending.clear();
        }
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
    pub fn finish(mut self, first: i64) -> Result<PcmStore, String> {
        self.flush()?;
        Ok(PcmStore {
            shared: self.shared.clone(),
            chunks: std::mem::take(&mut self.chunks),
            first,
            frames: self.frames,
        })
    }
}

impl Drop for PcmWriter {
    fn drop(&mut self) {
        free(&self.shared.file, &self.chunks);
    }
}

impl Drop for PcmStore {
    fn drop(&mut self) {
        free(&self.shared.file, &self.chunks);
    }
}

/// Gives the disk space of `chunks` back while other sounds still use the file.
fn free(file: &File, chunks: &[u64]) {
    #[cfg(target_os = "linux")]
    for &at in chunks {
        use std::os::fd::AsRawFd;
        // SAFETY: fallocate on a descriptor the file owns; a failure only leaves the
        // space in use until the file goes.
        unsafe {
            libc::fallocate(
                file.as_raw_fd(),
                libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                at as libc::off_t,
                CHUNK as libc::off_t,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, chunks);
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

    /// Fills `buf` with the store's bytes from byte `offset` on, chunk by chunk.
    fn read(&self, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
        while !buf.is_empty() {
            let chunk = (offset / CHUNK as u64) as usize;
            let within = offset % CHUNK as u64;
            let n = buf.len().min(CHUNK - within as usize);
            let at = *self
                .chunks
                .get(chunk)
                .ok_or(std::io::ErrorKind::UnexpectedEof)?;
            read_at(&self.shared.file, &mut buf[..n], at + within)?;
            buf = &mut buf[n..];
            offset += n as u64;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = file.seek_write(buf, offset)?;
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
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
        self.read(
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

    #[test]
    fn stores_share_one_file_and_read_across_chunks() {
        let n = CHUNK / FRAME_BYTES + 10;
        let ramp = |k: f32| -> Vec<f32> { (0..2 * n).map(|i| k + i as f32).collect() };
        let (mut a, mut b) = (PcmWriter::new().unwrap(), PcmWriter::new().unwrap());
        // Interleaved, so that their chunks alternate in the shared file.
        let (ra, rb) = (ramp(0.0), ramp(0.5));
        for (ca, cb) in ra.chunks(1000).zip(rb.chunks(1000)) {
            a.write(ca).unwrap();
            b.write(cb).unwrap();
        }
        let (a, b) = (a.finish(0).unwrap(), b.finish(0).unwrap());
        assert!(Arc::ptr_eq(&a.shared, &b.shared));
        assert_eq!(a.chunks.len(), 2);
        let mut out = vec![0.0; 40];
        let at = (CHUNK / FRAME_BYTES) as i64 - 10;
        a.fill(at, &mut out).unwrap();
        assert_eq!(out, ra[2 * at as usize..2 * at as usize + 40]);
        b.fill(at, &mut out).unwrap();
        assert_eq!(out, rb[2 * at as usize..2 * at as usize + 40]);
    }
}
