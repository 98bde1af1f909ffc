//! `kind = "images"`: an image sequence — numbered or globbed picture files, or the
//! pages of one TIFF, shown one after another at a frame rate. Pictures are decoded when
//! their frame is rendered, so memory does not grow with the length of the sequence.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use toml::Spanned;

use crate::base::diag::Diagnostic;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, RenderResult, Size};
use crate::base::limits;
use crate::base::pair::Pair;
use crate::base::pattern::NamePattern;
use crate::clip::build::ResolveCx;
use crate::clip::{Clip, RenderCx};
use crate::expr::RawParam;

use super::glob_walk::Skipped;
use super::in_range::InRange;
use super::tiff_pages::Pages;

/// The most files one sequence may have.
pub const MAX_FILES: usize = 1_000_000;
/// Decoded frames kept for reuse (parallel workers ask for neighbouring frames)…
const CACHE: usize = 8;
/// …within this much memory: eight 16384x16384 pictures would take 8 GiB, so large
/// ones are decoded again rather than kept.
const CACHE_BYTES: u64 = 256 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// `frames/%04d.png` (numbered), `frames/*.png` (a glob, in natural order) or
    /// `stack.tif` (the pages of one TIFF).
    files: Spanned<String>,
    /// Frames per second of the sequence; default: the scene's `[output] fps`.
    fps: Option<Spanned<RawParam>>,
    /// The sample values shown black and white (see `in_range.rs`).
    in_range: Option<Spanned<Pair<f64>>>,
}

/// Where a sequence's pictures are.
enum Pictures {
    /// Files, with their `in_range`.
    Files(Vec<PathBuf>, Option<InRange>),
    Pages(Pages),
}

impl Pictures {
    fn len(&self) -> usize {
        match self {
            Pictures::Files(f, _) => f.len(),
            Pictures::Pages(p) => p.len(),
        }
    }

    /// Picture `index` (from 0).
    fn decode(&self, index: usize) -> Result<Frame, String> {
        match self {
            Pictures::Files(f, range) => super::decode::picture_in(&f[index], *range),
            Pictures::Pages(p) => p.page(index),
        }
    }

    /// What to call picture `index` in an error.
    fn which(&self, index: usize) -> String {
        match self {
            Pictures::Files(..) => format!("picture {} of the image sequence `files`", index + 1),
            Pictures::Pages(_) => format!("page {} of the stack `files`", index + 1),
        }
    }
}

struct Images {
    pictures: Pictures,
    size: Size,
    fps: f64,
    /// Whether `fps` was written on the clip (its content's rate) rather than taken
    /// from the output.
    declared: bool,
    cache: Mutex<Vec<(usize, Frame)>>,
    /// Where the scene names the files (` (line L, column C)`), for a picture found
    /// damaged only when it is decoded during the render; empty for `join`'s frames.
    place: String,
}

pub fn build(spec: Spec, cx: &mut ResolveCx) -> Result<Arc<dyn Clip>, Diagnostic> {
    let at = |m: String| Diagnostic::at(m, spec.files.span());
    let fps = match &spec.fps {
        Some(f) => cx.rate(f)?,
        None => cx.fps,
    };
    let range = InRange::compile(spec.in_range.as_ref())?;
    let written = spec.files.get_ref();
    let pattern = cx.relative(written);
    // Folders a glob could not read: said with the error if nothing matched (a failed
    // scene's warnings are not shown), else as a warning.
    let mut left_out = None;
    let mut gap = None;
    let files = if written.contains('%') {
        let (files, g) = numbered(&pattern).map_err(at)?;
        gap = g;
        files
    } else if written.contains(['*', '?', '[']) {
        let (files, skipped) = globbed(cx.base_dir(), written).map_err(at)?;
        left_out = skipped.warning(written);
        files
    } else if matches!(super::file::extension(&pattern).as_str(), "tif" | "tiff") {
        let path = cx.input_path(&spec.files)?;
        let pages = Pages::open(&path, MAX_FILES).map_err(at)?.with_range(range);
        let duration = pages.len() as f64 / fps;
        limits::check_duration(duration).map_err(at)?;
        return Ok(Arc::new(Images {
            size: pages.size(),
            pictures: Pictures::Pages(pages),
            fps,
            declared: spec.fps.is_some(),
            cache: Mutex::new(Vec::new()),
            place: cx.place(spec.files.span().start),
        }));
    } else {
        return Err(at(format!(
            "`{written}` is not a pattern: number the files (`frames/%04d.png`), glob them (`frames/*.png`) or name a TIFF stack (`stack.tif`)"
        ))
        .with_hint("a single picture is `kind = \"file\"`"));
    };
    if files.is_empty() {
        if let Some(g) = &gap {
            return Err(at(format!(
                "`{written}` starts at a number from 0 to 4, but its first file is {}",
                file_name(&g.next)
            ))
            .with_hint(gap_hint(written)));
        }
        return Err(at(format!(
            "no file matches `{written}` (resolved to {})",
            pattern.display()
        ))
        .with_hint(
            left_out.unwrap_or_else(|| "paths are relative to the scene file's folder".into()),
        ));
    }
    if let Some(g) = &gap {
        // "f_0006.png comes after it", "f_0006.png and 3 more come after it"
        let more = match g.more {
            0 => " comes".to_string(),
            1 => " and 1 more come".into(),
            n => format!(" and {n} more come"),
        };
        let clip = cx
            .current_clip()
            .map(|c| format!("clip `{c}`: "))
            .unwrap_or_default();
        let count = crate::base::listing::count(files.len() as u64, "picture");
        let w = Diagnostic::at(
            format!(
                "{clip}`{written}` stops at {} ({count}): {} is missing, but {}{more} \
                 after it",
                file_name(files.last().expect("files")),
                file_name(&g.missing),
                file_name(&g.next),
            ),
            spec.files.span(),
        )
        .with_hint(gap_hint(written));
        cx.warn(w);
    }
    if let Some(w) = left_out {
        cx.warn(Diagnostic::at(w, spec.files.span()));
    }
    let size = super::decode::dimensions(&files[0]).map_err(at)?;
    for f in &files {
        let s = super::decode::dimensions(f).map_err(at)?;
        if s != size {
            return Err(at(format!(
                "{} is {s} but {} is {size}: every picture of a sequence must have the same size",
                f.display(),
                files[0].display()
            )));
        }
        cx.record_input_at(f, Some(spec.files.span()));
    }
    // The folder too: a frame added to it changes its time, so Make renders again.
    if let Some(dir) = pattern.parent() {
        cx.record_input_at(dir, Some(spec.files.span()));
    }
    let duration = files.len() as f64 / fps;
    limits::check_duration(duration).map_err(at)?;
    Ok(Arc::new(Images {
        pictures: Pictures::Files(files, range),
        size,
        fps,
        declared: spec.fps.is_some(),
        cache: Mutex::new(Vec::new()),
        place: cx.place(spec.files.span().start),
    }))
}

/// A sequence of given files at `fps` (for `animate join`): every picture must have
/// the size of the first.
pub fn from_files(files: Vec<PathBuf>, fps: f64) -> Result<Arc<dyn Clip>, String> {
    let first = files.first().ok_or("no pictures")?;
    let size = super::decode::dimensions(first)?;
    for f in &files {
        let s = super::decode::dimensions(f)?;
        if s != size {
            return Err(format!(
                "{} is {s} but {} is {size}: every frame must have the same size",
                f.display(),
                first.display()
            ));
        }
    }
    limits::check_duration(files.len() as f64 / fps)?;
    Ok(Arc::new(Images {
        pictures: Pictures::Files(files, None),
        size,
        fps,
        declared: true,
        cache: Mutex::new(Vec::new()),
        place: String::new(),
    }))
}

/// Files of a printf pattern past the point where [`numbered`] stopped: numbers saved
/// every 10th step (`0000`, `0010`, …) would otherwise give a one-picture clip
/// without a word.
#[derive(Debug, PartialEq)]
struct Gap {
    /// The first number that is missing.
    missing: PathBuf,
    /// The first file of the pattern after it, and how many more follow.
    next: PathBuf,
    more: usize,
}

/// The files of a printf pattern: the first index found among 0..=4 (as FFmpeg's
/// image2 reader does), then every following index until one is missing; and the
/// files of the pattern that exist past that gap.
fn numbered(pattern: &Path) -> Result<(Vec<PathBuf>, Option<Gap>), String> {
    let name = pattern
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("`{}` has no file name", pattern.display()))?;
    let dir = pattern.parent().unwrap_or(Path::new("."));
    let names = NamePattern::parse(name)?;
    let width = names.width.unwrap_or(1);
    let path = |i: u64| dir.join(names.name(i, width));
    let mut first = None;
    for i in 0..=4 {
        if picture(&path(i))? {
            first = Some(i);
            break;
        }
    }
    let mut files = Vec::new();
    let mut i = 0;
    if let Some(first) = first {
        i = first;
        while picture(&path(i))? {
            if files.len() >= MAX_FILES {
                return Err(format!("more than {MAX_FILES} files match"));
            }
            files.push(path(i));
            i += 1;
        }
    }
    let gap = later(dir, &names, width, i).map(|(next, more)| Gap {
        missing: path(i),
        next: dir.join(names.name(next, width)),
        more,
    });
    Ok((files, gap))
}

/// The smallest number above `from` that names a file of the pattern in `dir`, and
/// how many others above `from` there are. The folder is listed once, up to
/// [`MAX_FILES`] entries.
fn later(dir: &Path, names: &NamePattern, width: usize, from: u64) -> Option<(u64, usize)> {
    let listing = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    })
    .ok()?;
    let found: Vec<u64> = listing
        .take(MAX_FILES)
        .filter_map(|e| e.ok())
        .filter_map(|e| names.index_of(e.file_name().to_str()?, width))
        .filter(|&n| n > from)
        .collect();
    let next = *found.iter().min()?;
    Some((next, found.len() - 1))
}

/// What a gap in a printf pattern's numbers means, and the glob that takes every file.
fn gap_hint(written: &str) -> String {
    match crate::base::pattern::as_glob(written) {
        Some(glob) => format!(
            "a numbered pattern takes 0, 1, 2, … up to the first missing number; \
             the glob `{glob}` takes every file in natural order"
        ),
        None => "a numbered pattern takes 0, 1, 2, … up to the first missing number; \
                 a glob (`*`) takes every file in natural order"
            .into(),
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `p` is a picture of the sequence: a regular file. Nothing there, or a
/// folder, is not; a pipe or a device is an error (it would block or never end).
fn picture(p: &Path) -> Result<bool, String> {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => crate::base::input::check_file(p)
            .map(|_| true)
            .map_err(String::from),
        Err(_) => Ok(false),
    }
}

/// The files a glob matches, in natural order (`f2` before `f10`), and the folders it
/// left out because they cannot be read.
fn globbed(base: &Path, written: &str) -> Result<(Vec<PathBuf>, Skipped), String> {
    let mut files = Vec::new();
    let (found, skipped) = super::glob_walk::matches(base, written)?;
    for p in found {
        if picture(&p)? {
            if files.len() >= MAX_FILES {
                return Err(format!("more than {MAX_FILES} files match"));
            }
            files.push(p);
        }
    }
    files.sort_by(|a, b| natural(&a.to_string_lossy(), &b.to_string_lossy()));
    Ok((files, skipped))
}

/// Compares names with runs of digits taken as numbers.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (run(a), run(b));
                let (da, db) = (&a[..na], &b[..nb]);
                let trim = |d: &[u8]| {
                    let z = d.iter().take_while(|&&c| c == b'0').count();
                    d[z..].to_vec()
                };
                let (ta, tb) = (trim(da), trim(db));
                let ord = ta.len().cmp(&tb.len()).then(ta.cmp(&tb)).then(na.cmp(&nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

impl Images {
    fn cache(&self) -> std::sync::MutexGuard<'_, Vec<(usize, Frame)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn frame(&self, index: usize) -> RenderResult {
        let hit = self
            .cache()
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, f)| f.clone());
        if let Some(f) = hit {
            return Ok(f);
        }
        let frame = self.pictures.decode(index).map_err(|e| {
            // `check` reads each picture's header, not its whole content.
            RenderError(match self.place.is_empty() {
                true => e,
                false => format!("{e}: {}{}", self.pictures.which(index), self.place),
            })
        })?;
        if (frame.width(), frame.height()) != (self.size.w, self.size.h) {
            let which = self.pictures.which(index);
            return Err(RenderError(format!("{which} changed size while rendering")));
        }
        let keep = cache_entries(self.size);
        let mut c = self.cache();
        while !c.is_empty() && c.len() >= keep {
            c.remove(0);
        }
        if keep > 0 {
            c.push((index, frame.clone()));
        }
        Ok(frame)
    }
}

/// How many decoded frames of `size` the cache keeps.
fn cache_entries(size: Size) -> usize {
    let bytes = size.w as u64 * size.h as u64 * 4;
    (CACHE_BYTES / bytes.max(1)).min(CACHE as u64) as usize
}

impl Clip for Images {
    fn kind(&self) -> &'static str {
        "images"
    }
    fn size(&self) -> Size {
        self.size
    }
    fn duration(&self) -> Option<f64> {
        Some(self.pictures.len() as f64 / self.fps)
    }
    fn rate(&self) -> Option<f64> {
        self.declared.then_some(self.fps)
    }
    fn render(&self, t: f64, _cx: &RenderCx) -> RenderResult {
        let i = ((t * self.fps + crate::base::time::TIME_EPSILON)
            .floor()
            .max(0.0) as usize)
            .min(self.pictures.len() - 1);
        self.frame(i)
    }
}

#[cfg(test)]
mod tests {
    use super::{cache_entries, natural, numbered, Gap, Size};
    use std::cmp::Ordering::*;

    #[test]
    fn a_gap_in_the_numbers_is_found() {
        let dir = tempfile::tempdir().unwrap();
        for n in [0, 10, 20, 30] {
            std::fs::write(dir.path().join(format!("step_{n:04}.png")), b"x").unwrap();
        }
        // not of the pattern: another width, another prefix
        std::fs::write(dir.path().join("step_40.png"), b"x").unwrap();
        std::fs::write(dir.path().join("stop_0050.png"), b"x").unwrap();
        let (files, gap) = numbered(&dir.path().join("step_%04d.png")).unwrap();
        assert_eq!(files, vec![dir.path().join("step_0000.png")]);
        assert_eq!(
            gap,
            Some(Gap {
                missing: dir.path().join("step_0001.png"),
                next: dir.path().join("step_0010.png"),
                more: 2,
            })
        );
        // numbers from 10 only: nothing found from 0 to 4, and the first file named
        std::fs::remove_file(dir.path().join("step_0000.png")).unwrap();
        let (files, gap) = numbered(&dir.path().join("step_%04d.png")).unwrap();
        assert!(files.is_empty());
        assert_eq!(gap.unwrap().next, dir.path().join("step_0010.png"));
        // no gap: nothing said
        let (files, gap) = numbered(&dir.path().join("step_%03d.png")).unwrap();
        assert!(files.is_empty() && gap.is_none());
    }

    #[test]
    fn the_cache_keeps_few_large_frames() {
        assert_eq!(cache_entries(Size::new(640, 480)), 8);
        assert_eq!(cache_entries(Size::new(4096, 4096)), 4);
        assert_eq!(cache_entries(Size::new(8192, 8192)), 1);
        assert_eq!(cache_entries(Size::new(16384, 16384)), 0);
    }

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        assert_eq!(natural("f2.png", "f10.png"), Less);
        assert_eq!(natural("f10.png", "f9.png"), Greater);
        assert_eq!(natural("a.png", "b.png"), Less);
        assert_eq!(natural("f002.png", "f2.png"), Greater);
        assert_eq!(natural("x1y2", "x1y2"), Equal);
    }
}
