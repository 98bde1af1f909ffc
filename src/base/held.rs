//! Results made once and in order, kept for a second use (reverse, loop, a clip used
//! twice): a stream's frames, a simulation's grids. The most recent stay in memory up to
//! a fixed budget, the others are spilled to an unnamed temporary file, so that a long
//! stream never sits in memory whole.

use std::collections::{HashMap, VecDeque};
use std::fs::File;

use crate::base::frame::{blank, Frame, Size};

/// What the cache holds: records of one length, as bytes.
pub trait Record: Clone {
    fn bytes(&self) -> &[u8];
    fn bytes_mut(&mut self) -> &mut [u8];
}

impl Record for Frame {
    fn bytes(&self) -> &[u8] {
        self.data()
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        self.data_mut()
    }
}

impl Record for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

/// Bytes of records one clip keeps in memory (see docs/programs.md).
pub const MEMORY_BUDGET: u64 = 64 << 20;
/// Frames kept in memory whatever their size, so that a frame and the next fit.
pub const MIN_FRAMES: usize = 2;
/// Frames kept in memory however small: the bookkeeping stays cheap.
const MAX_FRAMES: usize = 1024;
/// Free space a spill file leaves on its disk, at least, and at least this share of the
/// disk: a stream that never ends (a program writing for ever, `yes |` on stdin) stops
/// there, with an error, rather than filling the machine's disk.
pub const KEEP_FREE_BYTES: u64 = 2 << 30;
pub const KEEP_FREE_SHARE: f64 = 0.05;
/// The free space is looked at each time the spill file grows by this much.
const CHECK_EVERY: u64 = 128 << 20;

/// A stream's frames.
pub type FrameCache = HeldCache<Frame>;

pub struct HeldCache<T: Record> {
    /// Bytes of one record.
    record: u64,
    /// A record to fill when one is read back.
    blank: Box<dyn Fn() -> T + Send + Sync>,
    capacity: usize,
    memory: HashMap<u64, T>,
    /// Indices in memory, least recently used first.
    order: VecDeque<u64>,
    spill: Option<File>,
    /// Where each frame written to the spill file (every frame ever evicted) is in it, in
    /// records: one after another in the order they were spilled, so that the file is
    /// as long as what it holds whatever the indices (a simulation keeps a few frames a
    /// day into its run).
    spilled: HashMap<u64, u64>,
    /// The spill file's length when its disk's free space was last looked at.
    checked: u64,
}

impl FrameCache {
    pub fn new(size: Size) -> FrameCache {
        let frame = size.w as u64 * size.h as u64 * 4;
        HeldCache::with_record(frame, Box::new(move || blank(size)))
    }
}

impl HeldCache<Vec<u8>> {
    /// A cache of byte records of `record` bytes each.
    pub fn of_bytes(record: u64) -> HeldCache<Vec<u8>> {
        HeldCache::with_record(record, Box::new(move || vec![0u8; record as usize]))
    }
}

impl<T: Record> HeldCache<T> {
    fn with_record(record: u64, blank: Box<dyn Fn() -> T + Send + Sync>) -> HeldCache<T> {
        let capacity = ((MEMORY_BUDGET / record.max(1)) as usize).clamp(MIN_FRAMES, MAX_FRAMES);
        HeldCache {
            record,
            blank,
            capacity,
            memory: HashMap::new(),
            order: VecDeque::new(),
            spill: None,
            spilled: HashMap::new(),
            checked: 0,
        }
    }

    fn frame_bytes(&self) -> u64 {
        self.record
    }

    /// The record with index `i`, if it was kept.
    pub fn get(&mut self, i: u64) -> std::io::Result<Option<T>> {
        if let Some(f) = self.memory.get(&i) {
            let f = f.clone();
            self.touch(i);
            return Ok(Some(f));
        }
        let Some(&slot) = self.spilled.get(&i) else {
            return Ok(None);
        };
        // Read back, not brought into memory again: the file's pages are the kernel's
        // cache, and moving frames in and out would only churn the allocator.
        let mut frame = (self.blank)();
        let file = self.spill.as_ref().expect("a spilled frame has its file");
        read_at(file, frame.bytes_mut(), slot * self.frame_bytes())?;
        Ok(Some(frame))
    }

    /// Keeps record `i`, spilling the least recently used one when memory is full.
    pub fn insert(&mut self, i: u64, frame: T) -> std::io::Result<()> {
        if self.memory.insert(i, frame).is_some() {
            self.touch(i);
            return Ok(());
        }
        self.order.push_back(i);
        while self.order.len() > self.capacity {
            let old = self.order.pop_front().expect("not empty");
            let frame = self.memory.remove(&old).expect("kept");
            self.spill(old, &frame)?;
        }
        Ok(())
    }

    fn touch(&mut self, i: u64) {
        if let Some(at) = self.order.iter().position(|&x| x == i) {
            self.order.remove(at);
        }
        self.order.push_back(i);
    }

    fn spill(&mut self, i: u64, frame: &T) -> std::io::Result<()> {
        if self.spilled.contains_key(&i) {
            return Ok(());
        }
        let slot = self.spilled.len() as u64;
        if self.spill.is_none() {
            self.spill = Some(tempfile::tempfile()?);
        }
        let file = self.spill.as_ref().expect("just made");
        let end = (slot + 1) * self.frame_bytes();
        if end >= self.checked + CHECK_EVERY {
            if let Some((free, total)) = disk_space(file) {
                room_left(free, total, self.frame_bytes()).map_err(std::io::Error::other)?;
            }
            self.checked = end;
        }
        write_at(file, frame.bytes(), slot * self.frame_bytes())?;
        self.spilled.insert(i, slot);
        Ok(())
    }
}

/// Whether a disk with `free` of `total` bytes free may take `more` bytes of spilled
/// frames, or why not.
fn room_left(free: u64, total: u64, more: u64) -> Result<(), String> {
    let keep = KEEP_FREE_BYTES.max((total as f64 * KEEP_FREE_SHARE) as u64);
    if free >= keep.saturating_add(more) {
        return Ok(());
    }
    let gib = |b: u64| b as f64 / (1u64 << 30) as f64;
    Err(format!(
        "the disk of the temporary folder has {:.1} GiB free, and frames kept there leave at \
         least {:.1} GiB of it free (a stream without a `duration` whose program never ends, or \
         a simulation asked for a frame far on, would fill it): give the clip a `duration` \
         (or ask for an earlier time), or set TMPDIR to a folder on a larger disk",
        gib(free),
        gib(keep)
    ))
}

/// The free (for unprivileged users) and total bytes of the disk `file` is on.
#[cfg(unix)]
fn disk_space(file: &File) -> Option<(u64, u64)> {
    use std::os::fd::AsRawFd;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a valid out-parameter and the descriptor is open for the call.
    if unsafe { libc::fstatvfs(file.as_raw_fd(), &mut st) } != 0 {
        return None;
    }
    let unit = st.f_frsize as u64;
    Some((st.f_bavail as u64 * unit, st.f_blocks as u64 * unit))
}

#[cfg(not(unix))]
fn disk_space(_: &File) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(mut file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

#[cfg(not(unix))]
fn write_at(mut file: &File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_frames_leave_two_gib_or_five_percent_of_the_disk_free() {
        const G: u64 = 1 << 30;
        // A small disk keeps 2 GiB, a large one 5 %.
        assert!(room_left(3 * G, 10 * G, G).is_ok());
        assert!(room_left(3 * G, 10 * G, G + 1).is_err());
        assert!(room_left(60 * G, 1000 * G, 10 * G).is_ok());
        assert!(room_left(60 * G, 1000 * G, 10 * G + 1).is_err());
        let e = room_left(G, 10 * G, 1).unwrap_err();
        assert!(
            e.contains("1.0 GiB free") && e.contains("give the clip a `duration`"),
            "{e}"
        );
    }

    fn frame(size: Size, v: u8) -> Frame {
        let mut f = blank(size);
        f.data_mut().fill(v);
        f
    }

    #[test]
    fn keeps_recent_frames_in_memory_and_spills_the_rest() {
        // 4 MiB frames: 16 fit in the budget.
        let size = Size::new(1024, 1024);
        let mut cache = FrameCache::new(size);
        assert_eq!(cache.capacity, 16);
        for i in 0..40u64 {
            cache.insert(i, frame(size, i as u8)).unwrap();
        }
        assert_eq!(cache.memory.len(), 16);
        for i in (0..40u64).rev() {
            let f = cache.get(i).unwrap().expect("kept");
            assert!(f.data().iter().all(|&b| b == i as u8), "frame {i}");
        }
        assert!(cache.memory.len() <= 16);
        assert!(cache.get(40).unwrap().is_none());
    }

    #[test]
    fn the_spill_file_holds_far_apart_frames_one_after_another() {
        // 32 MiB records: 2 in memory. Indices a million apart spill to a file as long
        // as the records it holds, not to offsets a million records in.
        let mut cache = HeldCache::of_bytes(32 << 20);
        let far = [0u64, 1_000_000, 5, 9_000_000];
        for (n, &i) in far.iter().enumerate() {
            cache.insert(i, vec![n as u8 + 1; 32 << 20]).unwrap();
        }
        let len = cache.spill.as_ref().unwrap().metadata().unwrap().len();
        assert_eq!(len, 2 * (32 << 20), "two records spilled");
        for (n, &i) in far.iter().enumerate() {
            let r = cache.get(i).unwrap().expect("kept");
            assert!(r.iter().all(|&b| b == n as u8 + 1), "record {i}");
        }
        assert!(cache.get(6).unwrap().is_none());
    }
}
