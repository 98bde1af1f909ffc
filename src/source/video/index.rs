//! The presentation timeline of a video stream, read once from its packets (no
//! decoding): when each frame is shown, which frames are keyframes, and how long the
//! whole stream lasts. Frame lookups by time and seek decisions use it, so variable
//! frame rates and B-frame reordering need no special case.

/// One packet of the stream as the demuxer gave it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Packet {
    /// Presentation timestamp in stream ticks (the decode timestamp when absent).
    pub pts: i64,
    /// Duration in ticks; 0 when the container does not say.
    pub duration: i64,
    pub key: bool,
}

/// Frames in presentation order. Frame `n` is shown from `times[n]` until
/// `times[n + 1]` (the last one until the end); clip time 0 is the first frame.
#[derive(Debug, Clone)]
pub struct FrameIndex {
    /// Timestamps in stream ticks, ascending (for seeking and matching decoded pictures).
    pts: Vec<i64>,
    /// Start of each frame in clip seconds.
    times: Vec<f64>,
    /// Numbers of the keyframes, ascending; frame 0 is always a seek point.
    keys: Vec<usize>,
    duration: f64,
}

impl FrameIndex {
    /// Builds the timeline from the packets in any order. `tick` is the stream's time
    /// base in seconds; `rate` its nominal frame rate (frames per second as a
    /// fraction), if the container gives one. Returns `None` when there is no frame.
    ///
    /// A constant-rate stream whose timestamps were rounded to the container's tick
    /// (WebM's millisecond at 30 fps) gets its exact frame times back from the rate, so
    /// that frame k starts at exactly k / fps.
    pub fn new(
        mut packets: Vec<Packet>,
        tick: f64,
        rate: Option<(i32, i32)>,
    ) -> Option<FrameIndex> {
        if packets.is_empty() || !(tick > 0.0 && tick.is_finite()) {
            return None;
        }
        packets.sort_by_key(|p| p.pts);
        let pts: Vec<i64> = packets.iter().map(|p| p.pts).collect();
        let mut keys: Vec<usize> = packets
            .iter()
            .enumerate()
            .filter(|(_, p)| p.key)
            .map(|(n, _)| n)
            .collect();
        if keys.first() != Some(&0) {
            keys.insert(0, 0);
        }
        let period = rate
            .filter(|(n, d)| *n > 0 && *d > 0)
            .map(|(n, d)| d as f64 / n as f64);
        let raw: Vec<f64> = pts.iter().map(|p| (p - pts[0]) as f64 * tick).collect();
        let constant = period.filter(|p| {
            raw.iter()
                .enumerate()
                .all(|(n, t)| (t - n as f64 * p).abs() <= tick * 1.000_001)
        });
        let last = *packets.last().expect("not empty");
        let (times, duration) = match constant {
            Some(p) => (
                (0..pts.len()).map(|n| n as f64 * p).collect(),
                pts.len() as f64 * p,
            ),
            None => {
                let last_duration = if last.duration > 0 {
                    last.duration as f64 * tick
                } else if let Some(p) = period {
                    p
                } else {
                    // The previous frame's duration, else a 25 fps guess.
                    raw.windows(2)
                        .last()
                        .map(|w| w[1] - w[0])
                        .filter(|g| *g > 0.0)
                        .unwrap_or(0.04)
                };
                let end = raw.last().copied().unwrap_or(0.0) + last_duration;
                (raw, end)
            }
        };
        Some(FrameIndex {
            pts,
            times,
            keys,
            duration,
        })
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.pts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pts.is_empty()
    }

    /// Length of the stream in seconds: from the first frame's start to the last one's end.
    pub fn duration(&self) -> f64 {
        self.duration
    }

    /// When frame `n` starts, in clip seconds.
    pub fn time_of(&self, n: usize) -> f64 {
        self.times[n.min(self.len() - 1)]
    }

    /// The frame shown at clip time `t`: the last one starting at or before `t`.
    pub fn at(&self, t: f64) -> usize {
        self.times
            .partition_point(|&s| s <= t + crate::base::time::TIME_EPSILON)
            .saturating_sub(1)
    }

    /// The frame a decoded picture with timestamp `ts` (stream ticks) is; `None`
    /// before the first frame (a picture from before where the clip starts).
    pub fn number_of(&self, ts: i64) -> Option<usize> {
        self.pts.partition_point(|&p| p <= ts).checked_sub(1)
    }

    /// The timeline from frame `first` on, which becomes frame 0 at clip time 0: a
    /// stream whose first frames cannot be decoded starts where decoding can.
    pub fn starting_at(&self, first: usize) -> FrameIndex {
        let first = first.min(self.len() - 1);
        let start = self.times[first];
        let mut keys: Vec<usize> = self
            .keys
            .iter()
            .filter(|&&k| k > first)
            .map(|&k| k - first)
            .collect();
        keys.insert(0, 0);
        FrameIndex {
            pts: self.pts[first..].to_vec(),
            times: self.times[first..].iter().map(|t| t - start).collect(),
            keys,
            duration: self.duration - start,
        }
    }

    /// The timestamp (stream ticks) of frame `n`, for seeking.
    pub fn pts(&self, n: usize) -> i64 {
        self.pts[n.min(self.len() - 1)]
    }

    /// The last keyframe at or before frame `n`: where decoding must start to reach it.
    pub fn key_at_or_before(&self, n: usize) -> usize {
        let i = self.keys.partition_point(|&k| k <= n);
        self.keys[i.saturating_sub(1)]
    }

    /// The keyframe before keyframe `key`, if any (a seek that landed too late retries there).
    pub fn key_before(&self, key: usize) -> Option<usize> {
        let i = self.keys.partition_point(|&k| k < key);
        i.checked_sub(1).map(|i| self.keys[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(pts: i64, key: bool) -> Packet {
        Packet {
            pts,
            duration: 0,
            key,
        }
    }

    /// 25 fps in a 1/12800 time base, B-frames reordered, keyframes every 4 frames.
    fn cfr() -> FrameIndex {
        let order = [0, 3, 1, 2, 4, 7, 5, 6, 8, 9];
        let packets = order
            .iter()
            .map(|&n| Packet {
                pts: n * 512,
                duration: 512,
                key: n % 4 == 0,
            })
            .collect();
        FrameIndex::new(packets, 1.0 / 12800.0, Some((25, 1))).unwrap()
    }

    #[test]
    fn constant_rate_timeline() {
        let ix = cfr();
        assert_eq!(ix.len(), 10);
        assert!((ix.duration() - 0.4).abs() < 1e-12);
        for k in 0..10 {
            assert_eq!(ix.at(k as f64 / 25.0), k, "frame {k} at its own time");
            let before = (k as f64 / 25.0 - 1e-6).max(0.0);
            assert_eq!(
                ix.at(before),
                k.saturating_sub(1),
                "frame {k} not yet just before it"
            );
            assert_eq!(
                ix.at(k as f64 / 25.0 + 0.039),
                k,
                "still frame {k} just before the next"
            );
        }
        assert_eq!(ix.at(10.0), 9, "past the end: the last frame");
        assert_eq!(ix.time_of(3), 0.12);
        assert_eq!(ix.key_at_or_before(7), 4);
        assert_eq!(ix.key_at_or_before(8), 8);
        assert_eq!(ix.key_before(8), Some(4));
        assert_eq!(ix.key_before(0), None);
    }

    #[test]
    fn variable_rate_uses_presentation_intervals() {
        // Frames at 0, 0.1, 0.15, 0.5 s (tick 1 ms), the last lasting 0.25 s.
        let mut p: Vec<Packet> = [0, 100, 150].iter().map(|&t| packet(t, t == 0)).collect();
        p.push(Packet {
            pts: 500,
            duration: 250,
            key: false,
        });
        let ix = FrameIndex::new(p, 0.001, None).unwrap();
        assert_eq!(
            [0.0, 0.099, 0.1, 0.149, 0.2, 0.49, 0.5, 0.74].map(|t| ix.at(t)),
            [0, 0, 1, 1, 2, 2, 3, 3]
        );
        assert!((ix.duration() - 0.75).abs() < 1e-12);
    }

    #[test]
    fn rounded_timestamps_still_match_their_frame() {
        // WebM at 30 fps: 1 ms ticks, frame k at round(k * 33.333) ms.
        let p = (0..90)
            .map(|k| packet((k as f64 * 1000.0 / 30.0).round() as i64, k == 0))
            .collect();
        let ix = FrameIndex::new(p, 0.001, Some((30, 1))).unwrap();
        for k in 0..90 {
            assert_eq!(ix.at(k as f64 / 30.0), k);
            assert_eq!(
                ix.at(k as f64 / 30.0 - 1e-6),
                k.saturating_sub(1),
                "just before {k}"
            );
        }
        assert_eq!(ix.duration(), 3.0);
    }

    #[test]
    fn starts_at_the_first_timestamp_and_guesses_the_last_duration() {
        let p = vec![packet(1000, true), packet(1040, false)];
        let ix = FrameIndex::new(p.clone(), 0.001, None).unwrap();
        assert_eq!(ix.at(0.0), 0);
        assert_eq!(ix.at(0.04), 1);
        assert!((ix.duration() - 0.08).abs() < 1e-12, "previous gap reused");
        let ix = FrameIndex::new(p, 0.001, Some((100, 1))).unwrap();
        assert!(
            (ix.duration() - 0.05).abs() < 1e-12,
            "nominal rate preferred"
        );
        assert_eq!(ix.number_of(1039), Some(0));
        assert_eq!(ix.number_of(5), None, "before the start: no frame");
        assert!(FrameIndex::new(Vec::new(), 0.001, None).is_none());
    }

    #[test]
    fn first_frame_is_a_seek_point_even_without_key_flag() {
        let p = vec![packet(0, false), packet(1, false), packet(2, true)];
        let ix = FrameIndex::new(p, 0.04, None).unwrap();
        assert_eq!(ix.key_at_or_before(1), 0);
        assert_eq!(ix.key_at_or_before(2), 2);
    }

    #[test]
    fn a_timeline_can_start_later() {
        let ix = cfr().starting_at(3);
        assert_eq!(ix.len(), 7);
        assert!((ix.duration() - 0.28).abs() < 1e-12);
        assert_eq!(ix.time_of(0), 0.0);
        assert_eq!(ix.at(0.041), 1);
        assert_eq!(ix.pts(0), 3 * 512);
        assert_eq!(ix.number_of(2 * 512), None);
        assert_eq!(ix.key_at_or_before(0), 0);
        assert_eq!(ix.key_at_or_before(2), 1, "frame 4 is a keyframe");
        assert_eq!(ix.key_at_or_before(5), 5, "and frame 8");
    }
}
