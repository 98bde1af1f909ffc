//! Buffers of many megabytes that the kernel may back with huge pages.
//!
//! A 3-D frame's sample buffer is `antialias²` times the frame (6.6 MB for
//! `scenes/ripple.toml`), and every render worker faults its own in the first time it
//! draws: 4 KiB at a time, that is 1 600 page faults and a first frame half again as
//! dear as the next, paid once per worker. On Linux a buffer aligned to 2 MiB and marked
//! `MADV_HUGEPAGE` is faulted in 2 MiB at a time where the system allows it
//! (transparent huge pages set to `always` or `madvise`); elsewhere it is an ordinary
//! allocation. docs/architecture.md has the measurement.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::ptr::NonNull;

/// Huge-page size (x86-64 and aarch64 with 4 KiB pages); buffers at least this large
/// are aligned to it and rounded up to a multiple of it.
const HUGE: usize = 2 << 20;

/// A growable buffer of `T`, filled whole on each [`BigBuffer::fill`], its allocation
/// kept across fills.
pub struct BigBuffer<T: Copy> {
    ptr: NonNull<T>,
    len: usize,
    /// The allocation, when there is one; its size in `T`s is the capacity.
    layout: Option<Layout>,
}

// SAFETY: the buffer owns its elements as a `Vec` would.
unsafe impl<T: Copy + Send> Send for BigBuffer<T> {}
unsafe impl<T: Copy + Sync> Sync for BigBuffer<T> {}

impl<T: Copy> Default for BigBuffer<T> {
    fn default() -> Self {
        BigBuffer::new()
    }
}

impl<T: Copy> BigBuffer<T> {
    const ELEMENT: usize = {
        assert!(std::mem::size_of::<T>() > 0, "no zero-sized elements");
        std::mem::size_of::<T>()
    };

    pub const fn new() -> Self {
        BigBuffer {
            ptr: NonNull::dangling(),
            len: 0,
            layout: None,
        }
    }

    /// How many elements fit without a new allocation.
    pub fn capacity(&self) -> usize {
        self.layout.map_or(0, |l| l.size() / Self::ELEMENT)
    }

    /// Makes the buffer `n` elements long, each one `value`, allocating only when `n`
    /// exceeds the capacity. Panics, as `Vec` does, if `n` elements overflow `isize`.
    pub fn fill(&mut self, n: usize, value: T) {
        if n > self.capacity() {
            self.allocate(n);
        }
        // SAFETY: the allocation holds at least `n` elements; every one is written
        // before the slice is seen.
        unsafe {
            let p = self.ptr.as_ptr();
            for i in 0..n {
                p.add(i).write(value);
            }
        }
        self.len = n;
    }

    fn allocate(&mut self, n: usize) {
        self.release();
        let bytes = n
            .checked_mul(Self::ELEMENT)
            .filter(|&b| b <= isize::MAX as usize - HUGE)
            .expect("buffer size overflows");
        let layout = if bytes >= HUGE {
            Layout::from_size_align(bytes.next_multiple_of(HUGE), HUGE)
        } else {
            Layout::array::<T>(n)
        }
        .expect("buffer size overflows");
        // SAFETY: the layout's size is not zero (n > capacity >= 0, elements sized).
        let p = unsafe { alloc(layout) };
        let Some(ptr) = NonNull::new(p.cast::<T>()) else {
            handle_alloc_error(layout)
        };
        #[cfg(target_os = "linux")]
        if layout.align() == HUGE {
            // Advice only: where huge pages are off, nothing changes.
            // SAFETY: the range is the allocation just made, page-aligned.
            unsafe { libc::madvise(p.cast(), layout.size(), libc::MADV_HUGEPAGE) };
        }
        self.ptr = ptr;
        self.layout = Some(layout);
    }

    fn release(&mut self) {
        if let Some(layout) = self.layout.take() {
            // SAFETY: allocated in `allocate` with this layout.
            unsafe { dealloc(self.ptr.as_ptr().cast(), layout) };
        }
        self.ptr = NonNull::dangling();
        self.len = 0;
    }
}

impl<T: Copy> Drop for BigBuffer<T> {
    fn drop(&mut self) {
        self.release();
    }
}

impl<T: Copy> std::ops::Deref for BigBuffer<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `len` elements are initialised (or `len` is 0 and the pointer dangling
        // but aligned).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Copy> std::ops::DerefMut for BigBuffer<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as for `deref`, and `&mut self` is unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_grow_and_shrink_without_losing_the_allocation() {
        let mut b = BigBuffer::<u64>::new();
        assert!(b.is_empty() && b.capacity() == 0);
        b.fill(3, 7);
        assert_eq!(&b[..], &[7, 7, 7]);
        b[1] = 9;
        assert_eq!(&b[..], &[7, 9, 7]);
        let cap = b.capacity();
        b.fill(2, 1);
        assert_eq!(&b[..], &[1, 1]);
        assert_eq!(b.capacity(), cap, "a smaller fill keeps the allocation");
        b.fill(0, 0);
        assert!(b.is_empty());
    }

    #[test]
    fn large_buffers_are_aligned_and_rounded_to_huge_pages() {
        let mut b = BigBuffer::<[u8; 8]>::new();
        let n = 825_300; // ripple's 1050 x 786 samples
        b.fill(n, [1; 8]);
        assert_eq!(b.len(), n);
        assert_eq!(b.as_ptr() as usize % HUGE, 0);
        assert_eq!(b.capacity() * 8 % HUGE, 0);
        assert!(b.capacity() >= n && b.capacity() * 8 < n * 8 + HUGE);
        assert!(b.iter().all(|s| *s == [1; 8]));
        // Growing replaces the allocation and fills it whole.
        b.fill(n * 2, [2; 8]);
        assert!(b.len() == n * 2 && b.iter().all(|s| *s == [2; 8]));
    }
}
