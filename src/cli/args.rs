//! Command-line syntax (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::base::frame::Size;
use crate::encode::stream::StreamFormat;
use crate::encode::video::settings::{parse_bitrate, Codec, VideoSettings};
use crate::render::range::{parse_frames, parse_segment, Selection};

#[derive(Parser)]
#[command(
    name = "animate",
    version,
    about = "Turn a declarative TOML scene file into an animated GIF, a video or PNG frames."
)]
#[command(
    after_help = "Examples:\n  animate render scene.toml -o out.gif\n  animate check scene.toml\n  animate frame scene.toml -t 1.5 -o preview.png"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Render a scene to a GIF, a video or PNG frames.
    #[command(
        after_help = "Examples:\n  animate render scene.toml -o out.gif\n  animate render scene.toml -o out.mp4 --crf 18\n  animate render scene.toml -o clip.mov --codec prores\n  animate render scene.toml -o frames/%04d.png --fps 10\n  animate render scene.toml -o small.gif --size 320x200 --quality 70\n  animate render scene.toml -o seg-2.mp4 --segment 2/4\n  animate render scene.toml -o - --format png | ffmpeg -f image2pipe -i - out.webm"
    )]
    Render(RenderArgs),
    /// Check a scene without rendering and print its resolved timeline.
    #[command(after_help = "Example:\n  animate check scene.toml")]
    Check(CheckArgs),
    /// Join the parts of a segmented render: video segments without re-encoding, or PNG frames into a GIF or video.
    #[command(
        after_help = "Examples:\n  animate join seg-1.mp4 seg-2.mp4 seg-3.mp4 seg-4.mp4 -o full.mp4\n  animate join frames/ -o full.gif"
    )]
    Join(JoinArgs),
    /// Print every file the scene reads, one per line (for build tools).
    #[command(after_help = "Example:\n  animate deps scene.toml")]
    Deps(DepsArgs),
    /// Render the single frame at one time to a PNG.
    #[command(after_help = "Example:\n  animate frame scene.toml -t 1.5 -o preview.png")]
    Frame(FrameArgs),
    /// Print the JSON Schema of scene files, for editors (completion and checks while typing).
    #[command(after_help = "Example:\n  animate schema > animate.schema.json")]
    Schema,
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  animate completions bash > ~/.local/share/bash-completion/completions/animate\n  animate completions zsh > ~/.zfunc/_animate\n  animate completions fish > ~/.config/fish/completions/animate.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), of animate or of one command.
    #[command(
        after_help = "Examples:\n  animate man > ~/.local/share/man/man1/animate.1\n  animate man render | man -l -"
    )]
    Man(ManArgs),
    /// Serve a live preview of a scene on 127.0.0.1 that follows every save.
    #[command(
        after_help = "Example:\n  animate preview scene.toml\n  animate preview scene.toml --port 8080 --size 640x360 --open"
    )]
    Preview(PreviewArgs),
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell the script is for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// A command, for its own page (animate-render(1)); without it, animate(1).
    pub command: Option<String>,
}

/// Arguments every command that reads a scene takes.
#[derive(Args)]
pub struct SceneArgs {
    /// The scene file (TOML).
    pub scene: PathBuf,
    /// Override a scene variable: --set name=value (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
}

#[derive(Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub common: SceneArgs,
    /// Output: out.gif, out.mp4 (.webm, .mov, .mkv), a folder (frames/), a pattern (frames/%04d.png), or - for stdout with --format. Default: the scene's [output] file.
    #[arg(short, long)]
    pub output: Option<String>,
    /// Frames per second (overrides the scene).
    #[arg(long, value_parser = parse_fps)]
    pub fps: Option<f64>,
    /// Output size WxH: the root clip is scaled to fit, centred on the background; Wx or xH gives one side, the other following the root clip's aspect (rounded to even).
    #[arg(long, value_parser = crate::render::plan::SizeArg::parse)]
    pub size: Option<crate::render::plan::SizeArg>,
    /// Seconds to render, or a time such as 2.5s or 1:30 (overrides the scene and the root clip's duration).
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<f64>,
    /// What shows where the root is transparent (overrides the scene's [output] background): an opaque colour flattens a transparent scene onto it.
    #[arg(long, value_name = "COLOR", value_parser = crate::base::color::Rgba::parse)]
    pub background: Option<crate::base::color::Rgba>,
    /// Render only frames A..B of the whole render (counted from 0, B excluded; A.. and ..B too).
    #[arg(long, value_name = "A..B", value_parser = parse_frames, conflicts_with = "segment")]
    pub frames: Option<Selection>,
    /// Render the K-th of N equal segments (K from 1: 1/4 … 4/4), to be joined with `animate join`.
    #[arg(long, value_name = "K/N", value_parser = parse_segment)]
    pub segment: Option<Selection>,
    #[command(flatten)]
    pub encode: EncodeArgs,
    /// Also write a Make dependency file listing every input the scene reads.
    #[arg(long, value_name = "FILE.d")]
    pub depfile: Option<PathBuf>,
    /// Let the scene's `kind = "program"` clips run their programs (a scene that runs programs is code: read it first).
    #[arg(long)]
    pub allow_programs: bool,
    /// Leave the scene's sound out of a video output (see docs/audio.md).
    #[arg(long)]
    pub no_audio: bool,
}

/// How frames are encoded: flags shared by `render` and `join`.
#[derive(Args)]
pub struct EncodeArgs {
    /// What -o - writes to stdout: gif (the GIF) or png (PNG files back to back).
    #[arg(long, value_parser = StreamFormat::parse)]
    pub format: Option<StreamFormat>,
    /// Encoder quality, 1-100 (GIF: palette quality; see docs/gif.md).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub quality: Option<u8>,
    /// Video codec: h264 (.mp4, .mkv, .mov), vp9 (.webm, .mkv) or prores (.mov, ProRes 4444). Default: by extension.
    #[arg(long, value_parser = Codec::parse)]
    pub codec: Option<Codec>,
    /// Video constant quality: lower is better and larger (H.264: 0-51, default 20; VP9: 0-63, default 31).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=63))]
    pub crf: Option<u8>,
    /// Video encoder speed: ultrafast … medium (default) … veryslow (slower is smaller).
    #[arg(long)]
    pub preset: Option<String>,
    /// Video target bit rate instead of constant quality, e.g. 2M or 800k.
    #[arg(long, value_parser = parse_bitrate)]
    pub bitrate: Option<u64>,
    /// Worker threads (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// No summary line on success (warnings still show).
    #[arg(short, long)]
    pub quiet: bool,
    /// How a transparent GIF shows partly transparent pixels (GIF has on/off transparency only): dither (the default) or threshold (opaque from 50 % alpha).
    #[arg(long, value_enum, default_value_t)]
    pub gif_alpha: crate::encode::gif_alpha::GifAlpha,
}

impl EncodeArgs {
    /// The video encoder flags together.
    pub fn video_settings(&self) -> VideoSettings {
        VideoSettings {
            codec: self.codec,
            crf: self.crf,
            preset: self.preset.clone(),
            bitrate: self.bitrate,
        }
    }

    /// Worker threads: the flag, else every core.
    pub fn threads(&self) -> usize {
        self.threads
            .map(usize::from)
            .unwrap_or_else(crate::base::parallel::cores)
    }
}

#[derive(Args)]
pub struct JoinArgs {
    /// Video segments (seg-1.mp4 seg-2.mp4 …, in any order), or one folder (frames/) or pattern (frames/%05d.png) of PNG frames.
    #[arg(required = true, value_name = "PARTS")]
    pub parts: Vec<String>,
    /// The joined output: a video of the parts' format; for PNG frames anything `render` writes (out.gif, out.mp4, -).
    #[arg(short, long)]
    pub output: String,
    /// Frame rate of PNG frames (default: the rate animate recorded in them).
    #[arg(long, value_parser = parse_fps)]
    pub fps: Option<f64>,
    #[command(flatten)]
    pub encode: EncodeArgs,
}

#[derive(Args)]
pub struct DepsArgs {
    #[command(flatten)]
    pub common: SceneArgs,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: SceneArgs,
}

#[derive(Args)]
pub struct FrameArgs {
    #[command(flatten)]
    pub common: SceneArgs,
    /// Time of the frame: seconds, or a time such as 500ms or 1:30.
    #[arg(short = 't', long = "time", value_name = "SECONDS", value_parser = parse_time, allow_hyphen_values = true)]
    pub t: f64,
    /// The PNG file to write (its name must end in .png), or - for stdout.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Output size WxH (the frame is scaled to fit); Wx or xH gives one side, the other following the root clip's aspect.
    #[arg(long, value_parser = crate::render::plan::SizeArg::parse)]
    pub size: Option<crate::render::plan::SizeArg>,
    /// Also write a Make dependency file listing every input the scene reads.
    #[arg(long, value_name = "FILE.d")]
    pub depfile: Option<PathBuf>,
    /// Let the scene's `kind = "program"` clips run their programs (a scene that runs programs is code: read it first).
    #[arg(long)]
    pub allow_programs: bool,
}

#[derive(Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    pub common: SceneArgs,
    /// The port on 127.0.0.1 (default: a free one).
    #[arg(long)]
    pub port: Option<u16>,
    /// Frames in the page fit within WxH (the download button gives full size).
    #[arg(long, value_parser = parse_size, default_value = "960x540")]
    pub size: Size,
    /// Open the page in the system's browser.
    #[arg(long)]
    pub open: bool,
    /// Let the scene's `kind = "program"` clips run their programs (a scene that runs programs is code: read it first).
    #[arg(long)]
    pub allow_programs: bool,
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("`{s}` has no variable name"));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

fn parse_size(s: &str) -> Result<Size, String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{s}` is not WxH, e.g. 640x480"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not WxH, e.g. 640x480"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not WxH, e.g. 640x480"))?;
    crate::base::limits::check_size(w, h)
}

fn parse_fps(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    crate::base::limits::check_fps(v)
}

fn parse_duration(s: &str) -> Result<f64, String> {
    let v = crate::base::seconds::parse_arg(s)?;
    crate::base::limits::check_duration(v)
}

fn parse_time(s: &str) -> Result<f64, String> {
    let v = crate::base::seconds::parse_arg(s)?;
    if !v.is_finite() || v < 0.0 {
        return Err(format!("time must be 0 or more seconds, not {s}"));
    }
    Ok(v)
}
