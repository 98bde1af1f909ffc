//! The render engine: the frame schedule, parallel workers, ordered delivery,
//! progress and cancellation.

pub mod engine;
pub mod plan;
pub mod progress;

pub use engine::run;
pub use plan::{clamp_time, frame_count, last_instant, within, Plan};
pub use progress::{Bar, Progress, Silent};

/// Frames are megabytes each and freed every frame. By default glibc hands such
/// blocks back to the system and the next frame takes fresh pages, which the kernel
/// must zero: a tenth of a video render's time. Keeping freed memory in the heap
/// costs nothing in peak memory (the next frame reuses it).
pub fn keep_freed_frames() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}
