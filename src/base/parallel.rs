//! How much work may run at once: the one rule for the render engine and for work
//! inside a frame that spans many frames (statistics over a whole clip).

/// The most memory output frames in flight (being rendered, or waiting for their turn
/// at the encoder) may take: two 16384x16384 frames. Each worker also holds the
/// intermediate frames of the clip it renders, of the same order of size.
pub const IN_FLIGHT_BYTES: u64 = 2 << 30;

/// How many workers run and how far ahead of the encoder they may go, for `threads`
/// asked, frames of `frame_bytes` and `frames` frames to render: twice as many frames
/// as workers, within [`IN_FLIGHT_BYTES`], at least one.
pub fn parallelism(threads: usize, frame_bytes: u64, frames: u64) -> (usize, u64) {
    let fit = (IN_FLIGHT_BYTES / frame_bytes.max(1)).max(1);
    let window = (threads.max(1) as u64 * 2).min(fit).min(frames.max(1));
    let workers = (threads.max(1) as u64).min(window) as usize;
    (workers, window)
}

/// The CPUs this process may use (`taskset` and cgroup quotas counted), asked once: the
/// standard library reads `/proc` and the cgroup files at every call, and a render
/// asks several times before its first frame.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Moves the calling thread, the `k`-th of a group started together, onto a CPU of its
/// own (the `k`-th of those the process may use), then lets the scheduler move it again
/// as it likes.
///
/// Threads started together wait for the kernel's load balancing to spread them out,
/// and on the 2-CPU virtual machines animate is measured on, both render workers were
/// seen sharing one CPU for up to 20 ms of a 110 ms render while the other idled
/// (`perf sched timehist`). A placement at start costs microseconds. `taskset` and
/// cgroup limits are kept: only CPUs the process may use are chosen, and a group of
/// one, or a process allowed one CPU, is left alone.
pub fn spread(k: usize, group: usize) {
    #[cfg(target_os = "linux")]
    if group > 1 {
        linux::spread(k);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (k, group);
}

#[cfg(target_os = "linux")]
mod linux {
    use std::mem::{size_of, zeroed};

    pub fn spread(k: usize) {
        // SAFETY: cpu_set_t is plain data; the calls read and write only the sets given.
        unsafe {
            let mut allowed: libc::cpu_set_t = zeroed();
            if libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut allowed) != 0 {
                return;
            }
            let count = libc::CPU_COUNT(&allowed) as usize;
            if count < 2 {
                return;
            }
            let Some(cpu) = (0..libc::CPU_SETSIZE as usize)
                .filter(|&c| libc::CPU_ISSET(c, &allowed))
                .nth(k % count)
            else {
                return;
            };
            let mut one: libc::cpu_set_t = zeroed();
            libc::CPU_SET(cpu, &mut one);
            // Setting the mask moves the thread there at once; restoring it leaves the
            // thread where it now is, free to move later.
            if libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &one) == 0 {
                libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &allowed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_in_flight_fit_the_memory_bound() {
        let small = 640 * 480 * 4;
        assert_eq!(parallelism(8, small, 1000), (8, 16));
        // Never more workers or window than frames to render.
        assert_eq!(parallelism(1024, small, 3), (3, 3));
        assert_eq!(parallelism(0, small, 0), (1, 1));
        // 1024 threads of 4096x4096 frames (64 MiB): 32 frames in flight, not 2048.
        assert_eq!(parallelism(1024, 4096 * 4096 * 4, 1000), (32, 32));
        // 16384x16384 frames (1 GiB): two, however many threads.
        let huge = 16384 * 16384 * 4;
        assert_eq!(parallelism(2, huge, 100), (2, 2));
        assert_eq!(parallelism(64, huge, 100), (2, 2));
        assert_eq!(parallelism(1, huge, 100), (1, 2));
        let (workers, window) = parallelism(1024, huge, 100);
        assert!(window * huge <= IN_FLIGHT_BYTES && workers as u64 <= window);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn spreading_keeps_the_cpus_a_thread_may_use() {
        use std::mem::{size_of, zeroed};
        let mask = || unsafe {
            let mut set: libc::cpu_set_t = zeroed();
            assert_eq!(
                libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set),
                0
            );
            (0..libc::CPU_SETSIZE as usize)
                .filter(|&c| libc::CPU_ISSET(c, &set))
                .collect::<Vec<_>>()
        };
        std::thread::scope(|s| {
            for k in 0..3 {
                s.spawn(move || {
                    let before = mask();
                    spread(k, 3);
                    assert_eq!(mask(), before, "the thread may still run anywhere it could");
                    // A group of one does nothing at all.
                    spread(k, 1);
                    assert_eq!(mask(), before);
                });
            }
        });
    }
}
