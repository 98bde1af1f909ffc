//! Which encoder a video output gets and with what settings: chosen from the file's
//! extension and the `--codec`, `--crf`, `--preset`, `--bitrate` flags, checked before
//! anything is rendered. Pure decisions, no FFmpeg calls.

use std::path::Path;

use crate::base::frame::Size;

/// A video codec animate can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// H.264 through libx264, 4:2:0.
    H264,
    /// VP9 through libvpx-vp9, 4:2:0, with alpha when the background is transparent.
    Vp9,
    /// ProRes 4444 through prores_ks, with alpha when the background is transparent.
    Prores,
}

impl Codec {
    pub const NAMES: &'static [&'static str] = &["h264", "vp9", "prores"];

    pub fn parse(s: &str) -> Result<Codec, String> {
        match s.to_ascii_lowercase().as_str() {
            "h264" | "x264" | "avc" | "libx264" => Ok(Codec::H264),
            "vp9" | "libvpx-vp9" => Ok(Codec::Vp9),
            "prores" | "prores_ks" | "prores4444" => Ok(Codec::Prores),
            _ => Err(format!(
                "unknown codec `{s}`: use one of {}",
                Codec::NAMES.join(", ")
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Codec::H264 => "h264",
            Codec::Vp9 => "vp9",
            Codec::Prores => "prores",
        }
    }

    /// Chroma subsampled by two both ways: sides must be even.
    fn subsampled(self) -> bool {
        !matches!(self, Codec::Prores)
    }

    /// The CRF scale's top and the default on it.
    fn crf_range(self) -> Option<(u8, u8)> {
        match self {
            Codec::H264 => Some((51, DEFAULT_CRF_H264)),
            Codec::Vp9 => Some((63, DEFAULT_CRF_VP9)),
            Codec::Prores => None,
        }
    }
}

/// x264's CRF default here: visually close to lossless for animations and plots.
pub const DEFAULT_CRF_H264: u8 = 20;
/// libvpx-vp9's CRF default: about the quality of H.264 at CRF 20 (its scale is 0-63).
pub const DEFAULT_CRF_VP9: u8 = 31;
pub const DEFAULT_PRESET: &str = "medium";

/// What the encoder's look-ahead may hold. x264 keeps up to 60 pictures ahead (40 at
/// `medium`) and libvpx 25, each costing about four bytes a pixel with the encoder's
/// own planes: 13 GB for a 14256×14256 render. Frames this large look ahead less.
const LOOKAHEAD_BYTES: u64 = 2 << 30;

/// Pictures the encoder may look ahead for `size`, within [`LOOKAHEAD_BYTES`] (with
/// room for the pictures it holds anyway); `None` where every preset's own fits, so
/// that usual sizes encode exactly as before.
fn lookahead_cap(size: Size, most: u64) -> Option<u64> {
    let per_picture = 4 * size.w as u64 * size.h as u64;
    let fit = (LOOKAHEAD_BYTES / per_picture.max(1)).saturating_sub(8);
    (fit < most).then_some(fit)
}

/// FFmpeg's bound on a picture's size, which every encoder checks as it opens
/// (`av_image_check_size2`): (width + 128) × (height + 128) below 2³¹ / 8. A 16384×16384
/// frame is over it (libx264 then said "invalid argument"); the largest square is
/// 16255×16255 (16254×16254 for the even sides of 4:2:0). Measured: libx264 and
/// prores_ks take 16384×16000, and libvpx-vp9 and prores_ks 16384×512 and 512×16384.
const MAX_PICTURE_AREA: u64 = i32::MAX as u64 / 8;

/// The frames of `size` an encoder cannot take (see [`MAX_PICTURE_AREA`]), said with
/// the limit and the way out.
fn check_picture(size: Size, encoder: &str) -> Result<(), String> {
    let area = (size.w as u64 + 128) * (size.h as u64 + 128);
    if area < MAX_PICTURE_AREA {
        return Ok(());
    }
    Err(format!(
        "a {size} video is too large for {encoder}: FFmpeg's encoders take frames whose \
         (width + 128) × (height + 128) is under {MAX_PICTURE_AREA} (at most 16254×16254, \
         or 16384×16000); render a smaller --size, or PNG frames (-o frames/)"
    ))
}

/// x264's presets, fastest first; VP9 maps them onto its `cpu-used` speeds.
pub const PRESETS: &[&str] = &[
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
    "placebo",
];

/// The video file formats, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Mp4,
    Mkv,
    Webm,
    Mov,
}

impl Container {
    pub fn from_path(path: &Path) -> Option<Container> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "mp4" => Some(Container::Mp4),
            "mkv" => Some(Container::Mkv),
            "webm" => Some(Container::Webm),
            "mov" => Some(Container::Mov),
            _ => None,
        }
    }

    /// FFmpeg's name for the muxer (the temporary file's name says nothing).
    pub fn muxer(self) -> &'static str {
        match self {
            Container::Mp4 => "mp4",
            Container::Mkv => "matroska",
            Container::Webm => "webm",
            Container::Mov => "mov",
        }
    }

    /// The file extension, with its dot.
    pub fn ext(self) -> &'static str {
        match self {
            Container::Mp4 => ".mp4",
            Container::Mkv => ".mkv",
            Container::Webm => ".webm",
            Container::Mov => ".mov",
        }
    }

    /// Codecs this container takes, the default first.
    fn codecs(self) -> &'static [Codec] {
        match self {
            Container::Mp4 => &[Codec::H264],
            Container::Mkv => &[Codec::H264, Codec::Vp9],
            Container::Webm => &[Codec::Vp9],
            Container::Mov => &[Codec::H264, Codec::Prores],
        }
    }

    /// Writes the index at the front so playback starts before the download ends.
    pub fn faststart(self) -> bool {
        matches!(self, Container::Mp4 | Container::Mov)
    }
}

/// Encoder settings from the command line; `None` means the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VideoSettings {
    pub codec: Option<Codec>,
    pub crf: Option<u8>,
    pub preset: Option<String>,
    /// Bits per second; replaces CRF with a target bit rate.
    pub bitrate: Option<u64>,
}

impl VideoSettings {
    pub fn is_default(&self) -> bool {
        *self == VideoSettings::default()
    }

    /// Refuses combinations that cannot be honoured, with the fix.
    pub fn check(&self, container: Container) -> Result<Codec, String> {
        let allowed = container.codecs();
        let codec = self.codec.unwrap_or(allowed[0]);
        if !allowed.contains(&codec) {
            let names: Vec<&str> = allowed.iter().map(|c| c.name()).collect();
            return Err(format!(
                "--codec {} cannot be written to a {} file (it takes {}){}",
                codec.name(),
                container.ext(),
                names.join(" or "),
                match codec {
                    Codec::Prores => "; use .mov for ProRes",
                    Codec::Vp9 => "; use .webm or .mkv for VP9",
                    Codec::H264 => "; use .mp4, .mov or .mkv for H.264",
                }
            ));
        }
        if self.crf.is_some() && self.bitrate.is_some() {
            return Err("--crf and --bitrate exclude each other: give one".into());
        }
        match codec.crf_range() {
            None => {
                if self.crf.is_some() || self.bitrate.is_some() || self.preset.is_some() {
                    return Err(
                        "ProRes has a fixed quality (profile 4444): --crf, --bitrate and --preset do not apply"
                            .into(),
                    );
                }
            }
            Some((max, _)) => {
                if let Some(crf) = self.crf.filter(|c| *c > max) {
                    return Err(format!(
                        "--crf {crf} is out of range for {}: 0 (best) to {max}",
                        codec.name()
                    ));
                }
            }
        }
        if let Some(p) = &self.preset {
            if !PRESETS.contains(&p.as_str()) {
                return Err(format!(
                    "unknown preset `{p}`: use one of {}",
                    PRESETS.join(", ")
                ));
            }
        }
        Ok(codec)
    }
}

/// The pixel layout the encoder receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Yuv420,
    Yuva420,
    Yuv444P10,
    Yuva444P10,
}

impl Layout {
    pub fn has_alpha(self) -> bool {
        matches!(self, Layout::Yuva420 | Layout::Yuva444P10)
    }
}

/// Everything the sink needs to set up the encoder.
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderPlan {
    pub codec: Codec,
    /// FFmpeg's encoder name.
    pub encoder: &'static str,
    pub layout: Layout,
    /// The encoded size: the frame's, made even for 4:2:0.
    pub size: Size,
    /// Private options of the encoder (name, value).
    pub options: Vec<(&'static str, String)>,
    /// Target bit rate, when not constant quality.
    pub bit_rate: Option<u64>,
    /// What the user should know (padding, lost transparency).
    pub notes: Vec<String>,
    /// The flags that chose the encoder's settings, as they took effect (`preset`, and
    /// `crf` or `bitrate`), for the output's stamp: parts encoded otherwise do not join.
    pub flags: Vec<(String, String)>,
}

impl EncoderPlan {
    /// Settings already passed [`VideoSettings::check`] for this container.
    pub fn new(
        container: Container,
        settings: &VideoSettings,
        size: Size,
        transparent: bool,
    ) -> Result<EncoderPlan, String> {
        let codec = settings.check(container)?;
        let mut notes = Vec::new();
        let even = Size::new(size.w + size.w % 2, size.h + size.h % 2);
        let size = if codec.subsampled() && even != size {
            notes.push(format!(
                "{} needs even sides: the {size} frames are padded to {even} (the last column/row repeated)",
                codec.name()
            ));
            even
        } else {
            size
        };
        let preset = settings.preset.as_deref().unwrap_or(DEFAULT_PRESET);
        let crf = settings
            .crf
            .or(codec.crf_range().map(|(_, d)| d))
            .unwrap_or(0);
        let mut options: Vec<(&'static str, String)> = Vec::new();
        let (encoder, layout) = match codec {
            Codec::H264 => {
                options.push(("preset", preset.to_string()));
                if settings.bitrate.is_none() {
                    options.push(("crf", crf.to_string()));
                }
                if let Some(cap) = lookahead_cap(size, 60) {
                    options.push(("rc-lookahead", cap.to_string()));
                }
                if transparent {
                    notes.push(format!(
                        "H.264 has no alpha channel: the transparent background is written as black{}",
                        match container {
                            Container::Mov => "; use --codec prores to keep it",
                            _ => "; use .webm (VP9) or .mov with --codec prores to keep it",
                        }
                    ));
                }
                ("libx264", Layout::Yuv420)
            }
            Codec::Vp9 => {
                options.push(("deadline", "good".into()));
                options.push(("cpu-used", vp9_speed(preset).to_string()));
                options.push(("row-mt", "1".into()));
                if settings.bitrate.is_none() {
                    options.push(("crf", crf.to_string()));
                }
                if let Some(cap) = lookahead_cap(size, 25) {
                    options.push(("lag-in-frames", cap.to_string()));
                }
                let layout = if transparent {
                    Layout::Yuva420
                } else {
                    Layout::Yuv420
                };
                ("libvpx-vp9", layout)
            }
            Codec::Prores => {
                options.push(("profile", "4444".into()));
                options.push(("vendor", "apl0".into()));
                let layout = if transparent {
                    Layout::Yuva444P10
                } else {
                    Layout::Yuv444P10
                };
                ("prores_ks", layout)
            }
        };
        check_picture(size, encoder)?;
        let mut flags = Vec::new();
        if codec.crf_range().is_some() {
            flags.push(("preset".to_string(), preset.to_string()));
            flags.push(match settings.bitrate {
                Some(b) => ("bitrate".to_string(), b.to_string()),
                None => ("crf".to_string(), crf.to_string()),
            });
        }
        Ok(EncoderPlan {
            codec,
            encoder,
            layout,
            size,
            options,
            bit_rate: settings.bitrate,
            notes,
            flags,
        })
    }
}

/// libvpx's `cpu-used` (0 slowest and best … 5 fastest in "good" mode) for an x264 preset.
fn vp9_speed(preset: &str) -> u8 {
    match preset {
        "ultrafast" | "superfast" => 5,
        "veryfast" | "faster" => 4,
        "fast" => 3,
        "medium" => 2,
        "slow" | "slower" => 1,
        _ => 0,
    }
}

/// A bit rate as written on the command line: `800k`, `2.5M`, `1500000`.
pub fn parse_bitrate(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, scale) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1e3),
        Some('m' | 'M') => (&t[..t.len() - 1], 1e6),
        _ => (t, 1.0),
    };
    let v: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a bit rate such as 800k, 2M or 1500000"))?;
    let bits = v * scale;
    if !bits.is_finite() || !(10_000.0..=1e10).contains(&bits) {
        return Err(format!("bit rate `{s}` is out of range: 10k to 10000M"));
    }
    Ok(bits.round() as u64)
}

/// The output frame rate as an exact fraction where one is near (25, 30000/1001,
/// 29.97 = 2997/100), so that frame i's timestamp is exactly i / fps.
pub fn fps_fraction(fps: f64) -> (i32, i32) {
    for den in [1, 1001, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 50, 100, 1000] {
        let num = fps * den as f64;
        if (num - num.round()).abs() < 1e-6 && num.round() >= 1.0 {
            return (num.round() as i32, den);
        }
    }
    // Otherwise the closest fraction with a denominator up to a million: a frame every
    // 655 s is 1/655 exactly (a millionth-based 1527/1000000 made such a video 0.6 s
    // shorter than asked).
    closest_fraction(fps, 1_000_000).unwrap_or(((fps * 1_000_000.0).round() as i32, 1_000_000))
}

/// The continued-fraction convergent of `x` (> 0) that is within 1e-9 of it, relatively,
/// with a denominator up to `max_den` and a numerator that fits an `i32`.
fn closest_fraction(x: f64, max_den: i64) -> Option<(i32, i32)> {
    if !(x.is_finite() && x > 0.0) {
        return None;
    }
    let (mut h0, mut h1, mut k0, mut k1) = (0i64, 1i64, 1i64, 0i64);
    let mut v = x;
    for _ in 0..64 {
        let a = v.floor();
        if a > i32::MAX as f64 {
            return None;
        }
        let a = a as i64;
        let (h2, k2) = (a * h1 + h0, a * k1 + k0);
        if k2 > max_den || h2 > i32::MAX as i64 {
            return None;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        if h1 > 0 && ((h1 as f64 / k1 as f64) - x).abs() <= 1e-9 * x {
            return Some((h1 as i32, k1 as i32));
        }
        let rest = v - a as f64;
        if rest <= 0.0 {
            return None;
        }
        v = 1.0 / rest;
    }
    None
}

#[cfg(test)]
mod tests {

    /// FFmpeg's bound on frame sizes (findings6 F-Z: 16384² H.264 failed as the
    /// encoder opened): refused before the render, naming the limit; the largest sizes
    /// under it pass.
    #[test]
    fn frames_over_ffmpegs_bound_are_refused() {
        let plan = |c, w, h| EncoderPlan::new(c, &settings(None), Size::new(w, h), false);
        let e = plan(Container::Mp4, 16384, 16384).unwrap_err();
        assert!(
            e.starts_with("a 16384x16384 video is too large for libx264"),
            "{e}"
        );
        assert!(e.contains("a smaller --size"), "{e}");
        assert!(plan(Container::Mp4, 16384, 16000).is_ok());
        assert!(plan(Container::Webm, 16254, 16254).is_ok());
        assert!(plan(Container::Webm, 16256, 16256).is_err());
        // ProRes keeps odd sides: 16255² passes, 16256² does not
        let prores = settings(Some(Codec::Prores));
        let p = |w, h| EncoderPlan::new(Container::Mov, &prores, Size::new(w, h), false);
        assert!(p(16255, 16255).is_ok() && p(16256, 16256).is_err());
        assert!(
            plan(Container::Mp4, 16255, 16255).is_err(),
            "padded to 16256²"
        );
    }

    #[test]
    fn large_frames_look_ahead_less_and_usual_ones_as_before() {
        assert_eq!(lookahead_cap(Size::new(1920, 1080), 60), None);
        // 4K at `medium` (40) is untouched; only `veryslow`'s 60 is trimmed.
        assert!(lookahead_cap(Size::new(3840, 2160), 60).is_none_or(|c| c >= 40));
        assert_eq!(lookahead_cap(Size::new(8192, 4096), 60), Some(8));
        assert_eq!(lookahead_cap(Size::new(16384, 16384), 25), Some(0));
    }

    use super::*;

    fn settings(codec: Option<Codec>) -> VideoSettings {
        VideoSettings {
            codec,
            ..Default::default()
        }
    }

    #[test]
    fn extension_picks_codec_and_defaults() {
        let p =
            EncoderPlan::new(Container::Mp4, &settings(None), Size::new(320, 240), false).unwrap();
        assert_eq!(
            (p.codec, p.encoder, p.layout),
            (Codec::H264, "libx264", Layout::Yuv420)
        );
        assert_eq!(
            p.options,
            vec![("preset", "medium".to_string()), ("crf", "20".to_string())]
        );
        assert!(p.notes.is_empty());
        let w = EncoderPlan::new(Container::Webm, &settings(None), Size::new(8, 8), true).unwrap();
        assert_eq!((w.encoder, w.layout), ("libvpx-vp9", Layout::Yuva420));
        assert!(w.options.contains(&("crf", "31".to_string())));
        let m = EncoderPlan::new(Container::Mov, &settings(None), Size::new(8, 8), false).unwrap();
        assert_eq!(m.codec, Codec::H264);
        let pr = EncoderPlan::new(
            Container::Mov,
            &settings(Some(Codec::Prores)),
            Size::new(7, 5),
            true,
        )
        .unwrap();
        assert_eq!((pr.encoder, pr.layout), ("prores_ks", Layout::Yuva444P10));
        assert_eq!(pr.size, Size::new(7, 5), "4:4:4 needs no padding");
    }

    #[test]
    fn odd_sizes_are_padded_with_a_note() {
        let p =
            EncoderPlan::new(Container::Mp4, &settings(None), Size::new(321, 241), false).unwrap();
        assert_eq!(p.size, Size::new(322, 242));
        assert_eq!(p.notes.len(), 1);
        assert!(p.notes[0].contains("321x241") && p.notes[0].contains("322x242"));
    }

    #[test]
    fn transparency_lost_in_h264_is_said() {
        let p = EncoderPlan::new(Container::Mov, &settings(None), Size::new(8, 8), true).unwrap();
        assert!(p.notes[0].contains("--codec prores"), "{:?}", p.notes);
    }

    #[test]
    fn refuses_impossible_combinations() {
        let e = settings(Some(Codec::Prores))
            .check(Container::Mp4)
            .unwrap_err();
        assert!(e.contains(".mov"), "{e}");
        assert!(settings(Some(Codec::Vp9)).check(Container::Mp4).is_err());
        assert_eq!(
            settings(Some(Codec::Vp9)).check(Container::Mkv),
            Ok(Codec::Vp9)
        );
        let both = VideoSettings {
            crf: Some(20),
            bitrate: Some(1_000_000),
            ..Default::default()
        };
        assert!(both.check(Container::Mp4).is_err());
        let high = VideoSettings {
            crf: Some(52),
            ..Default::default()
        };
        assert!(high.check(Container::Mp4).is_err());
        assert!(
            high.check(Container::Webm).is_ok(),
            "VP9's scale goes to 63"
        );
        let prores_crf = VideoSettings {
            codec: Some(Codec::Prores),
            crf: Some(10),
            ..Default::default()
        };
        assert!(prores_crf.check(Container::Mov).is_err());
        let preset = VideoSettings {
            preset: Some("quick".into()),
            ..Default::default()
        };
        assert!(preset
            .check(Container::Mp4)
            .unwrap_err()
            .contains("veryslow"));
        assert!(Codec::parse("hevc").is_err());
        assert_eq!(Codec::parse("H264"), Ok(Codec::H264));
    }

    #[test]
    fn bitrate_replaces_crf() {
        let s = VideoSettings {
            bitrate: Some(2_000_000),
            ..Default::default()
        };
        let p = EncoderPlan::new(Container::Mp4, &s, Size::new(8, 8), false).unwrap();
        assert_eq!(p.bit_rate, Some(2_000_000));
        assert!(!p.options.iter().any(|(k, _)| *k == "crf"));
    }

    #[test]
    fn parses_bitrates() {
        assert_eq!(parse_bitrate("800k"), Ok(800_000));
        assert_eq!(parse_bitrate("2.5M"), Ok(2_500_000));
        assert_eq!(parse_bitrate("1500000"), Ok(1_500_000));
        assert!(parse_bitrate("fast").is_err());
        assert!(parse_bitrate("0").is_err());
    }

    #[test]
    fn frame_rates_become_exact_fractions() {
        assert_eq!(fps_fraction(25.0), (25, 1));
        assert_eq!(fps_fraction(30000.0 / 1001.0), (30000, 1001));
        assert_eq!(fps_fraction(29.97), (2997, 100));
        assert_eq!(fps_fraction(12.5), (25, 2));
        assert_eq!(fps_fraction(1.0 / 3.0), (1, 3));
        // The slowest rates: a frame every 655 s, and every 655.35 s (a GIF's longest).
        assert_eq!(fps_fraction(1.0 / 655.0), (1, 655));
        assert_eq!(fps_fraction(1.0 / 655.35), (20, 13107));
        assert_eq!(fps_fraction(std::f64::consts::PI), (103993, 33102));
    }
}
