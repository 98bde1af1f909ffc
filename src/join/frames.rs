//! A folder (or `%05d.png` pattern) of PNG frames written by the segments of one
//! render, checked before the final encoding pass: frames 0.. with no gap, and — for
//! frames animate wrote, which carry their place in the render — exactly the frames
//! of one render, none missing at the end, none left from another render.

use std::path::{Path, PathBuf};

use crate::base::pattern::NamePattern;
use crate::encode::png::read_header;
use crate::encode::stamp::Stamp;

/// The frames to encode, in order.
#[derive(Debug)]
pub struct FrameSet {
    /// Frame i is `files[i]`.
    pub files: Vec<PathBuf>,
    /// The render they come from, when animate wrote them.
    pub render: Option<Stamp>,
    /// Some frame has an alpha channel: keep transparency where the output can.
    pub transparent: bool,
}

/// Whether a `join` argument names PNG frames (a folder or a numbered pattern) rather
/// than a video part.
pub fn is_frames(arg: &str) -> bool {
    Path::new(arg).is_dir()
        || arg.ends_with('/')
        || (arg.contains('%') && arg.to_ascii_lowercase().ends_with(".png"))
}

/// The numbered frames in `arg`: a folder holds `0000.png`, `0001.png`… (animate's
/// names: digits only, as many for every frame); a pattern names its own files.
fn list(arg: &str) -> Result<(PathBuf, Vec<(u64, PathBuf)>), String> {
    let (dir, pattern) = if Path::new(arg).is_dir() {
        (PathBuf::from(arg), None)
    } else if arg.contains('%') {
        let path = Path::new(arg);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("`{arg}` has no file name"))?;
        let names = NamePattern::parse(name)?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (dir, Some(names))
    } else {
        return Err(format!("{arg} is not a folder"));
    };
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut frames = Vec::new();
    let mut width: Option<(usize, String)> = None;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let index = match &pattern {
            Some(p) => p.index_of(&name, p.width.unwrap_or(1)),
            None => {
                let Some(stem) = name.strip_suffix(".png") else {
                    continue;
                };
                if stem.is_empty() || !stem.bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                match &width {
                    Some((w, other)) if *w != stem.len() => {
                        return Err(format!(
                        "{} holds frames numbered with {} and with {} digits ({other}, {name}): \
                             frames of different renders? Render into an empty folder",
                        dir.display(),
                        w,
                        stem.len()
                    ))
                    }
                    Some(_) => {}
                    None => width = Some((stem.len(), name.clone())),
                }
                stem.parse().ok()
            }
        };
        if let Some(i) = index {
            frames.push((i, entry.path()));
        }
    }
    frames.sort();
    Ok((dir, frames))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Lists and checks the frames of `arg`.
pub fn scan(arg: &str) -> Result<FrameSet, String> {
    let (dir, frames) = list(arg)?;
    let shown = dir.display();
    if frames.is_empty() {
        return Err(format!("no numbered PNG frames in {arg}"));
    }
    for (expected, (i, path)) in frames.iter().enumerate() {
        let expected = expected as u64;
        if *i != expected {
            let what = if expected == 0 {
                format!("the first frame in {shown} is {}", file_name(path))
            } else {
                format!(
                    "after {} comes {}",
                    file_name(&frames[expected as usize - 1].1),
                    file_name(path)
                )
            };
            return Err(format!("frames {expected}..{i} are missing: {what}"));
        }
    }
    let count = frames.len() as u64;
    let mut render: Option<(Stamp, &Path)> = None;
    let mut unstamped: Option<&Path> = None;
    let mut transparent = false;
    for (i, path) in &frames {
        let h = read_header(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        transparent |= h.alpha;
        let Some(stamp) = h.stamp else {
            unstamped.get_or_insert(path);
            continue;
        };
        if stamp.first != *i {
            return Err(format!(
                "{} says it is frame {} of the render: renamed or copied from elsewhere?",
                path.display(),
                stamp.first
            ));
        }
        match &render {
            None => render = Some((stamp, path)),
            Some((r, first)) if r.same_render(&stamp) => {
                let (a, b) = (first.display().to_string(), path.display().to_string());
                if let Some(m) = r.scene_differs(&a, &stamp, &b) {
                    return Err(format!("{m}: render into an empty folder"));
                }
                if let Some(m) = r.options_differ(&a, &stamp, &b) {
                    return Err(m);
                }
            }
            Some((r, first)) => {
                return Err(format!(
                "{} and {} come from different renders ({} and {}): render into an empty folder",
                first.display(),
                path.display(),
                r.describe(),
                stamp.describe()
            ))
            }
        }
    }
    let render = match (render, unstamped) {
        (Some((_, stamped)), Some(other)) => {
            return Err(format!(
                "{shown} mixes frames animate rendered ({}) with others ({}): render into an empty folder",
                file_name(stamped),
                file_name(other)
            ))
        }
        (Some((r, _)), None) => Some(r),
        (None, _) => None,
    };
    if let Some(r) = &render {
        if count < r.total {
            return Err(format!(
                "frames {count}..{} of the {}-frame render are missing: the last frame in {shown} is {}",
                r.total,
                r.total,
                file_name(&frames[count as usize - 1].1)
            ));
        }
        if count > r.total {
            return Err(format!(
                "{shown} holds {count} frames but they belong to a render of {}: {} and later are left from \
                 another render; remove them",
                r.total,
                file_name(&frames[r.total as usize].1)
            ));
        }
    }
    Ok(FrameSet {
        files: frames.into_iter().map(|(_, p)| p).collect(),
        render: render.map(|r| Stamp {
            first: 0,
            end: r.total,
            ..r
        }),
        transparent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::{filled, Size};

    /// Writes frame `i` of a `total`-frame render (stamped) or an unstamped picture.
    fn write(dir: &Path, name: &str, stamp: Option<(u64, u64)>) {
        let frame = filled(Size::new(2, 2), tiny_skia::Color::WHITE);
        let stamp = stamp.map(|(i, total)| {
            Stamp::parse(&format!("animate frame {i} of {total} at 25/1 fps")).unwrap()
        });
        let mut bytes = Vec::new();
        crate::encode::png::encode_png(&frame, &mut bytes, stamp.as_ref()).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    #[test]
    fn a_whole_render_is_accepted_with_its_rate() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            write(dir.path(), &format!("{i:04}.png"), Some((i, 3)));
        }
        std::fs::write(dir.path().join("notes.txt"), "not a frame").unwrap();
        let set = scan(dir.path().to_str().unwrap()).unwrap();
        assert_eq!(set.files.len(), 3);
        assert!(set.files[2].ends_with("0002.png"));
        assert_eq!(set.render.unwrap().fps(), 25.0);
        assert!(!set.transparent);
    }

    #[test]
    fn frames_of_mixed_origins_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let arg = dir.path().to_str().unwrap().to_string();
        write(dir.path(), "0000.png", Some((0, 2)));
        write(dir.path(), "00001.png", Some((1, 2)));
        let e = scan(&arg).unwrap_err();
        assert!(
            e.contains(" digits (") && e.contains("different renders"),
            "{e}"
        );
        std::fs::remove_file(dir.path().join("00001.png")).unwrap();
        write(dir.path(), "0001.png", None);
        assert!(scan(&arg).unwrap_err().contains("mixes frames"));
        write(dir.path(), "0001.png", Some((5, 9)));
        assert!(scan(&arg).unwrap_err().contains("says it is frame 5"));
        assert!(scan(&format!("{arg}/none_%03d.png"))
            .unwrap_err()
            .contains("no numbered PNG frames"));
    }

    #[test]
    fn arguments_naming_frames() {
        assert!(is_frames("frames/"));
        assert!(is_frames("out/f_%05d.png"));
        assert!(!is_frames("seg-1.mp4"));
        assert!(!is_frames("x.gif"));
    }
}
