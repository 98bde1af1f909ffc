//! PNG output: numbered frames written into a temporary folder beside the target and
//! moved into place only when the whole sequence is done, plus single PNG files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::stamp::Stamp;
use crate::base::error::RenderError;
use crate::base::frame::{Frame, Size};
use crate::base::pattern::NamePattern;
use crate::encode::SinkSpec;
use crate::render::sink::{FrameSink, FrameWork, Worked};

/// Encodes a frame as PNG: RGB when fully opaque, RGBA otherwise (alpha kept). A
/// stamp, when given, goes into a `Comment` text chunk before the pixels.
///
/// Rows are made straight (not premultiplied) and written one at a time: a copy of
/// the whole picture took 1.75 GiB beside a 16384×16384 frame, so that two such frames
/// encoded at once passed 4 GiB (a `ulimit -v` render of PNG frames aborted).
pub fn encode_png(frame: &Frame, out: impl Write, stamp: Option<&Stamp>) -> Result<(), String> {
    let opaque = frame.pixels().iter().all(|p| p.alpha() == 255);
    let (color, channels) = match opaque {
        true => (png::ColorType::Rgb, 3),
        false => (png::ColorType::Rgba, 4),
    };
    let mut enc = png::Encoder::new(out, frame.width(), frame.height());
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::Filter::Adaptive);
    if let Some(s) = stamp {
        enc.add_text_chunk(super::stamp::PNG_KEYWORD.into(), s.to_string())
            .map_err(|e| e.to_string())?;
    }
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    // One `IDAT` chunk up to 1 MiB of compressed data (the stream writer's default is
    // 4 KiB chunks): the bytes of a whole-picture write, for every frame that small.
    let mut stream = w
        .stream_writer_with_size(1 << 20)
        .map_err(|e| e.to_string())?;
    let width = frame.width() as usize;
    let mut row = Vec::with_capacity(width * channels);
    for pixels in frame.pixels().chunks_exact(width.max(1)) {
        row.clear();
        for px in pixels {
            let c = px.demultiply();
            row.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()][..channels]);
        }
        stream.write_all(&row).map_err(|e| e.to_string())?;
    }
    stream.finish().map_err(|e| e.to_string())
}

/// What `animate join` needs from a PNG file, read from its chunks before the pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PngHeader {
    pub width: u32,
    pub height: u32,
    /// The frame's place in its render, if animate wrote it.
    pub stamp: Option<Stamp>,
    /// The picture has an alpha channel (or a transparent colour).
    pub alpha: bool,
}

/// Reads a PNG file's header and text chunks without decoding the pixels.
pub fn read_header(path: &Path) -> Result<PngHeader, String> {
    // The reason only: callers say which file.
    let file = crate::base::input::open(path).map_err(|e| e.reason)?;
    let reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .map_err(|e| e.to_string())?;
    let info = reader.info();
    Ok(PngHeader {
        width: info.width,
        height: info.height,
        stamp: info
            .uncompressed_latin1_text
            .iter()
            .filter(|c| c.keyword == super::stamp::PNG_KEYWORD)
            .find_map(|c| Stamp::parse(&c.text)),
        alpha: matches!(
            info.color_type,
            png::ColorType::Rgba | png::ColorType::GrayscaleAlpha
        ) || info.trns.is_some(),
    })
}

/// Writes one frame to `path` atomically (temporary file beside it, then renamed);
/// for `animate frame`.
pub fn write_png_file(path: &Path, frame: &Frame) -> Result<(), RenderError> {
    let dir = super::output::parent_dir(path)?;
    let mut tmp = super::output::temp_file_beside(path, &dir)?;
    let mut w = std::io::BufWriter::new(tmp.as_file_mut());
    encode_png(frame, &mut w, None)
        .map_err(|e| RenderError(format!("cannot encode {}: {e}", path.display())))?;
    w.flush().map_err(|e| io_error(path, &e))?;
    drop(w);
    crate::base::stop::check()?;
    tmp.persist(path).map_err(|e| io_error(path, &e))?;
    Ok(())
}

fn io_error(path: &Path, e: &std::io::Error) -> RenderError {
    RenderError(format!("cannot write {}: {e}", path.display()))
}

/// A PNG sequence being written into a temporary folder. Dropping it before
/// [`FrameSink::finish`] removes the folder and leaves the target untouched.
///
/// Files are named by absolute frame index, padded for the whole render, so that the
/// segments of one render (separate processes, possibly at the same time) can all
/// write into the same folder.
pub struct PngSequenceSink {
    tmp: tempfile::TempDir,
    /// Holds `tmp` as in use, so that a later render does not take it for one a killed
    /// render left (see [`super::leftovers`]).
    _held: Option<fs::File>,
    target: PathBuf,
    names: NamePattern,
    width: usize,
    size: Size,
    stamp: Stamp,
    whole: bool,
    written: u64,
}

impl PngSequenceSink {
    /// Creates the temporary folder beside `target` (the folder the frames go to).
    pub fn create(
        target: &Path,
        names: NamePattern,
        spec: &SinkSpec,
    ) -> Result<PngSequenceSink, RenderError> {
        let parent = super::output::parent_dir(target)?;
        super::leftovers::remove_abandoned(&parent, &super::output::temp_prefix(target));
        let tmp = super::output::temp_dir_beside(target, &parent)?;
        let held = super::leftovers::hold(tmp.path());
        let width = names.width_for(spec.total);
        Ok(PngSequenceSink {
            tmp,
            _held: held,
            target: target.to_path_buf(),
            names,
            width,
            size: spec.size,
            stamp: spec.stamp(),
            whole: spec.is_whole(),
            written: 0,
        })
    }

    /// Moves the frames into the target folder. After a whole render, frames of an
    /// earlier, longer render that used the same names are removed (they would
    /// otherwise look like part of this one), but only files animate wrote (they carry
    /// its stamp): another program's numbered PNGs stay, with a warning. A part of a
    /// render leaves every other frame alone, since other segments write there too.
    fn commit(self) -> Result<(), RenderError> {
        // A signal since the last frame: the temporary folder goes, the target stays.
        crate::base::stop::check()?;
        let PngSequenceSink {
            tmp,
            target,
            names,
            width,
            stamp,
            whole,
            ..
        } = self;
        if whole && !target.exists() {
            let kept = tmp.keep();
            return fs::rename(&kept, &target).map_err(|e| {
                let _ = fs::remove_dir_all(&kept);
                RenderError(format!("cannot create {}: {e}", target.display()))
            });
        }
        if target.exists() && !target.is_dir() {
            return Err(RenderError(format!(
                "{} exists and is not a folder",
                target.display()
            )));
        }
        // A folder holding only an earlier render's frames is replaced whole, in one
        // step: moved frame by frame, a SIGKILL part-way left some frames of each render.
        // Where that is not supported (an old kernel, some file systems), frame by frame
        // as below. After the swap the temporary folder holds the earlier render, and
        // goes with it.
        if whole
            && only_frames(&target, &names, width, stamp.total)
            && swap_folders(tmp.path(), &target).is_ok()
        {
            return Ok(());
        }
        // Safe when several segments create it at once.
        super::output::create_dirs(&target)
            .map_err(|e| RenderError(format!("cannot create {}: {e}", target.display())))?;
        move_frames(tmp.path(), &target, &names, width, &stamp)?;
        if !whole {
            return Ok(());
        }
        let mut foreign: Vec<PathBuf> = Vec::new();
        if let Ok(entries) = fs::read_dir(&target) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let stale = name
                    .to_str()
                    .and_then(|n| names.index_of(n, width))
                    .is_some_and(|i| i >= stamp.total);
                if !stale || !entry.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                if read_header(&entry.path()).is_ok_and(|h| h.stamp.is_some()) {
                    let _ = fs::remove_file(entry.path());
                } else {
                    foreign.push(entry.path());
                }
            }
        }
        if let Some(first) = foreign.iter().min() {
            let more = match foreign.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            crate::base::report::warn(format_args!(
                "{}{more} left in place: named like frames after this render's last, but not \
                 written by animate; they may look like part of the sequence",
                first.display()
            ));
        }
        Ok(())
    }
}

/// Moves this render's frames from `from` into `target`, one by one.
fn move_frames(
    from: &Path,
    target: &Path,
    names: &NamePattern,
    width: usize,
    stamp: &Stamp,
) -> Result<(), RenderError> {
    for i in stamp.first..stamp.end {
        let name = names.name(i, width);
        fs::rename(from.join(&name), target.join(&name))
            .map_err(|e| io_error(&target.join(&name), &e))?;
    }
    Ok(())
}

/// Whether `target` is a folder holding nothing but files named as frames of this
/// pattern, those past this render's `total` written by animate: replacing it whole
/// then removes nothing the frame-by-frame move would keep (a foreign file, a stale
/// frame animate did not write).
fn only_frames(target: &Path, names: &NamePattern, width: usize, total: u64) -> bool {
    // A link to a folder would be swapped itself, not the folder it names.
    if !fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        return false;
    }
    let Ok(entries) = fs::read_dir(target) else {
        return false;
    };
    entries.into_iter().all(|entry| {
        let Ok(entry) = entry else { return false };
        let Some(i) = entry
            .file_name()
            .to_str()
            .and_then(|n| names.index_of(n, width))
        else {
            return false;
        };
        entry.file_type().is_ok_and(|t| t.is_file())
            && (i < total || read_header(&entry.path()).is_ok_and(|h| h.stamp.is_some()))
    })
}

/// Exchanges two folders in one step (Linux's `renameat2` with `RENAME_EXCHANGE`), the
/// new one taking the old one's permissions first. Elsewhere, an error.
fn swap_folders(new: &Path, old: &Path) -> std::io::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::ffi::OsStrExt;
        let perms = fs::metadata(old)?.permissions();
        fs::set_permissions(new, perms)?;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
        };
        let (a, b) = (c(new)?, c(old)?);
        // SAFETY: two NUL-terminated paths, relative to the working folder.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = (new, old);
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// PNG compression on the render workers: a frame becomes the bytes of its file.
struct PngWork {
    stamp: Stamp,
    size: Size,
}

impl FrameWork for PngWork {
    fn work(&self, index: u64, frame: Frame) -> Result<Worked, RenderError> {
        let absolute = self.stamp.first + index;
        check_size(absolute, &frame, self.size)?;
        let mut bytes = Vec::new();
        encode_png(&frame, &mut bytes, Some(&self.stamp.frame(absolute)))
            .map_err(|e| RenderError(format!("cannot encode frame {absolute}: {e}")))?;
        Ok(Box::new(bytes))
    }
}

impl PngSequenceSink {
    /// Writes frame `index`'s file with what `write` puts in it.
    fn write_file(
        &mut self,
        index: u64,
        write: impl FnOnce(&mut dyn Write) -> Result<(), RenderError>,
    ) -> Result<(), RenderError> {
        if index != self.written {
            return Err(RenderError(format!(
                "internal error: PNG frame {index} arrived, expected {}",
                self.written
            )));
        }
        let absolute = self.stamp.first + index;
        let name = self.names.name(absolute, self.width);
        let path = self.tmp.path().join(&name);
        // Named as the user knows it: the frames go to a hidden folder beside the target
        // first, whose name means nothing to them (hostile10).
        let shown = self.target.join(&name);
        let file = fs::File::create(&path).map_err(|e| io_error(&shown, &e))?;
        let mut w = std::io::BufWriter::new(file);
        write(&mut w)?;
        w.flush().map_err(|e| io_error(&shown, &e))?;
        self.written += 1;
        Ok(())
    }
}

impl FrameSink for PngSequenceSink {
    fn push(&mut self, index: u64, frame: Frame) -> Result<(), RenderError> {
        let absolute = self.stamp.first + index;
        check_size(absolute, &frame, self.size)?;
        let stamp = self.stamp.frame(absolute);
        self.write_file(index, |w| {
            encode_png(&frame, w, Some(&stamp))
                .map_err(|e| RenderError(format!("cannot encode frame {absolute}: {e}")))
        })
    }

    fn work(&self) -> Option<Arc<dyn FrameWork>> {
        Some(Arc::new(PngWork {
            stamp: self.stamp.clone(),
            size: self.size,
        }))
    }

    fn push_worked(&mut self, index: u64, worked: Worked) -> Result<(), RenderError> {
        let bytes = worked.downcast::<Vec<u8>>().map_err(|_| {
            RenderError(format!("internal error: PNG frame {index} was not encoded"))
        })?;
        let shown = self
            .target
            .join(self.names.name(self.stamp.first + index, self.width));
        self.write_file(index, |w| {
            w.write_all(&bytes).map_err(|e| io_error(&shown, &e))
        })
    }

    fn finish(self: Box<Self>) -> Result<(), RenderError> {
        self.commit()
    }
}

/// Refuses a frame of another size than the output's (a bug upstream).
pub(crate) fn check_size(index: u64, frame: &Frame, size: Size) -> Result<(), RenderError> {
    if (frame.width(), frame.height()) != (size.w, size.h) {
        return Err(RenderError(format!(
            "internal error: frame {index} is {}x{}, expected {size}",
            frame.width(),
            frame.height()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::frame::filled;

    fn spec(frames: u64) -> SinkSpec {
        SinkSpec {
            size: Size::new(3, 2),
            fps: 10.0,
            frames,
            first: 0,
            total: frames,
            quality: 90,
            transparent: true,
            render_id: None,
            options: Vec::new(),
        }
    }

    fn frame(c: [u8; 4]) -> Frame {
        filled(
            Size::new(3, 2),
            tiny_skia::Color::from_rgba8(c[0], c[1], c[2], c[3]),
        )
    }

    #[test]
    fn keeps_alpha_and_straightens_colours() {
        let mut bytes = Vec::new();
        encode_png(&frame([255, 0, 0, 128]), &mut bytes, None).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!(img.color(), image::ColorType::Rgba8);
        let px = img.to_rgba8().get_pixel(0, 0).0;
        assert_eq!(px[3], 128);
        assert!(px[0] >= 254 && px[1] == 0, "{px:?}");
        bytes.clear();
        encode_png(&frame([0, 0, 255, 255]), &mut bytes, None).unwrap();
        assert_eq!(
            image::load_from_memory(&bytes).unwrap().color(),
            image::ColorType::Rgb8
        );
    }

    #[test]
    fn stamp_and_alpha_are_read_back_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.png");
        let stamp = Stamp::parse("animate frame 3 of 7 at 25/1 fps").unwrap();
        let mut bytes = Vec::new();
        encode_png(&frame([255, 0, 0, 128]), &mut bytes, Some(&stamp)).unwrap();
        fs::write(&path, &bytes).unwrap();
        let h = read_header(&path).unwrap();
        assert_eq!(
            (h.width, h.height, h.stamp, h.alpha),
            (3, 2, Some(stamp), true)
        );
        bytes.clear();
        encode_png(&frame([0, 0, 255, 255]), &mut bytes, None).unwrap();
        fs::write(&path, &bytes).unwrap();
        let h = read_header(&path).unwrap();
        assert_eq!((h.stamp, h.alpha), (None, false));
        fs::write(&path, b"not a png").unwrap();
        assert!(read_header(&path).is_err());
    }

    #[test]
    fn parts_of_a_render_are_named_by_absolute_frame_and_prune_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("0011.png"), b"other segment").unwrap();
        fs::write(target.join("0999.png"), b"stale").unwrap();
        let mut s = spec(2);
        s.first = 9;
        s.total = 12;
        let mut sink =
            Box::new(PngSequenceSink::create(&target, NamePattern::numbered(), &s).unwrap());
        sink.push(0, frame([1, 2, 3, 255])).unwrap();
        sink.push(1, frame([1, 2, 3, 255])).unwrap();
        sink.finish().unwrap();
        let h = read_header(&target.join("0010.png")).unwrap();
        assert_eq!(
            h.stamp.unwrap().to_string(),
            "animate frame 10 of 12 at 10/1 fps"
        );
        assert!(target.join("0009.png").exists());
        assert_eq!(fs::read(target.join("0011.png")).unwrap(), b"other segment");
        assert!(target.join("0999.png").exists(), "a part prunes nothing");
    }

    #[test]
    fn sequence_appears_only_on_finish() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("frames");
        let mut sink =
            Box::new(PngSequenceSink::create(&target, NamePattern::numbered(), &spec(2)).unwrap());
        sink.push(0, frame([0, 255, 0, 255])).unwrap();
        sink.push(1, frame([0, 0, 0, 0])).unwrap();
        assert!(!target.exists());
        sink.finish().unwrap();
        let mut names: Vec<_> = fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["0000.png", "0001.png"]);
        assert_eq!(
            image::open(target.join("0001.png"))
                .unwrap()
                .to_rgba8()
                .get_pixel(2, 1)
                .0,
            [0, 0, 0, 0]
        );
        // Only the target folder is left: the temporary folder is gone.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn dropped_sequence_leaves_existing_frames_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("f_00.png"), b"old").unwrap();
        let names = NamePattern::parse("f_%02d.png").unwrap();
        let mut sink = Box::new(PngSequenceSink::create(&target, names, &spec(3)).unwrap());
        sink.push(0, frame([1, 2, 3, 255])).unwrap();
        drop(sink);
        assert_eq!(fs::read(target.join("f_00.png")).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary folder removed"
        );
    }

    #[test]
    fn finishing_into_existing_folder_replaces_and_prunes_stale_frames() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let names = NamePattern::parse("f_%02d.png").unwrap();
        // An earlier, longer render, then files of others.
        let mut sink = Box::new(PngSequenceSink::create(&target, names.clone(), &spec(3)).unwrap());
        for i in 0..3 {
            sink.push(i, frame([1, 2, 3, 255])).unwrap();
        }
        sink.finish().unwrap();
        for name in ["f_00.png", "f_03.png", "notes.txt", "f_2.png"] {
            fs::write(target.join(name), b"old").unwrap();
        }
        let mut sink = Box::new(PngSequenceSink::create(&target, names, &spec(2)).unwrap());
        sink.push(0, frame([1, 2, 3, 255])).unwrap();
        sink.push(1, frame([1, 2, 3, 255])).unwrap();
        sink.finish().unwrap();
        assert!(image::open(target.join("f_00.png")).is_ok(), "replaced");
        assert!(image::open(target.join("f_01.png")).is_ok());
        assert!(
            !target.join("f_02.png").exists(),
            "stale frame of a longer render removed"
        );
        assert_eq!(
            fs::read(target.join("f_03.png")).unwrap(),
            b"old",
            "a frame-named file animate did not write is kept"
        );
        assert!(
            target.join("notes.txt").exists() && target.join("f_2.png").exists(),
            "other files kept"
        );
    }

    #[test]
    fn single_file_is_atomic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("one.png");
        write_png_file(&path, &frame([9, 8, 7, 255])).unwrap();
        assert_eq!(
            image::open(&path).unwrap().to_rgba8().get_pixel(1, 1).0,
            [9, 8, 7, 255]
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
