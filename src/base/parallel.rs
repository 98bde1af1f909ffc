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
}
