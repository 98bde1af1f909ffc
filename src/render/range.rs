//! Which part of a render one process does: `--frames A..B` or `--segment K/N`,
//! resolved against the whole render's frame count. Segments of the same N tile the
//! render exactly (no frame twice, none missing), so separate processes — GNU
//! parallel, `make -j`, job arrays — can each render one and a join puts them back.

/// A part of the render as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Frames `start..end`, half-open; `None` is the render's first / last frame.
    Frames {
        start: Option<u64>,
        end: Option<u64>,
    },
    /// The `k`-th (1-based) of `n` equal segments.
    Segment { k: u64, n: u64 },
}

/// Frames `first..end` (half-open) of a render of `total` frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRange {
    pub first: u64,
    pub end: u64,
    pub total: u64,
}

impl FrameRange {
    /// Every frame of a `total`-frame render.
    pub fn whole(total: u64) -> FrameRange {
        FrameRange {
            first: 0,
            end: total,
            total,
        }
    }

    pub fn count(&self) -> u64 {
        self.end - self.first
    }

    pub fn is_whole(&self) -> bool {
        self.first == 0 && self.end == self.total
    }
}

/// Parses `A..B`, `A..` or `..B` (frame indices, B excluded).
pub fn parse_frames(s: &str) -> Result<Selection, String> {
    let bad = || {
        format!(
            "`{s}` is not a frame range: write A..B (frames A to B-1, counted from 0), A.. or ..B"
        )
    };
    let (a, b) = s.trim().split_once("..").ok_or_else(bad)?;
    let num = |x: &str| -> Result<Option<u64>, String> {
        let x = x.trim();
        if x.is_empty() {
            Ok(None)
        } else {
            x.parse().map(Some).map_err(|_| bad())
        }
    };
    Ok(Selection::Frames {
        start: num(a)?,
        end: num(b)?,
    })
}

/// Parses `K/N` with K counted from 1.
pub fn parse_segment(s: &str) -> Result<Selection, String> {
    let bad = || format!("`{s}` is not a segment: write K/N, e.g. 1/4 … 4/4");
    let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if n == 0 {
        return Err(format!("`{s}`: the number of segments must be at least 1"));
    }
    if k == 0 {
        return Err(format!(
            "`{s}`: segments are numbered from 1 (1/{n} … {n}/{n}); from a 0-based index such as \
             Kubernetes' JOB_COMPLETION_INDEX, pass $((JOB_COMPLETION_INDEX + 1))/{n}"
        ));
    }
    if k > n {
        return Err(format!(
            "`{s}`: there is no segment {k} of {n} (segments are 1/{n} … {n}/{n})"
        ));
    }
    Ok(Selection::Segment { k, n })
}

impl Selection {
    /// The frames this selection covers in a `total`-frame render, or why it cannot.
    pub fn resolve(self, total: u64) -> Result<FrameRange, String> {
        match self {
            // Refused for every K alike, so all jobs of an array fail the same way
            // rather than some of them rendering nothing.
            Selection::Segment { k, n } if n > total => Err(format!(
                "a {total}-frame render cannot be cut into {n} segments (segment {k}/{n} and others would be \
                 empty): use at most {total} segments"
            )),
            Selection::Segment { k, n } => Ok(segment(k, n, total)),
            Selection::Frames { start, end } => {
                let first = start.unwrap_or(0);
                let end = end.unwrap_or(total);
                if end > total {
                    return Err(format!(
                        "--frames {first}..{end} goes past the end: the render has {total} frames (0..{total})"
                    ));
                }
                if first >= end {
                    return Err(format!(
                        "--frames {first}..{end} is empty: the end is excluded, so it must be greater than the \
                         start (the render has {total} frames, 0..{total})"
                    ));
                }
                Ok(FrameRange { first, end, total })
            }
        }
    }
}

/// Segment `k` of `n` (1-based): frames floor((k-1)·T/N) .. floor(k·T/N).
pub fn segment(k: u64, n: u64, total: u64) -> FrameRange {
    let at = |i: u64| ((i as u128 * total as u128) / n as u128) as u64;
    FrameRange {
        first: at(k - 1),
        end: at(k),
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_tile_the_render_exactly() {
        for total in [1u64, 2, 3, 7, 100, 401, 1_000_003] {
            for n in 1..=9u64.min(total) {
                let mut next = 0;
                for k in 1..=n {
                    let r = segment(k, n, total);
                    assert_eq!(r.first, next, "T={total} {k}/{n}");
                    assert!(r.end > r.first, "T={total} {k}/{n} empty");
                    let (lo, hi) = (total / n, total.div_ceil(n));
                    assert!(
                        (lo..=hi).contains(&r.count()),
                        "T={total} {k}/{n}: {} frames",
                        r.count()
                    );
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
        assert_eq!(
            segment(2, 4, 10),
            FrameRange {
                first: 2,
                end: 5,
                total: 10
            }
        );
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let r = segment(3, 3, u64::MAX / 2);
        assert_eq!(r.end, u64::MAX / 2);
    }

    #[test]
    fn parses_and_checks_segments() {
        assert_eq!(parse_segment("2/4"), Ok(Selection::Segment { k: 2, n: 4 }));
        let e = parse_segment("0/4").unwrap_err();
        assert!(
            e.contains("from 1") && e.contains("JOB_COMPLETION_INDEX + 1"),
            "{e}"
        );
        assert!(parse_segment("5/4").unwrap_err().contains("no segment 5"));
        assert!(parse_segment("1/0").is_err());
        assert!(parse_segment("a/b").is_err());
        assert!(parse_segment("3").is_err());
        let e = Selection::Segment { k: 5, n: 8 }.resolve(4).unwrap_err();
        assert!(e.contains("at most 4 segments"), "{e}");
        let e = Selection::Segment { k: 2, n: 8 }.resolve(4).unwrap_err();
        assert!(e.contains("at most 4 segments"), "{e}");
        assert!(Selection::Segment { k: 4, n: 4 }.resolve(4).is_ok());
    }

    #[test]
    fn parses_and_checks_frame_ranges() {
        let sel = parse_frames("10..20").unwrap();
        assert_eq!(
            sel.resolve(40),
            Ok(FrameRange {
                first: 10,
                end: 20,
                total: 40
            })
        );
        assert_eq!(parse_frames("30..").unwrap().resolve(40).unwrap().end, 40);
        assert_eq!(parse_frames("..5").unwrap().resolve(40).unwrap().first, 0);
        let e = parse_frames("10..41").unwrap().resolve(40).unwrap_err();
        assert!(e.contains("40 frames"), "{e}");
        let e = parse_frames("20..20").unwrap().resolve(40).unwrap_err();
        assert!(e.contains("empty") && e.contains("40 frames"), "{e}");
        assert!(parse_frames("5-9").is_err());
        assert!(parse_frames("a..b").is_err());
        assert!(parse_frames("-1..3").is_err());
        assert!(FrameRange::whole(5).is_whole());
    }
}
