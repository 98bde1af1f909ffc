//! The C allocator's settings for a render.
//!
//! Render workers allocate and free buffers of a few hundred kilobytes to megabytes
//! every frame (frames, PNG rows, vertex arrays). With glibc's defaults such blocks come
//! and go through `mmap`/`munmap`, and each worker's arena grows and trims its heap as
//! they do: every one of those calls takes the process's memory-map lock, so a worker
//! faulting in a page waits for the other, and the kernel often wakes it on the other
//! worker's CPU. Keeping blocks below 4 MiB in the arenas, and up to 32 MiB of free
//! memory in each, took that out of `scenes/ripple.toml` on two threads (docs/architecture.md
//! has the measurement). Larger blocks (frames of 1920 × 1080 and more) still go straight
//! to `mmap` and back, and what an arena keeps is bounded: 64 MiB and 256 MiB, tried
//! first, let a long stream's peak memory reach 442 MiB in one test run against its
//! bound of 150.

/// Applies the settings; called once at start, before any thread. A threshold the
/// user set for glibc (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`, or in
/// `GLIBC_TUNABLES`) is theirs and is left alone: a memory test that sets one measures
/// what the render holds, not what the arenas keep.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
        let set = |env: &str, tunable: &str| {
            std::env::var_os(env).is_some() || tunables.contains(tunable)
        };
        // SAFETY: mallopt only changes the allocator's thresholds.
        unsafe {
            if !set("MALLOC_MMAP_THRESHOLD_", "glibc.malloc.mmap_threshold") {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
            }
            if !set("MALLOC_TRIM_THRESHOLD_", "glibc.malloc.trim_threshold") {
                libc::mallopt(libc::M_TRIM_THRESHOLD, 32 << 20);
            }
        }
    }
}
