//! Frames of a stream kept for a second use (reverse, loop, a clip used twice): the
//! most recent in memory up to a fixed budget, the others spilled to an unnamed
//! temporary file, so that a long stream never sits in memory whole.

use std::collections::{HashMap, VecDeque};
use std::fs::File;

use crate::base::frame::{blank, Frame, Size};

/// Bytes of decoded frames one stream clip keeps in memory (see docs/programs.md).
pub const MEMORY_BUDGET: u64 = 64 << 20;
/// Frames kept in memory whatever their size, so that a frame and the next fit.
pub const MIN_FRAMES: usize = 2;
/// Frames kept in memory however small: the bookkeeping stays cheap.
const MAX_FRAMES: usize = 1024;

pub struct FrameCache {
    size: Size,
    capacity: usize,
    memory: HashMap<u64, Frame>,
    /// Indices in memory, least recently used first.
    order: VecDeque<u64>,
    spill: Option<File>,
    /// Frames written to the spill file (every frame ever evicted).
    spilled: Vec<bool>,
}

impl FrameCache {
    pub fn new(size: Size) -> FrameCache {
        let frame = size.w as u64 * size.h as u64 * 4;
        let capacity = ((MEMORY_BUDGET / frame.max(1)) as usize).clamp(MIN_FRAMES, MAX_FRAMES);
        FrameCache {
            size,
            capacity,
            memory: HashMap::new(),
            order: VecDeque::new(),
            spill: None,
            spilled: Vec::new(),
        }
    }

    fn frame_bytes(&self) -> u64 {
        self.size.w as u64 * self.size.h as u64 * 4
    }

    /// The frame with index `i`, if it was kept.
    pub fn get(&mut self, i: u64) -> std::io::Result<Option<Frame>> {
        if let Some(f) = self.memory.get(&i) {
            let f = f.clone();
            self.touch(i);
            return Ok(Some(f));
        }
        if !self.spilled.get(i as usize).copied().unwrap_or(false) {
            return Ok(None);
        }
        // Read back, not brought into memory again: the file's pages are the kernel's
        // cache, and moving frames in and out would only churn the allocator.
        let mut frame = blank(self.size);
        let file = self.spill.as_ref().expect("a spilled frame has its file");
        read_at(file, frame.data_mut(), i * self.frame_bytes())?;
        Ok(Some(frame))
    }

    /// Keeps frame `i`, spilling the least recently used frame when memory is full.
    pub fn insert(&mut self, i: u64, frame: Frame) -> std::io::Result<()> {
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

    fn spill(&mut self, i: u64, frame: &Frame) -> std::io::Result<()> {
        let at = i as usize;
        if self.spilled.get(at).copied().unwrap_or(false) {
            return Ok(());
        }
        if self.spill.is_none() {
            self.spill = Some(tempfile::tempfile()?);
        }
        let file = self.spill.as_ref().expect("just made");
        write_at(file, frame.data(), i * self.frame_bytes())?;
        if self.spilled.len() <= at {
            self.spilled.resize(at + 1, false);
        }
        self.spilled[at] = true;
        Ok(())
    }
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
}
