//! Where a piece of output sits in its render, written into the output itself so that
//! `animate join` can check that parts fit together without any side file: a video's
//! `comment` tag says "animate frames 100..200 of 400 at 25/1 fps", each PNG frame's
//! `Comment` text chunk "animate frame 17 of 400 at 25/1 fps".

use std::fmt;

use crate::render::range::FrameRange;

/// Frames `first..end` of a `total`-frame render at `fps_num / fps_den` frames per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub first: u64,
    pub end: u64,
    pub total: u64,
    pub fps_num: i64,
    pub fps_den: i64,
}

/// The PNG text chunk keyword the stamp is stored under.
pub const PNG_KEYWORD: &str = "Comment";

impl Stamp {
    /// The stamp of `range` at `fps`, the rate written as the exact fraction the video
    /// encoder uses.
    pub fn new(range: FrameRange, fps: f64) -> Stamp {
        let (num, den) = crate::encode::video::settings::fps_fraction(fps);
        Stamp {
            first: range.first,
            end: range.end,
            total: range.total,
            fps_num: num as i64,
            fps_den: den as i64,
        }
    }

    /// The stamp of the single frame `index` of the same render.
    pub fn frame(&self, index: u64) -> Stamp {
        Stamp {
            first: index,
            end: index + 1,
            ..*self
        }
    }

    pub fn count(&self) -> u64 {
        self.end - self.first
    }

    pub fn fps(&self) -> f64 {
        self.fps_num as f64 / self.fps_den as f64
    }

    /// Whether two stamps describe parts of renders with the same length and rate.
    pub fn same_render(&self, other: &Stamp) -> bool {
        self.total == other.total
            && self.fps_num as i128 * other.fps_den as i128
                == other.fps_num as i128 * self.fps_den as i128
    }

    /// Reads a stamp back from its text; anything else (another tool's comment) is `None`.
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut words = text.split_whitespace();
        if words.next()? != "animate" {
            return None;
        }
        let (first, end) = match words.next()? {
            "frame" => {
                let i: u64 = words.next()?.parse().ok()?;
                (i, i.checked_add(1)?)
            }
            "frames" => {
                let (a, b) = words.next()?.split_once("..")?;
                (a.parse().ok()?, b.parse().ok()?)
            }
            _ => return None,
        };
        if words.next()? != "of" {
            return None;
        }
        let total: u64 = words.next()?.parse().ok()?;
        if words.next()? != "at" {
            return None;
        }
        let (num, den) = words.next()?.split_once('/')?;
        let (fps_num, fps_den): (i64, i64) = (num.parse().ok()?, den.parse().ok()?);
        if words.next()? != "fps" || words.next().is_some() {
            return None;
        }
        let valid = first < end && end <= total && fps_num > 0 && fps_den > 0;
        valid.then_some(Stamp {
            first,
            end,
            total,
            fps_num,
            fps_den,
        })
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.count() == 1 {
            write!(f, "animate frame {}", self.first)?;
        } else {
            write!(f, "animate frames {}..{}", self.first, self.end)?;
        }
        write!(
            f,
            " of {} at {}/{} fps",
            self.total, self.fps_num, self.fps_den
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let s = Stamp::new(
            FrameRange {
                first: 100,
                end: 200,
                total: 400,
            },
            25.0,
        );
        assert_eq!(s.to_string(), "animate frames 100..200 of 400 at 25/1 fps");
        assert_eq!(Stamp::parse(&s.to_string()), Some(s));
        let one = s.frame(17);
        assert_eq!(one.to_string(), "animate frame 17 of 400 at 25/1 fps");
        assert_eq!(Stamp::parse(&one.to_string()), Some(one));
        let ntsc = Stamp::new(FrameRange::whole(3), 30000.0 / 1001.0);
        assert_eq!(Stamp::parse(&ntsc.to_string()), Some(ntsc));
    }

    #[test]
    fn other_comments_are_not_stamps() {
        for text in [
            "",
            "made with love",
            "animate frames 5..3 of 9 at 25/1 fps",
            "animate frames 0..10 of 9 at 25/1 fps",
            "animate frame 3 of 9 at 0/1 fps",
            "animate frame 3 of 9 at 25/1 fps and more",
            "animate frame 3 of 9 at 25 fps",
        ] {
            assert_eq!(Stamp::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn same_render_compares_rates_as_fractions() {
        let a = Stamp::parse("animate frames 0..5 of 10 at 25/1 fps").unwrap();
        let b = Stamp::parse("animate frames 5..10 of 10 at 50/2 fps").unwrap();
        let c = Stamp::parse("animate frames 5..10 of 10 at 24/1 fps").unwrap();
        assert!(a.same_render(&b));
        assert!(!a.same_render(&c));
    }
}
