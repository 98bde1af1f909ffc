//! Where a render goes, chosen from the output path: `.gif`, a folder or a numbered
//! `.png` pattern, or a video file. Every sink writes under a temporary name beside
//! its target and commits only in `finish`, so a failed or interrupted render leaves
//! an existing output untouched and no partial file behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::gif::{GifRepeat, GifSink};
use super::stream::{PngStreamSink, StreamFormat};
use super::video::settings::{Container, EncoderPlan, VideoSettings};
use crate::audio::Sound;
use crate::base::error::RenderError;
use crate::base::frame::Size;
use crate::base::pattern::NamePattern;
use crate::encode::png::PngSequenceSink;
use crate::encode::SinkSpec;
use crate::render::sink::FrameSink;

/// Extensions of video outputs, handled by the video encoder.
pub const VIDEO_EXTENSIONS: &[&str] = &["mp4", "webm", "mov", "mkv"];

/// For an extension of a format people know but animate does not write (`.avi`,
/// `.apng`): what it is and what to write instead. "Cannot tell the output format"
/// would be wrong there: the name says it plainly.
fn not_written(ext: &str) -> Option<(String, &'static str)> {
    let videos = "write .mp4 or .mkv (H.264), .webm (VP9) or .mov, and convert the file \
                  with ffmpeg if a player needs another (`ffmpeg -i out.mkv out.avi`)";
    let pictures = "`animate frame scene.toml -t 1 -o still.png` writes one frame (PNG), \
                    and a folder (`-o frames/`) takes every frame as PNG files";
    let animated = "write .gif (a palette, on/off transparency), .webm (VP9, with alpha) \
                    or PNG frames into a folder (`-o frames/`)";
    Some(match ext {
        "avi" | "wmv" | "flv" | "mpg" | "mpeg" | "ts" | "ogv" | "3gp" => {
            (format!("{} files", ext.to_ascii_uppercase()), videos)
        }
        "m4v" => ("`.m4v` files".into(), "write .mp4, the same H.264 video"),
        "apng" => ("animated PNG (APNG)".into(), animated),
        "webp" | "avif" => (format!("animated {}", ext.to_ascii_uppercase()), animated),
        "jpg" | "jpeg" | "bmp" | "tif" | "tiff" => {
            (format!("{} pictures", ext.to_ascii_uppercase()), pictures)
        }
        "mp3" | "wav" | "ogg" | "flac" | "m4a" | "aac" | "opus" => (
            "sound alone".into(),
            "write a video (.mp4, .mkv, .webm, .mov), which keeps the scene's sound",
        ),
        _ => return None,
    })
}

/// An output target, parsed from `-o` or the scene's output path.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// An animated GIF (see `gif`).
    Gif { path: PathBuf, repeat: GifRepeat },
    /// Numbered PNG files in `dir`.
    PngSequence { dir: PathBuf, names: NamePattern },
    /// A video file (MP4, MKV, WebM, MOV) with its encoder settings.
    Video {
        path: PathBuf,
        settings: VideoSettings,
    },
    /// Standard output (`-o -`): a GIF, or a stream of PNG files.
    Stdout {
        format: StreamFormat,
        repeat: GifRepeat,
    },
}

impl Output {
    /// Whether frames go into a GIF (a file, or stdout with `--format gif`).
    pub fn is_gif(&self) -> bool {
        matches!(
            self,
            Output::Gif { .. }
                | Output::Stdout {
                    format: crate::encode::stream::StreamFormat::Gif,
                    ..
                }
        )
    }

    /// Sets how many times a GIF plays (0: for ever); other outputs ignore it.
    pub fn with_repeat(self, plays: u16) -> Output {
        match self {
            Output::Gif { path, .. } => {
                let repeat = if plays == 0 {
                    GifRepeat::Forever
                } else {
                    GifRepeat::Times(plays)
                };
                Output::Gif { path, repeat }
            }
            Output::Stdout { format, .. } => {
                let repeat = if plays == 0 {
                    GifRepeat::Forever
                } else {
                    GifRepeat::Times(plays)
                };
                Output::Stdout { format, repeat }
            }
            other => other,
        }
    }

    /// Attaches the `--codec`/`--crf`/`--preset`/`--bitrate` settings, refusing them
    /// for outputs that are not video and combinations the container cannot hold.
    pub fn with_video_settings(self, settings: VideoSettings) -> Result<Output, String> {
        match self {
            Output::Video { path, .. } => {
                let container = Container::from_path(&path).expect("video outputs have a known extension");
                settings.check(container)?;
                Ok(Output::Video { path, settings })
            }
            other if settings.is_default() => Ok(other),
            _ => Err(format!(
                "--codec, --crf, --preset and --bitrate apply to video outputs (.{}), not to GIF or PNG",
                VIDEO_EXTENSIONS.join(", .")
            )),
        }
    }

    /// Like [`Output::parse`], with `-` for standard output in the given `--format`,
    /// which only `-` takes.
    pub fn parse_with_format(target: &str, format: Option<StreamFormat>) -> Result<Output, String> {
        match (target, format) {
            ("-", Some(format)) => Ok(Output::Stdout {
                format,
                repeat: GifRepeat::Forever,
            }),
            ("-", None) => Err(
                "-o - writes to stdout: say what with --format gif (the GIF) or --format png (PNG files one after another)"
                    .into(),
            ),
            (_, Some(_)) => Err(format!(
                "--format is for -o - (stdout); `{target}` is written in the format its name says"
            )),
            (_, None) => Output::parse(target),
        }
    }

    /// Whether the output goes to standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(self, Output::Stdout { .. })
    }

    /// Picks the encoder from the target: `x.gif`; a folder (existing, or written with
    /// a trailing `/`) or a pattern such as `frames/%04d.png`; `x.mp4|webm|mov|mkv`.
    pub fn parse(target: &str) -> Result<Output, String> {
        if target.trim().is_empty() {
            return Err("the output path is empty".into());
        }
        let path = PathBuf::from(target);
        let ends_with_sep = target.ends_with('/') || target.ends_with(std::path::MAIN_SEPARATOR);
        if ends_with_sep || path.is_dir() {
            return Ok(Output::PngSequence {
                dir: path,
                names: NamePattern::numbered(),
            });
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match ext.as_str() {
            "gif" => Ok(Output::Gif { path, repeat: GifRepeat::Forever }),
            "png" if name.contains('%') => {
                let names = NamePattern::parse(name)?;
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                if dir.to_str().is_some_and(|d| d.contains('%')) {
                    return Err(format!("`{target}`: the frame number placeholder belongs in the file name, not the folder"));
                }
                let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
                Ok(Output::PngSequence { dir, names })
            }
            "png" => Err(format!(
                "`{target}` is a single PNG file: for PNG frames use a folder (`frames/`) or a numbered pattern \
                 (`frames/%04d.png`); for one frame use `animate frame`"
            )),
            e if VIDEO_EXTENSIONS.contains(&e) && cfg!(feature = "video") => Ok(Output::Video {
                path,
                settings: VideoSettings::default(),
            }),
            e if VIDEO_EXTENSIONS.contains(&e) => Err(format!(
                "cannot write `{target}`: {}",
                crate::base::error::NO_VIDEO_HINT
            )),
            e => match not_written(e) {
                Some((what, instead)) => Err(format!(
                    "cannot write `{target}`: animate does not write {what}; {instead}"
                )),
                None => Err(format!(
                    "cannot tell the output format of `{target}`: use a .gif file, a folder ending in `/` or a pattern like \
                     `frames/%04d.png` for PNG frames, or a video file (.{})",
                    VIDEO_EXTENSIONS.join(", .")
                )),
            },
        }
    }

    /// The same output with a symbolic link at its file followed to the file it names
    /// (see [`through_link`]); a link to a folder of frames to that folder, since the
    /// frames are written beside it first and then moved in, which cannot cross file
    /// systems (a link on a tmpfs to a folder on disk failed with "Invalid cross-device
    /// link").
    pub fn through_links(self) -> Result<Output, String> {
        Ok(match self {
            Output::Gif { path, repeat } => Output::Gif {
                path: through_link(&path)?,
                repeat,
            },
            Output::Video { path, settings } => Output::Video {
                path: through_link(&path)?,
                settings,
            },
            Output::PngSequence { dir, names } => Output::PngSequence {
                dir: folder_through_link(dir),
                names,
            },
            other => other,
        })
    }

    /// The file or folder the render produces (for the summary line).
    pub fn path(&self) -> &Path {
        match self {
            Output::Gif { path, .. } | Output::Video { path, .. } => path,
            Output::PngSequence { dir, .. } => dir,
            Output::Stdout { .. } => Path::new("-"),
        }
    }

    /// Things the user should know before rendering into this output with `spec`
    /// (GIF timing above 50 fps); the CLI prints them, even with `--quiet`.
    pub fn warnings(&self, spec: &SinkSpec) -> Vec<String> {
        match self {
            Output::Gif { .. }
            | Output::Stdout {
                format: StreamFormat::Gif,
                ..
            } => super::gif::fps_warning(spec.fps).into_iter().collect(),
            Output::Video { path, settings } => Container::from_path(path)
                .and_then(|c| EncoderPlan::new(c, settings, spec.size, spec.transparent).ok())
                .map(|p| p.notes)
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The size of the pictures written for frames of `size`: a video's codec may pad
    /// them to even sides (4:2:0), and the summary line says what the file holds.
    pub fn written_size(&self, size: Size, transparent: bool) -> Size {
        match self {
            Output::Video { path, settings } => Container::from_path(path)
                .and_then(|c| EncoderPlan::new(c, settings, size, transparent).ok())
                .map_or(size, |p| p.size),
            _ => size,
        }
    }

    /// Refuses what this output cannot write within reason, before anything renders.
    pub fn check(&self, spec: &SinkSpec) -> Result<(), String> {
        self.check_size(spec.size)
    }

    /// Refuses frames of `size` that this output cannot write within reason (a GIF's
    /// at most 4096×4096; a video's within FFmpeg's bound on a picture).
    pub fn check_size(&self, size: crate::base::frame::Size) -> Result<(), String> {
        match self {
            Output::Gif { .. }
            | Output::Stdout {
                format: StreamFormat::Gif,
                ..
            } => super::gif::check_size(size),
            Output::Video { path, settings } => match Container::from_path(path) {
                // (Settings that do not suit the container are refused elsewhere.)
                Some(c) => match EncoderPlan::new(c, settings, size, false) {
                    Err(e) if e.contains("is too large for") => Err(e),
                    _ => Ok(()),
                },
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// Starts writing. Missing parent folders are created; nothing is visible at the
    /// target until the sink's `finish` succeeds.
    pub fn open(&self, spec: &SinkSpec) -> Result<Box<dyn FrameSink>, RenderError> {
        self.open_with_sound(spec, None)
    }

    /// [`Output::open`], with the sound a video output keeps (other outputs have none).
    pub fn open_with_sound(
        &self,
        spec: &SinkSpec,
        sound: Option<Arc<dyn Sound>>,
    ) -> Result<Box<dyn FrameSink>, RenderError> {
        match self {
            Output::Gif { path, repeat } => Ok(Box::new(GifSink::create(path, *repeat, spec)?)),
            Output::PngSequence { dir, names } => {
                Ok(Box::new(PngSequenceSink::create(dir, names.clone(), spec)?))
            }
            Output::Video { path, settings } => open_video(path, settings, spec, sound),
            Output::Stdout {
                format: StreamFormat::Gif,
                repeat,
            } => Ok(Box::new(GifSink::to_stdout(*repeat, spec)?)),
            Output::Stdout {
                format: StreamFormat::Png,
                ..
            } => Ok(Box::new(PngStreamSink::new(spec))),
        }
    }
}

#[cfg(feature = "video")]
fn open_video(
    path: &Path,
    settings: &VideoSettings,
    spec: &SinkSpec,
    sound: Option<Arc<dyn Sound>>,
) -> Result<Box<dyn FrameSink>, RenderError> {
    let container = Container::from_path(path).ok_or_else(|| {
        RenderError(format!(
            "cannot tell the video format of {}",
            path.display()
        ))
    })?;
    let plan = EncoderPlan::new(container, settings, spec.size, spec.transparent)
        .map_err(|e| RenderError(format!("cannot write {}: {e}", path.display())))?;
    Ok(Box::new(super::video::VideoSink::create(
        path, container, plan, spec, sound,
    )?))
}

#[cfg(not(feature = "video"))]
fn open_video(
    path: &Path,
    _: &VideoSettings,
    _: &SinkSpec,
    _: Option<Arc<dyn Sound>>,
) -> Result<Box<dyn FrameSink>, RenderError> {
    Err(RenderError(format!(
        "cannot write {}: {}",
        path.display(),
        crate::base::error::NO_VIDEO_HINT
    )))
}

/// Where writing `path` lands. An output is written as a new file renamed over its
/// target, which would replace a symbolic link rather than the file it names; so a link
/// is followed first, as the shell's `>` does: the link stays and its file is replaced.
/// A link to nothing writable (a missing file, a pipe) is refused.
pub fn through_link(path: &Path) -> Result<PathBuf, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            let to = std::fs::read_link(path)
                .map(|t| format!(" to {}", t.display()))
                .unwrap_or_default();
            format!(
                "{} is a symbolic link{to}, which cannot be followed ({e}): animate writes through \
                 a link to the file it names; remove the link or point it at a file",
                path.display()
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// The folder a symbolic link at `dir` names (`dir` itself otherwise, or when the link
/// leads nowhere: creating the folder then fails with the reason). `frames/` and
/// `frames` are one folder: a trailing `/` would make the link's own metadata that of
/// its folder.
fn folder_through_link(dir: PathBuf) -> PathBuf {
    let bare: PathBuf = dir.components().collect();
    match std::fs::symlink_metadata(&bare) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(&bare).unwrap_or(dir),
        _ => dir,
    }
}

/// Whether two paths name one file: the same absolute path, or the same file on disk.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let abs = |p: &Path| std::path::absolute(p).ok();
    if abs(a).is_some() && abs(a) == abs(b) {
        return true;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Folders this process made for its outputs: a failed run takes them away again, so
/// that it leaves nothing behind, not even empty folders.
static CREATED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// `create_dir_all` that remembers which folders did not exist (see
/// [`remove_created_dirs`]).
pub fn create_dirs(dir: &Path) -> std::io::Result<()> {
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .map(Path::to_path_buf)
        .collect();
    std::fs::create_dir_all(dir)?;
    CREATED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend(missing);
    Ok(())
}

/// After a failure: removes the folders [`create_dirs`] made that are still empty,
/// deepest first. A folder something else wrote into stays.
pub fn remove_created_dirs() {
    let mut dirs = std::mem::take(&mut *CREATED.lock().unwrap_or_else(|e| e.into_inner()));
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
}

/// The folder that will hold `target`, created if missing.
pub(crate) fn parent_dir(target: &Path) -> Result<PathBuf, RenderError> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    create_dirs(&parent).map_err(|e| {
        RenderError(format!(
            "cannot create the folder {}: {e}",
            parent.display()
        ))
    })?;
    Ok(parent)
}

/// The longest file name most file systems take, in bytes.
const MAX_NAME: usize = 255;
/// What a temporary name adds to the target's: `.`, `.`, six random characters and
/// `.tmp`.
const TEMP_EXTRA: usize = 12;

/// `.NAME.` for the temporary beside `target`, with NAME cut (at a character) so that
/// the whole temporary name stays within [`MAX_NAME`] bytes: a valid 250-byte output
/// name must not fail for its temporary's sake.
pub(crate) fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let mut cut = name.len().min(MAX_NAME - TEMP_EXTRA);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.", &name[..cut])
}

/// Temporary files are private (0600) by default; the output should get the usual
/// permissions (subject to the umask) like any file the user creates.
#[cfg(unix)]
fn usual_permissions(b: &mut tempfile::Builder<'_, '_>, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    b.permissions(std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn usual_permissions(_: &mut tempfile::Builder<'_, '_>, _: u32) {}

/// A temporary file in `dir`, removed when dropped unless persisted over `target`:
/// unnamed where the system allows it (see [`super::commit`]).
pub(crate) fn temp_file_beside(
    target: &Path,
    dir: &Path,
) -> Result<super::commit::TempOutput, RenderError> {
    super::commit::TempOutput::beside(target, dir)
}

/// A named temporary file `.NAME.XXXXXX.tmp` in `dir`.
pub(crate) fn named_temp_file_beside(
    target: &Path,
    dir: &Path,
) -> Result<tempfile::NamedTempFile, RenderError> {
    let prefix = temp_prefix(target);
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    usual_permissions(&mut b, 0o666);
    b.tempfile_in(dir).map_err(|e| {
        RenderError(format!(
            "cannot create a temporary file in {}: {e}",
            dir.display()
        ))
    })
}

/// A temporary folder in `dir`, removed with its content when dropped unless kept.
pub(crate) fn temp_dir_beside(target: &Path, dir: &Path) -> Result<tempfile::TempDir, RenderError> {
    let prefix = temp_prefix(target);
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".tmp");
    usual_permissions(&mut b, 0o777);
    b.tempdir_in(dir).map_err(|e| {
        RenderError(format!(
            "cannot create a temporary folder in {}: {e}",
            dir.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_encoder_from_target() {
        assert_eq!(
            Output::parse("out/a.GIF").unwrap(),
            Output::Gif {
                path: "out/a.GIF".into(),
                repeat: GifRepeat::Forever
            }
        );
        assert_eq!(
            Output::parse("frames/").unwrap(),
            Output::PngSequence {
                dir: "frames/".into(),
                names: NamePattern::numbered()
            }
        );
        let Output::PngSequence { dir, names } = Output::parse("out/f_%03d.png").unwrap() else {
            panic!()
        };
        assert_eq!(dir, PathBuf::from("out"));
        assert_eq!(names.name(2, 3), "f_002.png");
        let Output::PngSequence { dir, .. } = Output::parse("%04d.png").unwrap() else {
            panic!()
        };
        assert_eq!(dir, PathBuf::from("."));
        #[cfg(feature = "video")]
        assert_eq!(
            Output::parse("a.webm").unwrap(),
            Output::Video {
                path: "a.webm".into(),
                settings: VideoSettings::default(),
            }
        );
        let existing = tempfile::tempdir().unwrap();
        assert!(matches!(
            Output::parse(existing.path().to_str().unwrap()).unwrap(),
            Output::PngSequence { .. }
        ));
    }

    #[test]
    fn explains_unusable_targets() {
        assert!(Output::parse("a.png")
            .unwrap_err()
            .contains("animate frame"));
        let e = Output::parse("out.xyz").unwrap_err();
        assert!(e.contains(".gif") && e.contains(".mp4"), "{e}");
        // A format people know is named, with what to write instead.
        let e = Output::parse("out.avi").unwrap_err();
        assert!(
            e.contains("does not write AVI files") && e.contains(".mp4"),
            "{e}"
        );
        let e = Output::parse("out.APNG").unwrap_err();
        assert!(e.contains("animated PNG") && e.contains(".gif"), "{e}");
        assert!(Output::parse("noext").is_err());
        assert!(Output::parse("%d/x_%d.png").is_err());
        assert!(Output::parse("").is_err());
    }

    #[cfg(feature = "video")]
    #[test]
    fn video_settings_are_checked_against_the_output() {
        use crate::encode::video::settings::Codec;
        let prores = VideoSettings {
            codec: Some(Codec::Prores),
            ..Default::default()
        };
        let mov = Output::parse("x.mov").unwrap();
        assert!(mov.with_video_settings(prores.clone()).is_ok());
        let e = Output::parse("x.mp4")
            .unwrap()
            .with_video_settings(prores.clone())
            .unwrap_err();
        assert!(e.contains(".mov"), "{e}");
        let e = Output::parse("x.gif")
            .unwrap()
            .with_video_settings(prores)
            .unwrap_err();
        assert!(e.contains("video outputs"), "{e}");
        assert!(Output::parse("x.gif")
            .unwrap()
            .with_video_settings(VideoSettings::default())
            .is_ok());
    }

    #[cfg(not(feature = "video"))]
    #[test]
    fn video_needs_the_feature() {
        let e = Output::parse("x.mp4").unwrap_err();
        assert!(e.contains("--features video"), "{e}");
    }

    #[test]
    fn warns_about_fast_gifs_only() {
        let mut spec = SinkSpec {
            size: crate::base::frame::Size::new(2, 2),
            fps: 60.0,
            frames: 1,
            first: 0,
            total: 1,
            quality: 90,
            transparent: false,
            render_id: None,
            options: Vec::new(),
        };
        assert_eq!(Output::parse("a.gif").unwrap().warnings(&spec).len(), 1);
        assert!(Output::parse("f/").unwrap().warnings(&spec).is_empty());
        spec.fps = 50.0;
        assert!(Output::parse("a.gif").unwrap().warnings(&spec).is_empty());
    }
}
