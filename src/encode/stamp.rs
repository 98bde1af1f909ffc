//! Where a piece of output sits in its render, written into the output itself so that
//! `animate join` can check that parts fit together without any side file: a video's
//! `comment` tag says "animate frames 100..200 of 400 at 25/1 fps scene 3f09a1c2d4b5e6f7",
//! each PNG frame's `Comment` text chunk "animate frame 17 of 400 at 25/1 fps scene …".
//! The scene number identifies what was rendered (see [`render_id`]), so parts of
//! renders that only share their length are not joined. The settings given outside the
//! scene file that change a part's pixels follow as `with name=value …` (the
//! background, a video's encoder settings), so that `join` can name the one that differs.

use std::fmt;

use crate::render::range::FrameRange;

/// Frames `first..end` of a `total`-frame render at `fps_num / fps_den` frames per second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub first: u64,
    pub end: u64,
    pub total: u64,
    pub fps_num: i64,
    pub fps_den: i64,
    /// The [`render_id`] of what was rendered; `None` in stamps written without one.
    pub scene: Option<u64>,
    /// Settings outside the scene file that change the pixels, `(name, value)` with no
    /// space in either; empty in stamps written before they were recorded.
    pub options: Vec<(String, String)>,
}

/// A number for what a render shows: the scene file's bytes, the `--set` overrides in
/// order, and the output size. Stable across machines and builds (FNV-1a), so segments
/// rendered on different hosts agree. Input files are not read: a changed picture with
/// the same scene is not noticed.
pub fn render_id(
    scene_text: &[u8],
    sets: &[(String, String)],
    size: crate::base::frame::Size,
) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(scene_text);
    for (name, value) in sets {
        eat(name.as_bytes());
        eat(value.as_bytes());
    }
    eat(format!("{}x{}", size.w, size.h).as_bytes());
    h
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
            scene: None,
            options: Vec::new(),
        }
    }

    /// The same stamp naming what was rendered.
    pub fn with_scene(self, scene: Option<u64>) -> Stamp {
        Stamp { scene, ..self }
    }

    /// The same stamp with these settings recorded (see [`Stamp::options`]); a space in
    /// a name or value becomes `_`, so that the text reads back.
    pub fn with_options(mut self, options: &[(String, String)]) -> Stamp {
        let word = |s: &str| s.replace(|c: char| c.is_whitespace() || c == '=', "_");
        self.options
            .extend(options.iter().map(|(k, v)| (word(k), word(v))));
        self
    }

    /// The message for two parts rendered with a different setting (see
    /// [`Stamp::options`]), naming the first that differs and both values.
    pub fn options_differ(&self, name: &str, other: &Stamp, other_name: &str) -> Option<String> {
        let value = |s: &Stamp, key: &str| {
            s.options
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let keys = self.options.iter().chain(&other.options).map(|(k, _)| k);
        let (key, a, b) = keys
            .map(|k| (k, value(self, k), value(other, k)))
            .find(|(_, a, b)| a != b)?;
        let shown =
            |v: Option<String>| v.unwrap_or_else(|| "none recorded (an older animate)".to_string());
        Some(format!(
            "{name} and {other_name} were rendered with different --{key}: {} against {}; \
             render every part with the same flags",
            shown(a),
            shown(b)
        ))
    }

    /// "400 frames at 25/1 fps", for messages about renders that differ.
    pub fn describe(&self) -> String {
        format!(
            "{} frames at {}/{} fps",
            self.total, self.fps_num, self.fps_den
        )
    }

    /// The message for two parts of renders of different scenes, if they are.
    pub fn scene_differs(&self, name: &str, other: &Stamp, other_name: &str) -> Option<String> {
        (self.scene != other.scene).then(|| {
            format!(
                "{name} and {other_name} come from different renders: another scene file, \
                 --set value or --size (render every part from the same scene and flags)"
            )
        })
    }

    /// The stamp of the single frame `index` of the same render.
    pub fn frame(&self, index: u64) -> Stamp {
        Stamp {
            first: index,
            end: index + 1,
            ..self.clone()
        }
    }

    pub fn count(&self) -> u64 {
        self.end - self.first
    }

    pub fn fps(&self) -> f64 {
        self.fps_num as f64 / self.fps_den as f64
    }

    /// Whether two stamps describe parts of renders with the same length and rate
    /// (whose scenes may still differ: see [`Stamp::scene`]).
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
        if words.next()? != "fps" {
            return None;
        }
        let mut next = words.next();
        let scene = match next {
            Some("scene") => {
                let id = u64::from_str_radix(words.next()?, 16).ok()?;
                next = words.next();
                Some(id)
            }
            _ => None,
        };
        let mut options = Vec::new();
        match next {
            None => {}
            Some("with") => {
                for w in words {
                    let (k, v) = w.split_once('=')?;
                    options.push((k.to_string(), v.to_string()));
                }
                if options.is_empty() {
                    return None;
                }
            }
            Some(_) => return None,
        }
        let valid = first < end && end <= total && fps_num > 0 && fps_den > 0;
        valid.then_some(Stamp {
            first,
            end,
            total,
            fps_num,
            fps_den,
            scene,
            options,
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
        )?;
        if let Some(id) = self.scene {
            write!(f, " scene {id:016x}")?;
        }
        if !self.options.is_empty() {
            write!(f, " with")?;
            for (k, v) in &self.options {
                write!(f, " {k}={v}")?;
            }
        }
        Ok(())
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
        assert_eq!(Stamp::parse(&s.to_string()), Some(s.clone()));
        let one = s.frame(17);
        assert_eq!(one.to_string(), "animate frame 17 of 400 at 25/1 fps");
        assert_eq!(Stamp::parse(&one.to_string()), Some(one));
        let ntsc = Stamp::new(FrameRange::whole(3), 30000.0 / 1001.0);
        assert_eq!(Stamp::parse(&ntsc.to_string()), Some(ntsc));
        let named = s.clone().with_scene(Some(0x3f09));
        assert_eq!(
            named.to_string(),
            "animate frames 100..200 of 400 at 25/1 fps scene 0000000000003f09"
        );
        assert_eq!(Stamp::parse(&named.to_string()), Some(named.clone()));
        let set = |k: &str, v: &str| (k.to_string(), v.to_string());
        let with = named.with_options(&[set("background", "#ff0000ff"), set("pre set", "a b")]);
        assert_eq!(
            with.to_string(),
            "animate frames 100..200 of 400 at 25/1 fps scene 0000000000003f09 \
             with background=#ff0000ff pre_set=a_b"
        );
        assert_eq!(Stamp::parse(&with.to_string()), Some(with));
        let unnamed = Stamp::parse("animate frame 3 of 9 at 25/1 fps with crf=20").unwrap();
        assert_eq!((unnamed.scene, unnamed.options.len()), (None, 1));
    }

    #[test]
    fn a_different_setting_is_named_with_both_values() {
        let s = |text: &str| Stamp::parse(text).unwrap();
        let red = s("animate frames 0..5 of 10 at 25/1 fps with background=#ff0000ff crf=20");
        let blue = s("animate frames 5..10 of 10 at 25/1 fps with background=#0000ffff crf=20");
        let old = s("animate frames 5..10 of 10 at 25/1 fps");
        assert_eq!(red.options_differ("a", &red.frame(7), "b"), None);
        assert_eq!(
            red.options_differ("a", &blue, "b").unwrap(),
            "a and b were rendered with different --background: #ff0000ff against #0000ffff; \
             render every part with the same flags"
        );
        let e = old.options_differ("old", &red, "new").unwrap();
        assert!(
            e.contains("--background: none recorded (an older animate) against #ff0000ff"),
            "{e}"
        );
    }

    #[test]
    fn parts_of_other_scenes_are_other_renders() {
        let size = crate::base::frame::Size::new(4, 4);
        let id = |text: &[u8], sets: &[(String, String)]| render_id(text, sets, size);
        let k = |v: &str| vec![("k".to_string(), v.to_string())];
        assert_eq!(id(b"a", &k("1")), id(b"a", &k("1")));
        assert_ne!(id(b"a", &k("1")), id(b"a", &k("9")));
        assert_ne!(id(b"a", &[]), id(b"b", &[]));
        assert_ne!(
            id(b"a", &[]),
            render_id(b"a", &[], crate::base::frame::Size::new(4, 5))
        );
        let a = Stamp::parse("animate frames 0..5 of 10 at 25/1 fps scene 1").unwrap();
        let b = Stamp::parse("animate frames 5..10 of 10 at 25/1 fps scene 2").unwrap();
        assert_eq!((a.scene, b.scene), (Some(1), Some(2)));
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
            "animate frame 3 of 9 at 25/1 fps scene",
            "animate frame 3 of 9 at 25/1 fps scene xyz",
            "animate frame 3 of 9 at 25/1 fps with",
            "animate frame 3 of 9 at 25/1 fps with crf",
            "animate frame 3 of 9 at 25/1 fps with crf=1 scene 1",
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
