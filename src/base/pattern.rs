//! Names of numbered frame files, printf-style (`frame_%04d.png`): written by PNG
//! frame output, read by image sequences.

/// File names of a numbered sequence: `prefix`, the frame index zero-padded to
/// `width` digits (printf `%0Nd`), then `suffix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    pub prefix: String,
    /// `None`: wide enough for the frame count, at least 4 digits.
    pub width: Option<usize>,
    pub suffix: String,
}

impl NamePattern {
    /// `0000.png`, `0001.png`… with the width chosen from the frame count.
    pub fn numbered() -> NamePattern {
        NamePattern {
            prefix: String::new(),
            width: None,
            suffix: ".png".into(),
        }
    }

    /// Parses a printf-style file name with exactly one `%d` or `%0Nd` (and `%%` for a
    /// literal percent sign), e.g. `frame_%04d.png`.
    pub fn parse(name: &str) -> Result<NamePattern, String> {
        let mut prefix = String::new();
        let mut suffix = String::new();
        let mut width = None;
        let mut seen = false;
        let mut chars = name.chars().peekable();
        while let Some(c) = chars.next() {
            let out = if seen { &mut suffix } else { &mut prefix };
            if c != '%' {
                out.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                out.push('%');
                continue;
            }
            let mut digits = String::new();
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                digits.push(d);
                chars.next();
            }
            if chars.next() != Some('d') {
                return Err(format!(
                    "`{name}`: only `%d` or `%0Nd` (like `%04d`) may follow `%`"
                ));
            }
            if seen {
                return Err(format!(
                    "`{name}` has more than one frame number placeholder"
                ));
            }
            seen = true;
            width = Some(match digits.as_str() {
                "" => 1,
                d if d.starts_with('0') => d
                    .parse::<usize>()
                    .ok()
                    .filter(|w| *w <= 12)
                    .ok_or_else(|| format!("`{name}`: padding width must be at most 12"))?,
                _ => return Err(format!("`{name}`: pad with zeros, like `%04d`")),
            });
        }
        if !seen {
            return Err(format!(
                "`{name}` has no frame number placeholder like `%04d`"
            ));
        }
        Ok(NamePattern {
            prefix,
            width,
            suffix,
        })
    }

    /// The digit count used for a sequence of `frames` frames.
    pub fn width_for(&self, frames: u64) -> usize {
        self.width
            .unwrap_or_else(|| digits(frames.saturating_sub(1)).max(4))
    }

    /// The file name of frame `index` with the given padding.
    pub fn name(&self, index: u64, width: usize) -> String {
        format!("{}{index:0width$}{}", self.prefix, self.suffix)
    }

    /// The index in `name` if it is exactly what this pattern writes for some index.
    pub fn index_of(&self, name: &str, width: usize) -> Option<u64> {
        let digits = name
            .strip_prefix(&self.prefix)?
            .strip_suffix(&self.suffix)?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = digits.parse().ok()?;
        (self.name(n, width) == name).then_some(n)
    }
}

/// `written` (a path ending in a printf file name) with its number placeholder as a
/// glob's `*` and `%%` as `%`: the pattern that takes every file of a sequence
/// whatever its numbers. `None` if it has no placeholder.
pub fn as_glob(written: &str) -> Option<String> {
    let p = NamePattern::parse(written).ok()?;
    Some(format!("{}*{}", p.prefix, p.suffix))
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printf_pattern_as_a_glob() {
        assert_eq!(
            as_glob("out/step_%04d.png").as_deref(),
            Some("out/step_*.png")
        );
        assert_eq!(as_glob("%d%%.png").as_deref(), Some("*%.png"));
        assert_eq!(as_glob("f.png"), None);
        assert_eq!(as_glob("%d_%d.png"), None);
    }

    #[test]
    fn name_patterns() {
        let p = NamePattern::parse("frame_%04d.png").unwrap();
        assert_eq!(p.name(7, p.width_for(3)), "frame_0007.png");
        assert_eq!(p.index_of("frame_0012.png", 4), Some(12));
        assert_eq!(p.index_of("frame_012.png", 4), None);
        assert_eq!(p.index_of("frame_12345.png", 4), Some(12345));
        let d = NamePattern::parse("%d.png").unwrap();
        assert_eq!(d.name(42, d.width_for(100)), "42.png");
        assert_eq!(d.index_of("042.png", 1), None);
        assert_eq!(
            NamePattern::parse("100%%_%03d.png").unwrap().name(5, 3),
            "100%_005.png"
        );
        assert!(NamePattern::parse("a.png").is_err());
        assert!(NamePattern::parse("%d_%d.png").is_err());
        assert!(NamePattern::parse("%4d.png").is_err());
        assert!(NamePattern::parse("%s.png").is_err());
        let n = NamePattern::numbered();
        assert_eq!(n.name(3, n.width_for(10)), "0003.png");
        assert_eq!(n.width_for(10001), 5);
        assert_eq!(n.width_for(10000), 4);
    }
}
